//! Exact conversions between this crate's fixed-point numbers and [`rust_decimal::Decimal`]
//! (feature `rust_decimal`).
//!
//! [`FixedPointDollars`] (millionths of a dollar) and [`FixedPointCount`] (hundredths of a
//! contract) stay what they are: an `i64` each, no allocation, no floating point. This module
//! only moves values across to the decimal type that Rust trading code already computes with,
//! and never rounds:
//!
//! - `From<FixedPointDollars> for Decimal` and `From<FixedPointCount> for Decimal` are always
//!   exact (every `i64` fits `Decimal`'s 96-bit mantissa). The result keeps the type's own scale:
//!   6 decimal places for dollars (`0.560000`), 2 for counts (`10.50`); it compares equal to any
//!   other `Decimal` of the same value (`Decimal::normalize` drops the zeros for display).
//! - `TryFrom<Decimal>` for both types succeeds exactly when the value is representable, and
//!   otherwise refuses with a [`FromDecimalError`] saying why: more decimal places than the type
//!   holds (`0.1234567` dollars, `1.005` contracts: [`FromDecimalError::TooPrecise`]), or outside
//!   the `i64` range of the unit ([`FromDecimalError::OutOfRange`]).
//! - **Trailing zeros are not precision.** `Decimal` keeps the scale it was written with, so
//!   `1.500000000` has 9 decimal places on paper but the value 1.5, which is exact: it is
//!   accepted (as are `Decimal`s produced by arithmetic that carry extra zeros). Only non-zero
//!   digits beyond the type's scale are refused. This matches the string parsers, which accept
//!   `"1.0000"` as a count and `"0.12345600"` as dollars.
//! - A value that is both too precise and out of range is reported as
//!   [`FromDecimalError::TooPrecise`] (it could not be represented at any magnitude).
//!
//! ```
//! use kalshi_core::{FixedPointCount, FixedPointDollars};
//! use kalshi_core::decimal::FromDecimalError;
//! use rust_decimal::Decimal;
//! use std::str::FromStr;
//!
//! let dec = |s: &str| Decimal::from_str(s).unwrap();
//! let price: FixedPointDollars = "0.56".parse()?;
//! let d = Decimal::from(price);
//! assert_eq!(d, dec("0.56"));
//! assert_eq!(d.to_string(), "0.560000"); // scale 6; d.normalize() prints "0.56"
//!
//! // Back again: exact, or refused with the reason.
//! assert_eq!(FixedPointDollars::try_from(d)?, price);
//! assert_eq!(
//!     FixedPointDollars::try_from(dec("1.500000000"))?, // trailing zeros: exact
//!     FixedPointDollars::from_micros(1_500_000),
//! );
//! assert!(matches!(
//!     FixedPointDollars::try_from(dec("0.1234567")),
//!     Err(FromDecimalError::TooPrecise { max_decimals: 6, .. })
//! ));
//! assert!(matches!(
//!     FixedPointCount::try_from(dec("1.005")),
//!     Err(FromDecimalError::TooPrecise { max_decimals: 2, .. })
//! ));
//! assert!(matches!(
//!     FixedPointCount::try_from(dec("100000000000000000000")),
//!     Err(FromDecimalError::OutOfRange { .. })
//! ));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use rust_decimal::Decimal;

use crate::{FixedPointCount, FixedPointDollars};

/// Decimal places of [`FixedPointDollars`] (millionths of a dollar).
const DOLLAR_DECIMALS: u32 = 6;
/// Decimal places of [`FixedPointCount`] (hundredths of a contract).
const COUNT_DECIMALS: u32 = 2;

/// Why a [`Decimal`] cannot become a [`FixedPointDollars`] or [`FixedPointCount`] exactly.
///
/// Carries the refused value and the name of the target type, so the message says what did not
/// fit where. The value is never rounded to make it fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FromDecimalError {
    /// The value has non-zero digits beyond the target's decimal places (`0.1234567` dollars,
    /// `1.005` contracts). Converting it would round.
    TooPrecise {
        /// The refused value.
        value: Decimal,
        /// The target type (`"FixedPointDollars"` or `"FixedPointCount"`).
        target: &'static str,
        /// How many decimal places the target holds (6 for dollars, 2 for counts).
        max_decimals: u32,
    },
    /// The value is beyond the target's range: an `i64` number of its unit (about ±9.2 × 10¹²
    /// dollars, ±9.2 × 10¹⁶ contracts).
    OutOfRange {
        /// The refused value.
        value: Decimal,
        /// The target type (`"FixedPointDollars"` or `"FixedPointCount"`).
        target: &'static str,
    },
}

impl FromDecimalError {
    /// The value that was refused.
    pub fn value(&self) -> Decimal {
        match *self {
            FromDecimalError::TooPrecise { value, .. }
            | FromDecimalError::OutOfRange { value, .. } => value,
        }
    }
}

impl fmt::Display for FromDecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FromDecimalError::TooPrecise {
                value,
                target,
                max_decimals,
            } => write!(
                f,
                "{value} does not fit {target} exactly: more than {max_decimals} decimal places \
                 (it is never rounded)"
            ),
            FromDecimalError::OutOfRange { value, target } => {
                write!(f, "{value} is outside the range of {target}")
            }
        }
    }
}

impl std::error::Error for FromDecimalError {}

/// The value of `d` as an integer number of units of `10^-decimals`, if exact and within `i64`.
fn to_units(d: Decimal, decimals: u32, target: &'static str) -> Result<i64, FromDecimalError> {
    // `d` is `mantissa / 10^scale`, with |mantissa| < 2^96 and scale <= 28.
    let mut mantissa: i128 = d.mantissa();
    let mut scale = d.scale();
    // Drop trailing zeros beyond the target's scale: they do not change the value.
    while scale > decimals && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > decimals {
        return Err(FromDecimalError::TooPrecise {
            value: d,
            target,
            max_decimals: decimals,
        });
    }
    // |mantissa| < 2^96 and the factor is at most 10^6 < 2^20: no i128 overflow.
    let units = mantissa * 10i128.pow(decimals - scale);
    i64::try_from(units).map_err(|_| FromDecimalError::OutOfRange { value: d, target })
}

impl From<FixedPointDollars> for Decimal {
    /// Exact, with 6 decimal places (`0.560000`).
    fn from(value: FixedPointDollars) -> Decimal {
        Decimal::new(value.micros(), DOLLAR_DECIMALS)
    }
}

impl From<FixedPointCount> for Decimal {
    /// Exact, with 2 decimal places (`10.50`).
    fn from(value: FixedPointCount) -> Decimal {
        Decimal::new(value.hundredths(), COUNT_DECIMALS)
    }
}

impl TryFrom<Decimal> for FixedPointDollars {
    type Error = FromDecimalError;

    /// Exact, or refused: at most 6 non-zero decimal places, within the `i64` micro-dollar
    /// range. Trailing zeros (`1.500000000`) are accepted.
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        to_units(value, DOLLAR_DECIMALS, "FixedPointDollars").map(FixedPointDollars::from_micros)
    }
}

impl TryFrom<Decimal> for FixedPointCount {
    type Error = FromDecimalError;

    /// Exact, or refused: at most 2 non-zero decimal places, within the `i64` hundredths
    /// range. Trailing zeros (`1.500`) are accepted.
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        to_units(value, COUNT_DECIMALS, "FixedPointCount").map(FixedPointCount::from_hundredths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn dollars_to_decimal_edges() {
        for (micros, s) in [
            (0, "0"),
            (560_000, "0.56"),
            (1, "0.000001"),
            (-1, "-0.000001"),
            (1_000_000, "1"),
            (-3_250_000, "-3.25"),
            (i64::MAX, "9223372036854.775807"),
            (i64::MIN, "-9223372036854.775808"),
        ] {
            let d = Decimal::from(FixedPointDollars::from_micros(micros));
            assert_eq!(d, dec(s), "{micros}");
            assert_eq!(d.scale(), 6, "{micros}");
            assert_eq!(FixedPointDollars::try_from(d).unwrap().micros(), micros);
            assert_eq!(
                FixedPointDollars::try_from(dec(s)).unwrap().micros(),
                micros
            );
        }
        assert_eq!(
            Decimal::from(FixedPointDollars::from_micros(560_000)).to_string(),
            "0.560000"
        );
    }

    #[test]
    fn counts_to_decimal_edges() {
        for (h, s) in [
            (0, "0"),
            (1050, "10.5"),
            (1, "0.01"),
            (-300, "-3"),
            (i64::MAX, "92233720368547758.07"),
            (i64::MIN, "-92233720368547758.08"),
        ] {
            let d = Decimal::from(FixedPointCount::from_hundredths(h));
            assert_eq!(d, dec(s), "{h}");
            assert_eq!(d.scale(), 2, "{h}");
            assert_eq!(FixedPointCount::try_from(d).unwrap().hundredths(), h);
            assert_eq!(FixedPointCount::try_from(dec(s)).unwrap().hundredths(), h);
        }
        assert_eq!(
            Decimal::from(FixedPointCount::from_hundredths(1050)).to_string(),
            "10.50"
        );
    }

    #[test]
    fn trailing_zeros_beyond_the_scale_are_exact() {
        let d = dec("1.500000000");
        assert_eq!(d.scale(), 9);
        assert_eq!(
            FixedPointDollars::try_from(d).unwrap(),
            FixedPointDollars::from_micros(1_500_000)
        );
        assert_eq!(
            FixedPointCount::try_from(d).unwrap(),
            FixedPointCount::from_hundredths(150)
        );
        // 28 decimal places, all zeros after the first: still exact.
        let d = dec("0.5000000000000000000000000000");
        assert_eq!(d.scale(), 28);
        assert_eq!(FixedPointCount::try_from(d).unwrap().hundredths(), 50);
        // Negative zero is zero.
        let z = Decimal::new(0, 9) * dec("-1");
        assert_eq!(
            FixedPointDollars::try_from(z).unwrap(),
            FixedPointDollars::ZERO
        );
    }

    #[test]
    fn too_precise_is_refused_never_rounded() {
        for s in [
            "0.1234567",
            "-0.0000001",
            "1.0000005",
            "0.0000000000000000000000000001",
        ] {
            let err = FixedPointDollars::try_from(dec(s)).unwrap_err();
            assert_eq!(
                err,
                FromDecimalError::TooPrecise {
                    value: dec(s),
                    target: "FixedPointDollars",
                    max_decimals: 6
                },
                "{s}"
            );
        }
        for s in ["1.005", "-0.001", "0.999", "10.501"] {
            let err = FixedPointCount::try_from(dec(s)).unwrap_err();
            assert!(
                matches!(
                    err,
                    FromDecimalError::TooPrecise {
                        max_decimals: 2,
                        target: "FixedPointCount",
                        ..
                    }
                ),
                "{s}: {err:?}"
            );
            assert_eq!(err.value(), dec(s));
        }
        let msg = FixedPointCount::try_from(dec("1.005"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("1.005") && msg.contains("FixedPointCount") && msg.contains("2 decimal"),
            "{msg}"
        );
    }

    #[test]
    fn out_of_range_is_refused() {
        for s in [
            "9223372036854.775808",
            "-9223372036854.775809",
            "10000000000000",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
        ] {
            let err = FixedPointDollars::try_from(dec(s)).unwrap_err();
            assert_eq!(
                err,
                FromDecimalError::OutOfRange {
                    value: dec(s),
                    target: "FixedPointDollars"
                },
                "{s}"
            );
        }
        for s in [
            "92233720368547758.08",
            "-92233720368547758.09",
            "100000000000000000000",
        ] {
            assert!(
                matches!(
                    FixedPointCount::try_from(dec(s)),
                    Err(FromDecimalError::OutOfRange { .. })
                ),
                "{s}"
            );
        }
        // Both too precise and too large: reported as too precise.
        assert!(matches!(
            FixedPointCount::try_from(dec("100000000000000000000.001")),
            Err(FromDecimalError::TooPrecise { .. })
        ));
        let msg = FixedPointDollars::try_from(dec("100000000000000000000"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("outside the range of FixedPointDollars"),
            "{msg}"
        );
    }

    /// Any `Decimal`: every mantissa of up to 96 bits, either sign, every scale 0..=28.
    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28,
        )
            .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale))
    }

    /// Decimals near the types' ranges and scales: an `i64` mantissa times a small power of ten,
    /// so both exact and refused cases are common.
    fn near_decimal() -> impl Strategy<Value = Decimal> {
        (
            prop_oneof![
                any::<i64>(),
                -1_000_000_000i64..1_000_000_000,
                Just(i64::MIN),
                Just(i64::MAX)
            ],
            0u32..=10,
            0u32..=4,
        )
            .prop_map(|(m, scale, zeros)| {
                // Append `zeros` trailing zeros (same value, larger scale) when they fit.
                let wide = i128::from(m) * 10i128.pow(zeros);
                Decimal::try_from_i128_with_scale(wide, scale + zeros)
                    .unwrap_or_else(|_| Decimal::new(m, scale))
            })
    }

    /// What the conversion must do, stated with `Decimal`'s own exact arithmetic: accept iff the
    /// value has at most `decimals` significant decimal places and lies within the unit range.
    fn expected_ok(
        d: Decimal,
        decimals: u32,
        min: Decimal,
        max: Decimal,
    ) -> Result<(), &'static str> {
        if d.normalize().scale() > decimals {
            Err("too precise")
        } else if d < min || d > max {
            Err("out of range")
        } else {
            Ok(())
        }
    }

    fn kind(e: &FromDecimalError) -> &'static str {
        match e {
            FromDecimalError::TooPrecise { .. } => "too precise",
            FromDecimalError::OutOfRange { .. } => "out of range",
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn dollars_round_trip_exactly(m in any::<i64>()) {
            let p = FixedPointDollars::from_micros(m);
            let d = Decimal::from(p);
            prop_assert_eq!(FixedPointDollars::try_from(d), Ok(p));
            // The same value as the crate's own decimal string (an independent path).
            prop_assert_eq!(d, Decimal::from_str(&p.to_string()).unwrap());
        }

        #[test]
        fn counts_round_trip_exactly(h in any::<i64>()) {
            let c = FixedPointCount::from_hundredths(h);
            let d = Decimal::from(c);
            prop_assert_eq!(FixedPointCount::try_from(d), Ok(c));
            prop_assert_eq!(d, Decimal::from_str(&c.to_string()).unwrap());
        }

        #[test]
        fn decimal_to_dollars_is_exact_or_refused(d in prop_oneof![any_decimal(), near_decimal()]) {
            let min = Decimal::from(FixedPointDollars::from_micros(i64::MIN));
            let max = Decimal::from(FixedPointDollars::from_micros(i64::MAX));
            match (FixedPointDollars::try_from(d), expected_ok(d, 6, min, max)) {
                (Ok(p), Ok(())) => prop_assert_eq!(Decimal::from(p), d),
                (Err(e), Err(why)) => {
                    prop_assert_eq!(kind(&e), why);
                    prop_assert_eq!(e.value(), d);
                }
                (got, want) => prop_assert!(false, "{d}: got {got:?}, want {want:?}"),
            }
        }

        #[test]
        fn decimal_to_count_is_exact_or_refused(d in prop_oneof![any_decimal(), near_decimal()]) {
            let min = Decimal::from(FixedPointCount::from_hundredths(i64::MIN));
            let max = Decimal::from(FixedPointCount::from_hundredths(i64::MAX));
            match (FixedPointCount::try_from(d), expected_ok(d, 2, min, max)) {
                (Ok(c), Ok(())) => prop_assert_eq!(Decimal::from(c), d),
                (Err(e), Err(why)) => {
                    prop_assert_eq!(kind(&e), why);
                    prop_assert_eq!(e.value(), d);
                }
                (got, want) => prop_assert!(false, "{d}: got {got:?}, want {want:?}"),
            }
        }

        #[test]
        fn agrees_with_the_string_parsers(d in near_decimal()) {
            // Where the crate's string parsers accept `d.to_string()`, the conversion gives the
            // same value; where they refuse it for precision, so does the conversion.
            let s = d.to_string();
            if let Ok(p) = s.parse::<FixedPointDollars>() {
                prop_assert_eq!(FixedPointDollars::try_from(d), Ok(p));
            }
            if let Ok(c) = s.parse::<FixedPointCount>() {
                prop_assert_eq!(FixedPointCount::try_from(d), Ok(c));
            }
        }
    }
}
