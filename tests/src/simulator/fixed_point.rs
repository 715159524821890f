//! Exact fixed-point numbers: contract counts in integer hundredths (Kalshi's "fp" strings),
//! prices in integer ten-thousandths of a dollar, and money in integer micro-dollars.
//!
//! Counts: requests accept 0 to 2 decimal places (`"10"`, `"10.5"`, `"10.50"`); responses always
//! emit two (`"10.50"`). Prices: requests accept up to 4 significant decimals (`"0.56"`,
//! `"0.5600"`, `"0.0001"`); responses emit four. Money: four decimals when exact, else six.
//! A price (1/10,000 $) times a count (1/100 contract) is exactly a number of micro-dollars, so
//! every cost is exact. Nothing here ever touches a float.

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

    /// Saturating subtraction (never below zero).
    pub(crate) fn saturating_sub(self, other: Count) -> Count {
        Count(self.0.saturating_sub(other.0))
    }

    /// True for zero contracts.
    pub(crate) const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// True for a whole number of contracts.
    pub(crate) const fn is_whole(self) -> bool {
        self.0.is_multiple_of(100)
    }

    /// The count as a signed number of hundredths (saturating).
    pub(crate) fn signed(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
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

/// Formats a signed count of hundredths with two decimals (`"-3.50"`).
pub(crate) fn signed_count_fp(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Ten-thousandths of a dollar per dollar.
pub(crate) const PRICE_SCALE: u32 = 10_000;

/// A price in ten-thousandths of a dollar (`5600` is $0.5600), strictly between $0 and $1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Price(u32);

impl Price {
    /// A price of `ten_thousandths` ten-thousandths of a dollar, if strictly between 0 and 1.
    pub(crate) fn new(ten_thousandths: u32) -> Option<Price> {
        (1..PRICE_SCALE)
            .contains(&ten_thousandths)
            .then_some(Price(ten_thousandths))
    }

    /// The price in ten-thousandths of a dollar.
    pub(crate) const fn get(self) -> u32 {
        self.0
    }

    /// The other leg's price: `1 - p`.
    pub(crate) fn complement(self) -> Price {
        Price(PRICE_SCALE - self.0)
    }

    /// Parses a request dollar string: digits, optionally `.` and 1 to 6 decimals of which only
    /// the first 4 may be non-zero. The value must be strictly between 0 and 1.
    pub(crate) fn parse_dollars(s: &str) -> Result<Price, String> {
        let shown: String = s.chars().take(40).collect();
        let bad = || {
            format!(
                "`{shown}` is not a fixed-point dollar price (e.g. \"0.56\" or \"0.5600\", at most 4 significant decimals)"
            )
        };
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        if whole.is_empty() || whole.len() > 20 || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let frac = frac.unwrap_or("");
        if (s.contains('.') && frac.is_empty())
            || frac.len() > 6
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.bytes().skip(4).any(|b| b != b'0')
        {
            return Err(bad());
        }
        let out_of_range = || format!("price `{shown}` must be strictly between 0 and 1 dollar");
        if whole.bytes().any(|b| b != b'0') {
            return Err(out_of_range());
        }
        let mut v: u32 = 0;
        for (i, b) in frac.bytes().take(4).enumerate() {
            v += u32::from(b - b'0') * 10u32.pow(3 - i as u32);
        }
        Price::new(v).ok_or_else(out_of_range)
    }

    /// The response form: four decimals (`"0.5600"`).
    pub(crate) fn to_dollars(self) -> String {
        format!("0.{:04}", self.0)
    }

    /// The exact cost in micro-dollars of `count` contracts at this price.
    pub(crate) fn cost(self, count: Count) -> i64 {
        i64::from(self.0).saturating_mul(count.signed())
    }
}

/// Formats micro-dollars as a fixed-point dollar string: four decimals when that is exact
/// (`"0.5600"`, `"-3.2500"`), else six (`"0.005601"`).
pub(crate) fn dollars(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let (whole, frac) = (abs / 1_000_000, abs % 1_000_000);
    if frac % 100 == 0 {
        format!("{sign}{whole}.{:04}", frac / 100)
    } else {
        format!("{sign}{whole}.{frac:06}")
    }
}

/// Micro-dollars as whole cents, rounded down (toward negative infinity).
pub(crate) fn cents(micros: i64) -> i64 {
    micros.div_euclid(10_000)
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
    fn prices() {
        let p = |s: &str| Price::parse_dollars(s);
        assert_eq!(p("0.56").unwrap().get(), 5600);
        assert_eq!(p("0.5600").unwrap().get(), 5600);
        assert_eq!(p("0.5").unwrap().get(), 5000);
        assert_eq!(p("0.0001").unwrap().get(), 1);
        assert_eq!(p("0.9999").unwrap().get(), 9999);
        assert_eq!(p("0.123400").unwrap().get(), 1234);
        assert_eq!(p("00.10").unwrap().get(), 1000);
        for bad in [
            "",
            "0",
            "1",
            "1.00",
            "0.0000",
            "0.00001",
            "0.12345",
            "-0.5",
            "0.",
            ".5",
            "0.5.1",
            "1e-2",
            " 0.5",
            "0.5 ",
            "0,5",
            "2.5",
            "0.1234567",
            "٠.5",
        ] {
            assert!(p(bad).is_err(), "{bad:?}");
        }
        assert!(p(&"0".repeat(500)).is_err());
        assert!(p("99999999999999999999.5").is_err());
        let q = p("0.56").unwrap();
        assert_eq!(q.to_dollars(), "0.5600");
        assert_eq!(q.complement().to_dollars(), "0.4400");
        assert_eq!(q.cost(Count::from_hundredths(1000)), 5_600_000);
        assert_eq!(Price::new(0), None);
        assert_eq!(Price::new(10_000), None);
    }

    #[test]
    fn money() {
        assert_eq!(dollars(5_600_000), "5.6000");
        assert_eq!(dollars(560_000), "0.5600");
        assert_eq!(dollars(5_601), "0.005601");
        assert_eq!(dollars(-3_250_000), "-3.2500");
        assert_eq!(dollars(0), "0.0000");
        assert_eq!(dollars(i64::MIN), "-9223372036854.775808");
        assert_eq!(cents(1_000_000), 100);
        assert_eq!(cents(5_601), 0);
        assert_eq!(cents(-1), -1);
        assert_eq!(signed_count_fp(-350), "-3.50");
        assert_eq!(signed_count_fp(7), "0.07");
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
