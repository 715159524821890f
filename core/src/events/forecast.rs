//! `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// The forecast periods the exchange serves, in minutes: 0 stands for 5-second periods.
pub const FORECAST_PERIODS: [u32; 4] = [0, 1, 60, 1440];

/// The most percentiles one request may ask for.
pub const MAX_PERCENTILES: usize = 10;

/// The highest percentile (percentiles are in hundredths of a percent: 0..=9999).
pub const MAX_PERCENTILE: u32 = 9999;

/// The history of an event's forecast at chosen percentiles
/// (`GetEventForecastPercentilesHistory`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetEventForecastPercentilesHistory {
    /// The series ticker (percent-encoded into the path).
    pub series_ticker: String,
    /// The event ticker (percent-encoded into the path).
    pub ticker: String,
    /// The percentiles, 1 to 10 values each in 0..=9999; sent as one `percentiles=` pair per
    /// value, in this order.
    pub percentiles: Vec<u32>,
    /// Start of the range, Unix time (seconds).
    pub start_ts: i64,
    /// End of the range, Unix time (seconds); not before `start_ts`.
    pub end_ts: i64,
    /// The length of each period in minutes: 1, 60 or 1440, or 0 for 5-second periods
    /// ([`FORECAST_PERIODS`]).
    pub period_interval: u32,
}

impl GetEventForecastPercentilesHistory {
    /// The forecast of event `ticker` of series `series_ticker` at `percentiles`, from
    /// `start_ts` to `end_ts` (Unix seconds), `period_interval` minutes per point (0: 5 seconds).
    pub fn new(
        series_ticker: impl Into<String>,
        ticker: impl Into<String>,
        percentiles: impl Into<Vec<u32>>,
        start_ts: i64,
        end_ts: i64,
        period_interval: u32,
    ) -> Self {
        GetEventForecastPercentilesHistory {
            series_ticker: series_ticker.into(),
            ticker: ticker.into(),
            percentiles: percentiles.into(),
            start_ts,
            end_ts,
            period_interval,
        }
    }
}

/// The forecast at one percentile (`PercentilePoint`).
///
/// The two numerical forecasts are documented as JSON numbers that are neither prices nor
/// counts (a temperature, a rate, ...): they are kept as [`serde_json::Number`] (integers
/// exact; decimals as the nearest `f64`, written back in their shortest form), since the
/// exchange sends no exact text. `formatted_forecast` is the exchange's own rendering.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PercentilePoint {
    /// The percentile, in hundredths of a percent (0..=9999).
    pub percentile: i32,
    /// The raw forecast value.
    pub raw_numerical_forecast: Number,
    /// The processed forecast value.
    pub numerical_forecast: Number,
    /// The forecast as displayed (for example `"72.5°F"`).
    pub formatted_forecast: String,
}

/// The forecast at every asked percentile at the end of one period
/// (`ForecastPercentilesPoint`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ForecastPercentilesPoint {
    /// The event.
    pub event_ticker: String,
    /// Unix time (seconds) of the inclusive end of the period.
    pub end_period_ts: i64,
    /// The period's length in minutes.
    pub period_interval: i32,
    /// The forecast at each percentile.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub percentile_points: Vec<PercentilePoint>,
}

/// The answer to [`GetEventForecastPercentilesHistory`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetEventForecastPercentilesHistoryResponse {
    /// The forecast over time, a point per period.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub forecast_history: Vec<ForecastPercentilesPoint>,
}

impl Operation for GetEventForecastPercentilesHistory {
    type Output = GetEventForecastPercentilesHistoryResponse;
    const NAME: &'static str = "GetEventForecastPercentilesHistory";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("series_ticker", &self.series_ticker)?;
        validate_id("ticker", &self.ticker)?;
        if self.percentiles.is_empty() || self.percentiles.len() > MAX_PERCENTILES {
            return Err(Error::invalid(
                "percentiles",
                format!("{} values; 1 to 10 are accepted", self.percentiles.len()),
            ));
        }
        if let Some(p) = self.percentiles.iter().find(|p| **p > MAX_PERCENTILE) {
            return Err(Error::invalid(
                "percentiles",
                format!("{p} is outside 0..=9999"),
            ));
        }
        super::candlesticks::time_range(self.start_ts, self.end_ts)?;
        if !FORECAST_PERIODS.contains(&self.period_interval) {
            return Err(Error::invalid(
                "period_interval",
                format!(
                    "{} is not 0 (5 seconds), 1, 60 or 1440 (minutes)",
                    self.period_interval
                ),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/series/")
            .segment(&self.series_ticker)
            .literal("/events/")
            .segment(&self.ticker)
            .literal("/forecast_percentile_history");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        for p in &self.percentiles {
            q.opt("percentiles", Some(p));
        }
        q.opt("start_ts", Some(self.start_ts))
            .opt("end_ts", Some(self.end_ts))
            .opt("period_interval", Some(self.period_interval));
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetEventForecastPercentilesHistory {
    fn full() -> Self {
        GetEventForecastPercentilesHistory::new(
            "KXHIGHNY",
            "KXHIGHNY-26DEC06",
            vec![1000, 5000, 9000],
            1_796_000_000,
            1_796_086_400,
            60,
        )
    }
    fn minimal() -> Self {
        GetEventForecastPercentilesHistory::new(
            "KXHIGHNY",
            "KXHIGHNY-26DEC06",
            vec![5000],
            1_796_000_000,
            1_796_086_400,
            0,
        )
    }
}
