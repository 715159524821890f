//! Events: events, their metadata, candlesticks, forecast history and fee changes.
//!
//! | operation | request |
//! |---|---|
//! | [`GetEvents`] | `GET /events` |
//! | [`GetEventFeeChanges`] | `GET /events/fee_changes` |
//! | [`GetMultivariateEvents`] | `GET /events/multivariate` |
//! | [`GetEvent`] | `GET /events/{event_ticker}` |
//! | [`GetEventMetadata`] | `GET /events/{event_ticker}/metadata` |
//! | [`GetMarketCandlesticksByEvent`] | `GET /series/{series_ticker}/events/{ticker}/candlesticks` |
//! | [`GetEventForecastPercentilesHistory`] | `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history` |
//!
//! Events embed markets ([`Market`], with `with_nested_markets`) and event candlesticks are
//! market candlesticks ([`MarketCandlestick`]).

mod candlesticks;
mod fee_changes;
mod forecast;
mod get;
mod list;
mod types;

pub use candlesticks::{
    CANDLESTICK_PERIODS, GetMarketCandlesticksByEvent, GetMarketCandlesticksByEventResponse,
};
pub use fee_changes::{EventFeeChange, GetEventFeeChanges, GetEventFeeChangesResponse};
pub use forecast::{
    FORECAST_PERIODS, ForecastPercentilesPoint, GetEventForecastPercentilesHistory,
    GetEventForecastPercentilesHistoryResponse, MAX_PERCENTILE, MAX_PERCENTILES, PercentilePoint,
};
pub use get::{
    GetEvent, GetEventMetadata, GetEventMetadataResponse, GetEventResponse, MarketMetadata,
};
pub use list::{
    GetEvents, GetEventsResponse, GetMultivariateEvents, GetMultivariateEventsResponse,
};
// Events embed the market area's records (same schemas).
use crate::market::{FeeType, Market, MarketCandlestick, SettlementSource};
pub use types::{Event, EventStatus, Milestone};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetEvents,
        GetEventFeeChanges,
        GetMultivariateEvents,
        GetEvent,
        GetEventMetadata,
        GetMarketCandlesticksByEvent,
        GetEventForecastPercentilesHistory,
    ]
}
