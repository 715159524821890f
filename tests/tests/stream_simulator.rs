//! The blocking stream client (`kalshi-transport-ureq`'s `StreamClient`: the core session over
//! tungstenite) against the simulator's stream endpoint, with order activity from two keys and
//! the simulator's stream faults injected at random (a dropped message, a duplicated one, a
//! disconnect): after every round, once the stream has caught up, the local book equals the
//! simulator's REST order book; every fill arrives exactly once (the
//! stream's fill messages and those recovered from REST after reconnecting are exactly REST's
//! fills); an order group's trigger arrives as an event.

mod stream_support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use kalshi_core::market::GetMarketOrderbook;
use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_transport_ureq::{StreamClient, StreamClientConfig, StreamEvent};
use stream_support::{Lcg, MARKET, Seen, Setup};

/// Reads events until the local book equals the REST order book.
fn catch_up(stream: &mut StreamClient, s: &Setup, seen: &mut Seen) {
    loop {
        let rest =
            s.me.execute(&GetMarketOrderbook::new(MARKET))
                .expect("the REST order book")
                .orderbook_fp;
        if stream.book(MARKET).is_some_and(|b| b.matches(&rest)) {
            return;
        }
        match stream.next_event().expect("the stream keeps going") {
            StreamEvent::Session(e) => seen.session_event(e),
            StreamEvent::Reconnected => seen.reconnects += 1,
            StreamEvent::FillsRecovered(fills) => seen.recovered_fills(fills),
            StreamEvent::FillsNotRecovered(e) => panic!("the missed fills: {e}"),
            _ => {}
        }
    }
}

#[test]
fn the_local_book_follows_the_simulator_through_gaps_duplicates_and_disconnects() {
    let done = stream_support::watchdog(Duration::from_secs(240));
    let s = stream_support::setup();
    let config = StreamClientConfig::default().backoff(stream_support::quick_backoff());
    let mut stream = StreamClient::connect(&s.me, config).expect("the stream opens");
    for sub in stream_support::subscriptions() {
        stream.subscribe(sub).expect("a valid subscription");
    }
    let mut seen = Seen::default();
    catch_up(&mut stream, &s, &mut seen);
    // 3 contracts: my grouped bids, taken by the other key, trigger it.
    let group =
        s.me.execute(&CreateOrderGroup::new(3))
            .expect("an order group")
            .order_group_id;

    let mut rng = Lcg(0x5eed_0011);
    for round in 0..30 {
        stream_support::play_round(&s, &mut rng, round, &group, &mut seen);
        catch_up(&mut stream, &s, &mut seen);
    }
    // The last fills may still be on their way: read until every fill REST knows arrived.
    while !seen.has_every_fill(&s.me) {
        match stream.next_event().expect("the stream keeps going") {
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
