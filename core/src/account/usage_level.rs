//! `POST /account/api_usage_level/upgrade` and `GET /account/api_usage_level/volume_progress`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::FixedPointCount;
use crate::operation::{Idempotency, Operation, PathWriter};
use crate::response::EmptyResponse;
use crate::serde_util::null_as_empty;

/// Grants the account a permanent Advanced API usage level on the Predictions lane
/// (`UpgradeAccountApiUsageLevel`). Answers `201` with no body; `403` when none of the
/// account's last 100 Predictions orders was created through the API.
///
/// Costs 30 tokens of the Write bucket. Idempotent: a repeat refreshes the same grant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct UpgradeAccountApiUsageLevel {}

impl UpgradeAccountApiUsageLevel {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

impl Operation for UpgradeAccountApiUsageLevel {
    type Output = EmptyResponse;
    const NAME: &'static str = "UpgradeAccountApiUsageLevel";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn cost(&self) -> u64 {
        30
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/account/api_usage_level/upgrade");
    }
}

/// The account's trading volume progress toward the volume-based usage tiers of the
/// Predictions lane (`GetAccountApiUsageLevelVolumeProgress`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetAccountApiUsageLevelVolumeProgress {}

impl GetAccountApiUsageLevelVolumeProgress {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The volume goals of one level (`AccountApiUsageLevelVolumeGoal`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AccountApiUsageLevelVolumeGoal {
    /// The level (`expert`, `premier`, ...).
    pub level: String,
    /// Trailing 30-day volume (contracts) that earns the level.
    pub earn_volume_goal_fp: FixedPointCount,
    /// Trailing 30-day volume (contracts) that keeps it.
    pub keep_volume_goal_fp: FixedPointCount,
}

/// One computed progress (`AccountApiUsageLevelVolumeProgress`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AccountApiUsageLevelVolumeProgress {
    /// Unix time (seconds) the progress was computed; the volume covers the 30 days before.
    pub computed_ts: i64,
    /// The account's trailing 30-day volume, in contracts.
    pub trailing_30d_volume_fp: FixedPointCount,
    /// The goal of each volume-based level.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub goals: Vec<AccountApiUsageLevelVolumeGoal>,
}

/// The answer to [`GetAccountApiUsageLevelVolumeProgress`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetAccountApiUsageLevelVolumeProgressResponse {
    /// The latest computed progress.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub volume_progress: Vec<AccountApiUsageLevelVolumeProgress>,
}

impl Operation for GetAccountApiUsageLevelVolumeProgress {
    type Output = GetAccountApiUsageLevelVolumeProgressResponse;
    const NAME: &'static str = "GetAccountApiUsageLevelVolumeProgress";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/account/api_usage_level/volume_progress");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for UpgradeAccountApiUsageLevel {
    fn full() -> Self {
        UpgradeAccountApiUsageLevel::new()
    }
    fn minimal() -> Self {
        UpgradeAccountApiUsageLevel::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetAccountApiUsageLevelVolumeProgress {
    fn full() -> Self {
        GetAccountApiUsageLevelVolumeProgress::new()
    }
    fn minimal() -> Self {
        GetAccountApiUsageLevelVolumeProgress::new()
    }
}
