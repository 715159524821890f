//! `GET /structured_targets` and `GET /structured_targets/{structured_target_id}`

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::{cursor, null_as_empty, opt_time};

/// The largest page [`GetStructuredTargets`] accepts.
pub const MAX_PAGE_SIZE: u32 = 2000;
/// The most ids one [`GetStructuredTargets`] request may filter by.
pub const MAX_IDS: usize = 2000;

/// A structured target (`StructuredTarget`): a person, team or other thing markets are about.
/// The API marks every field optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct StructuredTarget {
    /// Its id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its type (`basketball_player`, ...; the API's `type`).
    #[serde(rename = "type", default)]
    pub target_type: Option<String>,
    /// Details whose shape depends on the type.
    #[serde(default)]
    pub details: Option<Map<String, Value>>,
    /// An external source's id for it (a data provider's), if any.
    #[serde(default)]
    pub source_id: Option<String>,
    /// Its ids at external sources, by source.
    #[serde(default)]
    pub source_ids: Option<BTreeMap<String, String>>,
    /// When it was last updated.
    #[serde(default, deserialize_with = "opt_time")]
    pub last_updated_ts: Option<jiff::Timestamp>,
}

/// Lists structured targets, a page at a time (`GetStructuredTargets`). See
/// [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetStructuredTargets {
    /// Only these ids (sent as a repeated `ids` parameter; at most 2000).
    pub ids: Vec<String>,
    /// Only this type (`basketball_player`, ...; the API's `type`).
    pub target_type: Option<String>,
    /// Only this competition (a league, conference, division or tour in the details).
    pub competition: Option<String>,
    /// Page size, 1..=2000 (default 100).
    pub page_size: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
}

impl GetStructuredTargets {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these ids (at most 2000).
    pub fn ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ids = ids.into_iter().map(Into::into).collect();
        self
    }
}

crate::operation::opt_setters! { GetStructuredTargets {
    /// Only this type (the API's `type`).
    target_type: String,
    /// Only this competition (`NBA`, ...).
    competition: String,
}}

crate::pagination::cursor_list!(GetStructuredTargets [limit: page_size, next: cursor]
    => GetStructuredTargetsResponse.structured_targets: StructuredTarget);

/// One page of [`GetStructuredTargets`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetStructuredTargetsResponse {
    /// The structured targets on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub structured_targets: Vec<StructuredTarget>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetStructuredTargets {
    type Output = GetStructuredTargetsResponse;
    const NAME: &'static str = "GetStructuredTargets";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        if self.ids.len() > MAX_IDS {
            return Err(Error::invalid(
                "ids",
                format!("{} ids; at most {MAX_IDS}", self.ids.len()),
            ));
        }
        if self.ids.iter().any(String::is_empty) {
            return Err(Error::invalid("ids", "an id is empty"));
        }
        match self.page_size {
            Some(s) if s == 0 || s > MAX_PAGE_SIZE => Err(Error::invalid(
                "page_size",
                format!("{s} is outside 1..={MAX_PAGE_SIZE}"),
            )),
            _ => Ok(()),
        }
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/structured_targets");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        for id in &self.ids {
            q.pair("ids", id);
        }
        q.opt("type", self.target_type.as_deref())
            .opt("competition", self.competition.as_deref())
            .opt("page_size", self.page_size)
            .opt("cursor", self.cursor.as_deref());
    }
}

/// One structured target by id (`GetStructuredTarget`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetStructuredTarget {
    /// The structured target id (percent-encoded into the path).
    pub structured_target_id: String,
}

impl GetStructuredTarget {
    /// The structured target with this id.
    pub fn new(structured_target_id: impl Into<String>) -> Self {
        GetStructuredTarget {
            structured_target_id: structured_target_id.into(),
        }
    }
}

/// The answer to [`GetStructuredTarget`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetStructuredTargetResponse {
    /// The structured target (the API marks it optional).
    #[serde(default)]
    pub structured_target: Option<StructuredTarget>,
}

impl Operation for GetStructuredTarget {
    type Output = GetStructuredTargetResponse;
    const NAME: &'static str = "GetStructuredTarget";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("structured_target_id", &self.structured_target_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/structured_targets/")
            .segment(&self.structured_target_id);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetStructuredTargets {
    fn full() -> Self {
        GetStructuredTargets::new()
            .ids(["st-1", "st-2"])
            .target_type("basketball_player")
            .competition("NBA")
            .page_size(100)
            .cursor("abc")
    }
    fn minimal() -> Self {
        GetStructuredTargets::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetStructuredTarget {
    fn full() -> Self {
        GetStructuredTarget::new("st-1")
    }
    fn minimal() -> Self {
        GetStructuredTarget::new("st-1")
    }
}
