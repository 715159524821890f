//! `POST` and `DELETE /portfolio/events/orders/batched` (Batch Create / Cancel Orders, V2)

use std::collections::HashSet;

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::CreateOrder;
use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, validate_id};
use crate::response::ErrorResponse;
use crate::serde_util::null_as_empty;
use crate::{Error, FixedPointCount, FixedPointDollars, validate};

/// Places several orders in one request (`BatchCreateOrdersV2`). Each order carries its own
/// client order id, so a repeat of the batch cannot double any of them: duplicates come back as
/// per-order errors. Every order costs write tokens as if sent alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BatchCreateOrders {
    /// The orders.
    pub orders: Vec<CreateOrder>,
}

impl BatchCreateOrders {
    /// A batch of these orders.
    pub fn new(orders: Vec<CreateOrder>) -> Self {
        BatchCreateOrders { orders }
    }
}

/// One entry of [`BatchCreateOrdersResponse`]: a placed order, or its error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BatchCreateOrderResult {
    /// The exchange's order id (absent when the order errored).
    #[serde(default)]
    pub order_id: Option<String>,
    /// The client order id.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Contracts filled on placement.
    #[serde(default)]
    pub fill_count: Option<FixedPointCount>,
    /// Contracts left resting.
    #[serde(default)]
    pub remaining_count: Option<FixedPointCount>,
    /// Average fill price, when something filled.
    #[serde(default)]
    pub average_fill_price: Option<FixedPointDollars>,
    /// Average fee per contract, when something filled.
    #[serde(default)]
    pub average_fee_paid: Option<FixedPointDollars>,
    /// Matching-engine time, Unix milliseconds (absent on error).
    #[serde(default)]
    pub ts_ms: Option<i64>,
    /// Why this order was refused.
    #[serde(default)]
    pub error: Option<ErrorResponse>,
}

/// The answer to [`BatchCreateOrders`], one entry per order, in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BatchCreateOrdersResponse {
    /// The per-order results.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub orders: Vec<BatchCreateOrderResult>,
}

impl Operation for BatchCreateOrders {
    type Output = BatchCreateOrdersResponse;
    const NAME: &'static str = "BatchCreateOrdersV2";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::IdempotentWithKey;

    fn cost(&self) -> u64 {
        10 * self.orders.len() as u64
    }

    fn cost_items(&self) -> u64 {
        self.orders.len() as u64
    }

    fn validate(&self) -> Result<(), Error> {
        if self.orders.is_empty() {
            return Err(Error::invalid("orders", "the batch is empty"));
        }
        let mut seen = HashSet::new();
        for o in &self.orders {
            o.check()?;
            if !seen.insert(o.client_order_id.as_str()) {
                return Err(Error::invalid(
                    "client_order_id",
                    format!("`{}` appears twice in the batch", o.client_order_id),
                ));
            }
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/events/orders/batched");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// One order to cancel in a [`BatchCancelOrders`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BatchCancelOrder {
    /// The order id.
    pub order_id: String,
    /// The subaccount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
    /// Exchange shard; -1 auto-routes by `market_ticker`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<ExchangeIndex>,
    /// Market ticker, for auto-routing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_ticker: Option<String>,
}

impl BatchCancelOrder {
    /// Cancels order `order_id`.
    pub fn new(order_id: impl Into<String>) -> Self {
        BatchCancelOrder {
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
}

/// Cancels several orders in one request (`BatchCancelOrdersV2`). Safe to repeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BatchCancelOrders {
    /// The orders to cancel.
    pub orders: Vec<BatchCancelOrder>,
}

impl BatchCancelOrders {
    /// Cancels these orders.
    pub fn new(orders: Vec<BatchCancelOrder>) -> Self {
        BatchCancelOrders { orders }
    }
}

/// One entry of [`BatchCancelOrdersResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BatchCancelOrderResult {
    /// The order id.
    pub order_id: String,
    /// The client order id.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Contracts canceled (zero if the cancel errored).
    #[serde(default)]
    pub reduced_by: FixedPointCount,
    /// Matching-engine time (absent on error).
    #[serde(default)]
    pub ts_ms: Option<i64>,
    /// Why this cancel failed.
    #[serde(default)]
    pub error: Option<ErrorResponse>,
}

/// The answer to [`BatchCancelOrders`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BatchCancelOrdersResponse {
    /// The per-order results.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub orders: Vec<BatchCancelOrderResult>,
}

impl Operation for BatchCancelOrders {
    type Output = BatchCancelOrdersResponse;
    const NAME: &'static str = "BatchCancelOrdersV2";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn cost(&self) -> u64 {
        2 * self.orders.len() as u64
    }

    fn cost_items(&self) -> u64 {
        self.orders.len() as u64
    }

    fn validate(&self) -> Result<(), Error> {
        if self.orders.is_empty() {
            return Err(Error::invalid("orders", "the batch is empty"));
        }
        for o in &self.orders {
            validate_id("order_id", &o.order_id)?;
            validate::subaccount(o.subaccount)?;
            validate::exchange_index(o.exchange_index)?;
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/events/orders/batched");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for BatchCreateOrders {
    fn full() -> Self {
        BatchCreateOrders::new(vec![
            <CreateOrder as crate::spec_drift::SpecExample>::full(),
            <CreateOrder as crate::spec_drift::SpecExample>::minimal(),
        ])
    }
    fn minimal() -> Self {
        BatchCreateOrders::new(vec![
            <CreateOrder as crate::spec_drift::SpecExample>::minimal(),
        ])
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for BatchCancelOrders {
    fn full() -> Self {
        let mut routed = BatchCancelOrder::new("ord-1").subaccount(2);
        routed.exchange_index = Some(ExchangeIndex::AUTO_ROUTE);
        routed.market_ticker = Some("HIGHNY-24JAN01-T60".into());
        BatchCancelOrders::new(vec![routed, BatchCancelOrder::new("ord-2")])
    }
    fn minimal() -> Self {
        BatchCancelOrders::new(vec![BatchCancelOrder::new("ord-1")])
    }
}
