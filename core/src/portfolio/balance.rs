//! `GET /portfolio/balance`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::null_as_empty;
use crate::{Error, FixedPointDollars, validate};

/// The available balance and portfolio value (`GetBalance`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetBalance {
    /// The subaccount (default 0).
    pub subaccount: Option<u32>,
    /// Only this exchange shard; omitted includes all.
    pub exchange_index: Option<ExchangeIndex>,
}

impl GetBalance {
    /// The primary account's balance.
    pub fn new() -> Self {
        Self::default()
    }

    /// A subaccount's balance.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }

    /// Only this exchange shard (a shard number; auto-route is refused before signing).
    pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
        self.exchange_index = Some(exchange_index.into());
        self
    }
}

/// Balance on one exchange shard.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct IndexedBalance {
    /// The shard.
    pub exchange_index: ExchangeIndex,
    /// The balance there.
    pub balance: FixedPointDollars,
}

/// The answer to [`GetBalance`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetBalanceResponse {
    /// Available balance in cents (legacy integer).
    #[serde(default)]
    pub balance: i64,
    /// Available balance in dollars.
    #[serde(default)]
    pub balance_dollars: Option<FixedPointDollars>,
    /// Portfolio value in cents.
    #[serde(default)]
    pub portfolio_value: i64,
    /// Unix time of the last balance update.
    #[serde(default)]
    pub updated_ts: i64,
    /// Balance per exchange shard.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub balance_breakdown: Vec<IndexedBalance>,
}

impl Operation for GetBalance {
    type Output = GetBalanceResponse;
    const NAME: &'static str = "GetBalance";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::subaccount(self.subaccount)?;
        validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/balance");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetBalance {
    fn full() -> Self {
        GetBalance::new().subaccount(2).exchange_index(0)
    }
    fn minimal() -> Self {
        GetBalance::new()
    }
}
