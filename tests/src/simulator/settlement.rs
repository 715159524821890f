//! Market settlement ([`Simulator::settle_market`](super::Simulator::settle_market)), the
//! settlements list, and the historical cutoff timestamps.
//!
//! Settling a market with a [`SettlementResult`]:
//!
//! 1. cancels every resting order in the market (their reservations go back to the cash);
//! 2. closes every position in it: each YES contract pays the result's YES value (`$1` for
//!    `yes`, `$0` for `no`, the scalar value), each NO contract the rest (`$1` minus it),
//!    credited to the holding subaccount's (shard 0) cash. The payout is rounded down to whole
//!    cents (only a scalar result on fractional contracts has a sub-cent remainder); the
//!    remainder is the settlement's `fee_cost`, as the Market Settlement guide describes
//!    ("the actual payout is rounded to whole cents"). Realized P&L moves by the payout minus
//!    the cost basis;
//! 3. records one settlement per (account, subaccount, market) that held contracts, at the
//!    exchange time, for `GET /portfolio/settlements`;
//! 4. refuses every later order in the market (400 `market_closed`).
//!
//! No money is created: the cash credited is exactly the revenue of the settlements.

use http::Method;
use serde_json::{Value, json};

use super::clock::rfc3339_ms;
use super::engine::Status;
use super::errors::ApiError;
use super::fixed_point::{Count, dollars};
use super::markets::event_of;
use super::portfolio::in_ts_range;
use super::request::{RequestCtx, seq_cursor};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};

/// The settlement and historical routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/portfolio/settlements", settlements),
        Route::new(Method::GET, "/historical/cutoff", historical_cutoff),
    ]
}

/// How a market settles ([`Simulator::settle_market`](super::Simulator::settle_market)).
///
/// ```
/// use kalshi_simulator::SettlementResult;
/// assert_eq!(SettlementResult::Yes.yes_payout_cents(), 100);
/// assert_eq!(SettlementResult::Scalar(37).yes_payout_cents(), 37);
/// assert_eq!(SettlementResult::No.name(), "no");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettlementResult {
    /// The market resolved YES: each YES contract pays $1, each NO contract nothing.
    Yes,
    /// The market resolved NO: each NO contract pays $1, each YES contract nothing.
    No,
    /// A scalar settlement: each YES contract pays this many cents (0 to 100), each NO
    /// contract the rest of the dollar.
    Scalar(u8),
}

impl SettlementResult {
    /// The API's `market_result`: `yes`, `no` or `scalar`.
    pub fn name(self) -> &'static str {
        match self {
            SettlementResult::Yes => "yes",
            SettlementResult::No => "no",
            SettlementResult::Scalar(_) => "scalar",
        }
    }

    /// What one YES contract pays, in cents (the settlement's `value`).
    pub fn yes_payout_cents(self) -> u8 {
        match self {
            SettlementResult::Yes => 100,
            SettlementResult::No => 0,
            SettlementResult::Scalar(v) => v,
        }
    }
}

/// The boundary between live and historical data that `GET /historical/cutoff` answers
/// ([`Simulator::set_historical_cutoff`](super::Simulator::set_historical_cutoff)), each in
/// milliseconds since the Unix epoch. The default is the epoch for all four: nothing is
/// historical. Records before a cutoff move from the live endpoints to `GET /historical/...`
/// (see the crate's "Historical data semantics").
///
/// ```
/// use kalshi_simulator::HistoricalCutoff;
/// let c = HistoricalCutoff::at(1_700_000_000_000);
/// assert_eq!(c.orders_updated_ms, 1_700_000_000_000);
/// assert_eq!(HistoricalCutoff::default().market_settled_ms, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct HistoricalCutoff {
    /// `market_settled_ts`: markets settled before it are historical.
    pub market_settled_ms: u64,
    /// `trades_created_ts`: trades and fills before it are historical.
    pub trades_created_ms: u64,
    /// `orders_updated_ts`: orders canceled or executed before it are historical.
    pub orders_updated_ms: u64,
    /// `market_positions_last_updated_ts`: the positions of an event whose markets all
    /// settled before it are historical.
    pub market_positions_last_updated_ms: u64,
}

impl HistoricalCutoff {
    /// All four cutoffs at `ms`.
    pub fn at(ms: u64) -> Self {
        HistoricalCutoff {
            market_settled_ms: ms,
            trades_created_ms: ms,
            orders_updated_ms: ms,
            market_positions_last_updated_ms: ms,
        }
    }
}

/// A settled market.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SettledMarket {
    pub(crate) result: SettlementResult,
    pub(crate) settled_ms: u64,
}

/// One settlement: what one subaccount held in a market when it settled, and what it got.
#[derive(Debug, Clone)]
pub(crate) struct Settlement {
    pub(crate) seq: u64,
    pub(crate) account: String,
    pub(crate) sub: SubaccountId,
    pub(crate) ticker: String,
    pub(crate) exchange_index: u32,
    pub(crate) result: SettlementResult,
    pub(crate) yes: Count,
    pub(crate) yes_cost: i64,
    pub(crate) no: Count,
    pub(crate) no_cost: i64,
    /// Cents credited.
    pub(crate) revenue_cents: i64,
    /// The sub-cent remainder of the payout, micro-dollars.
    pub(crate) fee: i64,
    pub(crate) settled_ms: u64,
}

impl Settlement {
    fn json(&self) -> Value {
        json!({
            "ticker": self.ticker,
            "event_ticker": event_of(&self.ticker),
            "exchange_index": self.exchange_index,
            "market_result": self.result.name(),
            "yes_count_fp": self.yes.to_fp(),
            "yes_total_cost_dollars": dollars(self.yes_cost),
            "no_count_fp": self.no.to_fp(),
            "no_total_cost_dollars": dollars(self.no_cost),
            "revenue": self.revenue_cents,
            "settled_time": rfc3339_ms(self.settled_ms),
            "fee_cost": dollars(self.fee),
            "value": self.result.yes_payout_cents(),
        })
    }
}

impl Exchange {
    /// Settles a market (see the module documentation). Returns the cents paid out in all.
    pub(crate) fn settle_market(
        &mut self,
        ticker: &str,
        result: SettlementResult,
        now_ms: u64,
    ) -> Result<i64, String> {
        let shard = self
            .markets
            .get(ticker)
            .map(|m| m.cfg.exchange_index)
            .ok_or_else(|| format!("the simulator lists no market `{ticker}`"))?;
        if self.ledger.settled.contains_key(ticker) {
            return Err(format!("market `{ticker}` is already settled"));
        }
        if let SettlementResult::Scalar(v) = result {
            if v > 100 {
                return Err(format!("a scalar result pays 0 to 100 cents, got {v}"));
            }
        }
        let resting: Vec<String> = self
            .orders
            .values()
            .filter(|o| o.ticker == ticker && o.status == Status::Resting)
            .map(|o| o.id.clone())
            .collect();
        for id in resting {
            self.cancel_working(&id, now_ms);
        }
        // Micro-dollars a hundredth of a contract pays, per side.
        let yes_value = i64::from(result.yes_payout_cents()) * 100;
        let no_value = 10_000 - yes_value;
        let mut records = Vec::new();
        let mut accounts: Vec<&String> = self.accounts.keys().collect();
        accounts.sort();
        let accounts: Vec<String> = accounts.into_iter().cloned().collect();
        let mut total_cents = 0i64;
        for account in accounts {
            let Some(a) = self.accounts.get_mut(&account) else {
                continue;
            };
            let subs: Vec<SubaccountId> = a.subaccounts().map(|(id, _)| id).collect();
            for sid in subs {
                let s = a.subaccount_mut(sid);
                let Some(p) = s.positions.get_mut(ticker) else {
                    continue;
                };
                if p.yes.is_zero() && p.no.is_zero() {
                    continue;
                }
                let payout = p
                    .yes
                    .signed()
                    .saturating_mul(yes_value)
                    .saturating_add(p.no.signed().saturating_mul(no_value));
                let revenue_cents = payout.div_euclid(10_000);
                let credited = revenue_cents * 10_000;
                let record = Settlement {
                    seq: 0,
                    account: account.clone(),
                    sub: sid,
                    ticker: ticker.to_owned(),
                    exchange_index: shard,
                    result,
                    yes: p.yes,
                    yes_cost: p.yes_cost,
                    no: p.no,
                    no_cost: p.no_cost,
                    revenue_cents,
                    fee: payout - credited,
                    settled_ms: now_ms,
                };
                p.realized = p.realized.saturating_add(credited - p.yes_cost - p.no_cost);
                p.fees = p.fees.saturating_add(payout - credited);
                p.yes = Count::ZERO;
                p.no = Count::ZERO;
                p.yes_cost = 0;
                p.no_cost = 0;
                p.updated_ms = now_ms;
                s.cash = s.cash.saturating_add(credited);
                s.balance_updated_ms = now_ms;
                total_cents = total_cents.saturating_add(revenue_cents);
                records.push(record);
            }
        }
        for mut r in records {
            r.seq = self.next_seq();
            self.ledger.settlements.push(r);
        }
        self.ledger.settled.insert(
            ticker.to_owned(),
            SettledMarket {
                result,
                settled_ms: now_ms,
            },
        );
        Ok(total_cents)
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `GET /portfolio/settlements`
fn settlements(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = ctx.query_subaccount()?;
    let limit = ctx.page_limit()?;
    let before = ctx.seq_cursor('s')?;
    let ticker = ctx.query_str("ticker")?;
    let event = ctx.query_str("event_ticker")?;
    let min_ts = ctx.query.int("min_ts")?;
    let max_ts = ctx.query.int("max_ts")?;
    let mut matching = ex
        .ledger
        .settlements
        .iter()
        .rev()
        .filter(|s| s.account == ctx.account)
        .filter(|s| before.is_none_or(|b| s.seq < b))
        .filter(|s| sub.is_none_or(|x| x == s.sub))
        .filter(|s| ticker.is_none_or(|t| t == s.ticker))
        .filter(|s| event.is_none_or(|e| e == event_of(&s.ticker)))
        .filter(|s| in_ts_range(s.settled_ms, min_ts, max_ts));
    let page: Vec<&Settlement> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some(s)) => seq_cursor('s', s.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = page.iter().map(|s| s.json()).collect();
    Ok(Reply::ok(json!({"settlements": items, "cursor": cursor})))
}

/// `GET /historical/cutoff`
fn historical_cutoff(_ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let c = ex.ledger.historical_cutoff;
    Ok(Reply::ok(json!({
        "market_settled_ts": rfc3339_ms(c.market_settled_ms),
        "trades_created_ts": rfc3339_ms(c.trades_created_ms),
        "orders_updated_ts": rfc3339_ms(c.orders_updated_ms),
        "market_positions_last_updated_ts": rfc3339_ms(c.market_positions_last_updated_ms),
    })))
}
