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
/// use kalshi_tests::{ManualClock, SimulatorConfig};
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

#[cfg(test)]
mod tests {
    use super::*;

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
