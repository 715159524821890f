//! `DELETE /portfolio/events/orders/{order_id}` (Cancel Order, V2)

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::{Error, FixedPointCount, validate};

/// Cancels an order's resting contracts (`CancelOrderV2`). Safe to repeat: a second cancel
/// finds nothing left to cancel.
///
/// ```
/// let op = kalshi_core::orders::CancelOrder::new("ord-1").subaccount(2);
/// # let _ = op;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CancelOrder {
    /// The order id (percent-encoded into the path).
    pub order_id: String,
    /// The subaccount (default 0).
    pub subaccount: Option<u32>,
    /// Exchange shard; -1 requires auto-routing by `market_ticker`.
    pub exchange_index: Option<ExchangeIndex>,
    /// Market ticker, for auto-routing.
    pub market_ticker: Option<String>,
}

impl CancelOrder {
    /// Cancels order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        CancelOrder {
            order_id: order_id.into(),
            subaccount: None,
            exchange_index: None,
            market_ticker: None,
        }
    }

    /// Sets the subaccount.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }

    /// Sets the exchange shard.
    pub fn exchange_index(mut self, index: impl Into<ExchangeIndex>) -> Self {
        self.exchange_index = Some(index.into());
        self
    }

    /// Sets the market ticker used for auto-routing.
    pub fn market_ticker(mut self, ticker: impl Into<String>) -> Self {
        self.market_ticker = Some(ticker.into());
        self
    }
}

/// The answer to [`CancelOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CancelOrderResponse {
    /// The order id.
    pub order_id: String,
    /// The client order id.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Contracts canceled (the remaining count at cancel time).
    pub reduced_by: FixedPointCount,
    /// Matching-engine time, Unix milliseconds.
    pub ts_ms: i64,
}

impl Operation for CancelOrder {
    type Output = CancelOrderResponse;
    const NAME: &'static str = "CancelOrderV2";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_id", &self.order_id)?;
        validate::subaccount(self.subaccount)?;
        validate::exchange_index(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/events/orders/")
            .segment(&self.order_id);
    }

    fn write_query(&self, query: &mut QueryWriter<'_>) {
        query
            .opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index)
            .opt("market_ticker", self.market_ticker.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CancelOrder {
    fn full() -> Self {
        CancelOrder::new("ord-1")
            .subaccount(2)
            .exchange_index(-1)
            .market_ticker("HIGHNY-24JAN01-T60")
    }
    fn minimal() -> Self {
        CancelOrder::new("ord-1")
    }
}
