//! The recorded order book stream is deterministic, numbered without gaps, realistic, and
//! applies cleanly to `LocalOrderbook` (no level ever goes below zero). No timing asserted.

use kalshi_benches::stream_data::{self, Books, SID};
use kalshi_core::stream::{StreamMessage, message};
use serde_json::Value;

const MARKETS: usize = 8;
const DELTAS: usize = 30_000;

fn frames() -> Vec<String> {
    stream_data::orderbook_stream(MARKETS, DELTAS, stream_data::SEED)
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = frames();
    assert_eq!(a.len(), MARKETS + DELTAS);
    assert_eq!(a, frames());
    assert_ne!(a, stream_data::orderbook_stream(MARKETS, DELTAS, 7));
    // One frame a line for the peer's driver.
    let lines = stream_data::to_lines(&a);
    assert_eq!(lines.lines().count(), a.len());
    assert!(a.iter().all(|f| !f.contains('\n')));
}

#[test]
fn snapshots_then_deltas_one_sid_seq_up_by_one() {
    let frames = frames();
    for (i, f) in frames.iter().enumerate() {
        let v: Value = serde_json::from_str(f).unwrap();
        let kind = if i < MARKETS {
            "orderbook_snapshot"
        } else {
            "orderbook_delta"
        };
        assert_eq!(v["type"], kind, "{f}");
        assert_eq!(v["sid"], SID);
        assert_eq!(v["seq"], i as u64 + 1);
        let msg = &v["msg"];
        assert!(msg["market_ticker"].is_string() && msg["market_id"].is_string());
        if i < MARKETS {
            // The legacy arrays next to the fixed-point ones, as in the spec's example.
            for side in ["yes", "no"] {
                let levels = msg[format!("{side}_dollars_fp")].as_array().unwrap();
                assert!((30..=60).contains(&levels.len()), "{} levels", levels.len());
                assert_eq!(msg[side].as_array().unwrap().len(), levels.len());
                assert_eq!(
                    msg[format!("{side}_dollars")].as_array().unwrap().len(),
                    levels.len()
                );
            }
        } else {
            for key in [
                "price",
                "price_dollars",
                "delta",
                "delta_fp",
                "side",
                "ts",
                "ts_ms",
            ] {
                assert!(!msg[key].is_null(), "{key} in {f}");
            }
        }
    }
}

#[test]
fn applies_to_local_books_without_a_desync_and_looks_like_a_market() {
    let frames = frames();
    let mut books = Books::new();
    let (mut sub_penny, mut whole_cent, mut fractional, mut whole) = (0, 0, 0, 0);
    let (mut appeared, mut vanished, mut top) = (0, 0, 0);
    for f in &frames {
        let before = match message::parse(f.as_bytes()).unwrap() {
            StreamMessage::OrderbookDelta(d) => {
                let m = &d.msg;
                if m.price_dollars.micros() % 10_000 == 0 {
                    whole_cent += 1;
                } else {
                    sub_penny += 1;
                }
                if m.delta_fp.is_whole() {
                    whole += 1;
                } else {
                    fractional += 1;
                }
                let book = books.book(&m.market_ticker).unwrap();
                let bids: Vec<_> = match m.side.to_string().as_str() {
                    "yes" => book.yes_bids().collect(),
                    _ => book.no_bids().collect(),
                };
                if bids.iter().take(3).any(|l| l.price == m.price_dollars) {
                    top += 1;
                }
                Some((
                    m.clone(),
                    bids.iter().find(|l| l.price == m.price_dollars).copied(),
                ))
            }
            _ => None,
        };
        // Refuses a gap in seq and a level below zero, so this checks both.
        books.apply_frame(f.as_bytes()).unwrap();
        if let Some((m, had)) = before {
            let book = books.book(&m.market_ticker).unwrap();
            let mut now = match m.side.to_string().as_str() {
                "yes" => book.yes_bids().collect::<Vec<_>>(),
                _ => book.no_bids().collect(),
            }
            .into_iter();
            let now = now.find(|l| l.price == m.price_dollars);
            match (had, now) {
                (None, Some(_)) => appeared += 1,
                (Some(_), None) => vanished += 1,
                _ => {}
            }
        }
    }
    let n = DELTAS;
    assert!(
        sub_penny > n / 5 && whole_cent > n / 5,
        "{sub_penny} / {whole_cent}"
    );
    assert!(
        fractional > n / 10 && whole > n / 2,
        "{fractional} / {whole}"
    );
    assert!(
        appeared > n / 20 && vanished > n / 20,
        "{appeared} / {vanished}"
    );
    assert!(top > n / 2, "{top} of {n} within the top three levels");
    // Books never cross and keep tens of levels.
    let mut checked = 0;
    for f in frames.iter().take(MARKETS) {
        let v: Value = serde_json::from_str(f).unwrap();
        let book = books
            .book(v["msg"]["market_ticker"].as_str().unwrap())
            .unwrap();
        let (y, no) = (book.best_yes_bid().unwrap(), book.best_no_bid().unwrap());
        assert!(y.price.micros() + no.price.micros() < 1_000_000);
        for side in [book.yes_bids().len(), book.no_bids().len()] {
            assert!((10..=100).contains(&side), "{side} levels");
        }
        checked += 1;
    }
    assert_eq!(checked, MARKETS);
    assert_eq!(books.digest(), {
        let mut again = Books::new();
        for f in &frames {
            again.apply_frame(f.as_bytes()).unwrap();
        }
        again.digest()
    });
}
