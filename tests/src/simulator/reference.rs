//! Reference data: milestones, structured targets, search filters, incentive programs and live
//! data, served from configurable records in their documented shapes ([`ReferenceData`],
//! [`SimulatorConfig::with_reference_data`](super::SimulatorConfig::with_reference_data)).
//!
//! | method | path | answer |
//! |---|---|---|
//! | `GET` | `/milestones?limit&minimum_start_date&category&competition&source_id&type&related_event_ticker&cursor&min_updated_ts` | 200 `{milestones: [Milestone], cursor}` (by id) |
//! | `GET` | `/milestones/{milestone_id}` | 200 `{milestone}` |
//! | `GET` | `/structured_targets?ids&type&competition&page_size&cursor` | 200 `{structured_targets, cursor}` (by id) |
//! | `GET` | `/structured_targets/{structured_target_id}` | 200 `{structured_target}` |
//! | `GET` | `/search/filters_by_sport` | 200 `{filters_by_sports, sport_ordering}` |
//! | `GET` | `/search/tags_by_categories` | 200 `{tags_by_categories}` (from the series) |
//! | `GET` | `/incentive_programs?status&type&incentive_description&limit&cursor` | 200 `{incentive_programs, next_cursor}` (by id) |
//! | `GET` | `/live_data/batch?milestone_ids&include_player_stats` | 200 `{live_datas}` |
//! | `GET` | `/live_data/milestone/{milestone_id}?include_player_stats` | 200 `{live_data}` |
//! | `GET` | `/live_data/{type}/milestone/{milestone_id}?include_player_stats` | 200 `{live_data}` |
//! | `GET` | `/live_data/milestone/{milestone_id}/game_stats` | 200 `{pbp}` (`{}` without play-by-play) |
//! | `GET` | `/live_data/events/{event_ticker}?range` | 200 `{live_data}` |
//! | `GET` | `/live_data/weather/{city}?from&to&last_sec&detailed` | 200 `{city, config_version, units, timeseries}` |
//! | `GET` | `/live_data/weather/{city}/calibrations` | 200 `{city, units, calibrations}` |
//!
//! - Every read is signed, as documented (each documents a 401).
//! - Filters compare the records' own fields: a milestone's `category`, `type`, `source_id`,
//!   `related_event_tickers`, `start_date` (at or after `minimum_start_date`, RFC 3339),
//!   `last_updated_ts` (at or after `min_updated_ts`, Unix seconds) and `competition` (its
//!   `details.competition`); a structured target's `type`, `id` (`ids`, comma-separated or
//!   repeated, at most 2000) and `competition` (its `details` `league`, `conference`,
//!   `division` or `tour`, or an entry of `details.leagues`); an incentive program's
//!   `incentive_type` (`type`, `all` for every one), `incentive_description` and `status`
//!   (`active` from its start date to its end date, `upcoming` before, `closed` after and not
//!   paid out, `paid_out` once paid out, `all`).
//! - Limits: milestones 1 to 500 (`limit` required), structured targets `page_size` 1 to 2000
//!   (default 100), incentive programs 1 to 10,000 (default 100). Cursors are opaque and empty
//!   on the last page.
//! - Live data is keyed by milestone (`type` of the legacy path must match the record's, else
//!   404); `include_player_stats` is accepted and changes nothing (the records are the
//!   test's). An unknown milestone, event or city is a 404 `not_found`; `live_data/batch`
//!   leaves unknown milestones out.
//! - Tags by categories: every series category (empty ones left out) with the union of its
//!   series' tags, sorted.
//! - Weather: the points of the window `[from, to]` (Unix ms; `to` defaults to now and `from`
//!   to `to` minus 24 hours; `last_sec` is `from = now - last_sec`, exclusive with
//!   `from`/`to`; `from` without `to` is a 400), oldest first, their `stations`
//!   only with `detailed=true`; `config_version` is that of the calibrations (empty without
//!   points).

use std::collections::{BTreeMap, BTreeSet};

use http::Method;
use serde_json::{Value, json};

use super::catalog::{key_cursor, query_bool, read_key_cursor};
use super::errors::ApiError;
use super::markets::DEFAULT_MARKET;
use super::request::RequestCtx;
use super::router::{Reply, Route};
use super::state::Exchange;

/// The reference data routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/milestones", milestones),
        Route::new(Method::GET, "/milestones/{milestone_id}", milestone),
        Route::new(Method::GET, "/structured_targets", structured_targets),
        Route::new(
            Method::GET,
            "/structured_targets/{structured_target_id}",
            structured_target,
        ),
        Route::new(Method::GET, "/search/filters_by_sport", filters_by_sport),
        Route::new(
            Method::GET,
            "/search/tags_by_categories",
            tags_by_categories,
        ),
        Route::new(Method::GET, "/incentive_programs", incentive_programs),
        Route::new(Method::GET, "/live_data/batch", live_datas),
        Route::new(
            Method::GET,
            "/live_data/milestone/{milestone_id}",
            live_data_by_milestone,
        ),
        Route::new(
            Method::GET,
            "/live_data/{type}/milestone/{milestone_id}",
            live_data_typed,
        ),
        Route::new(
            Method::GET,
            "/live_data/milestone/{milestone_id}/game_stats",
            game_stats,
        ),
        Route::new(
            Method::GET,
            "/live_data/events/{event_ticker}",
            event_live_data,
        ),
        Route::new(Method::GET, "/live_data/weather/{city}", weather_index),
        Route::new(
            Method::GET,
            "/live_data/weather/{city}/calibrations",
            weather_calibrations,
        ),
    ]
}

/// The id of the default milestone ([`ReferenceData::default`]).
pub const DEFAULT_MILESTONE_ID: &str = "5c1e7a2b-0d4f-4e1a-9b3c-000000000001";
/// The city of the default weather index ([`ReferenceData::default`]).
pub const DEFAULT_WEATHER_CITY: &str = "miami";

/// Milestones, structured targets, search filters, incentive programs and live data, each
/// record a JSON object in the documented shape (see the `reference` module for the filters
/// that read their fields).
///
/// [`ReferenceData::default()`] holds one of each, tied to the default markets: a football
/// game milestone ([`DEFAULT_MILESTONE_ID`], related to the event `KXTEST-26DEC31`) with its
/// live data, play-by-play and structured target (a team), one football sport filter, one
/// liquidity incentive program on [`DEFAULT_MARKET`], live data for the event
/// `KXTEST-26DEC31`, and three minutes of the [`DEFAULT_WEATHER_CITY`] weather index (at
/// 2026-12-31T12:00Z) with one calibration. [`ReferenceData::empty()`] holds none.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReferenceData {
    /// `Milestone` records (`id`, `category`, `type`, `start_date`, ...).
    pub milestones: Vec<Value>,
    /// `StructuredTarget` records (`id`, `name`, `type`, `details`, ...).
    pub structured_targets: Vec<Value>,
    /// `filters_by_sports`: sport name to `{scopes, competitions}`.
    pub filters_by_sports: serde_json::Map<String, Value>,
    /// `sport_ordering`.
    pub sport_ordering: Vec<String>,
    /// `IncentiveProgram` records (`id`, `market_ticker`, `incentive_type`, ...).
    pub incentive_programs: Vec<Value>,
    /// `LiveData` records (`type`, `milestone_id`, `details`), one per milestone.
    pub live_data: Vec<Value>,
    /// `pbp` (play-by-play) by milestone id.
    pub game_stats: BTreeMap<String, Value>,
    /// `EventLiveData` records (`type`, `details`, ...) by event ticker.
    pub event_live_data: BTreeMap<String, Value>,
    /// `WeatherIndexPoint` records (`t`, `v`, `status`, `contributors`, `stations`) by city.
    pub weather_points: BTreeMap<String, Vec<Value>>,
    /// Calibration records (`config_version`, `effective_at_ms`, `city_reference_c`,
    /// `stations`, ...) by city, oldest first.
    pub weather_calibrations: BTreeMap<String, Vec<Value>>,
}

impl ReferenceData {
    /// No records at all.
    pub fn empty() -> Self {
        ReferenceData {
            milestones: Vec::new(),
            structured_targets: Vec::new(),
            filters_by_sports: serde_json::Map::new(),
            sport_ordering: Vec::new(),
            incentive_programs: Vec::new(),
            live_data: Vec::new(),
            game_stats: BTreeMap::new(),
            event_live_data: BTreeMap::new(),
            weather_points: BTreeMap::new(),
            weather_calibrations: BTreeMap::new(),
        }
    }
}

impl Default for ReferenceData {
    fn default() -> Self {
        let event = "KXTEST-26DEC31";
        let updated = "2026-12-01T00:00:00Z";
        let mut filters = serde_json::Map::new();
        filters.insert(
            "Football".to_owned(),
            json!({"scopes": ["Games", "Futures"],
                "competitions": {"Pro Football": {"scopes": ["Games", "Futures"]}}}),
        );
        let noon: i64 = 1_798_718_400_000; // 2026-12-31T12:00:00Z
        let points = (0..3)
            .map(|i| {
                json!({"t": noon + i * 60_000, "v": 75.5 + i as f64 * 0.25, "status": "normal",
                    "contributors": 2, "stations": [
                        {"station_id": "KMIA1M", "code": "ok", "source": "hf_asos",
                            "temp_f": 75.48 + i as f64 * 0.25, "received_at_ms": noon + i * 60_000 + 4_000},
                        {"station_id": "KOPF1M", "code": "ok", "source": "hf_asos",
                            "temp_f": 75.52 + i as f64 * 0.25, "received_at_ms": noon + i * 60_000 + 5_000},
                    ]})
            })
            .collect();
        ReferenceData {
            milestones: vec![json!({
                "id": DEFAULT_MILESTONE_ID,
                "category": "Sports",
                "type": "football_game",
                "start_date": "2026-12-31T18:00:00Z",
                "end_date": null,
                "related_event_tickers": [event],
                "primary_event_tickers": [event],
                "title": "Test Bears at Test Lions",
                "notification_message": "",
                "source_id": "test-game-1",
                "source_ids": {"sportradar": "sr:match:1"},
                "details": {"competition": "Pro Football", "home": "Test Lions", "away": "Test Bears"},
                "last_updated_ts": updated,
            })],
            structured_targets: vec![json!({
                "id": "5c1e7a2b-0d4f-4e1a-9b3c-000000000101",
                "name": "Test Lions",
                "type": "football_team",
                "source_id": "test-team-1",
                "source_ids": {"sportradar": "sr:team:1"},
                "details": {"league": "Pro Football", "abbreviation": "TLI"},
                "last_updated_ts": updated,
            })],
            filters_by_sports: filters,
            sport_ordering: vec!["Football".to_owned()],
            incentive_programs: vec![json!({
                "id": "5c1e7a2b-0d4f-4e1a-9b3c-000000000201",
                "market_id": "5c1e7a2b-0d4f-4e1a-9b3c-000000000301",
                "market_ticker": DEFAULT_MARKET,
                "incentive_type": "liquidity",
                "incentive_description": "Liquidity incentive on the test market",
                "start_date": "2026-01-01T00:00:00Z",
                "end_date": "2099-12-31T00:00:00Z",
                "period_reward": 1_000_000,
                "paid_out": false,
                "discount_factor_bps": 5000,
                "target_size_fp": "100.00",
                "max_reward_per_account": null,
            })],
            live_data: vec![json!({
                "type": "football_game",
                "milestone_id": DEFAULT_MILESTONE_ID,
                "details": {"status": "scheduled", "home_score": 0, "away_score": 0, "period": 0},
            })],
            game_stats: BTreeMap::from([(
                DEFAULT_MILESTONE_ID.to_owned(),
                json!({"periods": [{"events": [{"type": "kickoff", "clock": "15:00", "team": "Test Bears"}]}]}),
            )]),
            event_live_data: BTreeMap::from([(
                event.to_owned(),
                json!({"type": "price_chart", "details": {"points": []}, "default_range": "1d",
                    "range_options": ["1h", "1d"], "is_historical": false}),
            )]),
            weather_points: BTreeMap::from([(DEFAULT_WEATHER_CITY.to_owned(), points)]),
            weather_calibrations: BTreeMap::from([(
                DEFAULT_WEATHER_CITY.to_owned(),
                vec![json!({
                    "config_version": "miami-temperature-v1.0",
                    "effective_at_ms": 1_767_225_600_000_i64,
                    "published_at_ms": 1_767_225_600_000_i64,
                    "calibration_window_start_ms": 1_764_547_200_000_i64,
                    "calibration_window_end_ms": 1_767_139_200_000_i64,
                    "change_reason": "initial calibration",
                    "city_reference_c": 24.5,
                    "stations": [
                        {"station_id": "KMIA1M", "weight": 0.5, "offset_c": -0.1},
                        {"station_id": "KOPF1M", "weight": 0.5, "offset_c": 0.1, "update_note": ""},
                    ],
                })],
            )]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

fn not_found(what: &str, id: &str) -> ApiError {
    let shown: String = id.chars().take(100).collect();
    ApiError::not_found(
        format!("{what} not found"),
        format!("the simulator has no {what} `{shown}`"),
    )
}

/// A `limit`-like parameter of `1..=max` (absent: `default`).
fn bounded(ctx: &RequestCtx, name: &str, max: i64, default: usize) -> Result<usize, ApiError> {
    match ctx.query.int(name)? {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v as usize),
        Some(v) => Err(ApiError::invalid_parameters(format!(
            "`{name}` must be between 1 and {max}, got {v}"
        ))),
    }
}

/// One page of `items` sorted by `id` after the `cursor` (prefix `prefix`).
fn id_page<'a>(
    ctx: &RequestCtx,
    prefix: char,
    items: impl Iterator<Item = &'a Value>,
    limit: usize,
) -> Result<(Vec<Value>, String), ApiError> {
    let after = read_key_cursor(ctx, prefix)?;
    let mut sorted: Vec<&Value> = items
        .filter(|v| after.as_deref().is_none_or(|a| text(v, "id") > a))
        .collect();
    sorted.sort_by(|a, b| text(a, "id").cmp(text(b, "id")));
    let (page, cursor) = super::catalog::page(sorted.into_iter(), limit, |v| {
        key_cursor(prefix, text(v, "id"))
    });
    Ok((page.into_iter().cloned().collect(), cursor))
}

fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    s.parse::<kalshi_core::jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `GET /milestones`
fn milestones(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = match ctx.query.int("limit")? {
        Some(v @ 1..=500) => v as usize,
        Some(v) => {
            return Err(ApiError::invalid_parameters(format!(
                "`limit` must be between 1 and 500, got {v}"
            )));
        }
        None => return Err(ApiError::invalid_parameters("`limit` is required")),
    };
    let min_start = match ctx.query_str("minimum_start_date")? {
        None => None,
        Some(s) => Some(parse_rfc3339_ms(s).ok_or_else(|| {
            let shown: String = s.chars().take(40).collect();
            ApiError::invalid_parameters(format!(
                "`minimum_start_date` must be an RFC 3339 date-time, got `{shown}`"
            ))
        })?),
    };
    let category = ctx.query_str("category")?;
    let competition = ctx.query_str("competition")?;
    let source_id = ctx.query_str("source_id")?;
    let kind = ctx.query_str("type")?;
    let related = ctx.query_str("related_event_ticker")?;
    let min_updated = ctx.query.int("min_updated_ts")?;
    let matching = ex
        .reference
        .milestones
        .iter()
        .filter(|m| category.is_none_or(|c| c == text(m, "category")))
        .filter(|m| kind.is_none_or(|t| t == text(m, "type")))
        .filter(|m| source_id.is_none_or(|s| s == text(m, "source_id")))
        .filter(|m| competition.is_none_or(|c| Some(c) == m["details"]["competition"].as_str()))
        .filter(|m| {
            related.is_none_or(|e| {
                m["related_event_tickers"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == e))
            })
        })
        .filter(|m| {
            min_start
                .is_none_or(|t| parse_rfc3339_ms(text(m, "start_date")).is_some_and(|s| s >= t))
        })
        .filter(|m| {
            min_updated.is_none_or(|t| {
                parse_rfc3339_ms(text(m, "last_updated_ts")).is_some_and(|u| u / 1000 >= t)
            })
        });
    let (items, cursor) = id_page(ctx, 'l', matching, limit)?;
    Ok(Reply::ok(json!({"milestones": items, "cursor": cursor})))
}

/// `GET /milestones/{milestone_id}`
fn milestone(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("milestone_id")?;
    let m = ex
        .reference
        .milestones
        .iter()
        .find(|m| text(m, "id") == id)
        .ok_or_else(|| not_found("milestone", id))?;
    Ok(Reply::ok(json!({ "milestone": m })))
}

/// `GET /structured_targets`
fn structured_targets(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = bounded(ctx, "page_size", 2000, 100)?;
    let ids: Vec<&str> = ctx
        .query
        .all("ids")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if ids.len() > 2000 {
        return Err(ApiError::invalid_parameters("`ids` takes at most 2000 ids"));
    }
    let kind = ctx.query_str("type")?;
    let competition = ctx.query_str("competition")?;
    let matching = ex
        .reference
        .structured_targets
        .iter()
        .filter(|t| ids.is_empty() || ids.contains(&text(t, "id")))
        .filter(|t| kind.is_none_or(|k| k == text(t, "type")))
        .filter(|t| {
            competition.is_none_or(|c| {
                let d = &t["details"];
                ["league", "conference", "division", "tour"]
                    .iter()
                    .any(|f| d[*f] == c)
                    || d["leagues"]
                        .as_array()
                        .is_some_and(|l| l.iter().any(|x| x == c))
            })
        });
    let (items, cursor) = id_page(ctx, 's', matching, limit)?;
    Ok(Reply::ok(
        json!({"structured_targets": items, "cursor": cursor}),
    ))
}

/// `GET /structured_targets/{structured_target_id}`
fn structured_target(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("structured_target_id")?;
    let t = ex
        .reference
        .structured_targets
        .iter()
        .find(|t| text(t, "id") == id)
        .ok_or_else(|| not_found("structured target", id))?;
    Ok(Reply::ok(json!({ "structured_target": t })))
}

/// `GET /search/filters_by_sport`
fn filters_by_sport(_ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    Ok(Reply::ok(json!({
        "filters_by_sports": ex.reference.filters_by_sports,
        "sport_ordering": ex.reference.sport_ordering,
    })))
}

/// `GET /search/tags_by_categories`
fn tags_by_categories(_ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in ex.series_views().values() {
        if !s.category.is_empty() {
            by.entry(s.category.clone())
                .or_default()
                .extend(s.tags.iter().cloned());
        }
    }
    Ok(Reply::ok(json!({ "tags_by_categories": by })))
}

/// `GET /incentive_programs`
fn incentive_programs(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = bounded(ctx, "limit", 10_000, 100)?;
    let status = match ctx.query_str("status")? {
        None | Some("all") => None,
        Some(s @ ("active" | "upcoming" | "closed" | "paid_out")) => Some(s),
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`status` must be all, active, upcoming, closed or paid_out, got `{shown}`"
            )));
        }
    };
    let kind = match ctx.query_str("type")? {
        None | Some("all") => None,
        Some(k @ ("liquidity" | "volume" | "margin_maker_volume")) => Some(k),
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`type` must be all, liquidity, volume or margin_maker_volume, got `{shown}`"
            )));
        }
    };
    let description = ctx.query_str("incentive_description")?;
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    let status_of = |p: &Value| {
        let start = parse_rfc3339_ms(text(p, "start_date")).unwrap_or(0);
        let end = parse_rfc3339_ms(text(p, "end_date")).unwrap_or(i64::MAX);
        if p["paid_out"] == true {
            "paid_out"
        } else if now < start {
            "upcoming"
        } else if now <= end {
            "active"
        } else {
            "closed"
        }
    };
    let matching = ex
        .reference
        .incentive_programs
        .iter()
        .filter(|p| status.is_none_or(|s| s == status_of(p)))
        .filter(|p| kind.is_none_or(|k| k == text(p, "incentive_type")))
        .filter(|p| description.is_none_or(|d| d == text(p, "incentive_description")));
    let (items, cursor) = id_page(ctx, 'i', matching, limit)?;
    Ok(Reply::ok(
        json!({"incentive_programs": items, "next_cursor": cursor}),
    ))
}

fn live_data_of<'a>(ex: &'a Exchange, milestone_id: &str) -> Option<&'a Value> {
    ex.reference
        .live_data
        .iter()
        .find(|d| text(d, "milestone_id") == milestone_id)
}

/// `GET /live_data/batch`
fn live_datas(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    query_bool(ctx, "include_player_stats")?;
    let ids: Vec<&str> = ctx
        .query
        .all("milestone_ids")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(ApiError::invalid_parameters("`milestone_ids` is required"));
    }
    if ids.len() > 100 {
        return Err(ApiError::invalid_parameters(
            "`milestone_ids` takes at most 100 ids",
        ));
    }
    let items: Vec<&Value> = ids.iter().filter_map(|id| live_data_of(ex, id)).collect();
    Ok(Reply::ok(json!({ "live_datas": items })))
}

/// `GET /live_data/milestone/{milestone_id}`
fn live_data_by_milestone(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    query_bool(ctx, "include_player_stats")?;
    let id = ctx.param("milestone_id")?;
    let d = live_data_of(ex, id).ok_or_else(|| not_found("live data of milestone", id))?;
    Ok(Reply::ok(json!({ "live_data": d })))
}

/// `GET /live_data/{type}/milestone/{milestone_id}`
fn live_data_typed(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    query_bool(ctx, "include_player_stats")?;
    let id = ctx.param("milestone_id")?;
    let kind = ctx.param("type")?;
    let d = live_data_of(ex, id)
        .filter(|d| text(d, "type") == kind)
        .ok_or_else(|| not_found("live data of milestone", id))?;
    Ok(Reply::ok(json!({ "live_data": d })))
}

/// `GET /live_data/milestone/{milestone_id}/game_stats`
fn game_stats(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("milestone_id")?;
    if !ex.reference.milestones.iter().any(|m| text(m, "id") == id) {
        return Err(not_found("milestone", id));
    }
    Ok(Reply::ok(match ex.reference.game_stats.get(id) {
        Some(pbp) => json!({ "pbp": pbp }),
        None => json!({}),
    }))
}

/// `GET /live_data/events/{event_ticker}`
fn event_live_data(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let event = ctx.param("event_ticker")?;
    let range = ctx.query_str("range")?;
    let d = ex
        .reference
        .event_live_data
        .get(event)
        .ok_or_else(|| not_found("live data of event", event))?;
    if let Some(r) = range {
        let offered = d["range_options"]
            .as_array()
            .is_none_or(|o| o.iter().any(|x| x == r));
        if !offered {
            let shown: String = r.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`range` `{shown}` is not one of the event's range options"
            )));
        }
    }
    Ok(Reply::ok(json!({ "live_data": d })))
}

/// `GET /live_data/weather/{city}`
fn weather_index(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let city = ctx.param("city")?;
    let detailed = query_bool(ctx, "detailed")?.unwrap_or(false);
    let (from, to, last) = (
        ctx.query.int("from")?,
        ctx.query.int("to")?,
        ctx.query.int("last_sec")?,
    );
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    let (from, to) = match (from, to, last) {
        (None, None, Some(s)) if s >= 0 => (now.saturating_sub(s.saturating_mul(1000)), now),
        (None, None, Some(s)) => {
            return Err(ApiError::invalid_parameters(format!(
                "`last_sec` must not be negative, got {s}"
            )));
        }
        (_, _, Some(_)) => {
            return Err(ApiError::invalid_parameters(
                "`last_sec` cannot be combined with `from` or `to`",
            ));
        }
        (Some(f), Some(t), None) if f <= t => (f, t),
        (Some(_), Some(_), None) => {
            return Err(ApiError::invalid_parameters("`from` is after `to`"));
        }
        (None, to, None) => {
            let to = to.unwrap_or(now);
            (to.saturating_sub(86_400_000), to)
        }
        (Some(_), None, None) => {
            return Err(ApiError::invalid_parameters(
                "`from` must be paired with `to`",
            ));
        }
    };
    let points = ex
        .reference
        .weather_points
        .get(city)
        .ok_or_else(|| not_found("weather index for city", city))?;
    let mut series: Vec<Value> = points
        .iter()
        .filter(|p| p["t"].as_i64().is_some_and(|t| (from..=to).contains(&t)))
        .cloned()
        .collect();
    series.sort_by_key(|p| p["t"].as_i64());
    if !detailed {
        for p in &mut series {
            if let Some(o) = p.as_object_mut() {
                o.remove("stations");
            }
        }
    }
    let version = if series.is_empty() {
        String::new()
    } else {
        ex.reference
            .weather_calibrations
            .get(city)
            .and_then(|c| c.last())
            .map_or(String::new(), |c| text(c, "config_version").to_owned())
    };
    Ok(Reply::ok(json!({
        "city": city,
        "config_version": version,
        "units": "fahrenheit",
        "timeseries": series,
    })))
}

/// `GET /live_data/weather/{city}/calibrations`
fn weather_calibrations(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let city = ctx.param("city")?;
    let known = ex.reference.weather_points.contains_key(city)
        || ex.reference.weather_calibrations.contains_key(city);
    if !known {
        return Err(not_found("weather index for city", city));
    }
    let calibrations = ex
        .reference
        .weather_calibrations
        .get(city)
        .cloned()
        .unwrap_or_default();
    Ok(Reply::ok(json!({
        "city": city,
        "units": "celsius",
        "calibrations": calibrations,
    })))
}
