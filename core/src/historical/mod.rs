//! Historical data: markets, candlesticks, trades, fills, orders and positions past the historical cutoff.

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    Vec::new()
}
