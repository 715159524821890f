//! End-to-end tests of the simulator over real sockets, with the raw test client.

use std::net::TcpStream;
use std::time::Duration;

use serde_json::{Value, json};

use super::test_client::{Client, Resp, auth_headers, demo_credentials, other_credentials};
use super::*;
use crate::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};

const T0: u64 = 1_700_000_000_000;
const GROUPS: &str = "/portfolio/order_groups";

fn start() -> Simulator {
    Simulator::start(SimulatorConfig::default()).unwrap()
}

fn start_manual() -> (Simulator, ManualClock) {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(SimulatorConfig::default().with_clock(clock.clone())).unwrap();
    (sim, clock)
}

/// Percent-encodes every byte outside the RFC 3986 unreserved set.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-encodes every byte, even unreserved ones.
fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02x}")).collect()
}

fn assert_status(resp: &Resp, status: u16) {
    assert_eq!(
        resp.status,
        status,
        "body: {}",
        String::from_utf8_lossy(&resp.body)
    );
}

/// Asserts a flat error body (the documented `ErrorResponse`, the default shape): exactly
/// `code`, `message`, `details` and `service: simulator`.
fn assert_error(resp: &Resp, status: u16, code: &str) {
    assert_status(resp, status);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let body = resp.json();
    let err = body.as_object().expect("a flat error object");
    assert_eq!(err["code"], code, "{body}");
    assert!(err["message"].is_string(), "{body}");
    assert!(err["details"].is_string(), "{body}");
    assert_eq!(err["service"], "simulator");
    assert_eq!(err.len(), 4, "{body}");
}

fn create(c: &mut Client, sim: &Simulator, body: Value) -> String {
    let resp = c.call(
        sim,
        "POST",
        "/portfolio/order_groups/create",
        Some(&body.to_string()),
    );
    assert_status(&resp, 201);
    resp.json()["order_group_id"].as_str().unwrap().to_owned()
}

fn get_group(c: &mut Client, sim: &Simulator, id: &str) -> Value {
    let resp = c.call(sim, "GET", &format!("{GROUPS}/{}", encode(id)), None);
    assert_status(&resp, 200);
    resp.json()
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

#[test]
fn starts_on_a_free_port_and_shuts_down() {
    let sim = start();
    let addr = sim.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        sim.base_url(),
        format!("http://127.0.0.1:{}/trade-api/v2", addr.port())
    );
    let mut c = Client::new(&sim);
    assert_status(&c.call(&sim, "GET", GROUPS, None), 200);

    sim.shutdown();
    assert!(c.is_closed(), "open connections are closed on shutdown");
    assert!(
        TcpStream::connect(addr).is_err(),
        "the port is no longer served"
    );
}

#[test]
fn drop_stops_the_server_and_two_simulators_coexist() {
    let a = start();
    let b = start();
    assert_ne!(a.addr(), b.addr());
    let addr = a.addr();
    drop(a);
    assert!(TcpStream::connect(addr).is_err());
    let mut c = Client::new(&b);
    assert_status(&c.call(&b, "GET", GROUPS, None), 200);
}

#[test]
fn connections_are_kept_alive() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 5}));
    for _ in 0..5 {
        let resp = c.call(&sim, "GET", &format!("{GROUPS}/{id}"), None);
        assert_status(&resp, 200);
        assert_ne!(resp.header("connection"), Some("close"));
    }
    // Error answers keep the connection too.
    assert_error(&c.call(&sim, "GET", "/nope", None), 404, "not_found");
    assert_status(&c.call(&sim, "GET", GROUPS, None), 200);
}

#[test]
fn config_debug_and_accessors() {
    let config = SimulatorConfig::default()
        .with_timestamp_window(Duration::from_secs(5))
        .with_clock_skew_ms(-3)
        .with_port(0);
    assert_eq!(config.key_ids().collect::<Vec<_>>(), [DEMO_KEY_ID]);
    assert_eq!(config.timestamp_window(), Duration::from_secs(5));
    let dbg = format!("{config:?}");
    assert!(
        dbg.contains("demo-key") && dbg.contains("clock_skew_ms: -3"),
        "{dbg}"
    );
    assert_eq!(SimulatorConfig::empty().key_ids().count(), 0);
    let with_pem = SimulatorConfig::empty()
        .with_key_pem("k", crate::DEMO_PUBLIC_KEY_PEM)
        .unwrap();
    assert_eq!(with_pem.key_ids().collect::<Vec<_>>(), ["k"]);
    assert!(SimulatorConfig::empty().with_key_pem("k", "nope").is_err());
}

// ---------------------------------------------------------------------------------------------
// Happy paths and shapes

#[test]
fn create_answers_201_with_the_documented_shape() {
    let sim = start();
    let mut c = Client::new(&sim);
    let resp = c.call(
        &sim,
        "POST",
        "/portfolio/order_groups/create",
        Some(r#"{"contracts_limit": 10}"#),
    );
    assert_status(&resp, 201);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let body = resp.json();
    let id = body["order_group_id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(id.matches('-').count(), 4);
    assert_eq!(
        body,
        json!({"order_group_id": id, "subaccount": 0, "exchange_index": 0})
    );

    let body = c
        .call(
            &sim,
            "POST",
            "/portfolio/order_groups/create",
            Some(r#"{"contracts_limit_fp": "2.5", "subaccount": 7, "exchange_index": 3}"#),
        )
        .json();
    assert_eq!(body["subaccount"], 7);
    assert_eq!(body["exchange_index"], 3);
    let second = body["order_group_id"].as_str().unwrap();
    assert_ne!(second, id);

    let snaps = sim.order_groups(DEMO_KEY_ID);
    assert_eq!(snaps.len(), 2);
    assert_eq!(snaps[0].contracts_limit_fp, "10.00");
    assert_eq!(snaps[1].contracts_limit_fp, "2.50");
    assert_eq!((snaps[1].subaccount, snaps[1].exchange_index), (7, 3));
    assert!(!snaps[1].triggered);
    assert_eq!(snaps[1].rolling_volume_fp, "0.00");
}

#[test]
fn list_filters_by_subaccount_in_creation_order() {
    let sim = start();
    let mut c = Client::new(&sim);
    assert_eq!(
        c.call(&sim, "GET", GROUPS, None).json(),
        json!({"order_groups": []})
    );
    let a = create(&mut c, &sim, json!({"contracts_limit": 1}));
    let b = create(&mut c, &sim, json!({"contracts_limit": 2, "subaccount": 3}));
    let d = create(
        &mut c,
        &sim,
        json!({"contracts_limit_fp": "3.25", "exchange_index": 1}),
    );

    let all = c.call(&sim, "GET", GROUPS, None);
    assert_status(&all, 200);
    assert_eq!(
        all.json(),
        json!({"order_groups": [
            {"id": a, "contracts_limit_fp": "1.00", "is_auto_cancel_enabled": true, "exchange_index": 0},
            {"id": b, "contracts_limit_fp": "2.00", "is_auto_cancel_enabled": true, "exchange_index": 0},
            {"id": d, "contracts_limit_fp": "3.25", "is_auto_cancel_enabled": true, "exchange_index": 1},
        ]})
    );
    let primary = c
        .call(&sim, "GET", &format!("{GROUPS}?subaccount=0"), None)
        .json();
    let ids: Vec<&str> = primary["order_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [a.as_str(), d.as_str()]);
    let third = c
        .call(&sim, "GET", &format!("{GROUPS}?subaccount=3"), None)
        .json();
    assert_eq!(third["order_groups"].as_array().unwrap().len(), 1);
    assert_eq!(third["order_groups"][0]["id"], b.as_str());
    let empty = c
        .call(&sim, "GET", &format!("{GROUPS}?subaccount=63"), None)
        .json();
    assert_eq!(empty, json!({"order_groups": []}));
}

#[test]
fn get_answers_the_documented_shape_and_searches_subaccounts() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(
        &mut c,
        &sim,
        json!({"contracts_limit": 10, "subaccount": 9}),
    );
    let expected = json!({
        "is_auto_cancel_enabled": true,
        "contracts_limit_fp": "10.00",
        "orders": [],
        "exchange_index": 0,
    });
    // Subaccount omitted: every subaccount is searched.
    assert_eq!(get_group(&mut c, &sim, &id), expected);
    let resp = c.call(&sim, "GET", &format!("{GROUPS}/{id}?subaccount=9"), None);
    assert_status(&resp, 200);
    assert_eq!(resp.json(), expected);
    let resp = c.call(&sim, "GET", &format!("{GROUPS}/{id}?subaccount=0"), None);
    assert_error(&resp, 404, "not_found");
}

#[test]
fn trigger_and_reset_flip_auto_cancel() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));

    let resp = c.call(&sim, "PUT", &format!("{GROUPS}/{id}/trigger"), None);
    assert_status(&resp, 200);
    assert_eq!(resp.json(), json!({}));
    assert_eq!(
        get_group(&mut c, &sim, &id)["is_auto_cancel_enabled"],
        false
    );
    // Triggering twice is fine.
    let resp = c.call(&sim, "PUT", &format!("{GROUPS}/{id}/trigger"), Some("{}"));
    assert_status(&resp, 200);

    let resp = c.call(&sim, "PUT", &format!("{GROUPS}/{id}/reset"), Some("{}"));
    assert_status(&resp, 200);
    assert_eq!(resp.json(), json!({}));
    assert_eq!(get_group(&mut c, &sim, &id)["is_auto_cancel_enabled"], true);
    let resp = c.call(&sim, "PUT", &format!("{GROUPS}/{id}/reset"), Some(""));
    assert_status(&resp, 200);

    // The list reflects the state too.
    c.call(&sim, "PUT", &format!("{GROUPS}/{id}/trigger"), None);
    let list = c.call(&sim, "GET", GROUPS, None).json();
    assert_eq!(list["order_groups"][0]["is_auto_cancel_enabled"], false);
}

#[test]
fn reset_clears_rolling_volume() {
    let (sim, clock) = start_manual();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    assert!(!sim.record_fill(DEMO_KEY_ID, 0, &id, "10").unwrap());
    assert!(sim.record_fill(DEMO_KEY_ID, 0, &id, "0.01").unwrap());
    assert_eq!(
        get_group(&mut c, &sim, &id)["is_auto_cancel_enabled"],
        false
    );
    assert_status(
        &c.call(&sim, "PUT", &format!("{GROUPS}/{id}/reset"), None),
        200,
    );
    assert_eq!(sim.order_groups(DEMO_KEY_ID)[0].rolling_volume_fp, "0.00");
    assert_eq!(get_group(&mut c, &sim, &id)["is_auto_cancel_enabled"], true);
    // Fills age out of the 15-second window.
    sim.record_fill(DEMO_KEY_ID, 0, &id, "4").unwrap();
    clock.advance_ms(15_000);
    assert_eq!(sim.order_groups(DEMO_KEY_ID)[0].rolling_volume_fp, "0.00");
    assert!(sim.record_fill(DEMO_KEY_ID, 0, &id, "nope").is_err());
    assert!(sim.record_fill(DEMO_KEY_ID, 1, &id, "1").is_err());
}

#[test]
fn limit_updates_and_triggers_below_rolling_volume() {
    let (sim, _clock) = start_manual();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    let limit = format!("{GROUPS}/{id}/limit");

    let resp = c.call(&sim, "PUT", &limit, Some(r#"{"contracts_limit": 20}"#));
    assert_status(&resp, 200);
    assert_eq!(resp.json(), json!({}));
    assert_eq!(get_group(&mut c, &sim, &id)["contracts_limit_fp"], "20.00");
    let resp = c.call(
        &sim,
        "PUT",
        &limit,
        Some(r#"{"contracts_limit_fp": "7.5"}"#),
    );
    assert_status(&resp, 200);
    assert_eq!(get_group(&mut c, &sim, &id)["contracts_limit_fp"], "7.50");
    let resp = c.call(
        &sim,
        "PUT",
        &limit,
        Some(r#"{"contracts_limit": 8, "contracts_limit_fp": "8.00"}"#),
    );
    assert_status(&resp, 200);
    assert_eq!(get_group(&mut c, &sim, &id)["is_auto_cancel_enabled"], true);

    // 6 contracts filled: a limit of 6 holds, 5 triggers.
    sim.record_fill(DEMO_KEY_ID, 0, &id, "6").unwrap();
    assert_status(
        &c.call(&sim, "PUT", &limit, Some(r#"{"contracts_limit": 6}"#)),
        200,
    );
    assert_eq!(get_group(&mut c, &sim, &id)["is_auto_cancel_enabled"], true);
    assert_status(
        &c.call(&sim, "PUT", &limit, Some(r#"{"contracts_limit": 5}"#)),
        200,
    );
    let group = get_group(&mut c, &sim, &id);
    assert_eq!(group["is_auto_cancel_enabled"], false);
    assert_eq!(group["contracts_limit_fp"], "5.00");
}

#[test]
fn delete_removes_the_group() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    let keep = create(&mut c, &sim, json!({"contracts_limit": 10}));
    let resp = c.call(&sim, "DELETE", &format!("{GROUPS}/{id}"), None);
    assert_status(&resp, 200);
    assert_eq!(resp.json(), json!({}));
    assert_error(
        &c.call(&sim, "GET", &format!("{GROUPS}/{id}"), None),
        404,
        "not_found",
    );
    assert_error(
        &c.call(&sim, "DELETE", &format!("{GROUPS}/{id}"), None),
        404,
        "not_found",
    );
    let ids: Vec<String> = sim
        .order_groups(DEMO_KEY_ID)
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(ids, [keep]);
}

#[test]
fn writes_are_scoped_to_subaccount_and_exchange_index() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(
        &mut c,
        &sim,
        json!({"contracts_limit": 10, "subaccount": 3, "exchange_index": 2}),
    );
    for (method, suffix) in [
        ("PUT", "/trigger"),
        ("PUT", "/reset"),
        ("PUT", "/limit"),
        ("DELETE", ""),
    ] {
        let body = (suffix == "/limit").then_some(r#"{"contracts_limit": 4}"#);
        for query in [
            "",
            "?subaccount=3",
            "?exchange_index=2",
            "?subaccount=0&exchange_index=2",
        ] {
            let resp = c.call(&sim, method, &format!("{GROUPS}/{id}{suffix}{query}"), body);
            assert_error(&resp, 404, "not_found");
        }
        let resp = c.call(
            &sim,
            method,
            &format!("{GROUPS}/{id}{suffix}?subaccount=3&exchange_index=2"),
            body,
        );
        assert_status(&resp, 200);
    }
    assert!(sim.order_groups(DEMO_KEY_ID).is_empty());
}

#[test]
fn accounts_are_isolated() {
    let sim = Simulator::start(
        SimulatorConfig::default().with_key(
            "other",
            kalshi_core::auth::PrivateKey::from_pem(super::test_client::OTHER_PRIVATE_KEY_PEM)
                .unwrap()
                .verifying_key(),
        ),
    )
    .unwrap();
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials("other"));
    let id = create(&mut demo, &sim, json!({"contracts_limit": 10}));
    assert_error(
        &other.call(&sim, "GET", &format!("{GROUPS}/{id}"), None),
        404,
        "not_found",
    );
    assert_error(
        &other.call(&sim, "PUT", &format!("{GROUPS}/{id}/trigger"), None),
        404,
        "not_found",
    );
    assert_eq!(
        other.call(&sim, "GET", GROUPS, None).json(),
        json!({"order_groups": []})
    );
    create(&mut other, &sim, json!({"contracts_limit": 3}));
    assert_eq!(sim.order_groups("other").len(), 1);
    assert_eq!(sim.order_groups(DEMO_KEY_ID).len(), 1);
    assert!(sim.order_groups("nobody").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Validation

#[test]
fn create_refuses_invalid_bodies_with_400() {
    let sim = start();
    let mut c = Client::new(&sim);
    let bad = [
        "",
        "   ",
        "not json",
        "[]",
        "null",
        "{",
        "{}",
        r#"{"subaccount": 1}"#,
        r#"{"contracts_limit": 0}"#,
        r#"{"contracts_limit": -1}"#,
        r#"{"contracts_limit": 1000001}"#,
        r#"{"contracts_limit": 99999999999999999999999999999}"#,
        r#"{"contracts_limit": 18446744073709551616}"#,
        r#"{"contracts_limit": 1e400}"#,
        r#"{"contracts_limit": 1.5}"#,
        r#"{"contracts_limit": 10.0}"#,
        r#"{"contracts_limit": "10"}"#,
        r#"{"contracts_limit": true}"#,
        r#"{"contracts_limit_fp": "0.99"}"#,
        r#"{"contracts_limit_fp": "0"}"#,
        r#"{"contracts_limit_fp": "1000000.01"}"#,
        r#"{"contracts_limit_fp": "1.234"}"#,
        r#"{"contracts_limit_fp": "1e3"}"#,
        r#"{"contracts_limit_fp": "-5"}"#,
        r#"{"contracts_limit_fp": " 5"}"#,
        r#"{"contracts_limit_fp": ""}"#,
        r#"{"contracts_limit_fp": "99999999999999999999999999"}"#,
        r#"{"contracts_limit_fp": 5}"#,
        r#"{"contracts_limit": 5, "contracts_limit_fp": "5.01"}"#,
        r#"{"contracts_limit": 5, "contracts_limit_fp": "6"}"#,
        r#"{"contracts_limit": 5, "subaccount": 64}"#,
        r#"{"contracts_limit": 5, "subaccount": -1}"#,
        r#"{"contracts_limit": 5, "subaccount": "1"}"#,
        r#"{"contracts_limit": 5, "subaccount": 1.0}"#,
        r#"{"contracts_limit": 5, "exchange_index": 4}"#,
        r#"{"contracts_limit": 5, "exchange_index": -1}"#,
    ];
    for body in bad {
        let resp = c.call(&sim, "POST", "/portfolio/order_groups/create", Some(body));
        assert_eq!(
            resp.status,
            400,
            "{body}: {}",
            String::from_utf8_lossy(&resp.body)
        );
        assert_error(&resp, 400, "invalid_parameters");
    }
    assert!(sim.order_groups(DEMO_KEY_ID).is_empty());

    // The boundaries are accepted, and so are nulls for optional fields.
    for body in [
        r#"{"contracts_limit": 1}"#,
        r#"{"contracts_limit": 1000000}"#,
        r#"{"contracts_limit_fp": "1"}"#,
        r#"{"contracts_limit_fp": "1000000.00"}"#,
        r#"{"contracts_limit_fp": "10.5", "contracts_limit": null}"#,
        r#"{"contracts_limit": 5, "contracts_limit_fp": "5.0", "subaccount": 63, "exchange_index": 0}"#,
        r#"{"contracts_limit": 5, "subaccount": null, "exchange_index": null, "unknown": [1]}"#,
    ] {
        let resp = c.call(&sim, "POST", "/portfolio/order_groups/create", Some(body));
        assert_status(&resp, 201);
    }
}

#[test]
fn error_details_say_what_is_wrong() {
    let sim = start();
    let mut c = Client::new(&sim);
    let create_with = |c: &mut Client, body: &str| {
        c.call(&sim, "POST", "/portfolio/order_groups/create", Some(body))
            .error_details()
    };
    assert!(create_with(&mut c, "{}").contains("contracts_limit"));
    assert!(create_with(&mut c, r#"{"contracts_limit": 0}"#).contains("between 1 and 1000000"));
    assert!(
        create_with(
            &mut c,
            r#"{"contracts_limit": 5, "contracts_limit_fp": "6"}"#
        )
        .contains("disagree")
    );
    assert!(
        create_with(&mut c, r#"{"contracts_limit": 5, "subaccount": 64}"#).contains("0 and 63")
    );
    assert!(create_with(&mut c, "{oops").contains("not valid JSON"));
}

#[test]
fn limit_refuses_invalid_bodies_with_400() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    for body in [
        None,
        Some(""),
        Some("{}"),
        Some("[1]"),
        Some(r#"{"contracts_limit": 0}"#),
        Some(r#"{"contracts_limit_fp": "abc"}"#),
        Some(r#"{"contracts_limit": 2, "contracts_limit_fp": "3"}"#),
    ] {
        let resp = c.call(&sim, "PUT", &format!("{GROUPS}/{id}/limit"), body);
        assert_error(&resp, 400, "invalid_parameters");
    }
    assert_eq!(get_group(&mut c, &sim, &id)["contracts_limit_fp"], "10.00");
    // Validation comes before the lookup: an unknown group with a bad body is a 400.
    let resp = c.call(&sim, "PUT", &format!("{GROUPS}/nope/limit"), Some("{}"));
    assert_error(&resp, 400, "invalid_parameters");
}

#[test]
fn reset_and_trigger_refuse_non_object_bodies() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    for action in ["reset", "trigger"] {
        for body in ["nope", "[]", "1", "{"] {
            let resp = c.call(&sim, "PUT", &format!("{GROUPS}/{id}/{action}"), Some(body));
            assert_error(&resp, 400, "invalid_parameters");
        }
    }
}

#[test]
fn query_parameters_are_validated() {
    let sim = start();
    let mut c = Client::new(&sim);
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    for target in [
        format!("{GROUPS}?subaccount=64"),
        format!("{GROUPS}?subaccount=-1"),
        format!("{GROUPS}?subaccount=abc"),
        format!("{GROUPS}?subaccount="),
        format!("{GROUPS}?subaccount=1&subaccount=2"),
        format!("{GROUPS}?subaccount=99999999999999999999999"),
        format!("{GROUPS}?subaccount=%ZZ"),
        format!("{GROUPS}/{id}?subaccount=x"),
        format!("{GROUPS}/{id}/reset?exchange_index=9"),
        format!("{GROUPS}/{id}/trigger?exchange_index=-1"),
        format!("{GROUPS}/{id}/trigger?subaccount=64"),
    ] {
        let method = if target.contains("/reset") || target.contains("/trigger") {
            "PUT"
        } else {
            "GET"
        };
        let resp = c.call(&sim, method, &target, None);
        assert_eq!(resp.status, 400, "{target}");
        assert_error(&resp, 400, "invalid_parameters");
    }
    let resp = c.call(
        &sim,
        "DELETE",
        &format!("{GROUPS}/{id}?exchange_index=x"),
        None,
    );
    assert_error(&resp, 400, "invalid_parameters");
    // Unknown parameters are ignored.
    assert_status(
        &c.call(&sim, "GET", &format!("{GROUPS}?cursor=abc&limit=5"), None),
        200,
    );
}

// ---------------------------------------------------------------------------------------------
// 404 and 405

#[test]
fn unknown_ids_are_404() {
    let sim = start();
    let mut c = Client::new(&sim);
    let missing = "00000000-0000-4000-8000-000000000000";
    for (method, suffix, body) in [
        ("GET", "", None),
        ("DELETE", "", None),
        ("PUT", "/reset", None),
        ("PUT", "/trigger", None),
        ("PUT", "/limit", Some(r#"{"contracts_limit": 5}"#)),
    ] {
        let resp = c.call(&sim, method, &format!("{GROUPS}/{missing}{suffix}"), body);
        assert_error(&resp, 404, "not_found");
        assert!(resp.error_details().contains(missing));
    }
}

#[test]
fn unknown_routes_are_404_and_wrong_methods_405() {
    let sim = start();
    let mut c = Client::new(&sim);
    for target in [
        "/portfolio/no_such_list",
        "/portfolio/order_groups/x/y",
        "/",
        "/portfolio/order_groups/",
    ] {
        assert_error(&c.call(&sim, "GET", target, None), 404, "not_found");
    }
    // Outside the base path.
    let ts = sim.now_ms();
    for path in [
        "/",
        "/trade-api/v1/portfolio/order_groups",
        "/trade-api/v2",
        "/trade-api/v2x/portfolio/order_groups",
    ] {
        let headers = auth_headers(&demo_credentials(), ts, "GET", path);
        assert_error(&c.send("GET", path, &headers, None), 404, "not_found");
    }

    let resp = c.call(&sim, "PATCH", &format!("{GROUPS}/x"), None);
    assert_error(&resp, 405, "method_not_allowed");
    assert_eq!(resp.header("allow"), Some("GET, DELETE"));
    let resp = c.call(&sim, "POST", GROUPS, Some("{}"));
    assert_error(&resp, 405, "method_not_allowed");
    assert_eq!(resp.header("allow"), Some("GET"));
    let resp = c.call(&sim, "GET", &format!("{GROUPS}/x/limit"), None);
    assert_error(&resp, 405, "method_not_allowed");
    assert_eq!(resp.header("allow"), Some("PUT"));
    let resp = c.call(&sim, "PUT", "/portfolio/order_groups/create", Some("{}"));
    assert_error(&resp, 405, "method_not_allowed");
}

// ---------------------------------------------------------------------------------------------
// Authentication

fn auth_details(resp: &Resp) -> String {
    assert_error(resp, 401, "unauthorized");
    resp.error_details()
}

#[test]
fn unknown_key_is_401() {
    let sim = start();
    let mut c = Client::with_credentials(&sim, other_credentials("not-registered"));
    let resp = c.call(&sim, "GET", GROUPS, None);
    assert!(auth_details(&resp).contains("unknown API key"));
    // Every route, even an unknown one, authenticates first.
    let resp = c.call(&sim, "GET", "/no/such/route", None);
    assert!(auth_details(&resp).contains("unknown API key"));
}

#[test]
fn signature_with_another_key_is_401() {
    let sim = start();
    // Claims to be the demo key, signs with the other key.
    let mut c = Client::with_credentials(&sim, other_credentials(DEMO_KEY_ID));
    let resp = c.call(&sim, "GET", GROUPS, None);
    assert!(auth_details(&resp).contains("does not verify"));
}

#[test]
fn bad_signatures_are_401() {
    let sim = start();
    let mut c = Client::new(&sim);
    let path = format!("{BASE_PATH}{GROUPS}");
    let ts = sim.now_ms();
    let good = auth_headers(&demo_credentials(), ts, "GET", &path);
    let with_sig = |sig: &str| {
        let mut h = good.clone();
        h[2].1 = sig.to_owned();
        h
    };
    // Flip one character of a valid signature.
    let mut flipped = good[2].1.clone().into_bytes();
    flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    for sig in [flipped.as_str(), "AAAA", "%%%not-base64%%%", "x"] {
        let resp = c.send("GET", &path, &with_sig(sig), None);
        auth_details(&resp);
    }
    // Signed for another method or path.
    let h = auth_headers(&demo_credentials(), ts, "POST", &path);
    assert!(auth_details(&c.send("GET", &path, &h, None)).contains("does not verify"));
    let h = auth_headers(
        &demo_credentials(),
        ts,
        "GET",
        "/trade-api/v2/portfolio/order_groups/x",
    );
    assert!(auth_details(&c.send("GET", &path, &h, None)).contains("does not verify"));
    // Missing headers.
    for i in 0..3 {
        let mut h = good.clone();
        h.remove(i);
        assert!(auth_details(&c.send("GET", &path, &h, None)).contains("missing"));
    }
    // The untouched headers still work on the same connection.
    assert_status(&c.send("GET", &path, &good, None), 200);
}

#[test]
fn query_must_not_be_signed() {
    let sim = start();
    let mut c = Client::new(&sim);
    let ts = sim.now_ms();
    let path = format!("{BASE_PATH}{GROUPS}");
    let target = format!("{path}?subaccount=0");
    let creds = demo_credentials();
    // Signed over the path with its query: refused.
    let message = format!("{ts}GET{target}");
    let sig = creds.signer().sign(message.as_bytes()).unwrap();
    let mut headers = auth_headers(&creds, ts, "GET", &path);
    headers[2].1 = sig;
    assert!(auth_details(&c.send("GET", &target, &headers, None)).contains("without the query"));
    // Signed over the path alone: accepted.
    let headers = auth_headers(&creds, ts, "GET", &path);
    assert_status(&c.send("GET", &target, &headers, None), 200);
}

#[test]
fn timestamps_must_be_fresh_milliseconds() {
    let (sim, clock) = start_manual();
    let mut c = Client::new(&sim);
    let path = format!("{BASE_PATH}{GROUPS}");
    let creds = demo_credentials();
    let at = |ts: u64| auth_headers(&creds, ts, "GET", &path);

    assert_status(&c.send("GET", &path, &at(T0), None), 200);
    assert_status(&c.send("GET", &path, &at(T0 - 30_000), None), 200);
    assert_status(&c.send("GET", &path, &at(T0 + 30_000), None), 200);
    assert!(auth_details(&c.send("GET", &path, &at(T0 - 30_001), None)).contains("outside"));
    assert!(auth_details(&c.send("GET", &path, &at(T0 + 30_001), None)).contains("outside"));

    // Seconds instead of milliseconds, even when correctly signed.
    let secs = T0 / 1000;
    assert!(auth_details(&c.send("GET", &path, &at(secs), None)).contains("looks like seconds"));

    // A request signed now goes stale when the clock moves past the window.
    let headers = at(T0);
    clock.advance_ms(30_000);
    assert_status(&c.send("GET", &path, &headers, None), 200);
    clock.advance_ms(1);
    assert!(auth_details(&c.send("GET", &path, &headers, None)).contains("behind"));

    // Non-numeric timestamps.
    for ts in [
        "1700000000000.0",
        "abc",
        "-1",
        "1_700_000_000_000",
        "170000000000000000000000",
    ] {
        let mut h = at(T0);
        h[1].1 = ts.to_owned();
        assert!(
            auth_details(&c.send("GET", &path, &h, None)).contains("milliseconds"),
            "{ts}"
        );
    }
}

#[test]
fn timestamp_window_is_configurable() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_timestamp_window(Duration::from_secs(5)),
    )
    .unwrap();
    let mut c = Client::new(&sim);
    let path = format!("{BASE_PATH}{GROUPS}");
    let creds = demo_credentials();
    assert_status(
        &c.send(
            "GET",
            &path,
            &auth_headers(&creds, T0 - 5_000, "GET", &path),
            None,
        ),
        200,
    );
    auth_details(&c.send(
        "GET",
        &path,
        &auth_headers(&creds, T0 - 5_001, "GET", &path),
        None,
    ));
}

#[test]
fn clock_skew_shifts_the_exchange_time() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_clock_skew_ms(60_000),
    )
    .unwrap();
    assert_eq!(sim.now_ms(), T0 + 60_000);
    assert_eq!(sim.clock_skew_ms(), 60_000);
    let mut c = Client::new(&sim);
    let path = format!("{BASE_PATH}{GROUPS}");
    let creds = demo_credentials();
    // A client trusting its own (unskewed) clock is a minute behind the exchange.
    let resp = c.send("GET", &path, &auth_headers(&creds, T0, "GET", &path), None);
    assert!(auth_details(&resp).contains("behind"));
    assert_status(
        &c.send(
            "GET",
            &path,
            &auth_headers(&creds, T0 + 60_000, "GET", &path),
            None,
        ),
        200,
    );
    sim.set_clock_skew_ms(-60_000);
    assert_eq!(sim.now_ms(), T0 - 60_000);
    let resp = c.send("GET", &path, &auth_headers(&creds, T0, "GET", &path), None);
    assert!(auth_details(&resp).contains("ahead of"));
    sim.set_clock_skew_ms(0);
    assert_status(
        &c.send("GET", &path, &auth_headers(&creds, T0, "GET", &path), None),
        200,
    );
}

#[test]
fn empty_config_refuses_everyone() {
    let sim = Simulator::start(SimulatorConfig::empty()).unwrap();
    let mut c = Client::new(&sim);
    assert!(auth_details(&c.call(&sim, "GET", GROUPS, None)).contains("unknown API key"));
}

// ---------------------------------------------------------------------------------------------
// Percent-encoding

#[test]
fn percent_encoded_ids_round_trip() {
    let sim = start();
    let mut c = Client::new(&sim);
    // A generated id with every character encoded, even the unreserved ones.
    let id = create(&mut c, &sim, json!({"contracts_limit": 10}));
    let enc = encode_all(&id);
    for (method, suffix, body) in [
        ("GET", "", None),
        ("PUT", "/trigger", None),
        ("PUT", "/reset", None),
        ("PUT", "/limit", Some(r#"{"contracts_limit": 3}"#)),
        ("DELETE", "", None),
    ] {
        let resp = c.call(&sim, method, &format!("{GROUPS}/{enc}{suffix}"), body);
        assert_status(&resp, 200);
    }

    // Seeded ids with characters that must be encoded.
    let weird = [
        "a/b c",
        "100%",
        "q?x=1&y#z",
        "plus+sign",
        "ünïcødé €",
        "..",
        "%41",
    ];
    for (i, w) in weird.iter().enumerate() {
        sim.insert_order_group(DEMO_KEY_ID, 0, w, &format!("{}", i + 1))
            .unwrap();
    }
    for (i, w) in weird.iter().enumerate() {
        let group = get_group(&mut c, &sim, w);
        assert_eq!(group["contracts_limit_fp"], format!("{}.00", i + 1), "{w}");
        let resp = c.call(
            &sim,
            "PUT",
            &format!("{GROUPS}/{}/trigger", encode(w)),
            None,
        );
        assert_status(&resp, 200);
    }
    // The list shows the decoded ids.
    let list = c.call(&sim, "GET", GROUPS, None).json();
    let ids: Vec<&str> = list["order_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, weird);
    // "%41" encoded is "%2541"; sent raw it decodes to "A", which does not exist.
    assert_error(
        &c.call(&sim, "GET", &format!("{GROUPS}/%41"), None),
        404,
        "not_found",
    );
    assert!(
        sim.insert_order_group(DEMO_KEY_ID, 0, "a/b c", "1")
            .is_err()
    );
    assert!(sim.insert_order_group(DEMO_KEY_ID, 64, "x", "1").is_err());
}

#[test]
fn signatures_cover_the_path_as_sent() {
    let sim = start();
    let mut c = Client::new(&sim);
    sim.insert_order_group(DEMO_KEY_ID, 0, "a b", "1").unwrap();
    let sent = format!("{BASE_PATH}{GROUPS}/a%20b");
    let decoded = format!("{BASE_PATH}{GROUPS}/a b");
    let creds = demo_credentials();
    let ts = sim.now_ms();
    // Signing the decoded path is refused; signing the encoded one is accepted.
    let resp = c.send(
        "GET",
        &sent,
        &auth_headers(&creds, ts, "GET", &decoded),
        None,
    );
    auth_details(&resp);
    let resp = c.send("GET", &sent, &auth_headers(&creds, ts, "GET", &sent), None);
    assert_status(&resp, 200);
    // Lower-case escapes are a different wire path.
    let lower = format!("{BASE_PATH}{GROUPS}/a%2fb");
    let upper = format!("{BASE_PATH}{GROUPS}/a%2Fb");
    let resp = c.send(
        "GET",
        &lower,
        &auth_headers(&creds, ts, "GET", &upper),
        None,
    );
    auth_details(&resp);
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[test]
fn malformed_input_gets_an_http_error_not_a_panic() {
    let sim = start();
    let mut c = Client::new(&sim);
    // Bad percent-encoding and invalid UTF-8 in the id.
    for raw in ["%zz", "%", "%4", "%FF%FE", "%C3%28", "a%2"] {
        let resp = c.call(&sim, "GET", &format!("{GROUPS}/{raw}"), None);
        assert_error(&resp, 400, "invalid_parameters");
    }
    // Bodies that are not UTF-8, absurdly nested, or huge numbers.
    let path = format!("{BASE_PATH}/portfolio/order_groups/create");
    let creds = demo_credentials();
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge_number = format!(r#"{{"contracts_limit": {}}}"#, "9".repeat(10_000));
    let bodies: [&[u8]; 5] = [
        b"\xff\xfe\xfd",
        b"{\"contracts_limit_fp\": \"\xff\"}",
        nested.as_bytes(),
        huge_number.as_bytes(),
        b"{\"contracts_limit\": 5, \"subaccount\": 1e999999}",
    ];
    for body in bodies {
        let headers = auth_headers(&creds, sim.now_ms(), "POST", &path);
        let resp = c.send("POST", &path, &headers, Some(body));
        assert_error(&resp, 400, "invalid_parameters");
    }
    // A non-ASCII header value.
    let mut raw =
        format!("GET {BASE_PATH}{GROUPS} HTTP/1.1\r\nHost: x\r\nKALSHI-ACCESS-KEY: ").into_bytes();
    raw.extend_from_slice(
        b"\xff\xfe\r\nKALSHI-ACCESS-TIMESTAMP: 1\r\nKALSHI-ACCESS-SIGNATURE: x\r\n\r\n",
    );
    auth_details(&c.send_raw(&raw));
    // Still serving on the same connection.
    assert_status(&c.call(&sim, "GET", GROUPS, None), 200);

    // Garbage that is not HTTP at all: hyper answers 400 and closes; the server keeps going.
    let mut garbage = Client::new(&sim);
    let resp = garbage.send_raw(b"\x00\x01 nonsense \xff\r\n\r\n");
    assert_eq!(resp.status, 400);
    let mut c2 = Client::new(&sim);
    assert_status(&c2.call(&sim, "GET", GROUPS, None), 200);
}

#[test]
fn oversized_bodies_get_413() {
    let sim = Simulator::start(SimulatorConfig::default().with_body_limit(64)).unwrap();
    let path = format!("{BASE_PATH}/portfolio/order_groups/create");
    let creds = demo_credentials();

    // Declared too large: refused before the body is read.
    let mut c = Client::new(&sim);
    let mut raw = format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n");
    for (n, v) in auth_headers(&creds, sim.now_ms(), "POST", &path) {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    raw.push_str("\r\n");
    assert_error(&c.send_raw(raw.as_bytes()), 413, "payload_too_large");

    // Chunked, growing past the limit.
    let mut c = Client::new(&sim);
    let mut raw = format!("POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n");
    for (n, v) in auth_headers(&creds, sim.now_ms(), "POST", &path) {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    let chunk = "x".repeat(100);
    raw.push_str(&format!("\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n", chunk.len()));
    assert_error(&c.send_raw(raw.as_bytes()), 413, "payload_too_large");

    // At the limit is fine.
    let mut c = Client::new(&sim);
    let body = format!(r#"{{"contracts_limit": 5}}{}"#, " ".repeat(64 - 22));
    assert_eq!(body.len(), 64);
    assert_status(
        &c.call(&sim, "POST", "/portfolio/order_groups/create", Some(&body)),
        201,
    );
}

#[test]
fn the_demo_key_signs_out_of_the_box() {
    let sim = start();
    let creds =
        kalshi_core::auth::Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    let mut c = Client::with_credentials(&sim, creds);
    assert_status(&c.call(&sim, "GET", GROUPS, None), 200);
}
