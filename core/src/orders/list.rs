//! `GET /portfolio/orders`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::Order;
use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
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
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetOrders {
    /// Only this market.
    ticker: String,
    /// Only these events (comma-separated, at most 10).
    event_ticker: String,
    /// Only orders after this Unix time (seconds).
    min_ts: i64,
    /// Only orders before this Unix time (seconds).
    max_ts: i64,
    /// Only this status (`resting`, `canceled`, `executed`).
    status: String,
    /// Only this subaccount.
    subaccount: u32,
    /// Only this exchange shard (a shard number; auto-route is refused before signing).
    exchange_index: ExchangeIndex,
}}

crate::pagination::cursor_list!(GetOrders => GetOrdersResponse.orders: Order);

/// One page of [`GetOrders`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
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

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetOrders {
    fn full() -> Self {
        GetOrders::new()
            .ticker("HIGHNY-24JAN01-T60")
            .event_ticker("HIGHNY-24JAN01")
            .min_ts(1_700_000_000)
            .max_ts(1_800_000_000)
            .status("resting")
            .limit(50)
            .cursor("abc")
            .subaccount(2)
            .exchange_index(0)
    }
    fn minimal() -> Self {
        GetOrders::new()
    }
}
