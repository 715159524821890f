//! The JSON of every pushed message, built from the engine's records as the spec shows them
//! (fixed-point `_dollars` / `_fp` strings only: the integer cent and count fields were removed
//! from the WebSocket payloads on March 12, 2026).

use serde_json::{Map, Value, json};

use super::super::catalog::{level_size, price_str, trade_stats};
use super::super::clock::rfc3339_ms;
use super::super::engine::{Fill, Order, Side};
use super::super::fixed_point::{Count, PRICE_SCALE, dollars, signed_count_fp};
use super::super::market_data::Trade;
use super::super::markets::Market;
use super::super::portfolio::Position;
use super::super::state::Exchange;

/// A market's `market_id`: the simulator has no market UUIDs, so one is derived from the
/// ticker (stable, UUID-shaped, FNV-1a).
pub(crate) fn market_id(ticker: &str) -> String {
    let hash = |seed: u64| {
        ticker.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
        })
    };
    let v = (u128::from(hash(0xCBF2_9CE4_8422_2325)) << 64) | u128::from(hash(0x84222325_CBF29CE4));
    let v = (v & !(0xF << 76)) | (0x4 << 76);
    let v = (v & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// One side's aggregated levels: YES price (ten-thousandths) to resting contracts.
pub(crate) type Side1 = std::collections::BTreeMap<u32, Count>;

/// A market's aggregated book: (bids, asks), keyed by YES price.
pub(crate) fn levels(ex: &Exchange, m: &Market) -> (Side1, Side1) {
    let side = |bid: bool| -> Side1 {
        let book = if bid { &m.bids } else { &m.asks };
        book.keys()
            .map(|p| (*p, level_size(ex, m, bid, *p)))
            .filter(|(_, n)| !n.is_zero())
            .collect()
    };
    (side(true), side(false))
}

/// The price a subscriber sees for a level: bids (`yes`) at their price, asks (`no`) at
/// `1 - price` unless the subscription asked for `use_yes_price`.
pub(crate) fn shown_price(bid: bool, p: u32, use_yes_price: bool) -> u32 {
    if bid || use_yes_price {
        p
    } else {
        PRICE_SCALE - p
    }
}

/// The `msg` of an `orderbook_snapshot`: `yes_dollars_fp` and `no_dollars_fp` as
/// `[price, count]` pairs by ascending price (as the spec's example and the REST book), each
/// key left out when its side is empty.
pub(crate) fn snapshot(ticker: &str, book: &(Side1, Side1), use_yes_price: bool) -> Value {
    let mut msg = Map::new();
    msg.insert("market_ticker".into(), json!(ticker));
    msg.insert("market_id".into(), json!(market_id(ticker)));
    for (bid, side, key) in [
        (true, &book.0, "yes_dollars_fp"),
        (false, &book.1, "no_dollars_fp"),
    ] {
        if side.is_empty() {
            continue;
        }
        let mut lv: Vec<(u32, Count)> = side
            .iter()
            .map(|(p, n)| (shown_price(bid, *p, use_yes_price), *n))
            .collect();
        lv.sort_by_key(|(p, _)| *p);
        let arr: Vec<Value> = lv
            .into_iter()
            .map(|(p, n)| json!([price_str(p), n.to_fp()]))
            .collect();
        msg.insert(key.into(), Value::Array(arr));
    }
    Value::Object(msg)
}

/// The `msg` of an `orderbook_delta`.
pub(crate) fn delta(ticker: &str, bid: bool, price: u32, change: i64, now_ms: u64) -> Value {
    json!({
        "market_ticker": ticker,
        "market_id": market_id(ticker),
        "price_dollars": price_str(price),
        "delta_fp": signed_count_fp(change),
        "side": if bid { "yes" } else { "no" },
        "ts": rfc3339_ms(now_ms),
        "ts_ms": now_ms,
    })
}

/// The `msg` of a `ticker` message: the live book's best levels and the trade statistics.
pub(crate) fn ticker(ex: &Exchange, m: &Market, now_ms: u64) -> Value {
    let ticker = &m.cfg.ticker;
    let stats = trade_stats(ex, ticker, u64::MAX);
    let (bid, ask) = m.top();
    let last = stats.last_price.unwrap_or(0);
    let notional: i64 = ex
        .trades
        .iter()
        .filter(|t| &t.ticker == ticker)
        .map(|t| t.price.cost(t.count))
        .sum();
    json!({
        "market_ticker": ticker,
        "market_id": market_id(ticker),
        "price_dollars": price_str(last),
        "yes_bid_dollars": price_str(bid.unwrap_or(0)),
        "yes_ask_dollars": price_str(ask.unwrap_or(PRICE_SCALE)),
        "volume_fp": stats.volume.to_fp(),
        "open_interest_fp": stats.open_interest.to_fp(),
        "dollar_volume": notional / 1_000_000,
        "dollar_open_interest": super::super::fixed_point::Price::new(last)
            .map_or(0, |p| p.cost(stats.open_interest) / 1_000_000),
        "ts": now_ms / 1000,
        "ts_ms": now_ms,
        "time": rfc3339_ms(now_ms),
    })
}

/// What a `ticker` message shows, to push one only when it changes.
pub(crate) type TickerPrint = (Option<u32>, Option<u32>, Count, Count, usize);

/// The ticker's fingerprint: best bid and ask, their sizes, and the trade count.
pub(crate) fn ticker_print(ex: &Exchange, m: &Market, trades: usize) -> TickerPrint {
    let (bid, ask) = m.top();
    (
        bid,
        ask,
        bid.map_or(Count::ZERO, |p| level_size(ex, m, true, p)),
        ask.map_or(Count::ZERO, |p| level_size(ex, m, false, p)),
        trades,
    )
}

/// The `msg` of a `trade` message.
pub(crate) fn trade(t: &Trade) -> Value {
    json!({
        "trade_id": t.id,
        "market_ticker": t.ticker,
        "yes_price_dollars": t.price.to_dollars(),
        "no_price_dollars": t.price.complement().to_dollars(),
        "count_fp": t.count.to_fp(),
        "taker_side": t.taker_side.outcome(),
        "taker_outcome_side": t.taker_side.outcome(),
        "taker_book_side": t.taker_side.as_str(),
        "is_block_trade": t.is_block_trade,
        "ts": t.ts_ms / 1000,
        "ts_ms": t.ts_ms,
    })
}

/// The `msg` of a `fill` message; `post_position` is the subaccount's YES-minus-NO position
/// in hundredths right after the fill.
pub(crate) fn fill(f: &Fill, order: Option<&Order>, post_position: i64) -> Value {
    let mut v = json!({
        "trade_id": f.id,
        "order_id": f.order_id,
        "market_ticker": f.ticker,
        "exchange_index": f.exchange_index,
        "is_taker": f.is_taker,
        "side": "yes",
        "action": f.side.action(),
        "yes_price_dollars": f.price.to_dollars(),
        "count_fp": f.count.to_fp(),
        "fee_cost": dollars(f.fee),
        "ts": f.ts_ms / 1000,
        "ts_ms": f.ts_ms,
        "post_position_fp": signed_count_fp(post_position),
        "purchased_side": f.side.outcome(),
        "outcome_side": f.side.outcome(),
        "book_side": f.side.as_str(),
        "subaccount": f.sub.get(),
    });
    if let Some(c) = order.and_then(|o| o.client_order_id.as_deref()) {
        v["client_order_id"] = json!(c);
    }
    v
}

/// The signed change a fill makes to its subaccount's YES-minus-NO position (hundredths).
pub(crate) fn fill_signed(f: &Fill) -> i64 {
    match f.side {
        Side::Bid => f.count.signed(),
        Side::Ask => -f.count.signed(),
    }
}

/// The `msg` of a `user_order` message.
pub(crate) fn user_order(o: &Order) -> Value {
    let mut v = json!({
        "order_id": o.id,
        "user_id": o.account,
        "ticker": o.ticker,
        "status": o.status.as_str(),
        "side": o.side.outcome(),
        "is_yes": o.side.is_bid(),
        "outcome_side": o.side.outcome(),
        "book_side": o.side.as_str(),
        "yes_price_dollars": o.price.to_dollars(),
        "fill_count_fp": o.filled.to_fp(),
        "remaining_count_fp": o.remaining.to_fp(),
        "initial_count_fp": o.initial.to_fp(),
        "taker_fill_cost_dollars": dollars(o.taker_cost),
        "maker_fill_cost_dollars": dollars(o.maker_cost),
        "client_order_id": o.client_order_id.clone().unwrap_or_default(),
        "self_trade_prevention_type": o.stp.as_str(),
        "created_time": rfc3339_ms(o.created_ms),
        "created_ts_ms": o.created_ms,
        "last_update_time": rfc3339_ms(o.updated_ms),
        "last_updated_ts_ms": o.updated_ms,
        "subaccount_number": o.sub.get(),
    });
    if let Some(g) = &o.order_group_id {
        v["order_group_id"] = json!(g);
    }
    if let Some(e) = o.expiration_ms {
        v["expiration_time"] = json!(rfc3339_ms(e));
        v["expiration_ts_ms"] = json!(e);
    }
    v
}

/// The `msg` of a `market_position` message.
pub(crate) fn position(account: &str, sub: u8, ticker: &str, p: &Position) -> Value {
    json!({
        "user_id": account,
        "market_ticker": ticker,
        "position_fp": signed_count_fp(p.net()),
        "position_cost_dollars": dollars(p.exposure()),
        "realized_pnl_dollars": dollars(p.realized),
        "fees_paid_dollars": dollars(p.fees),
        "position_fee_cost_dollars": dollars(0),
        "volume_fp": p.traded.to_fp(),
        "subaccount": sub,
    })
}

/// The `msg` of a `market_lifecycle_v2` message with `created`: the market's schedule and
/// metadata.
pub(crate) fn market_created(m: &Market) -> Value {
    let c = &m.cfg;
    json!({
        "event_type": "created",
        "market_ticker": c.ticker,
        "open_ts": c.open_ms / 1000,
        "close_ts": c.close_ms / 1000,
        "exchange_index": c.exchange_index,
        "additional_metadata": {
            "name": c.title,
            "title": c.title,
            "yes_sub_title": c.yes_sub_title,
            "no_sub_title": c.no_sub_title,
            "rules_primary": c.rules_primary,
            "rules_secondary": c.rules_secondary,
            "can_close_early": c.can_close_early,
            "event_ticker": c.event_ticker(),
            "expected_expiration_ts": c.expected_expiration_ms.unwrap_or(c.close_ms) / 1000,
        },
    })
}
