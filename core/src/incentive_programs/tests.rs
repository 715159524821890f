//! Request bytes and response parsing for the incentive-program operation.

use http::{Method, StatusCode};

use super::*;
use crate::pagination::Pages;
use crate::{Client, Credentials, Environment, Error, FixedPointCount, Operation, Timestamp};

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
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

#[test]
fn get_incentive_programs_request() {
    built(&GetIncentivePrograms::new(), "/incentive_programs");
    built(
        &GetIncentivePrograms::new()
            .status(IncentiveStatusFilter::PaidOut)
            .incentive_type(IncentiveTypeFilter::MarginMakerVolume)
            .incentive_description("Q1 maker rebate")
            .limit(10_000)
            .cursor("c1"),
        "/incentive_programs?status=paid_out&type=margin_maker_volume&incentive_description=Q1%20maker%20rebate&limit=10000&cursor=c1",
    );
}

#[test]
fn get_incentive_programs_refusals() {
    refused(&GetIncentivePrograms::new().limit(0), "limit");
    refused(&GetIncentivePrograms::new().limit(10_001), "limit");
    refused(
        &GetIncentivePrograms::new().status(IncentiveStatusFilter::from_api("open")),
        "status",
    );
    refused(
        &GetIncentivePrograms::new().incentive_type(IncentiveTypeFilter::from_api("maker")),
        "type",
    );
}

#[test]
fn incentive_programs_answer() {
    let r = crate::response::parse::<GetIncentivePrograms>(
        StatusCode::OK,
        br#"{"incentive_programs":[{"id":"ip-7f3a","market_id":"9a8b7c6d-1111-4222-8333-444455556666","market_ticker":"KXFED-26MAR-T4.25","incentive_type":"liquidity","incentive_description":"Liquidity incentive","start_date":"2026-01-01T00:00:00Z","end_date":"2026-03-18T18:00:00Z","period_reward":5000000,"paid_out":false,"discount_factor_bps":5000,"target_size_fp":"250.00","max_reward_per_account":1000000},{"id":"ip-8b","market_id":"m2","market_ticker":"KXBTC-26JAN02-B100000","incentive_type":"points_boost","incentive_description":"new kind","start_date":"2026-01-01T00:00:00Z","end_date":"2026-01-02T00:00:00Z","period_reward":0,"paid_out":true,"discount_factor_bps":null,"target_size_fp":null}],"next_cursor":"n-2"}"#,
    )
    .unwrap();
    let p = &r.incentive_programs[0];
    assert_eq!(p.incentive_type, IncentiveType::Liquidity);
    assert_eq!(p.period_reward, 5_000_000);
    assert_eq!(p.target_size_fp, Some(FixedPointCount::from_whole(250)));
    assert_eq!(p.end_date, "2026-03-18T18:00:00Z".parse().unwrap());
    let q = &r.incentive_programs[1];
    assert_eq!(
        q.incentive_type,
        IncentiveType::Unknown("points_boost".into())
    );
    assert_eq!(q.max_reward_per_account, None);
    assert_eq!(p.market_ticker.as_deref(), Some("KXFED-26MAR-T4.25"));
    let mut pages = Pages::new(GetIncentivePrograms::new());
    assert_eq!(pages.on_page(r).len(), 2);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("n-2"));
    let err = crate::response::parse::<GetIncentivePrograms>(
        StatusCode::BAD_REQUEST,
        br#"{"code":"bad_request","message":"bad status"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
}
