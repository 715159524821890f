//! From engine changes to stream messages.
//!
//! The engine stays synchronous and knows nothing of connections: it only notes which orders
//! it touched and the order-group events (cheap `Vec` pushes, and only while a stream
//! connection is open). Everything else is read off the state: new trades and fills (by
//! position in their logs), books, tickers and market statuses (by comparing with what was
//! last published). [`flush`] runs whenever the exchange lock is released (see
//! `ExchangeGuard`), so one REST request, one test hook, one command is one batch, and a
//! snapshot sent under the lock is exactly the state the next deltas start from.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::super::catalog::price_str;
use super::super::fixed_point::Count;
use super::super::markets::MarketStatus;
use super::super::state::{Exchange, SubaccountId};
use super::hub::{Channel, Hub};
use super::messages::{self, Side1, TickerPrint};

/// An order-group event, as the engine records it.
#[derive(Debug, Clone)]
pub(crate) struct GroupEvent {
    pub(crate) account: String,
    pub(crate) id: String,
    pub(crate) kind: &'static str,
    /// The limit, for `created` and `limit_updated`.
    pub(crate) limit: Option<Count>,
    pub(crate) ts_ms: u64,
}

/// A market's configured status, close time and settlement, for lifecycle events.
type LifePrint = (MarketStatus, u64, bool);

/// What the feed remembers between two flushes.
#[derive(Debug, Default)]
pub(crate) struct Feed {
    trades_seen: usize,
    fills_seen: usize,
    /// Orders the engine changed since the last flush (repeats allowed).
    pub(crate) touched: Vec<String>,
    /// Order-group events since the last flush.
    pub(crate) groups: Vec<GroupEvent>,
    /// `communications` messages since the last flush: (recipient account, or `None` for
    /// every subscriber; message type; `msg`).
    pub(crate) comms: Vec<(Option<String>, &'static str, serde_json::Value)>,
    /// The books as last published, for the markets some orderbook subscription follows.
    books: BTreeMap<String, (Side1, Side1)>,
    /// The tickers as last published (while some ticker subscription exists).
    tickers: BTreeMap<String, TickerPrint>,
    /// Market statuses and events as last published (while some lifecycle subscription exists).
    lifecycle: Option<(BTreeMap<String, LifePrint>, BTreeSet<String>)>,
    /// Markets known settled.
    settled: BTreeSet<String>,
}

impl Feed {
    /// Starts afresh (the first connection opened): only what happens from now on is pushed.
    pub(crate) fn start(ex: &Exchange) -> Feed {
        Feed {
            trades_seen: ex.trades.len(),
            fills_seen: ex.fills.len(),
            settled: ex.ledger.settled.keys().cloned().collect(),
            ..Feed::default()
        }
    }

    /// Records the book of `ticker` as published (a snapshot was just sent).
    pub(crate) fn publish_book(&mut self, ticker: &str, book: (Side1, Side1)) {
        self.books.insert(ticker.to_owned(), book);
    }
}

impl Exchange {
    /// Notes that the engine changed order `id` (for `user_orders` and delta attribution).
    pub(crate) fn touch_order(&mut self, id: &str) {
        if self.streams.is_active() {
            self.streams.feed.touched.push(id.to_owned());
        }
    }

    /// Notes an order-group event (`created`, `triggered`, `reset`, `deleted`,
    /// `limit_updated`) of `account`'s group `id`.
    pub(crate) fn note_group(
        &mut self,
        account: &str,
        id: &str,
        kind: &'static str,
        limit: Option<Count>,
        now_ms: u64,
    ) {
        if self.streams.is_active() {
            self.streams.feed.groups.push(GroupEvent {
                account: account.to_owned(),
                id: id.to_owned(),
                kind,
                limit,
                ts_ms: now_ms,
            });
        }
    }
}

/// Pushes everything that changed since the last flush to the subscriptions it concerns.
pub(crate) fn flush(ex: &mut Exchange, now_ms: u64) {
    if !ex.streams.is_active() {
        return;
    }
    let mut hub = std::mem::take(&mut ex.streams);
    run(ex, &mut hub, now_ms);
    hub.reap();
    ex.streams = hub;
}

fn run(ex: &Exchange, hub: &mut Hub, now_ms: u64) {
    let touched = std::mem::take(&mut hub.feed.touched);
    let mut seen = BTreeSet::new();
    let touched: Vec<&str> = touched
        .iter()
        .filter(|id| seen.insert(id.as_str()))
        .map(String::as_str)
        .collect();

    // user_orders: each changed order once, in its state now.
    for o in touched.iter().filter_map(|id| ex.orders.get(*id)) {
        let msg = messages::user_order(o);
        hub.push(
            Channel::UserOrders,
            "user_order",
            Some(&o.ticker),
            Some(&o.account),
            |_, _| msg.clone(),
        );
    }

    // trade: every new execution.
    let new_trades = ex.trades.get(hub.feed.trades_seen..).unwrap_or_default();
    hub.feed.trades_seen = ex.trades.len();
    for t in new_trades {
        let msg = messages::trade(t);
        hub.push(Channel::Trade, "trade", Some(&t.ticker), None, |_, _| {
            msg.clone()
        });
    }

    // fill: every new fill, to its owner; positions to refresh.
    let new_fills = ex.fills.get(hub.feed.fills_seen..).unwrap_or_default();
    hub.feed.fills_seen = ex.fills.len();
    let mut positions: BTreeSet<(String, SubaccountId, String)> = BTreeSet::new();
    for (i, f) in new_fills.iter().enumerate() {
        let now_pos = ex
            .account(&f.account)
            .and_then(|a| a.find_subaccount(f.sub))
            .and_then(|s| s.positions.get(&f.ticker))
            .map_or(0, |p| p.net());
        let later: i64 = new_fills[i + 1..]
            .iter()
            .filter(|g| g.account == f.account && g.sub == f.sub && g.ticker == f.ticker)
            .map(messages::fill_signed)
            .sum();
        let msg = messages::fill(f, ex.orders.get(&f.order_id), now_pos - later);
        hub.push(
            Channel::Fill,
            "fill",
            Some(&f.ticker),
            Some(&f.account),
            |_, _| msg.clone(),
        );
        positions.insert((f.account.clone(), f.sub, f.ticker.clone()));
    }

    // Settlements: every holder's position changes.
    let newly_settled: Vec<String> = ex
        .ledger
        .settled
        .keys()
        .filter(|t| !hub.feed.settled.contains(*t))
        .cloned()
        .collect();
    for t in &newly_settled {
        hub.feed.settled.insert(t.clone());
        for (acct, a) in &ex.accounts {
            for (sid, s) in a.subaccounts() {
                if s.positions.contains_key(t) {
                    positions.insert((acct.clone(), sid, t.clone()));
                }
            }
        }
    }

    books(ex, hub, &touched, now_ms);

    // order_group_updates.
    for g in std::mem::take(&mut hub.feed.groups) {
        let mut msg = json!({
            "event_type": g.kind,
            "order_group_id": g.id,
            "ts_ms": g.ts_ms,
        });
        if let Some(l) = g.limit {
            msg["contracts_limit_fp"] = json!(l.to_fp());
        }
        hub.push(
            Channel::OrderGroupUpdates,
            "order_group_updates",
            None,
            Some(&g.account),
            |_, _| msg.clone(),
        );
    }

    // communications: RFQs to everyone, quote events to the two parties.
    for (owner, kind, msg) in std::mem::take(&mut hub.feed.comms) {
        hub.push(
            Channel::Communications,
            kind,
            None,
            owner.as_deref(),
            |_, _| msg.clone(),
        );
    }

    // market_positions.
    for (acct, sub, ticker) in positions {
        let Some(p) = ex
            .account(&acct)
            .and_then(|a| a.find_subaccount(sub))
            .and_then(|s| s.positions.get(&ticker))
        else {
            continue;
        };
        let msg = messages::position(&acct, sub.get(), &ticker, p);
        hub.push(
            Channel::MarketPositions,
            "market_position",
            Some(&ticker),
            Some(&acct),
            |_, _| msg.clone(),
        );
    }

    lifecycle(ex, hub, now_ms);
    tickers(ex, hub, now_ms);
}

/// `orderbook_delta`: the level changes of every followed market since it was last
/// published, one message per changed level, attributed to the order that caused it when
/// the subscriber owns that order.
fn books(ex: &Exchange, hub: &mut Hub, touched: &[&str], now_ms: u64) {
    let followed = hub.followed(Channel::OrderbookDelta).unwrap_or_default();
    hub.feed.books.retain(|t, _| followed.contains(t));
    for ticker in followed {
        let Some(m) = ex.markets.get(&ticker) else {
            continue;
        };
        let now = messages::levels(ex, m);
        let Some(before) = hub.feed.books.insert(ticker.clone(), now.clone()) else {
            continue;
        };
        for (bid, old, new) in [(true, &before.0, &now.0), (false, &before.1, &now.1)] {
            let prices: BTreeSet<u32> = old.keys().chain(new.keys()).copied().collect();
            for p in prices {
                let a = old.get(&p).map_or(0, |c| c.signed());
                let b = new.get(&p).map_or(0, |c| c.signed());
                if a == b {
                    continue;
                }
                let cause = touched
                    .iter()
                    .filter_map(|id| ex.orders.get(*id))
                    .find(|o| o.ticker == ticker && o.side.is_bid() == bid && o.price.get() == p);
                hub.push(
                    Channel::OrderbookDelta,
                    "orderbook_delta",
                    Some(&ticker),
                    None,
                    |account, sub| {
                        let shown = messages::shown_price(bid, p, sub.use_yes_price);
                        let mut msg = messages::delta(&ticker, bid, shown, b - a, now_ms);
                        if let Some(o) = cause.filter(|o| o.account == account) {
                            if let Some(c) = &o.client_order_id {
                                msg["client_order_id"] = json!(c);
                            }
                            if o.sub != SubaccountId::PRIMARY {
                                msg["subaccount"] = json!(o.sub.get());
                            }
                        }
                        msg
                    },
                );
            }
        }
    }
}

/// `market_lifecycle_v2`: the explicit transitions of Kalshi's market lifecycle guide
/// (`created`, `deactivated`, `activated`, `close_date_updated`, `determined`, `settled`) and
/// `event_lifecycle` for a new event. Time-based transitions (opening at `open_time`, closing
/// at `close_time`) send nothing, as documented.
fn lifecycle(ex: &Exchange, hub: &mut Hub, now_ms: u64) {
    if !hub.any(Channel::MarketLifecycleV2) {
        hub.feed.lifecycle = None;
        return;
    }
    let print = |m: &super::super::markets::Market| -> LifePrint {
        (
            m.cfg.status,
            m.cfg.close_ms,
            ex.ledger.settled.contains_key(&m.cfg.ticker),
        )
    };
    let now: BTreeMap<String, LifePrint> = ex
        .markets
        .values()
        .map(|m| (m.cfg.ticker.clone(), print(m)))
        .collect();
    let events: BTreeSet<String> = ex
        .markets
        .values()
        .map(|m| m.cfg.event_ticker().to_owned())
        .collect();
    let Some((before, known_events)) = hub.feed.lifecycle.replace((now.clone(), events.clone()))
    else {
        return;
    };
    let mut out: Vec<(&'static str, serde_json::Value)> = Vec::new();
    for e in events.difference(&known_events) {
        let cfg = ex.events.get(e);
        out.push((
            "event_lifecycle",
            json!({
                "event_ticker": e,
                "title": cfg.map_or(e.as_str(), |c| c.title.as_str()),
                "subtitle": cfg.map_or("", |c| c.sub_title.as_str()),
                "collateral_return_type": "",
                "series_ticker": super::super::markets::series_of(e),
            }),
        ));
    }
    for (ticker, &(status, close_ms, settled)) in &now {
        let Some(m) = ex.markets.get(ticker) else {
            continue;
        };
        let Some(&(was, was_close, was_settled)) = before.get(ticker) else {
            out.push(("market_lifecycle_v2", messages::market_created(m)));
            continue;
        };
        let base = |kind: &str| json!({"event_type": kind, "market_ticker": ticker});
        if close_ms != was_close {
            let mut v = base("close_date_updated");
            v["close_ts"] = json!(close_ms / 1000);
            out.push(("market_lifecycle_v2", v));
        }
        if status != was {
            match status {
                MarketStatus::Inactive => {
                    let mut v = base("deactivated");
                    v["is_deactivated"] = json!(true);
                    out.push(("market_lifecycle_v2", v));
                }
                MarketStatus::Active if was == MarketStatus::Inactive || was.is_past_close() => {
                    let mut v = base("activated");
                    v["is_deactivated"] = json!(false);
                    out.push(("market_lifecycle_v2", v));
                }
                MarketStatus::Closed => {
                    let mut v = base("close_date_updated");
                    v["close_ts"] = json!(now_ms / 1000);
                    out.push(("market_lifecycle_v2", v));
                }
                MarketStatus::Determined => {
                    let mut v = base("determined");
                    v["determination_ts"] = json!(now_ms / 1000);
                    out.push(("market_lifecycle_v2", v));
                }
                _ => {}
            }
        }
        if settled && !was_settled {
            if let Some(s) = ex.ledger.settled.get(ticker) {
                let mut v = base("determined");
                v["result"] = json!(s.result.name());
                v["determination_ts"] = json!(s.settled_ms / 1000);
                v["settlement_value"] =
                    json!(price_str(u32::from(s.result.yes_payout_cents()) * 100));
                out.push(("market_lifecycle_v2", v));
                let mut v = base("settled");
                v["settled_ts"] = json!(s.settled_ms / 1000);
                out.push(("market_lifecycle_v2", v));
            }
        }
    }
    for (kind, msg) in out {
        hub.push(Channel::MarketLifecycleV2, kind, None, None, |_, _| {
            msg.clone()
        });
    }
}

/// `ticker`: a message for every followed market whose best levels, their sizes or its trades
/// changed since last published.
fn tickers(ex: &Exchange, hub: &mut Hub, now_ms: u64) {
    if !hub.any(Channel::Ticker) {
        hub.feed.tickers.clear();
        return;
    }
    let followed = hub.followed(Channel::Ticker);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &ex.trades {
        *counts.entry(t.ticker.as_str()).or_default() += 1;
    }
    for m in ex.markets.values() {
        let ticker = &m.cfg.ticker;
        if followed.as_ref().is_some_and(|f| !f.contains(ticker)) {
            continue;
        }
        let print =
            messages::ticker_print(ex, m, counts.get(ticker.as_str()).copied().unwrap_or(0));
        match hub.feed.tickers.insert(ticker.clone(), print) {
            Some(before) if before != print => {
                let msg = messages::ticker(ex, m, now_ms);
                hub.push(Channel::Ticker, "ticker", Some(ticker), None, |_, _| {
                    msg.clone()
                });
            }
            _ => {}
        }
    }
}
