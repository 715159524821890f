//! [`Simulator::handle`] and [`Simulator::in_process`]: the pipeline without a socket, and that
//! it answers exactly what the socket path answers.

use ::http::{HeaderMap, Method, Request, Response};
use serde_json::{Value, json};

use super::test_client::{Client, Resp, auth_headers, demo_credentials};
use super::*;
use crate::{DEFAULT_MARKET, DEMO_KEY_ID};

const T0: u64 = 1_700_000_000_000;

fn manual_config() -> SimulatorConfig {
    SimulatorConfig::default().with_clock(ManualClock::new(T0))
}

/// A request to `target` (relative to the base path, query allowed) with these headers.
fn request(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Request<Vec<u8>> {
    let mut b = Request::builder()
        .method(method)
        .uri(format!("{BASE_PATH}{target}"));
    for (n, v) in headers {
        b = b.header(n.as_str(), v.as_str());
    }
    b.body(body.to_vec()).unwrap()
}

/// The three auth headers of the demo key for `method target` at `ts`.
fn signed(ts: u64, method: &str, target: &str) -> Vec<(String, String)> {
    let full = format!("{BASE_PATH}{target}");
    let path = full.split_once('?').map_or(full.as_str(), |(p, _)| p);
    auth_headers(&demo_credentials(), ts, method, path)
}

fn json_of(resp: &Response<Vec<u8>>) -> Value {
    serde_json::from_slice(resp.body()).unwrap_or_else(|e| {
        panic!(
            "status {} body is not JSON ({e}): {:?}",
            resp.status(),
            String::from_utf8_lossy(resp.body())
        )
    })
}

fn error_code(resp: &Response<Vec<u8>>) -> String {
    json_of(resp)["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn order(coid: &str) -> String {
    json!({
        "ticker": DEFAULT_MARKET,
        "side": "bid",
        "price": "0.30",
        "count": "2",
        "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "taker_at_cross",
        "client_order_id": coid,
    })
    .to_string()
}

#[test]
fn a_signed_request_gets_200_with_the_date_header() {
    let sim = Simulator::in_process(manual_config()).unwrap();
    let resp = sim.handle(request(
        "GET",
        "/portfolio/balance",
        &signed(T0, "GET", "/portfolio/balance"),
        b"",
    ));
    assert_eq!(resp.status(), 200, "{:?}", json_of(&resp));
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.headers()["date"], "Tue, 14 Nov 2023 22:13:20 GMT");
    assert_eq!(json_of(&resp)["balance"], 1_000_000);
}

#[test]
fn unsigned_and_badly_signed_requests_get_401() {
    let sim = Simulator::in_process(manual_config()).unwrap();
    let resp = sim.handle(request("GET", "/portfolio/balance", &[], b""));
    assert_eq!(resp.status(), 401);
    assert_eq!(error_code(&resp), "unauthorized");
    assert!(resp.headers().contains_key("date"));

    // Signed for another path.
    let resp = sim.handle(request(
        "GET",
        "/portfolio/balance",
        &signed(T0, "GET", "/portfolio/fills"),
        b"",
    ));
    assert_eq!(resp.status(), 401);
    // Outside the timestamp window.
    let late = T0 + 31_000;
    let resp = sim.handle(request(
        "GET",
        "/portfolio/balance",
        &signed(late, "GET", "/portfolio/balance"),
        b"",
    ));
    assert_eq!(resp.status(), 401);
    assert!(
        json_of(&resp)["details"]
            .as_str()
            .unwrap()
            .contains("outside the accepted window")
    );
}

#[test]
fn bodies_above_the_limit_get_413_before_authentication() {
    let sim = Simulator::in_process(manual_config().with_body_limit(64)).unwrap();
    let target = "/portfolio/order_groups/create";
    let big = vec![b' '; 65];
    // Unsigned: the size is checked first, as over the socket.
    let resp = sim.handle(request("POST", target, &[], &big));
    assert_eq!(resp.status(), 413);
    assert_eq!(error_code(&resp), "payload_too_large");
    assert!(resp.headers().contains_key("date"));
    // Exactly at the limit is read (and executed).
    let mut body = br#"{"contracts_limit":10}"#.to_vec();
    body.resize(64, b' ');
    let resp = sim.handle(request("POST", target, &signed(T0, "POST", target), &body));
    assert_eq!(resp.status(), 201, "{:?}", json_of(&resp));
    assert_eq!(sim.order_groups(DEMO_KEY_ID).len(), 1);
}

#[test]
fn answering_faults_apply_and_connection_faults_wait_for_the_socket() {
    let sim = Simulator::in_process(manual_config()).unwrap();
    let target = "/portfolio/events/orders";
    let create_on = |sim: &Simulator, coid: &str| {
        sim.handle(request(
            "POST",
            target,
            &signed(T0, "POST", target),
            order(coid).as_bytes(),
        ))
    };
    let create = |coid: &str| create_on(&sim, coid);

    sim.faults().push(FaultRule::new(Fault::ServerError(503)));
    let resp = create("a");
    assert_eq!(resp.status(), 503);
    assert_eq!(error_code(&resp), "service_unavailable");
    assert!(resp.headers().contains_key("date"));

    sim.faults().push(FaultRule::new(Fault::TooManyRequests));
    let resp = create("a");
    assert_eq!(resp.status(), 429);
    assert_eq!(json_of(&resp), json!({"error": "too many requests"}));

    sim.faults().push(FaultRule::new(Fault::ProxyBadGateway));
    let resp = create("a");
    assert_eq!(resp.status(), 502);
    assert_eq!(resp.headers()["content-type"], "text/html");
    assert!(sim.orders(DEMO_KEY_ID).is_empty(), "none of them executed");

    // A rule that needs a connection does not match here; the one behind it does.
    sim.faults().push(FaultRule::new(Fault::DropBeforeExecute));
    sim.faults().push(FaultRule::new(Fault::ServerError(500)));
    assert_eq!(create("a").status(), 500);
    assert_eq!(sim.faults().pending(), 1);
    assert_eq!(create("a").status(), 201);
    assert_eq!(sim.faults().pending(), 1, "still queued for the socket");
    let kinds: Vec<_> = sim
        .faults()
        .injected()
        .iter()
        .map(|f| f.fault.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            "server_error",
            "too_many_requests",
            "proxy_bad_gateway",
            "server_error"
        ]
    );

    // Random mode: only 5xx and 429 faults, and always the same ones for a seed.
    let rolls = |sim: &Simulator| {
        sim.faults().clear();
        sim.faults().set_random(Some(
            RandomFaults::new(7)
                .drop_after_execute(0.3)
                .server_error(0.3)
                .too_many_requests(0.2),
        ));
        (0..40)
            .map(|i| create_on(sim, &format!("r{i}")).status().as_u16())
            .collect::<Vec<_>>()
    };
    let first = rolls(&sim);
    assert!(
        first.iter().all(|s| [201, 429, 503].contains(s)),
        "{first:?}"
    );
    assert!(first.contains(&201) && first.contains(&429) && first.contains(&503));
    let again = Simulator::in_process(manual_config()).unwrap();
    assert_eq!(rolls(&again), first);
}

#[test]
fn rate_limits_apply_in_process() {
    let sim =
        Simulator::in_process(manual_config().with_rate_limits(RateLimits::new(10, 20, 10, 20)))
            .unwrap();
    let get = || {
        sim.handle(request(
            "GET",
            "/portfolio/balance",
            &signed(T0, "GET", "/portfolio/balance"),
            b"",
        ))
        .status()
    };
    assert_eq!([get(), get(), get()], [200, 200, 429]);
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((0, 20)));
}

#[test]
fn in_process_simulators_do_not_listen_and_drop_cleanly() {
    let sim = Simulator::in_process(SimulatorConfig::default().with_port(1)).unwrap();
    assert_eq!(sim.addr().port(), 0);
    assert!(format!("{sim:?}").contains("in_process: true"));
    assert_eq!(sim.markets().len(), DEFAULT_MARKETS.len());
    sim.shutdown();
    drop(Simulator::in_process(SimulatorConfig::default()).unwrap());

    let bad = SimulatorConfig::default()
        .with_exchange_shards(1)
        .with_market(MarketConfig::new("KXBAD-1").exchange_index(3));
    let err = Simulator::in_process(bad).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
}

#[test]
fn handle_and_the_socket_share_one_state() {
    let sim = Simulator::start(manual_config()).unwrap();
    let target = "/portfolio/events/orders";
    let resp = sim.handle(request(
        "POST",
        target,
        &signed(T0, "POST", target),
        order("in-process").as_bytes(),
    ));
    assert_eq!(resp.status(), 201, "{:?}", json_of(&resp));
    let id = json_of(&resp)["order_id"].as_str().unwrap().to_owned();
    let mut c = Client::new(&sim);
    let over_socket = c.call(&sim, "GET", &format!("/portfolio/orders/{id}"), None);
    over_socket.assert_status(200);
    assert_eq!(over_socket.json()["order"]["client_order_id"], "in-process");
}

/// Replaces every UUID-shaped run (the simulator's random order and group ids) with `<id>`.
fn mask_ids(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(body).into_owned();
    let b = s.as_bytes();
    let is_uuid = |w: &[u8]| {
        w.len() == 36
            && w.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b.len() - i >= 36 && is_uuid(&b[i..i + 36]) && s.is_char_boundary(i) {
            out.push_str("<id>");
            i += 36;
        } else {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The headers the simulator sets (hyper adds `content-length` on the wire, nothing else).
fn simulator_headers(headers: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut v: Vec<_> = headers
        .into_iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .filter(|(n, _)| n != "content-length")
        .collect();
    v.sort();
    v
}

fn header_pairs(h: &HeaderMap) -> Vec<(String, String)> {
    simulator_headers(
        h.iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned())),
    )
}

/// Two simulators with the same configuration and clock: `socket` is served over HTTP/1.1,
/// `local` through `handle`. Every request goes to both; the answers must be the same.
struct Twins {
    socket: Simulator,
    local: Simulator,
    client: Client,
}

impl Twins {
    fn new(config: SimulatorConfig) -> Self {
        let socket = Simulator::start(config.clone()).unwrap();
        let local = Simulator::in_process(config).unwrap();
        let client = Client::new(&socket);
        Twins {
            socket,
            local,
            client,
        }
    }

    /// Sends the same request both ways (`target` relative to the base path) and compares.
    /// Returns the status.
    fn both(
        &mut self,
        method: &str,
        target: (&str, &str),
        headers: &[(String, String)],
        body: Option<&str>,
    ) -> u16 {
        self.compare(method, target, headers, headers, body).0
    }

    /// A request signed with the demo key at the (shared) clock's time, both ways. The two
    /// targets differ only by the ids each simulator gave out.
    fn signed(
        &mut self,
        method: &str,
        target: (&str, &str),
        body: Option<&str>,
    ) -> (u16, Option<(Value, Value)>) {
        let ts = self.socket.now_ms();
        assert_eq!(ts, self.local.now_ms());
        let socket_headers = signed(ts, method, target.0);
        let local_headers = signed(ts, method, target.1);
        self.compare(method, target, &socket_headers, &local_headers, body)
    }

    /// Sends `method target.0` over the socket with `socket_headers` and `method target.1`
    /// through `handle` with `local_headers` (plus what the test client adds on the wire), and
    /// asserts the same status, headers (but `Content-Length`) and body (ids masked). Returns
    /// the status and both JSON bodies (socket, in process) when they are JSON.
    fn compare(
        &mut self,
        method: &str,
        (socket_target, local_target): (&str, &str),
        socket_headers: &[(String, String)],
        local_headers: &[(String, String)],
        body: Option<&str>,
    ) -> (u16, Option<(Value, Value)>) {
        let over_socket: Resp = self.client.send(
            method,
            &format!("{BASE_PATH}{socket_target}"),
            socket_headers,
            body.map(str::as_bytes),
        );
        let mut headers = local_headers.to_vec();
        headers.push(("host".into(), self.socket.addr().to_string()));
        if body.is_some() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        let local = self.local.handle(request(
            method,
            local_target,
            &headers,
            body.unwrap_or_default().as_bytes(),
        ));
        let what = format!("{method} {socket_target}");
        assert_eq!(over_socket.status, local.status().as_u16(), "{what}");
        assert_eq!(
            simulator_headers(over_socket.headers.clone()),
            header_pairs(local.headers()),
            "{what}"
        );
        assert_eq!(
            mask_ids(&over_socket.body),
            mask_ids(local.body()),
            "{what}"
        );
        let bodies = serde_json::from_slice(&over_socket.body)
            .ok()
            .zip(serde_json::from_slice(local.body()).ok());
        (over_socket.status, bodies)
    }
}

#[test]
fn handle_answers_what_the_socket_answers() {
    let clock = ManualClock::new(T0);
    let mut t = Twins::new(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_body_limit(512),
    );
    let orders = "/portfolio/events/orders";

    // Reads, writes, and each side's ids carried into the next requests.
    assert_eq!(
        t.signed("GET", ("/portfolio/balance", "/portfolio/balance"), None)
            .0,
        200
    );
    let (status, bodies) = t.signed("POST", (orders, orders), Some(&order("twin-1")));
    assert_eq!(status, 201);
    let (a, b) = bodies.unwrap();
    let (id_a, id_b) = (
        a["order_id"].as_str().unwrap().to_owned(),
        b["order_id"].as_str().unwrap().to_owned(),
    );
    let (get_a, get_b) = (
        format!("/portfolio/orders/{id_a}"),
        format!("/portfolio/orders/{id_b}"),
    );
    assert_eq!(t.signed("GET", (&get_a, &get_b), None).0, 200);
    assert_eq!(
        t.signed(
            "GET",
            ("/portfolio/orders?limit=5", "/portfolio/orders?limit=5"),
            None
        )
        .0,
        200
    );
    clock.advance(std::time::Duration::from_millis(1500));
    let (amend_a, amend_b) = (
        format!("{orders}/{id_a}/amend"),
        format!("{orders}/{id_b}/amend"),
    );
    let amend =
        json!({"ticker": DEFAULT_MARKET, "side": "bid", "price": "0.31", "count": "3"}).to_string();
    assert_eq!(t.signed("POST", (&amend_a, &amend_b), Some(&amend)).0, 200);
    let (cancel_a, cancel_b) = (format!("{orders}/{id_a}"), format!("{orders}/{id_b}"));
    assert_eq!(t.signed("DELETE", (&cancel_a, &cancel_b), None).0, 200);
    assert_eq!(
        t.signed("POST", (orders, orders), Some(&order("twin-1"))).0,
        409
    );

    // Errors of every stage.
    let balance = ("/portfolio/balance", "/portfolio/balance");
    assert_eq!(t.both("GET", balance, &[], None), 401);
    let wrong = signed(t.socket.now_ms(), "GET", "/portfolio/fills");
    assert_eq!(t.both("GET", balance, &wrong, None), 401);
    let mut twice = signed(t.socket.now_ms(), "GET", "/portfolio/balance");
    twice.push(twice[0].clone());
    assert_eq!(t.both("GET", balance, &twice, None), 401);
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(600));
    assert_eq!(t.signed("POST", (orders, orders), Some(&big)).0, 413);
    assert_eq!(t.signed("GET", ("/nope", "/nope"), None).0, 404);
    assert_eq!(t.signed("PATCH", (orders, orders), Some("{}")).0, 405);
    let dup = "/portfolio/order_groups?subaccount=1&subaccount=2";
    assert_eq!(t.signed("GET", (dup, dup), None).0, 400);
    assert_eq!(t.signed("POST", (orders, orders), Some("[1,2]")).0, 400);
    let v1 = "/portfolio/orders";
    assert_eq!(t.signed("POST", (v1, v1), Some("{}")).0, 400);
    let bad = "/portfolio/order_groups/%zz?exchange_index=1";
    let status = t.signed("DELETE", (bad, bad), None).0;
    assert!(matches!(status, 400 | 404), "{status}");

    // Faults that answer in place of the exchange, on both.
    for fault in [
        Fault::ServerError(504),
        Fault::TooManyRequests,
        Fault::ProxyBadGateway,
    ] {
        t.socket.faults().push(FaultRule::new(fault.clone()));
        t.local.faults().push(FaultRule::new(fault));
        t.signed("POST", (orders, orders), Some(&order("twin-2")));
    }
    assert_eq!(t.socket.faults().injected(), t.local.faults().injected());

    // Rate limiting, on both.
    t.socket
        .set_rate_limits(Some(RateLimits::new(10, 20, 10, 20)));
    t.local
        .set_rate_limits(Some(RateLimits::new(10, 20, 10, 20)));
    let statuses: Vec<u16> = (0..3)
        .map(|_| {
            t.signed("GET", ("/portfolio/fills", "/portfolio/fills"), None)
                .0
        })
        .collect();
    assert_eq!(statuses, [200, 200, 429]);

    // Same end state.
    let strip = |o: Vec<OrderSnapshot>| -> Vec<String> {
        o.iter()
            .map(|o| mask_ids(format!("{o:?}").as_bytes()))
            .collect()
    };
    assert_eq!(
        strip(t.socket.orders(DEMO_KEY_ID)),
        strip(t.local.orders(DEMO_KEY_ID))
    );
    assert_eq!(
        t.socket.balance_cents(DEMO_KEY_ID, 0),
        t.local.balance_cents(DEMO_KEY_ID, 0)
    );
}

#[test]
fn methods_and_targets_hyper_accepts_reach_the_pipeline_unchanged() {
    // An absolute-form URI: only its path and query matter, as for a request line.
    let sim = Simulator::in_process(manual_config()).unwrap();
    let path = format!("{BASE_PATH}/portfolio/balance");
    let mut req = Request::builder()
        .method(Method::GET)
        .uri(format!("http://example.test{path}?subaccount=0"));
    for (n, v) in auth_headers(&demo_credentials(), T0, "GET", &path) {
        req = req.header(n, v);
    }
    let resp = sim.handle(req.body(Vec::new()).unwrap());
    assert_eq!(resp.status(), 200, "{:?}", json_of(&resp));
}
