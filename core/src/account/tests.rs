//! Request bytes and response parsing for the account operations, and the rate limiter built
//! from their answers.

use http::{Method, StatusCode};

use super::*;
use crate::orders::{BatchCancelOrder, BatchCancelOrders, CancelOrder, CreateOrder};
use crate::portfolio::GetBalance;
use crate::rate_limit::{Bucket, EndpointCosts, RateLimit, RateLimiter, Tier};
use crate::response::parse;
use crate::{Client, Credentials, EmptyResponse, Environment, Error, Operation, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const TS: u64 = 1_703_123_456_789;

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

fn built<O: Operation>(op: &O, method: Method, path_and_query: &str) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path_and_query}")
    );
    assert!(req.body().is_empty());
    assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
}

#[test]
fn requests() {
    built(&GetAccountApiLimits::new(), Method::GET, "/account/limits");
    built(
        &GetPerpsAccountApiLimits::new(),
        Method::GET,
        "/account/limits/perps",
    );
    built(
        &GetAccountEndpointCosts::new(),
        Method::GET,
        "/account/endpoint_costs",
    );
    built(
        &GetAccountApiUsageLevelVolumeProgress::new(),
        Method::GET,
        "/account/api_usage_level/volume_progress",
    );
    built(
        &UpgradeAccountApiUsageLevel::new(),
        Method::POST,
        "/account/api_usage_level/upgrade",
    );
    assert_eq!(UpgradeAccountApiUsageLevel::new().cost(), 30);
}

const LIMITS: &str = r#"{
    "usage_tier": "premier",
    "read": {"refill_rate": 1000, "bucket_capacity": 1000},
    "write": {"refill_rate": 1000, "bucket_capacity": 2000},
    "grants": [
        {"exchange_instance": "event_contract", "level": "premier", "expires_ts": 1767225600, "source": "volume"},
        {"exchange_instance": "margined", "level": "advanced", "expires_ts": null, "source": "manual"}
    ]
}"#;

#[test]
fn limits_parse() {
    let l = parse::<GetAccountApiLimits>(StatusCode::OK, LIMITS.as_bytes()).unwrap();
    assert_eq!(l.usage_tier, "premier");
    assert_eq!(l.tier(), Some(Tier::Premier));
    assert_eq!(l.read, BucketLimit::new(1_000, 1_000));
    assert_eq!(l.write, BucketLimit::new(1_000, 2_000));
    assert_eq!(l.grants.len(), 2);
    assert_eq!(
        l.grants[0].exchange_instance,
        ExchangeInstance::EventContract
    );
    assert_eq!(l.grants[0].expires_ts, Some(1_767_225_600));
    assert_eq!(l.grants[1].exchange_instance, ExchangeInstance::Margined);
    assert_eq!(l.grants[1].expires_ts, None);
    assert_eq!(l.grants[1].source, "manual");
    // The perps answer has the same shape.
    let p = parse::<GetPerpsAccountApiLimits>(StatusCode::OK, LIMITS.as_bytes()).unwrap();
    assert_eq!(p, l);
    // A tier this version does not know still parses.
    let odd = LIMITS.replace("\"premier\",\n", "\"galactic\",\n");
    let o = parse::<GetAccountApiLimits>(StatusCode::OK, odd.as_bytes()).unwrap();
    assert_eq!(o.tier(), None);
    // A negative budget is not a budget.
    let neg = LIMITS.replace(
        "\"refill_rate\": 1000, \"bucket_capacity\": 1000",
        "\"refill_rate\": -1, \"bucket_capacity\": 1000",
    );
    assert!(matches!(
        parse::<GetAccountApiLimits>(StatusCode::OK, neg.as_bytes()),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn limits_become_the_bucket_sizes() {
    let l = parse::<GetAccountApiLimits>(StatusCode::OK, LIMITS.as_bytes()).unwrap();
    assert_eq!(
        RateLimit::from(&l),
        RateLimit::Custom {
            read: (1_000, 1_000),
            write: (1_000, 2_000)
        }
    );
    let mut limiter = RateLimiter::from_account_limits(&l, 0);
    assert_eq!(limiter.available(Bucket::Read, 0), 1_000);
    assert_eq!(limiter.available(Bucket::Write, 0), 2_000);
    // 200 orders at once drain the Write bucket; the next waits 10 ms at 1,000 tokens/s.
    for _ in 0..200 {
        limiter.try_acquire(Bucket::Write, 10, 0).unwrap();
    }
    assert_eq!(
        limiter.try_acquire(Bucket::Write, 10, 0),
        Err(std::time::Duration::from_millis(10))
    );
    // The same budgets as the named tier.
    let mut tier = RateLimiter::new(Tier::Premier, 0);
    assert_eq!(tier.available(Bucket::Write, 0), 2_000);
}

const COSTS: &str = r#"{
    "default_cost": 10,
    "endpoint_costs": [
        {"method": "POST", "path": "/trade-api/v2/account/api_usage_level/upgrade", "cost": 30},
        {"method": "DELETE", "path": "/trade-api/v2/portfolio/events/orders/{order_id}", "cost": 20},
        {"method": "DELETE", "path": "/trade-api/v2/portfolio/events/orders/batched", "cost": 3},
        {"method": "get", "path": "/portfolio/balance", "cost": 5},
        {"method": "NOT A METHOD", "path": "/x", "cost": 1}
    ]
}"#;

#[test]
fn endpoint_costs_parse_and_apply() {
    let c = parse::<GetAccountEndpointCosts>(StatusCode::OK, COSTS.as_bytes()).unwrap();
    assert_eq!(c.default_cost, 10);
    assert_eq!(c.endpoint_costs.len(), 5);
    assert_eq!(c.endpoint_costs[1].method, "DELETE");
    assert_eq!(
        c.endpoint_costs[1].path,
        "/trade-api/v2/portfolio/events/orders/{order_id}"
    );
    assert_eq!(c.endpoint_costs[1].cost, 20);

    let table = EndpointCosts::from_response(&c);
    assert_eq!(table.len(), 4, "the entry with no valid method is skipped");
    assert_eq!(table.default_cost(), 10);
    // Listed: the exchange's cost, with or without the prefix, method in any case.
    assert_eq!(table.cost_of(&CancelOrder::new("ord-1")), 20);
    assert_eq!(table.cost_of(&GetBalance::new()), 5);
    assert_eq!(table.cost_of(&UpgradeAccountApiUsageLevel::new()), 30);
    // A literal segment beats a parameter: the batch is not `{order_id}` = "batched"; it is
    // billed per item.
    let batch = BatchCancelOrders::new(vec![
        BatchCancelOrder::new("ord-1"),
        BatchCancelOrder::new("ord-2"),
        BatchCancelOrder::new("ord-3"),
    ]);
    assert_eq!(batch.cost(), 6);
    assert_eq!(table.cost_of(&batch), 9);
    // Unknown endpoints: the operation's own cost.
    let create = CreateOrder::new(
        "HIGHNY-24JAN01-T60",
        crate::enums::BookSide::Bid,
        "10".parse().unwrap(),
        "0.56".parse().unwrap(),
    );
    assert_eq!(table.cost_of(&create), 10);
    assert_eq!(table.cost_of(&GetAccountApiLimits::new()), 10);
    assert_eq!(table.listed(&Method::GET, "/account/limits"), None);
    assert_eq!(
        table.listed(&Method::POST, "/portfolio/events/orders/ord-1"),
        None,
        "another method"
    );
    // The empty table changes nothing.
    let empty = EndpointCosts::default();
    assert!(empty.is_empty());
    assert_eq!(empty.cost_of(&batch), 6);
    assert_eq!(empty.cost_of(&UpgradeAccountApiUsageLevel::new()), 30);
    // Another default scales the unlisted costs (rounding up).
    let dearer = EndpointCosts::new(15);
    assert_eq!(dearer.cost_of(&GetBalance::new()), 15);
    assert_eq!(dearer.cost_of(&batch), 9);
    // A later entry for the same endpoint replaces the earlier.
    let t = EndpointCosts::new(10)
        .with(Method::GET, "/portfolio/balance", 5)
        .with(Method::GET, "/trade-api/v2/portfolio/balance", 7);
    assert_eq!(t.len(), 1);
    assert_eq!(t.cost_of(&GetBalance::new().subaccount(2)), 7);
}

#[test]
fn volume_progress_parses() {
    let body = r#"{"volume_progress": [{
        "computed_ts": 1767139200,
        "trailing_30d_volume_fp": "125430.50",
        "goals": [
            {"level": "expert", "earn_volume_goal_fp": "100000.00", "keep_volume_goal_fp": "75000.00"},
            {"level": "premier", "earn_volume_goal_fp": "1000000.00", "keep_volume_goal_fp": "750000.00"}
        ]
    }]}"#;
    let v =
        parse::<GetAccountApiUsageLevelVolumeProgress>(StatusCode::OK, body.as_bytes()).unwrap();
    let p = &v.volume_progress[0];
    assert_eq!(p.computed_ts, 1_767_139_200);
    assert_eq!(p.trailing_30d_volume_fp, "125430.50".parse().unwrap());
    assert_eq!(p.goals[1].level, "premier");
    assert_eq!(p.goals[0].keep_volume_goal_fp, "75000".parse().unwrap());
}

#[test]
fn upgrade_answers() {
    let ok = parse::<UpgradeAccountApiUsageLevel>(StatusCode::CREATED, b"");
    assert_eq!(ok.unwrap(), EmptyResponse {});
    let refused = parse::<UpgradeAccountApiUsageLevel>(
        StatusCode::FORBIDDEN,
        br#"{"code":"forbidden","message":"no API-created order in the last 100"}"#,
    );
    assert!(matches!(refused, Err(Error::Forbidden(_))));
}
