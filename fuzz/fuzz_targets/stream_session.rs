//! The stream session (`kalshi_core::stream::Session`) driven by arbitrary frames and calls in
//! any order: it never panics; every frame it asks to send is a JSON command object; after
//! `on_timeout(now)` its next deadline is not in the past (unless it declared the connection
//! dead and waits for the I/O loop); and every book it reports in sync passes the book's own
//! checks (each level above zero, prices inside (0, 1), no price twice: rebuilt from its own
//! levels it is the same book).
//!
//! Input: a little program. Each step takes one byte `op`:
//! - `op % 8 == 0..=3`: a text frame follows: one length byte `n`, then `n` bytes (fewer at the
//!   end of the input);
//! - `4`: connected; `5`: disconnected; `6`: time passes by the next byte (in seconds) and the
//!   timers run; `7`: a caller call chosen by the next byte (subscribe, add or remove a market,
//!   unsubscribe, list), then transmits and events are drained.
//!
//! Time comes from a fixed origin plus the steps' waits: a pure function of the bytes.
#![no_main]

use std::time::{Duration, Instant};

use kalshi_core::stream::book::LocalOrderbook;
use kalshi_core::stream::message::OrderbookSnapshot;
use kalshi_core::stream::{Channel, Session, SessionConfig, Subscribe};
use libfuzzer_sys::fuzz_target;

const MARKETS: [&str; 3] = ["KXFED-26DEC-T4.00", "KXCPI-26DEC-T0.3", "KXM-A"];

fuzz_target!(|data: &[u8]| {
    let mut s = Session::new(SessionConfig::default().max_resubscribes(2));
    let t0 = Instant::now();
    let mut now = t0;
    let mut keys = vec![
        s.subscribe(
            Subscribe::new([Channel::OrderbookDelta, Channel::Ticker])
                .market_tickers([MARKETS[0], MARKETS[1]]),
        )
        .expect("a valid subscription"),
    ];
    let mut i = 0;
    while i < data.len() {
        let op = data[i] % 8;
        i += 1;
        match op {
            0..=3 => {
                let n = data.get(i).copied().unwrap_or(0) as usize;
                i += 1;
                let end = (i + n).min(data.len());
                s.on_text(&data[i.min(end)..end], now);
                i = end;
            }
            4 => s.on_connected(now),
            5 => s.on_disconnected(now),
            6 => {
                let secs = data.get(i).copied().unwrap_or(0);
                i += 1;
                now += Duration::from_secs(u64::from(secs));
                s.on_timeout(now);
            }
            _ => {
                let which = data.get(i).copied().unwrap_or(0);
                i += 1;
                let market = MARKETS[usize::from(which / 8) % MARKETS.len()];
                match which % 5 {
                    0 => keys.push(
                        s.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([market]))
                            .expect("a valid subscription"),
                    ),
                    1 => {
                        if let Some(k) = keys.first() {
                            let _ = s.add_markets(*k, [market]);
                        }
                    }
                    2 => {
                        if let Some(k) = keys.first() {
                            let _ = s.remove_markets(*k, [market]);
                        }
                    }
                    3 => {
                        if !keys.is_empty() {
                            s.unsubscribe(keys.remove(0));
                        }
                    }
                    _ => s.list_subscriptions(),
                }
                while let Some(t) = s.poll_transmit() {
                    let v: serde_json::Value =
                        serde_json::from_str(&t).expect("a command is JSON");
                    assert!(v.get("cmd").and_then(|c| c.as_str()).is_some(), "{t}");
                    assert!(v.get("id").and_then(|c| c.as_u64()).is_some(), "{t}");
                }
                while let Some(e) = s.poll_event() {
                    let _ = format!("{e:?}");
                }
            }
        }
        for b in s.books() {
            let again = LocalOrderbook::from_snapshot(&snapshot_of(b));
            assert_eq!(again.as_ref(), Ok(b), "an in-sync book fails its own checks");
        }
    }
    // Drain what is left: every transmit is a JSON command.
    while let Some(t) = s.poll_transmit() {
        assert!(serde_json::from_str::<serde_json::Value>(&t).is_ok(), "{t}");
    }
});

/// The book as a snapshot of its own levels.
fn snapshot_of(b: &LocalOrderbook) -> OrderbookSnapshot {
    let mut snap: OrderbookSnapshot = serde_json::from_value(serde_json::json!({
        "market_ticker": b.market_ticker(),
    }))
    .expect("a minimal snapshot");
    snap.yes_dollars_fp = b.yes_bids().collect();
    snap.no_dollars_fp = b.no_bids().collect();
    snap
}
