//! The account: `GET /account/limits`, `GET /account/limits/perps`,
//! `GET /account/endpoint_costs`, `GET /account/api_usage_level/volume_progress` and
//! `POST /account/api_usage_level/upgrade`.
//!
//! - The limits are the ones the simulator's token buckets enforce
//!   ([`crate::SimulatorConfig::with_rate_limits`], [`crate::Simulator::set_rate_limits`]):
//!   `usage_tier` names the tier whose budgets they are (`custom` for others). With rate
//!   limiting off, the answer is the Basic tier's, which nothing enforces. The perps answer
//!   has the same budgets (perps traffic is not modeled) and no grants.
//! - The endpoint costs are exactly what the buckets charge: every endpoint whose cost is not
//!   10 (per order for the batch endpoints), paths under `/trade-api/v2`.
//! - The upgrade needs at least one order of the account (every order here is created through
//!   the API), else 403; it records a permanent `advanced` grant (`source: manual`) that the
//!   limits answer lists. It does not change the buckets: their budgets are the test's.
//! - Volume progress: the account's fills of the last 30 days (both sides of every trade it
//!   was part of) against goals computed from a reference exchange volume of 10,000,000
//!   contracts a month and the documented Earn/Keep shares.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::errors::ApiError;
use super::fixed_point::Count;
use super::rate_limit::{DEFAULT_COST, RateLimitTier, RateLimits};
use super::request::RequestCtx;
use super::router::{Reply, Route};
use super::state::Exchange;

/// The account routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/account/limits", limits),
        Route::new(Method::GET, "/account/limits/perps", perps_limits),
        Route::new(Method::GET, "/account/endpoint_costs", endpoint_costs),
        Route::new(
            Method::GET,
            "/account/api_usage_level/volume_progress",
            volume_progress,
        ),
        Route::new(Method::POST, "/account/api_usage_level/upgrade", upgrade),
    ]
}

/// The monthly exchange volume the volume goals are computed from, in contracts.
pub(crate) const REFERENCE_MONTHLY_VOLUME: u64 = 10_000_000;

/// (level, Earn share, Keep share) in millionths, from the rate-limit guide.
const VOLUME_GOALS: [(&str, u64, u64); 5] = [
    ("expert", 750, 500),
    ("premier", 1_250, 1_000),
    ("paragon", 2_500, 2_000),
    ("prime", 5_000, 4_000),
    ("prestige", 10_000, 8_000),
];

const THIRTY_DAYS_MS: u64 = 30 * 24 * 3600 * 1000;

fn limits_json(limits: RateLimits, grants: Vec<Value>) -> Value {
    let tier = RateLimitTier::ALL
        .into_iter()
        .find(|t| t.limits() == limits)
        .map_or("custom", RateLimitTier::name);
    json!({
        "usage_tier": tier,
        "read": {"refill_rate": limits.read_rate, "bucket_capacity": limits.read_capacity},
        "write": {"refill_rate": limits.write_rate, "bucket_capacity": limits.write_capacity},
        "grants": grants,
    })
}

fn effective_limits(ctx: &RequestCtx) -> RateLimits {
    ctx.rate_limits
        .unwrap_or_else(|| RateLimitTier::Basic.limits())
}

fn limits(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let upgraded = ex.account(&ctx.account).is_some_and(|a| a.advanced_grant);
    let grants = if upgraded {
        vec![json!({
            "exchange_instance": "event_contract",
            "level": "advanced",
            "expires_ts": null,
            "source": "manual",
        })]
    } else {
        Vec::new()
    };
    Ok(Reply::ok(limits_json(effective_limits(ctx), grants)))
}

fn perps_limits(ctx: &RequestCtx, _ex: &mut Exchange) -> Result<Reply, ApiError> {
    Ok(Reply::ok(limits_json(effective_limits(ctx), Vec::new())))
}

fn endpoint_costs(ctx: &RequestCtx, _ex: &mut Exchange) -> Result<Reply, ApiError> {
    let items: Vec<Value> = ctx
        .costs
        .listed()
        .map(|(method, path, cost)| {
            json!({"method": method.as_str(), "path": format!("{}{path}", super::BASE_PATH), "cost": cost})
        })
        .collect();
    Ok(Reply::ok(
        json!({"default_cost": DEFAULT_COST, "endpoint_costs": items}),
    ))
}

fn volume_progress(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let since = ctx.now_ms.saturating_sub(THIRTY_DAYS_MS);
    let volume = ex
        .fills
        .iter()
        .filter(|f| f.account == ctx.account && f.ts_ms > since && f.ts_ms <= ctx.now_ms)
        .fold(Count::ZERO, |sum, f| sum.saturating_add(f.count));
    // share (millionths) × 2 × monthly volume, in hundredths of a contract.
    let goal = |share: u64| {
        Count::from_hundredths(share * 2 * REFERENCE_MONTHLY_VOLUME * 100 / 1_000_000).to_fp()
    };
    let goals: Vec<Value> = VOLUME_GOALS
        .iter()
        .map(|(level, earn, keep)| {
            json!({"level": level, "earn_volume_goal_fp": goal(*earn), "keep_volume_goal_fp": goal(*keep)})
        })
        .collect();
    Ok(Reply::ok(json!({"volume_progress": [{
        "computed_ts": ctx.now_ms / 1000,
        "trailing_30d_volume_fp": volume.to_fp(),
        "goals": goals,
    }]})))
}

fn upgrade(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    if !ex.orders.values().any(|o| o.account == ctx.account) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "no API-created order",
            "no API-created order was found in the account's latest 100 Predictions orders",
        ));
    }
    ex.account_mut(&ctx.account).advanced_grant = true;
    Ok(Reply::new(StatusCode::CREATED, Value::Null))
}
