//! Sans-IO core of a client for Kalshi's Trade API v2.
//!
//! This crate builds signed [`http::Request`] values and parses [`http::Response`] values into
//! typed results. It opens no sockets, starts no threads and reads no clock: the timestamp that
//! is signed is an argument. Bring any HTTP stack, or use the `kalshi-transport-ureq`
//! (blocking) and `kalshi-transport-hyper` (async) crates.
//!
//! Alone, it is pure Rust (no C compiler) and signs with the `rsa` crate; with the `aws-lc-rs`
//! feature, which the transports turn on by default, `Credentials::from_pem` and the other
//! ordinary constructors sign with AWS-LC, constant-time and about 9× faster ([`auth`]).
//!
//! ```
//! use kalshi_core::{Client, Credentials, Environment, Timestamp};
//! use kalshi_core::order_groups::CreateOrderGroup;
//!
//! # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
//! let credentials = Credentials::from_pem("my-key-id", &pem)?;
//! let client = Client::new(Environment::Demo, credentials);
//!
//! // 1. Build the signed request (the caller supplies the time).
//! let op = CreateOrderGroup::new(100);
//! let request = client.request(&op, Timestamp::from_millis(1_703_123_456_789))?;
//! assert_eq!(request.uri(), "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/order_groups/create");
//! assert_eq!(request.body(), br#"{"contracts_limit":100}"#);
//! assert!(request.headers().contains_key("KALSHI-ACCESS-SIGNATURE"));
//!
//! // 2. Send it with any HTTP client; here, pretend the exchange answered.
//! let response = http::Response::builder()
//!     .status(201)
//!     .body(br#"{"order_group_id":"og-1","subaccount":0}"#.to_vec())
//!     .unwrap();
//!
//! // 3. Parse the answer into a typed result.
//! let created = client.response(&op, &response)?;
//! assert_eq!(created.order_group_id, "og-1");
//! # Ok::<(), kalshi_core::Error>(())
//! ```
//!
//! From the `KALSHI_*` environment variables (key id, key file or PEM text, environment, base
//! URL; see [`config`]), with each bad value an error naming its variable:
//!
//! ```no_run
//! let env = kalshi_core::config::EnvConfig::from_env()?;
//! env.warnings().iter().for_each(|w| eprintln!("warning: {w}")); // e.g. a key file others can read
//! let client = env.into_client();
//! # drop(client); Ok::<(), kalshi_core::config::EnvError>(())
//! ```
//!
//! Errors are one enum, [`Error`], with a variant per class of answer (`NotFound`,
//! `RateLimited`, ...) carrying the status, the exchange's [`ErrorResponse`] and the body,
//! bounded in size.
//!
//! # Map
//!
//! ## The API: one module per area of the API reference
//!
//! Every current operation of the REST API (122: the 76 of the trading tier, then the 46 of the
//! tail from `communications` on) is a plain value named as in the reference, implementing
//! [`Operation`]; each module opens with the table of its operations and requests.
//!
//! | module | operations | what |
//! |---|---:|---|
//! | [`market`] | 9 | markets, order books ([`market::Orderbook`]: best bids, implied asks), trades, candlesticks, series |
//! | [`events`] | 7 | events and multivariate events, their metadata, candlesticks, forecast history, fee changes |
//! | [`exchange`] | 4 | exchange status, schedule, series fee changes, the user-data timestamp |
//! | [`account`] | 5 | API usage level, rate limits and endpoint costs |
//! | [`api_keys`] | 4 | list, create, generate (the new private key) and delete API keys |
//! | [`historical`] | 8 | the cutoff, and markets, candlesticks, trades, fills, orders, positions past it |
//! | [`portfolio`] | 21 | balance, positions, fills, settlements, deposits and withdrawals, transfers, subaccounts |
//! | [`orders`] | 11 | V2 order writes (create, cancel, amend, decrease, batches, cancel-all), order reads, queue positions, placing once ([`orders::PlaceOrder`]) |
//! | [`order_groups`] | 7 | order groups: a rolling 15-second contracts limit over a set of orders |
//! | [`communications`] | 18 | RFQs and the quotes on them (create, accept, confirm, delete), block-trade proposals, the communications id |
//! | [`milestone`] | 2 | milestones: the games, races and tournaments events are tied to |
//! | [`structured_targets`] | 2 | structured targets: the players, teams and other things markets are about |
//! | [`search`] | 2 | the search filters by sport and the tags by series category |
//! | [`incentive_programs`] | 1 | the exchange's liquidity and volume reward programs |
//! | [`multivariate`] | 3 | multivariate event collections, and creating (or resolving) a combo market from selected legs |
//! | [`fcm`] | 11 | FCM members: their subtraders' orders, positions and fills, subtraders, blocked categories, daily premium caps, position transfers |
//! | [`live_data`] | 7 | live data of milestones and events, game play-by-play, the weather index and its calibrations |
//!
//! Records use exact values: [`FixedPointDollars`] for prices and money, [`FixedPointCount`]
//! for counts, [`jiff::Timestamp`] for times, [`enums`] for the shared string enums (unknown
//! values kept), [`ExchangeIndex`] for exchange instances.
//!
//! ## The protocol machinery
//!
//! | concern | where |
//! |---|---|
//! | signing: RSA-PSS over timestamp, method and path; keys; backends | [`auth`] ([`Credentials`], [`Signer`], [`PrivateKey`]) |
//! | building requests and reading answers | [`Client`] (`request`, `response`), [`operation`] (the [`Operation`] trait, path and query writers) |
//! | where requests go | [`environment`] ([`Environment`], [`BaseUrl`]), [`config`] (the `KALSHI_*` variables) |
//! | response mapping: status and body to a typed result or [`Error`] | [`response`] ([`ErrorResponse`], [`ApiError`], [`BoundedBody`]) |
//! | retries, and placing an order exactly once | [`retry`] ([`retry::RetryPolicy`]), [`orders::PlaceOrder`] |
//! | rate limits: Kalshi's token buckets, tiers, endpoint costs | [`rate_limit`] ([`rate_limit::RateLimiter`], [`rate_limit::RateLimiter::from_account_limits`], [`rate_limit::EndpointCosts`]); the transports' `configure_rate_limits_from_exchange()` reads the account's real limits and costs |
//! | the clock: the signed time, the exchange's clock offset | [`Timestamp`], [`clock_skew`] |
//! | pagination: every cursor list walks page by page | [`pagination`] ([`pagination::Pages`], [`pagination::Paginated`]) |
//! | the inventory of the API, and the drift check | [`spec`] ([`spec::OPERATIONS_JSON`]); the test module `spec_drift` checks every operation's parameters, fields and statuses against it (`cargo test -p kalshi-core spec_drift`) |
//!
//! ## The WebSocket API
//!
//! [`stream`]: the signed handshake and stream URLs ([`stream::handshake`]), typed commands and
//! every channel's messages ([`stream::command`], [`stream::message`]), a local order book in
//! exact fixed point ([`stream::LocalOrderbook`]), and the session state machine
//! ([`stream::Session`]: subscriptions kept across reconnects, sequence gaps resynced by itself,
//! liveness), all sans-IO like the REST side.
//!
//! ## Elsewhere in the workspace
//!
//! - Transports: `kalshi-transport-ureq` (`transport-ureq/`, blocking `BlockingClient`:
//!   `execute`, `place_order`, `iter_all`) and `kalshi-transport-hyper` (`transport-hyper/`,
//!   async `AsyncClient`: the same, with `stream_all`).
//! - The local exchange simulator: `kalshi-simulator` (`tests/`, library and binary), and the
//!   cross-crate tests against it (`tests/tests/`).
//! - Examples, on the simulator by default (all but `market_maker_order_group` also on Kalshi
//!   with credentials):
//!   `transport-ureq/examples/` (`order_group_lifecycle`, `market_maker_order_group`,
//!   `market_data`, `every_operation`: every trading operation in one workflow) and
//!   `transport-hyper/examples/` (`order_group_lifecycle_async`, `market_data_async`).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
pub mod api_keys;
pub mod auth;
mod client;
pub mod clock_skew;
pub mod communications;
pub mod config;
#[cfg(feature = "rust_decimal")]
pub mod decimal;
pub mod enums;
pub mod environment;
mod error;
pub mod events;
pub mod exchange;
pub mod exchange_index;
pub mod fcm;
pub mod fixed_point;
pub mod historical;
pub mod incentive_programs;
pub mod live_data;
pub mod market;
pub mod milestone;
pub mod multivariate;
pub mod operation;
pub mod order_groups;
pub mod orders;
pub mod pagination;
pub mod portfolio;
pub mod price;
#[cfg(test)]
mod proptests;
pub mod rate_limit;
pub mod response;
pub mod retry;
pub mod search;
mod serde_util;
pub mod spec;
#[cfg(test)]
mod spec_drift;
pub mod stream;
pub mod structured_targets;
mod time;
mod transport_trace;
mod validate;

pub use auth::{Credentials, PrivateKey, Signer};
pub use client::{Client, DEFAULT_USER_AGENT};
pub use environment::{BaseUrl, Environment};
pub use error::Error;
pub use exchange_index::ExchangeIndex;
pub use fixed_point::FixedPointCount;
/// The time crate of RFC 3339 instants in responses (`created_time`, `close_time`, ...): each is
/// a [`jiff::Timestamp`], exact to the nanosecond.
pub use jiff;
pub use operation::{Idempotency, Operation};
pub use price::FixedPointDollars;
pub use response::{ApiError, BoundedBody, EmptyResponse, ErrorResponse};
pub use time::Timestamp;
