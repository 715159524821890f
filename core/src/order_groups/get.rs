//! `GET /portfolio/order_groups/{order_group_id}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;
use crate::{Error, FixedPointCount};

/// Gets one order group with its order ids (`GetOrderGroup`).
///
/// ```
/// let op = kalshi_core::order_groups::GetOrderGroup::new("og-123");
/// assert_eq!(op.order_group_id, "og-123");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetOrderGroup {
    /// The order group id (percent-encoded into the path).
    pub order_group_id: String,
    /// The subaccount to look in (0 primary, 1–63); omitted searches all.
    pub subaccount: Option<u32>,
}

impl GetOrderGroup {
    /// The group with this id.
    pub fn new(order_group_id: impl Into<String>) -> Self {
        GetOrderGroup {
            order_group_id: order_group_id.into(),
            subaccount: None,
        }
    }

    /// Looks in one subaccount only.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }
}

/// The answer to [`GetOrderGroup`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetOrderGroupResponse {
    /// Whether auto-cancel is enabled for this group.
    pub is_auto_cancel_enabled: bool,
    /// The current limit over a rolling 15-second window.
    #[serde(default)]
    pub contracts_limit_fp: Option<FixedPointCount>,
    /// Ids of the orders in the group.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub orders: Vec<String>,
    /// The exchange shard.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}

impl Operation for GetOrderGroup {
    type Output = GetOrderGroupResponse;
    const NAME: &'static str = "GetOrderGroup";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("order_group_id", &self.order_group_id)?;
        crate::validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/order_groups/")
            .segment(&self.order_group_id);
    }

    fn write_query(&self, query: &mut QueryWriter<'_>) {
        query.opt("subaccount", self.subaccount);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetOrderGroup {
    fn full() -> Self {
        GetOrderGroup::new("og-1").subaccount(2)
    }
    fn minimal() -> Self {
        GetOrderGroup::new("og-1")
    }
}
