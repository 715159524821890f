//! The simulator's notion of time, injectable so tests can control it.
//!
//! The exchange clock is `clock.now_ms() + skew_ms`: the [`Clock`] says what time it is, and a
//! skew (see [`SimulatorConfig::with_clock_skew_ms`](super::SimulatorConfig::with_clock_skew_ms)
//! and [`Simulator::set_clock_skew_ms`](super::Simulator::set_clock_skew_ms)) shifts it, so a
//! test can simulate an exchange whose clock disagrees with the client's.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of wall-clock time in milliseconds since the Unix epoch.
///
/// The simulator reads it to check request timestamps and to age rolling volume windows.
pub trait Clock: Send + Sync {
    /// The current time in milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// The real system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        system_now_ms()
    }
}

/// The system time in milliseconds since the Unix epoch (0 if the system clock is before 1970).
pub(crate) fn system_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A clock that only moves when told to.
///
/// Clones share the same time, so a test keeps one clone and hands another to the simulator:
///
/// ```
/// use kalshi_simulator::{ManualClock, SimulatorConfig};
/// let clock = ManualClock::new(1_700_000_000_000);
/// let config = SimulatorConfig::default().with_clock(clock.clone());
/// clock.advance_ms(31_000); // the simulator now sees a time 31 s later
/// # drop(config);
/// ```
///
/// Set it to a realistic epoch time in milliseconds: the simulator refuses request timestamps
/// that look like seconds (below 10^11) whatever the clock says.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now_ms: Arc<AtomicU64>,
}

impl ManualClock {
    /// A clock standing at `start_ms` milliseconds since the Unix epoch.
    pub fn new(start_ms: u64) -> Self {
        ManualClock {
            now_ms: Arc::new(AtomicU64::new(start_ms)),
        }
    }

    /// A clock standing at the current system time (and staying there until moved).
    pub fn starting_now() -> Self {
        Self::new(system_now_ms())
    }

    /// Sets the time to `ms` milliseconds since the Unix epoch (it may go backwards).
    pub fn set_ms(&self, ms: u64) {
        self.now_ms.store(ms, Ordering::SeqCst);
    }

    /// Moves the time forward by `ms` milliseconds (saturating).
    pub fn advance_ms(&self, ms: u64) {
        let _ = self
            .now_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |t| {
                Some(t.saturating_add(ms))
            });
    }

    /// Moves the time forward by `by` (saturating, millisecond resolution).
    pub fn advance(&self, by: Duration) {
        self.advance_ms(u64::try_from(by.as_millis()).unwrap_or(u64::MAX));
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.now_ms.load(Ordering::SeqCst)
    }
}

/// Applies a signed skew to a clock reading, saturating at the ends of `u64`.
pub(crate) fn skewed(now_ms: u64, skew_ms: i64) -> u64 {
    now_ms.saturating_add_signed(skew_ms)
}

/// The civil date (year, month 1-12, day 1-31) of a day count since 1970-01-01 (Howard
/// Hinnant's algorithm; exact for every `i64` day that fits).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Milliseconds since the epoch as RFC 3339 UTC with milliseconds
/// (`2023-11-14T22:13:20.000Z`).
pub(crate) fn rfc3339_ms(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    let (y, mo, d) = civil_from_days(days);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        ms % 1000
    )
}

/// Milliseconds since the epoch as an HTTP `Date` value (IMF-fixdate, whole seconds):
/// `Tue, 14 Nov 2023 22:13:20 GMT`.
pub(crate) fn http_date(ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = ms / 1000;
    let day_count = secs / 86_400;
    let (y, mo, d) = civil_from_days(i64::try_from(day_count).unwrap_or(i64::MAX));
    let rem = secs % 86_400;
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        DAYS[(day_count % 7) as usize],
        MONTHS[(mo as usize).saturating_sub(1) % 12],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(784_111_777_999), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            http_date(1_700_000_000_000),
            "Tue, 14 Nov 2023 22:13:20 GMT"
        );
        // The client's parser reads what the simulator writes.
        for ms in [0, 1_700_000_000_000, 1_798_675_199_000, 4_102_444_800_000] {
            assert_eq!(
                kalshi_core::clock_skew::parse_http_date(&http_date(ms)),
                Some((ms / 1000) as i64),
                "{ms}"
            );
        }
        // Absurd times do not panic.
        let _ = rfc3339_ms(u64::MAX);
        let _ = http_date(u64::MAX);
    }

    #[test]
    fn manual_clock_clones_share_time() {
        let a = ManualClock::new(1_000);
        let b = a.clone();
        a.advance_ms(500);
        assert_eq!(b.now_ms(), 1_500);
        b.set_ms(42);
        assert_eq!(a.now_ms(), 42);
        a.advance(Duration::from_secs(2));
        assert_eq!(b.now_ms(), 2_042);
        a.set_ms(u64::MAX - 1);
        a.advance_ms(10);
        assert_eq!(a.now_ms(), u64::MAX);
    }

    #[test]
    fn system_clock_is_in_milliseconds() {
        // Anything after 2020 in milliseconds has 13 digits.
        assert!(SystemClock.now_ms() > 1_577_836_800_000);
        assert!(ManualClock::starting_now().now_ms() > 1_577_836_800_000);
    }

    #[test]
    fn skew_saturates() {
        assert_eq!(skewed(1_000, -400), 600);
        assert_eq!(skewed(1_000, 400), 1_400);
        assert_eq!(skewed(10, -400), 0);
        assert_eq!(skewed(u64::MAX, 1), u64::MAX);
    }
}
