//! `kalshi-transport-ureq` under the simulator's injected faults: orders placed with
//! `place_order` exist exactly once whatever the network does, and a create without an
//! idempotency key (`CreateOrderGroup`) is never repeated after its outcome became unknown.

use std::collections::HashSet;
use std::thread;
use std::time::Duration;

use http::Method;
use kalshi_core::enums::BookSide;
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroups};
use kalshi_core::orders::{CreateOrder, Placed};
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Fault, FaultRule, RandomFaults, Simulator,
    SimulatorConfig,
};
use kalshi_transport_ureq::{BlockingClient, Config, Error};

const ORDERS_PATH: &str = "/portfolio/events/orders";
const GROUP_CREATE_PATH: &str = "/portfolio/order_groups/create";

/// Generous retries without noticeable waits: enough attempts that a run of random faults
/// does not exhaust them.
fn patient() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 12,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(8),
        retry_server_errors: true,
    }
}

fn client(sim: &Simulator, config: Config) -> BlockingClient {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    BlockingClient::with_config(Client::new(environment, credentials), config)
}

fn config() -> Config {
    Config::default()
        .timeout(Duration::from_secs(10))
        .retry(patient())
}

/// A resting bid of one contract at `cents` cents (never crossing: nobody sells).
fn bid(cents: u32) -> CreateOrder {
    CreateOrder::new(
        DEFAULT_MARKET,
        BookSide::Bid,
        "1".parse().expect("count"),
        format!("0.{cents:02}").parse().expect("price"),
    )
}

fn start(config: SimulatorConfig) -> Simulator {
    Simulator::start(config).expect("the simulator starts")
}

#[test]
fn soak_orders_exist_exactly_once_and_order_groups_are_never_repeated() {
    // Every write independently: 10% executed then the connection dropped, 10% a 503 (not
    // executed), 5% a 429 (not executed). Reads (the lookups after a 409) are not faulted.
    let chaos = RandomFaults::new(0x5eed_0001)
        .drop_after_execute(0.10)
        .server_error(0.10)
        .too_many_requests(0.05);
    let sim = start(SimulatorConfig::default().with_random_faults(chaos));
    let client = client(&sim, config());

    // 200 orders from 4 threads, each with its own client_order_id.
    let intended: Vec<CreateOrder> = (0..200).map(|i| bid(1 + i % 40)).collect();
    let outcomes: Vec<(String, Result<Placed, Error>)> = thread::scope(|s| {
        let handles: Vec<_> = intended
            .chunks(50)
            .map(|chunk| {
                let client = client.clone();
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|op| (op.client_order_id.clone(), client.place_order(op)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a placing thread"))
            .collect()
    });

    let mut created = 0;
    let mut recovered = 0;
    let mut order_ids = HashSet::new();
    for (coid, outcome) in &outcomes {
        match outcome {
            Ok(Placed::Created(r)) => {
                created += 1;
                assert_eq!(r.client_order_id.as_deref(), Some(coid.as_str()));
                order_ids.insert(r.order_id.clone());
            }
            Ok(Placed::AlreadyExisted(o)) => {
                recovered += 1;
                assert_eq!(&o.client_order_id, coid);
                order_ids.insert(o.order_id.clone());
            }
            Err(e) => panic!("{coid}: {e}"),
        }
        assert_eq!(
            sim.orders_with_client_order_id(DEMO_KEY_ID, coid),
            1,
            "{coid} must exist exactly once"
        );
    }
    assert_eq!(created + recovered, 200);
    assert_eq!(order_ids.len(), 200, "200 distinct exchange orders");
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 200, "and nothing else");

    // The faults did happen, and some answers were lost after the order was placed.
    let injected = sim.faults().injected();
    let on_orders = |kind: &str| {
        injected
            .iter()
            .filter(|f| f.path == ORDERS_PATH && f.fault.kind() == kind)
            .count()
    };
    assert!(on_orders("drop_after_execute") > 0, "{injected:?}");
    assert!(on_orders("server_error") > 0);
    assert!(on_orders("too_many_requests") > 0);
    assert!(recovered > 0, "lost answers were resolved by lookup");
    assert!(client.stats().retries > 0);

    // Order groups under the same faults, one at a time: never repeated after an unknown
    // outcome, so the exchange holds exactly the groups whose create was executed.
    let calls = 100;
    let (mut ok, mut unknown, mut server_error) = (0u64, 0u64, 0u64);
    let faults_before = sim.faults().injected().len();
    for _ in 0..calls {
        match client.execute(&CreateOrderGroup::new(10)) {
            Ok(_) => ok += 1,
            Err(Error::OutcomeUnknown { operation, source }) => {
                assert_eq!(operation, "CreateOrderGroup");
                assert!(source.outcome_unknown(), "{source:?}");
                unknown += 1;
            }
            Err(e @ Error::Api(kalshi_core::Error::ServerError(_))) => {
                assert!(e.outcome_unknown());
                server_error += 1;
            }
            Err(e) => panic!("unexpected: {e:?}"),
        }
    }
    assert_eq!(ok + unknown + server_error, calls);
    let group_faults: Vec<_> = sim.faults().injected()[faults_before..]
        .iter()
        .filter(|f| f.path == GROUP_CREATE_PATH)
        .map(|f| f.fault.kind())
        .collect();
    let count = |kind: &str| group_faults.iter().filter(|k| **k == kind).count() as u64;
    // Each lost answer is one OutcomeUnknown, each 503 one ServerError: none was repeated.
    assert_eq!(unknown, count("drop_after_execute"));
    assert_eq!(server_error, count("server_error"));
    assert!(unknown > 0 && server_error > 0, "{group_faults:?}");
    // The executed creates are exactly the answered ones plus the lost ones.
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), ok + unknown);
    assert_eq!(sim.order_groups(DEMO_KEY_ID).len() as u64, ok + unknown);
}

#[test]
fn a_lost_create_answer_is_resolved_to_the_existing_order() {
    let sim = start(SimulatorConfig::default());
    let client = client(&sim, config());
    sim.faults().push(
        FaultRule::new(Fault::DropAfterExecute)
            .method(Method::POST)
            .path(ORDERS_PATH),
    );
    let op = bid(33);
    let placed = client.place_order(&op).expect("resolved");
    let Placed::AlreadyExisted(order) = &placed else {
        panic!("expected AlreadyExisted, got {placed:?}");
    };
    assert_eq!(order.client_order_id, op.client_order_id);
    assert_eq!(
        sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id),
        1
    );

    // A body cut short after the order was placed: the same.
    sim.faults().push(
        FaultRule::new(Fault::TruncatedBody)
            .method(Method::POST)
            .path(ORDERS_PATH),
    );
    let op = bid(34);
    assert!(matches!(
        client.place_order(&op).expect("resolved"),
        Placed::AlreadyExisted(_)
    ));
    assert_eq!(
        sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id),
        1
    );

    // A proxy's HTML 502, then a 503: nothing executed, the repeat creates it.
    sim.faults().push(
        FaultRule::new(Fault::ProxyBadGateway)
            .method(Method::POST)
            .path(ORDERS_PATH),
    );
    sim.faults().push(
        FaultRule::new(Fault::ServerError(503))
            .method(Method::POST)
            .path(ORDERS_PATH),
    );
    let op = bid(35);
    assert!(matches!(
        client.place_order(&op).expect("placed"),
        Placed::Created(_)
    ));
    assert_eq!(
        sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id),
        1
    );
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 3);
    assert_eq!(sim.faults().pending(), 0);
}

#[test]
fn a_create_order_group_whose_answer_is_lost_is_not_repeated() {
    let sim = start(SimulatorConfig::default());
    let client = client(&sim, config());
    let group_create = |fault: Fault| {
        FaultRule::new(fault)
            .method(Method::POST)
            .path(GROUP_CREATE_PATH)
    };

    // Executed, then the connection dropped.
    sim.faults().push(group_create(Fault::DropAfterExecute));
    let err = client
        .execute(&CreateOrderGroup::new(10))
        .expect_err("the answer is lost");
    assert!(
        matches!(
            &err,
            Error::OutcomeUnknown {
                operation: "CreateOrderGroup",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("list the order groups"), "{err}");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 1, "executed once");
    // What the message says to do: list them, and find it.
    let listed = client.execute(&GetOrderGroups::new()).expect("list");
    assert_eq!(listed.order_groups.len(), 1);

    // Dropped before execution: the client cannot tell, so it does not repeat either.
    sim.faults().push(group_create(Fault::DropBeforeExecute));
    let err = client
        .execute(&CreateOrderGroup::new(10))
        .expect_err("no answer");
    assert!(matches!(&err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 1);

    // A 5xx (HTML or JSON): the core's ServerError, outcome unknown, not repeated.
    for fault in [Fault::ServerError(500), Fault::ProxyBadGateway] {
        sim.faults().push(group_create(fault));
        let err = client.execute(&CreateOrderGroup::new(10)).expect_err("5xx");
        assert!(
            matches!(&err, Error::Api(kalshi_core::Error::ServerError(_))),
            "{err:?}"
        );
        assert!(err.outcome_unknown());
    }
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 1);

    // A 429 executed nothing: repeated, and created once.
    sim.faults()
        .push(group_create(Fault::TooManyRequests).times(2));
    client
        .execute(&CreateOrderGroup::new(10))
        .expect("created after two 429s");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 2);

    // A slow answer past the client's timeout, after execution: outcome unknown.
    let impatient = self::client(&sim, config().timeout(Duration::from_millis(300)));
    sim.faults()
        .push(group_create(Fault::DelayAnswer(Duration::from_secs(2))));
    let err = impatient
        .execute(&CreateOrderGroup::new(10))
        .expect_err("timed out");
    match &err {
        Error::OutcomeUnknown { source, .. } => assert!(
            matches!(
                **source,
                Error::Timeout {
                    connected: true,
                    ..
                }
            ),
            "{source:?}"
        ),
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 3);
    assert_eq!(sim.order_groups(DEMO_KEY_ID).len(), 3);
}

#[test]
fn reads_ride_out_faults() {
    let sim = start(SimulatorConfig::default());
    let client = client(&sim, config());
    for fault in [
        Fault::DropBeforeExecute,
        Fault::DropAfterExecute,
        Fault::ServerError(503),
        Fault::ProxyBadGateway,
        Fault::TruncatedBody,
        Fault::TooManyRequests,
    ] {
        sim.faults()
            .push(FaultRule::new(fault.clone()).method(Method::GET));
        let before = client.stats().requests;
        client
            .execute(&GetOrderGroups::new())
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(client.stats().requests - before, 2, "{fault:?}: one retry");
    }
}
