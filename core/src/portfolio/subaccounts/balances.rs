//! `GET /portfolio/subaccounts/balances`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;
use crate::{ExchangeIndex, FixedPointDollars};

/// The balances of every subaccount, the primary account included (`GetSubaccountBalances`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetSubaccountBalances {}

impl GetSubaccountBalances {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// One subaccount's balance on one shard (`SubaccountBalance`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SubaccountBalance {
    /// The subaccount (0 primary, 1–63).
    pub subaccount_number: u32,
    /// The exchange shard the balance is held on.
    pub exchange_index: ExchangeIndex,
    /// The balance.
    pub balance: FixedPointDollars,
    /// Unix time (seconds) of the last balance update.
    pub updated_ts: i64,
}

/// The answer to [`GetSubaccountBalances`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSubaccountBalancesResponse {
    /// One entry per subaccount and shard.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub subaccount_balances: Vec<SubaccountBalance>,
}

impl Operation for GetSubaccountBalances {
    type Output = GetSubaccountBalancesResponse;
    const NAME: &'static str = "GetSubaccountBalances";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/balances");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSubaccountBalances {
    fn full() -> Self {
        GetSubaccountBalances::new()
    }
    fn minimal() -> Self {
        GetSubaccountBalances::new()
    }
}
