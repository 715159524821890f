//! `GET /series/{series_ticker}` and `GET /series`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::Series;
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// One series by ticker (`GetSeries`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetSeries {
    /// The series ticker.
    pub series_ticker: String,
    /// Include the volume traded across all the series' events (`volume_fp`).
    pub include_volume: Option<bool>,
}

impl GetSeries {
    /// The series `series_ticker`.
    pub fn new(series_ticker: impl Into<String>) -> Self {
        GetSeries {
            series_ticker: series_ticker.into(),
            include_volume: None,
        }
    }
}

crate::operation::opt_setters! { GetSeries {
    /// Include the volume traded across all the series' events.
    include_volume: bool,
}}

/// The answer to [`GetSeries`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSeriesResponse {
    /// The series.
    pub series: Series,
}

impl Operation for GetSeries {
    type Output = GetSeriesResponse;
    const NAME: &'static str = "GetSeries";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("series_ticker", &self.series_ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/series/").segment(&self.series_ticker);
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("include_volume", self.include_volume);
    }
}

/// Lists series with filters (`GetSeriesList`); one answer, no pages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetSeriesList {
    /// Only this category.
    pub category: Option<String>,
    /// Only series with these tags.
    pub tags: Option<String>,
    /// Include each series' `product_metadata`.
    pub include_product_metadata: Option<bool>,
    /// Include the volume traded across each series' events (`volume_fp`).
    pub include_volume: Option<bool>,
    /// Only series whose metadata changed after this Unix time (seconds).
    pub min_updated_ts: Option<i64>,
}

impl GetSeriesList {
    /// Every series.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetSeriesList {
    /// Only this category.
    category: String,
    /// Only series with these tags.
    tags: String,
    /// Include each series' `product_metadata`.
    include_product_metadata: bool,
    /// Include the volume traded across each series' events.
    include_volume: bool,
    /// Only series whose metadata changed after this Unix time (seconds).
    min_updated_ts: i64,
}}

/// The answer to [`GetSeriesList`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSeriesListResponse {
    /// The series.
    #[serde(deserialize_with = "null_as_empty")]
    pub series: Vec<Series>,
}

impl Operation for GetSeriesList {
    type Output = GetSeriesListResponse;
    const NAME: &'static str = "GetSeriesList";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/series");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("category", self.category.as_deref())
            .opt("tags", self.tags.as_deref())
            .opt("include_product_metadata", self.include_product_metadata)
            .opt("include_volume", self.include_volume)
            .opt("min_updated_ts", self.min_updated_ts);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSeries {
    fn full() -> Self {
        GetSeries::new("KXHIGHNY").include_volume(true)
    }
    fn minimal() -> Self {
        GetSeries::new("KXHIGHNY")
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSeriesList {
    fn full() -> Self {
        GetSeriesList::new()
            .category("Climate and Weather")
            .tags("Daily temperature")
            .include_product_metadata(true)
            .include_volume(true)
            .min_updated_ts(1_765_000_000)
    }
    fn minimal() -> Self {
        GetSeriesList::new()
    }
}
