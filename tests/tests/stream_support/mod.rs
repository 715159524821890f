//! Shared by the stream tests against the simulator (`stream_simulator.rs`, blocking, and
//! `stream_simulator_async.rs`): the simulator with two keys, one round of order activity with
//! a stream fault armed at random, what the stream delivered, and the final checks.

#![allow(dead_code)] // each test file uses its part

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use kalshi_core::enums::{BookSide, TimeInForce};
use kalshi_core::orders::CreateOrder;
use kalshi_core::portfolio::{Fill, GetFills};
use kalshi_core::stream::message::{OrderGroupEventType, StreamMessage};
use kalshi_core::stream::session::{Event, ResyncReason, SessionStats};
use kalshi_core::stream::{BackoffConfig, Channel, Subscribe};
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM,
    SECOND_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_ureq::BlockingClient;

/// The market streamed.
pub const MARKET: &str = DEFAULT_MARKET;

/// A small deterministic generator (no dependency): the same rounds on every run.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Ends the process if the test has not finished in time (a stream that never catches up
/// would otherwise wait for events forever): a bug is a failure, not a hang. Set the flag
/// when done.
pub fn watchdog(limit: Duration) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    thread::spawn(move || {
        let start = Instant::now();
        while start.elapsed() < limit {
            if flag.load(Ordering::Relaxed) {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        eprintln!("watchdog: the stream did not catch up within {limit:?}");
        std::process::exit(101);
    });
    done
}

/// The simulator with the bundled second key, and REST clients for both keys (`me` streams).
pub struct Setup {
    pub sim: Simulator,
    pub environment: Environment,
    pub me: BlockingClient,
    pub other: BlockingClient,
}

pub fn setup() -> Setup {
    let config = SimulatorConfig::default()
        .with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)
        .expect("the bundled second key");
    let sim = Simulator::start(config).expect("the simulator starts");
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's URL");
    let client_of = |id: &str, pem: &str| {
        BlockingClient::new(Client::new(
            environment.clone(),
            Credentials::from_pem(id, pem).expect("a bundled key"),
        ))
    };
    let me = client_of(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM);
    let other = client_of(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM);
    Setup {
        sim,
        environment,
        me,
        other,
    }
}

/// Reconnection delays short enough for a test.
pub fn quick_backoff() -> BackoffConfig {
    BackoffConfig::default()
        .initial(Duration::from_millis(20))
        .max(Duration::from_millis(200))
}

/// The subscriptions: the market's book, and my fills and order groups.
pub fn subscriptions() -> [Subscribe; 2] {
    [
        Subscribe::new([Channel::OrderbookDelta]).market_tickers([MARKET]),
        Subscribe::new([Channel::Fill, Channel::OrderGroupUpdates]),
    ]
}

/// What the stream delivered that the checks need, and the faults injected.
#[derive(Default)]
pub struct Seen {
    /// `(trade_id, order_id)` of every fill delivered: the stream's fill messages and the
    /// fills recovered from REST after a reconnection.
    pub fills: Vec<(String, String)>,
    /// How many of them were recovered from REST.
    pub recovered: usize,
    pub group_events: Vec<OrderGroupEventType>,
    pub resyncs: Vec<ResyncReason>,
    pub reconnects: usize,
    /// Dropped, duplicated, disconnected.
    pub faults: [usize; 3],
}

impl Seen {
    pub fn session_event(&mut self, event: Event) {
        match event {
            Event::Message(StreamMessage::Fill(d)) => self
                .fills
                .push((d.msg.trade_id.clone(), d.msg.order_id.clone())),
            Event::Message(StreamMessage::OrderGroupUpdates(d)) => {
                self.group_events.push(d.msg.event_type)
            }
            Event::Resynced { reason, .. } => self.resyncs.push(reason),
            Event::CommandFailed { error, .. } => {
                panic!(
                    "the simulator refused a command: {} {}",
                    error.code, error.msg
                )
            }
            _ => {}
        }
    }

    /// Fills recovered from REST after a reconnection.
    pub fn recovered_fills(&mut self, fills: Vec<Fill>) {
        self.recovered += fills.len();
        self.fills.extend(fills.into_iter().map(rest_key));
    }

    /// True when every fill REST knows was delivered.
    pub fn has_every_fill(&self, me: &BlockingClient) -> bool {
        let delivered: BTreeSet<_> = self.fills.iter().cloned().collect();
        rest_fills(me).is_subset(&delivered)
    }

    /// Every fault kind happened and was repaired; every fill delivered exactly once (the
    /// stream's and the recovered ones together are exactly REST's fills); the order group's
    /// trigger arrived.
    pub fn check(&self, stats: SessionStats, me: &BlockingClient) {
        assert!(
            self.faults.iter().all(|&n| n > 0),
            "faults injected: {:?}",
            self.faults
        );
        assert!(
            self.reconnects >= self.faults[2],
            "{} reconnects for {} disconnects",
            self.reconnects,
            self.faults[2]
        );
        assert!(
            self.resyncs
                .iter()
                .any(|r| matches!(r, ResyncReason::Gap { .. })),
            "no gap repaired: {:?}",
            self.resyncs
        );
        assert!(stats.duplicates > 0, "no duplicate seen: {stats:?}");

        let unique: BTreeSet<_> = self.fills.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            self.fills.len(),
            "a fill arrived twice: {:?}",
            self.fills
        );
        assert!(!unique.is_empty(), "no fill arrived");
        assert_eq!(
            unique,
            rest_fills(me),
            "the fills delivered are not exactly REST's"
        );
        assert!(
            self.group_events.contains(&OrderGroupEventType::Triggered),
            "{:?}",
            self.group_events
        );
    }
}

/// A REST fill's key, as the stream names the fill: its trade and its order.
fn rest_key(f: Fill) -> (String, String) {
    (f.trade_id.unwrap_or(f.fill_id), f.order_id)
}

/// Every fill of the key, from REST.
fn rest_fills(me: &BlockingClient) -> BTreeSet<(String, String)> {
    me.iter_all(GetFills::new().limit(1000))
        .map(|f| rest_key(f.expect("fills")))
        .collect()
}

fn order(side: BookSide, count: u64, cents: u64) -> CreateOrder {
    CreateOrder::new(
        MARKET,
        side,
        format!("{count}.00").parse().expect("a count"),
        format!("0.{cents:02}").parse().expect("a price"),
    )
}

/// One round: maybe a fault (a dropped or duplicated book message, or every stream cut),
/// then 1 to 4 resting orders from either key (mine in `group` in the first rounds), the other
/// key now and then taking my best bids (fills for me), and one last change so that a dropped
/// message shows as a gap.
pub fn play_round(s: &Setup, rng: &mut Lcg, round: usize, group: &str, seen: &mut Seen) {
    match rng.below(5) {
        0 => {
            s.sim
                .drop_next_stream_message("orderbook_delta")
                .expect("a channel");
            seen.faults[0] += 1;
        }
        1 => {
            s.sim
                .duplicate_next_stream_message("orderbook_delta")
                .expect("a channel");
            seen.faults[1] += 1;
        }
        2 if round.is_multiple_of(3) => {
            s.sim.disconnect_streams(None);
            seen.faults[2] += 1;
        }
        _ => {}
    }
    for _ in 0..1 + rng.below(4) {
        if rng.below(2) == 0 {
            let mut o = order(BookSide::Bid, 1 + rng.below(5), 30 + rng.below(15)).post_only(true);
            if round < 10 {
                o = o.order_group_id(group);
            }
            let _ = s.me.place_order(&o);
        } else {
            let o = order(BookSide::Ask, 1 + rng.below(5), 55 + rng.below(15)).post_only(true);
            let _ = s.other.place_order(&o);
        }
        if rng.below(4) == 0 {
            let take = order(BookSide::Ask, 1 + rng.below(3), 30)
                .time_in_force(TimeInForce::ImmediateOrCancel);
            let _ = s.other.place_order(&take);
        }
    }
    let _ = s
        .other
        .place_order(&order(BookSide::Ask, 1, 70).post_only(true));
}
