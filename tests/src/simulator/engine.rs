//! The matching engine: orders, fills, and the balance, position and order-group bookkeeping
//! every fill drives.
//!
//! # Semantics (the simulator's reading of the spec)
//!
//! - One book per market in the V2 single-book shape. A taker crosses resting makers at the
//!   **maker's** price, best price first, oldest first within a price.
//! - Collateral: a `bid` at `p` costs `p` per contract, an `ask` at `p` (selling YES, i.e.
//!   buying NO) costs `1 - p`. An order reserves its full cost at its limit price when accepted
//!   (400 `insufficient_balance` if the available cash does not cover it); fills charge the
//!   maker's price and release the reservation; cancels release the rest. The reported balance
//!   is the available cash (cash minus reservations). Positions are not netted against the
//!   reservation: selling YES you hold still needs `1 - p` available.
//! - Positions hold YES and NO contracts; as soon as a subaccount holds both in one market,
//!   pairs settle at $1 each (cash in, realized P&L out). `position_fp` is YES minus NO.
//! - Fees are zero.
//! - Self-trade prevention applies between orders of the same account (API key, "the same
//!   user"), whatever the subaccounts, unless the simulator was configured with
//!   [`SimulatorConfig::with_self_trade_prevention_per_subaccount`](super::SimulatorConfig::with_self_trade_prevention_per_subaccount),
//!   which lets the subaccounts of one key trade with each other. `taker_at_cross` stops
//!   matching and cancels the taker's remainder (fills already made stand); `maker` cancels
//!   the resting maker and keeps matching.
//! - `fill_or_kill` checks, before touching the book, that the whole count can fill (counting
//!   self-trade prevention and the order groups of the makers); otherwise the order is
//!   accepted and canceled with nothing filled. `immediate_or_cancel` cancels whatever does not
//!   fill at once. Both answer 201.
//! - Order groups: every fill of a grouped order (maker or taker) adds to its group's 15-second
//!   rolling volume at the exchange time. When the volume exceeds the limit the group
//!   triggers and every order of the group still working is canceled, including the rest of
//!   a taker whose own fill crossed the limit (the crossing fill stands). A `fill_or_kill`
//!   taker is the exception: it always completes once its check passed.

use super::errors::ApiError;
use super::fixed_point::{Count, Price, dollars};
use super::market_data::Trade;
use super::markets::{Market, MarketStatus};
use super::state::{Exchange, SubaccountId};

/// The largest order: 1,000,000 contracts.
pub(crate) const MAX_ORDER_COUNT: Count = Count::from_hundredths(100_000_000);

/// Which side of the single book an order is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Buy YES.
    Bid,
    /// Sell YES (buy NO).
    Ask,
}

impl Side {
    /// Reads `bid` / `ask`.
    pub(crate) fn parse(s: &str) -> Option<Side> {
        match s {
            "bid" => Some(Side::Bid),
            "ask" => Some(Side::Ask),
            _ => None,
        }
    }

    /// `bid` / `ask`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Side::Bid => "bid",
            Side::Ask => "ask",
        }
    }

    /// True for a bid.
    pub(crate) fn is_bid(self) -> bool {
        self == Side::Bid
    }

    /// The outcome the side is long: `yes` for a bid, `no` for an ask.
    pub(crate) fn outcome(self) -> &'static str {
        match self {
            Side::Bid => "yes",
            Side::Ask => "no",
        }
    }

    /// The legacy `action` (with legacy `side` = `yes`): `buy` for a bid, `sell` for an ask.
    pub(crate) fn action(self) -> &'static str {
        match self {
            Side::Bid => "buy",
            Side::Ask => "sell",
        }
    }

    /// What `count` contracts cost this side at YES price `p`, in micro-dollars: `p` each for a
    /// bid, `1 - p` each for an ask.
    pub(crate) fn cost(self, p: Price, count: Count) -> i64 {
        match self {
            Side::Bid => p.cost(count),
            Side::Ask => p.complement().cost(count),
        }
    }
}

/// How long an order stays active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeInForce {
    /// Rests until canceled or expired.
    GoodTillCanceled,
    /// Fills what it can at once, cancels the rest.
    ImmediateOrCancel,
    /// Fills completely at once or not at all.
    FillOrKill,
}

impl TimeInForce {
    /// Reads the API value.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "good_till_canceled" => Some(Self::GoodTillCanceled),
            "immediate_or_cancel" => Some(Self::ImmediateOrCancel),
            "fill_or_kill" => Some(Self::FillOrKill),
            _ => None,
        }
    }

    /// The API value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::GoodTillCanceled => "good_till_canceled",
            Self::ImmediateOrCancel => "immediate_or_cancel",
            Self::FillOrKill => "fill_or_kill",
        }
    }
}

/// Self-trade prevention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stp {
    /// Cancel the taker's remainder.
    TakerAtCross,
    /// Cancel the resting maker and keep matching.
    Maker,
}

impl Stp {
    /// Reads the API value.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "taker_at_cross" => Some(Self::TakerAtCross),
            "maker" => Some(Self::Maker),
            _ => None,
        }
    }

    /// The API value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::TakerAtCross => "taker_at_cross",
            Self::Maker => "maker",
        }
    }
}

/// An order's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Working (on the book, or a taker being matched).
    Resting,
    /// Canceled (by the user, a group, self-trade prevention, IOC/FOK, or expiry).
    Canceled,
    /// Fully filled.
    Executed,
}

impl Status {
    /// Reads the API value.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "resting" => Some(Self::Resting),
            "canceled" => Some(Self::Canceled),
            "executed" => Some(Self::Executed),
            _ => None,
        }
    }

    /// The API value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Resting => "resting",
            Self::Canceled => "canceled",
            Self::Executed => "executed",
        }
    }
}

/// One order.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub(crate) id: String,
    pub(crate) account: String,
    pub(crate) sub: SubaccountId,
    pub(crate) client_order_id: Option<String>,
    pub(crate) ticker: String,
    pub(crate) exchange_index: u32,
    pub(crate) side: Side,
    pub(crate) price: Price,
    pub(crate) initial: Count,
    pub(crate) filled: Count,
    pub(crate) remaining: Count,
    pub(crate) status: Status,
    pub(crate) tif: TimeInForce,
    pub(crate) post_only: bool,
    pub(crate) stp: Stp,
    pub(crate) cancel_on_pause: bool,
    pub(crate) reduce_only: bool,
    pub(crate) order_group_id: Option<String>,
    pub(crate) expiration_ms: Option<u64>,
    pub(crate) created_ms: u64,
    pub(crate) updated_ms: u64,
    /// Creation order across the exchange.
    pub(crate) seq: u64,
    /// Paid for fills as taker, micro-dollars.
    pub(crate) taker_cost: i64,
    /// Paid for fills as maker, micro-dollars.
    pub(crate) maker_cost: i64,
    /// Cash currently held for the remaining count, micro-dollars.
    pub(crate) reserved: i64,
}

/// One fill: one side of one trade.
#[derive(Debug, Clone)]
pub(crate) struct Fill {
    pub(crate) id: String,
    pub(crate) order_id: String,
    pub(crate) account: String,
    pub(crate) sub: SubaccountId,
    pub(crate) ticker: String,
    pub(crate) exchange_index: u32,
    pub(crate) side: Side,
    /// The trade's YES price.
    pub(crate) price: Price,
    pub(crate) count: Count,
    pub(crate) is_taker: bool,
    /// Fee in micro-dollars (always 0).
    pub(crate) fee: i64,
    pub(crate) ts_ms: u64,
    pub(crate) seq: u64,
}

/// A validated create request.
#[derive(Debug, Clone)]
pub(crate) struct NewOrder {
    pub(crate) sub: SubaccountId,
    pub(crate) client_order_id: Option<String>,
    pub(crate) ticker: String,
    pub(crate) side: Side,
    pub(crate) price: Price,
    pub(crate) count: Count,
    pub(crate) tif: TimeInForce,
    pub(crate) post_only: bool,
    pub(crate) stp: Stp,
    pub(crate) cancel_on_pause: bool,
    pub(crate) reduce_only: bool,
    pub(crate) order_group_id: Option<String>,
    /// As sent: `None` or -1 auto-route by ticker.
    pub(crate) exchange_index: Option<i128>,
    /// Unix seconds.
    pub(crate) expiration_s: Option<i128>,
}

/// What one request's matching did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Execution {
    /// Contracts filled.
    pub(crate) filled: Count,
    /// Sum of YES price times count over the fills, micro-dollars.
    pub(crate) notional: i64,
    /// Fees, micro-dollars.
    pub(crate) fees: i64,
}

impl Execution {
    /// The volume-weighted average YES price (rounded to the nearest micro-dollar), if
    /// anything filled.
    pub(crate) fn average_price(&self) -> Option<String> {
        per_contract(self.notional, self.filled)
    }

    /// The average fee per contract, if anything filled.
    pub(crate) fn average_fee(&self) -> Option<String> {
        per_contract(self.fees, self.filled)
    }
}

/// `total` micro-dollars over `count` hundredths, per contract, rounded half up.
fn per_contract(total: i64, count: Count) -> Option<String> {
    if count.is_zero() {
        return None;
    }
    let n = i128::from(count.signed());
    let per = (i128::from(total) * 100 * 2 + n) / (2 * n);
    Some(dollars(i64::try_from(per).unwrap_or(i64::MAX)))
}

/// The outcome of an accepted create.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub(crate) order_id: String,
    pub(crate) client_order_id: Option<String>,
    pub(crate) exec: Execution,
    /// Contracts left resting.
    pub(crate) remaining: Count,
}

/// A validated amend request.
#[derive(Debug, Clone)]
pub(crate) struct Amend {
    pub(crate) ticker: String,
    pub(crate) side: Side,
    pub(crate) price: Price,
    /// The new total (filled + resting).
    pub(crate) count: Count,
    pub(crate) client_order_id: Option<String>,
    pub(crate) updated_client_order_id: Option<String>,
    pub(crate) exchange_index: Option<i128>,
}

/// The outcome of an amend.
#[derive(Debug, Clone)]
pub(crate) struct Amended {
    pub(crate) order_id: String,
    pub(crate) client_order_id: Option<String>,
    pub(crate) exec: Execution,
    pub(crate) remaining: Count,
}

// ---------------------------------------------------------------------------------------------
// Errors

pub(crate) fn market_not_found(ticker: &str) -> ApiError {
    let shown: String = ticker.chars().take(100).collect();
    ApiError::new(
        http::StatusCode::NOT_FOUND,
        "market_not_found",
        "market not found",
        format!("the simulator lists no market `{shown}`"),
    )
}

pub(crate) fn order_not_found(id: &str, where_: &str) -> ApiError {
    let shown: String = id.chars().take(100).collect();
    ApiError::not_found("order not found", format!("no order `{shown}` {where_}"))
}

fn bad_request(code: &'static str, message: &str, details: impl Into<String>) -> ApiError {
    ApiError::new(http::StatusCode::BAD_REQUEST, code, message, details)
}

fn insufficient_balance(need: i64, available: i64) -> ApiError {
    bad_request(
        "insufficient_balance",
        "insufficient balance",
        format!(
            "the order needs ${} but only ${} is available",
            dollars(need),
            dollars(available)
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

/// The shard of `market` for a request's `exchange_index` (`None`/-1: auto-route).
pub(crate) fn resolve_shard(
    requested: Option<i128>,
    market: &Market,
    shards: u32,
) -> Result<u32, ApiError> {
    match requested {
        None | Some(-1) => Ok(market.cfg.exchange_index),
        Some(v) => {
            let idx = u32::try_from(v)
                .ok()
                .filter(|v| *v < shards)
                .ok_or_else(|| {
                    ApiError::invalid_parameters(format!(
                        "`exchange_index` must be -1 or between 0 and {}, got {v}",
                        shards.saturating_sub(1)
                    ))
                })?;
            if idx != market.cfg.exchange_index {
                return Err(ApiError::invalid_parameters(format!(
                    "market `{}` is on exchange index {}, not {idx}",
                    market.cfg.ticker, market.cfg.exchange_index
                )));
            }
            Ok(idx)
        }
    }
}

/// Checks a price against the market's tick.
pub(crate) fn check_tick(market: &Market, price: Price) -> Result<(), ApiError> {
    let tick = market.cfg.tick_size.max(1);
    if !price.get().is_multiple_of(tick) {
        return Err(ApiError::invalid_parameters(format!(
            "price {} is not a multiple of the tick size ${} of market `{}`",
            price.to_dollars(),
            dollars(i64::from(tick) * 100),
            market.cfg.ticker
        )));
    }
    Ok(())
}

/// Checks an order count: positive, at most [`MAX_ORDER_COUNT`], whole if the market wants.
pub(crate) fn check_count(market: &Market, count: Count, field: &str) -> Result<(), ApiError> {
    if count.is_zero() || count > MAX_ORDER_COUNT {
        return Err(ApiError::invalid_parameters(format!(
            "`{field}` must be between 0.01 and 1000000.00, got \"{count}\""
        )));
    }
    if !market.cfg.fractional && !count.is_whole() {
        return Err(ApiError::invalid_parameters(format!(
            "market `{}` trades whole contracts only, got `{field}` \"{count}\"",
            market.cfg.ticker
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The engine

impl Exchange {
    /// Lets time pass up to `now_ms`: cancels every resting order whose expiration is at or
    /// before it, and the resting orders of every market that is now past its close.
    pub(crate) fn expire_orders(&mut self, now_ms: u64) {
        while let Some((at, id)) = self.expiring.first().cloned() {
            if at > now_ms {
                break;
            }
            self.expiring.remove(&(at, id.clone()));
            self.cancel_working(&id, now_ms);
        }
        let closing: Vec<String> = self
            .markets
            .values()
            .filter(|m| !m.swept && m.cfg.status_at(now_ms).is_past_close())
            .map(|m| m.cfg.ticker.clone())
            .collect();
        for ticker in closing {
            self.cancel_market_orders(&ticker, |_| true, now_ms);
            if let Some(m) = self.markets.get_mut(&ticker) {
                m.swept = true;
            }
        }
        self.note_quotes(now_ms);
    }

    /// Records every market's top of book at `now_ms` where it changed (for candlesticks).
    pub(crate) fn note_quotes(&mut self, now_ms: u64) {
        for m in self.markets.values_mut() {
            m.note_quote(now_ms);
        }
    }

    /// Cancels the resting orders of a market that `which` selects.
    pub(crate) fn cancel_market_orders(
        &mut self,
        ticker: &str,
        which: impl Fn(&Order) -> bool,
        now_ms: u64,
    ) {
        let Some(m) = self.markets.get(ticker) else {
            return;
        };
        let ids: Vec<String> = m
            .bids
            .values()
            .chain(m.asks.values())
            .flatten()
            .filter(|id| self.orders.get(*id).is_some_and(&which))
            .cloned()
            .collect();
        for id in ids {
            self.cancel_working(&id, now_ms);
        }
    }

    /// Refuses an order write the exchange's state does not allow: every write during an
    /// exchange pause, creates and amends (`placing`) during a trading pause or in a market
    /// that is not active, and every write in a market past its close.
    pub(crate) fn check_tradable(
        &self,
        ticker: &str,
        placing: bool,
        now_ms: u64,
    ) -> Result<(), ApiError> {
        if !self.exchange_active {
            return Err(bad_request(
                "exchange_paused",
                "the exchange is paused",
                "the exchange is paused: no order can be placed, amended, decreased or canceled",
            ));
        }
        if placing && !self.trading_active {
            return Err(bad_request(
                "trading_paused",
                "trading is paused",
                "trading is paused: orders cannot be placed or amended (cancels and decreases are allowed)",
            ));
        }
        let status = self
            .markets
            .get(ticker)
            .map_or(MarketStatus::Active, |m| m.cfg.status_at(now_ms));
        if status.is_past_close() || (placing && status != MarketStatus::Active) {
            return Err(bad_request(
                "market_inactive",
                "market is not open for trading",
                format!("market `{ticker}` is {}", status.as_str()),
            ));
        }
        Ok(())
    }

    /// The order `order_id` of `account`, in `sub` if given, else in any subaccount.
    pub(crate) fn owned_order(
        &self,
        account: &str,
        order_id: &str,
        sub: Option<SubaccountId>,
    ) -> Result<&Order, ApiError> {
        self.orders
            .get(order_id)
            .filter(|o| o.account == account && sub.is_none_or(|s| s == o.sub))
            .ok_or_else(|| match sub {
                Some(s) => order_not_found(order_id, &format!("in subaccount {}", s.get())),
                None => order_not_found(order_id, "in this account"),
            })
    }

    /// Whether a taker and a maker belong to the same user for self-trade prevention.
    fn is_self_trade(&self, taker: &Order, maker: &Order) -> bool {
        taker.account == maker.account && (!self.stp_per_subaccount || taker.sub == maker.sub)
    }

    /// The signed position (YES minus NO, hundredths) of a subaccount in a market.
    fn position_of(&self, account: &str, sub: SubaccountId, ticker: &str) -> i64 {
        self.accounts
            .get(account)
            .and_then(|a| a.find_subaccount(sub))
            .and_then(|s| s.positions.get(ticker))
            .map_or(0, |p| p.net())
    }

    /// Places an order: validates it against the market, the account and its group, reserves
    /// its cost, matches it and rests what is left (GTC) or cancels it (IOC/FOK).
    pub(crate) fn place_order(
        &mut self,
        account: &str,
        new: NewOrder,
        now_ms: u64,
    ) -> Result<Placed, ApiError> {
        let market = self
            .markets
            .get(&new.ticker)
            .ok_or_else(|| market_not_found(&new.ticker))?;
        self.ledger.check_tradable(account, new.sub, &new.ticker)?;
        let shard = resolve_shard(new.exchange_index, market, self.exchange_shards)?;
        check_tick(market, new.price)?;
        check_count(market, new.count, "count")?;
        self.check_tradable(&new.ticker, true, now_ms)?;
        let expiration_ms = match new.expiration_s {
            None => None,
            Some(_) if new.tif != TimeInForce::GoodTillCanceled => {
                return Err(ApiError::invalid_parameters(
                    "`expiration_time` needs `time_in_force` good_till_canceled",
                ));
            }
            Some(s) => {
                let ms = u64::try_from(s)
                    .ok()
                    .and_then(|s| s.checked_mul(1000))
                    .filter(|ms| *ms > now_ms)
                    .ok_or_else(|| {
                        ApiError::invalid_parameters(format!(
                            "`expiration_time` {s} is not in the future (exchange time {} s)",
                            now_ms / 1000
                        ))
                    })?;
                Some(ms)
            }
        };
        if let Some(coid) = &new.client_order_id {
            if let Some(existing) = self
                .accounts
                .get(account)
                .and_then(|a| a.client_order_ids.get(coid))
            {
                return Err(duplicate_client_order_id(coid, existing));
            }
        }
        if let Some(gid) = &new.order_group_id {
            let group = self
                .accounts
                .get_mut(account)
                .and_then(|a| a.find_subaccount_mut(new.sub))
                .and_then(|s| s.order_groups.get_mut(gid))
                .ok_or_else(|| {
                    let shown: String = gid.chars().take(100).collect();
                    ApiError::not_found(
                        "order group not found",
                        format!("no order group `{shown}` in subaccount {}", new.sub.get()),
                    )
                })?;
            if group.exchange_index != shard {
                return Err(ApiError::invalid_parameters(format!(
                    "order group `{gid}` is on exchange index {}, the market on {shard}",
                    group.exchange_index
                )));
            }
            if group.triggered {
                return Err(bad_request(
                    "order_group_triggered",
                    "order group is triggered",
                    format!(
                        "order group `{gid}` is triggered; reset it before placing orders in it"
                    ),
                ));
            }
        }
        let mut count = new.count;
        if new.reduce_only {
            let pos = self.position_of(account, new.sub, &new.ticker);
            let reducible = match new.side {
                Side::Bid if pos < 0 => pos.unsigned_abs(),
                Side::Ask if pos > 0 => pos.unsigned_abs(),
                _ => 0,
            };
            if reducible == 0 {
                return Err(bad_request(
                    "reduce_only_would_increase_position",
                    "reduce-only order would not reduce the position",
                    format!(
                        "a reduce-only {} needs an opposite position in `{}`",
                        new.side.as_str(),
                        new.ticker
                    ),
                ));
            }
            count = count.min(Count::from_hundredths(reducible));
        }
        if new.post_only {
            let crosses = self
                .markets
                .get(&new.ticker)
                .and_then(|m| m.best_crossing(new.side.is_bid(), new.price.get()));
            if let Some(p) = crosses {
                return Err(bad_request(
                    "post_only_cross",
                    "post-only order would cross",
                    format!(
                        "a post-only {} at {} would trade against the resting {} at 0.{p:04}",
                        new.side.as_str(),
                        new.price.to_dollars(),
                        if new.side.is_bid() { "ask" } else { "bid" }
                    ),
                ));
            }
        }
        let need = new.side.cost(new.price, count);
        {
            let sub = self.account_mut(account).subaccount_mut(new.sub);
            if sub.available() < need {
                return Err(insufficient_balance(need, sub.available()));
            }
        }

        // Accepted: from here on the order exists.
        let id = self.fresh_order_id();
        let seq = self.next_seq();
        let acct = self.account_mut(account);
        if let Some(coid) = &new.client_order_id {
            acct.client_order_ids.insert(coid.clone(), id.clone());
        }
        let sub = acct.subaccount_mut(new.sub);
        sub.reserved = sub.reserved.saturating_add(need);
        sub.balance_updated_ms = now_ms;
        if let Some(g) = new
            .order_group_id
            .as_ref()
            .and_then(|gid| sub.order_groups.get_mut(gid))
        {
            g.orders.push(id.clone());
        }
        self.orders.insert(
            id.clone(),
            Order {
                id: id.clone(),
                account: account.to_owned(),
                sub: new.sub,
                client_order_id: new.client_order_id.clone(),
                ticker: new.ticker.clone(),
                exchange_index: shard,
                side: new.side,
                price: new.price,
                initial: count,
                filled: Count::ZERO,
                remaining: count,
                status: Status::Resting,
                tif: new.tif,
                post_only: new.post_only,
                stp: new.stp,
                cancel_on_pause: new.cancel_on_pause,
                reduce_only: new.reduce_only,
                order_group_id: new.order_group_id.clone(),
                expiration_ms,
                created_ms: now_ms,
                updated_ms: now_ms,
                seq,
                taker_cost: 0,
                maker_cost: 0,
                reserved: need,
            },
        );

        self.touch_order(&id);
        let mut exec = Execution::default();
        let mut stp_stopped = false;
        let killed = new.tif == TimeInForce::FillOrKill && self.fillable(&id, now_ms) < count;
        if !killed {
            (exec, stp_stopped) = self.match_taker(&id, now_ms);
        }
        self.settle_taker(&id, stp_stopped || killed, now_ms);
        let remaining = self.orders.get(&id).map_or(Count::ZERO, |o| o.remaining);
        Ok(Placed {
            order_id: id,
            client_order_id: new.client_order_id,
            exec,
            remaining,
        })
    }

    /// After matching a taker: rests a good-till-canceled remainder, cancels any other.
    fn settle_taker(&mut self, id: &str, cancel_rest: bool, now_ms: u64) {
        let Some(o) = self.orders.get(id) else {
            return;
        };
        if o.status != Status::Resting {
            return;
        }
        if cancel_rest || o.tif != TimeInForce::GoodTillCanceled {
            self.cancel_working(id, now_ms);
            return;
        }
        let (bid, price, exp) = (o.side.is_bid(), o.price.get(), o.expiration_ms);
        if let Some(m) = self.markets.get_mut(&o.ticker) {
            m.push(bid, price, id.to_owned());
        }
        if let Some(at) = exp {
            self.expiring.insert((at, id.to_owned()));
        }
    }

    /// How much of a fill-or-kill taker could fill right now, walking the book as matching
    /// would: self-trade prevention stops (`taker_at_cross`) or skips (`maker`), and makers
    /// whose group would trigger before their turn are skipped.
    fn fillable(&self, taker_id: &str, now_ms: u64) -> Count {
        let Some(t) = self.orders.get(taker_id) else {
            return Count::ZERO;
        };
        let Some(market) = self.markets.get(&t.ticker) else {
            return Count::ZERO;
        };
        let mut total = Count::ZERO;
        let mut group_added: Vec<((String, SubaccountId, String), Count)> = Vec::new();
        for (_, level) in market.crossing_levels(t.side.is_bid(), t.price.get()) {
            for maker_id in level {
                let Some(m) = self.orders.get(maker_id) else {
                    continue;
                };
                if self.is_self_trade(t, m) {
                    match t.stp {
                        Stp::TakerAtCross => return total,
                        Stp::Maker => continue,
                    }
                }
                let n = m.remaining.min(t.remaining.saturating_sub(total));
                if let Some(gid) = &m.order_group_id {
                    let key = (m.account.clone(), m.sub, gid.clone());
                    let group = self
                        .accounts
                        .get(&m.account)
                        .and_then(|a| a.find_subaccount(m.sub))
                        .and_then(|s| s.order_groups.get(gid));
                    if let Some(g) = group {
                        let added = group_added
                            .iter()
                            .find(|(k, _)| *k == key)
                            .map_or(Count::ZERO, |(_, c)| *c);
                        if g.triggered || g.rolling_volume(now_ms).saturating_add(added) > g.limit {
                            continue;
                        }
                        match group_added.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, c)) => *c = c.saturating_add(n),
                            None => group_added.push((key, n)),
                        }
                    }
                }
                total = total.saturating_add(n);
                if total >= t.remaining {
                    return total;
                }
            }
        }
        total
    }

    /// Matches a working taker against the book. Returns what filled and whether self-trade
    /// prevention (`taker_at_cross`) stopped it.
    fn match_taker(&mut self, taker_id: &str, now_ms: u64) -> (Execution, bool) {
        let mut exec = Execution::default();
        while let Some(t) = self.orders.get(taker_id) {
            if t.status != Status::Resting || t.remaining.is_zero() {
                break;
            }
            let (bid, limit, stp, remaining) = (t.side.is_bid(), t.price.get(), t.stp, t.remaining);
            let (account, sub) = (t.account.clone(), t.sub);
            let Some(market) = self.markets.get_mut(&t.ticker) else {
                break;
            };
            let Some(level_price) = market.best_crossing(bid, limit) else {
                break;
            };
            let front = market
                .side_mut(!bid)
                .get(&level_price)
                .and_then(|l| l.front().cloned());
            let Some(maker_id) = front else {
                market.side_mut(!bid).remove(&level_price);
                continue;
            };
            let maker = self
                .orders
                .get(&maker_id)
                .filter(|m| m.status == Status::Resting && !m.remaining.is_zero());
            let Some(maker) = maker else {
                // A stale entry (never expected): drop it rather than loop.
                market.remove(!bid, level_price, &maker_id);
                continue;
            };
            if maker.account == account && (!self.stp_per_subaccount || maker.sub == sub) {
                match stp {
                    Stp::TakerAtCross => return (exec, true),
                    Stp::Maker => {
                        self.cancel_working(&maker_id, now_ms);
                        continue;
                    }
                }
            }
            let n = remaining.min(maker.remaining);
            let Some(price) = Price::new(level_price) else {
                market.remove(!bid, level_price, &maker_id);
                continue;
            };
            self.trade(taker_id, &maker_id, price, n, now_ms);
            exec.filled = exec.filled.saturating_add(n);
            exec.notional = exec.notional.saturating_add(price.cost(n));
        }
        (exec, false)
    }

    /// One trade of `n` contracts at `price` between a taker and a resting maker.
    pub(crate) fn trade(
        &mut self,
        taker_id: &str,
        maker_id: &str,
        price: Price,
        n: Count,
        now_ms: u64,
    ) {
        self.apply_fill(taker_id, price, n, true, now_ms);
        self.apply_fill(maker_id, price, n, false, now_ms);
        if let Some(t) = self.orders.get(taker_id) {
            let (ticker, taker_side) = (t.ticker.clone(), t.side);
            let trade_id = self.new_id();
            let seq = self.next_seq();
            let open_interest = self.open_interest(&ticker);
            self.trades.push(Trade {
                id: trade_id,
                ticker,
                count: n,
                price,
                taker_side,
                ts_ms: now_ms,
                seq,
                open_interest,
                is_block_trade: false,
            });
        }
        if let Some(m) = self.orders.get(maker_id) {
            if m.remaining.is_zero() {
                let (bid, p) = (m.side.is_bid(), m.price.get());
                if let Some(market) = self.markets.get_mut(&m.ticker) {
                    market.remove(bid, p, maker_id);
                }
            }
        }
        for id in [maker_id, taker_id] {
            self.record_group_fill(id, n, now_ms);
        }
    }

    /// Adds a fill to the order's group (if any); cancels the group's working orders when
    /// the group is triggered afterwards.
    fn record_group_fill(&mut self, order_id: &str, n: Count, now_ms: u64) {
        let Some(o) = self.orders.get(order_id) else {
            return;
        };
        let Some(gid) = o.order_group_id.clone() else {
            return;
        };
        let (account, sub) = (o.account.clone(), o.sub);
        let (was, triggered) = self
            .accounts
            .get_mut(&account)
            .and_then(|a| a.find_subaccount_mut(sub))
            .and_then(|s| s.order_groups.get_mut(&gid))
            .map_or((false, false), |g| (g.triggered, g.record_fill(now_ms, n)));
        if triggered {
            if !was {
                self.note_group(&account, &gid, "triggered", None, now_ms);
            }
            self.cancel_group_orders(&account, sub, &gid, now_ms);
        }
    }

    /// Books one side of a trade: the order's counts and costs, the subaccount's cash and
    /// reservation, its position, and a fill record.
    fn apply_fill(&mut self, order_id: &str, price: Price, n: Count, is_taker: bool, now_ms: u64) {
        let fill_id = self.new_id();
        let seq = self.next_seq();
        self.touch_order(order_id);
        let Some(o) = self.orders.get_mut(order_id) else {
            return;
        };
        let cost = o.side.cost(price, n);
        let release = o.side.cost(o.price, n).min(o.reserved);
        o.reserved -= release;
        o.filled = o.filled.saturating_add(n);
        o.remaining = o.remaining.saturating_sub(n);
        if is_taker {
            o.taker_cost = o.taker_cost.saturating_add(cost);
        } else {
            o.maker_cost = o.maker_cost.saturating_add(cost);
        }
        o.updated_ms = now_ms;
        if o.remaining.is_zero() {
            o.status = Status::Executed;
            // Anything left reserved (price improvement on a taker) goes back too.
            let rest = std::mem::take(&mut o.reserved);
            if let Some(at) = o.expiration_ms {
                self.expiring.remove(&(at, order_id.to_owned()));
            }
            let o = &self.orders[order_id];
            let (account, sub) = (o.account.clone(), o.sub);
            let s = self.account_mut(&account).subaccount_mut(sub);
            s.reserved = s.reserved.saturating_sub(rest);
        }
        let o = &self.orders[order_id];
        let fill = Fill {
            id: fill_id,
            order_id: order_id.to_owned(),
            account: o.account.clone(),
            sub: o.sub,
            ticker: o.ticker.clone(),
            exchange_index: o.exchange_index,
            side: o.side,
            price,
            count: n,
            is_taker,
            fee: 0,
            ts_ms: now_ms,
            seq,
        };
        let netting = self.ledger.netting(&fill.account, fill.sub);
        let s = self.account_mut(&fill.account).subaccount_mut(fill.sub);
        s.reserved = s.reserved.saturating_sub(release);
        s.cash = s.cash.saturating_sub(cost);
        s.balance_updated_ms = now_ms;
        let position = s.positions.entry(fill.ticker.clone()).or_default();
        position.add_gross(fill.side, cost, n, fill.exchange_index, now_ms);
        let payout = if netting { position.net_pairs() } else { 0 };
        s.cash = s.cash.saturating_add(payout);
        self.fills.push(fill);
    }

    /// Cancels a working order: off the book, reservation released, remaining to zero.
    /// Returns the contracts canceled (zero if the order was not working).
    pub(crate) fn cancel_working(&mut self, order_id: &str, now_ms: u64) -> Count {
        let Some(o) = self.orders.get_mut(order_id) else {
            return Count::ZERO;
        };
        if o.status != Status::Resting {
            return Count::ZERO;
        }
        self.touch_order(order_id);
        let Some(o) = self.orders.get_mut(order_id) else {
            return Count::ZERO;
        };
        let reduced = std::mem::take(&mut o.remaining);
        let release = std::mem::take(&mut o.reserved);
        o.status = Status::Canceled;
        o.updated_ms = now_ms;
        let (bid, price, exp) = (o.side.is_bid(), o.price.get(), o.expiration_ms);
        let (account, sub, ticker) = (o.account.clone(), o.sub, o.ticker.clone());
        if let Some(m) = self.markets.get_mut(&ticker) {
            m.remove(bid, price, order_id);
        }
        if let Some(at) = exp {
            self.expiring.remove(&(at, order_id.to_owned()));
        }
        let s = self.account_mut(&account).subaccount_mut(sub);
        s.reserved = s.reserved.saturating_sub(release);
        s.balance_updated_ms = now_ms;
        reduced
    }

    /// Cancels every resting order of `account`, of subaccount `sub` only when given, on every
    /// market and shard, each exactly like a single cancel (its reserved cash released).
    /// Returns how many were canceled.
    pub(crate) fn cancel_all_orders(
        &mut self,
        account: &str,
        sub: Option<SubaccountId>,
        now_ms: u64,
    ) -> usize {
        let ids: Vec<String> = self
            .orders
            .values()
            .filter(|o| o.account == account && o.status == Status::Resting)
            .filter(|o| sub.is_none_or(|s| s == o.sub))
            .map(|o| o.id.clone())
            .collect();
        for id in &ids {
            self.cancel_working(id, now_ms);
        }
        ids.len()
    }

    /// Cancels every working order of a group (a fill-or-kill taker being matched excepted).
    pub(crate) fn cancel_group_orders(
        &mut self,
        account: &str,
        sub: SubaccountId,
        group_id: &str,
        now_ms: u64,
    ) {
        let ids: Vec<String> = self
            .accounts
            .get(account)
            .and_then(|a| a.find_subaccount(sub))
            .and_then(|s| s.order_groups.get(group_id))
            .map(|g| g.orders.clone())
            .unwrap_or_default();
        for id in ids {
            let working = self
                .orders
                .get(&id)
                .is_some_and(|o| o.status == Status::Resting && o.tif != TimeInForce::FillOrKill);
            if working {
                self.cancel_working(&id, now_ms);
            }
        }
    }

    /// Cancels an order on request. Returns (client order id, contracts canceled); an order
    /// that is no longer working cancels nothing.
    pub(crate) fn cancel_order(
        &mut self,
        account: &str,
        order_id: &str,
        sub: SubaccountId,
        now_ms: u64,
    ) -> Result<(Option<String>, Count), ApiError> {
        let o = self.owned_order(account, order_id, Some(sub))?;
        let coid = o.client_order_id.clone();
        self.check_tradable(&o.ticker, false, now_ms)?;
        Ok((coid, self.cancel_working(order_id, now_ms)))
    }

    /// Decreases a working order to `reduce_to`, or by `reduce_by`. Returns (client order
    /// id, remaining); an order that is no longer working has nothing to decrease.
    pub(crate) fn decrease_order(
        &mut self,
        account: &str,
        order_id: &str,
        sub: SubaccountId,
        reduce_by: Option<Count>,
        reduce_to: Option<Count>,
        now_ms: u64,
    ) -> Result<(Option<String>, Count), ApiError> {
        let o = self.owned_order(account, order_id, Some(sub))?;
        let coid = o.client_order_id.clone();
        self.check_tradable(&o.ticker, false, now_ms)?;
        if o.status != Status::Resting {
            return Ok((coid, Count::ZERO));
        }
        let target = match (reduce_by, reduce_to) {
            (Some(by), None) => o.remaining.saturating_sub(by),
            (None, Some(to)) => to.min(o.remaining),
            _ => {
                return Err(ApiError::invalid_parameters(
                    "give exactly one of `reduce_by` and `reduce_to`",
                ));
            }
        };
        if target.is_zero() {
            self.cancel_working(order_id, now_ms);
            return Ok((coid, Count::ZERO));
        }
        self.touch_order(order_id);
        let Some(o) = self.orders.get_mut(order_id) else {
            return Err(order_not_found(order_id, "in this account"));
        };
        let keep = o.side.cost(o.price, target);
        let release = o.reserved.saturating_sub(keep);
        o.reserved = keep;
        o.remaining = target;
        o.updated_ms = now_ms;
        let (account, sub) = (o.account.clone(), o.sub);
        let s = self.account_mut(&account).subaccount_mut(sub);
        s.reserved = s.reserved.saturating_sub(release);
        s.balance_updated_ms = now_ms;
        Ok((coid, target))
    }

    /// Amends a working order's price and/or total count. A new price or a larger size loses
    /// time priority (and may trade at once); a smaller size at the same price keeps it.
    pub(crate) fn amend_order(
        &mut self,
        account: &str,
        order_id: &str,
        sub: SubaccountId,
        req: Amend,
        now_ms: u64,
    ) -> Result<Amended, ApiError> {
        let o = self.owned_order(account, order_id, Some(sub))?.clone();
        if req.ticker != o.ticker {
            return Err(ApiError::invalid_parameters(format!(
                "order `{order_id}` is on market `{}`, not `{}`",
                o.ticker, req.ticker
            )));
        }
        if req.side != o.side {
            return Err(ApiError::invalid_parameters(format!(
                "order `{order_id}` is a {}, not a {}",
                o.side.as_str(),
                req.side.as_str()
            )));
        }
        if let Some(c) = &req.client_order_id {
            if o.client_order_id.as_deref() != Some(c.as_str()) {
                return Err(ApiError::invalid_parameters(format!(
                    "`client_order_id` `{c}` is not the order's client order id"
                )));
            }
        }
        let market = self
            .markets
            .get(&o.ticker)
            .ok_or_else(|| market_not_found(&o.ticker))?;
        resolve_shard(req.exchange_index, market, self.exchange_shards)?;
        check_tick(market, req.price)?;
        check_count(market, req.count, "count")?;
        self.check_tradable(&o.ticker, true, now_ms)?;
        if o.status != Status::Resting {
            return Err(bad_request(
                "order_not_resting",
                "order is not resting",
                format!("order `{order_id}` is {}", o.status.as_str()),
            ));
        }
        if req.count <= o.filled {
            return Err(ApiError::invalid_parameters(format!(
                "`count` \"{}\" must be more than the {} contracts already filled",
                req.count, o.filled
            )));
        }
        let new_remaining = req.count.saturating_sub(o.filled);
        let updated_coid = req
            .updated_client_order_id
            .filter(|u| o.client_order_id.as_deref() != Some(u.as_str()));
        if let Some(u) = &updated_coid {
            if let Some(existing) = self
                .accounts
                .get(account)
                .and_then(|a| a.client_order_ids.get(u))
            {
                return Err(duplicate_client_order_id(u, existing));
            }
        }
        let repriced = req.price != o.price;
        if o.post_only && repriced {
            if let Some(p) = market.best_crossing(o.side.is_bid(), req.price.get()) {
                return Err(bad_request(
                    "post_only_cross",
                    "post-only order would cross",
                    format!(
                        "amending to {} would trade at 0.{p:04}",
                        req.price.to_dollars()
                    ),
                ));
            }
        }
        let new_reserve = o.side.cost(req.price, new_remaining);
        let delta = new_reserve.saturating_sub(o.reserved);
        {
            let s = self.account_mut(account).subaccount_mut(sub);
            if delta > s.available() {
                return Err(insufficient_balance(delta, s.available()));
            }
            s.reserved = s.reserved.saturating_add(delta);
            s.balance_updated_ms = now_ms;
        }
        let loses_priority = repriced || new_remaining > o.remaining;
        if let Some(u) = &updated_coid {
            self.account_mut(account)
                .client_order_ids
                .insert(u.clone(), order_id.to_owned());
        }
        if loses_priority {
            if let Some(m) = self.markets.get_mut(&o.ticker) {
                m.remove(o.side.is_bid(), o.price.get(), order_id);
            }
        }
        self.touch_order(order_id);
        if let Some(w) = self.orders.get_mut(order_id) {
            w.price = req.price;
            w.remaining = new_remaining;
            w.reserved = new_reserve;
            w.updated_ms = now_ms;
            if updated_coid.is_some() {
                w.client_order_id = updated_coid.clone();
            }
        }
        let mut exec = Execution::default();
        if loses_priority {
            if let Some(at) = o.expiration_ms {
                // Re-inserted by `settle_taker` if it rests again.
                self.expiring.remove(&(at, order_id.to_owned()));
            }
            let stopped;
            (exec, stopped) = self.match_taker(order_id, now_ms);
            self.settle_taker(order_id, stopped, now_ms);
        }
        let w = &self.orders[order_id];
        Ok(Amended {
            order_id: order_id.to_owned(),
            client_order_id: w.client_order_id.clone(),
            exec,
            remaining: w.remaining,
        })
    }

    /// A fresh order id no order uses.
    fn fresh_order_id(&mut self) -> String {
        loop {
            let id = self.new_id();
            if !self.orders.contains_key(&id) {
                return id;
            }
        }
    }
}

/// 409 for a client order id the account already used.
fn duplicate_client_order_id(coid: &str, existing: &str) -> ApiError {
    let shown: String = coid.chars().take(100).collect();
    ApiError::new(
        http::StatusCode::CONFLICT,
        "duplicate_client_order_id",
        "duplicate client order id",
        format!("client order id `{shown}` is already used by order `{existing}`"),
    )
}
