//! The weather index: `GET /live_data/weather/{city}` and
//! `GET /live_data/weather/{city}/calibrations`.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::Error;
use crate::enums::string_enum;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

string_enum! {
    /// The state of one minute of the weather index (`status`).
    WeatherIndexStatus {
        /// Every member station contributed its exact-minute primary observation.
        Normal = "normal",
        /// A member was absent, fed by a fallback or replaced by quality control; the value is
        /// as settlement-eligible as a normal one.
        Degraded = "degraded",
        /// With `detailed=true` only: a trailing minute still inside its receipt deadline, with
        /// no value yet (its station readings are `pending`).
        Incomplete = "incomplete",
    }
}

/// One station's reading behind one minute of the index (`WeatherIndexStationReading`), only
/// with `detailed=true`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WeatherIndexStationReading {
    /// The member station (`KMIA1M`) or its official fallback.
    pub station_id: String,
    /// The disposition: `ok`, `missing`, `late`, a quality-control rejection (`range`,
    /// `rate_spatial`, `extreme`) or `pending`.
    pub code: String,
    /// `hf_asos` (exact-minute primary) or `metar` (carried-forward official observation);
    /// absent when there was no reading.
    #[serde(default)]
    pub source: Option<String>,
    /// The raw reported temperature in Fahrenheit, unrounded (a JSON number); absent for
    /// `missing` members.
    #[serde(default)]
    pub temp_f: Option<Number>,
    /// The observation time of a carried-forward fallback, Unix milliseconds.
    #[serde(default)]
    pub obs_time_ms: Option<i64>,
    /// When the reading was received, Unix milliseconds (the eligibility deadline is on it).
    #[serde(default)]
    pub received_at_ms: Option<i64>,
    /// Why the primary observation was passed over when a fallback was used.
    #[serde(default)]
    pub primary_code: Option<String>,
}

/// One minute of the weather index (`WeatherIndexPoint`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WeatherIndexPoint {
    /// The minute, Unix milliseconds UTC.
    pub t: i64,
    /// The published value in Fahrenheit, rounded to 0.01 (a JSON number); absent on
    /// `incomplete` minutes.
    #[serde(default)]
    pub v: Option<Number>,
    /// Normal, degraded or incomplete.
    pub status: WeatherIndexStatus,
    /// How many member stations back the value; absent on `incomplete` minutes.
    #[serde(default)]
    pub contributors: Option<i64>,
    /// Per-station readings, sorted by station id (only with `detailed=true`).
    #[serde(default)]
    pub stations: Option<Vec<WeatherIndexStationReading>>,
}

/// A city's temperature index, minute by minute (`GetWeatherIndex`): the series behind the
/// hourly temperature markets.
///
/// The window is `from`..=`to` (Unix milliseconds; `from` needs `to`), or the last `last_sec`
/// seconds; the default is the last 24 hours.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetWeatherIndex {
    /// The index city id (`miami`; percent-encoded into the path).
    pub city: String,
    /// Window start, Unix milliseconds, inclusive (needs `to`).
    pub from: Option<i64>,
    /// Window end, Unix milliseconds, inclusive (default now).
    pub to: Option<i64>,
    /// A trailing window in seconds instead of `from`/`to`.
    pub last_sec: Option<i64>,
    /// Whether to include each minute's station readings.
    pub detailed: Option<bool>,
}

impl GetWeatherIndex {
    /// The last 24 hours of this city's index.
    pub fn new(city: impl Into<String>) -> Self {
        GetWeatherIndex {
            city: city.into(),
            from: None,
            to: None,
            last_sec: None,
            detailed: None,
        }
    }

    /// The window `from..=to`, Unix milliseconds.
    pub fn window(mut self, from: i64, to: i64) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }
}

crate::operation::opt_setters! { GetWeatherIndex {
    /// Window end, Unix milliseconds, inclusive (the start is then 24 hours before).
    to: i64,
    /// A trailing window in seconds (not with `from`/`to`).
    last_sec: i64,
    /// Whether to include each minute's station readings.
    detailed: bool,
}}

/// The answer to [`GetWeatherIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetWeatherIndexResponse {
    /// The city id.
    pub city: String,
    /// Always `fahrenheit`.
    pub units: String,
    /// The configuration version of the newest point (`miami-temperature-v1.0`); empty when
    /// no point matched.
    #[serde(default)]
    pub config_version: Option<String>,
    /// The minutes, in order.
    #[serde(deserialize_with = "null_as_empty")]
    pub timeseries: Vec<WeatherIndexPoint>,
}

impl Operation for GetWeatherIndex {
    type Output = GetWeatherIndexResponse;
    const NAME: &'static str = "GetWeatherIndex";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("city", &self.city)?;
        if self.last_sec.is_some() && (self.from.is_some() || self.to.is_some()) {
            return Err(Error::invalid(
                "last_sec",
                "cannot be used together with from/to",
            ));
        }
        if let Some(s) = self.last_sec.filter(|s| *s <= 0) {
            return Err(Error::invalid("last_sec", format!("{s} is not positive")));
        }
        match (self.from, self.to) {
            (Some(_), None) => Err(Error::invalid("from", "needs `to` (or use last_sec)")),
            (Some(f), Some(t)) if f > t => {
                Err(Error::invalid("from", format!("{f} is after to ({t})")))
            }
            _ => Ok(()),
        }
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/weather/").segment(&self.city);
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("from", self.from)
            .opt("to", self.to)
            .opt("last_sec", self.last_sec)
            .opt("detailed", self.detailed);
    }
}

/// One member station of a weather-index configuration (`WeatherIndexCalibrationStation`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WeatherIndexCalibrationStation {
    /// The station id (`KMIA1M`).
    pub station_id: String,
    /// Its base weight (the weights sum to 1; a JSON number).
    pub weight: Number,
    /// Its offset in Celsius (positive: it usually runs warmer than its peers; a JSON number).
    pub offset_c: Number,
    /// On weekly calibrations only: `updated ...` with the residual count, target and applied
    /// adjustment, or `insufficient ...` when the previous offset was kept.
    #[serde(default)]
    pub update_note: Option<String>,
}

/// One configuration of a city's weather index (`WeatherIndexCalibration`): the launch
/// configuration, a weekly offset calibration or a methodology update.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct WeatherIndexCalibration {
    /// The configuration version (`miami-temperature-v1.0-cal-20260831`), as index points
    /// report it.
    pub config_version: String,
    /// When it was published, Unix milliseconds UTC.
    #[serde(default)]
    pub published_at_ms: Option<i64>,
    /// It governs the minutes at or after this time (Unix milliseconds UTC) until the next
    /// record.
    pub effective_at_ms: i64,
    /// Why the configuration changed.
    #[serde(default)]
    pub change_reason: Option<String>,
    /// Start of the observation window the offsets were estimated from (absent on the launch
    /// configuration), Unix milliseconds.
    #[serde(default)]
    pub calibration_window_start_ms: Option<i64>,
    /// End of that window (exclusive), Unix milliseconds.
    #[serde(default)]
    pub calibration_window_end_ms: Option<i64>,
    /// The city reference in Celsius: the weighted sum of the member stations' offsets (a
    /// JSON number).
    pub city_reference_c: Number,
    /// The member stations, in configuration order.
    #[serde(deserialize_with = "null_as_empty")]
    pub stations: Vec<WeatherIndexCalibrationStation>,
}

/// The configuration timeline of a city's weather index (`GetWeatherIndexCalibrations`): the
/// station weights, offsets and city reference in force from each record's effective time,
/// oldest first. Newer than the June 2026 docs: shapes from Kalshi's SDK 3.34.0.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetWeatherIndexCalibrations {
    /// The index city id (`miami`; percent-encoded into the path).
    pub city: String,
}

impl GetWeatherIndexCalibrations {
    /// The configuration timeline of this city's index.
    pub fn new(city: impl Into<String>) -> Self {
        GetWeatherIndexCalibrations { city: city.into() }
    }
}

/// The answer to [`GetWeatherIndexCalibrations`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetWeatherIndexCalibrationsResponse {
    /// The city id.
    pub city: String,
    /// Always `celsius` (offsets and the city reference; the index itself is Fahrenheit).
    pub units: String,
    /// The configurations, oldest first.
    #[serde(deserialize_with = "null_as_empty")]
    pub calibrations: Vec<WeatherIndexCalibration>,
}

impl Operation for GetWeatherIndexCalibrations {
    type Output = GetWeatherIndexCalibrationsResponse;
    const NAME: &'static str = "GetWeatherIndexCalibrations";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("city", &self.city)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/weather/")
            .segment(&self.city)
            .literal("/calibrations");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetWeatherIndex {
    fn full() -> Self {
        GetWeatherIndex::new("miami")
            .window(1_767_225_600_000, 1_767_312_000_000)
            .detailed(true)
    }
    fn minimal() -> Self {
        GetWeatherIndex::new("miami")
    }
    fn also_full() -> Vec<Self> {
        vec![GetWeatherIndex::new("miami").last_sec(3600)]
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetWeatherIndexCalibrations {
    fn full() -> Self {
        GetWeatherIndexCalibrations::new("miami")
    }
    fn minimal() -> Self {
        GetWeatherIndexCalibrations::new("miami")
    }
}
