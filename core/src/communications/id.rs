//! `GET /communications/id`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};

/// The caller's public communications id (`GetCommunicationsID`): the pseudonymous id other
/// members see as an RFQ's `creator_id` or a quote's `creator_id` / `rfq_creator_id`, and on
/// FIX quote notifications. Compare it with those fields to tell your own RFQs and quotes apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetCommunicationsID {}

impl GetCommunicationsID {
    /// The request (it takes no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`GetCommunicationsID`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetCommunicationsIDResponse {
    /// The caller's public communications id.
    pub communications_id: String,
}

impl Operation for GetCommunicationsID {
    type Output = GetCommunicationsIDResponse;
    const NAME: &'static str = "GetCommunicationsID";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/communications/id");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetCommunicationsID {
    fn full() -> Self {
        GetCommunicationsID::new()
    }
    fn minimal() -> Self {
        GetCommunicationsID::new()
    }
}
