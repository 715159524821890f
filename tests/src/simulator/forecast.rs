//! `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history`: an event's
//! forecast at chosen percentiles over time.
//!
//! The simulator's markets carry no strikes, so their prices imply no distribution of an
//! outcome value: the forecast comes from the test
//! ([`Simulator::record_forecast`](super::Simulator::record_forecast) records the value of one
//! percentile at the current exchange time). Periods are laid out like candlesticks: a period
//! of P (5 seconds for `period_interval=0`, else that many minutes) ends at a multiple of P,
//! every period from the one holding `start_ts` to the one holding `min(end_ts, now)`, at most
//! 10,000 a request (a 400 above). A period's `percentile_points` hold, for each percentile
//! asked (in the order asked), the last value recorded at or before the period's end; a period
//! where none of them has a value yet is left out (so an event without recorded forecasts
//! answers an empty `forecast_history`). `raw_numerical_forecast` equals
//! `numerical_forecast`. An unknown event is a 404 `not_found`.

use http::Method;
use serde_json::{Value, json};

use super::catalog::find_event;
use super::errors::ApiError;
use super::request::RequestCtx;
use super::router::{Reply, Route};
use super::state::Exchange;

/// The most periods one request returns.
const MAX_PERIODS: u64 = 10_000;

/// The forecast route, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/series/{series_ticker}/events/{ticker}/forecast_percentile_history",
        forecast_history,
    )]
}

/// One recorded forecast value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ForecastPoint {
    pub(crate) event_ticker: String,
    pub(crate) percentile: u16,
    pub(crate) numerical: f64,
    pub(crate) formatted: String,
    pub(crate) ts_ms: u64,
}

/// `GET /series/{series_ticker}/events/{ticker}/forecast_percentile_history?percentiles&start_ts&end_ts&period_interval`
fn forecast_history(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let event = find_event(ex, ctx.param("ticker")?)?.event_ticker;
    let mut percentiles = Vec::new();
    for raw in ctx.query.all("percentiles").flat_map(|v| v.split(',')) {
        let p = raw
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p <= 9999)
            .ok_or_else(|| {
                let shown: String = raw.chars().take(40).collect();
                ApiError::invalid_parameters(format!(
                    "`percentiles` takes integers from 0 to 9999, got `{shown}`"
                ))
            })?;
        percentiles.push(p);
    }
    if percentiles.is_empty() || percentiles.len() > 10 {
        return Err(ApiError::invalid_parameters(format!(
            "`percentiles` must hold 1 to 10 values, got {}",
            percentiles.len()
        )));
    }
    let required = |name: &str| -> Result<i64, ApiError> {
        ctx.query
            .int(name)?
            .ok_or_else(|| ApiError::invalid_parameters(format!("`{name}` is required")))
    };
    let start = required("start_ts")?;
    let end = required("end_ts")?;
    let interval = required("period_interval")?;
    let period_s: u64 = match interval {
        0 => 5,
        1 | 60 | 1440 => interval as u64 * 60,
        other => {
            return Err(ApiError::invalid_parameters(format!(
                "`period_interval` must be 0, 1, 60 or 1440, got {other}"
            )));
        }
    };
    if start < 0 || end < start {
        return Err(ApiError::invalid_parameters(format!(
            "`start_ts` ({start}) must be non-negative and not after `end_ts` ({end})"
        )));
    }
    let end_of = |ts: u64| ts.div_ceil(period_s).max(1) * period_s;
    let first = end_of(start as u64);
    let last = end_of((end as u64).min(ctx.now_ms / 1000));
    let count = if last < first {
        0
    } else {
        (last - first) / period_s + 1
    };
    if count > MAX_PERIODS {
        return Err(ApiError::invalid_parameters(format!(
            "the range holds {count} periods, more than the {MAX_PERIODS} one request returns"
        )));
    }
    let mut history = Vec::new();
    let mut end_s = first;
    while end_s <= last {
        let points: Vec<Value> = percentiles
            .iter()
            .filter_map(|p| {
                ex.forecasts
                    .iter()
                    .rev()
                    .find(|f| {
                        f.event_ticker == event && f.percentile == *p && f.ts_ms / 1000 <= end_s
                    })
                    .map(|f| {
                        json!({
                            "percentile": p,
                            "numerical_forecast": f.numerical,
                            "raw_numerical_forecast": f.numerical,
                            "formatted_forecast": f.formatted,
                        })
                    })
            })
            .collect();
        if !points.is_empty() {
            history.push(json!({
                "event_ticker": event,
                "end_period_ts": end_s,
                "period_interval": interval,
                "percentile_points": points,
            }));
        }
        end_s += period_s;
    }
    Ok(Reply::ok(json!({ "forecast_history": history })))
}
