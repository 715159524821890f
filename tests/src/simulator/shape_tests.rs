//! One pass over the order, order-group, API-key and account endpoints with the raw test
//! client, every answer checked against its documented schema ([`assert_shape`]). The market
//! data, portfolio and historical answers are checked by their own test modules.

use serde_json::{Value, json};

use super::shape_check::assert_shape;
use super::test_client::Client;
use super::*;

const T0: u64 = 1_700_000_000_000;
const M: &str = DEFAULT_MARKET;
const ORDERS: &str = "/portfolio/events/orders";
const OTHER_PUBLIC_KEY_PEM: &str = include_str!("../../keys/other-key.pub.pem");

/// Sends a request that must answer `status` with the documented shape of `op`; an empty body
/// (a 204, or the 201 of the usage-level upgrade) only where `op` documents none.
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
    if status == 204 {
        assert!(resp.body.is_empty(), "{op}: a 204 with a body");
    }
    if resp.body.is_empty() {
        // Documented without a body: what `{}` would be checked against.
        assert_shape(op, status, &json!({}));
        return Value::Null;
    }
    let v = resp.json();
    assert_shape(op, status, &v);
    v
}

fn order(side: &str, price: &str, count: &str) -> Value {
    json!({"ticker": M, "side": side, "price": price, "count": count,
        "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross"})
}

#[test]
fn order_group_key_and_account_answers_have_their_documented_shapes() {
    let sim =
        Simulator::start(SimulatorConfig::default().with_clock(ManualClock::new(T0))).unwrap();
    let c = &mut Client::new(&sim);
    let s = &sim;

    // Orders.
    let created = call(
        c,
        s,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("bid", "0.40", "10")),
        201,
    );
    let id = created["order_id"].as_str().unwrap().to_owned();
    call(
        c,
        s,
        "AmendOrderV2",
        "POST",
        &format!("{ORDERS}/{id}/amend"),
        Some(json!({"ticker": M, "side": "bid", "price": "0.41", "count": "8"})),
        200,
    );
    call(
        c,
        s,
        "DecreaseOrderV2",
        "POST",
        &format!("{ORDERS}/{id}/decrease"),
        Some(json!({"reduce_by": "1"})),
        200,
    );
    call(
        c,
        s,
        "GetOrderQueuePosition",
        "GET",
        &format!("/portfolio/orders/{id}/queue_position"),
        None,
        200,
    );
    call(
        c,
        s,
        "GetOrderQueuePositions",
        "GET",
        &format!("/portfolio/orders/queue_positions?market_tickers={M}"),
        None,
        200,
    );
    call(
        c,
        s,
        "CancelOrderV2",
        "DELETE",
        &format!("{ORDERS}/{id}"),
        None,
        200,
    );
    let batch = call(
        c,
        s,
        "BatchCreateOrdersV2",
        "POST",
        &format!("{ORDERS}/batched"),
        Some(json!({"orders": [order("bid", "0.20", "1"), order("ask", "0.90", "2")]})),
        201,
    );
    let ids: Vec<Value> = batch["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| json!({"order_id": o["order_id"]}))
        .collect();
    call(
        c,
        s,
        "BatchCancelOrdersV2",
        "DELETE",
        &format!("{ORDERS}/batched"),
        Some(json!({"orders": ids})),
        200,
    );
    call(
        c,
        s,
        "CreateOrderV2",
        "POST",
        ORDERS,
        Some(order("bid", "0.30", "1")),
        201,
    );
    call(c, s, "CancelAllOrders", "DELETE", ORDERS, None, 204);

    // Order groups.
    let g = call(
        c,
        s,
        "CreateOrderGroup",
        "POST",
        "/portfolio/order_groups/create",
        Some(json!({"contracts_limit": 10})),
        201,
    );
    let g = g["order_group_id"].as_str().unwrap().to_owned();
    let groups = "/portfolio/order_groups";
    call(c, s, "GetOrderGroups", "GET", groups, None, 200);
    call(
        c,
        s,
        "GetOrderGroup",
        "GET",
        &format!("{groups}/{g}"),
        None,
        200,
    );
    call(
        c,
        s,
        "UpdateOrderGroupLimit",
        "PUT",
        &format!("{groups}/{g}/limit"),
        Some(json!({"contracts_limit": 20})),
        200,
    );
    call(
        c,
        s,
        "TriggerOrderGroup",
        "PUT",
        &format!("{groups}/{g}/trigger"),
        None,
        200,
    );
    call(
        c,
        s,
        "ResetOrderGroup",
        "PUT",
        &format!("{groups}/{g}/reset"),
        None,
        200,
    );
    call(
        c,
        s,
        "DeleteOrderGroup",
        "DELETE",
        &format!("{groups}/{g}"),
        None,
        200,
    );

    // API keys.
    call(
        c,
        s,
        "CreateApiKey",
        "POST",
        "/api_keys",
        Some(json!({"name": "bot", "public_key": OTHER_PUBLIC_KEY_PEM})),
        201,
    );
    let generated = call(
        c,
        s,
        "GenerateApiKey",
        "POST",
        "/api_keys/generate",
        Some(json!({"name": "bot-2"})),
        201,
    );
    call(c, s, "GetApiKeys", "GET", "/api_keys", None, 200);
    let key = generated["api_key_id"].as_str().unwrap();
    call(
        c,
        s,
        "DeleteApiKey",
        "DELETE",
        &format!("/api_keys/{key}"),
        None,
        204,
    );

    // Account.
    call(
        c,
        s,
        "GetAccountApiLimits",
        "GET",
        "/account/limits",
        None,
        200,
    );
    call(
        c,
        s,
        "GetPerpsAccountApiLimits",
        "GET",
        "/account/limits/perps",
        None,
        200,
    );
    call(
        c,
        s,
        "GetAccountEndpointCosts",
        "GET",
        "/account/endpoint_costs",
        None,
        200,
    );
    call(
        c,
        s,
        "GetAccountApiUsageLevelVolumeProgress",
        "GET",
        "/account/api_usage_level/volume_progress",
        None,
        200,
    );
    call(
        c,
        s,
        "UpgradeAccountApiUsageLevel",
        "POST",
        "/account/api_usage_level/upgrade",
        None,
        201,
    );
}
