//! Live data by milestone and by event: `GET /live_data/batch`,
//! `GET /live_data/events/{event_ticker}`, `GET /live_data/milestone/{milestone_id}`,
//! `GET /live_data/milestone/{milestone_id}/game_stats` and
//! `GET /live_data/{type}/milestone/{milestone_id}`.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// The most milestone ids one [`GetLiveDatas`] request may ask for.
pub const MAX_MILESTONE_IDS: usize = 100;

/// The live data of a milestone (`LiveData`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct LiveData {
    /// The kind of live data, naming the shape of `details` (the API's `type`).
    #[serde(rename = "type")]
    pub live_data_type: String,
    /// The data itself, shaped as its type says.
    pub details: Map<String, Value>,
    /// The milestone it belongs to.
    pub milestone_id: String,
}

/// The answer to [`GetLiveDataByMilestone`] and [`GetLiveData`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetLiveDataResponse {
    /// The milestone's live data.
    pub live_data: LiveData,
}

/// The live data of several milestones at once (`GetLiveDatas`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetLiveDatas {
    /// The milestones (1 to 100; sent as a repeated `milestone_ids` parameter).
    pub milestone_ids: Vec<String>,
    /// Whether to include player statistics (some sports only; default false).
    pub include_player_stats: Option<bool>,
}

impl GetLiveDatas {
    /// The live data of these milestones (1 to 100).
    pub fn new<I, S>(milestone_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        GetLiveDatas {
            milestone_ids: milestone_ids.into_iter().map(Into::into).collect(),
            include_player_stats: None,
        }
    }

    /// Whether to include player statistics (pro football, pro basketball and men's college
    /// basketball milestones with player mappings).
    pub fn include_player_stats(mut self, include: bool) -> Self {
        self.include_player_stats = Some(include);
        self
    }
}

/// The answer to [`GetLiveDatas`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetLiveDatasResponse {
    /// The live data, one per milestone found.
    #[serde(deserialize_with = "null_as_empty")]
    pub live_datas: Vec<LiveData>,
}

impl Operation for GetLiveDatas {
    type Output = GetLiveDatasResponse;
    const NAME: &'static str = "GetLiveDatas";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        if self.milestone_ids.is_empty() {
            return Err(Error::invalid("milestone_ids", "at least one is required"));
        }
        if self.milestone_ids.len() > MAX_MILESTONE_IDS {
            return Err(Error::invalid(
                "milestone_ids",
                format!(
                    "{} ids; at most {MAX_MILESTONE_IDS}",
                    self.milestone_ids.len()
                ),
            ));
        }
        if self.milestone_ids.iter().any(String::is_empty) {
            return Err(Error::invalid("milestone_ids", "an id is empty"));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/batch");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        for id in &self.milestone_ids {
            q.pair("milestone_ids", id);
        }
        q.opt("include_player_stats", self.include_player_stats);
    }
}

/// The live data of one milestone (`GetLiveDataByMilestone`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetLiveDataByMilestone {
    /// The milestone id (percent-encoded into the path).
    pub milestone_id: String,
    /// Whether to include player statistics (some sports only; default false).
    pub include_player_stats: Option<bool>,
}

impl GetLiveDataByMilestone {
    /// The live data of this milestone.
    pub fn new(milestone_id: impl Into<String>) -> Self {
        GetLiveDataByMilestone {
            milestone_id: milestone_id.into(),
            include_player_stats: None,
        }
    }

    /// Whether to include player statistics.
    pub fn include_player_stats(mut self, include: bool) -> Self {
        self.include_player_stats = Some(include);
        self
    }
}

impl Operation for GetLiveDataByMilestone {
    type Output = GetLiveDataResponse;
    const NAME: &'static str = "GetLiveDataByMilestone";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("milestone_id", &self.milestone_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/milestone/")
            .segment(&self.milestone_id);
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("include_player_stats", self.include_player_stats);
    }
}

/// The live data of one milestone by its type too (`GetLiveData`): the legacy form of
/// [`GetLiveDataByMilestone`], which the docs prefer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetLiveData {
    /// The kind of live data (the API's `type` path parameter, percent-encoded).
    pub live_data_type: String,
    /// The milestone id (percent-encoded into the path).
    pub milestone_id: String,
    /// Whether to include player statistics (some sports only; default false).
    pub include_player_stats: Option<bool>,
}

impl GetLiveData {
    /// The live data of this type of this milestone.
    pub fn new(live_data_type: impl Into<String>, milestone_id: impl Into<String>) -> Self {
        GetLiveData {
            live_data_type: live_data_type.into(),
            milestone_id: milestone_id.into(),
            include_player_stats: None,
        }
    }

    /// Whether to include player statistics.
    pub fn include_player_stats(mut self, include: bool) -> Self {
        self.include_player_stats = Some(include);
        self
    }
}

impl Operation for GetLiveData {
    type Output = GetLiveDataResponse;
    const NAME: &'static str = "GetLiveData";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("type", &self.live_data_type)?;
        validate_id("milestone_id", &self.milestone_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/")
            .segment(&self.live_data_type)
            .literal("/milestone/")
            .segment(&self.milestone_id);
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("include_player_stats", self.include_player_stats);
    }
}

/// The live data of an event (`EventLiveData`): crypto price charts, commodity price series,
/// weather observations, ...
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct EventLiveData {
    /// The kind of live data, naming the shape of `details` (the API's `type`).
    #[serde(rename = "type")]
    pub live_data_type: String,
    /// The data itself, shaped as its type says.
    pub details: Map<String, Value>,
    /// Crypto data only: true when the event has matured and this is a frozen snapshot.
    #[serde(default)]
    pub is_historical: Option<bool>,
    /// The chart range to show first (`15min`, `1h`, ...), when set.
    #[serde(default)]
    pub default_range: Option<String>,
    /// The chart ranges to offer, when set.
    #[serde(default)]
    pub range_options: Option<Vec<String>>,
}

/// The live data of an event (`GetEventLiveData`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetEventLiveData {
    /// The event ticker (percent-encoded into the path).
    pub event_ticker: String,
    /// A chart range hint (`15min`, `1h`, `1d`, ...): where the type supports it, only that
    /// window of the series.
    pub range: Option<String>,
}

impl GetEventLiveData {
    /// The live data of this event.
    pub fn new(event_ticker: impl Into<String>) -> Self {
        GetEventLiveData {
            event_ticker: event_ticker.into(),
            range: None,
        }
    }

    /// Only this chart range (`15min`, `1h`, `1d`, ...).
    pub fn range(mut self, range: impl Into<String>) -> Self {
        self.range = Some(range.into());
        self
    }
}

/// The answer to [`GetEventLiveData`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetEventLiveDataResponse {
    /// The event's live data.
    pub live_data: EventLiveData,
}

impl Operation for GetEventLiveData {
    type Output = GetEventLiveDataResponse;
    const NAME: &'static str = "GetEventLiveData";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("event_ticker", &self.event_ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/events/")
            .segment(&self.event_ticker);
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("range", self.range.as_deref());
    }
}

/// One period of a game's play-by-play. The docs list only `events`; anything else the
/// exchange sends in a period (its number, its score, ...) is kept in `other`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PlayByPlayPeriod {
    /// The period's plays, as free-form objects.
    #[serde(default)]
    pub events: Option<Vec<Map<String, Value>>>,
    /// Undocumented fields of the period, kept as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A game's play-by-play by period (`PlayByPlay`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PlayByPlay {
    /// The periods.
    #[serde(default)]
    pub periods: Option<Vec<PlayByPlayPeriod>>,
}

/// The play-by-play statistics of a game (`GetGameStats`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetGameStats {
    /// The milestone id of the game (percent-encoded into the path).
    pub milestone_id: String,
}

impl GetGameStats {
    /// The play-by-play of this game.
    pub fn new(milestone_id: impl Into<String>) -> Self {
        GetGameStats {
            milestone_id: milestone_id.into(),
        }
    }
}

/// The answer to [`GetGameStats`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetGameStatsResponse {
    /// The play-by-play; `None` (`null`) for sports without it or games without a data feed.
    #[serde(default)]
    pub pbp: Option<PlayByPlay>,
}

impl Operation for GetGameStats {
    type Output = GetGameStatsResponse;
    const NAME: &'static str = "GetGameStats";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("milestone_id", &self.milestone_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/live_data/milestone/")
            .segment(&self.milestone_id)
            .literal("/game_stats");
    }
}

#[cfg(test)]
mod spec {
    use super::*;
    use crate::spec_drift::SpecExample;

    impl SpecExample for GetLiveDatas {
        fn full() -> Self {
            GetLiveDatas::new(["ms-1", "ms-2"]).include_player_stats(true)
        }
        fn minimal() -> Self {
            GetLiveDatas::new(["ms-1"])
        }
    }

    impl SpecExample for GetLiveDataByMilestone {
        fn full() -> Self {
            GetLiveDataByMilestone::new("ms-1").include_player_stats(true)
        }
        fn minimal() -> Self {
            GetLiveDataByMilestone::new("ms-1")
        }
    }

    impl SpecExample for GetLiveData {
        fn full() -> Self {
            GetLiveData::new("football_game", "ms-1").include_player_stats(false)
        }
        fn minimal() -> Self {
            GetLiveData::new("football_game", "ms-1")
        }
    }

    impl SpecExample for GetEventLiveData {
        fn full() -> Self {
            GetEventLiveData::new("KXBTCD-26JAN0217").range("1h")
        }
        fn minimal() -> Self {
            GetEventLiveData::new("KXBTCD-26JAN0217")
        }
    }

    impl SpecExample for GetGameStats {
        fn full() -> Self {
            GetGameStats::new("ms-1")
        }
        fn minimal() -> Self {
            GetGameStats::new("ms-1")
        }
    }
}
