//! `kalshi-transport-ureq` against the simulator's exchange: the client-side rate limiter
//! against the exchange's token buckets, clock-skew detection and correction, and pagination
//! over orders and fills.

use std::collections::HashSet;
use std::time::Duration;

use kalshi_core::enums::BookSide;
use kalshi_core::enums::OrderStatus;
use kalshi_core::order_groups::{CreateOrderGroup, DeleteOrderGroup, GetOrderGroups};
use kalshi_core::orders::{CancelAllOrders, CancelOrder, CreateOrder, GetOrders, Placed};
use kalshi_core::portfolio::{GetBalance, GetFills, GetPositions};
use kalshi_core::rate_limit::{Bucket, Tier};
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment, ExchangeIndex};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, MarketConfig, RateLimitTier, RateLimits,
    Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::{BlockingClient, Config, Error};

const OTHER_KEY_ID: &str = "other-key";
const OTHER_KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/keys/other-key.pem");
const OTHER_PUBLIC_KEY: &str = include_str!("../keys/other-key.pub.pem");

fn start(config: SimulatorConfig) -> Simulator {
    Simulator::start(config).expect("the simulator starts")
}

fn client_with(sim: &Simulator, credentials: Credentials, config: Config) -> BlockingClient {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    BlockingClient::with_config(Client::new(environment, credentials), config)
}

fn demo(sim: &Simulator, config: Config) -> BlockingClient {
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    client_with(sim, credentials, config)
}

/// Retries off, so that any 429 or 401 surfaces as an error.
fn strict() -> Config {
    Config::default()
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::never())
}

fn order(side: BookSide, count: &str, price: &str) -> CreateOrder {
    CreateOrder::new(
        DEFAULT_MARKET,
        side,
        count.parse().expect("count"),
        price.parse().expect("price"),
    )
}

// --- Rate limits ----------------------------------------------------------------------------

#[test]
fn a_burst_at_the_tier_capacity_passes() {
    // Basic: the Write bucket holds 100 tokens, ten 10-token writes.
    let sim = start(SimulatorConfig::default().with_rate_limits(RateLimitTier::Basic));
    let client = demo(&sim, strict());
    for i in 0..10 {
        client
            .execute(&CreateOrderGroup::new(5))
            .unwrap_or_else(|e| panic!("write {i} of the burst: {e}"));
    }

    // With a bucket that barely refills, the next write is refused, and executes nothing.
    let sim = start(SimulatorConfig::default().with_rate_limits(RateLimits::new(200, 400, 1, 100)));
    let client = demo(&sim, strict());
    for _ in 0..10 {
        client.execute(&CreateOrderGroup::new(5)).expect("burst");
    }
    let err = client
        .execute(&CreateOrderGroup::new(5))
        .expect_err("over the capacity");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::RateLimited(_))),
        "{err:?}"
    );
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 10);
    // Reads have their own bucket.
    client.execute(&GetOrderGroups::new()).expect("a read");
}

#[test]
fn a_bot_under_the_limiter_never_sees_a_429() {
    // The exchange's Basic buckets, and a client limited to the same tier, with retries off:
    // any 429 fails the test. Three times the Write capacity: a burst of 10, then 20 paced
    // at the refill rate.
    let sim = start(SimulatorConfig::default().with_rate_limits(RateLimitTier::Basic));
    let client = demo(&sim, strict().rate_limit(Tier::Basic));
    for i in 0..30 {
        client
            .execute(&CreateOrderGroup::new(5))
            .unwrap_or_else(|e| panic!("write {i}: {e}"));
    }
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 30);
    assert!(client.stats().rate_limit_waits > 0, "{:?}", client.stats());
    // Reads went through the Read bucket, untouched by the writes.
    let reads_before = client.rate_limit_tokens(Bucket::Read).expect("a limiter");
    assert!(reads_before >= 390, "{reads_before}");
    client.execute(&GetOrderGroups::new()).expect("a read");
}

#[test]
fn threads_sharing_one_limited_client_never_see_a_429() {
    // Advanced Write: 300 tokens/s, 600 held: 60 writes at once, then 30 per second.
    let sim = start(SimulatorConfig::default().with_rate_limits(RateLimitTier::Advanced));
    let client = demo(&sim, strict().rate_limit(Tier::Advanced));
    std::thread::scope(|s| {
        for t in 0..3 {
            let client = client.clone();
            s.spawn(move || {
                for i in 0..40 {
                    client
                        .execute(&CreateOrderGroup::new(5))
                        .unwrap_or_else(|e| panic!("thread {t}, write {i}: {e}"));
                }
            });
        }
    });
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 120);
}

// --- Clock skew -----------------------------------------------------------------------------

#[test]
fn an_exchange_clock_ahead_is_named_and_corrected() {
    // The exchange runs 90 s ahead: outside its ±30 s window for a client on local time.
    let sim = start(SimulatorConfig::default().with_clock_skew_ms(90_000));

    let plain = demo(&sim, strict());
    let err = plain
        .execute(&GetOrderGroups::new())
        .expect_err("a stale timestamp");
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(e)) => {
            let skew = e.clock_skew_ms.expect("the offset is attached");
            assert!((skew - 90_000).abs() <= 2_000, "{skew}");
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(shown.contains("clock"), "{shown}");
    assert!(shown.contains("behind the exchange"), "{shown}");
    // Without correction it stays that way.
    assert!(plain.execute(&GetOrderGroups::new()).is_err());

    // With correction: the first request's 401 teaches the offset, and the call is re-signed
    // on the exchange's clock once, so it passes; later calls are signed right at once.
    let corrected = demo(&sim, strict().correct_clock_skew(true));
    corrected
        .execute(&GetOrderGroups::new())
        .expect("re-signed after the 401");
    assert_eq!(
        corrected.stats().requests,
        2,
        "one 401, one re-signed request"
    );
    let offset = corrected.clock_offset_ms().expect("observed");
    assert!((offset - 90_000).abs() <= 2_000, "{offset}");
    corrected
        .execute(&GetOrderGroups::new())
        .expect("signed on the exchange clock");
    corrected
        .execute(&CreateOrderGroup::new(5))
        .expect("a write too");
    let placed = corrected
        .place_order(&order(BookSide::Bid, "1", "0.20"))
        .expect("an order");
    assert!(matches!(placed, Placed::Created(_)));
    // The order's matching-engine timestamp agrees with the Date headers.
    let offset = corrected.clock_offset_ms().expect("observed");
    assert!((offset - 90_000).abs() <= 2_000, "{offset}");

    // The exchange clock is stepped back: the next call's 401 relearns it, and its re-signed
    // repeat passes.
    sim.set_clock_skew_ms(-60_000);
    let before = corrected.stats().requests;
    corrected
        .execute(&GetOrderGroups::new())
        .expect("relearned and re-signed");
    assert_eq!(corrected.stats().requests, before + 2);
    let offset = corrected.clock_offset_ms().expect("observed");
    assert!((offset + 60_000).abs() <= 2_000, "{offset}");
    corrected
        .execute(&GetOrderGroups::new())
        .expect("corrected again");
    assert_eq!(corrected.stats().requests, before + 3);
}

// --- Pagination -----------------------------------------------------------------------------

/// `GetFills` with a page size (it has no `limit` builder).
fn fills_page(mut op: GetFills, limit: u32) -> GetFills {
    op.limit = Some(limit);
    op
}

#[test]
fn iter_all_walks_orders_and_fills_created_on_the_exchange() {
    let sim = start(
        SimulatorConfig::default()
            .with_key_pem(OTHER_KEY_ID, OTHER_PUBLIC_KEY)
            .expect("the other public key"),
    );
    let maker = demo(&sim, strict());
    let taker = client_with(
        &sim,
        Credentials::from_pem_file(OTHER_KEY_ID, OTHER_KEY).expect("the other key"),
        strict(),
    );

    // 25 resting bids: 8 that will fill (0.40 to 0.47) and 17 below them.
    let mut coids = HashSet::new();
    for i in 0..25 {
        let price = if i < 8 {
            format!("0.{}", 40 + i)
        } else {
            format!("0.{:02}", 10 + i)
        };
        let op = order(BookSide::Bid, "1", &price);
        coids.insert(op.client_order_id.clone());
        maker.place_order(&op).expect("placed");
    }

    let mut orders = maker.iter_all(GetOrders::new().ticker(DEFAULT_MARKET).limit(7));
    let listed: Vec<_> = orders
        .by_ref()
        .collect::<Result<_, _>>()
        .expect("every page");
    assert_eq!(orders.pages_read(), 4, "7 + 7 + 7 + 4");
    assert_eq!(listed.len(), 25);
    let listed_coids: HashSet<_> = listed.iter().map(|o| o.client_order_id.clone()).collect();
    assert_eq!(listed_coids, coids);

    // Another account sells 8 YES at 0.40: it takes the 8 best bids, one fill each.
    taker
        .place_order(&order(BookSide::Ask, "8", "0.40"))
        .expect("the taker's order");
    assert_eq!(sim.fills(DEMO_KEY_ID).len(), 8);

    let mut fills = maker.iter_all(fills_page(GetFills::new().ticker(DEFAULT_MARKET), 3));
    let listed: Vec<_> = fills
        .by_ref()
        .collect::<Result<_, _>>()
        .expect("every page");
    assert_eq!(listed.len(), 8);
    assert!(fills.pages_read() >= 3, "{}", fills.pages_read());
    let fill_ids: HashSet<_> = listed.iter().map(|f| f.fill_id.clone()).collect();
    assert_eq!(fill_ids.len(), 8, "no fill twice");
    let order_ids: HashSet<_> = maker
        .iter_all(GetOrders::new().ticker(DEFAULT_MARKET))
        .map(|o| o.expect("orders").order_id)
        .collect();
    assert!(listed.iter().all(|f| order_ids.contains(&f.order_id)));
    assert!(listed.iter().all(|f| !f.is_taker));

    // The taker's side: one order, its fills on the same pages.
    let taker_fills: Vec<_> = taker
        .iter_all(fills_page(GetFills::new(), 5))
        .collect::<Result<_, _>>()
        .expect("taker fills");
    assert_eq!(taker_fills.len(), sim.fills(OTHER_KEY_ID).len());
    assert!(taker_fills.iter().all(|f| f.is_taker));
}

/// Regression (issue 9): one `ExchangeIndex` type end to end. An order auto-routed (-1) to a
/// market on shard 2 is reported on shard 2 by orders, fills (which also carry the documented
/// `market_ticker`) and positions; the value read from an answer goes straight back into the
/// shard filters and into the order-group and cancel requests; auto-route is refused for order
/// groups before anything is sent.
#[test]
fn one_exchange_index_from_answers_back_into_requests() {
    const SHARDED: &str = "KXSHARD-26DEC31-T50";
    let sim = start(
        SimulatorConfig::default()
            .with_market(MarketConfig::new(SHARDED).exchange_index(2))
            .with_key_pem(OTHER_KEY_ID, OTHER_PUBLIC_KEY)
            .expect("the other public key"),
    );
    let maker = demo(&sim, strict());
    let taker = client_with(
        &sim,
        Credentials::from_pem_file(OTHER_KEY_ID, OTHER_KEY).expect("the other key"),
        strict(),
    );
    let on_shard = |side, count: &str| {
        CreateOrder::new(
            SHARDED,
            side,
            count.parse().unwrap(),
            "0.50".parse().unwrap(),
        )
        .exchange_index(ExchangeIndex::AUTO_ROUTE)
    };
    let shard2 = ExchangeIndex::shard(2);

    let resting = maker
        .place_order(&on_shard(BookSide::Bid, "3"))
        .expect("placed");
    taker
        .place_order(&on_shard(BookSide::Ask, "1"))
        .expect("the taker's order");

    let orders = maker
        .execute(&GetOrders::new().ticker(SHARDED))
        .expect("orders");
    assert_eq!(orders.orders.len(), 1);
    let shard = orders.orders[0].exchange_index.expect("the order's shard");
    assert_eq!(shard, shard2);

    let fills = maker
        .execute(&GetFills::new().exchange_index(shard))
        .expect("fills on the shard");
    assert_eq!(fills.fills.len(), 1);
    let fill = &fills.fills[0];
    assert_eq!(fill.exchange_index, shard2);
    assert_eq!(fill.ticker, SHARDED);
    assert_eq!(fill.market_ticker.as_deref(), Some(SHARDED));
    let elsewhere = maker
        .execute(&GetFills::new().exchange_index(0u32))
        .expect("fills on shard 0");
    assert!(elsewhere.fills.is_empty(), "{elsewhere:?}");

    let positions = maker
        .execute(&GetPositions::new().exchange_index(fill.exchange_index))
        .expect("positions");
    assert_eq!(positions.market_positions.len(), 1);
    assert_eq!(positions.market_positions[0].exchange_index, shard2);

    maker
        .execute(
            &CancelOrder::new(resting.order_id())
                .exchange_index(shard)
                .market_ticker(SHARDED),
        )
        .expect("cancelled on its shard");

    // Order groups: created on shard 2, addressed with the shard the answer names.
    let created = maker
        .execute(&CreateOrderGroup::new(10).exchange_index(shard2))
        .expect("group");
    let group_shard = created.exchange_index.expect("the group's shard");
    assert_eq!(group_shard, shard2);
    let auto = maker
        .execute(
            &DeleteOrderGroup::new(&created.order_group_id)
                .exchange_index(ExchangeIndex::AUTO_ROUTE),
        )
        .expect_err("auto-route is for order writes");
    assert!(
        matches!(
            &auto,
            Error::Api(kalshi_core::Error::InvalidInput {
                field: "exchange_index",
                ..
            })
        ),
        "{auto:?}"
    );
    maker
        .execute(&DeleteOrderGroup::new(&created.order_group_id).exchange_index(group_shard))
        .expect("deleted on its shard");
}

// --- Cancel all ------------------------------------------------------------------------------

fn resting(client: &BlockingClient, subaccount: Option<u32>) -> Vec<kalshi_core::orders::Order> {
    let mut op = GetOrders::new().status("resting");
    op.subaccount = subaccount;
    client
        .iter_all(op)
        .collect::<Result<_, _>>()
        .expect("the resting orders")
}

/// `CancelAllOrders` through the ureq transport: the exchange's 204 with no body is a success;
/// one subaccount first, then everything; reserved cash comes back.
#[test]
fn cancel_all_orders_answers_204_and_leaves_nothing_resting() {
    let sim = start(SimulatorConfig::default());
    let client = demo(&sim, strict());
    let start_balance = client.execute(&GetBalance::new()).expect("balance").balance;
    for (sub, price) in [(0, "0.40"), (0, "0.41"), (5, "0.30"), (5, "0.31")] {
        client
            .place_order(&order(BookSide::Bid, "2", price).subaccount(sub))
            .expect("placed");
    }
    let listed = resting(&client, None);
    assert_eq!(listed.len(), 4);
    // The read carries typed instants.
    let created = listed[0].created_time.expect("created_time");
    assert_eq!(created.as_millisecond() / 1000, sim.now_ms() as i64 / 1000);

    client
        .execute(&CancelAllOrders::new().subaccount(5))
        .expect("cancel all of subaccount 5");
    assert!(resting(&client, Some(5)).is_empty());
    assert_eq!(resting(&client, Some(0)).len(), 2);
    let sub5 = client
        .execute(&GetBalance::new().subaccount(5))
        .expect("balance");
    assert_eq!(sub5.balance, start_balance);

    client.execute(&CancelAllOrders::new()).expect("cancel all");
    assert!(resting(&client, None).is_empty());
    let all = client
        .execute(&GetOrders::new())
        .expect("every order")
        .orders;
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|o| o.status == OrderStatus::Canceled));
    let primary = client.execute(&GetBalance::new()).expect("balance");
    assert_eq!(primary.balance, start_balance);
    // Idempotent: a repeat is another 204.
    client
        .execute(&CancelAllOrders::new())
        .expect("cancel all again");
}
