//! `GET /search/filters_by_sport` and `GET /search/tags_by_categories`

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;

/// The search filters of every sport (`GetFiltersForSports`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetFiltersForSports {}

impl GetFiltersForSports {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// A list of scopes (`ScopeList`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ScopeList {
    /// The scopes.
    #[serde(deserialize_with = "null_as_empty")]
    pub scopes: Vec<String>,
}

/// The filters of one sport (`SportFilterDetails`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SportFilterDetails {
    /// The scopes available for the sport.
    #[serde(deserialize_with = "null_as_empty")]
    pub scopes: Vec<String>,
    /// The sport's competitions, each with its scopes.
    pub competitions: BTreeMap<String, ScopeList>,
}

/// The answer to [`GetFiltersForSports`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetFiltersForSportsResponse {
    /// The filters, by sport.
    pub filters_by_sports: BTreeMap<String, SportFilterDetails>,
    /// The sports in display order.
    #[serde(deserialize_with = "null_as_empty")]
    pub sport_ordering: Vec<String>,
}

impl Operation for GetFiltersForSports {
    type Output = GetFiltersForSportsResponse;
    const NAME: &'static str = "GetFiltersForSports";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/search/filters_by_sport");
    }
}

/// The tags of every series category (`GetTagsForSeriesCategories`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetTagsForSeriesCategories {}

impl GetTagsForSeriesCategories {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`GetTagsForSeriesCategories`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetTagsForSeriesCategoriesResponse {
    /// The tags, by series category.
    pub tags_by_categories: BTreeMap<String, Vec<String>>,
}

impl Operation for GetTagsForSeriesCategories {
    type Output = GetTagsForSeriesCategoriesResponse;
    const NAME: &'static str = "GetTagsForSeriesCategories";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/search/tags_by_categories");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFiltersForSports {
    fn full() -> Self {
        GetFiltersForSports::new()
    }
    fn minimal() -> Self {
        GetFiltersForSports::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetTagsForSeriesCategories {
    fn full() -> Self {
        GetTagsForSeriesCategories::new()
    }
    fn minimal() -> Self {
        GetTagsForSeriesCategories::new()
    }
}
