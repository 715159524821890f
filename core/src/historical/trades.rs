//! `GET /historical/trades`

use http::{Method, StatusCode};

use crate::Error;
use crate::market::{GetTradesResponse, Trade, limit_upto};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};

/// Lists public trades filled before the historical cutoff, a page at a time
/// (`GetTradesHistorical`). Block trades are included unless `is_block_trade` filters them.
/// See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetTradesHistorical {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only trades after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only trades before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Page size, 0..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only block trades (`true`) or only order-book trades (`false`); omitted returns both.
    pub is_block_trade: Option<bool>,
}

impl GetTradesHistorical {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetTradesHistorical {
    /// Only this market.
    ticker: String,
    /// Only trades after this Unix time (seconds).
    min_ts: i64,
    /// Only trades before this Unix time (seconds).
    max_ts: i64,
    /// Only block trades (`true`) or only order-book trades (`false`).
    is_block_trade: bool,
}}

crate::pagination::cursor_list!(GetTradesHistorical => GetTradesResponse.trades: Trade);

impl Operation for GetTradesHistorical {
    type Output = GetTradesResponse;
    const NAME: &'static str = "GetTradesHistorical";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        limit_upto(self.limit, 1000)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/trades");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("is_block_trade", self.is_block_trade);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetTradesHistorical {
    fn full() -> Self {
        GetTradesHistorical::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .min_ts(1_704_067_200)
            .max_ts(1_704_153_600)
            .limit(1000)
            .cursor("CgwI0a")
            .is_block_trade(true)
    }
    fn minimal() -> Self {
        GetTradesHistorical::new()
    }
}
