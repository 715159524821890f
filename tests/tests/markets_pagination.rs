//! Walking `GetMarkets` page by page with each transport's paginated iterator (`iter_all` of
//! `kalshi-transport-ureq`, `stream_all` of `kalshi-transport-hyper`) against the simulator: a
//! small `limit` over more markets than fit in two pages, every market listed exactly once.

use std::collections::BTreeMap;
use std::time::Duration;

use kalshi_core::market::GetMarkets;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};

/// The page size: the simulator's 3 default markets and 8 more take 4 pages.
const LIMIT: u32 = 3;

/// The simulator with 8 markets more than the default ones (11 in all).
fn start() -> Simulator {
    let mut config = SimulatorConfig::default();
    for strike in 1..=8 {
        config = config.with_market(format!("KXPAGES-26DEC31-T{strike}"));
    }
    let sim = Simulator::start(config).expect("the simulator starts");
    assert!(
        sim.markets().len() > 2 * LIMIT as usize,
        "enough markets for three pages"
    );
    sim
}

fn client(sim: &Simulator) -> Client {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    Client::new(environment, credentials)
}

/// How many times each ticker was listed.
fn tally(tickers: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for t in tickers {
        *seen.entry(t).or_insert(0) += 1;
    }
    seen
}

/// Every market of the simulator, once each.
fn once_each(sim: &Simulator) -> BTreeMap<String, usize> {
    sim.markets().into_iter().map(|t| (t, 1)).collect()
}

#[test]
fn ureq_iter_all_walks_every_page_of_markets_once() {
    use kalshi_transport_ureq::{BlockingClient, Config};
    let sim = start();
    let client = BlockingClient::with_config(
        client(&sim),
        Config::default().timeout(Duration::from_secs(10)),
    );

    // One page holds `LIMIT` markets and points at the next: the walk below needs several.
    let first = client
        .execute(&GetMarkets::new().limit(LIMIT))
        .expect("the first page");
    assert_eq!(first.markets.len(), LIMIT as usize);
    assert!(first.cursor.is_some_and(|c| !c.is_empty()));

    let tickers = client
        .iter_all(GetMarkets::new().limit(LIMIT))
        .map(|m| m.expect("a market").ticker);
    assert_eq!(tally(tickers), once_each(&sim));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hyper_stream_all_walks_every_page_of_markets_once() {
    use kalshi_transport_hyper::{AsyncClient, Config, Stream};
    let sim = start();
    let client = AsyncClient::with_config(
        client(&sim),
        Config::default().request_timeout(Duration::from_secs(10)),
    )
    .expect("the client builds");

    let first = client
        .execute(&GetMarkets::new().limit(LIMIT))
        .await
        .expect("the first page");
    assert_eq!(first.markets.len(), LIMIT as usize);
    assert!(first.cursor.is_some_and(|c| !c.is_empty()));

    let mut markets = std::pin::pin!(client.stream_all(GetMarkets::new().limit(LIMIT)));
    let mut tickers = Vec::new();
    while let Some(market) = std::future::poll_fn(|cx| markets.as_mut().poll_next(cx)).await {
        tickers.push(market.expect("a market").ticker);
    }
    assert_eq!(tally(tickers), once_each(&sim));
}
