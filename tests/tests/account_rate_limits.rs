//! Both transports' `configure_rate_limits_from_exchange` against the simulator: the account's
//! real budgets (`GET /account/limits`) and endpoint costs (`GET /account/endpoint_costs`)
//! installed in the client-side limiter, so that requests to an endpoint the exchange bills
//! above the default are paced at its real cost and never draw a 429.

use std::time::{Duration, Instant};

use http::Method;
use kalshi_core::portfolio::GetBalance;
use kalshi_core::rate_limit::{Bucket, RateLimit};
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, RateLimits, Simulator, SimulatorConfig};

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
