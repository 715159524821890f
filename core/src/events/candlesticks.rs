//! `GET /series/{series_ticker}/events/{ticker}/candlesticks`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::MarketCandlestick;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// The candlestick periods the exchange serves, in minutes: a minute, an hour, a day.
pub const CANDLESTICK_PERIODS: [u32; 3] = [1, 60, 1440];

/// Candlesticks of every market of an event over a time range
/// (`GetMarketCandlesticksByEvent`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMarketCandlesticksByEvent {
    /// The series ticker (percent-encoded into the path).
    pub series_ticker: String,
    /// The event ticker (percent-encoded into the path).
    pub ticker: String,
    /// Start of the range, Unix time (seconds).
    pub start_ts: i64,
    /// End of the range, Unix time (seconds); not before `start_ts`.
    pub end_ts: i64,
    /// The length of each candlestick in minutes: 1, 60 or 1440 ([`CANDLESTICK_PERIODS`]).
    pub period_interval: u32,
}

impl GetMarketCandlesticksByEvent {
    /// The candlesticks of event `ticker` of series `series_ticker` from `start_ts` to `end_ts`
    /// (Unix seconds), `period_interval` minutes each (1, 60 or 1440).
    pub fn new(
        series_ticker: impl Into<String>,
        ticker: impl Into<String>,
        start_ts: i64,
        end_ts: i64,
        period_interval: u32,
    ) -> Self {
        GetMarketCandlesticksByEvent {
            series_ticker: series_ticker.into(),
            ticker: ticker.into(),
            start_ts,
            end_ts,
            period_interval,
        }
    }
}

/// The answer to [`GetMarketCandlesticksByEvent`]: one candlestick list per market, in the
/// order of `market_tickers`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketCandlesticksByEventResponse {
    /// The event's markets.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub market_tickers: Vec<String>,
    /// The candlesticks of each market, index for index with `market_tickers`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub market_candlesticks: Vec<Vec<MarketCandlestick>>,
    /// The end of the range actually served (Unix seconds), earlier than `end_ts` when the
    /// range asked for too many candlesticks.
    pub adjusted_end_ts: i64,
}

/// Refuses an inverted time range.
pub(super) fn time_range(start_ts: i64, end_ts: i64) -> Result<(), Error> {
    if start_ts > end_ts {
        return Err(Error::invalid(
            "start_ts",
            format!("{start_ts} is after end_ts {end_ts}"),
        ));
    }
    Ok(())
}

impl Operation for GetMarketCandlesticksByEvent {
    type Output = GetMarketCandlesticksByEventResponse;
    const NAME: &'static str = "GetMarketCandlesticksByEvent";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("series_ticker", &self.series_ticker)?;
        validate_id("ticker", &self.ticker)?;
        time_range(self.start_ts, self.end_ts)?;
        if !CANDLESTICK_PERIODS.contains(&self.period_interval) {
            return Err(Error::invalid(
                "period_interval",
                format!("{} is not 1, 60 or 1440 (minutes)", self.period_interval),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/series/")
            .segment(&self.series_ticker)
            .literal("/events/")
            .segment(&self.ticker)
            .literal("/candlesticks");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("start_ts", Some(self.start_ts))
            .opt("end_ts", Some(self.end_ts))
            .opt("period_interval", Some(self.period_interval));
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarketCandlesticksByEvent {
    fn full() -> Self {
        GetMarketCandlesticksByEvent::new(
            "KXHIGHNY",
            "KXHIGHNY-26DEC06",
            1_796_000_000,
            1_796_086_400,
            60,
        )
    }
    fn minimal() -> Self {
        Self::full()
    }
}
