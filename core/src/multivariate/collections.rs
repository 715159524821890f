//! `GET /multivariate_event_collections` and
//! `GET /multivariate_event_collections/{collection_ticker}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::enums::string_enum;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::{cursor, null_as_empty, time};
use crate::{Error, validate};

/// The largest page [`GetMultivariateEventCollections`] accepts.
pub const MAX_COLLECTIONS_LIMIT: u32 = 200;

string_enum! {
    /// The `status` filter of [`GetMultivariateEventCollections`].
    CollectionStatus {
        /// Not open yet.
        Unopened = "unopened",
        /// Open.
        Open = "open",
        /// Closed.
        Closed = "closed",
    }
}

/// One event of a collection with its own rules (`AssociatedEvent`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AssociatedEvent {
    /// The event ticker.
    pub ticker: String,
    /// Whether only the YES side of its markets may be selected.
    pub is_yes_only: bool,
    /// The most markets of this event in one selection (inclusive); `None`: no limit.
    #[serde(default)]
    pub size_max: Option<i32>,
    /// The fewest markets of this event in one selection (inclusive); `None`: no limit.
    #[serde(default)]
    pub size_min: Option<i32>,
    /// The active quoters of this event.
    #[serde(deserialize_with = "null_as_empty")]
    pub active_quoters: Vec<String>,
}

/// A multivariate event collection (`MultivariateEventCollection`): the events whose markets
/// can be combined, and how.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MultivariateEventCollection {
    /// The collection's ticker.
    pub collection_ticker: String,
    /// The series the collection's events belong to.
    pub series_ticker: String,
    /// The exchange shard, inherited from the series.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
    /// Its title.
    pub title: String,
    /// A short description.
    pub description: String,
    /// Before this time the collection cannot be used.
    #[serde(deserialize_with = "time")]
    pub open_date: jiff::Timestamp,
    /// After this time the collection cannot be used.
    #[serde(deserialize_with = "time")]
    pub close_date: jiff::Timestamp,
    /// The events, each with its own rules.
    #[serde(deserialize_with = "null_as_empty")]
    pub associated_events: Vec<AssociatedEvent>,
    /// Deprecated (use `associated_events`): the events' tickers.
    #[serde(deserialize_with = "null_as_empty")]
    pub associated_event_tickers: Vec<String>,
    /// Whether the order of the selected markets changes the result.
    pub is_ordered: bool,
    /// Deprecated (use `associated_events`): whether a selection takes at most one market per
    /// event.
    pub is_single_market_per_event: bool,
    /// Deprecated (use `associated_events`): whether only YES sides may be selected.
    pub is_all_yes: bool,
    /// The fewest markets in a selection (inclusive).
    pub size_min: i32,
    /// The most markets in a selection (inclusive).
    pub size_max: i32,
    /// How the selection determines the resulting market.
    pub functional_description: String,
}

/// Lists multivariate event collections, a page at a time
/// (`GetMultivariateEventCollections`). See [`crate::pagination::Pages`] for walking every
/// page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetMultivariateEventCollections {
    /// Only collections in this state.
    pub status: Option<CollectionStatus>,
    /// Only collections containing this event.
    pub associated_event_ticker: Option<String>,
    /// Only collections of this series.
    pub series_ticker: Option<String>,
    /// Page size, 1..=200.
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetMultivariateEventCollections {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetMultivariateEventCollections {
    /// Only collections in this state.
    status: CollectionStatus,
    /// Only collections containing this event.
    associated_event_ticker: String,
    /// Only collections of this series.
    series_ticker: String,
}}

crate::pagination::cursor_list!(GetMultivariateEventCollections
    => GetMultivariateEventCollectionsResponse.multivariate_contracts: MultivariateEventCollection);

/// One page of [`GetMultivariateEventCollections`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMultivariateEventCollectionsResponse {
    /// The collections on this page (the API's name for them).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub multivariate_contracts: Vec<MultivariateEventCollection>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetMultivariateEventCollections {
    type Output = GetMultivariateEventCollectionsResponse;
    const NAME: &'static str = "GetMultivariateEventCollections";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, MAX_COLLECTIONS_LIMIT)?;
        if let Some(CollectionStatus::Unknown(s)) = &self.status {
            return Err(Error::invalid(
                "status",
                format!("{s:?} is not one of unopened, open, closed"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/multivariate_event_collections");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("status", self.status.as_ref())
            .opt(
                "associated_event_ticker",
                self.associated_event_ticker.as_deref(),
            )
            .opt("series_ticker", self.series_ticker.as_deref())
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

/// One multivariate event collection (`GetMultivariateEventCollection`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMultivariateEventCollection {
    /// The collection ticker (percent-encoded into the path).
    pub collection_ticker: String,
}

impl GetMultivariateEventCollection {
    /// The collection with this ticker.
    pub fn new(collection_ticker: impl Into<String>) -> Self {
        GetMultivariateEventCollection {
            collection_ticker: collection_ticker.into(),
        }
    }
}

/// The answer to [`GetMultivariateEventCollection`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMultivariateEventCollectionResponse {
    /// The collection (the API's name for it).
    pub multivariate_contract: MultivariateEventCollection,
}

impl Operation for GetMultivariateEventCollection {
    type Output = GetMultivariateEventCollectionResponse;
    const NAME: &'static str = "GetMultivariateEventCollection";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("collection_ticker", &self.collection_ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/multivariate_event_collections/")
            .segment(&self.collection_ticker);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMultivariateEventCollections {
    fn full() -> Self {
        GetMultivariateEventCollections::new()
            .status(CollectionStatus::Open)
            .associated_event_ticker("KXNFLGAME-26JAN04BUFNYJ")
            .series_ticker("KXMVENFLSINGLEGAME")
            .limit(100)
            .cursor("abc")
    }
    fn minimal() -> Self {
        GetMultivariateEventCollections::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMultivariateEventCollection {
    fn full() -> Self {
        GetMultivariateEventCollection::new("KXMVENFLSINGLEGAME-R")
    }
    fn minimal() -> Self {
        GetMultivariateEventCollection::new("KXMVENFLSINGLEGAME-R")
    }
}
