//! Request bytes and response parsing for every order-group operation.

use http::{Method, StatusCode};

use super::*;
use crate::auth::VerifyingKey;
use crate::{
    Client, Credentials, Environment, Error, ExchangeIndex, FixedPointCount, Operation, Timestamp,
};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");
const TS: u64 = 1_703_123_456_789;
const ID: &str = "0f7c2a4e-1b3d-4c5e-8f9a-0b1c2d3e4f50";

fn client() -> Client {
    Client::new(
        Environment::Demo,
        Credentials::from_pem("test-key", PKCS1).unwrap(),
    )
}

/// Builds `op`, checks everything but the signature bytes, verifies the signature, and returns
/// the request.
fn built<O: Operation>(
    op: &O,
    method: Method,
    path_and_query: &str,
    body: Option<&str>,
) -> http::Request<Vec<u8>> {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.demo.kalshi.co{path_and_query}")
    );
    let h = req.headers();
    assert_eq!(h["accept"], "application/json");
    assert_eq!(h["user-agent"], crate::DEFAULT_USER_AGENT);
    assert_eq!(h["KALSHI-ACCESS-KEY"], "test-key");
    assert_eq!(h["KALSHI-ACCESS-TIMESTAMP"], TS.to_string().as_str());
    match body {
        Some(b) => {
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            assert_eq!(h["content-type"], "application/json");
        }
        None => {
            assert!(req.body().is_empty());
            assert!(!h.contains_key("content-type"));
        }
    }
    assert_eq!(h.len(), if body.is_some() { 6 } else { 5 });
    let sig = h["KALSHI-ACCESS-SIGNATURE"].to_str().unwrap();
    VerifyingKey::from_pem(PUBLIC)
        .unwrap()
        .verify_request(TS, method.as_str(), req.uri().path(), sig)
        .expect("signature verifies over the path as sent");
    req
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

fn parse<O: Operation>(status: u16, body: &str) -> Result<O::Output, Error> {
    crate::response::parse::<O>(StatusCode::from_u16(status).unwrap(), body.as_bytes())
}

#[test]
fn create_request() {
    built(
        &CreateOrderGroup::new(2),
        Method::POST,
        "/trade-api/v2/portfolio/order_groups/create",
        Some(r#"{"contracts_limit":2}"#),
    );
    let full = CreateOrderGroup::new(10)
        .contracts_limit_fp("10".parse().unwrap())
        .subaccount(3)
        .exchange_index(1);
    built(
        &full,
        Method::POST,
        "/trade-api/v2/portfolio/order_groups/create",
        Some(
            r#"{"subaccount":3,"contracts_limit":10,"contracts_limit_fp":"10.00","exchange_index":1}"#,
        ),
    );
    built(
        &CreateOrderGroup::with_limit_fp(FixedPointCount::from_hundredths(250)),
        Method::POST,
        "/trade-api/v2/portfolio/order_groups/create",
        Some(r#"{"contracts_limit_fp":"2.50"}"#),
    );
}

#[test]
fn create_refuses_caller_mistakes() {
    refused(&CreateOrderGroup::new(0), "contracts_limit");
    refused(&CreateOrderGroup::new(1_000_001), "contracts_limit");
    refused(&CreateOrderGroup::default(), "contracts_limit");
    refused(&CreateOrderGroup::new(5).subaccount(64), "subaccount");
    refused(
        &CreateOrderGroup::new(5).contracts_limit_fp(FixedPointCount::from_whole(6)),
        "contracts_limit_fp",
    );
    refused(
        &CreateOrderGroup::with_limit_fp(FixedPointCount::from_hundredths(50)),
        "contracts_limit_fp",
    );
    // The edges are accepted.
    for ok in [
        CreateOrderGroup::new(1),
        CreateOrderGroup::new(1_000_000).subaccount(63),
        CreateOrderGroup::new(7).contracts_limit_fp("7.0".parse().unwrap()),
    ] {
        client().request(&ok, Timestamp::from_millis(TS)).unwrap();
    }
}

#[test]
fn create_response() {
    let r = parse::<CreateOrderGroup>(
        201,
        r#"{"order_group_id":"og-1","subaccount":2,"exchange_index":0,"new_field":[1]}"#,
    )
    .unwrap();
    assert_eq!(r.order_group_id, "og-1");
    assert_eq!(r.subaccount, 2);
    assert_eq!(r.exchange_index, Some(ExchangeIndex::shard(0)));
    // The seed's older shape: only the id.
    let old = parse::<CreateOrderGroup>(201, r#"{"order_group_id":"og-2"}"#).unwrap();
    assert_eq!((old.order_group_id.as_str(), old.subaccount), ("og-2", 0));
    assert!(matches!(
        parse::<CreateOrderGroup>(201, r#"{"subaccount":1}"#),
        Err(Error::Decode { status, .. }) if status == StatusCode::CREATED
    ));
}

#[test]
fn list_request_and_response() {
    built(
        &GetOrderGroups::new(),
        Method::GET,
        "/trade-api/v2/portfolio/order_groups",
        None,
    );
    built(
        &GetOrderGroups::new().subaccount(3),
        Method::GET,
        "/trade-api/v2/portfolio/order_groups?subaccount=3",
        None,
    );
    refused(&GetOrderGroups::new().subaccount(99), "subaccount");
    let r = parse::<GetOrderGroups>(
        200,
        r#"{"order_groups":[{"id":"a","contracts_limit_fp":"10.00","is_auto_cancel_enabled":true,"exchange_index":0},
                            {"id":"b","is_auto_cancel_enabled":false,"extra":{"x":1}}]}"#,
    )
    .unwrap();
    assert_eq!(r.order_groups.len(), 2);
    assert_eq!(
        r.order_groups[0].contracts_limit_fp,
        Some(FixedPointCount::from_whole(10))
    );
    assert!(r.order_groups[0].is_auto_cancel_enabled);
    assert_eq!(r.order_groups[1].contracts_limit_fp, None);
    assert!(
        parse::<GetOrderGroups>(200, r#"{"order_groups":null}"#)
            .unwrap()
            .order_groups
            .is_empty()
    );
    assert!(
        parse::<GetOrderGroups>(200, "{}")
            .unwrap()
            .order_groups
            .is_empty()
    );
    // A group without its required flag is a decode error, not a made-up value.
    assert!(matches!(
        parse::<GetOrderGroups>(200, r#"{"order_groups":[{"id":"a"}]}"#),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn get_request_and_response() {
    built(
        &GetOrderGroup::new(ID),
        Method::GET,
        &format!("/trade-api/v2/portfolio/order_groups/{ID}"),
        None,
    );
    built(
        &GetOrderGroup::new("a/b?c#d %é").subaccount(0),
        Method::GET,
        "/trade-api/v2/portfolio/order_groups/a%2Fb%3Fc%23d%20%25%C3%A9?subaccount=0",
        None,
    );
    refused(&GetOrderGroup::new(""), "order_group_id");
    refused(&GetOrderGroup::new(".."), "order_group_id");
    let r = parse::<GetOrderGroup>(
        200,
        r#"{"is_auto_cancel_enabled":false,"contracts_limit_fp":"5.00","orders":["o1","o2"],"exchange_index":0}"#,
    )
    .unwrap();
    assert_eq!(r.orders, ["o1", "o2"]);
    assert_eq!(r.contracts_limit_fp, Some(FixedPointCount::from_whole(5)));
    assert!(!r.is_auto_cancel_enabled);
}

#[test]
fn delete_reset_trigger_requests() {
    let base = format!("/trade-api/v2/portfolio/order_groups/{ID}");
    built(&DeleteOrderGroup::new(ID), Method::DELETE, &base, None);
    built(
        &DeleteOrderGroup::new(ID).subaccount(2).exchange_index(0),
        Method::DELETE,
        &format!("{base}?subaccount=2&exchange_index=0"),
        None,
    );
    built(
        &ResetOrderGroup::new(ID),
        Method::PUT,
        &format!("{base}/reset"),
        None,
    );
    built(
        &TriggerOrderGroup::new(ID).exchange_index(4),
        Method::PUT,
        &format!("{base}/trigger?exchange_index=4"),
        None,
    );
    refused(&DeleteOrderGroup::new(""), "order_group_id");
    refused(&ResetOrderGroup::new("x").subaccount(64), "subaccount");
    refused(&TriggerOrderGroup::new("."), "order_group_id");
    for body in ["{}", "", "  \n", r#"{"something_new":true}"#] {
        parse::<DeleteOrderGroup>(200, body).unwrap();
        parse::<ResetOrderGroup>(200, body).unwrap();
        parse::<TriggerOrderGroup>(200, body).unwrap();
    }
    assert!(matches!(
        parse::<ResetOrderGroup>(200, "[1]"),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn update_limit_request() {
    built(
        &UpdateOrderGroupLimit::new(ID, 20)
            .subaccount(0)
            .exchange_index(0),
        Method::PUT,
        &format!("/trade-api/v2/portfolio/order_groups/{ID}/limit?subaccount=0&exchange_index=0"),
        Some(r#"{"contracts_limit":20}"#),
    );
    built(
        &UpdateOrderGroupLimit::with_limit_fp(ID, "3.5".parse().unwrap()),
        Method::PUT,
        &format!("/trade-api/v2/portfolio/order_groups/{ID}/limit"),
        Some(r#"{"contracts_limit_fp":"3.50"}"#),
    );
    refused(&UpdateOrderGroupLimit::new(ID, 0), "contracts_limit");
    refused(&UpdateOrderGroupLimit::new("", 5), "order_group_id");
    refused(
        &UpdateOrderGroupLimit::new(ID, 5).contracts_limit_fp(FixedPointCount::from_whole(4)),
        "contracts_limit_fp",
    );
    parse::<UpdateOrderGroupLimit>(200, "{}").unwrap();
}

#[test]
fn every_documented_error_status_is_typed() {
    let flat =
        r#"{"code":"not_found","message":"order group not found","details":"d","service":"oms"}"#;
    let nested =
        r#"{"error":{"code":"not_found","message":"order group not found","service":"oms"}}"#;
    for body in [flat, nested] {
        for (status, check) in [
            (
                400,
                (|e: &Error| matches!(e, Error::BadRequest(_))) as fn(&Error) -> bool,
            ),
            (401, |e| matches!(e, Error::Unauthorized(_))),
            (403, |e| matches!(e, Error::Forbidden(_))),
            (404, |e| matches!(e, Error::NotFound(_))),
            (409, |e| matches!(e, Error::Conflict(_))),
            (429, |e| matches!(e, Error::RateLimited(_))),
            (500, |e| matches!(e, Error::ServerError(_))),
            (503, |e| matches!(e, Error::ServerError(_))),
            (418, |e| matches!(e, Error::UnexpectedStatus(_))),
            (302, |e| matches!(e, Error::UnexpectedStatus(_))),
        ] {
            let err = parse::<GetOrderGroup>(status, body).unwrap_err();
            assert!(check(&err), "{status}: {err:?}");
            assert_eq!(err.status().unwrap().as_u16(), status);
            assert_eq!(err.code(), Some("not_found"));
            let doc = err.api_error().unwrap().error.as_ref().unwrap();
            assert_eq!(doc.message.as_deref(), Some("order group not found"));
            assert_eq!(doc.service.as_deref(), Some("oms"));
        }
    }
}

#[test]
fn rate_limit_body_and_error_bodies_behind_success() {
    let err = parse::<CreateOrderGroup>(429, r#"{"error": "too many requests"}"#).unwrap_err();
    let Error::RateLimited(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        api.error.as_ref().unwrap().message.as_deref(),
        Some("too many requests")
    );

    let err = parse::<CreateOrderGroup>(200, r#"{"error": "too many requests"}"#).unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");

    for body in [
        r#"{"code":"internal","message":"boom"}"#,
        r#"{"error":{"code":"internal","message":"boom"}}"#,
        r#"{"error":"boom"}"#,
    ] {
        for err in [
            parse::<ResetOrderGroup>(200, body).unwrap_err(),
            parse::<GetOrderGroups>(200, body).unwrap_err(),
            parse::<CreateOrderGroup>(201, body).unwrap_err(),
        ] {
            assert!(
                matches!(err, Error::ErrorBodyWithSuccessStatus(_)),
                "{body}: {err:?}"
            );
        }
    }
}

#[test]
fn malformed_and_empty_bodies() {
    // Error statuses with bodies that are not error documents keep the raw body.
    let err = parse::<GetOrderGroup>(502, "<html><body>Bad Gateway</body></html>").unwrap_err();
    let api = err.api_error().unwrap();
    assert!(api.error.is_none());
    assert!(api.body.text().contains("Bad Gateway"));
    let err = parse::<GetOrderGroup>(500, "").unwrap_err();
    assert_eq!(err.api_error().unwrap().body.total_len(), 0);
    // Success statuses with bodies that do not parse are decode errors.
    for body in [
        "",
        "not json",
        "{",
        r#"{"is_auto_cancel_enabled":"yes"}"#,
        "\u{0}\u{ff}",
    ] {
        assert!(
            matches!(parse::<GetOrderGroup>(200, body), Err(Error::Decode { .. })),
            "{body:?}"
        );
    }
    // Huge bodies are bounded in the error.
    let big = "x".repeat(1 << 20);
    let err = parse::<GetOrderGroup>(500, &big).unwrap_err();
    let body = &err.api_error().unwrap().body;
    assert!(body.is_truncated());
    assert_eq!(body.total_len(), 1 << 20);
    assert!(body.bytes().len() <= crate::response::MAX_KEPT_BODY);
    assert!(err.to_string().len() < 2000);
}

#[test]
fn idempotency_classes() {
    use crate::Idempotency::*;
    assert_eq!(CreateOrderGroup::IDEMPOTENCY, NotIdempotent);
    for i in [
        GetOrderGroups::IDEMPOTENCY,
        GetOrderGroup::IDEMPOTENCY,
        DeleteOrderGroup::IDEMPOTENCY,
        ResetOrderGroup::IDEMPOTENCY,
        TriggerOrderGroup::IDEMPOTENCY,
        UpdateOrderGroupLimit::IDEMPOTENCY,
    ] {
        assert_eq!(i, Idempotent);
    }
    assert_eq!(CreateOrderGroup::SUCCESS, StatusCode::CREATED);
    assert_eq!(GetOrderGroup::SUCCESS, StatusCode::OK);
}
