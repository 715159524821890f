//! Request bytes and response parsing for the search operations.

use http::{Method, StatusCode};

use super::*;
use crate::{Client, Credentials, Environment, Error, Operation, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");

fn built<O: Operation>(op: &O, path: &str) {
    let client = Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    );
    let req = client
        .request(op, Timestamp::from_millis(1_703_123_456_789))
        .unwrap();
    assert_eq!(req.method(), Method::GET);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path}")
    );
    assert!(req.body().is_empty());
    assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
}

#[test]
fn search_requests() {
    built(&GetFiltersForSports::new(), "/search/filters_by_sport");
    built(
        &GetTagsForSeriesCategories::new(),
        "/search/tags_by_categories",
    );
}

#[test]
fn filters_for_sports_answer() {
    let r = crate::response::parse::<GetFiltersForSports>(
        StatusCode::OK,
        br#"{"filters_by_sports":{"Basketball":{"scopes":["Games","Futures"],"competitions":{"Pro Basketball (M)":{"scopes":["Games","Player props"]},"College Basketball (M)":{"scopes":["Games"]}}},"Football":{"scopes":["Games"],"competitions":{}}},"sport_ordering":["Football","Basketball"]}"#,
    )
    .unwrap();
    assert_eq!(r.sport_ordering, ["Football", "Basketball"]);
    let b = &r.filters_by_sports["Basketball"];
    assert_eq!(b.scopes, ["Games", "Futures"]);
    assert_eq!(
        b.competitions["Pro Basketball (M)"].scopes,
        ["Games", "Player props"]
    );
    assert!(r.filters_by_sports["Football"].competitions.is_empty());
}

#[test]
fn tags_for_series_categories_answer() {
    let r = crate::response::parse::<GetTagsForSeriesCategories>(
        StatusCode::OK,
        br#"{"tags_by_categories":{"Politics":["Trump","Congress"],"Climate and Weather":["Hurricanes","Daily temperature"],"Crypto":[]}}"#,
    )
    .unwrap();
    assert_eq!(r.tags_by_categories["Politics"], ["Trump", "Congress"]);
    assert!(r.tags_by_categories["Crypto"].is_empty());
    let err = crate::response::parse::<GetTagsForSeriesCategories>(
        StatusCode::UNAUTHORIZED,
        br#"{"code":"unauthorized","message":"bad key"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
}
