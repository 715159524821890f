//! `GET /milestones`

use http::{Method, StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::Milestone;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, validate};

/// The largest page [`GetMilestones`] accepts.
pub const MAX_MILESTONES_LIMIT: u32 = 500;

/// Lists milestones with filters, a page at a time (`GetMilestones`). The page size is
/// required. See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMilestones {
    /// Page size, 1..=500 (required by the API).
    pub limit: Option<u32>,
    /// Only milestones starting at or after this instant (sent as RFC 3339).
    pub minimum_start_date: Option<Timestamp>,
    /// Only this category (`Sports`, `Elections`, `Esports`, `Crypto`, ...).
    pub category: Option<String>,
    /// Only this competition (`Pro Football`, `Pro Basketball (M)`, ...).
    pub competition: Option<String>,
    /// Only this source id.
    pub source_id: Option<String>,
    /// Only this milestone type (`football_game`, `political_race`, ...; the API's `type`).
    pub milestone_type: Option<String>,
    /// Only milestones related to this event.
    pub related_event_ticker: Option<String>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only milestones whose metadata changed after this Unix time (seconds): for polling.
    pub min_updated_ts: Option<i64>,
}

impl GetMilestones {
    /// The first page of `limit` milestones (1..=500), no filters.
    pub fn new(limit: u32) -> Self {
        GetMilestones {
            limit: Some(limit),
            minimum_start_date: None,
            category: None,
            competition: None,
            source_id: None,
            milestone_type: None,
            related_event_ticker: None,
            cursor: None,
            min_updated_ts: None,
        }
    }
}

crate::operation::opt_setters! { GetMilestones {
    /// Only milestones starting at or after this instant.
    minimum_start_date: Timestamp,
    /// Only this category (`Sports`, `Elections`, `Esports`, `Crypto`, ...).
    category: String,
    /// Only this competition (`Pro Football`, `Pro Basketball (M)`, ...).
    competition: String,
    /// Only this source id.
    source_id: String,
    /// Only this milestone type (the API's `type`).
    milestone_type: String,
    /// Only milestones related to this event.
    related_event_ticker: String,
    /// Only milestones whose metadata changed after this Unix time (seconds).
    min_updated_ts: i64,
}}

crate::pagination::cursor_list!(GetMilestones => GetMilestonesResponse.milestones: Milestone);

/// One page of [`GetMilestones`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMilestonesResponse {
    /// The milestones on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub milestones: Vec<Milestone>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetMilestones {
    type Output = GetMilestonesResponse;
    const NAME: &'static str = "GetMilestones";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        if self.limit.is_none() {
            return Err(Error::invalid("limit", "is required (1..=500)"));
        }
        validate::page_limit(self.limit, MAX_MILESTONES_LIMIT)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/milestones");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("minimum_start_date", self.minimum_start_date)
            .opt("category", self.category.as_deref())
            .opt("competition", self.competition.as_deref())
            .opt("source_id", self.source_id.as_deref())
            .opt("type", self.milestone_type.as_deref())
            .opt("related_event_ticker", self.related_event_ticker.as_deref())
            .opt("cursor", self.cursor.as_deref())
            .opt("min_updated_ts", self.min_updated_ts);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMilestones {
    fn full() -> Self {
        GetMilestones::new(100)
            .minimum_start_date("2026-01-02T00:00:00Z".parse().unwrap())
            .category("Sports")
            .competition("Pro Football")
            .source_id("sr:match:1")
            .milestone_type("football_game")
            .related_event_ticker("KXNFLGAME-26JAN04BUFNYJ")
            .cursor("abc")
            .min_updated_ts(1_767_000_000)
    }
    fn minimal() -> Self {
        GetMilestones::new(100)
    }
}
