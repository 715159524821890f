//! Messages from the spec's examples (asyncapi-2026-03.yaml), plus unknown types and fields,
//! and malformed frames.

use super::*;
use crate::enums::{BookSide, OutcomeSide};
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
    for code in 1..=28 {
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
        // serde would read structs from arrays (fields by position): not a frame.
        r#"["brand_new"]"#,
        r#" ["ticker",null,1,null,{}]"#,
        r#"{"type":"subscribed","id":1,"msg":["ticker",1]}"#,
        r#"{"type":"error","id":1,"msg":[16,"Market not found"]}"#,
        r#"{"type":"ok","id":1,"msg":[["ticker",1]]}"#,
        r#"{"type":"trade","sid":1,"msg":["t","M","0.5","0.5","1"]}"#,
    ] {
        match parse(frame.as_bytes()) {
            Err(crate::Error::MalformedFrame { frame: kept, .. }) => {
                assert_eq!(kept.bytes(), frame.as_bytes())
            }
            other => panic!("{frame}: {other:?}"),
        }
    }
}

// ---- Every channel's data messages: the AsyncAPI's examples (asyncapi-2026-03.yaml) and the
// newer docs' (kalshi-docs/websockets/*.md), then later fields from the changelog.

fn dollars(s: &str) -> crate::FixedPointDollars {
    s.parse().unwrap()
}

fn count(s: &str) -> crate::FixedPointCount {
    s.parse().unwrap()
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// The spec's example frames, one per message type (used by several tests below).
pub(super) const SPEC_FRAMES: &[&str] = &[
    // ticker (AsyncAPI)
    r#"{"type":"ticker","sid":11,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price":48,"yes_bid":45,"yes_ask":53,"price_dollars":"0.480","yes_bid_dollars":"0.450","yes_ask_dollars":"0.530","volume":33896,"volume_fp":"33896.00","open_interest":20422,"open_interest_fp":"20422.00","dollar_volume":16948,"dollar_open_interest":10211,"ts":1669149841,"time":"2022-11-22T20:44:01Z"}}"#,
    // trade (AsyncAPI)
    r#"{"type":"trade","sid":11,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","market_ticker":"HIGHNY-22DEC23-B53.5","yes_price":36,"yes_price_dollars":"0.360","no_price":64,"no_price_dollars":"0.640","count":136,"count_fp":"136.00","taker_side":"no","ts":1669149841}}"#,
    // fill (AsyncAPI)
    r#"{"type":"fill","sid":13,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","market_ticker":"HIGHNY-22DEC23-B53.5","is_taker":true,"side":"yes","yes_price":75,"yes_price_dollars":"0.750","count":278,"count_fp":"278.00","action":"buy","ts":1671899397,"post_position":500,"post_position_fp":"500.00","purchased_side":"yes","subaccount":3}}"#,
    // fill (docs/websockets/user-fills.md)
    r#"{"type":"fill","sid":13,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","market_ticker":"HIGHNY-22DEC23-B53.5","exchange_index":2,"is_taker":true,"side":"yes","yes_price_dollars":"0.750","count_fp":"278.00","action":"buy","ts":1671899397,"ts_ms":1671899397000,"post_position_fp":"500.00","purchased_side":"yes","subaccount":3}}"#,
    // market_lifecycle_v2 (AsyncAPI)
    r#"{"type":"market_lifecycle_v2","sid":13,"msg":{"market_ticker":"INXD-23SEP14-B4487","event_type":"created","open_ts":1694635200,"close_ts":1694721600,"additional_metadata":{"name":"S&P 500 daily return on Sep 14","title":"S&P 500 closes up by 0.02% or more","yes_sub_title":"S&P 500 closes up 0.02%+","no_sub_title":"S&P 500 closes up <0.02%","rules_primary":"The S&P 500 index level at 4:00 PM ET...","rules_secondary":"","can_close_early":true,"event_ticker":"INXD-23SEP14","expected_expiration_ts":1694721600,"strike_type":"greater","floor_strike":4487}}}"#,
    // event_lifecycle (AsyncAPI)
    r#"{"type":"event_lifecycle","sid":5,"msg":{"event_ticker":"KXQUICKSETTLE-26JAN25H2150","title":"What will 1+1 equal on Jan 25 at 21:50?","subtitle":"Jan 25 at 21:50","collateral_return_type":"MECNET","series_ticker":"KXQUICKSETTLE"}}"#,
    // market_position (AsyncAPI)
    r#"{"type":"market_position","sid":14,"msg":{"user_id":"user123","market_ticker":"FED-23DEC-T3.00","position":100,"position_fp":"100.00","position_cost":500000,"realized_pnl":100000,"fees_paid":10000,"position_fee_cost":5000,"volume":15,"volume_fp":"15.00"}}"#,
    // order_group_updates (AsyncAPI and docs/websockets/order-group-updates.md)
    r#"{"type":"order_group_updates","sid":21,"seq":7,"msg":{"event_type":"limit_updated","order_group_id":"og_123","contracts_limit_fp":"150.00"}}"#,
    // user_order (AsyncAPI)
    r#"{"type":"user_order","sid":22,"msg":{"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","user_id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","ticker":"FED-23DEC-T3.00","status":"resting","side":"yes","is_yes":true,"yes_price_dollars":"0.3500","fill_count_fp":"0.00","remaining_count_fp":"10.00","initial_count_fp":"10.00","taker_fill_cost_dollars":"0.0000","maker_fill_cost_dollars":"0.0000","client_order_id":"my-order-1","order_group_id":"og_123","self_trade_prevention_type":"taker_at_cross","created_time":"2024-12-01T10:00:00Z","expiration_time":"2024-12-01T11:00:00Z","subaccount_number":0}}"#,
    // user_order (docs/websockets/user-orders.md)
    r#"{"type":"user_order","sid":22,"msg":{"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","user_id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","ticker":"FED-23DEC-T3.00","status":"resting","side":"yes","is_yes":true,"yes_price_dollars":"0.3500","fill_count_fp":"0.00","remaining_count_fp":"10.00","initial_count_fp":"10.00","taker_fill_cost_dollars":"0.0000","maker_fill_cost_dollars":"0.0000","client_order_id":"my-order-1","order_group_id":"og_123","self_trade_prevention_type":"taker_at_cross","created_time":"2024-12-01T10:00:00Z","created_ts_ms":1733047200000,"expiration_time":"2024-12-01T11:00:00Z","expiration_ts_ms":1733050800000,"subaccount_number":0}}"#,
    // rfq_created (AsyncAPI)
    r#"{"type":"rfq_created","sid":15,"msg":{"id":"rfq_123","creator_id":"","market_ticker":"FED-23DEC-T3.00","event_ticker":"FED-23DEC","contracts":100,"contracts_fp":"100.00","target_cost":3500,"target_cost_dollars":"0.35","created_ts":"2024-12-01T10:00:00Z"}}"#,
    // rfq_deleted (AsyncAPI)
    r#"{"type":"rfq_deleted","sid":15,"msg":{"id":"rfq_123","creator_id":"comm_abc123","market_ticker":"FED-23DEC-T3.00","event_ticker":"FED-23DEC","contracts":100,"contracts_fp":"100.00","target_cost":3500,"target_cost_dollars":"0.35","deleted_ts":"2024-12-01T10:05:00Z"}}"#,
    // quote_created (AsyncAPI)
    r#"{"type":"quote_created","sid":15,"msg":{"quote_id":"quote_456","rfq_id":"rfq_123","quote_creator_id":"comm_def456","market_ticker":"FED-23DEC-T3.00","event_ticker":"FED-23DEC","yes_bid":35,"no_bid":65,"yes_bid_dollars":"0.35","no_bid_dollars":"0.65","yes_contracts_offered":100,"no_contracts_offered":200,"yes_contracts_offered_fp":"100.00","no_contracts_offered_fp":"200.00","rfq_target_cost":3500,"rfq_target_cost_dollars":"0.35","created_ts":"2024-12-01T10:02:00Z"}}"#,
    // quote_accepted (AsyncAPI)
    r#"{"type":"quote_accepted","sid":15,"msg":{"quote_id":"quote_456","rfq_id":"rfq_123","quote_creator_id":"comm_def456","market_ticker":"FED-23DEC-T3.00","event_ticker":"FED-23DEC","yes_bid":35,"no_bid":65,"yes_bid_dollars":"0.35","no_bid_dollars":"0.65","accepted_side":"yes","contracts_accepted":50,"contracts_accepted_fp":"50.00","yes_contracts_offered":100,"no_contracts_offered":200,"yes_contracts_offered_fp":"100.00","no_contracts_offered_fp":"200.00","rfq_target_cost":3500,"rfq_target_cost_dollars":"0.35"}}"#,
    // quote_executed (AsyncAPI)
    r#"{"type":"quote_executed","sid":15,"msg":{"quote_id":"quote_456","rfq_id":"rfq_123","quote_creator_id":"a1b2c3d4e5f6...","rfq_creator_id":"f6e5d4c3b2a1...","order_id":"order_789","client_order_id":"my_client_order_123","market_ticker":"FED-23DEC-T3.00","executed_ts":"2024-12-01T10:05:00Z"}}"#,
];

#[test]
fn every_spec_example_parses_to_its_variant_and_back() {
    let kinds: Vec<String> = SPEC_FRAMES
        .iter()
        .map(|f| ok(f).kind().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "ticker",
            "trade",
            "fill",
            "fill",
            "market_lifecycle_v2",
            "event_lifecycle",
            "market_position",
            "order_group_updates",
            "user_order",
            "user_order",
            "rfq_created",
            "rfq_deleted",
            "quote_created",
            "quote_accepted",
            "quote_executed"
        ]
    );
    for frame in SPEC_FRAMES {
        let m = ok(frame);
        let v: serde_json::Value = serde_json::from_str(frame).unwrap();
        assert_eq!(m.kind(), v["type"].as_str().unwrap(), "{frame}");
        assert_eq!(m.sid(), v["sid"].as_u64(), "{frame}");
        assert_eq!(m.seq(), v["seq"].as_u64(), "{frame}");
        assert_eq!(m.command_id(), None);
        assert_eq!(ok(&m.to_json()), m, "{frame}");
    }
}

#[test]
fn ticker_trade_and_fill_fields() {
    let StreamMessage::Ticker(t) = ok(SPEC_FRAMES[0]) else {
        panic!()
    };
    assert_eq!((t.sid, t.seq), (11, None));
    let t = t.msg;
    assert_eq!(t.market_ticker, "FED-23DEC-T3.00");
    assert_eq!(
        t.market_id.as_deref(),
        Some("9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1")
    );
    assert_eq!(
        (t.price_dollars, t.yes_bid_dollars, t.yes_ask_dollars),
        (dollars("0.48"), dollars("0.45"), dollars("0.53"))
    );
    assert_eq!(
        (t.volume_fp, t.open_interest_fp),
        (count("33896"), count("20422"))
    );
    assert_eq!(
        (t.price, t.yes_bid, t.yes_ask),
        (Some(48), Some(45), Some(53))
    );
    assert_eq!((t.volume, t.open_interest), (Some(33896), Some(20422)));
    assert_eq!(
        (t.dollar_volume, t.dollar_open_interest),
        (Some(16948), Some(10211))
    );
    assert_eq!(t.ts, Some(1_669_149_841));
    assert_eq!(t.time, Some(ts("2022-11-22T20:44:01Z")));
    assert_eq!(
        (
            t.ts_ms,
            t.yes_bid_size_fp,
            t.yes_ask_size_fp,
            t.last_trade_size_fp
        ),
        (None, None, None, None)
    );

    let StreamMessage::Trade(t) = ok(SPEC_FRAMES[1]) else {
        panic!()
    };
    let t = t.msg;
    assert_eq!(t.trade_id, "d91bc706-ee49-470d-82d8-11418bda6fed");
    assert_eq!(t.market_ticker, "HIGHNY-22DEC23-B53.5");
    assert_eq!(
        (t.yes_price_dollars, t.no_price_dollars, t.count_fp),
        (dollars("0.36"), dollars("0.64"), count("136"))
    );
    assert_eq!(t.taker_side, Some(OutcomeSide::No));
    assert_eq!(
        (t.yes_price, t.no_price, t.count),
        (Some(36), Some(64), Some(136))
    );
    assert_eq!(
        (t.ts, t.ts_ms, t.is_block_trade),
        (Some(1_669_149_841), None, None)
    );

    let StreamMessage::Fill(f) = ok(SPEC_FRAMES[2]) else {
        panic!()
    };
    let f = f.msg;
    assert_eq!(f.order_id, "ee587a1c-8b87-4dcf-b721-9f6f790619fa");
    assert!(f.is_taker);
    assert_eq!(f.side, Some(OutcomeSide::Yes));
    assert_eq!(f.action, Some(crate::enums::Action::Buy));
    assert_eq!(
        (f.yes_price_dollars, f.count_fp, f.post_position_fp),
        (dollars("0.75"), count("278"), count("500"))
    );
    assert_eq!(
        (f.yes_price, f.count, f.post_position),
        (Some(75), Some(278), Some(500))
    );
    assert_eq!(f.purchased_side, Some(OutcomeSide::Yes));
    assert_eq!((f.subaccount, f.ts), (Some(3), Some(1_671_899_397)));
    assert_eq!((f.exchange_index, f.fee_cost, f.ts_ms), (None, None, None));

    // The newer docs' example: exchange_index and ts_ms, no legacy integers.
    let StreamMessage::Fill(f) = ok(SPEC_FRAMES[3]) else {
        panic!()
    };
    let f = f.msg;
    assert_eq!(f.exchange_index, Some(crate::ExchangeIndex::shard(2)));
    assert_eq!(f.ts_ms, Some(1_671_899_397_000));
    assert_eq!((f.yes_price, f.count, f.post_position), (None, None, None));
    assert_eq!(f.count_fp, count("278"));
}

#[test]
fn later_fields_from_the_changelog() {
    // ticker: L1 sizes and ts_ms; the legacy integers gone.
    let StreamMessage::Ticker(t) = ok(
        r#"{"type":"ticker","sid":3,"msg":{"market_ticker":"KXBTCD-25AUG0517-T114999.99","market_id":"1f0e","price_dollars":"0.4800","yes_bid_dollars":"0.4700","yes_ask_dollars":"0.4900","yes_bid_size_fp":"120.50","yes_ask_size_fp":"30.00","last_trade_size_fp":"2.25","volume_fp":"1000.00","open_interest_fp":"800.00","ts":1776254400,"ts_ms":1776254400123,"time":"2026-04-15T12:00:00.123456Z"}}"#,
    ) else {
        panic!()
    };
    let t = t.msg;
    assert_eq!(t.yes_bid_size_fp, Some(count("120.50")));
    assert_eq!(t.last_trade_size_fp, Some(count("2.25")));
    assert_eq!(t.ts_ms, Some(1_776_254_400_123));
    assert_eq!(t.time.unwrap().subsec_microsecond(), 123_456);
    assert_eq!((t.price, t.volume, t.dollar_volume), (None, None, None));

    // trade: taker_outcome_side / taker_book_side, is_block_trade, ts_ms.
    let StreamMessage::Trade(t) = ok(
        r#"{"type":"trade","sid":4,"msg":{"trade_id":"t-1","market_ticker":"M-1","yes_price_dollars":"0.3600","no_price_dollars":"0.6400","count_fp":"1.50","taker_side":"no","taker_outcome_side":"no","taker_book_side":"ask","is_block_trade":true,"ts":1776254400,"ts_ms":1776254400000}}"#,
    ) else {
        panic!()
    };
    assert_eq!(
        (t.msg.taker_outcome_side, t.msg.taker_book_side),
        (Some(OutcomeSide::No), Some(BookSide::Ask))
    );
    assert_eq!(t.msg.is_block_trade, Some(true));
    assert_eq!(t.msg.count_fp, count("1.50"));

    // fill: fee_cost, outcome_side / book_side, client_order_id.
    let StreamMessage::Fill(f) = ok(
        r#"{"type":"fill","sid":13,"msg":{"trade_id":"t-2","order_id":"o-2","market_ticker":"M-1","exchange_index":0,"is_taker":false,"side":"no","yes_price_dollars":"0.4100","count_fp":"10.00","fee_cost":"0.0700","action":"sell","ts":1776254400,"ts_ms":1776254400001,"client_order_id":"c-2","post_position_fp":"-10.00","purchased_side":"yes","outcome_side":"yes","book_side":"bid"}}"#,
    ) else {
        panic!()
    };
    let f = f.msg;
    assert_eq!(f.fee_cost, Some(dollars("0.07")));
    assert_eq!(
        (f.outcome_side, f.book_side),
        (Some(OutcomeSide::Yes), Some(BookSide::Bid))
    );
    assert_eq!(f.client_order_id.as_deref(), Some("c-2"));
    assert_eq!(f.post_position_fp, count("-10"));
    assert_eq!(f.exchange_index, Some(crate::ExchangeIndex::shard(0)));
    assert_eq!(f.subaccount, None);

    // market_position: the `_dollars` money fields.
    let StreamMessage::MarketPosition(p) = ok(
        r#"{"type":"market_position","sid":14,"msg":{"user_id":"u-1","market_ticker":"M-1","position_fp":"-5.00","position_cost_dollars":"2.5000","realized_pnl_dollars":"-0.4000","fees_paid_dollars":"0.0700","position_fee_cost_dollars":"0.0100","volume_fp":"7.00","subaccount":2}}"#,
    ) else {
        panic!()
    };
    let p = p.msg;
    assert_eq!(p.position_fp, count("-5"));
    assert_eq!(p.position_cost_dollars, Some(dollars("2.5")));
    assert_eq!(p.realized_pnl_dollars, Some(dollars("-0.4")));
    assert_eq!(p.fees_paid_dollars, Some(dollars("0.07")));
    assert_eq!(p.position_fee_cost_dollars, Some(dollars("0.01")));
    assert_eq!(
        (p.subaccount, p.position, p.position_cost),
        (Some(2), None, None)
    );

    // order_group_updates: ts_ms.
    let StreamMessage::OrderGroupUpdates(g) = ok(
        r#"{"type":"order_group_updates","sid":21,"seq":8,"msg":{"event_type":"triggered","order_group_id":"og_123","ts_ms":1777900000000}}"#,
    ) else {
        panic!()
    };
    assert_eq!((g.sid, g.seq), (21, Some(8)));
    assert_eq!(g.msg.event_type, OrderGroupEventType::Triggered);
    assert_eq!(
        (g.msg.contracts_limit_fp, g.msg.ts_ms),
        (None, Some(1_777_900_000_000))
    );

    // user_order: outcome_side / book_side, fees, the _ts_ms times, last update.
    let StreamMessage::UserOrder(o) = ok(
        r#"{"type":"user_order","sid":22,"msg":{"order_id":"o-3","user_id":"u-1","ticker":"M-1","status":"executed","side":"no","is_yes":false,"outcome_side":"no","book_side":"ask","yes_price_dollars":"0.6100","fill_count_fp":"3.00","remaining_count_fp":"0.00","initial_count_fp":"3.00","taker_fill_cost_dollars":"1.1700","maker_fill_cost_dollars":"0.0000","taker_fees_dollars":"0.0300","maker_fees_dollars":"0.0000","client_order_id":"c-3","created_time":"2026-04-15T12:00:00Z","created_ts_ms":1776254400000,"last_update_time":"2026-04-15T12:00:01Z","last_updated_ts_ms":1776254401000,"subaccount_number":5}}"#,
    ) else {
        panic!()
    };
    let o = o.msg;
    assert_eq!(o.status, crate::enums::OrderStatus::Executed);
    assert_eq!(
        (o.outcome_side, o.book_side),
        (Some(OutcomeSide::No), Some(BookSide::Ask))
    );
    assert_eq!(o.taker_fees_dollars, Some(dollars("0.03")));
    assert_eq!(o.last_update_time, Some(ts("2026-04-15T12:00:01Z")));
    assert_eq!(o.last_updated_ts_ms, Some(1_776_254_401_000));
    assert_eq!((o.expiration_time, o.expiration_ts_ms), (None, None));
    assert_eq!(
        (o.order_group_id, o.self_trade_prevention_type),
        (None, None)
    );
    assert_eq!(o.subaccount_number, Some(5));
}

#[test]
fn lifecycle_messages() {
    let StreamMessage::MarketLifecycleV2(m) = ok(SPEC_FRAMES[4]) else {
        panic!()
    };
    assert_eq!((m.sid, m.seq), (13, None));
    let m = m.msg;
    assert_eq!(m.event_type, MarketLifecycleEventType::Created);
    assert_eq!(m.market_ticker, "INXD-23SEP14-B4487");
    assert_eq!(
        (m.open_ts, m.close_ts),
        (Some(1_694_635_200), Some(1_694_721_600))
    );
    let md = m.additional_metadata.unwrap();
    assert_eq!(md.name.as_deref(), Some("S&P 500 daily return on Sep 14"));
    assert_eq!(md.rules_secondary.as_deref(), Some(""));
    assert_eq!(md.can_close_early, Some(true));
    assert_eq!(md.event_ticker.as_deref(), Some("INXD-23SEP14"));
    assert_eq!(md.expected_expiration_ts, Some(1_694_721_600));
    assert_eq!(md.strike_type, Some(crate::market::StrikeType::Greater));
    assert_eq!(md.floor_strike.unwrap().as_i64(), Some(4487));
    assert_eq!((md.cap_strike, md.custom_strike), (None, None));
    assert_eq!(
        (m.result, m.settled_ts, m.exchange_index),
        (None, None, None)
    );
    assert!(m.price_ranges.is_empty());

    let StreamMessage::EventLifecycle(e) = ok(SPEC_FRAMES[5]) else {
        panic!()
    };
    let e = e.msg;
    assert_eq!(e.event_ticker, "KXQUICKSETTLE-26JAN25H2150");
    assert_eq!(e.title, "What will 1+1 equal on Jan 25 at 21:50?");
    assert_eq!(e.subtitle, "Jan 25 at 21:50");
    assert_eq!(e.collateral_return_type, CollateralReturnType::Mecnet);
    assert_eq!(e.series_ticker, "KXQUICKSETTLE");
    assert_eq!(
        (e.strike_date, e.strike_period, e.exchange_index),
        (None, None, None)
    );

    // Later events: determined with settlement_value, price_level_structure_updated with
    // price_ranges, metadata_updated with strikes, created with exchange_index; the same
    // payload on the multivariate channel; an event on a shard, with no collateral scheme.
    let StreamMessage::MarketLifecycleV2(d) = ok(
        r#"{"type":"market_lifecycle_v2","sid":5,"msg":{"event_type":"determined","market_ticker":"M-1","result":"yes","determination_ts":1776254400,"settlement_value":"1.0000"}}"#,
    ) else {
        panic!()
    };
    assert_eq!(d.msg.result, Some(crate::market::MarketResult::Yes));
    assert_eq!(d.msg.settlement_value, Some(dollars("1")));
    assert_eq!(d.msg.determination_ts, Some(1_776_254_400));

    let StreamMessage::MarketLifecycleV2(p) = ok(
        r#"{"type":"market_lifecycle_v2","sid":5,"msg":{"event_type":"price_level_structure_updated","market_ticker":"M-1","price_level_structure":"tapered_deci_cent","price_ranges":[{"start":"0.0000","end":"0.1000","step":"0.0010"},{"start":"0.1000","end":"0.9000","step":"0.0100"}]}}"#,
    ) else {
        panic!()
    };
    assert_eq!(
        p.msg.event_type,
        MarketLifecycleEventType::PriceLevelStructureUpdated
    );
    assert_eq!(
        p.msg.price_level_structure.as_deref(),
        Some("tapered_deci_cent")
    );
    assert_eq!(p.msg.price_ranges.len(), 2);
    assert_eq!(p.msg.price_ranges[1].step_dollars(), Some(dollars("0.01")));

    let StreamMessage::MarketLifecycleV2(u) = ok(
        r#"{"type":"market_lifecycle_v2","sid":5,"msg":{"event_type":"metadata_updated","market_ticker":"M-1","yes_sub_title":"Above 4,500","strike_type":"between","floor_strike":4500,"cap_strike":4599.99,"is_deactivated":false}}"#,
    ) else {
        panic!()
    };
    assert_eq!(u.msg.event_type, MarketLifecycleEventType::MetadataUpdated);
    assert_eq!(u.msg.yes_sub_title.as_deref(), Some("Above 4,500"));
    assert_eq!(u.msg.strike_type, Some(crate::market::StrikeType::Between));
    assert_eq!(u.msg.cap_strike.unwrap().to_string(), "4599.99");
    assert_eq!(u.msg.is_deactivated, Some(false));

    let m = ok(
        r#"{"type":"multivariate_market_lifecycle","sid":6,"msg":{"event_type":"created","market_ticker":"KXMVECROSSCATEGORY-26APR15-ABC","exchange_index":1,"open_ts":1776254400,"close_ts":1776340800,"price_level_structure":"center_deci_edge_centi_cent","price_ranges":[{"start":"0.0000","end":"1.0000","step":"0.0010"}],"fractional_trading_enabled":true}}"#,
    );
    assert_eq!(m.kind(), "multivariate_market_lifecycle");
    let StreamMessage::MultivariateMarketLifecycle(m) = m else {
        panic!()
    };
    assert_eq!(m.msg.exchange_index, Some(crate::ExchangeIndex::shard(1)));
    assert_eq!(m.msg.fractional_trading_enabled, Some(true));
    assert_eq!(m.msg.price_ranges.len(), 1);

    let StreamMessage::EventLifecycle(e) = ok(
        r#"{"type":"event_lifecycle","sid":6,"msg":{"event_ticker":"E-1","title":"T","subtitle":"","collateral_return_type":"","series_ticker":"S","strike_date":1776340800,"strike_period":"daily","exchange_index":3}}"#,
    ) else {
        panic!()
    };
    assert_eq!(e.msg.collateral_return_type, CollateralReturnType::NoScheme);
    assert_eq!(e.msg.strike_date, Some(1_776_340_800));
    assert_eq!(e.msg.strike_period.as_deref(), Some("daily"));
    assert_eq!(e.msg.exchange_index, Some(crate::ExchangeIndex::shard(3)));
}

#[test]
fn position_order_group_and_user_order_fields() {
    let StreamMessage::MarketPosition(p) = ok(SPEC_FRAMES[6]) else {
        panic!()
    };
    assert_eq!(p.sid, 14);
    let p = p.msg;
    assert_eq!(
        (p.user_id.as_str(), p.market_ticker.as_str()),
        ("user123", "FED-23DEC-T3.00")
    );
    assert_eq!((p.position_fp, p.volume_fp), (count("100"), count("15")));
    assert_eq!((p.position, p.volume), (Some(100), Some(15)));
    assert_eq!(
        (
            p.position_cost,
            p.realized_pnl,
            p.fees_paid,
            p.position_fee_cost
        ),
        (Some(500_000), Some(100_000), Some(10_000), Some(5_000))
    );
    assert_eq!((p.position_cost_dollars, p.subaccount), (None, None));

    let StreamMessage::OrderGroupUpdates(g) = ok(SPEC_FRAMES[7]) else {
        panic!()
    };
    assert_eq!((g.sid, g.seq), (21, Some(7)));
    assert_eq!(g.msg.event_type, OrderGroupEventType::LimitUpdated);
    assert_eq!(g.msg.order_group_id, "og_123");
    assert_eq!(g.msg.contracts_limit_fp, Some(count("150")));
    assert_eq!(g.msg.ts_ms, None);

    for (i, frame) in [SPEC_FRAMES[8], SPEC_FRAMES[9]].into_iter().enumerate() {
        let StreamMessage::UserOrder(o) = ok(frame) else {
            panic!()
        };
        assert_eq!(o.sid, 22);
        let o = o.msg;
        assert_eq!(o.order_id, "ee587a1c-8b87-4dcf-b721-9f6f790619fa");
        assert_eq!(o.user_id, "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
        assert_eq!(o.ticker, "FED-23DEC-T3.00");
        assert_eq!(o.status, crate::enums::OrderStatus::Resting);
        assert_eq!((o.side, o.is_yes), (Some(OutcomeSide::Yes), Some(true)));
        assert_eq!(o.yes_price_dollars, dollars("0.35"));
        assert_eq!(
            (o.fill_count_fp, o.remaining_count_fp, o.initial_count_fp),
            (count("0"), count("10"), count("10"))
        );
        assert_eq!(
            (o.taker_fill_cost_dollars, o.maker_fill_cost_dollars),
            (dollars("0"), dollars("0"))
        );
        assert_eq!((o.taker_fees_dollars, o.maker_fees_dollars), (None, None));
        assert_eq!(o.client_order_id, "my-order-1");
        assert_eq!(o.order_group_id.as_deref(), Some("og_123"));
        assert_eq!(
            o.self_trade_prevention_type,
            Some(crate::enums::SelfTradePreventionType::TakerAtCross)
        );
        assert_eq!(o.created_time, Some(ts("2024-12-01T10:00:00Z")));
        assert_eq!(o.expiration_time, Some(ts("2024-12-01T11:00:00Z")));
        assert_eq!(o.subaccount_number, Some(0));
        assert_eq!(
            (o.outcome_side, o.book_side, o.last_update_time),
            (None, None, None)
        );
        let millis = (i == 1).then_some((1_733_047_200_000, 1_733_050_800_000));
        assert_eq!(
            millis,
            o.created_ts_ms.zip(o.expiration_ts_ms),
            "the docs' example has the _ts_ms fields"
        );
        assert_eq!(
            o.created_ts_ms
                .map(|ms| jiff::Timestamp::from_millisecond(ms).unwrap()),
            millis.map(|_| ts("2024-12-01T10:00:00Z"))
        );
    }
}

#[test]
fn communications_messages() {
    let StreamMessage::RfqCreated(r) = ok(SPEC_FRAMES[10]) else {
        panic!()
    };
    assert_eq!(r.sid, 15);
    let r = r.msg;
    assert_eq!((r.id.as_str(), r.creator_id.as_str()), ("rfq_123", ""));
    assert_eq!(r.market_ticker, "FED-23DEC-T3.00");
    assert_eq!(r.event_ticker.as_deref(), Some("FED-23DEC"));
    assert_eq!(
        (r.contracts, r.contracts_fp),
        (Some(100), Some(count("100")))
    );
    assert_eq!(
        (r.target_cost, r.target_cost_dollars),
        (Some(3500), Some(dollars("0.35")))
    );
    assert_eq!(r.created_ts, ts("2024-12-01T10:00:00Z"));
    assert!(r.mve_selected_legs.is_empty() && r.mve_collection_ticker.is_none());

    let StreamMessage::RfqDeleted(r) = ok(SPEC_FRAMES[11]) else {
        panic!()
    };
    let r = r.msg;
    assert_eq!(
        (r.id.as_str(), r.creator_id.as_str()),
        ("rfq_123", "comm_abc123")
    );
    assert_eq!(r.contracts_fp, Some(count("100")));
    assert_eq!(r.target_cost_dollars, Some(dollars("0.35")));
    assert_eq!(r.deleted_ts, ts("2024-12-01T10:05:00Z"));

    let StreamMessage::QuoteCreated(q) = ok(SPEC_FRAMES[12]) else {
        panic!()
    };
    let q = q.msg;
    assert_eq!(
        (
            q.quote_id.as_str(),
            q.rfq_id.as_str(),
            q.quote_creator_id.as_str()
        ),
        ("quote_456", "rfq_123", "comm_def456")
    );
    assert_eq!(
        (q.yes_bid_dollars, q.no_bid_dollars),
        (dollars("0.35"), dollars("0.65"))
    );
    assert_eq!((q.yes_bid, q.no_bid), (Some(35), Some(65)));
    assert_eq!(
        (q.yes_contracts_offered_fp, q.no_contracts_offered_fp),
        (Some(count("100")), Some(count("200")))
    );
    assert_eq!(
        (q.yes_contracts_offered, q.no_contracts_offered),
        (Some(100), Some(200))
    );
    assert_eq!(
        (q.rfq_target_cost, q.rfq_target_cost_dollars),
        (Some(3500), Some(dollars("0.35")))
    );
    assert_eq!(q.created_ts, ts("2024-12-01T10:02:00Z"));
    assert_eq!(q.subaccount, None);

    let StreamMessage::QuoteAccepted(q) = ok(SPEC_FRAMES[13]) else {
        panic!()
    };
    let q = q.msg;
    assert_eq!(q.accepted_side, Some(OutcomeSide::Yes));
    assert_eq!(
        (q.contracts_accepted, q.contracts_accepted_fp),
        (Some(50), Some(count("50")))
    );
    assert_eq!(q.no_contracts_offered_fp, Some(count("200")));
    assert_eq!(q.event_ticker.as_deref(), Some("FED-23DEC"));

    let StreamMessage::QuoteExecuted(q) = ok(SPEC_FRAMES[14]) else {
        panic!()
    };
    let q = q.msg;
    assert_eq!(q.rfq_creator_id, "f6e5d4c3b2a1...");
    assert_eq!(
        (q.order_id.as_str(), q.client_order_id.as_str()),
        ("order_789", "my_client_order_123")
    );
    assert_eq!(q.executed_ts, ts("2024-12-01T10:05:00Z"));
    assert_eq!(q.subaccount, None);

    // Later: subaccount on the quote messages; a combo RFQ with its legs.
    let StreamMessage::QuoteExecuted(q) = ok(
        r#"{"type":"quote_executed","sid":15,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"a","rfq_creator_id":"b","order_id":"o","client_order_id":"c","market_ticker":"M","executed_ts":"2026-03-26T10:05:00.5Z","subaccount":4}}"#,
    ) else {
        panic!()
    };
    assert_eq!(q.msg.subaccount, Some(4));
    let StreamMessage::RfqCreated(r) = ok(
        r#"{"type":"rfq_created","sid":15,"msg":{"id":"r","creator_id":"","market_ticker":"KXMVE-1","contracts_fp":"10.00","created_ts":"2026-03-26T10:00:00Z","mve_collection_ticker":"KXMVECOLL","mve_selected_legs":[{"event_ticker":"E-1","market_ticker":"E-1-A","side":"yes","yes_settlement_value_dollars":"1.0000"}]}}"#,
    ) else {
        panic!()
    };
    assert_eq!(r.msg.mve_collection_ticker.as_deref(), Some("KXMVECOLL"));
    assert_eq!(r.msg.mve_selected_legs.len(), 1);
    assert_eq!(
        r.msg.mve_selected_legs[0].yes_settlement_value_dollars,
        Some(dollars("1"))
    );
}

#[test]
fn the_removed_multivariate_lookup_and_unknown_lifecycle_events() {
    // `multivariate_lookup` (channel `multivariate`) was removed in August 2026: not typed.
    let m = ok(
        r#"{"type":"multivariate_lookup","sid":13,"msg":{"collection_ticker":"KXOSCARWINNERS-25","event_ticker":"KXOSCARWINNERS-25C0CE5","market_ticker":"KXOSCARWINNERS-25C0CE5-36353","selected_markets":[]}}"#,
    );
    assert!(matches!(m, StreamMessage::Unknown { .. }), "{m:?}");
    assert_eq!((m.kind(), m.sid()), ("multivariate_lookup", Some(13)));
    // A lifecycle event type this client does not know (e.g. the removed
    // `fractional_trading_updated`), and unknown enum values elsewhere, are kept.
    let StreamMessage::MarketLifecycleV2(l) = ok(
        r#"{"type":"market_lifecycle_v2","sid":5,"msg":{"event_type":"fractional_trading_updated","market_ticker":"M","fractional_trading_enabled":true,"result":"void","strike_type":"weird"}}"#,
    ) else {
        panic!()
    };
    assert_eq!(
        l.msg.event_type,
        MarketLifecycleEventType::Unknown("fractional_trading_updated".into())
    );
    assert_eq!(
        l.msg.result,
        Some(crate::market::MarketResult::Unknown("void".into()))
    );
}

/// Every known data type with unknown fields everywhere and unknown values in each enum field.
#[test]
fn unknown_fields_and_enum_values_in_every_type() {
    let frames = [
        r#"{"type":"trade","sid":1,"new":1,"msg":{"trade_id":"t","market_ticker":"M","yes_price_dollars":"0.5","no_price_dollars":"0.5","count_fp":"1","taker_side":"maybe","taker_outcome_side":"perhaps","taker_book_side":"mid","later":{"a":[1]}}}"#,
        r#"{"type":"fill","sid":1,"msg":{"trade_id":"t","order_id":"o","market_ticker":"M","is_taker":true,"yes_price_dollars":"0.5","count_fp":"1","post_position_fp":"1","side":"x","action":"hold","purchased_side":"y","outcome_side":"z","book_side":"w","later":null}}"#,
        r#"{"type":"order_group_updates","sid":1,"seq":1,"msg":{"event_type":"paused","order_group_id":"g","later":"x"}}"#,
        r#"{"type":"user_order","sid":1,"msg":{"order_id":"o","user_id":"u","ticker":"M","status":"pending","side":"x","yes_price_dollars":"0.5","fill_count_fp":"0","remaining_count_fp":"1","initial_count_fp":"1","taker_fill_cost_dollars":"0","maker_fill_cost_dollars":"0","client_order_id":"c","self_trade_prevention_type":"other","book_side":"mid","later":[]}}"#,
        r#"{"type":"event_lifecycle","sid":1,"msg":{"event_ticker":"E","title":"T","subtitle":"S","collateral_return_type":"NEWNET","series_ticker":"S","later":{}}}"#,
        r#"{"type":"quote_accepted","sid":1,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"c","market_ticker":"M","yes_bid_dollars":"0.1","no_bid_dollars":"0.9","accepted_side":"both","later":1.5}}"#,
        r#"{"type":"market_position","sid":1,"msg":{"user_id":"u","market_ticker":"M","position_fp":"0","volume_fp":"0","later":true}}"#,
        r#"{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price_dollars":"0.5","yes_bid_dollars":"0.4","yes_ask_dollars":"0.6","volume_fp":"0","open_interest_fp":"0","later":"x"}}"#,
        r#"{"type":"rfq_deleted","sid":1,"msg":{"id":"r","creator_id":"c","market_ticker":"M","deleted_ts":"2026-01-01T00:00:00Z","later":0}}"#,
        r#"{"type":"quote_created","sid":1,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"c","market_ticker":"M","yes_bid_dollars":"0.1","no_bid_dollars":"0.9","created_ts":"2026-01-01T00:00:00Z","later":0}}"#,
        r#"{"type":"quote_executed","sid":1,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"c","rfq_creator_id":"d","order_id":"o","client_order_id":"c","market_ticker":"M","executed_ts":"2026-01-01T00:00:00Z","later":0}}"#,
        r#"{"type":"rfq_created","sid":1,"msg":{"id":"r","creator_id":"","market_ticker":"M","created_ts":"2026-01-01T00:00:00Z","mve_selected_legs":null,"later":0}}"#,
    ];
    for frame in frames {
        let m = ok(frame);
        assert!(!matches!(m, StreamMessage::Unknown { .. }), "{frame}");
        assert_eq!(ok(&m.to_json()), m, "{frame}");
    }
    let StreamMessage::Trade(t) = ok(frames[0]) else {
        panic!()
    };
    assert_eq!(t.msg.taker_book_side, Some(BookSide::Unknown("mid".into())));
    let StreamMessage::OrderGroupUpdates(g) = ok(frames[2]) else {
        panic!()
    };
    assert_eq!(
        g.msg.event_type,
        OrderGroupEventType::Unknown("paused".into())
    );
    let StreamMessage::UserOrder(o) = ok(frames[3]) else {
        panic!()
    };
    assert_eq!(
        o.msg.status,
        crate::enums::OrderStatus::Unknown("pending".into())
    );
    let StreamMessage::EventLifecycle(e) = ok(frames[4]) else {
        panic!()
    };
    assert_eq!(
        e.msg.collateral_return_type,
        CollateralReturnType::Unknown("NEWNET".into())
    );
}

/// A known type whose payload lacks a required field, has a field of the wrong type, or has no
/// `sid` or `msg`, is a typed error keeping the frame.
#[test]
fn malformed_payloads_of_every_known_type() {
    let mut frames: Vec<String> = Vec::new();
    for frame in SPEC_FRAMES {
        let v: serde_json::Value = serde_json::from_str(frame).unwrap();
        let kind = v["type"].as_str().unwrap();
        // No `sid`, no `msg`, `msg` not an object.
        frames.push(format!(r#"{{"type":"{kind}","msg":{}}}"#, v["msg"]));
        frames.push(format!(r#"{{"type":"{kind}","sid":1}}"#));
        frames.push(format!(r#"{{"type":"{kind}","sid":1,"msg":[1]}}"#));
        frames.push(format!(r#"{{"type":"{kind}","sid":1,"msg":"x"}}"#));
        // Each field removed in turn where the type requires it, and each field's value
        // replaced by one of a wrong type.
        let msg = v["msg"].as_object().unwrap();
        for key in msg.keys() {
            let mut wrong = msg.clone();
            wrong.insert(key.clone(), serde_json::json!([{"not": "this"}]));
            frames.push(format!(
                r#"{{"type":"{kind}","sid":1,"msg":{}}}"#,
                serde_json::Value::Object(wrong)
            ));
        }
    }
    for frame in &frames {
        match parse(frame.as_bytes()) {
            Err(crate::Error::MalformedFrame { frame: kept, .. }) => {
                assert_eq!(kept.bytes(), frame.as_bytes())
            }
            other => panic!("{frame}: {other:?}"),
        }
    }
    // Required fields: removing one is an error; removing an optional one is not.
    let required = [
        (1, "trade_id"),
        (1, "count_fp"),
        (2, "is_taker"),
        (2, "post_position_fp"),
        (4, "event_type"),
        (5, "collateral_return_type"),
        (6, "position_fp"),
        (7, "order_group_id"),
        (8, "status"),
        (8, "client_order_id"),
        (10, "created_ts"),
        (12, "yes_bid_dollars"),
        (14, "rfq_creator_id"),
    ];
    for (i, key) in required {
        let mut v: serde_json::Value = serde_json::from_str(SPEC_FRAMES[i]).unwrap();
        v["msg"].as_object_mut().unwrap().remove(key);
        let frame = v.to_string();
        assert!(
            matches!(
                parse(frame.as_bytes()),
                Err(crate::Error::MalformedFrame { .. })
            ),
            "{frame}"
        );
    }
}

/// Every field the schemas do not require (and the deprecated and legacy ones) may be absent.
#[test]
fn optional_fields_may_be_absent() {
    let minimal = [
        r#"{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price_dollars":"0.5","yes_bid_dollars":"0.4","yes_ask_dollars":"0.6","volume_fp":"0","open_interest_fp":"0"}}"#,
        r#"{"type":"trade","sid":1,"msg":{"trade_id":"t","market_ticker":"M","yes_price_dollars":"0.5","no_price_dollars":"0.5","count_fp":"1"}}"#,
        r#"{"type":"fill","sid":1,"msg":{"trade_id":"t","order_id":"o","market_ticker":"M","is_taker":true,"yes_price_dollars":"0.5","count_fp":"1","post_position_fp":"1"}}"#,
        r#"{"type":"market_position","sid":1,"msg":{"user_id":"u","market_ticker":"M","position_fp":"0","volume_fp":"0"}}"#,
        r#"{"type":"market_lifecycle_v2","sid":1,"msg":{"event_type":"settled","market_ticker":"M"}}"#,
        r#"{"type":"multivariate_market_lifecycle","sid":1,"msg":{"event_type":"settled","market_ticker":"M","additional_metadata":{}}}"#,
        r#"{"type":"event_lifecycle","sid":1,"msg":{"event_ticker":"E","title":"T","subtitle":"S","collateral_return_type":"DIRECNET","series_ticker":"S"}}"#,
        r#"{"type":"rfq_created","sid":1,"msg":{"id":"r","creator_id":"","market_ticker":"M","created_ts":"2026-01-01T00:00:00Z"}}"#,
        r#"{"type":"rfq_deleted","sid":1,"msg":{"id":"r","creator_id":"c","market_ticker":"M","deleted_ts":"2026-01-01T00:00:00Z"}}"#,
        r#"{"type":"quote_created","sid":1,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"c","market_ticker":"M","yes_bid_dollars":"0.1","no_bid_dollars":"0.9","created_ts":"2026-01-01T00:00:00Z"}}"#,
        r#"{"type":"quote_accepted","sid":1,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"c","market_ticker":"M","yes_bid_dollars":"0.1","no_bid_dollars":"0.9"}}"#,
        r#"{"type":"quote_executed","sid":1,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"c","rfq_creator_id":"d","order_id":"o","client_order_id":"c","market_ticker":"M","executed_ts":"2026-01-01T00:00:00Z"}}"#,
        r#"{"type":"order_group_updates","sid":1,"msg":{"event_type":"deleted","order_group_id":"g"}}"#,
        r#"{"type":"user_order","sid":1,"msg":{"order_id":"o","user_id":"u","ticker":"M","status":"canceled","yes_price_dollars":"0.5","fill_count_fp":"0","remaining_count_fp":"0","initial_count_fp":"1","taker_fill_cost_dollars":"0","maker_fill_cost_dollars":"0","client_order_id":"c"}}"#,
    ];
    for frame in minimal {
        let m = ok(frame);
        assert!(!matches!(m, StreamMessage::Unknown { .. }), "{frame}");
        assert_eq!(m.seq(), None);
        assert_eq!(ok(&m.to_json()), m, "{frame}");
        // Absent optional fields written back as `null` read as absent.
        let v: serde_json::Value = serde_json::from_str(&m.to_json()).unwrap();
        assert!(v["msg"].is_object(), "{frame}");
    }
}

#[test]
fn new_error_codes() {
    assert_eq!(ErrorCode::from_code(24), ErrorCode::IndexIdsRequired);
    assert_eq!(
        ErrorCode::from_code(25),
        ErrorCode::SubscriptionBufferOverflow
    );
    assert_eq!(
        ErrorCode::from_code(28),
        ErrorCode::UnderlyingTickersRequired
    );
    assert!(ErrorCode::TooManyRequests.is_transient());
    assert_eq!(ErrorCode::from_code(29), ErrorCode::Other(29));
}

#[test]
fn command_answers_and_unknown_messages_write_back_too() {
    for frame in [
        r#"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}"#,
        r#"{"id":102,"sid":2,"seq":7,"type":"unsubscribed"}"#,
        r#"{"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["MARKET-1"]}}"#,
        r#"{"id":124,"type":"ok"}"#,
        r#"{"id":3,"type":"ok","msg":[{"channel":"ticker","sid":2}]}"#,
        r#"{"id":127,"type":"error","msg":{"code":16,"msg":"Market not found","market_ticker":"INVALID-MARKET"}}"#,
        r#"{"type":"pyth_value","sid":9,"seq":4,"msg":{ "underlying" : "BTC" }}"#,
        r#"{"type":"cfbenchmarks_value","sid":9,"seq":4,"msg":{ "index_id" : "BRTI", "data": "{\"value\":\"1.5\"}", "avg_60s_data": {"value": 1.25e2, "window_size": 59} }}"#,
        r#"{"type":"brand \"new\"","id":5}"#,
    ] {
        let m = ok(frame);
        assert_eq!(ok(&m.to_json()), m, "{frame}");
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// JSON-ish text: a frame's envelope with an arbitrary (often wrong) payload for a known or
    /// unknown type, or arbitrary JSON values.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "[a-z0-9_.:\\-]{0,12}".prop_map(serde_json::Value::from),
            prop_oneof![
                Just("0.5000"),
                Just("10.00"),
                Just("yes"),
                Just("bid"),
                Just("2026-01-01T00:00:00Z")
            ]
            .prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map(field(), inner, 0..8)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "market_ticker",
                "trade_id",
                "order_id",
                "price_dollars",
                "count_fp",
                "side",
                "event_type",
                "ts",
                "ts_ms",
                "time",
                "created_ts",
                "id",
                "creator_id",
                "status",
                "ticker",
                "user_id",
                "is_taker",
                "yes_price_dollars",
                "post_position_fp",
                "order_group_id",
                "collateral_return_type",
                "title",
            ])
            .prop_map(str::to_owned),
            "[a-z_]{1,8}",
        ]
    }

    fn kind() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "subscribed",
                "unsubscribed",
                "ok",
                "error",
                "orderbook_snapshot",
                "orderbook_delta",
                "ticker",
                "trade",
                "fill",
                "market_position",
                "market_lifecycle_v2",
                "multivariate_market_lifecycle",
                "event_lifecycle",
                "rfq_created",
                "rfq_deleted",
                "quote_created",
                "quote_accepted",
                "quote_executed",
                "order_group_updates",
                "user_order",
            ])
            .prop_map(str::to_owned),
            "[a-z_]{0,10}",
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn arbitrary_frames_never_panic_and_agree_with_their_envelope(
            kind in kind(),
            sid in prop::option::of(any::<u64>()),
            seq in prop::option::of(any::<u64>()),
            msg in prop::option::of(json_value()),
        ) {
            let mut frame = serde_json::Map::new();
            frame.insert("type".into(), kind.clone().into());
            if let Some(sid) = sid { frame.insert("sid".into(), sid.into()); }
            if let Some(seq) = seq { frame.insert("seq".into(), seq.into()); }
            if let Some(msg) = msg { frame.insert("msg".into(), msg); }
            let text = serde_json::Value::Object(frame).to_string();
            match parse(text.as_bytes()) {
                Ok(m) => {
                    prop_assert_eq!(m.kind(), kind.as_str());
                    if m.command_id().is_none() && !matches!(m, StreamMessage::ListSubscriptions { .. } | StreamMessage::Error { .. } | StreamMessage::Subscribed { .. }) {
                        prop_assert_eq!(m.sid(), sid);
                        prop_assert_eq!(m.seq(), seq);
                    }
                    prop_assert_eq!(parse(m.to_json().as_bytes()).ok(), Some(m));
                }
                Err(crate::Error::MalformedFrame { frame, .. }) => {
                    prop_assert_eq!(frame.bytes(), text.as_bytes());
                }
                Err(other) => prop_assert!(false, "{other:?}"),
            }
        }

        /// The spec's examples with one field's value replaced by an arbitrary one.
        #[test]
        fn spec_frames_with_a_field_replaced(
            i in 0..SPEC_FRAMES.len(),
            pick in any::<prop::sample::Index>(),
            value in json_value(),
        ) {
            let mut v: serde_json::Value = serde_json::from_str(SPEC_FRAMES[i]).unwrap();
            let msg = v["msg"].as_object_mut().unwrap();
            let key = pick.get(&msg.keys().cloned().collect::<Vec<_>>()).clone();
            msg.insert(key, value);
            let text = v.to_string();
            if let Ok(m) = parse(text.as_bytes()) {
                prop_assert_eq!(m.sid(), v["sid"].as_u64());
                prop_assert_eq!(parse(m.to_json().as_bytes()).ok(), Some(m));
            }
        }
    }
}

#[test]
fn cfbenchmarks_values_keep_their_frames() {
    // Field names from Kalshi's "CF Benchmarks Value Feed" page; the frame and the averages
    // are kept as sent, whatever their shape.
    let m = ok(
        r#"{"type":"cfbenchmarks_value","sid":7,"seq":12,"msg":{"index_id":"BRTI","received_at":1777900000123,"data":"{\"type\":\"value\",\"id\":\"BRTI\",\"value\":\"94012.37\",\"time\":1777900000000}","avg_60s_data":{"value":"94010.02","window_size":59},"last_60s_windowed_average_15min":{"value":"94011.50","count":14}}}"#,
    );
    assert_eq!(
        (m.kind(), m.sid(), m.seq()),
        ("cfbenchmarks_value", Some(7), Some(12))
    );
    let StreamMessage::CfbenchmarksValue(v) = &m else {
        panic!()
    };
    assert_eq!(v.msg.index_id, "BRTI");
    assert_eq!(v.msg.received_at, Some(1_777_900_000_123));
    assert!(
        v.msg
            .data
            .as_ref()
            .unwrap()
            .as_str()
            .unwrap()
            .contains("94012.37")
    );
    assert_eq!(v.msg.avg_60s_data.as_ref().unwrap()["window_size"], 59);
    assert_eq!(
        v.msg.last_60s_windowed_average_15min.as_ref().unwrap()["count"],
        14
    );
    assert_eq!(ok(&m.to_json()), m);
    // Outside the final minute, without the quarter-hour average; the frame as an object.
    let StreamMessage::CfbenchmarksValue(v) = ok(
        r#"{"type":"cfbenchmarks_value","sid":7,"msg":{"index_id":"ETHUSD_RTI","data":{"value":"3120.5"}}}"#,
    ) else {
        panic!()
    };
    assert_eq!(v.msg.last_60s_windowed_average_15min, None);
    assert_eq!(v.msg.data.unwrap()["value"], "3120.5");
    // Without index_id it is malformed.
    assert!(matches!(
        parse(br#"{"type":"cfbenchmarks_value","sid":7,"msg":{"received_at":1}}"#),
        Err(crate::Error::MalformedFrame { .. })
    ));
}
