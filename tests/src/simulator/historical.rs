//! Historical data: what the cutoff ([`HistoricalCutoff`], `GET /historical/cutoff`, set by
//! [`Simulator::set_historical_cutoff`](super::Simulator::set_historical_cutoff)) moves out of
//! the live endpoints, served by `GET /historical/...`, as Kalshi's "Historical Data" guide
//! describes.
//!
//! A record is **archived** when it is older than its cutoff (strictly before it):
//!
//! | record | archived when | leaves | served by |
//! |---|---|---|---|
//! | a market (and its candlesticks) | settled ([`Simulator::settle_market`](super::Simulator::settle_market)) before `market_settled_ts` | `GET /markets`, `/markets/{ticker}`, the events' markets, the live candlesticks | `GET /historical/markets`, `/historical/markets/{ticker}`, `/historical/markets/{ticker}/candlesticks` |
//! | a trade, a fill | executed before `trades_created_ts` | `GET /markets/trades`, `/portfolio/fills` | `GET /historical/trades`, `/historical/fills` |
//! | an order | canceled or executed, last updated before `orders_updated_ts` (a resting order never moves) | `GET /portfolio/orders` | `GET /historical/orders` |
//! | a position | its event has every market settled, the last before `market_positions_last_updated_ts` (an event's positions move together) | `GET /portfolio/positions` | `GET /historical/positions` |
//!
//! Nothing is archived with the default cutoff (the epoch), and moving the cutoff moves records
//! both ways: the partition is computed on every read, never stored. A record is on exactly one
//! side. `GET /portfolio/orders/{id}`, the settlements list, events and series are not
//! partitioned (Kalshi keeps events and series on their endpoints).
//!
//! The historical lists take the documented filters and cursors: markets by ticker (`limit` 0
//! to 1000, `tickers`, `event_ticker` and `series_ticker` mutually exclusive, `mve_filter`
//! only `exclude`); trades, fills and orders newest first (trades: `ticker`, `min_ts`,
//! `max_ts`, `is_block_trade`, `limit` 0 to 1000; fills and orders: `ticker`, `max_ts` on the
//! fill's or order's creation time, `limit` 1 to 1000, over every subaccount of the account);
//! positions of the primary subaccount by ticker (`ticker`, `event_ticker`, `limit` 1 to
//! 1000), with the event totals of the page like `GET /portfolio/positions`. Every cursor is
//! `""` on the last page. Candlesticks are those of the live endpoint (see
//! [`market_data`](super::market_data)) in the historical schema: the same values under
//! `open`/`high`/`low`/`close`/`mean`/`previous`, `volume` and `open_interest`.

use http::Method;
use serde_json::{Value, json};

use super::catalog::{
    key_cursor, limit_upto, market_json, page, query_bool, query_list, read_key_cursor,
};
use super::engine::{Order, Status, market_not_found};
use super::errors::ApiError;
use super::market_data::{MAX_CANDLES, Trade, candle_range, candles, too_many, trade_json};
use super::orders::order_json;
use super::portfolio::{fill_json, in_ts_range, positions_page};
use super::request::{RequestCtx, seq_cursor};
use super::router::{Reply, Route};
use super::settlement::HistoricalCutoff;
use super::state::{Exchange, SubaccountId};

/// The historical routes, relative to the base path (the market and trade reads are public).
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::public(Method::GET, "/historical/markets", markets),
        Route::public(Method::GET, "/historical/markets/{ticker}", market),
        Route::public(
            Method::GET,
            "/historical/markets/{ticker}/candlesticks",
            candlesticks,
        ),
        Route::public(Method::GET, "/historical/trades", trades),
        Route::new(Method::GET, "/historical/fills", fills),
        Route::new(Method::GET, "/historical/orders", orders),
        Route::new(Method::GET, "/historical/positions", positions),
    ]
}

impl Exchange {
    fn cutoff(&self) -> HistoricalCutoff {
        self.ledger.historical_cutoff
    }

    /// Whether the market `ticker` settled before the `market_settled_ts` cutoff.
    pub(crate) fn market_archived(&self, ticker: &str) -> bool {
        self.ledger
            .settled
            .get(ticker)
            .is_some_and(|s| s.settled_ms < self.cutoff().market_settled_ms)
    }

    /// Whether a trade or fill at `ts_ms` is before the `trades_created_ts` cutoff.
    pub(crate) fn trade_archived(&self, ts_ms: u64) -> bool {
        ts_ms < self.cutoff().trades_created_ms
    }

    /// Whether an order was canceled or executed before the `orders_updated_ts` cutoff.
    pub(crate) fn order_archived(&self, o: &Order) -> bool {
        o.status != Status::Resting && o.updated_ms < self.cutoff().orders_updated_ms
    }

    /// Whether the positions in the market `ticker` are archived: every market of its event
    /// settled, the last one before the `market_positions_last_updated_ts` cutoff.
    pub(crate) fn position_archived(&self, ticker: &str) -> bool {
        let Some(m) = self.markets.get(ticker) else {
            return false;
        };
        let mut last = 0;
        for m in self.markets_of_event(m.cfg.event_ticker()) {
            match self.ledger.settled.get(&m.cfg.ticker) {
                Some(s) => last = last.max(s.settled_ms),
                None => return false,
            }
        }
        last < self.cutoff().market_positions_last_updated_ms
    }
}

// ---------------------------------------------------------------------------------------------
// Markets

/// `GET /historical/markets?limit&cursor&tickers&event_ticker&series_ticker&mve_filter`
fn markets(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = limit_upto(ctx, 1000, 100)?;
    let after = read_key_cursor(ctx, 'h')?;
    let tickers = query_list(ctx, "tickers")?;
    let event = ctx.query_str("event_ticker")?;
    let series = ctx.query_str("series_ticker")?;
    if [tickers.is_some(), event.is_some(), series.is_some()]
        .iter()
        .filter(|b| **b)
        .count()
        > 1
    {
        return Err(ApiError::invalid_parameters(
            "`tickers`, `event_ticker` and `series_ticker` are mutually exclusive",
        ));
    }
    match ctx.query_str("mve_filter")? {
        None | Some("exclude") => {}
        Some(other) => {
            let shown: String = other.chars().take(40).collect();
            return Err(ApiError::invalid_parameters(format!(
                "`mve_filter` must be exclude, got `{shown}`"
            )));
        }
    }
    let matching = ex
        .markets
        .values()
        .filter(|m| ex.market_archived(&m.cfg.ticker))
        .filter(|m| after.as_deref().is_none_or(|a| m.cfg.ticker.as_str() > a))
        .filter(|m| event.is_none_or(|e| e == m.cfg.event_ticker()))
        .filter(|m| series.is_none_or(|s| s == ex.series_of_market(&m.cfg)))
        .filter(|m| {
            tickers
                .as_ref()
                .is_none_or(|t| t.contains(&m.cfg.ticker.as_str()))
        });
    let (page, cursor) = page(matching, limit, |m| key_cursor('h', &m.cfg.ticker));
    let items: Vec<Value> = page
        .iter()
        .map(|m| market_json(ex, m, ctx.now_ms))
        .collect();
    Ok(Reply::ok(json!({"markets": items, "cursor": cursor})))
}

/// The archived market `ticker`, or a 404 (also for a market still live).
fn archived_market<'a>(
    ex: &'a Exchange,
    ticker: &str,
) -> Result<&'a super::markets::Market, ApiError> {
    ex.markets
        .get(ticker)
        .filter(|m| ex.market_archived(&m.cfg.ticker))
        .ok_or_else(|| market_not_found(ticker))
}

/// `GET /historical/markets/{ticker}`
fn market(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let m = archived_market(ex, ctx.param("ticker")?)?;
    Ok(Reply::ok(json!({"market": market_json(ex, m, ctx.now_ms)})))
}

/// A live candlestick in the historical schema (no `_dollars` / `_fp` suffixes, no
/// `min`/`max`).
fn historical_candle(c: &Value) -> Value {
    let pick = |v: &Value, names: &[&str]| -> Value {
        names
            .iter()
            .map(|n| ((*n).to_owned(), v[format!("{n}_dollars")].clone()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let ohlc = ["open", "high", "low", "close"];
    json!({
        "end_period_ts": c["end_period_ts"],
        "yes_bid": pick(&c["yes_bid"], &ohlc),
        "yes_ask": pick(&c["yes_ask"], &ohlc),
        "price": pick(&c["price"], &["open", "high", "low", "close", "mean", "previous"]),
        "volume": c["volume_fp"],
        "open_interest": c["open_interest_fp"],
    })
}

/// `GET /historical/markets/{ticker}/candlesticks?start_ts&end_ts&period_interval`
fn candlesticks(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.param("ticker")?;
    let r = candle_range(ctx, false)?;
    let m = archived_market(ex, ticker)?;
    if r.count() > MAX_CANDLES {
        return Err(too_many(r.count()));
    }
    let items: Vec<Value> = candles(ex, m, r, false)
        .iter()
        .map(historical_candle)
        .collect();
    Ok(Reply::ok(json!({"ticker": ticker, "candlesticks": items})))
}

// ---------------------------------------------------------------------------------------------
// Trades, fills, orders, positions

/// Takes a newest-first page: the items and the cursor of the next page (`""` on the last).
fn seq_page<'a, T: 'a>(
    mut items: impl Iterator<Item = &'a T>,
    limit: usize,
    prefix: char,
    seq: impl Fn(&T) -> u64,
) -> (Vec<&'a T>, String) {
    let page: Vec<&T> = items.by_ref().take(limit).collect();
    let more = items.next().is_some();
    let cursor = match (more, page.last()) {
        (true, Some(t)) => seq_cursor(prefix, seq(t)),
        _ => String::new(),
    };
    (page, cursor)
}

/// `GET /historical/trades?ticker&min_ts&max_ts&is_block_trade&limit&cursor`: newest first.
fn trades(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = limit_upto(ctx, 1000, 100)?;
    let before = ctx.seq_cursor('t')?;
    let ticker = ctx.query_str("ticker")?;
    let min_ts = ctx.query.int("min_ts")?;
    let max_ts = ctx.query.int("max_ts")?;
    let block = query_bool(ctx, "is_block_trade")?;
    let matching = ex
        .trades
        .iter()
        .rev()
        .filter(|t| ex.trade_archived(t.ts_ms))
        .filter(|t| before.is_none_or(|b| t.seq < b))
        .filter(|t| ticker.is_none_or(|x| x == t.ticker))
        .filter(|t| in_ts_range(t.ts_ms, min_ts, max_ts))
        .filter(|t| block.is_none_or(|b| t.is_block_trade == b));
    let (page, cursor) = seq_page(matching, limit, 't', |t: &Trade| t.seq);
    let items: Vec<Value> = page.iter().map(|t| trade_json(t)).collect();
    Ok(Reply::ok(json!({"trades": items, "cursor": cursor})))
}

/// `GET /historical/fills?ticker&max_ts&limit&cursor`: the account's, newest first.
fn fills(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = ctx.page_limit()?;
    let before = ctx.seq_cursor('f')?;
    let ticker = ctx.query_str("ticker")?;
    let max_ts = ctx.query.int("max_ts")?;
    let matching = ex
        .fills
        .iter()
        .rev()
        .filter(|f| f.account == ctx.account)
        .filter(|f| ex.trade_archived(f.ts_ms))
        .filter(|f| before.is_none_or(|b| f.seq < b))
        .filter(|f| ticker.is_none_or(|t| t == f.ticker))
        .filter(|f| in_ts_range(f.ts_ms, None, max_ts));
    let (page, cursor) = seq_page(matching, limit, 'f', |f| f.seq);
    let items: Vec<Value> = page.iter().map(|f| fill_json(f)).collect();
    Ok(Reply::ok(json!({"fills": items, "cursor": cursor})))
}

/// `GET /historical/orders?ticker&max_ts&limit&cursor`: the account's, newest first.
fn orders(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let limit = ctx.page_limit()?;
    let before = ctx.seq_cursor('o')?;
    let ticker = ctx.query_str("ticker")?;
    let max_ts = ctx.query.int("max_ts")?;
    let mut mine: Vec<&Order> = ex
        .orders
        .values()
        .filter(|o| o.account == ctx.account)
        .filter(|o| ex.order_archived(o))
        .filter(|o| before.is_none_or(|b| o.seq < b))
        .filter(|o| ticker.is_none_or(|t| t == o.ticker))
        .filter(|o| in_ts_range(o.created_ms, None, max_ts))
        .collect();
    mine.sort_unstable_by_key(|o| std::cmp::Reverse(o.seq));
    let (page, cursor) = seq_page(mine.into_iter(), limit, 'o', |o| o.seq);
    let items: Vec<Value> = page.iter().map(|o| order_json(o)).collect();
    Ok(Reply::ok(json!({"orders": items, "cursor": cursor})))
}

/// `GET /historical/positions?ticker&event_ticker&limit&cursor`: the primary subaccount's
/// archived positions, by ticker.
fn positions(ctx: &RequestCtx, ex: &mut Exchange) -> Result<Reply, ApiError> {
    let ticker = ctx.query_str("ticker")?;
    let event = ctx.query_str("event_ticker")?;
    positions_page(ctx, ex, SubaccountId::PRIMARY, |t, _| {
        ex.position_archived(t)
            && ticker.is_none_or(|x| x == t)
            && event.is_none_or(|e| ex.markets.get(t).is_some_and(|m| m.cfg.event_ticker() == e))
    })
}
