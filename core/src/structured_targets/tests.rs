//! Request bytes and response parsing for the structured-target operations.

use http::{Method, StatusCode};

use super::*;
use crate::pagination::Pages;
use crate::{Client, Credentials, Environment, Error, Operation, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const TS: u64 = 1_703_123_456_789;

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

fn built<O: Operation>(op: &O, path_and_query: &str) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), Method::GET);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path_and_query}")
    );
    assert!(req.body().is_empty());
    assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

const TARGET: &str = r#"{"id":"0b7c6a52-3f1e-4d2a-9c8b-7a6f5e4d3c2b","name":"Jayson Tatum","type":"basketball_player","details":{"team":"BOS","leagues":["NBA"]},"source_id":"sr:player:607208","source_ids":{"sportradar":"sr:player:607208"},"last_updated_ts":"2026-01-02T15:04:05.250Z"}"#;

#[test]
fn get_structured_targets_request() {
    built(&GetStructuredTargets::new(), "/structured_targets");
    built(
        &GetStructuredTargets::new()
            .ids(["st-1", "st 2"])
            .target_type("basketball_player")
            .competition("NBA")
            .page_size(2000)
            .cursor("c1"),
        "/structured_targets?ids=st-1&ids=st%202&type=basketball_player&competition=NBA&page_size=2000&cursor=c1",
    );
}

#[test]
fn get_structured_targets_refusals() {
    refused(&GetStructuredTargets::new().page_size(0), "page_size");
    refused(&GetStructuredTargets::new().page_size(2001), "page_size");
    refused(
        &GetStructuredTargets::new().ids((0..2001).map(|i| i.to_string())),
        "ids",
    );
    refused(&GetStructuredTargets::new().ids(["a", ""]), "ids");
}

#[test]
fn get_structured_target_request() {
    built(
        &GetStructuredTarget::new("st/1"),
        "/structured_targets/st%2F1",
    );
    refused(&GetStructuredTarget::new(""), "structured_target_id");
}

#[test]
fn structured_target_answers() {
    let page = format!(r#"{{"structured_targets":[{TARGET}],"cursor":"n2"}}"#);
    let r =
        crate::response::parse::<GetStructuredTargets>(StatusCode::OK, page.as_bytes()).unwrap();
    let t = &r.structured_targets[0];
    assert_eq!(t.name.as_deref(), Some("Jayson Tatum"));
    assert_eq!(t.target_type.as_deref(), Some("basketball_player"));
    assert_eq!(
        t.last_updated_ts,
        Some("2026-01-02T15:04:05.25Z".parse().unwrap())
    );
    assert_eq!(t.details.as_ref().unwrap()["team"], "BOS");
    let mut pages = Pages::new(GetStructuredTargets::new().page_size(1));
    pages.on_page(r);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("n2"));
    assert_eq!(pages.next_op().unwrap().page_size, Some(1));

    let one = format!(r#"{{"structured_target":{TARGET}}}"#);
    let r = crate::response::parse::<GetStructuredTarget>(StatusCode::OK, one.as_bytes()).unwrap();
    assert_eq!(
        r.structured_target.unwrap().source_ids.unwrap()["sportradar"],
        "sr:player:607208"
    );
    let empty = crate::response::parse::<GetStructuredTarget>(StatusCode::OK, b"{}").unwrap();
    assert_eq!(empty.structured_target, None);
    let err = crate::response::parse::<GetStructuredTarget>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"no such target"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}
