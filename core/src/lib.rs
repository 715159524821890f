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
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
pub mod api_keys;
pub mod auth;
mod client;
pub mod clock_skew;
pub mod config;
#[cfg(feature = "rust_decimal")]
pub mod decimal;
pub mod enums;
pub mod environment;
mod error;
pub mod events;
pub mod exchange;
pub mod exchange_index;
pub mod fixed_point;
pub mod historical;
pub mod market;
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
mod serde_util;
pub mod spec;
#[cfg(test)]
mod spec_drift;
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
