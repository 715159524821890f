//! The simulator: configuration, start and shutdown, and test hooks into its state.
//!
//! ```no_run
//! use kalshi_simulator::{Simulator, SimulatorConfig};
//!
//! let sim = Simulator::start(SimulatorConfig::default())?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT/trade-api/v2
//! sim.shutdown(); // or just drop it
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Served under [`BASE_PATH`], every request authenticated (see [`SimulatorConfig`]). Every
//! answer carries a `Date` header from the exchange clock (skew included).
//!
//! The same pipeline also runs without a socket: [`Simulator::handle`] answers an
//! `http::Request<Vec<u8>>` in process, on a started simulator or on one built with
//! [`Simulator::in_process`] (no socket, no thread: cheap enough for one per fuzz input).
//!
//! Orders and portfolio (see "Exchange semantics" below):
//!
//! | method | path | answer |
//! |---|---|---|
//! | `POST` | `/portfolio/events/orders` | 201 `{order_id, client_order_id?, fill_count, remaining_count, average_fill_price?, average_fee_paid?, ts_ms}` |
//! | `DELETE` | `/portfolio/events/orders/{id}?subaccount&exchange_index&market_ticker` | 200 `{order_id, client_order_id?, reduced_by, ts_ms}` |
//! | `POST` | `/portfolio/events/orders/{id}/amend?subaccount` | 200 `{order_id, client_order_id?, remaining_count, fill_count, average_fill_price?, average_fee_paid?, ts_ms}` |
//! | `POST` | `/portfolio/events/orders/{id}/decrease?subaccount` | 200 `{order_id, client_order_id?, remaining_count, ts_ms}` |
//! | `POST` | `/portfolio/events/orders/batched` | 201 `{orders: [create answer, or {client_order_id, error}]}` |
//! | `DELETE` | `/portfolio/events/orders/batched` | 200 `{orders: [{order_id, client_order_id, reduced_by, ts_ms}, or {order_id, reduced_by: "0.00", error}]}` |
//! | `GET` | `/portfolio/orders?ticker&event_ticker&status&min_ts&max_ts&subaccount&exchange_index&limit&cursor` | 200 `{orders: [Order], cursor}` (newest first, `cursor` `""` on the last page) |
//! | `GET` | `/portfolio/orders/{id}` | 200 `{order: Order}` |
//! | `GET` | `/portfolio/orders/{id}/queue_position` | 200 `{queue_position_fp}` |
//! | `GET` | `/portfolio/orders/queue_positions?market_tickers&event_ticker&subaccount` | 200 `{queue_positions: [{order_id, market_ticker, queue_position_fp}]}` |
//! | `GET` | `/portfolio/balance?subaccount&exchange_index` | 200 `{balance, balance_dollars, portfolio_value, updated_ts, balance_breakdown}` |
//! | `GET` | `/portfolio/positions?ticker&event_ticker&count_filter&subaccount&exchange_index&limit&cursor` | 200 `{market_positions, event_positions, cursor}` |
//! | `GET` | `/portfolio/fills?ticker&order_id&min_ts&max_ts&subaccount&exchange_index&limit&cursor` | 200 `{fills: [Fill], cursor}` (newest first) |
//! | `POST`, `DELETE` | `/portfolio/orders`, `/portfolio/orders/batched`, `/portfolio/orders/{id}`, `.../{id}/amend`, `.../{id}/decrease` | 400 `deprecated_v1_order_endpoint` |
//!
//! Order error codes: `invalid_parameters` (400, malformed or out-of-range input, off-tick
//! price, wrong shard), `insufficient_balance` (400), `post_only_cross` (400),
//! `order_group_triggered` (400), `order_not_resting` (400, amend or queue position of an
//! order that is no longer working), `reduce_only_would_increase_position` (400),
//! `market_not_found` (404), `not_found` (404, unknown order or order group),
//! `duplicate_client_order_id` (409, nothing created). Rate limiting answers 429
//! `{"error": "too many requests"}` (see [`RateLimits`]).
//!
//! Order groups:
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
//! Errors answer the documented `ErrorResponse` body `{"code", "message", "details", "service"}`
//! with codes `invalid_parameters` (400), `unauthorized` (401), `not_found` (404),
//! `method_not_allowed` (405), `payload_too_large` (413) and `internal_error` (500);
//! [`SimulatorConfig::with_error_shape`] switches to the nested `{"error": {...}}` or the bare
//! `{"error": "message"}` shape ([`ErrorShape`]).
//!
//! # Authentication
//!
//! Every request, including one to an unknown route, must carry `KALSHI-ACCESS-KEY` (a key
//! registered in the [`SimulatorConfig`]), `KALSHI-ACCESS-TIMESTAMP` (decimal milliseconds within
//! the configured window of the exchange time; values below 10^11 are refused as seconds) and
//! `KALSHI-ACCESS-SIGNATURE` (base64 RSA-PSS, SHA-256, salt 32, over `timestamp + METHOD + path`
//! with the path exactly as sent, percent-encoding intact, without the query). Each header must
//! appear once. Failures are 401 with `details` naming the failed check.
//!
//! # Exchange semantics (the simulator's reading of the spec)
//!
//! - Markets: [`DEFAULT_MARKETS`] unless configured ([`SimulatorConfig::with_market`]); each
//!   has a price tick (off-tick prices are a 400), a shard, and optionally whole contracts
//!   only. Unknown tickers are 404 `market_not_found`.
//! - One price-time-priority book per market in the V2 single-book shape: `bid` buys YES at
//!   `price`, `ask` sells YES at `price` (buys NO at `1 - price`). Prices are integer
//!   ten-thousandths of a dollar, counts integer hundredths, money integer micro-dollars;
//!   nothing is a float. A taker crosses resting makers at the **maker's** price, best price
//!   first, oldest first within a price. The create answer's `average_fill_price` is the
//!   volume-weighted YES price, rounded to the nearest micro-dollar.
//! - `good_till_canceled` rests the remainder (until `expiration_time`, Unix seconds, if
//!   given); `immediate_or_cancel` cancels it; `fill_or_kill` fills completely or is
//!   canceled with nothing filled. All three answer 201 and create an order (a killed order
//!   is `canceled`). `post_only` that would cross is refused (400 `post_only_cross`, no order).
//!   `reduce_only` caps the count at the opposite position (400 if there is none).
//! - Self-trade prevention between orders of the same API key (any subaccounts, unless
//!   [`SimulatorConfig::with_self_trade_prevention_per_subaccount`]): `taker_at_cross` stops
//!   and cancels the taker's remainder (earlier fills stand), `maker` cancels the resting
//!   maker and keeps matching.
//! - Money: every subaccount of every key starts with the configured balance (default
//!   $10,000). An order reserves its full cost at its limit price (`p` per contract for a bid,
//!   `1 - p` for an ask) or is refused with 400 `insufficient_balance`; fills charge the
//!   maker's price; cancels release the rest. `balance` is the available cash in cents
//!   (rounded down), `balance_dollars` the same exactly; balances are not split by shard.
//!   Fees are zero. A subaccount holding YES and NO of one market settles the pairs at $1
//!   each at once (`position_fp` is YES minus NO; realized P&L moves accordingly).
//! - `client_order_id` is unique per API key over every order ever created (any status,
//!   any subaccount, including ids replaced by an amend's `updated_client_order_id`): a
//!   duplicate is 409 `duplicate_client_order_id` and creates nothing. Omitted or empty means
//!   none.
//! - Cancel and decrease of an order that is no longer working succeed with nothing to do
//!   (`reduced_by`/`remaining_count` `"0.00"`); amend of one is 400 `order_not_resting`. An
//!   amend's `count` is the new total (filled + resting); a new price or a larger size loses
//!   time priority (and may trade at once), a smaller size keeps it. Write lookups use the
//!   query's `subaccount` (default 0); reads search every subaccount of the key.
//! - Lists are newest first (positions: by ticker); the cursor is opaque, `""` on the last
//!   page; `limit` is 1 to 1000 (default 100). Queue positions count the contracts ahead at
//!   the order's own price level.
//! - Rate limits (off by default, [`SimulatorConfig::with_rate_limits`]): per account, Read
//!   bucket for `GET`, Write bucket for the rest, 10 tokens a request, 10 per order for a batch
//!   create and 2 per order for a batch cancel, 30 for the usage-level upgrade (others with
//!   [`SimulatorConfig::with_endpoint_cost`]), continuous refill on the exchange clock; a
//!   request the bucket cannot cover changes nothing and gets 429
//!   `{"error": "too many requests"}`. `GET /account/limits` and `GET /account/endpoint_costs`
//!   answer exactly these budgets and costs.
//! - API keys: keys created or generated through the API belong to the account of the key that
//!   made them and sign for it; a deleted key's next request is a 401 (see the `api_keys`
//!   module).
//! - Faults on demand: [`Simulator::faults`].
//!
//! # Order-group semantics (the simulator's reading of the spec)
//!
//! - Limits are 1 to 1,000,000 contracts, kept as integer hundredths; `contracts_limit` and
//!   `contracts_limit_fp` (0 to 2 decimals) may both be given only if equal. Responses always
//!   show two decimals (`"10.00"`).
//! - `is_auto_cancel_enabled` is `true` while a group is active and `false` while it is
//!   triggered. The spec only says "whether auto-cancel is enabled"; this mapping is the
//!   simulator's interpretation.
//! - A group triggers when its 15-second rolling volume (fills of its orders, maker or taker,
//!   plus [`Simulator::record_fill`]) exceeds its limit, when its limit is updated below the
//!   rolling volume, or on `PUT .../trigger`; triggering cancels the group's working orders,
//!   and new orders in it get 400 `order_group_triggered` until `PUT .../reset` clears the
//!   trigger and the volume. Deleting a group cancels its working orders.
//! - Groups belong to one account (API key), one subaccount and one exchange shard. Delete,
//!   reset, trigger and limit look the group up in the query's `subaccount` (default 0) and
//!   `exchange_index` (default 0) and answer 404 elsewhere ("order groups do not function
//!   across exchange instances"). The two `GET`s search every subaccount when `subaccount` is
//!   omitted, and every shard.
//! - Unknown body fields and query parameters are ignored and `null` counts as absent; a query
//!   parameter given twice, a field of the wrong type, or a float where an integer is expected
//!   (`10.0`, `1e3`) is a 400.

mod account;
mod api_keys;
mod auth;
mod body;
mod clock;
mod engine;
mod errors;
mod faults;
mod fixed_point;
mod http;
mod markets;
mod order_groups;
mod orders;
mod portfolio;
mod rate_limit;
mod request;
mod router;
mod snapshots;
mod state;

#[cfg(test)]
mod account_tests;
#[cfg(test)]
mod exchange_tests;
#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod in_process_tests;
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
pub use errors::ErrorShape;
pub use faults::{Fault, FaultRule, Faults, InjectedFault, RandomFaults};
pub use markets::{DEFAULT_MARKET, DEFAULT_MARKETS, MarketConfig};
pub use order_groups::OrderGroupSnapshot;
pub use rate_limit::{RateLimitTier, RateLimits};
pub use snapshots::{BookSnapshot, FillSnapshot, OrderSnapshot, PositionSnapshot};

use self::http::Shared;
use api_keys::KeyRegistry;
use auth::Authenticator;
use fixed_point::cents;
use rate_limit::{Buckets, CostTable};
use router::Router;
use state::{Exchange, SubaccountId};

/// The path prefix every endpoint lives under, as on the real exchange.
pub const BASE_PATH: &str = "/trade-api/v2";
/// How far a request timestamp may be from the exchange time by default: ±30 s.
pub const DEFAULT_TIMESTAMP_WINDOW: Duration = Duration::from_secs(30);
/// The largest request body accepted by default (1 MiB); larger ones get a 413.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// How many exchange shards the simulator runs by default (`exchange_index` 0 to 3).
pub const DEFAULT_EXCHANGE_SHARDS: u32 = 4;
/// The cash every subaccount starts with by default: $10,000, in cents.
pub const DEFAULT_STARTING_BALANCE_CENTS: u64 = 1_000_000;

/// How to run a [`Simulator`].
///
/// [`SimulatorConfig::default()`] registers the demo key ([`DEMO_KEY_ID`](crate::DEMO_KEY_ID)),
/// accepts timestamps within ±30 s of the system clock, listens on a free port of 127.0.0.1,
/// caps bodies at 1 MiB, runs 4 exchange shards, lists the [`DEFAULT_MARKETS`], starts every
/// subaccount with $10,000, does not rate-limit, injects no faults and answers errors in the
/// documented flat shape ([`ErrorShape::Flat`]).
/// [`SimulatorConfig::empty()`] is the same without any key.
///
/// ```
/// use kalshi_simulator::{MarketConfig, RateLimitTier, SimulatorConfig};
/// let config = SimulatorConfig::default()
///     .with_market("KXRAIN-26JUN01-T2")
///     .with_market(MarketConfig::new("KXSNOW-26JAN01-T5").tick_size(1))
///     .with_starting_balance_cents(50_000)
///     .with_rate_limits(RateLimitTier::Basic);
/// assert_eq!(config.markets().count(), 5);
/// ```
#[derive(Clone)]
pub struct SimulatorConfig {
    keys: HashMap<String, VerifyingKey>,
    timestamp_window: Duration,
    clock: Arc<dyn Clock>,
    clock_skew_ms: i64,
    port: u16,
    body_limit: usize,
    exchange_shards: u32,
    markets: Vec<MarketConfig>,
    starting_balance_cents: u64,
    rate_limits: Option<RateLimits>,
    costs: CostTable,
    random_faults: Option<RandomFaults>,
    stp_per_subaccount: bool,
    error_shape: ErrorShape,
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
            markets: markets::default_markets(),
            starting_balance_cents: DEFAULT_STARTING_BALANCE_CENTS,
            rate_limits: None,
            costs: CostTable::default(),
            random_faults: None,
            stp_per_subaccount: false,
            error_shape: ErrorShape::Flat,
        }
    }

    /// Applies self-trade prevention only between orders of the same subaccount, so the
    /// subaccounts of one API key can trade with each other. By default it applies across the
    /// whole account ("the same user").
    pub fn with_self_trade_prevention_per_subaccount(mut self) -> Self {
        self.stp_per_subaccount = true;
        self
    }

    /// Lists a market (a ticker, or a [`MarketConfig`]); one with the same ticker is replaced.
    pub fn with_market(mut self, market: impl Into<MarketConfig>) -> Self {
        let market = market.into();
        self.markets.retain(|m| m.ticker != market.ticker);
        self.markets.push(market);
        self
    }

    /// Removes every market, the default ones included (add some back with
    /// [`with_market`](Self::with_market)).
    pub fn without_markets(mut self) -> Self {
        self.markets.clear();
        self
    }

    /// Sets the cash every subaccount of every account starts with, in cents.
    pub fn with_starting_balance_cents(mut self, cents: u64) -> Self {
        self.starting_balance_cents = cents;
        self
    }

    /// Turns token-bucket rate limiting on: a tier ([`RateLimitTier`]) or custom
    /// [`RateLimits`]. Buckets are per account (a configured key and the keys it created
    /// through the API share them) and refill on the simulator clock.
    pub fn with_rate_limits(mut self, limits: impl Into<RateLimits>) -> Self {
        self.rate_limits = Some(limits.into());
        self
    }

    /// Charges `cost` tokens (instead of the default 10) for `method path`, a path template
    /// relative to the base path (`/portfolio/events/orders/{order_id}`; the `/trade-api/v2`
    /// prefix may be included); `GET /account/endpoint_costs` lists it. A cost of 10 puts the
    /// endpoint back to the default. For the batch endpoint the cost is per order.
    pub fn with_endpoint_cost(mut self, method: ::http::Method, path: &str, cost: u64) -> Self {
        self.costs.set(method, path, cost);
        self
    }

    /// Turns the random fault mode on from the start (see [`Faults::set_random`]).
    pub fn with_random_faults(mut self, random: RandomFaults) -> Self {
        self.random_faults = Some(random);
        self
    }

    /// Sets the JSON shape of error answers: the documented flat `ErrorResponse` (the
    /// default), or the nested or bare shapes a client must also read (see [`ErrorShape`]).
    pub fn with_error_shape(mut self, shape: ErrorShape) -> Self {
        self.error_shape = shape;
        self
    }

    /// The JSON shape of error answers.
    pub fn error_shape(&self) -> ErrorShape {
        self.error_shape
    }

    /// The listed markets.
    pub fn markets(&self) -> impl Iterator<Item = &MarketConfig> {
        self.markets.iter()
    }

    /// Registers (or replaces) an API key: requests signed by `key_id` are verified with `key`.
    /// Each key id is its own account with its own subaccounts and order groups; keys it
    /// creates or generates through `POST /api_keys` and `POST /api_keys/generate` join that
    /// account.
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
            .field("markets", &self.markets)
            .field("starting_balance_cents", &self.starting_balance_cents)
            .field("rate_limits", &self.rate_limits)
            .field("costs", &self.costs)
            .field("random_faults", &self.random_faults)
            .field("stp_per_subaccount", &self.stp_per_subaccount)
            .field("error_shape", &self.error_shape)
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
/// runtime), or an in-process one ([`Simulator::in_process`]) that only answers
/// [`Simulator::handle`].
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
    /// the background. Fails if the socket or the runtime cannot be set up, or (with
    /// `InvalidInput`) if a market is on a shard that does not exist.
    pub fn start(config: SimulatorConfig) -> io::Result<Simulator> {
        let port = config.port;
        let shared = Arc::new(Self::build(config)?);
        let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
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

    /// A simulator that does not listen: no socket is bound, no thread or runtime is started,
    /// and the configured port is ignored. Requests go through [`handle`](Self::handle); the
    /// test hooks and snapshots ([`orders`](Self::orders), [`faults`](Self::faults),
    /// [`set_rate_limits`](Self::set_rate_limits), [`now_ms`](Self::now_ms), ...) work as on a
    /// started one. [`addr`](Self::addr) is `127.0.0.1:0` and [`base_url`](Self::base_url)
    /// names it: nothing serves there. [`shutdown`](Self::shutdown) and drop have nothing to
    /// stop.
    ///
    /// Cheap enough to build one per test case (or per fuzz input). Fails (with
    /// `InvalidInput`) only if a market is on a shard that does not exist.
    ///
    /// ```
    /// use kalshi_simulator::{Simulator, SimulatorConfig};
    /// let sim = Simulator::in_process(SimulatorConfig::default())?;
    /// assert_eq!(sim.addr().port(), 0);
    /// assert!(sim.orders("demo-key").is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn in_process(config: SimulatorConfig) -> io::Result<Simulator> {
        Ok(Simulator {
            addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
            shared: Arc::new(Self::build(config)?),
            shutdown_tx: None,
            thread: None,
        })
    }

    /// The state every request is served from, built from a checked configuration.
    fn build(config: SimulatorConfig) -> io::Result<Shared> {
        if let Some(m) = config
            .markets
            .iter()
            .find(|m| m.exchange_index >= config.exchange_shards)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "market `{}` is on exchange index {}, but the simulator runs {} shard(s)",
                    m.ticker, m.exchange_index, config.exchange_shards
                ),
            ));
        }
        let mut exchange = Exchange::new(config.exchange_shards);
        exchange.starting_cash = i64::try_from(config.starting_balance_cents)
            .unwrap_or(i64::MAX)
            .saturating_mul(10_000);
        for m in config.markets {
            exchange.add_market(m);
        }
        exchange.stp_per_subaccount = config.stp_per_subaccount;
        exchange.keys = KeyRegistry::configured(config.keys);
        let faults = Faults::default();
        faults.set_random(config.random_faults);
        let window_ms = u64::try_from(config.timestamp_window.as_millis()).unwrap_or(u64::MAX);
        Ok(Shared {
            auth: Authenticator::new(window_ms),
            clock: config.clock,
            skew_ms: AtomicI64::new(config.clock_skew_ms),
            body_limit: config.body_limit,
            router: Router::exchange(),
            exchange: Mutex::new(exchange),
            faults,
            buckets: Mutex::new(config.rate_limits.map(Buckets::new)),
            costs: Arc::new(config.costs),
            error_shape: config.error_shape,
        })
    }

    /// Answers one request in process, without a socket: exactly what the simulator answers
    /// the same request arriving over HTTP/1.1 (status, headers, body; minus what hyper adds
    /// on the wire, such as `Content-Length`), through the same pipeline: the body limit (413
    /// above [`SimulatorConfig::with_body_limit`]), fault injection, authentication, rate
    /// limiting, routing, the handler, and the `Date` header from the exchange clock. Works on
    /// a started simulator (interleaved with socket requests, on the same state) and on an
    /// [`in_process`](Self::in_process) one.
    ///
    /// The request's URI is read like a request line's target: its path (under
    /// [`BASE_PATH`], percent-encoding intact, what the signature covers) and query; a scheme
    /// and authority, if any, are ignored. The HTTP version and framing headers
    /// (`Content-Length`, `Transfer-Encoding`) play no part: the body is the `Vec` as given.
    ///
    /// Of the injected faults only those that answer in place of the exchange apply here
    /// ([`Fault::ServerError`], [`Fault::TooManyRequests`], [`Fault::ProxyBadGateway`]); drops,
    /// delays and truncated bodies only apply over the socket: a queued rule with one of them
    /// does not match requests sent through `handle` (it stays queued), and a random roll that
    /// lands on one injects nothing (see [`Fault::needs_connection`]).
    ///
    /// ```
    /// use kalshi_core::auth::{Credentials, HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE,
    ///     HEADER_ACCESS_TIMESTAMP};
    /// use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, ManualClock, Simulator,
    ///     SimulatorConfig};
    ///
    /// let clock = ManualClock::new(1_795_578_928_000);
    /// let sim = Simulator::in_process(SimulatorConfig::default().with_clock(clock))?;
    /// let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
    /// let path = "/trade-api/v2/portfolio/balance";
    /// let ts = sim.now_ms();
    /// let request = http::Request::get(format!("{path}?subaccount=0"))
    ///     .header(HEADER_ACCESS_KEY, DEMO_KEY_ID)
    ///     .header(HEADER_ACCESS_TIMESTAMP, ts.to_string())
    ///     .header(HEADER_ACCESS_SIGNATURE, creds.sign(ts, "GET", path)?)
    ///     .body(Vec::new())?;
    ///
    /// let response = sim.handle(request);
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.headers()["date"], "Wed, 25 Nov 2026 03:55:28 GMT");
    /// let body: serde_json::Value = serde_json::from_slice(response.body())?;
    /// assert_eq!(body["balance"], 1_000_000);
    ///
    /// // Unsigned: 401, as over the socket.
    /// let unsigned = http::Request::get(path).body(Vec::new())?;
    /// assert_eq!(sim.handle(unsigned).status(), 401);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn handle(&self, request: ::http::Request<Vec<u8>>) -> ::http::Response<Vec<u8>> {
        let (parts, body) = request.into_parts();
        let request = ::http::Request::from_parts(parts, bytes::Bytes::from(body));
        let (head, mut body) = http::handle_in_process(&self.shared, request).into_parts();
        ::http::Response::from_parts(head, Vec::from(body.take_bytes()))
    }

    /// The address the simulator listens on (`127.0.0.1:0` for an
    /// [`in_process`](Self::in_process) one, which does not listen).
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

    /// Adds `contracts_fp` contracts (e.g. `"3"`, `"0.50"`) to an order group's rolling volume
    /// at the current exchange time, as a fill of one of its orders does, without a trade. The
    /// group triggers (cancelling its working orders) when its 15-second rolling volume
    /// exceeds its limit. Returns whether the group is triggered afterwards.
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

    /// The account an API key signs for: a configured key's own id, or for a key created or
    /// generated through the API, the account of the key that made it; `None` for a key that
    /// is not (or no longer) registered. The snapshots ([`orders`](Self::orders),
    /// [`balance_cents`](Self::balance_cents), ...) take this account id.
    pub fn account_of_key(&self, key_id: &str) -> Option<String> {
        self.shared
            .exchange()
            .keys
            .account_of(key_id)
            .map(str::to_owned)
    }

    /// The fault-injection controls.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Turns rate limiting on with fresh (full) buckets, or off with `None`.
    pub fn set_rate_limits(&self, limits: Option<RateLimits>) {
        *self.shared.buckets() = limits.map(Buckets::new);
    }

    /// Whole tokens left in `key_id`'s (Read, Write) buckets, or `None` when rate limiting
    /// is off.
    pub fn rate_limit_tokens(&self, key_id: &str) -> Option<(u64, u64)> {
        let now = self.now_ms();
        self.shared
            .buckets()
            .as_ref()
            .map(|b| b.tokens(key_id, now))
    }

    /// The exchange state as of now: orders whose expiration passed are canceled first.
    fn exchange_now(&self) -> std::sync::MutexGuard<'_, Exchange> {
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        ex.expire_orders(now);
        ex
    }

    /// Every order of the account `key_id`, in creation order (empty for an unknown key).
    pub fn orders(&self, key_id: &str) -> Vec<OrderSnapshot> {
        let ex = self.exchange_now();
        let mut orders: Vec<_> = ex.orders.values().filter(|o| o.account == key_id).collect();
        orders.sort_by_key(|o| o.seq);
        orders.into_iter().map(OrderSnapshot::of).collect()
    }

    /// How many orders of the account `key_id` carry `client_order_id` (for "every intended
    /// order exists exactly once").
    pub fn orders_with_client_order_id(&self, key_id: &str, client_order_id: &str) -> usize {
        self.exchange_now()
            .orders
            .values()
            .filter(|o| o.account == key_id)
            .filter(|o| o.client_order_id.as_deref() == Some(client_order_id))
            .count()
    }

    /// Every fill of the account `key_id`, oldest first.
    pub fn fills(&self, key_id: &str) -> Vec<FillSnapshot> {
        self.exchange_now()
            .fills
            .iter()
            .filter(|f| f.account == key_id)
            .map(FillSnapshot::of)
            .collect()
    }

    /// Every position of the account `key_id` (markets it traded), by subaccount then ticker.
    pub fn positions(&self, key_id: &str) -> Vec<PositionSnapshot> {
        let ex = self.exchange_now();
        ex.account(key_id)
            .into_iter()
            .flat_map(|a| a.subaccounts())
            .flat_map(|(sid, s)| {
                s.positions
                    .iter()
                    .map(move |(t, p)| PositionSnapshot::of(sid.get(), t, p))
            })
            .collect()
    }

    /// The available balance (cash minus what resting orders hold) of a subaccount, in cents,
    /// rounded down. A subaccount that never traded has the starting balance.
    pub fn balance_cents(&self, key_id: &str, subaccount: u8) -> i64 {
        let ex = self.exchange_now();
        let micros = match (ex.account(key_id), SubaccountId::new(subaccount)) {
            (Some(a), Some(sid)) => a
                .find_subaccount(sid)
                .map_or(a.starting_cash(), |s| s.available()),
            _ => ex.starting_cash,
        };
        cents(micros)
    }

    /// Sets a subaccount's cash to `cents` (what resting orders hold stays held).
    pub fn set_balance_cents(
        &self,
        key_id: &str,
        subaccount: u8,
        cents: i64,
    ) -> Result<(), HookError> {
        let sid = SubaccountId::new(subaccount)
            .ok_or_else(|| HookError(format!("subaccount {subaccount} is outside 0..=63")))?;
        let now = self.now_ms();
        let mut ex = self.shared.exchange();
        let s = ex.account_mut(key_id).subaccount_mut(sid);
        s.cash = cents.saturating_mul(10_000);
        s.balance_updated_ms = now;
        Ok(())
    }

    /// How many order groups the account `key_id` created through the API (successful
    /// `POST /portfolio/order_groups/create` requests; for "no create was repeated").
    pub fn order_group_creates(&self, key_id: &str) -> u64 {
        self.shared
            .exchange()
            .account(key_id)
            .map_or(0, |a| a.order_group_creates)
    }

    /// A market's book, best levels first, or `None` for an unknown ticker.
    pub fn book(&self, ticker: &str) -> Option<BookSnapshot> {
        BookSnapshot::of(&self.exchange_now(), ticker)
    }

    /// The listed market tickers, sorted.
    pub fn markets(&self) -> Vec<String> {
        self.shared.exchange().markets.keys().cloned().collect()
    }

    /// Stops serving, closes every connection and waits for the server thread to end (for an
    /// [`in_process`](Self::in_process) simulator: just drops it).
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
            .field("in_process", &self.thread.is_none())
            .finish_non_exhaustive()
    }
}
