//! Request bytes, refusals and parsed answers of the events operations.

use http::{Method, StatusCode};

use super::*;
use crate::market::{MarketResult, MarketStatus, MarketType, StrikeType};
use crate::pagination::Paginated;
use crate::{
    Client, Credentials, Environment, Error, ExchangeIndex, FixedPointCount, FixedPointDollars,
    Operation, Timestamp,
};

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

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

fn parse<O: Operation>(body: &str) -> O::Output {
    crate::response::parse::<O>(StatusCode::OK, body.as_bytes()).unwrap()
}

fn price(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}

fn count(s: &str) -> FixedPointCount {
    s.parse().unwrap()
}

fn time(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

const MARKET: &str = r#"{
    "ticker": "KXHIGHNY-26DEC06-T45",
    "event_ticker": "KXHIGHNY-26DEC06",
    "market_type": "binary",
    "title": "Will the high temp in NYC be >45° on Dec 6, 2026?",
    "subtitle": "",
    "yes_sub_title": "46° or above",
    "no_sub_title": "45° or below",
    "created_time": "2026-12-04T15:00:00Z",
    "updated_time": "2026-12-05T09:30:12.123456Z",
    "open_time": "2026-12-05T15:00:00Z",
    "close_time": "2026-12-07T04:59:00Z",
    "expected_expiration_time": "2026-12-07T15:00:00Z",
    "expiration_time": "2026-12-14T15:00:00Z",
    "latest_expiration_time": "2026-12-14T15:00:00Z",
    "settlement_timer_seconds": 1800,
    "status": "active",
    "yes_bid_dollars": "0.5600",
    "yes_bid_size_fp": "120.00",
    "yes_ask_dollars": "0.5800",
    "yes_ask_size_fp": "35.50",
    "no_bid_dollars": "0.4200",
    "no_ask_dollars": "0.4400",
    "last_price_dollars": "0.5700",
    "volume_fp": "15320.00",
    "volume_24h_fp": "4210.00",
    "result": "",
    "can_close_early": true,
    "open_interest_fp": "8800.00",
    "notional_value_dollars": "1.0000",
    "previous_yes_bid_dollars": "0.5100",
    "previous_yes_ask_dollars": "0.5300",
    "previous_price_dollars": "0.5200",
    "liquidity_dollars": "0.0000",
    "settlement_value_dollars": null,
    "expiration_value": "",
    "occurrence_datetime": null,
    "early_close_condition": "This market may close early if the high is reached.",
    "strike_type": "greater",
    "floor_strike": 45,
    "rules_primary": "If the highest temperature recorded in Central Park is above 45°, the market resolves to Yes.",
    "rules_secondary": "",
    "price_level_structure": "linear_cent",
    "price_ranges": [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}],
    "exchange_index": 0,
    "some_future_field": {"x": 1}
}"#;

fn event_json(markets: &str) -> String {
    format!(
        r#"{{
        "event_ticker": "KXHIGHNY-26DEC06",
        "series_ticker": "KXHIGHNY",
        "sub_title": "On Dec 6, 2026",
        "title": "Highest temperature in NYC on Dec 6, 2026?",
        "collateral_return_type": "MECNET",
        "mutually_exclusive": true,
        "category": "Climate and Weather",
        "strike_date": "2026-12-07T04:59:00Z",
        "strike_period": null,
        "markets": {markets},
        "available_on_brokers": false,
        "product_metadata": {{"cadence": "daily"}},
        "settlement_sources": [{{"name": "National Weather Service", "url": "https://www.weather.gov/wrh/climate?wfo=okx"}}],
        "last_updated_ts": "2026-12-05T09:30:12Z",
        "fee_type_override": "quadratic_with_maker_fees",
        "fee_multiplier_override": 0.5,
        "exchange_index": 0
    }}"#
    )
}

// -------------------------------------------------------------------------------------------
// GetEvents
// -------------------------------------------------------------------------------------------

#[test]
fn get_events_request() {
    built(&GetEvents::new(), "/events");
    let full = GetEvents::new()
        .limit(200)
        .cursor("CgwI4Kb+zQYQ")
        .with_nested_markets(true)
        .with_milestones(false)
        .status(EventStatus::Open)
        .series_ticker("KXHIGHNY")
        .tickers("KXHIGHNY-26DEC06,KXHIGHNY-26DEC07")
        .min_close_ts(1_796_000_000)
        .min_updated_ts(1_795_000_000);
    built(
        &full,
        "/events?limit=200&cursor=CgwI4Kb%2BzQYQ&with_nested_markets=true&with_milestones=false&status=open&series_ticker=KXHIGHNY&tickers=KXHIGHNY-26DEC06%2CKXHIGHNY-26DEC07&min_close_ts=1796000000&min_updated_ts=1795000000",
    );
    assert_eq!(GetEvents::IDEMPOTENCY, crate::Idempotency::Idempotent);
}

#[test]
fn get_events_refuses_caller_mistakes() {
    refused(&GetEvents::new().limit(0), "limit");
    refused(&GetEvents::new().limit(201), "limit");
    refused(
        &GetEvents::new().status(EventStatus::Unknown("active".into())),
        "status",
    );
    built(&GetEvents::new().limit(1), "/events?limit=1");
}

#[test]
fn get_events_response() {
    let body = format!(
        r#"{{"events": [{}], "milestones": [{{
            "id": "b1f6a7a2-7c1e-4a57-9b58-0f7c2b0c9d11",
            "category": "Sports",
            "type": "football_game",
            "start_date": "2026-12-06T18:00:00Z",
            "end_date": null,
            "related_event_tickers": ["KXNFLGAME-26DEC06NYGDAL"],
            "title": "Giants at Cowboys",
            "notification_message": "Kickoff soon",
            "source_ids": {{"sportradar": "sr:match:1234"}},
            "details": {{"home": "DAL", "away": "NYG"}},
            "primary_event_tickers": ["KXNFLGAME-26DEC06NYGDAL"],
            "last_updated_ts": "2026-12-05T10:00:00Z"
        }}], "cursor": "CgwI4Kb+zQYQ"}}"#,
        event_json(&format!("[{MARKET}]"))
    );
    let page = parse::<GetEvents>(&body);
    assert_eq!(page.cursor.as_deref(), Some("CgwI4Kb+zQYQ"));
    let e = &page.events[0];
    assert_eq!(e.event_ticker, "KXHIGHNY-26DEC06");
    assert_eq!(e.series_ticker, "KXHIGHNY");
    assert!(e.mutually_exclusive);
    assert_eq!(e.strike_date, Some(time("2026-12-07T04:59:00Z")));
    assert_eq!(e.strike_period, None);
    assert_eq!(
        e.settlement_sources[0].name.as_deref(),
        Some("National Weather Service")
    );
    assert_eq!(e.fee_type_override, Some(FeeType::QuadraticWithMakerFees));
    assert_eq!(
        e.fee_multiplier_override.as_ref().and_then(|n| n.as_f64()),
        Some(0.5)
    );
    assert_eq!(e.exchange_index, Some(ExchangeIndex::from(0u32)));
    assert_eq!(
        e.product_metadata.as_ref().unwrap()["cadence"],
        serde_json::json!("daily")
    );

    let m = &e.markets[0];
    assert_eq!(m.ticker, "KXHIGHNY-26DEC06-T45");
    assert_eq!(m.market_type, MarketType::Binary);
    assert_eq!(m.status, MarketStatus::Active);
    assert_eq!(m.result, MarketResult::Undetermined);
    assert_eq!(m.yes_bid_dollars, price("0.56"));
    assert_eq!(m.yes_ask_size_fp, count("35.50"));
    assert_eq!(m.volume_fp, count("15320"));
    assert_eq!(m.notional_value_dollars, FixedPointDollars::ONE);
    assert_eq!(m.settlement_value_dollars, None);
    assert_eq!(m.updated_time, time("2026-12-05T09:30:12.123456Z"));
    assert_eq!(m.occurrence_datetime, None);
    assert_eq!(m.strike_type, Some(StrikeType::Greater));
    assert_eq!(m.floor_strike.as_ref().and_then(|n| n.as_i64()), Some(45));
    assert_eq!(m.cap_strike, None);
    assert_eq!(m.price_ranges[0].step, "0.0100");
    assert!(m.mve_selected_legs.is_empty());

    let ms = &page.milestones[0];
    assert_eq!(ms.milestone_type, "football_game");
    assert_eq!(ms.end_date, None);
    assert_eq!(ms.details["home"], serde_json::json!("DAL"));
    assert_eq!(
        ms.source_ids.as_ref().unwrap()["sportradar"],
        "sr:match:1234"
    );

    // Written back with the wire names.
    let back = serde_json::to_value(&page).unwrap();
    assert_eq!(back["milestones"][0]["type"], "football_game");
    assert_eq!(back["events"][0]["markets"][0]["yes_bid_dollars"], "0.5600");

    // The last page: an empty cursor, no milestones, markets null.
    let last = parse::<GetEvents>(&format!(
        r#"{{"events": [{}], "cursor": ""}}"#,
        event_json("null")
    ));
    assert_eq!(GetEvents::next_cursor(&last), None);
    assert!(last.milestones.is_empty());
    assert!(last.events[0].markets.is_empty());
    assert_eq!(GetEvents::into_items(last).len(), 1);
}

#[test]
fn a_settled_scalar_market_parses() {
    let m: Market = serde_json::from_str(
        &MARKET
            .replace(r#""market_type": "binary""#, r#""market_type": "scalar""#)
            .replace(r#""status": "active""#, r#""status": "finalized""#)
            .replace(r#""result": """#, r#""result": "scalar""#)
            .replace(
                r#""settlement_value_dollars": null"#,
                r#""settlement_value_dollars": "0.375", "settlement_ts": "2026-12-07T16:00:00Z""#,
            )
            .replace(
                r#""floor_strike": 45"#,
                r#""floor_strike": 40.5, "cap_strike": 50.25"#,
            ),
    )
    .unwrap();
    assert_eq!(m.market_type, MarketType::Scalar);
    assert_eq!(m.status, MarketStatus::Finalized);
    assert_eq!(m.result, MarketResult::Scalar);
    assert_eq!(m.settlement_value_dollars, Some(price("0.375")));
    assert_eq!(m.settlement_ts, Some(time("2026-12-07T16:00:00Z")));
    assert_eq!(m.floor_strike.as_ref().and_then(|n| n.as_f64()), Some(40.5));
    assert_eq!(
        serde_json::to_value(&m).unwrap()["cap_strike"],
        serde_json::json!(50.25)
    );
}

// -------------------------------------------------------------------------------------------
// GetMultivariateEvents
// -------------------------------------------------------------------------------------------

#[test]
fn get_multivariate_events_request() {
    built(&GetMultivariateEvents::new(), "/events/multivariate");
    built(
        &GetMultivariateEvents::new()
            .limit(100)
            .cursor("c2")
            .series_ticker("KXMVESPORTS")
            .with_nested_markets(true),
        "/events/multivariate?limit=100&cursor=c2&series_ticker=KXMVESPORTS&with_nested_markets=true",
    );
    built(
        &GetMultivariateEvents::new().collection_ticker("KXMVESPORTSMULTIGAMEEXTENDED"),
        "/events/multivariate?collection_ticker=KXMVESPORTSMULTIGAMEEXTENDED",
    );
}

#[test]
fn get_multivariate_events_refuses_caller_mistakes() {
    refused(&GetMultivariateEvents::new().limit(0), "limit");
    refused(&GetMultivariateEvents::new().limit(201), "limit");
    refused(
        &GetMultivariateEvents::new()
            .series_ticker("KXMVESPORTS")
            .collection_ticker("KXMVESPORTSMULTIGAMEEXTENDED"),
        "collection_ticker",
    );
}

#[test]
fn get_multivariate_events_response() {
    let leg = r#"[{"event_ticker": "KXNFLGAME-26DEC06NYGDAL", "market_ticker": "KXNFLGAME-26DEC06NYGDAL-DAL", "side": "yes", "yes_settlement_value_dollars": null}]"#;
    let market = MARKET
        .replace(
            r#""exchange_index": 0,"#,
            &format!(
                r#""exchange_index": 0, "mve_collection_ticker": "KXMVESPORTSMULTIGAMEEXTENDED", "mve_selected_legs": {leg},"#
            ),
        );
    let page = parse::<GetMultivariateEvents>(&format!(
        r#"{{"events": [{}], "cursor": null}}"#,
        event_json(&format!("[{market}]"))
    ));
    assert_eq!(page.cursor, None);
    let m = &page.events[0].markets[0];
    assert_eq!(
        m.mve_collection_ticker.as_deref(),
        Some("KXMVESPORTSMULTIGAMEEXTENDED")
    );
    assert_eq!(m.mve_selected_legs[0].side.as_deref(), Some("yes"));
    assert_eq!(m.mve_selected_legs[0].yes_settlement_value_dollars, None);
}

// -------------------------------------------------------------------------------------------
// GetEvent, GetEventMetadata
// -------------------------------------------------------------------------------------------

#[test]
fn get_event_request() {
    built(
        &GetEvent::new("KXHIGHNY-26DEC06"),
        "/events/KXHIGHNY-26DEC06",
    );
    built(
        &GetEvent::new("A/B C").with_nested_markets(true),
        "/events/A%2FB%20C?with_nested_markets=true",
    );
    refused(&GetEvent::new(""), "event_ticker");
    refused(&GetEvent::new(".."), "event_ticker");
}

#[test]
fn get_event_response() {
    let r = parse::<GetEvent>(&format!(
        r#"{{"event": {}, "markets": [{MARKET}]}}"#,
        event_json("[]")
    ));
    assert_eq!(r.event.title, "Highest temperature in NYC on Dec 6, 2026?");
    assert!(r.event.markets.is_empty());
    assert_eq!(r.markets[0].last_price_dollars, price("0.57"));
    assert_eq!(r.markets[0].close_time, time("2026-12-07T04:59:00Z"));
}

#[test]
fn get_event_metadata_request_and_response() {
    built(
        &GetEventMetadata::new("KXHIGHNY-26DEC06"),
        "/events/KXHIGHNY-26DEC06/metadata",
    );
    refused(&GetEventMetadata::new(""), "event_ticker");
    let r = parse::<GetEventMetadata>(
        r##"{"image_url": "/images/events/KXHIGHNY.png",
            "featured_image_url": "/images/markets/KXHIGHNY-T45.png",
            "market_details": [{"market_ticker": "KXHIGHNY-26DEC06-T45", "image_url": "/images/markets/KXHIGHNY-T45.png", "color_code": "#1F77B4"}],
            "settlement_sources": [{"name": "National Weather Service", "url": "https://www.weather.gov"}],
            "competition": null}"##,
    );
    assert_eq!(r.image_url, "/images/events/KXHIGHNY.png");
    assert_eq!(r.market_details[0].color_code, "#1F77B4");
    assert_eq!(
        r.settlement_sources[0].url.as_deref(),
        Some("https://www.weather.gov")
    );
    assert_eq!(r.competition, None);
    assert_eq!(r.competition_scope, None);
    let missing = crate::response::parse::<GetEventMetadata>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"event not found"}"#,
    );
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
}

// -------------------------------------------------------------------------------------------
// GetEventFeeChanges
// -------------------------------------------------------------------------------------------

#[test]
fn get_event_fee_changes_request() {
    built(&GetEventFeeChanges::new(), "/events/fee_changes");
    built(
        &GetEventFeeChanges::new()
            .event_ticker("KXHIGHNY-26DEC06")
            .limit(1000)
            .cursor("c3"),
        "/events/fee_changes?event_ticker=KXHIGHNY-26DEC06&limit=1000&cursor=c3",
    );
    refused(&GetEventFeeChanges::new().limit(0), "limit");
    refused(&GetEventFeeChanges::new().limit(1001), "limit");
}

#[test]
fn get_event_fee_changes_response() {
    let page = parse::<GetEventFeeChanges>(
        r#"{"event_fee_changes": [
            {"id": "efc-1", "event_ticker": "KXHIGHNY-26DEC06", "series_ticker": "KXHIGHNY",
             "fee_type_override": "flat", "fee_multiplier_override": 0.035,
             "scheduled_ts": "2026-12-06T05:00:00Z"},
            {"id": "efc-2", "event_ticker": "KXHIGHNY-26DEC06", "series_ticker": "KXHIGHNY",
             "fee_type_override": null, "fee_multiplier_override": null,
             "scheduled_ts": "2026-12-08T05:00:00Z"}
        ], "cursor": "c4"}"#,
    );
    assert_eq!(page.cursor.as_deref(), Some("c4"));
    let set = &page.event_fee_changes[0];
    assert_eq!(set.fee_type_override, Some(FeeType::Flat));
    assert_eq!(
        set.fee_multiplier_override
            .as_ref()
            .and_then(|n| n.as_f64()),
        Some(0.035)
    );
    assert_eq!(set.scheduled_ts, time("2026-12-06T05:00:00Z"));
    // Both overrides null: the override is cleared.
    let cleared = &page.event_fee_changes[1];
    assert_eq!(cleared.fee_type_override, None);
    assert_eq!(cleared.fee_multiplier_override, None);
    // Numbers are written back as sent.
    let back = serde_json::to_string(&page.event_fee_changes[0]).unwrap();
    assert!(
        back.contains(r#""fee_multiplier_override":0.035"#),
        "{back}"
    );
}

// -------------------------------------------------------------------------------------------
// GetMarketCandlesticksByEvent
// -------------------------------------------------------------------------------------------

#[test]
fn get_market_candlesticks_by_event_request() {
    built(
        &GetMarketCandlesticksByEvent::new(
            "KXHIGHNY",
            "KXHIGHNY-26DEC06",
            1_796_000_000,
            1_796_086_400,
            60,
        ),
        "/series/KXHIGHNY/events/KXHIGHNY-26DEC06/candlesticks?start_ts=1796000000&end_ts=1796086400&period_interval=60",
    );
    let ok = |p| GetMarketCandlesticksByEvent::new("S", "E", 1, 2, p);
    for p in CANDLESTICK_PERIODS {
        client()
            .request(&ok(p), Timestamp::from_millis(TS))
            .unwrap();
    }
    refused(&ok(0), "period_interval");
    refused(&ok(5), "period_interval");
    refused(
        &GetMarketCandlesticksByEvent::new("", "E", 1, 2, 1),
        "series_ticker",
    );
    refused(
        &GetMarketCandlesticksByEvent::new("S", "", 1, 2, 1),
        "ticker",
    );
    refused(
        &GetMarketCandlesticksByEvent::new("S", "E", 3, 2, 1),
        "start_ts",
    );
}

#[test]
fn get_market_candlesticks_by_event_response() {
    let r = parse::<GetMarketCandlesticksByEvent>(
        r#"{"market_tickers": ["KXHIGHNY-26DEC06-T45", "KXHIGHNY-26DEC06-B44.5"],
            "market_candlesticks": [
              [{"end_period_ts": 1796003600,
                "yes_bid": {"open_dollars": "0.5500", "low_dollars": "0.5400", "high_dollars": "0.5800", "close_dollars": "0.5600"},
                "yes_ask": {"open_dollars": "0.5700", "low_dollars": "0.5600", "high_dollars": "0.6000", "close_dollars": "0.5800"},
                "price": {"open_dollars": "0.5600", "low_dollars": "0.5500", "high_dollars": "0.5900", "close_dollars": "0.5700",
                          "mean_dollars": "0.5712", "previous_dollars": "0.5500", "min_dollars": null, "max_dollars": null},
                "volume_fp": "320.00", "open_interest_fp": "8800.00"}],
              [{"end_period_ts": 1796003600,
                "yes_bid": {"open_dollars": "0.1000", "low_dollars": "0.1000", "high_dollars": "0.1000", "close_dollars": "0.1000"},
                "yes_ask": {"open_dollars": "0.1200", "low_dollars": "0.1200", "high_dollars": "0.1200", "close_dollars": "0.1200"},
                "price": {"open_dollars": null, "low_dollars": null, "high_dollars": null, "close_dollars": null,
                          "mean_dollars": null, "previous_dollars": "0.1100"},
                "volume_fp": "0.00", "open_interest_fp": "150.00"}]
            ],
            "adjusted_end_ts": 1796086400}"#,
    );
    assert_eq!(r.market_tickers.len(), 2);
    assert_eq!(r.adjusted_end_ts, 1_796_086_400);
    let c = &r.market_candlesticks[0][0];
    assert_eq!(c.end_period_ts, 1_796_003_600);
    assert_eq!(c.yes_bid.close_dollars, price("0.56"));
    assert_eq!(c.yes_ask.high_dollars, price("0.60"));
    assert_eq!(c.price.mean_dollars, Some(price("0.5712")));
    assert_eq!(c.volume_fp, count("320"));
    let quiet = &r.market_candlesticks[1][0];
    assert_eq!(quiet.price.close_dollars, None);
    assert_eq!(quiet.price.previous_dollars, Some(price("0.11")));
    assert_eq!(quiet.price.max_dollars, None);
}

// -------------------------------------------------------------------------------------------
// GetEventForecastPercentilesHistory
// -------------------------------------------------------------------------------------------

fn forecast(percentiles: Vec<u32>, period: u32) -> GetEventForecastPercentilesHistory {
    GetEventForecastPercentilesHistory::new(
        "KXHIGHNY",
        "KXHIGHNY-26DEC06",
        percentiles,
        1_796_000_000,
        1_796_086_400,
        period,
    )
}

#[test]
fn get_event_forecast_percentiles_history_request() {
    built(
        &forecast(vec![1000, 5000, 9000], 60),
        "/series/KXHIGHNY/events/KXHIGHNY-26DEC06/forecast_percentile_history?percentiles=1000&percentiles=5000&percentiles=9000&start_ts=1796000000&end_ts=1796086400&period_interval=60",
    );
    for p in FORECAST_PERIODS {
        client()
            .request(&forecast(vec![0, 9999], p), Timestamp::from_millis(TS))
            .unwrap();
    }
    client()
        .request(&forecast((0..10).collect(), 0), Timestamp::from_millis(TS))
        .unwrap();
    refused(&forecast(vec![], 60), "percentiles");
    refused(&forecast((0..11).collect(), 60), "percentiles");
    refused(&forecast(vec![5000, 10_000], 60), "percentiles");
    refused(&forecast(vec![5000], 5), "period_interval");
    refused(
        &GetEventForecastPercentilesHistory::new("KXHIGHNY", "", vec![1], 1, 2, 1),
        "ticker",
    );
    refused(
        &GetEventForecastPercentilesHistory::new("KXHIGHNY", "E", vec![1], 2, 1, 1),
        "start_ts",
    );
}

#[test]
fn get_event_forecast_percentiles_history_response() {
    let r = parse::<GetEventForecastPercentilesHistory>(
        r#"{"forecast_history": [{
            "event_ticker": "KXHIGHNY-26DEC06",
            "end_period_ts": 1796003600,
            "period_interval": 60,
            "percentile_points": [
              {"percentile": 1000, "raw_numerical_forecast": 41.237, "numerical_forecast": 41.2, "formatted_forecast": "41.2°"},
              {"percentile": 5000, "raw_numerical_forecast": 44, "numerical_forecast": 44, "formatted_forecast": "44°"}
            ]}]}"#,
    );
    let point = &r.forecast_history[0];
    assert_eq!(point.event_ticker, "KXHIGHNY-26DEC06");
    assert_eq!(point.end_period_ts, 1_796_003_600);
    assert_eq!(point.period_interval, 60);
    let p10 = &point.percentile_points[0];
    assert_eq!(p10.percentile, 1000);
    assert_eq!(p10.raw_numerical_forecast.as_f64(), Some(41.237));
    assert_eq!(p10.formatted_forecast, "41.2°");
    assert_eq!(
        point.percentile_points[1].numerical_forecast.as_i64(),
        Some(44)
    );
    // Written back exactly as sent.
    let back = serde_json::to_string(p10).unwrap();
    assert!(
        back.contains(r#""raw_numerical_forecast":41.237"#),
        "{back}"
    );
}
