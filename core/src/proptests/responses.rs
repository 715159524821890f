//! Forward compatibility of responses, on the documented bodies in `testdata/responses/`.
//!
//! - Every fixture parses with its operation through `Client::response`.
//! - Fields the crate does not know (random names, random JSON values including nested objects,
//!   arrays and `null`), added to random objects at any depth (the root, objects inside arrays,
//!   objects added earlier), change nothing: the parse equals the pristine fixture's.
//! - Enum fields carrying values the crate does not know still parse, into `Unknown` holding the
//!   exact string, with every other value unchanged.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Number, Value};

use crate::enums::{
    Action, BookSide, OrderStatus, OrderType, OutcomeSide, SelfTradePreventionType,
};
use crate::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use crate::orders::{
    AmendOrder, BatchCancelOrders, BatchCreateOrders, CancelOrder, CreateOrder, DecreaseOrder,
    GetOrder, GetOrderQueuePosition, GetOrderQueuePositions, GetOrders, Order,
};
use crate::portfolio::{Fill, GetBalance, GetFills, GetPositions};
use crate::{Client, Credentials, Environment, Error, ExchangeIndex, Operation};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
/// Cases per fixture (parsing only, no signing: cheap).
const CASES: u32 = 64;

fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::new(
            Environment::Demo,
            Credentials::from_pem("test-key", PKCS1).unwrap(),
        )
    })
}

/// Parses `body` as the answer to `op`, with the operation's documented success status.
fn parse<O: Operation>(op: &O, body: &[u8]) -> Result<O::Output, Error> {
    let response = http::Response::builder()
        .status(O::SUCCESS)
        .body(body.to_vec())
        .unwrap();
    client().response(op, &response)
}

/// One fixture: its file, its text and how to parse it (to a comparable rendering: the `Debug`
/// form of the typed result, which shows every field).
struct Fixture {
    file: &'static str,
    json: &'static str,
    parse: fn(&[u8]) -> Result<String, Error>,
    /// The same type read by plain `serde_json::from_slice`, without the client's parse path.
    parse_slice: fn(&[u8]) -> Result<String, String>,
}

fn rendered<O: Operation>(op: O, body: &[u8]) -> Result<String, Error>
where
    O::Output: Debug,
{
    parse(&op, body).map(|out| format!("{out:#?}"))
}

/// `body` read as `O::Output` by `serde_json::from_slice` alone, rendered as [`rendered`] does.
fn slice_rendered<O: Operation>(_op: O, body: &[u8]) -> Result<String, String>
where
    O::Output: Debug,
{
    serde_json::from_slice::<O::Output>(body)
        .map(|out| format!("{out:#?}"))
        .map_err(|e| e.to_string())
}

macro_rules! fixtures {
    ($($file:literal => $op:expr),+ $(,)?) => {
        &[$(Fixture {
            file: $file,
            json: include_str!(concat!("../../testdata/responses/", $file)),
            parse: |body| rendered($op, body),
            parse_slice: |body| slice_rendered($op, body),
        }),+]
    };
}

const ID: &str = "3b23c1c7-f4ef-4f0d-8b9a-9e53c61f1a0d";

fn fixtures() -> &'static [Fixture] {
    FIXTURES
}

static FIXTURES: &[Fixture] = {
    use crate::enums::BookSide as S;
    use crate::{FixedPointCount as C, FixedPointDollars as D};
    fixtures![
        "create_order_v2.json" => CreateOrder::new("T", S::Bid, C::from_whole(1), D::from_cents(50)),
        "cancel_order_v2.json" => CancelOrder::new(ID),
        "amend_order_v2.json" => AmendOrder::new(ID, "T", S::Bid, D::from_cents(50), C::from_whole(1)),
        "decrease_order_v2.json" => DecreaseOrder::reduce_to(ID, C::ZERO),
        "batch_create_orders_v2.json" => BatchCreateOrders::new(Vec::new()),
        "batch_cancel_orders_v2.json" => BatchCancelOrders::new(Vec::new()),
        "create_order_group.json" => CreateOrderGroup::new(1),
        "get_order_groups.json" => GetOrderGroups::new(),
        "get_order_group.json" => GetOrderGroup::new(ID),
        "delete_order_group.json" => DeleteOrderGroup::new(ID),
        "reset_order_group.json" => ResetOrderGroup::new(ID),
        "trigger_order_group.json" => TriggerOrderGroup::new(ID),
        "update_order_group_limit.json" => UpdateOrderGroupLimit::new(ID, 1),
        "get_order.json" => GetOrder::new(ID),
        "get_orders.json" => GetOrders::new(),
        "get_order_queue_position.json" => GetOrderQueuePosition::new(ID),
        "get_queue_positions_for_orders.json" => GetOrderQueuePositions::for_markets(["T"]),
        "get_balance.json" => GetBalance::new(),
        "get_fills.json" => GetFills::new(),
        "get_positions.json" => GetPositions::new(),
    ]
};

fn fixture(file: &str) -> &'static Fixture {
    fixtures().iter().find(|f| f.file == file).unwrap()
}

fn value(f: &Fixture) -> Value {
    serde_json::from_str(f.json).unwrap_or_else(|e| panic!("{}: not JSON: {e}", f.file))
}

// ---------------------------------------------------------------------------------------------
// Every fixture parses.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_fixture_parses_with_its_operation() {
    for f in fixtures() {
        (f.parse)(f.json.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", f.file));
    }
    // Spot checks that the fixtures are read, not merely accepted.
    let created = parse_with(
        CreateOrder::new(
            "T",
            BookSide::Bid,
            crate::FixedPointCount::from_whole(1),
            crate::FixedPointDollars::from_cents(50),
        ),
        fixture("create_order_v2.json"),
    );
    assert_eq!(created.order_id, ID);
    assert_eq!(created.remaining_count.to_string(), "10.00");
    assert_eq!(created.ts_ms, 1_715_793_600_123);
    let batch = parse_with(
        BatchCreateOrders::new(Vec::new()),
        fixture("batch_create_orders_v2.json"),
    );
    assert_eq!(batch.orders.len(), 2);
    assert_eq!(
        batch.orders[1].average_fill_price.map(|p| p.to_string()),
        Some("0.5800".into())
    );
    let order = parse_with(GetOrder::new(ID), fixture("get_order.json")).order;
    assert_eq!(order.book_side, Some(BookSide::Bid));
    assert_eq!(order.status, OrderStatus::Resting);
    assert_eq!(order.order_type, Some(OrderType::Limit));
    assert_eq!(order.expiration_time, None);
    let orders = parse_with(GetOrders::new(), fixture("get_orders.json"));
    assert_eq!(orders.orders.len(), 2);
    assert_eq!(orders.orders[1].status, OrderStatus::Executed);
    assert!(orders.cursor.is_some());
    let fills = parse_with(GetFills::new(), fixture("get_fills.json"));
    assert_eq!(fills.fills[1].action, Some(Action::Sell));
    assert_eq!(fills.fills[1].subaccount_number, None);
    assert_eq!(
        fills.fills[1].market_ticker.as_deref(),
        Some("HIGHNY-24JAN01-T65")
    );
    let balance = parse_with(GetBalance::new(), fixture("get_balance.json"));
    assert_eq!(balance.balance, 10_000);
    assert_eq!(balance.balance_breakdown.len(), 2);
    let positions = parse_with(GetPositions::new(), fixture("get_positions.json"));
    assert_eq!(
        positions.market_positions[0]
            .realized_pnl_dollars
            .map(|d| d.to_string()),
        Some("-0.1200".into())
    );
}

/// The client's parse path (UTF-8 checked once, then `serde_json::from_str`, after the
/// error-document prefilter) reads every fixture exactly as `serde_json::from_slice` does, and
/// so does it with unknown fields and an escaped key added (the prefilter must not skip those).
#[test]
fn the_parse_path_reads_every_fixture_as_from_slice_does() {
    for f in fixtures() {
        let ours = (f.parse)(f.json.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", f.file));
        let slice = (f.parse_slice)(f.json.as_bytes()).unwrap();
        assert_eq!(ours, slice, "{}", f.file);
        let mut doc = value(f);
        if let Value::Object(map) = &mut doc {
            map.insert(
                "zz_unknown_\u{e9}".into(),
                Value::String("caf\u{e9} \\ \"".into()),
            );
        }
        let text = serde_json::to_string(&doc).unwrap();
        let ours = (f.parse)(text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", f.file));
        assert_eq!(
            ours,
            (f.parse_slice)(text.as_bytes()).unwrap(),
            "{}",
            f.file
        );
    }
}

fn parse_with<O: Operation>(op: O, f: &Fixture) -> O::Output {
    parse(&op, f.json.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", f.file))
}

/// The fixture table and the directory agree: no fixture file is left untested.
#[test]
fn every_fixture_file_is_in_the_table() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/responses");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let listed: BTreeSet<String> = fixtures().iter().map(|f| f.file.to_owned()).collect();
    assert_eq!(on_disk, listed);
}

// ---------------------------------------------------------------------------------------------
// Unknown fields anywhere change nothing.
// ---------------------------------------------------------------------------------------------

/// Every field name the response types read (and the error-document keys the parser looks at):
/// an injected field must not be one of these, or it would not be unknown.
const KNOWN: &[&str] = &[
    "order_group_id",
    "subaccount",
    "exchange_index",
    "order_groups",
    "id",
    "contracts_limit_fp",
    "is_auto_cancel_enabled",
    "orders",
    "order_id",
    "client_order_id",
    "fill_count",
    "remaining_count",
    "average_fill_price",
    "average_fee_paid",
    "ts_ms",
    "reduced_by",
    "error",
    "code",
    "message",
    "details",
    "service",
    "order",
    "user_id",
    "ticker",
    "outcome_side",
    "book_side",
    "side",
    "action",
    "type",
    "status",
    "yes_price_dollars",
    "no_price_dollars",
    "fill_count_fp",
    "remaining_count_fp",
    "initial_count_fp",
    "taker_fill_cost_dollars",
    "maker_fill_cost_dollars",
    "taker_fees_dollars",
    "maker_fees_dollars",
    "expiration_time",
    "created_time",
    "last_update_time",
    "self_trade_prevention_type",
    "cancel_order_on_pause",
    "subaccount_number",
    "cursor",
    "queue_position_fp",
    "queue_positions",
    "market_ticker",
    "balance",
    "balance_dollars",
    "portfolio_value",
    "updated_ts",
    "balance_breakdown",
    "fills",
    "fill_id",
    "trade_id",
    "count_fp",
    "is_taker",
    "fee_cost",
    "ts",
    "market_positions",
    "event_positions",
    "total_traded_dollars",
    "position_fp",
    "market_exposure_dollars",
    "realized_pnl_dollars",
    "fees_paid_dollars",
    "last_updated_ts",
    "event_ticker",
    "total_cost_dollars",
    "total_cost_shares_fp",
    "event_exposure_dollars",
];

/// Every key in every fixture is in `KNOWN` (so `KNOWN` is not missing a field the fixtures use).
#[test]
fn known_names_cover_the_fixtures() {
    fn keys(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut all = BTreeSet::new();
    for f in fixtures() {
        keys(&value(f), &mut all);
    }
    let missing: Vec<_> = all
        .iter()
        .filter(|k| !KNOWN.contains(&k.as_str()))
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

/// Names for new fields: snake_case like the API's, or any text at all.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9_]{0,20}",
        1 => "\\PC{0,12}",
    ]
    .prop_filter("a known field is not unknown", |n| {
        !KNOWN.contains(&n.as_str())
    })
}

/// Any JSON value: scalars (numbers of every kind), strings, and nested arrays and objects.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        "\\PC{0,16}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// JSON pointers of every object in `v` (the root included), depth first.
fn object_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(at.clone());
            for (k, v) in m {
                let k = k.replace('~', "~0").replace('/', "~1");
                object_pointers(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                object_pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Adds `name: value` to the object picked by `pick` among all objects of `doc`, unless that
/// object already has `name`.
fn inject(doc: &mut Value, pick: usize, name: &str, value: Value) {
    let mut objects = Vec::new();
    object_pointers(doc, String::new(), &mut objects);
    let at = &objects[pick % objects.len()];
    let Some(Value::Object(m)) = doc.pointer_mut(at) else {
        unreachable!("{at} is an object")
    };
    if !m.contains_key(name) {
        m.insert(name.to_owned(), value);
    }
}

fn run(cases: u32, name: &str, test: impl Fn(&mut TestRunner) -> Result<(), String>) {
    let mut runner = TestRunner::new(Config::with_cases(cases));
    if let Err(e) = test(&mut runner) {
        panic!("{name}: {e}");
    }
}

#[test]
fn unknown_fields_anywhere_change_nothing() {
    let injections = prop::collection::vec((any::<usize>(), field_name(), json_value()), 1..6);
    for f in fixtures() {
        let pristine = (f.parse)(f.json.as_bytes()).unwrap();
        run(CASES, f.file, |runner| {
            runner
                .run(&injections, |adds| {
                    let mut doc = value(f);
                    let before = doc.clone();
                    for (pick, name, v) in adds {
                        inject(&mut doc, pick, &name, v);
                    }
                    prop_assert_ne!(&doc, &before, "something was added");
                    let body = serde_json::to_vec(&doc).unwrap();
                    let parsed = (f.parse)(&body)
                        .map_err(|e| TestCaseError::fail(format!("{e}\n{doc:#}")))?;
                    prop_assert_eq!(&parsed, &pristine);
                    Ok(())
                })
                .map_err(|e| e.to_string())
        });
    }
}

/// The injection reaches objects inside arrays and nested objects, not just the root.
#[test]
fn injection_reaches_nested_objects() {
    let mut doc = value(fixture("get_fills.json"));
    let mut objects = Vec::new();
    object_pointers(&doc, String::new(), &mut objects);
    assert_eq!(objects, ["", "/fills/0", "/fills/1"]);
    inject(&mut doc, 2, "new_field", Value::Null);
    assert!(doc["fills"][1].get("new_field").is_some());
    // An existing field is never overwritten.
    inject(&mut doc, 1, "ticker", Value::Null);
    assert_eq!(doc["fills"][0]["ticker"], "HIGHNY-24JAN01-T60");
}

// ---------------------------------------------------------------------------------------------
// Unknown enum values are kept.
// ---------------------------------------------------------------------------------------------

/// Every value of every response enum the crate knows.
const KNOWN_ENUM_VALUES: &[&str] = &[
    "bid",
    "ask",
    "yes",
    "no",
    "buy",
    "sell",
    "limit",
    "market",
    "resting",
    "canceled",
    "executed",
    "taker_at_cross",
    "maker",
    "fill_or_kill",
    "good_till_canceled",
    "immediate_or_cancel",
];

fn unknown_enum_value() -> impl Strategy<Value = String> {
    "[a-z][a-z_]{0,19}".prop_filter("unknown", |s| !KNOWN_ENUM_VALUES.contains(&s.as_str()))
}

/// Puts `Unknown(s)` into the order's enum field named (in JSON) `field`.
fn set_order_enum(o: &mut Order, field: &str, s: &str) {
    let s = s.to_owned();
    match field {
        "outcome_side" => o.outcome_side = Some(OutcomeSide::Unknown(s)),
        "book_side" => o.book_side = Some(BookSide::Unknown(s)),
        "side" => o.side = Some(OutcomeSide::Unknown(s)),
        "action" => o.action = Some(Action::Unknown(s)),
        "type" => o.order_type = Some(OrderType::Unknown(s)),
        "status" => o.status = OrderStatus::Unknown(s),
        "self_trade_prevention_type" => {
            o.self_trade_prevention_type = Some(SelfTradePreventionType::Unknown(s));
        }
        other => panic!("{other} is not an order enum"),
    }
}

const ORDER_ENUMS: &[&str] = &[
    "outcome_side",
    "book_side",
    "side",
    "action",
    "type",
    "status",
    "self_trade_prevention_type",
];

/// Puts `Unknown(s)` into the fill's enum field named (in JSON) `field`.
fn set_fill_enum(f: &mut Fill, field: &str, s: &str) {
    let s = s.to_owned();
    match field {
        "outcome_side" => f.outcome_side = Some(OutcomeSide::Unknown(s)),
        "book_side" => f.book_side = Some(BookSide::Unknown(s)),
        "side" => f.side = Some(OutcomeSide::Unknown(s)),
        "action" => f.action = Some(Action::Unknown(s)),
        other => panic!("{other} is not a fill enum"),
    }
}

const FILL_ENUMS: &[&str] = &["outcome_side", "book_side", "side", "action"];

/// For each enum field of each object at `pointers` in the fixture, maybe an unknown value:
/// the JSON gets it, and the expected typed value is the pristine one with `Unknown(value)`
/// there. Also checks that the pristine values were known ones (so the change is visible).
fn enum_property<O, T>(
    op: O,
    file: &'static str,
    pointers: &'static [&'static str],
    fields: &'static [&'static str],
    items: fn(&mut O::Output) -> Vec<&mut T>,
    set: fn(&mut T, &str, &str),
    rendered_enum: fn(&T, &str) -> String,
) where
    O: Operation,
    O::Output: Clone + PartialEq + Debug,
    T: Debug,
{
    let f = fixture(file);
    let pristine = parse(&op, f.json.as_bytes()).unwrap();
    {
        // The fixture's values are known ones, so that a change to `Unknown` is visible.
        let mut p = pristine.clone();
        for item in items(&mut p) {
            for field in fields {
                let shown = rendered_enum(item, field);
                assert!(
                    !shown.starts_with("Unknown"),
                    "{file}: {field} is already unknown ({shown}) in the fixture"
                );
            }
        }
    }
    let n = pointers.len() * fields.len();
    let strategy = prop::collection::vec(proptest::option::of(unknown_enum_value()), n)
        .prop_filter("at least one replacement", |v| {
            v.iter().any(Option::is_some)
        });
    run(CASES, file, |runner| {
        runner
            .run(&strategy, |replacements| {
                let mut doc = value(f);
                let mut expected = pristine.clone();
                {
                    let mut targets = items(&mut expected);
                    for (i, r) in replacements.iter().enumerate() {
                        let Some(s) = r else { continue };
                        let (obj, field) = (i / fields.len(), fields[i % fields.len()]);
                        let at = format!("{}/{field}", pointers[obj]);
                        *doc.pointer_mut(&at).unwrap() = Value::String(s.clone());
                        set(&mut *targets[obj], field, s);
                    }
                }
                let body = serde_json::to_vec(&doc).unwrap();
                let mut got =
                    parse(&op, &body).map_err(|e| TestCaseError::fail(format!("{e}\n{doc:#}")))?;
                // The enum holds exactly the string that was sent.
                for (i, r) in replacements.iter().enumerate() {
                    let Some(s) = r else { continue };
                    let (obj, field) = (i / fields.len(), fields[i % fields.len()]);
                    let shown = rendered_enum(&*items(&mut got)[obj], field);
                    prop_assert_eq!(shown, format!("Unknown({s:?})"));
                }
                // And nothing else moved.
                prop_assert_eq!(got, expected);
                Ok(())
            })
            .map_err(|e| e.to_string())
    });
}

fn order_enum(o: &Order, field: &str) -> String {
    match field {
        "outcome_side" => format!("{:?}", o.outcome_side.as_ref().unwrap()),
        "book_side" => format!("{:?}", o.book_side.as_ref().unwrap()),
        "side" => format!("{:?}", o.side.as_ref().unwrap()),
        "action" => format!("{:?}", o.action.as_ref().unwrap()),
        "type" => format!("{:?}", o.order_type.as_ref().unwrap()),
        "status" => format!("{:?}", o.status),
        "self_trade_prevention_type" => {
            format!("{:?}", o.self_trade_prevention_type.as_ref().unwrap())
        }
        other => panic!("{other}"),
    }
}

fn fill_enum(f: &Fill, field: &str) -> String {
    match field {
        "outcome_side" => format!("{:?}", f.outcome_side.as_ref().unwrap()),
        "book_side" => format!("{:?}", f.book_side.as_ref().unwrap()),
        "side" => format!("{:?}", f.side.as_ref().unwrap()),
        "action" => format!("{:?}", f.action.as_ref().unwrap()),
        other => panic!("{other}"),
    }
}

#[test]
fn unknown_enum_values_are_kept_in_get_order() {
    enum_property::<GetOrder, Order>(
        GetOrder::new(ID),
        "get_order.json",
        &["/order"],
        ORDER_ENUMS,
        |r| vec![&mut r.order],
        set_order_enum,
        order_enum,
    );
}

#[test]
fn unknown_enum_values_are_kept_in_get_orders() {
    enum_property::<GetOrders, Order>(
        GetOrders::new(),
        "get_orders.json",
        &["/orders/0", "/orders/1"],
        ORDER_ENUMS,
        |r| r.orders.iter_mut().collect(),
        set_order_enum,
        order_enum,
    );
}

#[test]
fn unknown_enum_values_are_kept_in_get_fills() {
    enum_property::<GetFills, Fill>(
        GetFills::new(),
        "get_fills.json",
        &["/fills/0", "/fills/1"],
        FILL_ENUMS,
        |r| r.fills.iter_mut().collect(),
        set_fill_enum,
        fill_enum,
    );
}

// ---------------------------------------------------------------------------------------------
// Shards and the market of a fill (issue 9).
// ---------------------------------------------------------------------------------------------

/// Any JSON integer `exchange_index`, in every response that carries one, is read as that
/// value (never refused, never changed), into the one `ExchangeIndex` type.
#[test]
fn any_exchange_index_is_kept_as_sent() {
    let places: &[(&str, &str)] = &[
        ("create_order_group.json", "/exchange_index"),
        ("get_order_group.json", "/exchange_index"),
        ("get_order_groups.json", "/order_groups/0/exchange_index"),
        ("get_order.json", "/order/exchange_index"),
        ("get_orders.json", "/orders/1/exchange_index"),
        ("get_fills.json", "/fills/1/exchange_index"),
        ("get_positions.json", "/market_positions/0/exchange_index"),
        ("get_balance.json", "/balance_breakdown/1/exchange_index"),
    ];
    run(CASES * 4, "any_exchange_index_is_kept_as_sent", |runner| {
        let strategy = (
            0..places.len(),
            prop_oneof![-2i64..8, Just(i64::MIN), Just(i64::MAX), any::<i64>()],
        );
        runner
            .run(&strategy, |(which, v)| {
                let (file, pointer) = places[which];
                let mut doc = value(fixture(file));
                *doc.pointer_mut(pointer).unwrap() = Value::from(v);
                let body = doc.to_string();
                let want = ExchangeIndex::from_raw(v);
                let got = match file {
                    "create_order_group.json" => {
                        parse(&CreateOrderGroup::new(1), body.as_bytes()).map(|r| r.exchange_index)
                    }
                    "get_order_group.json" => {
                        parse(&GetOrderGroup::new("g"), body.as_bytes()).map(|r| r.exchange_index)
                    }
                    "get_order_groups.json" => parse(&GetOrderGroups::new(), body.as_bytes())
                        .map(|r| r.order_groups[0].exchange_index),
                    "get_order.json" => {
                        parse(&GetOrder::new("o"), body.as_bytes()).map(|r| r.order.exchange_index)
                    }
                    "get_orders.json" => parse(&GetOrders::new(), body.as_bytes())
                        .map(|r| r.orders[1].exchange_index),
                    "get_fills.json" => parse(&GetFills::new(), body.as_bytes())
                        .map(|r| Some(r.fills[1].exchange_index)),
                    "get_positions.json" => parse(&GetPositions::new(), body.as_bytes())
                        .map(|r| Some(r.market_positions[0].exchange_index)),
                    _ => parse(&GetBalance::new(), body.as_bytes())
                        .map(|r| Some(r.balance_breakdown[1].exchange_index)),
                };
                prop_assert_eq!(got.map_err(|e| e.to_string()), Ok(Some(want)), "{}", file);
                Ok(())
            })
            .map_err(|e| e.to_string())
    });
}

/// A fill carrying `ticker`, `market_ticker`, both or neither (absent or `null`): the market is
/// `ticker` when present, else `market_ticker`; `market_ticker` is kept as sent; neither is
/// refused. Everything else in the fill is unchanged.
#[test]
fn fill_market_from_ticker_or_market_ticker() {
    let text = || {
        prop_oneof![
            Just(None),
            Just(Some(Value::Null)),
            "[A-Z0-9-]{1,12}".prop_map(|s| Some(Value::from(s)))
        ]
    };
    run(
        CASES * 4,
        "fill_market_from_ticker_or_market_ticker",
        |runner| {
            runner
                .run(&(text(), text()), |(ticker, market_ticker)| {
                    let pristine =
                        parse(&GetFills::new(), fixture("get_fills.json").json.as_bytes())
                            .unwrap()
                            .fills[0]
                            .clone();
                    let mut doc = value(fixture("get_fills.json"));
                    let fill = doc
                        .pointer_mut("/fills/0")
                        .unwrap()
                        .as_object_mut()
                        .unwrap();
                    for (key, v) in [("ticker", &ticker), ("market_ticker", &market_ticker)] {
                        match v {
                            Some(v) => fill.insert(key.into(), v.clone()),
                            None => fill.remove(key),
                        };
                    }
                    let as_str =
                        |v: &Option<Value>| v.as_ref().and_then(|v| v.as_str()).map(str::to_owned);
                    let (t, m) = (as_str(&ticker), as_str(&market_ticker));
                    match parse(&GetFills::new(), doc.to_string().as_bytes()) {
                        Ok(r) => {
                            let got = &r.fills[0];
                            prop_assert_eq!(Some(&got.ticker), t.as_ref().or(m.as_ref()));
                            prop_assert_eq!(&got.market_ticker, &m);
                            let mut same = got.clone();
                            same.ticker = pristine.ticker.clone();
                            same.market_ticker = pristine.market_ticker.clone();
                            prop_assert_eq!(same, pristine);
                        }
                        Err(e) => prop_assert!(t.is_none() && m.is_none(), "{}", e),
                    }
                    Ok(())
                })
                .map_err(|e| e.to_string())
        },
    );
}
