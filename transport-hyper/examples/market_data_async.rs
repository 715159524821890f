//! Market data over the async hyper client: the open markets (every page, `stream_all`), then
//! one market's order book with depth, its recent trades and a candlestick series covering them.
//! The async twin of `kalshi-transport-ureq`'s `market_data` example.
//!
//! ```text
//! cargo run -p kalshi-transport-hyper --example market_data_async
//! cargo run -p kalshi-transport-hyper --example market_data_async -- KXHIGHNY-26DEC06-B45.5   # a market of your choice
//! ```
//!
//! With no credentials in the environment it starts the local exchange simulator in-process,
//! and first makes some activity of its own there so that there is something to see: the
//! bundled demo key rests quotes on both sides of the default market, a second key trades
//! against them and rests quotes of its own. To run against a real exchange (read-only: nothing
//! is placed there), set the variables of `kalshi_core::config::EnvConfig`:
//!
//! | variable | meaning |
//! |---|---|
//! | `KALSHI_API_KEY_ID` | your API key id |
//! | `KALSHI_PRIVATE_KEY_PATH` | the PEM file of its private key (PKCS#1 or PKCS#8) |
//! | `KALSHI_PRIVATE_KEY` | or the PEM text itself (exactly one of the two) |
//! | `KALSHI_ENV` | `demo` (the default), `prod`, `demo-shared` or `prod-shared` |
//! | `KALSHI_BASE_URL` | optional: any base URL such as `https://host/trade-api/v2`; wins over `KALSHI_ENV` |
//!
//! Without a ticker argument it picks the open market (multivariate combos left out) with the
//! most contracts traded in the last 24 hours, among the first [`MAX_SCANNED`] listed. Prices and
//! counts are printed exactly as the exchange sent them (`"0.5600"`, `"10.00"`): they are
//! fixed-point values, never floats.

use std::fmt::Display;
use std::process::ExitCode;

use kalshi_core::config::{EnvConfig, KALSHI_PRIVATE_KEY, KeySource};
use kalshi_core::enums::{BookSide, TimeInForce};
use kalshi_core::events::GetEvent;
use kalshi_core::market::{
    GetMarketCandlesticks, GetMarketOrderbook, GetMarkets, GetTrades, Market, MarketCandlestick,
    MarketStatusFilter, MveFilter, Orderbook, PriceLevel, Trade,
};
use kalshi_core::orders::CreateOrder;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM,
    SECOND_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};
use kalshi_transport_hyper::{AsyncClient, Error, Stream};

/// The most open markets read to pick one (the real exchange lists thousands).
const MAX_SCANNED: usize = 2000;
/// The order book levels asked for per side (`depth`).
const DEPTH: u32 = 5;
/// The recent trades shown.
const TRADES: u32 = 10;

#[tokio::main]
async fn main() -> ExitCode {
    let target = match Target::from_env().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    println!("{}", target.description);
    println!();
    match market_data(&target, std::env::args().nth(1)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!();
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Where the example runs, read from the environment.
struct Target {
    client: AsyncClient,
    /// One line saying where requests go and why.
    description: String,
    /// The page size of the market list: small on the simulator, so that the walk takes
    /// several pages of its few markets.
    page_size: u32,
    /// The in-process simulator, kept alive for the run (`None` against a real exchange).
    _simulator: Option<Simulator>,
}

impl Target {
    /// The key id and a key in the environment: a real exchange. None of the credential
    /// variables: the local simulator, with the bundled demo key. Anything in between (a key
    /// without its id, a bad value) is an error naming the variable, so that a typo never
    /// silently runs against the simulator.
    async fn from_env() -> Result<Target, String> {
        match EnvConfig::from_env_optional().map_err(|e| e.to_string())? {
            Some(config) => Self::exchange(config),
            None => Self::simulator().await,
        }
    }

    fn exchange(config: EnvConfig) -> Result<Target, String> {
        for warning in config.warnings() {
            eprintln!("warning: {warning}");
        }
        let key = match config.key_source() {
            KeySource::File(path) => format!("the key file {}", path.display()),
            _ => format!("the key in {KALSHI_PRIVATE_KEY}"),
        };
        let description = format!(
            "Target: {}, signing as API key `{}` with {key}. Read-only: nothing is placed.",
            config.environment().base_url(),
            config.credentials().key_id(),
        );
        Ok(Target {
            client: AsyncClient::new(config.into_client()).map_err(|e| e.to_string())?,
            description,
            page_size: 1000,
            _simulator: None,
        })
    }

    async fn simulator() -> Result<Target, String> {
        let config = SimulatorConfig::default()
            .with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)
            .map_err(|e| format!("the bundled second key: {e}"))?;
        let simulator = Simulator::start(config)
            .map_err(|e| format!("cannot start the local simulator: {e}"))?;
        let base_url = simulator.base_url();
        let environment =
            Environment::custom(&base_url).map_err(|e| format!("simulator base URL: {e}"))?;
        let client_of = |key_id: &str, pem: &str| -> Result<AsyncClient, String> {
            let credentials = Credentials::from_pem(key_id, pem)
                .map_err(|e| format!("the bundled key `{key_id}`: {e}"))?;
            AsyncClient::new(Client::new(environment.clone(), credentials))
                .map_err(|e| format!("the client: {e}"))
        };
        let client = client_of(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
        let other = client_of(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM)?;
        let activity = seed(&client, &other)
            .await
            .map_err(|e| failed("simulator activity", &e))?;
        let description = format!(
            "Target: the built-in local simulator at {base_url}, signing with the bundled demo key \
             `{DEMO_KEY_ID}`.\n(Set KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH or \
             KALSHI_PRIVATE_KEY, and optionally KALSHI_ENV=demo|prod or KALSHI_BASE_URL, to run \
             against a real exchange.)\nActivity made first on {DEFAULT_MARKET}: {activity}."
        );
        Ok(Target {
            client,
            description,
            page_size: 2,
            _simulator: Some(simulator),
        })
    }
}

/// Some activity on the simulator's default market, from two accounts: `maker` rests quotes on
/// both sides, `taker` trades against some of them (three trades) and rests quotes of its own.
async fn seed(maker: &AsyncClient, taker: &AsyncClient) -> Result<String, Error> {
    let order = |side: BookSide, count: &str, price: &str| {
        CreateOrder::new(
            DEFAULT_MARKET,
            side,
            count.parse().expect("a count"),
            price.parse().expect("a price"),
        )
    };
    let quotes = [
        (BookSide::Bid, "10", "0.40"),
        (BookSide::Bid, "5", "0.42"),
        (BookSide::Bid, "3", "0.45"),
        (BookSide::Ask, "4", "0.55"),
        (BookSide::Ask, "8", "0.57"),
        (BookSide::Ask, "12", "0.60"),
    ];
    for (side, count, price) in quotes {
        maker
            .place_order(&order(side, count, price).post_only(true))
            .await?;
    }
    // Buys 6 YES up to 0.57 (4 at 0.55, 2 at 0.57), then sells 2 YES down to 0.45.
    for (side, count, price) in [(BookSide::Bid, "6", "0.57"), (BookSide::Ask, "2", "0.45")] {
        let sweep = order(side, count, price).time_in_force(TimeInForce::ImmediateOrCancel);
        taker.place_order(&sweep).await?;
    }
    for (side, count, price) in [(BookSide::Bid, "7", "0.44"), (BookSide::Ask, "5", "0.58")] {
        taker
            .place_order(&order(side, count, price).post_only(true))
            .await?;
    }
    Ok("6 quotes from the demo key, 3 trades and 2 quotes from a second key".to_owned())
}

async fn market_data(target: &Target, ticker: Option<String>) -> Result<(), String> {
    let client = &target.client;

    // 1. Every open market, page by page (stream_all sends the next page's cursor).
    let list = GetMarkets::new()
        .status(MarketStatusFilter::Open)
        .mve_filter(MveFilter::Exclude)
        .limit(target.page_size);
    step(
        1,
        "open markets",
        format!(
            "GET /markets?status=open&mve_filter=exclude&limit={}, every page",
            target.page_size
        ),
    );
    let mut markets = Vec::new();
    let mut pages = std::pin::pin!(client.stream_all(list));
    // (With futures-util's `StreamExt`: `while let Some(market) = pages.next().await`.)
    while markets.len() < MAX_SCANNED {
        let Some(market) = std::future::poll_fn(|cx| pages.as_mut().poll_next(cx)).await else {
            break;
        };
        markets.push(market.map_err(|e| failed("open markets", &e))?);
    }
    let capped = if markets.len() == MAX_SCANNED {
        format!(" (the first {MAX_SCANNED})")
    } else {
        String::new()
    };
    done(format!("{} open market(s){capped}", markets.len()));
    let mut by_volume: Vec<&Market> = markets.iter().collect();
    by_volume.sort_by_key(|m| std::cmp::Reverse(m.volume_24h_fp)); // stable: ties keep the list order
    println!(
        "      {:<28} {:>8} {:>8} {:>8} {:>12}",
        "ticker", "yes bid", "yes ask", "last", "24h volume"
    );
    for m in by_volume.iter().take(5) {
        println!(
            "      {:<28} {:>8} {:>8} {:>8} {:>12}",
            m.ticker,
            m.yes_bid_dollars.to_string(),
            m.yes_ask_dollars.to_string(),
            m.last_price_dollars.to_string(),
            m.volume_24h_fp.to_string()
        );
    }

    // 2. The market: the one asked for, else the busiest.
    let market = match &ticker {
        Some(t) => markets
            .iter()
            .find(|m| &m.ticker == t)
            .ok_or_else(|| format!("{t} is not among the {} open markets read", markets.len()))?,
        None => by_volume
            .first()
            .copied()
            .ok_or("the exchange lists no open market")?,
    };
    let ticker = market.ticker.as_str();
    let event = client
        .execute(&GetEvent::new(&market.event_ticker))
        .await
        .map_err(|e| failed("event", &e))?
        .event;
    step(
        2,
        "market",
        format!(
            "{ticker} (event {}, series {})",
            event.event_ticker, event.series_ticker
        ),
    );
    let subtitle = [
        &market.yes_sub_title,
        market.subtitle.as_ref().unwrap_or(&event.title),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .map_or_else(String::new, |s| format!(" ({s})"));
    done(format!(
        "\"{}\"{subtitle}: {} contracts traded in 24 h, {} in all; closes {}",
        event.title, market.volume_24h_fp, market.volume_fp, market.close_time
    ));

    // 3. The order book, DEPTH levels per side.
    step(
        3,
        "order book",
        format!("GET /markets/{ticker}/orderbook?depth={DEPTH}"),
    );
    let book = client
        .execute(&GetMarketOrderbook::new(ticker).depth(DEPTH))
        .await
        .map_err(|e| failed("order book", &e))?
        .orderbook_fp;
    print_book(&book);

    // 4. The latest trades, newest first.
    step(
        4,
        "trades",
        format!("GET /markets/trades?ticker={ticker}&limit={TRADES}"),
    );
    let trades = client
        .execute(&GetTrades::new().ticker(ticker).limit(TRADES))
        .await
        .map_err(|e| failed("trades", &e))?
        .trades;
    print_trades(&trades);

    // 5. Candlesticks over a range that covers those trades.
    let now = kalshi_core::jiff::Timestamp::now().as_second();
    let oldest = trades.iter().map(|t| t.created_time.as_second()).min();
    let (start, period) = candle_range(oldest, now);
    step(
        5,
        "candlesticks",
        format!(
            "GET /series/{}/markets/{ticker}/candlesticks?start_ts={start}&end_ts={now}&period_interval={period}",
            event.series_ticker
        ),
    );
    let candles = client
        .execute(&GetMarketCandlesticks::new(
            &event.series_ticker,
            ticker,
            start,
            now,
            period,
        ))
        .await
        .map_err(|e| failed("candlesticks", &e))?
        .candlesticks;
    print_candles(&candles, period);
    Ok(())
}

/// The candlestick range, from a minute before the oldest trade shown (or the last day without
/// trades) to now, and the finest period (1 minute, 1 hour or 1 day) that keeps it under about
/// 300 candlesticks.
fn candle_range(oldest_trade: Option<i64>, now: i64) -> (i64, u32) {
    let start = oldest_trade.map_or(now - 86_400, |t| t - 60).min(now);
    let span = now - start;
    let period = if span <= 300 * 60 {
        1
    } else if span <= 300 * 3600 {
        60
    } else {
        1440
    };
    (start, period)
}

// The blocking `market_data` example prints full tables; this one prints a line each.

fn print_book(book: &Orderbook) {
    let best = |level: Option<PriceLevel>| {
        level.map_or_else(
            || "none".to_owned(),
            |l| format!("{} x {}", l.price, l.count),
        )
    };
    done(format!(
        "{} YES bid and {} NO bid level(s); best YES bid {}, best YES ask {} (1 - the best NO bid)",
        book.yes_dollars.len(),
        book.no_dollars.len(),
        best(book.best_yes_bid()),
        best(book.best_yes_ask())
    ));
}

fn print_trades(trades: &[Trade]) {
    let newest = trades.first().map_or_else(String::new, |t| {
        format!(
            "; newest {} contracts at YES {} ({})",
            t.count_fp, t.yes_price_dollars, t.created_time
        )
    });
    done(format!("{} trade(s){newest}", trades.len()));
}

fn print_candles(candles: &[MarketCandlestick], period: u32) {
    let last = candles
        .iter()
        .rev()
        .find_map(|c| c.price.close_dollars.map(|p| (p, c.volume_fp)));
    done(format!(
        "{} candlestick(s) of {period} minute(s){}",
        candles.len(),
        last.map_or_else(String::new, |(p, v)| format!(
            "; the last traded one closed at {p} on {v} contracts"
        ))
    ));
}

fn step(n: u32, name: &str, request: String) {
    println!("{n}. {name:<13} {request}");
}

fn done(what: String) {
    println!("   -> {what}");
}

/// A failed step, with a hint for the failures a user can fix.
fn failed(what: &str, e: &Error) -> String {
    let hint: &dyn Display = match e {
        Error::Api(kalshi_core::Error::Unauthorized(_)) => {
            &"\n  hint: check the key id, that the key belongs to this environment (demo keys only \
              work on demo), and that the system clock is right"
        }
        Error::Dns(_) | Error::Connect(_) | Error::Timeout { .. } => {
            &"\n  hint: is the host reachable from here?"
        }
        _ => &"",
    };
    format!("step `{what}` failed: {e}{hint}")
}
