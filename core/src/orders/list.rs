//! `GET /portfolio/orders`

use http::{Method, StatusCode};
use serde::Deserialize;

use super::Order;
use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::pagination::Paginated;
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, validate};

/// Lists orders with filters, a page at a time (`GetOrders`). See
/// [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetOrders {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only these events (comma-separated, at most 10).
    pub event_ticker: Option<String>,
    /// Only orders after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only orders before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Only this status (`resting`, `canceled`, `executed`).
    pub status: Option<String>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this subaccount; omitted means all.
    pub subaccount: Option<u32>,
    /// Only this exchange shard.
    pub exchange_index: Option<ExchangeIndex>,
}

impl GetOrders {
    /// Every order, first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this market.
    pub fn ticker(mut self, ticker: impl Into<String>) -> Self {
        self.ticker = Some(ticker.into());
        self
    }

    /// Only this status.
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// Page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only this subaccount.
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

/// One page of [`GetOrders`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GetOrdersResponse {
    /// The orders on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub orders: Vec<Order>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetOrders {
    type Output = GetOrdersResponse;
    const NAME: &'static str = "GetOrders";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)?;
        validate::subaccount(self.subaccount)?;
        validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/orders");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("status", self.status.as_deref())
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index);
    }
}

impl Paginated for GetOrders {
    type Item = Order;

    fn next_cursor(output: &Self::Output) -> Option<&str> {
        output.cursor.as_deref()
    }

    fn set_cursor(&mut self, cursor: String) {
        self.cursor = Some(cursor);
    }

    fn into_items(output: Self::Output) -> Vec<Order> {
        output.orders
    }
}
