//! `GET /fcm/orders` and `GET /fcm/positions`

use http::{Method, StatusCode};

use crate::enums::{OrderStatus, string_enum};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::orders::{GetOrdersResponse, Order};
use crate::portfolio::{GetPositionsResponse, MarketPosition};
use crate::{Error, validate};

/// The orders of one of the FCM's subtraders, a page at a time (`GetFCMOrders`). The answer is
/// the portfolio's order list. See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetFCMOrders {
    /// The subtrader whose orders to list (required).
    pub subtrader_id: String,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this event (one event ticker).
    pub event_ticker: Option<String>,
    /// Only this market.
    pub ticker: Option<String>,
    /// Only orders after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only orders before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Only orders in this status.
    pub status: Option<OrderStatus>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
}

impl GetFCMOrders {
    /// The first page of this subtrader's orders.
    pub fn new(subtrader_id: impl Into<String>) -> Self {
        GetFCMOrders {
            subtrader_id: subtrader_id.into(),
            cursor: None,
            event_ticker: None,
            ticker: None,
            min_ts: None,
            max_ts: None,
            status: None,
            limit: None,
        }
    }
}

crate::operation::opt_setters! { GetFCMOrders {
    /// Only this event (one event ticker).
    event_ticker: String,
    /// Only this market.
    ticker: String,
    /// Only orders after this Unix time (seconds).
    min_ts: i64,
    /// Only orders before this Unix time (seconds).
    max_ts: i64,
    /// Only orders in this status.
    status: OrderStatus,
}}

crate::pagination::cursor_list!(GetFCMOrders => GetOrdersResponse.orders: Order);

impl Operation for GetFCMOrders {
    type Output = GetOrdersResponse;
    const NAME: &'static str = "GetFCMOrders";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("subtrader_id", &self.subtrader_id)?;
        validate::page_limit(self.limit, 1000)?;
        if let Some(OrderStatus::Unknown(s)) = &self.status {
            return Err(Error::invalid(
                "status",
                format!("{s:?} is not one of resting, canceled, executed"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/orders");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("subtrader_id", &self.subtrader_id)
            .opt("cursor", self.cursor.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("ticker", self.ticker.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("status", self.status.as_ref())
            .opt("limit", self.limit);
    }
}

string_enum! {
    /// The `settlement_status` filter of [`GetFCMPositions`] (default `unsettled`).
    SettlementStatusFilter {
        /// Settled and unsettled markets.
        All = "all",
        /// Markets not settled yet.
        Unsettled = "unsettled",
        /// Settled markets.
        Settled = "settled",
    }
}

/// The positions of one of the FCM's subtraders, a page at a time (`GetFCMPositions`). The
/// answer is the portfolio's position list. See [`crate::pagination::Pages`] for walking every
/// page (of market positions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetFCMPositions {
    /// The subtrader whose positions to list (required).
    pub subtrader_id: String,
    /// Only this market.
    pub ticker: Option<String>,
    /// Only this event.
    pub event_ticker: Option<String>,
    /// Only positions with a non-zero value in any of these fields (comma-separated:
    /// `position`, `total_traded`).
    pub count_filter: Option<String>,
    /// Only markets in this settlement state (default `unsettled`).
    pub settlement_status: Option<SettlementStatusFilter>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetFCMPositions {
    /// The first page of this subtrader's positions.
    pub fn new(subtrader_id: impl Into<String>) -> Self {
        GetFCMPositions {
            subtrader_id: subtrader_id.into(),
            ticker: None,
            event_ticker: None,
            count_filter: None,
            settlement_status: None,
            limit: None,
            cursor: None,
        }
    }
}

crate::operation::opt_setters! { GetFCMPositions {
    /// Only this market.
    ticker: String,
    /// Only this event.
    event_ticker: String,
    /// Only positions with a non-zero value in any of these fields (comma-separated).
    count_filter: String,
    /// Only markets in this settlement state.
    settlement_status: SettlementStatusFilter,
}}

crate::pagination::cursor_list!(GetFCMPositions => GetPositionsResponse.market_positions: MarketPosition);

impl Operation for GetFCMPositions {
    type Output = GetPositionsResponse;
    const NAME: &'static str = "GetFCMPositions";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("subtrader_id", &self.subtrader_id)?;
        validate::page_limit(self.limit, 1000)?;
        if let Some(SettlementStatusFilter::Unknown(s)) = &self.settlement_status {
            return Err(Error::invalid(
                "settlement_status",
                format!("{s:?} is not one of all, unsettled, settled"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/positions");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("subtrader_id", &self.subtrader_id)
            .opt("ticker", self.ticker.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("count_filter", self.count_filter.as_deref())
            .opt("settlement_status", self.settlement_status.as_ref())
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFCMOrders {
    fn full() -> Self {
        GetFCMOrders::new("fcm1_alice")
            .cursor("abc")
            .event_ticker("KXHIGHNY-26DEC06")
            .ticker("KXHIGHNY-26DEC06-B45.5")
            .min_ts(1_700_000_000)
            .max_ts(1_800_000_000)
            .status(OrderStatus::Resting)
            .limit(100)
    }
    fn minimal() -> Self {
        GetFCMOrders::new("fcm1_alice")
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFCMPositions {
    fn full() -> Self {
        GetFCMPositions::new("fcm1_alice")
            .ticker("KXHIGHNY-26DEC06-B45.5")
            .event_ticker("KXHIGHNY-26DEC06")
            .count_filter("position")
            .settlement_status(SettlementStatusFilter::All)
            .limit(100)
            .cursor("abc")
    }
    fn minimal() -> Self {
        GetFCMPositions::new("fcm1_alice")
    }
}
