//! `GET /events` and `GET /events/multivariate`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::{Event, EventStatus, Milestone};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, validate};

/// Lists events, a page at a time, multivariate events excluded (`GetEvents`). See
/// [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetEvents {
    /// Page size, 1..=200 (default 200).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Include each event's markets in `markets` (markets settled before the historical cutoff
    /// are left out).
    pub with_nested_markets: Option<bool>,
    /// Include the related milestones alongside the events.
    pub with_milestones: Option<bool>,
    /// Only events with this status (any status when omitted).
    pub status: Option<EventStatus>,
    /// Only this series.
    pub series_ticker: Option<String>,
    /// Only these events (comma-separated event tickers).
    pub tickers: Option<String>,
    /// Only events with a market closing after this Unix time (seconds).
    pub min_close_ts: Option<i64>,
    /// Only events whose metadata was updated after this Unix time (seconds).
    pub min_updated_ts: Option<i64>,
}

impl GetEvents {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetEvents {
    /// Include each event's markets in `markets`.
    with_nested_markets: bool,
    /// Include the related milestones alongside the events.
    with_milestones: bool,
    /// Only events with this status (`unopened`, `open`, `closed`, `settled`).
    status: EventStatus,
    /// Only this series.
    series_ticker: String,
    /// Only these events (comma-separated event tickers).
    tickers: String,
    /// Only events with a market closing after this Unix time (seconds).
    min_close_ts: i64,
    /// Only events whose metadata was updated after this Unix time (seconds).
    min_updated_ts: i64,
}}

crate::pagination::cursor_list!(GetEvents => GetEventsResponse.events: Event);

/// One page of [`GetEvents`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetEventsResponse {
    /// The events on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub events: Vec<Event>,
    /// The related milestones, with `with_milestones=true`.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub milestones: Vec<Milestone>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetEvents {
    type Output = GetEventsResponse;
    const NAME: &'static str = "GetEvents";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 200)?;
        if let Some(EventStatus::Unknown(s)) = &self.status {
            return Err(Error::invalid(
                "status",
                format!("{s:?} is not one of unopened, open, closed, settled"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/events");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("with_nested_markets", self.with_nested_markets)
            .opt("with_milestones", self.with_milestones)
            .opt("status", self.status.as_ref())
            .opt("series_ticker", self.series_ticker.as_deref())
            .opt("tickers", self.tickers.as_deref())
            .opt("min_close_ts", self.min_close_ts)
            .opt("min_updated_ts", self.min_updated_ts);
    }
}

/// Lists multivariate (combo) events, a page at a time (`GetMultivariateEvents`). Filters by
/// series or by collection, not both (refused before signing).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetMultivariateEvents {
    /// Page size, 1..=200 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this series (not with `collection_ticker`).
    pub series_ticker: Option<String>,
    /// Only events of this multivariate event collection (not with `series_ticker`).
    pub collection_ticker: Option<String>,
    /// Include each event's markets in `markets`.
    pub with_nested_markets: Option<bool>,
}

impl GetMultivariateEvents {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetMultivariateEvents {
    /// Only this series (not with `collection_ticker`).
    series_ticker: String,
    /// Only events of this multivariate event collection (not with `series_ticker`).
    collection_ticker: String,
    /// Include each event's markets in `markets`.
    with_nested_markets: bool,
}}

crate::pagination::cursor_list!(
    GetMultivariateEvents => GetMultivariateEventsResponse.events: Event
);

/// One page of [`GetMultivariateEvents`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMultivariateEventsResponse {
    /// The events on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub events: Vec<Event>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetMultivariateEvents {
    type Output = GetMultivariateEventsResponse;
    const NAME: &'static str = "GetMultivariateEvents";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 200)?;
        if self.series_ticker.is_some() && self.collection_ticker.is_some() {
            return Err(Error::invalid(
                "collection_ticker",
                "cannot be used together with series_ticker",
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/events/multivariate");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("series_ticker", self.series_ticker.as_deref())
            .opt("collection_ticker", self.collection_ticker.as_deref())
            .opt("with_nested_markets", self.with_nested_markets);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetEvents {
    fn full() -> Self {
        GetEvents::new()
            .limit(50)
            .cursor("c1")
            .with_nested_markets(true)
            .with_milestones(true)
            .status(EventStatus::Open)
            .series_ticker("KXHIGHNY")
            .tickers("KXHIGHNY-26DEC06,KXHIGHNY-26DEC07")
            .min_close_ts(1_796_000_000)
            .min_updated_ts(1_795_000_000)
    }
    fn minimal() -> Self {
        GetEvents::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMultivariateEvents {
    fn full() -> Self {
        // `series_ticker` and `collection_ticker` are exclusive: the collection filter is sent
        // by the alternative example.
        GetMultivariateEvents::new()
            .limit(50)
            .cursor("c1")
            .series_ticker("KXMVESPORTS")
            .with_nested_markets(true)
    }
    fn minimal() -> Self {
        GetMultivariateEvents::new()
    }
    fn also_full() -> Vec<Self> {
        vec![GetMultivariateEvents::new().collection_ticker("KXMVESPORTSMULTIGAMEEXTENDED")]
    }
}
