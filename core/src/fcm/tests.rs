//! Request bytes and response parsing for the FCM operations.

use http::{Method, StatusCode};

use super::*;
use crate::enums::{OrderStatus, OutcomeSide};
use crate::pagination::Pages;
use crate::{
    Client, Credentials, Environment, Error, ExchangeIndex, FixedPointCount, FixedPointDollars,
    Idempotency, Operation, Timestamp,
};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const TS: u64 = 1_703_123_456_789;

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

fn built<O: Operation>(op: &O, method: Method, path_and_query: &str, body: Option<&str>) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path_and_query}")
    );
    match body {
        Some(b) => {
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            assert_eq!(
                req.headers()[http::header::CONTENT_TYPE],
                "application/json"
            );
        }
        None => {
            assert!(req.body().is_empty());
            assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
        }
    }
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

fn dollars(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}

#[test]
fn orders_and_positions_requests() {
    built(
        &GetFCMOrders::new("fcm1_alice"),
        Method::GET,
        "/fcm/orders?subtrader_id=fcm1_alice",
        None,
    );
    built(
        &GetFCMOrders::new("fcm1 alice")
            .cursor("c1")
            .event_ticker("KXHIGHNY-26DEC06")
            .ticker("KXHIGHNY-26DEC06-B45.5")
            .min_ts(1_765_000_000)
            .max_ts(1_765_100_000)
            .status(OrderStatus::Executed)
            .limit(1000),
        Method::GET,
        "/fcm/orders?subtrader_id=fcm1%20alice&cursor=c1&event_ticker=KXHIGHNY-26DEC06&ticker=KXHIGHNY-26DEC06-B45.5&min_ts=1765000000&max_ts=1765100000&status=executed&limit=1000",
        None,
    );
    built(
        &GetFCMPositions::new("fcm1_alice")
            .ticker("KXHIGHNY-26DEC06-B45.5")
            .event_ticker("KXHIGHNY-26DEC06")
            .count_filter("position,total_traded")
            .settlement_status(SettlementStatusFilter::Settled)
            .limit(10)
            .cursor("c2"),
        Method::GET,
        "/fcm/positions?subtrader_id=fcm1_alice&ticker=KXHIGHNY-26DEC06-B45.5&event_ticker=KXHIGHNY-26DEC06&count_filter=position%2Ctotal_traded&settlement_status=settled&limit=10&cursor=c2",
        None,
    );
    refused(&GetFCMOrders::new(""), "subtrader_id");
    refused(&GetFCMOrders::new("a").limit(1001), "limit");
    refused(
        &GetFCMOrders::new("a").status(OrderStatus::from_api("open")),
        "status",
    );
    refused(&GetFCMPositions::new("a\u{0}"), "subtrader_id");
    refused(&GetFCMPositions::new("a").limit(0), "limit");
    refused(
        &GetFCMPositions::new("a").settlement_status(SettlementStatusFilter::from_api("x")),
        "settlement_status",
    );
}

#[test]
fn fills_requests() {
    built(&GetFcmFills::new(), Method::GET, "/fcm/fills", None);
    built(
        &GetFcmFills::new()
            .min_ts(1_765_000_000)
            .max_ts(1_765_100_000)
            .cursor("c/3"),
        Method::GET,
        "/fcm/fills?min_ts=1765000000&max_ts=1765100000&cursor=c%2F3",
        None,
    );
}

#[test]
fn subtrader_requests() {
    built(
        &ListFcmSubtraders::new(),
        Method::GET,
        "/fcm/subtraders",
        None,
    );
    built(
        &CreateFcmSubtrader::new("Alice01"),
        Method::POST,
        "/fcm/subtraders",
        Some(r#"{"subtrader_suffix":"Alice01"}"#),
    );
    assert_eq!(
        CreateFcmSubtrader::IDEMPOTENCY,
        Idempotency::IdempotentWithKey
    );
    refused(&CreateFcmSubtrader::new(""), "subtrader_suffix");
    refused(
        &CreateFcmSubtrader::new("a234567890123456x"),
        "subtrader_suffix",
    );
    refused(&CreateFcmSubtrader::new("alice_01"), "subtrader_suffix");
    refused(&CreateFcmSubtrader::new("alicé"), "subtrader_suffix");
    built(
        &CreateFcmSubtrader::new("a234567890123456"),
        Method::POST,
        "/fcm/subtraders",
        Some(r#"{"subtrader_suffix":"a234567890123456"}"#),
    );
}

#[test]
fn blocked_categories_requests() {
    built(
        &GetFcmSubtraderBlockedCategories::new("fcm1_alice"),
        Method::GET,
        "/fcm/subtraders/blocked_categories?subtrader_id=fcm1_alice",
        None,
    );
    built(
        &UpdateFcmSubtraderBlockedCategories::block("fcm1_alice", "Politics"),
        Method::PUT,
        "/fcm/subtraders/blocked_categories",
        Some(r#"{"subtrader_id":"fcm1_alice","category":"Politics","blocked":true}"#),
    );
    built(
        &UpdateFcmSubtraderBlockedCategories::unblock("fcm1_alice", "Climate and Weather"),
        Method::PUT,
        "/fcm/subtraders/blocked_categories",
        Some(r#"{"subtrader_id":"fcm1_alice","category":"Climate and Weather","blocked":false}"#),
    );
    refused(&GetFcmSubtraderBlockedCategories::new(""), "subtrader_id");
    refused(
        &UpdateFcmSubtraderBlockedCategories::block("", "Politics"),
        "subtrader_id",
    );
    refused(
        &UpdateFcmSubtraderBlockedCategories::block("fcm1_alice", ""),
        "category",
    );
    refused(
        &UpdateFcmSubtraderBlockedCategories::block("fcm1_alice", "é".repeat(101)),
        "category",
    );
    // 100 characters (200 bytes) is the limit, counted in characters.
    assert!(
        client()
            .request(
                &UpdateFcmSubtraderBlockedCategories::block("fcm1_alice", "é".repeat(100)),
                Timestamp::from_millis(TS)
            )
            .is_ok()
    );
}

#[test]
fn daily_cap_requests() {
    built(
        &GetFcmEventContractDailyCap::new("fcm1_alice"),
        Method::GET,
        "/fcm/subtraders/event_contract_daily_cap?subtrader_id=fcm1_alice",
        None,
    );
    built(
        &GetFcmEventContractDailyCap::bound(),
        Method::GET,
        "/fcm/subtraders/event_contract_daily_cap",
        None,
    );
    built(
        &UpdateFcmEventContractDailyCap::new("fcm1_alice", dollars("2500")),
        Method::PUT,
        "/fcm/subtraders/event_contract_daily_cap",
        Some(r#"{"subtrader_id":"fcm1_alice","limit":"2500.0000"}"#),
    );
    built(
        &DeleteFcmEventContractDailyCap::new("fcm1_alice"),
        Method::DELETE,
        "/fcm/subtraders/event_contract_daily_cap?subtrader_id=fcm1_alice",
        None,
    );
    refused(&GetFcmEventContractDailyCap::new(""), "subtrader_id");
    refused(
        &UpdateFcmEventContractDailyCap::new("fcm1_alice", dollars("-1")),
        "limit",
    );
    refused(
        &UpdateFcmEventContractDailyCap::new("", dollars("1")),
        "subtrader_id",
    );
    refused(&DeleteFcmEventContractDailyCap::new(""), "subtrader_id");
}

#[test]
fn position_transfer_requests() {
    built(
        &CreateFcmPositionTransfer::new(
            "fcm1_alice",
            "fcmerr_errs1",
            "KXHIGHNY-26DEC06-B45.5",
            -500,
            7000,
        ),
        Method::POST,
        "/fcm/positions/transfers",
        Some(
            r#"{"source_subtrader_id":"fcm1_alice","target_subtrader_id":"fcmerr_errs1","market_ticker":"KXHIGHNY-26DEC06-B45.5","position_centicount":-500,"price_centicents":7000}"#,
        ),
    );
    assert_eq!(
        CreateFcmPositionTransfer::IDEMPOTENCY,
        Idempotency::NotIdempotent
    );
    let ok = || CreateFcmPositionTransfer::new("fcm1_alice", "fcmerr_errs1", "T", 1000, 4500);
    for (op, field) in [
        (
            CreateFcmPositionTransfer {
                source_subtrader_id: String::new(),
                ..ok()
            },
            "source_subtrader_id",
        ),
        (
            CreateFcmPositionTransfer {
                target_subtrader_id: "errs1".into(),
                ..ok()
            },
            "target_subtrader_id",
        ),
        (
            CreateFcmPositionTransfer {
                target_subtrader_id: "_errs1".into(),
                ..ok()
            },
            "target_subtrader_id",
        ),
        (
            CreateFcmPositionTransfer {
                target_subtrader_id: "fcmerr_".into(),
                ..ok()
            },
            "target_subtrader_id",
        ),
        (
            CreateFcmPositionTransfer {
                market_ticker: String::new(),
                ..ok()
            },
            "market_ticker",
        ),
        (
            CreateFcmPositionTransfer {
                position_centicount: 0,
                ..ok()
            },
            "position_centicount",
        ),
        (
            CreateFcmPositionTransfer {
                position_centicount: 150,
                ..ok()
            },
            "position_centicount",
        ),
        (
            CreateFcmPositionTransfer {
                price_centicents: 10_100,
                ..ok()
            },
            "price_centicents",
        ),
        (
            CreateFcmPositionTransfer {
                price_centicents: 4550,
                ..ok()
            },
            "price_centicents",
        ),
    ] {
        refused(&op, field);
    }
    for price in [0, 10_000] {
        assert!(
            client()
                .request(
                    &CreateFcmPositionTransfer {
                        price_centicents: price,
                        ..ok()
                    },
                    Timestamp::from_millis(TS)
                )
                .is_ok()
        );
    }
}

#[test]
fn orders_and_positions_answers() {
    let r = crate::response::parse::<GetFCMOrders>(
        StatusCode::OK,
        include_bytes!("../../testdata/responses/get_orders.json"),
    )
    .unwrap();
    assert_eq!(r.orders[0].status, OrderStatus::Resting);
    let mut pages = Pages::new(GetFCMOrders::new("fcm1_alice"));
    let cursor = r.cursor.clone();
    pages.on_page(r);
    assert_eq!(pages.next_op().map(|o| o.cursor.clone()), cursor.map(Some));

    let r = crate::response::parse::<GetFCMPositions>(
        StatusCode::OK,
        include_bytes!("../../testdata/responses/get_positions.json"),
    )
    .unwrap();
    assert_eq!(
        r.market_positions[0].position_fp,
        FixedPointCount::from_whole(10)
    );
    let err = crate::response::parse::<GetFCMPositions>(
        StatusCode::FORBIDDEN,
        br#"{"code":"forbidden","message":"FCM member access required"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
}

#[test]
fn fills_answer() {
    let r = crate::response::parse::<GetFcmFills>(
        StatusCode::OK,
        br#"{"fills":[{"fill_id":"f-91c2","exchange_index":0,"ticker":"KXHIGHNY-26DEC06-B45.5","taker_outcome_side":"yes","count_fp":"10.00","yes_price_dollars":"0.4500","created_time":"2026-12-06T14:03:11.125Z","maker_order_id":"o-1","maker_subtrader_id":"fcm1_bob","maker_fee_cost":"0.0000","taker_order_id":"o-2","taker_subtrader_id":"fcm1_alice","taker_fee_cost":"0.0700"},{"fill_id":"f-91c3","exchange_index":1,"ticker":"KXBTCD-26DEC0617-T97000","taker_outcome_side":"no","count_fp":"2.50","yes_price_dollars":"0.0015"}],"cursor":"n-1"}"#,
    )
    .unwrap();
    let f = &r.fills[0];
    assert_eq!(f.taker_outcome_side, OutcomeSide::Yes);
    assert_eq!(f.count_fp, FixedPointCount::from_whole(10));
    assert_eq!(f.taker_fee_cost, Some(dollars("0.07")));
    assert_eq!(
        f.created_time,
        Some("2026-12-06T14:03:11.125Z".parse().unwrap())
    );
    let g = &r.fills[1];
    assert_eq!(g.exchange_index, ExchangeIndex::from_raw(1));
    assert_eq!(g.yes_price_dollars, dollars("0.0015"));
    assert_eq!((g.maker_order_id.as_ref(), g.created_time), (None, None));
    let mut pages = Pages::new(GetFcmFills::new());
    assert_eq!(pages.on_page(r).len(), 2);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("n-1"));
}

#[test]
fn subtrader_answers() {
    let r = crate::response::parse::<ListFcmSubtraders>(
        StatusCode::OK,
        br#"{"subtraders":[{"subtrader_id":"fcm1_alice","exchange_indices":[0,1],"trading_blocked":false,"fcm_trading_blocked":false,"propagation_pending":false},{"subtrader_id":"fcm1_bob","exchange_indices":[],"trading_blocked":true,"fcm_trading_blocked":true,"propagation_pending":true}]}"#,
    )
    .unwrap();
    assert_eq!(r.subtraders.len(), 2);
    assert_eq!(
        r.subtraders[0].exchange_indices,
        [ExchangeIndex::from_raw(0), ExchangeIndex::from_raw(1)]
    );
    assert!(r.subtraders[1].fcm_trading_blocked);

    let r = crate::response::parse::<CreateFcmSubtrader>(
        StatusCode::CREATED,
        br#"{"subtrader_id":"fcm1_Alice01"}"#,
    )
    .unwrap();
    assert_eq!(r.subtrader_id, "fcm1_Alice01");
    let err = crate::response::parse::<CreateFcmSubtrader>(
        StatusCode::CONFLICT,
        br#"{"code":"subtrader_exists","message":"subtrader already exists"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
}

#[test]
fn categories_cap_and_transfer_answers() {
    let r = crate::response::parse::<GetFcmSubtraderBlockedCategories>(
        StatusCode::OK,
        br#"{"categories":["Crypto","Politics"]}"#,
    )
    .unwrap();
    assert_eq!(r.categories, ["Crypto", "Politics"]);
    let r = crate::response::parse::<UpdateFcmSubtraderBlockedCategories>(
        StatusCode::OK,
        br#"{"categories":[]}"#,
    )
    .unwrap();
    assert!(r.categories.is_empty());

    let r = crate::response::parse::<GetFcmEventContractDailyCap>(
        StatusCode::OK,
        br#"{"subtrader_id":"fcm1_alice","limit":"2500.0000","executed_utilization":"312.4500","resting_order_utilization":"100.0000","pending_order_utilization":"0.0000","cap_date":"2026-12-06"}"#,
    )
    .unwrap();
    assert_eq!(r.limit, dollars("2500"));
    assert_eq!(r.executed_utilization, dollars("312.45"));
    assert_eq!(r.cap_date, "2026-12-06");
    let err = crate::response::parse::<GetFcmEventContractDailyCap>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"no cap configured"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");

    crate::response::parse::<UpdateFcmEventContractDailyCap>(StatusCode::OK, b"{}").unwrap();
    crate::response::parse::<DeleteFcmEventContractDailyCap>(StatusCode::OK, b"").unwrap();

    let r = crate::response::parse::<CreateFcmPositionTransfer>(
        StatusCode::CREATED,
        br#"{"position_transfer_id":"pt-5d1e7a"}"#,
    )
    .unwrap();
    assert_eq!(r.position_transfer_id, "pt-5d1e7a");
    let err = crate::response::parse::<CreateFcmPositionTransfer>(
        StatusCode::CONFLICT,
        br#"{"code":"insufficient_balance","message":"error account cannot pay"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
}
