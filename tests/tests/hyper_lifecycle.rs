//! The order-group lifecycle through `kalshi-transport-hyper`'s `AsyncClient` against the
//! in-process simulator, plus authentication failures, concurrent requests on one client and a
//! cancel-all (a 204 with no body).

use std::time::Duration;

use kalshi_core::enums::BookSide;
use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::orders::{CancelAllOrders, CreateOrder, GetOrders};
use kalshi_core::{Client, Credentials, Environment, FixedPointCount, Timestamp};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_hyper::{AsyncClient, Config, Error};

const OTHER_KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/keys/other-key.pem");

fn start() -> Simulator {
    Simulator::start(SimulatorConfig::default()).expect("the simulator starts")
}

fn client_with(sim: &Simulator, credentials: Credentials) -> AsyncClient {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let config = Config::default().request_timeout(Duration::from_secs(10));
    AsyncClient::with_config(Client::new(environment, credentials), config)
        .expect("the client builds")
}

fn demo_client(sim: &Simulator) -> AsyncClient {
    client_with(
        sim,
        Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("the demo key"),
    )
}

fn limit(s: &str) -> Option<FixedPointCount> {
    Some(s.parse().expect("a fixed-point count"))
}

fn expect_not_found<T: std::fmt::Debug>(result: Result<T, Error>) -> kalshi_core::ApiError {
    match result {
        Err(Error::Api(kalshi_core::Error::NotFound(e))) => (*e).clone(),
        other => panic!("expected a 404 NotFound, got {other:?}"),
    }
}

fn expect_unauthorized<T: std::fmt::Debug>(result: Result<T, Error>) -> kalshi_core::ApiError {
    match result {
        Err(Error::Api(kalshi_core::Error::Unauthorized(e))) => (*e).clone(),
        other => panic!("expected a 401 Unauthorized, got {other:?}"),
    }
}

#[tokio::test]
async fn full_lifecycle() {
    let sim = start();
    let client = demo_client(&sim);

    // Create.
    let created = client
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect("create");
    let id = created.order_group_id.clone();
    assert!(!id.is_empty());
    assert_eq!(created.subaccount, 0);

    // List.
    let list = client.execute(&GetOrderGroups::new()).await.expect("list");
    assert_eq!(list.order_groups.len(), 1);
    let listed = &list.order_groups[0];
    assert_eq!(listed.id, id);
    assert_eq!(
        listed.contracts_limit_fp.map(|l| l.to_string()).as_deref(),
        Some("10.00")
    );
    assert!(listed.is_auto_cancel_enabled);

    // Get.
    let group = client.execute(&GetOrderGroup::new(&id)).await.expect("get");
    assert_eq!(group.contracts_limit_fp, limit("10.00"));
    assert!(group.is_auto_cancel_enabled);
    assert!(group.orders.is_empty());

    // Update the limit.
    client
        .execute(&UpdateOrderGroupLimit::new(&id, 20))
        .await
        .expect("update limit");
    let group = client.execute(&GetOrderGroup::new(&id)).await.expect("get");
    assert_eq!(
        group.contracts_limit_fp.map(|l| l.to_string()).as_deref(),
        Some("20.00")
    );
    assert!(group.is_auto_cancel_enabled);

    // Trigger: the simulator reports `is_auto_cancel_enabled = false` while triggered.
    client
        .execute(&TriggerOrderGroup::new(&id))
        .await
        .expect("trigger");
    let group = client.execute(&GetOrderGroup::new(&id)).await.expect("get");
    assert!(!group.is_auto_cancel_enabled);
    assert!(sim.order_groups(DEMO_KEY_ID)[0].triggered);

    // Reset: active again, limit kept.
    client
        .execute(&ResetOrderGroup::new(&id))
        .await
        .expect("reset");
    let group = client.execute(&GetOrderGroup::new(&id)).await.expect("get");
    assert!(group.is_auto_cancel_enabled);
    assert_eq!(group.contracts_limit_fp, limit("20.00"));
    assert!(!sim.order_groups(DEMO_KEY_ID)[0].triggered);

    // Delete, then the group is gone: a typed 404.
    client
        .execute(&DeleteOrderGroup::new(&id))
        .await
        .expect("delete");
    let e = expect_not_found(client.execute(&GetOrderGroup::new(&id)).await);
    assert_eq!(e.status, 404);
    assert_eq!(
        e.error.as_ref().and_then(|d| d.code.as_deref()),
        Some("not_found")
    );
    assert!(
        client
            .execute(&GetOrderGroups::new())
            .await
            .expect("list")
            .order_groups
            .is_empty()
    );

    // A second delete is a 404 too, and a known outcome.
    let err = client
        .execute(&DeleteOrderGroup::new(&id))
        .await
        .expect_err("already deleted");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::NotFound(_))),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

/// `CancelAllOrders` answers 204 with no body: a success, with nothing left resting.
#[tokio::test]
async fn cancel_all_orders_is_a_bodiless_success() {
    let sim = start();
    let client = demo_client(&sim);
    for price in ["0.40", "0.41"] {
        let op = CreateOrder::new(
            DEFAULT_MARKET,
            BookSide::Bid,
            "1".parse().expect("count"),
            price.parse().expect("price"),
        );
        client.execute(&op).await.expect("placed");
    }
    let resting = GetOrders::new().status("resting");
    assert_eq!(
        client.execute(&resting).await.expect("orders").orders.len(),
        2
    );
    client
        .execute(&CancelAllOrders::new())
        .await
        .expect("cancel all");
    let left = client.execute(&resting).await.expect("orders").orders;
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn wrong_private_key_is_unauthorized() {
    let sim = start();
    let wrong = client_with(
        &sim,
        Credentials::from_pem_file(DEMO_KEY_ID, OTHER_KEY).expect("the other key"),
    );
    let e = expect_unauthorized(wrong.execute(&GetOrderGroups::new()).await);
    assert_eq!(e.status, 401);
    let err = wrong
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect_err("unauthorized");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::Unauthorized(_))),
        "{err:?}"
    );
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
    expect_unauthorized(unknown.execute(&GetOrderGroups::new()).await);
}

#[tokio::test]
async fn stale_timestamp_is_unauthorized() {
    let sim = start();
    let client = demo_client(&sim);
    let ten_minutes = 10 * 60 * 1000;
    let now = sim.now_ms();
    let stale = Timestamp::from_millis(now - ten_minutes);
    let e = expect_unauthorized(client.execute_at(&GetOrderGroups::new(), stale).await);
    assert_eq!(e.status, 401);
    expect_unauthorized(client.execute_at(&CreateOrderGroup::new(5), stale).await);
    assert!(sim.order_groups(DEMO_KEY_ID).is_empty());
    // The same request stamped with the exchange's time is fine.
    client
        .execute_at(&GetOrderGroups::new(), Timestamp::from_millis(sim.now_ms()))
        .await
        .expect("a fresh timestamp");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_on_one_client() {
    let sim = start();
    let client = demo_client(&sim);

    // Spawned tasks on a multi-threaded runtime, each with a clone of the client.
    let tasks: Vec<_> = (0..6u64)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .execute(&CreateOrderGroup::new(10 + i))
                    .await
                    .expect("create")
                    .order_group_id
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("the task completes"));
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "every create got its own id");

    // Several futures polled together on one task, sharing one client by reference.
    let client_ref = &client;
    let gets: Vec<_> = ids
        .iter()
        .map(|id| async move { client_ref.execute(&GetOrderGroup::new(id)).await })
        .collect();
    let mut limits = Vec::new();
    for result in join_all(gets).await {
        let group = result.expect("get");
        assert!(group.is_auto_cancel_enabled);
        limits.push(group.contracts_limit_fp.expect("a limit").to_string());
    }
    limits.sort();
    assert_eq!(
        limits,
        ["10.00", "11.00", "12.00", "13.00", "14.00", "15.00"]
    );

    let listed = client.execute(&GetOrderGroups::new()).await.expect("list");
    assert_eq!(listed.order_groups.len(), 6);
}

/// Polls every future concurrently on the current task (a tiny `join_all`, so that the test
/// needs no futures crate).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *output = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[tokio::test]
async fn stopped_simulator_is_a_transport_error() {
    let sim = start();
    let client = demo_client(&sim);
    client
        .execute(&GetOrderGroups::new())
        .await
        .expect("running");
    sim.shutdown();
    let err = client
        .execute(&GetOrderGroups::new())
        .await
        .expect_err("stopped");
    // A pooled connection the server closed is either noticed before reuse (then a fresh
    // connect is refused) or seen closing under the request.
    assert!(
        matches!(err, Error::Connect(_) | Error::BodyCut(_)),
        "{err:?}"
    );
}
