//! `GET /historical/cutoff`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::opt_time;

/// The instants that divide live from historical data (`GetHistoricalCutoff`): what happened
/// before them is only served by the historical operations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetHistoricalCutoff {}

impl GetHistoricalCutoff {
    /// The request.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`GetHistoricalCutoff`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetHistoricalCutoffResponse {
    /// Markets settled before this, and their candlesticks, are only in
    /// [`GetHistoricalMarkets`](super::GetHistoricalMarkets) and
    /// [`GetMarketCandlesticksHistorical`](super::GetMarketCandlesticksHistorical).
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub market_settled_ts: jiff::Timestamp,
    /// Fills before this are only in [`GetFillsHistorical`](super::GetFillsHistorical).
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub trades_created_ts: jiff::Timestamp,
    /// Orders canceled or fully executed before this are only in
    /// [`GetHistoricalOrders`](super::GetHistoricalOrders); resting orders are always live.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub orders_updated_ts: jiff::Timestamp,
    /// Settled positions archived before this are only in
    /// [`GetHistoricalPositions`](super::GetHistoricalPositions).
    #[serde(default, deserialize_with = "opt_time")]
    pub market_positions_last_updated_ts: Option<jiff::Timestamp>,
}

impl Operation for GetHistoricalCutoff {
    type Output = GetHistoricalCutoffResponse;
    const NAME: &'static str = "GetHistoricalCutoff";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/cutoff");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetHistoricalCutoff {
    fn full() -> Self {
        GetHistoricalCutoff::new()
    }
    fn minimal() -> Self {
        GetHistoricalCutoff::new()
    }
}
