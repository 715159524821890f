//! `GET /historical/fills`, `GET /historical/orders` and `GET /historical/positions`: the
//! member's archived fills, orders and settled positions, in the same records as the live
//! reads ([`Fill`], [`Order`], [`MarketPosition`]).

use http::{Method, StatusCode};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::orders::{GetOrdersResponse, Order};
use crate::portfolio::{Fill, GetFillsResponse, GetPositionsResponse, MarketPosition};
use crate::{Error, validate};

/// The member's fills from before the historical cutoff (`trades_created_ts`), a page at a
/// time (`GetFillsHistorical`). See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetFillsHistorical {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only fills before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetFillsHistorical {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetFillsHistorical {
    /// Only this market.
    ticker: String,
    /// Only fills before this Unix time (seconds).
    max_ts: i64,
}}

crate::pagination::cursor_list!(GetFillsHistorical => GetFillsResponse.fills: Fill);

impl Operation for GetFillsHistorical {
    type Output = GetFillsResponse;
    const NAME: &'static str = "GetFillsHistorical";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/fills");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("max_ts", self.max_ts)
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

/// The member's orders canceled or fully executed before the historical cutoff
/// (`orders_updated_ts`), a page at a time (`GetHistoricalOrders`). Resting orders are always
/// in [`GetOrders`](crate::orders::GetOrders). See [`crate::pagination::Pages`] for walking
/// every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetHistoricalOrders {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only orders before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetHistoricalOrders {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetHistoricalOrders {
    /// Only this market.
    ticker: String,
    /// Only orders before this Unix time (seconds).
    max_ts: i64,
}}

crate::pagination::cursor_list!(GetHistoricalOrders => GetOrdersResponse.orders: Order);

impl Operation for GetHistoricalOrders {
    type Output = GetOrdersResponse;
    const NAME: &'static str = "GetHistoricalOrders";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/orders");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("max_ts", self.max_ts)
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

/// The member's settled positions archived before the historical cutoff
/// (`market_positions_last_updated_ts`), a page at a time (`GetHistoricalPositions`).
/// Positions move here per whole event; unsettled positions are always in
/// [`GetPositions`](crate::portfolio::GetPositions). See [`crate::pagination::Pages`] for
/// walking every page (of market positions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetHistoricalPositions {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only this event (a single event ticker).
    pub event_ticker: Option<String>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetHistoricalPositions {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetHistoricalPositions {
    /// Only this market.
    ticker: String,
    /// Only this event (a single event ticker).
    event_ticker: String,
}}

crate::pagination::cursor_list!(GetHistoricalPositions => GetPositionsResponse.market_positions: MarketPosition);

impl Operation for GetHistoricalPositions {
    type Output = GetPositionsResponse;
    const NAME: &'static str = "GetHistoricalPositions";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)?;
        crate::market::single_ticker("event_ticker", self.event_ticker.as_deref())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/positions");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFillsHistorical {
    fn full() -> Self {
        GetFillsHistorical::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .max_ts(1_704_153_600)
            .limit(1000)
            .cursor("CgwI0a")
    }
    fn minimal() -> Self {
        GetFillsHistorical::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetHistoricalOrders {
    fn full() -> Self {
        GetHistoricalOrders::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .max_ts(1_704_153_600)
            .limit(1000)
            .cursor("CgwI0a")
    }
    fn minimal() -> Self {
        GetHistoricalOrders::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetHistoricalPositions {
    fn full() -> Self {
        GetHistoricalPositions::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .event_ticker("KXHIGHNY-24JAN01")
            .limit(1000)
            .cursor("CgwI0a")
    }
    fn minimal() -> Self {
        GetHistoricalPositions::new()
    }
}
