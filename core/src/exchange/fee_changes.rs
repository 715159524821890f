//! `GET /series/fee_changes`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::market::FeeType;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::null_as_empty;

/// Lists scheduled changes of series fees (`GetSeriesFeeChanges`): upcoming ones, and past
/// ones too with `show_historical`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetSeriesFeeChanges {
    /// Only this series.
    pub series_ticker: Option<String>,
    /// Include changes already in effect (default false).
    pub show_historical: Option<bool>,
}

impl GetSeriesFeeChanges {
    /// The upcoming fee changes of every series.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetSeriesFeeChanges {
    /// Only this series.
    series_ticker: String,
    /// Include changes already in effect.
    show_historical: bool,
}}

/// A scheduled change of a series' fees (`SeriesFeeChange`).
///
/// `fee_multiplier` is documented as a JSON number (`double`) that is neither a price nor a
/// count: it is kept as a [`serde_json::Number`] (integers exact; decimals as the nearest
/// `f64`, written back in their shortest form), since the exchange sends no exact text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SeriesFeeChange {
    /// The fee change id.
    pub id: String,
    /// The series it applies to.
    pub series_ticker: String,
    /// The series' new fee type.
    pub fee_type: FeeType,
    /// The series' new fee multiplier (a JSON number).
    pub fee_multiplier: Number,
    /// When the change takes effect.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub scheduled_ts: jiff::Timestamp,
}

/// The answer to [`GetSeriesFeeChanges`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSeriesFeeChangesResponse {
    /// The fee changes.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub series_fee_change_arr: Vec<SeriesFeeChange>,
}

impl Operation for GetSeriesFeeChanges {
    type Output = GetSeriesFeeChangesResponse;
    const NAME: &'static str = "GetSeriesFeeChanges";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/series/fee_changes");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("series_ticker", self.series_ticker.as_deref())
            .opt("show_historical", self.show_historical);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSeriesFeeChanges {
    fn full() -> Self {
        GetSeriesFeeChanges::new()
            .series_ticker("KXHIGHNY")
            .show_historical(true)
    }
    fn minimal() -> Self {
        GetSeriesFeeChanges::new()
    }
}
