//! `GET /portfolio/order_groups`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::types::OrderGroup;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::null_as_empty;

/// Lists the order groups of the authenticated user (`GetOrderGroups`).
///
/// ```
/// let all = kalshi_core::order_groups::GetOrderGroups::new();
/// let sub3 = kalshi_core::order_groups::GetOrderGroups::new().subaccount(3);
/// assert_eq!(sub3.subaccount, Some(3));
/// # let _ = all;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetOrderGroups {
    /// Only this subaccount (0 primary, 1–63); omitted lists all subaccounts.
    pub subaccount: Option<u32>,
}

impl GetOrderGroups {
    /// All order groups, in every subaccount.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the groups of one subaccount.
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }
}

/// The answer to [`GetOrderGroups`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetOrderGroupsResponse {
    /// The groups (a missing or `null` list reads as empty).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub order_groups: Vec<OrderGroup>,
}

impl Operation for GetOrderGroups {
    type Output = GetOrderGroupsResponse;
    const NAME: &'static str = "GetOrderGroups";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        crate::validate::subaccount(self.subaccount)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/order_groups");
    }

    fn write_query(&self, query: &mut QueryWriter<'_>) {
        query.opt("subaccount", self.subaccount);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetOrderGroups {
    fn full() -> Self {
        GetOrderGroups::new().subaccount(3)
    }
    fn minimal() -> Self {
        GetOrderGroups::new()
    }
}
