//! Order endpoints: V2 writes under `/portfolio/events/orders`, reads under
//! `/portfolio/orders`, and the retired V1 writes, which answer 400
//! `deprecated_v1_order_endpoint`.
//!
//! Request bodies follow the V2 shapes: counts are fixed-point strings (`"10"`, `"10.00"`),
//! prices fixed-point dollar strings (`"0.56"`, `"0.5600"`). `ticker`, `side`, `count`, `price`,
//! `time_in_force` and `self_trade_prevention_type` are required on a create. Unknown fields
//! are ignored and `null` counts as absent; an empty `client_order_id` or `order_group_id` is
//! absent too. A create without `client_order_id` is accepted and has none.

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::clock::rfc3339_ms;
use super::engine::{Amend, NewOrder, Order, Side, Status, Stp, TimeInForce};
use super::errors::ApiError;
use super::fixed_point::{Count, Price, dollars};
use super::markets::event_of;
use super::portfolio::{in_ts_range, shard_filter};
use super::request::{RequestCtx, bool_field, int_field, required_str, seq_cursor, str_field};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};

/// The order routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::POST, "/portfolio/events/orders", create),
        Route::new(Method::DELETE, "/portfolio/events/orders", cancel_all),
        Route::new(
            Method::POST,
            "/portfolio/events/orders/batched",
            batch_create,
        ),
        Route::new(
            Method::DELETE,
            "/portfolio/events/orders/batched",
            batch_cancel,
        ),
        Route::new(
            Method::DELETE,
            "/portfolio/events/orders/{order_id}",
            cancel,
        ),
        Route::new(
            Method::POST,
            "/portfolio/events/orders/{order_id}/amend",
            amend,
        ),
        Route::new(
            Method::POST,
            "/portfolio/events/orders/{order_id}/decrease",
            decrease,
        ),
        Route::new(Method::GET, "/portfolio/orders", list),
        Route::new(
            Method::GET,
            "/portfolio/orders/queue_positions",
            queue_positions,
        ),
        Route::new(Method::GET, "/portfolio/orders/{order_id}", get),
        Route::new(
            Method::GET,
            "/portfolio/orders/{order_id}/queue_position",
            queue_position,
        ),
        Route::new(Method::POST, "/portfolio/orders", deprecated),
        Route::new(Method::POST, "/portfolio/orders/batched", deprecated),
        Route::new(Method::DELETE, "/portfolio/orders/batched", deprecated),
        Route::new(Method::DELETE, "/portfolio/orders/{order_id}", deprecated),
        Route::new(
            Method::POST,
            "/portfolio/orders/{order_id}/amend",
            deprecated,
        ),
        Route::new(
            Method::POST,
            "/portfolio/orders/{order_id}/decrease",
            deprecated,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Parsing

fn count_field(obj: &Map<String, Value>, name: &str) -> Result<Option<Count>, ApiError> {
    str_field(obj, name)?
        .map(|s| {
            Count::parse_fp(s).map_err(|e| ApiError::invalid_parameters(format!("`{name}`: {e}")))
        })
        .transpose()
}

fn price_field(obj: &Map<String, Value>, name: &str) -> Result<Price, ApiError> {
    Price::parse_dollars(required_str(obj, name)?)
        .map_err(|e| ApiError::invalid_parameters(format!("`{name}`: {e}")))
}

fn side_field(obj: &Map<String, Value>) -> Result<Side, ApiError> {
    let s = required_str(obj, "side")?;
    Side::parse(s).ok_or_else(|| {
        let shown: String = s.chars().take(40).collect();
        ApiError::invalid_parameters(format!("`side` must be bid or ask, got `{shown}`"))
    })
}

fn non_empty(obj: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    Ok(str_field(obj, name)?
        .filter(|s| !s.is_empty())
        .map(str::to_owned))
}

fn body_subaccount(obj: &Map<String, Value>) -> Result<SubaccountId, ApiError> {
    Ok(int_field(obj, "subaccount")?
        .map(|v| SubaccountId::from_request(v, "subaccount"))
        .transpose()?
        .unwrap_or(SubaccountId::PRIMARY))
}

/// Reads a `CreateOrderV2Request`.
pub(crate) fn parse_new_order(obj: &Map<String, Value>) -> Result<NewOrder, ApiError> {
    let ticker = required_str(obj, "ticker")?;
    if ticker.is_empty() {
        return Err(ApiError::invalid_parameters("`ticker` must not be empty"));
    }
    let side = side_field(obj)?;
    let count = count_field(obj, "count")?
        .ok_or_else(|| ApiError::invalid_parameters("`count` is required"))?;
    let price = price_field(obj, "price")?;
    let tif_raw = required_str(obj, "time_in_force")?;
    let tif = TimeInForce::parse(tif_raw).ok_or_else(|| {
        let shown: String = tif_raw.chars().take(40).collect();
        ApiError::invalid_parameters(format!(
            "`time_in_force` must be fill_or_kill, good_till_canceled or immediate_or_cancel, got `{shown}`"
        ))
    })?;
    let stp_raw = required_str(obj, "self_trade_prevention_type")?;
    let stp = Stp::parse(stp_raw).ok_or_else(|| {
        let shown: String = stp_raw.chars().take(40).collect();
        ApiError::invalid_parameters(format!(
            "`self_trade_prevention_type` must be taker_at_cross or maker, got `{shown}`"
        ))
    })?;
    Ok(NewOrder {
        sub: body_subaccount(obj)?,
        client_order_id: non_empty(obj, "client_order_id")?,
        ticker: ticker.to_owned(),
        side,
        price,
        count,
        tif,
        post_only: bool_field(obj, "post_only")?.unwrap_or(false),
        stp,
        cancel_on_pause: bool_field(obj, "cancel_order_on_pause")?.unwrap_or(false),
        reduce_only: bool_field(obj, "reduce_only")?.unwrap_or(false),
        order_group_id: non_empty(obj, "order_group_id")?,
        exchange_index: int_field(obj, "exchange_index")?,
        expiration_s: int_field(obj, "expiration_time")?,
    })
}

fn query_subaccount_or_primary(ctx: &RequestCtx) -> Result<SubaccountId, ApiError> {
    Ok(ctx.query_subaccount()?.unwrap_or(SubaccountId::PRIMARY))
}

/// Checks a write's `exchange_index` / `market_ticker` routing hints against the order.
fn check_routing(
    ex: &Exchange,
    order: &Order,
    exchange_index: Option<i128>,
    market_ticker: Option<&str>,
) -> Result<(), ApiError> {
    if let Some(t) = market_ticker.filter(|t| !t.is_empty()) {
        if t != order.ticker {
            return Err(super::engine::order_not_found(
                &order.id,
                &format!("on market `{t}`"),
            ));
        }
    }
    match exchange_index {
        None | Some(-1) => Ok(()),
        Some(v) => {
            let idx = ex.exchange_index(v, "exchange_index")?;
            if idx != order.exchange_index {
                return Err(super::engine::order_not_found(
                    &order.id,
                    &format!("on exchange index {idx}"),
                ));
            }
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

/// An order as the read endpoints show it (`Order`: the documented fields only; the order's
/// time in force, post-only and reduce-only flags are not among them).
pub(crate) fn order_json(o: &Order) -> Value {
    json!({
        "order_id": o.id,
        "user_id": o.account,
        "client_order_id": o.client_order_id.clone().unwrap_or_default(),
        "ticker": o.ticker,
        "outcome_side": o.side.outcome(),
        "book_side": o.side.as_str(),
        "side": "yes",
        "action": o.side.action(),
        "type": "limit",
        "status": o.status.as_str(),
        "yes_price_dollars": o.price.to_dollars(),
        "no_price_dollars": o.price.complement().to_dollars(),
        "fill_count_fp": o.filled.to_fp(),
        "remaining_count_fp": o.remaining.to_fp(),
        "initial_count_fp": o.initial.to_fp(),
        "taker_fill_cost_dollars": dollars(o.taker_cost),
        "maker_fill_cost_dollars": dollars(o.maker_cost),
        "taker_fees_dollars": dollars(0),
        "maker_fees_dollars": dollars(0),
        "expiration_time": o.expiration_ms.map(rfc3339_ms),
        "created_time": rfc3339_ms(o.created_ms),
        "last_update_time": rfc3339_ms(o.updated_ms),
        "self_trade_prevention_type": o.stp.as_str(),
        "order_group_id": o.order_group_id,
        "cancel_order_on_pause": o.cancel_on_pause,
        "subaccount_number": o.sub.get(),
        "exchange_index": o.exchange_index,
    })
}

fn error_entry(e: &ApiError) -> Value {
    e.document()
}

// ---------------------------------------------------------------------------------------------
// V2 writes

fn create_entry(ex: &mut Exchange, ctx: &RequestCtx, new: NewOrder) -> Result<Value, ApiError> {
    let placed = ex.place_order(&ctx.account, new, ctx.now_ms)?;
    let mut body = json!({
        "order_id": placed.order_id,
        "fill_count": placed.exec.filled.to_fp(),
        "remaining_count": placed.remaining.to_fp(),
        "ts_ms": ctx.now_ms,
    });
    if let Some(c) = placed.client_order_id {
        body["client_order_id"] = json!(c);
    }
    if let (Some(p), Some(f)) = (placed.exec.average_price(), placed.exec.average_fee()) {
        body["average_fill_price"] = json!(p);
        body["average_fee_paid"] = json!(f);
    }
    Ok(body)
}

/// `POST /portfolio/events/orders`
fn create(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let new = parse_new_order(&ctx.required_json_object()?)?;
    Ok(Reply::new(StatusCode::CREATED, create_entry(ex, ctx, new)?))
}

/// The `orders` array of a batch body: present, an array, not empty, every item an object.
fn batch_items(ctx: &RequestCtx) -> Result<Vec<Map<String, Value>>, ApiError> {
    let body = ctx.required_json_object()?;
    let items = match body.get("orders") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_parameters("`orders` is required"));
        }
        Some(_) => return Err(ApiError::invalid_parameters("`orders` must be an array")),
    };
    if items.is_empty() {
        return Err(ApiError::invalid_parameters("`orders` must not be empty"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Object(o) => Ok(o.clone()),
            _ => Err(ApiError::invalid_parameters(format!(
                "`orders[{i}]` must be an object"
            ))),
        })
        .collect()
}

/// `POST /portfolio/events/orders/batched`: every order is validated first (one malformed
/// order refuses the whole batch with a 400); then each is placed in turn, and business
/// refusals (duplicate client order id, balance, triggered group, ...) come back per order as
/// `{"client_order_id", "error": {...}}`.
fn batch_create(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let parsed = batch_items(ctx)?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            parse_new_order(o).map_err(|mut e| {
                e.details = format!("orders[{i}]: {}", e.details);
                e
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let results: Vec<Value> = parsed
        .into_iter()
        .map(|new| {
            let coid = new.client_order_id.clone();
            create_entry(ex, ctx, new)
                .unwrap_or_else(|e| json!({"client_order_id": coid, "error": error_entry(&e)}))
        })
        .collect();
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({ "orders": results }),
    ))
}

/// `DELETE /portfolio/events/orders/{order_id}`
fn cancel(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("order_id")?;
    let sub = query_subaccount_or_primary(ctx)?;
    let exchange_index = ctx.query.int("exchange_index")?.map(i128::from);
    let market_ticker = ctx.query_str("market_ticker")?;
    check_routing(
        ex,
        ex.owned_order(&ctx.account, id, Some(sub))?,
        exchange_index,
        market_ticker,
    )?;
    let (coid, reduced) = ex.cancel_order(&ctx.account, id, sub, ctx.now_ms)?;
    let mut body = json!({"order_id": id, "reduced_by": reduced.to_fp(), "ts_ms": ctx.now_ms});
    if let Some(c) = coid {
        body["client_order_id"] = json!(c);
    }
    Ok(Reply::ok(body))
}

/// `DELETE /portfolio/events/orders?subaccount`: cancels every resting order of the key, on
/// every market and shard, of one subaccount when `subaccount` is given (else of all), each
/// like a single cancel; 204 with no body. The exchange may also cancel orders placed during
/// the minute after the request; the simulator does not: it cancels what rests now, and orders
/// placed afterwards rest as usual.
fn cancel_all(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = ctx.query_subaccount()?;
    ex.cancel_all_orders(&ctx.account, sub, ctx.now_ms);
    Ok(Reply::no_content())
}

/// `DELETE /portfolio/events/orders/batched`
fn batch_cancel(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    struct Item {
        order_id: String,
        sub: SubaccountId,
        exchange_index: Option<i128>,
        market_ticker: Option<String>,
    }
    let items = batch_items(ctx)?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let at = |mut e: ApiError| {
                e.details = format!("orders[{i}]: {}", e.details);
                e
            };
            let order_id = required_str(o, "order_id").map_err(at)?;
            if order_id.is_empty() {
                return Err(at(ApiError::invalid_parameters(
                    "`order_id` must not be empty",
                )));
            }
            Ok(Item {
                order_id: order_id.to_owned(),
                sub: body_subaccount(o).map_err(at)?,
                exchange_index: int_field(o, "exchange_index").map_err(at)?,
                market_ticker: non_empty(o, "market_ticker").map_err(at)?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let results: Vec<Value> = items
        .into_iter()
        .map(|it| {
            let outcome = ex
                .owned_order(&ctx.account, &it.order_id, Some(it.sub))
                .and_then(|o| check_routing(ex, o, it.exchange_index, it.market_ticker.as_deref()))
                .and_then(|()| ex.cancel_order(&ctx.account, &it.order_id, it.sub, ctx.now_ms));
            match outcome {
                Ok((coid, reduced)) => json!({
                    "order_id": it.order_id,
                    "client_order_id": coid,
                    "reduced_by": reduced.to_fp(),
                    "ts_ms": ctx.now_ms,
                }),
                Err(e) => json!({
                    "order_id": it.order_id,
                    "reduced_by": Count::ZERO.to_fp(),
                    "error": error_entry(&e),
                }),
            }
        })
        .collect();
    Ok(Reply::ok(json!({ "orders": results })))
}

/// `POST /portfolio/events/orders/{order_id}/amend`
fn amend(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("order_id")?;
    let sub = query_subaccount_or_primary(ctx)?;
    let body = ctx.required_json_object()?;
    let ticker = required_str(&body, "ticker")?.to_owned();
    let req = Amend {
        side: side_field(&body)?,
        price: price_field(&body, "price")?,
        count: count_field(&body, "count")?
            .ok_or_else(|| ApiError::invalid_parameters("`count` is required"))?,
        client_order_id: non_empty(&body, "client_order_id")?,
        updated_client_order_id: non_empty(&body, "updated_client_order_id")?,
        exchange_index: int_field(&body, "exchange_index")?,
        ticker,
    };
    let done = ex.amend_order(&ctx.account, id, sub, req, ctx.now_ms)?;
    let mut out = json!({
        "order_id": done.order_id,
        "remaining_count": done.remaining.to_fp(),
        "fill_count": done.exec.filled.to_fp(),
        "ts_ms": ctx.now_ms,
    });
    if let Some(c) = done.client_order_id {
        out["client_order_id"] = json!(c);
    }
    if let (Some(p), Some(f)) = (done.exec.average_price(), done.exec.average_fee()) {
        out["average_fill_price"] = json!(p);
        out["average_fee_paid"] = json!(f);
    }
    Ok(Reply::ok(out))
}

/// `POST /portfolio/events/orders/{order_id}/decrease`
fn decrease(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("order_id")?;
    let sub = query_subaccount_or_primary(ctx)?;
    let body = ctx.required_json_object()?;
    let by = count_field(&body, "reduce_by")?;
    let to = count_field(&body, "reduce_to")?;
    match (by, to) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::invalid_parameters(
                "give exactly one of `reduce_by` and `reduce_to`",
            ));
        }
        (Some(b), None) if b.is_zero() => {
            return Err(ApiError::invalid_parameters("`reduce_by` must be positive"));
        }
        _ => {}
    }
    check_routing(
        ex,
        ex.owned_order(&ctx.account, id, Some(sub))?,
        int_field(&body, "exchange_index")?,
        str_field(&body, "market_ticker")?,
    )?;
    let (coid, remaining) = ex.decrease_order(&ctx.account, id, sub, by, to, ctx.now_ms)?;
    let mut out =
        json!({"order_id": id, "remaining_count": remaining.to_fp(), "ts_ms": ctx.now_ms});
    if let Some(c) = coid {
        out["client_order_id"] = json!(c);
    }
    Ok(Reply::ok(out))
}

/// The retired V1 order writes.
fn deprecated(_ctx: &RequestCtx, _ex: &mut Exchange) -> Result<Reply, ApiError> {
    Err(ApiError::new(
        StatusCode::BAD_REQUEST,
        "deprecated_v1_order_endpoint",
        "this order endpoint is deprecated",
        "V1 order writes are retired: use POST/DELETE /trade-api/v2/portfolio/events/orders (and its /batched, /{order_id}/amend and /{order_id}/decrease forms)",
    ))
}

// ---------------------------------------------------------------------------------------------
// Reads

/// `GET /portfolio/orders`: newest first.
pub(crate) fn list(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = ctx.query_subaccount()?;
    let shard = shard_filter(ctx, ex)?;
    let limit = ctx.page_limit()?;
    let before = ctx.seq_cursor('o')?;
    let ticker = ctx.query_str("ticker")?;
    let events: Option<Vec<&str>> = ctx
        .query_str("event_ticker")?
        .map(|e| e.split(',').map(str::trim).collect());
    if events.as_ref().is_some_and(|e| e.len() > 10) {
        return Err(ApiError::invalid_parameters(
            "`event_ticker` takes at most 10 event tickers",
        ));
    }
    let status = match ctx.query_str("status")? {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            let shown: String = s.chars().take(40).collect();
            ApiError::invalid_parameters(format!(
                "`status` must be resting, canceled or executed, got `{shown}`"
            ))
        })?),
    };
    let min_ts = ctx.query.int("min_ts")?;
    let max_ts = ctx.query.int("max_ts")?;
    let mut mine: Vec<&Order> = ex
        .orders
        .values()
        .filter(|o| o.account == ctx.account)
        .filter(|o| before.is_none_or(|b| o.seq < b))
        // Orders completed before the historical cutoff move to `/historical/orders`.
        .filter(|o| !ex.order_archived(o))
        .filter(|o| sub.is_none_or(|s| s == o.sub))
        .filter(|o| shard.is_none_or(|k| k == o.exchange_index))
        .filter(|o| ticker.is_none_or(|t| t == o.ticker))
        .filter(|o| {
            events
                .as_ref()
                .is_none_or(|e| e.contains(&event_of(&o.ticker)))
        })
        .filter(|o| status.is_none_or(|s| s == o.status))
        .filter(|o| in_ts_range(o.created_ms, min_ts, max_ts))
        .collect();
    mine.sort_unstable_by_key(|o| std::cmp::Reverse(o.seq));
    let more = mine.len() > limit;
    mine.truncate(limit);
    let cursor = match (more, mine.last()) {
        (true, Some(o)) => seq_cursor('o', o.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = mine.iter().map(|o| order_json(o)).collect();
    Ok(Reply::ok(json!({"orders": items, "cursor": cursor})))
}

/// `GET /portfolio/orders/{order_id}`
fn get(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("order_id")?;
    let order = ex.owned_order(&ctx.account, id, None)?;
    Ok(Reply::ok(json!({ "order": order_json(order) })))
}

/// Contracts ahead of a resting order at its price level.
fn contracts_ahead(ex: &Exchange, o: &Order) -> Count {
    let Some(market) = ex.markets.get(&o.ticker) else {
        return Count::ZERO;
    };
    let level = if o.side.is_bid() {
        market.bids.get(&o.price.get())
    } else {
        market.asks.get(&o.price.get())
    };
    level
        .into_iter()
        .flatten()
        .take_while(|id| **id != o.id)
        .filter_map(|id| ex.orders.get(id))
        .fold(Count::ZERO, |acc, m| acc.saturating_add(m.remaining))
}

fn not_resting(o: &Order) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "order_not_resting",
        "order is not resting",
        format!("order `{}` is {}", o.id, o.status.as_str()),
    )
}

/// `GET /portfolio/orders/{order_id}/queue_position`: the contracts resting ahead of the order
/// at its own price level (better prices are not counted).
fn queue_position(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("order_id")?;
    let order = ex.owned_order(&ctx.account, id, None)?;
    if order.status != Status::Resting {
        return Err(not_resting(order));
    }
    Ok(Reply::ok(
        json!({"queue_position_fp": contracts_ahead(ex, order).to_fp()}),
    ))
}

/// `GET /portfolio/orders/queue_positions`: every resting order of the subaccount (default
/// 0) on `market_tickers` (comma-separated) or `event_ticker`; one of them is required.
fn queue_positions(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = query_subaccount_or_primary(ctx)?;
    let tickers: Option<Vec<&str>> = ctx.query_str("market_tickers")?.map(|t| {
        t.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    });
    let event = ctx.query_str("event_ticker")?;
    if tickers.is_none() && event.is_none() {
        return Err(ApiError::invalid_parameters(
            "give `market_tickers` or `event_ticker`",
        ));
    }
    let mut mine: Vec<&Order> = ex
        .orders
        .values()
        .filter(|o| o.account == ctx.account && o.sub == sub && o.status == Status::Resting)
        .filter(|o| {
            tickers
                .as_ref()
                .is_none_or(|t| t.contains(&o.ticker.as_str()))
        })
        .filter(|o| event.is_none_or(|e| e == event_of(&o.ticker)))
        .collect();
    mine.sort_unstable_by(|a, b| a.ticker.cmp(&b.ticker).then(a.seq.cmp(&b.seq)));
    let items: Vec<Value> = mine
        .iter()
        .map(|o| {
            json!({
                "order_id": o.id,
                "market_ticker": o.ticker,
                "queue_position_fp": contracts_ahead(ex, o).to_fp(),
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "queue_positions": items })))
}
