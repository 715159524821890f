//! A local Kalshi Trade API v2 exchange simulator, for testing the client end to end without
//! the real exchange.
//!
//! The [`Simulator`] is a small exchange: binary markets with price-time-priority order books
//! ([`MarketConfig`]), V2 order writes and the order, balance, position and fill reads, order
//! groups that trigger on their 15-second rolling volume, several accounts (one per API key)
//! with subaccounts trading against each other, optional token-bucket rate limits
//! ([`RateLimits`]) and fault injection on demand ([`Faults`]). It serves plain HTTP/1.1 on
//! 127.0.0.1 (keep-alive on) and checks every request's RSA-PSS signature and timestamp as
//! strictly as the exchange does. Time comes from an injectable [`Clock`] so tests can move it
//! with a [`ManualClock`]; every answer's `Date` header and every write's `ts_ms` come from it.
//!
//! ```no_run
//! use kalshi_core::auth::Credentials;
//! use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};
//!
//! let sim = Simulator::start(SimulatorConfig::default())?;
//! let base_url = sim.base_url(); // "http://127.0.0.1:PORT/trade-api/v2"
//! let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
//! // ... point a client at `base_url` with `credentials` ...
//! # drop((base_url, credentials));
//! sim.shutdown();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same simulator runs standalone as the `kalshi-simulator` binary:
//! `kalshi-simulator [--key KEY_ID=PUBLIC_KEY_PEM_PATH]... [--port N] [--window-secs N]
//! [--market TICKER]... [--rate-limit TIER] [--starting-balance-cents N]` prints its base URL on
//! one line and serves until killed.
//!
//! For the transports' behaviour against peers that break HTTP rather than the exchange's rules
//! (endless bodies, lying `Content-Length`s, resets, header blocks that never end), the
//! [`hostile`] module has small raw-TCP servers driven byte by byte.

#![warn(missing_docs)]

pub mod hostile;
pub mod simulator;

pub use simulator::{
    BASE_PATH, BookSnapshot, Clock, DEFAULT_BODY_LIMIT, DEFAULT_EXCHANGE_SHARDS, DEFAULT_MARKET,
    DEFAULT_MARKETS, DEFAULT_STARTING_BALANCE_CENTS, DEFAULT_TIMESTAMP_WINDOW, ErrorShape, Fault,
    FaultRule, Faults, FillSnapshot, HookError, InjectedFault, ManualClock, MarketConfig,
    OrderGroupSnapshot, OrderSnapshot, PositionSnapshot, RandomFaults, RateLimitTier, RateLimits,
    Simulator, SimulatorConfig, SystemClock,
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
