//! Communications: requests for quote (RFQs), the quotes on them, block-trade proposals, and
//! the public communications id. An executed quote or proposal trades through the matching
//! engine's books (fills, positions, balances), off the order book.
//!
//! # Semantics (the simulator's reading of the docs)
//!
//! - Users are accounts (a configured key's id, shared by the keys created through the API):
//!   an account's `user_id` is its account id, its communications id a UUID fixed on first use.
//!   RFQs are public (every user lists and reads them; `creator_user_id` and
//!   `creator_subaccount` only for their creator). A quote is private between its quoter and
//!   the RFQ's creator: anyone else gets 404 for it and never lists it; each side sees only
//!   its own user id, order id and subaccount.
//! - `POST /communications/rfqs`: the market must be listed (400 `market_not_found`) and open
//!   for trading; one size, as a count (`contracts` and / or `contracts_fp`, equal if both,
//!   checked like an order count) or as a cost (`target_cost_dollars` and / or
//!   `target_cost_centi_cents`, equal if both); one open RFQ per user and market
//!   (409 `rfq_already_exists`, unless `replace_existing` deletes the open one), at most 100
//!   open RFQs per user (400 `too_many_open_rfqs`); `subtrader_id` (FCM members only) is
//!   refused with 400 `not_fcm_member`.
//! - `POST /communications/quotes`: on an open RFQ (400 `rfq_not_found`, `rfq_closed`) of
//!   another user (400 `cannot_quote_own_rfq`); `yes_bid` and `no_bid` each `0` (declines the
//!   side) or a price on the market's tick, not both `0`, their sum at most $1. A new quote
//!   cancels the quoter's previous quote on the RFQ (`cancellation_reason` `replaced`). For an
//!   RFQ sized by cost, each side offers `floor(target / bid)` contracts (0.01 steps).
//! - Accept (RFQ creator only: the quoter gets 400 `not_rfq_creator`): the quote must be open
//!   (400 `quote_not_open`) on an open RFQ with no other quote awaiting confirmation (400
//!   `rfq_quote_pending`), the side not declined. `accepted_side` is the side the RFQ's
//!   creator buys, at that side's bid: accepting `yes` at `yes_bid` 0.40 buys YES at $0.40
//!   and the quoter takes NO at $0.60. The quote then waits for the quoter's
//!   confirmation for 30 seconds of exchange time (afterwards it is `cancelled`, reason
//!   `expired`, and the RFQ is open to other quotes again).
//! - Confirm (quoter only): the quote must be `accepted` and within its window, else 404
//!   `quote_not_accepted` (404 is the only refusal the docs give confirm; a second confirm gets
//!   it). Both sides need the cash (400 `insufficient_balance`, nothing changes) and a tradable
//!   market. The simulator has no execution timer: the confirm executes at once. Each side gets
//!   an order (`creator_order_id`, `rfq_creator_order_id`, fully executed, never on the book)
//!   and a fill at the accepted price, the quoter as maker and the RFQ's creator as taker;
//!   cash and positions move exactly as for an order book trade (no fees); the trade is in
//!   `GET /markets/trades`. The quote becomes `executed`, the RFQ `closed`, and the RFQ's other
//!   live quotes `cancelled` (reason `rfq_closed`).
//! - Deletes: an RFQ by its creator while open (closes it, cancels its live quotes, reason
//!   `rfq_deleted`); a quote by its quoter while `open` or `accepted`. Anything else is 404
//!   (`rfq_not_found` / `quote_not_found` for what the caller cannot see, `rfq_closed` /
//!   `quote_not_open` for what is past deleting).
//! - The quote-ID-only operations (`/communications/quotes/{quote_id}...`), deprecated, answer
//!   exactly as their RFQ-scoped replacements; the RFQ-scoped ones answer 404 for a quote of
//!   another RFQ, as the changelog says.
//! - Lists are newest first; `cursor` is `""` on the last page. `GET /communications/rfqs`
//!   filters by `event_ticker`, `market_ticker`, `status`, `creator_user_id`, `user_filter`
//!   (`self`) and `subaccount` (own RFQs of that subaccount); `limit` 1 to 100.
//!   `GET /communications/quotes` (the caller's visible quotes) filters by `rfq_id`, `status`,
//!   `quote_creator_user_id`, `rfq_creator_user_id`, `user_filter` (quotes the caller made),
//!   `rfq_user_filter` (quotes on the caller's RFQs), `min_ts` / `max_ts` (last update, Unix
//!   seconds) and `rfq_creator_subtrader_id` (no subtraders here: nothing matches); `limit`
//!   1 to 500.
//! - Block trades: the proposer must be the buyer or the seller (403 `forbidden`), the two
//!   users different and known, the market listed, the price (`price_centi_cents`, 1 to 9,999,
//!   on the tick) and size (`centicount`) valid, `expiration_ts` in the future. The proposer's
//!   side counts as accepted; when the other side accepts (400 `already_accepted` for the
//!   proposer, 404 for anyone else), the trade executes like a quote: the buyer buys
//!   `maker_side` contracts at the price (as taker), the seller takes the other side (as
//!   maker); the trade is listed with `is_block_trade` true. `status` is `pending`, `executed` or `expired` (past `expiration_ts`: 400
//!   `proposal_expired` on accept). `buyer_user_id` / `seller_user_id` (and their subaccounts'
//!   order ids) show only to that party, as documented; `status` and `market_ticker` filter the
//!   list (limit 1 to 100).
//!
//! - The `communications` stream channel carries `rfq_created` and `rfq_deleted` (an RFQ
//!   deleted or replaced; not one closed by its execution) to every subscriber, and
//!   `quote_created`, `quote_accepted` and `quote_executed` to the quoter and the RFQ's creator
//!   only, each with its own `subaccount` and, on `quote_executed`, its own `order_id` (its
//!   `client_order_id` is `""`: these orders have none). `creator_id` is empty on
//!   `rfq_created`, as documented.
//!
//! Not modelled: RFQ expiry, combo (MVE) RFQs, `rest_remainder` (every execution fills the
//! whole size), and subaccount-restricted keys' scoping.

use std::collections::HashMap;

use http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::clock::rfc3339_ms;
use super::engine::{Order, Side, Status, Stp, TimeInForce, check_count, check_tick};
use super::errors::ApiError;
use super::fixed_point::{Count, PRICE_SCALE, Price, dollars};
use super::request::{RequestCtx, bool_field, int_field, required_str, seq_cursor, str_field};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};

/// How long an accepted quote waits for the quoter's confirmation (standard markets).
pub(crate) const CONFIRMATION_WINDOW_MS: u64 = 30_000;

/// The most open RFQs one user may have.
const MAX_OPEN_RFQS: usize = 100;

/// The communications routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    const QUOTE: &str = "/communications/rfqs/{rfq_id}/quotes/{quote_id}";
    vec![
        Route::new(Method::GET, "/communications/id", communications_id),
        Route::new(Method::GET, "/communications/rfqs", list_rfqs),
        Route::new(Method::POST, "/communications/rfqs", create_rfq),
        Route::new(Method::GET, "/communications/rfqs/{rfq_id}", get_rfq),
        Route::new(Method::DELETE, "/communications/rfqs/{rfq_id}", delete_rfq),
        Route::new(Method::GET, "/communications/quotes", list_quotes),
        Route::new(Method::POST, "/communications/quotes", create_quote),
        Route::new(Method::GET, "/communications/quotes/{quote_id}", get_quote),
        Route::new(
            Method::DELETE,
            "/communications/quotes/{quote_id}",
            delete_quote,
        ),
        Route::new(
            Method::PUT,
            "/communications/quotes/{quote_id}/accept",
            accept_quote,
        ),
        Route::new(
            Method::PUT,
            "/communications/quotes/{quote_id}/confirm",
            confirm_quote,
        ),
        Route::new(Method::GET, QUOTE, get_quote),
        Route::new(Method::DELETE, QUOTE, delete_quote),
        Route::new(
            Method::PUT,
            "/communications/rfqs/{rfq_id}/quotes/{quote_id}/accept",
            accept_quote,
        ),
        Route::new(
            Method::PUT,
            "/communications/rfqs/{rfq_id}/quotes/{quote_id}/confirm",
            confirm_quote,
        ),
        Route::new(
            Method::GET,
            "/communications/block-trade-proposals",
            list_proposals,
        ),
        Route::new(
            Method::POST,
            "/communications/block-trade-proposals",
            propose_block_trade,
        ),
        Route::new(
            Method::POST,
            "/communications/block-trade-proposals/{block_trade_proposal_id}/accept",
            accept_proposal,
        ),
    ]
}

/// Every RFQ, quote and block-trade proposal, and the users' communications ids.
#[derive(Debug, Default)]
pub(crate) struct Communications {
    /// Communications ids by account.
    ids: HashMap<String, String>,
    /// RFQs by id.
    rfqs: HashMap<String, Rfq>,
    /// Quotes by id.
    quotes: HashMap<String, Quote>,
    /// Block-trade proposals by id.
    proposals: HashMap<String, Proposal>,
}

#[derive(Debug, Clone)]
struct Rfq {
    id: String,
    account: String,
    sub: SubaccountId,
    ticker: String,
    event_ticker: String,
    /// Set for an RFQ sized by count.
    contracts: Option<Count>,
    /// Set for an RFQ sized by cost, micro-dollars.
    target_cost: Option<i64>,
    rest_remainder: bool,
    open: bool,
    cancellation_reason: Option<&'static str>,
    created_ms: u64,
    updated_ms: u64,
    cancelled_ms: Option<u64>,
    seq: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteStatus {
    Open,
    Accepted,
    Executed,
    Cancelled,
}

impl QuoteStatus {
    fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Open => "open",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Executed => "executed",
            QuoteStatus::Cancelled => "cancelled",
        }
    }

    fn is_live(self) -> bool {
        matches!(self, QuoteStatus::Open | QuoteStatus::Accepted)
    }
}

#[derive(Debug, Clone)]
struct Quote {
    id: String,
    rfq_id: String,
    account: String,
    sub: SubaccountId,
    /// `None`: that side declined.
    yes_bid: Option<Price>,
    no_bid: Option<Price>,
    rest_remainder: bool,
    post_only: bool,
    status: QuoteStatus,
    /// The side the RFQ's creator buys: `true` for YES.
    accepted_yes: Option<bool>,
    cancellation_reason: Option<&'static str>,
    created_ms: u64,
    updated_ms: u64,
    accepted_ms: Option<u64>,
    executed_ms: Option<u64>,
    cancelled_ms: Option<u64>,
    /// The quoter's order, once executed.
    creator_order_id: Option<String>,
    /// The RFQ creator's order, once executed.
    rfq_creator_order_id: Option<String>,
    seq: u64,
}

#[derive(Debug, Clone)]
struct Proposal {
    id: String,
    proposer: String,
    buyer: String,
    buyer_sub: SubaccountId,
    seller: String,
    seller_sub: SubaccountId,
    ticker: String,
    price: Price,
    count: Count,
    /// The side the buyer buys: `true` for YES.
    maker_yes: bool,
    expiration_ms: u64,
    created_ms: u64,
    updated_ms: u64,
    buyer_accepted_ms: Option<u64>,
    seller_accepted_ms: Option<u64>,
    executed_ms: Option<u64>,
    buyer_order_id: Option<String>,
    seller_order_id: Option<String>,
    seq: u64,
}

impl Proposal {
    fn status(&self, now_ms: u64) -> &'static str {
        if self.executed_ms.is_some() {
            "executed"
        } else if now_ms >= self.expiration_ms {
            "expired"
        } else {
            "pending"
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

fn bad_request(code: &'static str, message: &str, details: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, message, details)
}

fn shown(id: &str) -> String {
    id.chars().take(100).collect()
}

fn rfq_not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "rfq_not_found",
        "RFQ not found",
        format!("no RFQ `{}`", shown(id)),
    )
}

fn quote_not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "quote_not_found",
        "quote not found",
        format!("no quote `{}` visible to this user", shown(id)),
    )
}

// ---------------------------------------------------------------------------------------------
// Helpers

impl Exchange {
    /// The communications id of `account`, fixed on first use.
    fn comms_id(&mut self, account: &str) -> String {
        if let Some(id) = self.comms.ids.get(account) {
            return id.clone();
        }
        let id = self.new_id().replace('-', "");
        self.comms.ids.insert(account.to_owned(), id.clone());
        id
    }

    /// Queues a `communications` stream message for `owner` (every subscriber if `None`).
    fn note_comm(&mut self, owner: Option<&str>, kind: &'static str, msg: Value) {
        if self.streams.is_active() {
            let owner = owner.map(str::to_owned);
            self.streams.feed.comms.push((owner, kind, msg));
        }
    }

    /// `rfq_created` / `rfq_deleted` for every subscriber.
    fn note_rfq(&mut self, rfq_id: &str, kind: &'static str, now_ms: u64) {
        if !self.streams.is_active() {
            return;
        }
        let Some(r) = self.comms.rfqs.get(rfq_id).cloned() else {
            return;
        };
        let creator_id = if kind == "rfq_created" {
            String::new()
        } else {
            self.comms_id(&r.account)
        };
        let mut msg = json!({
            "id": r.id,
            "creator_id": creator_id,
            "market_ticker": r.ticker,
            "event_ticker": r.event_ticker,
        });
        if let Some(c) = r.contracts {
            msg["contracts_fp"] = c.to_fp().into();
        }
        if let Some(t) = r.target_cost {
            msg["target_cost_dollars"] = dollars(t).into();
        }
        let at = if kind == "rfq_created" {
            "created_ts"
        } else {
            "deleted_ts"
        };
        msg[at] = rfc3339_ms(if kind == "rfq_created" {
            r.created_ms
        } else {
            now_ms
        })
        .into();
        self.note_comm(None, kind, msg);
    }

    /// `quote_created`, `quote_accepted` or `quote_executed` for the quoter and the RFQ's
    /// creator, each with its own subaccount (and order).
    fn note_quote(&mut self, quote_id: &str, kind: &'static str) {
        if !self.streams.is_active() {
            return;
        }
        let Some(q) = self.comms.quotes.get(quote_id).cloned() else {
            return;
        };
        let Some(r) = self.comms.rfqs.get(&q.rfq_id).cloned() else {
            return;
        };
        let quote_creator_id = self.comms_id(&q.account);
        let rfq_creator_id = self.comms_id(&r.account);
        let mut base = json!({
            "quote_id": q.id,
            "rfq_id": q.rfq_id,
            "quote_creator_id": quote_creator_id,
            "market_ticker": r.ticker,
        });
        if kind == "quote_executed" {
            base["rfq_creator_id"] = rfq_creator_id.into();
            base["client_order_id"] = "".into();
            base["executed_ts"] = opt_ts(q.executed_ms);
        } else {
            base["event_ticker"] = r.event_ticker.clone().into();
            base["yes_bid_dollars"] = bid_dollars(q.yes_bid).into();
            base["no_bid_dollars"] = bid_dollars(q.no_bid).into();
            if let Some(t) = r.target_cost {
                base["rfq_target_cost_dollars"] = dollars(t).into();
                base["yes_contracts_offered_fp"] = quote_size(&r, &q, true).to_fp().into();
                base["no_contracts_offered_fp"] = quote_size(&r, &q, false).to_fp().into();
            }
            if kind == "quote_created" {
                base["created_ts"] = rfc3339_ms(q.created_ms).into();
            }
            if let Some(yes) = q.accepted_yes {
                base["accepted_side"] = if yes { "yes" } else { "no" }.into();
                base["contracts_accepted_fp"] = quote_size(&r, &q, yes).to_fp().into();
            }
        }
        let parties = [
            (q.account.clone(), q.sub, q.creator_order_id.clone()),
            (r.account.clone(), r.sub, q.rfq_creator_order_id.clone()),
        ];
        for (account, sub, order) in parties {
            let mut msg = base.clone();
            msg["subaccount"] = sub.get().into();
            if kind == "quote_executed" {
                msg["order_id"] = order.unwrap_or_default().into();
            }
            self.note_comm(Some(&account), kind, msg);
        }
    }

    /// Lets exchange time pass: accepted quotes past their confirmation window are cancelled.
    fn expire_quotes(&mut self, now_ms: u64) {
        for q in self.comms.quotes.values_mut() {
            if q.status == QuoteStatus::Accepted
                && q.accepted_ms
                    .is_some_and(|at| now_ms >= at.saturating_add(CONFIRMATION_WINDOW_MS))
            {
                q.status = QuoteStatus::Cancelled;
                q.cancellation_reason = Some("expired");
                q.cancelled_ms = Some(now_ms);
                q.updated_ms = now_ms;
            }
        }
    }

    /// Cancels the live quotes of `rfq_id` (all but `except`).
    fn cancel_quotes_of(&mut self, rfq_id: &str, except: &str, reason: &'static str, now: u64) {
        for q in self.comms.quotes.values_mut() {
            if q.rfq_id == rfq_id && q.id != except && q.status.is_live() {
                q.status = QuoteStatus::Cancelled;
                q.cancellation_reason = Some(reason);
                q.cancelled_ms = Some(now);
                q.updated_ms = now;
            }
        }
    }

    /// Closes an RFQ (deleted or executed).
    fn close_rfq(&mut self, rfq_id: &str, reason: Option<&'static str>, now: u64) {
        if let Some(r) = self.comms.rfqs.get_mut(rfq_id) {
            r.open = false;
            r.updated_ms = now;
            if reason.is_some() {
                r.cancellation_reason = reason;
                r.cancelled_ms = Some(now);
            }
        }
    }

    /// Executes a negotiated trade off the book: a fully executed order and a fill for each
    /// side at the YES price `price`, `taker` then `maker`, through the engine's bookkeeping.
    /// Checks every precondition before changing anything. Returns the two order ids.
    fn execute_negotiated(
        &mut self,
        ticker: &str,
        taker: (&str, SubaccountId, Side),
        maker: (&str, SubaccountId, Side),
        price: Price,
        count: Count,
        now_ms: u64,
    ) -> Result<(String, String), ApiError> {
        let market = self
            .markets
            .get(ticker)
            .ok_or_else(|| super::engine::market_not_found(ticker))?;
        let shard = market.cfg.exchange_index;
        self.check_tradable(ticker, true, now_ms)?;
        for (account, sub, side) in [taker, maker] {
            self.ledger.check_tradable(account, sub, ticker)?;
            let need = side.cost(price, count);
            let available = self.account_mut(account).subaccount_mut(sub).available();
            if available < need {
                return Err(bad_request(
                    "insufficient_balance",
                    "insufficient balance",
                    format!(
                        "the trade needs ${} of `{account}` but only ${} is available",
                        dollars(need),
                        dollars(available)
                    ),
                ));
            }
        }
        let mut ids = Vec::new();
        for (account, sub, side) in [taker, maker] {
            let id = self.new_id();
            let seq = self.next_seq();
            let need = side.cost(price, count);
            let s = self.account_mut(account).subaccount_mut(sub);
            s.reserved = s.reserved.saturating_add(need);
            self.orders.insert(
                id.clone(),
                Order {
                    id: id.clone(),
                    account: account.to_owned(),
                    sub,
                    client_order_id: None,
                    ticker: ticker.to_owned(),
                    exchange_index: shard,
                    side,
                    price,
                    initial: count,
                    filled: Count::ZERO,
                    remaining: count,
                    status: Status::Resting,
                    tif: TimeInForce::FillOrKill,
                    post_only: false,
                    stp: Stp::TakerAtCross,
                    cancel_on_pause: false,
                    reduce_only: false,
                    order_group_id: None,
                    expiration_ms: None,
                    created_ms: now_ms,
                    updated_ms: now_ms,
                    seq,
                    taker_cost: 0,
                    maker_cost: 0,
                    reserved: need,
                },
            );
            self.touch_order(&id);
            ids.push(id);
        }
        let maker_id = ids.pop().unwrap_or_default();
        let taker_id = ids.pop().unwrap_or_default();
        self.trade(&taker_id, &maker_id, price, count, now_ms);
        Ok((taker_id, maker_id))
    }
}

/// A bid from a request: `0` (any zeros) declines the side, else a price strictly between
/// 0 and 1.
fn parse_bid(obj: &Map<String, Value>, name: &str) -> Result<Option<Price>, ApiError> {
    let s = required_str(obj, name)?;
    if !s.is_empty() && s.bytes().all(|b| b == b'0' || b == b'.') && s.starts_with('0') {
        return Ok(None);
    }
    Price::parse_dollars(s)
        .map(Some)
        .map_err(|e| ApiError::invalid_parameters(format!("`{name}`: {e}")))
}

/// An optional subaccount field of a body.
fn body_subaccount(obj: &Map<String, Value>, name: &str) -> Result<SubaccountId, ApiError> {
    int_field(obj, name)?
        .map(|v| SubaccountId::from_request(v, name))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// A `user_filter` style query value: `self` or absent.
fn self_filter(ctx: &RequestCtx, name: &str) -> Result<bool, ApiError> {
    match ctx.query_str(name)? {
        None => Ok(false),
        Some("self") => Ok(true),
        Some(other) => Err(ApiError::invalid_parameters(format!(
            "`{name}` must be `self`, got `{}`",
            shown(other)
        ))),
    }
}

/// A `limit` query value between 1 and `max` (`max` when absent).
fn limit(ctx: &RequestCtx, max: i64) -> Result<usize, ApiError> {
    match ctx.query.int("limit")? {
        None => Ok(max as usize),
        Some(v) if (1..=max).contains(&v) => Ok(v as usize),
        Some(v) => Err(ApiError::invalid_parameters(format!(
            "`limit` must be between 1 and {max}, got {v}"
        ))),
    }
}

/// Contracts of an RFQ sized by cost at a bid: `floor(target / bid)` in 0.01 steps.
fn contracts_for(target: i64, bid: Price) -> Count {
    // micro-dollars / (ten-thousandths of a dollar) = hundredths of a contract.
    Count::from_hundredths(u64::try_from(target / i64::from(bid.get())).unwrap_or(0))
}

/// A quote's size on its accepted (or given) side.
fn quote_size(rfq: &Rfq, q: &Quote, yes: bool) -> Count {
    match (rfq.contracts, rfq.target_cost) {
        (Some(c), _) => c,
        (None, Some(t)) => {
            let bid = if yes { q.yes_bid } else { q.no_bid };
            bid.map_or(Count::ZERO, |b| contracts_for(t, b))
        }
        (None, None) => Count::ZERO,
    }
}

fn opt_ts(ms: Option<u64>) -> Value {
    ms.map_or(Value::Null, |ms| Value::String(rfc3339_ms(ms)))
}

fn bid_dollars(bid: Option<Price>) -> String {
    bid.map_or_else(|| "0.0000".to_owned(), Price::to_dollars)
}

fn rfq_json(ex: &mut Exchange, r: &Rfq, caller: &str) -> Value {
    let creator_id = ex.comms_id(&r.account);
    let mine = r.account == caller;
    let contracts = r.contracts.unwrap_or(Count::ZERO);
    let mut v = json!({
        "id": r.id,
        "creator_id": creator_id,
        "market_ticker": r.ticker,
        "contracts_fp": contracts.to_fp(),
        "status": if r.open { "open" } else { "closed" },
        "created_ts": rfc3339_ms(r.created_ms),
        "updated_ts": rfc3339_ms(r.updated_ms),
        "rest_remainder": r.rest_remainder,
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(t) = r.target_cost {
        o.insert("target_cost_dollars".into(), dollars(t).into());
    }
    if let Some(reason) = r.cancellation_reason {
        o.insert("cancellation_reason".into(), reason.into());
        o.insert("cancelled_ts".into(), opt_ts(r.cancelled_ms));
    }
    if mine {
        o.insert("creator_user_id".into(), r.account.clone().into());
        o.insert("creator_subaccount".into(), r.sub.get().into());
    }
    v
}

fn quote_json(ex: &mut Exchange, q: &Quote, caller: &str) -> Value {
    let Some(rfq) = ex.comms.rfqs.get(&q.rfq_id).cloned() else {
        return Value::Null;
    };
    let creator_id = ex.comms_id(&q.account);
    let rfq_creator_id = ex.comms_id(&rfq.account);
    let size = rfq.contracts.unwrap_or_else(|| {
        let side = q.accepted_yes.unwrap_or(true);
        quote_size(&rfq, q, side)
    });
    let mut v = json!({
        "id": q.id,
        "rfq_id": q.rfq_id,
        "creator_id": creator_id,
        "rfq_creator_id": rfq_creator_id,
        "market_ticker": rfq.ticker,
        "contracts_fp": size.to_fp(),
        "yes_bid_dollars": bid_dollars(q.yes_bid),
        "no_bid_dollars": bid_dollars(q.no_bid),
        "created_ts": rfc3339_ms(q.created_ms),
        "updated_ts": rfc3339_ms(q.updated_ms),
        "status": q.status.as_str(),
        "rest_remainder": q.rest_remainder,
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(yes) = q.accepted_yes {
        o.insert(
            "accepted_side".into(),
            if yes { "yes" } else { "no" }.into(),
        );
        o.insert("accepted_ts".into(), opt_ts(q.accepted_ms));
    }
    if let Some(at) = q.executed_ms {
        o.insert("confirmed_ts".into(), rfc3339_ms(at).into());
        o.insert("executed_ts".into(), rfc3339_ms(at).into());
    }
    if let Some(reason) = q.cancellation_reason {
        o.insert("cancellation_reason".into(), reason.into());
        o.insert("cancelled_ts".into(), opt_ts(q.cancelled_ms));
    }
    if let Some(t) = rfq.target_cost {
        o.insert("rfq_target_cost_dollars".into(), dollars(t).into());
        o.insert(
            "yes_contracts_fp".into(),
            quote_size(&rfq, q, true).to_fp().into(),
        );
        o.insert(
            "no_contracts_fp".into(),
            quote_size(&rfq, q, false).to_fp().into(),
        );
    }
    if q.account == caller {
        o.insert("post_only".into(), q.post_only.into());
        o.insert("creator_user_id".into(), q.account.clone().into());
        o.insert("creator_subaccount".into(), q.sub.get().into());
        if let Some(id) = &q.creator_order_id {
            o.insert("creator_order_id".into(), id.clone().into());
        }
    }
    if rfq.account == caller {
        o.insert("rfq_creator_user_id".into(), rfq.account.clone().into());
        o.insert("rfq_creator_subaccount".into(), rfq.sub.get().into());
        if let Some(id) = &q.rfq_creator_order_id {
            o.insert("rfq_creator_order_id".into(), id.clone().into());
        }
    }
    v
}

/// The page of `items` (newest first, by `seq`) after the cursor, and the next cursor.
fn page<T>(
    mut items: Vec<T>,
    seq: impl Fn(&T) -> u64,
    before: Option<u64>,
    limit: usize,
) -> (Vec<T>, String) {
    items.sort_by_key(|i| std::cmp::Reverse(seq(i)));
    items.retain(|i| before.is_none_or(|b| seq(i) < b));
    let more = items.len() > limit;
    items.truncate(limit);
    let cursor = match (more, items.last()) {
        (true, Some(last)) => seq_cursor('c', seq(last)),
        _ => String::new(),
    };
    (items, cursor)
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `GET /communications/id`
fn communications_id(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let id = ex.comms_id(&ctx.account);
    Ok(Reply::ok(json!({ "communications_id": id })))
}

/// `GET /communications/rfqs`
fn list_rfqs(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    ex.expire_quotes(ctx.now_ms);
    let limit = limit(ctx, 100)?;
    let before = ctx.seq_cursor('c')?;
    let event = ctx.query_str("event_ticker")?;
    let market = ctx.query_str("market_ticker")?;
    let sub = ctx.query_subaccount()?;
    let status = match ctx.query_str("status")? {
        None => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(other) => {
            return Err(ApiError::invalid_parameters(format!(
                "`status` must be `open` or `closed`, got `{}`",
                shown(other)
            )));
        }
    };
    let creator = ctx.query_str("creator_user_id")?;
    let mine = self_filter(ctx, "user_filter")?;
    let items: Vec<Rfq> = ex
        .comms
        .rfqs
        .values()
        .filter(|r| event.is_none_or(|e| r.event_ticker == e))
        .filter(|r| market.is_none_or(|m| r.ticker == m))
        .filter(|r| sub.is_none_or(|s| r.account == ctx.account && r.sub == s))
        .filter(|r| status.is_none_or(|open| r.open == open))
        .filter(|r| creator.is_none_or(|c| r.account == c))
        .filter(|r| !mine || r.account == ctx.account)
        .cloned()
        .collect();
    let (items, cursor) = page(items, |r| r.seq, before, limit);
    let rfqs: Vec<Value> = items
        .iter()
        .map(|r| rfq_json(ex, r, &ctx.account))
        .collect();
    Ok(Reply::ok(json!({ "rfqs": rfqs, "cursor": cursor })))
}

/// `POST /communications/rfqs`
fn create_rfq(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let ticker = required_str(&body, "market_ticker")?.to_owned();
    let rest_remainder = bool_field(&body, "rest_remainder")?
        .ok_or_else(|| ApiError::invalid_parameters("`rest_remainder` is required"))?;
    let replace = bool_field(&body, "replace_existing")?.unwrap_or(false);
    if str_field(&body, "subtrader_id")?.is_some() {
        return Err(bad_request(
            "not_fcm_member",
            "not an FCM member",
            "`subtrader_id` is for FCM members only",
        ));
    }
    let sub = body_subaccount(&body, "subaccount")?;
    let market = ex.markets.get(&ticker).ok_or_else(|| {
        bad_request(
            "market_not_found",
            "market not found",
            format!("the simulator lists no market `{}`", shown(&ticker)),
        )
    })?;
    let event_ticker = market.cfg.event_ticker().to_owned();
    let whole = int_field(&body, "contracts")?;
    let fp = str_field(&body, "contracts_fp")?;
    let cost_cc = int_field(&body, "target_cost_centi_cents")?;
    let cost_d = str_field(&body, "target_cost_dollars")?;
    let mut contracts = None;
    if let Some(n) = whole {
        let c = u64::try_from(n)
            .ok()
            .and_then(Count::from_whole)
            .ok_or_else(|| {
                ApiError::invalid_parameters(format!("`contracts` {n} is out of range"))
            })?;
        check_count(market, c, "contracts")?;
        contracts = Some(c);
    }
    if let Some(s) = fp {
        let c = Count::parse_fp(s)
            .map_err(|e| ApiError::invalid_parameters(format!("`contracts_fp`: {e}")))?;
        check_count(market, c, "contracts_fp")?;
        if contracts.is_some_and(|w| w != c) {
            return Err(ApiError::invalid_parameters(
                "`contracts` and `contracts_fp` differ",
            ));
        }
        contracts = Some(c);
    }
    let bad_cost = || {
        ApiError::invalid_parameters(
            "the target cost must be a positive dollar amount of at most $1,000,000",
        )
    };
    let mut target_cost = None;
    if let Some(cc) = cost_cc {
        let m = cc
            .checked_mul(100)
            .and_then(|m| i64::try_from(m).ok())
            .ok_or_else(bad_cost)?;
        target_cost = Some(m);
    }
    if let Some(d) = cost_d {
        let m = parse_dollar_amount(d).ok_or_else(bad_cost)?;
        if target_cost.is_some_and(|cc| cc != m) {
            return Err(ApiError::invalid_parameters(
                "`target_cost_centi_cents` and `target_cost_dollars` differ",
            ));
        }
        target_cost = Some(m);
    }
    if target_cost.is_some_and(|m| m <= 0 || m > 1_000_000 * 1_000_000) {
        return Err(bad_cost());
    }
    if contracts.is_some() == target_cost.is_some() {
        return Err(ApiError::invalid_parameters(
            "give the size either as a count (`contracts`, `contracts_fp`) or as a cost (`target_cost_dollars`, `target_cost_centi_cents`)",
        ));
    }
    ex.check_tradable(&ticker, true, ctx.now_ms)?;
    let existing: Vec<String> = ex
        .comms
        .rfqs
        .values()
        .filter(|r| r.open && r.account == ctx.account && r.ticker == ticker)
        .map(|r| r.id.clone())
        .collect();
    if !existing.is_empty() {
        if !replace {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "rfq_already_exists",
                "an open RFQ already exists on this market",
                format!(
                    "RFQ `{}` is open on `{ticker}`; delete it or pass `replace_existing`",
                    existing[0]
                ),
            ));
        }
        for id in &existing {
            ex.close_rfq(id, Some("replaced"), ctx.now_ms);
            ex.cancel_quotes_of(id, "", "rfq_deleted", ctx.now_ms);
            ex.note_rfq(id, "rfq_deleted", ctx.now_ms);
        }
    }
    let open = ex
        .comms
        .rfqs
        .values()
        .filter(|r| r.open && r.account == ctx.account)
        .count();
    if open >= MAX_OPEN_RFQS {
        return Err(bad_request(
            "too_many_open_rfqs",
            "too many open RFQs",
            format!("at most {MAX_OPEN_RFQS} RFQs may be open at a time"),
        ));
    }
    let id = ex.new_id();
    let seq = ex.next_seq();
    ex.comms_id(&ctx.account);
    ex.comms.rfqs.insert(
        id.clone(),
        Rfq {
            id: id.clone(),
            account: ctx.account.clone(),
            sub,
            ticker,
            event_ticker,
            contracts,
            target_cost,
            rest_remainder,
            open: true,
            cancellation_reason: None,
            created_ms: ctx.now_ms,
            updated_ms: ctx.now_ms,
            cancelled_ms: None,
            seq,
        },
    );
    ex.note_rfq(&id, "rfq_created", ctx.now_ms);
    Ok(Reply::new(StatusCode::CREATED, json!({ "id": id })))
}

/// A positive dollar amount string (`"12.50"`, up to 6 decimals) in micro-dollars.
fn parse_dollar_amount(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || whole.len() > 12
        || frac.len() > 6
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        || (s.contains('.') && frac.is_empty())
    {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = format!("{frac:0<6}").parse().ok()?;
    w.checked_mul(1_000_000)?.checked_add(f)
}

/// The RFQ of a request's `rfq_id` path parameter (every user may read an RFQ).
fn path_rfq(ctx: &RequestCtx, ex: &Exchange) -> Result<Rfq, ApiError> {
    let id = ctx.param("rfq_id")?;
    ex.comms
        .rfqs
        .get(id)
        .cloned()
        .ok_or_else(|| rfq_not_found(id))
}

/// `GET /communications/rfqs/{rfq_id}`
fn get_rfq(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let r = path_rfq(ctx, ex)?;
    let v = rfq_json(ex, &r, &ctx.account);
    Ok(Reply::ok(json!({ "rfq": v })))
}

/// `DELETE /communications/rfqs/{rfq_id}`
fn delete_rfq(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    ex.expire_quotes(ctx.now_ms);
    let r = path_rfq(ctx, ex)?;
    if r.account != ctx.account {
        return Err(rfq_not_found(&r.id));
    }
    if !r.open {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "rfq_closed",
            "RFQ is closed",
            format!("RFQ `{}` was deleted, expired or executed", r.id),
        ));
    }
    ex.close_rfq(&r.id, Some("deleted"), ctx.now_ms);
    ex.cancel_quotes_of(&r.id, "", "rfq_deleted", ctx.now_ms);
    ex.note_rfq(&r.id, "rfq_deleted", ctx.now_ms);
    Ok(Reply::no_content())
}

/// `GET /communications/quotes`
fn list_quotes(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    ex.expire_quotes(ctx.now_ms);
    let limit = limit(ctx, 500)?;
    let before = ctx.seq_cursor('c')?;
    let min_ts = ctx.query.int("min_ts")?;
    let max_ts = ctx.query.int("max_ts")?;
    let status = ctx.query_str("status")?;
    if let Some(s) = status {
        if !["open", "accepted", "confirmed", "executed", "cancelled"].contains(&s) {
            return Err(ApiError::invalid_parameters(format!(
                "`status` must be one of open, accepted, confirmed, executed, cancelled; got `{}`",
                shown(s)
            )));
        }
    }
    let quoter = ctx.query_str("quote_creator_user_id")?;
    let requester = ctx.query_str("rfq_creator_user_id")?;
    let subtrader = ctx.query_str("rfq_creator_subtrader_id")?;
    let rfq_id = ctx.query_str("rfq_id")?;
    let mine = self_filter(ctx, "user_filter")?;
    let on_mine = self_filter(ctx, "rfq_user_filter")?;
    let rfq_owner = |id: &str| ex.comms.rfqs.get(id).map(|r| r.account.clone());
    let items: Vec<Quote> = ex
        .comms
        .quotes
        .values()
        .filter(|q| {
            let owner = rfq_owner(&q.rfq_id).unwrap_or_default();
            let updated_s = i64::try_from(q.updated_ms / 1000).unwrap_or(i64::MAX);
            (q.account == ctx.account || owner == ctx.account)
                && status.is_none_or(|s| q.status.as_str() == s)
                && quoter.is_none_or(|u| q.account == u)
                && requester.is_none_or(|u| owner == u)
                && subtrader.is_none()
                && rfq_id.is_none_or(|id| q.rfq_id == id)
                && (!mine || q.account == ctx.account)
                && (!on_mine || owner == ctx.account)
                && min_ts.is_none_or(|t| updated_s >= t)
                && max_ts.is_none_or(|t| updated_s <= t)
        })
        .cloned()
        .collect();
    let (items, cursor) = page(items, |q| q.seq, before, limit);
    let quotes: Vec<Value> = items
        .iter()
        .map(|q| quote_json(ex, q, &ctx.account))
        .collect();
    Ok(Reply::ok(json!({ "quotes": quotes, "cursor": cursor })))
}

/// `POST /communications/quotes`
fn create_quote(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    ex.expire_quotes(ctx.now_ms);
    let body = ctx.required_json_object()?;
    let rfq_id = required_str(&body, "rfq_id")?.to_owned();
    let yes_bid = parse_bid(&body, "yes_bid")?;
    let no_bid = parse_bid(&body, "no_bid")?;
    let rest_remainder = bool_field(&body, "rest_remainder")?
        .ok_or_else(|| ApiError::invalid_parameters("`rest_remainder` is required"))?;
    let post_only = bool_field(&body, "post_only")?.unwrap_or(false);
    let sub = body_subaccount(&body, "subaccount")?;
    let rfq = ex.comms.rfqs.get(&rfq_id).cloned().ok_or_else(|| {
        bad_request(
            "rfq_not_found",
            "RFQ not found",
            format!("no RFQ `{}`", shown(&rfq_id)),
        )
    })?;
    if !rfq.open {
        return Err(bad_request(
            "rfq_closed",
            "RFQ is closed",
            format!("RFQ `{rfq_id}` was deleted, expired or executed"),
        ));
    }
    if rfq.account == ctx.account {
        return Err(bad_request(
            "cannot_quote_own_rfq",
            "cannot quote your own RFQ",
            "an RFQ is quoted by other users",
        ));
    }
    if yes_bid.is_none() && no_bid.is_none() {
        return Err(ApiError::invalid_parameters(
            "`yes_bid` and `no_bid` cannot both be 0",
        ));
    }
    let sum = yes_bid.map_or(0, Price::get) + no_bid.map_or(0, Price::get);
    if sum > PRICE_SCALE {
        return Err(ApiError::invalid_parameters(format!(
            "`yes_bid` + `no_bid` is ${}, more than $1",
            dollars(i64::from(sum) * 100)
        )));
    }
    if let Some(market) = ex.markets.get(&rfq.ticker) {
        for p in [yes_bid, no_bid].into_iter().flatten() {
            check_tick(market, p)?;
        }
    }
    let mine: Vec<String> = ex
        .comms
        .quotes
        .values()
        .filter(|q| q.rfq_id == rfq_id && q.account == ctx.account && q.status.is_live())
        .map(|q| q.id.clone())
        .collect();
    for id in mine {
        if let Some(q) = ex.comms.quotes.get_mut(&id) {
            q.status = QuoteStatus::Cancelled;
            q.cancellation_reason = Some("replaced");
            q.cancelled_ms = Some(ctx.now_ms);
            q.updated_ms = ctx.now_ms;
        }
    }
    let id = ex.new_id();
    let seq = ex.next_seq();
    ex.comms_id(&ctx.account);
    ex.comms.quotes.insert(
        id.clone(),
        Quote {
            id: id.clone(),
            rfq_id,
            account: ctx.account.clone(),
            sub,
            yes_bid,
            no_bid,
            rest_remainder,
            post_only,
            status: QuoteStatus::Open,
            accepted_yes: None,
            cancellation_reason: None,
            created_ms: ctx.now_ms,
            updated_ms: ctx.now_ms,
            accepted_ms: None,
            executed_ms: None,
            cancelled_ms: None,
            creator_order_id: None,
            rfq_creator_order_id: None,
            seq,
        },
    );
    ex.note_quote(&id, "quote_created");
    Ok(Reply::new(StatusCode::CREATED, json!({ "id": id })))
}

/// The quote of a request's path (`quote_id`, and `rfq_id` on the RFQ-scoped routes) if the
/// caller may see it (its quoter or the RFQ's creator), and its RFQ.
fn path_quote(ctx: &RequestCtx, ex: &mut Exchange) -> Result<(Quote, Rfq), ApiError> {
    ex.expire_quotes(ctx.now_ms);
    let quote_id = ctx.param("quote_id")?;
    let scoped = ctx.params.iter().any(|(n, _)| *n == "rfq_id");
    let q = ex
        .comms
        .quotes
        .get(quote_id)
        .cloned()
        .ok_or_else(|| quote_not_found(quote_id))?;
    if scoped && ctx.param("rfq_id")? != q.rfq_id {
        return Err(quote_not_found(quote_id));
    }
    let rfq = ex
        .comms
        .rfqs
        .get(&q.rfq_id)
        .cloned()
        .ok_or_else(|| quote_not_found(quote_id))?;
    if q.account != ctx.account && rfq.account != ctx.account {
        return Err(quote_not_found(quote_id));
    }
    Ok((q, rfq))
}

/// `GET /communications/rfqs/{rfq_id}/quotes/{quote_id}` and the deprecated
/// `GET /communications/quotes/{quote_id}`.
fn get_quote(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let (q, _) = path_quote(ctx, ex)?;
    let v = quote_json(ex, &q, &ctx.account);
    Ok(Reply::ok(json!({ "quote": v })))
}

/// `DELETE /communications/rfqs/{rfq_id}/quotes/{quote_id}` and the deprecated
/// `DELETE /communications/quotes/{quote_id}`.
fn delete_quote(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let (q, _) = path_quote(ctx, ex)?;
    if q.account != ctx.account {
        return Err(quote_not_found(&q.id));
    }
    if !q.status.is_live() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "quote_not_open",
            "quote can no longer be deleted",
            format!("quote `{}` is {}", q.id, q.status.as_str()),
        ));
    }
    if let Some(q) = ex.comms.quotes.get_mut(&q.id) {
        q.status = QuoteStatus::Cancelled;
        q.cancellation_reason = Some("deleted");
        q.cancelled_ms = Some(ctx.now_ms);
        q.updated_ms = ctx.now_ms;
    }
    Ok(Reply::no_content())
}

/// `PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/accept` and the deprecated
/// `PUT /communications/quotes/{quote_id}/accept`.
fn accept_quote(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let yes = match required_str(&body, "accepted_side")? {
        "yes" => true,
        "no" => false,
        other => {
            return Err(ApiError::invalid_parameters(format!(
                "`accepted_side` must be `yes` or `no`, got `{}`",
                shown(other)
            )));
        }
    };
    let (q, rfq) = path_quote(ctx, ex)?;
    if rfq.account != ctx.account {
        return Err(bad_request(
            "not_rfq_creator",
            "only the RFQ's creator accepts its quotes",
            format!("quote `{}` answers another user's RFQ", q.id),
        ));
    }
    if !rfq.open {
        return Err(bad_request(
            "rfq_closed",
            "RFQ is closed",
            format!("RFQ `{}` was deleted, expired or executed", rfq.id),
        ));
    }
    if q.status != QuoteStatus::Open {
        return Err(bad_request(
            "quote_not_open",
            "quote is not open",
            format!("quote `{}` is {}", q.id, q.status.as_str()),
        ));
    }
    if ex
        .comms
        .quotes
        .values()
        .any(|o| o.rfq_id == rfq.id && o.status == QuoteStatus::Accepted)
    {
        return Err(bad_request(
            "rfq_quote_pending",
            "another quote of this RFQ awaits confirmation",
            format!("RFQ `{}` has an accepted quote", rfq.id),
        ));
    }
    let bid = if yes { q.yes_bid } else { q.no_bid };
    if bid.is_none() || quote_size(&rfq, &q, yes).is_zero() {
        return Err(ApiError::invalid_parameters(format!(
            "quote `{}` declines the {} side",
            q.id,
            if yes { "yes" } else { "no" }
        )));
    }
    if let Some(q) = ex.comms.quotes.get_mut(&q.id) {
        q.status = QuoteStatus::Accepted;
        q.accepted_yes = Some(yes);
        q.accepted_ms = Some(ctx.now_ms);
        q.updated_ms = ctx.now_ms;
    }
    ex.note_quote(&q.id, "quote_accepted");
    Ok(Reply::no_content())
}

/// `PUT /communications/rfqs/{rfq_id}/quotes/{quote_id}/confirm` and the deprecated
/// `PUT /communications/quotes/{quote_id}/confirm`: executes the trade.
fn confirm_quote(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let (q, rfq) = path_quote(ctx, ex)?;
    if q.account != ctx.account {
        return Err(quote_not_found(&q.id));
    }
    let (Some(yes), QuoteStatus::Accepted) = (q.accepted_yes, q.status) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "quote_not_accepted",
            "no accepted quote to confirm",
            format!("quote `{}` is {}", q.id, q.status.as_str()),
        ));
    };
    let bid = if yes { q.yes_bid } else { q.no_bid };
    let bid = bid.ok_or_else(|| ApiError::internal("an accepted side without a bid"))?;
    let count = quote_size(&rfq, &q, yes);
    // The RFQ's creator buys the accepted side at its bid; the quoter takes the other side.
    let (yes_price, requester_side, quoter_side) = if yes {
        (bid, Side::Bid, Side::Ask)
    } else {
        (bid.complement(), Side::Ask, Side::Bid)
    };
    let (taker_order, maker_order) = ex.execute_negotiated(
        &rfq.ticker,
        (&rfq.account, rfq.sub, requester_side),
        (&q.account, q.sub, quoter_side),
        yes_price,
        count,
        ctx.now_ms,
    )?;
    if let Some(q) = ex.comms.quotes.get_mut(&q.id) {
        q.status = QuoteStatus::Executed;
        q.executed_ms = Some(ctx.now_ms);
        q.updated_ms = ctx.now_ms;
        q.creator_order_id = Some(maker_order);
        q.rfq_creator_order_id = Some(taker_order);
    }
    ex.close_rfq(&rfq.id, None, ctx.now_ms);
    ex.cancel_quotes_of(&rfq.id, &q.id, "rfq_closed", ctx.now_ms);
    ex.note_quote(&q.id, "quote_executed");
    Ok(Reply::no_content())
}

// ---------------------------------------------------------------------------------------------
// Block trades

fn proposal_json(p: &Proposal, caller: &str, now_ms: u64) -> Value {
    let is_buyer = p.buyer == caller;
    let is_seller = p.seller == caller;
    let mut v = json!({
        "id": p.id,
        "proposer_user_id": p.proposer,
        "buyer_user_id": if is_buyer { p.buyer.as_str() } else { "" },
        "seller_user_id": if is_seller { p.seller.as_str() } else { "" },
        "market_ticker": p.ticker,
        "price_centi_cents": p.price.get(),
        "centicount": p.count.hundredths(),
        "maker_side": if p.maker_yes { "yes" } else { "no" },
        "expiration_ts": rfc3339_ms(p.expiration_ms),
        "status": p.status(now_ms),
        "created_ts": rfc3339_ms(p.created_ms),
        "updated_ts": rfc3339_ms(p.updated_ms),
        "buyer_accepted": p.buyer_accepted_ms.is_some(),
        "seller_accepted": p.seller_accepted_ms.is_some(),
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(at) = p.buyer_accepted_ms {
        o.insert("buyer_accepted_ts".into(), rfc3339_ms(at).into());
    }
    if let Some(at) = p.seller_accepted_ms {
        o.insert("seller_accepted_ts".into(), rfc3339_ms(at).into());
    }
    if let Some(at) = p.executed_ms {
        o.insert("executed_ts".into(), rfc3339_ms(at).into());
    }
    if let (true, Some(id)) = (is_buyer, &p.buyer_order_id) {
        o.insert("buyer_order_id".into(), id.clone().into());
    }
    if let (true, Some(id)) = (is_seller, &p.seller_order_id) {
        o.insert("seller_order_id".into(), id.clone().into());
    }
    v
}

/// `GET /communications/block-trade-proposals`
fn list_proposals(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = limit(ctx, 100)?;
    let before = ctx.seq_cursor('c')?;
    let market = ctx.query_str("market_ticker")?;
    let status = ctx.query_str("status")?;
    let now = ctx.now_ms;
    let me = &ctx.account;
    let items: Vec<&Proposal> = ex
        .comms
        .proposals
        .values()
        .filter(|p| p.proposer == *me || p.buyer == *me || p.seller == *me)
        .filter(|p| market.is_none_or(|m| p.ticker == m))
        .filter(|p| status.is_none_or(|s| p.status(now) == s))
        .collect();
    let (items, cursor) = page(items, |p| p.seq, before, limit);
    let list: Vec<Value> = items.iter().map(|p| proposal_json(p, me, now)).collect();
    Ok(Reply::ok(
        json!({ "block_trade_proposals": list, "cursor": cursor }),
    ))
}

/// `POST /communications/block-trade-proposals`
fn propose_block_trade(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.required_json_object()?;
    let buyer = required_str(&body, "buyer_user_id")?.to_owned();
    let seller = required_str(&body, "seller_user_id")?.to_owned();
    let ticker = required_str(&body, "market_ticker")?.to_owned();
    for name in ["buyer_subtrader_id", "seller_subtrader_id"] {
        if str_field(&body, name)?.is_some_and(|s| !s.is_empty()) {
            return Err(bad_request(
                "not_fcm_member",
                "not an FCM member",
                format!("`{name}` is for FCM members only"),
            ));
        }
    }
    let buyer_sub = body_subaccount(&body, "buyer_subaccount")?;
    let seller_sub = body_subaccount(&body, "seller_subaccount")?;
    let price = int_field(&body, "price_centi_cents")?
        .ok_or_else(|| ApiError::invalid_parameters("`price_centi_cents` is required"))?;
    let price = u32::try_from(price)
        .ok()
        .and_then(Price::new)
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!(
                "`price_centi_cents` must be between 1 and 9999, got {price}"
            ))
        })?;
    let count = int_field(&body, "centicount")?
        .ok_or_else(|| ApiError::invalid_parameters("`centicount` is required"))?;
    let count = u64::try_from(count)
        .ok()
        .map(Count::from_hundredths)
        .ok_or_else(|| ApiError::invalid_parameters(format!("`centicount` {count} is negative")))?;
    let maker_yes = match required_str(&body, "maker_side")? {
        "yes" => true,
        "no" => false,
        other => {
            return Err(ApiError::invalid_parameters(format!(
                "`maker_side` must be `yes` or `no`, got `{}`",
                shown(other)
            )));
        }
    };
    let exp = required_str(&body, "expiration_ts")?;
    let expiration_ms = exp
        .parse::<kalshi_core::jiff::Timestamp>()
        .ok()
        .and_then(|t| u64::try_from(t.as_millisecond()).ok())
        .ok_or_else(|| {
            ApiError::invalid_parameters(format!(
                "`expiration_ts` `{}` is not an RFC 3339 date-time",
                shown(exp)
            ))
        })?;
    if expiration_ms <= ctx.now_ms {
        return Err(ApiError::invalid_parameters(
            "`expiration_ts` must be in the future",
        ));
    }
    if buyer != ctx.account && seller != ctx.account {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "insufficient permissions",
            "the proposer must be the buyer or the seller",
        ));
    }
    if buyer == seller {
        return Err(ApiError::invalid_parameters(
            "the buyer and the seller must be different users",
        ));
    }
    for user in [&buyer, &seller] {
        if ex.keys.account_of(user).is_none() && ex.account(user).is_none() {
            return Err(ApiError::invalid_parameters(format!(
                "no user `{}`",
                shown(user)
            )));
        }
    }
    let market = ex.markets.get(&ticker).ok_or_else(|| {
        bad_request(
            "market_not_found",
            "market not found",
            format!("the simulator lists no market `{}`", shown(&ticker)),
        )
    })?;
    check_tick(market, price)?;
    check_count(market, count, "centicount")?;
    let id = ex.new_id();
    let seq = ex.next_seq();
    let now = ctx.now_ms;
    ex.comms.proposals.insert(
        id.clone(),
        Proposal {
            id: id.clone(),
            proposer: ctx.account.clone(),
            buyer_accepted_ms: (buyer == ctx.account).then_some(now),
            seller_accepted_ms: (seller == ctx.account).then_some(now),
            buyer,
            buyer_sub,
            seller,
            seller_sub,
            ticker,
            price,
            count,
            maker_yes,
            expiration_ms,
            created_ms: now,
            updated_ms: now,
            executed_ms: None,
            buyer_order_id: None,
            seller_order_id: None,
            seq,
        },
    );
    Ok(Reply::new(
        StatusCode::CREATED,
        json!({ "block_trade_proposal_id": id }),
    ))
}

/// `POST /communications/block-trade-proposals/{block_trade_proposal_id}/accept`
fn accept_proposal(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let body = ctx.json_object()?.unwrap_or_default();
    if str_field(&body, "subtrader_id")?.is_some_and(|s| !s.is_empty()) {
        return Err(bad_request(
            "not_fcm_member",
            "not an FCM member",
            "`subtrader_id` is for FCM members only",
        ));
    }
    let sub = int_field(&body, "subaccount")?
        .map(|v| SubaccountId::from_request(v, "subaccount"))
        .transpose()?;
    let id = ctx.param("block_trade_proposal_id")?;
    let not_found = || {
        ApiError::not_found(
            "block trade proposal not found",
            format!("no block trade proposal `{}` for this user", shown(id)),
        )
    };
    let p = ex.comms.proposals.get(id).cloned().ok_or_else(not_found)?;
    let now = ctx.now_ms;
    let (is_buyer, accepted) = if p.buyer == ctx.account {
        (true, p.buyer_accepted_ms.is_some())
    } else if p.seller == ctx.account {
        (false, p.seller_accepted_ms.is_some())
    } else {
        return Err(not_found());
    };
    match p.status(now) {
        "executed" => {
            return Err(bad_request(
                "proposal_executed",
                "block trade proposal already executed",
                format!("block trade proposal `{id}` was executed"),
            ));
        }
        "expired" => {
            return Err(bad_request(
                "proposal_expired",
                "block trade proposal expired",
                format!("block trade proposal `{id}` expired"),
            ));
        }
        _ => {}
    }
    if accepted {
        return Err(bad_request(
            "already_accepted",
            "already accepted",
            format!("you already accepted block trade proposal `{id}`"),
        ));
    }
    let (mut buyer_sub, mut seller_sub) = (p.buyer_sub, p.seller_sub);
    if let Some(s) = sub {
        if is_buyer {
            buyer_sub = s;
        } else {
            seller_sub = s;
        }
    }
    let (yes_price, buyer_side, seller_side) = if p.maker_yes {
        (p.price, Side::Bid, Side::Ask)
    } else {
        (p.price.complement(), Side::Ask, Side::Bid)
    };
    let (buyer_order, seller_order) = ex.execute_negotiated(
        &p.ticker,
        (&p.buyer, buyer_sub, buyer_side),
        (&p.seller, seller_sub, seller_side),
        yes_price,
        p.count,
        now,
    )?;
    if let Some(p) = ex.comms.proposals.get_mut(id) {
        if is_buyer {
            p.buyer_accepted_ms = Some(now);
        } else {
            p.seller_accepted_ms = Some(now);
        }
        p.buyer_sub = buyer_sub;
        p.seller_sub = seller_sub;
        p.executed_ms = Some(now);
        p.updated_ms = now;
        p.buyer_order_id = Some(buyer_order);
        p.seller_order_id = Some(seller_order);
    }
    if let Some(t) = ex.trades.last_mut() {
        t.is_block_trade = true;
    }
    Ok(Reply::no_content())
}
