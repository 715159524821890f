//! The account: API usage level, limits and endpoint costs.

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    Vec::new()
}
