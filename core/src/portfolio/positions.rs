//! `GET /portfolio/positions`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, FixedPointCount, FixedPointDollars, validate};

/// Market and event positions, a page at a time (`GetPositions`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetPositions {
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Page size, 1..=1000.
    pub limit: Option<u32>,
    /// Only positions with non-zero values in these fields (comma-separated).
    pub count_filter: Option<String>,
    /// Only this market.
    pub ticker: Option<String>,
    /// Only this event.
    pub event_ticker: Option<String>,
    /// The subaccount (default 0).
    pub subaccount: Option<u32>,
    /// Only this exchange shard.
    pub exchange_index: Option<ExchangeIndex>,
}

impl GetPositions {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetPositions {
    /// Only positions with non-zero values in these fields (comma-separated).
    count_filter: String,
    /// Only this market.
    ticker: String,
    /// Only this event.
    event_ticker: String,
    /// A subaccount's positions.
    subaccount: u32,
    /// Only this exchange shard (a shard number; auto-route is refused before signing).
    exchange_index: ExchangeIndex,
}}

crate::pagination::cursor_list!(GetPositions => GetPositionsResponse.market_positions: MarketPosition);

/// A position in one market.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketPosition {
    /// The market.
    pub ticker: String,
    /// The shard.
    #[serde(default)]
    pub exchange_index: ExchangeIndex,
    /// Total traded, in dollars.
    #[serde(default)]
    pub total_traded_dollars: Option<FixedPointDollars>,
    /// Contracts held: positive YES, negative NO.
    pub position_fp: FixedPointCount,
    /// Cost of the position.
    #[serde(default)]
    pub market_exposure_dollars: Option<FixedPointDollars>,
    /// Realized profit and loss.
    #[serde(default)]
    pub realized_pnl_dollars: Option<FixedPointDollars>,
    /// Fees paid.
    #[serde(default)]
    pub fees_paid_dollars: Option<FixedPointDollars>,
    /// When the position last changed.
    #[serde(default, deserialize_with = "crate::serde_util::opt_time")]
    pub last_updated_ts: Option<jiff::Timestamp>,
}

/// A position across one event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventPosition {
    /// The event.
    pub event_ticker: String,
    /// Total cost, in dollars.
    #[serde(default)]
    pub total_cost_dollars: Option<FixedPointDollars>,
    /// Contracts traded (YES and NO).
    #[serde(default)]
    pub total_cost_shares_fp: Option<FixedPointCount>,
    /// Cost of the position.
    #[serde(default)]
    pub event_exposure_dollars: Option<FixedPointDollars>,
    /// Realized profit and loss.
    #[serde(default)]
    pub realized_pnl_dollars: Option<FixedPointDollars>,
    /// Fees paid.
    #[serde(default)]
    pub fees_paid_dollars: Option<FixedPointDollars>,
}

/// One page of [`GetPositions`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetPositionsResponse {
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
    /// Positions per market.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub market_positions: Vec<MarketPosition>,
    /// Positions per event.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub event_positions: Vec<EventPosition>,
}

impl Operation for GetPositions {
    type Output = GetPositionsResponse;
    const NAME: &'static str = "GetPositions";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)?;
        validate::subaccount(self.subaccount)?;
        validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/positions");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("cursor", self.cursor.as_deref())
            .opt("limit", self.limit)
            .opt("count_filter", self.count_filter.as_deref())
            .opt("ticker", self.ticker.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetPositions {
    fn full() -> Self {
        GetPositions::new()
            .cursor("abc")
            .limit(50)
            .count_filter("position,total_traded")
            .ticker("HIGHNY-24JAN01-T60")
            .event_ticker("HIGHNY-24JAN01")
            .subaccount(2)
            .exchange_index(0)
    }
    fn minimal() -> Self {
        GetPositions::new()
    }
}
