//! Request bytes, refusals before signing and response parsing for the portfolio operations.

use http::{Method, StatusCode};

use super::*;
use crate::enums::OutcomeSide;
use crate::{
    Client, Credentials, Environment, Error, ExchangeIndex, FixedPointCount, FixedPointDollars,
    Idempotency, Operation, Timestamp,
};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const TS: u64 = 1_703_123_456_789;
const UUID: &str = "8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1";

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

/// Builds `op` and checks method, full URI, body bytes and that a content type is sent exactly
/// when a body is.
fn built<O: Operation>(op: &O, method: Method, path_and_query: &str, body: Option<&str>) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path_and_query}")
    );
    let content_type = req.headers().get(http::header::CONTENT_TYPE);
    match body {
        Some(b) => {
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            assert_eq!(content_type.unwrap(), "application/json");
        }
        None => {
            assert!(req.body().is_empty());
            assert!(content_type.is_none());
        }
    }
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

fn parse<O: Operation>(body: &str) -> O::Output {
    crate::response::parse::<O>(O::SUCCESS, body.as_bytes()).unwrap()
}

fn dollars(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}

fn count(s: &str) -> FixedPointCount {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Settlements.
// ---------------------------------------------------------------------------------------------

#[test]
fn get_settlements_request() {
    built(
        &GetSettlements::new(),
        Method::GET,
        "/portfolio/settlements",
        None,
    );
    built(
        &GetSettlements::new()
            .limit(200)
            .cursor("abc")
            .ticker("HIGHNY-24JAN01-T60")
            .event_ticker("HIGHNY-24JAN01")
            .min_ts(1_700_000_000)
            .max_ts(1_800_000_000)
            .subaccount(3),
        Method::GET,
        "/portfolio/settlements?limit=200&cursor=abc&ticker=HIGHNY-24JAN01-T60&event_ticker=HIGHNY-24JAN01&min_ts=1700000000&max_ts=1800000000&subaccount=3",
        None,
    );
    refused(&GetSettlements::new().limit(0), "limit");
    refused(&GetSettlements::new().limit(1001), "limit");
    refused(&GetSettlements::new().subaccount(64), "subaccount");
    refused(
        &GetSettlements::new().event_ticker("HIGHNY-24JAN01,INXD-24JAN02"),
        "event_ticker",
    );
    assert_eq!(GetSettlements::IDEMPOTENCY, Idempotency::Idempotent);
}

#[test]
fn get_settlements_response() {
    let page = parse::<GetSettlements>(
        r#"{"settlements":[
            {"ticker":"HIGHNY-24JAN01-T60","exchange_index":0,"event_ticker":"HIGHNY-24JAN01",
             "market_result":"yes","yes_count_fp":"10.00","yes_total_cost_dollars":"5.6000",
             "no_count_fp":"0.00","no_total_cost_dollars":"0.0000","revenue":1000,
             "settled_time":"2024-01-02T15:04:05.123Z","fee_cost":"0.3400","value":100},
            {"ticker":"INXD-24JAN02-B4800","exchange_index":1,"event_ticker":"INXD-24JAN02",
             "market_result":"settled_later","yes_count_fp":"0.00","yes_total_cost_dollars":"0",
             "no_count_fp":"2.50","no_total_cost_dollars":"1.125","revenue":0,
             "settled_time":"2024-01-03T00:00:00Z","fee_cost":"0.0200","value":null}
        ],"cursor":"next-page"}"#,
    );
    assert_eq!(page.cursor.as_deref(), Some("next-page"));
    let s = &page.settlements[0];
    assert_eq!(s.ticker, "HIGHNY-24JAN01-T60");
    assert_eq!(s.exchange_index, ExchangeIndex::shard(0));
    assert_eq!(s.market_result, MarketResult::Yes);
    assert_eq!(s.yes_count_fp, count("10"));
    assert_eq!(s.yes_total_cost_dollars, dollars("5.60"));
    assert_eq!(s.revenue, 1000);
    assert_eq!(s.fee_cost, dollars("0.34"));
    assert_eq!(s.value, Some(100));
    assert_eq!(
        s.settled_time,
        "2024-01-02T15:04:05.123Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
    );
    let t = &page.settlements[1];
    assert_eq!(
        t.market_result,
        MarketResult::Unknown("settled_later".into())
    );
    assert_eq!(t.no_count_fp, count("2.5"));
    assert_eq!(t.no_total_cost_dollars, dollars("1.125"));
    assert_eq!(t.value, None);
    // The last page: an empty cursor means no more pages.
    let last = parse::<GetSettlements>(r#"{"settlements":[],"cursor":""}"#);
    assert_eq!(last.cursor, None);
    // A settled_time that is not RFC 3339 is a decode error, not a silent default.
    let bad = crate::response::parse::<GetSettlements>(
        StatusCode::OK,
        br#"{"settlements":[{"ticker":"T","exchange_index":0,"event_ticker":"E","market_result":"no","yes_count_fp":"0","yes_total_cost_dollars":"0","no_count_fp":"0","no_total_cost_dollars":"0","revenue":0,"settled_time":"yesterday","fee_cost":"0"}]}"#,
    );
    assert!(matches!(bad, Err(Error::Decode { .. })), "{bad:?}");
}

// ---------------------------------------------------------------------------------------------
// Deposits and withdrawals.
// ---------------------------------------------------------------------------------------------

#[test]
fn funding_requests() {
    built(
        &GetDeposits::new(),
        Method::GET,
        "/portfolio/deposits",
        None,
    );
    built(
        &GetDeposits::new().limit(500).cursor("c/1"),
        Method::GET,
        "/portfolio/deposits?limit=500&cursor=c%2F1",
        None,
    );
    built(
        &GetWithdrawals::new().limit(1),
        Method::GET,
        "/portfolio/withdrawals?limit=1",
        None,
    );
    refused(&GetDeposits::new().limit(501), "limit");
    refused(&GetWithdrawals::new().limit(0), "limit");
    refused(&GetWithdrawals::new().limit(501), "limit");
}

#[test]
fn funding_responses() {
    let d = parse::<GetDeposits>(
        r#"{"deposits":[
            {"id":"dep-1","status":"applied","type":"ach","amount_cents":50000,"fee_cents":0,
             "created_ts":1704067200,"finalized_ts":1704153600},
            {"id":"dep-2","status":"pending","type":"wire","amount_cents":250000,"fee_cents":1500,
             "created_ts":1704240000}
        ]}"#,
    );
    assert_eq!(d.cursor, None);
    assert_eq!(d.deposits[0].status, FundingStatus::Applied);
    assert_eq!(d.deposits[0].payment_type, PaymentType::Ach);
    assert_eq!(d.deposits[0].amount_cents, 50_000);
    assert_eq!(d.deposits[0].finalized_ts, Some(1_704_153_600));
    assert_eq!(d.deposits[1].fee_cents, 1500);
    assert_eq!(d.deposits[1].finalized_ts, None);
    let w = parse::<GetWithdrawals>(
        r#"{"withdrawals":[{"id":"wd-1","status":"returned","type":"paypal","amount_cents":1200,
            "fee_cents":200,"created_ts":1704067200,"finalized_ts":null}],"cursor":"n"}"#,
    );
    assert_eq!(w.withdrawals[0].status, FundingStatus::Returned);
    assert_eq!(
        w.withdrawals[0].payment_type,
        PaymentType::Unknown("paypal".into())
    );
    assert_eq!(w.cursor.as_deref(), Some("n"));
    // Written back under the API's own key `type`.
    let back = serde_json::to_value(&w.withdrawals[0]).unwrap();
    assert_eq!(back["type"], "paypal");
}

// ---------------------------------------------------------------------------------------------
// Resting order total and target balance allocation.
// ---------------------------------------------------------------------------------------------

#[test]
fn resting_order_total_value() {
    built(
        &GetPortfolioRestingOrderTotalValue::new(),
        Method::GET,
        "/portfolio/summary/total_resting_order_value",
        None,
    );
    let r = parse::<GetPortfolioRestingOrderTotalValue>(
        r#"{"total_resting_order_value":12345,"resting_order_value_breakdown":[
            {"exchange_index":0,"balance":"100.4500"},{"exchange_index":1,"balance":"23.0000"}]}"#,
    );
    assert_eq!(r.total_resting_order_value, 12_345);
    assert_eq!(
        r.resting_order_value_breakdown[0].balance,
        dollars("100.45")
    );
    assert_eq!(
        r.resting_order_value_breakdown[1].exchange_index,
        ExchangeIndex::shard(1)
    );
}

#[test]
fn target_balance_allocation() {
    built(
        &GetTargetBalanceAllocation::new(),
        Method::GET,
        "/portfolio/target_balance_allocation",
        None,
    );
    let got = parse::<GetTargetBalanceAllocation>(
        r#"{"allocations":[{"exchange_index":0,"percent":70},{"exchange_index":1,"percent":30}]}"#,
    );
    assert_eq!(
        got.allocations,
        vec![
            TargetBalanceAllocation::new(0u32, 70),
            TargetBalanceAllocation::new(1u32, 30)
        ]
    );
    let set = SetTargetBalanceAllocation::new(got.allocations);
    built(
        &set,
        Method::POST,
        "/portfolio/target_balance_allocation",
        Some(
            r#"{"allocations":[{"exchange_index":0,"percent":70},{"exchange_index":1,"percent":30}]}"#,
        ),
    );
    built(
        &SetTargetBalanceAllocation::disable(),
        Method::POST,
        "/portfolio/target_balance_allocation",
        Some(r#"{"allocations":[]}"#),
    );
    assert_eq!(
        SetTargetBalanceAllocation::IDEMPOTENCY,
        Idempotency::Idempotent
    );
    // `{}` and an empty body both mean success.
    parse::<SetTargetBalanceAllocation>("{}");
    parse::<SetTargetBalanceAllocation>("");

    let one = |shard: i64, percent| TargetBalanceAllocation {
        exchange_index: ExchangeIndex::from_raw(shard),
        percent,
    };
    refused(
        &SetTargetBalanceAllocation::new(vec![one(0, 60), one(1, 30)]),
        "allocations",
    );
    refused(
        &SetTargetBalanceAllocation::new(vec![one(0, 101)]),
        "percent",
    );
    refused(
        &SetTargetBalanceAllocation::new(vec![one(-1, 100)]),
        "exchange_index",
    );
    let many = (0..102).map(|i| one(i, 0)).collect::<Vec<_>>();
    refused(&SetTargetBalanceAllocation::new(many), "allocations");
    let mut most = (0..101).map(|i| one(i, 0)).collect::<Vec<_>>();
    most[0].percent = 100;
    client()
        .request(
            &SetTargetBalanceAllocation::new(most),
            Timestamp::from_millis(TS),
        )
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// Transfers between exchange instances.
// ---------------------------------------------------------------------------------------------

#[test]
fn intra_exchange_instance_transfer_request() {
    use ExchangeInstance::{EventContract, Margined};
    built(
        &IntraExchangeInstanceTransfer::new(EventContract, Margined, 250_000),
        Method::POST,
        "/portfolio/intra_exchange_instance_transfer",
        Some(r#"{"source":"event_contract","destination":"margined","amount":250000}"#),
    );
    built(
        &IntraExchangeInstanceTransfer::new(EventContract, EventContract, 10_000)
            .source_exchange_shard(0)
            .destination_exchange_shard(1)
            .source_subaccount(2)
            .destination_subaccount(0),
        Method::POST,
        "/portfolio/intra_exchange_instance_transfer",
        Some(
            r#"{"source":"event_contract","destination":"event_contract","amount":10000,"source_exchange_shard":0,"destination_exchange_shard":1,"source_subaccount":2,"destination_subaccount":0}"#,
        ),
    );
    assert_eq!(
        IntraExchangeInstanceTransfer::IDEMPOTENCY,
        Idempotency::NotIdempotent
    );
    let op = |s, d, amount| IntraExchangeInstanceTransfer::new(s, d, amount);
    refused(&op(EventContract, Margined, 0), "amount");
    refused(&op(EventContract, Margined, -5), "amount");
    refused(
        &op(ExchangeInstance::Unknown("spot".into()), Margined, 1),
        "source",
    );
    refused(
        &op(EventContract, ExchangeInstance::Unknown("".into()), 1),
        "destination",
    );
    refused(
        &op(EventContract, Margined, 1).source_exchange_shard(101),
        "source_exchange_shard",
    );
    refused(
        &op(EventContract, Margined, 1).destination_exchange_shard(u32::MAX),
        "destination_exchange_shard",
    );
    refused(
        &op(EventContract, EventContract, 1)
            .destination_exchange_shard(1)
            .source_subaccount(64),
        "source_subaccount",
    );
    refused(
        &op(EventContract, EventContract, 1).destination_subaccount(64),
        "destination_subaccount",
    );
    // Subaccounts other than the primary only between two event contract instances.
    refused(
        &op(EventContract, Margined, 1).source_subaccount(1),
        "source_subaccount",
    );
    refused(
        &op(Margined, EventContract, 1).destination_subaccount(5),
        "destination_subaccount",
    );
    // Nowhere to go: same instance, shard and subaccount (defaults count as given).
    refused(&op(Margined, Margined, 1), "destination");
    refused(
        &op(EventContract, EventContract, 1)
            .source_exchange_shard(0)
            .destination_subaccount(0),
        "destination",
    );
    // The same instance on another shard, or another subaccount, is a real transfer.
    for ok in [
        op(Margined, Margined, 1).destination_exchange_shard(1),
        op(EventContract, EventContract, 1).destination_subaccount(1),
        op(Margined, EventContract, 1).destination_subaccount(0),
    ] {
        client().request(&ok, Timestamp::from_millis(TS)).unwrap();
    }
}

#[test]
fn intra_exchange_instance_transfer_reads() {
    let created = parse::<IntraExchangeInstanceTransfer>(r#"{"transfer_id":"tr-7f3a"}"#);
    assert_eq!(created.transfer_id, "tr-7f3a");

    built(
        &GetIntraExchangeInstanceTransfers::new(),
        Method::GET,
        "/portfolio/intra_exchange_instance_transfers",
        None,
    );
    built(
        &GetIntraExchangeInstanceTransfers::new()
            .limit(500)
            .cursor("x y"),
        Method::GET,
        "/portfolio/intra_exchange_instance_transfers?limit=500&cursor=x%20y",
        None,
    );
    refused(
        &GetIntraExchangeInstanceTransfers::new().limit(501),
        "limit",
    );
    refused(&GetIntraExchangeInstanceTransfers::new().limit(0), "limit");

    built(
        &GetIntraExchangeInstanceTransfer::new("tr/7f3a"),
        Method::GET,
        "/portfolio/intra_exchange_instance_transfers/tr%2F7f3a",
        None,
    );
    refused(&GetIntraExchangeInstanceTransfer::new(""), "transfer_id");
    refused(&GetIntraExchangeInstanceTransfer::new(".."), "transfer_id");

    let record = r#"{"transfer_id":"tr-7f3a","source":"event_contract","destination":"margined",
        "source_exchange_shard":0,"destination_exchange_shard":2,"amount":"25.0000",
        "status":"pending","created_ts":1704067200}"#;
    let one = parse::<GetIntraExchangeInstanceTransfer>(&format!(r#"{{"transfer":{record}}}"#));
    let t = &one.transfer;
    assert_eq!(t.source, ExchangeInstance::EventContract);
    assert_eq!(t.destination, ExchangeInstance::Margined);
    assert_eq!(t.destination_exchange_shard, ExchangeIndex::shard(2));
    assert_eq!(t.amount, dollars("25"));
    assert_eq!(t.status, IntraExchangeInstanceTransferStatus::Pending);
    assert_eq!(t.created_ts, 1_704_067_200);
    let page = parse::<GetIntraExchangeInstanceTransfers>(&format!(
        r#"{{"transfers":[{record}],"cursor":"c2"}}"#
    ));
    assert_eq!(page.transfers, vec![one.transfer]);
    assert_eq!(page.cursor.as_deref(), Some("c2"));
}

// ---------------------------------------------------------------------------------------------
// Subaccounts.
// ---------------------------------------------------------------------------------------------

#[test]
fn create_subaccount() {
    built(
        &CreateSubaccount::new(),
        Method::POST,
        "/portfolio/subaccounts",
        Some("{}"),
    );
    built(
        &CreateSubaccount::new().exchange_index(1),
        Method::POST,
        "/portfolio/subaccounts",
        Some(r#"{"exchange_index":1}"#),
    );
    refused(
        &CreateSubaccount::new().exchange_index(ExchangeIndex::AUTO_ROUTE),
        "exchange_index",
    );
    assert_eq!(CreateSubaccount::SUCCESS, StatusCode::CREATED);
    assert_eq!(CreateSubaccount::IDEMPOTENCY, Idempotency::NotIdempotent);
    let r = parse::<CreateSubaccount>(r#"{"subaccount_number":4}"#);
    assert_eq!(r.subaccount_number, 4);
}

#[test]
fn apply_subaccount_transfer() {
    built(
        &ApplySubaccountTransfer::new(0, 2, 5_000).client_transfer_id(UUID),
        Method::POST,
        "/portfolio/subaccounts/transfer",
        Some(&format!(
            r#"{{"client_transfer_id":"{UUID}","from_subaccount":0,"to_subaccount":2,"amount_cents":5000}}"#
        )),
    );
    built(
        &ApplySubaccountTransfer::new(63, 0, 1)
            .client_transfer_id(UUID)
            .exchange_index(0),
        Method::POST,
        "/portfolio/subaccounts/transfer",
        Some(&format!(
            r#"{{"client_transfer_id":"{UUID}","from_subaccount":63,"to_subaccount":0,"amount_cents":1,"exchange_index":0}}"#
        )),
    );
    assert_eq!(
        ApplySubaccountTransfer::IDEMPOTENCY,
        Idempotency::IdempotentWithKey
    );
    // Each transfer gets its own key.
    let (a, b) = (
        ApplySubaccountTransfer::new(0, 1, 1),
        ApplySubaccountTransfer::new(0, 1, 1),
    );
    assert_ne!(a.client_transfer_id, b.client_transfer_id);
    // The generated key passes the UUID check.
    client().request(&a, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(new_client_transfer_id().len(), 36);

    refused(&ApplySubaccountTransfer::new(64, 0, 1), "from_subaccount");
    refused(&ApplySubaccountTransfer::new(0, 64, 1), "to_subaccount");
    refused(&ApplySubaccountTransfer::new(3, 3, 1), "to_subaccount");
    refused(&ApplySubaccountTransfer::new(0, 1, 0), "amount_cents");
    refused(&ApplySubaccountTransfer::new(0, 1, -100), "amount_cents");
    refused(
        &ApplySubaccountTransfer::new(0, 1, 1).client_transfer_id(""),
        "client_transfer_id",
    );
    refused(
        &ApplySubaccountTransfer::new(0, 1, 1).client_transfer_id("transfer-1"),
        "client_transfer_id",
    );
    refused(
        &ApplySubaccountTransfer::new(0, 1, 1).exchange_index(-1),
        "exchange_index",
    );
    // The answer is an empty object (or nothing at all).
    parse::<ApplySubaccountTransfer>("{}");
    parse::<ApplySubaccountTransfer>("");
}

#[test]
fn get_subaccount_transfers() {
    built(
        &GetSubaccountTransfers::new(),
        Method::GET,
        "/portfolio/subaccounts/transfers",
        None,
    );
    built(
        &GetSubaccountTransfers::new().limit(1000).cursor("c"),
        Method::GET,
        "/portfolio/subaccounts/transfers?limit=1000&cursor=c",
        None,
    );
    refused(&GetSubaccountTransfers::new().limit(1001), "limit");
    let page = parse::<GetSubaccountTransfers>(
        r#"{"transfers":[{"transfer_id":"st-1","from_subaccount":0,"to_subaccount":2,
            "amount_cents":5000,"created_ts":1704067200,"exchange_index":0}],"cursor":""}"#,
    );
    assert_eq!(page.cursor, None);
    let t = &page.transfers[0];
    assert_eq!(
        (t.from_subaccount, t.to_subaccount, t.amount_cents),
        (0, 2, 5000)
    );
    assert_eq!(t.exchange_index, ExchangeIndex::shard(0));
}

#[test]
fn subaccount_balances_and_netting() {
    built(
        &GetSubaccountBalances::new(),
        Method::GET,
        "/portfolio/subaccounts/balances",
        None,
    );
    let b = parse::<GetSubaccountBalances>(
        r#"{"subaccount_balances":[
            {"subaccount_number":0,"exchange_index":0,"balance":"1520.4400","updated_ts":1704067200},
            {"subaccount_number":2,"exchange_index":0,"balance":"50.0000","updated_ts":1704067300}]}"#,
    );
    assert_eq!(b.subaccount_balances[0].balance, dollars("1520.44"));
    assert_eq!(b.subaccount_balances[1].subaccount_number, 2);

    built(
        &GetSubaccountNetting::new(),
        Method::GET,
        "/portfolio/subaccounts/netting",
        None,
    );
    let n = parse::<GetSubaccountNetting>(
        r#"{"netting_configs":[{"subaccount_number":0,"enabled":true,"exchange_index":0},
            {"subaccount_number":1,"enabled":false,"exchange_index":0}]}"#,
    );
    assert!(n.netting_configs[0].enabled);
    assert!(!n.netting_configs[1].enabled);

    built(
        &UpdateSubaccountNetting::new(1, false),
        Method::PUT,
        "/portfolio/subaccounts/netting",
        Some(r#"{"subaccount_number":1,"enabled":false}"#),
    );
    refused(&UpdateSubaccountNetting::new(64, true), "subaccount_number");
    assert_eq!(
        UpdateSubaccountNetting::IDEMPOTENCY,
        Idempotency::Idempotent
    );
    parse::<UpdateSubaccountNetting>("");
    parse::<UpdateSubaccountNetting>("{}");
}

#[test]
fn apply_subaccount_position_transfer() {
    let op = |from, to, side, n, price: &str| {
        ApplySubaccountPositionTransfer::new(
            from,
            to,
            "HIGHNY-24JAN01-T60",
            side,
            n,
            dollars(price),
        )
        .client_transfer_id(UUID)
    };
    built(
        &op(0, 3, OutcomeSide::No, 10, "0.56"),
        Method::POST,
        "/portfolio/subaccounts/positions/transfer",
        Some(&format!(
            r#"{{"client_transfer_id":"{UUID}","from_subaccount":0,"to_subaccount":3,"market_ticker":"HIGHNY-24JAN01-T60","side":"no","count":10,"price":"0.5600"}}"#
        )),
    );
    assert_eq!(
        ApplySubaccountPositionTransfer::IDEMPOTENCY,
        Idempotency::IdempotentWithKey
    );
    // The price range is inclusive at both ends.
    for price in ["0", "1", "0.000001"] {
        client()
            .request(
                &op(1, 0, OutcomeSide::Yes, 1, price),
                Timestamp::from_millis(TS),
            )
            .unwrap();
    }
    refused(&op(0, 0, OutcomeSide::Yes, 1, "0.5"), "to_subaccount");
    refused(&op(64, 0, OutcomeSide::Yes, 1, "0.5"), "from_subaccount");
    refused(&op(0, 64, OutcomeSide::Yes, 1, "0.5"), "to_subaccount");
    refused(&op(0, 1, OutcomeSide::Yes, 0, "0.5"), "count");
    refused(&op(0, 1, OutcomeSide::Yes, -3, "0.5"), "count");
    refused(&op(0, 1, OutcomeSide::Yes, 1, "1.0001"), "price");
    refused(&op(0, 1, OutcomeSide::Yes, 1, "-0.01"), "price");
    refused(
        &op(0, 1, OutcomeSide::Unknown("maybe".into()), 1, "0.5"),
        "side",
    );
    refused(
        &ApplySubaccountPositionTransfer::new(0, 1, "", OutcomeSide::Yes, 1, dollars("0.5")),
        "market_ticker",
    );
    refused(
        &op(0, 1, OutcomeSide::Yes, 1, "0.5")
            .client_transfer_id("8c35ecb3328f4f528c7c0f4b9862f8d1"),
        "client_transfer_id",
    );
    let r = parse::<ApplySubaccountPositionTransfer>(r#"{"position_transfer_id":"pt-91c2"}"#);
    assert_eq!(r.position_transfer_id, "pt-91c2");
}

#[test]
fn settlement_advance_lock() {
    built(
        &LockSubaccountForSettlementAdvance::new(2),
        Method::PUT,
        "/portfolio/subaccounts/settlement-advance-lock",
        Some(r#"{"subaccount_number":2}"#),
    );
    built(
        &UnlockSubaccountForSettlementAdvance::new(0).exchange_index(0),
        Method::DELETE,
        "/portfolio/subaccounts/settlement-advance-lock",
        Some(r#"{"subaccount_number":0,"exchange_index":0}"#),
    );
    refused(
        &LockSubaccountForSettlementAdvance::new(64),
        "subaccount_number",
    );
    refused(
        &UnlockSubaccountForSettlementAdvance::new(1).exchange_index(-1),
        "exchange_index",
    );
    assert_eq!(
        LockSubaccountForSettlementAdvance::IDEMPOTENCY,
        Idempotency::Idempotent
    );
    assert_eq!(
        UnlockSubaccountForSettlementAdvance::IDEMPOTENCY,
        Idempotency::Idempotent
    );
    let r = parse::<LockSubaccountForSettlementAdvance>(
        r#"{"settlement_advance_state":"5f0c6a2e-9d4b-4c1e-8a77-2b3c4d5e6f70"}"#,
    );
    assert_eq!(
        r.settlement_advance_state,
        "5f0c6a2e-9d4b-4c1e-8a77-2b3c4d5e6f70"
    );
    parse::<UnlockSubaccountForSettlementAdvance>("{}");
    // A conflict (outstanding advance) is a typed API error.
    let conflict = crate::response::parse::<UnlockSubaccountForSettlementAdvance>(
        StatusCode::CONFLICT,
        br#"{"code":"conflict","message":"subaccount has an outstanding settlement advance"}"#,
    );
    assert!(conflict.is_err());
}
