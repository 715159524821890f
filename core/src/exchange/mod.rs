//! The exchange: status, schedule, series fee changes and the user-data timestamp.

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    Vec::new()
}
