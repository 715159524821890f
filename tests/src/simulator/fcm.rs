//! FCM: the endpoints of futures commission merchants over their subtraders, served only to an
//! account configured as an FCM member
//! ([`SimulatorConfig::with_fcm_member`](super::SimulatorConfig::with_fcm_member)); any other
//! account gets 403 `forbidden` on every one of them.
//!
//! | method | path | answer |
//! |---|---|---|
//! | `POST` | `/fcm/subtraders` | 201 `{subtrader_id}` |
//! | `GET` | `/fcm/subtraders` | 200 `{subtraders: [{subtrader_id, exchange_indices, trading_blocked, fcm_trading_blocked, propagation_pending}]}` |
//! | `GET`, `PUT` | `/fcm/subtraders/blocked_categories` | 200 `{categories}` |
//! | `GET` | `/fcm/subtraders/event_contract_daily_cap?subtrader_id` | 200 `{subtrader_id, limit, executed_utilization, resting_order_utilization, pending_order_utilization, cap_date}` |
//! | `PUT`, `DELETE` | `/fcm/subtraders/event_contract_daily_cap` | 200 `{}` |
//! | `GET` | `/fcm/orders?subtrader_id&cursor&event_ticker&ticker&min_ts&max_ts&status&limit` | 200 `{orders: [Order], cursor}` (as `GET /portfolio/orders`) |
//! | `GET` | `/fcm/positions?subtrader_id&ticker&event_ticker&count_filter&settlement_status&limit&cursor` | 200 `{market_positions, event_positions, cursor}` (as `GET /portfolio/positions`) |
//! | `GET` | `/fcm/fills?min_ts&max_ts&cursor` | 200 `{fills: [FcmFill], cursor}` (newest first, 100 a page) |
//! | `POST` | `/fcm/positions/transfers` | 201 `{position_transfer_id}` |
//!
//! The model (the simulator's reading of the SDK's descriptions):
//!
//! - A subtrader is a trader of the FCM with an account of its own. `POST /fcm/subtraders`
//!   with `subtrader_suffix` S (1 to 16 ASCII letters and digits) creates `{fcm}_{S}` (409 if
//!   it exists); [`SimulatorConfig::with_fcm_subtrader`](super::SimulatorConfig::with_fcm_subtrader)
//!   binds a subtrader to an API key of the simulator, whose account's orders, fills and
//!   positions are then the subtrader's (its API requests are its trading). A subtrader not
//!   bound to a key has an account of its own, named by its id, that trades nothing but can
//!   receive positions.
//! - FCM orders are the subtrader's orders (every subaccount), FCM positions its primary
//!   subaccount's positions, with the filters and cursors of the portfolio endpoints;
//!   `settlement_status` is checked (`all`, `unsettled`, `settled`) and selects nothing
//!   more (settled markets keep a position of 0). FCM fills are one record per fill of any of
//!   the FCM's subtraders, the subtrader's side only (`taker_*` or `maker_*`).
//! - Blocked categories and the daily cap are stored and read back; the simulator does not
//!   refuse orders because of them. The cap's `executed_utilization` is what the subtrader's
//!   fills cost on `cap_date` (New York as UTC-5, no daylight saving), its
//!   `resting_order_utilization` what its resting orders hold, `pending_order_utilization`
//!   `"0.0000"`. Reading or deleting a cap never set is a 404.
//! - A position transfer moves `|position_centicount|` hundredths of YES (positive) or NO
//!   (negative) of an active market from the source subtrader's primary subaccount to the
//!   target subtrader (under the FCM, which is its own error account; created on first use),
//!   booked at `price_centicents` (the YES price; NO at the complement): the target's cost
//!   basis is that value, its cash pays it and the FCM's primary subaccount receives it. The
//!   exchange does not check the source's position and may flip it; the simulator refuses
//!   (409) a transfer of more than the source holds, as it does an inactive market or a
//!   target short of cash.
//! - Unknown subtraders (or another FCM's) are a 404 where the endpoint documents one, else a
//!   400 `invalid_parameters`.

use std::collections::{BTreeMap, BTreeSet};

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::clock::rfc3339_ms;
use super::engine::Fill;
use super::errors::ApiError;
use super::fixed_point::{Count, dollars};
use super::markets::MarketStatus;
use super::portfolio::{in_ts_range, prorate};
use super::request::{RequestCtx, bool_field, seq_cursor, str_field};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};
use super::subaccounts::required_int;

/// The FCM routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::POST, "/fcm/subtraders", create_subtrader),
        Route::new(Method::GET, "/fcm/subtraders", list_subtraders),
        Route::new(
            Method::GET,
            "/fcm/subtraders/blocked_categories",
            blocked_categories,
        ),
        Route::new(
            Method::PUT,
            "/fcm/subtraders/blocked_categories",
            update_blocked_categories,
        ),
        Route::new(
            Method::GET,
            "/fcm/subtraders/event_contract_daily_cap",
            daily_cap,
        ),
        Route::new(
            Method::PUT,
            "/fcm/subtraders/event_contract_daily_cap",
            update_daily_cap,
        ),
        Route::new(
            Method::DELETE,
            "/fcm/subtraders/event_contract_daily_cap",
            delete_daily_cap,
        ),
        Route::new(Method::GET, "/fcm/orders", orders),
        Route::new(Method::GET, "/fcm/positions", positions),
        Route::new(Method::GET, "/fcm/fills", fills),
        Route::new(Method::POST, "/fcm/positions/transfers", position_transfer),
    ]
}

/// One subtrader.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subtrader {
    /// The FCM member account it belongs to.
    pub(crate) fcm: String,
    /// The account whose activity is the subtrader's.
    pub(crate) account: String,
    pub(crate) blocked: BTreeSet<String>,
    /// The daily cap in micro-dollars, if set.
    pub(crate) cap: Option<i64>,
}

/// The FCM members and their subtraders.
#[derive(Debug, Default)]
pub(crate) struct FcmBook {
    /// Accounts with FCM member access.
    pub(crate) members: BTreeSet<String>,
    /// Subtraders by id.
    pub(crate) subtraders: BTreeMap<String, Subtrader>,
}

impl FcmBook {
    /// Adds a subtrader `{fcm}_{suffix}` whose activity is that of `account` (its own id's
    /// account if `None`); returns its id.
    pub(crate) fn add_subtrader(
        &mut self,
        fcm: &str,
        suffix: &str,
        account: Option<&str>,
    ) -> String {
        let id = format!("{fcm}_{suffix}");
        self.subtraders.insert(
            id.clone(),
            Subtrader {
                fcm: fcm.to_owned(),
                account: account.map_or_else(|| id.clone(), str::to_owned),
                ..Default::default()
            },
        );
        id
    }
}

fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "FCM member access required",
        "the API key's account is not configured as an FCM member",
    )
}

/// Refuses an account that is not an FCM member.
fn member(ctx: &RequestCtx, ex: &Exchange) -> Result<(), ApiError> {
    if ex.fcm.members.contains(&ctx.account) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

/// The FCM's subtrader `id` (404 where `not_found_documented`, else 400, if it is unknown or
/// another FCM's).
fn own<'a>(
    ctx: &RequestCtx,
    ex: &'a Exchange,
    id: &str,
    not_found_documented: bool,
) -> Result<&'a Subtrader, ApiError> {
    member(ctx, ex)?;
    match ex.fcm.subtraders.get(id).filter(|s| s.fcm == ctx.account) {
        Some(s) => Ok(s),
        None => {
            let shown: String = id.chars().take(100).collect();
            let details = format!("the FCM has no subtrader `{shown}`");
            Err(if not_found_documented {
                ApiError::not_found("subtrader not found", details)
            } else {
                ApiError::invalid_parameters(details)
            })
        }
    }
}

/// The required `subtrader_id` query parameter.
fn query_subtrader(ctx: &RequestCtx) -> Result<&str, ApiError> {
    ctx.query_str("subtrader_id")?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid_parameters("`subtrader_id` is required"))
}

/// A required non-empty string field of a body.
fn body_str<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    str_field(body, name)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid_parameters(format!("`{name}` is required")))
}

/// A non-negative fixed-point dollar string (up to 6 decimals) in micro-dollars.
fn parse_money(s: &str, name: &str) -> Result<i64, ApiError> {
    let shown: String = s.chars().take(40).collect();
    let bad = || {
        ApiError::invalid_parameters(format!(
            "`{name}` must be a non-negative fixed-point dollar amount, got `{shown}`"
        ))
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || whole.len() > 12
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
    Ok(w * 1_000_000 + f)
}

// ---------------------------------------------------------------------------------------------
// Subtraders

/// `POST /fcm/subtraders`
fn create_subtrader(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    member(ctx, ex)?;
    let body = ctx.required_json_object()?;
    let suffix = body_str(&body, "subtrader_suffix")?;
    if suffix.len() > 16 || !suffix.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let shown: String = suffix.chars().take(40).collect();
        return Err(ApiError::invalid_parameters(format!(
            "`subtrader_suffix` must be 1 to 16 ASCII letters and digits, got `{shown}`"
        )));
    }
    let id = format!("{}_{suffix}", ctx.account);
    if ex.fcm.subtraders.contains_key(&id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "subtrader_exists",
            "subtrader already exists",
            format!("the subtrader `{id}` already exists"),
        ));
    }
    let id = ex.fcm.add_subtrader(&ctx.account, suffix, None);
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({ "subtrader_id": id }),
    ))
}

/// `GET /fcm/subtraders`
fn list_subtraders(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    member(ctx, ex)?;
    let items: Vec<Value> = ex
        .fcm
        .subtraders
        .iter()
        .filter(|(_, s)| s.fcm == ctx.account)
        .map(|(id, s)| {
            let shards: BTreeSet<u32> = ex
                .orders
                .values()
                .filter(|o| o.account == s.account)
                .map(|o| o.exchange_index)
                .collect();
            json!({
                "subtrader_id": id,
                "exchange_indices": shards,
                "trading_blocked": false,
                "fcm_trading_blocked": false,
                "propagation_pending": false,
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "subtraders": items })))
}

/// `GET /fcm/subtraders/blocked_categories`
fn blocked_categories(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let s = own(ctx, ex, query_subtrader(ctx)?, false)?;
    Ok(Reply::ok(json!({ "categories": s.blocked })))
}

/// `PUT /fcm/subtraders/blocked_categories`
fn update_blocked_categories(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    member(ctx, ex)?;
    let body = ctx.required_json_object()?;
    let id = body_str(&body, "subtrader_id")?;
    let category = body_str(&body, "category")?.to_owned();
    let blocked = bool_field(&body, "blocked")?
        .ok_or_else(|| ApiError::invalid_parameters("`blocked` is required"))?;
    own(ctx, ex, id, false)?;
    let s = ex
        .fcm
        .subtraders
        .get_mut(id)
        .ok_or_else(|| ApiError::internal("the subtrader vanished"))?;
    if blocked {
        s.blocked.insert(category);
    } else {
        s.blocked.remove(&category);
    }
    Ok(Reply::ok(json!({ "categories": s.blocked })))
}

/// `GET /fcm/subtraders/event_contract_daily_cap`
fn daily_cap(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = query_subtrader(ctx)?;
    let s = own(ctx, ex, id, true)?;
    let limit = s.cap.ok_or_else(|| {
        ApiError::not_found(
            "daily cap not found",
            format!("the subtrader `{id}` has no daily cap"),
        )
    })?;
    // The New York day, as UTC-5.
    const NY_OFFSET_MS: u64 = 5 * 3_600_000;
    let day = |ms: u64| ms.saturating_sub(NY_OFFSET_MS) / 86_400_000;
    let today = day(ctx.now_ms);
    let executed: i64 = ex
        .fills
        .iter()
        .filter(|f| f.account == s.account && day(f.ts_ms) == today)
        .map(|f| {
            if f.side.is_bid() {
                f.price.cost(f.count)
            } else {
                f.price.complement().cost(f.count)
            }
        })
        .sum();
    let resting: i64 = ex
        .account(&s.account)
        .map_or(0, |a| a.subaccounts().map(|(_, x)| x.reserved).sum());
    let cap_date = rfc3339_ms(today * 86_400_000)[..10].to_owned();
    Ok(Reply::ok(json!({
        "subtrader_id": id,
        "limit": dollars(limit),
        "executed_utilization": dollars(executed),
        "resting_order_utilization": dollars(resting),
        "pending_order_utilization": dollars(0),
        "cap_date": cap_date,
    })))
}

/// `PUT /fcm/subtraders/event_contract_daily_cap`
fn update_daily_cap(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    member(ctx, ex)?;
    let body = ctx.required_json_object()?;
    let id = body_str(&body, "subtrader_id")?;
    let limit = parse_money(body_str(&body, "limit")?, "limit")?;
    own(ctx, ex, id, false)?;
    if let Some(s) = ex.fcm.subtraders.get_mut(id) {
        s.cap = Some(limit);
    }
    Ok(Reply::ok(json!({})))
}

/// `DELETE /fcm/subtraders/event_contract_daily_cap`
fn delete_daily_cap(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = query_subtrader(ctx)?;
    own(ctx, ex, id, true)?;
    match ex.fcm.subtraders.get_mut(id) {
        Some(s) if s.cap.is_some() => {
            s.cap = None;
            Ok(Reply::ok(json!({})))
        }
        _ => Err(ApiError::not_found(
            "daily cap not found",
            format!("the subtrader `{id}` has no daily cap"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Orders, positions, fills

/// The request as the subtrader's own account would send it to the portfolio endpoints.
fn as_subtrader(ctx: &RequestCtx, account: &str) -> RequestCtx {
    RequestCtx {
        account: account.to_owned(),
        rate_limits: ctx.rate_limits,
        costs: ctx.costs.clone(),
        params: Vec::new(),
        query: ctx.query.clone(),
        body: bytes::Bytes::new(),
        now_ms: ctx.now_ms,
    }
}

/// `GET /fcm/orders`
fn orders(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let account = own(ctx, ex, query_subtrader(ctx)?, true)?.account.clone();
    if ctx.query_str("subaccount")?.is_some() {
        return Err(ApiError::invalid_parameters(
            "`subaccount` is not a parameter of the FCM orders",
        ));
    }
    super::orders::list(&as_subtrader(ctx, &account), ex)
}

/// `GET /fcm/positions`
fn positions(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let account = own(ctx, ex, query_subtrader(ctx)?, true)?.account.clone();
    match ctx.query_str("settlement_status")? {
        None | Some("all" | "unsettled" | "settled") => {}
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`settlement_status` must be all, unsettled or settled, got `{shown}`"
            )));
        }
    }
    if ctx.query_str("subaccount")?.is_some() {
        return Err(ApiError::invalid_parameters(
            "`subaccount` is not a parameter of the FCM positions",
        ));
    }
    super::portfolio::positions(&as_subtrader(ctx, &account), ex)
}

/// One FCM fill: the subtrader's side of a fill.
fn fcm_fill_json(f: &Fill, subtrader: &str) -> Value {
    // The taker bought YES if it is this bid, or the other side of this ask.
    let taker_outcome = if f.is_taker == f.side.is_bid() {
        "yes"
    } else {
        "no"
    };
    let mut v = json!({
        "fill_id": f.id,
        "ticker": f.ticker,
        "exchange_index": f.exchange_index,
        "count_fp": f.count.to_fp(),
        "yes_price_dollars": f.price.to_dollars(),
        "taker_outcome_side": taker_outcome,
        "created_time": rfc3339_ms(f.ts_ms),
    });
    let role = if f.is_taker { "taker" } else { "maker" };
    v[format!("{role}_order_id")] = json!(f.order_id);
    v[format!("{role}_subtrader_id")] = json!(subtrader);
    v[format!("{role}_fee_cost")] = json!(dollars(f.fee));
    v
}

/// `GET /fcm/fills`
fn fills(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    member(ctx, ex)?;
    let before = ctx.seq_cursor('F')?;
    let (min_ts, max_ts) = (ctx.query.int("min_ts")?, ctx.query.int("max_ts")?);
    let mine: BTreeMap<&str, &str> = ex
        .fcm
        .subtraders
        .iter()
        .filter(|(_, s)| s.fcm == ctx.account)
        .map(|(id, s)| (s.account.as_str(), id.as_str()))
        .collect();
    let mut matching = ex
        .fills
        .iter()
        .rev()
        .filter(|f| mine.contains_key(f.account.as_str()))
        .filter(|f| before.is_none_or(|b| f.seq < b))
        .filter(|f| in_ts_range(f.ts_ms, min_ts, max_ts));
    let page: Vec<&Fill> = matching.by_ref().take(100).collect();
    let cursor = match (matching.next().is_some(), page.last()) {
        (true, Some(f)) => seq_cursor('F', f.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = page
        .iter()
        .map(|f| fcm_fill_json(f, mine.get(f.account.as_str()).copied().unwrap_or_default()))
        .collect();
    Ok(Reply::ok(json!({"fills": items, "cursor": cursor})))
}

// ---------------------------------------------------------------------------------------------
// Position transfers

fn conflict(details: String) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "position_transfer_refused",
        "position transfer refused",
        details,
    )
}

/// `POST /fcm/positions/transfers`
fn position_transfer(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    member(ctx, ex)?;
    let body = ctx.required_json_object()?;
    let ticker = body_str(&body, "market_ticker")?.to_owned();
    let source_id = body_str(&body, "source_subtrader_id")?;
    let target_id = body_str(&body, "target_subtrader_id")?.to_owned();
    let centicount = required_int(&body, "position_centicount")?;
    let price = required_int(&body, "price_centicents")?;
    if centicount == 0 || centicount.unsigned_abs() > u128::from(u64::MAX) {
        return Err(ApiError::invalid_parameters(
            "`position_centicount` must be a non-zero number of hundredths of a contract",
        ));
    }
    let price = i64::try_from(price)
        .ok()
        .filter(|p| (0..=10_000).contains(p))
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!(
                "`price_centicents` must be between 0 and 10000, got {price}"
            ))
        })?;
    let source = own(ctx, ex, source_id, true)?.account.clone();
    if target_id == source_id {
        return Err(ApiError::invalid_parameters(
            "`target_subtrader_id` is the source subtrader",
        ));
    }
    let shown: String = ticker.chars().take(100).collect();
    let m = ex.markets.get(&ticker).ok_or_else(|| {
        ApiError::not_found(
            "market not found",
            format!("the simulator lists no market `{shown}`"),
        )
    })?;
    let shard = m.cfg.exchange_index;
    if super::catalog::status_now(ex, m, ctx.now_ms) != MarketStatus::Active {
        return Err(conflict(format!("market `{shown}` is not open")));
    }
    let yes = centicount > 0;
    let count = Count::from_hundredths(centicount.unsigned_abs() as u64);
    let held = ex
        .account(&source)
        .and_then(|a| a.find_subaccount(SubaccountId::PRIMARY))
        .and_then(|s| s.positions.get(&ticker))
        .map_or(Count::ZERO, |p| if yes { p.yes } else { p.no });
    if held < count {
        return Err(conflict(format!(
            "the source holds {held} {} contracts of `{shown}`, fewer than {count}",
            if yes { "YES" } else { "NO" }
        )));
    }
    // The value of what moves: the YES price per contract, or its complement for NO
    // (centi-cents are ten-thousandths of a dollar: 100 micro-dollars each).
    let per_contract = if yes { price } else { 10_000 - price } * 100;
    let value = per_contract.saturating_mul(count.signed()) / 100;
    let target_account = match ex.fcm.subtraders.get(&target_id) {
        Some(t) if t.fcm == ctx.account => t.account.clone(),
        Some(_) => {
            return Err(ApiError::invalid_parameters(format!(
                "`{}` is another FCM's subtrader",
                target_id.chars().take(100).collect::<String>()
            )));
        }
        None => target_id.clone(),
    };
    let available = ex
        .account(&target_account)
        .and_then(|a| a.find_subaccount(SubaccountId::PRIMARY))
        .map_or(ex.starting_cash, |s| s.available());
    if available < value {
        return Err(conflict(format!(
            "the target subtrader has {} available, the transfer costs {}",
            dollars(available),
            dollars(value)
        )));
    }
    if !ex.fcm.subtraders.contains_key(&target_id) {
        ex.fcm.subtraders.insert(
            target_id.clone(),
            Subtrader {
                fcm: ctx.account.clone(),
                account: target_id.clone(),
                ..Default::default()
            },
        );
    }
    let now = ctx.now_ms;
    if let Some(p) = ex
        .account_mut(&source)
        .find_subaccount_mut(SubaccountId::PRIMARY)
        .and_then(|s| s.positions.get_mut(&ticker))
    {
        let (n, cost) = if yes {
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
    let dest = ex
        .account_mut(&target_account)
        .subaccount_mut(SubaccountId::PRIMARY);
    dest.cash = dest.cash.saturating_sub(value);
    dest.balance_updated_ms = now;
    let p = dest.positions.entry(ticker).or_default();
    if yes {
        p.yes = p.yes.saturating_add(count);
        p.yes_cost = p.yes_cost.saturating_add(value);
    } else {
        p.no = p.no.saturating_add(count);
        p.no_cost = p.no_cost.saturating_add(value);
    }
    p.exchange_index = shard;
    p.updated_ms = now;
    let payout = p.net_pairs();
    dest.cash = dest.cash.saturating_add(payout);
    let fcm = ex
        .account_mut(&ctx.account)
        .subaccount_mut(SubaccountId::PRIMARY);
    fcm.cash = fcm.cash.saturating_add(value);
    fcm.balance_updated_ms = now;
    let id = ex.new_id();
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({ "position_transfer_id": id }),
    ))
}
