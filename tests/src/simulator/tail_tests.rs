//! The tail areas: multivariate event collections and their combo markets, milestones,
//! structured targets, search, incentive programs, live data and the FCM endpoints, every
//! answer checked against its documented schema ([`assert_shape`]).

use serde_json::{Value, json};

use super::shape_check::assert_shape;
use super::test_client::{Client, other_credentials};
use super::*;
use crate::DEMO_KEY_ID;

const T0: u64 = 1_798_718_490_000; // 2026-12-31T12:01:30Z
const ORDERS: &str = "/portfolio/events/orders";
const OTHER_PUBLIC_KEY_PEM: &str = include_str!("../../keys/other-key.pub.pem");
const COLLECTION: &str = "KXMVETEST";

/// Sends a request that must answer `status` with the documented shape of `op`; the body
/// (`{}` for an empty one).
fn call(
    c: &mut Client,
    sim: &Simulator,
    op: &str,
    method: &str,
    target: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    let resp = c.call(sim, method, target, body.map(|b| b.to_string()).as_deref());
    resp.assert_status(status);
    let v = if resp.body.is_empty() {
        json!({})
    } else {
        resp.json()
    };
    if status < 300 {
        assert_shape(op, status, &v);
    }
    v
}

/// An error answer with `status` and `code`; its `details`.
fn refused(
    c: &mut Client,
    sim: &Simulator,
    method: &str,
    target: &str,
    body: Option<Value>,
    status: u16,
    code: &str,
) -> String {
    let resp = c.call(sim, method, target, body.map(|b| b.to_string()).as_deref());
    resp.assert_error(status, code);
    resp.error_details()
}

fn config() -> SimulatorConfig {
    SimulatorConfig::default()
        .with_clock(ManualClock::new(T0))
        .with_key_pem("other", OTHER_PUBLIC_KEY_PEM)
        .unwrap()
}

// --- Multivariate event collections -----------------------------------------------------------

fn collections_sim() -> Simulator {
    let c = config()
        .with_collection(
            CollectionConfig::new(COLLECTION, "KXMVE")
                .title("Test combos")
                .description("Two test events", "YES if every leg is")
                .event("KXTEST-26DEC31")
                .event(CollectionEvent::new("KXSUBPENNY-26DEC31").yes_only())
                .sizes(2, 3),
        )
        .with_collection(
            CollectionConfig::new("KXMVELATER", "KXMVE2")
                .event("KXTEST-26DEC31")
                .dates_ms(T0 + 86_400_000, T0 + 2 * 86_400_000),
        )
        .with_collection(
            CollectionConfig::new("KXMVEOVER", "KXMVE")
                .event(CollectionEvent::new("KXTEST-26DEC31").sizes(None, Some(1)))
                .dates_ms(0, T0 - 1),
        );
    Simulator::start(c).unwrap()
}

fn leg(event: &str, market: &str, side: &str) -> Value {
    json!({"event_ticker": event, "market_ticker": market, "side": side})
}

#[test]
fn collections_list_with_filters_and_cursor_and_get() {
    let sim = &collections_sim();
    let c = &mut Client::new(sim);
    let op = "GetMultivariateEventCollections";
    let all = call(
        c,
        sim,
        op,
        "GET",
        "/multivariate_event_collections",
        None,
        200,
    );
    let tickers: Vec<&str> = all["multivariate_contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["collection_ticker"].as_str().unwrap())
        .collect();
    assert_eq!(tickers, ["KXMVELATER", "KXMVEOVER", COLLECTION]);
    assert_eq!(all["cursor"], "");
    let names = |v: &Value| -> Vec<String> {
        v["multivariate_contracts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["collection_ticker"].as_str().unwrap().to_owned())
            .collect()
    };
    for (query, want) in [
        ("status=open", vec![COLLECTION]),
        ("status=unopened", vec!["KXMVELATER"]),
        ("status=closed", vec!["KXMVEOVER"]),
        (
            "associated_event_ticker=KXSUBPENNY-26DEC31",
            vec![COLLECTION],
        ),
        ("series_ticker=KXMVE", vec!["KXMVEOVER", COLLECTION]),
    ] {
        let got = call(
            c,
            sim,
            op,
            "GET",
            &format!("/multivariate_event_collections?{query}"),
            None,
            200,
        );
        assert_eq!(names(&got), want, "{query}");
    }
    // Page by page.
    let first = call(
        c,
        sim,
        op,
        "GET",
        "/multivariate_event_collections?limit=2",
        None,
        200,
    );
    assert_eq!(names(&first), ["KXMVELATER", "KXMVEOVER"]);
    let cursor = first["cursor"].as_str().unwrap();
    let second = call(
        c,
        sim,
        op,
        "GET",
        &format!("/multivariate_event_collections?limit=2&cursor={cursor}"),
        None,
        200,
    );
    assert_eq!(names(&second), [COLLECTION]);
    assert_eq!(second["cursor"], "");
    for bad in ["limit=0", "limit=201", "status=settled", "cursor=zz"] {
        refused(
            c,
            sim,
            "GET",
            &format!("/multivariate_event_collections?{bad}"),
            None,
            400,
            "invalid_parameters",
        );
    }

    let one = call(
        c,
        sim,
        "GetMultivariateEventCollection",
        "GET",
        &format!("/multivariate_event_collections/{COLLECTION}"),
        None,
        200,
    );
    let m = &one["multivariate_contract"];
    assert_eq!(m["series_ticker"], "KXMVE");
    assert_eq!(m["size_min"], 2);
    assert_eq!(m["is_all_yes"], false);
    assert_eq!(
        m["associated_event_tickers"],
        json!(["KXTEST-26DEC31", "KXSUBPENNY-26DEC31"])
    );
    assert_eq!(m["associated_events"][1]["is_yes_only"], true);
    assert_eq!(m["associated_events"][1]["size_max"], Value::Null);
    refused(
        c,
        sim,
        "GET",
        "/multivariate_event_collections/KXNONE",
        None,
        404,
        "not_found",
    );
}

#[test]
fn a_combo_market_is_created_once_and_trades() {
    let sim = &collections_sim();
    let c = &mut Client::new(sim);
    let op = "CreateMarketInMultivariateEventCollection";
    let path = format!("/multivariate_event_collections/{COLLECTION}");
    let legs = json!([
        leg("KXTEST-26DEC31", "KXTEST-26DEC31-T60", "no"),
        leg("KXSUBPENNY-26DEC31", "KXSUBPENNY-26DEC31-T50", "yes"),
    ]);
    let created = call(
        c,
        sim,
        op,
        "POST",
        &path,
        Some(json!({"selected_markets": legs, "with_market_payload": true})),
        200,
    );
    let ticker = created["market_ticker"].as_str().unwrap().to_owned();
    let event = created["event_ticker"].as_str().unwrap().to_owned();
    assert!(event.starts_with("KXMVETEST-"), "{event}");
    assert_eq!(ticker, format!("{event}-1"));
    let market = &created["market"];
    assert_eq!(market["ticker"], ticker.as_str());
    assert_eq!(market["mve_collection_ticker"], COLLECTION);
    assert_eq!(
        market["mve_selected_legs"][0]["market_ticker"],
        "KXSUBPENNY-26DEC31-T50"
    );
    assert_eq!(market["mve_selected_legs"][1]["side"], "no");
    assert_eq!(market["status"], "active");

    // The same legs in another order resolve to the same market (the collection is unordered).
    let again = call(
        c,
        sim,
        op,
        "POST",
        &path,
        Some(json!({"selected_markets": [
            leg("KXSUBPENNY-26DEC31", "KXSUBPENNY-26DEC31-T50", "yes"),
            leg("KXTEST-26DEC31", "KXTEST-26DEC31-T60", "no"),
        ]})),
        200,
    );
    assert_eq!(
        again,
        json!({"event_ticker": event, "market_ticker": ticker})
    );
    // Another side is another market.
    let other = call(
        c,
        sim,
        op,
        "POST",
        &path,
        Some(json!({"selected_markets": [
            leg("KXSUBPENNY-26DEC31", "KXSUBPENNY-26DEC31-T50", "yes"),
            leg("KXTEST-26DEC31", "KXTEST-26DEC31-T60", "yes"),
        ]})),
        200,
    );
    assert_ne!(other["market_ticker"], ticker.as_str());
    assert_eq!(sim.combo_markets().len(), 2);

    // Listed as a combo, in a multivariate event.
    let only = call(
        c,
        sim,
        "GetMarkets",
        "GET",
        "/markets?mve_filter=only",
        None,
        200,
    );
    assert_eq!(only["markets"].as_array().unwrap().len(), 2);
    let excluded = call(
        c,
        sim,
        "GetMarkets",
        "GET",
        "/markets?mve_filter=exclude",
        None,
        200,
    );
    assert!(
        excluded["markets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["mve_collection_ticker"].is_null())
    );
    let events = call(
        c,
        sim,
        "GetMultivariateEvents",
        "GET",
        &format!("/events/multivariate?collection_ticker={COLLECTION}"),
        None,
        200,
    );
    assert_eq!(events["events"].as_array().unwrap().len(), 2);
    assert_eq!(events["events"][0]["series_ticker"], "KXMVE");

    // It trades like any market: a resting ask, a crossing bid from another account.
    let ask = json!({"ticker": ticker, "side": "ask", "price": "0.30", "count": "4",
        "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross"});
    call(c, sim, "CreateOrderV2", "POST", ORDERS, Some(ask), 201);
    let book = call(
        c,
        sim,
        "GetMarketOrderbook",
        "GET",
        &format!("/markets/{ticker}/orderbook"),
        None,
        200,
    );
    assert_eq!(
        book["orderbook_fp"]["no_dollars"],
        json!([["0.7000", "4.00"]])
    );
    let o = &mut Client::with_credentials(sim, other_credentials("other"));
    let bid = json!({"ticker": ticker, "side": "bid", "price": "0.30", "count": "3",
        "time_in_force": "immediate_or_cancel", "self_trade_prevention_type": "taker_at_cross"});
    let filled = call(o, sim, "CreateOrderV2", "POST", ORDERS, Some(bid), 201);
    assert_eq!(filled["fill_count"], "3.00");
    assert_eq!(sim.fills("other").len(), 1);
    let positions = sim.positions("other");
    assert_eq!(positions[0].ticker, ticker);
}

#[test]
fn combo_selections_are_checked() {
    let sim = &collections_sim();
    let c = &mut Client::new(sim);
    let path = format!("/multivariate_event_collections/{COLLECTION}");
    let t60 = leg("KXTEST-26DEC31", "KXTEST-26DEC31-T60", "yes");
    let sub = leg("KXSUBPENNY-26DEC31", "KXSUBPENNY-26DEC31-T50", "yes");
    for (body, says) in [
        (json!({}), "`selected_markets` is required"),
        (json!({"selected_markets": "x"}), "must be an array"),
        (
            json!({"selected_markets": [t60.clone()]}),
            "takes 2 to 3 markets, got 1",
        ),
        (
            json!({"selected_markets": [t60.clone(), t60.clone()]}),
            "selected twice",
        ),
        (
            json!({"selected_markets": [t60.clone(), leg("KXSUBPENNY-26DEC31", "KXSUBPENNY-26DEC31-T50", "no")]}),
            "only the yes side",
        ),
        (
            json!({"selected_markets": [t60.clone(), leg("KXOTHER-1", "KXOTHER-1-A", "yes")]}),
            "not associated",
        ),
        (
            json!({"selected_markets": [t60.clone(), leg("KXSUBPENNY-26DEC31", "KXTEST-26DEC31-T50", "yes")]}),
            "not a market of the event",
        ),
        (
            json!({"selected_markets": [t60.clone(), leg("KXSUBPENNY-26DEC31", "KXSUBPENNY-26DEC31-T99", "yes")]}),
            "no market",
        ),
        (
            json!({"selected_markets": [t60.clone(), sub.clone(), {"event_ticker": "E", "market_ticker": "M", "side": "maybe"}]}),
            "yes or no",
        ),
    ] {
        let details = refused(
            c,
            sim,
            "POST",
            &path,
            Some(body.clone()),
            400,
            "invalid_parameters",
        );
        assert!(details.contains(says), "{body}: {details}");
    }
    // Unknown, not yet open and closed collections; the per-event size.
    let two = json!({"selected_markets": [t60, sub]});
    for (target, says) in [
        ("KXNONE", "no multivariate event collection"),
        ("KXMVELATER", "is unopened"),
        ("KXMVEOVER", "is closed"),
    ] {
        let details = refused(
            c,
            sim,
            "POST",
            &format!("/multivariate_event_collections/{target}"),
            Some(two.clone()),
            400,
            "invalid_parameters",
        );
        assert!(details.contains(says), "{target}: {details}");
    }
    assert!(sim.markets().iter().all(|m| !m.starts_with("KXMVE")));
}

// --- Milestones, structured targets, search, incentive programs, live data --------------------

#[test]
fn milestones_and_structured_targets_filter_and_page() {
    let mut data = ReferenceData::default();
    let mut second = data.milestones[0].clone();
    second["id"] = json!("5c1e7a2b-0d4f-4e1a-9b3c-000000000002");
    second["type"] = json!("basketball_game");
    second["category"] = json!("Basketball");
    second["start_date"] = json!("2027-01-05T00:00:00Z");
    second["related_event_tickers"] = json!(["KXOTHER-27JAN05"]);
    second["details"] = json!({"competition": "Pro Basketball"});
    data.milestones.push(second);
    let mut team = data.structured_targets[0].clone();
    team["id"] = json!("5c1e7a2b-0d4f-4e1a-9b3c-000000000102");
    team["type"] = json!("basketball_team");
    team["details"] = json!({"leagues": ["Pro Basketball"]});
    data.structured_targets.push(team);
    let sim = &Simulator::start(config().with_reference_data(data)).unwrap();
    let c = &mut Client::new(sim);

    let ids = |v: &Value, list: &str| -> Vec<String> {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap()[33..].to_owned())
            .collect()
    };
    let op = "GetMilestones";
    for (query, want) in [
        ("limit=10", vec!["001", "002"]),
        ("limit=10&category=Sports", vec!["001"]),
        ("limit=10&type=basketball_game", vec!["002"]),
        ("limit=10&competition=Pro%20Football", vec!["001"]),
        ("limit=10&source_id=test-game-1", vec!["001", "002"]),
        ("limit=10&related_event_ticker=KXOTHER-27JAN05", vec!["002"]),
        (
            "limit=10&minimum_start_date=2027-01-01T00:00:00Z",
            vec!["002"],
        ),
        ("limit=10&min_updated_ts=1900000000", vec![]),
    ] {
        let got = call(
            c,
            sim,
            op,
            "GET",
            &format!("/milestones?{query}"),
            None,
            200,
        );
        assert_eq!(ids(&got, "milestones"), want, "{query}");
    }
    let first = call(c, sim, op, "GET", "/milestones?limit=1", None, 200);
    let next = format!(
        "/milestones?limit=1&cursor={}",
        first["cursor"].as_str().unwrap()
    );
    let second = call(c, sim, op, "GET", &next, None, 200);
    assert_eq!(ids(&second, "milestones"), ["002"]);
    assert_eq!(second["cursor"], "");
    for bad in [
        "",
        "?limit=0",
        "?limit=501",
        "?limit=5&minimum_start_date=yesterday",
    ] {
        refused(
            c,
            sim,
            "GET",
            &format!("/milestones{bad}"),
            None,
            400,
            "invalid_parameters",
        );
    }
    let one = call(
        c,
        sim,
        "GetMilestone",
        "GET",
        &format!("/milestones/{DEFAULT_MILESTONE_ID}"),
        None,
        200,
    );
    assert_eq!(one["milestone"]["title"], "Test Bears at Test Lions");
    refused(c, sim, "GET", "/milestones/nope", None, 404, "not_found");

    let op = "GetStructuredTargets";
    for (query, want) in [
        ("", vec!["101", "102"]),
        ("?type=basketball_team", vec!["102"]),
        ("?competition=Pro%20Football", vec!["101"]),
        ("?competition=Pro%20Basketball", vec!["102"]),
        ("?ids=5c1e7a2b-0d4f-4e1a-9b3c-000000000102", vec!["102"]),
    ] {
        let got = call(
            c,
            sim,
            op,
            "GET",
            &format!("/structured_targets{query}"),
            None,
            200,
        );
        assert_eq!(ids(&got, "structured_targets"), want, "{query}");
    }
    let first = call(
        c,
        sim,
        op,
        "GET",
        "/structured_targets?page_size=1",
        None,
        200,
    );
    let next = format!(
        "/structured_targets?page_size=1&cursor={}",
        first["cursor"].as_str().unwrap()
    );
    assert_eq!(
        ids(
            &call(c, sim, op, "GET", &next, None, 200),
            "structured_targets"
        ),
        ["102"]
    );
    refused(
        c,
        sim,
        "GET",
        "/structured_targets?page_size=2001",
        None,
        400,
        "invalid_parameters",
    );
    let one = call(
        c,
        sim,
        "GetStructuredTarget",
        "GET",
        "/structured_targets/5c1e7a2b-0d4f-4e1a-9b3c-000000000101",
        None,
        200,
    );
    assert_eq!(one["structured_target"]["name"], "Test Lions");
    refused(
        c,
        sim,
        "GET",
        "/structured_targets/nope",
        None,
        404,
        "not_found",
    );
}

#[test]
fn search_incentives_and_live_data() {
    let mut data = ReferenceData::default();
    let mut volume = data.incentive_programs[0].clone();
    volume["id"] = json!("5c1e7a2b-0d4f-4e1a-9b3c-000000000202");
    volume["incentive_type"] = json!("volume");
    volume["start_date"] = json!("2027-06-01T00:00:00Z");
    data.incentive_programs.push(volume);
    let config = config()
        .with_reference_data(data)
        .with_series(
            SeriesConfig::new("KXTEST")
                .category("Economics")
                .tags(["Rates", "Daily"]),
        )
        .with_series(
            SeriesConfig::new("KXSUBPENNY")
                .category("Economics")
                .tags(["Daily"]),
        );
    let sim = &Simulator::start(config).unwrap();
    let c = &mut Client::new(sim);

    let filters = call(
        c,
        sim,
        "GetFiltersForSports",
        "GET",
        "/search/filters_by_sport",
        None,
        200,
    );
    assert_eq!(filters["sport_ordering"], json!(["Football"]));
    let tags = call(
        c,
        sim,
        "GetTagsForSeriesCategories",
        "GET",
        "/search/tags_by_categories",
        None,
        200,
    );
    assert_eq!(
        tags,
        json!({"tags_by_categories": {"Economics": ["Daily", "Rates"]}})
    );

    let op = "GetIncentivePrograms";
    let count = |v: &Value| v["incentive_programs"].as_array().unwrap().len();
    for (query, want) in [
        ("", 2),
        ("?status=all&type=all", 2),
        ("?status=active", 1),
        ("?status=upcoming", 1),
        ("?status=closed", 0),
        ("?type=volume", 1),
        (
            "?incentive_description=Liquidity%20incentive%20on%20the%20test%20market",
            2,
        ),
    ] {
        let got = call(
            c,
            sim,
            op,
            "GET",
            &format!("/incentive_programs{query}"),
            None,
            200,
        );
        assert_eq!(count(&got), want, "{query}");
    }
    let first = call(c, sim, op, "GET", "/incentive_programs?limit=1", None, 200);
    let next = format!(
        "/incentive_programs?limit=1&cursor={}",
        first["next_cursor"].as_str().unwrap()
    );
    let second = call(c, sim, op, "GET", &next, None, 200);
    assert_eq!(second["incentive_programs"][0]["incentive_type"], "volume");
    assert_eq!(second["next_cursor"], "");
    for bad in ["?status=paid", "?type=maker", "?limit=10001"] {
        refused(
            c,
            sim,
            "GET",
            &format!("/incentive_programs{bad}"),
            None,
            400,
            "invalid_parameters",
        );
    }

    let m = DEFAULT_MILESTONE_ID;
    let batch = call(
        c,
        sim,
        "GetLiveDatas",
        "GET",
        &format!(
            "/live_data/batch?milestone_ids={m}&milestone_ids=unknown&include_player_stats=true"
        ),
        None,
        200,
    );
    assert_eq!(batch["live_datas"].as_array().unwrap().len(), 1);
    refused(
        c,
        sim,
        "GET",
        "/live_data/batch",
        None,
        400,
        "invalid_parameters",
    );
    let one = call(
        c,
        sim,
        "GetLiveDataByMilestone",
        "GET",
        &format!("/live_data/milestone/{m}?include_player_stats=false"),
        None,
        200,
    );
    assert_eq!(one["live_data"]["type"], "football_game");
    call(
        c,
        sim,
        "GetLiveData",
        "GET",
        &format!("/live_data/football_game/milestone/{m}"),
        None,
        200,
    );
    refused(
        c,
        sim,
        "GET",
        &format!("/live_data/golf_tournament/milestone/{m}"),
        None,
        404,
        "not_found",
    );
    refused(
        c,
        sim,
        "GET",
        "/live_data/milestone/nope",
        None,
        404,
        "not_found",
    );
    let stats = call(
        c,
        sim,
        "GetGameStats",
        "GET",
        &format!("/live_data/milestone/{m}/game_stats"),
        None,
        200,
    );
    assert_eq!(stats["pbp"]["periods"][0]["events"][0]["type"], "kickoff");
    let event = call(
        c,
        sim,
        "GetEventLiveData",
        "GET",
        "/live_data/events/KXTEST-26DEC31?range=1h",
        None,
        200,
    );
    assert_eq!(event["live_data"]["type"], "price_chart");
    refused(
        c,
        sim,
        "GET",
        "/live_data/events/KXTEST-26DEC31?range=5y",
        None,
        400,
        "invalid_parameters",
    );
    refused(
        c,
        sim,
        "GET",
        "/live_data/events/KXNONE",
        None,
        404,
        "not_found",
    );

    // The weather index: the default window (the last day) holds the three points.
    let op = "GetWeatherIndex";
    let w = call(c, sim, op, "GET", "/live_data/weather/miami", None, 200);
    assert_eq!(w["timeseries"].as_array().unwrap().len(), 2, "{w}");
    assert!(w["timeseries"][0].get("stations").is_none());
    assert_eq!(w["config_version"], "miami-temperature-v1.0");
    let noon = 1_798_718_400_000_u64;
    let w = call(
        c,
        sim,
        op,
        "GET",
        &format!(
            "/live_data/weather/miami?from={noon}&to={}&detailed=true",
            noon + 60_000
        ),
        None,
        200,
    );
    assert_eq!(w["timeseries"].as_array().unwrap().len(), 2);
    assert_eq!(w["timeseries"][1]["stations"][0]["station_id"], "KMIA1M");
    let w = call(
        c,
        sim,
        op,
        "GET",
        "/live_data/weather/miami?last_sec=20",
        None,
        200,
    );
    assert_eq!(w["timeseries"], json!([]));
    assert_eq!(w["config_version"], "");
    let w = call(
        c,
        sim,
        op,
        "GET",
        &format!("/live_data/weather/miami?to={noon}"),
        None,
        200,
    );
    assert_eq!(w["timeseries"].as_array().unwrap().len(), 1);
    for bad in [
        "?from=1",
        "?from=2&to=1",
        "?last_sec=5&to=1",
        "?last_sec=-1",
    ] {
        refused(
            c,
            sim,
            "GET",
            &format!("/live_data/weather/miami{bad}"),
            None,
            400,
            "invalid_parameters",
        );
    }
    refused(
        c,
        sim,
        "GET",
        "/live_data/weather/atlantis",
        None,
        404,
        "not_found",
    );
    let cal = call(
        c,
        sim,
        "GetWeatherIndexCalibrations",
        "GET",
        "/live_data/weather/miami/calibrations",
        None,
        200,
    );
    assert_eq!(cal["units"], "celsius");
    assert_eq!(
        cal["calibrations"][0]["stations"].as_array().unwrap().len(),
        2
    );
    refused(
        c,
        sim,
        "GET",
        "/live_data/weather/atlantis/calibrations",
        None,
        404,
        "not_found",
    );
}

#[test]
fn reference_data_can_be_empty() {
    let sim = &Simulator::start(config().with_reference_data(ReferenceData::empty())).unwrap();
    let c = &mut Client::new(sim);
    let got = call(
        c,
        sim,
        "GetMilestones",
        "GET",
        "/milestones?limit=5",
        None,
        200,
    );
    assert_eq!(got, json!({"milestones": [], "cursor": ""}));
    // Set while running.
    sim.set_reference_data(ReferenceData::default());
    let got = call(
        c,
        sim,
        "GetMilestones",
        "GET",
        "/milestones?limit=5",
        None,
        200,
    );
    assert_eq!(got["milestones"].as_array().unwrap().len(), 1);
    sim.set_reference_data(ReferenceData::empty());
    sim.add_collection(CollectionConfig::new("KXMVELIVE", "KXMVE"));
    call(
        c,
        sim,
        "GetMultivariateEventCollection",
        "GET",
        "/multivariate_event_collections/KXMVELIVE",
        None,
        200,
    );
    let got = call(
        c,
        sim,
        "GetFiltersForSports",
        "GET",
        "/search/filters_by_sport",
        None,
        200,
    );
    assert_eq!(got, json!({"filters_by_sports": {}, "sport_ordering": []}));
    refused(
        c,
        sim,
        "GET",
        &format!("/live_data/milestone/{DEFAULT_MILESTONE_ID}/game_stats"),
        None,
        404,
        "not_found",
    );
}

// --- FCM --------------------------------------------------------------------------------------

/// The demo key is an FCM member whose subtrader `demo-key_T1` trades as the key `other`.
fn fcm_sim() -> Simulator {
    Simulator::start(config().with_fcm_subtrader(DEMO_KEY_ID, "T1", "other")).unwrap()
}

const SUBTRADER: &str = "demo-key_T1";

#[test]
fn fcm_endpoints_refuse_a_key_that_is_not_an_fcm_member() {
    let sim = &fcm_sim();
    let o = &mut Client::with_credentials(sim, other_credentials("other"));
    let q = format!("subtrader_id={SUBTRADER}");
    for (method, target, body) in [
        (
            "POST",
            "/fcm/subtraders".to_owned(),
            Some(json!({"subtrader_suffix": "X"})),
        ),
        ("GET", "/fcm/subtraders".to_owned(), None),
        (
            "GET",
            format!("/fcm/subtraders/blocked_categories?{q}"),
            None,
        ),
        (
            "PUT",
            "/fcm/subtraders/blocked_categories".to_owned(),
            Some(json!({"subtrader_id": SUBTRADER, "category": "Sports", "blocked": true})),
        ),
        (
            "GET",
            format!("/fcm/subtraders/event_contract_daily_cap?{q}"),
            None,
        ),
        (
            "PUT",
            "/fcm/subtraders/event_contract_daily_cap".to_owned(),
            Some(json!({"subtrader_id": SUBTRADER, "limit": "10.00"})),
        ),
        (
            "DELETE",
            format!("/fcm/subtraders/event_contract_daily_cap?{q}"),
            None,
        ),
        ("GET", format!("/fcm/orders?{q}"), None),
        ("GET", format!("/fcm/positions?{q}"), None),
        ("GET", "/fcm/fills".to_owned(), None),
        (
            "POST",
            "/fcm/positions/transfers".to_owned(),
            Some(
                json!({"market_ticker": DEFAULT_MARKET, "position_centicount": 100,
                "price_centicents": 5000, "source_subtrader_id": SUBTRADER,
                "target_subtrader_id": "x"}),
            ),
        ),
    ] {
        refused(o, sim, method, &target, body, 403, "forbidden");
    }
}

#[test]
fn fcm_subtraders_categories_and_daily_caps() {
    let sim = &fcm_sim();
    let c = &mut Client::new(sim);
    let created = call(
        c,
        sim,
        "CreateFcmSubtrader",
        "POST",
        "/fcm/subtraders",
        Some(json!({"subtrader_suffix": "Alpha9"})),
        201,
    );
    assert_eq!(created["subtrader_id"], "demo-key_Alpha9");
    refused(
        c,
        sim,
        "POST",
        "/fcm/subtraders",
        Some(json!({"subtrader_suffix": "Alpha9"})),
        409,
        "subtrader_exists",
    );
    for bad in ["", "a-b", "x234567890abcdefg"] {
        refused(
            c,
            sim,
            "POST",
            "/fcm/subtraders",
            Some(json!({"subtrader_suffix": bad})),
            400,
            "invalid_parameters",
        );
    }
    let list = call(
        c,
        sim,
        "ListFcmSubtraders",
        "GET",
        "/fcm/subtraders",
        None,
        200,
    );
    let ids: Vec<&str> = list["subtraders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subtrader_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["demo-key_Alpha9", SUBTRADER]);

    let put = |c: &mut Client, category: &str, blocked: bool| {
        call(
            c,
            sim,
            "UpdateFcmSubtraderBlockedCategories",
            "PUT",
            "/fcm/subtraders/blocked_categories",
            Some(json!({"subtrader_id": SUBTRADER, "category": category, "blocked": blocked})),
            200,
        )
    };
    put(c, "Sports", true);
    assert_eq!(
        put(c, "Crypto", true),
        json!({"categories": ["Crypto", "Sports"]})
    );
    assert_eq!(put(c, "Sports", false), json!({"categories": ["Crypto"]}));
    let got = call(
        c,
        sim,
        "GetFcmSubtraderBlockedCategories",
        "GET",
        &format!("/fcm/subtraders/blocked_categories?subtrader_id={SUBTRADER}"),
        None,
        200,
    );
    assert_eq!(got, json!({"categories": ["Crypto"]}));
    refused(
        c,
        sim,
        "GET",
        "/fcm/subtraders/blocked_categories?subtrader_id=someone_else",
        None,
        400,
        "invalid_parameters",
    );
    refused(
        c,
        sim,
        "GET",
        "/fcm/subtraders/blocked_categories",
        None,
        400,
        "invalid_parameters",
    );

    let cap = format!("/fcm/subtraders/event_contract_daily_cap?subtrader_id={SUBTRADER}");
    refused(c, sim, "GET", &cap, None, 404, "not_found");
    refused(c, sim, "DELETE", &cap, None, 404, "not_found");
    call(
        c,
        sim,
        "UpdateFcmEventContractDailyCap",
        "PUT",
        "/fcm/subtraders/event_contract_daily_cap",
        Some(json!({"subtrader_id": SUBTRADER, "limit": "250.50"})),
        200,
    );
    // The subtrader trades: a resting bid holds $2.00, a fill costs $1.20.
    let o = &mut Client::with_credentials(sim, other_credentials("other"));
    let order = |side: &str, price: &str, count: &str| {
        json!({"ticker": DEFAULT_MARKET, "side": side, "price": price, "count": count,
            "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross"})
    };
    call(
        c,
        sim,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("ask", "0.40", "3")),
        201,
    );
    call(
        o,
        sim,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("bid", "0.40", "3")),
        201,
    );
    call(
        o,
        sim,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("bid", "0.20", "10")),
        201,
    );
    let got = call(
        c,
        sim,
        "GetFcmEventContractDailyCap",
        "GET",
        &cap,
        None,
        200,
    );
    assert_eq!(got["limit"], "250.5000");
    assert_eq!(got["executed_utilization"], "1.2000");
    assert_eq!(got["resting_order_utilization"], "2.0000");
    assert_eq!(got["cap_date"], "2026-12-31");
    for bad in ["-1", "1.2345678", "abc", ""] {
        refused(
            c,
            sim,
            "PUT",
            "/fcm/subtraders/event_contract_daily_cap",
            Some(json!({"subtrader_id": SUBTRADER, "limit": bad})),
            400,
            "invalid_parameters",
        );
    }
    call(
        c,
        sim,
        "DeleteFcmEventContractDailyCap",
        "DELETE",
        &cap,
        None,
        200,
    );
    refused(c, sim, "GET", &cap, None, 404, "not_found");
}

#[test]
fn fcm_orders_positions_fills_and_position_transfers() {
    let sim = &fcm_sim();
    let c = &mut Client::new(sim);
    let o = &mut Client::with_credentials(sim, other_credentials("other"));
    let order = |side: &str, price: &str, count: &str| {
        json!({"ticker": DEFAULT_MARKET, "side": side, "price": price, "count": count,
            "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross"})
    };
    // The subtrader buys 5 YES at $0.40 from the FCM's own account, then rests a bid.
    call(
        c,
        sim,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("ask", "0.40", "5")),
        201,
    );
    call(
        o,
        sim,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("bid", "0.40", "5")),
        201,
    );
    call(
        o,
        sim,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("bid", "0.10", "1")),
        201,
    );

    let q = format!("subtrader_id={SUBTRADER}");
    let orders = call(
        c,
        sim,
        "GetFCMOrders",
        "GET",
        &format!("/fcm/orders?{q}"),
        None,
        200,
    );
    assert_eq!(orders["orders"].as_array().unwrap().len(), 2);
    let resting = call(
        c,
        sim,
        "GetFCMOrders",
        "GET",
        &format!(
            "/fcm/orders?{q}&status=resting&ticker={DEFAULT_MARKET}&event_ticker=KXTEST-26DEC31&min_ts=0&max_ts=9999999999&limit=1"
        ),
        None,
        200,
    );
    assert_eq!(resting["orders"][0]["yes_price_dollars"], "0.1000");
    let first = call(
        c,
        sim,
        "GetFCMOrders",
        "GET",
        &format!("/fcm/orders?{q}&limit=1"),
        None,
        200,
    );
    let cursor = first["cursor"].as_str().unwrap();
    let second = call(
        c,
        sim,
        "GetFCMOrders",
        "GET",
        &format!("/fcm/orders?{q}&limit=1&cursor={cursor}"),
        None,
        200,
    );
    assert_eq!(second["orders"][0]["status"], "executed");
    refused(
        c,
        sim,
        "GET",
        "/fcm/orders",
        None,
        400,
        "invalid_parameters",
    );
    refused(
        c,
        sim,
        "GET",
        "/fcm/orders?subtrader_id=demo-key_NONE",
        None,
        404,
        "not_found",
    );

    let positions = call(
        c,
        sim,
        "GetFCMPositions",
        "GET",
        &format!(
            "/fcm/positions?{q}&settlement_status=unsettled&count_filter=position&event_ticker=KXTEST-26DEC31&limit=5"
        ),
        None,
        200,
    );
    assert_eq!(positions["market_positions"][0]["position_fp"], "5.00");
    refused(
        c,
        sim,
        "GET",
        &format!("/fcm/positions?{q}&settlement_status=paid"),
        None,
        400,
        "invalid_parameters",
    );

    let fills = call(
        c,
        sim,
        "GetFcmFills",
        "GET",
        "/fcm/fills?min_ts=0",
        None,
        200,
    );
    let fills = fills["fills"].as_array().unwrap();
    assert_eq!(fills.len(), 1);
    assert_eq!(fills[0]["taker_subtrader_id"], SUBTRADER);
    assert_eq!(fills[0]["taker_outcome_side"], "yes");
    assert!(fills[0].get("maker_subtrader_id").is_none());
    let none = call(
        c,
        sim,
        "GetFcmFills",
        "GET",
        "/fcm/fills?max_ts=1",
        None,
        200,
    );
    assert_eq!(none, json!({"fills": [], "cursor": ""}));

    // Move 2 of the 5 YES to the error account's subtrader at $0.45.
    let transfer = |n: i64, price: i64| {
        json!({"market_ticker": DEFAULT_MARKET, "position_centicount": n,
            "price_centicents": price, "source_subtrader_id": SUBTRADER,
            "target_subtrader_id": "demo-key_ERR"})
    };
    let fcm_before = sim.balance_cents(DEMO_KEY_ID, 0);
    call(
        c,
        sim,
        "CreateFcmPositionTransfer",
        "POST",
        "/fcm/positions/transfers",
        Some(transfer(200, 4500)),
        201,
    );
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), fcm_before + 90);
    let moved = call(
        c,
        sim,
        "GetFCMPositions",
        "GET",
        "/fcm/positions?subtrader_id=demo-key_ERR",
        None,
        200,
    );
    assert_eq!(moved["market_positions"][0]["position_fp"], "2.00");
    assert_eq!(
        moved["market_positions"][0]["market_exposure_dollars"],
        "0.9000"
    );
    let left = call(
        c,
        sim,
        "GetFCMPositions",
        "GET",
        &format!("/fcm/positions?{q}"),
        None,
        200,
    );
    assert_eq!(left["market_positions"][0]["position_fp"], "3.00");
    for (body, status, code) in [
        (transfer(400, 4500), 409, "position_transfer_refused"),
        (transfer(-100, 4500), 409, "position_transfer_refused"),
        (transfer(0, 4500), 400, "invalid_parameters"),
        (transfer(100, 10_001), 400, "invalid_parameters"),
        (
            json!({"market_ticker": "KXNONE-1", "position_centicount": 100, "price_centicents": 1,
                "source_subtrader_id": SUBTRADER, "target_subtrader_id": "demo-key_ERR"}),
            404,
            "not_found",
        ),
        (
            json!({"market_ticker": DEFAULT_MARKET, "position_centicount": 100, "price_centicents": 1,
                "source_subtrader_id": "demo-key_NONE", "target_subtrader_id": "demo-key_ERR"}),
            404,
            "not_found",
        ),
    ] {
        refused(
            c,
            sim,
            "POST",
            "/fcm/positions/transfers",
            Some(body),
            status,
            code,
        );
    }
}

#[test]
fn events_with_milestones_list_the_related_milestones() {
    let sim = &Simulator::start(config().with_market("KXRAIN-26JUN01-T2")).unwrap();
    let c = &mut Client::new(sim);
    let got = call(
        c,
        sim,
        "GetEvents",
        "GET",
        "/events?with_milestones=true&series_ticker=KXTEST",
        None,
        200,
    );
    assert_eq!(got["milestones"][0]["id"], DEFAULT_MILESTONE_ID);
    let got = call(
        c,
        sim,
        "GetEvents",
        "GET",
        "/events?with_milestones=true&series_ticker=KXRAIN",
        None,
        200,
    );
    assert_eq!(got["milestones"], json!([]));
}
