//! The order-group lifecycle through `kalshi-transport-ureq`'s `BlockingClient` against the
//! in-process simulator, plus authentication failures, caller errors and percent-encoding.

use std::thread;
use std::time::Duration;

use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::{Client, Credentials, Environment, FixedPointCount, Timestamp};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};
use kalshi_transport_ureq::{BlockingClient, Config, Error};

const OTHER_KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/keys/other-key.pem");

fn start() -> Simulator {
    Simulator::start(SimulatorConfig::default()).expect("the simulator starts")
}

fn client_with(sim: &Simulator, credentials: Credentials) -> BlockingClient {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let config = Config::default().timeout(Duration::from_secs(10));
    BlockingClient::with_config(Client::new(environment, credentials), config)
}

fn demo_client(sim: &Simulator) -> BlockingClient {
    client_with(
        sim,
        Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("the demo key"),
    )
}

fn limit(s: &str) -> Option<FixedPointCount> {
    Some(s.parse().expect("a fixed-point count"))
}

fn expect_not_found(result: Result<impl std::fmt::Debug, Error>) -> kalshi_core::ApiError {
    match result {
        Err(Error::Api(kalshi_core::Error::NotFound(e))) => *e,
        other => panic!("expected a 404 NotFound, got {other:?}"),
    }
}

fn expect_unauthorized(result: Result<impl std::fmt::Debug, Error>) -> kalshi_core::ApiError {
    match result {
        Err(Error::Api(kalshi_core::Error::Unauthorized(e))) => *e,
        other => panic!("expected a 401 Unauthorized, got {other:?}"),
    }
}

#[test]
fn full_lifecycle() {
    let sim = start();
    let client = demo_client(&sim);

    // Create.
    let created = client.execute(&CreateOrderGroup::new(10)).expect("create");
    let id = created.order_group_id.clone();
    assert!(!id.is_empty());
    assert_eq!(created.subaccount, 0);

    // List.
    let list = client.execute(&GetOrderGroups::new()).expect("list");
    assert_eq!(list.order_groups.len(), 1);
    let listed = &list.order_groups[0];
    assert_eq!(listed.id, id);
    assert_eq!(listed.contracts_limit_fp, limit("10.00"));
    assert_eq!(
        listed.contracts_limit_fp.map(|l| l.to_string()).as_deref(),
        Some("10.00")
    );
    assert!(listed.is_auto_cancel_enabled);

    // Get.
    let group = client.execute(&GetOrderGroup::new(&id)).expect("get");
    assert_eq!(group.contracts_limit_fp, limit("10.00"));
    assert!(group.is_auto_cancel_enabled);
    assert!(group.orders.is_empty());

    // Update the limit.
    client
        .execute(&UpdateOrderGroupLimit::new(&id, 20))
        .expect("update limit");
    let group = client.execute(&GetOrderGroup::new(&id)).expect("get");
    assert_eq!(group.contracts_limit_fp, limit("20.00"));
    assert!(group.is_auto_cancel_enabled);

    // Trigger: the simulator reports `is_auto_cancel_enabled = false` while triggered.
    client
        .execute(&TriggerOrderGroup::new(&id))
        .expect("trigger");
    let group = client.execute(&GetOrderGroup::new(&id)).expect("get");
    assert!(!group.is_auto_cancel_enabled);
    assert!(sim.order_groups(DEMO_KEY_ID)[0].triggered);

    // Reset: active again.
    client.execute(&ResetOrderGroup::new(&id)).expect("reset");
    let group = client.execute(&GetOrderGroup::new(&id)).expect("get");
    assert!(group.is_auto_cancel_enabled);
    assert_eq!(group.contracts_limit_fp, limit("20.00"));

    // Delete, then the group is gone.
    client.execute(&DeleteOrderGroup::new(&id)).expect("delete");
    let e = expect_not_found(client.execute(&GetOrderGroup::new(&id)));
    assert_eq!(e.status, 404);
    assert_eq!(
        e.error.as_ref().and_then(|d| d.code.as_deref()),
        Some("not_found")
    );
    assert!(
        client
            .execute(&GetOrderGroups::new())
            .expect("list")
            .order_groups
            .is_empty()
    );

    // A second delete is a 404 too, and a known outcome.
    let err = client
        .execute(&DeleteOrderGroup::new(&id))
        .expect_err("already deleted");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::NotFound(_))),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
}

#[test]
fn fills_over_the_limit_trigger_and_reset_clears() {
    let sim = start();
    let client = demo_client(&sim);
    let id = client
        .execute(&CreateOrderGroup::new(5))
        .expect("create")
        .order_group_id;
    assert!(!sim.record_fill(DEMO_KEY_ID, 0, &id, "5").expect("fill"));
    assert!(sim.record_fill(DEMO_KEY_ID, 0, &id, "0.01").expect("fill"));
    assert!(
        !client
            .execute(&GetOrderGroup::new(&id))
            .expect("get")
            .is_auto_cancel_enabled
    );
    client.execute(&ResetOrderGroup::new(&id)).expect("reset");
    assert!(
        client
            .execute(&GetOrderGroup::new(&id))
            .expect("get")
            .is_auto_cancel_enabled
    );
}

#[test]
fn wrong_private_key_is_unauthorized() {
    let sim = start();
    let wrong = client_with(
        &sim,
        Credentials::from_pem_file(DEMO_KEY_ID, OTHER_KEY).expect("the other key"),
    );
    let e = expect_unauthorized(wrong.execute(&GetOrderGroups::new()));
    assert_eq!(e.status, 401);
    let err = wrong
        .execute(&CreateOrderGroup::new(10))
        .expect_err("unauthorized");
    assert!(!err.outcome_unknown());
    assert!(
        sim.order_groups(DEMO_KEY_ID).is_empty(),
        "nothing was created"
    );

    // An unknown key id too.
    let unknown = client_with(
        &sim,
        Credentials::from_pem_file("no-such-key", OTHER_KEY).expect("the other key"),
    );
    expect_unauthorized(unknown.execute(&GetOrderGroups::new()));
}

#[test]
fn stale_or_future_timestamp_is_unauthorized() {
    let sim = start();
    let client = demo_client(&sim);
    let now = Timestamp::now().as_millis();
    let ten_minutes = 10 * 60 * 1000;
    expect_unauthorized(client.execute_at(
        &GetOrderGroups::new(),
        Timestamp::from_millis(now - ten_minutes),
    ));
    expect_unauthorized(client.execute_at(
        &GetOrderGroups::new(),
        Timestamp::from_millis(now + ten_minutes),
    ));
    // The same request stamped now is fine.
    client
        .execute_at(&GetOrderGroups::new(), Timestamp::from_millis(sim.now_ms()))
        .expect("a fresh timestamp");
}

#[test]
fn caller_errors_are_refused_before_sending() {
    let sim = start();
    let client = demo_client(&sim);
    let refused = [
        client.execute(&CreateOrderGroup::new(0)).map(drop),
        client.execute(&CreateOrderGroup::new(1_000_001)).map(drop),
        client
            .execute(&CreateOrderGroup::new(10).subaccount(64))
            .map(drop),
        client.execute(&GetOrderGroup::new("")).map(drop),
        client
            .execute(&GetOrderGroup::new("og").subaccount(64))
            .map(drop),
        client.execute(&DeleteOrderGroup::new("")).map(drop),
        client.execute(&TriggerOrderGroup::new("..")).map(drop),
        client
            .execute(&UpdateOrderGroupLimit::new("og", 0))
            .map(drop),
    ];
    for (i, result) in refused.into_iter().enumerate() {
        let err = result.expect_err("refused");
        assert!(err.is_refused_before_sending(), "case {i}: {err:?}");
        match &err {
            Error::Api(core) => assert!(core.is_refused_before_sending(), "case {i}: {core:?}"),
            other => panic!("case {i}: expected Error::Api, got {other:?}"),
        }
        assert!(!err.outcome_unknown());
    }
    assert!(
        sim.order_groups(DEMO_KEY_ID).is_empty(),
        "nothing was created"
    );
}

#[test]
fn odd_ids_are_percent_encoded_and_signed_as_sent() {
    let sim = start();
    let client = demo_client(&sim);
    let odd = "a/b?c#d %";

    // Unknown: a 404, not a 401, so the signed path is the path the simulator received.
    let e = expect_not_found(client.execute(&GetOrderGroup::new(odd)));
    assert_eq!(e.status, 404);

    // Known: the id survives the round trip on every method.
    sim.insert_order_group(DEMO_KEY_ID, 0, odd, "5")
        .expect("insert");
    let group = client.execute(&GetOrderGroup::new(odd)).expect("get");
    assert_eq!(group.contracts_limit_fp, limit("5.00"));
    client
        .execute(&UpdateOrderGroupLimit::new(odd, 7))
        .expect("limit");
    client
        .execute(&TriggerOrderGroup::new(odd))
        .expect("trigger");
    assert!(
        !client
            .execute(&GetOrderGroup::new(odd))
            .expect("get")
            .is_auto_cancel_enabled
    );
    client.execute(&ResetOrderGroup::new(odd)).expect("reset");
    let listed = client.execute(&GetOrderGroups::new()).expect("list");
    assert_eq!(listed.order_groups.len(), 1);
    assert_eq!(listed.order_groups[0].id, odd);
    assert_eq!(listed.order_groups[0].contracts_limit_fp, limit("7.00"));
    client.execute(&DeleteOrderGroup::new(odd)).expect("delete");
    expect_not_found(client.execute(&GetOrderGroup::new(odd)));

    for id in ["ünïcødé", "with space", "100%", "a+b=c&d"] {
        expect_not_found(client.execute(&GetOrderGroup::new(id)));
    }
}

#[test]
fn one_client_shared_between_threads() {
    let sim = start();
    let client = demo_client(&sim);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let client = client.clone();
            thread::spawn(move || {
                (0..3)
                    .map(|_| {
                        client
                            .execute(&CreateOrderGroup::new(10 + i))
                            .expect("create")
                            .order_group_id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12, "every create got its own id");
    let listed = client.execute(&GetOrderGroups::new()).expect("list");
    assert_eq!(listed.order_groups.len(), 12);
}

#[test]
fn stopped_simulator_is_a_connect_error() {
    let sim = start();
    let client = demo_client(&sim);
    client.execute(&GetOrderGroups::new()).expect("running");
    sim.shutdown();
    let err = client.execute(&GetOrderGroups::new()).expect_err("stopped");
    // A pooled connection the server closed is either noticed before reuse (Connect) or
    // seen closing under the request (Disconnected); a fresh one is refused.
    assert!(
        matches!(err, Error::Connect(_) | Error::Disconnected(_)),
        "{err:?}"
    );
}
