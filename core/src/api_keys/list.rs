//! `GET /api_keys`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;

crate::enums::string_enum! {
    /// What an API key may do (`ApiKeyScope`).
    ApiKeyScope { /// Every read.
        Read = "read", /// Every write.
        Write = "write", /// Reading block trades to accept.
        ReadBlockTradeAccept = "read::block_trade_accept", /// Reading the portfolio balance.
        ReadPortfolioBalance = "read::portfolio_balance", /// Trading.
        WriteTrade = "write::trade", /// Transfers.
        WriteTransfer = "write::transfer", /// Accepting block trades.
        WriteBlockTradeAccept = "write::block_trade_accept" }
}

/// Lists the account's API keys (`GetApiKeys`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetApiKeys {}

impl GetApiKeys {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// One API key (`ApiKey`); the exchange never answers key material.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ApiKey {
    /// The key id, sent as `KALSHI-ACCESS-KEY`.
    pub api_key_id: String,
    /// The name given at creation.
    pub name: String,
    /// What the key may do.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub scopes: Vec<ApiKeyScope>,
    /// The subaccount the key is restricted to (0 primary, 1–63); `None`: not restricted.
    #[serde(default)]
    pub subaccount: Option<u32>,
}

/// The answer to [`GetApiKeys`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetApiKeysResponse {
    /// The account's keys.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub api_keys: Vec<ApiKey>,
    /// Unix time (seconds) at which the keys of the account's region expire, if they do.
    #[serde(default)]
    pub api_key_region_expiration_ts: Option<i64>,
}

impl Operation for GetApiKeys {
    type Output = GetApiKeysResponse;
    const NAME: &'static str = "GetApiKeys";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/api_keys");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetApiKeys {
    fn full() -> Self {
        GetApiKeys::new()
    }
    fn minimal() -> Self {
        GetApiKeys::new()
    }
}
