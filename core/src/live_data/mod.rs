//! Live data: the state of the games, races and prices behind markets, keyed by milestone
//! ([`crate::milestone`]), by event, or by city for the weather index.
//!
//! | operation | request |
//! |---|---|
//! | [`GetLiveDatas`] | `GET /live_data/batch` |
//! | [`GetEventLiveData`] | `GET /live_data/events/{event_ticker}` |
//! | [`GetLiveDataByMilestone`] | `GET /live_data/milestone/{milestone_id}` |
//! | [`GetGameStats`] | `GET /live_data/milestone/{milestone_id}/game_stats` |
//! | [`GetWeatherIndex`] | `GET /live_data/weather/{city}` |
//! | [`GetWeatherIndexCalibrations`] | `GET /live_data/weather/{city}/calibrations` |
//! | [`GetLiveData`] | `GET /live_data/{type}/milestone/{milestone_id}` (legacy: prefer [`GetLiveDataByMilestone`]) |
//!
//! The `details` of live data are free-form objects whose shape the `type` names; they are kept
//! as JSON maps. Temperatures, weights and offsets of the weather index are neither prices nor
//! counts and the exchange sends them as JSON numbers: they are kept as
//! [`serde_json::Number`] (integers exact; decimals as the nearest `f64`, written back in their
//! shortest form).

mod milestone;
mod weather;

pub use milestone::{
    EventLiveData, GetEventLiveData, GetEventLiveDataResponse, GetGameStats, GetGameStatsResponse,
    GetLiveData, GetLiveDataByMilestone, GetLiveDataResponse, GetLiveDatas, GetLiveDatasResponse,
    LiveData, MAX_MILESTONE_IDS, PlayByPlay, PlayByPlayPeriod,
};
pub use weather::{
    GetWeatherIndex, GetWeatherIndexCalibrations, GetWeatherIndexCalibrationsResponse,
    GetWeatherIndexResponse, WeatherIndexCalibration, WeatherIndexCalibrationStation,
    WeatherIndexPoint, WeatherIndexStationReading, WeatherIndexStatus,
};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetLiveDatas,
        GetEventLiveData,
        GetLiveDataByMilestone,
        GetGameStats,
        GetWeatherIndex,
        GetWeatherIndexCalibrations,
        GetLiveData,
    ]
}
