//! `GET /markets/trades`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::Trade;
use super::markets::limit_upto;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};

/// Lists public trades of all markets, newest first, a page at a time (`GetTrades`). Block
/// trades are included unless `is_block_trade` filters them. See
/// [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetTrades {
    /// Page size, 0..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this market.
    pub ticker: Option<String>,
    /// Only trades after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only trades before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Only block trades (`true`) or only order-book trades (`false`); omitted returns both.
    pub is_block_trade: Option<bool>,
}

impl GetTrades {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetTrades {
    /// Only this market.
    ticker: String,
    /// Only trades after this Unix time (seconds).
    min_ts: i64,
    /// Only trades before this Unix time (seconds).
    max_ts: i64,
    /// Only block trades (`true`) or only order-book trades (`false`).
    is_block_trade: bool,
}}

crate::pagination::cursor_list!(GetTrades => GetTradesResponse.trades: Trade);

/// One page of [`GetTrades`] (also of
/// [`GetTradesHistorical`](crate::historical::GetTradesHistorical)).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetTradesResponse {
    /// The trades on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub trades: Vec<Trade>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetTrades {
    type Output = GetTradesResponse;
    const NAME: &'static str = "GetTrades";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        limit_upto(self.limit, 1000)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/markets/trades");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("ticker", self.ticker.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("is_block_trade", self.is_block_trade);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetTrades {
    fn full() -> Self {
        GetTrades::new()
            .limit(500)
            .cursor("CgwI0a")
            .ticker("KXHIGHNY-26DEC06-B45.5")
            .min_ts(1_765_000_000)
            .max_ts(1_766_000_000)
            .is_block_trade(false)
    }
    fn minimal() -> Self {
        GetTrades::new()
    }
}
