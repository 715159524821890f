//! `GET /events/{event_ticker}` and `GET /events/{event_ticker}/metadata`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::{Event, Market, SettlementSource};
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// Gets one event and its markets (`GetEvent`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetEvent {
    /// The event ticker (percent-encoded into the path).
    pub event_ticker: String,
    /// Put the markets inside the event (`event.markets`) rather than only in the deprecated
    /// top-level `markets`.
    pub with_nested_markets: Option<bool>,
}

impl GetEvent {
    /// The event with this ticker.
    pub fn new(event_ticker: impl Into<String>) -> Self {
        GetEvent {
            event_ticker: event_ticker.into(),
            with_nested_markets: None,
        }
    }
}

crate::operation::opt_setters! { GetEvent {
    /// Put the markets inside the event (`event.markets`).
    with_nested_markets: bool,
}}

/// The answer to [`GetEvent`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetEventResponse {
    /// The event.
    pub event: Event,
    /// Deprecated: the event's markets (also in `event.markets` with `with_nested_markets`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub markets: Vec<Market>,
}

impl Operation for GetEvent {
    type Output = GetEventResponse;
    const NAME: &'static str = "GetEvent";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("event_ticker", &self.event_ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/events/").segment(&self.event_ticker);
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("with_nested_markets", self.with_nested_markets);
    }
}

/// Gets an event's metadata only: images, market colours, settlement sources
/// (`GetEventMetadata`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetEventMetadata {
    /// The event ticker (percent-encoded into the path).
    pub event_ticker: String,
}

impl GetEventMetadata {
    /// The metadata of the event with this ticker.
    pub fn new(event_ticker: impl Into<String>) -> Self {
        GetEventMetadata {
            event_ticker: event_ticker.into(),
        }
    }
}

/// Display metadata of one market of an event (`MarketMetadata`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketMetadata {
    /// The market ticker.
    pub market_ticker: String,
    /// A path to an image representing the market.
    pub image_url: String,
    /// The market's colour code.
    pub color_code: String,
}

/// The answer to [`GetEventMetadata`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetEventMetadataResponse {
    /// A path to an image representing the event.
    pub image_url: String,
    /// A path to the featured market's image.
    #[serde(default)]
    pub featured_image_url: Option<String>,
    /// Metadata of the event's markets.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub market_details: Vec<MarketMetadata>,
    /// The event's settlement sources.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub settlement_sources: Vec<SettlementSource>,
    /// The event's competition.
    #[serde(default)]
    pub competition: Option<String>,
    /// The event's scope within the competition.
    #[serde(default)]
    pub competition_scope: Option<String>,
}

impl Operation for GetEventMetadata {
    type Output = GetEventMetadataResponse;
    const NAME: &'static str = "GetEventMetadata";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("event_ticker", &self.event_ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/events/")
            .segment(&self.event_ticker)
            .literal("/metadata");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetEvent {
    fn full() -> Self {
        GetEvent::new("KXHIGHNY-26DEC06").with_nested_markets(true)
    }
    fn minimal() -> Self {
        GetEvent::new("KXHIGHNY-26DEC06")
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetEventMetadata {
    fn full() -> Self {
        GetEventMetadata::new("KXHIGHNY-26DEC06")
    }
    fn minimal() -> Self {
        Self::full()
    }
}
