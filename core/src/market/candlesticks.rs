//! `GET /series/{series_ticker}/markets/{ticker}/candlesticks` and `GET /markets/candlesticks`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::MarketCandlestick;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// The candlestick periods `period_interval` takes, in minutes: 1 minute, 1 hour, 1 day.
pub const PERIOD_INTERVALS: [u32; 3] = [1, 60, 1440];
/// The most markets one [`BatchGetMarketCandlesticks`] asks for.
pub const MAX_BATCH_CANDLESTICK_TICKERS: usize = 100;

/// Refuses a `period_interval` other than 1, 60 or 1440.
pub(crate) fn period_interval(minutes: u32) -> Result<(), Error> {
    if PERIOD_INTERVALS.contains(&minutes) {
        Ok(())
    } else {
        Err(Error::invalid(
            "period_interval",
            format!("{minutes} is not one of 1, 60 or 1440 (minutes)"),
        ))
    }
}

/// Refuses a time range that ends before it starts.
pub(crate) fn time_range(start_ts: i64, end_ts: i64) -> Result<(), Error> {
    if start_ts > end_ts {
        return Err(Error::invalid(
            "end_ts",
            format!("{end_ts} is before start_ts {start_ts}"),
        ));
    }
    Ok(())
}

/// Candlesticks of one market (`GetMarketCandlesticks`): those ending between `start_ts` and
/// `end_ts` (inclusive), one per `period_interval` minutes (1, 60 or 1440).
///
/// Markets settled before the historical cutoff are only in
/// [`GetMarketCandlesticksHistorical`](crate::historical::GetMarketCandlesticksHistorical).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMarketCandlesticks {
    /// The series that contains the market.
    pub series_ticker: String,
    /// The market ticker.
    pub ticker: String,
    /// Unix time (seconds): candlesticks ending at or after it.
    pub start_ts: i64,
    /// Unix time (seconds): candlesticks ending at or before it.
    pub end_ts: i64,
    /// Minutes per candlestick: 1, 60 or 1440.
    pub period_interval: u32,
    /// Prepend a synthetic candlestick from the latest one before `start_ts` (prices null,
    /// `previous_dollars` its close), for price continuity.
    pub include_latest_before_start: Option<bool>,
}

impl GetMarketCandlesticks {
    /// Candlesticks of market `ticker` in series `series_ticker`.
    pub fn new(
        series_ticker: impl Into<String>,
        ticker: impl Into<String>,
        start_ts: i64,
        end_ts: i64,
        period_interval: u32,
    ) -> Self {
        GetMarketCandlesticks {
            series_ticker: series_ticker.into(),
            ticker: ticker.into(),
            start_ts,
            end_ts,
            period_interval,
            include_latest_before_start: None,
        }
    }
}

crate::operation::opt_setters! { GetMarketCandlesticks {
    /// Prepend a synthetic candlestick from the latest one before `start_ts`.
    include_latest_before_start: bool,
}}

/// The answer to [`GetMarketCandlesticks`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketCandlesticksResponse {
    /// The market.
    pub ticker: String,
    /// The candlesticks, oldest first.
    #[serde(deserialize_with = "null_as_empty")]
    pub candlesticks: Vec<MarketCandlestick>,
}

impl Operation for GetMarketCandlesticks {
    type Output = GetMarketCandlesticksResponse;
    const NAME: &'static str = "GetMarketCandlesticks";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("series_ticker", &self.series_ticker)?;
        validate_id("ticker", &self.ticker)?;
        period_interval(self.period_interval)?;
        time_range(self.start_ts, self.end_ts)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/series/")
            .segment(&self.series_ticker)
            .literal("/markets/")
            .segment(&self.ticker)
            .literal("/candlesticks");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("start_ts", &self.start_ts.to_string())
            .pair("end_ts", &self.end_ts.to_string())
            .pair("period_interval", &self.period_interval.to_string())
            .opt(
                "include_latest_before_start",
                self.include_latest_before_start,
            );
    }
}

/// Candlesticks of up to 100 markets in one request (`BatchGetMarketCandlesticks`), grouped
/// by market. The exchange returns at most 10,000 candlesticks in all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchGetMarketCandlesticks {
    /// The markets, 1..=100 (sent comma-separated).
    pub market_tickers: Vec<String>,
    /// Unix time (seconds) of the start.
    pub start_ts: i64,
    /// Unix time (seconds) of the end.
    pub end_ts: i64,
    /// Minutes per candlestick (at least 1; documented without a fixed set here).
    pub period_interval: u32,
    /// Prepend a synthetic candlestick from the latest one before `start_ts`, per market.
    pub include_latest_before_start: Option<bool>,
}

impl BatchGetMarketCandlesticks {
    /// Candlesticks of these markets.
    pub fn new<I, S>(market_tickers: I, start_ts: i64, end_ts: i64, period_interval: u32) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        BatchGetMarketCandlesticks {
            market_tickers: market_tickers.into_iter().map(Into::into).collect(),
            start_ts,
            end_ts,
            period_interval,
            include_latest_before_start: None,
        }
    }
}

crate::operation::opt_setters! { BatchGetMarketCandlesticks {
    /// Prepend a synthetic candlestick from the latest one before `start_ts`, per market.
    include_latest_before_start: bool,
}}

/// One market's candlesticks in [`BatchGetMarketCandlesticksResponse`]
/// (`MarketCandlesticksResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketCandlesticks {
    /// The market.
    pub market_ticker: String,
    /// Its candlesticks, oldest first.
    #[serde(deserialize_with = "null_as_empty")]
    pub candlesticks: Vec<MarketCandlestick>,
}

/// The answer to [`BatchGetMarketCandlesticks`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BatchGetMarketCandlesticksResponse {
    /// One entry per requested market.
    #[serde(deserialize_with = "null_as_empty")]
    pub markets: Vec<MarketCandlesticks>,
}

impl Operation for BatchGetMarketCandlesticks {
    type Output = BatchGetMarketCandlesticksResponse;
    const NAME: &'static str = "BatchGetMarketCandlesticks";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        let n = self.market_tickers.len();
        if n == 0 || n > MAX_BATCH_CANDLESTICK_TICKERS {
            return Err(Error::invalid(
                "market_tickers",
                format!("{n} tickers is outside 1..={MAX_BATCH_CANDLESTICK_TICKERS}"),
            ));
        }
        super::markets::ticker_list("market_tickers", &self.market_tickers)?;
        if self.period_interval == 0 || self.period_interval > i32::MAX as u32 {
            return Err(Error::invalid(
                "period_interval",
                format!(
                    "{} is outside 1..=2147483647 (minutes)",
                    self.period_interval
                ),
            ));
        }
        time_range(self.start_ts, self.end_ts)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/markets/candlesticks");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("market_tickers", &self.market_tickers.join(","))
            .pair("start_ts", &self.start_ts.to_string())
            .pair("end_ts", &self.end_ts.to_string())
            .pair("period_interval", &self.period_interval.to_string())
            .opt(
                "include_latest_before_start",
                self.include_latest_before_start,
            );
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarketCandlesticks {
    fn full() -> Self {
        GetMarketCandlesticks::new(
            "KXHIGHNY",
            "KXHIGHNY-26DEC06-B45.5",
            1_765_000_000,
            1_765_086_400,
            60,
        )
        .include_latest_before_start(true)
    }
    fn minimal() -> Self {
        GetMarketCandlesticks::new(
            "KXHIGHNY",
            "KXHIGHNY-26DEC06-B45.5",
            1_765_000_000,
            1_765_086_400,
            60,
        )
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for BatchGetMarketCandlesticks {
    fn full() -> Self {
        BatchGetMarketCandlesticks::new(
            ["KXHIGHNY-26DEC06-B45.5", "KXHIGHNY-26DEC06-B47.5"],
            1_765_000_000,
            1_765_086_400,
            60,
        )
        .include_latest_before_start(true)
    }
    fn minimal() -> Self {
        BatchGetMarketCandlesticks::new(
            ["KXHIGHNY-26DEC06-B45.5"],
            1_765_000_000,
            1_765_086_400,
            1440,
        )
    }
}
