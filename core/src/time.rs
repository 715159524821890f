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
