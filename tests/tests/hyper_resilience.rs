//! `kalshi-transport-hyper`'s retries, exactly-once order placement, rate limiter, clock-skew
//! correction and paginated streams against the in-process simulator's exchange, faults and
//! token buckets.

use std::collections::HashSet;
use std::time::Duration;

use kalshi_core::enums::{BookSide, TimeInForce};
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroups};
use kalshi_core::orders::{CreateOrder, GetOrders, Placed};
use kalshi_core::portfolio::GetFills;
use kalshi_core::rate_limit::Tier;
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment, Timestamp};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Fault, FaultRule, RandomFaults,
    RateLimitTier, Simulator, SimulatorConfig,
};
use kalshi_transport_hyper::{AsyncClient, Config, Error, Stream};

const OTHER_KEY_ID: &str = "other-key";
const OTHER_PRIVATE_KEY: &str = include_str!("../keys/other-key.pem");
const OTHER_PUBLIC_KEY: &str = include_str!("../keys/other-key.pub.pem");

fn client(sim: &Simulator, config: Config) -> AsyncClient {
    client_for(sim, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, config)
}

fn client_for(sim: &Simulator, key_id: &str, pem: &str, config: Config) -> AsyncClient {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let credentials = Credentials::from_pem(key_id, pem).expect("the key");
    AsyncClient::with_config(Client::new(environment, credentials), config)
        .expect("the client builds")
}

/// Quick retries with a large budget: a soak must not run out of attempts by bad luck.
fn patient() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 12,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(20),
        retry_server_errors: true,
    }
}

fn quick(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        ..patient()
    }
}

/// A resting one-contract bid far from any ask, at `cents` cents.
fn bid(cents: u32) -> CreateOrder {
    CreateOrder::new(
        DEFAULT_MARKET,
        BookSide::Bid,
        "1".parse().expect("a count"),
        format!("0.{cents:02}").parse().expect("a price"),
    )
}

/// Every item of a stream (consumed through the re-exported `Stream` trait alone).
async fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        items.push(item);
    }
    items
}

const ORDER_GROUP_CREATE: &str = "/portfolio/order_groups/create";
const ORDERS: &str = "/portfolio/events/orders";

// ---------------------------------------------------------------------------------------------
// (a) Faults

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_soak_every_order_exists_exactly_once() {
    let chaos = RandomFaults::new(0x5eed)
        .drop_after_execute(0.10)
        .server_error(0.10)
        .too_many_requests(0.05);
    let sim = Simulator::start(SimulatorConfig::default().with_random_faults(chaos))
        .expect("the simulator starts");
    let client = client(&sim, Config::default().retry(patient()));

    const TASKS: usize = 8;
    const PER_TASK: usize = 25;
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut placed = Vec::new();
                for i in 0..PER_TASK {
                    let op = bid(1 + ((t * PER_TASK + i) % 40) as u32);
                    let result = client.place_order(&op).await;
                    placed.push((op.client_order_id.clone(), result));
                }
                placed
            })
        })
        .collect();
    let mut placed = Vec::new();
    for task in tasks {
        placed.extend(task.await.expect("the task completes"));
    }
    assert_eq!(placed.len(), TASKS * PER_TASK);

    let mut already_existed = 0;
    let mut order_ids = HashSet::new();
    for (client_order_id, result) in &placed {
        let placed = result
            .as_ref()
            .unwrap_or_else(|e| panic!("{client_order_id}: {e}"));
        if matches!(placed, Placed::AlreadyExisted(_)) {
            already_existed += 1;
        }
        assert_eq!(
            sim.orders_with_client_order_id(DEMO_KEY_ID, client_order_id),
            1,
            "{client_order_id} exists exactly once"
        );
        assert!(order_ids.insert(placed.order_id().to_owned()));
    }
    let orders = sim.orders(DEMO_KEY_ID);
    assert_eq!(orders.len(), TASKS * PER_TASK, "no order was doubled");
    for order in &orders {
        assert!(
            order_ids.contains(&order.order_id),
            "{} was placed but not reported",
            order.order_id
        );
    }
    let injected = sim.faults().injected();
    let drops = injected
        .iter()
        .filter(|f| f.fault == Fault::DropAfterExecute)
        .count();
    assert!(drops > 0, "the soak injected no lost answer");
    assert!(
        already_existed > 0,
        "no lost answer was resolved by lookup ({drops} drops)"
    );

    // Order-group creates under the same random faults: never repeated after an unknown
    // outcome or a 5xx, so the exchange created exactly the groups reported created plus the
    // ones reported unknown.
    let creates: Vec<_> = (0..30u64)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.execute(&CreateOrderGroup::new(5 + i)).await })
        })
        .collect();
    let (mut created, mut unknown, mut refused) = (0u64, 0u64, 0u64);
    for task in creates {
        match task.await.expect("the task completes") {
            Ok(_) => created += 1,
            Err(Error::OutcomeUnknown { operation, .. }) => {
                assert_eq!(operation, "CreateOrderGroup");
                unknown += 1;
            }
            Err(Error::Api(kalshi_core::Error::ServerError(_))) => refused += 1,
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    assert_eq!(created + unknown + refused, 30);
    assert_eq!(
        sim.order_group_creates(DEMO_KEY_ID),
        created + unknown,
        "created {created}, unknown {unknown}, refused {refused}"
    );
    sim.faults().set_random(None);
    let listed = client.execute(&GetOrderGroups::new()).await.expect("list");
    assert_eq!(listed.order_groups.len() as u64, created + unknown);
}

#[tokio::test]
async fn each_fault_on_an_order_group_create() {
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let client = client(
        &sim,
        Config::default()
            .retry(quick(4))
            .request_timeout(Duration::from_millis(500)),
    );
    let faults = sim.faults();
    let rule = |fault| FaultRule::new(fault).path(ORDER_GROUP_CREATE);
    let op = CreateOrderGroup::new(10);
    let create = || client.execute(&op);

    // Executed, answer lost: the outcome is unknown and the create is not repeated.
    faults.push(rule(Fault::DropAfterExecute));
    let err = create().await.expect_err("lost answer");
    assert!(
        matches!(&err, Error::OutcomeUnknown { operation: "CreateOrderGroup", source } if matches!(**source, Error::BodyCut(_))),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("may or may not have been executed")
    );
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 1);

    // Executed, body cut in the middle: the same.
    faults.push(rule(Fault::TruncatedBody));
    let err = create().await.expect_err("cut body");
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 2);

    // Executed, answered too late: a timeout, the same.
    faults.push(rule(Fault::DelayAnswer(Duration::from_secs(3))));
    let err = create().await.expect_err("timeout");
    assert!(
        matches!(&err, Error::OutcomeUnknown { source, .. } if source.is_timeout()),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 3);

    // 5xx, JSON or a proxy's HTML: reported as server errors, not repeated.
    faults.push(rule(Fault::ServerError(503)));
    let err = create().await.expect_err("503");
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::ServerError(_))),
        "{err:?}"
    );
    faults.push(rule(Fault::ProxyBadGateway));
    let err = create().await.expect_err("502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502), "{err:?}");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 3);

    // 429 and a connection dropped before executing: nothing ran, so it is repeated.
    faults.push(rule(Fault::TooManyRequests).times(2));
    create().await.expect("created after two 429s");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 4);

    assert_eq!(faults.pending(), 0);
    assert_eq!(faults.injected().len(), 7, "{:?}", faults.injected());
    let listed = client.execute(&GetOrderGroups::new()).await.expect("list");
    assert_eq!(listed.order_groups.len(), 4);
}

#[tokio::test]
async fn reads_are_retried_through_every_fault() {
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let client = client(
        &sim,
        Config::default()
            .retry(quick(8))
            .request_timeout(Duration::from_millis(500)),
    );
    client
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect("create");
    let faults = sim.faults();
    for fault in [
        Fault::DropAfterExecute,
        Fault::DropBeforeExecute,
        Fault::TruncatedBody,
        Fault::ServerError(500),
        Fault::ProxyBadGateway,
        Fault::TooManyRequests,
        Fault::DelayAnswer(Duration::from_secs(2)),
    ] {
        faults.push(
            FaultRule::new(fault)
                .method(http::Method::GET)
                .path("/portfolio/order_groups"),
        );
    }
    let listed = client.execute(&GetOrderGroups::new()).await.expect("list");
    assert_eq!(listed.order_groups.len(), 1);
    assert_eq!(faults.injected().len(), 7);
}

#[tokio::test]
async fn a_lost_order_answer_is_resolved_by_lookup() {
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let client = client(&sim, Config::default().retry(quick(4)));
    sim.faults()
        .push(FaultRule::new(Fault::DropAfterExecute).path(ORDERS));
    let op = bid(20);
    let placed = client.place_order(&op).await.expect("placed");
    let Placed::AlreadyExisted(order) = &placed else {
        panic!("expected AlreadyExisted, got {placed:?}");
    };
    assert_eq!(order.client_order_id, op.client_order_id);
    let orders = sim.orders(DEMO_KEY_ID);
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].order_id, order.order_id);
    assert_eq!(
        orders[0].client_order_id.as_deref(),
        Some(op.client_order_id.as_str())
    );

    // Placing the same order again is the caller's duplicate: a 409, nothing created.
    let err = client.place_order(&op).await.expect_err("duplicate");
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::Conflict(_))),
        "{err:?}"
    );
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);

    // A 5xx and a cut body before the create lands: repeated, created once.
    sim.faults()
        .push(FaultRule::new(Fault::ServerError(502)).path(ORDERS));
    sim.faults()
        .push(FaultRule::new(Fault::DropBeforeExecute).path(ORDERS));
    let op = bid(21);
    let placed = client.place_order(&op).await.expect("placed");
    assert!(matches!(placed, Placed::Created(_)), "{placed:?}");
    assert_eq!(
        sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// (b) Rate limiting

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_under_its_tier_gets_no_429() {
    let sim = Simulator::start(SimulatorConfig::default().with_rate_limits(RateLimitTier::Basic))
        .expect("the simulator starts");
    // No retries: a 429 would surface as an error.
    let config = Config::default()
        .rate_limit(Tier::Basic)
        .retry(RetryPolicy::never());
    let client = client(&sim, config);

    // Basic: Write 100 tokens/s holding 100 (10 orders at once, then 10/s); Read 200/s
    // holding 400. 8 tasks, 32 orders and 48 reads in all: about 2 s of throttling.
    let tasks: Vec<_> = (0..8u32)
        .map(|t| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut errors = Vec::new();
                for i in 0..10u32 {
                    if i % 3 == 0 {
                        if let Err(e) = client.place_order(&bid(1 + t * 4 + i / 3)).await {
                            errors.push(e);
                        }
                    } else if let Err(e) = client.execute(&GetOrders::new().limit(1)).await {
                        errors.push(e);
                    }
                }
                errors
            })
        })
        .collect();
    let mut errors = Vec::new();
    for task in tasks {
        errors.extend(task.await.expect("the task completes"));
    }
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 32);
    let stats = client.stats();
    assert_eq!(stats.requests, 80, "each request sent once: {stats:?}");
    assert_eq!(stats.retries, 0);
    assert!(stats.rate_limit_waits > 0, "the limiter paced the burst");
}

#[tokio::test]
async fn without_the_limiter_the_same_burst_is_throttled() {
    // The control: the simulator's buckets do answer 429 to a burst the limiter would pace.
    let sim = Simulator::start(SimulatorConfig::default().with_rate_limits(RateLimitTier::Basic))
        .expect("the simulator starts");
    let client = client(&sim, Config::default().retry(RetryPolicy::never()));
    let mut limited = 0;
    for i in 0..30 {
        match client.place_order(&bid(1 + i)).await {
            Ok(_) => {}
            Err(Error::Api(kalshi_core::Error::RateLimited(_))) => limited += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert!(limited >= 5, "{limited}");
}

// ---------------------------------------------------------------------------------------------
// (c) Clock skew

#[tokio::test]
async fn an_exchange_clock_90_s_ahead() {
    let sim = Simulator::start(SimulatorConfig::default().with_clock_skew_ms(90_000))
        .expect("the simulator starts");

    // A plain client: every request is outside the ±30 s window, and the 401 says why.
    let plain = client(&sim, Config::default());
    let err = plain
        .execute(&GetOrderGroups::new())
        .await
        .expect_err("stale");
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(api)) => {
            let skew = api.clock_skew_ms.expect("the observed offset");
            assert!((85_000..=95_000).contains(&skew), "{skew}");
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("clock"), "{text}");
    let offset = plain.clock_offset_ms().expect("observed");
    assert!((88_000..=92_000).contains(&offset), "{offset}");
    // Knowing the offset changes nothing without correction.
    plain
        .execute(&GetOrderGroups::new())
        .await
        .expect_err("still stale");

    // With correction: the first answer (a 401) teaches the offset, and the call is re-signed
    // on the exchange's clock once, so it succeeds; later calls are signed right at once.
    let corrected = client(&sim, Config::default().correct_clock_skew(true));
    corrected
        .execute(&GetOrderGroups::new())
        .await
        .expect("re-signed after the 401");
    assert_eq!(
        corrected.stats().requests,
        2,
        "one 401, one re-signed request"
    );
    corrected
        .execute(&GetOrderGroups::new())
        .await
        .expect("signed on the exchange's clock");
    assert_eq!(corrected.stats().requests, 3);
    let created = corrected
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect("create");
    assert!(!created.order_group_id.is_empty());

    // A create as the very first call: its 401 executed nothing, so the re-signed repeat
    // creates exactly one group.
    let creates_before = sim.order_group_creates(DEMO_KEY_ID);
    let fresh = client(&sim, Config::default().correct_clock_skew(true));
    fresh
        .execute(&CreateOrderGroup::new(5))
        .await
        .expect("re-signed create");
    assert_eq!(fresh.stats().requests, 2);
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), creates_before + 1);
    // An explicit timestamp is used as given.
    corrected
        .execute_at(&GetOrderGroups::new(), Timestamp::now())
        .await
        .expect_err("the local clock, uncorrected");
    corrected
        .execute_at(&GetOrderGroups::new(), Timestamp::from_millis(sim.now_ms()))
        .await
        .expect("the exchange's clock");
}

// ---------------------------------------------------------------------------------------------
// (d) Streams

#[tokio::test]
async fn stream_orders_and_fills_page_by_page() {
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_key_pem(OTHER_KEY_ID, OTHER_PUBLIC_KEY)
            .expect("key"),
    )
    .expect("the simulator starts");
    let me = client(&sim, Config::default());
    let maker = client_for(&sim, OTHER_KEY_ID, OTHER_PRIVATE_KEY, Config::default());

    // 25 resting orders, listed 10 a page.
    let mut placed = HashSet::new();
    for i in 0..25 {
        let order = me.place_order(&bid(1 + i)).await.expect("placed");
        placed.insert(order.order_id().to_owned());
    }
    let orders = collect(me.stream_all(GetOrders::new().limit(10))).await;
    let listed: HashSet<String> = orders
        .into_iter()
        .map(|o| o.expect("an order").order_id)
        .collect();
    assert_eq!(listed, placed);

    // 12 fills against another account's resting ask, listed 5 a page.
    maker
        .place_order(&CreateOrder::new(
            DEFAULT_MARKET,
            BookSide::Ask,
            "20".parse().expect("count"),
            "0.60".parse().expect("price"),
        ))
        .await
        .expect("the maker's ask");
    for _ in 0..12 {
        let taker = CreateOrder::new(
            DEFAULT_MARKET,
            BookSide::Bid,
            "1".parse().expect("count"),
            "0.60".parse().expect("price"),
        )
        .time_in_force(TimeInForce::ImmediateOrCancel);
        me.place_order(&taker).await.expect("the taker's bid");
    }
    let mut five_a_page = GetFills::new();
    five_a_page.limit = Some(5);
    let fills = collect(me.stream_all(five_a_page)).await;
    assert_eq!(fills.len(), 12);
    let ids: HashSet<String> = fills
        .into_iter()
        .map(|f| f.expect("a fill").fill_id)
        .collect();
    assert_eq!(ids.len(), 12);
    assert_eq!(sim.fills(DEMO_KEY_ID).len(), 12);

    // The stream ends at the first error: here the very first page is refused.
    sim.faults().push(
        FaultRule::new(Fault::ServerError(500))
            .path("/portfolio/orders")
            .times(10),
    );
    let items = collect(
        client(&sim, Config::default().retry(quick(2))).stream_all(GetOrders::new().limit(10)),
    )
    .await;
    assert_eq!(items.len(), 1);
    assert!(
        matches!(
            &items[0],
            Err(Error::Api(kalshi_core::Error::ServerError(_)))
        ),
        "{items:?}"
    );
}
