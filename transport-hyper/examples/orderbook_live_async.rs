//! A market's order book, live from the stream (async: tokio and the hyper transport's stream
//! client) (`orderbook_delta`),
//! kept by the stream client: its top levels printed on every update.
//!
//! ```text
//! cargo run -p kalshi-transport-hyper --example orderbook_live_async
//! cargo run -p kalshi-transport-hyper --example orderbook_live_async -- --market KXHIGHNY-26DEC06-B45.5 --updates 20 --json
//! ```
//!
//! | option | meaning |
//! |---|---|
//! | `--market TICKER` | the market (on the simulator its default market when left out) |
//! | `--updates N` | stop after N book updates (snapshots, deltas, resyncs); else run until killed |
//! | `--json` | print the final book as one JSON line, `{"market": ..., "yes": [[price, count], ...], "no": [...]}` (best first, the exchange's strings); progress goes to stderr |
//!
//! With no credentials in the environment it starts the local exchange simulator in-process
//! and trades there from a second key of its own, so that the book moves; at the end it stops
//! trading and checks that the streamed book equals the simulator's REST order book. With
//! `KALSHI_API_KEY_ID` and `KALSHI_PRIVATE_KEY_PATH` (or `KALSHI_PRIVATE_KEY`), and
//! optionally `KALSHI_ENV` or `KALSHI_BASE_URL` (see the `market_data_async` example), it streams
//! from that exchange, read-only. The client resyncs the book by itself after a lost message
//! and reconnects after a lost connection (reported on stderr).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kalshi_core::config::EnvConfig;
use kalshi_core::enums::{BookSide, TimeInForce};
use kalshi_core::market::{GetMarketOrderbook, PriceLevel};
use kalshi_core::orders::CreateOrder;
use kalshi_core::stream::session::Event;
use kalshi_core::stream::{Channel, LocalOrderbook, Subscribe};
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM,
    SECOND_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_hyper::{AsyncClient, StreamClient, StreamClientConfig, StreamEvent};

/// The levels printed per side.
const TOP: usize = 3;

struct Args {
    market: Option<String>,
    updates: Option<u64>,
    json: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut _simulator = None;
    let mut trading = None;
    let (client, market) = match EnvConfig::from_env_optional().map_err(|e| e.to_string())? {
        Some(config) => {
            let market = args
                .market
                .clone()
                .ok_or("--market TICKER is needed on an exchange")?;
            eprintln!("Target: {} (read-only)", config.environment().base_url());
            (
                AsyncClient::new(config.into_client()).map_err(|e| e.to_string())?,
                market,
            )
        }
        None => {
            let market = args
                .market
                .clone()
                .unwrap_or_else(|| DEFAULT_MARKET.to_owned());
            let config = SimulatorConfig::default()
                .with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)
                .map_err(|e| format!("the bundled second key: {e}"))?;
            let simulator = Simulator::start(config).map_err(|e| format!("simulator: {e}"))?;
            let environment =
                Environment::custom(&simulator.base_url()).map_err(|e| e.to_string())?;
            let client_of = |id: &str, pem: &str| {
                let credentials = Credentials::from_pem(id, pem).map_err(|e| e.to_string())?;
                AsyncClient::new(Client::new(environment.clone(), credentials))
                    .map_err(|e| e.to_string())
            };
            eprintln!("Target: the built-in simulator at {}", simulator.base_url());
            let trader = client_of(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM)?;
            let ticker = market.clone();
            let stop = Arc::new(AtomicBool::new(false));
            let flag = stop.clone();
            let handle = tokio::spawn(async move { trade(&trader, &ticker, &flag).await });
            trading = Some((stop, handle));
            _simulator = Some(simulator);
            (client_of(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?, market)
        }
    };

    let mut stream = StreamClient::connect(&client, StreamClientConfig::default())
        .await
        .map_err(|e| format!("cannot open the stream: {e}"))?;
    let sub = Subscribe::new([Channel::OrderbookDelta]).market_tickers([market.as_str()]);
    stream.subscribe(sub).map_err(|e| e.to_string())?;
    let mut updates = 0;
    while args.updates.is_none_or(|n| updates < n) {
        match stream
            .next_event()
            .await
            .map_err(|e| format!("the stream stopped: {e}"))?
        {
            StreamEvent::Session(
                Event::BookSnapshot { market_ticker }
                | Event::BookUpdated { market_ticker }
                | Event::Resynced { market_ticker, .. },
            ) if market_ticker == market => {
                updates += 1;
                let book = stream.book(&market).ok_or("the book is not in sync")?;
                let line = format!("#{updates} {}", top(book));
                if args.json {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
            }
            StreamEvent::Session(Event::CommandFailed { error, .. }) => {
                return Err(format!(
                    "the exchange refused: {} {}",
                    error.code, error.msg
                ));
            }
            StreamEvent::Disconnected {
                error,
                reconnect_in,
            } => {
                eprintln!("disconnected ({error}); reconnecting in {reconnect_in:?}");
            }
            StreamEvent::Reconnected => eprintln!("reconnected"),
            _ => {}
        }
    }
    if let Some((stop, handle)) = trading {
        // On the simulator: stop trading, then follow the stream until the book is the one
        // the REST order book endpoint shows (the deltas of the last orders may be in flight).
        stop.store(true, Ordering::Relaxed);
        let _ = handle.await;
        let rest = client
            .execute(&GetMarketOrderbook::new(&market))
            .await
            .map_err(|e| format!("the REST order book: {e}"))?
            .orderbook_fp;
        while !stream.book(&market).is_some_and(|b| b.matches(&rest)) {
            stream
                .next_event()
                .await
                .map_err(|e| format!("the stream stopped: {e}"))?;
        }
        eprintln!("the book equals the simulator's REST order book");
    }
    if args.json {
        let book = stream.book(&market).ok_or("the book is not in sync")?;
        let side = |levels: &mut dyn Iterator<Item = PriceLevel>| {
            levels
                .map(|l| [l.price.to_string(), l.count.to_string()])
                .collect::<Vec<_>>()
        };
        // Written by hand to keep the documented key order (market, yes, no).
        println!(
            r#"{{"market":{},"yes":{},"no":{}}}"#,
            serde_json::Value::from(market.as_str()),
            serde_json::Value::from(side(&mut book.yes_bids())),
            serde_json::Value::from(side(&mut book.no_bids())),
        );
    }
    let _ = stream.close().await;
    Ok(())
}

/// `YES bids ... | NO bids ...`, best first, `TOP` of each.
fn top(book: &LocalOrderbook) -> String {
    let side = |levels: &mut dyn Iterator<Item = PriceLevel>| {
        let shown: Vec<String> = levels
            .take(TOP)
            .map(|l| format!("{} x {}", l.price, l.count))
            .collect();
        if shown.is_empty() {
            "-".to_owned()
        } else {
            shown.join(", ")
        }
    };
    format!(
        "YES bids {} | NO bids {}",
        side(&mut book.yes_bids()),
        side(&mut book.no_bids())
    )
}

/// On the simulator: rests quotes of 1 to 5 contracts on both sides of `market` and now and
/// then crosses the spread, every 300 ms, until `stop`.
async fn trade(client: &AsyncClient, market: &str, stop: &AtomicBool) {
    for i in 0u64.. {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let n = i.wrapping_mul(2_654_435_761) >> 7; // spread the numbers, deterministically
        let (side, price) = if i % 2 == 0 {
            (BookSide::Bid, 30 + n % 15)
        } else {
            (BookSide::Ask, 55 + n % 15)
        };
        let count = format!("{}", 1 + n % 5);
        let mut order = CreateOrder::new(
            market,
            side,
            count.parse().expect("a count"),
            format!("0.{price:02}").parse().expect("a price"),
        );
        let crossing = i % 7 == 6;
        order = if crossing {
            // A sell of YES at 0.30 or a buy at 0.70: takes the best quotes.
            let (side, price) = if i % 2 == 0 {
                (BookSide::Ask, "0.30")
            } else {
                (BookSide::Bid, "0.70")
            };
            CreateOrder::new(
                market,
                side,
                count.parse().expect("a count"),
                price.parse().expect("a price"),
            )
            .time_in_force(TimeInForce::ImmediateOrCancel)
        } else {
            order.post_only(true)
        };
        match client.place_order(&order).await {
            Err(e) if !crossing => {
                eprintln!("(the simulated trader stops: {e})");
                return;
            }
            _ => {} // a cross may find nothing to take
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        market: None,
        updates: None,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--market" => args.market = Some(it.next().ok_or("--market needs a ticker")?),
            "--updates" => {
                let n = it.next().ok_or("--updates needs a number")?;
                args.updates = Some(
                    n.parse()
                        .map_err(|_| format!("--updates {n}: not a number"))?,
                );
            }
            "--json" => args.json = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}` (--market TICKER, --updates N, --json)"
                ));
            }
        }
    }
    Ok(args)
}
