//! Scripted frame sequences through the session (no I/O), and a proptest against a model
//! exchange that drops, duplicates and replays messages.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::FixedPointCount;
use crate::enums::OutcomeSide;
use crate::market::PriceLevel;
use crate::stream::BookError;
use crate::stream::message::OrderbookSnapshot;

fn snap(sid: Sid, seq: u64, ticker: &str, yes: &[(&str, &str)], no: &[(&str, &str)]) -> String {
    let side = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(p, c)| format!(r#"["{p}","{c}"]"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        r#"{{"type":"orderbook_snapshot","sid":{sid},"seq":{seq},"msg":{{"market_ticker":"{ticker}","market_id":"9b0f6b43","yes_dollars_fp":[{}],"no_dollars_fp":[{}]}}}}"#,
        side(yes),
        side(no)
    )
}

fn delta(sid: Sid, seq: u64, ticker: &str, side: &str, price: &str, delta: &str) -> String {
    format!(
        r#"{{"type":"orderbook_delta","sid":{sid},"seq":{seq},"msg":{{"market_ticker":"{ticker}","price_dollars":"{price}","delta_fp":"{delta}","side":"{side}","ts":"2026-04-20T14:00:00Z"}}}}"#
    )
}

fn subscribed(id: CommandId, channel: &str, sid: Sid) -> String {
    format!(r#"{{"id":{id},"type":"subscribed","msg":{{"channel":"{channel}","sid":{sid}}}}}"#)
}

fn transmits(s: &mut Session) -> Vec<String> {
    std::iter::from_fn(|| s.poll_transmit()).collect()
}

fn events(s: &mut Session) -> Vec<Event> {
    std::iter::from_fn(|| s.poll_event()).collect()
}

fn text(s: &mut Session, frame: &str, now: Instant) {
    s.on_text(frame.as_bytes(), now);
}

fn book_of(ticker: &str, yes: &[(&str, &str)], no: &[(&str, &str)]) -> LocalOrderbook {
    let side = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(p, c)| PriceLevel::new(p.parse().unwrap(), c.parse().unwrap()))
            .collect()
    };
    LocalOrderbook::from_snapshot(&OrderbookSnapshot {
        market_ticker: ticker.into(),
        market_id: None,
        yes_dollars_fp: side(yes),
        no_dollars_fp: side(no),
    })
    .unwrap()
}

fn resynced(events: &[Event]) -> Vec<(String, ResyncReason)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Resynced {
                market_ticker,
                reason,
            } => Some((market_ticker.clone(), reason.clone())),
            _ => None,
        })
        .collect()
}

const A: &str = "KXFED-26JUN-T4.00";
const B: &str = "KXFED-26JUN-T4.25";

/// Subscribed to the book of A and B (sid 7), both snapshots in (seq 1, 2).
fn two_books() -> (Session, SubscriptionKey, Instant) {
    let mut s = Session::new(SessionConfig::default());
    let key = s
        .subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([A, B]))
        .unwrap();
    assert!(
        transmits(&mut s).is_empty(),
        "nothing before the connection"
    );
    let t0 = Instant::now();
    s.on_connected(t0);
    assert_eq!(
        transmits(&mut s),
        [format!(
            r#"{{"id":1,"cmd":"subscribe","params":{{"channels":["orderbook_delta"],"market_tickers":["{A}","{B}"]}}}}"#
        )]
    );
    text(&mut s, &subscribed(1, "orderbook_delta", 7), t0);
    assert!(s.book(A).is_none(), "no book before its snapshot");
    text(
        &mut s,
        &snap(
            7,
            1,
            A,
            &[("0.4200", "100.00"), ("0.4100", "50.00")],
            &[("0.5500", "20.00")],
        ),
        t0,
    );
    text(&mut s, &snap(7, 2, B, &[("0.1000", "5.00")], &[]), t0);
    let ev = events(&mut s);
    assert!(matches!(
        &ev[0],
        Event::Subscribed { key: k, channel: Channel::OrderbookDelta, sid: 7 } if *k == key
    ));
    let snaps = ev
        .iter()
        .filter(|e| matches!(e, Event::BookSnapshot { .. }))
        .count();
    assert_eq!(snaps, 2);
    assert_eq!(s.sid(key, &Channel::OrderbookDelta), Some(7));
    (s, key, t0)
}

fn get_snapshot(id: CommandId, sid: Sid, tickers: &[&str]) -> String {
    let t: Vec<String> = tickers.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        r#"{{"id":{id},"cmd":"update_subscription","params":{{"sids":[{sid}],"market_tickers":[{}],"action":"get_snapshot"}}}}"#,
        t.join(",")
    )
}

#[test]
fn a_gap_triggers_exactly_one_resync_and_the_book_is_the_new_snapshot_plus_later_deltas() {
    let (mut s, _, t0) = two_books();
    text(&mut s, &delta(7, 3, A, "yes", "0.4200", "-10.00"), t0);
    assert_eq!(
        s.book(A),
        Some(&book_of(
            A,
            &[("0.4200", "90.00"), ("0.4100", "50.00")],
            &[("0.5500", "20.00")]
        ))
    );
    events(&mut s);

    // seq 4 is lost.
    text(&mut s, &delta(7, 5, A, "yes", "0.4100", "-50.00"), t0);
    assert_eq!(transmits(&mut s), [get_snapshot(2, 7, &[A, B])]);
    assert!(
        s.book(A).is_none() && s.book(B).is_none(),
        "both books withdrawn"
    );
    // Later deltas, of both markets, in order: held back, no second resync.
    text(&mut s, &delta(7, 6, B, "no", "0.8000", "3.00"), t0);
    text(&mut s, &delta(7, 7, A, "yes", "0.4300", "1.00"), t0);
    text(
        &mut s,
        r#"{"id":2,"type":"ok","sid":7,"seq":7,"msg":{"market_tickers":[]}}"#,
        t0,
    );
    assert!(transmits(&mut s).is_empty(), "one get_snapshot per gap");
    assert!(
        s.book(A).is_none() && s.book(B).is_none(),
        "never built on a hole"
    );
    assert_eq!(s.stats().held_back, 3);

    // The snapshots, numbered in the same sequence, then a delta.
    text(
        &mut s,
        &snap(
            7,
            8,
            A,
            &[("0.4300", "1.00"), ("0.4200", "90.00")],
            &[("0.5500", "20.00")],
        ),
        t0,
    );
    assert!(s.book(B).is_none(), "B still waits");
    text(&mut s, &delta(7, 9, A, "no", "0.5500", "-5.00"), t0);
    text(
        &mut s,
        &snap(7, 10, B, &[("0.1000", "5.00")], &[("0.8000", "3.00")]),
        t0,
    );
    assert_eq!(
        s.book(A),
        Some(&book_of(
            A,
            &[("0.4300", "1.00"), ("0.4200", "90.00")],
            &[("0.5500", "15.00")]
        ))
    );
    assert_eq!(
        s.book(B),
        Some(&book_of(B, &[("0.1000", "5.00")], &[("0.8000", "3.00")]))
    );
    let ev = events(&mut s);
    let gap = ResyncReason::Gap {
        expected: 4,
        got: 5,
    };
    assert_eq!(resynced(&ev), [(A.into(), gap.clone()), (B.into(), gap)]);
    // The held-back deltas were not passed on; the one after A's snapshot was.
    let deltas: Vec<u64> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Message(StreamMessage::OrderbookDelta(d)) => d.seq,
            _ => None,
        })
        .collect();
    assert_eq!(deltas, [9]);
    let st = s.stats();
    assert_eq!((st.gaps, st.resyncs, st.duplicates), (1, 2, 0));
    assert_eq!(s.books().count(), 2);
    assert!(transmits(&mut s).is_empty());
}

#[test]
fn duplicates_and_stale_messages_are_ignored() {
    let (mut s, _, t0) = two_books();
    let d3 = delta(7, 3, A, "yes", "0.4200", "5.00");
    text(&mut s, &d3, t0);
    text(&mut s, &d3, t0); // duplicate
    text(&mut s, &delta(7, 2, A, "yes", "0.4200", "5.00"), t0); // stale
    text(&mut s, &snap(7, 1, A, &[("0.9000", "1.00")], &[]), t0); // stale snapshot
    text(&mut s, &delta(7, 4, B, "yes", "0.1000", "-5.00"), t0);
    text(&mut s, &delta(7, 4, B, "yes", "0.1000", "-5.00"), t0); // would go below zero
    assert_eq!(
        s.book(A),
        Some(&book_of(
            A,
            &[("0.4200", "105.00"), ("0.4100", "50.00")],
            &[("0.5500", "20.00")]
        ))
    );
    assert_eq!(s.book(B), Some(&book_of(B, &[], &[])));
    assert_eq!(s.stats().duplicates, 4);
    assert_eq!(s.stats().gaps, 0);
    assert!(transmits(&mut s).is_empty(), "no resync for duplicates");
    let updates = events(&mut s)
        .iter()
        .filter(|e| matches!(e, Event::BookUpdated { .. }))
        .count();
    assert_eq!(updates, 2);
}

#[test]
fn a_refused_delta_resyncs_that_market_only() {
    let (mut s, _, t0) = two_books();
    events(&mut s);
    text(&mut s, &delta(7, 3, B, "yes", "0.1000", "-6.00"), t0); // 5 rest
    assert!(s.book(B).is_none());
    assert!(s.book(A).is_some(), "A is not affected");
    assert_eq!(transmits(&mut s), [get_snapshot(2, 7, &[B])]);
    text(&mut s, &delta(7, 4, B, "no", "0.3000", "1.00"), t0); // held back
    text(&mut s, &delta(7, 5, A, "no", "0.5500", "1.00"), t0); // applied
    text(
        &mut s,
        &snap(7, 6, B, &[("0.1000", "4.00")], &[("0.3000", "1.00")]),
        t0,
    );
    assert_eq!(
        s.book(B),
        Some(&book_of(B, &[("0.1000", "4.00")], &[("0.3000", "1.00")]))
    );
    assert_eq!(
        s.book(A),
        Some(&book_of(
            A,
            &[("0.4200", "100.00"), ("0.4100", "50.00")],
            &[("0.5500", "21.00")]
        ))
    );
    let r = resynced(&events(&mut s));
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, B);
    assert!(
        matches!(
            &r[0].1,
            ResyncReason::Desync(BookError::NegativeLevel { .. })
        ),
        "{:?}",
        r[0].1
    );
    assert_eq!(s.stats().desyncs, 1);
    // A bad price or side is the same desync.
    text(&mut s, &delta(7, 7, A, "maybe", "0.4200", "1.00"), t0);
    assert_eq!(transmits(&mut s), [get_snapshot(3, 7, &[A])]);
}

#[test]
fn a_snapshot_repeating_the_last_number_is_accepted() {
    // If the exchange numbers a get_snapshot answer like the message before it, that is not a
    // duplicate and not a gap.
    let (mut s, _, t0) = two_books();
    text(&mut s, &delta(7, 3, B, "yes", "0.1000", "-6.00"), t0);
    transmits(&mut s);
    text(&mut s, &snap(7, 3, B, &[("0.2000", "1.00")], &[]), t0);
    assert_eq!(s.book(B), Some(&book_of(B, &[("0.2000", "1.00")], &[])));
    text(&mut s, &delta(7, 4, B, "yes", "0.2000", "1.00"), t0);
    assert_eq!(s.book(B), Some(&book_of(B, &[("0.2000", "2.00")], &[])));
    assert_eq!(s.stats().gaps, 0);
    assert!(transmits(&mut s).is_empty());
}

#[test]
fn numbered_answers_and_repeated_subscribed_answers() {
    let (mut s, _, t0) = two_books();
    // An `ok` that takes the next number is in order, as is one repeating the last.
    text(&mut s, r#"{"id":50,"type":"ok","sid":7,"seq":3}"#, t0);
    text(&mut s, r#"{"id":51,"type":"ok","sid":7,"seq":3}"#, t0);
    text(&mut s, &delta(7, 4, A, "yes", "0.4200", "1.00"), t0);
    assert_eq!(s.stats().gaps, 0);
    // One above that: messages before it were lost.
    text(&mut s, r#"{"id":52,"type":"ok","sid":7,"seq":6}"#, t0);
    assert_eq!(s.stats().gaps, 1);
    assert_eq!(transmits(&mut s), [get_snapshot(2, 7, &[A, B])]);
    // The `subscribed` answer again: nothing ended, nothing sent.
    text(&mut s, &subscribed(1, "orderbook_delta", 7), t0);
    assert!(transmits(&mut s).is_empty());
    text(&mut s, &snap(7, 7, A, &[], &[]), t0);
    assert!(s.book(A).is_some());
}

#[test]
fn a_reconnect_restores_every_subscription_with_its_markets_now() {
    let mut s = Session::new(SessionConfig::default());
    let t0 = Instant::now();
    let books = s
        .subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([A]))
        .unwrap();
    s.on_connected(t0);
    let tickers = s
        .subscribe(
            Subscribe::new([Channel::Ticker, Channel::Trade])
                .market_tickers([A, B])
                .send_initial_snapshot(true),
        )
        .unwrap();
    assert_ne!(books, tickers);
    let fills = s.subscribe(Subscribe::new([Channel::Fill])).unwrap();
    assert_eq!(transmits(&mut s).len(), 3);
    text(&mut s, &subscribed(1, "orderbook_delta", 1), t0);
    text(&mut s, &subscribed(2, "trade", 3), t0); // answers in any order
    text(&mut s, &subscribed(2, "ticker", 2), t0);
    text(&mut s, &subscribed(3, "fill", 4), t0);
    text(&mut s, &snap(1, 1, A, &[("0.5000", "1.00")], &[]), t0);
    assert_eq!(s.sid(tickers, &Channel::Trade), Some(3));
    assert_eq!(s.sid(tickers, &Channel::Ticker), Some(2));

    // Markets added while streaming: one update per channel of the subscription.
    s.add_markets(books, [B, A]).unwrap();
    s.add_markets(tickers, ["KXBTC-26DEC31-B100000"]).unwrap();
    s.remove_markets(tickers, [A]).unwrap();
    assert_eq!(
        transmits(&mut s),
        [
            format!(
                r#"{{"id":4,"cmd":"update_subscription","params":{{"sids":[1],"market_tickers":["{B}"],"action":"add_markets"}}}}"#
            ),
            r#"{"id":5,"cmd":"update_subscription","params":{"sids":[2],"market_tickers":["KXBTC-26DEC31-B100000"],"action":"add_markets"}}"#.to_owned(),
            r#"{"id":6,"cmd":"update_subscription","params":{"sids":[3],"market_tickers":["KXBTC-26DEC31-B100000"],"action":"add_markets"}}"#.to_owned(),
            format!(
                r#"{{"id":7,"cmd":"update_subscription","params":{{"sids":[2],"market_tickers":["{A}"],"action":"delete_markets"}}}}"#
            ),
            format!(
                r#"{{"id":8,"cmd":"update_subscription","params":{{"sids":[3],"market_tickers":["{A}"],"action":"delete_markets"}}}}"#
            ),
        ]
    );
    text(&mut s, &snap(1, 2, B, &[("0.3000", "2.00")], &[]), t0);
    assert!(s.book(A).is_some() && s.book(B).is_some());

    s.on_disconnected(t0);
    assert!(s.book(A).is_none(), "stale after a disconnect");
    assert_eq!(s.poll_timeout(), None);
    // Changes while disconnected are kept for the next connection.
    s.remove_markets(tickers, ["KXBTC-26DEC31-B100000"])
        .unwrap();
    s.on_connected(t0 + Duration::from_secs(1));
    assert_eq!(
        transmits(&mut s),
        [
            format!(
                r#"{{"id":9,"cmd":"subscribe","params":{{"channels":["orderbook_delta"],"market_tickers":["{A}","{B}"]}}}}"#
            ),
            format!(
                r#"{{"id":10,"cmd":"subscribe","params":{{"channels":["ticker","trade"],"market_tickers":["{B}"],"send_initial_snapshot":true}}}}"#
            ),
            r#"{"id":11,"cmd":"subscribe","params":{"channels":["fill"]}}"#.to_owned(),
        ]
    );
    // The old sids are void: their messages are ignored.
    text(&mut s, &snap(1, 3, A, &[("0.9900", "1.00")], &[]), t0);
    assert!(s.book(A).is_none());
    // The new connection's sids; books rebuilt from the new snapshots.
    text(&mut s, &subscribed(9, "orderbook_delta", 21), t0);
    text(&mut s, &subscribed(10, "ticker", 22), t0);
    text(&mut s, &subscribed(10, "trade", 23), t0);
    text(&mut s, &subscribed(11, "fill", 24), t0);
    assert_eq!(s.sid(fills, &Channel::Fill), Some(24));
    text(&mut s, &snap(21, 1, A, &[("0.5100", "1.00")], &[]), t0);
    text(&mut s, &snap(21, 2, B, &[("0.3100", "2.00")], &[]), t0);
    assert_eq!(s.book(A), Some(&book_of(A, &[("0.5100", "1.00")], &[])));
    let r = resynced(&events(&mut s));
    assert_eq!(
        r,
        [
            (A.into(), ResyncReason::Reconnected),
            (B.into(), ResyncReason::Reconnected)
        ]
    );
    assert!(transmits(&mut s).is_empty(), "nothing left to reconcile");
}

#[test]
fn markets_added_before_the_subscribed_answer_follow_it() {
    let mut s = Session::new(SessionConfig::default());
    let t0 = Instant::now();
    s.on_connected(t0);
    let key = s
        .subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([A]))
        .unwrap();
    s.add_markets(key, [B]).unwrap();
    assert_eq!(transmits(&mut s).len(), 1, "the subscribe only: no sid yet");
    text(&mut s, &subscribed(1, "orderbook_delta", 5), t0);
    assert_eq!(
        transmits(&mut s),
        [format!(
            r#"{{"id":2,"cmd":"update_subscription","params":{{"sids":[5],"market_tickers":["{B}"],"action":"add_markets"}}}}"#
        )]
    );
    // Refusals before anything is sent.
    assert!(s.add_markets(key, [""]).is_err());
    assert!(s.remove_markets(key, [A, B]).is_err());
    let all = s.subscribe(Subscribe::new([Channel::Fill])).unwrap();
    assert!(s.add_markets(all, [A]).is_err());
    assert!(s.subscribe(Subscribe::new([])).is_err());
    // Removing a market drops its book.
    text(&mut s, &snap(5, 1, A, &[("0.5000", "1.00")], &[]), t0);
    text(&mut s, &snap(5, 2, B, &[("0.5000", "1.00")], &[]), t0);
    assert!(s.book(B).is_some());
    transmits(&mut s);
    s.remove_markets(key, [B]).unwrap();
    assert!(s.book(B).is_none());
    text(&mut s, &delta(5, 3, B, "yes", "0.5000", "1.00"), t0);
    assert!(s.book(B).is_none(), "a late delta does not bring it back");
    assert_eq!(s.subscription(key).unwrap().market_tickers, [A]);
}

#[test]
fn a_silent_connection_is_declared_dead_on_time_and_once() {
    let mut s = Session::new(SessionConfig::default().dead_after(Duration::from_secs(25)));
    let t0 = Instant::now();
    assert_eq!(s.poll_timeout(), None, "no deadline before connecting");
    s.on_connected(t0);
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(25)));
    s.on_timeout(t0 + Duration::from_secs(24));
    assert!(events(&mut s).is_empty());
    // Pings every 10 s keep it alive.
    s.on_activity(t0 + Duration::from_secs(10));
    s.on_activity(t0 + Duration::from_secs(20));
    s.on_activity(t0 + Duration::from_secs(15)); // out of order: ignored
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(45)));
    s.on_timeout(t0 + Duration::from_secs(44) + Duration::from_millis(999));
    assert!(events(&mut s).is_empty(), "not before");
    s.on_timeout(t0 + Duration::from_secs(45));
    assert!(matches!(events(&mut s)[..], [Event::ConnectionDead]));
    s.on_timeout(t0 + Duration::from_secs(90));
    assert!(events(&mut s).is_empty(), "once");
    assert_eq!(s.poll_timeout(), None);
    // A text frame counts too; a new connection starts the clock again.
    s.on_disconnected(t0 + Duration::from_secs(91));
    let t1 = t0 + Duration::from_secs(92);
    s.on_connected(t1);
    text(
        &mut s,
        r#"{"type":"ticker","sid":1,"msg":{}}"#,
        t1 + Duration::from_secs(5),
    );
    assert_eq!(s.poll_timeout(), Some(t1 + Duration::from_secs(30)));
}

#[test]
fn command_errors_surface_with_their_subscription() {
    let mut s = Session::new(SessionConfig::default());
    let t0 = Instant::now();
    s.on_connected(t0);
    let key = s
        .subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers(["NOPE"]))
        .unwrap();
    transmits(&mut s);
    text(
        &mut s,
        r#"{"id":1,"type":"error","msg":{"code":16,"msg":"Market not found","market_ticker":"NOPE"}}"#,
        t0,
    );
    let ev = events(&mut s);
    let [Event::CommandFailed { key: k, error }] = &ev[..] else {
        panic!("{ev:?}")
    };
    assert_eq!(*k, Some(key));
    assert_eq!(error.kind(), ErrorCode::MarketNotFound);
    assert!(
        transmits(&mut s).is_empty(),
        "not retried: the market is not there"
    );
    text(
        &mut s,
        r#"{"id":99,"type":"error","msg":{"code":5,"msg":"Unknown command"}}"#,
        t0,
    );
    assert!(matches!(
        &events(&mut s)[..],
        [Event::CommandFailed { key: None, .. }]
    ));
    // Of a subscribe naming several channels, one fails: the others still subscribe.
    let both = s
        .subscribe(Subscribe::new([Channel::Ticker, Channel::Fill]))
        .unwrap();
    assert_eq!(transmits(&mut s).len(), 1);
    text(
        &mut s,
        r#"{"id":2,"type":"error","msg":{"code":9,"msg":"Authentication required"}}"#,
        t0,
    );
    text(&mut s, &subscribed(2, "ticker", 5), t0);
    assert_eq!(s.sid(both, &Channel::Ticker), Some(5));
    assert_eq!(s.sid(both, &Channel::Fill), None);
    assert!(
        transmits(&mut s).is_empty(),
        "nothing ended, nothing retried"
    );
    assert!(matches!(
        &events(&mut s)[..],
        [Event::CommandFailed { key: Some(k), .. }, Event::Subscribed { sid: 5, .. }] if *k == both
    ));
    // A failed update names its subscription too.
    let (mut s, key, t0) = two_books();
    s.add_markets(key, ["KXFED-26JUN-T4.50"]).unwrap();
    transmits(&mut s);
    text(
        &mut s,
        r#"{"id":2,"type":"error","msg":{"code":11,"msg":"Invalid parameter"}}"#,
        t0,
    );
    assert!(matches!(
        &events(&mut s)[..],
        [Event::CommandFailed { key: Some(k), .. }] if *k == key
    ));
}

#[test]
fn channel_errors_resubscribe_with_backoff_then_give_up() {
    let cfg = SessionConfig::default().max_resubscribes(2);
    let mut s = Session::new(cfg);
    let key = s
        .subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([A]))
        .unwrap();
    let t0 = Instant::now();
    s.on_connected(t0);
    transmits(&mut s);
    text(&mut s, &subscribed(1, "orderbook_delta", 3), t0);
    text(&mut s, &snap(3, 1, A, &[("0.5000", "1.00")], &[]), t0);
    events(&mut s);
    // The exchange ends the subscription (code 10, naming its sid).
    text(
        &mut s,
        r#"{"type":"error","sid":3,"msg":{"code":10,"msg":"Channel error"}}"#,
        t0,
    );
    assert!(s.book(A).is_none());
    assert!(matches!(
        &events(&mut s)[..],
        [Event::CommandFailed { key: Some(k), .. }] if *k == key
    ));
    assert!(transmits(&mut s).is_empty(), "not at once");
    let t1 = t0 + Duration::from_secs(1);
    assert_eq!(s.poll_timeout(), Some(t1));
    s.on_activity(t1);
    s.on_timeout(t1);
    let sub = format!(
        r#"{{"id":2,"cmd":"subscribe","params":{{"channels":["orderbook_delta"],"market_tickers":["{A}"]}}}}"#
    );
    assert_eq!(
        transmits(&mut s),
        [sub],
        "no unsubscribe: the exchange ended it"
    );
    // It fails again: twice the wait.
    text(
        &mut s,
        r#"{"id":2,"type":"error","msg":{"code":10,"msg":"Channel error"}}"#,
        t1,
    );
    assert_eq!(s.poll_timeout(), Some(t1 + Duration::from_secs(2)));
    s.on_activity(t1 + Duration::from_secs(2));
    s.on_timeout(t1 + Duration::from_secs(2));
    assert_eq!(transmits(&mut s).len(), 1);
    text(
        &mut s,
        r#"{"id":3,"type":"error","msg":{"code":10,"msg":"Channel error"}}"#,
        t1,
    );
    let ev = events(&mut s);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::SubscriptionFailed { key: k, .. } if *k == key)),
        "{ev:?}"
    );
    s.on_timeout(t1 + Duration::from_secs(60));
    assert!(transmits(&mut s).is_empty(), "given up");
    // A new connection tries again.
    s.on_disconnected(t1 + Duration::from_secs(61));
    s.on_connected(t1 + Duration::from_secs(62));
    assert_eq!(transmits(&mut s).len(), 1);
    text(&mut s, &subscribed(4, "orderbook_delta", 9), t1);
    text(&mut s, &snap(9, 1, A, &[("0.5000", "2.00")], &[]), t1);
    assert_eq!(
        resynced(&events(&mut s)),
        [(A.into(), ResyncReason::ChannelError(10))]
    );
}

#[test]
fn a_snapshot_that_does_not_come_leads_to_a_resubscribe() {
    let (mut s, _, t0) = two_books();
    text(&mut s, &delta(7, 4, A, "yes", "0.4200", "1.00"), t0); // gap
    assert_eq!(transmits(&mut s).len(), 1);
    let deadline = t0 + Duration::from_secs(10);
    assert_eq!(s.poll_timeout(), Some(deadline));
    s.on_activity(deadline);
    s.on_timeout(deadline);
    assert!(transmits(&mut s).is_empty());
    let t1 = deadline + Duration::from_secs(1);
    assert_eq!(s.poll_timeout(), Some(t1));
    s.on_timeout(t1);
    assert_eq!(
        transmits(&mut s),
        [
            r#"{"id":3,"cmd":"unsubscribe","params":{"sids":[7]}}"#.to_owned(),
            format!(
                r#"{{"id":4,"cmd":"subscribe","params":{{"channels":["orderbook_delta"],"market_tickers":["{A}","{B}"]}}}}"#
            ),
        ]
    );
    text(
        &mut s,
        r#"{"id":3,"type":"unsubscribed","sid":7,"seq":5}"#,
        t1,
    );
    text(&mut s, &subscribed(4, "orderbook_delta", 8), t1);
    text(&mut s, &snap(8, 1, A, &[("0.4200", "1.00")], &[]), t1);
    text(&mut s, &snap(8, 2, B, &[("0.4200", "2.00")], &[]), t1);
    assert!(s.book(A).is_some() && s.book(B).is_some());
    let gap = ResyncReason::Gap {
        expected: 3,
        got: 4,
    };
    assert_eq!(
        resynced(&events(&mut s)),
        [(A.into(), gap.clone()), (B.into(), gap)]
    );
    assert_eq!(s.stats().resubscribes, 1);
}

#[test]
fn a_gap_on_another_numbered_channel_resubscribes_it() {
    let mut s = Session::new(SessionConfig::default());
    let t0 = Instant::now();
    s.on_connected(t0);
    let key = s
        .subscribe(Subscribe::new([Channel::OrderGroupUpdates]))
        .unwrap();
    transmits(&mut s);
    text(&mut s, &subscribed(1, "order_group_updates", 21), t0);
    let m = |seq: u64| {
        format!(
            r#"{{"type":"order_group_updates","sid":21,"seq":{seq},"msg":{{"event_type":"limit_updated","order_group_id":"og_123","contracts_limit_fp":"150.00"}}}}"#
        )
    };
    text(&mut s, &m(1), t0);
    text(&mut s, &m(2), t0);
    text(&mut s, &m(2), t0);
    text(&mut s, &m(4), t0);
    let ev = events(&mut s);
    let seqs: Vec<Option<u64>> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m.seq()),
            _ => None,
        })
        .collect();
    assert_eq!(seqs, [Some(1), Some(2), Some(4)]);
    assert!(ev.iter().any(|e| matches!(
        e,
        Event::MessagesLost { key: k, expected: 3, got: 4, .. } if *k == key
    )));
    assert_eq!(
        transmits(&mut s),
        [
            r#"{"id":2,"cmd":"unsubscribe","params":{"sids":[21]}}"#,
            r#"{"id":3,"cmd":"subscribe","params":{"channels":["order_group_updates"]}}"#
        ]
    );
    text(&mut s, &m(5), t0); // the old sid: ignored
    assert!(events(&mut s).is_empty());
}

#[test]
fn an_unreadable_numbered_frame_is_a_hole() {
    let (mut s, _, t0) = two_books();
    text(
        &mut s,
        r#"{"type":"orderbook_delta","sid":7,"seq":3,"msg":{"market_ticker":"KXFED-26JUN-T4.00","price_dollars":"lots"}}"#,
        t0,
    );
    assert!(s.book(A).is_none() && s.book(B).is_none());
    assert_eq!(transmits(&mut s), [get_snapshot(2, 7, &[A, B])]);
    let ev = events(&mut s);
    assert!(ev.iter().any(|e| matches!(e, Event::MalformedFrame(_))));
    text(&mut s, &delta(7, 4, A, "yes", "0.4200", "1.00"), t0);
    assert!(
        transmits(&mut s).is_empty(),
        "numbering goes on after the hole"
    );
    text(&mut s, &snap(7, 5, A, &[], &[]), t0);
    assert_eq!(
        resynced(&events(&mut s)),
        [(A.into(), ResyncReason::MalformedFrame)]
    );
    // Garbage with no envelope: reported, nothing else.
    text(&mut s, "\u{0}not json", t0);
    assert!(transmits(&mut s).is_empty());
    assert_eq!(s.stats().malformed, 2);
}

#[test]
fn unsubscribe_ends_the_sids_and_drops_the_books() {
    let (mut s, key, t0) = two_books();
    assert!(s.unsubscribe(key));
    assert!(!s.unsubscribe(key));
    assert_eq!(
        transmits(&mut s),
        [r#"{"id":2,"cmd":"unsubscribe","params":{"sids":[7]}}"#]
    );
    assert!(s.book(A).is_none());
    text(
        &mut s,
        r#"{"id":2,"type":"unsubscribed","sid":7,"seq":2}"#,
        t0,
    );
    text(&mut s, &delta(7, 3, A, "yes", "0.4200", "1.00"), t0);
    assert!(transmits(&mut s).is_empty());
    assert!(events(&mut s).is_empty());
    // Unsubscribed before its answer came: the late sid is ended.
    let k2 = s.subscribe(Subscribe::new([Channel::Fill])).unwrap();
    transmits(&mut s);
    s.unsubscribe(k2);
    assert!(transmits(&mut s).is_empty());
    text(&mut s, &subscribed(3, "fill", 40), t0);
    assert_eq!(
        transmits(&mut s),
        [r#"{"id":4,"cmd":"unsubscribe","params":{"sids":[40]}}"#]
    );
    // A reconnect does not bring it back.
    s.on_connected(t0);
    assert!(transmits(&mut s).is_empty());
}

// ---- the proptest: a model exchange with faults ----

#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    Drop,
    Duplicate,
    Replay(usize),
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        12 => Just(Fault::None),
        2 => Just(Fault::Drop),
        2 => Just(Fault::Duplicate),
        1 => any::<usize>().prop_map(Fault::Replay),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    /// A change of market `m`'s book at price `p` cents on a side; `remove` takes contracts
    /// away from a level that is there.
    Change {
        m: usize,
        yes: bool,
        p: u8,
        hundredths: i64,
        remove: bool,
        fault: Fault,
    },
    /// The exchange answers the `get_snapshot`s asked so far.
    Answer(Fault),
    /// The connection drops (what was in flight is lost) and comes back.
    Reconnect,
    /// Time passes (seconds), with nothing on the wire.
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..3usize, any::<bool>(), 1..12u8, 1..500i64, any::<bool>(), fault()).prop_map(
            |(m, yes, p, hundredths, remove, fault)| Op::Change { m, yes, p, hundredths, remove, fault }
        ),
        1 => fault().prop_map(Op::Answer),
        1 => prop_oneof![Just(Op::Reconnect), (1..15u64).prop_map(Op::Wait)],
    ]
}

const MARKETS: [&str; 3] = ["KXM-A", "KXM-B", "KXM-C"];

type ModelBook = BTreeMap<(bool, u8), i64>;

#[derive(Default)]
struct Exchange {
    /// Whether an `ok` answer takes a number of the subscription's sequence.
    ok_numbered: bool,
    sid: Sid,
    seq: u64,
    books: BTreeMap<&'static str, ModelBook>,
    asked: Vec<String>,
    history: Vec<String>,
    outbox: Vec<String>,
    /// The books after each numbered message.
    states: BTreeMap<(Sid, u64), BTreeMap<&'static str, ModelBook>>,
}

fn count(h: i64) -> String {
    FixedPointCount::from_hundredths(h).to_string()
}

impl Exchange {
    fn data(&mut self, frame: String, fault: Fault) {
        self.states.insert((self.sid, self.seq), self.books.clone());
        self.history.push(frame.clone());
        match fault {
            Fault::None => self.outbox.push(frame),
            Fault::Drop => {}
            Fault::Duplicate => {
                self.outbox.push(frame.clone());
                self.outbox.push(frame);
            }
            Fault::Replay(i) => {
                self.outbox.push(frame);
                let old = self.history[i % self.history.len()].clone();
                self.outbox.push(old);
            }
        }
    }

    fn snapshot(&mut self, m: &str, fault: Fault) {
        self.seq += 1;
        let book = &self.books[m];
        let side = |yes: bool| {
            book.iter()
                .filter(|((y, _), _)| *y == yes)
                .map(|((_, p), c)| format!(r#"["0.{p:02}00","{}"]"#, count(*c)))
                .collect::<Vec<_>>()
                .join(",")
        };
        let frame = format!(
            r#"{{"type":"orderbook_snapshot","sid":{},"seq":{},"msg":{{"market_ticker":"{m}","yes_dollars_fp":[{}],"no_dollars_fp":[{}]}}}}"#,
            self.sid,
            self.seq,
            side(true),
            side(false)
        );
        self.data(frame, fault);
    }

    fn change(&mut self, m: usize, yes: bool, p: u8, hundredths: i64, remove: bool, fault: Fault) {
        let m = MARKETS[m];
        let level = self.books.get_mut(m).unwrap().entry((yes, p)).or_insert(0);
        let d = if remove && *level > 0 {
            -hundredths.min(*level)
        } else {
            hundredths
        };
        *level += d;
        if *level == 0 {
            self.books.get_mut(m).unwrap().remove(&(yes, p));
        }
        self.seq += 1;
        let frame = delta(
            self.sid,
            self.seq,
            m,
            if yes { "yes" } else { "no" },
            &format!("0.{p:02}00"),
            &count(d),
        );
        self.data(frame, fault);
    }

    fn answer(&mut self, fault: Fault) {
        let asked = std::mem::take(&mut self.asked);
        for m in asked {
            let m = MARKETS.iter().find(|x| **x == m).unwrap();
            self.snapshot(m, fault);
        }
    }

    /// Reads the session's commands.
    fn command(&mut self, text: &str) {
        let v: Value = serde_json::from_str(text).unwrap();
        let id = v["id"].as_u64().unwrap();
        let tickers = |v: &Value| -> Vec<String> {
            v["params"]["market_tickers"]
                .as_array()
                .map(|a| a.iter().map(|t| t.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default()
        };
        match v["cmd"].as_str().unwrap() {
            "subscribe" => {
                self.sid += 1;
                self.seq = 0;
                self.outbox
                    .push(subscribed(id, "orderbook_delta", self.sid));
                for m in tickers(&v) {
                    let m = MARKETS.iter().find(|x| **x == m).unwrap();
                    self.snapshot(m, Fault::None);
                }
            }
            "update_subscription" => {
                assert_eq!(v["params"]["action"], "get_snapshot");
                assert_eq!(v["params"]["sids"][0].as_u64(), Some(self.sid));
                self.asked.extend(tickers(&v));
                if self.ok_numbered {
                    self.seq += 1;
                    let ok = format!(
                        r#"{{"id":{id},"type":"ok","sid":{},"seq":{}}}"#,
                        self.sid, self.seq
                    );
                    self.data(ok, Fault::None);
                } else {
                    self.outbox
                        .push(format!(r#"{{"id":{id},"type":"ok","sid":{}}}"#, self.sid));
                }
            }
            "unsubscribe" => {
                self.outbox.push(format!(
                    r#"{{"id":{id},"type":"unsubscribed","sid":{}}}"#,
                    self.sid
                ));
            }
            other => panic!("unexpected command {other}"),
        }
    }

    fn pump(&mut self, s: &mut Session, now: Instant) {
        loop {
            while let Some(t) = s.poll_transmit() {
                self.command(&t);
            }
            if self.outbox.is_empty() {
                return;
            }
            for f in std::mem::take(&mut self.outbox) {
                s.on_text(f.as_bytes(), now);
            }
        }
    }

    fn expected(&self, m: &str) -> LocalOrderbook {
        expected(m, &self.books[m])
    }
}

fn expected(m: &str, book: &ModelBook) -> LocalOrderbook {
    {
        let mut b = LocalOrderbook::new(m);
        for ((yes, p), c) in book {
            let side = if *yes {
                OutcomeSide::Yes
            } else {
                OutcomeSide::No
            };
            b.apply_delta(
                side,
                format!("0.{p:02}00").parse().unwrap(),
                FixedPointCount::from_hundredths(*c),
            )
            .unwrap();
        }
        b
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever is dropped, duplicated or replayed, a book the session calls in sync is the
    /// exchange's book, and once the exchange answers and the stream goes on, every book is in
    /// sync again.
    #[test]
    fn books_in_sync_equal_the_exchange_under_drops_and_duplicates(
        ops in prop::collection::vec(op(), 0..120),
        ok_numbered in any::<bool>(),
    ) {
        let mut s = Session::new(SessionConfig::default());
        let mut x = Exchange { ok_numbered, ..Exchange::default() };
        for m in MARKETS {
            x.books.insert(m, ModelBook::new());
        }
        let mut now = Instant::now();
        let reconnects = ops.iter().filter(|o| matches!(o, Op::Reconnect)).count() as u64;
        s.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers(MARKETS)).unwrap();
        s.on_connected(now);
        x.pump(&mut s, now);
        for op in ops {
            match op {
                Op::Change { m, yes, p, hundredths, remove, fault } => {
                    x.change(m, yes, p, hundredths, remove, fault)
                }
                Op::Answer(fault) => x.answer(fault),
                Op::Reconnect => {
                    s.on_disconnected(now);
                    prop_assert_eq!(s.books().count(), 0);
                    x.outbox.clear();
                    x.asked.clear();
                    s.on_connected(now);
                }
                Op::Wait(secs) => {
                    now += Duration::from_secs(secs);
                    s.on_timeout(now);
                }
            }
            x.pump(&mut s, now);
            // A book in sync is the exchange's book as of the last number the session read
            // (what was dropped after it cannot be known yet).
            let ch = &s.subs.values().next().unwrap().channels[0];
            if let (Some(sid), Some(last)) = (ch.sid, ch.last_seq) {
                for m in MARKETS {
                    if let Some(b) = s.book(m) {
                        let at = &x.states[&(sid, last)][m];
                        prop_assert_eq!(b, &expected(m, at), "{} at {}/{}", m, sid, last);
                    }
                }
            }
        }
        // Settle: no more faults; a probe change per market reveals any loss at the end.
        for round in 0..4 {
            x.answer(Fault::None);
            x.pump(&mut s, now);
            for m in 0..MARKETS.len() {
                x.change(m, true, 50 + round, 100, false, Fault::None);
            }
            x.pump(&mut s, now);
            x.answer(Fault::None);
            x.pump(&mut s, now);
        }
        for m in MARKETS {
            let expected = x.expected(m);
            prop_assert_eq!(s.book(m), Some(&expected), "{}", m);
        }
        let mut resynced_per_book: BTreeMap<String, u64> = BTreeMap::new();
        while let Some(e) = s.poll_event() {
            if let Event::Resynced { market_ticker, .. } = e {
                *resynced_per_book.entry(market_ticker).or_default() += 1;
            }
        }
        let st = s.stats();
        prop_assert_eq!(resynced_per_book.values().sum::<u64>(), st.resyncs);
        prop_assert!(st.resyncs <= 3 * (st.gaps + st.desyncs + st.resubscribes + reconnects), "{:?}", st);
        prop_assert_eq!(st.desyncs, 0, "the model never sends a bad delta");
    }
}

// ---- anything in any order: no panic, and a book in sync is never one the exchange refused ----

fn any_frame() -> impl Strategy<Value = String> {
    let sid = 1..4u64;
    let seq = 0..8u64;
    let ticker = prop::sample::select(vec![A, B, "KXM-A", "", "NOT A TICKER\u{7}"]);
    let price = prop::sample::select(vec!["0.5000", "0.4200", "1.2000", "0.0000", "x"]);
    let count = prop::sample::select(vec!["-5.00", "3.00", "0.00", "-0.01", "1e9"]);
    let side = prop::sample::select(vec!["yes", "no", "maybe"]);
    let channel = prop::sample::select(vec!["orderbook_delta", "ticker", "fill", "nope"]);
    prop_oneof![
        (1..6u64, channel, sid.clone()).prop_map(|(id, c, sid)| subscribed(id, c, sid)),
        (sid.clone(), seq.clone(), ticker.clone(), price.clone(), count.clone()).prop_map(
            |(sid, seq, t, p, c)| format!(
                r#"{{"type":"orderbook_snapshot","sid":{sid},"seq":{seq},"msg":{{"market_ticker":"{t}","yes_dollars_fp":[["{p}","{c}"]]}}}}"#
            )
        ),
        (sid.clone(), seq.clone(), ticker, side, price, count)
            .prop_map(|(sid, seq, t, sd, p, c)| delta(sid, seq, t, sd, p, c)),
        (1..6u64, sid.clone(), seq.clone()).prop_map(|(id, sid, seq)| format!(
            r#"{{"id":{id},"type":"ok","sid":{sid},"seq":{seq},"msg":{{"market_tickers":[]}}}}"#
        )),
        (0..6u64, 1..24u32, sid.clone()).prop_map(|(id, code, sid)| format!(
            r#"{{"id":{id},"sid":{sid},"type":"error","msg":{{"code":{code},"msg":"x"}}}}"#
        )),
        (sid, seq).prop_map(|(sid, seq)| format!(
            r#"{{"type":"order_group_updates","sid":{sid},"seq":{seq},"msg":{{"event_type":"created","order_group_id":"og"}}}}"#
        )),
        prop::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

#[derive(Debug, Clone)]
enum Act {
    Frame(String),
    Connect,
    Disconnect,
    Wait(u64),
    Add(bool),
    Remove,
    Unsubscribe,
    Subscribe,
    Poll,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        12 => any_frame().prop_map(Act::Frame),
        1 => Just(Act::Connect),
        1 => Just(Act::Disconnect),
        1 => (0..40u64).prop_map(Act::Wait),
        1 => any::<bool>().prop_map(Act::Add),
        1 => Just(Act::Remove),
        1 => Just(Act::Unsubscribe),
        1 => Just(Act::Subscribe),
        2 => Just(Act::Poll),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Arbitrary frames and calls in any order never panic; a book the session calls in sync
    /// always passes its own checks; deadlines are never in the past after `on_timeout`.
    #[test]
    fn anything_in_any_order_never_panics(acts in prop::collection::vec(act(), 0..80)) {
        let mut s = Session::new(SessionConfig::default().max_resubscribes(2));
        let t0 = Instant::now();
        let mut now = t0;
        let mut keys = vec![
            s.subscribe(Subscribe::new([Channel::OrderbookDelta, Channel::Ticker]).market_tickers([A, B])).unwrap(),
            s.subscribe(Subscribe::new([Channel::OrderbookDelta])).unwrap(),
        ];
        for a in acts {
            match a {
                Act::Frame(f) => s.on_text(f.as_bytes(), now),
                Act::Connect => s.on_connected(now),
                Act::Disconnect => s.on_disconnected(now),
                Act::Wait(secs) => {
                    now += Duration::from_secs(secs);
                    s.on_timeout(now);
                    if let Some(t) = s.poll_timeout() {
                        prop_assert!(t > now || s.ctx.dead, "a deadline left behind");
                    }
                }
                Act::Add(new) => {
                    if let Some(k) = keys.first() {
                        let _ = s.add_markets(*k, [if new { "KXM-A" } else { B }]);
                    }
                }
                Act::Remove => {
                    if let Some(k) = keys.first() {
                        let _ = s.remove_markets(*k, [B]);
                    }
                }
                Act::Unsubscribe => {
                    if !keys.is_empty() {
                        s.unsubscribe(keys.remove(0));
                    }
                }
                Act::Subscribe => keys.push(
                    s.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([A])).unwrap(),
                ),
                Act::Poll => {
                    for t in std::iter::from_fn(|| s.poll_transmit()) {
                        prop_assert!(serde_json::from_str::<Value>(&t).is_ok());
                    }
                    while s.poll_event().is_some() {}
                }
            }
            for b in s.books() {
                // Every level positive, prices inside (0, 1): rebuilt from its own levels.
                let yes: Vec<_> = b.yes_bids().collect();
                let no: Vec<_> = b.no_bids().collect();
                let again = LocalOrderbook::from_snapshot(&OrderbookSnapshot {
                    market_ticker: b.market_ticker().to_owned(),
                    market_id: None,
                    yes_dollars_fp: yes,
                    no_dollars_fp: no,
                });
                prop_assert_eq!(again.as_ref(), Ok(b));
            }
        }
    }
}
