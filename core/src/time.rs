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
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    // The two digits at `i`, as a number (unsigned: the divisions below are cheaper).
    let two = |i: usize| -> Option<u32> {
        let (hi, lo) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (hi < 10 && lo < 10).then(|| u32::from(hi * 10 + lo))
    };
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    let mut nanos = 0i32;
    let mut i = 19;
    if b[i] == b'.' {
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
