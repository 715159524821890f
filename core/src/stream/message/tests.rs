//! Messages from the spec's examples (asyncapi-2026-03.yaml), plus unknown types and fields,
//! and malformed frames.

use super::*;
use crate::enums::OutcomeSide;
use crate::stream::Channel;

fn ok(frame: &str) -> StreamMessage {
    parse(frame.as_bytes()).unwrap_or_else(|e| panic!("{frame}: {e}"))
}

#[test]
fn subscribed_unsubscribed_ok_and_list() {
    assert_eq!(
        ok(r#"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}"#),
        StreamMessage::Subscribed {
            id: Some(1),
            msg: SubscribedMessage {
                channel: Channel::OrderbookDelta,
                sid: 1
            }
        }
    );
    assert_eq!(
        ok(r#"{"id":102,"sid":2,"seq":7,"type":"unsubscribed"}"#),
        StreamMessage::Unsubscribed {
            id: Some(102),
            sid: 2,
            seq: Some(7)
        }
    );
    let m = ok(
        r#"{"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["MARKET-1","MARKET-2","MARKET-3"]}}"#,
    );
    let StreamMessage::Ok { id, sid, seq, msg } = &m else {
        panic!("{m:?}")
    };
    assert_eq!((*id, *sid, *seq), (Some(123), Some(456), Some(222)));
    assert_eq!(msg.market_tickers, ["MARKET-1", "MARKET-2", "MARKET-3"]);
    assert_eq!(
        (m.command_id(), m.sid(), m.seq()),
        (Some(123), Some(456), Some(222))
    );

    let list = ok(
        r#"{"id":3,"type":"ok","msg":[{"channel":"orderbook_delta","sid":1},{"channel":"ticker","sid":2},{"channel":"brand_new","sid":3}]}"#,
    );
    let StreamMessage::ListSubscriptions { id, subscriptions } = list else {
        panic!()
    };
    assert_eq!(id, Some(3));
    assert_eq!(subscriptions.len(), 3);
    assert_eq!(
        subscriptions[2].channel,
        Channel::Unknown("brand_new".into())
    );
}

#[test]
fn errors_keep_their_code_and_market() {
    let m = ok(
        r#"{"id":127,"type":"error","msg":{"code":16,"msg":"Market not found","market_ticker":"INVALID-MARKET"}}"#,
    );
    let StreamMessage::Error { id, msg } = m else {
        panic!()
    };
    assert_eq!(id, Some(127));
    assert_eq!(msg.kind(), ErrorCode::MarketNotFound);
    assert_eq!(msg.market_ticker.as_deref(), Some("INVALID-MARKET"));
    for code in 1..=22 {
        assert_ne!(ErrorCode::from_code(code), ErrorCode::Other(code), "{code}");
    }
    assert_eq!(ErrorCode::from_code(99), ErrorCode::Other(99));
    assert!(ErrorCode::CommandTimeout.is_transient());
    assert!(!ErrorCode::AlreadySubscribed.is_transient());
}

#[test]
fn orderbook_snapshot_and_delta_from_the_spec() {
    let m = ok(r#"{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{
        "market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
        "yes":[[8,300],[22,333]],"yes_dollars":[["0.080",300],["0.220",333]],
        "yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],
        "no":[[54,20],[56,146]],"no_dollars":[["0.540",20],["0.560",146]],
        "no_dollars_fp":[["0.5400","20.00"],["0.5600","146.00"]]}}"#);
    let StreamMessage::OrderbookSnapshot(s) = m else {
        panic!()
    };
    assert_eq!((s.sid, s.seq), (2, Some(2)));
    assert_eq!(s.msg.yes_dollars_fp.len(), 2);
    assert_eq!(s.msg.no_dollars_fp[1].price.to_string(), "0.5600");
    assert_eq!(s.msg.no_dollars_fp[1].count.to_string(), "146.00");

    let m = ok(r#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{
        "market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
        "price":96,"price_dollars":"0.960","delta":-54,"delta_fp":"-54.00","side":"yes",
        "ts":"2022-11-22T20:44:01Z","ts_ms":1669149841000,"client_order_id":"c-1","subaccount":2}}"#);
    let StreamMessage::OrderbookDelta(d) = m else {
        panic!()
    };
    assert_eq!(d.msg.side, OutcomeSide::Yes);
    assert_eq!(d.msg.delta_fp.hundredths(), -5400);
    assert_eq!(d.msg.price_dollars.to_string(), "0.9600");
    assert_eq!(d.msg.ts.unwrap().as_millisecond(), 1_669_149_841_000);
    assert_eq!(d.msg.client_order_id.as_deref(), Some("c-1"));
    assert_eq!(d.msg.subaccount, Some(2));
}

#[test]
fn a_snapshot_side_may_be_absent_or_null() {
    let StreamMessage::OrderbookSnapshot(s) = ok(
        r#"{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"M","no_dollars_fp":null}}"#,
    ) else {
        panic!()
    };
    assert!(s.msg.yes_dollars_fp.is_empty() && s.msg.no_dollars_fp.is_empty());
}

#[test]
fn unknown_types_and_fields_are_kept_or_ignored() {
    let m = ok(r#"{"type":"brand_new","sid":9,"seq":4,"msg":{"x":[1,2]},"extra":true}"#);
    assert_eq!(m.kind(), "brand_new");
    assert_eq!((m.sid(), m.seq()), (Some(9), Some(4)));
    let StreamMessage::Unknown { msg, .. } = m else {
        panic!()
    };
    assert_eq!(msg.as_deref(), Some(r#"{"x":[1,2]}"#));
    // Unknown fields in a known message, an unknown side value.
    let StreamMessage::OrderbookDelta(d) = ok(
        r#"{"type":"orderbook_delta","sid":2,"seq":3,"later":1,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1.00","side":"maybe","new_field":{}}}"#,
    ) else {
        panic!()
    };
    assert_eq!(d.msg.side, OutcomeSide::Unknown("maybe".into()));
}

#[test]
fn malformed_frames_are_typed_errors_with_the_frame() {
    for frame in [
        "",
        "not json",
        "[]",
        r#"{"sid":1}"#,
        r#"{"type":7}"#,
        r#"{"type":"orderbook_delta","sid":1,"seq":2}"#,
        r#"{"type":"orderbook_delta","seq":2,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1.00","side":"yes"}}"#,
        r#"{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"M","price_dollars":0.5,"delta_fp":"1.00","side":"yes"}}"#,
        r#"{"type":"subscribed","id":1,"msg":{"channel":"ticker"}}"#,
        r#"{"type":"error","id":1,"msg":{"msg":"no code"}}"#,
        r#"{"type":"orderbook_delta","sid":-1,"msg":{}}"#,
    ] {
        match parse(frame.as_bytes()) {
            Err(crate::Error::MalformedFrame { frame: kept, .. }) => {
                assert_eq!(kept.bytes(), frame.as_bytes())
            }
            other => panic!("{frame}: {other:?}"),
        }
    }
}
