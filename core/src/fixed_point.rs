//! Exact fixed-point contract counts (`*_fp` fields).

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fixed-point contract count, exact to 0.01 contracts (Kalshi's `FixedPointCount`).
///
/// Parsed from strings with 0–2 decimal places (`"10"`, `"10.0"`, `"10.00"`, `"2.50"`, `"-3"`);
/// always written with two decimals (`"10.00"`), as the exchange writes them. Stored as an
/// integer number of hundredths: no floating point anywhere. With the `rust_decimal` feature it
/// converts exactly to and from `rust_decimal::Decimal` (module `kalshi_core::decimal`).
///
/// ```
/// use kalshi_core::FixedPointCount;
/// let c: FixedPointCount = "10.5".parse()?;
/// assert_eq!(c.hundredths(), 1050);
/// assert_eq!(c.to_string(), "10.50");
/// assert_eq!(FixedPointCount::from_whole(7).to_string(), "7.00");
/// assert!("1.234".parse::<FixedPointCount>().is_err());
/// # Ok::<(), kalshi_core::fixed_point::ParseFixedPointError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FixedPointCount(i64);

impl FixedPointCount {
    /// Zero contracts.
    pub const ZERO: FixedPointCount = FixedPointCount(0);

    /// A count from a number of hundredths of a contract.
    pub const fn from_hundredths(hundredths: i64) -> Self {
        FixedPointCount(hundredths)
    }

    /// A whole number of contracts (saturating at the representable range).
    pub const fn from_whole(contracts: i64) -> Self {
        FixedPointCount(contracts.saturating_mul(100))
    }

    /// The count in hundredths of a contract.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// The whole number of contracts, if the count has no fractional part.
    pub const fn as_whole(self) -> Option<i64> {
        if self.0 % 100 == 0 {
            Some(self.0 / 100)
        } else {
            None
        }
    }

    /// True when the count is a whole number of contracts.
    pub const fn is_whole(self) -> bool {
        self.0 % 100 == 0
    }
}

/// Why a string is not a fixed-point count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFixedPointError {
    reason: &'static str,
}

impl fmt::Display for ParseFixedPointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a fixed-point count: {}", self.reason)
    }
}

impl std::error::Error for ParseFixedPointError {}

/// Parses `[-]digits[.d[d]]` into hundredths. Further decimals are accepted only if they are
/// zeros (so `"1.0000"` reads, `"1.234"` does not): a value is never rounded.
pub(crate) fn parse_hundredths(s: &str) -> Result<i64, ParseFixedPointError> {
    let err = |reason| ParseFixedPointError { reason };
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(_) => (false, s),
        None => return Err(err("empty")),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("expected digits before the decimal point"));
    }
    let mut value: i64 = 0;
    for b in int.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(err("too large"))?;
    }
    value = value.checked_mul(100).ok_or(err("too large"))?;
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("expected digits after the decimal point"));
        }
        let (kept, rest) = frac.split_at(frac.len().min(2));
        if rest.bytes().any(|b| b != b'0') {
            return Err(err("finer than 0.01 contracts"));
        }
        let mut cents = 0i64;
        for (i, b) in kept.bytes().enumerate() {
            cents += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        value = value.checked_add(cents).ok_or(err("too large"))?;
    }
    Ok(if neg { -value } else { value })
}

impl FromStr for FixedPointCount {
    type Err = ParseFixedPointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_hundredths(s).map(FixedPointCount)
    }
}

impl fmt::Display for FixedPointCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for FixedPointCount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FixedPointCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FixedPointCount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a fixed-point count string such as \"10.00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(100))
                    .map(FixedPointCount)
                    .ok_or_else(|| E::custom("count too large"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                v.checked_mul(100)
                    .map(FixedPointCount)
                    .ok_or_else(|| E::custom("count too large"))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_documented_forms() {
        for (s, h) in [
            ("10", 1000),
            ("10.0", 1000),
            ("10.00", 1000),
            ("2.50", 250),
            ("0.01", 1),
            ("-3", -300),
            ("1.0000", 100),
            ("0", 0),
        ] {
            assert_eq!(s.parse::<FixedPointCount>().unwrap().hundredths(), h, "{s}");
        }
        for bad in [
            "",
            "-",
            ".5",
            "1.",
            "1.234",
            "1e3",
            " 1",
            "1,00",
            "+1",
            "NaN",
            "99999999999999999999",
        ] {
            assert!(bad.parse::<FixedPointCount>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn serde_uses_two_decimal_strings() {
        let c: FixedPointCount = serde_json::from_str("\"5\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"5.00\"");
        let n: FixedPointCount = serde_json::from_str("7").unwrap();
        assert_eq!(n, FixedPointCount::from_whole(7));
        assert!(serde_json::from_str::<FixedPointCount>("1.5").is_err());
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(h in any::<i64>().prop_filter("min", |h| *h != i64::MIN)) {
            let c = FixedPointCount::from_hundredths(h);
            prop_assert_eq!(c.to_string().parse::<FixedPointCount>().unwrap(), c);
        }

        #[test]
        fn parse_then_display_normalises(int in 0u32..10_000_000, frac in proptest::option::of("[0-9]{0,2}")) {
            let s = match &frac { Some(f) if !f.is_empty() => format!("{int}.{f}"), _ => int.to_string() };
            let c: FixedPointCount = s.parse().unwrap();
            let cents = frac.as_deref().map(|f| format!("{f:0<2}")).unwrap_or_else(|| "00".into());
            let cents = if cents.is_empty() { "00".to_string() } else { cents };
            prop_assert_eq!(c.to_string(), format!("{int}.{cents}"));
        }

        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = s.parse::<FixedPointCount>();
        }
    }
}
