//! `GET /portfolio/settlements`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, ExchangeIndex, FixedPointCount, FixedPointDollars, validate};

/// How a settled market resolved (`market_result` of a [`Settlement`]): the market area's
/// [`MarketResult`](crate::market::MarketResult), one type for both.
pub use crate::market::MarketResult;

/// The member's settlements, a page at a time (`GetSettlements`). See
/// [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetSettlements {
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this market.
    pub ticker: Option<String>,
    /// Only this event (a single event ticker: a comma is refused before signing).
    pub event_ticker: Option<String>,
    /// Only settlements after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only settlements before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Only this subaccount (0 primary, 1–63); omitted means all.
    pub subaccount: Option<u32>,
}

impl GetSettlements {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetSettlements {
    /// Only this market.
    ticker: String,
    /// Only this event (a single event ticker).
    event_ticker: String,
    /// Only settlements after this Unix time (seconds).
    min_ts: i64,
    /// Only settlements before this Unix time (seconds).
    max_ts: i64,
    /// Only this subaccount (0 primary, 1–63).
    subaccount: u32,
}}

crate::pagination::cursor_list!(GetSettlements => GetSettlementsResponse.settlements: Settlement);

/// One settled market position (`Settlement`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Settlement {
    /// The settled market.
    pub ticker: String,
    /// The exchange shard.
    pub exchange_index: ExchangeIndex,
    /// The settled market's event.
    pub event_ticker: String,
    /// How the market resolved.
    pub market_result: MarketResult,
    /// YES contracts held at settlement.
    pub yes_count_fp: FixedPointCount,
    /// Total cost basis of the YES contracts.
    pub yes_total_cost_dollars: FixedPointDollars,
    /// NO contracts held at settlement.
    pub no_count_fp: FixedPointCount,
    /// Total cost basis of the NO contracts.
    pub no_total_cost_dollars: FixedPointDollars,
    /// Revenue from this settlement in cents (each winning contract pays 100 cents).
    pub revenue: i64,
    /// When the market was settled and payouts were processed.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub settled_time: jiff::Timestamp,
    /// Total fees paid.
    pub fee_cost: FixedPointDollars,
    /// Payout of a single YES contract in cents (scalar markets; may be absent or null).
    #[serde(default)]
    pub value: Option<i64>,
}

/// One page of [`GetSettlements`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSettlementsResponse {
    /// The settlements on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub settlements: Vec<Settlement>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetSettlements {
    type Output = GetSettlementsResponse;
    const NAME: &'static str = "GetSettlements";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)?;
        if self
            .event_ticker
            .as_deref()
            .is_some_and(|e| e.contains(','))
        {
            return Err(Error::invalid(
                "event_ticker",
                "only a single event ticker is supported (no comma-separated list)",
            ));
        }
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/settlements");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("ticker", self.ticker.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("subaccount", self.subaccount);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSettlements {
    fn full() -> Self {
        GetSettlements::new()
            .limit(50)
            .cursor("c1")
            .ticker("HIGHNY-24JAN01-T60")
            .event_ticker("HIGHNY-24JAN01")
            .min_ts(1_700_000_000)
            .max_ts(1_800_000_000)
            .subaccount(2)
    }
    fn minimal() -> Self {
        GetSettlements::new()
    }
}
