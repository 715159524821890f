//! Request bytes and parsed answers of the exchange operations.

use http::{Method, StatusCode};

use super::*;
use crate::market::FeeType;
use crate::{Client, Credentials, Environment, Error, ExchangeIndex, Operation, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const TS: u64 = 1_703_123_456_789;

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

/// The request has this method and URI, no body and no content type.
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

fn parse<O: Operation>(body: &str) -> O::Output {
    crate::response::parse::<O>(StatusCode::OK, body.as_bytes()).unwrap()
}

fn time(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

#[test]
fn requests() {
    built(&GetExchangeStatus::new(), "/exchange/status");
    built(&GetExchangeSchedule::new(), "/exchange/schedule");
    built(
        &GetUserDataTimestamp::new(),
        "/exchange/user_data_timestamp",
    );
    built(&GetSeriesFeeChanges::new(), "/series/fee_changes");
    built(
        &GetSeriesFeeChanges::new()
            .series_ticker("KXHIGHNY")
            .show_historical(true),
        "/series/fee_changes?series_ticker=KXHIGHNY&show_historical=true",
    );
    built(
        &GetSeriesFeeChanges::new().series_ticker("A&B"),
        "/series/fee_changes?series_ticker=A%26B",
    );
}

const STATUS: &str = r#"{
    "exchange_active": true,
    "trading_active": true,
    "intra_exchange_transfers_active": true,
    "exchange_estimated_resume_time": null,
    "exchange_index_statuses": [
        {"exchange_index": 0, "description": "Primary exchange", "exchange_active": true,
         "trading_active": true, "intra_exchange_transfers_active": true},
        {"exchange_index": 1, "description": "Secondary exchange", "exchange_active": true,
         "trading_active": false, "intra_exchange_transfers_active": false}
    ]
}"#;

#[test]
fn get_exchange_status_response() {
    let s = parse::<GetExchangeStatus>(STATUS);
    assert!(s.exchange_active && s.trading_active);
    assert_eq!(s.intra_exchange_transfers_active, Some(true));
    assert_eq!(s.exchange_estimated_resume_time, None);
    let second = &s.exchange_index_statuses[1];
    assert_eq!(second.exchange_index, ExchangeIndex::from(1u32));
    assert_eq!(second.description, "Secondary exchange");
    assert!(!second.trading_active);

    // Before the per-index breakdown: only the two required fields.
    let old = parse::<GetExchangeStatus>(r#"{"exchange_active":true,"trading_active":false}"#);
    assert!(!old.trading_active);
    assert!(old.exchange_index_statuses.is_empty());
    assert_eq!(old.intra_exchange_transfers_active, None);
}

#[test]
fn get_exchange_status_maintenance_answers_are_server_errors_carrying_the_status() {
    let body = br#"{"exchange_active":false,"trading_active":false,"exchange_estimated_resume_time":"2026-12-10T10:00:00Z"}"#;
    for code in [500, 503, 504] {
        let status = StatusCode::from_u16(code).unwrap();
        let err = crate::response::parse::<GetExchangeStatus>(status, body).unwrap_err();
        assert!(matches!(err, Error::ServerError(_)), "{err:?}");
        assert_eq!(err.status(), Some(status));
        let s = ExchangeStatus::from_error(&err).expect("status body");
        assert!(!s.exchange_active);
        assert_eq!(
            s.exchange_estimated_resume_time,
            Some(time("2026-12-10T10:00:00Z"))
        );
    }
    // An ordinary error document, or another error class, carries no status.
    let err = crate::response::parse::<GetExchangeStatus>(
        StatusCode::SERVICE_UNAVAILABLE,
        br#"{"code":"service_unavailable","message":"try later"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::ServerError(_)));
    assert_eq!(ExchangeStatus::from_error(&err), None);
    let err =
        crate::response::parse::<GetExchangeStatus>(StatusCode::BAD_GATEWAY, body).unwrap_err();
    assert_eq!(ExchangeStatus::from_error(&err), None);
    let err = crate::response::parse::<GetExchangeStatus>(StatusCode::NOT_FOUND, body).unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
    assert_eq!(ExchangeStatus::from_error(&err), None);
}

#[test]
fn get_exchange_schedule_response() {
    let r = parse::<GetExchangeSchedule>(
        r#"{"schedule": {
            "standard_hours": [{
                "start_time": "2026-01-01T05:00:00Z",
                "end_time": "2027-01-01T05:00:00Z",
                "monday": [{"open_time": "00:00", "close_time": "24:00"}],
                "tuesday": [{"open_time": "00:00", "close_time": "24:00"}],
                "wednesday": [{"open_time": "00:00", "close_time": "24:00"}],
                "thursday": [{"open_time": "00:00", "close_time": "03:00"}, {"open_time": "05:00", "close_time": "24:00"}],
                "friday": [{"open_time": "00:00", "close_time": "24:00"}],
                "saturday": [{"open_time": "08:00", "close_time": "24:00"}],
                "sunday": []
            }],
            "maintenance_windows": [
                {"start_datetime": "2026-12-10T08:00:00Z", "end_datetime": "2026-12-10T10:00:00Z"}
            ]
        }}"#,
    );
    let week = &r.schedule.standard_hours[0];
    assert_eq!(week.start_time, time("2026-01-01T05:00:00Z"));
    // Thursday's 3:00-5:00 AM ET maintenance splits the day in two sessions.
    assert_eq!(week.thursday.len(), 2);
    assert_eq!(week.thursday[1].open_time, "05:00");
    assert_eq!(week.thursday[1].open_hour_minute(), Some((5, 0)));
    assert_eq!(week.monday[0].close_hour_minute(), Some((24, 0)));
    assert_eq!(week.saturday[0].open_time, "08:00");
    assert!(week.sunday.is_empty());
    let w = &r.schedule.maintenance_windows[0];
    assert_eq!(w.start_datetime, time("2026-12-10T08:00:00Z"));
    assert_eq!(w.end_datetime, time("2026-12-10T10:00:00Z"));
    // Written back as sent.
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(
        back["schedule"]["standard_hours"][0]["thursday"][1]["close_time"],
        "24:00"
    );
}

#[test]
fn daily_schedule_times() {
    let d = |open: &str, close: &str| DailySchedule {
        open_time: open.into(),
        close_time: close.into(),
    };
    assert_eq!(d("09:30", "16:00").open_hour_minute(), Some((9, 30)));
    assert_eq!(d("09:30", "23:59").close_hour_minute(), Some((23, 59)));
    for bad in [
        "9:30", "24:01", "25:00", "12:60", "12-30", "", "ab:cd", "+1:00", "12:30:00",
    ] {
        assert_eq!(d(bad, bad).open_hour_minute(), None, "{bad}");
    }
}

#[test]
fn get_user_data_timestamp_response() {
    let r = parse::<GetUserDataTimestamp>(r#"{"as_of_time":"2026-12-06T11:35:41.123Z"}"#);
    assert_eq!(r.as_of_time, time("2026-12-06T11:35:41.123Z"));
    let bad = crate::response::parse::<GetUserDataTimestamp>(
        StatusCode::OK,
        br#"{"as_of_time":"yesterday"}"#,
    );
    assert!(matches!(bad, Err(Error::Decode { .. })), "{bad:?}");
}

#[test]
fn get_series_fee_changes_response() {
    let r = parse::<GetSeriesFeeChanges>(
        r#"{"series_fee_change_arr": [
            {"id": "sfc-1", "series_ticker": "KXHIGHNY", "fee_type": "quadratic_with_maker_fees",
             "fee_multiplier": 1, "scheduled_ts": "2026-12-21T04:59:00Z"},
            {"id": "sfc-2", "series_ticker": "KXBTC15M", "fee_type": "per_contract",
             "fee_multiplier": 0.5, "scheduled_ts": "2026-12-22T04:59:00Z"}
        ]}"#,
    );
    let c = &r.series_fee_change_arr[0];
    assert_eq!(c.series_ticker, "KXHIGHNY");
    assert_eq!(c.fee_type, FeeType::QuadraticWithMakerFees);
    assert_eq!(c.fee_multiplier.as_u64(), Some(1));
    assert_eq!(c.scheduled_ts, time("2026-12-21T04:59:00Z"));
    // A fee type this version does not know is kept.
    let c = &r.series_fee_change_arr[1];
    assert_eq!(c.fee_type, FeeType::Unknown("per_contract".into()));
    assert_eq!(c.fee_multiplier.as_f64(), Some(0.5));
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["series_fee_change_arr"][1]["fee_type"], "per_contract");
    assert_eq!(back["series_fee_change_arr"][0]["fee_multiplier"], 1);
}
