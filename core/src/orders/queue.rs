//! Queue positions: `GET /portfolio/orders/{order_id}/queue_position` and
//! `GET /portfolio/orders/queue_positions`.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;
use crate::{Error, FixedPointCount, validate};

/// The contracts ahead of one resting order (`GetOrderQueuePosition`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetOrderQueuePosition {
    /// The order id.
    pub order_id: String,
}

impl GetOrderQueuePosition {
    /// The queue position of order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        GetOrderQueuePosition {
            order_id: order_id.into(),
        }
    }
}

/// The answer to [`GetOrderQueuePosition`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetOrderQueuePositionResponse {
    /// Contracts ahead of the order.
    pub queue_position_fp: FixedPointCount,
}

impl Operation for GetOrderQueuePosition {
    type Output = GetOrderQueuePositionResponse;
    const NAME: &'static str = "GetOrderQueuePosition";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_id", &self.order_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/orders/")
            .segment(&self.order_id)
            .literal("/queue_position");
    }
}

/// Queue positions of every resting order matching the filters (`GetOrderQueuePositions`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetOrderQueuePositions {
    /// Only these markets (comma-separated).
    pub market_tickers: Option<String>,
    /// Only this event.
    pub event_ticker: Option<String>,
    /// The subaccount (default 0).
    pub subaccount: Option<u32>,
}

impl GetOrderQueuePositions {
    /// Queue positions of the orders on these markets.
    pub fn for_markets<I, S>(tickers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined: Vec<String> = tickers.into_iter().map(|s| s.as_ref().to_owned()).collect();
        GetOrderQueuePositions {
            market_tickers: Some(joined.join(",")),
            ..Default::default()
        }
    }
}

/// One entry of [`GetOrderQueuePositionsResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrderQueuePosition {
    /// The order id.
    pub order_id: String,
    /// The market.
    pub market_ticker: String,
    /// Contracts ahead of the order.
    pub queue_position_fp: FixedPointCount,
}

/// The answer to [`GetOrderQueuePositions`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetOrderQueuePositionsResponse {
    /// The positions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub queue_positions: Vec<OrderQueuePosition>,
}

impl Operation for GetOrderQueuePositions {
    type Output = GetOrderQueuePositionsResponse;
    const NAME: &'static str = "GetOrderQueuePositions";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        if self.market_tickers.is_none() && self.event_ticker.is_none() {
            return Err(Error::invalid(
                "market_tickers",
                "give market_tickers or event_ticker",
            ));
        }
        validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/orders/queue_positions");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("market_tickers", self.market_tickers.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("subaccount", self.subaccount);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetOrderQueuePosition {
    fn full() -> Self {
        GetOrderQueuePosition::new("ord-1")
    }
    fn minimal() -> Self {
        GetOrderQueuePosition::new("ord-1")
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetOrderQueuePositions {
    fn full() -> Self {
        let mut op =
            GetOrderQueuePositions::for_markets(["HIGHNY-24JAN01-T60", "HIGHNY-24JAN01-T65"]);
        op.event_ticker = Some("HIGHNY-24JAN01".into());
        op.subaccount = Some(2);
        op
    }
    /// Neither filter is required on its own, but one of them is (refused before signing).
    fn minimal() -> Self {
        GetOrderQueuePositions::for_markets(["HIGHNY-24JAN01-T60"])
    }
}
