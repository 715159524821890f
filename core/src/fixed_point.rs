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
    match decimal_at::<2>(s.as_bytes()) {
        Some((v, n)) if n == s.len() => Ok(v),
        _ => parse_hundredths_slow(s),
    }
}

/// [`parse_hundredths`] one byte at a time: the reference [`decimal_at`] is tested against, and
/// what answers (with the reason) for the text it does not take.
fn parse_hundredths_slow(s: &str) -> Result<i64, ParseFixedPointError> {
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

/// Powers of ten up to 10^18.
const POW10: [u64; 19] = {
    let mut t = [1u64; 19];
    let mut k = 1;
    while k < 19 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// The eight bytes of `b` from `i` as a little-endian word, past the end padded with zero
/// bytes (which are not digits).
#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    match b.get(i..i + 8) {
        Some(s) => {
            let mut w = [0u8; 8];
            w.copy_from_slice(s);
            u64::from_le_bytes(w)
        }
        None => load8_padded(b, i),
    }
}

/// [`load8`] near the end of `b`.
#[cold]
fn load8_padded(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    let rest = b.get(i..).unwrap_or_default();
    w[..rest.len()].copy_from_slice(rest);
    u64::from_le_bytes(w)
}

/// The word with each digit turned into its value, and the high bit of each byte that is not
/// a digit.
#[inline(always)]
pub(crate) fn digit_values(w: u64) -> (u64, u64) {
    let t = w ^ 0x3030_3030_3030_3030;
    // A byte of `t` is a digit's value iff it is below 10: adding 0x76 then sets its high bit
    // exactly when it is not (a carry out of a byte only happens above a non-digit, so the
    // lowest flagged byte is exact).
    let not_digit = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
    (t, not_digit)
}

/// How many of the word's bytes, from the first, are ASCII digits (0..=8), and the word with
/// each digit turned into its value.
#[inline(always)]
fn digit_run(w: u64) -> (usize, u64) {
    let (t, not_digit) = digit_values(w);
    ((not_digit.trailing_zeros() / 8) as usize, t)
}

/// The low `n` bytes of a word (`n` at most 7).
#[inline(always)]
fn low_bytes(w: u64, n: usize) -> u64 {
    w & ((1u64 << (8 * n)) - 1)
}

/// The number written by the first `n` (1..=8) digit values of `t` (from [`digit_run`]).
#[inline(always)]
pub(crate) fn digits_value(t: u64, n: usize) -> u64 {
    // The n digits to the top of the word, zeros (leading zero digits) below them; then pairs,
    // quads and the eight digits are combined by three multiplications.
    let v = (t << (8 * (8 - n))) & 0x0F0F_0F0F_0F0F_0F0F;
    let v = v.wrapping_mul(10 * 256 + 1) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(100 * 65_536 + 1) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(10_000 * (1 << 32) + 1) >> 32
}

/// Reads `[-]digits[.digits]` at the start of `b` (up to the first byte that is not part of
/// it) in units of `10^-SCALE` (`SCALE` at most 6): the value and the bytes read, exactly as
/// [`FixedPointCount`] (scale 2) and [`FixedPointDollars`](crate::FixedPointDollars) (scale 6)
/// read the same text. `None` where they would refuse it (no digits on a side of the point, a
/// non-zero digit past the scale, too large), and for more than 18 whole digits, which their
/// general parsers then read.
///
/// Eight bytes at a time: a number that ends within its first word (`"0.4900"`,
/// `"1234.50"`: every price and most counts the exchange writes) is one load and one
/// conversion of its digits with the point taken out; up to 7 whole digits and up to `SCALE`
/// decimals take a word each; anything longer is read a byte at a time.
#[inline(always)]
pub(crate) fn decimal_at<const SCALE: u32>(b: &[u8]) -> Option<(i64, usize)> {
    let scale = SCALE as usize;
    let neg = b.first() == Some(&b'-');
    let start = usize::from(neg);
    let (t, not_digit) = digit_values(load8(b, start));
    let n = (not_digit.trailing_zeros() / 8) as usize;
    if n == 0 {
        return None;
    }
    if !neg && n < 7 && (t >> (8 * n)) as u8 == b'.' ^ 0x30 {
        // Where the decimals after the point end (the next non-digit), if within this word.
        let end = ((not_digit & (not_digit - 1)).trailing_zeros() / 8) as usize;
        let m = end.wrapping_sub(n + 1);
        if end < 8 && m.wrapping_sub(1) < scale {
            // The digits with the point taken out (what lies above them is shifted out).
            let below = low_bytes(u64::MAX, n);
            let digits = (t & below) | ((t >> 8) & !below);
            let v = digits_value(digits, end - 1) * POW10[scale - m];
            return Some((v as i64, end));
        }
    }
    if n == 8 {
        return decimal_at_slow(b, scale);
    }
    let mut v = digits_value(t, n) * POW10[scale];
    let mut i = start + n;
    if b.get(i) == Some(&b'.') {
        let (m, t) = digit_run(load8(b, i + 1));
        if m == 0 {
            return None;
        }
        if m > scale {
            // Further decimals (they must be zeros), or a long fraction.
            return decimal_at_slow(b, scale);
        }
        v += digits_value(t, m) * POW10[scale - m];
        i += 1 + m;
    }
    // At most 7 whole digits and 6 decimals: far inside i64.
    let v = v as i64;
    Some((if neg { -v } else { v }, i))
}

/// [`decimal_at`] one byte at a time (any length).
fn decimal_at_slow(b: &[u8], scale: usize) -> Option<(i64, usize)> {
    let neg = b.first() == Some(&b'-');
    let mut i = usize::from(neg);
    let start = i;
    let mut int: u64 = 0;
    while let Some(&d) = b.get(i) {
        if !d.is_ascii_digit() {
            break;
        }
        int = int * 10 + u64::from(d - b'0');
        i += 1;
        if i - start > 18 {
            return None;
        }
    }
    if i == start {
        return None;
    }
    let mut frac: u64 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while let Some(&d) = b.get(i) {
            if !d.is_ascii_digit() {
                break;
            }
            if i - frac_start < scale {
                frac = frac * 10 + u64::from(d - b'0');
            } else if d != b'0' {
                return None;
            }
            i += 1;
        }
        let kept = (i - frac_start).min(scale);
        if i == frac_start {
            return None;
        }
        frac *= POW10[scale - kept];
    }
    let v = int.checked_mul(POW10[scale])?.checked_add(frac)?;
    let v = i64::try_from(v).ok()?;
    Some((if neg { -v } else { v }, i))
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

    /// What the byte-at-a-time parsers answer for the whole of `text`, in `10^-scale` units.
    fn reference(text: &str, scale: u32) -> Option<i64> {
        match scale {
            2 => parse_hundredths_slow(text).ok(),
            6 => crate::price::parse_micros_slow(text).ok(),
            _ => unreachable!(),
        }
    }

    /// `decimal_at` at scale 2 or 6.
    fn decimal_at(b: &[u8], scale: u32) -> Option<(i64, usize)> {
        match scale {
            2 => super::decimal_at::<2>(b),
            6 => super::decimal_at::<6>(b),
            _ => unreachable!(),
        }
    }

    /// `decimal_at` over the whole of `text` (`None` if it stops early).
    fn fast_whole(text: &str, scale: u32) -> Option<i64> {
        decimal_at(text.as_bytes(), scale).and_then(|(v, n)| (n == text.len()).then_some(v))
    }

    #[test]
    fn decimal_at_reads_as_the_types_parse() {
        for text in [
            "0",
            "0.56",
            "0.5600",
            "0.001234",
            "0.12345600",
            "-3.25",
            "1",
            "10.00",
            "1.5",
            "1234567",
            "12345678",
            "12345678.5",
            "9223372036854775807",
            "9223372036854775808",
            "9223372.036854",
            "9223372.036855",
            "92233720368547.75",
            "92233720368547.76",
            "00.10",
            "-0",
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "+1",
            "0.0000001",
            "0.1234560",
            "1.001",
            "1.00000000000",
            "1e3",
            " 1",
        ] {
            for scale in [2, 6] {
                let fast = fast_whole(text, scale);
                assert_eq!(fast, reference(text, scale), "{text:?} at scale {scale}");
                assert_eq!(
                    decimal_at(text.as_bytes(), scale),
                    decimal_at_slow(text.as_bytes(), scale as usize),
                    "{text:?} at scale {scale}"
                );
            }
            assert_eq!(
                text.parse::<FixedPointCount>()
                    .ok()
                    .map(FixedPointCount::hundredths),
                reference(text, 2)
            );
            assert_eq!(
                text.parse::<crate::FixedPointDollars>()
                    .ok()
                    .map(crate::FixedPointDollars::micros),
                reference(text, 6)
            );
        }
    }

    proptest! {
        #[test]
        fn decimal_at_agrees_with_the_byte_at_a_time_parsers(
            text in "-?[0-9]{0,20}(\\.[0-9]{0,12})?",
            other in "-?[0-9.]{0,24}",
            tail in "[\"\\],0-9a-z.-]{0,10}",
        ) {
            for text in [&text, &other] {
                for scale in [2, 6] {
                    prop_assert_eq!(fast_whole(text, scale), reference(text, scale));
                    let with_tail = format!("{text}{tail}");
                    prop_assert_eq!(
                        decimal_at(with_tail.as_bytes(), scale),
                        decimal_at_slow(with_tail.as_bytes(), scale as usize)
                    );
                }
            }
        }

        #[test]
        fn decimal_at_on_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..20)) {
            for scale in [2, 6] {
                prop_assert_eq!(decimal_at(&b, scale), decimal_at_slow(&b, scale as usize));
            }
        }

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
