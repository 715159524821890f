//! `GET /milestones/{milestone_id}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::Milestone;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, validate_id};

/// One milestone by id (`GetMilestone`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMilestone {
    /// The milestone id (percent-encoded into the path).
    pub milestone_id: String,
}

impl GetMilestone {
    /// The milestone with this id.
    pub fn new(milestone_id: impl Into<String>) -> Self {
        GetMilestone {
            milestone_id: milestone_id.into(),
        }
    }
}

/// The answer to [`GetMilestone`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMilestoneResponse {
    /// The milestone.
    pub milestone: Milestone,
}

impl Operation for GetMilestone {
    type Output = GetMilestoneResponse;
    const NAME: &'static str = "GetMilestone";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("milestone_id", &self.milestone_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/milestones/").segment(&self.milestone_id);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMilestone {
    fn full() -> Self {
        GetMilestone::new("a1b2c3d4-0000-4000-8000-000000000001")
    }
    fn minimal() -> Self {
        GetMilestone::new("a1b2c3d4-0000-4000-8000-000000000001")
    }
}
