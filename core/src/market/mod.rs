//! Market data: markets, order books, trades, candlesticks and series.

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    Vec::new()
}
