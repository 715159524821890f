//! Events: events, their metadata, candlesticks, forecast history and fee changes.

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    Vec::new()
}
