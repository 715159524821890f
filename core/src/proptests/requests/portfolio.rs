//! The portfolio operations from arbitrary field values: settlements, funding history, target
//! balance allocation, transfers between exchange instances and subaccounts. Same model and
//! check as the parent module: refused naming a problem field before signing, or signed over
//! exactly the path sent, with query and body decoding to the caller's values.

use proptest::collection::vec;

use super::*;
use crate::enums::OutcomeSide;
use crate::portfolio::{
    ApplySubaccountPositionTransfer, ApplySubaccountTransfer, CreateSubaccount, ExchangeInstance,
    GetDeposits, GetIntraExchangeInstanceTransfer, GetIntraExchangeInstanceTransfers,
    GetPortfolioRestingOrderTotalValue, GetSettlements, GetSubaccountBalances,
    GetSubaccountNetting, GetSubaccountTransfers, GetTargetBalanceAllocation, GetWithdrawals,
    IntraExchangeInstanceTransfer, LockSubaccountForSettlementAdvance, SetTargetBalanceAllocation,
    TargetBalanceAllocation, UnlockSubaccountForSettlementAdvance, UpdateSubaccountNetting,
};

// ---------------------------------------------------------------------------------------------
// Strategies and the model's rules.
// ---------------------------------------------------------------------------------------------

/// A required subaccount number: mostly 0..=63, sometimes beyond.
fn subaccount_number() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..=63, 1 => prop_oneof![Just(64u32), Just(u32::MAX), any::<u32>()]]
}

/// Cents or centicents: mostly positive, sometimes zero, negative or extreme.
fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => 1i64..100_000_000,
        1 => prop_oneof![Just(0i64), Just(-1i64), Just(i64::MIN), Just(i64::MAX), any::<i64>()],
    ]
}

/// A transfer shard: mostly 0..=100, sometimes beyond.
fn transfer_shard() -> impl Strategy<Value = Option<u32>> {
    option::of(prop_oneof![4 => 0u32..=100, 1 => prop_oneof![Just(101u32), any::<u32>()]])
}

fn instance() -> impl Strategy<Value = ExchangeInstance> {
    prop_oneof![
        3 => Just(ExchangeInstance::EventContract),
        3 => Just(ExchangeInstance::Margined),
        1 => "[a-z_]{0,12}".prop_map(ExchangeInstance::Unknown),
    ]
}

fn outcome_side() -> impl Strategy<Value = OutcomeSide> {
    prop_oneof![
        3 => Just(OutcomeSide::Yes),
        3 => Just(OutcomeSide::No),
        1 => "[a-z]{0,6}".prop_map(OutcomeSide::Unknown),
    ]
}

/// An idempotency key: mostly a UUID (any hex case), sometimes anything.
fn transfer_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        1 => hostile(),
    ]
}

/// A transfer price: mostly within $0..=$1 (both ends included), sometimes outside.
fn transfer_price() -> impl Strategy<Value = FixedPointDollars> {
    prop_oneof![
        6 => 0i64..=1_000_000,
        1 => prop_oneof![Just(1_000_001i64), Just(-1i64), Just(i64::MIN), Just(i64::MAX), any::<i64>()],
    ]
    .prop_map(FixedPointDollars::from_micros)
}

/// Allocations: usually shares that total 100, sometimes any shares, empty, or too many.
fn allocations() -> impl Strategy<Value = Vec<TargetBalanceAllocation>> {
    let entry = |percent: BoxedStrategy<u32>| {
        (exchange_index(), percent).prop_map(|(ex, percent)| {
            TargetBalanceAllocation::new(ex.unwrap_or(ExchangeIndex::shard(0)), percent)
        })
    };
    prop_oneof![
        4 => vec(entry((0u32..=25).boxed()), 1..5).prop_map(|mut v| {
            let others: u32 = v.iter().skip(1).map(|a| a.percent).sum();
            v[0].percent = 100 - others;
            v
        }),
        2 => vec(entry(prop_oneof![0u32..=100, any::<u32>()].boxed()), 0..5),
        1 => vec(entry(Just(0u32).boxed()), 100..104).prop_map(|mut v| {
            v[0].percent = 100;
            v
        }),
    ]
}

/// The documented `format: uuid`: five groups of 8, 4, 4, 4 and 12 hexadecimal digits.
fn bad_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() != 5
        || groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .any(|(g, n)| g.len() != n || !g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn bad_number(n: u32) -> bool {
    n > 63
}

fn instance_str(i: &ExchangeInstance) -> String {
    match i {
        ExchangeInstance::EventContract => "event_contract".into(),
        ExchangeInstance::Margined => "margined".into(),
        ExchangeInstance::Unknown(s) => s.clone(),
    }
}

fn side_value(s: &OutcomeSide) -> String {
    match s {
        OutcomeSide::Yes => "yes".into(),
        OutcomeSide::No => "no".into(),
        OutcomeSide::Unknown(s) => s.clone(),
    }
}

fn intra_transfer_problems(o: &IntraExchangeInstanceTransfer) -> Vec<&'static str> {
    let known = |i: &ExchangeInstance| !matches!(i, ExchangeInstance::Unknown(_));
    let mut p = Vec::new();
    if !known(&o.source) {
        p.push("source");
    }
    if !known(&o.destination) {
        p.push("destination");
    }
    if o.amount <= 0 {
        p.push("amount");
    }
    if o.source_exchange_shard.is_some_and(|s| s > 100) {
        p.push("source_exchange_shard");
    }
    if o.destination_exchange_shard.is_some_and(|s| s > 100) {
        p.push("destination_exchange_shard");
    }
    let event_contracts = o.source == ExchangeInstance::EventContract
        && o.destination == ExchangeInstance::EventContract;
    for (field, sub) in [
        ("source_subaccount", o.source_subaccount),
        ("destination_subaccount", o.destination_subaccount),
    ] {
        if sub.is_some_and(|s| s > 63 || (s != 0 && !event_contracts)) {
            p.push(field);
        }
    }
    let from = (
        instance_str(&o.source),
        o.source_exchange_shard.unwrap_or(0),
        o.source_subaccount.unwrap_or(0),
    );
    let to = (
        instance_str(&o.destination),
        o.destination_exchange_shard.unwrap_or(0),
        o.destination_subaccount.unwrap_or(0),
    );
    if from == to {
        p.push("destination");
    }
    p
}

fn allocation_problems(v: &[TargetBalanceAllocation]) -> Vec<&'static str> {
    let mut p = Vec::new();
    if v.len() > 101 {
        p.push("allocations");
    }
    if v.iter().any(|a| bad_shard(Some(a.exchange_index))) {
        p.push("exchange_index");
    }
    if v.iter().any(|a| a.percent > 100) {
        p.push("percent");
    }
    let total: u64 = v.iter().map(|a| u64::from(a.percent)).sum();
    if !v.is_empty() && total != 100 {
        p.push("allocations");
    }
    p
}

/// `limit` and `cursor` lists, with the operation's own page size bound.
fn page(expect: Expect<'_>, limit: Option<u32>, cursor: Option<String>, max: u32) -> Expect<'_> {
    expect
        .query("limit", limit)
        .query("cursor", cursor)
        .problem_if(limit.is_some_and(|l| l == 0 || l > max), "limit")
}

// ---------------------------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn get_settlements(ts in any::<u64>(), limit in page_limit(), cursor in option::of(query_string()),
                       ticker in option::of(query_string()), event_ticker in option::of(query_string()),
                       min_ts in timestamp_opt(), max_ts in timestamp_opt(), sub in subaccount()) {
        let op = GetSettlements {
            limit, cursor: cursor.clone(), ticker: ticker.clone(),
            event_ticker: event_ticker.clone(), min_ts, max_ts, subaccount: sub,
        };
        // A single event ticker only: a comma-separated list is refused.
        let event_ticker_bad = event_ticker.as_deref().is_some_and(|e| e.contains(','));
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/portfolio/settlements")])
            .query("ticker", ticker)
            .query("event_ticker", event_ticker)
            .query("min_ts", min_ts)
            .query("max_ts", max_ts)
            .query("subaccount", sub)
            .problem_if(event_ticker_bad, "event_ticker")
            .problem_if(bad_subaccount(sub), "subaccount");
        check(&op, ts, page(expect, limit, cursor, 1000))?;
    }

    #[test]
    fn cursor_lists(ts in any::<u64>(), which in 0..4u8, limit in page_limit(),
                    cursor in option::of(query_string())) {
        let c = cursor.clone();
        match which {
            0 => check(&GetDeposits { limit, cursor: c }, ts, page(
                Expect::new(Method::GET, vec![Piece::Lit("/portfolio/deposits")]),
                limit, cursor, 500))?,
            1 => check(&GetWithdrawals { limit, cursor: c }, ts, page(
                Expect::new(Method::GET, vec![Piece::Lit("/portfolio/withdrawals")]),
                limit, cursor, 500))?,
            2 => check(&GetIntraExchangeInstanceTransfers { limit, cursor: c }, ts, page(
                Expect::new(Method::GET,
                    vec![Piece::Lit("/portfolio/intra_exchange_instance_transfers")]),
                limit, cursor, 500))?,
            _ => check(&GetSubaccountTransfers { limit, cursor: c }, ts, page(
                Expect::new(Method::GET, vec![Piece::Lit("/portfolio/subaccounts/transfers")]),
                limit, cursor, 1000))?,
        }
    }

    #[test]
    fn reads_without_parameters(ts in any::<u64>(), which in 0..4u8) {
        let get = |path| Expect::new(Method::GET, vec![Piece::Lit(path)]);
        match which {
            0 => check(&GetPortfolioRestingOrderTotalValue::new(), ts,
                       get("/portfolio/summary/total_resting_order_value"))?,
            1 => check(&GetTargetBalanceAllocation::new(), ts,
                       get("/portfolio/target_balance_allocation"))?,
            2 => check(&GetSubaccountBalances::new(), ts, get("/portfolio/subaccounts/balances"))?,
            _ => check(&GetSubaccountNetting::new(), ts, get("/portfolio/subaccounts/netting"))?,
        }
    }

    #[test]
    fn get_intra_exchange_instance_transfer(ts in any::<u64>(), id in hostile()) {
        let op = GetIntraExchangeInstanceTransfer::new(id.clone());
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/portfolio/intra_exchange_instance_transfers/"), Piece::Param(&id),
        ])
        .problem_if(bad_id(&id), "transfer_id");
        check(&op, ts, expect)?;
    }

    #[test]
    fn set_target_balance_allocation(ts in any::<u64>(), allocations in allocations()) {
        let body: Vec<Value> = allocations
            .iter()
            .map(|a| json!({"exchange_index": a.exchange_index.get(), "percent": a.percent}))
            .collect();
        let problems = allocation_problems(&allocations);
        let op = SetTargetBalanceAllocation::new(allocations);
        let expect = Expect::new(Method::POST,
                                 vec![Piece::Lit("/portfolio/target_balance_allocation")])
            .body(json!({ "allocations": body }))
            .problems(problems);
        check(&op, ts, expect)?;
    }

    #[test]
    fn intra_exchange_instance_transfer(ts in any::<u64>(), source in instance(),
                                        destination in instance(), amount in amount(),
                                        source_shard in transfer_shard(),
                                        destination_shard in transfer_shard(),
                                        source_sub in subaccount(), destination_sub in subaccount()) {
        let mut op = IntraExchangeInstanceTransfer::new(source.clone(), destination.clone(), amount);
        op.source_exchange_shard = source_shard;
        op.destination_exchange_shard = destination_shard;
        op.source_subaccount = source_sub;
        op.destination_subaccount = destination_sub;
        let mut body = Map::new();
        body.insert("source".into(), instance_str(&source).into());
        body.insert("destination".into(), instance_str(&destination).into());
        body.insert("amount".into(), amount.into());
        put(&mut body, "source_exchange_shard", source_shard);
        put(&mut body, "destination_exchange_shard", destination_shard);
        put(&mut body, "source_subaccount", source_sub);
        put(&mut body, "destination_subaccount", destination_sub);
        let expect = Expect::new(Method::POST,
                                 vec![Piece::Lit("/portfolio/intra_exchange_instance_transfer")])
            .body(Value::Object(body))
            .problems(intra_transfer_problems(&op));
        check(&op, ts, expect)?;
    }

    #[test]
    fn create_subaccount(ts in any::<u64>(), ex in exchange_index()) {
        let op = CreateSubaccount { exchange_index: ex };
        let mut body = Map::new();
        put(&mut body, "exchange_index", ex.map(ExchangeIndex::get));
        let expect = Expect::new(Method::POST, vec![Piece::Lit("/portfolio/subaccounts")])
            .body(Value::Object(body))
            .problem_if(bad_shard(ex), "exchange_index");
        check(&op, ts, expect)?;
    }

    #[test]
    fn apply_subaccount_transfer(ts in any::<u64>(), id in transfer_id(),
                                 from in subaccount_number(), to in subaccount_number(),
                                 amount in amount(), ex in exchange_index()) {
        let mut op = ApplySubaccountTransfer::new(from, to, amount).client_transfer_id(id.clone());
        op.exchange_index = ex;
        let mut body = Map::new();
        body.insert("client_transfer_id".into(), id.clone().into());
        body.insert("from_subaccount".into(), from.into());
        body.insert("to_subaccount".into(), to.into());
        body.insert("amount_cents".into(), amount.into());
        put(&mut body, "exchange_index", ex.map(ExchangeIndex::get));
        let expect = Expect::new(Method::POST, vec![Piece::Lit("/portfolio/subaccounts/transfer")])
            .body(Value::Object(body))
            .problem_if(bad_uuid(&id), "client_transfer_id")
            .problem_if(bad_number(from), "from_subaccount")
            .problem_if(bad_number(to) || from == to, "to_subaccount")
            .problem_if(amount <= 0, "amount_cents")
            .problem_if(bad_shard(ex), "exchange_index");
        check(&op, ts, expect)?;
    }

    #[test]
    fn apply_subaccount_position_transfer(ts in any::<u64>(), id in transfer_id(),
                                          from in subaccount_number(), to in subaccount_number(),
                                          ticker in hostile(), side in outcome_side(),
                                          count in amount(), price in transfer_price()) {
        let op = ApplySubaccountPositionTransfer::new(from, to, ticker.clone(), side.clone(),
                                                      count, price)
            .client_transfer_id(id.clone());
        let body = json!({
            "client_transfer_id": id, "from_subaccount": from, "to_subaccount": to,
            "market_ticker": ticker, "side": side_value(&side), "count": count,
            "price": price.to_string(),
        });
        let expect = Expect::new(Method::POST,
                                 vec![Piece::Lit("/portfolio/subaccounts/positions/transfer")])
            .body(body)
            .problem_if(bad_uuid(&id), "client_transfer_id")
            .problem_if(bad_number(from), "from_subaccount")
            .problem_if(bad_number(to) || from == to, "to_subaccount")
            .problem_if(bad_text(&ticker), "market_ticker")
            .problem_if(matches!(side, OutcomeSide::Unknown(_)), "side")
            .problem_if(count <= 0, "count")
            .problem_if(!(0..=1_000_000).contains(&price.micros()), "price");
        check(&op, ts, expect)?;
    }

    #[test]
    fn update_subaccount_netting(ts in any::<u64>(), n in subaccount_number(), enabled in any::<bool>()) {
        let op = UpdateSubaccountNetting::new(n, enabled);
        let expect = Expect::new(Method::PUT, vec![Piece::Lit("/portfolio/subaccounts/netting")])
            .body(json!({"subaccount_number": n, "enabled": enabled}))
            .problem_if(bad_number(n), "subaccount_number");
        check(&op, ts, expect)?;
    }

    #[test]
    fn settlement_advance_lock(ts in any::<u64>(), lock in any::<bool>(),
                               n in subaccount_number(), ex in exchange_index()) {
        let mut body = Map::new();
        body.insert("subaccount_number".into(), n.into());
        put(&mut body, "exchange_index", ex.map(ExchangeIndex::get));
        let path = vec![Piece::Lit("/portfolio/subaccounts/settlement-advance-lock")];
        let method = if lock { Method::PUT } else { Method::DELETE };
        let expect = Expect::new(method, path)
            .body(Value::Object(body))
            .problem_if(bad_number(n), "subaccount_number")
            .problem_if(bad_shard(ex), "exchange_index");
        if lock {
            let mut op = LockSubaccountForSettlementAdvance::new(n);
            op.exchange_index = ex;
            check(&op, ts, expect)?;
        } else {
            let mut op = UnlockSubaccountForSettlementAdvance::new(n);
            op.exchange_index = ex;
            check(&op, ts, expect)?;
        }
    }
}
