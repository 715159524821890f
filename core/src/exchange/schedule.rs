//! `GET /exchange/schedule`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;

/// The exchange's trading hours and maintenance windows (`GetExchangeSchedule`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetExchangeSchedule {}

impl GetExchangeSchedule {
    /// The exchange's schedule.
    pub fn new() -> Self {
        Self::default()
    }
}

/// One trading session of a day (`DailySchedule`). The times are kept as the documented
/// strings: `HH:MM`, Eastern Time (with its daylight saving), exactly as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct DailySchedule {
    /// Opening time, `HH:MM` ET.
    pub open_time: String,
    /// Closing time, `HH:MM` ET.
    pub close_time: String,
}

impl DailySchedule {
    /// The opening time as (hour, minute), when it is the documented `HH:MM`.
    pub fn open_hour_minute(&self) -> Option<(u8, u8)> {
        hour_minute(&self.open_time)
    }

    /// The closing time as (hour, minute), when it is the documented `HH:MM` (`24:00` is
    /// accepted: the end of the day).
    pub fn close_hour_minute(&self) -> Option<(u8, u8)> {
        hour_minute(&self.close_time)
    }
}

/// Reads `HH:MM` (00:00 to 23:59, and 24:00).
fn hour_minute(s: &str) -> Option<(u8, u8)> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !(h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h, m) == (24, 0))).then_some((h, m))
}

/// The standard trading hours while they are in effect (`WeeklySchedule`). Each day may hold
/// several sessions; a day with none has no trading.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WeeklySchedule {
    /// When these hours take effect.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub start_time: jiff::Timestamp,
    /// When these hours stop being in effect.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub end_time: jiff::Timestamp,
    /// Monday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub monday: Vec<DailySchedule>,
    /// Tuesday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tuesday: Vec<DailySchedule>,
    /// Wednesday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub wednesday: Vec<DailySchedule>,
    /// Thursday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub thursday: Vec<DailySchedule>,
    /// Friday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub friday: Vec<DailySchedule>,
    /// Saturday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub saturday: Vec<DailySchedule>,
    /// Sunday's sessions.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sunday: Vec<DailySchedule>,
}

/// A scheduled maintenance window, during which the exchange may be unavailable
/// (`MaintenanceWindow`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MaintenanceWindow {
    /// Its start.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub start_datetime: jiff::Timestamp,
    /// Its end.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub end_datetime: jiff::Timestamp,
}

/// The exchange's schedule (`Schedule`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Schedule {
    /// The standard trading hours (ET), one entry per period of validity; outside them there
    /// is no trading.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub standard_hours: Vec<WeeklySchedule>,
    /// The scheduled maintenance windows.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub maintenance_windows: Vec<MaintenanceWindow>,
}

/// The answer to [`GetExchangeSchedule`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetExchangeScheduleResponse {
    /// The schedule.
    pub schedule: Schedule,
}

impl Operation for GetExchangeSchedule {
    type Output = GetExchangeScheduleResponse;
    const NAME: &'static str = "GetExchangeSchedule";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/exchange/schedule");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetExchangeSchedule {
    fn full() -> Self {
        GetExchangeSchedule::new()
    }
    fn minimal() -> Self {
        GetExchangeSchedule::new()
    }
}
