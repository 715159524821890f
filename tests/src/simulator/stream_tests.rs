//! The stream endpoint through a raw blocking tungstenite client: the signed handshake, every
//! command and its answer, the numbered errors, books rebuilt from snapshot and deltas equal to
//! the REST book, private channels only to their owner, and each fault mode.

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use kalshi_core::auth::Credentials;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message, WebSocket};

use super::test_client::{Client, auth_headers, demo_credentials, other_credentials};
use super::{
    DEFAULT_MARKET, ManualClock, MarketConfig, MarketStatus, STREAM_PATH, SettlementResult,
    Simulator, SimulatorConfig,
};
use crate::simulator::test_client::OTHER_PRIVATE_KEY_PEM;

const M: &str = DEFAULT_MARKET;
const OTHER: &str = "other";
const ORDERS: &str = "/portfolio/events/orders";

fn config() -> SimulatorConfig {
    let other = kalshi_core::auth::PrivateKey::from_pem(OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .verifying_key();
    SimulatorConfig::default().with_key(OTHER, other)
}

/// A blocking stream client.
struct Ws {
    ws: WebSocket<TcpStream>,
    /// Pings seen so far.
    pings: usize,
}

/// The handshake request for `sim`, signed by `creds` at `ts` over `path`.
fn handshake(
    sim: &Simulator,
    creds: &Credentials,
    signed_path: &str,
) -> tungstenite::handshake::client::Request {
    let mut req = sim.stream_url().into_client_request().unwrap();
    for (k, v) in auth_headers(creds, sim.now_ms(), "GET", signed_path) {
        req.headers_mut().insert(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    req
}

impl Ws {
    fn connect(sim: &Simulator, creds: &Credentials) -> Ws {
        let stream = TcpStream::connect(sim.addr()).unwrap();
        Self::over(sim, creds, stream)
    }

    fn over(sim: &Simulator, creds: &Credentials, stream: TcpStream) -> Ws {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let (ws, resp) = tungstenite::client::client(handshake(sim, creds, STREAM_PATH), stream)
            .unwrap_or_else(|e| panic!("handshake failed: {e}"));
        assert_eq!(resp.status(), 101);
        Ws { ws, pings: 0 }
    }

    fn send(&mut self, v: Value) {
        self.ws.send(Message::text(v.to_string())).unwrap();
    }

    /// The next JSON message (pings and pongs counted and skipped); `None` when none comes
    /// within `wait`.
    fn try_recv(&mut self, wait: Duration) -> Option<Value> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.ws.get_mut().set_read_timeout(Some(left)).unwrap();
            match self.ws.read() {
                Ok(Message::Text(t)) => return Some(serde_json::from_str(t.as_str()).unwrap()),
                Ok(Message::Ping(_)) => self.pings += 1,
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return None;
                }
                Err(e) => panic!("stream error: {e}"),
            }
        }
    }

    fn recv(&mut self) -> Value {
        self.try_recv(Duration::from_secs(5))
            .expect("no message within 5 s")
    }

    /// Every message until none arrives for 300 ms.
    fn drain(&mut self) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(v) = self.try_recv(Duration::from_millis(300)) {
            out.push(v);
        }
        out
    }

    /// Sends a command and returns its first answer.
    fn ask(&mut self, v: Value) -> Value {
        self.send(v);
        self.recv()
    }
}

fn place(c: &mut Client, sim: &Simulator, side: &str, price: &str, count: &str) -> Value {
    let body = json!({
        "ticker": M, "side": side, "price": price, "count": count,
        "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "maker",
    });
    let resp = c.call(sim, "POST", ORDERS, Some(&body.to_string()));
    resp.assert_status(201);
    resp.json()
}

fn hundredths(s: &str) -> i64 {
    let (w, f) = s.split_once('.').unwrap();
    let sign = if w.starts_with('-') { -1 } else { 1 };
    sign * (w.trim_start_matches('-').parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap())
}

/// A book rebuilt from stream messages: side -> price -> hundredths.
#[derive(Debug, Default, PartialEq)]
struct Book(BTreeMap<String, BTreeMap<String, i64>>);

impl Book {
    fn apply(&mut self, v: &Value) {
        let msg = &v["msg"];
        match v["type"].as_str().unwrap() {
            "orderbook_snapshot" => {
                self.0.clear();
                for (key, side) in [("yes_dollars_fp", "yes"), ("no_dollars_fp", "no")] {
                    let levels = self.0.entry(side.into()).or_default();
                    for l in msg[key].as_array().into_iter().flatten() {
                        levels.insert(
                            l[0].as_str().unwrap().into(),
                            hundredths(l[1].as_str().unwrap()),
                        );
                    }
                }
            }
            "orderbook_delta" => {
                let side = self
                    .0
                    .entry(msg["side"].as_str().unwrap().into())
                    .or_default();
                let p = msg["price_dollars"].as_str().unwrap().to_owned();
                let n = side.get(&p).copied().unwrap_or(0)
                    + hundredths(msg["delta_fp"].as_str().unwrap());
                assert!(n >= 0, "a delta took a level below zero: {v}");
                if n == 0 {
                    side.remove(&p);
                } else {
                    side.insert(p, n);
                }
            }
            _ => {}
        }
    }

    /// The REST book of `M` in the same shape.
    fn rest(c: &mut Client, sim: &Simulator) -> Book {
        let v = c
            .call(sim, "GET", &format!("/markets/{M}/orderbook"), None)
            .json();
        let mut b = Book::default();
        for (key, side) in [("yes_dollars", "yes"), ("no_dollars", "no")] {
            let levels = b.0.entry(side.into()).or_default();
            for l in v["orderbook_fp"][key].as_array().unwrap() {
                levels.insert(
                    l[0].as_str().unwrap().into(),
                    hundredths(l[1].as_str().unwrap()),
                );
            }
        }
        b
    }
}

#[test]
fn handshake_is_signed_like_rest() {
    let sim = Simulator::start(config()).unwrap();
    let creds = demo_credentials();
    let mut ws = Ws::connect(&sim, &creds);
    assert_eq!(
        ws.ask(json!({"id": 1, "cmd": "list_subscriptions"})),
        json!({"id": 1, "type": "ok", "msg": []})
    );
    assert_eq!(sim.stream_connections(), 1);

    // Signed over another path: the same 401 as REST, before any upgrade.
    let stream = TcpStream::connect(sim.addr()).unwrap();
    let bad = handshake(&sim, &creds, "/trade-api/v2/portfolio/balance");
    match tungstenite::client::client(bad, stream) {
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(resp))) => {
            assert_eq!(resp.status(), 401);
            let body: Value = serde_json::from_slice(resp.body().as_deref().unwrap()).unwrap();
            assert_eq!(body["code"], "unauthorized", "{body}");
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    // Unsigned, and signed but not an upgrade.
    let mut c = Client::new(&sim);
    let resp = c.send("GET", STREAM_PATH, &[], None);
    resp.assert_error(401, "unauthorized");
    let headers = auth_headers(&creds, sim.now_ms(), "GET", STREAM_PATH);
    c.send("GET", STREAM_PATH, &headers, None)
        .assert_status(400);
    // A timestamp outside the window is refused too.
    let mut req = handshake(&sim, &creds, STREAM_PATH);
    let old = (sim.now_ms() - 120_000).to_string();
    let sig = creds
        .sign(sim.now_ms() - 120_000, "GET", STREAM_PATH)
        .unwrap();
    req.headers_mut()
        .insert("KALSHI-ACCESS-TIMESTAMP", old.parse().unwrap());
    req.headers_mut()
        .insert("KALSHI-ACCESS-SIGNATURE", sig.parse().unwrap());
    let stream = TcpStream::connect(sim.addr()).unwrap();
    assert!(matches!(
        tungstenite::client::client(req, stream),
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(r))) if r.status() == 401
    ));
}

#[test]
fn every_command_answers_as_documented() {
    let sim = Simulator::start(config()).unwrap();
    let mut c = Client::new(&sim);
    place(&mut c, &sim, "bid", "0.4000", "5");
    let mut ws = Ws::connect(&sim, &demo_credentials());

    ws.send(json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["orderbook_delta"], "market_ticker": M}}));
    assert_eq!(
        ws.recv(),
        json!({"id": 1, "type": "subscribed", "msg": {"channel": "orderbook_delta", "sid": 1}})
    );
    let snap = ws.recv();
    assert_eq!(snap["type"], "orderbook_snapshot");
    assert_eq!(
        (snap["sid"].as_u64(), snap["seq"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(snap["msg"]["market_ticker"], M);
    assert_eq!(snap["msg"]["yes_dollars_fp"], json!([["0.4000", "5.00"]]));
    assert!(snap["msg"].get("no_dollars_fp").is_none(), "{snap}");

    ws.send(json!({"id": 2, "cmd": "subscribe", "params": {"channels": ["ticker", "trade"]}}));
    assert_eq!(ws.recv()["msg"], json!({"channel": "ticker", "sid": 2}));
    assert_eq!(ws.recv()["msg"], json!({"channel": "trade", "sid": 3}));
    assert_eq!(
        ws.ask(json!({"id": 3, "cmd": "list_subscriptions"}))["msg"],
        json!([
            {"channel": "orderbook_delta", "sid": 1},
            {"channel": "ticker", "sid": 2},
            {"channel": "trade", "sid": 3}
        ])
    );

    // add_markets: ok with the full list, then the new market's snapshot (next seq).
    let other = "KXTEST-26DEC31-T60";
    ws.send(json!({"id": 4, "cmd": "update_subscription",
        "params": {"sids": [1], "market_tickers": [other], "action": "add_markets"}}));
    let ok = ws.recv();
    assert_eq!(
        ok,
        json!({"id": 4, "sid": 1, "seq": 1, "type": "ok", "msg": {"market_tickers": [M, other]}})
    );
    let snap = ws.recv();
    assert_eq!(
        (snap["type"].as_str(), snap["seq"].as_u64()),
        (Some("orderbook_snapshot"), Some(2))
    );
    assert_eq!(snap["msg"]["market_ticker"], other);

    // get_snapshot: a snapshot, the subscription unchanged.
    ws.send(json!({"id": 5, "cmd": "update_subscription",
        "params": {"sid": 1, "market_tickers": [M], "action": "get_snapshot"}}));
    let snap = ws.recv();
    assert_eq!(
        (snap["type"].as_str(), snap["seq"].as_u64()),
        (Some("orderbook_snapshot"), Some(3))
    );
    assert_eq!(snap["msg"]["yes_dollars_fp"], json!([["0.4000", "5.00"]]));

    // delete_markets.
    assert_eq!(
        ws.ask(json!({"id": 6, "cmd": "update_subscription",
            "params": {"sids": [1], "market_ticker": other, "action": "delete_markets"}})),
        json!({"id": 6, "sid": 1, "seq": 3, "type": "ok", "msg": {"market_tickers": [M]}})
    );
    // skip_ticker_ack leaves the list out.
    ws.send(json!({"id": 7, "cmd": "subscribe",
        "params": {"channels": ["fill"], "market_tickers": [M], "skip_ticker_ack": true}}));
    assert_eq!(ws.recv()["msg"]["sid"], 4);
    assert_eq!(
        ws.ask(json!({"id": 8, "cmd": "update_subscription",
            "params": {"sid": 4, "market_tickers": [other], "action": "add_markets"}})),
        json!({"id": 8, "sid": 4, "seq": 0, "type": "ok"})
    );

    // unsubscribe: one answer per sid.
    ws.send(json!({"id": 9, "cmd": "unsubscribe", "params": {"sids": [2, 3]}}));
    assert_eq!(
        ws.recv(),
        json!({"id": 9, "sid": 2, "seq": 0, "type": "unsubscribed"})
    );
    assert_eq!(
        ws.recv(),
        json!({"id": 9, "sid": 3, "seq": 0, "type": "unsubscribed"})
    );
    let list = ws.ask(json!({"id": 10, "cmd": "list_subscriptions"}));
    assert_eq!(list["msg"].as_array().unwrap().len(), 2);
    assert_eq!(
        sim.stream_subscriptions("demo-key"),
        vec![vec![
            (1, "orderbook_delta".to_owned()),
            (4, "fill".to_owned())
        ]]
    );

    // Ticker with an initial snapshot; id 0 is no id.
    ws.send(json!({"id": 0, "cmd": "subscribe",
        "params": {"channels": ["ticker"], "market_tickers": [M], "send_initial_snapshot": true}}));
    assert_eq!(
        ws.recv(),
        json!({"type": "subscribed", "msg": {"channel": "ticker", "sid": 5}})
    );
    let t = ws.recv();
    assert_eq!(t["type"], "ticker");
    assert_eq!(t["msg"]["yes_bid_dollars"], "0.4000");
    assert_eq!(t["msg"]["yes_ask_dollars"], "1.0000");
    assert!(t.get("seq").is_none());
}

#[test]
fn bad_commands_get_the_documented_errors() {
    let sim = Simulator::start(config()).unwrap();
    let mut ws = Ws::connect(&sim, &demo_credentials());
    assert_eq!(
        ws.ask(json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["trade"]}}))["type"],
        "subscribed"
    );
    let cases = [
        (json!({"id": 2, "cmd": "frobnicate"}), 5),
        (json!({"id": 3}), 5),
        (json!({"id": 4, "cmd": "subscribe"}), 2),
        (json!({"id": 5, "cmd": "subscribe", "params": {}}), 3),
        (
            json!({"id": 6, "cmd": "subscribe", "params": {"channels": []}}),
            3,
        ),
        (
            json!({"id": 7, "cmd": "subscribe", "params": {"channels": ["multivariate"]}}),
            8,
        ),
        (
            json!({"id": 8, "cmd": "subscribe", "params": {"channels": ["trade"]}}),
            6,
        ),
        (
            json!({"id": 9, "cmd": "subscribe", "params": {"channels": ["orderbook_delta"]}}),
            14,
        ),
        (
            json!({"id": 10, "cmd": "subscribe", "params": {"channels": ["ticker"], "market_ticker": M, "market_tickers": [M]}}),
            11,
        ),
        (
            json!({"id": 11, "cmd": "subscribe", "params": {"channels": "ticker"}}),
            1,
        ),
        (json!({"id": 12, "cmd": "unsubscribe", "params": {}}), 4),
        (
            json!({"id": 13, "cmd": "unsubscribe", "params": {"sids": [99]}}),
            7,
        ),
        (
            json!({"id": 14, "cmd": "update_subscription", "params": {"sids": [1, 2], "action": "add_markets"}}),
            12,
        ),
        (
            json!({"id": 15, "cmd": "update_subscription", "params": {"sid": 1}}),
            15,
        ),
        (
            json!({"id": 16, "cmd": "update_subscription", "params": {"sid": 1, "action": "rename"}}),
            13,
        ),
        (
            json!({"id": 17, "cmd": "update_subscription", "params": {"sid": 1, "action": "get_snapshot", "market_tickers": [M]}}),
            13,
        ),
        (
            json!({"id": 18, "cmd": "update_subscription", "params": {"sid": 9, "action": "add_markets", "market_tickers": [M]}}),
            7,
        ),
        (
            json!({"id": 19, "cmd": "subscribe", "params": {"channels": ["communications"], "shard_factor": 0}}),
            19,
        ),
        (
            json!({"id": 20, "cmd": "subscribe", "params": {"channels": ["communications"], "shard_key": 1}}),
            20,
        ),
        (
            json!({"id": 21, "cmd": "subscribe", "params": {"channels": ["communications"], "shard_factor": 2, "shard_key": 2}}),
            21,
        ),
        (
            json!({"id": 22, "cmd": "subscribe", "params": {"channels": ["communications"], "shard_factor": 101}}),
            22,
        ),
    ];
    for (cmd, code) in cases {
        let answer = ws.ask(cmd.clone());
        assert_eq!(answer["type"], "error", "{cmd} -> {answer}");
        assert_eq!(answer["msg"]["code"], code, "{cmd} -> {answer}");
        assert_eq!(answer["id"], cmd["id"], "{cmd} -> {answer}");
        assert!(answer["msg"]["msg"].is_string());
    }
    assert_eq!(
        ws.ask(json!({"id": 30, "cmd": "subscribe",
            "params": {"channels": ["ticker"], "market_ticker": "KXNOPE-1"}})),
        json!({"id": 30, "type": "error",
            "msg": {"code": 16, "msg": "Market not found", "market_ticker": "KXNOPE-1"}})
    );
    ws.send(json!({"id": 31, "cmd": "subscribe"}));
    ws.ws.send(Message::text("not json")).unwrap();
    assert_eq!(ws.recv()["msg"]["code"], 2);
    assert_eq!(
        ws.recv(),
        json!({"type": "error", "msg": {"code": 1, "msg": "Unable to process message"}})
    );
    // Nothing was subscribed by the refused commands.
    assert_eq!(sim.stream_subscriptions("demo-key")[0].len(), 1);
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn snapshot_plus_deltas_equals_the_rest_book_after_random_activity() {
    let sim = Simulator::start(config()).unwrap();
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    place(&mut demo, &sim, "bid", "0.3000", "4");
    let mut ws = Ws::connect(&sim, &demo_credentials());
    let mut yes_ws = Ws::connect(&sim, &demo_credentials());
    ws.send(json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["orderbook_delta"], "market_ticker": M}}));
    yes_ws.send(json!({"id": 1, "cmd": "subscribe",
        "params": {"channels": ["orderbook_delta"], "market_ticker": M, "use_yes_price": true}}));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut resting: Vec<(bool, String)> = Vec::new();
    for _ in 0..60 {
        let demo_turn = rng.below(2) == 0;
        let c = if demo_turn { &mut demo } else { &mut other };
        match rng.below(5) {
            0..=2 => {
                let side = if rng.below(2) == 0 { "bid" } else { "ask" };
                let price = format!("0.{:02}00", 35 + rng.below(30));
                let count = format!("{}.{:02}", 1 + rng.below(5), rng.below(4) * 25);
                let id = place(c, &sim, side, &price, &count)["order_id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                resting.push((demo_turn, id));
            }
            3 if !resting.is_empty() => {
                let (owner, id) = resting.swap_remove(rng.below(resting.len() as u64) as usize);
                let c = if owner { &mut demo } else { &mut other };
                c.call(&sim, "DELETE", &format!("{ORDERS}/{id}"), None)
                    .assert_status(200);
            }
            _ if !resting.is_empty() => {
                let (owner, id) = resting[rng.below(resting.len() as u64) as usize].clone();
                let c = if owner { &mut demo } else { &mut other };
                let body = json!({"reduce_by": "0.50"}).to_string();
                let resp = c.call(
                    &sim,
                    "POST",
                    &format!("{ORDERS}/{id}/decrease"),
                    Some(&body),
                );
                resp.assert_status(200);
            }
            _ => {}
        }
    }
    let msgs = ws.drain();
    let subscribed = msgs.iter().filter(|m| m["type"] == "subscribed").count();
    assert_eq!(subscribed, 1);
    let mut book = Book::default();
    let mut seq = 0;
    let mut deltas = 0;
    for m in msgs.iter().filter(|m| m.get("seq").is_some()) {
        seq += 1;
        assert_eq!(m["seq"], seq, "seqs go up by exactly 1: {m}");
        assert_eq!(m["sid"], 1);
        deltas += usize::from(m["type"] == "orderbook_delta");
        book.apply(m);
    }
    assert!(deltas > 20, "only {deltas} deltas");
    assert_eq!(book, Book::rest(&mut demo, &sim));

    // The yes-price subscription reports the no side at YES prices: flipped back, the same book.
    let mut yes_book = Book::default();
    for m in yes_ws.drain().iter().filter(|m| m.get("seq").is_some()) {
        yes_book.apply(m);
    }
    let flipped: BTreeMap<String, i64> = yes_book
        .0
        .get("no")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|(p, n)| {
            let yes: u32 = p.replace('.', "").parse().unwrap();
            let no = 10_000 - yes;
            (format!("{}.{:04}", no / 10_000, no % 10_000), n)
        })
        .collect();
    yes_book.0.insert("no".into(), flipped);
    assert_eq!(yes_book, Book::rest(&mut demo, &sim));
}

#[test]
fn own_orders_are_attributed_and_private_channels_reach_only_their_owner() {
    let sim = Simulator::start(config()).unwrap();
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    let mut dws = Ws::connect(&sim, &demo_credentials());
    let mut ows = Ws::connect(&sim, &other_credentials(OTHER));
    for ws in [&mut dws, &mut ows] {
        ws.send(json!({"id": 1, "cmd": "subscribe", "params": {
            "channels": ["orderbook_delta", "fill", "user_orders", "market_positions", "trade", "ticker"],
            "market_ticker": M}}));
        assert_eq!(ws.drain().len(), 7);
    }
    let body = json!({"ticker": M, "side": "bid", "price": "0.4500", "count": "10",
        "client_order_id": "mine-1", "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "maker"});
    let resp = demo.call(&sim, "POST", ORDERS, Some(&body.to_string()));
    resp.assert_status(201);
    let bid_id = resp.json()["order_id"].as_str().unwrap().to_owned();
    let d = dws.drain();
    let o = ows.drain();
    let of = |v: &[Value], t: &str| {
        v.iter()
            .filter(|m| m["type"] == t)
            .cloned()
            .collect::<Vec<_>>()
    };
    let delta = &of(&d, "orderbook_delta")[0]["msg"];
    assert_eq!(delta["client_order_id"], "mine-1");
    assert_eq!(
        (
            delta["price_dollars"].as_str(),
            delta["delta_fp"].as_str(),
            delta["side"].as_str()
        ),
        (Some("0.4500"), Some("10.00"), Some("yes"))
    );
    assert!(
        of(&o, "orderbook_delta")[0]["msg"]
            .get("client_order_id")
            .is_none()
    );
    assert_eq!(of(&d, "user_order").len(), 1);
    assert_eq!(of(&d, "user_order")[0]["msg"]["status"], "resting");
    assert!(of(&o, "user_order").is_empty());

    // The other key sells 4 into the bid.
    place(&mut other, &sim, "ask", "0.4500", "4");
    let d = dws.drain();
    let o = ows.drain();
    let dfill = of(&d, "fill");
    let ofill = of(&o, "fill");
    assert_eq!((dfill.len(), ofill.len()), (1, 1));
    assert_eq!(dfill[0]["msg"]["order_id"], bid_id);
    assert_eq!(dfill[0]["msg"]["is_taker"], false);
    assert_eq!(dfill[0]["msg"]["post_position_fp"], "4.00");
    assert_eq!(dfill[0]["msg"]["client_order_id"], "mine-1");
    assert_eq!(ofill[0]["msg"]["is_taker"], true);
    assert_eq!(ofill[0]["msg"]["post_position_fp"], "-4.00");
    assert_eq!(dfill[0]["msg"]["count_fp"], "4.00");
    // Fills match REST fills (trade_id is the fill's id there too).
    let rest = demo.call(&sim, "GET", "/portfolio/fills", None).json();
    assert_eq!(rest["fills"][0]["trade_id"], dfill[0]["msg"]["trade_id"]);
    assert_eq!(of(&d, "user_order")[0]["msg"]["fill_count_fp"], "4.00");
    assert!(
        of(&d, "user_order")
            .iter()
            .all(|u| u["msg"]["user_id"] == "demo-key")
    );
    assert!(
        of(&o, "user_order")
            .iter()
            .all(|u| u["msg"]["user_id"] == OTHER)
    );
    assert_eq!(of(&d, "market_position")[0]["msg"]["position_fp"], "4.00");
    assert_eq!(of(&o, "market_position")[0]["msg"]["position_fp"], "-4.00");
    for v in [&d, &o] {
        let trades = of(v, "trade");
        assert_eq!(trades.len(), 1);
        assert_eq!(trades[0]["msg"]["count_fp"], "4.00");
        assert_eq!(trades[0]["msg"]["taker_side"], "no");
        let ticker = of(v, "ticker");
        assert_eq!(ticker.len(), 1);
        assert_eq!(ticker[0]["msg"]["price_dollars"], "0.4500");
        assert_eq!(ticker[0]["msg"]["volume_fp"], "4.00");
        let delta = &of(v, "orderbook_delta")[0]["msg"];
        assert_eq!(delta["delta_fp"], "-4.00");
    }
    // The maker's own fill attributes the delta to it.
    assert_eq!(
        of(&d, "orderbook_delta")[0]["msg"]["client_order_id"],
        "mine-1"
    );
}

#[test]
fn order_group_updates_follow_the_group() {
    let sim = Simulator::start(config()).unwrap();
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    let mut ws = Ws::connect(&sim, &demo_credentials());
    let mut ows = Ws::connect(&sim, &other_credentials(OTHER));
    assert_eq!(
        ws.ask(
            json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["order_group_updates"]}})
        )["type"],
        "subscribed"
    );
    assert_eq!(
        ows.ask(
            json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["order_group_updates"]}})
        )["type"],
        "subscribed"
    );
    let g = demo
        .call(
            &sim,
            "POST",
            "/portfolio/order_groups/create",
            Some(r#"{"contracts_limit": 5}"#),
        )
        .json()["order_group_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/portfolio/order_groups/{g}");
    demo.call(
        &sim,
        "PUT",
        &format!("{base}/limit"),
        Some(r#"{"contracts_limit": 3}"#),
    )
    .assert_status(200);
    // Fills of a grouped order past the limit trigger it.
    let body = json!({"ticker": M, "side": "bid", "price": "0.5000", "count": "10",
        "order_group_id": g, "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "maker"});
    demo.call(&sim, "POST", ORDERS, Some(&body.to_string()))
        .assert_status(201);
    place(&mut other, &sim, "ask", "0.5000", "4");
    demo.call(&sim, "PUT", &format!("{base}/reset"), None)
        .assert_status(200);
    demo.call(&sim, "PUT", &format!("{base}/trigger"), None)
        .assert_status(200);
    demo.call(&sim, "DELETE", &base, None).assert_status(200);
    let got = ws.drain();
    let kinds: Vec<&str> = got
        .iter()
        .map(|m| m["msg"]["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "created",
            "limit_updated",
            "triggered",
            "reset",
            "triggered",
            "deleted"
        ]
    );
    let seqs: Vec<u64> = got.iter().map(|m| m["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
    assert_eq!(got[0]["msg"]["contracts_limit_fp"], "5.00");
    assert_eq!(got[1]["msg"]["contracts_limit_fp"], "3.00");
    assert!(
        got.iter()
            .all(|m| m["msg"]["order_group_id"] == g.as_str() && m["msg"]["ts_ms"].is_u64())
    );
    assert!(
        ows.drain().is_empty(),
        "another account's groups are not shown"
    );
}

#[test]
fn lifecycle_events_come_from_the_hooks() {
    let sim = Simulator::start(config()).unwrap();
    let mut ws = Ws::connect(&sim, &demo_credentials());
    assert_eq!(
        ws.ask(
            json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["market_lifecycle_v2"]}})
        )["type"],
        "subscribed"
    );
    sim.set_market_status(M, MarketStatus::Inactive).unwrap();
    sim.set_market_status(M, MarketStatus::Active).unwrap();
    sim.settle_market(M, SettlementResult::Yes).unwrap();
    sim.add_market(MarketConfig::new("KXNEW-27JAN01-T1"))
        .unwrap();
    let got = ws.drain();
    let kinds: Vec<(&str, &str)> = got
        .iter()
        .map(|m| {
            (
                m["type"].as_str().unwrap(),
                m["msg"]["event_type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("market_lifecycle_v2", "deactivated"),
            ("market_lifecycle_v2", "activated"),
            ("market_lifecycle_v2", "determined"),
            ("market_lifecycle_v2", "settled"),
            ("event_lifecycle", ""),
            ("market_lifecycle_v2", "created"),
        ]
    );
    assert_eq!(got[2]["msg"]["result"], "yes");
    assert_eq!(got[2]["msg"]["settlement_value"], "1.0000");
    assert_eq!(got[4]["msg"]["event_ticker"], "KXNEW-27JAN01");
    assert_eq!(got[5]["msg"]["market_ticker"], "KXNEW-27JAN01-T1");
}

#[test]
fn drop_and_duplicate_faults_make_a_gap_and_a_repeat() {
    let sim = Simulator::start(config()).unwrap();
    let mut c = Client::new(&sim);
    let mut ws = Ws::connect(&sim, &demo_credentials());
    ws.send(json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["orderbook_delta"], "market_ticker": M}}));
    assert_eq!(ws.drain().len(), 2);
    assert_eq!(sim.drop_next_stream_message("orderbook_delta").unwrap(), 1);
    place(&mut c, &sim, "bid", "0.2000", "1");
    place(&mut c, &sim, "bid", "0.2100", "1");
    let got = ws.drain();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["seq"], 3, "seq 2 was dropped: {got:?}");
    assert_eq!(
        sim.duplicate_next_stream_message("orderbook_delta")
            .unwrap(),
        1
    );
    place(&mut c, &sim, "bid", "0.2200", "1");
    let got = ws.drain();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0], got[1]);
    assert_eq!(got[0]["seq"], 4);
    place(&mut c, &sim, "bid", "0.2300", "1");
    assert_eq!(ws.drain()[0]["seq"], 5);
    assert!(sim.drop_next_stream_message("nope").is_err());
}

#[test]
fn disconnect_drops_the_connections_of_a_key() {
    let sim = Simulator::start(config()).unwrap();
    let mut d = Ws::connect(&sim, &demo_credentials());
    let mut o = Ws::connect(&sim, &other_credentials(OTHER));
    assert_eq!(
        d.ask(json!({"id": 1, "cmd": "list_subscriptions"}))["type"],
        "ok"
    );
    assert_eq!(
        o.ask(json!({"id": 1, "cmd": "list_subscriptions"}))["type"],
        "ok"
    );
    assert_eq!(sim.disconnect_streams(Some("demo-key")), 1);
    d.ws.get_mut()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    match d.ws.read() {
        Ok(Message::Close(_)) | Err(_) => {}
        other => panic!("expected the connection to end, got {other:?}"),
    }
    assert_eq!(
        o.ask(json!({"id": 2, "cmd": "list_subscriptions"}))["type"],
        "ok"
    );
    assert_eq!(sim.disconnect_streams(None), 1);
    assert!(matches!(o.ws.read(), Ok(Message::Close(_)) | Err(_)));
    assert_eq!(sim.stream_connections(), 0);
}

#[test]
fn pings_arrive_on_schedule_and_silence_stops_them_and_the_pushes() {
    let sim =
        Simulator::start(config().with_stream_ping_interval(Duration::from_millis(100))).unwrap();
    let mut c = Client::new(&sim);
    let mut ws = Ws::connect(&sim, &demo_credentials());
    // A client ping gets a pong.
    ws.ws.send(Message::Ping("hi".into())).unwrap();
    let started = Instant::now();
    let mut pong = false;
    ws.ws
        .get_mut()
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    while !pong && started.elapsed() < Duration::from_secs(2) {
        match ws.ws.read().unwrap() {
            Message::Pong(p) => pong = p.as_ref() == b"hi",
            Message::Ping(p) => {
                assert_eq!(p.as_ref(), b"heartbeat");
                ws.pings += 1;
            }
            _ => {}
        }
    }
    assert!(pong);
    std::thread::sleep(Duration::from_millis(500));
    assert!(ws.try_recv(Duration::from_millis(50)).is_none());
    assert!(ws.pings >= 3, "{} pings in 0.5 s", ws.pings);

    ws.send(json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["orderbook_delta"], "market_ticker": M}}));
    assert_eq!(ws.drain().len(), 2);
    sim.set_streams_silent(true);
    // Let a ping already on the wire arrive.
    ws.drain();
    let before = ws.pings;
    place(&mut c, &sim, "bid", "0.2000", "1");
    assert!(ws.try_recv(Duration::from_millis(600)).is_none());
    assert_eq!(ws.pings, before, "no pings while silent");
    assert_eq!(sim.stream_connections(), 1, "silent is not closed");
    sim.set_streams_silent(false);
    place(&mut c, &sim, "bid", "0.2100", "1");
    let got = ws.recv();
    assert_eq!(got["seq"], 3, "the silenced delta used seq 2: {got}");
    std::thread::sleep(Duration::from_millis(300));
    ws.drain();
    assert!(ws.pings > before);
}

#[test]
fn a_client_that_does_not_read_is_closed_with_1008_after_error_25() {
    let sim = Simulator::start(config().with_stream_queue_capacity(16)).unwrap();
    // A small receive buffer so that the server's writes block soon.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&sim.addr().into()).unwrap();
    let mut ws = Ws::over(&sim, &demo_credentials(), socket.into());
    assert_eq!(
        ws.ask(
            json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["market_lifecycle_v2"]}})
        )["type"],
        "subscribed"
    );
    // Big messages, cheaply: every new market is a `created` message carrying its rules.
    let rules = "r".repeat(16_000);
    let mut n = 0;
    while sim.stream_connections() > 0 {
        n += 1;
        assert!(n < 5000, "the server kept a client that does not read");
        sim.add_market(MarketConfig::new(format!("KXBIG-27JAN01-T{n}")).rules(rules.as_str(), ""))
            .unwrap();
    }
    // Reading now: the messages that made it, then error 25 and close 1008.
    let mut saw_error = false;
    let mut got = 0;
    ws.ws
        .get_mut()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    loop {
        match ws.ws.read() {
            Ok(Message::Text(t)) => {
                got += 1;
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if v["type"] == "error" {
                    assert_eq!(v["msg"]["code"], 25);
                    saw_error = true;
                }
            }
            Ok(Message::Close(Some(f))) => {
                assert_eq!(f.code, CloseCode::Policy);
                assert!(saw_error);
                break;
            }
            Ok(_) => {}
            Err(e) => panic!(
                "expected error 25 and a close frame, got {e} (error seen: {saw_error}, {got} messages)"
            ),
        }
    }
}

#[test]
fn user_orders_follow_every_change_and_time_passes_on_pings() {
    let clock = ManualClock::new(1_795_578_928_000);
    let sim = Simulator::start(
        config()
            .with_clock(clock.clone())
            .with_stream_ping_interval(Duration::from_millis(50)),
    )
    .unwrap();
    let mut c = Client::new(&sim);
    let mut ws = Ws::connect(&sim, &demo_credentials());
    ws.send(json!({"id": 1, "cmd": "subscribe",
        "params": {"channels": ["user_orders", "orderbook_delta"], "market_ticker": M}}));
    assert_eq!(ws.drain().len(), 3);
    let of = |v: &[Value], t: &str| {
        v.iter()
            .filter(|m| m["type"] == t)
            .map(|m| m["msg"].clone())
            .collect::<Vec<_>>()
    };

    let id = place(&mut c, &sim, "bid", "0.3000", "10")["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = ws.drain();
    assert_eq!(of(&got, "user_order")[0]["status"], "resting");
    assert_eq!(of(&got, "orderbook_delta")[0]["delta_fp"], "10.00");
    let body = json!({"reduce_by": "4"}).to_string();
    c.call(
        &sim,
        "POST",
        &format!("{ORDERS}/{id}/decrease"),
        Some(&body),
    )
    .assert_status(200);
    let got = ws.drain();
    let orders = of(&got, "user_order");
    assert_eq!(
        orders.len(),
        1,
        "one message per order per request: {got:?}"
    );
    assert_eq!(orders[0]["remaining_count_fp"], "6.00");
    let deltas = of(&got, "orderbook_delta");
    assert_eq!(deltas.len(), 1, "{got:?}");
    assert_eq!(deltas[0]["delta_fp"], "-4.00");

    let body = json!({"ticker": M, "side": "bid", "price": "0.3100", "count": "6"}).to_string();
    c.call(&sim, "POST", &format!("{ORDERS}/{id}/amend"), Some(&body))
        .assert_status(200);
    let got = ws.drain();
    assert_eq!(of(&got, "user_order")[0]["yes_price_dollars"], "0.3100");
    let deltas: Vec<(String, String)> = of(&got, "orderbook_delta")
        .iter()
        .map(|d| {
            (
                d["price_dollars"].as_str().unwrap().into(),
                d["delta_fp"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        deltas,
        [
            ("0.3000".into(), "-6.00".into()),
            ("0.3100".into(), "6.00".into())
        ]
    );

    c.call(&sim, "DELETE", &format!("{ORDERS}/{id}"), None)
        .assert_status(200);
    let got = ws.drain();
    assert_eq!(of(&got, "user_order")[0]["status"], "canceled");
    assert_eq!(of(&got, "user_order")[0]["remaining_count_fp"], "0.00");

    // An order that expires on the clock: pushed at the next ping, without any request.
    let exp_s = sim.now_ms() / 1000 + 60;
    let body = json!({"ticker": M, "side": "bid", "price": "0.2500", "count": "3",
        "time_in_force": "good_till_canceled", "expiration_time": exp_s,
        "self_trade_prevention_type": "maker"});
    c.call(&sim, "POST", ORDERS, Some(&body.to_string()))
        .assert_status(201);
    let created = of(&ws.drain(), "user_order");
    assert_eq!(created[0]["status"], "resting");
    assert_eq!(created[0]["expiration_ts_ms"], exp_s * 1000);
    clock.advance(Duration::from_secs(61));
    let got = ws.drain();
    assert_eq!(of(&got, "user_order")[0]["status"], "canceled", "{got:?}");
    assert_eq!(of(&got, "orderbook_delta")[0]["delta_fp"], "-3.00");
}

#[test]
fn settlement_pushes_the_positions_it_pays() {
    let sim = Simulator::start(config()).unwrap();
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    place(&mut demo, &sim, "bid", "0.6000", "5");
    place(&mut other, &sim, "ask", "0.6000", "5");
    let mut ws = Ws::connect(&sim, &demo_credentials());
    let answer =
        ws.ask(json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["market_positions"]}}));
    assert_eq!(answer["type"], "subscribed");
    sim.settle_market(M, SettlementResult::Yes).unwrap();
    let got = ws.drain();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["type"], "market_position");
    assert_eq!(got[0]["msg"]["market_ticker"], M);
    assert_eq!(got[0]["msg"]["user_id"], "demo-key");
}

#[test]
fn after_a_gap_get_snapshot_resyncs_the_book() {
    let sim = Simulator::start(config()).unwrap();
    let mut c = Client::new(&sim);
    let mut ws = Ws::connect(&sim, &demo_credentials());
    ws.send(json!({"id": 1, "cmd": "subscribe",
        "params": {"channels": ["orderbook_delta"], "market_ticker": M}}));
    let mut book = Book::default();
    let mut last = 0;
    for m in ws.drain() {
        if let Some(seq) = m["seq"].as_u64() {
            last = seq;
            book.apply(&m);
        }
    }
    place(&mut c, &sim, "bid", "0.4000", "2");
    sim.drop_next_stream_message("orderbook_delta").unwrap();
    place(&mut c, &sim, "bid", "0.4100", "3");
    place(&mut c, &sim, "ask", "0.5000", "1");
    let mut gap = false;
    for m in ws.drain() {
        let seq = m["seq"].as_u64().unwrap();
        if seq != last + 1 {
            gap = true;
            break;
        }
        last = seq;
        book.apply(&m);
    }
    assert!(gap, "the dropped delta leaves a gap");
    assert_ne!(book, Book::rest(&mut c, &sim));
    // Resync: a snapshot, then the deltas after it, seqs contiguous from the snapshot's.
    ws.send(json!({"id": 2, "cmd": "update_subscription",
        "params": {"sids": [1], "market_tickers": [M], "action": "get_snapshot"}}));
    let snap = ws.recv();
    assert_eq!(snap["type"], "orderbook_snapshot");
    book.apply(&snap);
    let from = snap["seq"].as_u64().unwrap() + 1;
    place(&mut c, &sim, "ask", "0.4100", "1.50");
    for (seq, m) in (from..).zip(ws.drain()) {
        assert_eq!(m["seq"].as_u64(), Some(seq));
        book.apply(&m);
    }
    assert_eq!(book, Book::rest(&mut c, &sim));
}

/// The `communications` channel: RFQ messages to every subscriber, quote messages to the two
/// parties only, each readable by the core's parser.
#[test]
fn communications_carry_the_rfq_workflow() {
    let (third_private, third_public) = super::throwaway_key_pair().unwrap();
    let sim = Simulator::start(config().with_key_pem("third", &third_public).unwrap()).unwrap();
    let third = Credentials::from_pem("third", &third_private).unwrap();
    let mut tws = Ws::connect(&sim, &third);
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    let mut ws = Ws::connect(&sim, &demo_credentials());
    let mut ows = Ws::connect(&sim, &other_credentials(OTHER));
    for w in [&mut ws, &mut ows, &mut tws] {
        let sub = json!({"id": 1, "cmd": "subscribe", "params": {"channels": ["communications"]}});
        assert_eq!(w.ask(sub)["type"], "subscribed");
    }
    let rfqs = "/communications/rfqs";
    let body = json!({"market_ticker": M, "contracts_fp": "3.00", "rest_remainder": false});
    let rfq = demo
        .call(&sim, "POST", rfqs, Some(&body.to_string()))
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"rfq_id": rfq, "yes_bid": "0.40", "no_bid": "0.50", "rest_remainder": false,
        "subaccount": 0});
    let quote = other
        .call(
            &sim,
            "POST",
            "/communications/quotes",
            Some(&body.to_string()),
        )
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{rfqs}/{rfq}/quotes/{quote}");
    demo.call(
        &sim,
        "PUT",
        &format!("{path}/accept"),
        Some(r#"{"accepted_side": "yes"}"#),
    )
    .assert_status(204);
    other
        .call(&sim, "PUT", &format!("{path}/confirm"), None)
        .assert_status(204);
    let body = json!({"market_ticker": M, "contracts": 1, "rest_remainder": false});
    let second = demo
        .call(&sim, "POST", rfqs, Some(&body.to_string()))
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    demo.call(&sim, "DELETE", &format!("{rfqs}/{second}"), None)
        .assert_status(204);

    let kinds = [
        "rfq_created",
        "quote_created",
        "quote_accepted",
        "quote_executed",
        "rfq_created",
        "rfq_deleted",
    ];
    for (w, is_requester) in [(&mut ws, true), (&mut ows, false)] {
        let got = w.drain();
        let types: Vec<&str> = got.iter().map(|m| m["type"].as_str().unwrap()).collect();
        assert_eq!(types, kinds);
        for m in &got {
            kalshi_core::stream::message::parse(m.to_string().as_bytes())
                .unwrap_or_else(|e| panic!("{m}: {e}"));
        }
        assert_eq!(got[0]["msg"]["id"], rfq.as_str());
        assert_eq!(got[0]["msg"]["contracts_fp"], "3.00");
        assert_eq!(got[2]["msg"]["accepted_side"], "yes");
        assert_eq!(got[2]["msg"]["contracts_accepted_fp"], "3.00");
        let executed = &got[3]["msg"];
        assert_eq!(executed["quote_id"], quote.as_str());
        // Each party gets its own order.
        let order = executed["order_id"].as_str().unwrap();
        let mine = if is_requester { &mut demo } else { &mut other };
        let fills = mine
            .call(
                &sim,
                "GET",
                &format!("/portfolio/fills?order_id={order}"),
                None,
            )
            .json();
        assert_eq!(fills["fills"][0]["count_fp"], "3.00");
    }
    // A third user sees the RFQs, not the quotes.
    let got = tws.drain();
    let types: Vec<&str> = got.iter().map(|m| m["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["rfq_created", "rfq_created", "rfq_deleted"]);
}
