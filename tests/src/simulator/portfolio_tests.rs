//! End-to-end tests of subaccounts, transfers, settlement, deposits and withdrawals, the
//! resting order value, target balance allocations, intra-exchange-instance transfers and the
//! historical cutoff, over real sockets with the raw test client and a [`ManualClock`]. Every
//! successful answer is checked against its documented schema
//! ([`shape_check`](super::shape_check)).

use serde_json::{Value, json};

use super::engine::Status;
use super::shape_check::assert_shape;
use super::test_client::{Client, OTHER_PRIVATE_KEY_PEM, Resp, other_credentials};
use super::*;
use crate::DEMO_KEY_ID;

const T0: u64 = 1_700_000_000_000;
const M: &str = DEFAULT_MARKET;
const M2: &str = "KXTEST-26DEC31-T60";
const OTHER: &str = "other";
const THIRD: &str = "third";

fn other_key() -> kalshi_core::auth::VerifyingKey {
    kalshi_core::auth::PrivateKey::from_pem(OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .verifying_key()
}

struct Env {
    sim: Simulator,
    clock: ManualClock,
    demo: Client,
    other: Client,
}

/// A simulator with the demo key, `other` and `third` (same key pair), two shards (a market on
/// shard 1), on a manual clock.
fn start() -> Env {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_key(OTHER, other_key())
            .with_key(THIRD, other_key())
            .with_exchange_shards(2)
            .with_market(MarketConfig::new("KXSHARD-26DEC31-T1").exchange_index(1)),
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

/// Sends a request and, on `status`, checks the answer against `operation`'s schema.
fn call(
    c: &mut Client,
    sim: &Simulator,
    operation: &str,
    method: &str,
    target: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    let resp = c.call(sim, method, target, body.map(|b| b.to_string()).as_deref());
    resp.assert_status(status);
    let v = resp.json();
    assert_shape(operation, status, &v);
    v
}

fn raw(c: &mut Client, sim: &Simulator, method: &str, target: &str, body: Value) -> Resp {
    c.call(sim, method, target, Some(&body.to_string()))
}

fn order(ticker: &str, sub: u8, side: &str, price: &str, count: &str, tif: &str) -> Value {
    json!({
        "ticker": ticker, "side": side, "price": price, "count": count,
        "time_in_force": tif, "self_trade_prevention_type": "taker_at_cross",
        "subaccount": sub,
    })
}

fn place(c: &mut Client, sim: &Simulator, body: Value) -> Value {
    let resp = c.call(
        sim,
        "POST",
        "/portfolio/events/orders",
        Some(&body.to_string()),
    );
    resp.assert_status(201);
    resp.json()
}

fn create_subaccount(c: &mut Client, sim: &Simulator) -> u64 {
    call(
        c,
        sim,
        "CreateSubaccount",
        "POST",
        "/portfolio/subaccounts",
        None,
        201,
    )["subaccount_number"]
        .as_u64()
        .unwrap()
}

/// A UUID built from a number.
fn uuid(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

fn transfer_body(id: u64, from: u8, to: u8, cents: i64) -> Value {
    json!({"client_transfer_id": uuid(id), "from_subaccount": from, "to_subaccount": to,
        "amount_cents": cents})
}

/// `GET /portfolio/subaccounts/balances` as (subaccount, shard) -> balance string.
fn balances(c: &mut Client, sim: &Simulator) -> Vec<(u64, u64, String)> {
    let b = call(
        c,
        sim,
        "GetSubaccountBalances",
        "GET",
        "/portfolio/subaccounts/balances",
        None,
        200,
    );
    b["subaccount_balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["subaccount_number"].as_u64().unwrap(),
                e["exchange_index"].as_u64().unwrap(),
                e["balance"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Micro-dollars of a fixed-point dollar string.
fn micros(s: &str) -> i64 {
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (w, f) = s.split_once('.').unwrap_or((s, ""));
    let v = w.parse::<i64>().unwrap() * 1_000_000 + format!("{f:0<6}").parse::<i64>().unwrap();
    if neg { -v } else { v }
}

/// Hundredths of a fixed-point count string.
fn hundredths(s: &str) -> i64 {
    micros(s) / 10_000
}

/// Total cash of every subaccount of every account on every shard (reserved included), in
/// micro-dollars, read from the exchange state.
fn total_cash(sim: &Simulator) -> i64 {
    let ex = sim.shared.exchange();
    let engine: i64 = ex
        .accounts
        .values()
        .flat_map(|a| a.subaccounts().map(|(_, s)| s.cash))
        .sum();
    engine + ex.ledger.shard_cash.values().map(|c| c.cash).sum::<i64>()
}

/// Total held YES and NO contracts (hundredths) in `ticker` across everything.
fn total_contracts(sim: &Simulator, ticker: &str) -> (u64, u64) {
    let ex = sim.shared.exchange();
    ex.accounts
        .values()
        .flat_map(|a| a.subaccounts().map(|(_, s)| s))
        .filter_map(|s| s.positions.get(ticker))
        .fold((0, 0), |(y, n), p| {
            (y + p.yes.hundredths(), n + p.no.hundredths())
        })
}

/// A deterministic pseudo-random stream (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ---------------------------------------------------------------------------------------------
// Subaccounts

#[test]
fn subaccounts_are_numbered_in_order_up_to_63() {
    let Env { sim, mut demo, .. } = start();
    assert_eq!(balances(&mut demo, &sim), [(0, 0, "10000.0000".to_owned())]);
    assert_eq!(create_subaccount(&mut demo, &sim), 1);
    assert_eq!(create_subaccount(&mut demo, &sim), 2);
    // Subaccount 3 used without being created (the simulator's leniency) is taken.
    place(
        &mut demo,
        &sim,
        order(M, 3, "bid", "0.10", "1", "good_till_canceled"),
    );
    let created = call(
        &mut demo,
        &sim,
        "CreateSubaccount",
        "POST",
        "/portfolio/subaccounts",
        Some(json!({"exchange_index": 1})),
        201,
    );
    assert_eq!(created, json!({"subaccount_number": 4}));
    let b = balances(&mut demo, &sim);
    assert_eq!(
        b,
        [
            (0, 0, "10000.0000".to_owned()),
            (1, 0, "0.0000".to_owned()),
            (2, 0, "0.0000".to_owned()),
            (3, 0, "9999.9000".to_owned()),
            (4, 0, "0.0000".to_owned()),
            (4, 1, "0.0000".to_owned()),
        ]
    );
    for n in 5..=63 {
        assert_eq!(create_subaccount(&mut demo, &sim), n);
    }
    demo.call(&sim, "POST", "/portfolio/subaccounts", Some("{}"))
        .assert_error(400, "subaccount_limit_reached");
    demo.call(
        &sim,
        "POST",
        "/portfolio/subaccounts",
        Some(r#"{"exchange_index": 2}"#),
    )
    .assert_error(400, "invalid_parameters");
    // Another account numbers its own.
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    assert_eq!(create_subaccount(&mut other, &sim), 1);
}

#[test]
fn cash_transfers_move_money_once_and_refusals_change_nothing() {
    let Env {
        sim,
        clock,
        mut demo,
        ..
    } = start();
    create_subaccount(&mut demo, &sim);
    clock.advance_ms(5_000);
    let ok = call(
        &mut demo,
        &sim,
        "ApplySubaccountTransfer",
        "POST",
        "/portfolio/subaccounts/transfer",
        Some(transfer_body(1, 0, 1, 2_500)),
        200,
    );
    assert_eq!(ok, json!({}));
    let after = vec![(0, 0, "9975.0000".to_owned()), (1, 0, "25.0000".to_owned())];
    assert_eq!(balances(&mut demo, &sim), after);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 1), 2_500);

    // The same client_transfer_id again: 409, nothing moves.
    raw(
        &mut demo,
        &sim,
        "POST",
        "/portfolio/subaccounts/transfer",
        transfer_body(1, 0, 1, 2_500),
    )
    .assert_error(409, "duplicate_client_transfer_id");
    // Reserved cash is not available: sub 1 rests a bid holding $20.
    place(
        &mut demo,
        &sim,
        order(M, 1, "bid", "0.40", "50", "good_till_canceled"),
    );
    let after = vec![(0, 0, "9975.0000".to_owned()), (1, 0, "5.0000".to_owned())];
    assert_eq!(balances(&mut demo, &sim), after);
    let refusals = [
        (transfer_body(2, 1, 0, 501), "insufficient_balance"),
        (transfer_body(3, 0, 0, 1), "invalid_parameters"),
        (transfer_body(4, 0, 7, 1), "subaccount_not_found"),
        (transfer_body(5, 9, 0, 1), "subaccount_not_found"),
        (transfer_body(6, 0, 1, 0), "invalid_parameters"),
        (transfer_body(7, 0, 1, -5), "invalid_parameters"),
        (transfer_body(8, 0, 64, 1), "invalid_parameters"),
        (
            json!({"client_transfer_id": "not-a-uuid", "from_subaccount": 0, "to_subaccount": 1, "amount_cents": 1}),
            "invalid_parameters",
        ),
        (
            json!({"client_transfer_id": uuid(9), "from_subaccount": 0, "to_subaccount": 1}),
            "invalid_parameters",
        ),
        (
            json!({"client_transfer_id": uuid(10), "from_subaccount": 0, "to_subaccount": 1, "amount_cents": 1, "exchange_index": 5}),
            "invalid_parameters",
        ),
        (
            json!({"client_transfer_id": uuid(11), "from_subaccount": 0, "to_subaccount": 1, "amount_cents": 1, "exchange_index": 1}),
            "insufficient_balance",
        ),
    ];
    for (body, code) in refusals {
        raw(
            &mut demo,
            &sim,
            "POST",
            "/portfolio/subaccounts/transfer",
            body.clone(),
        )
        .assert_error(400, code);
        assert_eq!(balances(&mut demo, &sim), after, "{body}");
    }
    // Exactly the available cash moves.
    call(
        &mut demo,
        &sim,
        "ApplySubaccountTransfer",
        "POST",
        "/portfolio/subaccounts/transfer",
        Some(transfer_body(12, 1, 0, 500)),
        200,
    );
    let list = call(
        &mut demo,
        &sim,
        "GetSubaccountTransfers",
        "GET",
        "/portfolio/subaccounts/transfers",
        None,
        200,
    );
    let t = &list["transfers"];
    assert_eq!(t.as_array().unwrap().len(), 2);
    assert_eq!(
        (
            &t[0]["from_subaccount"],
            &t[0]["to_subaccount"],
            &t[0]["amount_cents"]
        ),
        (&json!(1), &json!(0), &json!(500))
    );
    assert_eq!(t[1]["created_ts"], (T0 + 5_000) / 1000);
    assert_eq!(t[1]["exchange_index"], 0);
    assert_eq!(list["cursor"], "");
    // Paging.
    let page = call(
        &mut demo,
        &sim,
        "GetSubaccountTransfers",
        "GET",
        "/portfolio/subaccounts/transfers?limit=1",
        None,
        200,
    );
    assert_eq!(page["transfers"][0]["transfer_id"], t[0]["transfer_id"]);
    let cursor = page["cursor"].as_str().unwrap().to_owned();
    let next = call(
        &mut demo,
        &sim,
        "GetSubaccountTransfers",
        "GET",
        &format!("/portfolio/subaccounts/transfers?limit=1&cursor={cursor}"),
        None,
        200,
    );
    assert_eq!(next["transfers"][0]["transfer_id"], t[1]["transfer_id"]);
    assert_eq!(next["cursor"], "");
    // Another account sees none of them.
    let mut other = Client::with_credentials(&sim, other_credentials(OTHER));
    let none = call(
        &mut other,
        &sim,
        "GetSubaccountTransfers",
        "GET",
        "/portfolio/subaccounts/transfers",
        None,
        200,
    );
    assert_eq!(none["transfers"], json!([]));
}

#[test]
fn random_cash_transfers_conserve_the_total() {
    for seed in [1u64, 7, 42] {
        let Env { sim, mut demo, .. } = start();
        let mut rng = Rng(seed);
        for _ in 0..3 {
            create_subaccount(&mut demo, &sim);
        }
        // Some cash is held by resting orders, and some sits on shard 1.
        place(
            &mut demo,
            &sim,
            order(M, 0, "bid", "0.30", "100", "good_till_canceled"),
        );
        call(
            &mut demo,
            &sim,
            "IntraExchangeInstanceTransfer",
            "POST",
            "/portfolio/intra_exchange_instance_transfer",
            Some(
                json!({"source": "event_contract", "destination": "event_contract",
                "amount": 5_000_000, "destination_exchange_shard": 1}),
            ),
            200,
        );
        let before = total_cash(&sim);
        let mut applied = 0;
        for i in 0..60 {
            let from = rng.below(5) as u8;
            let to = rng.below(5) as u8;
            let shard = rng.below(2);
            let cents = [1, 99, 5_000, 200_000, 1_000_000][rng.below(5) as usize];
            let mut body = transfer_body(i, from, to, cents);
            body["exchange_index"] = json!(shard);
            let id = if rng.below(10) == 0 && i > 0 {
                i - 1
            } else {
                i
            };
            body["client_transfer_id"] = json!(uuid(id));
            let resp = raw(
                &mut demo,
                &sim,
                "POST",
                "/portfolio/subaccounts/transfer",
                body,
            );
            if resp.status == 200 {
                applied += 1;
            } else {
                assert!(matches!(resp.status, 400 | 409), "{}", resp.status);
            }
            assert_eq!(total_cash(&sim), before, "seed {seed} step {i}");
            // No balance goes negative.
            for (_, _, b) in balances(&mut demo, &sim) {
                assert!(!b.starts_with('-'), "seed {seed}: {b}");
            }
        }
        assert!(applied > 5, "seed {seed}: only {applied} applied");
        let list = call(
            &mut demo,
            &sim,
            "GetSubaccountTransfers",
            "GET",
            "/portfolio/subaccounts/transfers",
            None,
            200,
        );
        assert_eq!(list["transfers"].as_array().unwrap().len(), applied);
    }
}

#[test]
fn netting_is_on_by_default_and_can_be_turned_off() {
    let Env {
        sim,
        mut demo,
        mut other,
        ..
    } = start();
    create_subaccount(&mut demo, &sim);
    let configs = call(
        &mut demo,
        &sim,
        "GetSubaccountNetting",
        "GET",
        "/portfolio/subaccounts/netting",
        None,
        200,
    );
    assert_eq!(
        configs["netting_configs"],
        json!([{"subaccount_number": 0, "enabled": true, "exchange_index": 0},
               {"subaccount_number": 1, "enabled": true, "exchange_index": 0}])
    );
    let off = call(
        &mut demo,
        &sim,
        "UpdateSubaccountNetting",
        "PUT",
        "/portfolio/subaccounts/netting",
        Some(json!({"subaccount_number": 0, "enabled": false})),
        200,
    );
    assert_eq!(off, json!({}));
    raw(
        &mut demo,
        &sim,
        "PUT",
        "/portfolio/subaccounts/netting",
        json!({"subaccount_number": 5, "enabled": false}),
    )
    .assert_error(400, "subaccount_not_found");
    raw(
        &mut demo,
        &sim,
        "PUT",
        "/portfolio/subaccounts/netting",
        json!({"subaccount_number": 1}),
    )
    .assert_error(400, "invalid_parameters");
    // Without netting, buying YES then NO keeps both.
    place(
        &mut other,
        &sim,
        order(M, 0, "ask", "0.40", "10", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.40", "10", "immediate_or_cancel"),
    );
    place(
        &mut other,
        &sim,
        order(M, 0, "bid", "0.50", "4", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M, 0, "ask", "0.50", "4", "immediate_or_cancel"),
    );
    let cash = sim.balance_cents(DEMO_KEY_ID, 0);
    assert_eq!(cash, 1_000_000 - 400 - 200);
    // Demo keeps 10 YES and 4 NO; other (netting on) paired its 4 YES with its 10 NO.
    assert_eq!(total_contracts(&sim, M), (1000, 400 + 600));
    let demo_holds = holdings(&sim, M)
        .into_iter()
        .find(|h| h.0 == DEMO_KEY_ID)
        .unwrap();
    assert_eq!((demo_holds.2, demo_holds.3), (1000, 400));
    // Turning it back on settles the 4 pairs at $1.
    call(
        &mut demo,
        &sim,
        "UpdateSubaccountNetting",
        "PUT",
        "/portfolio/subaccounts/netting",
        Some(json!({"subaccount_number": 0, "enabled": true})),
        200,
    );
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), cash + 400);
    assert_eq!(sim.positions(DEMO_KEY_ID)[0].position_fp, "6.00");
}

#[test]
fn position_transfers_move_contracts_at_the_given_price() {
    let Env {
        sim,
        mut demo,
        mut other,
        ..
    } = start();
    create_subaccount(&mut demo, &sim);
    // Demo's primary holds 10 YES at 0.40.
    place(
        &mut other,
        &sim,
        order(M, 0, "ask", "0.40", "10", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.40", "10", "immediate_or_cancel"),
    );
    let cash = total_cash(&sim);
    let body = |id: u64, from: u8, to: u8, side: &str, count: i64, price: &str| {
        json!({"client_transfer_id": uuid(id), "from_subaccount": from, "to_subaccount": to,
            "market_ticker": M, "side": side, "count": count, "price": price})
    };
    let moved = call(
        &mut demo,
        &sim,
        "ApplySubaccountPositionTransfer",
        "POST",
        "/portfolio/subaccounts/positions/transfer",
        Some(body(1, 0, 1, "yes", 4, "0.55")),
        200,
    );
    assert!(
        moved["position_transfer_id"]
            .as_str()
            .is_some_and(|s| s.len() == 36)
    );
    assert_eq!(total_cash(&sim), cash);
    let positions = |c: &mut Client, sub: u8| {
        call(
            c,
            &sim,
            "GetPositions",
            "GET",
            &format!("/portfolio/positions?subaccount={sub}&ticker={M}"),
            None,
            200,
        )["market_positions"][0]
            .clone()
    };
    let p0 = positions(&mut demo, 0);
    assert_eq!(p0["position_fp"], "6.00");
    assert_eq!(p0["market_exposure_dollars"], "2.4000");
    // Sold 4 at 0.55 that cost 0.40: +0.60 realized.
    assert_eq!(p0["realized_pnl_dollars"], "0.6000");
    let p1 = positions(&mut demo, 1);
    assert_eq!(p1["position_fp"], "4.00");
    assert_eq!(p1["market_exposure_dollars"], "2.2000");
    // Refusals change nothing.
    let refusals = [
        (
            body(1, 0, 1, "yes", 1, "0.55"),
            409,
            "duplicate_client_transfer_id",
        ),
        (
            body(2, 0, 1, "yes", 7, "0.55"),
            400,
            "insufficient_position",
        ),
        (body(3, 0, 1, "no", 1, "0.55"), 400, "insufficient_position"),
        (body(4, 0, 0, "yes", 1, "0.55"), 400, "invalid_parameters"),
        (body(5, 0, 9, "yes", 1, "0.55"), 400, "subaccount_not_found"),
        (body(6, 0, 1, "yes", 0, "0.55"), 400, "invalid_parameters"),
        (body(7, 0, 1, "yes", 1, "1.01"), 400, "invalid_parameters"),
        (body(8, 0, 1, "maybe", 1, "0.55"), 400, "invalid_parameters"),
        (
            json!({"client_transfer_id": uuid(9), "from_subaccount": 0, "to_subaccount": 1,
                "market_ticker": "KXSHARD-26DEC31-T1", "side": "yes", "count": 1, "price": "0.5"}),
            400,
            "invalid_parameters",
        ),
        (
            json!({"client_transfer_id": uuid(10), "from_subaccount": 0, "to_subaccount": 1,
                "market_ticker": "NOPE", "side": "yes", "count": 1, "price": "0.5"}),
            400,
            "invalid_parameters",
        ),
    ];
    for (b, status, code) in refusals {
        raw(
            &mut demo,
            &sim,
            "POST",
            "/portfolio/subaccounts/positions/transfer",
            b.clone(),
        )
        .assert_error(status, code);
        assert_eq!(total_contracts(&sim, M), (1000, 1000), "{b}");
        assert_eq!(positions(&mut demo, 0)["position_fp"], "6.00");
    }
    assert_eq!(total_cash(&sim), cash);
}

#[test]
fn random_position_transfers_conserve_contracts() {
    for seed in [3u64, 11] {
        let Env {
            sim,
            mut demo,
            mut other,
            ..
        } = start();
        let mut rng = Rng(seed);
        create_subaccount(&mut demo, &sim);
        create_subaccount(&mut demo, &sim);
        for sub in 0..3 {
            call(
                &mut demo,
                &sim,
                "UpdateSubaccountNetting",
                "PUT",
                "/portfolio/subaccounts/netting",
                Some(json!({"subaccount_number": sub, "enabled": false})),
                200,
            );
        }
        for sub in 1..3 {
            call(
                &mut demo,
                &sim,
                "ApplySubaccountTransfer",
                "POST",
                "/portfolio/subaccounts/transfer",
                Some(transfer_body(100 + sub, 0, sub as u8, 100_000)),
                200,
            );
        }
        // Sub 0 holds 20 YES, sub 1 holds 15 NO.
        place(
            &mut other,
            &sim,
            order(M, 0, "ask", "0.40", "20", "good_till_canceled"),
        );
        place(
            &mut demo,
            &sim,
            order(M, 0, "bid", "0.40", "20", "immediate_or_cancel"),
        );
        place(
            &mut other,
            &sim,
            order(M, 0, "bid", "0.45", "15", "good_till_canceled"),
        );
        place(
            &mut demo,
            &sim,
            order(M, 1, "ask", "0.45", "15", "immediate_or_cancel"),
        );
        let contracts = total_contracts(&sim, M);
        let cash = total_cash(&sim);
        let mut applied = 0;
        for i in 0..40 {
            let side = if rng.below(2) == 0 { "yes" } else { "no" };
            let b = json!({"client_transfer_id": uuid(i), "from_subaccount": rng.below(3),
                "to_subaccount": rng.below(3), "market_ticker": M, "side": side,
                "count": 1 + rng.below(12), "price": format!("0.{:02}", rng.below(100))});
            let resp = raw(
                &mut demo,
                &sim,
                "POST",
                "/portfolio/subaccounts/positions/transfer",
                b,
            );
            if resp.status == 200 {
                applied += 1;
                assert_shape("ApplySubaccountPositionTransfer", 200, &resp.json());
            } else {
                assert_eq!(resp.status, 400);
            }
            assert_eq!(total_contracts(&sim, M), contracts, "seed {seed} step {i}");
            assert_eq!(total_cash(&sim), cash, "seed {seed} step {i}");
        }
        assert!(applied > 5, "seed {seed}: only {applied}");
    }
}

#[test]
fn a_settlement_advance_lock_cancels_orders_and_stops_trading() {
    let Env { sim, mut demo, .. } = start();
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.30", "10", "good_till_canceled"),
    );
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000_000 - 300);
    let body = json!({"subaccount_number": 0});
    let locked = call(
        &mut demo,
        &sim,
        "LockSubaccountForSettlementAdvance",
        "PUT",
        "/portfolio/subaccounts/settlement-advance-lock",
        Some(body.clone()),
        200,
    );
    assert_eq!(
        locked["settlement_advance_state"].as_str().unwrap().len(),
        36
    );
    assert_eq!(sim.orders(DEMO_KEY_ID)[0].status, "canceled");
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000_000);
    let resp = demo.call(
        &sim,
        "POST",
        "/portfolio/events/orders",
        Some(&order(M, 0, "bid", "0.30", "1", "good_till_canceled").to_string()),
    );
    resp.assert_error(400, "subaccount_locked");
    raw(
        &mut demo,
        &sim,
        "PUT",
        "/portfolio/subaccounts/settlement-advance-lock",
        body.clone(),
    )
    .assert_error(409, "subaccount_locked");
    raw(
        &mut demo,
        &sim,
        "PUT",
        "/portfolio/subaccounts/settlement-advance-lock",
        json!({"subaccount_number": 0, "exchange_index": 1}),
    )
    .assert_error(400, "invalid_parameters");
    raw(
        &mut demo,
        &sim,
        "PUT",
        "/portfolio/subaccounts/settlement-advance-lock",
        json!({"subaccount_number": 3}),
    )
    .assert_error(400, "subaccount_not_found");
    for _ in 0..2 {
        let unlocked = call(
            &mut demo,
            &sim,
            "UnlockSubaccountForSettlementAdvance",
            "DELETE",
            "/portfolio/subaccounts/settlement-advance-lock",
            Some(body.clone()),
            200,
        );
        assert_eq!(unlocked, json!({}));
    }
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.30", "1", "good_till_canceled"),
    );
}

// ---------------------------------------------------------------------------------------------
// Settlement

/// Every (account, subaccount) position in `ticker`: (YES, NO) hundredths.
fn holdings(sim: &Simulator, ticker: &str) -> Vec<(String, u8, u64, u64)> {
    let ex = sim.shared.exchange();
    let mut out = Vec::new();
    for (key, a) in &ex.accounts {
        for (sid, s) in a.subaccounts() {
            if let Some(p) = s.positions.get(ticker) {
                out.push((
                    key.clone(),
                    sid.get(),
                    p.yes.hundredths(),
                    p.no.hundredths(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Random trading in `M` and `M2` between three accounts and two subaccounts each, leaving
/// resting orders on the books.
fn random_trading(sim: &Simulator, seed: u64) {
    let mut clients = [
        Client::new(sim),
        Client::with_credentials(sim, other_credentials(OTHER)),
        Client::with_credentials(sim, other_credentials(THIRD)),
    ];
    let mut rng = Rng(seed);
    for _ in 0..80 {
        let c = &mut clients[rng.below(3) as usize];
        let ticker = if rng.below(3) == 0 { M2 } else { M };
        let side = if rng.below(2) == 0 { "bid" } else { "ask" };
        let price = format!("0.{:02}", 30 + rng.below(40));
        let count = format!(
            "{}.{:02}",
            1 + rng.below(9),
            [0, 50, 25][rng.below(3) as usize]
        );
        let tif = if rng.below(3) == 0 {
            "immediate_or_cancel"
        } else {
            "good_till_canceled"
        };
        let resp = c.call(
            sim,
            "POST",
            "/portfolio/events/orders",
            Some(&order(ticker, rng.below(2) as u8, side, &price, &count, tif).to_string()),
        );
        resp.assert_status(201);
    }
}

#[test]
fn settlement_pays_exactly_what_positions_are_worth() {
    for (seed, result) in [
        (5u64, SettlementResult::Yes),
        (6, SettlementResult::No),
        (8, SettlementResult::Scalar(37)),
    ] {
        let Env {
            sim,
            clock,
            mut demo,
            ..
        } = start();
        random_trading(&sim, seed);
        let held = holdings(&sim, M);
        assert!(
            held.iter().any(|h| h.2 + h.3 > 0),
            "seed {seed}: nobody holds anything"
        );
        assert!(!sim.book(M).unwrap().bids.is_empty() || !sim.book(M).unwrap().asks.is_empty());
        let cash_before = total_cash(&sim);
        let other_market = holdings(&sim, M2);
        let yes_value = i64::from(result.yes_payout_cents()) * 100;
        // What the positions are worth, per holder, in micro-dollars (rounded down to cents).
        let worth: Vec<i64> = held
            .iter()
            .map(|(_, _, y, n)| {
                let v = *y as i64 * yes_value + *n as i64 * (10_000 - yes_value);
                v.div_euclid(10_000) * 10_000
            })
            .collect();
        clock.advance_ms(2_000);
        let paid = sim.settle_market(M, result).unwrap();
        assert_eq!(paid * 10_000, worth.iter().sum::<i64>(), "seed {seed}");
        // Cash after = cash before + payout: no money created or lost.
        assert_eq!(total_cash(&sim), cash_before + paid * 10_000, "seed {seed}");
        // Resting orders in the market are gone with their reservations; the other market
        // keeps its book and positions.
        let book = sim.book(M).unwrap();
        assert!(book.bids.is_empty() && book.asks.is_empty());
        let ex = sim.shared.exchange();
        for (key, a) in &ex.accounts {
            for (sid, s) in a.subaccounts() {
                let reserved: i64 = ex
                    .orders
                    .values()
                    .filter(|o| &o.account == key && o.sub == sid && o.status == Status::Resting)
                    .map(|o| o.reserved)
                    .sum();
                assert_eq!(s.reserved, reserved, "seed {seed}");
            }
        }
        assert!(
            ex.orders
                .values()
                .all(|o| o.ticker != M || o.status != Status::Resting)
        );
        drop(ex);
        assert_eq!(holdings(&sim, M2), other_market);
        // Positions close.
        assert!(holdings(&sim, M).iter().all(|h| h.2 == 0 && h.3 == 0));
        // The settlements list one record per holder, with the documented fields.
        let mut listed = Vec::new();
        for key in [DEMO_KEY_ID, OTHER, THIRD] {
            let mut c = if key == DEMO_KEY_ID {
                Client::new(&sim)
            } else {
                Client::with_credentials(&sim, other_credentials(key))
            };
            let s = call(
                &mut c,
                &sim,
                "GetSettlements",
                "GET",
                "/portfolio/settlements",
                None,
                200,
            );
            for item in s["settlements"].as_array().unwrap() {
                assert_eq!(item["ticker"], M);
                assert_eq!(item["event_ticker"], "KXTEST-26DEC31");
                assert_eq!(item["market_result"], result.name());
                assert_eq!(item["value"], result.yes_payout_cents());
                assert_eq!(item["settled_time"], "2023-11-14T22:13:22.000Z");
                let revenue = item["revenue"].as_i64().unwrap();
                let y = hundredths(item["yes_count_fp"].as_str().unwrap());
                let n = hundredths(item["no_count_fp"].as_str().unwrap());
                let exact = y * yes_value + n * (10_000 - yes_value);
                assert_eq!(
                    revenue * 10_000 + micros(item["fee_cost"].as_str().unwrap()),
                    exact
                );
                listed.push(revenue);
            }
        }
        let holders = held.iter().filter(|h| h.2 + h.3 > 0).count();
        assert_eq!(listed.len(), holders, "seed {seed}");
        assert_eq!(listed.iter().sum::<i64>(), paid);
        // The market refuses orders now; the other market trades on.
        demo.call(
            &sim,
            "POST",
            "/portfolio/events/orders",
            Some(&order(M, 0, "bid", "0.50", "1", "good_till_canceled").to_string()),
        )
        .assert_error(400, "market_closed");
        place(
            &mut demo,
            &sim,
            order(M2, 0, "bid", "0.05", "1", "good_till_canceled"),
        );
        assert!(sim.settle_market(M, result).is_err());
        assert_eq!(sim.settlement_result(M), Some(result));
    }
    let sim = Simulator::in_process(SimulatorConfig::default()).unwrap();
    assert!(sim.settle_market("NOPE", SettlementResult::Yes).is_err());
    assert!(sim.settle_market(M, SettlementResult::Scalar(101)).is_err());
    assert_eq!(sim.settlement_result(M), None);
}

#[test]
fn settlements_filter_and_page() {
    let Env {
        sim,
        clock,
        mut demo,
        mut other,
    } = start();
    // Demo: 10 YES of M on sub 0, 4 NO of M2 on sub 1.
    place(
        &mut other,
        &sim,
        order(M, 0, "ask", "0.40", "10", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.40", "10", "immediate_or_cancel"),
    );
    place(
        &mut other,
        &sim,
        order(M2, 0, "bid", "0.70", "4", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M2, 1, "ask", "0.70", "4", "immediate_or_cancel"),
    );
    sim.settle_market(M, SettlementResult::Yes).unwrap();
    clock.advance_ms(10_000);
    sim.settle_market(M2, SettlementResult::Yes).unwrap();
    let get = |c: &mut Client, q: &str| {
        call(
            c,
            &sim,
            "GetSettlements",
            "GET",
            &format!("/portfolio/settlements{q}"),
            None,
            200,
        )
    };
    let all = get(&mut demo, "");
    assert_eq!(
        all["settlements"][1],
        json!({
            "ticker": M, "event_ticker": "KXTEST-26DEC31", "exchange_index": 0,
            "market_result": "yes", "yes_count_fp": "10.00", "yes_total_cost_dollars": "4.0000",
            "no_count_fp": "0.00", "no_total_cost_dollars": "0.0000", "revenue": 1000,
            "settled_time": "2023-11-14T22:13:20.000Z", "fee_cost": "0.0000", "value": 100,
        })
    );
    assert_eq!(all["settlements"][0]["ticker"], M2);
    assert_eq!(all["settlements"][0]["no_count_fp"], "4.00");
    assert_eq!(all["settlements"][0]["no_total_cost_dollars"], "1.2000");
    assert_eq!(all["settlements"][0]["revenue"], 0);
    assert_eq!(all["cursor"], "");
    let count = |v: &Value| v["settlements"].as_array().unwrap().len();
    assert_eq!(count(&get(&mut demo, &format!("?ticker={M2}"))), 1);
    assert_eq!(count(&get(&mut demo, "?event_ticker=KXTEST-26DEC31")), 2);
    assert_eq!(count(&get(&mut demo, "?event_ticker=KXOTHER")), 0);
    assert_eq!(count(&get(&mut demo, "?subaccount=1")), 1);
    assert_eq!(count(&get(&mut demo, "?subaccount=2")), 0);
    assert_eq!(
        count(&get(&mut demo, &format!("?min_ts={}", T0 / 1000 + 5))),
        1
    );
    assert_eq!(
        count(&get(&mut demo, &format!("?max_ts={}", T0 / 1000 + 5))),
        1
    );
    let first = get(&mut demo, "?limit=1");
    assert_eq!(first["settlements"][0]["ticker"], M2);
    let cursor = first["cursor"].as_str().unwrap().to_owned();
    let second = get(&mut demo, &format!("?limit=1&cursor={cursor}"));
    assert_eq!(second["settlements"][0]["ticker"], M);
    assert_eq!(second["cursor"], "");
    demo.call(&sim, "GET", "/portfolio/settlements?cursor=zz", None)
        .assert_error(400, "invalid_parameters");
    // Other's NO of M lost, and other's YES of M2 won.
    let theirs = get(&mut other, "");
    assert_eq!(theirs["settlements"][1]["no_count_fp"], "10.00");
    assert_eq!(theirs["settlements"][1]["revenue"], 0);
    assert_eq!(theirs["settlements"][0]["revenue"], 400);
}

#[test]
fn historical_cutoff_is_configurable() {
    let Env { sim, mut demo, .. } = start();
    let get = |c: &mut Client| {
        call(
            c,
            &sim,
            "GetHistoricalCutoff",
            "GET",
            "/historical/cutoff",
            None,
            200,
        )
    };
    assert_eq!(
        get(&mut demo),
        json!({
            "market_settled_ts": "1970-01-01T00:00:00.000Z",
            "trades_created_ts": "1970-01-01T00:00:00.000Z",
            "orders_updated_ts": "1970-01-01T00:00:00.000Z",
            "market_positions_last_updated_ts": "1970-01-01T00:00:00.000Z",
        })
    );
    let mut cutoff = HistoricalCutoff::at(T0);
    cutoff.orders_updated_ms = T0 + 1_500;
    sim.set_historical_cutoff(cutoff);
    let got = get(&mut demo);
    assert_eq!(got["market_settled_ts"], "2023-11-14T22:13:20.000Z");
    assert_eq!(got["orders_updated_ts"], "2023-11-14T22:13:21.500Z");
}

// ---------------------------------------------------------------------------------------------
// Funding

#[test]
fn deposits_and_withdrawals_come_from_the_hooks() {
    let Env {
        sim,
        clock,
        mut demo,
        ..
    } = start();
    for (op, path, key) in [
        ("GetDeposits", "/portfolio/deposits", "deposits"),
        ("GetWithdrawals", "/portfolio/withdrawals", "withdrawals"),
    ] {
        let empty = call(&mut demo, &sim, op, "GET", path, None, 200);
        assert_eq!(empty, json!({ key: [], "cursor": "" }));
    }
    let d1 = sim.record_deposit(DEMO_KEY_ID, 50_000).unwrap();
    clock.advance_ms(1_000);
    let d2 = sim.record_deposit(DEMO_KEY_ID, 125).unwrap();
    let w = sim.record_withdrawal(DEMO_KEY_ID, 20_000).unwrap();
    assert_eq!(
        sim.balance_cents(DEMO_KEY_ID, 0),
        1_000_000 + 50_000 + 125 - 20_000
    );
    assert!(sim.record_withdrawal(DEMO_KEY_ID, 2_000_000).is_err());
    assert!(sim.record_deposit(DEMO_KEY_ID, 0).is_err());
    assert!(sim.record_withdrawal(DEMO_KEY_ID, -5).is_err());
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_030_125);
    let deposits = call(
        &mut demo,
        &sim,
        "GetDeposits",
        "GET",
        "/portfolio/deposits",
        None,
        200,
    );
    assert_eq!(
        deposits["deposits"][0],
        json!({"id": d2, "status": "applied", "type": "ach", "amount_cents": 125,
            "fee_cents": 0, "created_ts": T0 / 1000 + 1, "finalized_ts": T0 / 1000 + 1})
    );
    assert_eq!(deposits["deposits"][1]["id"], d1);
    let page = call(
        &mut demo,
        &sim,
        "GetDeposits",
        "GET",
        "/portfolio/deposits?limit=1",
        None,
        200,
    );
    let cursor = page["cursor"].as_str().unwrap().to_owned();
    let next = call(
        &mut demo,
        &sim,
        "GetDeposits",
        "GET",
        &format!("/portfolio/deposits?limit=1&cursor={cursor}"),
        None,
        200,
    );
    assert_eq!(next["deposits"][0]["id"], d1);
    demo.call(&sim, "GET", "/portfolio/deposits?limit=501", None)
        .assert_error(400, "invalid_parameters");
    let withdrawals = call(
        &mut demo,
        &sim,
        "GetWithdrawals",
        "GET",
        "/portfolio/withdrawals",
        None,
        200,
    );
    assert_eq!(withdrawals["withdrawals"][0]["id"], w);
    assert_eq!(withdrawals["withdrawals"][0]["amount_cents"], 20_000);
    assert_eq!(withdrawals["withdrawals"].as_array().unwrap().len(), 1);
}

#[test]
fn resting_order_value_is_what_resting_orders_hold() {
    let Env { sim, mut demo, .. } = start();
    let get = |c: &mut Client| {
        call(
            c,
            &sim,
            "GetPortfolioRestingOrderTotalValue",
            "GET",
            "/portfolio/summary/total_resting_order_value",
            None,
            200,
        )
    };
    assert_eq!(
        get(&mut demo),
        json!({"total_resting_order_value": 0, "resting_order_value_breakdown": [
            {"exchange_index": 0, "balance": "0.0000"}]})
    );
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.40", "10", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M2, 2, "ask", "0.70", "5", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(
            "KXSHARD-26DEC31-T1",
            0,
            "bid",
            "0.25",
            "2",
            "good_till_canceled",
        ),
    );
    let v = get(&mut demo);
    // 10 x 0.40 + 5 x 0.30 on shard 0, 2 x 0.25 on shard 1.
    assert_eq!(v["total_resting_order_value"], 600);
    assert_eq!(v["resting_order_value_breakdown"][0]["balance"], "5.5000");
    assert_eq!(v["resting_order_value_breakdown"][1]["balance"], "0.5000");
}

#[test]
fn target_balance_allocations_are_validated_and_stored() {
    let Env { sim, mut demo, .. } = start();
    let get = |c: &mut Client| {
        call(
            c,
            &sim,
            "GetTargetBalanceAllocation",
            "GET",
            "/portfolio/target_balance_allocation",
            None,
            200,
        )
    };
    assert_eq!(get(&mut demo), json!({"allocations": []}));
    let good = json!({"allocations": [{"exchange_index": 0, "percent": 80}, {"exchange_index": 1, "percent": 20}]});
    let set = call(
        &mut demo,
        &sim,
        "SetTargetBalanceAllocation",
        "POST",
        "/portfolio/target_balance_allocation",
        Some(good.clone()),
        200,
    );
    assert_eq!(set, json!({}));
    assert_eq!(get(&mut demo), good);
    for bad in [
        json!({}),
        json!({"allocations": 5}),
        json!({"allocations": [{"exchange_index": 0, "percent": 90}]}),
        json!({"allocations": [{"exchange_index": 0, "percent": 101}]}),
        json!({"allocations": [{"exchange_index": 0, "percent": -1}, {"exchange_index": 1, "percent": 101}]}),
        json!({"allocations": [{"exchange_index": 0, "percent": 50}, {"exchange_index": 0, "percent": 50}]}),
        json!({"allocations": [{"exchange_index": 2, "percent": 100}]}),
        json!({"allocations": [{"percent": 100}]}),
        json!({"allocations": [{"exchange_index": 0}]}),
        json!({"allocations": ["x"]}),
        json!({"allocations": vec![json!({"exchange_index": 0, "percent": 0}); 102]}),
    ] {
        raw(
            &mut demo,
            &sim,
            "POST",
            "/portfolio/target_balance_allocation",
            bad.clone(),
        )
        .assert_error(400, "invalid_parameters");
        assert_eq!(get(&mut demo), good, "{bad}");
    }
    call(
        &mut demo,
        &sim,
        "SetTargetBalanceAllocation",
        "POST",
        "/portfolio/target_balance_allocation",
        Some(json!({"allocations": []})),
        200,
    );
    assert_eq!(get(&mut demo), json!({"allocations": []}));
}

#[test]
fn intra_exchange_instance_transfers_move_cash_between_shards() {
    let Env {
        sim,
        clock,
        mut demo,
        ..
    } = start();
    create_subaccount(&mut demo, &sim);
    clock.advance_ms(3_000);
    let post = |c: &mut Client, body: Value| {
        call(
            c,
            &sim,
            "IntraExchangeInstanceTransfer",
            "POST",
            "/portfolio/intra_exchange_instance_transfer",
            Some(body),
            200,
        )["transfer_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let base = json!({"source": "event_contract", "destination": "event_contract"});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // $10 (100,000 centicents) from the primary on shard 0 to shard 1.
    let t1 = post(
        &mut demo,
        with(json!({"amount": 100_000, "destination_exchange_shard": 1})),
    );
    // $2.50 from shard 1 to subaccount 1 on shard 1.
    let t2 = post(
        &mut demo,
        with(
            json!({"amount": 25_000, "source_exchange_shard": 1, "destination_exchange_shard": 1,
            "destination_subaccount": 1}),
        ),
    );
    assert_eq!(
        balances(&mut demo, &sim),
        [
            (0, 0, "9990.0000".to_owned()),
            (0, 1, "7.5000".to_owned()),
            (1, 0, "0.0000".to_owned()),
            (1, 1, "2.5000".to_owned()),
        ]
    );
    let b = call(
        &mut demo,
        &sim,
        "GetBalance",
        "GET",
        "/portfolio/balance?subaccount=0&exchange_index=1",
        None,
        200,
    );
    assert_eq!(b["balance"], 750);
    assert_eq!(
        b["balance_breakdown"],
        json!([{"exchange_index": 0, "balance": "9990.0000"}, {"exchange_index": 1, "balance": "7.5000"}])
    );
    let list = call(
        &mut demo,
        &sim,
        "GetIntraExchangeInstanceTransfers",
        "GET",
        "/portfolio/intra_exchange_instance_transfers",
        None,
        200,
    );
    assert_eq!(list["transfers"][1]["transfer_id"], t1);
    assert_eq!(
        list["transfers"][0],
        json!({"transfer_id": t2, "source": "event_contract", "destination": "event_contract",
            "source_exchange_shard": 1, "destination_exchange_shard": 1, "amount": "2.5000",
            "status": "complete", "created_ts": T0 / 1000 + 3})
    );
    assert!(list.get("cursor").is_none());
    let page = call(
        &mut demo,
        &sim,
        "GetIntraExchangeInstanceTransfers",
        "GET",
        "/portfolio/intra_exchange_instance_transfers?limit=1",
        None,
        200,
    );
    assert!(page["cursor"].as_str().is_some_and(|c| !c.is_empty()));
    let one = call(
        &mut demo,
        &sim,
        "GetIntraExchangeInstanceTransfer",
        "GET",
        &format!("/portfolio/intra_exchange_instance_transfers/{t1}"),
        None,
        200,
    );
    assert_eq!(one["transfer"]["amount"], "10.0000");
    assert_eq!(one["transfer"]["destination_exchange_shard"], 1);
    demo.call(
        &sim,
        "GET",
        "/portfolio/intra_exchange_instance_transfers/nope",
        None,
    )
    .assert_error(404, "not_found");
    // Refusals move nothing.
    let before = balances(&mut demo, &sim);
    for bad in [
        with(json!({"amount": 100_000})),
        with(json!({"amount": 0, "destination_exchange_shard": 1})),
        with(json!({"amount": 75_001, "source_exchange_shard": 1})),
        with(json!({"amount": 1, "destination_exchange_shard": 2})),
        with(json!({"amount": 1, "destination_subaccount": 5})),
        with(json!({"amount": 1, "destination": "margined"})),
        json!({"source": "event_contract", "amount": 1}),
        with(json!({"source": "spot", "amount": 1})),
    ] {
        let resp = raw(
            &mut demo,
            &sim,
            "POST",
            "/portfolio/intra_exchange_instance_transfer",
            bad.clone(),
        );
        assert_eq!(resp.status, 400, "{bad}");
        assert_eq!(balances(&mut demo, &sim), before, "{bad}");
    }
}

#[test]
fn the_older_portfolio_reads_answer_the_documented_shape_too() {
    let Env {
        sim,
        mut demo,
        mut other,
        ..
    } = start();
    place(
        &mut other,
        &sim,
        order(M, 0, "ask", "0.40", "10", "good_till_canceled"),
    );
    place(
        &mut demo,
        &sim,
        order(M, 0, "bid", "0.40", "4", "immediate_or_cancel"),
    );
    sim.settle_market(M2, SettlementResult::No).unwrap();
    for (op, target) in [
        ("GetBalance", "/portfolio/balance"),
        (
            "GetBalance",
            "/portfolio/balance?subaccount=0&exchange_index=1",
        ),
        ("GetPositions", "/portfolio/positions"),
        ("GetFills", "/portfolio/fills"),
    ] {
        for c in [&mut demo, &mut other] {
            call(c, &sim, op, "GET", target, None, 200);
        }
    }
}

#[test]
fn malformed_writes_are_refused_without_side_effects() {
    let Env { sim, mut demo, .. } = start();
    create_subaccount(&mut demo, &sim);
    let writes = [
        ("POST", "/portfolio/subaccounts/transfer"),
        ("PUT", "/portfolio/subaccounts/netting"),
        ("POST", "/portfolio/subaccounts/positions/transfer"),
        ("PUT", "/portfolio/subaccounts/settlement-advance-lock"),
        ("DELETE", "/portfolio/subaccounts/settlement-advance-lock"),
        ("POST", "/portfolio/target_balance_allocation"),
        ("POST", "/portfolio/intra_exchange_instance_transfer"),
    ];
    let huge = "1".repeat(40);
    let bodies = [
        String::new(),
        "null".to_owned(),
        "[]".to_owned(),
        "{".to_owned(),
        r#"{"amount_cents": 1e30, "amount": 1.5, "count": "3"}"#.to_owned(),
        format!(
            r#"{{"client_transfer_id": "00000000-0000-4000-8000-000000000001", "from_subaccount": 0, "to_subaccount": 1, "amount_cents": {huge}, "amount": {huge}, "source": "event_contract", "destination": "event_contract", "subaccount_number": {huge}, "enabled": true}}"#
        ),
        r#"{"client_transfer_id": "00000000-0000-4000-8000-000000000002", "from_subaccount": 0, "to_subaccount": 1, "amount_cents": 9223372036854775807, "amount": 9223372036854775807, "source": "event_contract", "destination": "event_contract", "source_exchange_shard": 1}"#.to_owned(),
        r#"{"client_transfer_id": "00000000-0000-4000-8000-000000000003", "from_subaccount": 0, "to_subaccount": 1, "market_ticker": "KXTEST-26DEC31-T50", "side": "yes", "count": 9223372036854775807, "price": "0.5"}"#.to_owned(),
        r#"{"allocations": [{"exchange_index": 18446744073709551615, "percent": 100}]}"#.to_owned(),
        r#"{"subaccount_number": -1, "enabled": "yes", "exchange_index": -1}"#.to_owned(),
    ];
    let before = (balances(&mut demo, &sim), total_cash(&sim));
    for (method, path) in writes {
        for body in &bodies {
            let resp = demo.call(
                &sim,
                method,
                path,
                (!body.is_empty()).then_some(body.as_str()),
            );
            assert_eq!(
                resp.status,
                400,
                "{method} {path} {body}: {}",
                String::from_utf8_lossy(&resp.body)
            );
            assert_eq!(
                (balances(&mut demo, &sim), total_cash(&sim)),
                before,
                "{method} {path} {body}"
            );
        }
    }
}
