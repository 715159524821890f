//! API keys and the account endpoints, through [`Simulator::handle`] with requests built and
//! answers read by `kalshi_core`.

use ::http::{Method, StatusCode};
use kalshi_core::account::{
    GetAccountApiLimits, GetAccountApiUsageLevelVolumeProgress, GetAccountEndpointCosts,
    GetPerpsAccountApiLimits, UpgradeAccountApiUsageLevel,
};
use kalshi_core::api_keys::{CreateApiKey, DeleteApiKey, GenerateApiKey, GetApiKeys};
use kalshi_core::enums::BookSide;
use kalshi_core::orders::{BatchCancelOrder, BatchCancelOrders, CreateOrder, GetOrders};
use kalshi_core::portfolio::GetBalance;
use kalshi_core::rate_limit::EndpointCosts;
use kalshi_core::{Client, Credentials, Environment, Error, Operation, Timestamp};

use super::test_client::{OTHER_PRIVATE_KEY_PEM, demo_credentials};
use super::*;
use crate::{DEFAULT_MARKET, DEMO_KEY_ID};

const T0: u64 = 1_700_000_000_000;
const OTHER_PUBLIC_KEY_PEM: &str = include_str!("../../keys/other-key.pub.pem");

fn sim_with(config: SimulatorConfig) -> Simulator {
    Simulator::in_process(config.with_clock(ManualClock::new(T0))).unwrap()
}

fn client(sim: &Simulator, creds: Credentials) -> Client {
    Client::new(Environment::custom(&sim.base_url()).unwrap(), creds)
}

/// Sends `op` signed by `client` at the simulator's time and reads the answer.
fn call<O: Operation>(sim: &Simulator, client: &Client, op: &O) -> Result<O::Output, Error> {
    let req = client.request(op, Timestamp::from_millis(sim.now_ms()))?;
    let resp = sim.handle(req);
    client.response(op, &resp)
}

fn status<O: Operation>(sim: &Simulator, client: &Client, op: &O) -> StatusCode {
    let req = client
        .request(op, Timestamp::from_millis(sim.now_ms()))
        .unwrap();
    sim.handle(req).status()
}

fn order(coid: &str) -> CreateOrder {
    CreateOrder::new(
        DEFAULT_MARKET,
        BookSide::Bid,
        "2".parse().unwrap(),
        "0.30".parse().unwrap(),
    )
    .client_order_id(coid)
}

#[test]
fn a_generated_key_trades_on_the_creators_account() {
    let sim = sim_with(SimulatorConfig::default());
    let demo = client(&sim, demo_credentials());
    let generated = call(&sim, &demo, &GenerateApiKey::new("bot-2").subaccount(1)).unwrap();
    let key_id = generated.api_key_id.clone();
    assert!(!format!("{generated:?}").contains("PRIVATE"));
    let bot = client(&sim, generated.into_credentials().unwrap());

    let before = sim.balance_cents(DEMO_KEY_ID, 0);
    let placed = call(&sim, &bot, &order("from-generated-key")).unwrap();
    // The creator's balance paid for it, and the creator sees the order.
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), before - 60);
    assert!(
        sim.orders(DEMO_KEY_ID)
            .iter()
            .any(|o| o.order_id == placed.order_id)
    );
    let seen = call(&sim, &demo, &GetOrders::new()).unwrap();
    assert_eq!(seen.orders.len(), 1);
    let balance = call(&sim, &bot, &GetBalance::new()).unwrap();
    assert_eq!(balance.balance, before - 60);
    // The client order id is the account's: the creator cannot reuse it.
    assert!(matches!(
        call(&sim, &demo, &order("from-generated-key")),
        Err(Error::Conflict(_))
    ));
    assert!(sim.orders(&key_id).is_empty(), "no account of its own");
    assert_eq!(sim.account_of_key(&key_id).as_deref(), Some(DEMO_KEY_ID));
    assert_eq!(
        sim.account_of_key(DEMO_KEY_ID).as_deref(),
        Some(DEMO_KEY_ID)
    );
    assert_eq!(sim.account_of_key("nobody"), None);

    // Both keys are listed, oldest first, for either key.
    let keys = call(&sim, &bot, &GetApiKeys::new()).unwrap();
    let ids: Vec<&str> = keys
        .api_keys
        .iter()
        .map(|k| k.api_key_id.as_str())
        .collect();
    assert_eq!(ids, [DEMO_KEY_ID, key_id.as_str()]);
    assert_eq!(keys.api_keys[1].name, "bot-2");
    assert_eq!(keys.api_keys[1].subaccount, Some(1));
    assert_eq!(keys.api_keys[0].subaccount, None);
}

#[test]
fn a_created_key_signs_with_the_callers_private_key() {
    let other_id = "other-account";
    let sim = sim_with(
        SimulatorConfig::default()
            .with_key_pem(other_id, OTHER_PUBLIC_KEY_PEM)
            .unwrap(),
    );
    let demo = client(&sim, demo_credentials());
    // The demo account registers the other key pair's public half under a new id.
    let created = call(
        &sim,
        &demo,
        &CreateApiKey::new("mm", OTHER_PUBLIC_KEY_PEM)
            .scopes(vec![kalshi_core::api_keys::ApiKeyScope::Read]),
    )
    .unwrap();
    let mm = client(
        &sim,
        Credentials::from_pem(&created.api_key_id, OTHER_PRIVATE_KEY_PEM).unwrap(),
    );
    call(&sim, &mm, &order("via-created-key")).unwrap();
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);
    assert!(sim.orders(other_id).is_empty());
    // The other account lists only its own key, and cannot delete the demo account's.
    let other = client(
        &sim,
        Credentials::from_pem(other_id, OTHER_PRIVATE_KEY_PEM).unwrap(),
    );
    let listed = call(&sim, &other, &GetApiKeys::new()).unwrap();
    assert_eq!(listed.api_keys.len(), 1);
    assert_eq!(listed.api_keys[0].api_key_id, other_id);
    assert!(matches!(
        call(&sim, &other, &DeleteApiKey::new(&created.api_key_id)),
        Err(Error::NotFound(_))
    ));
    // A body that is not a public key is a 400 (the core refuses it before sending, so
    // send it raw).
    let bad = serde_json::json!({"name": "x", "public_key": "not a key"}).to_string();
    let path = format!("{BASE_PATH}/api_keys");
    let creds = demo_credentials();
    let ts = sim.now_ms();
    let req = ::http::Request::post(&path)
        .header(kalshi_core::auth::HEADER_ACCESS_KEY, DEMO_KEY_ID)
        .header(kalshi_core::auth::HEADER_ACCESS_TIMESTAMP, ts.to_string())
        .header(
            kalshi_core::auth::HEADER_ACCESS_SIGNATURE,
            creds.sign(ts, "POST", &path).unwrap(),
        )
        .body(bad.into_bytes())
        .unwrap();
    assert_eq!(sim.handle(req).status(), StatusCode::BAD_REQUEST);
}

#[test]
fn a_deleted_keys_next_request_is_401_and_the_creators_still_works() {
    let sim = sim_with(SimulatorConfig::default());
    let demo = client(&sim, demo_credentials());
    let generated = call(&sim, &demo, &GenerateApiKey::new("temp")).unwrap();
    let key_id = generated.api_key_id.clone();
    let temp = client(&sim, generated.into_credentials().unwrap());
    call(&sim, &temp, &GetBalance::new()).unwrap();

    let req = demo
        .request(
            &DeleteApiKey::new(&key_id),
            Timestamp::from_millis(sim.now_ms()),
        )
        .unwrap();
    let resp = sim.handle(req);
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(resp.body().is_empty());

    assert!(matches!(
        call(&sim, &temp, &GetBalance::new()),
        Err(Error::Unauthorized(_))
    ));
    call(&sim, &demo, &GetBalance::new()).unwrap();
    // Deleting it again: 404. A key may delete itself.
    assert!(matches!(
        call(&sim, &demo, &DeleteApiKey::new(&key_id)),
        Err(Error::NotFound(_))
    ));
    call(&sim, &demo, &DeleteApiKey::new(DEMO_KEY_ID)).unwrap();
    assert_eq!(
        status(&sim, &demo, &GetBalance::new()),
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn limits_and_costs_predict_the_buckets_exactly() {
    let sim = sim_with(
        SimulatorConfig::default()
            .with_rate_limits(RateLimitTier::Basic)
            .with_endpoint_cost(Method::GET, "/portfolio/balance", 25),
    );
    let demo = client(&sim, demo_credentials());
    let limits = call(&sim, &demo, &GetAccountApiLimits::new()).unwrap();
    assert_eq!(limits.usage_tier, "basic");
    assert_eq!(
        (limits.read.refill_rate, limits.read.bucket_capacity),
        (200, 400)
    );
    assert_eq!(
        (limits.write.refill_rate, limits.write.bucket_capacity),
        (100, 100)
    );
    let costs =
        EndpointCosts::from_response(&call(&sim, &demo, &GetAccountEndpointCosts::new()).unwrap());
    assert_eq!(costs.default_cost(), 10);
    assert_eq!(costs.len(), 3);

    // The clock stands still: nothing refills. Two reads cost 10 each so far.
    let mut read_left = limits.read.bucket_capacity - 20;
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((read_left, 100)));
    let balance_cost = costs.cost_of(&GetBalance::new());
    assert_eq!(balance_cost, 25);
    while read_left >= balance_cost {
        assert_eq!(
            status(&sim, &demo, &GetBalance::new()),
            StatusCode::OK,
            "{read_left} left"
        );
        read_left -= balance_cost;
    }
    // 5 tokens left: a balance read is refused, a 10-token read too; nothing is taken.
    assert_eq!(read_left, 5);
    assert_eq!(
        status(&sim, &demo, &GetBalance::new()),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        status(&sim, &demo, &GetApiKeys::new()),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((5, 100)));

    // Write: the upgrade costs 30 (three fit in 100), a batch cancel 2 per order.
    let upgrade = UpgradeAccountApiUsageLevel::new();
    assert_eq!(costs.cost_of(&upgrade), 30);
    for _ in 0..3 {
        // No order yet: 403, but the tokens are taken.
        assert_eq!(status(&sim, &demo, &upgrade), StatusCode::FORBIDDEN);
    }
    assert_eq!(status(&sim, &demo, &upgrade), StatusCode::TOO_MANY_REQUESTS);
    let batch = BatchCancelOrders::new(vec![
        BatchCancelOrder::new("a"),
        BatchCancelOrder::new("b"),
        BatchCancelOrder::new("c"),
    ]);
    assert_eq!(costs.cost_of(&batch), 6);
    assert_ne!(status(&sim, &demo, &batch), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((5, 4)));
    assert_eq!(status(&sim, &demo, &batch), StatusCode::TOO_MANY_REQUESTS);
    let two = BatchCancelOrders::new(vec![BatchCancelOrder::new("a"), BatchCancelOrder::new("b")]);
    assert_ne!(status(&sim, &demo, &two), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sim.rate_limit_tokens(DEMO_KEY_ID), Some((5, 0)));
}

#[test]
fn custom_limits_are_reported_as_they_are() {
    let sim = sim_with(SimulatorConfig::default().with_rate_limits(RateLimits::new(7, 70, 3, 30)));
    let demo = client(&sim, demo_credentials());
    let limits = call(&sim, &demo, &GetAccountApiLimits::new()).unwrap();
    assert_eq!(limits.usage_tier, "custom");
    assert_eq!(
        (limits.read.refill_rate, limits.read.bucket_capacity),
        (7, 70)
    );
    assert_eq!(
        (limits.write.refill_rate, limits.write.bucket_capacity),
        (3, 30)
    );
    let perps = call(&sim, &demo, &GetPerpsAccountApiLimits::new()).unwrap();
    assert_eq!(perps.read, limits.read);
    assert!(perps.grants.is_empty());
    // Off: the Basic tier's budgets.
    sim.set_rate_limits(None);
    let off = call(&sim, &demo, &GetAccountApiLimits::new()).unwrap();
    assert_eq!(off.usage_tier, "basic");
}

#[test]
fn the_upgrade_needs_an_order_and_records_a_grant() {
    let sim = sim_with(SimulatorConfig::default());
    let demo = client(&sim, demo_credentials());
    assert!(matches!(
        call(&sim, &demo, &UpgradeAccountApiUsageLevel::new()),
        Err(Error::Forbidden(_))
    ));
    assert!(
        call(&sim, &demo, &GetAccountApiLimits::new())
            .unwrap()
            .grants
            .is_empty()
    );
    call(&sim, &demo, &order("first")).unwrap();
    call(&sim, &demo, &UpgradeAccountApiUsageLevel::new()).unwrap();
    let limits = call(&sim, &demo, &GetAccountApiLimits::new()).unwrap();
    assert_eq!(limits.grants.len(), 1);
    assert_eq!(limits.grants[0].level, "advanced");
    assert_eq!(limits.grants[0].source, "manual");
    assert_eq!(limits.grants[0].expires_ts, None);
    assert_eq!(
        limits.grants[0].exchange_instance,
        kalshi_core::account::ExchangeInstance::EventContract
    );
}

#[test]
fn volume_progress_counts_the_accounts_fills() {
    let sim = sim_with(SimulatorConfig::default());
    let demo = client(&sim, demo_credentials());
    let empty = call(&sim, &demo, &GetAccountApiUsageLevelVolumeProgress::new()).unwrap();
    let p = &empty.volume_progress[0];
    assert_eq!(p.computed_ts, (T0 / 1000) as i64);
    assert_eq!(p.trailing_30d_volume_fp, "0".parse().unwrap());
    assert_eq!(p.goals.len(), 5);
    assert_eq!(p.goals[0].level, "expert");
    // 0.075% and 0.05% of twice 10,000,000 contracts.
    assert_eq!(p.goals[0].earn_volume_goal_fp, "15000".parse().unwrap());
    assert_eq!(p.goals[0].keep_volume_goal_fp, "10000".parse().unwrap());
    assert_eq!(p.goals[4].earn_volume_goal_fp, "200000".parse().unwrap());
    // The demo account trades with itself across subaccounts? No: self-trade prevention.
    // Buy 2 from a resting ask of another account.
    let other_id = "other-account";
    let sim = sim_with(
        SimulatorConfig::default()
            .with_key_pem(other_id, OTHER_PUBLIC_KEY_PEM)
            .unwrap(),
    );
    let demo = client(&sim, demo_credentials());
    let other = client(
        &sim,
        Credentials::from_pem(other_id, OTHER_PRIVATE_KEY_PEM).unwrap(),
    );
    let ask = CreateOrder::new(
        DEFAULT_MARKET,
        BookSide::Ask,
        "5".parse().unwrap(),
        "0.30".parse().unwrap(),
    )
    .client_order_id("ask");
    call(&sim, &other, &ask).unwrap();
    call(&sim, &demo, &order("bid")).unwrap();
    let v = call(&sim, &demo, &GetAccountApiUsageLevelVolumeProgress::new()).unwrap();
    assert_eq!(
        v.volume_progress[0].trailing_30d_volume_fp,
        "2".parse().unwrap()
    );
}
