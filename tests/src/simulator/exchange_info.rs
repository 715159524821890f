//! Exchange-wide reads: status, schedule, the user-data timestamp and scheduled fee changes.
//!
//! - `GET /exchange/status` reports the pause state the test sets
//!   ([`Simulator::set_trading_active`](super::Simulator::set_trading_active),
//!   [`Simulator::set_exchange_active`](super::Simulator::set_exchange_active)), for the
//!   exchange and for each shard alike (`intra_exchange_transfers_active` follows
//!   `exchange_active`).
//! - `GET /exchange/schedule`: one weekly schedule open around the clock (00:00 to 23:59 ET,
//!   every day, from 2020 to 2100) and the configured maintenance windows
//!   ([`SimulatorConfig::with_maintenance_window`](super::SimulatorConfig::with_maintenance_window)).
//!   The schedule is informational: the simulator does not pause by itself.
//! - `GET /exchange/user_data_timestamp`: the current exchange time (the simulator's user
//!   data is never behind).
//! - `GET /series/fee_changes` and `GET /events/fee_changes`: the configured changes
//!   (none by default); series changes scheduled before now appear only with
//!   `show_historical=true`.

use http::Method;
use serde_json::{Value, json};

use super::catalog::{limit_upto, query_bool};
use super::clock::rfc3339_ms;
use super::errors::ApiError;
use super::markets::{DEFAULT_CLOSE_TIME_MS, DEFAULT_OPEN_TIME_MS};
use super::request::{RequestCtx, seq_cursor};
use super::router::{Reply, Route};
use super::state::Exchange;

/// The exchange routes, relative to the base path (all public).
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::public(Method::GET, "/exchange/status", status),
        Route::public(Method::GET, "/exchange/schedule", schedule),
        Route::public(
            Method::GET,
            "/exchange/user_data_timestamp",
            user_data_timestamp,
        ),
        Route::public(Method::GET, "/series/fee_changes", series_fee_changes),
        Route::public(Method::GET, "/events/fee_changes", event_fee_changes),
    ]
}

/// `GET /exchange/status`
fn status(_ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let trading = ex.exchange_active && ex.trading_active;
    let shards: Vec<Value> = (0..ex.exchange_shards)
        .map(|i| {
            json!({
                "exchange_index": i,
                "description": format!("simulated exchange shard {i}"),
                "exchange_active": ex.exchange_active,
                "trading_active": trading,
                "intra_exchange_transfers_active": ex.exchange_active,
            })
        })
        .collect();
    Ok(Reply::ok(json!({
        "exchange_active": ex.exchange_active,
        "trading_active": trading,
        "intra_exchange_transfers_active": ex.exchange_active,
        "exchange_estimated_resume_time": null,
        "exchange_index_statuses": shards,
    })))
}

/// `GET /exchange/schedule`
fn schedule(_ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let day = json!([{"open_time": "00:00", "close_time": "23:59"}]);
    let windows: Vec<Value> = ex
        .maintenance_windows
        .iter()
        .map(|(s, e)| json!({"start_datetime": rfc3339_ms(*s), "end_datetime": rfc3339_ms(*e)}))
        .collect();
    Ok(Reply::ok(json!({
        "schedule": {
            "standard_hours": [{
                "start_time": rfc3339_ms(DEFAULT_OPEN_TIME_MS),
                "end_time": rfc3339_ms(DEFAULT_CLOSE_TIME_MS),
                "monday": day, "tuesday": day, "wednesday": day, "thursday": day,
                "friday": day, "saturday": day, "sunday": day,
            }],
            "maintenance_windows": windows,
        }
    })))
}

/// `GET /exchange/user_data_timestamp`
fn user_data_timestamp(ctx: &RequestCtx, _ex: &mut Exchange) -> Result<Reply, ApiError> {
    Ok(Reply::ok(json!({"as_of_time": rfc3339_ms(ctx.now_ms)})))
}

/// `GET /series/fee_changes?series_ticker&show_historical`
fn series_fee_changes(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let series = ctx.query_str("series_ticker")?;
    let historical = query_bool(ctx, "show_historical")?.unwrap_or(false);
    let items: Vec<Value> = ex
        .fee_changes
        .series
        .iter()
        .filter(|c| series.is_none_or(|s| s == c.series_ticker))
        .filter(|c| historical || c.scheduled_ms >= ctx.now_ms)
        .map(|c| {
            json!({
                "id": c.id,
                "series_ticker": c.series_ticker,
                "fee_type": c.fee_type,
                "fee_multiplier": c.fee_multiplier,
                "scheduled_ts": rfc3339_ms(c.scheduled_ms),
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "series_fee_change_arr": items })))
}

/// `GET /events/fee_changes?event_ticker&limit&cursor`: in configuration order.
fn event_fee_changes(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let event = ctx.query_str("event_ticker")?;
    let limit = limit_upto(ctx, 1000, 100)?;
    let after = ctx.seq_cursor('c')?;
    let mut matching = ex
        .fee_changes
        .events
        .iter()
        .enumerate()
        .filter(|(i, _)| after.is_none_or(|a| *i as u64 > a))
        .filter(|(_, c)| event.is_none_or(|e| e == c.event_ticker));
    let page: Vec<(usize, _)> = matching.by_ref().take(limit).collect();
    let cursor = match (matching.next().is_some(), page.last()) {
        (true, Some((i, _))) => seq_cursor('c', *i as u64),
        _ => String::new(),
    };
    let items: Vec<Value> = page
        .iter()
        .map(|(_, c)| {
            let series = ex.events.get(&c.event_ticker).map_or_else(
                || super::markets::series_of(&c.event_ticker).to_owned(),
                |e| e.series_ticker().to_owned(),
            );
            json!({
                "id": c.id,
                "event_ticker": c.event_ticker,
                "series_ticker": series,
                "fee_type_override": c.fee_type_override,
                "fee_multiplier_override": c.fee_multiplier_override,
                "scheduled_ts": rfc3339_ms(c.scheduled_ms),
            })
        })
        .collect();
    Ok(Reply::ok(
        json!({"event_fee_changes": items, "cursor": cursor}),
    ))
}
