use proptest::prelude::*;

use super::*;
use crate::stream::message::{self, StreamMessage};

fn px(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}
fn n(s: &str) -> FixedPointCount {
    s.parse().unwrap()
}

fn snapshot(yes: &[(&str, &str)], no: &[(&str, &str)]) -> OrderbookSnapshot {
    let side = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(p, c)| PriceLevel::new(px(p), n(c)))
            .collect::<Vec<_>>()
    };
    OrderbookSnapshot {
        market_ticker: "M".into(),
        market_id: None,
        yes_dollars_fp: side(yes),
        no_dollars_fp: side(no),
    }
}

#[test]
fn snapshot_then_deltas() {
    // Levels in any order: best first here, the guide's ascending order elsewhere.
    let mut book = LocalOrderbook::from_snapshot(&snapshot(
        &[("0.2200", "333.00"), ("0.0800", "300.00")],
        &[("0.5400", "20.00"), ("0.5600", "146.00")],
    ))
    .unwrap();
    assert_eq!(
        book.best_yes_bid(),
        Some(PriceLevel::new(px("0.22"), n("333")))
    );
    assert_eq!(
        book.best_no_bid(),
        Some(PriceLevel::new(px("0.56"), n("146")))
    );
    assert_eq!(
        book.best_yes_ask(),
        Some(PriceLevel::new(px("0.44"), n("146")))
    );
    assert_eq!(
        book.best_no_ask(),
        Some(PriceLevel::new(px("0.78"), n("333")))
    );
    assert_eq!(book.depth(&OutcomeSide::Yes), 2);

    // Sub-penny price, fractional count.
    book.apply_delta(OutcomeSide::Yes, px("0.2250"), n("0.50"))
        .unwrap();
    assert_eq!(
        book.best_yes_bid(),
        Some(PriceLevel::new(px("0.225"), n("0.5")))
    );
    book.apply_delta(OutcomeSide::Yes, px("0.2250"), n("-0.50"))
        .unwrap();
    assert_eq!(book.depth(&OutcomeSide::Yes), 2);
    let bids: Vec<_> = book.yes_bids().map(|l| l.price.to_string()).collect();
    assert_eq!(bids, ["0.2200", "0.0800"]);

    // Below zero: refused, book unchanged.
    let before = book.clone();
    let err = book
        .apply_delta(OutcomeSide::No, px("0.54"), n("-20.01"))
        .unwrap_err();
    assert!(matches!(err, BookError::NegativeLevel { .. }), "{err}");
    assert_eq!(book, before);
    // Removing an absent level is the same desync.
    assert!(
        book.apply_delta(OutcomeSide::No, px("0.10"), n("-1"))
            .is_err()
    );
    // A zero delta on an absent level changes nothing.
    book.apply_delta(OutcomeSide::No, px("0.10"), n("0"))
        .unwrap();
    assert_eq!(book, before);
}

#[test]
fn bad_input_is_a_desync() {
    let mut book = LocalOrderbook::new("M");
    for p in ["0", "1", "1.5", "-0.1"] {
        assert_eq!(
            book.apply_delta(OutcomeSide::Yes, px(p), n("1")),
            Err(BookError::PriceOutOfRange(px(p)))
        );
    }
    assert!(matches!(
        book.apply_delta(OutcomeSide::Unknown("up".into()), px("0.5"), n("1")),
        Err(BookError::UnknownSide(_))
    ));
    assert!(LocalOrderbook::from_snapshot(&snapshot(&[("0.5", "0")], &[])).is_err());
    assert!(LocalOrderbook::from_snapshot(&snapshot(&[("0.5", "1"), ("0.5", "2")], &[])).is_err());
    let mut other = snapshot(&[], &[]);
    other.market_ticker = "OTHER".into();
    assert!(matches!(
        book.apply_snapshot(&other),
        Err(BookError::WrongMarket { .. })
    ));
    assert!(book.is_empty());
}

#[test]
fn compares_with_the_rest_order_book() {
    let book = LocalOrderbook::from_snapshot(&snapshot(
        &[("0.0800", "300.00"), ("0.2200", "333.00")],
        &[("0.5400", "20.00")],
    ))
    .unwrap();
    let rest: crate::market::Orderbook = serde_json::from_str(
        r#"{"yes_dollars":[["0.2200","333.00"],["0.0800","300.00"]],"no_dollars":[["0.5400","20.00"]]}"#,
    )
    .unwrap();
    assert!(book.matches(&rest));
    assert!(book.matches(&book.to_orderbook()));
    let off: crate::market::Orderbook = serde_json::from_str(
        r#"{"yes_dollars":[["0.2200","333.00"]],"no_dollars":[["0.5400","20.00"]]}"#,
    )
    .unwrap();
    assert!(!book.matches(&off));
}

#[test]
fn the_module_example_round_trip_through_the_parser() {
    let StreamMessage::OrderbookDelta(d) = message::parse(
        br#"{"type":"orderbook_delta","sid":1,"seq":1,"msg":{"market_ticker":"M","price_dollars":"0.3000","delta_fp":"5.00","side":"no"}}"#,
    )
    .unwrap() else {
        panic!()
    };
    let mut book = LocalOrderbook::new("M");
    book.apply(&d.msg).unwrap();
    assert_eq!(book.best_yes_ask().unwrap().price.to_string(), "0.7000");
    let mut wrong = LocalOrderbook::new("N");
    assert!(matches!(
        wrong.apply(&d.msg),
        Err(BookError::WrongMarket { .. })
    ));
}

proptest! {
    /// The book equals a plain model (a map from price to count, levels > 0) after any sequence
    /// of deltas; a refused delta leaves it unchanged.
    #[test]
    fn matches_a_model(ops in proptest::collection::vec((any::<bool>(), 1i64..100, -300i64..300), 0..200)) {
        use std::collections::BTreeMap;
        let mut book = LocalOrderbook::new("M");
        let mut model: [BTreeMap<i64, i64>; 2] = Default::default();
        for (yes, cents, delta) in ops {
            let side = if yes { OutcomeSide::Yes } else { OutcomeSide::No };
            let m = &mut model[usize::from(yes)];
            let had = m.get(&cents).copied().unwrap_or(0);
            let res = book.apply_delta(side, FixedPointDollars::from_cents(cents), FixedPointCount::from_hundredths(delta));
            if had + delta < 0 {
                prop_assert!(res.is_err());
            } else {
                prop_assert!(res.is_ok());
                if had + delta == 0 { m.remove(&cents); } else { m.insert(cents, had + delta); }
            }
            let expect = |m: &BTreeMap<i64, i64>| -> Vec<PriceLevel> {
                m.iter().rev().map(|(&p, &c)| PriceLevel::new(FixedPointDollars::from_cents(p), FixedPointCount::from_hundredths(c))).collect()
            };
            prop_assert_eq!(book.yes_bids().collect::<Vec<_>>(), expect(&model[1]));
            prop_assert_eq!(book.no_bids().collect::<Vec<_>>(), expect(&model[0]));
        }
    }
}
