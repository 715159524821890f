//! Milestones: the real-world occurrences (a game, a race, a tournament) that events are tied
//! to, and whose live data [`crate::live_data`] serves.
//!
//! | operation | request |
//! |---|---|
//! | [`GetMilestones`] | `GET /milestones` |
//! | [`GetMilestone`] | `GET /milestones/{milestone_id}` |
//!
//! A milestone is the same record [`crate::events::GetEvents`] lists with `with_milestones`
//! ([`Milestone`]).

mod get;
mod list;

pub use crate::events::Milestone;
pub use get::{GetMilestone, GetMilestoneResponse};
pub use list::{GetMilestones, GetMilestonesResponse, MAX_MILESTONES_LIMIT};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![GetMilestones, GetMilestone]
}
