//! Request bytes and response parsing for the order operations, and the placement state
//! machine.

use http::{Method, StatusCode};

use super::*;
use crate::enums::{BookSide, OrderStatus, SelfTradePreventionType, TimeInForce};
use crate::retry::{AttemptFailure, Next, RetryPolicy};
use crate::{
    Client, Credentials, Environment, Error, FixedPointCount, FixedPointDollars, Operation,
    Timestamp,
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
        Some(b) => assert_eq!(std::str::from_utf8(req.body()).unwrap(), b),
        None => assert!(req.body().is_empty()),
    }
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

fn count(s: &str) -> FixedPointCount {
    s.parse().unwrap()
}

fn price(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}

fn order() -> CreateOrder {
    CreateOrder::new(
        "HIGHNY-24JAN01-T60",
        BookSide::Bid,
        count("10"),
        price("0.56"),
    )
    .client_order_id("8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1")
}

#[test]
fn create_order_request() {
    built(
        &order(),
        Method::POST,
        "/portfolio/events/orders",
        Some(
            r#"{"ticker":"HIGHNY-24JAN01-T60","client_order_id":"8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1","side":"bid","count":"10.00","price":"0.5600","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}"#,
        ),
    );
    let full = order()
        .time_in_force(TimeInForce::GoodTillCanceled)
        .expiration_time(1_800_000_000)
        .post_only(true)
        .reduce_only(false)
        .cancel_order_on_pause(true)
        .self_trade_prevention_type(SelfTradePreventionType::Maker)
        .subaccount(3)
        .order_group_id("og-1")
        .exchange_index(-1);
    built(
        &full,
        Method::POST,
        "/portfolio/events/orders",
        Some(
            r#"{"ticker":"HIGHNY-24JAN01-T60","client_order_id":"8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1","side":"bid","count":"10.00","price":"0.5600","expiration_time":1800000000,"time_in_force":"good_till_canceled","post_only":true,"self_trade_prevention_type":"maker","cancel_order_on_pause":true,"reduce_only":false,"subaccount":3,"order_group_id":"og-1","exchange_index":-1}"#,
        ),
    );
    assert_eq!(
        CreateOrder::IDEMPOTENCY,
        crate::Idempotency::IdempotentWithKey
    );
    // Every create gets its own key.
    let a = CreateOrder::new("T", BookSide::Ask, count("1"), price("0.5"));
    let b = CreateOrder::new("T", BookSide::Ask, count("1"), price("0.5"));
    assert_ne!(a.client_order_id, b.client_order_id);
}

#[test]
fn create_order_refuses_caller_mistakes() {
    refused(
        &CreateOrder::new("", BookSide::Bid, count("1"), price("0.5")),
        "ticker",
    );
    refused(
        &CreateOrder::new("T", BookSide::Bid, count("0"), price("0.5")),
        "count",
    );
    refused(
        &CreateOrder::new("T", BookSide::Bid, count("-1"), price("0.5")),
        "count",
    );
    refused(
        &CreateOrder::new("T", BookSide::Bid, count("1"), price("0")),
        "price",
    );
    refused(
        &CreateOrder::new("T", BookSide::Bid, count("1"), price("1")),
        "price",
    );
    refused(
        &CreateOrder::new("T", BookSide::Bid, count("1"), price("0.00001")),
        "price",
    );
    refused(
        &CreateOrder::new(
            "T",
            BookSide::Unknown("buy".into()),
            count("1"),
            price("0.5"),
        ),
        "side",
    );
    refused(&order().client_order_id(""), "client_order_id");
    refused(&order().subaccount(64), "subaccount");
    refused(&order().exchange_index(-2), "exchange_index");
    refused(
        &order()
            .time_in_force(TimeInForce::ImmediateOrCancel)
            .expiration_time(1),
        "expiration_time",
    );
}

#[test]
fn create_order_response() {
    let r = crate::response::parse::<CreateOrder>(
        StatusCode::CREATED,
        br#"{"order_id":"o1","client_order_id":"c1","fill_count":"5.00","remaining_count":"0.00","average_fill_price":"0.5800","average_fee_paid":"0.0012","ts_ms":1715793600456,"later":1}"#,
    )
    .unwrap();
    assert_eq!(r.fill_count, count("5"));
    assert_eq!(r.average_fill_price, Some(price("0.58")));
    assert_eq!(r.ts_ms, 1_715_793_600_456);
    let err = crate::response::parse::<CreateOrder>(
        StatusCode::BAD_REQUEST,
        br#"{"error":{"code":"deprecated_v1_order_endpoint","message":"use /portfolio/events/orders"}}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::DeprecatedEndpoint(_)), "{err:?}");
}

#[test]
fn cancel_amend_decrease_requests() {
    built(
        &CancelOrder::new("o/1"),
        Method::DELETE,
        "/portfolio/events/orders/o%2F1",
        None,
    );
    built(
        &CancelOrder::new("o1")
            .subaccount(2)
            .exchange_index(-1)
            .market_ticker("T X"),
        Method::DELETE,
        "/portfolio/events/orders/o1?subaccount=2&exchange_index=-1&market_ticker=T%20X",
        None,
    );
    refused(&CancelOrder::new(""), "order_id");
    built(
        &AmendOrder::new("o1", "T", BookSide::Ask, price("0.61"), count("12"))
            .subaccount(1)
            .client_order_ids("c1", "c2"),
        Method::POST,
        "/portfolio/events/orders/o1/amend?subaccount=1",
        Some(
            r#"{"ticker":"T","side":"ask","price":"0.6100","count":"12.00","client_order_id":"c1","updated_client_order_id":"c2"}"#,
        ),
    );
    refused(
        &AmendOrder::new("o1", "T", BookSide::Ask, price("1.5"), count("1")),
        "price",
    );
    built(
        &DecreaseOrder::reduce_to("o1", count("3")),
        Method::POST,
        "/portfolio/events/orders/o1/decrease",
        Some(r#"{"reduce_to":"3.00"}"#),
    );
    built(
        &DecreaseOrder::reduce_by("o1", count("2")),
        Method::POST,
        "/portfolio/events/orders/o1/decrease",
        Some(r#"{"reduce_by":"2.00"}"#),
    );
    assert_eq!(
        DecreaseOrder::reduce_to("o", count("1")).idempotency(),
        crate::Idempotency::Idempotent
    );
    assert_eq!(
        DecreaseOrder::reduce_by("o", count("1")).idempotency(),
        crate::Idempotency::NotIdempotent
    );
    let mut both = DecreaseOrder::reduce_to("o1", count("3"));
    both.reduce_by = Some(count("1"));
    refused(&both, "reduce_by");
    refused(&DecreaseOrder::reduce_by("o1", count("0")), "reduce_by");
}

#[test]
fn batches() {
    let a = order();
    let b = CreateOrder::new("T2", BookSide::Ask, count("1"), price("0.1")).client_order_id("c2");
    built(
        &BatchCreateOrders::new(vec![a.clone(), b]),
        Method::POST,
        "/portfolio/events/orders/batched",
        Some(&format!(
            r#"{{"orders":[{},{{"ticker":"T2","client_order_id":"c2","side":"ask","count":"1.00","price":"0.1000","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}}]}}"#,
            serde_json::to_string(&a).unwrap()
        )),
    );
    refused(&BatchCreateOrders::new(vec![]), "orders");
    refused(
        &BatchCreateOrders::new(vec![a.clone(), a.clone()]),
        "client_order_id",
    );
    assert_eq!(BatchCreateOrders::new(vec![a.clone(), a]).cost(), 20);
    built(
        &BatchCancelOrders::new(vec![
            BatchCancelOrder::new("o1"),
            BatchCancelOrder::new("o2").subaccount(4),
        ]),
        Method::DELETE,
        "/portfolio/events/orders/batched",
        Some(r#"{"orders":[{"order_id":"o1"},{"order_id":"o2","subaccount":4}]}"#),
    );
    let r = crate::response::parse::<BatchCreateOrders>(
        StatusCode::CREATED,
        br#"{"orders":[{"order_id":"o1","client_order_id":"c1","fill_count":"0.00","remaining_count":"10.00","ts_ms":1},
                       {"order_id":null,"client_order_id":"c2","error":{"code":"duplicate_client_order_id","message":"dup"}}]}"#,
    )
    .unwrap();
    assert_eq!(r.orders[0].order_id.as_deref(), Some("o1"));
    assert_eq!(
        r.orders[1].error.as_ref().unwrap().code.as_deref(),
        Some("duplicate_client_order_id")
    );
    let c = crate::response::parse::<BatchCancelOrders>(
        StatusCode::OK,
        br#"{"orders":[{"order_id":"o1","reduced_by":"10.00","ts_ms":5},{"order_id":"o2","reduced_by":"0.00","error":{"code":"not_found"}}]}"#,
    )
    .unwrap();
    assert_eq!(c.orders[0].reduced_by, count("10"));
    assert!(c.orders[1].error.is_some());
}

const ORDER_JSON: &str = r#"{"order_id":"o1","user_id":"u","client_order_id":"c1","ticker":"T","side":"yes","action":"buy",
    "outcome_side":"yes","book_side":"bid","type":"limit","status":"resting","yes_price_dollars":"0.5600","no_price_dollars":"0.4400",
    "fill_count_fp":"2.00","remaining_count_fp":"8.00","initial_count_fp":"10.00","taker_fees_dollars":"0.0000","maker_fees_dollars":"0.0100",
    "taker_fill_cost_dollars":"0.0000","maker_fill_cost_dollars":"1.1200","order_group_id":"og-1","cancel_order_on_pause":false,
    "subaccount_number":0,"exchange_index":0,"created_time":"2026-01-01T00:00:00Z","brand_new_field":{"x":[1,2]}}"#;

#[test]
fn reads() {
    built(
        &GetOrder::new("o 1"),
        Method::GET,
        "/portfolio/orders/o%201",
        None,
    );
    let r = crate::response::parse::<GetOrder>(
        StatusCode::OK,
        format!(r#"{{"order":{ORDER_JSON}}}"#).as_bytes(),
    )
    .unwrap();
    assert_eq!(r.order.status, OrderStatus::Resting);
    assert_eq!(r.order.remaining_count_fp, count("8"));
    assert_eq!(r.order.yes_price_dollars, Some(price("0.56")));
    assert_eq!(r.order.order_group_id.as_deref(), Some("og-1"));
    // RFC 3339 instants are typed; absent and `null` ones are `None`.
    assert_eq!(
        r.order.created_time,
        Some("2026-01-01T00:00:00Z".parse().unwrap())
    );
    assert_eq!(r.order.expiration_time, None);
    assert_eq!(r.order.last_update_time, None);
    let timed = ORDER_JSON.replace(
        r#""created_time":"2026-01-01T00:00:00Z""#,
        r#""created_time":"2026-01-01T00:00:00.123Z","expiration_time":null,"last_update_time":"2026-01-01T00:05:00.5+01:00""#,
    );
    let r = crate::response::parse::<GetOrder>(
        StatusCode::OK,
        format!(r#"{{"order":{timed}}}"#).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        r.order.created_time.map(|t| t.as_millisecond()),
        Some(1_767_225_600_123)
    );
    assert_eq!(r.order.expiration_time, None);
    assert_eq!(
        r.order.last_update_time.map(|t| t.as_millisecond()),
        Some(1_767_225_600_123 - 123 + 300_500 - 3_600_000)
    );
    // Written back as RFC 3339 under the same names.
    let back = serde_json::to_value(&r.order).unwrap();
    assert_eq!(back["created_time"], "2026-01-01T00:00:00.123Z");
    assert_eq!(back["expiration_time"], serde_json::Value::Null);
    assert_eq!(back["type"], "limit");
    // A malformed instant is refused, not read as absent.
    let bad = ORDER_JSON.replace("2026-01-01T00:00:00Z", "yesterday");
    assert!(matches!(
        crate::response::parse::<GetOrder>(
            StatusCode::OK,
            format!(r#"{{"order":{bad}}}"#).as_bytes()
        ),
        Err(Error::Decode { .. })
    ));
    // An unknown status is kept, not refused.
    let odd = ORDER_JSON.replace(r#""status":"resting""#, r#""status":"queued_for_auction""#);
    let r = crate::response::parse::<GetOrder>(
        StatusCode::OK,
        format!(r#"{{"order":{odd}}}"#).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        r.order.status,
        OrderStatus::Unknown("queued_for_auction".into())
    );

    built(
        &GetOrders::new()
            .ticker("T")
            .status("resting")
            .limit(50)
            .subaccount(1),
        Method::GET,
        "/portfolio/orders?ticker=T&status=resting&limit=50&subaccount=1",
        None,
    );
    refused(&GetOrders::new().limit(0), "limit");
    refused(&GetOrders::new().limit(1001), "limit");
    built(
        &GetOrderQueuePosition::new("o1"),
        Method::GET,
        "/portfolio/orders/o1/queue_position",
        None,
    );
    built(
        &GetOrderQueuePositions::for_markets(["A", "B"]),
        Method::GET,
        "/portfolio/orders/queue_positions?market_tickers=A%2CB",
        None,
    );
    refused(&GetOrderQueuePositions::default(), "market_tickers");
}

#[test]
fn cancel_all_orders() {
    built(
        &CancelAllOrders::new(),
        Method::DELETE,
        "/portfolio/events/orders",
        None,
    );
    built(
        &CancelAllOrders::new().subaccount(63),
        Method::DELETE,
        "/portfolio/events/orders?subaccount=63",
        None,
    );
    let req = client()
        .request(
            &CancelAllOrders::new().subaccount(0),
            Timestamp::from_millis(TS),
        )
        .unwrap();
    assert_eq!(req.uri().query(), Some("subaccount=0"));
    assert!(!req.headers().contains_key("content-type"));
    refused(&CancelAllOrders::new().subaccount(64), "subaccount");
    assert_eq!(
        CancelAllOrders::new().idempotency(),
        crate::operation::Idempotency::Idempotent
    );
    // The documented answer is 204 with no body; `{}` and a 200 are read the same way.
    for (status, body) in [(204, &b""[..]), (204, b"{}"), (200, b"{}"), (200, b" \n")] {
        let status = StatusCode::from_u16(status).unwrap();
        crate::response::parse::<CancelAllOrders>(status, body)
            .unwrap_or_else(|e| panic!("{status} {body:?}: {e}"));
    }
    assert!(matches!(
        crate::response::parse::<CancelAllOrders>(
            StatusCode::TOO_MANY_REQUESTS,
            br#"{"code":"too_many_requests","message":"slow down"}"#
        ),
        Err(Error::RateLimited(_))
    ));
    assert!(matches!(
        crate::response::parse::<CancelAllOrders>(StatusCode::UNAUTHORIZED, b""),
        Err(Error::Unauthorized(_))
    ));
}

#[test]
fn pages_follow_cursors_and_stop() {
    use crate::pagination::Pages;
    let mut pages = Pages::new(GetOrders::new().limit(1));
    let page = |cursor: &str| -> GetOrdersResponse {
        serde_json::from_str(&format!(
            r#"{{"orders":[{ORDER_JSON}],"cursor":"{cursor}"}}"#
        ))
        .unwrap()
    };
    assert_eq!(pages.on_page(page("p2")).len(), 1);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("p2"));
    pages.on_page(page("p3"));
    // A repeated cursor ends the walk instead of looping.
    pages.on_page(page("p2"));
    assert!(pages.next_op().is_none());
}

fn resp(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn placement_resolves_a_conflict_after_a_lost_answer_to_the_existing_order() {
    let op = order();
    let policy = RetryPolicy::default();
    let mut place = PlaceOrder::new(&op, &policy);
    let c = client();
    assert_eq!(place.next_method(), Method::POST);
    // Attempt 1: the connection is cut after sending.
    let first = place.request(&c, Timestamp::from_millis(TS)).unwrap();
    assert!(matches!(
        place.on_failure(AttemptFailure::OutcomeUnknown, 1),
        Next::Retry(_)
    ));
    // Attempt 2: the same client_order_id; the exchange says it exists.
    let second = place.request(&c, Timestamp::from_millis(TS + 100)).unwrap();
    assert_eq!(first.body(), second.body());
    assert!(matches!(
        place.on_response(
            &resp(409, r#"{"error":{"code":"duplicate_client_order_id"}}"#),
            1
        ),
        Next::Retry(_)
    ));
    // Then it looks the order up on its market...
    assert_eq!(place.next_method(), Method::GET);
    let lookup = place.request(&c, Timestamp::from_millis(TS + 200)).unwrap();
    assert_eq!(lookup.method(), Method::GET);
    assert_eq!(lookup.uri().path(), "/trade-api/v2/portfolio/orders");
    assert!(
        lookup
            .uri()
            .query()
            .unwrap()
            .contains("ticker=HIGHNY-24JAN01-T60")
    );
    // ...and finds it by its client order id.
    let mine = ORDER_JSON
        .replace(
            r#""client_order_id":"c1""#,
            &format!(r#""client_order_id":"{}""#, op.client_order_id),
        )
        .replace(r#""ticker":"T""#, r#""ticker":"HIGHNY-24JAN01-T60""#);
    match place.on_response(
        &resp(
            200,
            &format!(r#"{{"orders":[{ORDER_JSON},{mine}],"cursor":""}}"#),
        ),
        1,
    ) {
        Next::Done(Ok(Placed::AlreadyExisted(o))) => {
            assert_eq!(o.client_order_id, op.client_order_id)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn placement_reports_a_first_attempt_conflict_as_the_callers() {
    let op = order();
    let policy = RetryPolicy::default();
    let mut place = PlaceOrder::new(&op, &policy);
    place
        .request(&client(), Timestamp::from_millis(TS))
        .unwrap();
    assert!(matches!(
        place.on_response(&resp(409, "{}"), 1),
        Next::Done(Err(Error::Conflict(_)))
    ));
}

#[test]
fn placement_retries_429_and_5xx_and_returns_created() {
    let op = order();
    let policy = RetryPolicy::default();
    let mut place = PlaceOrder::new(&op, &policy);
    let c = client();
    place.request(&c, Timestamp::from_millis(TS)).unwrap();
    assert!(matches!(
        place.on_response(&resp(429, r#"{"error":"too many requests"}"#), 3),
        Next::Retry(_)
    ));
    place.request(&c, Timestamp::from_millis(TS)).unwrap();
    assert!(matches!(
        place.on_response(&resp(502, "<html>bad gateway</html>"), 3),
        Next::Retry(_)
    ));
    place.request(&c, Timestamp::from_millis(TS)).unwrap();
    match place.on_response(
        &resp(
            201,
            r#"{"order_id":"o9","fill_count":"0.00","remaining_count":"10.00","ts_ms":1}"#,
        ),
        3,
    ) {
        Next::Done(Ok(p @ Placed::Created(_))) => assert_eq!(p.order_id(), "o9"),
        other => panic!("{other:?}"),
    }
    assert_eq!(place.attempts(), 3);
}

#[test]
fn a_conflict_whose_order_cannot_be_found_stays_a_conflict() {
    let op = order();
    let policy = RetryPolicy::default();
    let mut place = PlaceOrder::new(&op, &policy);
    let c = client();
    place.request(&c, Timestamp::from_millis(TS)).unwrap();
    place.on_failure(AttemptFailure::OutcomeUnknown, 0);
    place.request(&c, Timestamp::from_millis(TS)).unwrap();
    place.on_response(&resp(409, "{}"), 0);
    place.request(&c, Timestamp::from_millis(TS)).unwrap();
    assert!(matches!(
        place.on_response(&resp(200, r#"{"orders":[],"cursor":null}"#), 0),
        Next::Done(Err(Error::Conflict(_)))
    ));
}
