//! `GET /portfolio/summary/total_resting_order_value`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::IndexedBalance;
use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;

/// The total value of the member's resting orders (`GetPortfolioRestingOrderTotalValue`).
///
/// Meant for FCM members; the exchange documents that other members rarely need it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetPortfolioRestingOrderTotalValue {}

impl GetPortfolioRestingOrderTotalValue {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`GetPortfolioRestingOrderTotalValue`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetPortfolioRestingOrderTotalValueResponse {
    /// Total value of resting orders in cents (legacy integer).
    pub total_resting_order_value: i64,
    /// The same total per exchange shard, in dollars.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub resting_order_value_breakdown: Vec<IndexedBalance>,
}

impl Operation for GetPortfolioRestingOrderTotalValue {
    type Output = GetPortfolioRestingOrderTotalValueResponse;
    const NAME: &'static str = "GetPortfolioRestingOrderTotalValue";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/summary/total_resting_order_value");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetPortfolioRestingOrderTotalValue {
    fn full() -> Self {
        GetPortfolioRestingOrderTotalValue::new()
    }
    fn minimal() -> Self {
        GetPortfolioRestingOrderTotalValue::new()
    }
}
