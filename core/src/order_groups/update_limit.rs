//! `PUT /portfolio/order_groups/{order_group_id}/limit`

use http::{Method, StatusCode};
use serde::Serialize;

use super::validate;
use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::response::EmptyResponse;
use crate::{Error, FixedPointCount};

/// Changes a group's contracts limit (`UpdateOrderGroupLimit`). A limit below the group's
/// current rolling volume triggers the group at once.
///
/// ```
/// let op = kalshi_core::order_groups::UpdateOrderGroupLimit::new("og-1", 50);
/// assert_eq!(op.contracts_limit, Some(50));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UpdateOrderGroupLimit {
    /// The order group id (percent-encoded into the path).
    #[serde(skip)]
    pub order_group_id: String,
    /// The subaccount that owns the group (query parameter; the exchange defaults to 0).
    #[serde(skip)]
    pub subaccount: Option<u32>,
    /// The exchange shard (query parameter; the exchange defaults to 0).
    #[serde(skip)]
    pub exchange_index: Option<ExchangeIndex>,
    /// The new limit in whole contracts, 1..=1,000,000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contracts_limit: Option<u64>,
    /// The new limit as a fixed-point count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contracts_limit_fp: Option<FixedPointCount>,
}

impl UpdateOrderGroupLimit {
    /// Sets the limit of group `order_group_id` to `contracts_limit` whole contracts.
    pub fn new(order_group_id: impl Into<String>, contracts_limit: u64) -> Self {
        UpdateOrderGroupLimit {
            order_group_id: order_group_id.into(),
            subaccount: None,
            exchange_index: None,
            contracts_limit: Some(contracts_limit),
            contracts_limit_fp: None,
        }
    }

    /// Sets the limit given only as a fixed-point count.
    pub fn with_limit_fp(order_group_id: impl Into<String>, limit: FixedPointCount) -> Self {
        UpdateOrderGroupLimit {
            contracts_limit: None,
            contracts_limit_fp: Some(limit),
            ..Self::new(order_group_id, 0)
        }
    }

    /// Sets `contracts_limit_fp` as well (it must equal `contracts_limit` if both are set).
    pub fn contracts_limit_fp(mut self, limit: FixedPointCount) -> Self {
        self.contracts_limit_fp = Some(limit);
        self
    }

    /// Sets the owning subaccount (0 primary, 1–63).
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }

    /// Sets the exchange shard.
    pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
        self.exchange_index = Some(exchange_index.into());
        self
    }
}

impl Operation for UpdateOrderGroupLimit {
    type Output = EmptyResponse;
    const NAME: &'static str = "UpdateOrderGroupLimit";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_group_id", &self.order_group_id)?;
        validate::contracts_limit(self.contracts_limit, self.contracts_limit_fp)?;
        crate::validate::subaccount(self.subaccount)?;
        crate::validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/order_groups/")
            .segment(&self.order_group_id)
            .literal("/limit");
    }

    fn write_query(&self, query: &mut QueryWriter<'_>) {
        query
            .opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index);
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for UpdateOrderGroupLimit {
    fn full() -> Self {
        UpdateOrderGroupLimit::new("og-1", 50)
            .contracts_limit_fp(FixedPointCount::from_whole(50))
            .subaccount(2)
            .exchange_index(0)
    }
    fn minimal() -> Self {
        UpdateOrderGroupLimit::new("og-1", 50)
    }
}
