//! `GET /portfolio/orders/{order_id}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::Order;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, validate_id};

/// Gets one order (`GetOrder`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetOrder {
    /// The order id (percent-encoded into the path).
    pub order_id: String,
}

impl GetOrder {
    /// The order with this id.
    pub fn new(order_id: impl Into<String>) -> Self {
        GetOrder {
            order_id: order_id.into(),
        }
    }
}

/// The answer to [`GetOrder`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetOrderResponse {
    /// The order.
    pub order: Order,
}

impl Operation for GetOrder {
    type Output = GetOrderResponse;
    const NAME: &'static str = "GetOrder";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_id", &self.order_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/orders/").segment(&self.order_id);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetOrder {
    fn full() -> Self {
        GetOrder::new("ord-1")
    }
    fn minimal() -> Self {
        GetOrder::new("ord-1")
    }
}
