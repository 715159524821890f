//! The async stream client (`kalshi-transport-hyper`'s `StreamClient`: the core session over
//! tokio-tungstenite) against the simulator's stream endpoint, under the same rounds of order
//! activity and random stream faults as `stream_simulator.rs`: after every round the local book
//! equals the REST order book; every fill arrives exactly
//! once (streamed, or recovered from REST after reconnecting); the order
//! group's trigger arrives as an event.

mod stream_support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use kalshi_core::Client;
use kalshi_core::Credentials;
use kalshi_core::market::GetMarketOrderbook;
use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};
use kalshi_transport_hyper::{AsyncClient, StreamClient, StreamClientConfig, StreamEvent};
use stream_support::{Lcg, MARKET, Seen, Setup};

/// Reads events until the local book equals the REST order book (asked with the blocking
/// client: the async stream only moves while it is awaited).
async fn catch_up(stream: &mut StreamClient, s: &Setup, seen: &mut Seen) {
    loop {
        let rest =
            s.me.execute(&GetMarketOrderbook::new(MARKET))
                .expect("the REST order book")
                .orderbook_fp;
        if stream.book(MARKET).is_some_and(|b| b.matches(&rest)) {
            return;
        }
        match stream.next_event().await.expect("the stream keeps going") {
            StreamEvent::Session(e) => seen.session_event(e),
            StreamEvent::Reconnected => seen.reconnects += 1,
            StreamEvent::FillsRecovered(fills) => seen.recovered_fills(fills),
            StreamEvent::FillsNotRecovered(e) => panic!("the missed fills: {e}"),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_async_local_book_follows_the_simulator_through_gaps_duplicates_and_disconnects() {
    let done = stream_support::watchdog(Duration::from_secs(240));
    let s = stream_support::setup();
    let client = AsyncClient::new(Client::new(
        s.environment.clone(),
        Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("a bundled key"),
    ))
    .expect("an async client");
    let config = StreamClientConfig::default().backoff(stream_support::quick_backoff());
    let mut stream = StreamClient::connect(&client, config)
        .await
        .expect("the stream opens");
    for sub in stream_support::subscriptions() {
        stream.subscribe(sub).expect("a valid subscription");
    }
    let mut seen = Seen::default();
    catch_up(&mut stream, &s, &mut seen).await;
    let group =
        s.me.execute(&CreateOrderGroup::new(3))
            .expect("an order group")
            .order_group_id;

    let mut rng = Lcg(0x5eed_0022);
    for round in 0..30 {
        stream_support::play_round(&s, &mut rng, round, &group, &mut seen);
        catch_up(&mut stream, &s, &mut seen).await;
    }
    // The last fills may still be on their way: read until every fill REST knows arrived.
    while !seen.has_every_fill(&s.me) {
        match stream.next_event().await.expect("the stream keeps going") {
            StreamEvent::Session(e) => seen.session_event(e),
            StreamEvent::FillsRecovered(fills) => seen.recovered_fills(fills),
            _ => {}
        }
    }
    eprintln!(
        "{} fills, {} of them recovered from REST after reconnecting",
        seen.fills.len(),
        seen.recovered
    );
    seen.check(stream.session().stats(), &s.me);
    done.store(true, Ordering::Relaxed);
}
