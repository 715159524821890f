//! `GET /portfolio/fills`

use http::{Method, StatusCode};
use serde::Deserialize;

use crate::enums::{Action, BookSide, OutcomeSide};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::pagination::Paginated;
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, FixedPointCount, FixedPointDollars, validate};

/// Fills, a page at a time (`GetFills`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetFills {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only this order's fills.
    pub order_id: Option<String>,
    /// Only fills after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only fills before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Page size, 1..=1000.
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this subaccount; omitted means all.
    pub subaccount: Option<u32>,
    /// Only this exchange shard.
    pub exchange_index: Option<u32>,
}

impl GetFills {
    /// Every fill, first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this market.
    pub fn ticker(mut self, ticker: impl Into<String>) -> Self {
        self.ticker = Some(ticker.into());
        self
    }

    /// Page size, 1..=1000 (default 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only this order.
    pub fn order_id(mut self, order_id: impl Into<String>) -> Self {
        self.order_id = Some(order_id.into());
        self
    }

    /// Only this subaccount.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }
}

/// One fill.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Fill {
    /// The fill id.
    pub fill_id: String,
    /// The shard.
    #[serde(default)]
    pub exchange_index: i32,
    /// Same as `fill_id` (legacy name).
    #[serde(default)]
    pub trade_id: Option<String>,
    /// The order that filled.
    pub order_id: String,
    /// The market.
    pub ticker: String,
    /// The outcome the fill positioned the user for.
    #[serde(default)]
    pub outcome_side: Option<OutcomeSide>,
    /// The book side.
    #[serde(default)]
    pub book_side: Option<BookSide>,
    /// Deprecated.
    #[serde(default)]
    pub side: Option<OutcomeSide>,
    /// Deprecated.
    #[serde(default)]
    pub action: Option<Action>,
    /// Contracts filled.
    pub count_fp: FixedPointCount,
    /// YES price.
    #[serde(default)]
    pub yes_price_dollars: Option<FixedPointDollars>,
    /// NO price.
    #[serde(default)]
    pub no_price_dollars: Option<FixedPointDollars>,
    /// Whether the user took liquidity.
    #[serde(default)]
    pub is_taker: bool,
    /// When the fill happened (RFC 3339).
    #[serde(default)]
    pub created_time: Option<String>,
    /// Fee.
    #[serde(default)]
    pub fee_cost: Option<FixedPointDollars>,
    /// The subaccount.
    #[serde(default)]
    pub subaccount_number: Option<u32>,
    /// Unix time of the fill (legacy).
    #[serde(default)]
    pub ts: Option<i64>,
}

/// One page of [`GetFills`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GetFillsResponse {
    /// The fills.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub fills: Vec<Fill>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetFills {
    type Output = GetFillsResponse;
    const NAME: &'static str = "GetFills";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)?;
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/fills");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("order_id", self.order_id.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index);
    }
}

impl Paginated for GetFills {
    type Item = Fill;

    fn next_cursor(output: &Self::Output) -> Option<&str> {
        output.cursor.as_deref()
    }

    fn set_cursor(&mut self, cursor: String) {
        self.cursor = Some(cursor);
    }

    fn into_items(output: Self::Output) -> Vec<Fill> {
        output.fills
    }
}
