//! The exchange: status, schedule, series fee changes and the user-data timestamp.
//!
//! | operation | request |
//! |---|---|
//! | [`GetExchangeStatus`] | `GET /exchange/status` |
//! | [`GetExchangeSchedule`] | `GET /exchange/schedule` |
//! | [`GetUserDataTimestamp`] | `GET /exchange/user_data_timestamp` |
//! | [`GetSeriesFeeChanges`] | `GET /series/fee_changes` |

mod fee_changes;
mod schedule;
mod status;
mod user_data;

pub use fee_changes::{GetSeriesFeeChanges, GetSeriesFeeChangesResponse, SeriesFeeChange};
pub use schedule::{
    DailySchedule, GetExchangeSchedule, GetExchangeScheduleResponse, MaintenanceWindow, Schedule,
    WeeklySchedule,
};
pub use status::{ExchangeIndexStatus, ExchangeStatus, GetExchangeStatus};
pub use user_data::{GetUserDataTimestamp, GetUserDataTimestampResponse};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetExchangeStatus,
        GetExchangeSchedule,
        GetUserDataTimestamp,
        GetSeriesFeeChanges,
    ]
}
