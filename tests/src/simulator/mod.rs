//! The simulator: configuration, start and shutdown, and test hooks into its state.
//!
//! ```no_run
//! use kalshi_tests::{Simulator, SimulatorConfig};
//!
//! let sim = Simulator::start(SimulatorConfig::default())?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT/trade-api/v2
//! sim.shutdown(); // or just drop it
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Served under [`BASE_PATH`], every request authenticated (see [`SimulatorConfig`]):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `POST` | `/portfolio/order_groups/create` | 201 `{"order_group_id", "subaccount", "exchange_index"}` |
//! | `GET` | `/portfolio/order_groups?subaccount=N` | 200 `{"order_groups": [{"id", "contracts_limit_fp", "is_auto_cancel_enabled", "exchange_index"}]}` |
//! | `GET` | `/portfolio/order_groups/{id}?subaccount=N` | 200 `{"is_auto_cancel_enabled", "contracts_limit_fp", "orders", "exchange_index"}` |
//! | `DELETE` | `/portfolio/order_groups/{id}?subaccount=N&exchange_index=M` | 200 `{}` |
//! | `PUT` | `/portfolio/order_groups/{id}/reset` (same query) | 200 `{}` |
//! | `PUT` | `/portfolio/order_groups/{id}/trigger` (same query) | 200 `{}` |
//! | `PUT` | `/portfolio/order_groups/{id}/limit` (same query) | 200 `{}` |
//!
//! Errors use Kalshi's nested body `{"error": {"code", "message", "details", "service"}}` with
//! codes `invalid_parameters` (400), `unauthorized` (401), `not_found` (404),
//! `method_not_allowed` (405), `payload_too_large` (413) and `internal_error` (500).
//!
//! # Authentication
//!
//! Every request, including one to an unknown route, must carry `KALSHI-ACCESS-KEY` (a key
//! registered in the [`SimulatorConfig`]), `KALSHI-ACCESS-TIMESTAMP` (decimal milliseconds within
//! the configured window of the exchange time; values below 10^11 are refused as seconds) and
//! `KALSHI-ACCESS-SIGNATURE` (base64 RSA-PSS, SHA-256, salt 32, over `timestamp + METHOD + path`
//! with the path exactly as sent, percent-encoding intact, without the query). Each header must
//! appear once. Failures are 401 with `error.details` naming the failed check.
//!
//! # Order-group semantics (the simulator's reading of the spec)
//!
//! - Limits are 1 to 1,000,000 contracts, kept as integer hundredths; `contracts_limit` and
//!   `contracts_limit_fp` (0 to 2 decimals) may both be given only if equal. Responses always
//!   show two decimals (`"10.00"`).
//! - `is_auto_cancel_enabled` is `true` while a group is active and `false` while it is
//!   triggered. The spec only says "whether auto-cancel is enabled"; this mapping is the
//!   simulator's interpretation.
//! - A group triggers when its 15-second rolling volume exceeds its limit (fills come from
//!   [`Simulator::record_fill`] until orders exist), when its limit is updated below the rolling
//!   volume, or on `PUT .../trigger`. `PUT .../reset` clears the trigger and the volume.
//! - Groups belong to one account (API key), one subaccount and one exchange shard. Delete,
//!   reset, trigger and limit look the group up in the query's `subaccount` (default 0) and
//!   `exchange_index` (default 0) and answer 404 elsewhere ("order groups do not function
//!   across exchange instances"). The two `GET`s search every subaccount when `subaccount` is
//!   omitted, and every shard.
//! - Unknown body fields and query parameters are ignored and `null` counts as absent; a query
//!   parameter given twice, a field of the wrong type, or a float where an integer is expected
//!   (`10.0`, `1e3`) is a 400.

mod auth;
mod clock;
mod errors;
mod fixed_point;
mod http;
mod order_groups;
mod request;
mod router;
mod state;

#[cfg(test)]
mod test_client;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use kalshi_core::auth::VerifyingKey;
use tokio::sync::oneshot;

pub use clock::{Clock, ManualClock, SystemClock};
pub use order_groups::OrderGroupSnapshot;

use self::http::Shared;
use auth::Authenticator;
use router::Router;
use state::Exchange;

/// The path prefix every endpoint lives under, as on the real exchange.
pub const BASE_PATH: &str = "/trade-api/v2";
/// How far a request timestamp may be from the exchange time by default: ±30 s.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(30);
/// The largest request body accepted by default (1 MiB); larger ones get a 413.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// How many exchange shards the simulator runs by default (`exchange_index` 0 to 3).
pub const DEFAULT_EXCHANGE_SHARDS: u32 = 4;

/// How to run a [`Simulator`].
///
/// [`SimulatorConfig::default()`] registers the demo key ([`DEMO_KEY_ID`](crate::DEMO_KEY_ID)),
/// accepts timestamps within ±30 s of the system clock, listens on a free port of 127.0.0.1,
/// caps bodies at 1 MiB and runs 4 exchange shards. [`SimulatorConfig::empty()`] is the same
/// without any key.
#[derive(Clone)]
pub struct SimulatorConfig {
    keys: HashMap<String, VerifyingKey>,
    timestamp_window: Duration,
    clock: Arc<dyn Clock>,
    clock_skew_ms: i64,
    port: u16,
    body_limit: usize,
    exchange_shards: u32,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self::empty().with_key(crate::DEMO_KEY_ID, crate::demo_verifying_key())
    }
}

impl SimulatorConfig {
    /// A configuration with no registered key (every request gets a 401 until keys are added).
    pub fn empty() -> Self {
        SimulatorConfig {
            keys: HashMap::new(),
            timestamp_window: DEFAULT_TIMESTAMP_WINDOW,
            clock: Arc::new(SystemClock),
            clock_skew_ms: 0,
            port: 0,
            body_limit: DEFAULT_BODY_LIMIT,
            exchange_shards: DEFAULT_EXCHANGE_SHARDS,
        }
    }

    /// Registers (or replaces) an API key: requests signed by `key_id` are verified with `key`.
    /// Each key id is its own account with its own subaccounts and order groups.
    pub fn with_key(mut self, key_id: impl Into<String>, key: VerifyingKey) -> Self {
        self.keys.insert(key_id.into(), key);
        self
    }

    /// Registers an API key from a PEM public key (SPKI `BEGIN PUBLIC KEY` or PKCS#1
    /// `BEGIN RSA PUBLIC KEY`).
    pub fn with_key_pem(
        self,
        key_id: impl Into<String>,
        public_key_pem: &str,
    ) -> Result<Self, kalshi_core::Error> {
        Ok(self.with_key(key_id, VerifyingKey::from_pem(public_key_pem)?))
    }

    /// Sets how far (either way) a request timestamp may be from the exchange time.
    pub fn with_timestamp_window(mut self, window: Duration) -> Self {
        self.timestamp_window = window;
        self
    }

    /// Sets the clock (the default is [`SystemClock`]). Pass a clone of a [`ManualClock`] to
    /// control time from the test.
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Sets a fixed offset added to the clock: the exchange time is `clock + skew_ms`.
    /// A positive skew puts the exchange ahead of the clock. It can be changed while running
    /// with [`Simulator::set_clock_skew_ms`].
    pub fn with_clock_skew_ms(mut self, skew_ms: i64) -> Self {
        self.clock_skew_ms = skew_ms;
        self
    }

    /// Sets the port on 127.0.0.1 to listen on (0, the default, picks a free one).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the largest request body accepted (larger ones get a 413).
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets how many exchange shards exist: valid `exchange_index` values are `0..shards`.
    pub fn with_exchange_shards(mut self, shards: u32) -> Self {
        self.exchange_shards = shards;
        self
    }

    /// The registered key ids, in no particular order.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// The accepted timestamp window.
    pub fn timestamp_window(&self) -> Duration {
        self.timestamp_window
    }
}

impl fmt::Debug for SimulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&str> = self.key_ids().collect();
        keys.sort_unstable();
        f.debug_struct("SimulatorConfig")
            .field("keys", &keys)
            .field("timestamp_window", &self.timestamp_window)
            .field("clock_skew_ms", &self.clock_skew_ms)
            .field("port", &self.port)
            .field("body_limit", &self.body_limit)
            .field("exchange_shards", &self.exchange_shards)
            .finish_non_exhaustive()
    }
}

/// A test hook was misused (unknown group, bad subaccount, malformed count, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookError(String);

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HookError {}

/// A running simulator, serving on 127.0.0.1 from its own thread (a single-threaded tokio
/// runtime).
///
/// Dropping it, or calling [`shutdown`](Simulator::shutdown), stops the server and closes
/// every connection.
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown_tx: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds 127.0.0.1 on the configured port (a free one by default) and starts serving in
    /// the background. Fails only if the socket or the runtime cannot be set up.
    pub fn start(config: SimulatorConfig) -> io::Result<Simulator> {
        let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let window_ms = u64::try_from(config.timestamp_window.as_millis()).unwrap_or(u64::MAX);
        let shared = Arc::new(Shared {
            auth: Authenticator::new(config.keys, window_ms),
            clock: config.clock,
            skew_ms: AtomicI64::new(config.clock_skew_ms),
            body_limit: config.body_limit,
            router: Router::exchange(),
            exchange: Mutex::new(Exchange::new(config.exchange_shards)),
        });
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("kalshi-simulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => http::serve(listener, serving, shutdown_rx).await,
                        Err(e) => eprintln!("kalshi-simulator: cannot listen: {e}"),
                    }
                });
                // Dropping the runtime here cancels every connection task.
            })?;
        Ok(Simulator {
            addr,
            shared,
            shutdown_tx: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// The address the simulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to point a client at: `http://127.0.0.1:PORT/trade-api/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.addr)
    }

    /// The exchange time in milliseconds: the configured clock plus the skew. Sign requests
    /// with a timestamp near this one.
    pub fn now_ms(&self) -> u64 {
        self.shared.now_ms()
    }

    /// The current skew of the exchange clock, in milliseconds.
    pub fn clock_skew_ms(&self) -> i64 {
        self.shared.skew_ms.load(Ordering::SeqCst)
    }

    /// Changes the skew of the exchange clock (the exchange time becomes `clock + skew_ms`),
    /// for example to simulate an exchange clock that drifts away from the client's.
    pub fn set_clock_skew_ms(&self, skew_ms: i64) {
        self.shared.skew_ms.store(skew_ms, Ordering::SeqCst);
    }

    /// Every order group of the account `key_id`, in creation order (empty for an unknown key).
    pub fn order_groups(&self, key_id: &str) -> Vec<OrderGroupSnapshot> {
        let now = self.now_ms();
        order_groups::snapshots(&self.shared.exchange(), key_id, now)
    }

    /// Creates an order group directly, with an id of the test's choosing (any characters,
    /// e.g. `"a/b c?%"`, to exercise percent-encoding), on exchange shard 0.
    ///
    /// `contracts_limit_fp` is a fixed-point count such as `"10"` or `"2.50"` (1 to 1,000,000).
    pub fn insert_order_group(
        &self,
        key_id: &str,
        subaccount: u8,
        order_group_id: &str,
        contracts_limit_fp: &str,
    ) -> Result<(), HookError> {
        order_groups::insert(
            &mut self.shared.exchange(),
            key_id,
            subaccount,
            order_group_id,
            contracts_limit_fp,
        )
        .map_err(HookError)
    }

    /// Records a fill of `contracts_fp` contracts (e.g. `"3"`, `"0.50"`) in an order group at
    /// the current exchange time, as matching will once orders exist. The group triggers when
    /// its 15-second rolling volume exceeds its limit. Returns whether the group is triggered
    /// afterwards.
    pub fn record_fill(
        &self,
        key_id: &str,
        subaccount: u8,
        order_group_id: &str,
        contracts_fp: &str,
    ) -> Result<bool, HookError> {
        let now = self.now_ms();
        order_groups::record_fill(
            &mut self.shared.exchange(),
            key_id,
            subaccount,
            order_group_id,
            contracts_fp,
            now,
        )
        .map_err(HookError)
    }

    /// Stops serving, closes every connection and waits for the server thread to end.
    pub fn shutdown(self) {
        drop(self);
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown_tx.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}
