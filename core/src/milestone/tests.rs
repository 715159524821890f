//! Request bytes and response parsing for the milestone operations.

use http::{Method, StatusCode};

use super::*;
use crate::{Client, Credentials, Environment, Error, Operation, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const TS: u64 = 1_703_123_456_789;

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

fn built<O: Operation>(op: &O, method: Method, path_and_query: &str) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
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

const MILESTONE: &str = r#"{"id":"5f3c2b1a-9d8e-4f7a-b6c5-d4e3f2a1b0c9","category":"Sports","type":"football_game","start_date":"2026-01-04T18:00:00Z","end_date":null,"related_event_tickers":["KXNFLGAME-26JAN04BUFNYJ","KXNFLSPREAD-26JAN04BUFNYJ"],"title":"Buffalo at New York J","notification_message":"Kickoff soon","source_id":"sr:match:61234567","source_ids":{"sportradar":"sr:match:61234567"},"details":{"home":"NYJ","away":"BUF"},"primary_event_tickers":["KXNFLGAME-26JAN04BUFNYJ"],"last_updated_ts":"2026-01-04T17:55:12.123Z"}"#;

#[test]
fn get_milestones_request() {
    built(
        &GetMilestones::new(100),
        Method::GET,
        "/milestones?limit=100",
    );
    let full = GetMilestones::new(500)
        .minimum_start_date("2026-01-02T00:00:00Z".parse().unwrap())
        .category("Sports")
        .competition("Pro Basketball (M)")
        .source_id("sr:match:1")
        .milestone_type("basketball_game")
        .related_event_ticker("KXNBAGAME-26JAN02LALBOS")
        .cursor("c/1")
        .min_updated_ts(1_767_000_000);
    built(
        &full,
        Method::GET,
        "/milestones?limit=500&minimum_start_date=2026-01-02T00%3A00%3A00Z&category=Sports&competition=Pro%20Basketball%20%28M%29&source_id=sr%3Amatch%3A1&type=basketball_game&related_event_ticker=KXNBAGAME-26JAN02LALBOS&cursor=c%2F1&min_updated_ts=1767000000",
    );
}

#[test]
fn get_milestones_refuses_bad_limits() {
    refused(&GetMilestones::new(0), "limit");
    refused(&GetMilestones::new(501), "limit");
    let mut op = GetMilestones::new(1);
    op.limit = None;
    refused(&op, "limit");
}

#[test]
fn get_milestone_request() {
    built(
        &GetMilestone::new("ms/1 2"),
        Method::GET,
        "/milestones/ms%2F1%202",
    );
    refused(&GetMilestone::new(""), "milestone_id");
    refused(&GetMilestone::new(".."), "milestone_id");
}

#[test]
fn milestone_answers() {
    let one = format!(r#"{{"milestone":{MILESTONE}}}"#);
    let r = crate::response::parse::<GetMilestone>(StatusCode::OK, one.as_bytes()).unwrap();
    let m = r.milestone;
    assert_eq!(m.milestone_type, "football_game");
    assert_eq!(m.start_date, "2026-01-04T18:00:00Z".parse().unwrap());
    assert_eq!(m.end_date, None);
    assert_eq!(m.related_event_tickers.len(), 2);
    assert_eq!(
        m.source_ids.unwrap()["sportradar"],
        "sr:match:61234567".to_owned()
    );
    assert_eq!(m.details["home"], "NYJ");

    let page = format!(r#"{{"milestones":[{MILESTONE}],"cursor":"next-1"}}"#);
    let r = crate::response::parse::<GetMilestones>(StatusCode::OK, page.as_bytes()).unwrap();
    assert_eq!(r.milestones.len(), 1);
    assert_eq!(r.cursor.as_deref(), Some("next-1"));
    let last = crate::response::parse::<GetMilestones>(
        StatusCode::OK,
        br#"{"milestones":[],"cursor":""}"#,
    )
    .unwrap();
    assert_eq!(last.cursor, None);

    let err = crate::response::parse::<GetMilestone>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"milestone not found"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}
