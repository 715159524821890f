//! API keys: list, create, generate and delete.

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    Vec::new()
}
