//! The account and API key operations through the transports, against the simulator:
//! `configure_rate_limits_from_exchange` installs the account's real budgets
//! (`GET /account/limits`) and endpoint costs (`GET /account/endpoint_costs`) in the
//! client-side limiter, so that requests to an endpoint the exchange bills above the default
//! are paced at its real cost and never draw a 429; a generated API key signs for its
//! creator's account until it is deleted.

use std::time::{Duration, Instant};

use http::Method;
use kalshi_core::api_keys::{DeleteApiKey, GenerateApiKey, GetApiKeys};
use kalshi_core::enums::BookSide;
use kalshi_core::orders::CreateOrder;
use kalshi_core::portfolio::GetBalance;
use kalshi_core::rate_limit::{Bucket, RateLimit};
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, RateLimits, Simulator, SimulatorConfig,
};

/// Read 10 tokens/s holding 100, Write 10/s holding 50; a balance read costs 25.
fn simulator() -> Simulator {
    Simulator::start(
        SimulatorConfig::default()
            .with_rate_limits(RateLimits::new(10, 100, 10, 50))
            .with_endpoint_cost(Method::GET, "/portfolio/balance", 25),
    )
    .expect("the simulator starts")
}

fn core_client(sim: &Simulator) -> Client {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    Client::new(environment, credentials)
}

/// Four balance reads cost 100 tokens; after the two configuring reads (20) the Read bucket
/// holds 80: charged the exchange's 25 each, the fourth waits about two seconds for the
/// refill instead of drawing a 429 (charged the default 10, all four would go at once and the
/// fourth would be refused).
const READS: usize = 4;

#[test]
fn ureq_charges_the_exchanges_costs() {
    use kalshi_transport_ureq::{BlockingClient, Config};
    let sim = simulator();
    let client = BlockingClient::with_config(
        core_client(&sim),
        Config::default().retry(RetryPolicy::never()),
    );
    assert_eq!(client.rate_limit_tokens(Bucket::Read), None, "opt-in");
    let installed = client.configure_rate_limits_from_exchange().unwrap();
    assert_eq!(installed.usage_tier, "custom");
    assert_eq!(
        installed.limit,
        RateLimit::Custom {
            read: (10, 100),
            write: (10, 50)
        }
    );
    assert_eq!(installed.costs.cost_of(&GetBalance::new()), 25);
    let tokens = client.rate_limit_tokens(Bucket::Read).unwrap();
    assert!((80..=82).contains(&tokens), "{tokens}");
    assert_eq!(client.rate_limit_tokens(Bucket::Write), Some(50));

    let t0 = Instant::now();
    for i in 0..READS {
        client
            .execute(&GetBalance::new())
            .unwrap_or_else(|e| panic!("read {i}: {e}"));
    }
    assert!(client.stats().rate_limit_waits >= 1);
    assert!(
        t0.elapsed() >= Duration::from_millis(1_500),
        "{:?}",
        t0.elapsed()
    );
}

#[tokio::test]
async fn hyper_charges_the_exchanges_costs() {
    use kalshi_transport_hyper::{AsyncClient, Config};
    let sim = simulator();
    let client = AsyncClient::with_config(
        core_client(&sim),
        Config::default().retry(RetryPolicy::never()),
    )
    .unwrap();
    assert_eq!(client.rate_limit_tokens(Bucket::Read), None, "opt-in");
    let installed = client.configure_rate_limits_from_exchange().await.unwrap();
    assert_eq!(
        installed.limit,
        RateLimit::Custom {
            read: (10, 100),
            write: (10, 50)
        }
    );
    let tokens = client.rate_limit_tokens(Bucket::Read).unwrap();
    assert!((80..=82).contains(&tokens), "{tokens}");

    let t0 = Instant::now();
    for i in 0..READS {
        client
            .execute(&GetBalance::new())
            .await
            .unwrap_or_else(|e| panic!("read {i}: {e}"));
    }
    assert!(client.stats().rate_limit_waits >= 1);
    assert!(
        t0.elapsed() >= Duration::from_millis(1_500),
        "{:?}",
        t0.elapsed()
    );
}

#[test]
fn ureq_a_generated_key_trades_for_its_creator_until_deleted() {
    use kalshi_transport_ureq::{BlockingClient, Config, Error};
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let config = Config::default().retry(RetryPolicy::never());
    let demo = BlockingClient::with_config(core_client(&sim), config.clone());
    let generated = demo.execute(&GenerateApiKey::new("bot-2")).unwrap();
    let key_id = generated.api_key_id.clone();
    assert!(!format!("{generated:?}").contains("PRIVATE KEY"));
    let environment = Environment::custom(&sim.base_url()).unwrap();
    let bot = BlockingClient::with_config(
        Client::new(environment, generated.into_credentials().unwrap()),
        config,
    );

    let before = sim.balance_cents(DEMO_KEY_ID, 0);
    let order = CreateOrder::new(
        DEFAULT_MARKET,
        BookSide::Bid,
        "3".parse().unwrap(),
        "0.40".parse().unwrap(),
    );
    bot.place_order(&order).unwrap();
    assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);
    assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), before - 120);
    assert_eq!(sim.account_of_key(&key_id).as_deref(), Some(DEMO_KEY_ID));
    let listed = bot.execute(&GetApiKeys::new()).unwrap();
    assert_eq!(listed.api_keys.len(), 2);

    demo.execute(&DeleteApiKey::new(&key_id)).unwrap();
    match bot.execute(&GetBalance::new()) {
        Err(Error::Api(kalshi_core::Error::Unauthorized(_))) => {}
        other => panic!("expected a 401, got {other:?}"),
    }
    demo.execute(&GetBalance::new()).unwrap();
}
