//! A local Kalshi Trade API v2 exchange simulator: test a trading bot end to end, offline,
//! against an exchange the test controls.
//!
//! # Testing a bot against it
//!
//! Start a [`Simulator`] inside the test, point the bot's client at its
//! [`base_url`](Simulator::base_url), move the market from a second account, move the
//! exchange clock, break the network, and assert on the exchange's own state:
//!
//! ```
//! use kalshi_core::enums::{BookSide, TimeInForce};
//! use kalshi_core::orders::{CreateOrder, GetOrders};
//! use kalshi_core::{Client, Credentials, Environment};
//! use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Fault, FaultRule, ManualClock};
//! use kalshi_simulator::{SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM, SECOND_PUBLIC_KEY_PEM};
//! use kalshi_simulator::{Simulator, SimulatorConfig};
//! use kalshi_transport_ureq::BlockingClient;
//!
//! type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;
//! const MARKET: &str = "KXRAIN-26JUN01-T2";
//!
//! /// The bot under test: keeps one bid for 5 YES at $0.40 resting until `expires` (Unix
//! /// seconds), placing a new one when there is none. Returns the resting bid's id.
//! fn keep_bid(bot: &BlockingClient, expires: i64) -> Result<String> {
//!     let resting = bot.execute(&GetOrders::new().ticker(MARKET).status("resting"))?;
//!     if let Some(order) = resting.orders.first() {
//!         return Ok(order.order_id.clone());
//!     }
//!     let bid = CreateOrder::new(MARKET, BookSide::Bid, "5".parse()?, "0.40".parse()?);
//!     Ok(bot.place_order(&bid.expiration_time(expires))?.order_id().to_owned())
//! }
//! # fn main() -> Result<()> {
//!
//! // An exchange of our own: one market, a second account, a clock the test moves.
//! let clock = ManualClock::starting_now();
//! let sim = Simulator::start(
//!     SimulatorConfig::default()
//!         .without_markets()
//!         .with_market(MARKET)
//!         .with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)?
//!         .with_clock(clock.clone()),
//! )?;
//! let connect = |key_id: &str, pem: &str| -> Result<BlockingClient> {
//!     let exchange = Environment::custom(&sim.base_url())?; // http://127.0.0.1:PORT/...
//!     let credentials = Credentials::from_pem(key_id, pem)?;
//!     Ok(BlockingClient::new(Client::new(exchange, credentials)))
//! };
//! let bot = connect(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
//! let counterparty = connect(SECOND_KEY_ID, SECOND_PRIVATE_KEY_PEM)?;
//!
//! // The bot's first write is answered 503 and not executed; its client retries: one bid.
//! sim.faults().push(FaultRule::new(Fault::ServerError(503)).writes_only());
//! let expires = i64::try_from(sim.now_ms() / 1000)? + 10;
//! let first = keep_bid(&bot, expires)?;
//! assert_eq!(sim.faults().injected().len(), 1);
//! assert_eq!(sim.orders(DEMO_KEY_ID).len(), 1);
//! let book = sim.book(MARKET).unwrap();
//! assert_eq!(book.bids, [("0.4000".to_owned(), "5.00".to_owned())]);
//!
//! // The counterparty sells 5 into the bid: the bot holds 5 YES and bids again.
//! let sell = CreateOrder::new(MARKET, BookSide::Ask, "5".parse()?, "0.40".parse()?);
//! counterparty.place_order(&sell.time_in_force(TimeInForce::ImmediateOrCancel))?;
//! assert_eq!(sim.positions(DEMO_KEY_ID)[0].position_fp, "5.00");
//! assert_eq!(sim.balance_cents(DEMO_KEY_ID, 0), 1_000_000 - 200);
//! let second = keep_bid(&bot, expires)?;
//! assert_ne!(second, first);
//!
//! // 11 s later on the exchange clock the bid has expired, and the bot replaces it.
//! clock.advance_ms(11_000);
//! let order = |id: &str| sim.orders(DEMO_KEY_ID).into_iter().find(|o| o.order_id == id);
//! assert_eq!(order(&second).unwrap().status, "canceled");
//! let third = keep_bid(&bot, expires + 11)?;
//! assert_eq!(order(&third).unwrap().status, "resting");
//! # Ok(())
//! # }
//! ```
//!
//! The pieces: [`SimulatorConfig`] sets up the exchange (markets, keys, clock, balances, rate
//! limits, [`ErrorShape`]); [`SECOND_KEY_ID`] and its key pair give a counterparty account
//! (every API key is an account); [`Simulator::add_market`],
//! [`set_market_status`](Simulator::set_market_status) and
//! [`set_trading_active`](Simulator::set_trading_active) change the catalog and pause trading
//! while it runs; a [`ManualClock`] moves exchange time (stay within the
//! ±30 s signature window, or widen it); [`Simulator::faults`] injects 5xx, 429, drops,
//! delays and cut bodies ([`Faults`]); [`Simulator::orders`], [`fills`](Simulator::fills),
//! [`positions`](Simulator::positions), [`book`](Simulator::book),
//! [`trades`](Simulator::trades) and [`balance_cents`](Simulator::balance_cents) read the
//! exchange's state as snapshots ([`OrderSnapshot`], [`FillSnapshot`], [`PositionSnapshot`],
//! [`BookSnapshot`], [`TradeSnapshot`]); [`settle_market`](Simulator::settle_market),
//! [`record_deposit`](Simulator::record_deposit) and
//! [`set_historical_cutoff`](Simulator::set_historical_cutoff) change it. Without a
//! socket, [`Simulator::in_process`] and [`Simulator::handle`] run the same pipeline on an
//! `http::Request` (cheap enough for one simulator per test case or fuzz input).
//!
//! # The exchange
//!
//! The [`Simulator`] is a small exchange: binary markets with price-time-priority order books
//! ([`MarketConfig`]), V2 order writes and the order, balance, position and fill reads, order
//! groups that trigger on their 15-second rolling volume, the market data reads computed from
//! its own engine (series, events and markets with live prices, order books, trades,
//! candlesticks; [`SeriesConfig`], [`EventConfig`], [`MarketStatus`]), the exchange status,
//! schedule and fee changes with trading and exchange pauses the test switches, several
//! accounts (one per API key) with subaccounts trading against each other, subaccount
//! creation, cash and position transfers between them, netting and the settlement-advance
//! lock, market settlement ([`Simulator::settle_market`], [`SettlementResult`]) with the
//! settlements list, deposits and withdrawals recorded by the test, the resting order value,
//! target balance allocations, intra-exchange-instance transfers between shards, the
//! historical cutoff ([`HistoricalCutoff`]), multivariate event collections whose combo
//! markets trade like any other ([`CollectionConfig`]), milestones, structured targets, search
//! filters, incentive programs and live data from configurable records ([`ReferenceData`]),
//! the FCM endpoints for keys configured as FCM members, optional token-bucket rate limits
//! ([`RateLimits`]) and fault injection on demand ([`Faults`]). It serves plain HTTP/1.1 on
//! 127.0.0.1 (keep-alive on) and checks every request's RSA-PSS signature and timestamp as
//! strictly as the exchange does. Time comes from an injectable [`Clock`] so tests can move it
//! with a [`ManualClock`]; every answer's `Date` header and every write's `ts_ms` come from it.
//! Errors answer the documented `ErrorResponse` JSON (`{code, message, details, service}`), or
//! the nested or bare shapes on request ([`SimulatorConfig::with_error_shape`]). The
//! WebSocket API streams from the same engine on the same port ([`STREAM_PATH`]): book
//! snapshots and deltas with sequence numbers, tickers, trades, the account's fills, orders,
//! positions and order groups, market lifecycle, with stream faults on demand (a dropped or
//! duplicated message, a disconnect, silence, a slow consumer). The
//! [`simulator`] module documents every endpoint and the exchange rules it applies.
//!
//! # The binary
//!
//! The same simulator runs standalone as the `kalshi-simulator` binary
//! (`cargo install kalshi-simulator`):
//! `kalshi-simulator [--key KEY_ID=PUBLIC_KEY_PEM_PATH]... [--port N] [--window-secs N]
//! [--market TICKER]... [--rate-limit TIER] [--starting-balance-cents N] [--error-shape SHAPE]`
//! prints its base URL on one line and serves until killed. Without `--key` it accepts the
//! bundled demo key ([`DEMO_KEY_ID`], [`DEMO_PRIVATE_KEY_PEM`]: throwaway keys, public on
//! purpose, for tests only).
//!
//! # Hostile servers
//!
//! For the transports' behaviour against peers that break HTTP rather than the exchange's rules
//! (endless bodies, lying `Content-Length`s, resets, header blocks that never end), the
//! [`hostile`] module has small raw-TCP servers driven byte by byte.

#![warn(missing_docs)]

pub mod hostile;
pub mod simulator;

pub use simulator::throwaway_key_pair;
pub use simulator::{
    BASE_PATH, BookSnapshot, Clock, DEFAULT_BODY_LIMIT, DEFAULT_CLOSE_TIME_MS,
    DEFAULT_EXCHANGE_SHARDS, DEFAULT_MARKET, DEFAULT_MARKETS, DEFAULT_OPEN_TIME_MS,
    DEFAULT_STARTING_BALANCE_CENTS, DEFAULT_STREAM_PING_INTERVAL, DEFAULT_STREAM_QUEUE_CAPACITY,
    DEFAULT_TIMESTAMP_WINDOW, ErrorShape, EventConfig, Fault, FaultRule, Faults, FillSnapshot,
    HistoricalCutoff, HookError, InjectedFault, ManualClock, MarketConfig, MarketStatus,
    OrderGroupSnapshot, OrderSnapshot, PositionSnapshot, RandomFaults, RateLimitTier, RateLimits,
    STREAM_PATH, SeriesConfig, SettlementResult, Simulator, SimulatorConfig, SystemClock,
    TradeSnapshot,
};
pub use simulator::{
    CollectionConfig, CollectionEvent, DEFAULT_MILESTONE_ID, DEFAULT_WEATHER_CITY, ReferenceData,
};

/// The key id of the bundled demo key, registered by [`SimulatorConfig::default()`].
pub const DEMO_KEY_ID: &str = "demo-key";

/// The bundled demo private key (PKCS#1 PEM, RSA-2048).
///
/// A throwaway key generated for this simulator only; it is public on purpose and is not
/// registered anywhere real. Sign with it via
/// `kalshi_core::auth::Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)`.
pub const DEMO_PRIVATE_KEY_PEM: &str = include_str!("../keys/demo-key.pem");

/// The public half of the demo key (SPKI PEM).
pub const DEMO_PUBLIC_KEY_PEM: &str = include_str!("../keys/demo-key.pub.pem");

/// The key id of a second bundled throwaway key pair, for a second account (a taker, a
/// counterparty) in tests and examples. Register it with
/// `SimulatorConfig::default().with_key_pem(SECOND_KEY_ID, SECOND_PUBLIC_KEY_PEM)`.
pub const SECOND_KEY_ID: &str = "second-key";

/// The second bundled private key (PKCS#1 PEM, RSA-2048); as throwaway as the demo key.
pub const SECOND_PRIVATE_KEY_PEM: &str = include_str!("../keys/other-key.pem");

/// The public half of the second key (SPKI PEM).
pub const SECOND_PUBLIC_KEY_PEM: &str = include_str!("../keys/other-key.pub.pem");

/// The demo key's verifying key.
pub(crate) fn demo_verifying_key() -> kalshi_core::auth::VerifyingKey {
    // The PEM is bundled at compile time and checked by the tests below.
    kalshi_core::auth::VerifyingKey::from_pem(DEMO_PUBLIC_KEY_PEM)
        .expect("the bundled demo public key is a valid RSA public key")
}

#[cfg(test)]
mod tests {
    use super::*;
    use kalshi_core::auth::{Credentials, PrivateKey};

    #[test]
    fn demo_key_pair_matches() {
        let private = PrivateKey::from_pem(DEMO_PRIVATE_KEY_PEM).unwrap();
        assert_eq!(private.size_bits(), 2048);
        assert!(DEMO_PRIVATE_KEY_PEM.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
        let sig = creds
            .sign(1_700_000_000_000, "GET", "/trade-api/v2/x")
            .unwrap();
        demo_verifying_key()
            .verify_request(1_700_000_000_000, "GET", "/trade-api/v2/x", &sig)
            .unwrap();
        private
            .verifying_key()
            .verify_request(1_700_000_000_000, "GET", "/trade-api/v2/x", &sig)
            .unwrap();
    }
}
