//! `GET /exchange/status`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::{null_as_empty, opt_time};
use crate::{Error, ExchangeIndex};

/// Whether the exchange and trading are up (`GetExchangeStatus`).
///
/// The exchange documents its 500, 503 and 504 answers to this request with the same status
/// body: they are [`Error::ServerError`] like every 5xx, and
/// [`ExchangeStatus::from_error`] reads the status out of such an error when the body holds one
/// (for example `exchange_active: false` with an estimated resume time during maintenance).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetExchangeStatus {}

impl GetExchangeStatus {
    /// The exchange's status.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The status of one exchange shard (`ExchangeIndexStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ExchangeIndexStatus {
    /// The shard.
    pub exchange_index: ExchangeIndex,
    /// The shard's description.
    pub description: String,
    /// False when the shard takes no state changes at all (maintenance).
    pub exchange_active: bool,
    /// True when trading is permitted on the shard.
    pub trading_active: bool,
    /// True when intra-exchange transfers are permitted on the shard.
    pub intra_exchange_transfers_active: bool,
}

/// The answer to [`GetExchangeStatus`] (`ExchangeStatus`). The top-level fields are those of
/// the default shard (0).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ExchangeStatus {
    /// False when the exchange takes no state changes at all (trading, new users, transfers):
    /// true unless under maintenance.
    pub exchange_active: bool,
    /// True when trading is permitted (exchange hours, no pause).
    pub trading_active: bool,
    /// True when intra-exchange transfers are permitted.
    #[serde(default)]
    pub intra_exchange_transfers_active: Option<bool>,
    /// The estimated end of the current maintenance (not guaranteed).
    #[serde(default, deserialize_with = "opt_time")]
    pub exchange_estimated_resume_time: Option<jiff::Timestamp>,
    /// The status of each shard; empty when the breakdown is unavailable.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub exchange_index_statuses: Vec<ExchangeIndexStatus>,
}

impl ExchangeStatus {
    /// The status carried by a documented 500, 503 or 504 answer to [`GetExchangeStatus`], when
    /// its (kept) body is one; `None` for any other error.
    pub fn from_error(error: &Error) -> Option<ExchangeStatus> {
        let Error::ServerError(api) = error else {
            return None;
        };
        if !matches!(api.status.as_u16(), 500 | 503 | 504) || api.body.is_truncated() {
            return None;
        }
        serde_json::from_slice(api.body.bytes()).ok()
    }
}

impl Operation for GetExchangeStatus {
    type Output = ExchangeStatus;
    const NAME: &'static str = "GetExchangeStatus";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/exchange/status");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetExchangeStatus {
    fn full() -> Self {
        GetExchangeStatus::new()
    }
    fn minimal() -> Self {
        GetExchangeStatus::new()
    }
}
