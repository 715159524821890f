//! End-to-end tests of fault injection, rate limits and the exchange clock on the wire, each
//! observed with the raw test client.
//!
//! No assertion depends on how fast anything runs: delays are long (seconds) where the test
//! checks that nothing arrived early, and the token buckets run on a [`ManualClock`].

use std::time::Duration;

use serde_json::{Value, json};

use super::clock::http_date;
use super::test_client::Client;
use super::*;
use crate::DEMO_KEY_ID;

const T0: u64 = 1_700_000_000_000;
const ORDERS: &str = "/portfolio/events/orders";

fn start() -> (Simulator, ManualClock) {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(SimulatorConfig::default().with_clock(clock.clone())).unwrap();
    (sim, clock)
}

fn order(coid: &str) -> String {
    json!({
        "ticker": DEFAULT_MARKET,
        "side": "bid",
        "price": "0.30",
        "count": "1",
        "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "taker_at_cross",
        "client_order_id": coid,
    })
    .to_string()
}

/// Splits a raw answer into (status, headers, body).
fn split(raw: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    (status, headers, raw[end + 4..].to_vec())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

// ---------------------------------------------------------------------------------------------
// Answers that never executed the request

#[test]
fn server_errors_answer_json_and_do_not_execute() {
    let (sim, _clock) = start();
    sim.faults().push(
        FaultRule::new(Fault::ServerError(503))
            .method(::http::Method::POST)
            .path(ORDERS),
    );
    sim.faults()
        .push(FaultRule::new(Fault::ServerError(500)).path_prefix("/portfolio/"));
    let mut c = Client::new(&sim);
    let resp = c.call(&sim, "POST", ORDERS, Some(&order("a")));
    resp.assert_error(503, "service_unavailable");
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "a"), 0);
    // The second rule catches the next request under /portfolio/; the connection lives on.
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_error(500, "internal_error");
    c.call(&sim, "POST", ORDERS, Some(&order("a")))
        .assert_status(201);
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "a"), 1);
    assert_eq!(sim.faults().pending(), 0);
    let log = sim.faults().injected();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("POST", ORDERS)
    );
    assert_eq!(log[0].key_id.as_deref(), Some(DEMO_KEY_ID));
}

#[test]
fn injected_429_is_the_flat_body_and_does_not_execute() {
    let (sim, _clock) = start();
    sim.faults().push(
        FaultRule::new(Fault::TooManyRequests)
            .writes_only()
            .times(2),
    );
    let mut c = Client::new(&sim);
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_status(200);
    for _ in 0..2 {
        let resp = c.call(&sim, "POST", ORDERS, Some(&order("b")));
        resp.assert_status(429);
        assert_eq!(resp.body, br#"{"error":"too many requests"}"#);
        assert!(resp.header("retry-after").is_none());
    }
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 0);
    c.call(&sim, "POST", ORDERS, Some(&order("b")))
        .assert_status(201);
}

#[test]
fn proxy_502_is_html() {
    let (sim, _clock) = start();
    sim.faults().push(FaultRule::new(Fault::ProxyBadGateway));
    let mut c = Client::new(&sim);
    let resp = c.call(&sim, "POST", ORDERS, Some(&order("c")));
    assert_eq!(resp.status, 502);
    assert_eq!(resp.header("content-type"), Some("text/html"));
    let body = String::from_utf8(resp.body.clone()).unwrap();
    assert!(
        body.starts_with("<html>") && body.contains("502 Bad Gateway"),
        "{body}"
    );
    assert!(serde_json::from_slice::<Value>(&resp.body).is_err());
    assert!(sim.orders(DEMO_KEY_ID).is_empty());
}

#[test]
fn drop_before_execute_closes_without_executing() {
    let (sim, _clock) = start();
    sim.faults().push(FaultRule::new(Fault::DropBeforeExecute));
    let mut c = Client::new(&sim);
    c.write_call(&sim, "POST", ORDERS, Some(&order("d")));
    let (bytes, closed) = c.read_until_closed(Duration::from_secs(30));
    assert!(closed && bytes.is_empty(), "{bytes:?}");
    assert!(sim.orders(DEMO_KEY_ID).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Answers lost or mangled after the request executed

#[test]
fn drop_after_execute_keeps_the_order_and_answers_nothing() {
    let (sim, _clock) = start();
    sim.faults().push(
        FaultRule::new(Fault::DropAfterExecute)
            .method(::http::Method::POST)
            .path(ORDERS),
    );
    let mut c = Client::new(&sim);
    c.write_call(&sim, "POST", ORDERS, Some(&order("e")));
    let (bytes, closed) = c.read_until_closed(Duration::from_secs(30));
    assert!(closed, "the connection is closed");
    assert!(bytes.is_empty(), "no answer at all: {bytes:?}");
    // The order exists, once; a retry with the same client order id is a 409.
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "e"), 1);
    let mut retry = Client::new(&sim);
    retry
        .call(&sim, "POST", ORDERS, Some(&order("e")))
        .assert_error(409, "duplicate_client_order_id");
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);
}

#[test]
fn truncated_body_declares_more_than_it_sends() {
    let (sim, _clock) = start();
    sim.faults().push(FaultRule::new(Fault::TruncatedBody));
    let mut c = Client::new(&sim);
    c.write_call(&sim, "POST", ORDERS, Some(&order("f")));
    let (raw, closed) = c.read_until_closed(Duration::from_secs(30));
    assert!(closed, "the connection is closed after the partial body");
    let (status, headers, body) = split(&raw);
    assert_eq!(status, 201);
    assert_eq!(header(&headers, "content-type"), Some("application/json"));
    let declared: usize = header(&headers, "content-length").unwrap().parse().unwrap();
    assert!(!body.is_empty(), "part of the body arrives");
    assert!(body.len() < declared, "{} of {declared}", body.len());
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert!(body.starts_with(b"{\""));
    // It was executed.
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "f"), 1);
}

#[test]
fn a_delayed_answer_comes_late_after_executing() {
    let (sim, _clock) = start();
    sim.faults()
        .push(FaultRule::new(Fault::DelayAnswer(Duration::from_secs(2))));
    let mut c = Client::new(&sim);
    c.write_call(&sim, "POST", ORDERS, Some(&order("g")));
    // Nothing arrives for a while (a client with a short timeout gives up here)...
    assert!(c.silent_for(Duration::from_millis(300)));
    // ...then the answer does, on the same connection, and the order exists.
    let resp = c.read_answer();
    resp.assert_status(201);
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "g"), 1);
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_status(200);
}

#[test]
fn a_delay_before_executing_holds_the_request() {
    let (sim, _clock) = start();
    sim.faults().push(FaultRule::new(Fault::DelayBeforeExecute(
        Duration::from_secs(2),
    )));
    let mut c = Client::new(&sim);
    c.write_call(&sim, "POST", ORDERS, Some(&order("h")));
    assert!(c.silent_for(Duration::from_millis(300)));
    c.read_answer().assert_status(201);
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "h"), 1);
}

#[test]
fn random_faults_are_reproducible_and_consistent_with_the_state() {
    let run = |seed: u64| {
        let clock = ManualClock::new(T0);
        let sim = Simulator::start(
            SimulatorConfig::default()
                .with_clock(clock)
                .with_random_faults(
                    RandomFaults::new(seed)
                        .drop_after_execute(0.2)
                        .server_error(0.2)
                        .too_many_requests(0.2),
                ),
        )
        .unwrap();
        let mut outcomes = Vec::new();
        let mut c = Client::new(&sim);
        for i in 0..60 {
            let coid = format!("r{i}");
            c.write_call(&sim, "POST", ORDERS, Some(&order(&coid)));
            let raw = c.try_read_answer().map(|r| r.status);
            if raw.is_none() {
                c = Client::new(&sim);
            }
            let exists = sim.orders_with_client_order_id(DEMO_KEY_ID, &coid);
            match raw {
                Some(201) => assert_eq!(exists, 1),
                Some(503) | Some(429) => assert_eq!(exists, 0),
                None => assert_eq!(exists, 1, "a dropped create was executed"),
                Some(other) => panic!("unexpected status {other}"),
            }
            outcomes.push(raw);
            // Reads are never hit by the random mode.
            c.call(&sim, "GET", "/portfolio/balance", None)
                .assert_status(200);
        }
        let log = sim.faults().injected();
        assert!(log.iter().all(|f| f.random && f.method == "POST"));
        outcomes
    };
    let a = run(11);
    assert_eq!(a, run(11));
    for status in [Some(201), Some(503), Some(429), None] {
        assert!(a.contains(&status), "{status:?} in {a:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Token buckets

#[test]
fn token_buckets_answer_429_and_refill_on_the_clock() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_rate_limits(RateLimitTier::Basic),
    )
    .unwrap();
    let mut c = Client::new(&sim);
    // Basic Write: 100 tokens, 10 per create.
    for i in 0..10 {
        c.call(&sim, "POST", ORDERS, Some(&order(&format!("t{i}"))))
            .assert_status(201);
    }
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((400, 0)));
    let resp = c.call(&sim, "POST", ORDERS, Some(&order("over")));
    resp.assert_status(429);
    assert_eq!(resp.body, br#"{"error":"too many requests"}"#);
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "over"), 0);
    // Cancels and order-group writes share the Write bucket.
    c.call(&sim, "PUT", "/portfolio/order_groups/x/trigger", None)
        .assert_status(429);
    // Reads have their own bucket.
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_status(200);
    // 100 tokens/s: 99 ms later 9.9 tokens, not enough; at 100 ms, one create.
    clock.advance_ms(99);
    c.call(&sim, "POST", ORDERS, Some(&order("over")))
        .assert_status(429);
    clock.advance_ms(1);
    c.call(&sim, "POST", ORDERS, Some(&order("over")))
        .assert_status(201);
    c.call(&sim, "POST", ORDERS, Some(&order("next")))
        .assert_status(429);
    // A batch costs 10 per order and must fit whole: 11 orders never fit in 100.
    clock.advance_ms(60_000);
    let batch = |n: usize| {
        let orders: Vec<Value> = (0..n)
            .map(|i| serde_json::from_str(&order(&format!("batch{n}-{i}"))).unwrap())
            .collect();
        json!({ "orders": orders }).to_string()
    };
    let url = "/portfolio/events/orders/batched";
    c.call(&sim, "POST", url, Some(&batch(11)))
        .assert_status(429);
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 11);
    c.call(&sim, "POST", url, Some(&batch(10)))
        .assert_status(201);
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID).unwrap().1, 0);
    // A batch cancel costs 2 per order: 5 cancels for 10 tokens.
    clock.advance_ms(100);
    let ids: Vec<Value> = sim
        .orders(DEMO_KEY_ID)
        .iter()
        .take(6)
        .map(|o| json!({"order_id": o.order_id}))
        .collect();
    let six = json!({"orders": ids}).to_string();
    let five = json!({"orders": &ids[..5]}).to_string();
    c.call(&sim, "DELETE", url, Some(&six)).assert_status(429);
    c.call(&sim, "DELETE", url, Some(&five)).assert_status(200);
    // Buckets are per key: turning limits off and on starts them full.
    sim.set_rate_limits(Some(RateLimits::new(10, 10, 10, 10)));
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((10, 10)));
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_status(200);
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_status(429);
    sim.set_rate_limits(None);
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), None);
    c.call(&sim, "GET", "/portfolio/balance", None)
        .assert_status(200);
}

// ---------------------------------------------------------------------------------------------
// The exchange clock on the wire

#[test]
fn date_headers_and_ts_ms_follow_the_skewed_exchange_clock() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_clock_skew_ms(90_500),
    )
    .unwrap();
    let mut c = Client::new(&sim);
    let resp = c.call(&sim, "POST", ORDERS, Some(&order("ts")));
    resp.assert_status(201);
    assert_eq!(resp.json()["ts_ms"], T0 + 90_500);
    assert_eq!(resp.header("date"), Some(http_date(T0 + 90_500).as_str()));
    assert_eq!(resp.header("date"), Some("Tue, 14 Nov 2023 22:14:50 GMT"));
    // Errors, even authentication failures, carry it too.
    let mut stranger =
        Client::with_credentials(&sim, super::test_client::other_credentials("nobody"));
    let resp = stranger.call(&sim, "GET", "/portfolio/balance", None);
    resp.assert_status(401);
    assert_eq!(resp.header("date"), Some(http_date(T0 + 90_500).as_str()));
    clock.advance_ms(2_000);
    sim.set_clock_skew_ms(-1_000);
    let id = sim.orders(DEMO_KEY_ID)[0].order_id.clone();
    let resp = c.call(&sim, "DELETE", &format!("{ORDERS}/{id}"), None);
    assert_eq!(resp.json()["ts_ms"], T0 + 1_000);
    assert_eq!(resp.header("date"), Some(http_date(T0 + 1_000).as_str()));
    // And injected faults.
    sim.faults().push(FaultRule::new(Fault::ServerError(502)));
    let resp = c.call(&sim, "GET", "/portfolio/balance", None);
    resp.assert_error(502, "bad_gateway");
    assert_eq!(resp.header("date"), Some(http_date(T0 + 1_000).as_str()));
}
