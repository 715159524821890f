//! Market data from the engine: order books, trades and candlesticks.
//!
//! - Order books (`GET /markets/{ticker}/orderbook`, `GET /markets/orderbooks`) are the live
//!   books: `yes_dollars` are the bid levels, `no_dollars` the ask levels at `1 - price` (a
//!   YES ask at p is a NO bid at 1 - p), each level `[price, contracts]` as `"0.5600"` and
//!   `"10.00"`, sorted by price **ascending** (the best bid of each side is the last element),
//!   as Kalshi's "Orderbook Responses" guide shows. `depth` N keeps the N best levels of each
//!   side (0 or absent: every level).
//! - Trades: one per execution (a taker against one resting maker at the maker's price), with
//!   the taker's side; newest first, cursor `""` on the last page.
//! - Candlesticks aggregate the trades over the exchange clock: a period of P minutes ends at
//!   a multiple of P·60 seconds (`end_period_ts`) and holds the trades after the previous end
//!   up to and including its own. `price` has the open/high/low/close/mean (volume-weighted,
//!   rounded to the nearest micro-dollar) of the trade prices, `previous_dollars` the last
//!   trade price before the period, all `null` without trades; `min_dollars`/`max_dollars`
//!   are always `null`. `volume_fp` sums the counts; `open_interest_fp` is the YES contracts
//!   held at the period's end. `yes_bid`/`yes_ask` are the open/high/low/close of the best
//!   bid and best ask of the live book over the period (`"0.0000"` for no bid, `"1.0000"` for
//!   no ask). Every period from the one holding `start_ts` to the one holding
//!   `min(end_ts, now)` is returned, at most 10,000 candlesticks a request (a 400 above,
//!   except by event, where `adjusted_end_ts` is cut instead).

use http::Method;
use serde_json::{Value, json};

use super::catalog::{price_str, query_bool, trade_stats};
use super::clock::rfc3339_ms;
use super::engine::{Side, market_not_found};
use super::errors::ApiError;
use super::fixed_point::{Count, PRICE_SCALE, Price, dollars};
use super::markets::Market;
use super::portfolio::in_ts_range;
use super::request::{RequestCtx, seq_cursor};
use super::router::{Reply, Route};
use super::state::Exchange;

/// The most candlesticks one request returns.
pub(crate) const MAX_CANDLES: u64 = 10_000;

/// The market data routes, relative to the base path.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        // The two order book reads are signed on Kalshi (the others are public).
        Route::new(Method::GET, "/markets/{ticker}/orderbook", orderbook),
        Route::new(Method::GET, "/markets/orderbooks", orderbooks),
        Route::public(Method::GET, "/markets/trades", trades),
        Route::public(Method::GET, "/markets/candlesticks", batch_candlesticks),
        Route::public(
            Method::GET,
            "/series/{series_ticker}/markets/{ticker}/candlesticks",
            candlesticks,
        ),
        Route::public(
            Method::GET,
            "/series/{series_ticker}/events/{ticker}/candlesticks",
            event_candlesticks,
        ),
    ]
}

/// One execution: a taker against one resting maker.
#[derive(Debug, Clone)]
pub(crate) struct Trade {
    pub(crate) id: String,
    pub(crate) ticker: String,
    pub(crate) count: Count,
    /// The YES price (the maker's).
    pub(crate) price: Price,
    /// The taker's side.
    pub(crate) taker_side: Side,
    pub(crate) ts_ms: u64,
    /// Creation order across the exchange.
    pub(crate) seq: u64,
    /// YES contracts held in the market right after the trade.
    pub(crate) open_interest: Count,
    /// Matched off the book (an accepted block-trade proposal).
    pub(crate) is_block_trade: bool,
}

impl Exchange {
    /// YES contracts held in `ticker` over every subaccount (equal to the NO contracts held).
    pub(crate) fn open_interest(&self, ticker: &str) -> Count {
        self.accounts
            .values()
            .flat_map(|a| a.subaccounts())
            .filter_map(|(_, s)| s.positions.get(ticker))
            .fold(Count::ZERO, |acc, p| acc.saturating_add(p.yes))
    }
}

// ---------------------------------------------------------------------------------------------
// Order books

/// The `orderbook_fp` object of a market, `depth` best levels per side (0: all).
pub(crate) fn orderbook_fp(ex: &Exchange, m: &Market, depth: usize) -> Value {
    let level = |bid: bool, p: u32| -> (u32, Count) {
        let side = if bid { &m.bids } else { &m.asks };
        let n = side
            .get(&p)
            .into_iter()
            .flatten()
            .filter_map(|id| ex.orders.get(id))
            .fold(Count::ZERO, |a, o| a.saturating_add(o.remaining));
        (p, n)
    };
    let take = if depth == 0 { usize::MAX } else { depth };
    // Best first, then reversed to ascending price.
    let mut yes: Vec<(u32, Count)> = m
        .bids
        .keys()
        .rev()
        .take(take)
        .map(|p| level(true, *p))
        .collect();
    yes.reverse();
    let mut no: Vec<(u32, Count)> = m
        .asks
        .keys()
        .take(take)
        .map(|p| {
            let (p, n) = level(false, *p);
            (PRICE_SCALE - p, n)
        })
        .collect();
    no.reverse();
    let show = |levels: Vec<(u32, Count)>| -> Vec<Value> {
        levels
            .into_iter()
            .map(|(p, n)| json!([price_str(p), n.to_fp()]))
            .collect()
    };
    json!({"yes_dollars": show(yes), "no_dollars": show(no)})
}

/// `GET /markets/{ticker}/orderbook?depth`
fn orderbook(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("ticker")?;
    let depth = match ctx.query.int("depth")? {
        None => 0,
        Some(d) if d <= 0 => 0,
        Some(d @ 1..=100) => d as usize,
        Some(d) => {
            return Err(ApiError::invalid_parameters(format!(
                "`depth` must be between 0 and 100, got {d}"
            )));
        }
    };
    let m = ex
        .markets
        .get(ticker)
        .ok_or_else(|| market_not_found(ticker))?;
    Ok(Reply::ok(
        json!({"orderbook_fp": orderbook_fp(ex, m, depth)}),
    ))
}

/// `GET /markets/orderbooks?tickers=A&tickers=B` (also `tickers=A,B`): 1 to 100 tickers, each
/// listed; answered in the order asked.
fn orderbooks(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let tickers: Vec<&str> = ctx
        .query
        .all("tickers")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tickers.is_empty() || tickers.len() > 100 {
        return Err(ApiError::invalid_parameters(format!(
            "`tickers` must name 1 to 100 markets, got {}",
            tickers.len()
        )));
    }
    let mut books = Vec::new();
    for t in tickers {
        if t.len() > 200 {
            return Err(ApiError::invalid_parameters(
                "a ticker in `tickers` is longer than 200 characters",
            ));
        }
        let m = ex.markets.get(t).ok_or_else(|| market_not_found(t))?;
        books.push(json!({"ticker": t, "orderbook_fp": orderbook_fp(ex, m, 0)}));
    }
    Ok(Reply::ok(json!({ "orderbooks": books })))
}

// ---------------------------------------------------------------------------------------------
// Trades

/// A trade as the API shows it (`GET /markets/trades`, `GET /historical/trades`).
pub(crate) fn trade_json(t: &Trade) -> Value {
    json!({
        "trade_id": t.id,
        "ticker": t.ticker,
        "count_fp": t.count.to_fp(),
        "yes_price_dollars": t.price.to_dollars(),
        "no_price_dollars": t.price.complement().to_dollars(),
        "taker_book_side": t.taker_side.as_str(),
        "taker_outcome_side": t.taker_side.outcome(),
        "taker_side": t.taker_side.outcome(),
        "is_block_trade": t.is_block_trade,
        "created_time": rfc3339_ms(t.ts_ms),
    })
}

/// `GET /markets/trades?ticker&min_ts&max_ts&is_block_trade&limit&cursor`: newest first.
fn trades(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = super::catalog::limit_upto(ctx, 1000, 100)?;
    let before = ctx.seq_cursor('t')?;
    let ticker = ctx.query_str("ticker")?;
    let min_ts = ctx.query.int("min_ts")?;
    let max_ts = ctx.query.int("max_ts")?;
    let block = query_bool(ctx, "is_block_trade")?;
    let mut matching = ex
        .trades
        .iter()
        .rev()
        .filter(|t| before.is_none_or(|b| t.seq < b))
        // Trades before the historical cutoff move to `/historical/trades`.
        .filter(|t| !ex.trade_archived(t.ts_ms))
        .filter(|t| ticker.is_none_or(|x| x == t.ticker))
        .filter(|t| in_ts_range(t.ts_ms, min_ts, max_ts))
        .filter(|t| block.is_none_or(|b| t.is_block_trade == b));
    let page: Vec<&Trade> = matching.by_ref().take(limit).collect();
    let more = matching.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some(t)) => seq_cursor('t', t.seq),
        _ => String::new(),
    };
    let items: Vec<Value> = page.iter().map(|t| trade_json(t)).collect();
    Ok(Reply::ok(json!({"trades": items, "cursor": cursor})))
}

// ---------------------------------------------------------------------------------------------
// Candlesticks

/// A validated candlestick range: period length and the period ends, in seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    period_s: u64,
    first_end: u64,
    last_end: u64,
}

impl Range {
    pub(crate) fn count(&self) -> u64 {
        if self.last_end < self.first_end {
            0
        } else {
            (self.last_end - self.first_end) / self.period_s + 1
        }
    }
}

/// Reads `start_ts`, `end_ts` and `period_interval`; `any_period` allows any positive period
/// (the batch read), else 1, 60 or 1440.
pub(crate) fn candle_range(ctx: &RequestCtx, any_period: bool) -> Result<Range, ApiError> {
    let required = |name: &str| -> Result<i64, ApiError> {
        ctx.query
            .int(name)?
            .ok_or_else(|| ApiError::invalid_parameters(format!("`{name}` is required")))
    };
    let start = required("start_ts")?;
    let end = required("end_ts")?;
    let period = required("period_interval")?;
    let ok_period = if any_period {
        (1..=525_600).contains(&period)
    } else {
        matches!(period, 1 | 60 | 1440)
    };
    if !ok_period {
        return Err(ApiError::invalid_parameters(format!(
            "`period_interval` must be {}, got {period}",
            if any_period {
                "a positive number of minutes"
            } else {
                "1, 60 or 1440"
            }
        )));
    }
    if start < 0 || end < start {
        return Err(ApiError::invalid_parameters(format!(
            "`start_ts` ({start}) must be non-negative and not after `end_ts` ({end})"
        )));
    }
    let period_s = period as u64 * 60;
    let (start, end) = (start as u64, end as u64);
    let end_of = |ts: u64| ts.div_ceil(period_s).max(1) * period_s;
    let now_s = ctx.now_ms / 1000;
    Ok(Range {
        period_s,
        first_end: end_of(start),
        last_end: end_of(end.min(now_s)),
    })
}

/// One candlestick of a market for the period ending at `end_s`.
fn candle(ex: &Exchange, m: &Market, period_s: u64, end_s: u64) -> Value {
    let (from_ms, to_ms) = ((end_s - period_s) * 1000, end_s * 1000);
    // Trades in (from, to] by second: `ts / 1000` in (end - P, end].
    let in_period = |ts: u64| ts / 1000 > end_s - period_s && ts / 1000 <= end_s;
    let trades: Vec<&Trade> = ex
        .trades
        .iter()
        .filter(|t| t.ticker == m.cfg.ticker && in_period(t.ts_ms))
        .collect();
    let before = ex
        .trades
        .iter()
        .rev()
        .find(|t| t.ticker == m.cfg.ticker && t.ts_ms / 1000 <= end_s - period_s);
    let volume = trades
        .iter()
        .fold(Count::ZERO, |a, t| a.saturating_add(t.count));
    let open_interest = trade_stats(ex, &m.cfg.ticker, to_ms + 999).open_interest;
    let price = if trades.is_empty() {
        json!({
            "open_dollars": null, "high_dollars": null, "low_dollars": null,
            "close_dollars": null, "mean_dollars": null,
            "previous_dollars": before.map(|t| t.price.to_dollars()),
            "min_dollars": null, "max_dollars": null,
        })
    } else {
        let prices = trades.iter().map(|t| t.price.get());
        let notional: i64 = trades.iter().map(|t| t.price.cost(t.count)).sum();
        let n = i128::from(volume.signed());
        let mean = (i128::from(notional) * 100 * 2 + n) / (2 * n);
        json!({
            "open_dollars": trades[0].price.to_dollars(),
            "high_dollars": price_str(prices.clone().max().unwrap_or(0)),
            "low_dollars": price_str(prices.min().unwrap_or(0)),
            "close_dollars": trades[trades.len() - 1].price.to_dollars(),
            "mean_dollars": dollars(i64::try_from(mean).unwrap_or(i64::MAX)),
            "previous_dollars": before.map(|t| t.price.to_dollars()),
            "min_dollars": null, "max_dollars": null,
        })
    };
    // Quotes: the top at the period's start, and every change within it.
    let mut bids = vec![m.top_at(from_ms + 999).0];
    let mut asks = vec![m.top_at(from_ms + 999).1];
    for (_, (b, a)) in m
        .quotes
        .iter()
        .filter(|(t, _)| *t / 1000 > end_s - period_s && *t / 1000 <= end_s)
    {
        bids.push(*b);
        asks.push(*a);
    }
    let ohlc = |xs: &[Option<u32>], empty: u32| {
        let v: Vec<u32> = xs.iter().map(|x| x.unwrap_or(empty)).collect();
        json!({
            "open_dollars": price_str(v[0]),
            "high_dollars": price_str(v.iter().copied().max().unwrap_or(empty)),
            "low_dollars": price_str(v.iter().copied().min().unwrap_or(empty)),
            "close_dollars": price_str(v[v.len() - 1]),
        })
    };
    json!({
        "end_period_ts": end_s,
        "yes_bid": ohlc(&bids, 0),
        "yes_ask": ohlc(&asks, PRICE_SCALE),
        "price": price,
        "volume_fp": volume.to_fp(),
        "open_interest_fp": open_interest.to_fp(),
    })
}

/// The candlesticks of a market over a range, with the synthetic one of
/// `include_latest_before_start` first if asked.
pub(crate) fn candles(ex: &Exchange, m: &Market, r: Range, latest_before: bool) -> Vec<Value> {
    let mut out = Vec::new();
    if latest_before {
        let start_s = r.first_end - r.period_s;
        if let Some(t) = ex
            .trades
            .iter()
            .rev()
            .find(|t| t.ticker == m.cfg.ticker && t.ts_ms / 1000 <= start_s)
        {
            let mut c = candle(ex, m, r.period_s, r.first_end);
            c["price"] = json!({
                "open_dollars": null, "high_dollars": null, "low_dollars": null,
                "close_dollars": null, "mean_dollars": null,
                "previous_dollars": t.price.to_dollars(),
                "min_dollars": null, "max_dollars": null,
            });
            c["volume_fp"] = json!("0.00");
            out.push(c);
        }
    }
    let mut end = r.first_end;
    while end <= r.last_end {
        out.push(candle(ex, m, r.period_s, end));
        end += r.period_s;
    }
    out
}

pub(crate) fn too_many(n: u64) -> ApiError {
    ApiError::invalid_parameters(format!(
        "the range holds {n} candlesticks, more than the {MAX_CANDLES} one request returns"
    ))
}

/// `GET /series/{series_ticker}/markets/{ticker}/candlesticks`
fn candlesticks(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("ticker")?;
    let r = candle_range(ctx, false)?;
    let latest = query_bool(ctx, "include_latest_before_start")?.unwrap_or(false);
    let m = ex
        .markets
        .get(ticker)
        .filter(|m| !ex.market_archived(&m.cfg.ticker))
        .ok_or_else(|| market_not_found(ticker))?;
    if r.count() > MAX_CANDLES {
        return Err(too_many(r.count()));
    }
    Ok(Reply::ok(
        json!({"ticker": ticker, "candlesticks": candles(ex, m, r, latest)}),
    ))
}

/// `GET /markets/candlesticks?market_tickers=A,B&start_ts&end_ts&period_interval`: markets in
/// the order asked.
fn batch_candlesticks(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let tickers: Vec<&str> = super::catalog::query_list(ctx, "market_tickers")?.unwrap_or_default();
    if tickers.is_empty() || tickers.len() > 100 {
        return Err(ApiError::invalid_parameters(format!(
            "`market_tickers` must name 1 to 100 markets, got {}",
            tickers.len()
        )));
    }
    let r = candle_range(ctx, true)?;
    let latest = query_bool(ctx, "include_latest_before_start")?.unwrap_or(false);
    let total = r.count().saturating_mul(tickers.len() as u64);
    if total > MAX_CANDLES {
        return Err(too_many(total));
    }
    let mut out = Vec::new();
    for t in tickers {
        let m = ex
            .markets
            .get(t)
            .filter(|m| !ex.market_archived(&m.cfg.ticker))
            .ok_or_else(|| market_not_found(t))?;
        out.push(json!({"market_ticker": t, "candlesticks": candles(ex, m, r, latest)}));
    }
    Ok(Reply::ok(json!({ "markets": out })))
}

/// `GET /series/{series_ticker}/events/{ticker}/candlesticks`: one list per market of the
/// event, by ticker; a range over the cap is cut (`adjusted_end_ts`).
fn event_candlesticks(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let event = ctx.param("ticker")?;
    let mut r = candle_range(ctx, false)?;
    // Markets archived by the historical cutoff have their candlesticks on
    // `/historical/markets/{ticker}/candlesticks` only.
    let markets: Vec<&Market> = ex.live_markets_of_event(event).collect();
    let per = markets.len().max(1) as u64;
    if r.count().saturating_mul(per) > MAX_CANDLES {
        let keep = (MAX_CANDLES / per).max(1);
        r.last_end = r.first_end + (keep - 1) * r.period_s;
    }
    let tickers: Vec<&str> = markets.iter().map(|m| m.cfg.ticker.as_str()).collect();
    let lists: Vec<Value> = markets
        .iter()
        .map(|m| Value::Array(candles(ex, m, r, false)))
        .collect();
    let end_ts = ctx.query.int("end_ts")?.unwrap_or(0);
    let adjusted = i64::try_from(r.last_end).unwrap_or(i64::MAX).min(end_ts);
    Ok(Reply::ok(json!({
        "market_tickers": tickers,
        "market_candlesticks": lists,
        "adjusted_end_ts": adjusted,
    })))
}
