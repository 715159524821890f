//! Request bytes and response parsing for the live-data operations.

use http::{Method, StatusCode};
use serde_json::Number;

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

fn number(s: &str) -> Number {
    serde_json::from_str(s).unwrap()
}

#[test]
fn milestone_live_data_requests() {
    built(
        &GetLiveDatas::new(["ms-1", "ms 2"]).include_player_stats(true),
        "/live_data/batch?milestone_ids=ms-1&milestone_ids=ms%202&include_player_stats=true",
    );
    built(
        &GetLiveDatas::new(["ms-1"]),
        "/live_data/batch?milestone_ids=ms-1",
    );
    built(
        &GetLiveDataByMilestone::new("ms/1").include_player_stats(false),
        "/live_data/milestone/ms%2F1?include_player_stats=false",
    );
    built(
        &GetLiveData::new("football game", "ms-1").include_player_stats(true),
        "/live_data/football%20game/milestone/ms-1?include_player_stats=true",
    );
    built(
        &GetGameStats::new("ms-1"),
        "/live_data/milestone/ms-1/game_stats",
    );
    built(
        &GetEventLiveData::new("KXBTCD-26JAN0217").range("15min"),
        "/live_data/events/KXBTCD-26JAN0217?range=15min",
    );
}

#[test]
fn milestone_live_data_refusals() {
    refused(&GetLiveDatas::new(Vec::<String>::new()), "milestone_ids");
    refused(
        &GetLiveDatas::new((0..101).map(|i| format!("ms-{i}"))),
        "milestone_ids",
    );
    refused(&GetLiveDatas::new(["ms-1", ""]), "milestone_ids");
    refused(&GetLiveDataByMilestone::new(""), "milestone_id");
    refused(&GetLiveData::new("", "ms-1"), "type");
    refused(&GetLiveData::new("..", "ms-1"), "type");
    refused(&GetLiveData::new("football_game", "."), "milestone_id");
    refused(&GetGameStats::new(""), "milestone_id");
    refused(&GetEventLiveData::new(""), "event_ticker");
}

#[test]
fn weather_requests() {
    built(&GetWeatherIndex::new("miami"), "/live_data/weather/miami");
    built(
        &GetWeatherIndex::new("new york")
            .window(1_767_225_600_000, 1_767_312_000_000)
            .detailed(true),
        "/live_data/weather/new%20york?from=1767225600000&to=1767312000000&detailed=true",
    );
    built(
        &GetWeatherIndex::new("miami").last_sec(3600),
        "/live_data/weather/miami?last_sec=3600",
    );
    built(
        &GetWeatherIndex::new("miami").to(1_767_312_000_000),
        "/live_data/weather/miami?to=1767312000000",
    );
    built(
        &GetWeatherIndexCalibrations::new("miami"),
        "/live_data/weather/miami/calibrations",
    );
    refused(&GetWeatherIndex::new(""), "city");
    refused(
        &GetWeatherIndex::new("miami").window(1, 2).last_sec(60),
        "last_sec",
    );
    refused(&GetWeatherIndex::new("miami").last_sec(0), "last_sec");
    refused(&GetWeatherIndex::new("miami").window(3, 2), "from");
    let mut from_only = GetWeatherIndex::new("miami");
    from_only.from = Some(1);
    refused(&from_only, "from");
    refused(&GetWeatherIndexCalibrations::new(".."), "city");
}

#[test]
fn live_data_answers() {
    let r = crate::response::parse::<GetLiveDatas>(
        StatusCode::OK,
        br#"{"live_datas":[{"type":"football_game","milestone_id":"ms-1","details":{"home_points":17,"away_points":10,"quarter":3,"clock":"08:21"}}]}"#,
    )
    .unwrap();
    let d = &r.live_datas[0];
    assert_eq!(d.live_data_type, "football_game");
    assert_eq!(d.details["home_points"], 17);

    let r = crate::response::parse::<GetEventLiveData>(
        StatusCode::OK,
        br#"{"live_data":{"type":"crypto_price","details":{"points":[[1767225600000,"97123.45"]]},"is_historical":false,"default_range":"1h","range_options":["15min","1h","1d"]}}"#,
    )
    .unwrap();
    assert_eq!(r.live_data.default_range.as_deref(), Some("1h"));
    assert_eq!(r.live_data.range_options.unwrap().len(), 3);
    assert_eq!(r.live_data.is_historical, Some(false));

    let r = crate::response::parse::<GetGameStats>(
        StatusCode::OK,
        br#"{"pbp":{"periods":[{"number":1,"events":[{"type":"touchdown","clock":"03:12","team":"BUF"}]}]}}"#,
    )
    .unwrap();
    let period = &r.pbp.unwrap().periods.unwrap()[0];
    assert_eq!(period.events.as_ref().unwrap()[0]["type"], "touchdown");
    assert_eq!(period.other["number"], 1);
    let none = crate::response::parse::<GetGameStats>(StatusCode::OK, br#"{"pbp":null}"#).unwrap();
    assert_eq!(none.pbp, None);

    let err = crate::response::parse::<GetLiveDataByMilestone>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"no live data"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[test]
fn weather_answers() {
    let r = crate::response::parse::<GetWeatherIndex>(
        StatusCode::OK,
        br#"{"city":"miami","units":"fahrenheit","config_version":"miami-temperature-v1.0","timeseries":[{"t":1767225600000,"v":78.41,"status":"normal","contributors":4},{"t":1767225660000,"status":"incomplete","stations":[{"station_id":"KMIA1M","code":"pending","source":"hf_asos","temp_f":78.35,"received_at_ms":1767225661234}]},{"t":1767225720000,"v":78.5,"status":"quality_hold","contributors":3}]}"#,
    )
    .unwrap();
    let p = &r.timeseries;
    assert_eq!(p[0].v, Some(number("78.41")));
    assert_eq!(p[0].status, WeatherIndexStatus::Normal);
    assert_eq!(p[1].v, None);
    assert_eq!(p[1].status, WeatherIndexStatus::Incomplete);
    let s = &p[1].stations.as_ref().unwrap()[0];
    assert_eq!(s.temp_f, Some(number("78.35")));
    assert_eq!(s.obs_time_ms, None);
    assert_eq!(
        p[2].status,
        WeatherIndexStatus::Unknown("quality_hold".into())
    );

    let r = crate::response::parse::<GetWeatherIndexCalibrations>(
        StatusCode::OK,
        br#"{"city":"miami","units":"celsius","calibrations":[{"config_version":"miami-temperature-v1.0","published_at_ms":1756000000000,"effective_at_ms":1756684800000,"change_reason":"launch","city_reference_c":0.125,"stations":[{"station_id":"KMIA1M","weight":0.5,"offset_c":0.2},{"station_id":"KOPF1M","weight":0.5,"offset_c":0.05}]},{"config_version":"miami-temperature-v1.0-cal-20260831","effective_at_ms":1756944000000,"calibration_window_start_ms":1756339200000,"calibration_window_end_ms":1756944000000,"city_reference_c":-0.1,"stations":[{"station_id":"KMIA1M","weight":0.5,"offset_c":-0.1,"update_note":"updated n=2016 target=0 adj=-0.3"}]}]}"#,
    )
    .unwrap();
    assert_eq!(r.calibrations.len(), 2);
    let c = &r.calibrations[1];
    assert_eq!(c.published_at_ms, None);
    assert_eq!(c.calibration_window_end_ms, Some(1_756_944_000_000));
    assert_eq!(c.city_reference_c, number("-0.1"));
    assert_eq!(c.stations[0].offset_c, number("-0.1"));
    // Written back as sent.
    let back = serde_json::to_value(&r.calibrations[0].stations[1]).unwrap();
    assert_eq!(back["offset_c"].to_string(), "0.05");

    let err = crate::response::parse::<GetWeatherIndex>(
        StatusCode::BAD_REQUEST,
        br#"{"code":"invalid_parameters","message":"from without to"}"#,
    )
    .unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
}
