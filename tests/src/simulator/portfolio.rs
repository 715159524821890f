//! Portfolio reads: balance, positions and fills, and the position bookkeeping fills drive.
//!
//! - Trading cash lives on shard 0 whatever the market's shard; cash on shards 1 and up is
//!   only moved by transfers (see the `subaccounts` module). `balance_breakdown` lists shard 0
//!   and every shard the subaccount holds cash on; `exchange_index=N` with N ≥ 1 reports the
//!   cash on shard N (zero if none).
//! - `portfolio_value` is the cost basis of the open positions (`market_exposure_dollars`
//!   summed), in cents.
//! - `GET /portfolio/positions` lists every market the subaccount traded, by ticker, with a
//!   cursor; `event_positions` aggregates the events of the markets on the page.
//! - `GET /portfolio/fills` and `GET /portfolio/orders` list newest first.

use std::collections::BTreeMap;

use http::Method;
use serde_json::{Value, json};

use super::clock::rfc3339_ms;
use super::engine::{Fill, Side};
use super::errors::ApiError;
use super::fixed_point::{Count, cents, dollars, signed_count_fp};
use super::markets::event_of;
use super::request::{RequestCtx, seq_cursor};
use super::router::{Reply, Route};
use super::state::{Exchange, SubaccountId};

/// Micro-dollars a settled YES+NO pair of one hundredth of a contract pays.
const PAIR_PAYOUT: i64 = 10_000;

/// The portfolio routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/portfolio/balance", balance),
        Route::new(Method::GET, "/portfolio/positions", positions),
        Route::new(Method::GET, "/portfolio/fills", fills),
    ]
}

/// A subaccount's holdings in one market.
#[derive(Debug, Clone, Default)]
pub(crate) struct Position {
    /// YES contracts held.
    pub(crate) yes: Count,
    /// Cost basis of the YES contracts, micro-dollars.
    pub(crate) yes_cost: i64,
    /// NO contracts held.
    pub(crate) no: Count,
    /// Cost basis of the NO contracts, micro-dollars.
    pub(crate) no_cost: i64,
    /// Everything paid for fills in this market, micro-dollars.
    pub(crate) traded_cost: i64,
    /// Every contract filled in this market.
    pub(crate) traded: Count,
    /// Realized profit and loss, micro-dollars.
    pub(crate) realized: i64,
    /// Fees paid, micro-dollars.
    pub(crate) fees: i64,
    /// Exchange time of the last change.
    pub(crate) updated_ms: u64,
    /// The market's shard.
    pub(crate) exchange_index: u32,
}

impl Position {
    /// Adds a fill of `n` contracts that cost `cost`; settles YES+NO pairs at $1 each and
    /// returns the cash they pay out (micro-dollars).
    #[cfg(test)]
    pub(crate) fn add(&mut self, side: Side, cost: i64, n: Count, shard: u32, now_ms: u64) -> i64 {
        self.add_gross(side, cost, n, shard, now_ms);
        self.net_pairs()
    }

    /// Adds a fill of `n` contracts that cost `cost` without netting: YES and NO are both kept
    /// (a subaccount whose netting is off).
    pub(crate) fn add_gross(&mut self, side: Side, cost: i64, n: Count, shard: u32, now_ms: u64) {
        match side {
            Side::Bid => {
                self.yes = self.yes.saturating_add(n);
                self.yes_cost = self.yes_cost.saturating_add(cost);
            }
            Side::Ask => {
                self.no = self.no.saturating_add(n);
                self.no_cost = self.no_cost.saturating_add(cost);
            }
        }
        self.traded_cost = self.traded_cost.saturating_add(cost);
        self.traded = self.traded.saturating_add(n);
        self.updated_ms = now_ms;
        self.exchange_index = shard;
    }

    /// Settles every YES+NO pair held at $1 each; returns the cash they pay out
    /// (micro-dollars).
    pub(crate) fn net_pairs(&mut self) -> i64 {
        let pairs = self.yes.min(self.no);
        if pairs.is_zero() {
            return 0;
        }
        let yes_part = prorate(self.yes_cost, pairs, self.yes);
        let no_part = prorate(self.no_cost, pairs, self.no);
        self.yes = self.yes.saturating_sub(pairs);
        self.no = self.no.saturating_sub(pairs);
        self.yes_cost -= yes_part;
        self.no_cost -= no_part;
        let payout = pairs.signed().saturating_mul(PAIR_PAYOUT);
        self.realized = self.realized.saturating_add(payout - yes_part - no_part);
        payout
    }

    /// YES minus NO, in hundredths.
    pub(crate) fn net(&self) -> i64 {
        self.yes.signed() - self.no.signed()
    }

    /// Cost basis of what is held, micro-dollars.
    pub(crate) fn exposure(&self) -> i64 {
        self.yes_cost.saturating_add(self.no_cost)
    }
}

/// `cost * part / whole`, rounded down (the remainder stays with what is still held).
pub(crate) fn prorate(cost: i64, part: Count, whole: Count) -> i64 {
    if whole.is_zero() {
        return 0;
    }
    let v = i128::from(cost) * i128::from(part.signed()) / i128::from(whole.signed());
    i64::try_from(v).unwrap_or(cost)
}

/// The `exchange_index` filter of a read, validated.
pub(crate) fn shard_filter(ctx: &RequestCtx, ex: &Exchange) -> Result<Option<u32>, ApiError> {
    ctx.query
        .int("exchange_index")?
        .map(|v| ex.exchange_index(i128::from(v), "exchange_index"))
        .transpose()
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// `GET /portfolio/balance`
fn balance(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = ctx.query_subaccount()?.unwrap_or(SubaccountId::PRIMARY);
    let shard = shard_filter(ctx, ex)?;
    let state = ex
        .account(&ctx.account)
        .and_then(|a| a.find_subaccount(sub));
    let (available, updated_ms) = match state {
        Some(s) => (s.available(), s.balance_updated_ms),
        None => (
            ex.account(&ctx.account)
                .map_or(ex.starting_cash, |a| a.starting_cash()),
            0,
        ),
    };
    let exposure: i64 = state
        .into_iter()
        .flat_map(|s| s.positions.values())
        .filter(|p| shard.is_none_or(|k| k == p.exchange_index))
        .map(Position::exposure)
        .sum();
    let on_shards: Vec<(u32, i64)> = ex
        .ledger
        .shard_cash
        .range((ctx.account.clone(), sub, 1)..=(ctx.account.clone(), sub, u32::MAX))
        .map(|((_, _, k), c)| (*k, c.cash))
        .collect();
    let balance = match shard {
        None | Some(0) => available,
        Some(k) => on_shards
            .iter()
            .find(|(i, _)| *i == k)
            .map_or(0, |(_, c)| *c),
    };
    let mut breakdown = vec![json!({"exchange_index": 0, "balance": dollars(available)})];
    breakdown.extend(
        on_shards
            .iter()
            .map(|(k, c)| json!({"exchange_index": k, "balance": dollars(*c)})),
    );
    let updated_ms = if updated_ms == 0 {
        ctx.now_ms
    } else {
        updated_ms
    };
    Ok(Reply::ok(json!({
        "balance": cents(balance),
        "balance_dollars": dollars(balance),
        "portfolio_value": cents(exposure),
        "updated_ts": updated_ms / 1000,
        "balance_breakdown": breakdown,
    })))
}

fn position_json(ticker: &str, p: &Position) -> Value {
    json!({
        "ticker": ticker,
        "exchange_index": p.exchange_index,
        "total_traded_dollars": dollars(p.traded_cost),
        "position_fp": signed_count_fp(p.net()),
        "market_exposure_dollars": dollars(p.exposure()),
        "realized_pnl_dollars": dollars(p.realized),
        "fees_paid_dollars": dollars(p.fees),
        "last_updated_ts": rfc3339_ms(p.updated_ms),
    })
}

/// `GET /portfolio/positions`
pub(crate) fn positions(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = ctx.query_subaccount()?.unwrap_or(SubaccountId::PRIMARY);
    let shard = shard_filter(ctx, ex)?;
    let ticker = ctx.query_str("ticker")?;
    let event = ctx.query_str("event_ticker")?;
    let (need_position, need_traded) = match ctx.query_str("count_filter")? {
        None => (false, false),
        Some(list) => {
            let mut flags = (false, false);
            for f in list.split(',').map(str::trim) {
                match f {
                    "position" => flags.0 = true,
                    "total_traded" => flags.1 = true,
                    other => {
                        let shown: String = other.chars().take(40).collect();
                        return Err(ApiError::invalid_parameters(format!(
                            "`count_filter` accepts position and total_traded, got `{shown}`"
                        )));
                    }
                }
            }
            flags
        }
    };
    positions_page(ctx, ex, sub, |t, p| {
        // Settled positions archived before the historical cutoff move to
        // `/historical/positions`.
        !ex.position_archived(t)
            && ticker.is_none_or(|x| x == t)
            && event.is_none_or(|e| e == event_of(t))
            && shard.is_none_or(|k| k == p.exchange_index)
            && ((!need_position && !need_traded)
                || (need_position && p.net() != 0)
                || (need_traded && p.traded_cost != 0))
    })
}

/// One page of the positions of `ctx`'s account in the subaccount `sub` that `keep`
/// (ticker, position) accepts, by ticker (`limit` and `cursor` from the query), as
/// `GET /portfolio/positions` and `GET /historical/positions` answer.
pub(crate) fn positions_page(
    ctx: &RequestCtx,
    ex: &Exchange,
    sub: SubaccountId,
    keep: impl Fn(&str, &Position) -> bool,
) -> Result<Reply, ApiError> {
    let limit = ctx.page_limit()?;
    let after = match ctx.query_str("cursor")? {
        None => None,
        Some(c) => Some(decode_ticker_cursor(c)?),
    };
    let empty = BTreeMap::new();
    let all = ex
        .account(&ctx.account)
        .and_then(|a| a.find_subaccount(sub))
        .map_or(&empty, |s| &s.positions);
    let mut matching = all
        .iter()
        .filter(|(t, _)| after.as_deref().is_none_or(|a| t.as_str() > a))
        .filter(|(t, p)| keep(t, p));
    let page: Vec<(&String, &Position)> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some((t, _))) => encode_ticker_cursor(t),
        _ => String::new(),
    };
    let mut events: BTreeMap<&str, [i64; 5]> = BTreeMap::new();
    for (t, p) in &page {
        let e = events.entry(event_of(t)).or_default();
        e[0] = e[0].saturating_add(p.traded_cost);
        e[1] = e[1].saturating_add(p.traded.signed());
        e[2] = e[2].saturating_add(p.exposure());
        e[3] = e[3].saturating_add(p.realized);
        e[4] = e[4].saturating_add(p.fees);
    }
    let market_positions: Vec<Value> = page.iter().map(|(t, p)| position_json(t, p)).collect();
    let event_positions: Vec<Value> = events
        .iter()
        .map(|(e, v)| {
            json!({
                "event_ticker": e,
                "total_cost_dollars": dollars(v[0]),
                "total_cost_shares_fp": signed_count_fp(v[1]),
                "event_exposure_dollars": dollars(v[2]),
                "realized_pnl_dollars": dollars(v[3]),
                "fees_paid_dollars": dollars(v[4]),
            })
        })
        .collect();
    Ok(Reply::ok(json!({
        "market_positions": market_positions,
        "event_positions": event_positions,
        "cursor": cursor,
    })))
}

fn encode_ticker_cursor(ticker: &str) -> String {
    let hex: String = ticker.bytes().map(|b| format!("{b:02x}")).collect();
    format!("p{hex}")
}

fn decode_ticker_cursor(c: &str) -> Result<String, ApiError> {
    let bad = || {
        let shown: String = c.chars().take(40).collect();
        ApiError::invalid_parameters(format!(
            "`cursor` `{shown}` is not a cursor this list returned"
        ))
    };
    let hex = c.strip_prefix('p').ok_or_else(bad)?;
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    String::from_utf8(bytes).map_err(|_| bad())
}

/// A fill as the API shows it.
pub(crate) fn fill_json(f: &Fill) -> Value {
    json!({
        "fill_id": f.id,
        "trade_id": f.id,
        "order_id": f.order_id,
        "ticker": f.ticker,
        "market_ticker": f.ticker,
        "exchange_index": f.exchange_index,
        "outcome_side": f.side.outcome(),
        "book_side": f.side.as_str(),
        "side": "yes",
        "action": f.side.action(),
        "count_fp": f.count.to_fp(),
        "yes_price_dollars": f.price.to_dollars(),
        "no_price_dollars": f.price.complement().to_dollars(),
        "is_taker": f.is_taker,
        "created_time": rfc3339_ms(f.ts_ms),
        "fee_cost": dollars(f.fee),
        "subaccount_number": f.sub.get(),
        "ts": f.ts_ms / 1000,
    })
}

/// `GET /portfolio/fills`
fn fills(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let sub = ctx.query_subaccount()?;
    let shard = shard_filter(ctx, ex)?;
    let limit = ctx.page_limit()?;
    let before = ctx.seq_cursor('f')?;
    let ticker = ctx.query_str("ticker")?;
    let order_id = ctx.query_str("order_id")?;
    let min_ts = ctx.query.int("min_ts")?;
    let max_ts = ctx.query.int("max_ts")?;
    let mut matching = ex
        .fills
        .iter()
        .rev()
        .filter(|f| f.account == ctx.account)
        .filter(|f| before.is_none_or(|b| f.seq < b))
        // Fills before the historical cutoff move to `/historical/fills`.
        .filter(|f| !ex.trade_archived(f.ts_ms))
        .filter(|f| sub.is_none_or(|s| s == f.sub))
        .filter(|f| shard.is_none_or(|k| k == f.exchange_index))
        .filter(|f| ticker.is_none_or(|t| t == f.ticker))
        .filter(|f| order_id.is_none_or(|o| o == f.order_id))
        .filter(|f| in_ts_range(f.ts_ms, min_ts, max_ts));
    let page: Vec<&Fill> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some(f)) => seq_cursor('f', f.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = page.iter().map(|f| fill_json(f)).collect();
    Ok(Reply::ok(json!({"fills": items, "cursor": cursor})))
}

/// Whether `ms` is within `[min_ts, max_ts]` (Unix seconds, either bound optional).
pub(crate) fn in_ts_range(ms: u64, min_ts: Option<i64>, max_ts: Option<i64>) -> bool {
    let s = i64::try_from(ms / 1000).unwrap_or(i64::MAX);
    min_ts.is_none_or(|m| s >= m) && max_ts.is_none_or(|m| s <= m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(h: u64) -> Count {
        Count::from_hundredths(h)
    }

    #[test]
    fn pairs_settle_at_a_dollar() {
        let mut p = Position::default();
        // 10 YES at 0.40 (4.00), then 4 NO at 0.50 (2.00): 4 pairs pay 4.00.
        assert_eq!(p.add(Side::Bid, 4_000_000, c(1000), 0, 1), 0);
        assert_eq!(p.net(), 1000);
        let payout = p.add(Side::Ask, 2_000_000, c(400), 0, 2);
        assert_eq!(payout, 4_000_000);
        assert_eq!(p.net(), 600);
        assert_eq!(p.yes_cost, 2_400_000);
        assert_eq!(p.no_cost, 0);
        // Paid 1.60 for the 4 YES and 2.00 for the 4 NO, got 4.00: +0.40.
        assert_eq!(p.realized, 400_000);
        assert_eq!(p.traded_cost, 6_000_000);
        assert_eq!(p.traded, c(1400));
        // Flip to short: 10 NO at 0.30.
        p.add(Side::Ask, 3_000_000, c(1000), 0, 3);
        assert_eq!(p.net(), -400);
        assert_eq!(p.exposure(), 1_200_000);
    }

    #[test]
    fn ticker_cursors_round_trip() {
        let c = encode_ticker_cursor("KX-1€");
        assert_eq!(decode_ticker_cursor(&c).unwrap(), "KX-1€");
        for bad in ["", "p0", "pzz", "x00", "pff", "p€"] {
            assert!(decode_ticker_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ts_ranges() {
        assert!(in_ts_range(5_000, None, None));
        assert!(in_ts_range(5_999, Some(5), Some(5)));
        assert!(!in_ts_range(4_999, Some(5), None));
        assert!(!in_ts_range(6_000, None, Some(5)));
    }
}
