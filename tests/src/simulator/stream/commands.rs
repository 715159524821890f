//! The commands a client sends (`subscribe`, `unsubscribe`, `list_subscriptions`,
//! `update_subscription`) and their answers, with the documented numbered errors.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::super::state::Exchange;
use super::feed::Feed;
use super::hub::{Channel, Conn, Sub, envelope};
use super::messages;

/// A refused command: the documented code, and the market for code 16.
#[derive(Debug)]
struct Refusal(u8, Option<String>);

/// The documented message of an error code.
pub(crate) fn error_text(code: u8) -> &'static str {
    match code {
        1 => "Unable to process message",
        2 => "Params required",
        3 => "Channels required",
        4 => "Subscription IDs required",
        5 => "Unknown command",
        6 => "Already subscribed",
        7 => "Unknown subscription ID",
        8 => "Unknown channel name",
        9 => "Authentication required",
        10 => "Channel error",
        11 => "Invalid parameter",
        12 => "Exactly one subscription ID is required",
        13 => "Unsupported action",
        14 => "Market Ticker required",
        15 => "Action required",
        16 => "Market not found",
        17 => "Internal error",
        18 => "Command timeout",
        19 => "shard_factor must be > 0",
        20 => "shard_factor is required when shard_key is set",
        21 => "shard_key must be >= 0 and < shard_factor",
        22 => "shard_factor must be <= 100",
        25 => "Subscription buffer overflow",
        _ => "Internal error",
    }
}

/// `{"id"?, "type": "error", "msg": {"code", "msg", "market_ticker"?}}`.
pub(crate) fn error_json(id: Option<u64>, code: u8, market: Option<&str>) -> Value {
    let mut msg = json!({"code": code, "msg": error_text(code)});
    if let Some(m) = market {
        msg["market_ticker"] = json!(m);
    }
    with_id(id, json!({"type": "error", "msg": msg}))
}

/// Adds `"id"` first when the command had a non-zero one (0 counts as none, as documented).
fn with_id(id: Option<u64>, v: Value) -> Value {
    let Value::Object(body) = v else {
        return v;
    };
    let mut out = Map::new();
    if let Some(id) = id {
        out.insert("id".into(), json!(id));
    }
    out.extend(body);
    Value::Object(out)
}

/// Runs one text frame from the client on connection `conn`, queueing the answers (and any
/// snapshots) on it.
pub(crate) fn handle(ex: &mut Exchange, conn: u64, text: &str, now_ms: u64) {
    let mut hub = std::mem::take(&mut ex.streams);
    if let Some((c, feed)) = hub.conn_and_feed(conn) {
        let mut id = None;
        if let Err(Refusal(code, market)) = command(ex, feed, c, text, now_ms, &mut id) {
            c.send_json(&error_json(id, code, market.as_deref()));
        }
    }
    hub.reap();
    ex.streams = hub;
}

fn command(
    ex: &Exchange,
    feed: &mut Feed,
    c: &mut Conn,
    text: &str,
    now_ms: u64,
    id_out: &mut Option<u64>,
) -> Result<(), Refusal> {
    let Ok(Value::Object(v)) = serde_json::from_str::<Value>(text) else {
        return Err(Refusal(1, None));
    };
    let id = match v.get("id") {
        None | Some(Value::Null) => None,
        Some(x) => Some(x.as_u64().ok_or(Refusal(1, None))?),
    }
    .filter(|id| *id != 0);
    *id_out = id;
    let cmd = match v.get("cmd") {
        None => return Err(Refusal(5, None)),
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(Refusal(1, None)),
    };
    let params = || -> Result<&Map<String, Value>, Refusal> {
        match v.get("params") {
            None | Some(Value::Null) => Err(Refusal(2, None)),
            Some(Value::Object(p)) => Ok(p),
            Some(_) => Err(Refusal(1, None)),
        }
    };
    match cmd {
        "subscribe" => subscribe(ex, feed, c, id, params()?, now_ms),
        "unsubscribe" => unsubscribe(c, id, params()?),
        "list_subscriptions" => {
            let list: Vec<Value> = c
                .subs
                .values()
                .map(|s| json!({"channel": s.channel.as_str(), "sid": s.sid}))
                .collect();
            c.send_json(&with_id(id, json!({"type": "ok", "msg": list})));
            Ok(())
        }
        "update_subscription" => update(ex, feed, c, id, params()?, now_ms),
        _ => Err(Refusal(5, None)),
    }
}

/// A boolean flag, `false` when absent.
fn flag(p: &Map<String, Value>, name: &str) -> Result<bool, Refusal> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Refusal(1, None)),
    }
}

/// A list of strings (`None` when absent).
fn strings(p: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>, Refusal> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_owned).ok_or(Refusal(1, None)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(Refusal(1, None)),
    }
}

/// A string (`None` when absent).
fn string(p: &Map<String, Value>, name: &str) -> Result<Option<String>, Refusal> {
    match p.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Refusal(1, None)),
    }
}

/// The markets a command names (`market_ticker`, `market_tickers`, and with `ids` also
/// `market_id`, `market_ids`; at most one of them), each checked to exist; `None` when it
/// names none.
fn markets(
    ex: &Exchange,
    p: &Map<String, Value>,
    ids: bool,
) -> Result<Option<Vec<String>>, Refusal> {
    let one = string(p, "market_ticker")?;
    let many = strings(p, "market_tickers")?;
    let one_id = string(p, "market_id")?;
    let many_ids = strings(p, "market_ids")?;
    let given = [
        one.is_some(),
        many.is_some(),
        one_id.is_some(),
        many_ids.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(Refusal(11, None));
    }
    if !ids && (one_id.is_some() || many_ids.is_some()) {
        return Err(Refusal(11, None));
    }
    let tickers = if let Some(t) = one {
        vec![t]
    } else if let Some(t) = many {
        if t.is_empty() {
            return Err(Refusal(11, None));
        }
        t
    } else if let Some(ids) = one_id.map(|i| vec![i]).or(many_ids) {
        if ids.is_empty() {
            return Err(Refusal(11, None));
        }
        let mut out = Vec::new();
        for i in ids {
            let t = ex
                .markets
                .keys()
                .find(|t| messages::market_id(t) == i)
                .ok_or(Refusal(16, None))?;
            out.push(t.clone());
        }
        out
    } else {
        return Ok(None);
    };
    for t in &tickers {
        if !ex.markets.contains_key(t) {
            return Err(Refusal(16, Some(t.clone())));
        }
    }
    let mut seen = BTreeSet::new();
    Ok(Some(
        tickers
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect(),
    ))
}

/// The `communications` sharding parameters, checked (codes 19 to 22).
fn check_shards(p: &Map<String, Value>) -> Result<(), Refusal> {
    let int = |name: &str| -> Result<Option<i64>, Refusal> {
        match p.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(x) => x.as_i64().map(Some).ok_or(Refusal(1, None)),
        }
    };
    let (factor, key) = (int("shard_factor")?, int("shard_key")?);
    match (factor, key) {
        (Some(f), _) if f <= 0 => Err(Refusal(19, None)),
        (Some(f), _) if f > 100 => Err(Refusal(22, None)),
        (None, Some(_)) => Err(Refusal(20, None)),
        (Some(f), Some(k)) if k < 0 || k >= f => Err(Refusal(21, None)),
        _ => Ok(()),
    }
}

/// Sends the book of `ticker` to subscription `sid` as an `orderbook_snapshot` (the
/// subscription's next seq) and records it as published.
fn send_snapshot(ex: &Exchange, feed: &mut Feed, c: &mut Conn, sid: u64, ticker: &str) {
    let Some(m) = ex.markets.get(ticker) else {
        return;
    };
    let book = messages::levels(ex, m);
    let Some(s) = c.subs.get_mut(&sid) else {
        return;
    };
    let frame = envelope(
        "orderbook_snapshot",
        s,
        messages::snapshot(ticker, &book, s.use_yes_price),
    );
    feed.publish_book(ticker, book);
    c.send(frame);
}

/// Sends the current ticker of each market to subscription `sid`.
fn send_tickers(ex: &Exchange, c: &mut Conn, sid: u64, tickers: &[String], now_ms: u64) {
    for t in tickers {
        let (Some(m), Some(s)) = (ex.markets.get(t), c.subs.get_mut(&sid)) else {
            continue;
        };
        let frame = envelope("ticker", s, messages::ticker(ex, m, now_ms));
        c.send(frame);
    }
}

fn subscribe(
    ex: &Exchange,
    feed: &mut Feed,
    c: &mut Conn,
    id: Option<u64>,
    p: &Map<String, Value>,
    now_ms: u64,
) -> Result<(), Refusal> {
    let names = strings(p, "channels")?.unwrap_or_default();
    if names.is_empty() {
        return Err(Refusal(3, None));
    }
    let mut channels = Vec::new();
    for n in &names {
        let ch = Channel::parse(n).ok_or(Refusal(8, None))?;
        if c.sub_of(ch).is_some() || channels.contains(&ch) {
            return Err(Refusal(6, None));
        }
        channels.push(ch);
    }
    let ids_ok = !channels.contains(&Channel::OrderbookDelta)
        && !channels.contains(&Channel::MarketPositions);
    let tickers = markets(ex, p, ids_ok)?;
    if channels.contains(&Channel::OrderbookDelta) && tickers.is_none() {
        return Err(Refusal(14, None));
    }
    let initial = flag(p, "send_initial_snapshot")?;
    let skip_ack = flag(p, "skip_ticker_ack")?;
    let use_yes_price = flag(p, "use_yes_price")?;
    if channels.contains(&Channel::Communications) {
        check_shards(p)?;
    }
    for ch in channels {
        let sid = c.next_sid();
        let set: Option<BTreeSet<String>> = tickers
            .as_ref()
            .filter(|_| ch.takes_markets())
            .map(|t| t.iter().cloned().collect());
        c.subs.insert(
            sid,
            Sub {
                sid,
                channel: ch,
                markets: set,
                last_seq: 0,
                use_yes_price,
                skip_ticker_ack: skip_ack,
                drop_next: false,
                duplicate_next: false,
            },
        );
        c.send_json(&with_id(
            id,
            json!({"type": "subscribed", "msg": {"channel": ch.as_str(), "sid": sid}}),
        ));
        match ch {
            Channel::OrderbookDelta => {
                for t in tickers.iter().flatten() {
                    send_snapshot(ex, feed, c, sid, t);
                }
            }
            Channel::Ticker if initial => {
                send_tickers(ex, c, sid, tickers.as_deref().unwrap_or_default(), now_ms);
            }
            _ => {}
        }
    }
    Ok(())
}

fn unsubscribe(c: &mut Conn, id: Option<u64>, p: &Map<String, Value>) -> Result<(), Refusal> {
    let sids = match p.get("sids") {
        None | Some(Value::Null) => return Err(Refusal(4, None)),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_u64().ok_or(Refusal(1, None)))
            .collect::<Result<Vec<u64>, _>>()?,
        Some(_) => return Err(Refusal(1, None)),
    };
    if sids.is_empty() {
        return Err(Refusal(4, None));
    }
    if sids.iter().any(|s| !c.subs.contains_key(s)) {
        return Err(Refusal(7, None));
    }
    for sid in sids {
        if let Some(s) = c.subs.remove(&sid) {
            c.send_json(&with_id(
                id,
                json!({"sid": sid, "seq": s.last_seq, "type": "unsubscribed"}),
            ));
        }
    }
    Ok(())
}

fn update(
    ex: &Exchange,
    feed: &mut Feed,
    c: &mut Conn,
    id: Option<u64>,
    p: &Map<String, Value>,
    now_ms: u64,
) -> Result<(), Refusal> {
    let sid = match (
        p.get("sid").filter(|v| !v.is_null()),
        p.get("sids").filter(|v| !v.is_null()),
    ) {
        (Some(s), None) => s.as_u64().ok_or(Refusal(1, None))?,
        (None, Some(Value::Array(a))) if a.len() == 1 => a[0].as_u64().ok_or(Refusal(1, None))?,
        (None, Some(Value::Array(_))) | (Some(_), Some(_)) | (None, None) => {
            return Err(Refusal(12, None));
        }
        (None, Some(_)) => return Err(Refusal(1, None)),
    };
    let action = string(p, "action")?.ok_or(Refusal(15, None))?;
    let channel = c.subs.get(&sid).ok_or(Refusal(7, None))?.channel;
    if !channel.takes_markets() {
        return Err(Refusal(13, None));
    }
    match action.as_str() {
        "get_snapshot" => {
            if channel != Channel::OrderbookDelta {
                return Err(Refusal(13, None));
            }
            if p.get("market_ticker").is_some_and(|v| !v.is_null()) {
                return Err(Refusal(11, None));
            }
            let tickers = markets(ex, p, false)?.ok_or(Refusal(14, None))?;
            for t in &tickers {
                send_snapshot_only(ex, c, sid, t);
            }
            Ok(())
        }
        "add_markets" | "delete_markets" => {
            let ids_ok = !matches!(channel, Channel::OrderbookDelta | Channel::MarketPositions);
            let tickers = markets(ex, p, ids_ok)?.ok_or(Refusal(14, None))?;
            let add = action == "add_markets";
            let initial = flag(p, "send_initial_snapshot")?;
            let Some(s) = c.subs.get_mut(&sid) else {
                return Err(Refusal(7, None));
            };
            let Some(set) = s.markets.as_mut() else {
                // A subscription to every market has no list to change.
                return Err(Refusal(11, None));
            };
            let mut added = Vec::new();
            for t in tickers {
                if add {
                    if set.insert(t.clone()) {
                        added.push(t);
                    }
                } else {
                    set.remove(&t);
                }
            }
            let mut ok = json!({"sid": sid, "seq": s.last_seq, "type": "ok"});
            if !s.skip_ticker_ack {
                ok["msg"] = json!({"market_tickers": set.iter().collect::<Vec<_>>()});
            }
            c.send_json(&with_id(id, ok));
            match channel {
                Channel::OrderbookDelta => {
                    for t in &added {
                        send_snapshot(ex, feed, c, sid, t);
                    }
                }
                Channel::Ticker if initial => send_tickers(ex, c, sid, &added, now_ms),
                _ => {}
            }
            Ok(())
        }
        _ => Err(Refusal(13, None)),
    }
}

/// A `get_snapshot` answer: the book of `ticker` with the subscription's next seq, without
/// changing what the subscription follows (a market it follows is already published as is).
fn send_snapshot_only(ex: &Exchange, c: &mut Conn, sid: u64, ticker: &str) {
    let Some(m) = ex.markets.get(ticker) else {
        return;
    };
    let book = messages::levels(ex, m);
    let Some(s) = c.subs.get_mut(&sid) else {
        return;
    };
    let frame = envelope(
        "orderbook_snapshot",
        s,
        messages::snapshot(ticker, &book, s.use_yes_price),
    );
    c.send(frame);
}
