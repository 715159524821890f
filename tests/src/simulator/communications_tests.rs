//! The communications endpoints over HTTP between two keys: the RFQ workflow through to the
//! trade (fills, positions and balances of both sides), the refusals, the lists' filters and
//! cursors, block-trade proposals; every answer checked against its documented schema.

use serde_json::{Value, json};

use super::shape_check::assert_shape;
use super::test_client::{Client, other_credentials};
use super::*;
use crate::DEMO_KEY_ID;

const T0: u64 = 1_700_000_000_000;
const M: &str = DEFAULT_MARKET;
const OTHER: &str = "other-key";
const OTHER_PUBLIC_KEY_PEM: &str = include_str!("../../keys/other-key.pub.pem");

/// A simulator with the demo key (the requester) and `other` (the quoter), on a manual clock.
fn start() -> (Simulator, ManualClock, Client, Client) {
    let clock = ManualClock::new(T0);
    let sim = Simulator::start(
        SimulatorConfig::default()
            .with_clock(clock.clone())
            .with_key_pem(OTHER, OTHER_PUBLIC_KEY_PEM)
            .unwrap(),
    )
    .unwrap();
    let demo = Client::new(&sim);
    let other = Client::with_credentials(&sim, other_credentials(OTHER));
    (sim, clock, demo, other)
}

/// Sends a request that must answer `status`; checks the answer against `op`'s schema.
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
    if resp.body.is_empty() {
        assert_shape(op, status, &json!({}));
        return Value::Null;
    }
    let v = resp.json();
    assert_shape(op, status, &v);
    v
}

/// Sends a request that must be refused with `status` and `code`.
fn refused(
    c: &mut Client,
    sim: &Simulator,
    method: &str,
    target: &str,
    body: Option<Value>,
    status: u16,
    code: &str,
) {
    c.call(sim, method, target, body.map(|b| b.to_string()).as_deref())
        .assert_error(status, code);
}

fn balance(c: &mut Client, sim: &Simulator) -> String {
    let v = c.call(sim, "GET", "/portfolio/balance", None).json();
    v["balance_dollars"].as_str().unwrap().to_owned()
}

fn position(c: &mut Client, sim: &Simulator) -> String {
    let v = c
        .call(
            sim,
            "GET",
            &format!("/portfolio/positions?ticker={M}"),
            None,
        )
        .json();
    v["market_positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ticker"] == M)
        .map_or("0.00".to_owned(), |p| {
            p["position_fp"].as_str().unwrap().to_owned()
        })
}

fn create_rfq(c: &mut Client, sim: &Simulator, body: Value) -> String {
    let v = call(
        c,
        sim,
        "CreateRFQ",
        "POST",
        "/communications/rfqs",
        Some(body),
        201,
    );
    v["id"].as_str().unwrap().to_owned()
}

fn create_quote(c: &mut Client, sim: &Simulator, rfq: &str, yes: &str, no: &str) -> String {
    let body = json!({"rfq_id": rfq, "yes_bid": yes, "no_bid": no, "rest_remainder": false});
    let v = call(
        c,
        sim,
        "CreateQuote",
        "POST",
        "/communications/quotes",
        Some(body),
        201,
    );
    v["id"].as_str().unwrap().to_owned()
}

#[test]
fn rfq_workflow_trades_exactly_the_quoted_price_and_size() {
    let (sim, _clock, mut demo, mut other) = start();
    let (d, o) = (&mut demo, &mut other);
    let s = &sim;
    assert_eq!(balance(d, s), "10000.0000");
    assert_eq!(balance(o, s), "10000.0000");

    let rfq = create_rfq(
        d,
        s,
        json!({"market_ticker": M, "contracts_fp": "25.00", "rest_remainder": false}),
    );
    // Every user sees the RFQ; only its creator its private fields.
    let seen = call(
        o,
        s,
        "GetRFQ",
        "GET",
        &format!("/communications/rfqs/{rfq}"),
        None,
        200,
    );
    assert_eq!(seen["rfq"]["status"], "open");
    assert_eq!(seen["rfq"]["contracts_fp"], "25.00");
    assert!(seen["rfq"].get("creator_user_id").is_none());
    let mine = call(
        d,
        s,
        "GetRFQ",
        "GET",
        &format!("/communications/rfqs/{rfq}"),
        None,
        200,
    );
    assert_eq!(mine["rfq"]["creator_user_id"], DEMO_KEY_ID);

    // Quoting your own RFQ is refused; the other user quotes.
    let body = json!({"rfq_id": rfq, "yes_bid": "0.40", "no_bid": "0.55", "rest_remainder": false});
    refused(
        d,
        s,
        "POST",
        "/communications/quotes",
        Some(body),
        400,
        "cannot_quote_own_rfq",
    );
    let quote = create_quote(o, s, &rfq, "0.40", "0.55");
    let scoped = format!("/communications/rfqs/{rfq}/quotes/{quote}");

    // The quoter cannot accept; the requester cannot confirm before accepting.
    refused(
        o,
        s,
        "PUT",
        &format!("{scoped}/accept"),
        Some(json!({"accepted_side": "yes"})),
        400,
        "not_rfq_creator",
    );
    refused(
        o,
        s,
        "PUT",
        &format!("{scoped}/confirm"),
        None,
        404,
        "quote_not_accepted",
    );

    call(
        d,
        s,
        "AcceptRFQQuote",
        "PUT",
        &format!("{scoped}/accept"),
        Some(json!({"accepted_side": "yes"})),
        204,
    );
    let q = call(o, s, "GetRFQQuote", "GET", &scoped, None, 200);
    assert_eq!(q["quote"]["status"], "accepted");
    assert_eq!(q["quote"]["accepted_side"], "yes");
    // The requester does not confirm its own acceptance.
    refused(
        d,
        s,
        "PUT",
        &format!("{scoped}/confirm"),
        None,
        404,
        "quote_not_found",
    );

    call(
        o,
        s,
        "ConfirmRFQQuote",
        "PUT",
        &format!("{scoped}/confirm"),
        None,
        204,
    );
    // The requester bought 25 YES at $0.40 ($10.00); the quoter took 25 NO at $0.60 ($15.00).
    assert_eq!(balance(d, s), "9990.0000");
    assert_eq!(balance(o, s), "9985.0000");
    assert_eq!(position(d, s), "25.00");
    assert_eq!(position(o, s), "-25.00");

    let q = call(o, s, "GetRFQQuote", "GET", &scoped, None, 200)["quote"].clone();
    assert_eq!(q["status"], "executed");
    let maker_order = q["creator_order_id"].as_str().unwrap().to_owned();
    assert!(q.get("rfq_creator_order_id").is_none(), "{q}");
    let q = call(
        d,
        s,
        "GetQuote",
        "GET",
        &format!("/communications/quotes/{quote}"),
        None,
        200,
    )["quote"]
        .clone();
    let taker_order = q["rfq_creator_order_id"].as_str().unwrap().to_owned();
    assert!(q.get("creator_order_id").is_none(), "{q}");
    let rfq_now = call(
        d,
        s,
        "GetRFQ",
        "GET",
        &format!("/communications/rfqs/{rfq}"),
        None,
        200,
    );
    assert_eq!(rfq_now["rfq"]["status"], "closed");

    // Both sides' fills carry their orders, at the quoted price and size.
    for (c, order, side) in [
        (&mut *d, &taker_order, "yes"),
        (&mut *o, &maker_order, "no"),
    ] {
        let fills = c
            .call(
                s,
                "GET",
                &format!("/portfolio/fills?order_id={order}"),
                None,
            )
            .json();
        let fills = fills["fills"].as_array().unwrap();
        assert_eq!(fills.len(), 1, "{fills:?}");
        assert_eq!(fills[0]["count_fp"], "25.00");
        assert_eq!(fills[0]["yes_price_dollars"], "0.4000");
        assert_eq!(fills[0]["outcome_side"], side);
    }

    // A second confirm is refused, and nothing moves.
    refused(
        o,
        s,
        "PUT",
        &format!("{scoped}/confirm"),
        None,
        404,
        "quote_not_accepted",
    );
    refused(
        o,
        s,
        "PUT",
        &format!("/communications/quotes/{quote}/confirm"),
        None,
        404,
        "quote_not_accepted",
    );
    assert_eq!(balance(d, s), "9990.0000");
    assert_eq!(balance(o, s), "9985.0000");
    // A closed RFQ takes no quotes and cannot be deleted.
    let body = json!({"rfq_id": rfq, "yes_bid": "0.40", "no_bid": "0.55", "rest_remainder": false});
    refused(
        o,
        s,
        "POST",
        "/communications/quotes",
        Some(body),
        400,
        "rfq_closed",
    );
    refused(
        d,
        s,
        "DELETE",
        &format!("/communications/rfqs/{rfq}"),
        None,
        404,
        "rfq_closed",
    );
}

#[test]
fn accepting_no_sells_at_the_no_bid_and_deprecated_routes_act_alike() {
    let (sim, _clock, mut demo, mut other) = start();
    let (d, o, s) = (&mut demo, &mut other, &sim);
    let rfq = create_rfq(
        d,
        s,
        json!({"market_ticker": M, "contracts": 10, "rest_remainder": true}),
    );
    let quote = create_quote(o, s, &rfq, "0.30", "0.65");
    let path = format!("/communications/quotes/{quote}");
    call(
        d,
        s,
        "AcceptQuote",
        "PUT",
        &format!("{path}/accept"),
        Some(json!({"accepted_side": "no"})),
        204,
    );
    call(
        o,
        s,
        "ConfirmQuote",
        "PUT",
        &format!("{path}/confirm"),
        None,
        204,
    );
    // The requester bought 10 NO at $0.65; the quoter 10 YES at $0.35.
    assert_eq!(balance(d, s), "9993.5000");
    assert_eq!(balance(o, s), "9996.5000");
    assert_eq!(position(d, s), "-10.00");
    assert_eq!(position(o, s), "10.00");
    // The RFQ-scoped lookup answers 404 for a quote of another RFQ.
    let rfq2 = create_rfq(
        d,
        s,
        json!({"market_ticker": M, "contracts": 1, "rest_remainder": false}),
    );
    refused(
        o,
        s,
        "GET",
        &format!("/communications/rfqs/{rfq2}/quotes/{quote}"),
        None,
        404,
        "quote_not_found",
    );
}

#[test]
fn refusals_deletes_and_the_confirmation_window() {
    let (sim, clock, mut demo, mut other) = start();
    let (d, o, s) = (&mut demo, &mut other, &sim);
    let rfqs = "/communications/rfqs";
    // Sizes: exactly one; one open RFQ per market unless replaced.
    refused(
        d,
        s,
        "POST",
        rfqs,
        Some(json!({"market_ticker": M, "rest_remainder": false})),
        400,
        "invalid_parameters",
    );
    refused(
        d,
        s,
        "POST",
        rfqs,
        Some(
            json!({"market_ticker": M, "contracts": 1, "contracts_fp": "2.00", "rest_remainder": false}),
        ),
        400,
        "invalid_parameters",
    );
    refused(
        d,
        s,
        "POST",
        rfqs,
        Some(json!({"market_ticker": "NOPE", "contracts": 1, "rest_remainder": false})),
        400,
        "market_not_found",
    );
    refused(
        d,
        s,
        "POST",
        rfqs,
        Some(
            json!({"market_ticker": M, "contracts": 1, "target_cost_dollars": "1.00", "rest_remainder": false}),
        ),
        400,
        "invalid_parameters",
    );
    create_rfq(
        d,
        s,
        json!({"market_ticker": DEFAULT_MARKETS[1], "contracts": 1, "contracts_fp": "1.00", "rest_remainder": false}),
    );
    create_rfq(
        d,
        s,
        json!({"market_ticker": DEFAULT_MARKETS[2], "target_cost_centi_cents": 12500, "target_cost_dollars": "1.25", "rest_remainder": false}),
    );
    let first = create_rfq(
        d,
        s,
        json!({"market_ticker": M, "contracts": 5, "rest_remainder": false}),
    );
    let body = json!({"market_ticker": M, "contracts": 5, "rest_remainder": false});
    let resp = d.call(s, "POST", rfqs, Some(&body.to_string()));
    resp.assert_error(409, "rfq_already_exists");
    let rfq = create_rfq(
        d,
        s,
        json!({"market_ticker": M, "contracts": 5, "rest_remainder": false, "replace_existing": true}),
    );
    let old = call(o, s, "GetRFQ", "GET", &format!("{rfqs}/{first}"), None, 200);
    assert_eq!(old["rfq"]["status"], "closed");

    // Quote prices.
    for (yes, no) in [("0", "0"), ("0.60", "0.50"), ("1.20", "0"), ("0.405", "0")] {
        let body = json!({"rfq_id": rfq, "yes_bid": yes, "no_bid": no, "rest_remainder": false});
        refused(
            o,
            s,
            "POST",
            "/communications/quotes",
            Some(body),
            400,
            "invalid_parameters",
        );
    }
    let body =
        json!({"rfq_id": "missing", "yes_bid": "0.5", "no_bid": "0", "rest_remainder": false});
    refused(
        o,
        s,
        "POST",
        "/communications/quotes",
        Some(body),
        400,
        "rfq_not_found",
    );

    // A declined side cannot be accepted; a newer quote replaces the older one.
    let q1 = create_quote(o, s, &rfq, "0.50", "0");
    let p1 = format!("{rfqs}/{rfq}/quotes/{q1}");
    refused(
        d,
        s,
        "PUT",
        &format!("{p1}/accept"),
        Some(json!({"accepted_side": "no"})),
        400,
        "invalid_parameters",
    );
    let q2 = create_quote(o, s, &rfq, "0.45", "0.50");
    let old = call(o, s, "GetRFQQuote", "GET", &p1, None, 200);
    assert_eq!(old["quote"]["status"], "cancelled");
    assert_eq!(old["quote"]["cancellation_reason"], "replaced");
    refused(
        d,
        s,
        "PUT",
        &format!("{p1}/accept"),
        Some(json!({"accepted_side": "yes"})),
        400,
        "quote_not_open",
    );

    // The window: an accepted quote not confirmed within 30 s is cancelled.
    let p2 = format!("{rfqs}/{rfq}/quotes/{q2}");
    call(
        d,
        s,
        "AcceptRFQQuote",
        "PUT",
        &format!("{p2}/accept"),
        Some(json!({"accepted_side": "yes"})),
        204,
    );
    clock.advance(std::time::Duration::from_secs(31));
    refused(
        o,
        s,
        "PUT",
        &format!("{p2}/confirm"),
        None,
        404,
        "quote_not_accepted",
    );
    let q = call(d, s, "GetRFQQuote", "GET", &p2, None, 200);
    assert_eq!(q["quote"]["cancellation_reason"], "expired");

    // Deletes: a third user sees neither quote; the quoter deletes its quote; the creator
    // deletes the RFQ, which cancels the live quotes.
    let q3 = create_quote(o, s, &rfq, "0.45", "0.50");
    let p3 = format!("{rfqs}/{rfq}/quotes/{q3}");
    refused(d, s, "DELETE", &p3, None, 404, "quote_not_found");
    call(o, s, "DeleteRFQQuote", "DELETE", &p3, None, 204);
    refused(o, s, "DELETE", &p3, None, 404, "quote_not_open");
    let q4 = create_quote(o, s, &rfq, "0.45", "0.50");
    call(
        o,
        s,
        "DeleteQuote",
        "DELETE",
        &format!("/communications/quotes/{q4}"),
        None,
        204,
    );
    let q5 = create_quote(o, s, &rfq, "0.45", "0.50");
    refused(
        o,
        s,
        "DELETE",
        &format!("{rfqs}/{rfq}"),
        None,
        404,
        "rfq_not_found",
    );
    call(
        d,
        s,
        "DeleteRFQ",
        "DELETE",
        &format!("{rfqs}/{rfq}"),
        None,
        204,
    );
    let q = call(
        o,
        s,
        "GetQuote",
        "GET",
        &format!("/communications/quotes/{q5}"),
        None,
        200,
    );
    assert_eq!(q["quote"]["status"], "cancelled");
    assert_eq!(q["quote"]["cancellation_reason"], "rfq_deleted");
    let r = call(d, s, "GetRFQ", "GET", &format!("{rfqs}/{rfq}"), None, 200);
    assert_eq!(r["rfq"]["status"], "closed");
    assert_eq!(r["rfq"]["cancellation_reason"], "deleted");
    // Nothing traded.
    assert_eq!(balance(d, s), "10000.0000");
    assert_eq!(balance(o, s), "10000.0000");
}

#[test]
fn lists_filter_and_page() {
    let (sim, _clock, mut demo, mut other) = start();
    let (d, o, s) = (&mut demo, &mut other, &sim);
    let markets: Vec<String> = DEFAULT_MARKETS
        .iter()
        .take(3)
        .map(|m| m.to_string())
        .collect();
    let mut rfqs = Vec::new();
    for m in &markets {
        rfqs.push(create_rfq(
            d,
            s,
            json!({"market_ticker": m, "contracts": 2, "rest_remainder": false}),
        ));
    }
    let theirs = create_rfq(
        o,
        s,
        json!({"market_ticker": markets[0], "target_cost_dollars": "10.00", "rest_remainder": false}),
    );
    // Newest first, two per page.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let v = call(
            o,
            s,
            "GetRFQs",
            "GET",
            &format!("/communications/rfqs?limit=2&cursor={cursor}"),
            None,
            200,
        );
        seen.extend(
            v["rfqs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned()),
        );
        cursor = v["cursor"].as_str().unwrap().to_owned();
        if cursor.is_empty() {
            break;
        }
    }
    let mut expected: Vec<String> = rfqs.clone();
    expected.push(theirs.clone());
    expected.reverse();
    assert_eq!(seen, expected);
    let ids = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let v = call(
        d,
        s,
        "GetRFQs",
        "GET",
        "/communications/rfqs?user_filter=self",
        None,
        200,
    );
    assert_eq!(ids(&v, "rfqs").len(), 3);
    let v = call(
        d,
        s,
        "GetRFQs",
        "GET",
        &format!("/communications/rfqs?market_ticker={}", markets[0]),
        None,
        200,
    );
    assert_eq!(ids(&v, "rfqs"), [theirs.clone(), rfqs[0].clone()]);
    let v = call(
        d,
        s,
        "GetRFQs",
        "GET",
        &format!("/communications/rfqs?creator_user_id={OTHER}&status=open"),
        None,
        200,
    );
    assert_eq!(ids(&v, "rfqs"), [theirs.as_str()]);
    let v = call(
        d,
        s,
        "GetRFQs",
        "GET",
        "/communications/rfqs?status=closed",
        None,
        200,
    );
    assert!(ids(&v, "rfqs").is_empty());
    refused(
        d,
        s,
        "GET",
        "/communications/rfqs?limit=101",
        None,
        400,
        "invalid_parameters",
    );
    refused(
        d,
        s,
        "GET",
        "/communications/rfqs?user_filter=all",
        None,
        400,
        "invalid_parameters",
    );

    // Quotes: the demo key quotes the other's RFQ (sized by cost), the other quotes the demo's.
    let mine = create_quote(d, s, &theirs, "0.25", "0.50");
    let q = call(
        o,
        s,
        "GetQuote",
        "GET",
        &format!("/communications/quotes/{mine}"),
        None,
        200,
    )["quote"]
        .clone();
    assert_eq!(q["yes_contracts_fp"], "40.00");
    assert_eq!(q["no_contracts_fp"], "20.00");
    assert_eq!(q["rfq_target_cost_dollars"], "10.0000");
    let mut quoted = Vec::new();
    for r in &rfqs {
        quoted.push(create_quote(o, s, r, "0.40", "0.50"));
    }
    let v = call(
        d,
        s,
        "GetQuotes",
        "GET",
        "/communications/quotes?user_filter=self",
        None,
        200,
    );
    assert_eq!(ids(&v, "quotes"), [mine.as_str()]);
    let v = call(
        d,
        s,
        "GetQuotes",
        "GET",
        "/communications/quotes?rfq_user_filter=self&limit=2",
        None,
        200,
    );
    assert_eq!(ids(&v, "quotes"), [quoted[2].clone(), quoted[1].clone()]);
    let next = v["cursor"].as_str().unwrap().to_owned();
    let v = call(
        d,
        s,
        "GetQuotes",
        "GET",
        &format!("/communications/quotes?rfq_user_filter=self&limit=2&cursor={next}"),
        None,
        200,
    );
    assert_eq!(ids(&v, "quotes"), [quoted[0].as_str()]);
    assert_eq!(v["cursor"], "");
    let v = call(
        d,
        s,
        "GetQuotes",
        "GET",
        &format!("/communications/quotes?rfq_id={}", rfqs[1]),
        None,
        200,
    );
    assert_eq!(ids(&v, "quotes"), [quoted[1].as_str()]);
    let v = call(
        o,
        s,
        "GetQuotes",
        "GET",
        &format!("/communications/quotes?quote_creator_user_id={DEMO_KEY_ID}&status=open"),
        None,
        200,
    );
    assert_eq!(ids(&v, "quotes"), [mine.as_str()]);
    let v = call(
        d,
        s,
        "GetQuotes",
        "GET",
        &format!("/communications/quotes?max_ts={}", T0 / 1000 - 1),
        None,
        200,
    );
    assert!(ids(&v, "quotes").is_empty());
    let v = call(
        d,
        s,
        "GetQuotes",
        "GET",
        "/communications/quotes?status=executed",
        None,
        200,
    );
    assert!(ids(&v, "quotes").is_empty());
    // The communications id is stable and is the RFQ's creator_id.
    let id = call(
        d,
        s,
        "GetCommunicationsID",
        "GET",
        "/communications/id",
        None,
        200,
    );
    let r = call(
        o,
        s,
        "GetRFQ",
        "GET",
        &format!("/communications/rfqs/{}", rfqs[0]),
        None,
        200,
    );
    assert_eq!(r["rfq"]["creator_id"], id["communications_id"]);
}

#[test]
fn block_trade_proposals_execute_when_the_other_side_accepts() {
    let (sim, _clock, mut demo, mut other) = start();
    let (d, o, s) = (&mut demo, &mut other, &sim);
    let path = "/communications/block-trade-proposals";
    let body = |buyer: &str, seller: &str| {
        json!({"buyer_user_id": buyer, "seller_user_id": seller, "market_ticker": M,
            "price_centi_cents": 4200, "centicount": 1000, "maker_side": "yes",
            "expiration_ts": "2023-11-14T23:13:20Z"})
    };
    refused(
        d,
        s,
        "POST",
        path,
        Some(body(OTHER, OTHER)),
        403,
        "forbidden",
    );
    let v = call(
        d,
        s,
        "ProposeBlockTrade",
        "POST",
        path,
        Some(body(DEMO_KEY_ID, OTHER)),
        201,
    );
    let id = v["block_trade_proposal_id"].as_str().unwrap().to_owned();
    let list = call(
        o,
        s,
        "GetBlockTradeProposals",
        "GET",
        &format!("{path}?status=pending&market_ticker={M}"),
        None,
        200,
    );
    let p = &list["block_trade_proposals"][0];
    assert_eq!(p["id"], id.as_str());
    assert_eq!(p["buyer_user_id"], "");
    assert_eq!(p["seller_user_id"], OTHER);
    assert_eq!(p["buyer_accepted"], true);
    refused(
        d,
        s,
        "POST",
        &format!("{path}/{id}/accept"),
        None,
        400,
        "already_accepted",
    );
    call(
        o,
        s,
        "AcceptBlockTradeProposal",
        "POST",
        &format!("{path}/{id}/accept"),
        Some(json!({"subaccount": 0})),
        204,
    );
    // The buyer bought 10 YES at $0.42, the seller 10 NO at $0.58.
    assert_eq!(balance(d, s), "9995.8000");
    assert_eq!(balance(o, s), "9994.2000");
    assert_eq!(position(d, s), "10.00");
    assert_eq!(position(o, s), "-10.00");
    let list = call(
        d,
        s,
        "GetBlockTradeProposals",
        "GET",
        &format!("{path}?status=executed"),
        None,
        200,
    );
    assert!(list["block_trade_proposals"][0]["buyer_order_id"].is_string());
    // The trade is a block trade; the RFQ-free run has no other.
    let trades = d
        .call(
            s,
            "GET",
            &format!("/markets/trades?ticker={M}&is_block_trade=true"),
            None,
        )
        .json();
    assert_eq!(trades["trades"].as_array().unwrap().len(), 1, "{trades}");
    assert_eq!(trades["trades"][0]["count_fp"], "10.00");
    let trades = d
        .call(
            s,
            "GET",
            &format!("/markets/trades?ticker={M}&is_block_trade=false"),
            None,
        )
        .json();
    assert!(trades["trades"].as_array().unwrap().is_empty(), "{trades}");
    refused(
        o,
        s,
        "POST",
        &format!("{path}/{id}/accept"),
        None,
        400,
        "proposal_executed",
    );
    refused(
        o,
        s,
        "POST",
        &format!("{path}/missing/accept"),
        None,
        404,
        "not_found",
    );
}

#[test]
fn a_confirm_either_side_cannot_pay_for_changes_nothing() {
    let (sim, _clock, mut demo, mut other) = start();
    let (d, o, s) = (&mut demo, &mut other, &sim);
    let rfq = create_rfq(
        d,
        s,
        json!({"market_ticker": M, "contracts": 100, "rest_remainder": false}),
    );
    let quote = create_quote(o, s, &rfq, "0.40", "0.50");
    let path = format!("/communications/rfqs/{rfq}/quotes/{quote}");
    call(
        d,
        s,
        "AcceptRFQQuote",
        "PUT",
        &format!("{path}/accept"),
        Some(json!({"accepted_side": "yes"})),
        204,
    );
    // The quoter needs $60.00 for 100 NO at $0.60 and holds $59.99.
    s.set_balance_cents(OTHER, 0, 5_999).unwrap();
    refused(
        o,
        s,
        "PUT",
        &format!("{path}/confirm"),
        None,
        400,
        "insufficient_balance",
    );
    let q = call(o, s, "GetRFQQuote", "GET", &path, None, 200);
    assert_eq!(q["quote"]["status"], "accepted");
    assert_eq!(balance(d, s), "10000.0000");
    assert_eq!(position(d, s), "0.00");
    // With the cash, the same confirm goes through.
    s.set_balance_cents(OTHER, 0, 6_000).unwrap();
    call(
        o,
        s,
        "ConfirmRFQQuote",
        "PUT",
        &format!("{path}/confirm"),
        None,
        204,
    );
    assert_eq!(balance(o, s), "0.0000");
    assert_eq!(balance(d, s), "9960.0000");
}
