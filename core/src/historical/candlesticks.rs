//! `GET /historical/markets/{ticker}/candlesticks`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::market::{period_interval, time_range};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;
use crate::{Error, FixedPointCount, FixedPointDollars};

/// Candlesticks of an archived market (`GetMarketCandlesticksHistorical`): those ending
/// between `start_ts` and `end_ts` (inclusive), one per `period_interval` minutes (1, 60 or
/// 1440). The historical candlestick schema names its fields without the `_dollars` / `_fp`
/// suffixes, hence its own types ([`MarketCandlestickHistorical`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMarketCandlesticksHistorical {
    /// The market ticker.
    pub ticker: String,
    /// Unix time (seconds): candlesticks ending at or after it.
    pub start_ts: i64,
    /// Unix time (seconds): candlesticks ending at or before it.
    pub end_ts: i64,
    /// Minutes per candlestick: 1, 60 or 1440.
    pub period_interval: u32,
}

impl GetMarketCandlesticksHistorical {
    /// Candlesticks of archived market `ticker`.
    pub fn new(
        ticker: impl Into<String>,
        start_ts: i64,
        end_ts: i64,
        period_interval: u32,
    ) -> Self {
        GetMarketCandlesticksHistorical {
            ticker: ticker.into(),
            start_ts,
            end_ts,
            period_interval,
        }
    }
}

/// Open, high, low and close of the best YES offer in one period
/// (`BidAskDistributionHistorical`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BidAskDistributionHistorical {
    /// The offer at the start of the period.
    pub open: FixedPointDollars,
    /// The lowest offer during the period.
    pub low: FixedPointDollars,
    /// The highest offer during the period.
    pub high: FixedPointDollars,
    /// The offer at the end of the period.
    pub close: FixedPointDollars,
}

/// Traded prices in one period (`PriceDistributionHistorical`); each `None` when nothing
/// traded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PriceDistributionHistorical {
    /// First trade price.
    pub open: Option<FixedPointDollars>,
    /// Lowest trade price.
    pub low: Option<FixedPointDollars>,
    /// Highest trade price.
    pub high: Option<FixedPointDollars>,
    /// Last trade price.
    pub close: Option<FixedPointDollars>,
    /// Volume-weighted average price.
    pub mean: Option<FixedPointDollars>,
    /// Close of the previous period.
    pub previous: Option<FixedPointDollars>,
}

/// One candlestick of an archived market (`MarketCandlestickHistorical`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketCandlestickHistorical {
    /// Unix time of the inclusive end of the period.
    pub end_period_ts: i64,
    /// YES buy offers during the period.
    pub yes_bid: BidAskDistributionHistorical,
    /// YES sell offers during the period.
    pub yes_ask: BidAskDistributionHistorical,
    /// Traded prices during the period.
    pub price: PriceDistributionHistorical,
    /// Contracts bought during the period.
    pub volume: FixedPointCount,
    /// Contracts held at the end of the period.
    pub open_interest: FixedPointCount,
}

/// The answer to [`GetMarketCandlesticksHistorical`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketCandlesticksHistoricalResponse {
    /// The market.
    pub ticker: String,
    /// The candlesticks, oldest first.
    #[serde(deserialize_with = "null_as_empty")]
    pub candlesticks: Vec<MarketCandlestickHistorical>,
}

impl Operation for GetMarketCandlesticksHistorical {
    type Output = GetMarketCandlesticksHistoricalResponse;
    const NAME: &'static str = "GetMarketCandlesticksHistorical";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("ticker", &self.ticker)?;
        period_interval(self.period_interval)?;
        time_range(self.start_ts, self.end_ts)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/markets/")
            .segment(&self.ticker)
            .literal("/candlesticks");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("start_ts", &self.start_ts.to_string())
            .pair("end_ts", &self.end_ts.to_string())
            .pair("period_interval", &self.period_interval.to_string());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarketCandlesticksHistorical {
    fn full() -> Self {
        GetMarketCandlesticksHistorical::new(
            "KXHIGHNY-24JAN01-B45.5",
            1_704_067_200,
            1_704_153_600,
            1440,
        )
    }
    fn minimal() -> Self {
        Self::full()
    }
}
