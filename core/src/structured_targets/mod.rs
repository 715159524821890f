//! Structured targets: the people, teams and other things markets are about (a player, a
//! team, ...), with their source ids and free-form details.
//!
//! | operation | request |
//! |---|---|
//! | [`GetStructuredTargets`] | `GET /structured_targets` |
//! | [`GetStructuredTarget`] | `GET /structured_targets/{structured_target_id}` |

mod targets;

pub use targets::{
    GetStructuredTarget, GetStructuredTargetResponse, GetStructuredTargets,
    GetStructuredTargetsResponse, MAX_IDS, MAX_PAGE_SIZE, StructuredTarget,
};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![GetStructuredTargets, GetStructuredTarget]
}
