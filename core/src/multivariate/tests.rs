//! Request bytes and response parsing for the multivariate collection operations.

use http::{Method, StatusCode};

use super::*;
use crate::enums::OutcomeSide;
use crate::pagination::Pages;
use crate::{
    Client, Credentials, Environment, Error, ExchangeIndex, FixedPointDollars, Operation, Timestamp,
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

const COLLECTION: &str = r#"{"collection_ticker":"KXMVENFLSINGLEGAME-R","series_ticker":"KXMVENFLSINGLEGAME","exchange_index":0,"title":"NFL single game combos","description":"Combine outcomes of one NFL game","open_date":"2025-09-01T00:00:00Z","close_date":"2027-02-15T00:00:00Z","associated_events":[{"ticker":"KXNFLGAME-26JAN04BUFNYJ","is_yes_only":false,"size_max":2,"size_min":null,"active_quoters":["quoter-1"]}],"associated_event_tickers":["KXNFLGAME-26JAN04BUFNYJ"],"is_ordered":false,"is_single_market_per_event":false,"is_all_yes":false,"size_min":2,"size_max":10,"functional_description":"YES when every selected leg settles as selected"}"#;

fn legs() -> Vec<TickerPair> {
    vec![
        TickerPair::new(
            "KXNFLGAME-26JAN04BUFNYJ",
            "KXNFLGAME-26JAN04BUFNYJ-BUF",
            OutcomeSide::Yes,
        ),
        TickerPair::new(
            "KXNFLTOTAL-26JAN04BUFNYJ",
            "KXNFLTOTAL-26JAN04BUFNYJ-45",
            OutcomeSide::No,
        ),
    ]
}

#[test]
fn collections_requests() {
    built(
        &GetMultivariateEventCollections::new(),
        Method::GET,
        "/multivariate_event_collections",
        None,
    );
    built(
        &GetMultivariateEventCollections::new()
            .status(CollectionStatus::Open)
            .associated_event_ticker("KXNFLGAME-26JAN04BUFNYJ")
            .series_ticker("KXMVENFLSINGLEGAME")
            .limit(200)
            .cursor("c 1"),
        Method::GET,
        "/multivariate_event_collections?status=open&associated_event_ticker=KXNFLGAME-26JAN04BUFNYJ&series_ticker=KXMVENFLSINGLEGAME&limit=200&cursor=c%201",
        None,
    );
    built(
        &GetMultivariateEventCollection::new("KXMVE/R"),
        Method::GET,
        "/multivariate_event_collections/KXMVE%2FR",
        None,
    );
    refused(&GetMultivariateEventCollections::new().limit(0), "limit");
    refused(&GetMultivariateEventCollections::new().limit(201), "limit");
    refused(
        &GetMultivariateEventCollections::new().status(CollectionStatus::from_api("settled")),
        "status",
    );
    refused(
        &GetMultivariateEventCollection::new(""),
        "collection_ticker",
    );
}

#[test]
fn create_market_request() {
    built(
        &CreateMarketInMultivariateEventCollection::new("KXMVENFLSINGLEGAME-R", legs())
            .with_market_payload(true),
        Method::POST,
        "/multivariate_event_collections/KXMVENFLSINGLEGAME-R",
        Some(
            r#"{"selected_markets":[{"market_ticker":"KXNFLGAME-26JAN04BUFNYJ-BUF","event_ticker":"KXNFLGAME-26JAN04BUFNYJ","side":"yes"},{"market_ticker":"KXNFLTOTAL-26JAN04BUFNYJ-45","event_ticker":"KXNFLTOTAL-26JAN04BUFNYJ","side":"no"}],"with_market_payload":true}"#,
        ),
    );
    built(
        &CreateMarketInMultivariateEventCollection::new("C", legs().into_iter().take(1)),
        Method::POST,
        "/multivariate_event_collections/C",
        Some(
            r#"{"selected_markets":[{"market_ticker":"KXNFLGAME-26JAN04BUFNYJ-BUF","event_ticker":"KXNFLGAME-26JAN04BUFNYJ","side":"yes"}]}"#,
        ),
    );
    assert_eq!(
        CreateMarketInMultivariateEventCollection::IDEMPOTENCY,
        crate::Idempotency::Idempotent
    );
}

#[test]
fn create_market_refusals() {
    refused(
        &CreateMarketInMultivariateEventCollection::new("", legs()),
        "collection_ticker",
    );
    refused(
        &CreateMarketInMultivariateEventCollection::new("C", []),
        "selected_markets",
    );
    let mut bad = legs();
    bad[1].market_ticker.clear();
    refused(
        &CreateMarketInMultivariateEventCollection::new("C", bad),
        "market_ticker",
    );
    let mut bad = legs();
    bad[0].event_ticker = "a\nb".into();
    refused(
        &CreateMarketInMultivariateEventCollection::new("C", bad),
        "event_ticker",
    );
    let mut bad = legs();
    bad[0].side = OutcomeSide::from_api("maybe");
    refused(
        &CreateMarketInMultivariateEventCollection::new("C", bad),
        "side",
    );
}

#[test]
fn collection_answers() {
    let page = format!(r#"{{"multivariate_contracts":[{COLLECTION}],"cursor":"n-1"}}"#);
    let r =
        crate::response::parse::<GetMultivariateEventCollections>(StatusCode::OK, page.as_bytes())
            .unwrap();
    let c = &r.multivariate_contracts[0];
    assert_eq!(c.exchange_index, Some(ExchangeIndex::from_raw(0)));
    assert_eq!(c.close_date, "2027-02-15T00:00:00Z".parse().unwrap());
    assert_eq!(c.associated_events[0].size_max, Some(2));
    assert_eq!(c.associated_events[0].size_min, None);
    assert_eq!((c.size_min, c.size_max), (2, 10));
    let mut pages = Pages::new(GetMultivariateEventCollections::new());
    pages.on_page(r);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("n-1"));

    let one = format!(r#"{{"multivariate_contract":{COLLECTION}}}"#);
    let r =
        crate::response::parse::<GetMultivariateEventCollection>(StatusCode::OK, one.as_bytes())
            .unwrap();
    assert_eq!(
        r.multivariate_contract.collection_ticker,
        "KXMVENFLSINGLEGAME-R"
    );
}

#[test]
fn create_market_answers() {
    let r = crate::response::parse::<CreateMarketInMultivariateEventCollection>(
        StatusCode::OK,
        br#"{"event_ticker":"KXMVENFLSINGLEGAME-S2026ABC","market_ticker":"KXMVENFLSINGLEGAME-S2026ABC-DEF"}"#,
    )
    .unwrap();
    assert_eq!(r.market_ticker, "KXMVENFLSINGLEGAME-S2026ABC-DEF");
    assert!(r.market.is_none());

    let with = format!(
        r#"{{"event_ticker":"KXHIGHNY-26DEC06","market_ticker":"KXHIGHNY-26DEC06-B45.5","market":{}}}"#,
        crate::market::tests::MARKET
    );
    let r = crate::response::parse::<CreateMarketInMultivariateEventCollection>(
        StatusCode::OK,
        with.as_bytes(),
    )
    .unwrap();
    let m = r.market.unwrap();
    assert_eq!(m.ticker, "KXHIGHNY-26DEC06-B45.5");
    assert!(m.yes_bid_dollars > FixedPointDollars::ZERO);

    let err = crate::response::parse::<CreateMarketInMultivariateEventCollection>(
        StatusCode::BAD_REQUEST,
        br#"{"error":{"code":"conflicting_leg_outcomes","message":"BUF win and NYJ win conflict","details":"KXNFLGAME-26JAN04BUFNYJ-BUF,KXNFLGAME-26JAN04BUFNYJ-NYJ"}}"#,
    )
    .unwrap_err();
    let Error::BadRequest(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        api.error.as_ref().and_then(|e| e.code.as_deref()),
        Some("conflicting_leg_outcomes")
    );
    assert!(err.to_string().contains("conflict"));
}
