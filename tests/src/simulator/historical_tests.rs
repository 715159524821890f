//! End-to-end tests of the historical endpoints (the cutoff moving settled markets, trades,
//! fills, orders and positions out of the live endpoints), the multivariate events and the
//! event forecast history, over real sockets with the raw test client and a [`ManualClock`].
//! Every successful answer is checked against its documented schema
//! ([`shape_check`](super::shape_check)).

use kalshi_core::enums::BookSide;
use kalshi_core::events::{GetEventForecastPercentilesHistory, GetMultivariateEvents};
use kalshi_core::historical::{
    GetFillsHistorical, GetHistoricalCutoff, GetHistoricalMarket, GetHistoricalMarkets,
    GetHistoricalOrders, GetHistoricalPositions, GetMarketCandlesticksHistorical,
    GetTradesHistorical,
};
use kalshi_core::orders::CreateOrder;
use kalshi_core::{Environment, Operation, Timestamp};
use serde_json::{Value, json};

use super::shape_check::assert_shape;
use super::test_client::{Client, OTHER_PRIVATE_KEY_PEM, other_credentials};
use super::*;

const T0: u64 = 1_700_000_000_000;
/// Settles in the test.
const A: &str = "KXRAIN-26JUN01-T2";
/// Another market of A's event, settled later in some tests.
const A2: &str = "KXRAIN-26JUN01-T3";
/// Stays open.
const B: &str = "KXSNOW-26JUN01-T1";
const OTHER: &str = "other";

struct Env {
    sim: Simulator,
    clock: ManualClock,
    demo: Client,
    other: Client,
}

fn start() -> Env {
    let clock = ManualClock::new(T0);
    let other_key = kalshi_core::auth::PrivateKey::from_pem(OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .verifying_key();
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_key(OTHER, other_key)
            .with_market(A)
            .with_market(A2)
            .with_market(B),
    )
    .unwrap();
    let demo = Client::new(&sim);
    let other = Client::with_credentials(&sim, other_credentials(OTHER));
    Env {
        sim,
        clock,
        demo,
        other,
    }
}

/// A request that must answer `status`; a 200 is checked against `op`'s schema.
fn call(c: &mut Client, sim: &Simulator, op: &str, target: &str, status: u16) -> Value {
    let resp = c.call(sim, "GET", target, None);
    resp.assert_status(status);
    let v = resp.json();
    if status == 200 {
        assert_shape(op, 200, &v);
    }
    v
}

fn get(c: &mut Client, sim: &Simulator, op: &str, target: &str) -> Value {
    call(c, sim, op, target, 200)
}

fn place(c: &mut Client, sim: &Simulator, ticker: &str, side: &str, price: &str, count: &str) {
    let body = json!({"ticker": ticker, "side": side, "price": price, "count": count,
        "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross",
        "subaccount": 0});
    c.call(
        sim,
        "POST",
        "/portfolio/events/orders",
        Some(&body.to_string()),
    )
    .assert_status(201);
}

/// The values of `field` in the items of the list `list`.
fn strs(v: &Value, list: &str, field: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

/// At T0 demo buys 10 A and 5 B from `other` (two trades, two fills each side) and rests a bid
/// in B; at T0 + 60 s A and A2 settle YES; the clock ends at T0 + 120 s.
fn trade_and_settle(e: &mut Env) {
    place(&mut e.other, &e.sim, A, "ask", "0.56", "10");
    place(&mut e.demo, &e.sim, A, "bid", "0.56", "10");
    place(&mut e.other, &e.sim, B, "ask", "0.30", "5");
    place(&mut e.demo, &e.sim, B, "bid", "0.30", "5");
    place(&mut e.demo, &e.sim, B, "bid", "0.10", "3");
    e.clock.advance_ms(60_000);
    e.sim.settle_market(A, SettlementResult::Yes).unwrap();
    e.sim.settle_market(A2, SettlementResult::Yes).unwrap();
    e.clock.advance_ms(60_000);
}

#[test]
fn the_cutoff_moves_settled_markets_trades_fills_orders_and_positions() {
    let mut e = start();
    trade_and_settle(&mut e);
    let (sim, demo) = (&e.sim, &mut e.demo);

    // The default cutoff (the epoch): everything is live, the settled market says so.
    let live = get(demo, sim, "GetMarkets", "/markets");
    assert_eq!(
        strs(&live, "markets", "ticker"),
        [
            A,
            A2,
            B,
            "KXSUBPENNY-26DEC31-T50",
            DEFAULT_MARKET,
            "KXTEST-26DEC31-T60"
        ]
    );
    let a = get(demo, sim, "GetMarket", &format!("/markets/{A}"))["market"].clone();
    assert_eq!(a["status"], "finalized");
    assert_eq!(a["result"], "yes");
    assert_eq!(a["settlement_ts"], "2023-11-14T22:14:20.000Z");
    assert_eq!(a["settlement_value_dollars"], "1.0000");
    assert_eq!(sim.market_status(A), Some(MarketStatus::Finalized));
    let settled = get(demo, sim, "GetMarkets", "/markets?status=settled");
    assert_eq!(strs(&settled, "markets", "ticker"), [A, A2]);
    for (op, target, list) in [
        ("GetHistoricalMarkets", "/historical/markets", "markets"),
        ("GetTradesHistorical", "/historical/trades", "trades"),
        ("GetFillsHistorical", "/historical/fills", "fills"),
        ("GetHistoricalOrders", "/historical/orders", "orders"),
        (
            "GetHistoricalPositions",
            "/historical/positions",
            "market_positions",
        ),
    ] {
        assert_eq!(get(demo, sim, op, target)[list], json!([]), "{target}");
    }
    call(
        demo,
        sim,
        "GetHistoricalMarket",
        &format!("/historical/markets/{A}"),
        404,
    );

    // The cutoff at T0 + 90 s: A and A2 settled before it, the T0 trades happened before it,
    // the executed orders were last updated before it.
    sim.set_historical_cutoff(HistoricalCutoff::at(T0 + 90_000));
    let live = get(demo, sim, "GetMarkets", "/markets");
    assert_eq!(
        strs(&live, "markets", "ticker"),
        [
            B,
            "KXSUBPENNY-26DEC31-T50",
            DEFAULT_MARKET,
            "KXTEST-26DEC31-T60"
        ]
    );
    call(demo, sim, "GetMarket", &format!("/markets/{A}"), 404);
    let event = get(
        demo,
        sim,
        "GetEvent",
        "/events/KXRAIN-26JUN01?with_nested_markets=true",
    );
    assert_eq!(
        event["event"]["markets"],
        json!([]),
        "events stay, markets go"
    );
    let hist = get(demo, sim, "GetHistoricalMarkets", "/historical/markets");
    assert_eq!(strs(&hist, "markets", "ticker"), [A, A2]);
    assert_eq!(hist["cursor"], "");
    let one = get(
        demo,
        sim,
        "GetHistoricalMarket",
        &format!("/historical/markets/{A}"),
    );
    assert_eq!(one["market"]["result"], "yes");
    assert_eq!(one["market"]["volume_fp"], "10.00");
    call(
        demo,
        sim,
        "GetHistoricalMarket",
        &format!("/historical/markets/{B}"),
        404,
    );

    // Candlesticks follow their market.
    let range = format!(
        "start_ts={}&end_ts={}&period_interval=1",
        T0 / 1000 - 60,
        T0 / 1000 + 60
    );
    call(
        demo,
        sim,
        "GetMarketCandlesticks",
        &format!("/series/KXRAIN/markets/{A}/candlesticks?{range}"),
        404,
    );
    let candles = get(
        demo,
        sim,
        "GetMarketCandlesticksHistorical",
        &format!("/historical/markets/{A}/candlesticks?{range}"),
    );
    let with_trade: Vec<&Value> = candles["candlesticks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["volume"] != "0.00")
        .collect();
    assert_eq!(with_trade.len(), 1, "{candles}");
    assert_eq!(with_trade[0]["price"]["close"], "0.5600");
    assert_eq!(with_trade[0]["volume"], "10.00");
    assert_eq!(with_trade[0]["open_interest"], "10.00");
    call(
        demo,
        sim,
        "GetMarketCandlesticksHistorical",
        &format!("/historical/markets/{B}/candlesticks?{range}"),
        404,
    );

    // Trades and fills: both T0 executions moved, in every market.
    let trades = get(demo, sim, "GetTrades", "/markets/trades");
    assert_eq!(trades["trades"], json!([]));
    let trades = get(demo, sim, "GetTradesHistorical", "/historical/trades");
    assert_eq!(strs(&trades, "trades", "ticker"), [B, A], "newest first");
    assert_eq!(
        get(demo, sim, "GetFills", "/portfolio/fills")["fills"],
        json!([])
    );
    let fills = get(demo, sim, "GetFillsHistorical", "/historical/fills");
    assert_eq!(strs(&fills, "fills", "ticker"), [B, A]);
    let theirs = get(&mut e.other, sim, "GetFillsHistorical", "/historical/fills");
    assert_eq!(
        theirs["fills"].as_array().unwrap().len(),
        2,
        "each account its own"
    );

    // Orders: the executed ones moved, the resting bid in B stays live.
    let orders = get(demo, sim, "GetOrders", "/portfolio/orders");
    assert_eq!(strs(&orders, "orders", "status"), ["resting"]);
    let orders = get(demo, sim, "GetHistoricalOrders", "/historical/orders");
    assert_eq!(strs(&orders, "orders", "ticker"), [B, A]);
    assert_eq!(strs(&orders, "orders", "status"), ["executed", "executed"]);

    // Positions: KXRAIN-26JUN01 has every market settled before the cutoff; B is open.
    let live = get(demo, sim, "GetPositions", "/portfolio/positions");
    assert_eq!(strs(&live, "market_positions", "ticker"), [B]);
    let hist = get(demo, sim, "GetHistoricalPositions", "/historical/positions");
    assert_eq!(strs(&hist, "market_positions", "ticker"), [A]);
    assert_eq!(
        hist["market_positions"][0]["realized_pnl_dollars"],
        "4.4000"
    );
    assert_eq!(
        strs(&hist, "event_positions", "event_ticker"),
        ["KXRAIN-26JUN01"]
    );

    // Later activity stays live; moving the cutoff back returns everything.
    place(&mut e.other, sim, B, "ask", "0.10", "3");
    let trades = get(demo, sim, "GetTrades", "/markets/trades");
    assert_eq!(strs(&trades, "trades", "ticker"), [B]);
    assert_eq!(
        get(demo, sim, "GetTradesHistorical", "/historical/trades")["trades"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    sim.set_historical_cutoff(HistoricalCutoff::default());
    assert_eq!(
        get(demo, sim, "GetHistoricalMarkets", "/historical/markets")["markets"],
        json!([])
    );
    let trades = get(demo, sim, "GetTrades", "/markets/trades");
    assert_eq!(trades["trades"].as_array().unwrap().len(), 3);
}

#[test]
fn positions_move_per_whole_event_and_cutoffs_are_separate() {
    let mut e = start();
    place(&mut e.other, &e.sim, A, "ask", "0.56", "10");
    place(&mut e.demo, &e.sim, A, "bid", "0.56", "10");
    e.clock.advance_ms(60_000);
    e.sim.settle_market(A, SettlementResult::No).unwrap();
    e.clock.advance_ms(60_000);
    let (sim, demo) = (&e.sim, &mut e.demo);
    sim.set_historical_cutoff(HistoricalCutoff::at(T0 + 90_000));
    // A moved, but its event still has the open A2: its positions stay live.
    assert_eq!(
        strs(
            &get(demo, sim, "GetHistoricalMarkets", "/historical/markets"),
            "markets",
            "ticker"
        ),
        [A]
    );
    let live = get(demo, sim, "GetPositions", "/portfolio/positions");
    assert_eq!(strs(&live, "market_positions", "ticker"), [A]);
    let hist = get(demo, sim, "GetHistoricalPositions", "/historical/positions");
    assert_eq!(hist["market_positions"], json!([]));
    // Only the market cutoff: the trade stays live.
    sim.set_historical_cutoff(HistoricalCutoff {
        market_settled_ms: T0 + 90_000,
        ..HistoricalCutoff::default()
    });
    assert_eq!(
        get(demo, sim, "GetTrades", "/markets/trades")["trades"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get(demo, sim, "GetHistoricalOrders", "/historical/orders")["orders"],
        json!([])
    );
}

#[test]
fn historical_filters_and_cursors() {
    let mut e = start();
    trade_and_settle(&mut e);
    let (sim, demo) = (&e.sim, &mut e.demo);
    sim.set_historical_cutoff(HistoricalCutoff::at(T0 + 90_000));

    // Markets: pages of one, by ticker.
    let p1 = get(
        demo,
        sim,
        "GetHistoricalMarkets",
        "/historical/markets?limit=1",
    );
    assert_eq!(strs(&p1, "markets", "ticker"), [A]);
    let c = p1["cursor"].as_str().unwrap().to_owned();
    assert!(!c.is_empty());
    let p2 = get(
        demo,
        sim,
        "GetHistoricalMarkets",
        &format!("/historical/markets?limit=1&cursor={c}"),
    );
    assert_eq!(strs(&p2, "markets", "ticker"), [A2]);
    assert_eq!(p2["cursor"], "");
    for (q, want) in [
        (format!("tickers={A2}"), vec![A2]),
        ("event_ticker=KXRAIN-26JUN01".to_owned(), vec![A, A2]),
        ("series_ticker=KXSNOW".to_owned(), vec![]),
        ("mve_filter=exclude".to_owned(), vec![A, A2]),
    ] {
        let v = get(
            demo,
            sim,
            "GetHistoricalMarkets",
            &format!("/historical/markets?{q}"),
        );
        assert_eq!(strs(&v, "markets", "ticker"), want, "{q}");
    }
    for q in [
        "tickers=X&event_ticker=Y",
        "series_ticker=X&event_ticker=Y",
        "mve_filter=only",
        "limit=1001",
        "cursor=nonsense",
    ] {
        let r = demo.call(sim, "GET", &format!("/historical/markets?{q}"), None);
        r.assert_status(400);
    }

    // Trades: pages of one, newest first; the filters.
    let p1 = get(
        demo,
        sim,
        "GetTradesHistorical",
        "/historical/trades?limit=1",
    );
    assert_eq!(strs(&p1, "trades", "ticker"), [B]);
    let c = p1["cursor"].as_str().unwrap().to_owned();
    let p2 = get(
        demo,
        sim,
        "GetTradesHistorical",
        &format!("/historical/trades?limit=1&cursor={c}"),
    );
    assert_eq!(strs(&p2, "trades", "ticker"), [A]);
    assert_eq!(p2["cursor"], "");
    let t = get(
        demo,
        sim,
        "GetTradesHistorical",
        &format!("/historical/trades?ticker={A}"),
    );
    assert_eq!(strs(&t, "trades", "ticker"), [A]);
    let t = get(
        demo,
        sim,
        "GetTradesHistorical",
        "/historical/trades?is_block_trade=true",
    );
    assert_eq!(t["trades"], json!([]));
    let t = get(
        demo,
        sim,
        "GetTradesHistorical",
        &format!("/historical/trades?min_ts={}", T0 / 1000 + 1),
    );
    assert_eq!(t["trades"], json!([]));

    // Fills and orders: ticker, max_ts, pages.
    let f = get(
        demo,
        sim,
        "GetFillsHistorical",
        &format!("/historical/fills?ticker={B}"),
    );
    assert_eq!(strs(&f, "fills", "ticker"), [B]);
    let f = get(
        demo,
        sim,
        "GetFillsHistorical",
        &format!("/historical/fills?max_ts={}", T0 / 1000 - 1),
    );
    assert_eq!(f["fills"], json!([]));
    let o1 = get(
        demo,
        sim,
        "GetHistoricalOrders",
        "/historical/orders?limit=1",
    );
    assert_eq!(strs(&o1, "orders", "ticker"), [B]);
    let c = o1["cursor"].as_str().unwrap().to_owned();
    let o2 = get(
        demo,
        sim,
        "GetHistoricalOrders",
        &format!("/historical/orders?limit=1&cursor={c}"),
    );
    assert_eq!(strs(&o2, "orders", "ticker"), [A]);
    assert_eq!(o2["cursor"], "");
    demo.call(sim, "GET", "/historical/orders?limit=0", None)
        .assert_status(400);

    // Positions: ticker and event filters.
    let p = get(
        demo,
        sim,
        "GetHistoricalPositions",
        "/historical/positions?event_ticker=KXSNOW-26JUN01",
    );
    assert_eq!(p["market_positions"], json!([]));
    let p = get(
        demo,
        sim,
        "GetHistoricalPositions",
        &format!("/historical/positions?ticker={A}&limit=1"),
    );
    assert_eq!(strs(&p, "market_positions", "ticker"), [A]);

    // Candlesticks: the documented periods only, the range checked.
    for q in [
        "start_ts=1&end_ts=2&period_interval=5",
        "start_ts=2&end_ts=1&period_interval=1",
        "end_ts=2&period_interval=1",
    ] {
        demo.call(
            sim,
            "GET",
            &format!("/historical/markets/{A}/candlesticks?{q}"),
            None,
        )
        .assert_status(400);
    }
}

#[test]
fn multivariate_events_are_listed_apart() {
    let mut e = start();
    let (sim, demo) = (&e.sim, &mut e.demo);
    let none = get(demo, sim, "GetMultivariateEvents", "/events/multivariate");
    assert_eq!(none, json!({"events": [], "cursor": ""}));
    sim.add_event(
        EventConfig::new("KXMVE-1")
            .series("KXMVESPORTS")
            .multivariate("KXMVC"),
    );
    sim.add_event(
        EventConfig::new("KXMVE-2")
            .series("KXMVESPORTS")
            .multivariate("KXMVD"),
    );
    sim.add_market(MarketConfig::new("KXMVE-1-S1")).unwrap();
    let all = get(demo, sim, "GetMultivariateEvents", "/events/multivariate");
    assert_eq!(strs(&all, "events", "event_ticker"), ["KXMVE-1", "KXMVE-2"]);
    let events = get(demo, sim, "GetEvents", "/events?limit=200");
    assert!(
        !strs(&events, "events", "event_ticker")
            .iter()
            .any(|t| t.starts_with("KXMVE")),
        "GET /events excludes multivariate events: {events}"
    );
    let p1 = get(
        demo,
        sim,
        "GetMultivariateEvents",
        "/events/multivariate?limit=1&with_nested_markets=true",
    );
    assert_eq!(strs(&p1, "events", "event_ticker"), ["KXMVE-1"]);
    assert_eq!(strs(&p1["events"][0], "markets", "ticker"), ["KXMVE-1-S1"]);
    // Its market names the collection; an ordinary market names none.
    assert_eq!(
        p1["events"][0]["markets"][0]["mve_collection_ticker"],
        "KXMVC"
    );
    let plain = get(demo, sim, "GetMarket", "/markets/KXTEST-26DEC31-T50");
    assert!(
        plain["market"].get("mve_collection_ticker").is_none(),
        "{plain}"
    );
    let c = p1["cursor"].as_str().unwrap().to_owned();
    let p2 = get(
        demo,
        sim,
        "GetMultivariateEvents",
        &format!("/events/multivariate?limit=1&cursor={c}"),
    );
    assert_eq!(strs(&p2, "events", "event_ticker"), ["KXMVE-2"]);
    assert_eq!(p2["cursor"], "");
    let by = get(
        demo,
        sim,
        "GetMultivariateEvents",
        "/events/multivariate?collection_ticker=KXMVD",
    );
    assert_eq!(strs(&by, "events", "event_ticker"), ["KXMVE-2"]);
    let by = get(
        demo,
        sim,
        "GetMultivariateEvents",
        "/events/multivariate?series_ticker=KXRAIN",
    );
    assert_eq!(by["events"], json!([]));
    for q in [
        "series_ticker=A&collection_ticker=B",
        "limit=0",
        "limit=201",
    ] {
        demo.call(sim, "GET", &format!("/events/multivariate?{q}"), None)
            .assert_status(400);
    }
}

#[test]
fn forecast_history_shows_the_recorded_percentiles() {
    let mut e = start();
    let target =
        |q: &str| format!("/series/KXRAIN/events/KXRAIN-26JUN01/forecast_percentile_history?{q}");
    let range = format!(
        "start_ts={}&end_ts={}&period_interval=1",
        T0 / 1000,
        T0 / 1000 + 600
    );
    let none = get(
        &mut e.demo,
        &e.sim,
        "GetEventForecastPercentilesHistory",
        &target(&format!("percentiles=5000&{range}")),
    );
    assert_eq!(none, json!({"forecast_history": []}));
    e.sim
        .record_forecast("KXRAIN-26JUN01", 5000, 2.5, "2.5 in")
        .unwrap();
    e.clock.advance_ms(120_000);
    e.sim
        .record_forecast("KXRAIN-26JUN01", 5000, 3.0, "3.0 in")
        .unwrap();
    e.sim
        .record_forecast("KXRAIN-26JUN01", 9000, 4.25, "4.25 in")
        .unwrap();
    e.clock.advance_ms(60_000);
    let v = get(
        &mut e.demo,
        &e.sim,
        "GetEventForecastPercentilesHistory",
        &target(&format!("percentiles=9000&percentiles=5000&{range}")),
    );
    let h = v["forecast_history"].as_array().unwrap();
    // Periods end at whole minutes from the one holding T0 to the one holding now (T0+180 s).
    assert_eq!(h.len(), 4, "{v}");
    assert_eq!(
        h[0]["end_period_ts"],
        json!(T0 / 1000 + 40),
        "T0 is 20 s past a whole minute"
    );
    assert_eq!(h[0]["period_interval"], 1);
    assert_eq!(
        h[0]["percentile_points"],
        json!([{"percentile": 5000, "numerical_forecast": 2.5,
            "raw_numerical_forecast": 2.5, "formatted_forecast": "2.5 in"}])
    );
    let last = &h[3]["percentile_points"];
    assert_eq!(last[0]["percentile"], 9000);
    assert_eq!(last[0]["numerical_forecast"], 4.25);
    assert_eq!(last[1]["formatted_forecast"], "3.0 in");
    let (sim, demo) = (&e.sim, &mut e.demo);
    for q in [
        range.clone(),
        format!("percentiles=10000&{range}"),
        format!(
            "percentiles=1&percentiles=2&percentiles=3&percentiles=4&percentiles=5&percentiles=6&percentiles=7&percentiles=8&percentiles=9&percentiles=10&percentiles=11&{range}"
        ),
        "percentiles=1&start_ts=1&end_ts=2&period_interval=5".to_owned(),
    ] {
        demo.call(sim, "GET", &target(&q), None).assert_status(400);
    }
    demo.call(
        sim,
        "GET",
        &format!(
            "/series/KXRAIN/events/KXNONE-1/forecast_percentile_history?percentiles=1&{range}"
        ),
        None,
    )
    .assert_status(404);
}

/// Sends `op` built and signed by `kalshi_core` and reads the answer with its types.
fn typed<O: Operation>(
    sim: &Simulator,
    client: &kalshi_core::Client,
    op: &O,
) -> Result<O::Output, kalshi_core::Error> {
    let req = client.request(op, Timestamp::from_millis(sim.now_ms()))?;
    client.response(op, &sim.handle(req))
}

#[test]
fn the_client_reads_every_new_answer_with_its_types() {
    let other_key = kalshi_core::auth::PrivateKey::from_pem(OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .verifying_key();
    let sim = Simulator::in_process(
        SimulatorConfig::default()
            .with_clock(ManualClock::new(T0))
            .with_key(OTHER, other_key)
            .with_market(A),
    )
    .unwrap();
    let env = Environment::custom(&sim.base_url()).unwrap();
    let demo = kalshi_core::Client::new(env.clone(), super::test_client::demo_credentials());
    let other = kalshi_core::Client::new(env, other_credentials(OTHER));
    let order = |side| CreateOrder::new(A, side, "4".parse().unwrap(), "0.40".parse().unwrap());
    typed(&sim, &other, &order(BookSide::Ask)).unwrap();
    typed(&sim, &demo, &order(BookSide::Bid)).unwrap();
    sim.settle_market(A, SettlementResult::No).unwrap();
    sim.record_forecast("KXRAIN-26JUN01", 5000, 1.5, "1.5 in")
        .unwrap();
    sim.set_historical_cutoff(HistoricalCutoff::at(T0 + 1));

    let cutoff = typed(&sim, &demo, &GetHistoricalCutoff::new()).unwrap();
    assert_eq!(cutoff.market_settled_ts.as_millisecond(), T0 as i64 + 1);
    let markets = typed(&sim, &demo, &GetHistoricalMarkets::new()).unwrap();
    assert_eq!(markets.markets.len(), 1);
    assert_eq!(markets.cursor, None);
    let market = typed(&sim, &demo, &GetHistoricalMarket::new(A)).unwrap();
    assert_eq!(market.market.ticker, A);
    let s = (T0 / 1000) as i64;
    let candles = typed(
        &sim,
        &demo,
        &GetMarketCandlesticksHistorical::new(A, s - 60, s, 1),
    )
    .unwrap();
    assert_eq!(candles.candlesticks.len(), 2);
    assert_eq!(candles.candlesticks[1].volume.hundredths(), 400);
    let trades = typed(&sim, &demo, &GetTradesHistorical::new()).unwrap();
    assert_eq!(trades.trades.len(), 1);
    let fills = typed(&sim, &demo, &GetFillsHistorical::new()).unwrap();
    assert_eq!(fills.fills.len(), 1);
    let orders = typed(&sim, &demo, &GetHistoricalOrders::new()).unwrap();
    assert_eq!(orders.orders.len(), 1);
    let positions = typed(&sim, &demo, &GetHistoricalPositions::new()).unwrap();
    assert_eq!(positions.market_positions.len(), 1);
    let mve = typed(&sim, &demo, &GetMultivariateEvents::new()).unwrap();
    assert!(mve.events.is_empty());
    let forecast = typed(
        &sim,
        &demo,
        &GetEventForecastPercentilesHistory::new("KXRAIN", "KXRAIN-26JUN01", [5000], s, s, 0),
    )
    .unwrap();
    assert_eq!(forecast.forecast_history.len(), 1);
    assert_eq!(
        forecast.forecast_history[0].percentile_points[0].formatted_forecast,
        "1.5 in"
    );
}

#[test]
fn the_historical_market_and_trade_reads_are_public_the_portfolio_ones_signed() {
    let mut e = start();
    trade_and_settle(&mut e);
    e.sim
        .set_historical_cutoff(HistoricalCutoff::at(T0 + 90_000));
    let unsigned =
        |c: &mut Client, target: &str| c.send("GET", &format!("{BASE_PATH}{target}"), &[], None);
    let range = format!(
        "start_ts={}&end_ts={}&period_interval=60",
        T0 / 1000,
        T0 / 1000
    );
    for target in [
        "/historical/markets".to_owned(),
        format!("/historical/markets/{A}"),
        format!("/historical/markets/{A}/candlesticks?{range}"),
        "/historical/trades".to_owned(),
    ] {
        unsigned(&mut e.demo, &target).assert_status(200);
    }
    for target in [
        "/historical/fills",
        "/historical/orders",
        "/historical/positions",
        "/events/multivariate",
    ] {
        unsigned(&mut e.demo, target).assert_status(401);
    }
}

#[test]
fn canceled_orders_move_resting_ones_never() {
    let mut e = start();
    place(&mut e.demo, &e.sim, B, "bid", "0.10", "1");
    place(&mut e.demo, &e.sim, B, "bid", "0.11", "1");
    let (sim, demo) = (&e.sim, &mut e.demo);
    let ids = strs(
        &get(demo, sim, "GetOrders", "/portfolio/orders"),
        "orders",
        "order_id",
    );
    demo.call(
        sim,
        "DELETE",
        &format!("/portfolio/events/orders/{}", ids[0]),
        None,
    )
    .assert_status(200);
    e.clock.advance_ms(10_000);
    sim.set_historical_cutoff(HistoricalCutoff::at(T0 + 5_000));
    let live = get(demo, sim, "GetOrders", "/portfolio/orders");
    assert_eq!(strs(&live, "orders", "order_id"), [ids[1].clone()]);
    let hist = get(demo, sim, "GetHistoricalOrders", "/historical/orders");
    assert_eq!(strs(&hist, "orders", "order_id"), [ids[0].clone()]);
    assert_eq!(strs(&hist, "orders", "status"), ["canceled"]);
    // An order canceled after the cutoff stays live.
    demo.call(
        sim,
        "DELETE",
        &format!("/portfolio/events/orders/{}", ids[1]),
        None,
    )
    .assert_status(200);
    let live = get(demo, sim, "GetOrders", "/portfolio/orders");
    assert_eq!(strs(&live, "orders", "status"), ["canceled"]);
    // The single-order read finds both, whatever the cutoff.
    for id in &ids {
        get(demo, sim, "GetOrder", &format!("/portfolio/orders/{id}"));
    }
}
