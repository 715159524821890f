//! Contract counts as exact integer hundredths (Kalshi's "fp" fixed-point strings).
//!
//! Requests accept 0 to 2 decimal places (`"10"`, `"10.5"`, `"10.50"`); responses always emit
//! two (`"10.50"`). Nothing here ever touches a float.

use std::fmt;

/// A non-negative contract count in hundredths of a contract (`1050` is 10.50 contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Count(u64);

impl Count {
    /// Zero contracts.
    pub(crate) const ZERO: Count = Count(0);

    /// A count of `hundredths` hundredths of a contract.
    pub(crate) const fn from_hundredths(hundredths: u64) -> Count {
        Count(hundredths)
    }

    /// A count of whole contracts, or `None` on overflow.
    pub(crate) fn from_whole(contracts: u64) -> Option<Count> {
        contracts.checked_mul(100).map(Count)
    }

    /// The count in hundredths of a contract.
    pub(crate) const fn hundredths(self) -> u64 {
        self.0
    }

    /// Saturating addition.
    pub(crate) fn saturating_add(self, other: Count) -> Count {
        Count(self.0.saturating_add(other.0))
    }

    /// Parses a request fixed-point string: ASCII digits, optionally followed by `.` and one or
    /// two more digits. No sign, no exponent, no whitespace, no empty parts.
    pub(crate) fn parse_fp(s: &str) -> Result<Count, String> {
        let shown: String = s.chars().take(40).collect();
        let bad = || {
            format!(
                "`{shown}` is not a fixed-point contract count (digits with at most 2 decimals, e.g. \"10\" or \"10.50\")"
            )
        };
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s, ""),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if s.contains('.') && (frac.is_empty() || frac.len() > 2) {
            return Err(bad());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let too_big = || format!("`{shown}` is too large");
        let mut hundredths: u64 = 0;
        for b in whole.bytes() {
            hundredths = hundredths
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
                .ok_or_else(too_big)?;
        }
        hundredths = hundredths.checked_mul(100).ok_or_else(too_big)?;
        let mut frac_value = 0u64;
        for (i, b) in frac.bytes().enumerate() {
            let scale = if i == 0 { 10 } else { 1 };
            frac_value += u64::from(b - b'0') * scale;
        }
        hundredths = hundredths.checked_add(frac_value).ok_or_else(too_big)?;
        Ok(Count(hundredths))
    }

    /// The response form: always two decimals (`"10.00"`).
    pub(crate) fn to_fp(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_zero_one_and_two_decimals() {
        assert_eq!(Count::parse_fp("10"), Ok(Count(1000)));
        assert_eq!(Count::parse_fp("10.5"), Ok(Count(1050)));
        assert_eq!(Count::parse_fp("10.05"), Ok(Count(1005)));
        assert_eq!(Count::parse_fp("10.50"), Ok(Count(1050)));
        assert_eq!(Count::parse_fp("0.01"), Ok(Count(1)));
        assert_eq!(Count::parse_fp("007"), Ok(Count(700)));
        assert_eq!(Count::parse_fp("1000000.00"), Ok(Count(100_000_000)));
    }

    #[test]
    fn refuses_malformed() {
        for s in [
            "", ".", "10.", ".5", "10.123", "-1", "+1", " 1", "1 ", "1e3", "1,5", "1.2.3", "abc",
            "1.-5", "٣", "1.x", "NaN", "inf",
        ] {
            assert!(Count::parse_fp(s).is_err(), "{s:?} should be refused");
        }
    }

    #[test]
    fn refuses_overflow_without_panicking() {
        // u64::MAX is 18446744073709551615 hundredths.
        assert_eq!(
            Count::parse_fp("184467440737095516.15"),
            Ok(Count(u64::MAX))
        );
        assert_eq!(
            Count::parse_fp("184467440737095516.16").unwrap_err(),
            "`184467440737095516.16` is too large"
        );
        assert!(Count::parse_fp("184467440737095517").is_err());
        assert!(Count::parse_fp(&"9".repeat(500)).is_err());
    }

    #[test]
    fn formats_two_decimals() {
        assert_eq!(Count(1000).to_fp(), "10.00");
        assert_eq!(Count(1005).to_fp(), "10.05");
        assert_eq!(Count(1).to_fp(), "0.01");
        assert_eq!(Count::ZERO.to_fp(), "0.00");
        assert_eq!(Count::from_whole(7), Some(Count(700)));
        assert_eq!(Count::from_whole(u64::MAX), None);
        assert_eq!(Count(5).saturating_add(Count(u64::MAX)), Count(u64::MAX));
    }
}
