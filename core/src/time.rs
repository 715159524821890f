//! Timestamps: the time that is signed always comes in from outside.

use std::time::{SystemTime, UNIX_EPOCH};

/// A request timestamp: milliseconds since the Unix epoch, as sent in `KALSHI-ACCESS-TIMESTAMP`.
///
/// The core never reads a clock by itself; [`Timestamp::now`] is a convenience for callers that
/// are happy with the system clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// A timestamp from milliseconds since the Unix epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Timestamp(ms)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Reads the system clock (a clock before 1970 gives 0).
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        let ms = t
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Timestamp(ms)
    }
}

/// The exchange's usual instant, `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`, read without the general RFC
/// 3339 parser; `None` for anything else (an offset, a leap second, a lowercase `t`/`z`, an
/// invalid date...), which the caller hands to `jiff`. Whenever it answers, it answers what
/// `jiff` parses from the same text (property-tested below).
pub(crate) fn parse_utc_fast(s: &str) -> Option<jiff::Timestamp> {
    match parse_utc_prefix(s.as_bytes()) {
        Some((t, n)) if n == s.len() => Some(t),
        _ => None,
    }
}

/// [`parse_utc_fast`] of the instant at the start of `b` (up to its `Z`): the instant and the
/// bytes it takes. What follows is not looked at.
pub(crate) fn parse_utc_prefix(b: &[u8]) -> Option<(jiff::Timestamp, usize)> {
    // Three little-endian words: "YYYY-MM-", "DDTHH:MM" and "HH:MM:SS" (bytes 11..19).
    let word = |i: usize| -> Option<u64> {
        let mut w = [0u8; 8];
        w.copy_from_slice(b.get(i..i + 8)?);
        Some(u64::from_le_bytes(w))
    };
    let (w0, w1, w2) = (word(0)?, word(8)?, word(11)?);
    // Per word: the bytes that must be digits, and the separators with their places.
    const DIGITS: [u64; 3] = [
        0x00FF_FF00_FFFF_FFFF,
        0xFFFF_00FF_FF00_FFFF,
        0xFFFF_0000_0000_0000,
    ];
    const SEPARATORS: [(u64, u64); 3] = [
        (0xFF00_00FF_0000_0000, 0x2D00_002D_0000_0000), // '-' '-'
        (0x0000_FF00_00FF_0000, 0x0000_3A00_0054_0000), // 'T' ':'
        (0x0000_FF00_0000_0000, 0x0000_3A00_0000_0000), // ':'
    ];
    let mut pairs = [0u64; 3];
    for (k, w) in [w0, w1, w2].into_iter().enumerate() {
        let (mask, sep) = SEPARATORS[k];
        let t = w ^ 0x3030_3030_3030_3030;
        // A digit's value is below 10: adding 0x76 sets the high bit of any other byte.
        let not_digit = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
        if w & mask != sep || not_digit & DIGITS[k] != 0 {
            return None;
        }
        // Each byte times ten plus the next: the two-digit numbers, no byte above 99.
        let d = t & DIGITS[k];
        pairs[k] = d.wrapping_mul(10) + (d >> 8);
    }
    let byte = |w: u64, k: u32| ((w >> (8 * k)) & 0xFF) as u32;
    let year = byte(pairs[0], 0) * 100 + byte(pairs[0], 2);
    let (month, day) = (byte(pairs[0], 5), byte(pairs[1], 0));
    let (hour, minute, second) = (byte(pairs[1], 3), byte(pairs[1], 6), byte(pairs[2], 6));
    let mut nanos = 0i32;
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')) {
            if d >= 10 {
                break;
            }
            if i - start == 9 {
                return None;
            }
            nanos = nanos * 10 + i32::from(d);
            i += 1;
        }
        if i == start {
            return None;
        }
        nanos *= 10i32.pow((9 - (i - start)) as u32);
    }
    if b.get(i) != Some(&b'Z')
        || year < 1
        || !(1..=12).contains(&month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    const DAYS_IN_MONTH: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = DAYS_IN_MONTH[(month - 1) as usize] + u32::from(leap && month == 2);
    if day < 1 || day > days_in_month {
        return None;
    }
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm; `y` is not negative).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = i64::from(era * 146_097 + doe) - 719_468;
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some((jiff::Timestamp::new(secs, nanos).ok()?, i + 1))
}

#[cfg(test)]
mod tests {
    use super::parse_utc_fast;
    use proptest::prelude::*;

    #[test]
    fn usual_forms_read_as_jiff_reads_them() {
        for s in [
            "2026-01-02T03:04:05Z",
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999Z",
            "2026-12-06T11:25:48.5Z",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_utc_fast(s), Some(s.parse().unwrap()), "{s}");
        }
        for s in [
            "2026-01-02T03:04:05+00:00",
            "2026-01-02t03:04:05Z",
            "2026-01-02T03:04:60Z",
            "2025-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-02T03:04:05.Z",
            "2026-01-02T03:04:05.1234567890Z",
            "2026-01-02 03:04:05Z",
            "2026-01-02T03:04:05",
            "2026-01-02T03:04:5Z",
            "2026-01-02T03:04:0\u{ff}Z",
            "2026-01-02T03-04:05Z",
            "2026/01-02T03:04:05Z",
            "0000-01-01T00:00:00Z",
            // Past jiff's range (which ends a day before 10000-01-01 UTC): jiff refuses it too.
            "9999-12-31T23:59:59Z",
            "",
        ] {
            assert_eq!(parse_utc_fast(s), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn whenever_it_answers_it_answers_as_jiff(
            y in 0u32..10_000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61,
            se in 0u32..61, frac in proptest::option::of("[0-9]{0,10}"), z in "Z|z|\\+00:00|",
        ) {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let s = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{frac}{z}");
            let jiff: Option<jiff::Timestamp> = s.parse().ok();
            match parse_utc_fast(&s) {
                Some(t) => prop_assert_eq!(Some(t), jiff, "{}", s),
                // It may decline what jiff reads (offsets, leap seconds), never the reverse
                // for the plain `Z` form with a valid date.
                None => prop_assert!(
                    jiff.is_none() || z != "Z" || se == 60 || frac == ".",
                    "declined {} that jiff reads", s
                ),
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
            if let Some(t) = parse_utc_fast(&s) {
                prop_assert_eq!(Some(t), s.parse::<jiff::Timestamp>().ok());
            }
        }
    }
}
