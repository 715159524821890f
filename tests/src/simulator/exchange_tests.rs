//! End-to-end tests of orders, matching, portfolio reads and order groups with orders, over
//! real sockets with the raw test client and a [`ManualClock`].

use std::collections::HashSet;

use serde_json::{Value, json};

use super::test_client::{Client, OTHER_PRIVATE_KEY_PEM, Resp, other_credentials};
use super::*;
use crate::DEMO_KEY_ID;

const T0: u64 = 1_700_000_000_000;
const M: &str = DEFAULT_MARKET;
const M2: &str = "KXTEST-26DEC31-T60";
const SUBPENNY: &str = "KXSUBPENNY-26DEC31-T50";
const ORDERS: &str = "/portfolio/events/orders";
const OTHER: &str = "other";

fn other_key() -> kalshi_core::auth::VerifyingKey {
    kalshi_core::auth::PrivateKey::from_pem(OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .verifying_key()
}

fn config(clock: &ManualClock) -> SimulatorConfig {
    SimulatorConfig::default()
        .with_clock(clock.clone())
        .with_key(OTHER, other_key())
        .with_market(MarketConfig::new("KXWHOLE-26DEC31-T1").whole_contracts_only())
}

/// A simulator with the demo key and `other`, on a manual clock; clients for both.
fn start() -> (Simulator, ManualClock, Client, Client) {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(config(&clock)).unwrap();
    let demo = Client::new(&sim);
    let other = Client::with_credentials(&sim, other_credentials(OTHER));
    (sim, clock, demo, other)
}

/// A good-till-canceled order body on `ticker`.
fn order_on(ticker: &str, side: &str, price: &str, count: &str) -> Value {
    json!({
        "ticker": ticker,
        "side": side,
        "price": price,
        "count": count,
        "time_in_force": "good_till_canceled",
        "self_trade_prevention_type": "taker_at_cross",
    })
}

fn order(side: &str, price: &str, count: &str) -> Value {
    order_on(M, side, price, count)
}

fn with(mut body: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn post(c: &mut Client, sim: &Simulator, body: &Value) -> Resp {
    c.call(sim, "POST", ORDERS, Some(&body.to_string()))
}

/// Places an order, asserting 201; returns the answer.
fn place(c: &mut Client, sim: &Simulator, body: Value) -> Value {
    let resp = post(c, sim, &body);
    resp.assert_status(201);
    resp.json()
}

fn place_id(c: &mut Client, sim: &Simulator, body: Value) -> String {
    place(c, sim, body)["order_id"].as_str().unwrap().to_owned()
}

fn get_order(c: &mut Client, sim: &Simulator, id: &str) -> Value {
    let resp = c.call(sim, "GET", &format!("/portfolio/orders/{id}"), None);
    resp.assert_status(200);
    resp.json()["order"].clone()
}

fn get(c: &mut Client, sim: &Simulator, target: &str) -> Value {
    let resp = c.call(sim, "GET", target, None);
    resp.assert_status(200);
    resp.json()
}

/// The asks of a market's book, best first.
fn asks(sim: &Simulator, ticker: &str) -> Vec<(String, String)> {
    sim.book(ticker).unwrap().asks
}

fn levels(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect()
}

// ---------------------------------------------------------------------------------------------
// Shapes

#[test]
fn create_answers_201_and_the_order_reads_back_field_for_field() {
    let (sim, _clock, mut demo, _) = start();
    let body = place(
        &mut demo,
        &sim,
        with(
            order("bid", "0.56", "10"),
            json!({"client_order_id": "c-1", "cancel_order_on_pause": true}),
        ),
    );
    let id = body["order_id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(
        body,
        json!({
            "order_id": id,
            "client_order_id": "c-1",
            "fill_count": "0.00",
            "remaining_count": "10.00",
            "ts_ms": T0,
        })
    );
    let o = get_order(&mut demo, &sim, id);
    assert_eq!(
        o,
        json!({
            "order_id": id,
            "user_id": DEMO_KEY_ID,
            "client_order_id": "c-1",
            "ticker": M,
            "outcome_side": "yes",
            "book_side": "bid",
            "side": "yes",
            "action": "buy",
            "type": "limit",
            "status": "resting",
            "yes_price_dollars": "0.5600",
            "no_price_dollars": "0.4400",
            "fill_count_fp": "0.00",
            "remaining_count_fp": "10.00",
            "initial_count_fp": "10.00",
            "taker_fill_cost_dollars": "0.0000",
            "maker_fill_cost_dollars": "0.0000",
            "taker_fees_dollars": "0.0000",
            "maker_fees_dollars": "0.0000",
            "expiration_time": null,
            "created_time": "2023-11-14T22:13:20.000Z",
            "last_update_time": "2023-11-14T22:13:20.000Z",
            "self_trade_prevention_type": "taker_at_cross",
            "order_group_id": null,
            "cancel_order_on_pause": true,
            "subaccount_number": 0,
            "exchange_index": 0,
        })
    );
    super::shape_check::assert_shape("GetOrder", 200, &json!({ "order": o }));
    // The client's types read what the simulator writes.
    let parsed: kalshi_core::orders::Order = serde_json::from_value(o).unwrap();
    assert_eq!(parsed.remaining_count_fp.hundredths(), 1000);
    let created: kalshi_core::orders::CreateOrderResponse = serde_json::from_value(body).unwrap();
    assert_eq!(created.ts_ms, T0 as i64);
    // An ask reads as outcome NO, legacy sell.
    let ask = place_id(&mut demo, &sim, order("ask", "0.70", "1"));
    let o = get_order(&mut demo, &sim, &ask);
    assert_eq!(
        (
            &o["outcome_side"],
            &o["book_side"],
            &o["action"],
            &o["no_price_dollars"]
        ),
        (
            &json!("no"),
            &json!("ask"),
            &json!("sell"),
            &json!("0.3000")
        )
    );
}

#[test]
fn create_without_client_order_id_has_none() {
    let (sim, _clock, mut demo, _) = start();
    for _ in 0..2 {
        let body = place(&mut demo, &sim, order("bid", "0.10", "1"));
        assert!(body.get("client_order_id").is_none(), "{body}");
        let o = get_order(&mut demo, &sim, body["order_id"].as_str().unwrap());
        assert_eq!(o["client_order_id"], "");
    }
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 2);
    assert!(sim.orders(DEMO_KEY_ID)[0].client_order_id.is_none());
}

#[test]
fn create_refuses_invalid_orders() {
    let (sim, clock, mut demo, _) = start();
    let base = order("bid", "0.50", "1");
    let bad: Vec<(Value, u16, &str)> = vec![
        (json!({}), 400, "invalid_parameters"),
        (json!({"ticker": M}), 400, "invalid_parameters"),
        (
            with(base.clone(), json!({"ticker": ""})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"side": "buy"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"side": null})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"count": 1})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"count": "0"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"count": "-1"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"count": "1.234"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"count": "1000000.01"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"price": 0.5})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"price": "0"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"price": "1.00"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"price": "0.505"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"price": "0.12345"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"time_in_force": "gtt"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"time_in_force": null})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"self_trade_prevention_type": "none"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"post_only": "yes"})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"subaccount": 64})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"subaccount": -1})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"exchange_index": 1})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"exchange_index": 9})),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"expiration_time": T0 / 1000})),
            400,
            "invalid_parameters",
        ),
        (
            with(
                base.clone(),
                json!({"expiration_time": T0 / 1000 + 60, "time_in_force": "immediate_or_cancel"}),
            ),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"ticker": "NOPE-1"})),
            404,
            "market_not_found",
        ),
        (
            order_on("KXWHOLE-26DEC31-T1", "bid", "0.50", "1.5"),
            400,
            "invalid_parameters",
        ),
        (
            with(base.clone(), json!({"order_group_id": "missing"})),
            404,
            "not_found",
        ),
        (
            with(base.clone(), json!({"reduce_only": true})),
            400,
            "reduce_only_would_increase_position",
        ),
    ];
    for (body, status, code) in bad {
        post(&mut demo, &sim, &body).assert_error(status, code);
    }
    for raw in ["", "[]", "nope", "{\"ticker\": 5}"] {
        demo.call(&sim, "POST", ORDERS, Some(raw))
            .assert_error(400, "invalid_parameters");
    }
    assert!(sim.orders(DEMO_KEY_ID).is_empty());

    // Accepted: sub-penny prices on the sub-penny market, -1 auto-routing, nulls, unknown
    // fields, an expiration in the future, whole counts on a whole-contract market.
    for body in [
        order_on(SUBPENNY, "bid", "0.5001", "1"),
        with(
            base.clone(),
            json!({"exchange_index": -1, "subaccount": 63, "unknown": [1]}),
        ),
        with(
            base.clone(),
            json!({"exchange_index": 0, "post_only": null, "client_order_id": ""}),
        ),
        with(base.clone(), json!({"expiration_time": T0 / 1000 + 60})),
        order_on("KXWHOLE-26DEC31-T1", "bid", "0.50", "2.00"),
        with(base.clone(), json!({"count": "0.01", "price": "0.010000"})),
    ] {
        place(&mut demo, &sim, body);
    }
    post(&mut demo, &sim, &order_on(M, "bid", "0.5001", "1"))
        .assert_error(400, "invalid_parameters");
    // The expiring order is canceled when its time comes.
    let expiring = sim.orders(DEMO_KEY_ID)[3].order_id.clone();
    clock.advance_ms(59_999);
    assert_eq!(get_order(&mut demo, &sim, &expiring)["status"], "resting");
    clock.advance_ms(1);
    let o = get_order(&mut demo, &sim, &expiring);
    assert_eq!(o["status"], "canceled");
    assert_eq!(o["expiration_time"], "2023-11-14T22:14:20.000Z");
}

// ---------------------------------------------------------------------------------------------
// Matching

#[test]
fn price_time_priority_with_partial_fills() {
    let (sim, clock, mut demo, mut other) = start();
    let a1 = place_id(&mut other, &sim, order("ask", "0.55", "5"));
    clock.advance_ms(1);
    let a2 = place_id(&mut other, &sim, order("ask", "0.54", "3"));
    clock.advance_ms(1);
    let a3 = place_id(&mut other, &sim, order("ask", "0.55", "4"));
    clock.advance_ms(1);
    place_id(&mut other, &sim, order("ask", "0.56", "1"));
    assert_eq!(
        levels(&asks(&sim, M)),
        [("0.5400", "3.00"), ("0.5500", "9.00"), ("0.5600", "1.00")]
    );

    // Best price first (a2 at 0.54), then time priority at 0.55 (a1 before a3); the taker
    // trades at the makers' prices, not its own limit.
    let body = place(&mut demo, &sim, order("bid", "0.55", "10"));
    assert_eq!(body["fill_count"], "10.00");
    assert_eq!(body["remaining_count"], "0.00");
    assert_eq!(body["average_fill_price"], "0.5470");
    assert_eq!(body["average_fee_paid"], "0.0000");
    let taker = body["order_id"].as_str().unwrap();
    assert_eq!(get_order(&mut demo, &sim, taker)["status"], "executed");
    assert_eq!(
        get_order(&mut demo, &sim, taker)["taker_fill_cost_dollars"],
        "5.4700"
    );
    for (id, status, filled, remaining) in [
        (&a2, "executed", "3.00", "0.00"),
        (&a1, "executed", "5.00", "0.00"),
        (&a3, "resting", "2.00", "2.00"),
    ] {
        let o = get_order(&mut other, &sim, id);
        assert_eq!(
            (&o["status"], &o["fill_count_fp"], &o["remaining_count_fp"]),
            (&json!(status), &json!(filled), &json!(remaining)),
            "{id}"
        );
    }
    assert_eq!(
        get_order(&mut other, &sim, &a3)["maker_fill_cost_dollars"],
        "0.9000"
    );
    assert_eq!(
        levels(&asks(&sim, M)),
        [("0.5500", "2.00"), ("0.5600", "1.00")]
    );

    // Both sides got fills, in trade order.
    let mine = sim.fills(DEMO_KEY_ID);
    let theirs = sim.fills(OTHER);
    let shape = |f: &[FillSnapshot]| -> Vec<(String, String, bool)> {
        f.iter()
            .map(|f| (f.price_dollars.clone(), f.count_fp.clone(), f.is_taker))
            .collect()
    };
    let expected = |taker| {
        vec![
            ("0.5400".to_owned(), "3.00".to_owned(), taker),
            ("0.5500".to_owned(), "5.00".to_owned(), taker),
            ("0.5500".to_owned(), "2.00".to_owned(), taker),
        ]
    };
    assert_eq!(shape(&mine), expected(true));
    assert_eq!(shape(&theirs), expected(false));
    assert_eq!(theirs[1].order_id, a1);
    assert!(mine.iter().all(|f| f.side == "bid" && f.ts_ms == T0 + 3));
}

#[test]
fn a_taker_rests_its_remainder_at_its_own_limit() {
    let (sim, _clock, mut demo, mut other) = start();
    place(&mut other, &sim, order("ask", "0.55", "4"));
    let body = place(&mut demo, &sim, order("bid", "0.60", "10"));
    assert_eq!(
        (
            &body["fill_count"],
            &body["remaining_count"],
            &body["average_fill_price"]
        ),
        (&json!("4.00"), &json!("6.00"), &json!("0.5500"))
    );
    let b = sim.book(M).unwrap();
    assert_eq!(levels(&b.bids), [("0.6000", "6.00")]);
    assert!(b.asks.is_empty());
    // A sell below the bid trades at the bid (the maker's price).
    let body = place(&mut other, &sim, order("ask", "0.30", "2"));
    assert_eq!(body["average_fill_price"], "0.6000");
}

#[test]
fn immediate_or_cancel_fills_what_it_can() {
    let (sim, _clock, mut demo, mut other) = start();
    place(&mut other, &sim, order("ask", "0.55", "4"));
    let ioc = with(
        order("bid", "0.55", "10"),
        json!({"time_in_force": "immediate_or_cancel"}),
    );
    let body = place(&mut demo, &sim, ioc.clone());
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("4.00"), &json!("0.00"))
    );
    let o = get_order(&mut demo, &sim, body["order_id"].as_str().unwrap());
    assert_eq!(
        (&o["status"], &o["fill_count_fp"]),
        (&json!("canceled"), &json!("4.00"))
    );
    // Nothing to trade against: accepted and canceled at once.
    let body = place(&mut demo, &sim, ioc);
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("0.00"), &json!("0.00"))
    );
    assert!(body.get("average_fill_price").is_none());
    assert!(sim.book(M).unwrap().bids.is_empty());
    // A fully filled IOC is executed.
    place(&mut other, &sim, order("ask", "0.55", "1"));
    let body = place(
        &mut demo,
        &sim,
        with(
            order("bid", "0.55", "1"),
            json!({"time_in_force": "immediate_or_cancel"}),
        ),
    );
    assert_eq!(
        get_order(&mut demo, &sim, body["order_id"].as_str().unwrap())["status"],
        "executed"
    );
}

#[test]
fn fill_or_kill_fills_completely_or_not_at_all() {
    let (sim, _clock, mut demo, mut other) = start();
    place(&mut other, &sim, order("ask", "0.50", "3"));
    place(&mut other, &sim, order("ask", "0.52", "3"));
    place(&mut other, &sim, order("ask", "0.60", "10"));
    let fok = |count: &str| {
        with(
            order("bid", "0.52", count),
            json!({"time_in_force": "fill_or_kill"}),
        )
    };
    // 7 > 6 fillable at or under 0.52: killed, the book untouched.
    let body = place(&mut demo, &sim, fok("7"));
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("0.00"), &json!("0.00"))
    );
    assert_eq!(
        get_order(&mut demo, &sim, body["order_id"].as_str().unwrap())["status"],
        "canceled"
    );
    assert_eq!(
        levels(&asks(&sim, M)),
        [("0.5000", "3.00"), ("0.5200", "3.00"), ("0.6000", "10.00")]
    );
    assert!(sim.fills(DEMO_KEY_ID).is_empty());
    // Exactly what is there: filled.
    let body = place(&mut demo, &sim, fok("6"));
    assert_eq!(
        (&body["fill_count"], &body["average_fill_price"]),
        (&json!("6.00"), &json!("0.5100"))
    );
    assert_eq!(
        get_order(&mut demo, &sim, body["order_id"].as_str().unwrap())["status"],
        "executed"
    );
}

#[test]
fn post_only_is_refused_when_it_would_cross() {
    let (sim, _clock, mut demo, mut other) = start();
    place(&mut other, &sim, order("ask", "0.55", "4"));
    let post_only = |price: &str| with(order("bid", price, "1"), json!({"post_only": true}));
    post(&mut demo, &sim, &post_only("0.55")).assert_error(400, "post_only_cross");
    post(&mut demo, &sim, &post_only("0.99")).assert_error(400, "post_only_cross");
    assert!(sim.orders(DEMO_KEY_ID).is_empty());
    let body = place(&mut demo, &sim, post_only("0.54"));
    assert_eq!(body["remaining_count"], "1.00");
    let o = get_order(&mut demo, &sim, body["order_id"].as_str().unwrap());
    // `Order` documents no `post_only`: the order rests instead of crossing.
    assert_eq!(o["status"], "resting");
    assert!(o.get("post_only").is_none());
    assert!(sim.orders(DEMO_KEY_ID)[0].post_only);
}

#[test]
fn self_trade_prevention_taker_at_cross_cancels_the_taker() {
    let (sim, _clock, mut demo, mut other) = start();
    let own = place_id(&mut demo, &sim, order("ask", "0.50", "5"));
    place(&mut other, &sim, order("ask", "0.51", "5"));
    // The own ask is first in line: nothing trades, the taker is canceled.
    let body = place(&mut demo, &sim, order("bid", "0.51", "3"));
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("0.00"), &json!("0.00"))
    );
    assert_eq!(
        get_order(&mut demo, &sim, body["order_id"].as_str().unwrap())["status"],
        "canceled"
    );
    assert_eq!(get_order(&mut demo, &sim, &own)["status"], "resting");
    // Fills made before reaching the own order stand.
    let mut third = Client::with_credentials(&sim, other_credentials(OTHER));
    let body = place(&mut third, &sim, order("bid", "0.50", "2"));
    assert_eq!(body["fill_count"], "2.00"); // other's bid takes 2 of demo's ask
    place(&mut other, &sim, order("ask", "0.45", "1"));
    // Now: other's ask 0.45 x1, demo's ask 0.50 x3, other's ask 0.51 x5.
    let body = place(&mut demo, &sim, order("bid", "0.51", "5"));
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("1.00"), &json!("0.00"))
    );
    // Subaccounts of one account are one user for self-trade prevention.
    let body = place(
        &mut demo,
        &sim,
        with(order("bid", "0.51", "1"), json!({"subaccount": 5})),
    );
    assert_eq!(body["fill_count"], "0.00");
}

#[test]
fn self_trade_prevention_maker_cancels_the_resting_order() {
    let (sim, _clock, mut demo, mut other) = start();
    let own = place_id(
        &mut demo,
        &sim,
        with(order("ask", "0.50", "5"), json!({"subaccount": 2})),
    );
    place(&mut other, &sim, order("ask", "0.51", "5"));
    let body = place(
        &mut demo,
        &sim,
        with(
            order("bid", "0.51", "3"),
            json!({"self_trade_prevention_type": "maker"}),
        ),
    );
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("3.00"), &json!("0.00"))
    );
    assert_eq!(body["average_fill_price"], "0.5100");
    let own = get_order(&mut demo, &sim, &own);
    assert_eq!(
        (&own["status"], &own["remaining_count_fp"]),
        (&json!("canceled"), &json!("0.00"))
    );
    assert_eq!(levels(&asks(&sim, M)), [("0.5100", "2.00")]);
}

#[test]
fn subaccounts_trade_with_each_other_when_prevention_is_per_subaccount() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(config(&clock).with_self_trade_prevention_per_subaccount()).unwrap();
    let mut demo = Client::new(&sim);
    let sub = |body: Value, n: u8| with(body, json!({"subaccount": n}));
    place(&mut demo, &sim, sub(order("ask", "0.40", "5"), 1));
    let body = place(&mut demo, &sim, sub(order("bid", "0.40", "5"), 2));
    assert_eq!(body["fill_count"], "5.00");
    // Within one subaccount it still applies.
    place(&mut demo, &sim, sub(order("ask", "0.40", "5"), 1));
    let body = place(&mut demo, &sim, sub(order("bid", "0.40", "5"), 1));
    assert_eq!(body["fill_count"], "0.00");
    let positions: Vec<(u8, String)> = sim
        .positions(DEMO_KEY_ID)
        .into_iter()
        .map(|p| (p.subaccount, p.position_fp))
        .collect();
    assert_eq!(positions, [(1, "-5.00".to_owned()), (2, "5.00".to_owned())]);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 1), 1_000_000 - 300 - 300);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 2), 1_000_000 - 200);
}

// ---------------------------------------------------------------------------------------------
// Balance and positions

fn balance(c: &mut Client, sim: &Simulator, sub: u8) -> Value {
    get(c, sim, &format!("/portfolio/balance?subaccount={sub}"))
}

fn position(c: &mut Client, sim: &Simulator, ticker: &str) -> Value {
    let body = get(c, sim, &format!("/portfolio/positions?ticker={ticker}"));
    body["market_positions"][0].clone()
}

#[test]
fn balance_and_positions_move_with_fills() {
    let (sim, _clock, mut demo, mut other) = start();
    let b = balance(&mut demo, &sim, 0);
    assert_eq!(
        (&b["balance"], &b["balance_dollars"]),
        (&json!(1_000_000), &json!("10000.0000"))
    );
    assert_eq!(b["updated_ts"], T0 / 1000);
    let parsed: kalshi_core::portfolio::GetBalanceResponse = serde_json::from_value(b).unwrap();
    assert_eq!(parsed.balance, 1_000_000);

    // Other rests an ask (sell YES = buy NO at 0.60): $6.00 held.
    place(&mut other, &sim, order("ask", "0.40", "10"));
    assert_eq!(balance(&mut other, &sim, 0)["balance_dollars"], "9994.0000");
    // Demo buys 10 YES at 0.40.
    place(&mut demo, &sim, order("bid", "0.40", "10"));
    assert_eq!(balance(&mut demo, &sim, 0)["balance"], 999_600);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 999_600);
    assert_eq!(sim.balance_cents(OTHER, 0), 999_400);
    let p = position(&mut demo, &sim, M);
    assert_eq!(
        p,
        json!({
            "ticker": M,
            "exchange_index": 0,
            "total_traded_dollars": "4.0000",
            "position_fp": "10.00",
            "market_exposure_dollars": "4.0000",
            "realized_pnl_dollars": "0.0000",
            "fees_paid_dollars": "0.0000",
            "last_updated_ts": "2023-11-14T22:13:20.000Z",
        })
    );
    assert_eq!(position(&mut other, &sim, M)["position_fp"], "-10.00");
    assert_eq!(
        position(&mut other, &sim, M)["market_exposure_dollars"],
        "6.0000"
    );
    assert_eq!(balance(&mut demo, &sim, 0)["portfolio_value"], 400);

    // Demo sells 4 YES at 0.45 to other, who closes 4 NO: each side's YES+NO pairs pay $1.
    place(&mut other, &sim, order("bid", "0.45", "4"));
    place(&mut demo, &sim, order("ask", "0.45", "4"));
    // Demo: 9996.00 - 4 x 0.55 + 4.00 = 9997.80; realized 4.00 - 1.60 - 2.20 = +0.20.
    assert_eq!(balance(&mut demo, &sim, 0)["balance_dollars"], "9997.8000");
    let p = position(&mut demo, &sim, M);
    assert_eq!(
        (
            &p["position_fp"],
            &p["market_exposure_dollars"],
            &p["realized_pnl_dollars"],
            &p["total_traded_dollars"]
        ),
        (
            &json!("6.00"),
            &json!("2.4000"),
            &json!("0.2000"),
            &json!("6.2000")
        )
    );
    // Other: 9994.00 - 4 x 0.45 + 4.00 = 9996.20; realized 4.00 - 2.40 - 1.80 = -0.20.
    assert_eq!(balance(&mut other, &sim, 0)["balance_dollars"], "9996.2000");
    let p = position(&mut other, &sim, M);
    assert_eq!(
        (&p["position_fp"], &p["realized_pnl_dollars"]),
        (&json!("-6.00"), &json!("-0.2000"))
    );
    let snaps = sim.positions(DEMO_KEY_ID);
    assert_eq!(snaps.len(), 1);
    assert_eq!(
        (
            snaps[0].position_fp.as_str(),
            snaps[0].realized_pnl_dollars.as_str()
        ),
        ("6.00", "0.2000")
    );

    // The client's types read the positions page.
    let page = get(&mut demo, &sim, "/portfolio/positions");
    let parsed: kalshi_core::portfolio::GetPositionsResponse =
        serde_json::from_value(page.clone()).unwrap();
    assert_eq!(parsed.market_positions[0].position_fp.hundredths(), 600);
    assert_eq!(parsed.cursor, None);
    assert_eq!(
        page["event_positions"],
        json!([{
            "event_ticker": "KXTEST-26DEC31",
            "total_cost_dollars": "6.2000",
            "total_cost_shares_fp": "14.00",
            "event_exposure_dollars": "2.4000",
            "realized_pnl_dollars": "0.2000",
            "fees_paid_dollars": "0.0000",
        }])
    );
    // Other subaccounts are separate and start full.
    assert_eq!(balance(&mut demo, &sim, 7)["balance"], 1_000_000);
    assert_eq!(
        get(&mut demo, &sim, "/portfolio/positions?subaccount=7")["market_positions"],
        json!([])
    );
}

#[test]
fn insufficient_balance_is_400_and_creates_nothing() {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(config(&clock).with_starting_balance_cents(1_000)).unwrap();
    let mut demo = Client::new(&sim);
    post(&mut demo, &sim, &order("bid", "0.50", "21")).assert_error(400, "insufficient_balance");
    // An ask costs 1 - p: 0.50 x 21 is $10.50 too.
    post(&mut demo, &sim, &order("ask", "0.50", "21")).assert_error(400, "insufficient_balance");
    assert!(sim.orders(DEMO_KEY_ID).is_empty());
    let id = place_id(&mut demo, &sim, order("ask", "0.60", "25")); // 25 x 0.40 = $10.00
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 0);
    post(&mut demo, &sim, &order("bid", "0.01", "1")).assert_error(400, "insufficient_balance");
    // Cancelling releases what the order held.
    let resp = demo.call(&sim, "DELETE", &format!("{ORDERS}/{id}"), None);
    resp.assert_status(200);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000);
    sim.set_balance_cents(DEMO_KEY_ID, 0, 5).unwrap();
    assert_eq!(balance(&mut demo, &sim, 0)["balance_dollars"], "0.0500");
    assert!(sim.set_balance_cents(DEMO_KEY_ID, 64, 5).is_err());
}

// ---------------------------------------------------------------------------------------------
// Idempotency and the retired endpoints

#[test]
fn duplicate_client_order_id_is_409_and_creates_one_order() {
    let (sim, _clock, mut demo, mut other) = start();
    let body = with(
        order("bid", "0.30", "2"),
        json!({"client_order_id": "dup-1"}),
    );
    let first = place(&mut demo, &sim, body.clone());
    let resp = post(&mut demo, &sim, &body);
    resp.assert_error(409, "duplicate_client_order_id");
    assert!(
        resp.error_details()
            .contains(first["order_id"].as_str().unwrap())
    );
    // Any body, any subaccount, any status of the first order.
    let other_body = with(
        order_on(M2, "ask", "0.90", "1"),
        json!({"client_order_id": "dup-1", "subaccount": 3}),
    );
    post(&mut demo, &sim, &other_body).assert_error(409, "duplicate_client_order_id");
    demo.call(
        &sim,
        "DELETE",
        &format!("{ORDERS}/{}", first["order_id"].as_str().unwrap()),
        None,
    )
    .assert_status(200);
    post(&mut demo, &sim, &body).assert_error(409, "duplicate_client_order_id");
    assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, "dup-1"), 1);
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);
    // Another account may use the same id.
    place(&mut other, &sim, body);
    assert_eq!(sim.orders_with_client_order_id(OTHER, "dup-1"), 1);
    // The client reads the 409 as a conflict.
    let raw = post(
        &mut demo,
        &sim,
        &with(
            order("bid", "0.30", "2"),
            json!({"client_order_id": "dup-1"}),
        ),
    );
    let resp = ::http::Response::builder()
        .status(raw.status)
        .body(raw.body.clone())
        .unwrap();
    let err = kalshi_core::response::parse_response::<kalshi_core::orders::CreateOrder, _>(&resp)
        .unwrap_err();
    assert!(matches!(err, kalshi_core::Error::Conflict(_)), "{err:?}");
}

#[test]
fn legacy_order_writes_are_deprecated() {
    let (sim, _clock, mut demo, _) = start();
    let id = place_id(&mut demo, &sim, order("bid", "0.30", "2"));
    let body = order("bid", "0.30", "2").to_string();
    for (method, target) in [
        ("POST", "/portfolio/orders".to_owned()),
        ("POST", "/portfolio/orders/batched".to_owned()),
        ("DELETE", "/portfolio/orders/batched".to_owned()),
        ("DELETE", format!("/portfolio/orders/{id}")),
        ("POST", format!("/portfolio/orders/{id}/amend")),
        ("POST", format!("/portfolio/orders/{id}/decrease")),
    ] {
        let resp = demo.call(&sim, method, &target, Some(&body));
        resp.assert_error(400, "deprecated_v1_order_endpoint");
        let raw = ::http::Response::builder()
            .status(resp.status)
            .body(resp.body.clone())
            .unwrap();
        let err = kalshi_core::response::parse_response::<kalshi_core::orders::GetOrder, _>(&raw)
            .unwrap_err();
        assert!(
            matches!(err, kalshi_core::Error::DeprecatedEndpoint(_)),
            "{target}: {err:?}"
        );
    }
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "resting");
}

// ---------------------------------------------------------------------------------------------
// Cancel, amend, decrease, batches, queue positions

#[test]
fn cancel_reports_what_it_canceled_and_is_safe_to_repeat() {
    let (sim, clock, mut demo, mut other) = start();
    let id = place_id(
        &mut demo,
        &sim,
        with(
            order("bid", "0.40", "10"),
            json!({"client_order_id": "c", "subaccount": 4}),
        ),
    );
    place(&mut other, &sim, order("ask", "0.40", "3"));
    clock.advance_ms(500);
    // The order is in subaccount 4: cancel looks there only.
    demo.call(&sim, "DELETE", &format!("{ORDERS}/{id}"), None)
        .assert_error(404, "not_found");
    let target = format!("{ORDERS}/{id}?subaccount=4");
    let resp = demo.call(&sim, "DELETE", &target, None);
    resp.assert_status(200);
    assert_eq!(
        resp.json(),
        json!({"order_id": id, "client_order_id": "c", "reduced_by": "7.00", "ts_ms": T0 + 500})
    );
    let again = demo.call(&sim, "DELETE", &target, None);
    again.assert_status(200);
    assert_eq!(again.json()["reduced_by"], "0.00");
    let o = get_order(&mut demo, &sim, &id);
    assert_eq!(
        (&o["status"], &o["remaining_count_fp"], &o["fill_count_fp"]),
        (&json!("canceled"), &json!("0.00"), &json!("3.00"))
    );
    // Routing hints must agree with the order.
    demo.call(
        &sim,
        "DELETE",
        &format!("{target}&market_ticker={M2}"),
        None,
    )
    .assert_error(404, "not_found");
    demo.call(&sim, "DELETE", &format!("{target}&exchange_index=2"), None)
        .assert_error(404, "not_found");
    demo.call(
        &sim,
        "DELETE",
        &format!("{target}&exchange_index=-1&market_ticker={M}"),
        None,
    )
    .assert_status(200);
    // Someone else's order is not found.
    other
        .call(&sim, "DELETE", &format!("{ORDERS}/{id}?subaccount=4"), None)
        .assert_error(404, "not_found");
    demo.call(&sim, "DELETE", &format!("{ORDERS}/nope"), None)
        .assert_error(404, "not_found");
}

/// The resting orders of the calling key (`GET /portfolio/orders?status=resting`), as
/// (ticker, subaccount) pairs.
fn resting(c: &mut Client, sim: &Simulator, query: &str) -> Vec<(String, u64)> {
    let body = get(c, sim, &format!("/portfolio/orders?status=resting{query}"));
    let mut got: Vec<(String, u64)> = body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["ticker"].as_str().unwrap().to_owned(),
                o["subaccount_number"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    got
}

#[test]
fn cancel_all_cancels_every_resting_order_of_the_key_or_of_one_subaccount() {
    const SHARD1: &str = "KXSHARD-26DEC31-T1";
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        config(&clock)
            .with_exchange_shards(2)
            .with_market(MarketConfig::new(SHARD1).exchange_index(1)),
    )
    .unwrap();
    let mut demo = Client::new(&sim);
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    let start = 1_000_000;
    let sub = |body: Value, n: u8| with(body, json!({"subaccount": n}));
    // Subaccount 0: three markets, two shards; subaccount 3: two markets.
    place(&mut demo, &sim, order_on(M, "bid", "0.40", "10"));
    place(&mut demo, &sim, order_on(M2, "ask", "0.70", "5"));
    place(
        &mut demo,
        &sim,
        with(
            order_on(SHARD1, "bid", "0.30", "4"),
            json!({"exchange_index": 1}),
        ),
    );
    place(&mut demo, &sim, sub(order_on(M, "bid", "0.45", "2"), 3));
    place(
        &mut demo,
        &sim,
        sub(order_on(SUBPENNY, "ask", "0.5501", "3"), 3),
    );
    // An order that is already canceled, and another key's resting order.
    let gone = place_id(&mut demo, &sim, order_on(M2, "bid", "0.10", "1"));
    demo.call(&sim, "DELETE", &format!("{ORDERS}/{gone}"), None)
        .assert_status(200);
    place(&mut other, &sim, order_on(M, "ask", "0.60", "7"));
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), start - 400 - 150 - 120);
    // $0.90 and 3 × $0.4499 reserved; cents are rounded down.
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 3), start - 225);
    assert_eq!(resting(&mut demo, &sim, "").len(), 5);

    // One subaccount: 204 with no body; the other subaccount's orders stay.
    clock.advance_ms(1_000);
    let resp = demo.call(&sim, "DELETE", &format!("{ORDERS}?subaccount=3"), None);
    resp.assert_status(204);
    assert!(resp.body.is_empty(), "{:?}", resp.body);
    assert_eq!(resp.header("content-type"), None);
    assert_eq!(resting(&mut demo, &sim, "&subaccount=3"), []);
    let mut left = vec![
        (M.to_owned(), 0),
        (M2.to_owned(), 0),
        (SHARD1.to_owned(), 0),
    ];
    left.sort();
    assert_eq!(resting(&mut demo, &sim, ""), left);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 3), start);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), start - 400 - 150 - 120);
    // Canceled like a single cancel: status, remaining count, update time.
    let canceled: Vec<Value> = get(&mut demo, &sim, "/portfolio/orders?subaccount=3")["orders"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(canceled.len(), 2);
    for o in &canceled {
        assert_eq!(
            (
                &o["status"],
                &o["remaining_count_fp"],
                &o["last_update_time"]
            ),
            (
                &json!("canceled"),
                &json!("0.00"),
                &json!("2023-11-14T22:13:21.000Z")
            )
        );
    }

    // Everything: nothing of the key rests, balances are back to the start, books hold only
    // the other key's order.
    let resp = demo.call(&sim, "DELETE", ORDERS, None);
    resp.assert_status(204);
    assert!(resp.body.is_empty());
    assert_eq!(resting(&mut demo, &sim, ""), []);
    assert_eq!(
        get(&mut demo, &sim, "/portfolio/orders?status=resting")["orders"],
        json!([])
    );
    for n in [0, 3] {
        assert_eq!(sim.balance_cents(DEMO_KEY_ID, n), start);
        assert_eq!(balance(&mut demo, &sim, n)["balance"], start);
    }
    assert!(sim.book(M).unwrap().bids.is_empty());
    assert_eq!(levels(&asks(&sim, M)), [("0.6000", "7.00")]);
    assert!(sim.book(SHARD1).unwrap().bids.is_empty());
    assert!(sim.book(M2).unwrap().asks.is_empty());
    assert_eq!(resting(&mut other, &sim, ""), [(M.to_owned(), 0)]);
    assert_eq!(get_order(&mut demo, &sim, &gone)["status"], "canceled");

    // Safe to repeat; a bad subaccount is refused.
    demo.call(&sim, "DELETE", ORDERS, None).assert_status(204);
    demo.call(&sim, "DELETE", &format!("{ORDERS}?subaccount=64"), None)
        .assert_error(400, "invalid_parameters");
    // Orders placed afterwards rest: the simulator does not cancel orders placed during the
    // minute after the request, as the exchange may.
    clock.advance_ms(1_000);
    place(&mut demo, &sim, order_on(M, "bid", "0.40", "1"));
    assert_eq!(resting(&mut demo, &sim, ""), [(M.to_owned(), 0)]);
}

#[test]
fn decrease_by_and_to() {
    let (sim, _clock, mut demo, _) = start();
    let id = place_id(&mut demo, &sim, order("bid", "0.50", "10"));
    let url = format!("{ORDERS}/{id}/decrease");
    let dec = |c: &mut Client, body: &str| c.call(&sim, "POST", &url, Some(body));
    let r = dec(&mut demo, r#"{"reduce_by": "3"}"#);
    r.assert_status(200);
    assert_eq!(
        r.json(),
        json!({"order_id": id, "remaining_count": "7.00", "ts_ms": T0})
    );
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000_000 - 350);
    // reduce_to is idempotent; above the remaining count it changes nothing.
    for _ in 0..2 {
        assert_eq!(
            dec(&mut demo, r#"{"reduce_to": "5.00"}"#).json()["remaining_count"],
            "5.00"
        );
    }
    assert_eq!(
        dec(&mut demo, r#"{"reduce_to": "9"}"#).json()["remaining_count"],
        "5.00"
    );
    for bad in [
        r#"{}"#,
        r#"{"reduce_by": "1", "reduce_to": "1"}"#,
        r#"{"reduce_by": "0"}"#,
        r#"{"reduce_by": 1}"#,
        "",
    ] {
        dec(&mut demo, bad).assert_error(400, "invalid_parameters");
    }
    // Down to zero cancels; afterwards there is nothing left to decrease.
    assert_eq!(
        dec(&mut demo, r#"{"reduce_by": "50"}"#).json()["remaining_count"],
        "0.00"
    );
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "canceled");
    dec(&mut demo, r#"{"reduce_to": "0"}"#).assert_status(200);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000_000);
}

fn queue_position(c: &mut Client, sim: &Simulator, id: &str) -> String {
    get(c, sim, &format!("/portfolio/orders/{id}/queue_position"))["queue_position_fp"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn amend_reprices_resizes_and_keeps_priority_only_when_shrinking() {
    let (sim, _clock, mut demo, mut other) = start();
    let a = place_id(
        &mut demo,
        &sim,
        with(order("bid", "0.40", "5"), json!({"client_order_id": "a"})),
    );
    let b = place_id(&mut demo, &sim, order("bid", "0.40", "3"));
    let c = place_id(&mut demo, &sim, order("bid", "0.40", "2"));
    assert_eq!(
        [
            queue_position(&mut demo, &sim, &a),
            queue_position(&mut demo, &sim, &b),
            queue_position(&mut demo, &sim, &c)
        ],
        ["0.00", "5.00", "8.00"]
    );
    let amend = |cl: &mut Client, id: &str, body: Value| {
        cl.call(
            &sim,
            "POST",
            &format!("{ORDERS}/{id}/amend"),
            Some(&body.to_string()),
        )
    };
    let req = |price: &str, count: &str| json!({"ticker": M, "side": "bid", "price": price, "count": count});
    // Shrinking keeps the place in line.
    let r = amend(&mut demo, &a, req("0.40", "4"));
    r.assert_status(200);
    assert_eq!(
        r.json(),
        json!({"order_id": a, "client_order_id": "a", "remaining_count": "4.00", "fill_count": "0.00", "ts_ms": T0})
    );
    assert_eq!(queue_position(&mut demo, &sim, &b), "4.00");
    // Growing goes to the back.
    amend(&mut demo, &a, req("0.40", "6")).assert_status(200);
    assert_eq!(queue_position(&mut demo, &sim, &a), "5.00");
    assert_eq!(queue_position(&mut demo, &sim, &b), "0.00");
    // Same values again: nothing changes.
    amend(&mut demo, &a, req("0.40", "6")).assert_status(200);
    assert_eq!(queue_position(&mut demo, &sim, &a), "5.00");
    // A new client order id; the old one stays taken.
    let r = amend(
        &mut demo,
        &b,
        with(req("0.40", "3"), json!({"updated_client_order_id": "b2"})),
    );
    assert_eq!(r.json()["client_order_id"], "b2");
    amend(
        &mut demo,
        &c,
        with(req("0.40", "2"), json!({"updated_client_order_id": "a"})),
    )
    .assert_error(409, "duplicate_client_order_id");
    // Repricing across the book trades at once.
    place(&mut other, &sim, order("ask", "0.45", "2"));
    let r = amend(&mut demo, &c, req("0.45", "2"));
    r.assert_status(200);
    assert_eq!(
        (
            &r.json()["fill_count"],
            &r.json()["remaining_count"],
            &r.json()["average_fill_price"]
        ),
        (&json!("2.00"), &json!("0.00"), &json!("0.4500"))
    );
    assert_eq!(get_order(&mut demo, &sim, &c)["status"], "executed");
    // Count is the total: filled + resting.
    place(&mut other, &sim, order("ask", "0.40", "1"));
    assert_eq!(get_order(&mut demo, &sim, &b)["fill_count_fp"], "1.00");
    let r = amend(&mut demo, &b, req("0.41", "5"));
    assert_eq!(r.json()["remaining_count"], "4.00");
    // Refusals.
    amend(&mut demo, &b, req("0.41", "1")).assert_error(400, "invalid_parameters");
    amend(
        &mut demo,
        &b,
        json!({"ticker": M2, "side": "bid", "price": "0.41", "count": "5"}),
    )
    .assert_error(400, "invalid_parameters");
    amend(
        &mut demo,
        &b,
        json!({"ticker": M, "side": "ask", "price": "0.41", "count": "5"}),
    )
    .assert_error(400, "invalid_parameters");
    amend(
        &mut demo,
        &b,
        with(req("0.41", "5"), json!({"client_order_id": "zzz"})),
    )
    .assert_error(400, "invalid_parameters");
    amend(&mut demo, &c, req("0.45", "3")).assert_error(400, "order_not_resting");
    amend(&mut demo, "nope", req("0.45", "3")).assert_error(404, "not_found");
    amend(&mut demo, &b, req("0.415", "5")).assert_error(400, "invalid_parameters");
    // Queue positions of every resting order on the market.
    let all = get(
        &mut demo,
        &sim,
        &format!("/portfolio/orders/queue_positions?market_tickers={M},{M2}"),
    );
    let parsed: kalshi_core::orders::GetOrderQueuePositionsResponse =
        serde_json::from_value(all.clone()).unwrap();
    assert_eq!(parsed.queue_positions.len(), 2);
    assert_eq!(all["queue_positions"][0]["order_id"], a.as_str());
    assert_eq!(all["queue_positions"][0]["market_ticker"], M);
    let by_event = get(
        &mut demo,
        &sim,
        "/portfolio/orders/queue_positions?event_ticker=KXTEST-26DEC31",
    );
    assert_eq!(by_event, all);
    demo.call(&sim, "GET", "/portfolio/orders/queue_positions", None)
        .assert_error(400, "invalid_parameters");
    demo.call(
        &sim,
        "GET",
        &format!("/portfolio/orders/{c}/queue_position"),
        None,
    )
    .assert_error(400, "order_not_resting");
}

#[test]
fn batches_create_and_cancel_with_per_order_results() {
    let (sim, _clock, mut demo, _) = start();
    let url = "/portfolio/events/orders/batched";
    let body = json!({"orders": [
        with(order("bid", "0.20", "1"), json!({"client_order_id": "b1"})),
        with(order("bid", "0.21", "1"), json!({"client_order_id": "b1"})),
        with(order_on("NOPE-1", "bid", "0.21", "1"), json!({"client_order_id": "b3"})),
        order("ask", "0.90", "2"),
    ]});
    let resp = demo.call(&sim, "POST", url, Some(&body.to_string()));
    resp.assert_status(201);
    let out = resp.json();
    let results = out["orders"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["client_order_id"], "b1");
    assert_eq!(results[0]["remaining_count"], "1.00");
    assert_eq!(results[1]["error"]["code"], "duplicate_client_order_id");
    assert_eq!(results[1]["client_order_id"], "b1");
    assert_eq!(results[2]["error"]["code"], "market_not_found");
    assert!(results[3]["order_id"].is_string());
    let parsed: kalshi_core::orders::BatchCreateOrdersResponse =
        serde_json::from_value(out.clone()).unwrap();
    assert_eq!(
        parsed.orders[1].error.as_ref().unwrap().code.as_deref(),
        Some("duplicate_client_order_id")
    );
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 2);
    // A malformed order refuses the whole batch.
    for bad in [
        json!({"orders": []}),
        json!({"orders": {}}),
        json!({}),
        json!({"orders": [order("bid", "0.2", "1"), {"ticker": M}]}),
        json!({"orders": [1]}),
    ] {
        demo.call(&sim, "POST", url, Some(&bad.to_string()))
            .assert_error(400, "invalid_parameters");
    }
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 2);

    let first = results[0]["order_id"].as_str().unwrap();
    let cancel = json!({"orders": [{"order_id": first}, {"order_id": "nope"}, {"order_id": first, "subaccount": 0}]});
    let resp = demo.call(&sim, "DELETE", url, Some(&cancel.to_string()));
    resp.assert_status(200);
    let out = resp.json();
    assert_eq!(
        out["orders"][0],
        json!({"order_id": first, "client_order_id": "b1", "reduced_by": "1.00", "ts_ms": T0})
    );
    assert_eq!(out["orders"][1]["error"]["code"], "not_found");
    assert_eq!(out["orders"][1]["reduced_by"], "0.00");
    assert_eq!(out["orders"][2]["reduced_by"], "0.00");
    let parsed: kalshi_core::orders::BatchCancelOrdersResponse =
        serde_json::from_value(out).unwrap();
    assert!(parsed.orders[1].error.is_some());
    demo.call(
        &sim,
        "DELETE",
        url,
        Some(r#"{"orders": [{"subaccount": 1}]}"#),
    )
    .assert_error(400, "invalid_parameters");
}

// ---------------------------------------------------------------------------------------------
// Pagination

#[test]
fn orders_paginate_newest_first_with_filters() {
    let (sim, clock, mut demo, _) = start();
    let mut ids = Vec::new();
    for i in 0..7 {
        let sub = if i % 2 == 0 { 0 } else { 1 };
        ids.push(place_id(
            &mut demo,
            &sim,
            with(
                order("bid", &format!("0.1{i}"), "1"),
                json!({"subaccount": sub}),
            ),
        ));
        clock.advance_ms(1_000);
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let page = get(
            &mut demo,
            &sim,
            &format!("/portfolio/orders?limit=3&cursor={cursor}"),
        );
        let parsed: kalshi_core::orders::GetOrdersResponse =
            serde_json::from_value(page.clone()).unwrap();
        seen.extend(parsed.orders.into_iter().map(|o| o.order_id));
        pages += 1;
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(pages, 3);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(seen, newest_first);
    // Exactly a full last page: the cursor is empty on it.
    let page = get(&mut demo, &sim, "/portfolio/orders?limit=7");
    assert_eq!(
        (page["orders"].as_array().unwrap().len(), &page["cursor"]),
        (7, &json!(""))
    );
    // Filters.
    let count = |c: &mut Client, q: &str| {
        get(c, &sim, &format!("/portfolio/orders?{q}"))["orders"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(&mut demo, "subaccount=1"), 3);
    assert_eq!(count(&mut demo, "subaccount=0&status=resting"), 4);
    assert_eq!(count(&mut demo, "status=canceled"), 0);
    assert_eq!(count(&mut demo, &format!("ticker={M}")), 7);
    assert_eq!(count(&mut demo, &format!("ticker={M2}")), 0);
    assert_eq!(count(&mut demo, "event_ticker=KXTEST-26DEC31,OTHER"), 7);
    assert_eq!(count(&mut demo, &format!("min_ts={}", T0 / 1000 + 5)), 2);
    assert_eq!(count(&mut demo, &format!("max_ts={}", T0 / 1000 + 1)), 2);
    assert_eq!(count(&mut demo, "exchange_index=1"), 0);
    for bad in [
        "limit=0",
        "limit=1001",
        "limit=x",
        "cursor=nope",
        "cursor=f0000000000000001",
        "status=open",
        "subaccount=64",
        "exchange_index=9",
    ] {
        demo.call(&sim, "GET", &format!("/portfolio/orders?{bad}"), None)
            .assert_error(400, "invalid_parameters");
    }
    // The default page size is 100.
    for i in 0..100 {
        place(
            &mut demo,
            &sim,
            order("ask", &format!("0.{:02}", 50 + i % 49), "0.01"),
        );
    }
    let page = get(&mut demo, &sim, "/portfolio/orders");
    assert_eq!(page["orders"].as_array().unwrap().len(), 100);
    assert_ne!(page["cursor"], "");
}

#[test]
fn fills_and_positions_paginate() {
    let (sim, clock, mut demo, mut other) = start();
    let mut order_ids = Vec::new();
    for i in 0..5 {
        place(&mut other, &sim, order("ask", "0.50", "1"));
        order_ids.push(place_id(&mut demo, &sim, order("bid", "0.50", "1")));
        clock.advance_ms(1_000);
        let _ = i;
    }
    place(&mut other, &sim, order_on(M2, "ask", "0.50", "1"));
    place(&mut demo, &sim, order_on(M2, "bid", "0.50", "1"));
    place(&mut other, &sim, order_on(SUBPENNY, "ask", "0.5001", "1"));
    place(&mut demo, &sim, order_on(SUBPENNY, "bid", "0.5001", "1"));
    let mut all = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = get(
            &mut demo,
            &sim,
            &format!("/portfolio/fills?limit=3&ticker={M}&cursor={cursor}"),
        );
        let parsed: kalshi_core::portfolio::GetFillsResponse =
            serde_json::from_value(page.clone()).unwrap();
        assert!(parsed.fills.iter().all(|f| f.is_taker && f.ticker == M));
        // The documented `market_ticker` and the shard, read by the client (issue 9).
        assert!(
            parsed
                .fills
                .iter()
                .all(|f| f.market_ticker.as_deref() == Some(M)
                    && f.exchange_index == kalshi_core::ExchangeIndex::shard(0))
        );
        all.extend(page["fills"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    let filled: Vec<&str> = all
        .iter()
        .map(|f| f["order_id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = order_ids.iter().rev().map(String::as_str).collect();
    assert_eq!(filled, expected);
    let f = &all[0];
    assert_eq!(
        (
            &f["count_fp"],
            &f["yes_price_dollars"],
            &f["no_price_dollars"],
            &f["fee_cost"],
            &f["outcome_side"],
            &f["book_side"],
            &f["is_taker"],
            &f["subaccount_number"]
        ),
        (
            &json!("1.00"),
            &json!("0.5000"),
            &json!("0.5000"),
            &json!("0.0000"),
            &json!("yes"),
            &json!("bid"),
            &json!(true),
            &json!(0)
        )
    );
    assert_eq!(f["fill_id"], f["trade_id"]);
    assert_eq!(f["ts"], T0 / 1000 + 4);
    assert_eq!(f["created_time"], "2023-11-14T22:13:24.000Z");
    let theirs = get(&mut other, &sim, "/portfolio/fills?limit=1000");
    assert_eq!(theirs["fills"].as_array().unwrap().len(), 7);
    assert!(
        theirs["fills"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["is_taker"] == false && f["book_side"] == "ask")
    );
    let one = get(
        &mut demo,
        &sim,
        &format!("/portfolio/fills?order_id={}", order_ids[2]),
    );
    assert_eq!(one["fills"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(&mut demo, &sim, "/portfolio/fills?subaccount=1")["fills"],
        json!([])
    );
    demo.call(
        &sim,
        "GET",
        "/portfolio/fills?cursor=o0000000000000001",
        None,
    )
    .assert_error(400, "invalid_parameters");

    // Positions: three markets, two per page, by ticker.
    let page1 = get(&mut demo, &sim, "/portfolio/positions?limit=2");
    let tickers: Vec<&str> = page1["market_positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ticker"].as_str().unwrap())
        .collect();
    assert_eq!(tickers, ["KXSUBPENNY-26DEC31-T50", M]);
    let c = page1["cursor"].as_str().unwrap();
    assert!(!c.is_empty());
    let page2 = get(
        &mut demo,
        &sim,
        &format!("/portfolio/positions?limit=2&cursor={c}"),
    );
    assert_eq!(page2["market_positions"][0]["ticker"], M2);
    assert_eq!(page2["cursor"], "");
    assert_eq!(
        page2["event_positions"][0]["event_ticker"],
        "KXTEST-26DEC31"
    );
    assert_eq!(
        get(
            &mut demo,
            &sim,
            "/portfolio/positions?count_filter=position,total_traded"
        )["market_positions"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        get(
            &mut demo,
            &sim,
            "/portfolio/positions?event_ticker=KXTEST-26DEC31"
        )["market_positions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for bad in ["count_filter=volume", "cursor=zz", "limit=0"] {
        demo.call(&sim, "GET", &format!("/portfolio/positions?{bad}"), None)
            .assert_error(400, "invalid_parameters");
    }
}

// ---------------------------------------------------------------------------------------------
// Order groups with orders

const GROUPS: &str = "/portfolio/order_groups";

fn create_group(c: &mut Client, sim: &Simulator, limit: u32) -> String {
    let resp = c.call(
        sim,
        "POST",
        &format!("{GROUPS}/create"),
        Some(&json!({"contracts_limit": limit}).to_string()),
    );
    resp.assert_status(201);
    resp.json()["order_group_id"].as_str().unwrap().to_owned()
}

fn group_state(c: &mut Client, sim: &Simulator, id: &str) -> Value {
    get(c, sim, &format!("{GROUPS}/{id}"))
}

fn in_group(body: Value, group: &str) -> Value {
    with(body, json!({"order_group_id": group}))
}

fn rolling(sim: &Simulator, id: &str) -> String {
    sim.order_groups(DEMO_KEY_ID)
        .into_iter()
        .find(|g| g.id == id)
        .unwrap()
        .rolling_volume_fp
}

#[test]
fn group_triggers_one_contract_past_the_limit_not_at_it() {
    let (sim, _clock, mut demo, mut other) = start();
    let g = create_group(&mut demo, &sim, 10);
    let resting = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "30"), &g));
    let spare = place_id(&mut demo, &sim, in_group(order("bid", "0.40", "5"), &g));
    // Exactly at the limit (maker fills): still active, orders still working.
    place(&mut other, &sim, order("ask", "0.50", "4"));
    place(&mut other, &sim, order("ask", "0.50", "6"));
    assert_eq!(rolling(&sim, &g), "10.00");
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        true
    );
    assert_eq!(
        get_order(&mut demo, &sim, &resting)["remaining_count_fp"],
        "20.00"
    );
    // One hundredth more: triggered, every working order of the group canceled.
    place(&mut other, &sim, order("ask", "0.50", "0.01"));
    let state = group_state(&mut demo, &sim, &g);
    assert_eq!(state["is_auto_cancel_enabled"], false);
    assert_eq!(state["orders"], json!([resting, spare]));
    for id in [&resting, &spare] {
        assert_eq!(get_order(&mut demo, &sim, id)["status"], "canceled");
    }
    assert_eq!(
        get_order(&mut demo, &sim, &resting)["fill_count_fp"],
        "10.01"
    );
    assert!(sim.book(M).unwrap().bids.is_empty());
    // New orders in the group are refused until a reset.
    post(&mut demo, &sim, &in_group(order("bid", "0.10", "1"), &g))
        .assert_error(400, "order_group_triggered");
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 2);
    // Orders outside the group are unaffected.
    place(&mut demo, &sim, order("bid", "0.10", "1"));
}

#[test]
fn taker_fills_count_and_the_crossing_fill_stands() {
    let (sim, _clock, mut demo, mut other) = start();
    let g = create_group(&mut demo, &sim, 5);
    place(&mut other, &sim, order("ask", "0.50", "4"));
    place(&mut other, &sim, order("ask", "0.51", "4"));
    place(&mut other, &sim, order("ask", "0.52", "4"));
    // 4 (volume 4), then 4 more (volume 8 > 5): triggered; the rest of the taker is canceled.
    let body = place(&mut demo, &sim, in_group(order("bid", "0.52", "12"), &g));
    assert_eq!(
        (&body["fill_count"], &body["remaining_count"]),
        (&json!("8.00"), &json!("0.00"))
    );
    assert_eq!(
        get_order(&mut demo, &sim, body["order_id"].as_str().unwrap())["status"],
        "canceled"
    );
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        false
    );
    assert_eq!(levels(&asks(&sim, M)), [("0.5200", "4.00")]);
}

#[test]
fn group_volume_older_than_15_seconds_no_longer_counts() {
    let (sim, clock, mut demo, mut other) = start();
    let g = create_group(&mut demo, &sim, 10);
    let id = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "30"), &g));
    place(&mut other, &sim, order("ask", "0.50", "10"));
    clock.advance_ms(14_999);
    assert_eq!(rolling(&sim, &g), "10.00");
    clock.advance_ms(1);
    // 15 s after the fill it has left the window: 10 more do not trigger.
    assert_eq!(rolling(&sim, &g), "0.00");
    place(&mut other, &sim, order("ask", "0.50", "10"));
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        true
    );
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "resting");
    // But within the window they add up.
    clock.advance_ms(14_999);
    place(&mut other, &sim, order("ask", "0.50", "0.01"));
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        false
    );
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "canceled");
}

#[test]
fn reset_clears_the_trigger_and_the_volume() {
    let (sim, _clock, mut demo, mut other) = start();
    let g = create_group(&mut demo, &sim, 10);
    place(&mut demo, &sim, in_group(order("bid", "0.50", "20"), &g));
    place(&mut other, &sim, order("ask", "0.50", "11"));
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        false
    );
    demo.call(&sim, "PUT", &format!("{GROUPS}/{g}/reset"), None)
        .assert_status(200);
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        true
    );
    assert_eq!(rolling(&sim, &g), "0.00");
    // Orders are accepted again, and a full limit's worth does not trigger.
    let id = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "20"), &g));
    place(&mut other, &sim, order("ask", "0.50", "10"));
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        true
    );
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "resting");
}

#[test]
fn delete_cancels_the_groups_resting_orders() {
    let (sim, _clock, mut demo, _) = start();
    let g = create_group(&mut demo, &sim, 10);
    let a = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "3"), &g));
    let b = place_id(
        &mut demo,
        &sim,
        in_group(order_on(M2, "ask", "0.60", "3"), &g),
    );
    let outside = place_id(&mut demo, &sim, order("bid", "0.49", "3"));
    demo.call(&sim, "DELETE", &format!("{GROUPS}/{g}"), None)
        .assert_status(200);
    for id in [&a, &b] {
        assert_eq!(get_order(&mut demo, &sim, id)["status"], "canceled");
    }
    assert_eq!(get_order(&mut demo, &sim, &outside)["status"], "resting");
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000_000 - 147);
    post(&mut demo, &sim, &in_group(order("bid", "0.10", "1"), &g)).assert_error(404, "not_found");
}

#[test]
fn a_limit_update_below_the_volume_triggers_and_cancels() {
    let (sim, _clock, mut demo, mut other) = start();
    let g = create_group(&mut demo, &sim, 10);
    let id = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "20"), &g));
    place(&mut other, &sim, order("ask", "0.50", "6"));
    let limit = format!("{GROUPS}/{g}/limit");
    demo.call(&sim, "PUT", &limit, Some(r#"{"contracts_limit": 6}"#))
        .assert_status(200);
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "resting");
    demo.call(
        &sim,
        "PUT",
        &limit,
        Some(r#"{"contracts_limit_fp": "5.99"}"#),
    )
    .assert_status(200);
    assert_eq!(
        group_state(&mut demo, &sim, &g)["is_auto_cancel_enabled"],
        false
    );
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "canceled");
}

#[test]
fn a_manual_trigger_cancels_and_rejects_new_orders() {
    let (sim, _clock, mut demo, _) = start();
    let g = create_group(&mut demo, &sim, 10);
    let id = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "2"), &g));
    demo.call(&sim, "PUT", &format!("{GROUPS}/{g}/trigger"), None)
        .assert_status(200);
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "canceled");
    post(&mut demo, &sim, &in_group(order("bid", "0.10", "1"), &g))
        .assert_error(400, "order_group_triggered");
    // The record_fill hook triggers and cancels the same way.
    let g2 = create_group(&mut demo, &sim, 1);
    let id2 = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "2"), &g2));
    assert!(!sim.record_fill(DEMO_KEY_ID, 0, &g2, "1").unwrap());
    assert_eq!(get_order(&mut demo, &sim, &id2)["status"], "resting");
    assert!(sim.record_fill(DEMO_KEY_ID, 0, &g2, "0.01").unwrap());
    assert_eq!(get_order(&mut demo, &sim, &id2)["status"], "canceled");
    assert_eq!(sim.order_group_creates(DEMO_KEY_ID), 2);
    assert_eq!(sim.order_group_creates(OTHER), 0);
}

#[test]
fn orders_join_groups_of_their_own_subaccount_and_shard_only() {
    let (sim, _clock, mut demo, mut other) = start();
    let g = create_group(&mut demo, &sim, 10);
    post(
        &mut demo,
        &sim,
        &with(
            in_group(order("bid", "0.50", "1"), &g),
            json!({"subaccount": 1}),
        ),
    )
    .assert_error(404, "not_found");
    post(&mut other, &sim, &in_group(order("bid", "0.50", "1"), &g)).assert_error(404, "not_found");
    let resp = demo.call(
        &sim,
        "POST",
        &format!("{GROUPS}/create"),
        Some(r#"{"contracts_limit": 5, "exchange_index": 2}"#),
    );
    let far = resp.json()["order_group_id"].as_str().unwrap().to_owned();
    post(&mut demo, &sim, &in_group(order("bid", "0.50", "1"), &far))
        .assert_error(400, "invalid_parameters");
    let id = place_id(&mut demo, &sim, in_group(order("bid", "0.50", "1"), &g));
    assert_eq!(
        get_order(&mut demo, &sim, &id)["order_group_id"],
        g.as_str()
    );
    assert_eq!(
        sim.orders(DEMO_KEY_ID)[0].order_group_id.as_deref(),
        Some(g.as_str())
    );
}

#[test]
fn every_id_is_unique_and_snapshots_agree_with_the_api() {
    let (sim, _clock, mut demo, mut other) = start();
    let mut ids = HashSet::new();
    for i in 0..20 {
        ids.insert(place_id(
            &mut demo,
            &sim,
            order("bid", &format!("0.{:02}", 10 + i), "1"),
        ));
        ids.insert(place_id(
            &mut other,
            &sim,
            order("ask", &format!("0.{:02}", 10 + i), "1"),
        ));
    }
    assert_eq!(ids.len(), 40);
    let snaps = sim.orders(DEMO_KEY_ID);
    assert_eq!(snaps.len(), 20);
    assert!(
        snaps
            .iter()
            .all(|o| o.status == "executed" || o.status == "resting")
    );
    let fills: HashSet<String> = sim
        .fills(DEMO_KEY_ID)
        .into_iter()
        .chain(sim.fills(OTHER))
        .map(|f| f.fill_id)
        .collect();
    assert_eq!(fills.len(), sim.fills(DEMO_KEY_ID).len() * 2);
    assert_eq!(
        sim.markets(),
        ["KXSUBPENNY-26DEC31-T50", M, M2, "KXWHOLE-26DEC31-T1"]
    );
    assert!(sim.book("NOPE").is_none());
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[test]
fn hostile_input_gets_4xx_never_5xx() {
    let (sim, _clock, mut demo, _) = start();
    let id = place_id(&mut demo, &sim, order("bid", "0.50", "1"));
    let values = [
        json!(null),
        json!(true),
        json!(1),
        json!(-1),
        json!(1e300),
        json!(u64::MAX),
        json!("x"),
        json!(""),
        json!([]),
        json!({}),
        json!("99999999999999999999999"),
        json!("0.0001"),
        json!("-0.5"),
        json!("1e3"),
        json!("\u{0}"),
        json!("€".repeat(50)),
    ];
    let check = |resp: Resp, what: &str| {
        assert!(
            (200..500).contains(&resp.status),
            "{what}: {} {}",
            resp.status,
            String::from_utf8_lossy(&resp.body)
        );
    };
    let create = with(order("bid", "0.50", "1"), json!({"client_order_id": "x"}));
    let amend = json!({"ticker": M, "side": "bid", "price": "0.50", "count": "2"});
    let decrease = json!({"reduce_by": "1"});
    let targets: [(&str, String, &Value); 3] = [
        ("POST", ORDERS.to_owned(), &create),
        ("POST", format!("{ORDERS}/{id}/amend"), &amend),
        ("POST", format!("{ORDERS}/{id}/decrease"), &decrease),
    ];
    for (method, target, base) in &targets {
        let fields: Vec<String> = base
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .chain(
                [
                    "subaccount",
                    "exchange_index",
                    "expiration_time",
                    "order_group_id",
                    "post_only",
                    "market_ticker",
                    "updated_client_order_id",
                ]
                .map(String::from),
            )
            .collect();
        for field in &fields {
            for v in &values {
                let mut body = (*base).clone();
                body[field.as_str()] = v.clone();
                check(
                    demo.call(&sim, method, target, Some(&body.to_string())),
                    &format!("{target} {field}={v}"),
                );
            }
        }
    }
    for v in &values {
        for url in ["/portfolio/events/orders/batched"] {
            for method in ["POST", "DELETE"] {
                let body = json!({"orders": [v, {"order_id": v}, with(order("bid", "0.5", "1"), json!({"count": v}))]});
                check(
                    demo.call(&sim, method, url, Some(&body.to_string())),
                    &format!("{method} batch {v}"),
                );
                check(
                    demo.call(&sim, method, url, Some(&json!({"orders": v}).to_string())),
                    &format!("{method} batch orders={v}"),
                );
            }
        }
    }
    for q in [
        "limit",
        "cursor",
        "subaccount",
        "exchange_index",
        "status",
        "min_ts",
        "max_ts",
        "ticker",
        "event_ticker",
        "count_filter",
        "market_tickers",
        "order_id",
    ] {
        for v in ["-1", "x", "%FF", "99999999999999999999", "1001", ",,,"] {
            for path in [
                "/portfolio/orders",
                "/portfolio/fills",
                "/portfolio/positions",
                "/portfolio/balance",
                "/portfolio/orders/queue_positions",
            ] {
                check(
                    demo.call(&sim, "GET", &format!("{path}?{q}={v}"), None),
                    &format!("{path}?{q}={v}"),
                );
            }
        }
    }
    for id in ["%FF", "..", "x%2Fy", &"a".repeat(5000)] {
        for (method, suffix) in [("GET", ""), ("GET", "/queue_position")] {
            check(
                demo.call(
                    &sim,
                    method,
                    &format!("/portfolio/orders/{id}{suffix}"),
                    None,
                ),
                id,
            );
        }
        for (method, suffix) in [("DELETE", ""), ("POST", "/amend"), ("POST", "/decrease")] {
            check(
                demo.call(&sim, method, &format!("{ORDERS}/{id}{suffix}"), Some("{}")),
                id,
            );
        }
    }
    // Still serving (the valid decreases among the variations canceled the order).
    assert_eq!(get_order(&mut demo, &sim, &id)["status"], "canceled");
    place(&mut demo, &sim, order("bid", "0.50", "1"));
}
