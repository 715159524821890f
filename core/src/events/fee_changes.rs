//! `GET /events/fee_changes`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Number;

use super::FeeType;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, validate};

/// Lists scheduled event fee overrides, a page at a time (`GetEventFeeChanges`). An event's fee
/// override sits on top of its series' fees; a change with both overrides `None` clears it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetEventFeeChanges {
    /// Only this event.
    pub event_ticker: Option<String>,
    /// Page size, 1..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetEventFeeChanges {
    /// The first page, every event.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetEventFeeChanges {
    /// Only this event.
    event_ticker: String,
}}

crate::pagination::cursor_list!(
    GetEventFeeChanges => GetEventFeeChangesResponse.event_fee_changes: EventFeeChange
);

/// A scheduled change of an event's fee override (`EventFeeChange`).
///
/// `fee_multiplier_override` is documented as a JSON number (`double`) that is neither a price
/// nor a count: it is kept as a [`serde_json::Number`] (integers exact; decimals as the nearest
/// `f64`, written back in their shortest form), since the exchange sends no exact text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventFeeChange {
    /// The fee change id.
    pub id: String,
    /// The event it applies to.
    pub event_ticker: String,
    /// The event's series.
    pub series_ticker: String,
    /// The new fee type override; `None` clears the override (the series' fees apply).
    #[serde(default)]
    pub fee_type_override: Option<FeeType>,
    /// The new fee multiplier override; `None` clears the override.
    #[serde(default)]
    pub fee_multiplier_override: Option<Number>,
    /// When the change takes effect.
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub scheduled_ts: jiff::Timestamp,
}

/// One page of [`GetEventFeeChanges`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetEventFeeChangesResponse {
    /// The fee changes on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub event_fee_changes: Vec<EventFeeChange>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetEventFeeChanges {
    type Output = GetEventFeeChangesResponse;
    const NAME: &'static str = "GetEventFeeChanges";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/events/fee_changes");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("event_ticker", self.event_ticker.as_deref())
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref());
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetEventFeeChanges {
    fn full() -> Self {
        GetEventFeeChanges::new()
            .event_ticker("KXHIGHNY-26DEC06")
            .limit(100)
            .cursor("c1")
    }
    fn minimal() -> Self {
        GetEventFeeChanges::new()
    }
}
