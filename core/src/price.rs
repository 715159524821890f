//! Exact fixed-point dollar amounts (`*_dollars` fields and V2 prices).

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fixed-point US dollar amount (Kalshi's `FixedPointDollars`), exact to a millionth of a
/// dollar and stored as an integer: `"0.5600"`, `"0.0012"`, `"-3.25"`, `"1234.567891"`.
///
/// Responses carry up to 6 decimals, requests 2–4. Written with 4 decimals when that is exact
/// (`"0.5600"`), else with 6. Never a float. With the `rust_decimal` feature it converts exactly
/// to and from `rust_decimal::Decimal` (module `kalshi_core::decimal`).
///
/// ```
/// use kalshi_core::FixedPointDollars;
/// let p: FixedPointDollars = "0.56".parse()?;
/// assert_eq!(p.micros(), 560_000);
/// assert_eq!(p.to_string(), "0.5600");
/// assert_eq!("0.001234".parse::<FixedPointDollars>()?.to_string(), "0.001234");
/// # Ok::<(), kalshi_core::price::ParsePriceError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FixedPointDollars(i64);

/// Micro-dollars per dollar.
const SCALE: i64 = 1_000_000;

impl FixedPointDollars {
    /// Zero dollars.
    pub const ZERO: FixedPointDollars = FixedPointDollars(0);
    /// One dollar: the payout of a winning contract.
    pub const ONE: FixedPointDollars = FixedPointDollars(SCALE);

    /// An amount from millionths of a dollar.
    pub const fn from_micros(micros: i64) -> Self {
        FixedPointDollars(micros)
    }

    /// An amount from whole cents (the legacy integer price fields).
    pub const fn from_cents(cents: i64) -> Self {
        FixedPointDollars(cents.saturating_mul(10_000))
    }

    /// The amount in millionths of a dollar.
    pub const fn micros(self) -> i64 {
        self.0
    }

    /// How many decimals are needed to write the amount exactly (0–6).
    pub fn decimals(self) -> u32 {
        let mut frac = (self.0 % SCALE).unsigned_abs();
        if frac == 0 {
            return 0;
        }
        let mut d = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            d -= 1;
        }
        d
    }
}

/// Why a string is not a fixed-point dollar amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsePriceError {
    reason: &'static str,
}

impl fmt::Display for ParsePriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a fixed-point dollar amount: {}", self.reason)
    }
}

impl std::error::Error for ParsePriceError {}

impl FromStr for FixedPointDollars {
    type Err = ParsePriceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match crate::fixed_point::decimal_at::<6>(s.as_bytes()) {
            Some((v, n)) if n == s.len() => Ok(FixedPointDollars(v)),
            _ => parse_micros_slow(s).map(FixedPointDollars),
        }
    }
}

/// [`FixedPointDollars::from_str`] one byte at a time: the reference the fast reader
/// (`fixed_point::decimal_at`) is tested against, and what answers (with the reason) for the
/// text it does not take.
pub(crate) fn parse_micros_slow(s: &str) -> Result<i64, ParsePriceError> {
    let err = |reason| ParsePriceError { reason };
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("expected digits before the decimal point"));
    }
    let mut v: i64 = 0;
    for b in int.bytes() {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(err("too large"))?;
    }
    v = v.checked_mul(SCALE).ok_or(err("too large"))?;
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("expected digits after the decimal point"));
        }
        let (kept, rest) = frac.split_at(frac.len().min(6));
        if rest.bytes().any(|b| b != b'0') {
            return Err(err("finer than a millionth of a dollar"));
        }
        let mut unit = SCALE / 10;
        for b in kept.bytes() {
            v = v
                .checked_add(i64::from(b - b'0') * unit)
                .ok_or(err("too large"))?;
            unit /= 10;
        }
    }
    Ok(if neg { -v } else { v })
}

impl fmt::Display for FixedPointDollars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / SCALE as u64, abs % SCALE as u64);
        if frac % 100 == 0 {
            write!(f, "{sign}{int}.{:04}", frac / 100)
        } else {
            write!(f, "{sign}{int}.{frac:06}")
        }
    }
}

impl Serialize for FixedPointDollars {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FixedPointDollars {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FixedPointDollars;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a fixed-point dollar string such as \"0.5600\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_writes() {
        for (s, micros, out) in [
            ("0.56", 560_000, "0.5600"),
            ("0.5600", 560_000, "0.5600"),
            ("0.0012", 1_200, "0.0012"),
            ("0.001234", 1_234, "0.001234"),
            ("1", 1_000_000, "1.0000"),
            ("-3.25", -3_250_000, "-3.2500"),
            ("0.12345600", 123_456, "0.123456"),
        ] {
            let p: FixedPointDollars = s.parse().unwrap();
            assert_eq!(p.micros(), micros, "{s}");
            assert_eq!(p.to_string(), out, "{s}");
        }
        for bad in ["", ".5", "1.", "0.1234567", "abc", "1e2", "--1", "0x10"] {
            assert!(bad.parse::<FixedPointDollars>().is_err(), "{bad}");
        }
        assert_eq!(FixedPointDollars::from_cents(56).to_string(), "0.5600");
        assert_eq!("0.56".parse::<FixedPointDollars>().unwrap().decimals(), 2);
        assert_eq!("0.0001".parse::<FixedPointDollars>().unwrap().decimals(), 4);
    }

    proptest! {
        #[test]
        fn round_trips(m in -(i64::MAX / 2)..(i64::MAX / 2)) {
            let p = FixedPointDollars::from_micros(m);
            prop_assert_eq!(p.to_string().parse::<FixedPointDollars>().unwrap(), p);
        }

        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = s.parse::<FixedPointDollars>();
        }
    }
}
