//! Order groups: state, semantics and the REST handlers.
//!
//! # The simulator's reading of the spec
//!
//! - A group has a contracts limit (1 to 1,000,000 contracts, in hundredths), a triggered flag,
//!   the ids of every order ever placed in it (kept after they end) and the exchange shard it
//!   lives on. Orders join a group with `order_group_id` on create (same account, subaccount
//!   and shard; 404 if the group does not exist there, 400 `order_group_triggered` while it is
//!   triggered).
//! - `is_auto_cancel_enabled` is reported as `true` while the group is **active** and `false`
//!   while it is **triggered**. The spec only says "whether auto-cancel is enabled for this order
//!   group"; this is the simulator's interpretation, not a documented fact.
//! - Rolling volume is the contracts filled (as maker or taker) by the group's orders in the
//!   last 15 s of exchange time: a fill at time `t` counts while `now - t < 15 000 ms`. The
//!   group triggers when the volume *exceeds* the limit (exactly at the limit does not), when
//!   the limit is updated below it, or on a manual trigger; triggering cancels every working
//!   order of the group. Delete cancels them too and removes the group. A reset clears the
//!   triggered flag and the rolling volume. [`Simulator::record_fill`](super::Simulator::record_fill)
//!   adds volume without a trade.
//! - Groups belong to one account (API key) and one subaccount, and to one exchange shard:
//!   delete, reset, trigger and limit look the group up in the subaccount (default 0) **and** the
//!   shard (`exchange_index`, default 0) given in the query, and answer 404 when it is not there
//!   ("order groups do not function across exchange instances").
//! - `GET /portfolio/order_groups/{id}` and `GET /portfolio/order_groups` search every
//!   subaccount when `subaccount` is omitted, and every shard.

use std::collections::{HashMap, VecDeque};

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::fixed_point::Count;
use super::request::{RequestCtx, int_field, str_field};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};

/// The rolling window over which filled contracts count against the limit.
pub(crate) const ROLLING_WINDOW_MS: u64 = 15_000;
/// The smallest accepted limit: 1 contract.
pub(crate) const MIN_LIMIT: Count = Count::from_hundredths(100);
/// The largest accepted limit: 1,000,000 contracts.
pub(crate) const MAX_LIMIT: Count = Count::from_hundredths(100_000_000);

/// The order-group routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::POST, "/portfolio/order_groups/create", create),
        Route::new(Method::GET, "/portfolio/order_groups", list),
        Route::new(Method::GET, "/portfolio/order_groups/{order_group_id}", get),
        Route::new(
            Method::DELETE,
            "/portfolio/order_groups/{order_group_id}",
            delete,
        ),
        Route::new(
            Method::PUT,
            "/portfolio/order_groups/{order_group_id}/reset",
            reset,
        ),
        Route::new(
            Method::PUT,
            "/portfolio/order_groups/{order_group_id}/trigger",
            trigger,
        ),
        Route::new(
            Method::PUT,
            "/portfolio/order_groups/{order_group_id}/limit",
            update_limit,
        ),
    ]
}

/// One order group.
#[derive(Debug, Clone)]
pub(crate) struct OrderGroup {
    id: String,
    /// The shard the group lives on.
    pub(crate) exchange_index: u32,
    /// The contracts limit.
    pub(crate) limit: Count,
    /// Whether the group is triggered.
    pub(crate) triggered: bool,
    /// Ids of the orders placed in this group (kept after they end).
    pub(crate) orders: Vec<String>,
    /// Fills inside (or just past) the rolling window: (time ms, contracts).
    fills: VecDeque<(u64, Count)>,
    /// Creation order.
    seq: u64,
}

impl OrderGroup {
    fn new(id: String, exchange_index: u32, limit: Count, seq: u64) -> Self {
        OrderGroup {
            id,
            exchange_index,
            limit,
            triggered: false,
            orders: Vec::new(),
            fills: VecDeque::new(),
            seq,
        }
    }

    /// Filled contracts within the rolling window ending at `now_ms`.
    pub(crate) fn rolling_volume(&self, now_ms: u64) -> Count {
        self.fills
            .iter()
            .filter(|(t, _)| in_window(*t, now_ms))
            .fold(Count::ZERO, |acc, (_, c)| acc.saturating_add(*c))
    }

    fn prune(&mut self, now_ms: u64) {
        self.fills.retain(|(t, _)| in_window(*t, now_ms));
    }

    /// Records a fill of `count` contracts at `now_ms`; triggers the group when the rolling
    /// volume exceeds the limit. Returns whether the group is triggered afterwards.
    pub(crate) fn record_fill(&mut self, now_ms: u64, count: Count) -> bool {
        self.prune(now_ms);
        self.fills.push_back((now_ms, count));
        if self.rolling_volume(now_ms) > self.limit {
            self.trigger();
        }
        self.triggered
    }

    /// Sets the limit; triggers the group when the rolling volume is already above it.
    fn set_limit(&mut self, limit: Count, now_ms: u64) {
        self.limit = limit;
        if self.rolling_volume(now_ms) > limit {
            self.trigger();
        }
    }

    /// Marks the group triggered (the caller cancels its orders).
    fn trigger(&mut self) {
        self.triggered = true;
    }

    /// Back to active, rolling volume cleared.
    fn reset(&mut self) {
        self.triggered = false;
        self.fills.clear();
    }

    fn is_auto_cancel_enabled(&self) -> bool {
        !self.triggered
    }

    fn snapshot(&self, subaccount: SubaccountId, now_ms: u64) -> OrderGroupSnapshot {
        OrderGroupSnapshot {
            id: self.id.clone(),
            subaccount: subaccount.get(),
            exchange_index: self.exchange_index,
            contracts_limit_fp: self.limit.to_fp(),
            triggered: self.triggered,
            rolling_volume_fp: self.rolling_volume(now_ms).to_fp(),
            orders: self.orders.clone(),
        }
    }
}

fn in_window(fill_ms: u64, now_ms: u64) -> bool {
    now_ms.saturating_sub(fill_ms) < ROLLING_WINDOW_MS
}

/// A subaccount's order groups, by id.
#[derive(Debug, Default)]
pub(crate) struct OrderGroupBook {
    groups: HashMap<String, OrderGroup>,
}

impl OrderGroupBook {
    fn contains(&self, id: &str) -> bool {
        self.groups.contains_key(id)
    }

    /// The group `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&OrderGroup> {
        self.groups.get(id)
    }

    /// The group `id`, mutably.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut OrderGroup> {
        self.groups.get_mut(id)
    }
}

/// A copy of one order group's state, for tests to inspect (see
/// [`Simulator::order_groups`](super::Simulator::order_groups)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrderGroupSnapshot {
    /// The order group id.
    pub id: String,
    /// The owning subaccount (0 to 63).
    pub subaccount: u8,
    /// The exchange shard the group lives on.
    pub exchange_index: u32,
    /// The contracts limit, two decimals (`"10.00"`).
    pub contracts_limit_fp: String,
    /// Whether the group is triggered (the API reports `is_auto_cancel_enabled = !triggered`).
    pub triggered: bool,
    /// Filled contracts in the current 15-second window, two decimals.
    pub rolling_volume_fp: String,
    /// Ids of the group's orders.
    pub orders: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Request parsing

/// Reads `contracts_limit` / `contracts_limit_fp` from a body: at least one, in range, and equal
/// when both are given.
fn parse_limit(body: &Map<String, Value>) -> Result<Count, ApiError> {
    let whole = int_field(body, "contracts_limit")?
        .map(|v| {
            u64::try_from(v)
                .ok()
                .and_then(Count::from_whole)
                .filter(|c| (MIN_LIMIT..=MAX_LIMIT).contains(c))
                .ok_or_else(|| {
                    ApiError::invalid_parameters(format!(
                        "`contracts_limit` must be between 1 and 1000000, got {v}"
                    ))
                })
        })
        .transpose()?;
    let fp = str_field(body, "contracts_limit_fp")?
        .map(|s| {
            let count = Count::parse_fp(s)
                .map_err(|e| ApiError::invalid_parameters(format!("`contracts_limit_fp`: {e}")))?;
            if (MIN_LIMIT..=MAX_LIMIT).contains(&count) {
                Ok(count)
            } else {
                Err(ApiError::invalid_parameters(format!(
                    "`contracts_limit_fp` must be between 1.00 and 1000000.00, got \"{count}\""
                )))
            }
        })
        .transpose()?;
    match (whole, fp) {
        (Some(a), Some(b)) if a != b => Err(ApiError::invalid_parameters(format!(
            "`contracts_limit` ({}) and `contracts_limit_fp` (\"{b}\") disagree",
            a.hundredths() / 100
        ))),
        (Some(a), _) => Ok(a),
        (None, Some(b)) => Ok(b),
        (None, None) => Err(ApiError::invalid_parameters(
            "provide `contracts_limit` or `contracts_limit_fp`",
        )),
    }
}

fn query_subaccount(ctx: &RequestCtx) -> Result<Option<SubaccountId>, ApiError> {
    ctx.query
        .int("subaccount")?
        .map(|v| SubaccountId::from_request(i128::from(v), "subaccount"))
        .transpose()
}

fn query_exchange_index(ctx: &RequestCtx, ex: &Exchange) -> Result<u32, ApiError> {
    ctx.query.int("exchange_index")?.map_or(Ok(0), |v| {
        ex.exchange_index(i128::from(v), "exchange_index")
    })
}

fn not_found(id: &str, where_: &str) -> ApiError {
    let shown: String = id.chars().take(100).collect();
    ApiError::not_found(
        "order group not found",
        format!("no order group `{shown}` {where_}"),
    )
}

/// Finds the group a write targets: subaccount (default 0) and shard (default 0) from the query.
fn locate_mut<'a>(ctx: &RequestCtx, ex: &'a mut Exchange) -> Result<&'a mut OrderGroup, ApiError> {
    let id = ctx.param("order_group_id")?;
    let sub = query_subaccount(ctx)?.unwrap_or(SubaccountId::PRIMARY);
    let shard = query_exchange_index(ctx, ex)?;
    ex.find_account_mut(&ctx.account)
        .and_then(|a| a.find_subaccount_mut(sub))
        .and_then(|s| s.order_groups.groups.get_mut(id))
        .filter(|g| g.exchange_index == shard)
        .ok_or_else(|| {
            not_found(
                id,
                &format!("in subaccount {} on exchange index {shard}", sub.get()),
            )
        })
}

/// Reset and trigger take an optional body: empty or a JSON object (contents ignored).
fn optional_empty_body(ctx: &RequestCtx) -> Result<(), ApiError> {
    ctx.json_object().map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `POST /portfolio/order_groups/create`
fn create(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx
        .json_object()?
        .ok_or_else(|| ApiError::invalid_json("a JSON body is required"))?;
    let limit = parse_limit(&body)?;
    let sub = int_field(&body, "subaccount")?
        .map(|v| SubaccountId::from_request(v, "subaccount"))
        .transpose()?
        .unwrap_or(SubaccountId::PRIMARY);
    let shard = int_field(&body, "exchange_index")?
        .map(|v| ex.exchange_index(v, "exchange_index"))
        .transpose()?
        .unwrap_or(0);
    let id = loop {
        let id = ex.new_id();
        let taken = ex
            .account(&ctx.account)
            .is_some_and(|a| a.subaccounts().any(|(_, s)| s.order_groups.contains(&id)));
        if !taken {
            break id;
        }
    };
    let seq = ex.next_seq();
    let account = ex.account_mut(&ctx.account);
    account.order_group_creates += 1;
    account
        .subaccount_mut(sub)
        .order_groups
        .groups
        .insert(id.clone(), OrderGroup::new(id.clone(), shard, limit, seq));
    ex.note_group(&ctx.account, &id, "created", Some(limit), ctx.now_ms);
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({"order_group_id": id, "subaccount": sub.get(), "exchange_index": shard}),
    ))
}

/// `GET /portfolio/order_groups`
fn list(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let only = query_subaccount(ctx)?;
    let mut groups: Vec<&OrderGroup> = ex
        .account(&ctx.account)
        .into_iter()
        .flat_map(|a| a.subaccounts())
        .filter(|(id, _)| only.is_none_or(|o| o == *id))
        .flat_map(|(_, s)| s.order_groups.groups.values())
        .collect();
    groups.sort_by_key(|g| g.seq);
    let items: Vec<Value> = groups
        .iter()
        .map(|g| {
            json!({
                "id": g.id,
                "contracts_limit_fp": g.limit.to_fp(),
                "is_auto_cancel_enabled": g.is_auto_cancel_enabled(),
                "exchange_index": g.exchange_index,
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "order_groups": items })))
}

/// `GET /portfolio/order_groups/{order_group_id}`
fn get(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("order_group_id")?;
    let only = query_subaccount(ctx)?;
    let group = ex
        .account(&ctx.account)
        .into_iter()
        .flat_map(|a| a.subaccounts())
        .filter(|(sid, _)| only.is_none_or(|o| o == *sid))
        .find_map(|(_, s)| s.order_groups.groups.get(id))
        .ok_or_else(|| match only {
            Some(s) => not_found(id, &format!("in subaccount {}", s.get())),
            None => not_found(id, "in any subaccount"),
        })?;
    Ok(Reply::ok(json!({
        "is_auto_cancel_enabled": group.is_auto_cancel_enabled(),
        "contracts_limit_fp": group.limit.to_fp(),
        "orders": group.orders,
        "exchange_index": group.exchange_index,
    })))
}

/// `DELETE /portfolio/order_groups/{order_group_id}`
fn delete(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = locate_mut(ctx, ex)?.id.clone();
    let sub = query_subaccount(ctx)?.unwrap_or(SubaccountId::PRIMARY);
    ex.cancel_group_orders(&ctx.account, sub, &id, ctx.now_ms);
    if let Some(s) = ex
        .find_account_mut(&ctx.account)
        .and_then(|a| a.find_subaccount_mut(sub))
    {
        s.order_groups.groups.remove(&id);
    }
    ex.note_group(&ctx.account, &id, "deleted", None, ctx.now_ms);
    Ok(Reply::ok(json!({})))
}

/// `PUT /portfolio/order_groups/{order_group_id}/reset`
fn reset(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    optional_empty_body(ctx)?;
    let group = locate_mut(ctx, ex)?;
    group.reset();
    let id = group.id.clone();
    ex.note_group(&ctx.account, &id, "reset", None, ctx.now_ms);
    Ok(Reply::ok(json!({})))
}

/// `PUT /portfolio/order_groups/{order_group_id}/trigger`
fn trigger(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    optional_empty_body(ctx)?;
    let group = locate_mut(ctx, ex)?;
    let was = group.triggered;
    group.trigger();
    let id = group.id.clone();
    let sub = query_subaccount(ctx)?.unwrap_or(SubaccountId::PRIMARY);
    if !was {
        ex.note_group(&ctx.account, &id, "triggered", None, ctx.now_ms);
    }
    ex.cancel_group_orders(&ctx.account, sub, &id, ctx.now_ms);
    Ok(Reply::ok(json!({})))
}

/// `PUT /portfolio/order_groups/{order_group_id}/limit`
fn update_limit(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx
        .json_object()?
        .ok_or_else(|| ApiError::invalid_json("a JSON body is required"))?;
    let limit = parse_limit(&body)?;
    let now = ctx.now_ms;
    let group = locate_mut(ctx, ex)?;
    let was = group.triggered;
    group.set_limit(limit, now);
    let (id, triggered) = (group.id.clone(), group.triggered);
    ex.note_group(&ctx.account, &id, "limit_updated", Some(limit), now);
    if triggered {
        if !was {
            ex.note_group(&ctx.account, &id, "triggered", None, now);
        }
        let sub = query_subaccount(ctx)?.unwrap_or(SubaccountId::PRIMARY);
        ex.cancel_group_orders(&ctx.account, sub, &id, now);
    }
    Ok(Reply::ok(json!({})))
}

// ---------------------------------------------------------------------------------------------
// Library hooks (used by `Simulator`)

/// Every order group of `key_id`, in creation order.
pub(crate) fn snapshots(ex: &Exchange, key_id: &str, now_ms: u64) -> Vec<OrderGroupSnapshot> {
    let mut groups: Vec<(u64, OrderGroupSnapshot)> = ex
        .account(key_id)
        .into_iter()
        .flat_map(|a| a.subaccounts())
        .flat_map(|(sid, s)| {
            s.order_groups
                .groups
                .values()
                .map(move |g| (g.seq, g.snapshot(sid, now_ms)))
        })
        .collect();
    groups.sort_by_key(|(seq, _)| *seq);
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Inserts a group with a chosen id (which may contain any characters) on shard 0.
pub(crate) fn insert(
    ex: &mut Exchange,
    key_id: &str,
    subaccount: u8,
    id: &str,
    contracts_limit_fp: &str,
) -> Result<(), String> {
    let sub = SubaccountId::new(subaccount)
        .ok_or_else(|| format!("subaccount {subaccount} is outside 0..=63"))?;
    let limit = Count::parse_fp(contracts_limit_fp)?;
    if !(MIN_LIMIT..=MAX_LIMIT).contains(&limit) {
        return Err(format!("limit {limit} is outside 1.00..=1000000.00"));
    }
    if id.is_empty() {
        return Err("the order group id is empty".into());
    }
    let seq = ex.next_seq();
    let book = &mut ex.account_mut(key_id).subaccount_mut(sub).order_groups;
    if book.contains(id) {
        return Err(format!("order group `{id}` already exists"));
    }
    book.groups
        .insert(id.to_owned(), OrderGroup::new(id.to_owned(), 0, limit, seq));
    ex.note_group(key_id, id, "created", Some(limit), 0);
    Ok(())
}

/// Records a fill against a group (cancelling its working orders if it triggers); returns
/// whether the group is triggered afterwards.
pub(crate) fn record_fill(
    ex: &mut Exchange,
    key_id: &str,
    subaccount: u8,
    id: &str,
    contracts_fp: &str,
    now_ms: u64,
) -> Result<bool, String> {
    let count = Count::parse_fp(contracts_fp)?;
    let sub = SubaccountId::new(subaccount)
        .ok_or_else(|| format!("subaccount {subaccount} is outside 0..=63"))?;
    let group = ex
        .find_account_mut(key_id)
        .and_then(|a| a.find_subaccount_mut(sub))
        .and_then(|s| s.order_groups.groups.get_mut(id))
        .ok_or_else(|| format!("no order group `{id}` in subaccount {subaccount} of `{key_id}`"))?;
    let was = group.triggered;
    let triggered = group.record_fill(now_ms, count);
    if triggered {
        if !was {
            ex.note_group(key_id, id, "triggered", None, now_ms);
        }
        ex.cancel_group_orders(key_id, sub, id, now_ms);
    }
    Ok(triggered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn limit_err(v: Value) -> String {
        parse_limit(&obj(v)).unwrap_err().details
    }

    #[test]
    fn limit_parsing() {
        let c = |h| Count::from_hundredths(h);
        assert_eq!(
            parse_limit(&obj(json!({"contracts_limit": 10}))),
            Ok(c(1000))
        );
        assert_eq!(
            parse_limit(&obj(json!({"contracts_limit_fp": "2.5"}))),
            Ok(c(250))
        );
        assert_eq!(
            parse_limit(&obj(
                json!({"contracts_limit": 10, "contracts_limit_fp": "10.00"})
            )),
            Ok(c(1000))
        );
        assert_eq!(
            parse_limit(&obj(
                json!({"contracts_limit": null, "contracts_limit_fp": "1"})
            )),
            Ok(c(100))
        );
        assert_eq!(
            parse_limit(&obj(json!({"contracts_limit": 1000000}))),
            Ok(c(100_000_000))
        );
        assert!(limit_err(json!({})).contains("provide"));
        assert!(limit_err(json!({"contracts_limit": 0})).contains("between 1 and 1000000"));
        assert!(limit_err(json!({"contracts_limit": -5})).contains("between"));
        assert!(limit_err(json!({"contracts_limit": 1000001})).contains("between"));
        assert!(limit_err(json!({"contracts_limit": u64::MAX})).contains("between"));
        assert!(limit_err(json!({"contracts_limit": 1e300})).contains("whole number"));
        assert!(limit_err(json!({"contracts_limit": "10"})).contains("integer"));
        assert!(limit_err(json!({"contracts_limit_fp": "0.99"})).contains("between 1.00"));
        assert!(limit_err(json!({"contracts_limit_fp": "1000000.01"})).contains("between"));
        assert!(limit_err(json!({"contracts_limit_fp": "10.005"})).contains("fixed-point"));
        assert!(limit_err(json!({"contracts_limit_fp": 10})).contains("string"));
        assert!(
            limit_err(json!({"contracts_limit": 10, "contracts_limit_fp": "10.50"}))
                .contains("disagree")
        );
    }

    #[test]
    fn rolling_volume_and_triggering() {
        let mut g = OrderGroup::new("g".into(), 0, Count::from_hundredths(1000), 1);
        let t0 = 1_700_000_000_000;
        assert!(g.is_auto_cancel_enabled());
        assert!(!g.record_fill(t0, Count::from_hundredths(600)));
        assert!(!g.record_fill(t0 + 1_000, Count::from_hundredths(400))); // exactly at the limit
        assert_eq!(g.rolling_volume(t0 + 1_000), Count::from_hundredths(1000));
        // The first fill leaves the window 15 s after it happened.
        assert_eq!(g.rolling_volume(t0 + 15_000), Count::from_hundredths(400));
        assert!(!g.record_fill(t0 + 15_000, Count::from_hundredths(600)));
        assert!(g.record_fill(t0 + 15_001, Count::from_hundredths(1)));
        assert!(!g.is_auto_cancel_enabled());
        g.reset();
        assert!(g.is_auto_cancel_enabled());
        assert_eq!(g.rolling_volume(t0 + 15_001), Count::ZERO);

        // Lowering the limit below the rolling volume triggers; raising it does not untrigger.
        g.record_fill(t0 + 20_000, Count::from_hundredths(500));
        g.set_limit(Count::from_hundredths(500), t0 + 20_000);
        assert!(!g.triggered);
        g.set_limit(Count::from_hundredths(499), t0 + 20_000);
        assert!(g.triggered);
        g.set_limit(Count::from_hundredths(100_000), t0 + 20_000);
        assert!(g.triggered);
        // After the window passes, lowering the limit no longer triggers.
        g.reset();
        g.record_fill(t0 + 30_000, Count::from_hundredths(500));
        g.set_limit(Count::from_hundredths(100), t0 + 45_000);
        assert!(!g.triggered);
    }

    #[test]
    fn hooks() {
        let mut ex = Exchange::new(1);
        insert(&mut ex, "k", 2, "a/b c", "5").unwrap();
        assert!(
            insert(&mut ex, "k", 2, "a/b c", "5")
                .unwrap_err()
                .contains("exists")
        );
        assert!(insert(&mut ex, "k", 64, "x", "5").is_err());
        assert!(insert(&mut ex, "k", 0, "x", "0.5").is_err());
        assert!(insert(&mut ex, "k", 0, "", "5").is_err());
        assert!(!record_fill(&mut ex, "k", 2, "a/b c", "5", 1_000).unwrap());
        assert!(record_fill(&mut ex, "k", 2, "a/b c", "0.01", 1_001).unwrap());
        assert!(record_fill(&mut ex, "k", 0, "a/b c", "1", 1_001).is_err());
        assert!(record_fill(&mut ex, "nobody", 2, "a/b c", "1", 1_001).is_err());
        let snaps = snapshots(&ex, "k", 1_001);
        assert_eq!(snaps.len(), 1);
        assert_eq!(snaps[0].id, "a/b c");
        assert_eq!(snaps[0].subaccount, 2);
        assert_eq!(snaps[0].contracts_limit_fp, "5.00");
        assert_eq!(snaps[0].rolling_volume_fp, "5.01");
        assert!(snaps[0].triggered);
        assert!(snapshots(&ex, "nobody", 0).is_empty());
    }
}
