//! Money in, out and across shards: deposits and withdrawals (recorded by test hooks), the
//! value of resting orders, the target balance allocation, and intra-exchange-instance
//! transfers.
//!
//! - Deposits and withdrawals come only from
//!   [`Simulator::record_deposit`](super::Simulator::record_deposit) and
//!   [`record_withdrawal`](super::Simulator::record_withdrawal) (none by default): each is
//!   `applied` at once (`ach`, no fee) and moves the primary subaccount's shard-0 cash.
//! - `total_resting_order_value` is what the account's resting orders hold (their cost at the
//!   limit price for the remaining count), in cents rounded down, broken down per shard (shard
//!   0 and every shard with resting orders, by the orders' markets).
//! - The target balance allocation is stored per account and read back as set; it is
//!   validated (each `exchange_index` a shard of the simulator and given once, each `percent`
//!   0 to 100, at most 101 entries, a total of 100 unless the list is empty, which turns
//!   rebalancing off) but drives no automatic rebalancing.
//! - An intra-exchange-instance transfer moves `amount` centicents (1/10,000 of a dollar)
//!   between (subaccount, shard) pairs of the account, at once (`status` `complete`). Only
//!   `event_contract` to `event_contract` is simulated (`margined` is a 400). It refuses, like
//!   a subaccount transfer, a non-positive amount, more than the source's available cash,
//!   unknown subaccounts or shards, and the same source and destination.

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::engine::Status;
use super::errors::ApiError;
use super::fixed_point::{cents, dollars};
use super::request::{RequestCtx, int_field, required_str, seq_cursor};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};
use super::subaccounts::{
    CashMovement, IntraTransfer, available_on, insufficient_balance, move_cash, require_exists,
    required_int,
};

/// The funding routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/portfolio/deposits", deposits),
        Route::new(Method::GET, "/portfolio/withdrawals", withdrawals),
        Route::new(
            Method::GET,
            "/portfolio/summary/total_resting_order_value",
            resting_order_value,
        ),
        Route::new(
            Method::GET,
            "/portfolio/target_balance_allocation",
            get_allocation,
        ),
        Route::new(
            Method::POST,
            "/portfolio/target_balance_allocation",
            set_allocation,
        ),
        Route::new(
            Method::POST,
            "/portfolio/intra_exchange_instance_transfer",
            intra_transfer,
        ),
        Route::new(
            Method::GET,
            "/portfolio/intra_exchange_instance_transfers",
            intra_transfers,
        ),
        Route::new(
            Method::GET,
            "/portfolio/intra_exchange_instance_transfers/{transfer_id}",
            intra_transfer_get,
        ),
    ]
}

/// Records a deposit (`deposit`) or withdrawal of `amount_cents` on the primary subaccount's
/// shard-0 cash. Returns its id.
pub(crate) fn record_cash_movement(
    ex: &mut Exchange,
    account: &str,
    deposit: bool,
    amount_cents: i64,
    now_ms: u64,
) -> Result<String, String> {
    let micros = Some(amount_cents)
        .filter(|c| *c > 0)
        .and_then(|c| c.checked_mul(10_000))
        .ok_or_else(|| {
            format!("the amount must be a positive number of cents, got {amount_cents}")
        })?;
    let primary = SubaccountId::PRIMARY;
    if !deposit {
        let available = available_on(ex, account, primary, 0);
        if micros > available {
            return Err(format!(
                "a withdrawal of ${} is more than the ${} available",
                dollars(micros),
                dollars(available)
            ));
        }
    }
    move_cash(
        ex,
        account,
        primary,
        0,
        if deposit { micros } else { -micros },
        now_ms,
    );
    let seq = ex.next_seq();
    let id = ex.new_id();
    ex.ledger.cash_movements.push(CashMovement {
        seq,
        id: id.clone(),
        account: account.to_owned(),
        deposit,
        amount_cents,
        created_ms: now_ms,
    });
    Ok(id)
}

/// The `limit` of a list documented with a maximum of 500 (default 100).
fn limit_500(ctx: &RequestCtx) -> Result<usize, ApiError> {
    match ctx.query.int("limit")? {
        None => Ok(100),
        Some(v @ 1..=500) => Ok(v as usize),
        Some(v) => Err(ApiError::invalid_parameters(format!(
            "`limit` must be between 1 and 500, got {v}"
        ))),
    }
}

fn cash_movements(ctx: &RequestCtx, ex: &Exchange, deposit: bool) -> Result<Reply, ApiError> {
    let limit = limit_500(ctx)?;
    let prefix = if deposit { 'd' } else { 'w' };
    let before = ctx.seq_cursor(prefix)?;
    let mut matching = ex
        .ledger
        .cash_movements
        .iter()
        .rev()
        .filter(|m| m.account == ctx.account && m.deposit == deposit)
        .filter(|m| before.is_none_or(|b| m.seq < b));
    let page: Vec<&CashMovement> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some(m)) => seq_cursor(prefix, m.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = page
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "status": "applied",
                "type": "ach",
                "amount_cents": m.amount_cents,
                "fee_cents": 0,
                "created_ts": m.created_ms / 1000,
                "finalized_ts": m.created_ms / 1000,
            })
        })
        .collect();
    let key = if deposit { "deposits" } else { "withdrawals" };
    Ok(Reply::ok(json!({ key: items, "cursor": cursor })))
}

/// `GET /portfolio/deposits`
fn deposits(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    cash_movements(ctx, ex, true)
}

/// `GET /portfolio/withdrawals`
fn withdrawals(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    cash_movements(ctx, ex, false)
}

/// `GET /portfolio/summary/total_resting_order_value`
fn resting_order_value(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    // Shard 0 always, and every shard with resting orders.
    let mut by_shard: BTreeMap<u32, i64> = BTreeMap::from([(0, 0)]);
    for o in ex
        .orders
        .values()
        .filter(|o| o.account == ctx.account && o.status == Status::Resting)
    {
        let v = by_shard.entry(o.exchange_index).or_default();
        *v = v.saturating_add(o.reserved);
    }
    let total = by_shard.values().fold(0i64, |a, v| a.saturating_add(*v));
    let breakdown: Vec<Value> = by_shard
        .iter()
        .map(|(i, v)| json!({"exchange_index": i, "balance": dollars(*v)}))
        .collect();
    Ok(Reply::ok(json!({
        "total_resting_order_value": cents(total),
        "resting_order_value_breakdown": breakdown,
    })))
}

/// `GET /portfolio/target_balance_allocation`
fn get_allocation(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let items: Vec<Value> = ex
        .ledger
        .allocations
        .get(&ctx.account)
        .into_iter()
        .flatten()
        .map(|(i, p)| json!({"exchange_index": i, "percent": p}))
        .collect();
    Ok(Reply::ok(json!({ "allocations": items })))
}

/// `POST /portfolio/target_balance_allocation`
fn set_allocation(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let list = match body.get("allocations") {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_parameters("`allocations` is required"));
        }
        Some(_) => {
            return Err(ApiError::invalid_parameters(
                "`allocations` must be an array",
            ));
        }
    };
    if list.len() > 101 {
        return Err(ApiError::invalid_parameters(format!(
            "`allocations` has at most 101 entries, got {}",
            list.len()
        )));
    }
    let mut allocations: Vec<(u32, u8)> = Vec::with_capacity(list.len());
    for (n, item) in list.iter().enumerate() {
        let obj = item.as_object().ok_or_else(|| {
            ApiError::invalid_parameters(format!("`allocations[{n}]` must be an object"))
        })?;
        let index_field = format!("allocations[{n}].exchange_index");
        let index = int_field(obj, "exchange_index")?
            .ok_or_else(|| ApiError::invalid_parameters(format!("`{index_field}` is required")))?;
        let index = ex.exchange_index(index, &index_field)?;
        let percent = int_field(obj, "percent")?
            .ok_or_else(|| {
                ApiError::invalid_parameters(format!("`allocations[{n}].percent` is required"))
            })
            .and_then(|p| {
                u8::try_from(p).ok().filter(|p| *p <= 100).ok_or_else(|| {
                    ApiError::invalid_parameters(format!(
                        "`allocations[{n}].percent` must be between 0 and 100, got {p}"
                    ))
                })
            })?;
        if allocations.iter().any(|(i, _)| *i == index) {
            return Err(ApiError::invalid_parameters(format!(
                "exchange index {index} is given more than once in `allocations`"
            )));
        }
        allocations.push((index, percent));
    }
    let total: u32 = allocations.iter().map(|(_, p)| u32::from(*p)).sum();
    if !allocations.is_empty() && total != 100 {
        return Err(ApiError::invalid_parameters(format!(
            "the percentages must total 100, got {total}"
        )));
    }
    ex.ledger
        .allocations
        .insert(ctx.account.clone(), allocations);
    Ok(Reply::ok(json!({})))
}

/// An `ExchangeInstance` field (`event_contract` or `margined`; only the first is simulated).
fn instance_field(obj: &serde_json::Map<String, Value>, name: &str) -> Result<(), ApiError> {
    match required_str(obj, name)? {
        "event_contract" => Ok(()),
        "margined" => Err(ApiError::invalid_parameters(format!(
            "`{name}` margined: the simulator has no margined exchange instance"
        ))),
        other => {
            let shown: String = other.chars().take(40).collect();
            Err(ApiError::invalid_parameters(format!(
                "`{name}` must be event_contract or margined, got `{shown}`"
            )))
        }
    }
}

fn intra_json(t: &IntraTransfer) -> Value {
    json!({
        "transfer_id": t.id,
        "source": "event_contract",
        "destination": "event_contract",
        "source_exchange_shard": t.source_shard,
        "destination_exchange_shard": t.destination_shard,
        "amount": dollars(t.amount),
        "status": "complete",
        "created_ts": t.created_ms / 1000,
    })
}

/// `POST /portfolio/intra_exchange_instance_transfer`
fn intra_transfer(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    instance_field(&body, "source")?;
    instance_field(&body, "destination")?;
    let raw = required_int(&body, "amount")?;
    let amount = i64::try_from(raw)
        .ok()
        .filter(|a| *a > 0)
        .and_then(|a| a.checked_mul(100))
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!(
                "`amount` must be a positive number of centicents, got {raw}"
            ))
        })?;
    let shard = |name: &str| -> Result<u32, ApiError> {
        int_field(&body, name)?.map_or(Ok(0), |v| ex.exchange_index(v, name))
    };
    let (src_shard, dst_shard) = (
        shard("source_exchange_shard")?,
        shard("destination_exchange_shard")?,
    );
    let sub = |name: &str| -> Result<SubaccountId, ApiError> {
        int_field(&body, name)?.map_or(Ok(SubaccountId::PRIMARY), |v| {
            SubaccountId::from_request(v, name)
        })
    };
    let (src_sub, dst_sub) = (sub("source_subaccount")?, sub("destination_subaccount")?);
    if (src_sub, src_shard) == (dst_sub, dst_shard) {
        return Err(ApiError::invalid_parameters(format!(
            "the source and destination are both subaccount {} on exchange index {src_shard}",
            src_sub.get()
        )));
    }
    require_exists(ex, &ctx.account, src_sub, "source_subaccount")?;
    require_exists(ex, &ctx.account, dst_sub, "destination_subaccount")?;
    let available = available_on(ex, &ctx.account, src_sub, src_shard);
    if amount > available {
        return Err(insufficient_balance(amount, available));
    }
    move_cash(ex, &ctx.account, src_sub, src_shard, -amount, ctx.now_ms);
    move_cash(ex, &ctx.account, dst_sub, dst_shard, amount, ctx.now_ms);
    let seq = ex.next_seq();
    let id = ex.new_id();
    ex.ledger.intra_transfers.push(IntraTransfer {
        seq,
        id: id.clone(),
        account: ctx.account.clone(),
        source_shard: src_shard,
        destination_shard: dst_shard,
        amount,
        created_ms: ctx.now_ms,
    });
    Ok(Reply::ok(json!({ "transfer_id": id })))
}

/// `GET /portfolio/intra_exchange_instance_transfers` (the cursor is omitted on the last
/// page, as documented for this list).
fn intra_transfers(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = limit_500(ctx)?;
    let before = ctx.seq_cursor('i')?;
    let mut matching = ex
        .ledger
        .intra_transfers
        .iter()
        .rev()
        .filter(|t| t.account == ctx.account)
        .filter(|t| before.is_none_or(|b| t.seq < b));
    let page: Vec<&IntraTransfer> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let items: Vec<Value> = page.iter().map(|t| intra_json(t)).collect();
    let mut body = json!({ "transfers": items });
    if let (true, Some(t)) = (more, page.last()) {
        body["cursor"] = json!(seq_cursor('i', t.seq));
    }
    Ok(Reply::ok(body))
}

/// `GET /portfolio/intra_exchange_instance_transfers/{transfer_id}`
fn intra_transfer_get(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ctx.param("transfer_id")?;
    let t = ex
        .ledger
        .intra_transfers
        .iter()
        .find(|t| t.account == ctx.account && t.id == id)
        .ok_or_else(|| {
            let shown: String = id.chars().take(100).collect();
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "transfer not found",
                format!("no intra-exchange-instance transfer `{shown}` in this account"),
            )
        })?;
    Ok(Reply::ok(json!({ "transfer": intra_json(t) })))
}
