//! Subaccounts: creation, cash and position transfers between them, their balances, netting
//! and the settlement-advance lock; and the [`Ledger`] that keeps every portfolio record the
//! matching engine does not (transfers, settlements, deposits, withdrawals, settings).
//!
//! - Subaccount `0` (the primary) always exists. A numbered subaccount (1 to 63) exists once
//!   `POST /portfolio/subaccounts` created it (it starts with no cash, to be funded by a
//!   transfer) or once it was used without being created (an order or a test hook: the
//!   simulator's leniency, and it then starts with the configured starting balance).
//!   `POST /portfolio/subaccounts` assigns the lowest number not in use, starting from 1; when
//!   all 63 are in use it is a 400 `subaccount_limit_reached`.
//! - Cash lives per (subaccount, exchange shard). Shard 0 holds the trading cash: every order,
//!   whatever its market's shard, reserves and pays from it, and settlements credit it (the
//!   simulator's simplification: the engine keeps one trading balance per subaccount). Cash on
//!   shards 1 and up is only moved by transfers (`exchange_index` of a subaccount transfer,
//!   the shards of an intra-exchange-instance transfer) and read by the balance endpoints.
//! - A cash transfer moves `amount_cents` from the source's available (unreserved) cash on the
//!   shard to the destination; it refuses (400, nothing moves) an amount that is not positive
//!   or more than the available cash (`insufficient_balance`), a subaccount that does not
//!   exist, the same source and destination, a `client_transfer_id` that is not a UUID, and
//!   answers 409 `duplicate_client_transfer_id` for an id that already moved money (the
//!   Subaccounts guide: "retrying with the same value returns 409 instead of applying the
//!   transfer twice").
//! - A position transfer moves `count` whole YES or NO contracts of a market on shard 0 at
//!   `price` (the YES price, 0 to 1 inclusive; a NO contract is valued `1 - price`): the
//!   source realizes `value - cost basis` of what leaves, the destination's cost basis is the
//!   value. No cash moves (pairs the destination now holds settle at $1 if its netting is on).
//!   Refusals as for cash (400; 409 for a repeated `client_transfer_id`), plus 400
//!   `insufficient_position` when the source holds fewer contracts of that side.
//! - Netting (on by default) is the engine's pairing of YES and NO of one market at $1: with it
//!   off a subaccount keeps both; turning it back on settles the pairs held at once.
//! - Locking a subaccount for settlement advance (shard 0 only, as the docs say) cancels its
//!   resting orders and refuses its new orders (400 `subaccount_locked`) until it is unlocked;
//!   locking a locked subaccount is a 409. The simulator has no settlement advances, so an
//!   unlock always succeeds (an unlocked subaccount stays unlocked).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::engine::{Side, Status};
use super::errors::ApiError;
use super::fixed_point::{Count, dollars};
use super::portfolio::prorate;
use super::request::{RequestCtx, int_field, required_str, seq_cursor, str_field};
use super::router::{Reply, Route};
use super::settlement::{HistoricalCutoff, SettledMarket, Settlement};
use super::state::{Exchange, MAX_SUBACCOUNT, SubaccountId};

/// The subaccount routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::POST, "/portfolio/subaccounts", create),
        Route::new(Method::POST, "/portfolio/subaccounts/transfer", transfer),
        Route::new(Method::GET, "/portfolio/subaccounts/transfers", transfers),
        Route::new(Method::GET, "/portfolio/subaccounts/balances", balances),
        Route::new(Method::GET, "/portfolio/subaccounts/netting", netting),
        Route::new(Method::PUT, "/portfolio/subaccounts/netting", set_netting),
        Route::new(
            Method::POST,
            "/portfolio/subaccounts/positions/transfer",
            position_transfer,
        ),
        Route::new(
            Method::PUT,
            "/portfolio/subaccounts/settlement-advance-lock",
            lock,
        ),
        Route::new(
            Method::DELETE,
            "/portfolio/subaccounts/settlement-advance-lock",
            unlock,
        ),
    ]
}

/// Cash on an exchange shard other than 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ShardCash {
    /// Micro-dollars.
    pub(crate) cash: i64,
    /// Exchange time of the last change.
    pub(crate) updated_ms: u64,
}

/// One cash transfer between two subaccounts of an account.
#[derive(Debug, Clone)]
pub(crate) struct SubaccountTransfer {
    pub(crate) seq: u64,
    pub(crate) id: String,
    pub(crate) account: String,
    pub(crate) from: SubaccountId,
    pub(crate) to: SubaccountId,
    pub(crate) amount_cents: i64,
    pub(crate) exchange_index: u32,
    pub(crate) created_ms: u64,
}

/// A deposit or a withdrawal (test hooks; always applied).
#[derive(Debug, Clone)]
pub(crate) struct CashMovement {
    pub(crate) seq: u64,
    pub(crate) id: String,
    pub(crate) account: String,
    pub(crate) deposit: bool,
    pub(crate) amount_cents: i64,
    pub(crate) created_ms: u64,
}

/// One intra-exchange-instance transfer (between shards and/or subaccounts; applied at once).
#[derive(Debug, Clone)]
pub(crate) struct IntraTransfer {
    pub(crate) seq: u64,
    pub(crate) id: String,
    pub(crate) account: String,
    pub(crate) source_shard: u32,
    pub(crate) destination_shard: u32,
    /// Micro-dollars.
    pub(crate) amount: i64,
    pub(crate) created_ms: u64,
}

/// Everything the portfolio area keeps beyond the engine's books.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    /// Cash on shards 1 and up, by (account, subaccount, shard).
    pub(crate) shard_cash: BTreeMap<(String, SubaccountId, u32), ShardCash>,
    /// Subaccounts whose netting is off.
    pub(crate) netting_off: BTreeSet<(String, SubaccountId)>,
    /// Subaccounts locked for settlement advance, to their state token.
    pub(crate) locks: BTreeMap<(String, SubaccountId), String>,
    /// `client_transfer_id`s of cash transfers that moved money, by account.
    pub(crate) cash_transfer_ids: BTreeSet<(String, String)>,
    /// `client_transfer_id`s of position transfers that moved contracts, by account.
    pub(crate) position_transfer_ids: BTreeSet<(String, String)>,
    /// Every cash transfer between subaccounts, oldest first.
    pub(crate) transfers: Vec<SubaccountTransfer>,
    /// Every settlement (one per account, subaccount and market), oldest first.
    pub(crate) settlements: Vec<Settlement>,
    /// Settled markets by ticker.
    pub(crate) settled: BTreeMap<String, SettledMarket>,
    /// Deposits and withdrawals, oldest first.
    pub(crate) cash_movements: Vec<CashMovement>,
    /// Intra-exchange-instance transfers, oldest first.
    pub(crate) intra_transfers: Vec<IntraTransfer>,
    /// Target balance allocations by account: (exchange index, percent), as set.
    pub(crate) allocations: HashMap<String, Vec<(u32, u8)>>,
    /// What `GET /historical/cutoff` answers.
    pub(crate) historical_cutoff: HistoricalCutoff,
}

impl Ledger {
    /// Whether the engine nets YES and NO pairs for this subaccount (on unless turned off).
    pub(crate) fn netting(&self, account: &str, sub: SubaccountId) -> bool {
        !self.netting_off.contains(&(account.to_owned(), sub))
    }

    /// Refuses an order on a settled market or from a locked subaccount.
    pub(crate) fn check_tradable(
        &self,
        account: &str,
        sub: SubaccountId,
        ticker: &str,
    ) -> Result<(), ApiError> {
        if let Some(s) = self.settled.get(ticker) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "market_closed",
                "market is closed",
                format!(
                    "market `{ticker}` settled ({}) at {} and takes no more orders",
                    s.result.name(),
                    super::clock::rfc3339_ms(s.settled_ms)
                ),
            ));
        }
        if self.locks.contains_key(&(account.to_owned(), sub)) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "subaccount_locked",
                "subaccount is locked",
                format!(
                    "subaccount {} is locked for settlement advance; unlock it to trade",
                    sub.get()
                ),
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by the settlement and funding modules)

/// Whether subaccount `sid` of `account` exists: the primary always does, a numbered one once
/// created or used.
pub(crate) fn exists(ex: &Exchange, account: &str, sid: SubaccountId) -> bool {
    sid == SubaccountId::PRIMARY
        || ex
            .account(account)
            .is_some_and(|a| a.find_subaccount(sid).is_some())
}

/// Every existing subaccount of `account`, in number order (the primary first).
pub(crate) fn existing(ex: &Exchange, account: &str) -> Vec<SubaccountId> {
    let mut out = vec![SubaccountId::PRIMARY];
    if let Some(a) = ex.account(account) {
        out.extend(
            a.subaccounts()
                .map(|(id, _)| id)
                .filter(|id| *id != SubaccountId::PRIMARY),
        );
    }
    out
}

/// 400 unless the subaccount exists.
pub(crate) fn require_exists(
    ex: &Exchange,
    account: &str,
    sid: SubaccountId,
    field: &str,
) -> Result<(), ApiError> {
    if exists(ex, account, sid) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "subaccount_not_found",
            "subaccount not found",
            format!(
                "`{field}`: subaccount {} does not exist (create it with POST /portfolio/subaccounts)",
                sid.get()
            ),
        ))
    }
}

/// Available (unreserved) cash of a subaccount on a shard, micro-dollars.
pub(crate) fn available_on(ex: &Exchange, account: &str, sid: SubaccountId, shard: u32) -> i64 {
    if shard == 0 {
        match ex.account(account) {
            Some(a) => a
                .find_subaccount(sid)
                .map_or(a.starting_cash(), |s| s.available()),
            None => ex.starting_cash,
        }
    } else {
        ex.ledger
            .shard_cash
            .get(&(account.to_owned(), sid, shard))
            .map_or(0, |c| c.cash)
    }
}

/// Adds `delta` micro-dollars (negative: takes) to a subaccount's cash on a shard.
pub(crate) fn move_cash(
    ex: &mut Exchange,
    account: &str,
    sid: SubaccountId,
    shard: u32,
    delta: i64,
    now_ms: u64,
) {
    if shard == 0 {
        let s = ex.account_mut(account).subaccount_mut(sid);
        s.cash = s.cash.saturating_add(delta);
        s.balance_updated_ms = now_ms;
    } else {
        let c = ex
            .ledger
            .shard_cash
            .entry((account.to_owned(), sid, shard))
            .or_default();
        c.cash = c.cash.saturating_add(delta);
        c.updated_ms = now_ms;
    }
}

/// 400 `insufficient_balance` for a transfer.
pub(crate) fn insufficient_balance(need: i64, available: i64) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "insufficient_balance",
        "insufficient balance",
        format!(
            "the transfer needs ${} but only ${} is available",
            dollars(need),
            dollars(available)
        ),
    )
}

/// A required integer field of a body (present and not `null`).
pub(crate) fn required_int(obj: &Map<String, Value>, name: &str) -> Result<i128, ApiError> {
    int_field(obj, name)?
        .ok_or_else(|| ApiError::invalid_parameters(format!("`{name}` is required")))
}

/// A required subaccount number field (0 to 63).
fn sub_field(obj: &Map<String, Value>, name: &str) -> Result<SubaccountId, ApiError> {
    SubaccountId::from_request(required_int(obj, name)?, name)
}

/// An optional `exchange_index` body field (default 0), validated against the shards.
pub(crate) fn shard_field(
    ex: &Exchange,
    obj: &Map<String, Value>,
    name: &str,
) -> Result<u32, ApiError> {
    int_field(obj, name)?.map_or(Ok(0), |v| ex.exchange_index(v, name))
}

/// A required UUID string field (`8-4-4-4-12` hex digits).
fn uuid_field<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    let v = required_str(obj, name)?;
    let ok = v.len() == 36
        && v.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if !ok {
        let shown: String = v.chars().take(60).collect();
        return Err(ApiError::invalid_parameters(format!(
            "`{name}` must be a UUID, got `{shown}`"
        )));
    }
    Ok(v)
}

/// A positive amount in cents, as micro-dollars.
fn positive_cents(v: i128, name: &str) -> Result<i64, ApiError> {
    i64::try_from(v)
        .ok()
        .filter(|c| *c > 0)
        .and_then(|c| c.checked_mul(10_000))
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!(
                "`{name}` must be a positive number of cents, got {v}"
            ))
        })
}

/// 409 for a `client_transfer_id` that was already applied.
fn duplicate_transfer(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "duplicate_client_transfer_id",
        "duplicate client transfer id",
        format!("a transfer with `client_transfer_id` `{id}` was already applied; nothing moved"),
    )
}

/// Unix seconds of a balance's last change (the request time if it never changed).
fn updated_ts(updated_ms: u64, now_ms: u64) -> u64 {
    (if updated_ms == 0 { now_ms } else { updated_ms }) / 1000
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `POST /portfolio/subaccounts`
fn create(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.json_object()?.unwrap_or_default();
    let shard = shard_field(ex, &body, "exchange_index")?;
    let next = (1..=MAX_SUBACCOUNT)
        .filter_map(SubaccountId::new)
        .find(|sid| !exists(ex, &ctx.account, *sid))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "subaccount_limit_reached",
                "subaccount limit reached",
                format!("all {MAX_SUBACCOUNT} numbered subaccounts already exist"),
            )
        })?;
    let s = ex.account_mut(&ctx.account).subaccount_mut(next);
    s.cash = 0;
    s.balance_updated_ms = ctx.now_ms;
    if shard != 0 {
        move_cash(ex, &ctx.account, next, shard, 0, ctx.now_ms);
    }
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({"subaccount_number": next.get()}),
    ))
}

/// `POST /portfolio/subaccounts/transfer`
fn transfer(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let id = uuid_field(&body, "client_transfer_id")?;
    let from = sub_field(&body, "from_subaccount")?;
    let to = sub_field(&body, "to_subaccount")?;
    let amount_cents = required_int(&body, "amount_cents")?;
    let amount = positive_cents(amount_cents, "amount_cents")?;
    let shard = shard_field(ex, &body, "exchange_index")?;
    if from == to {
        return Err(ApiError::invalid_parameters(format!(
            "`from_subaccount` and `to_subaccount` are both {}",
            from.get()
        )));
    }
    require_exists(ex, &ctx.account, from, "from_subaccount")?;
    require_exists(ex, &ctx.account, to, "to_subaccount")?;
    let key = (ctx.account.clone(), id.to_owned());
    if ex.ledger.cash_transfer_ids.contains(&key) {
        return Err(duplicate_transfer(id));
    }
    let available = available_on(ex, &ctx.account, from, shard);
    if amount > available {
        return Err(insufficient_balance(amount, available));
    }
    move_cash(ex, &ctx.account, from, shard, -amount, ctx.now_ms);
    move_cash(ex, &ctx.account, to, shard, amount, ctx.now_ms);
    let seq = ex.next_seq();
    let transfer_id = ex.new_id();
    ex.ledger.cash_transfer_ids.insert(key);
    ex.ledger.transfers.push(SubaccountTransfer {
        seq,
        id: transfer_id,
        account: ctx.account.clone(),
        from,
        to,
        amount_cents: amount / 10_000,
        exchange_index: shard,
        created_ms: ctx.now_ms,
    });
    Ok(Reply::ok(json!({})))
}

/// `GET /portfolio/subaccounts/transfers`
fn transfers(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = ctx.page_limit()?;
    let before = ctx.seq_cursor('t')?;
    let mut matching = ex
        .ledger
        .transfers
        .iter()
        .rev()
        .filter(|t| t.account == ctx.account)
        .filter(|t| before.is_none_or(|b| t.seq < b));
    let page: Vec<&SubaccountTransfer> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some(t)) => seq_cursor('t', t.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = page
        .iter()
        .map(|t| {
            json!({
                "transfer_id": t.id,
                "from_subaccount": t.from.get(),
                "to_subaccount": t.to.get(),
                "amount_cents": t.amount_cents,
                "created_ts": t.created_ms / 1000,
                "exchange_index": t.exchange_index,
            })
        })
        .collect();
    Ok(Reply::ok(json!({"transfers": items, "cursor": cursor})))
}

/// `GET /portfolio/subaccounts/balances`
fn balances(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let mut items = Vec::new();
    for sid in existing(ex, &ctx.account) {
        let updated_ms = ex
            .account(&ctx.account)
            .and_then(|a| a.find_subaccount(sid))
            .map_or(0, |s| s.balance_updated_ms);
        items.push(json!({
            "subaccount_number": sid.get(),
            "exchange_index": 0,
            "balance": dollars(available_on(ex, &ctx.account, sid, 0)),
            "updated_ts": updated_ts(updated_ms, ctx.now_ms),
        }));
        for ((_, _, shard), c) in ex
            .ledger
            .shard_cash
            .range((ctx.account.clone(), sid, 1)..=(ctx.account.clone(), sid, u32::MAX))
        {
            items.push(json!({
                "subaccount_number": sid.get(),
                "exchange_index": shard,
                "balance": dollars(c.cash),
                "updated_ts": updated_ts(c.updated_ms, ctx.now_ms),
            }));
        }
    }
    Ok(Reply::ok(json!({"subaccount_balances": items})))
}

/// `GET /portfolio/subaccounts/netting`
fn netting(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let items: Vec<Value> = existing(ex, &ctx.account)
        .into_iter()
        .map(|sid| {
            json!({
                "subaccount_number": sid.get(),
                "enabled": ex.ledger.netting(&ctx.account, sid),
                "exchange_index": 0,
            })
        })
        .collect();
    Ok(Reply::ok(json!({"netting_configs": items})))
}

/// `PUT /portfolio/subaccounts/netting`
fn set_netting(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let sid = sub_field(&body, "subaccount_number")?;
    let enabled = super::request::bool_field(&body, "enabled")?
        .ok_or_else(|| ApiError::invalid_parameters("`enabled` is required"))?;
    require_exists(ex, &ctx.account, sid, "subaccount_number")?;
    let key = (ctx.account.clone(), sid);
    if !enabled {
        ex.ledger.netting_off.insert(key);
        return Ok(Reply::ok(json!({})));
    }
    if ex.ledger.netting_off.remove(&key) {
        // Pairs held while netting was off settle now.
        let now = ctx.now_ms;
        if let Some(s) = ex
            .find_account_mut(&ctx.account)
            .and_then(|a| a.find_subaccount_mut(sid))
        {
            let mut payout = 0i64;
            for p in s.positions.values_mut() {
                let paid = p.net_pairs();
                if paid != 0 {
                    p.updated_ms = now;
                    payout = payout.saturating_add(paid);
                }
            }
            if payout != 0 {
                s.cash = s.cash.saturating_add(payout);
                s.balance_updated_ms = now;
            }
        }
    }
    Ok(Reply::ok(json!({})))
}

/// A per-contract price in dollars from 0 to 1 inclusive (up to 6 decimals), as
/// micro-dollars.
fn unit_price(s: &str, name: &str) -> Result<i64, ApiError> {
    let bad = || {
        let shown: String = s.chars().take(40).collect();
        ApiError::invalid_parameters(format!(
            "`{name}` must be a dollar amount from 0 to 1.00 (e.g. \"0.5600\"), got `{shown}`"
        ))
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 6
        || (s.contains('.') && frac.is_empty())
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
    let v = w * 1_000_000 + f;
    if v > 1_000_000 {
        return Err(bad());
    }
    Ok(v)
}

/// `POST /portfolio/subaccounts/positions/transfer`
fn position_transfer(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let id = uuid_field(&body, "client_transfer_id")?;
    let from = sub_field(&body, "from_subaccount")?;
    let to = sub_field(&body, "to_subaccount")?;
    let ticker = required_str(&body, "market_ticker")?;
    let side = match required_str(&body, "side")? {
        "yes" => Side::Bid,
        "no" => Side::Ask,
        other => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`side` must be yes or no, got `{shown}`"
            )));
        }
    };
    let count_raw = required_int(&body, "count")?;
    let count = u64::try_from(count_raw)
        .ok()
        .filter(|c| *c > 0)
        .and_then(Count::from_whole)
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!(
                "`count` must be a positive number of contracts, got {count_raw}"
            ))
        })?;
    let price = unit_price(
        str_field(&body, "price")?
            .ok_or_else(|| ApiError::invalid_parameters("`price` is required"))?,
        "price",
    )?;
    if from == to {
        return Err(ApiError::invalid_parameters(format!(
            "`from_subaccount` and `to_subaccount` are both {}",
            from.get()
        )));
    }
    let shown: String = ticker.chars().take(100).collect();
    let shard = ex
        .markets
        .get(ticker)
        .map(|m| m.cfg.exchange_index)
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!("the simulator lists no market `{shown}`"))
        })?;
    if shard != 0 {
        return Err(ApiError::invalid_parameters(format!(
            "market `{shown}` is on exchange index {shard}; positions move only on shard 0"
        )));
    }
    require_exists(ex, &ctx.account, from, "from_subaccount")?;
    require_exists(ex, &ctx.account, to, "to_subaccount")?;
    let key = (ctx.account.clone(), id.to_owned());
    if ex.ledger.position_transfer_ids.contains(&key) {
        return Err(duplicate_transfer(id));
    }
    let held = ex
        .account(&ctx.account)
        .and_then(|a| a.find_subaccount(from))
        .and_then(|s| s.positions.get(ticker))
        .map_or(Count::ZERO, |p| if side.is_bid() { p.yes } else { p.no });
    if held < count {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "insufficient_position",
            "insufficient position",
            format!(
                "subaccount {} holds {held} {} contracts of `{shown}`, fewer than {count}",
                from.get(),
                side.outcome()
            ),
        ));
    }
    // The value of what moves: the YES price per contract, or its complement for NO.
    let per_contract = if side.is_bid() {
        price
    } else {
        1_000_000 - price
    };
    let value = per_contract.saturating_mul(count.signed()) / 100;
    let now = ctx.now_ms;
    let netting = ex.ledger.netting(&ctx.account, to);
    let acct = ex.account_mut(&ctx.account);
    if let Some(p) = acct
        .find_subaccount_mut(from)
        .and_then(|s| s.positions.get_mut(ticker))
    {
        let (n, cost) = if side.is_bid() {
            (&mut p.yes, &mut p.yes_cost)
        } else {
            (&mut p.no, &mut p.no_cost)
        };
        let basis = prorate(*cost, count, *n);
        *cost -= basis;
        *n = n.saturating_sub(count);
        p.realized = p.realized.saturating_add(value - basis);
        p.updated_ms = now;
    }
    let dest = acct.subaccount_mut(to);
    let p = dest.positions.entry(ticker.to_owned()).or_default();
    if side.is_bid() {
        p.yes = p.yes.saturating_add(count);
        p.yes_cost = p.yes_cost.saturating_add(value);
    } else {
        p.no = p.no.saturating_add(count);
        p.no_cost = p.no_cost.saturating_add(value);
    }
    p.exchange_index = shard;
    p.updated_ms = now;
    let payout = if netting { p.net_pairs() } else { 0 };
    if payout != 0 {
        dest.cash = dest.cash.saturating_add(payout);
        dest.balance_updated_ms = now;
    }
    ex.ledger.position_transfer_ids.insert(key);
    let transfer_id = ex.new_id();
    Ok(Reply::ok(json!({"position_transfer_id": transfer_id})))
}

/// The `subaccount_number` and (shard 0 only) `exchange_index` of a lock or unlock.
fn lock_target(ctx: &RequestCtx, ex: &Exchange) -> Result<SubaccountId, ApiError> {
    let body = ctx.required_json_object()?;
    let sid = sub_field(&body, "subaccount_number")?;
    let shard = shard_field(ex, &body, "exchange_index")?;
    if shard != 0 {
        return Err(ApiError::invalid_parameters(format!(
            "`exchange_index` {shard}: settlement advance locks exist on exchange index 0 only"
        )));
    }
    require_exists(ex, &ctx.account, sid, "subaccount_number")?;
    Ok(sid)
}

/// `PUT /portfolio/subaccounts/settlement-advance-lock`
fn lock(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sid = lock_target(ctx, ex)?;
    let key = (ctx.account.clone(), sid);
    if ex.ledger.locks.contains_key(&key) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "subaccount_locked",
            "subaccount is already locked",
            format!(
                "subaccount {} is already locked for settlement advance",
                sid.get()
            ),
        ));
    }
    let resting: Vec<String> = ex
        .orders
        .values()
        .filter(|o| o.account == ctx.account && o.sub == sid && o.status == Status::Resting)
        .map(|o| o.id.clone())
        .collect();
    for id in resting {
        ex.cancel_working(&id, ctx.now_ms);
    }
    let token = ex.new_id();
    ex.ledger.locks.insert(key, token.clone());
    Ok(Reply::ok(json!({"settlement_advance_state": token})))
}

/// `DELETE /portfolio/subaccounts/settlement-advance-lock`
fn unlock(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sid = lock_target(ctx, ex)?;
    ex.ledger.locks.remove(&(ctx.account.clone(), sid));
    Ok(Reply::ok(json!({})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_prices() {
        assert_eq!(unit_price("0", "p").unwrap(), 0);
        assert_eq!(unit_price("1.00", "p").unwrap(), 1_000_000);
        assert_eq!(unit_price("0.56", "p").unwrap(), 560_000);
        assert_eq!(unit_price("0.123456", "p").unwrap(), 123_456);
        for bad in [
            "",
            "1.01",
            "2",
            ".5",
            "0.",
            "0.1234567",
            "-0.5",
            "0,5",
            "1e-2",
        ] {
            assert!(unit_price(bad, "p").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uuids() {
        let obj = |v: &str| json!({ "id": v }).as_object().unwrap().clone();
        assert!(uuid_field(&obj("0b7e6f3c-1f2a-4c7e-9d0a-5b8f3e2a1c4d"), "id").is_ok());
        for bad in [
            "",
            "x",
            "0b7e6f3c1f2a4c7e9d0a5b8f3e2a1c4d",
            "0b7e6f3c-1f2a-4c7e-9d0a-5b8f3e2a1c4g",
        ] {
            assert!(uuid_field(&obj(bad), "id").is_err(), "{bad}");
        }
    }
}
