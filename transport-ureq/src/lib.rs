//! Blocking transport for the Kalshi Trade API v2 client, over [ureq] 3.
//!
//! [`kalshi_core`] builds signed `http::Request`s and reads `http::Response`s without doing any
//! I/O; this crate sends the requests. A [`BlockingClient`] holds a [`kalshi_core::Client`] and
//! a ureq agent (with a pool of keep-alive connections): [`BlockingClient::execute`] signs an
//! operation with the current time, sends it and hands the answer to the core.
//!
//! This example runs against the local exchange simulator of the `kalshi-simulator` crate; for the
//! real exchange use `Environment::Demo` or `Environment::Production` and your own key.
//!
//! ```
//! use kalshi_core::order_groups::{CreateOrderGroup, DeleteOrderGroup, GetOrderGroup};
//! use kalshi_core::{Client, Credentials, Environment};
//! use kalshi_transport_ureq::{BlockingClient, Error};
//! use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = Simulator::start(SimulatorConfig::default())?;
//! let environment = Environment::custom(&sim.base_url())?; // http://127.0.0.1:PORT/trade-api/v2
//! let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
//! let client = BlockingClient::new(Client::new(environment, credentials));
//!
//! let created = client.execute(&CreateOrderGroup::new(10))?;
//! let group = client.execute(&GetOrderGroup::new(&created.order_group_id))?;
//! assert_eq!(group.contracts_limit_fp.map(|l| l.to_string()).as_deref(), Some("10.00"));
//!
//! client.execute(&DeleteOrderGroup::new(&created.order_group_id))?;
//! match client.execute(&GetOrderGroup::new(&created.order_group_id)) {
//!     Err(Error::Api(kalshi_core::Error::NotFound(e))) => assert_eq!(e.status, 404),
//!     other => panic!("expected a 404, got {other:?}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! What the transport adds, and nothing more:
//!
//! - TLS through rustls, always verifying certificates against the Mozilla roots
//!   (`webpki-roots`); there is no switch to turn verification off.
//! - One crypto library (see [Crypto backend](#crypto-backend)): AWS-LC by default, for TLS and
//!   for signing.
//! - Plain `http://` only to loopback hosts (`127.0.0.0/8`, `::1`, `localhost`), checked again
//!   on every request before connecting ([`Error::InsecureUrl`]).
//! - Timeouts, a cap on the response body size and a connection pool ([`Config`]).
//! - No redirects are followed and no status is turned into an error by the transport: every
//!   answer goes to the core, which classifies it ([`Error::Api`]).
//! - Transport failures as typed variants ([`Error::Connect`], [`Error::Timeout`],
//!   [`Error::BodyCut`], ...) and [`Error::outcome_unknown`] for retry decisions.
//!
//! And it carries out what the core decides (sleeping, resending, reading the clock):
//!
//! - **Retries** ([`Config::retry`], on by default): every attempt is signed afresh; a
//!   request that never left, or a 429, is repeated for every operation; a timeout, a cut
//!   connection or a 5xx only for operations that cannot be executed twice. A create without
//!   an idempotency key (`CreateOrderGroup`) whose answer was lost is reported as
//!   [`Error::OutcomeUnknown`] and never repeated.
//! - **Orders placed exactly once**: [`BlockingClient::place_order`] repeats a create with the
//!   same `client_order_id` and resolves a 409 on a repeat to the existing order.
//! - **Pagination**: [`BlockingClient::iter_all`] walks every page of a list.
//! - **Rate limits** ([`Config::rate_limit`], opt-in): client-side token buckets of your tier,
//!   so that a bot waits instead of collecting 429s.
//! - **Clock skew**: the exchange's `Date` headers give its clock's offset
//!   ([`BlockingClient::clock_offset_ms`]); a 401 under a large offset says the clock is the
//!   likely cause, and [`Config::correct_clock_skew`] signs on the exchange's clock.
//! - **Tracing**: each call is a DEBUG `call` span of [`tracing`](https://docs.rs/tracing)
//!   (target `kalshi_transport_ureq`), with events for retries and unknown outcomes (WARN),
//!   clock corrections and resolved 409s (INFO) and rate-limit waits (DEBUG); never a header,
//!   a body or key material (README, "Observability").
//!
//! See `examples/order_group_lifecycle.rs` for the whole order-group lifecycle, against the
//! simulator or, with your own key, the demo exchange, and `examples/every_operation.rs` for
//! every trading operation of the API in one workflow (`ok`/`FAIL` per operation).
//!
//! Against the exchange, [`BlockingClient::from_env`] reads `KALSHI_API_KEY_ID`,
//! `KALSHI_PRIVATE_KEY_PATH` (or `KALSHI_PRIVATE_KEY`), `KALSHI_ENV` and `KALSHI_BASE_URL`
//! ([`kalshi_core::config`]):
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = kalshi_transport_ureq::BlockingClient::from_env()?; // EnvError names a bad variable
//! let balance = client.execute(&kalshi_core::portfolio::GetBalance::new())?;
//! # drop(balance); Ok(()) }
//! ```
//!
//! # Streams
//!
//! [`StreamClient`] keeps a live stream: it opens Kalshi's WebSocket API for the client's
//! environment and key, drives the core's stream session ([`kalshi_core::stream::session`]) on
//! the caller's thread, and hands its events out of [`StreamClient::next_event`] (or as an
//! iterator). The order books of `orderbook_delta` subscriptions are kept exact and in sync
//! ([`StreamClient::book`]): a lost or repeated message is repaired by the session with a new
//! snapshot by itself, a lost or silent connection is replaced after a bounded, jittered
//! backoff and every subscription restored ([`StreamEvent::Disconnected`],
//! [`StreamEvent::Reconnected`]). Markets can be added and removed while streaming.
//!
//! ```no_run
//! use kalshi_core::stream::session::Event;
//! use kalshi_core::stream::{Channel, Subscribe};
//! use kalshi_transport_ureq::{BlockingClient, StreamClient, StreamClientConfig, StreamEvent};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = BlockingClient::from_env()?;
//! let mut stream = StreamClient::connect(&client, StreamClientConfig::default())?;
//! stream.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers(["KXHIGHNY-26DEC06-B45.5"]))?;
//! loop {
//!     if let StreamEvent::Session(Event::BookUpdated { market_ticker }) = stream.next_event()? {
//!         let book = stream.book(&market_ticker).expect("in sync");
//!         println!("{market_ticker}: {:?} / {:?}", book.best_yes_bid(), book.best_yes_ask());
//!     }
//! }
//! # }
//! ```
//!
//! Underneath, [`StreamConnection`] (or [`BlockingClient::connect_stream`]) is one connection
//! (`wss://…/trade-api/ws/v2`, the URL of each environment from
//! [`kalshi_core::stream::StreamUrl`]) with the handshake the core signs like a REST request, over
//! rustls with the REST client's rules (certificates always verified against the Mozilla roots,
//! plain `ws://` only to loopback, checked before connecting), carrying frames:
//! [`StreamConnection::recv`] with a timeout (pings answered), [`StreamConnection::send_text`],
//! [`StreamConnection::close`]. A refused handshake is an [`Error::Api`] with its status and body
//! (401: key, signature or clock), a closed connection [`Error::StreamClosed`] with the close code.
//! See `examples/orderbook_live.rs` for a live book on the simulator or an exchange.
//!
//! # Crypto backend
//!
//! With the default feature `aws-lc`, `Credentials::from_pem`, `from_pem_file` and
//! `from_private_key` sign with kalshi-core's AWS-LC backend (constant-time, OpenSSL speed:
//! about 0.25 ms a signature against 2.3 ms for the pure-Rust `rsa` crate), and rustls runs on
//! AWS-LC too; `credentials.signer_name()` says `"rsa-pss (aws-lc-rs)"`. Building it needs a C
//! compiler (no cmake, Go or NASM on Linux x86-64/aarch64).
//!
//! Where AWS-LC cannot be built: `default-features = false, features = ["ring"]` signs with
//! the pure-Rust `rsa` crate and runs TLS on ring. One of the two features must be on (a build
//! with neither stops with a `compile_error!`); with both, AWS-LC is used for TLS and signing.
//! The crypto provider is always handed to rustls by the client, never taken from (or
//! installed as) rustls's process-wide default.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
mod env;
mod error;
mod limiter;
mod pages;
mod stream;
mod stream_client;
mod trace;

#[cfg(test)]
mod tests;

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

pub use config::{Config, RateLimit};
pub use error::Error;
pub use pages::Items;
pub use stream::{Frame, StreamConfig, StreamConnection, Text};
pub use stream_client::{StreamClient, StreamClientConfig, StreamEvent};

use error::{Phase, from_ureq};
use kalshi_core::account::{GetAccountApiLimits, GetAccountEndpointCosts};
use kalshi_core::clock_skew::ClockSkew;
use kalshi_core::orders::PlaceOrder;
use kalshi_core::orders::{CreateOrder, Placed};
use kalshi_core::pagination::Paginated;
use kalshi_core::rate_limit::{AccountRateLimits, Bucket};
use kalshi_core::retry::Next;
use kalshi_core::retry::{Attempts, Call};
use kalshi_core::{Operation, Timestamp};
use limiter::Limiter;
use trace::CallTrace;

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
compile_error!(
    "kalshi-transport-ureq needs a TLS crypto provider: keep the default feature `aws-lc` \
     (signing and TLS on AWS-LC), or use `default-features = false, features = [\"ring\"]` \
     (the pure-Rust signer, TLS on ring)"
);

/// The rustls crypto provider of every agent: AWS-LC with the `aws-lc` feature (the default,
/// and also when both features are on), else ring. Always passed to rustls explicitly: the
/// process-wide default provider is neither read nor installed.
#[cfg(feature = "aws-lc")]
fn tls_crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The rustls crypto provider of every agent: ring (feature `ring` without `aws-lc`).
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
fn tls_crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Refused by the `compile_error!` above; only here so that it is the one error reported.
#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
fn tls_crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    unreachable!()
}

/// The rustls configuration of the stream client ([`StreamConnection`]), built once: the REST
/// agent's rules, which ureq builds into its own configuration from [`tls_crypto_provider`]
/// and `RootCerts::WebPki` (see `Config::agent`): the same provider, the same Mozilla roots
/// (`webpki_roots::TLS_SERVER_ROOTS`, the list `RootCerts::WebPki` stands for), TLS 1.2 and
/// 1.3, certificates always verified, no client certificate.
fn tls_client_config() -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(config.clone());
    }
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(tls_crypto_provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(CONFIG.get_or_init(|| Arc::new(config)).clone())
}

/// A blocking Kalshi client: a [`kalshi_core::Client`] plus a ureq agent.
///
/// Cheap to clone and safe to share between threads. Clones share the connection pool, the
/// rate limiter, the clock-skew estimate and the [`Stats`]: use one client, and its clones,
/// per API key.
#[derive(Debug, Clone)]
pub struct BlockingClient {
    core: kalshi_core::Client,
    agent: ureq::Agent,
    config: Config,
    shared: Arc<Shared>,
}

/// What the clones of one client share besides the pool.
#[derive(Debug)]
struct Shared {
    /// The client-side rate limiter, once there is one ([`Config::rate_limit`] or
    /// [`BlockingClient::configure_rate_limits_from_exchange`]).
    limiter: OnceLock<Limiter>,
    skew: Mutex<ClockSkew>,
    requests: AtomicU64,
    retries: AtomicU64,
}

impl Shared {
    fn skew(&self) -> MutexGuard<'_, ClockSkew> {
        self.skew.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counters of a client and its clones, since it was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Stats {
    /// Requests sent (or attempted) by [`BlockingClient::execute`],
    /// [`execute_at`](BlockingClient::execute_at), [`place_order`](BlockingClient::place_order)
    /// and [`iter_all`](BlockingClient::iter_all), retries included.
    pub requests: u64,
    /// Times a failed attempt was followed by another (including the lookups of
    /// [`place_order`](BlockingClient::place_order)).
    pub retries: u64,
    /// Times a request had to wait for the client-side rate limiter before being sent.
    pub rate_limit_waits: u64,
}

/// How the attempts of one call are timestamped.
#[derive(Debug, Clone, Copy)]
enum Signing {
    /// The system clock, corrected for the observed skew if so configured.
    Now,
    /// The caller's timestamp for the first attempt, advanced by the time elapsed since for
    /// later ones.
    At(Timestamp),
}

impl BlockingClient {
    /// A client with the default [`Config`].
    pub fn new(core: kalshi_core::Client) -> Self {
        Self::with_config(core, Config::default())
    }

    /// A client with the given transport settings.
    pub fn with_config(core: kalshi_core::Client, config: Config) -> Self {
        let limiter = OnceLock::new();
        if let Some(limit) = config.rate_limit {
            let _ = limiter.set(Limiter::new(limit));
        }
        BlockingClient {
            agent: config.agent(),
            core,
            shared: Arc::new(Shared {
                limiter,
                skew: Mutex::new(ClockSkew::new()),
                requests: AtomicU64::new(0),
                retries: AtomicU64::new(0),
            }),
            config,
        }
    }

    /// The core client that builds and reads the requests.
    pub fn core(&self) -> &kalshi_core::Client {
        &self.core
    }

    /// The transport settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The observed offset of the exchange's clock from the local clock, in milliseconds
    /// (positive: the exchange is ahead), once a response carried a `Date` header.
    pub fn clock_offset_ms(&self) -> Option<i64> {
        self.shared.skew().offset_ms()
    }

    /// Whole tokens in `bucket` of the client-side rate limiter now, or `None` without one
    /// ([`Config::rate_limit`]).
    pub fn rate_limit_tokens(&self, bucket: Bucket) -> Option<u64> {
        self.shared.limiter.get().map(|l| l.tokens(bucket))
    }

    /// Sets the client-side rate limiter to what the exchange says applies to this account:
    /// calls `GET /account/limits` ([`GetAccountApiLimits`]) and `GET /account/endpoint_costs`
    /// ([`GetAccountEndpointCosts`]), then installs full buckets with the account's real
    /// budgets and charges every later request the exchange's cost for its endpoint (per
    /// item for batches; [`kalshi_core::rate_limit::EndpointCosts`]). Turns the limiter on if
    /// [`Config::rate_limit`] did not; clones share it. Returns what was installed.
    ///
    /// The Read bucket starts full less the two reads just made. Call it again to pick up a
    /// change (a new tier). On an error nothing changes.
    pub fn configure_rate_limits_from_exchange(&self) -> Result<AccountRateLimits, Error> {
        let limits = self.execute(&GetAccountApiLimits::new())?;
        let costs = self.execute(&GetAccountEndpointCosts::new())?;
        let account = AccountRateLimits::from_answers(&limits, &costs);
        let limiter = self
            .shared
            .limiter
            .get_or_init(|| Limiter::new(account.limit));
        let spent = account.costs.cost_of(&GetAccountApiLimits::new())
            + account.costs.cost_of(&GetAccountEndpointCosts::new());
        limiter.install(account.limit, account.costs.clone(), spent);
        Ok(account)
    }

    /// The counters of this client and its clones.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.shared.requests.load(Ordering::Relaxed),
            retries: self.shared.retries.load(Ordering::Relaxed),
            rate_limit_waits: self.shared.limiter.get().map_or(0, Limiter::waits),
        }
    }

    /// Executes `op`: signs it with the system clock ([`Timestamp::now`], corrected for the
    /// observed clock skew when [`Config::correct_clock_skew`] is on), sends it and reads the
    /// answer, retrying under [`Config::retry`].
    ///
    /// Each attempt is signed afresh and waits for the rate limiter ([`Config::rate_limit`])
    /// if there is one. What is repeated is decided by [`kalshi_core::retry`]: a request that
    /// never left the machine and a 429 are repeated for every operation; a timeout, a cut
    /// connection or a 5xx only for operations that cannot be executed twice (reads,
    /// idempotent writes, and creates with an idempotency key such as an order's
    /// `client_order_id`).
    ///
    /// A create without an idempotency key (`CreateOrderGroup`) whose answer was lost fails
    /// with [`Error::OutcomeUnknown`]; one answered with a 5xx fails with the core's
    /// `ServerError` (for which [`Error::outcome_unknown`] is true too). Either way, check the
    /// exchange before repeating it.
    ///
    /// `execute(&CreateOrder)` repeats the create with the same `client_order_id` too, but a
    /// repeat answered 409 (an earlier attempt did land) is returned as a `Conflict` error;
    /// [`place_order`](Self::place_order) resolves it to the order and is the recommended way to
    /// place orders.
    pub fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        self.drive(&mut Call::new(op, &self.config.retry), Signing::Now)
            .map(|(output, ..)| output)
    }

    /// Executes `op` like [`execute`](Self::execute), but signs the first attempt with
    /// `timestamp` exactly, and each retry with `timestamp` plus the time elapsed since. The
    /// timestamp is the caller's: it is never corrected for clock skew.
    ///
    /// A request the core refuses is never sent ([`Error::Api`] with an error for which
    /// [`is_refused_before_sending`](kalshi_core::Error::is_refused_before_sending) is true).
    pub fn execute_at<O: Operation>(
        &self,
        op: &O,
        timestamp: Timestamp,
    ) -> Result<O::Output, Error> {
        self.drive(
            &mut Call::new(op, &self.config.retry),
            Signing::At(timestamp),
        )
        .map(|(output, ..)| output)
    }

    /// Places an order so that it exists exactly once, whatever the network does (the
    /// recommended way to place orders).
    ///
    /// Drives [`kalshi_core::orders::PlaceOrder`]: after a timeout, a cut connection, a 5xx or
    /// a 429 the create is repeated with the same `client_order_id`, under [`Config::retry`].
    /// If a repeat answers 409 (the id is taken: an earlier attempt landed but its answer was
    /// lost), the order is looked up by its `client_order_id` on its market and returned as
    /// [`Placed::AlreadyExisted`]. A 409 on the very first attempt is the caller's own
    /// duplicate and is returned as the core's `Conflict` error.
    ///
    /// If the retry budget runs out while the outcome is unknown, the error is
    /// [`Error::OutcomeUnknown`]: calling `place_order` again with the same `CreateOrder`
    /// (same `client_order_id`) is safe and resolves it.
    ///
    /// ```
    /// use kalshi_core::enums::BookSide;
    /// use kalshi_core::orders::{CreateOrder, Placed};
    /// use kalshi_core::{Client, Credentials, Environment};
    /// use kalshi_simulator::{DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};
    /// use kalshi_transport_ureq::BlockingClient;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = Simulator::start(SimulatorConfig::default())?;
    /// let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM)?;
    /// let client = BlockingClient::new(Client::new(Environment::custom(&sim.base_url())?, credentials));
    ///
    /// // A fresh client_order_id is generated; keep the value to repeat it after a crash.
    /// let op = CreateOrder::new(DEFAULT_MARKET, BookSide::Bid, "2".parse()?, "0.35".parse()?);
    /// match client.place_order(&op)? {
    ///     Placed::Created(r) => println!("placed {}", r.order_id),
    ///     Placed::AlreadyExisted(o) => println!("an earlier attempt placed {}", o.order_id),
    /// }
    /// assert_eq!(sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn place_order(&self, op: &CreateOrder) -> Result<Placed, Error> {
        let (placed, sent, received) =
            self.drive(&mut PlaceOrder::new(op, &self.config.retry), Signing::Now)?;
        match &placed {
            // The matching engine's timestamp pins the exchange clock to the millisecond.
            Placed::Created(created) => trace::observe_skew(
                &mut self.shared.skew(),
                self.config.correct_clock_skew,
                CreateOrder::NAME,
                |skew| skew.observe_server_ms(created.ts_ms, sent, received),
            ),
            Placed::AlreadyExisted(order) => {
                trace::order_already_existed(&order.order_id, &op.client_order_id)
            }
        }
        Ok(placed)
    }

    /// Every item of a paginated list, page after page (each page through
    /// [`execute`](Self::execute), so with retries), starting at `first`.
    ///
    /// The iterator fetches a page when it runs out of items, and stops after the first error,
    /// which it yields. It also stops if the exchange repeats a cursor.
    ///
    /// ```no_run
    /// # fn demo(client: &kalshi_transport_ureq::BlockingClient) -> Result<(), kalshi_transport_ureq::Error> {
    /// use kalshi_core::orders::GetOrders;
    /// let orders = client
    ///     .iter_all(GetOrders::new().status("resting").limit(200))
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// # drop(orders); Ok(()) }
    /// ```
    pub fn iter_all<O: Paginated>(&self, first: O) -> Items<'_, O> {
        Items::new(self, first)
    }

    /// The timestamp to sign the next attempt with, and the clock correction applied to it
    /// (milliseconds; 0 when none).
    fn signing_time(
        &self,
        signing: Signing,
        first_signed: &mut Option<Instant>,
    ) -> (Timestamp, i64) {
        match signing {
            Signing::Now => {
                let now = Timestamp::now();
                if self.config.correct_clock_skew {
                    let skew = self.shared.skew();
                    (skew.correct(now), skew.offset_ms().unwrap_or(0))
                } else {
                    (now, 0)
                }
            }
            Signing::At(timestamp) => match first_signed {
                None => {
                    *first_signed = Some(Instant::now());
                    (timestamp, 0)
                }
                Some(start) => {
                    let elapsed = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
                    (
                        Timestamp::from_millis(timestamp.as_millis().saturating_add(elapsed)),
                        0,
                    )
                }
            },
        }
    }

    /// Whether a 401 gets one more attempt signed on the corrected clock: correction is on,
    /// the timestamp was the client's to choose, this is the first such repeat of the call, and
    /// the exchange's clock (as its answers show) was far from the one signed with. A 401
    /// executes nothing, so this is safe for every operation.
    fn resign_after(
        &self,
        error: &kalshi_core::Error,
        signing: Signing,
        used_offset_ms: i64,
        resigned: &mut bool,
    ) -> bool {
        let again = self.config.correct_clock_skew
            && matches!(signing, Signing::Now)
            && !*resigned
            && self
                .shared
                .skew()
                .explains_unauthorized(error, used_offset_ms);
        *resigned |= again;
        again
    }

    /// Carries a call through its attempts inside its `call` span; returns its output with the
    /// local times the last request was sent and its answer received.
    fn drive<A: Attempts>(
        &self,
        call: &mut A,
        signing: Signing,
    ) -> Result<(A::Output, Timestamp, Timestamp), Error> {
        let mut trace = CallTrace::new(call.name(), &call.next_method());
        let span = trace.span().clone();
        let result = span.in_scope(|| self.attempts(call, signing, &mut trace));
        if let Err(e) = &result {
            // A write that may have been executed, whatever the error says.
            if e.outcome_unknown() && call.executes_something() {
                trace.outcome_unknown(e);
            }
        }
        trace.finish(&result);
        result
    }

    /// The attempts of [`drive`](Self::drive), each reported to `trace`.
    fn attempts<A: Attempts>(
        &self,
        call: &mut A,
        signing: Signing,
        trace: &mut CallTrace,
    ) -> Result<(A::Output, Timestamp, Timestamp), Error> {
        let mut first_signed = None;
        let mut resigned = false;
        loop {
            let method = call.next_method();
            let granted = self
                .shared
                .limiter
                .get()
                .map(|l| l.acquire(Bucket::for_method(&method), l.cost_of(&*call)));
            let (timestamp, used_offset_ms) = self.signing_time(signing, &mut first_signed);
            let request = call.request(&self.core, timestamp)?;
            self.shared.requests.fetch_add(1, Ordering::Relaxed);
            trace.sending(&request);

            let sent = Timestamp::now();
            let delay = match self.send(request) {
                Ok(response) => {
                    let received = Timestamp::now();
                    trace.answered(response.status());
                    if let (Some(limiter), Some(granted)) = (self.shared.limiter.get(), granted) {
                        limiter.observe_latency(granted.elapsed());
                    }
                    trace::observe_skew(
                        &mut self.shared.skew(),
                        self.config.correct_clock_skew,
                        call.name(),
                        |skew| skew.observe_response(&response, sent, received),
                    );
                    match call.on_response(&response, jitter()) {
                        Next::Done(Ok(output)) => return Ok((output, sent, received)),
                        Next::Done(Err(e))
                            if self.resign_after(&e, signing, used_offset_ms, &mut resigned) =>
                        {
                            trace.resigning(self.clock_offset_ms(), used_offset_ms);
                            Duration::ZERO
                        }
                        Next::Done(Err(mut e)) => {
                            self.shared.skew().annotate(&mut e);
                            return Err(Error::Api(e));
                        }
                        Next::Retry(delay) => {
                            trace.again_after_answer(response.status(), delay);
                            delay
                        }
                        // The core gives up only on transport failures.
                        Next::GiveUp { .. } => {
                            return Err(Error::Other(format!(
                                "{}: the retry logic gave up after an answer (HTTP {})",
                                call.name(),
                                response.status()
                            )));
                        }
                    }
                }
                Err(err) => {
                    // A request refused locally would be refused again: no retry.
                    let Some(failure) = err.attempt_failure() else {
                        return Err(err);
                    };
                    match call.on_failure(failure, jitter()) {
                        Next::Retry(delay) => {
                            trace.retry_after_failure(&err, delay);
                            delay
                        }
                        Next::GiveUp { outcome_unknown } => {
                            // A read executes nothing: its own error says it all.
                            return Err(if outcome_unknown && call.executes_something() {
                                Error::OutcomeUnknown {
                                    operation: call.name(),
                                    source: Box::new(err),
                                }
                            } else {
                                err
                            });
                        }
                        Next::Done(Ok(output)) => return Ok((output, sent, Timestamp::now())),
                        Next::Done(Err(e)) => return Err(Error::Api(e)),
                    }
                }
            };
            self.shared.retries.fetch_add(1, Ordering::Relaxed);
            if !delay.is_zero() {
                thread::sleep(delay);
            }
        }
    }

    /// Opens a stream connection ([`StreamConnection`]) to this client's environment
    /// ([`kalshi_core::stream::StreamUrl::from_base_url`]: Kalshi's stream host, or the custom
    /// base URL's authority), with a handshake signed by this client's key at the current
    /// time (corrected for the exchange's clock when [`Config::correct_clock_skew`] is on).
    pub fn connect_stream(&self, config: &StreamConfig) -> Result<StreamConnection, Error> {
        let url = kalshi_core::stream::StreamUrl::from_base_url(self.core.base_url());
        let (timestamp, _) = self.signing_time(Signing::Now, &mut None);
        StreamConnection::connect(&url, self.core.credentials(), timestamp, config)
    }

    /// Sends a raw request and returns the raw response, whatever its status, once: no
    /// retries, no rate limiter, no clock-skew observation.
    ///
    /// The URI must be `https`, or plain `http` to a loopback host; anything else is refused
    /// with [`Error::InsecureUrl`] before connecting. The response body is read up to
    /// [`Config::max_response_bytes`]. Redirects are returned as they are.
    pub fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Error> {
        let target = describe(&request);
        check_uri(request.uri(), &target)?;

        let sends_body = !request.body().is_empty()
            || !matches!(
                *request.method(),
                http::Method::GET
                    | http::Method::HEAD
                    | http::Method::DELETE
                    | http::Method::OPTIONS
                    | http::Method::TRACE
            );
        let result = if sends_body {
            self.agent.run(request)
        } else {
            // No `Content-Length: 0` on a bodiless GET or DELETE.
            let (parts, _) = request.into_parts();
            self.agent.run(http::Request::from_parts(parts, ()))
        };
        let response = result.map_err(|e| from_ureq(e, Phase::Exchange, &target))?;

        let limit = self.config.max_response_bytes;
        let (parts, mut body) = response.into_parts();
        if let Some(declared) = declared_length(&parts.headers) {
            if declared > limit {
                return Err(Error::ResponseTooLarge {
                    limit,
                    message: format!(
                        "{target}: the response declares {declared} bytes, over the {limit}-byte limit"
                    ),
                });
            }
        }
        let bytes = body
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| from_ureq(e, Phase::Body, &target))?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

/// A random number for the backoff jitter, so that clients that failed together do not retry
/// in lockstep (not security-sensitive: on the unlikely failure of the OS source, the clock's
/// nanoseconds do).
fn jitter() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::from(d.subsec_nanos()))
            .unwrap_or(0)
    })
}

/// `METHOD uri`, bounded, for error messages (the URI carries no secret: the signature and key
/// id travel in headers).
fn describe<B>(request: &http::Request<B>) -> String {
    let uri = request.uri().to_string();
    let mut shown: String = uri.chars().take(200).collect();
    if shown.len() < uri.len() {
        shown.push_str("...");
    }
    format!("{} {shown}", request.method())
}

/// The `Content-Length` of a response, when present and readable.
fn declared_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// True for `localhost` and loopback IP addresses (`127.0.0.0/8`, `::1`), bracketed or not.
fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses anything but `https` and plain `http` to a loopback host.
fn check_uri(uri: &http::Uri, target: &str) -> Result<(), Error> {
    let Some(scheme) = uri.scheme_str() else {
        return Err(Error::InvalidRequest(format!(
            "{target}: the URI has no scheme (expected https://)"
        )));
    };
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    if scheme.eq_ignore_ascii_case("http") {
        return match uri.host() {
            Some(host) if is_loopback_host(host) => Ok(()),
            _ => Err(Error::InsecureUrl(format!(
                "{target}: plain http is only allowed to loopback hosts (127.0.0.0/8, ::1, localhost); use https"
            ))),
        };
    }
    Err(Error::InsecureUrl(format!(
        "{target}: the scheme must be https (or http to a loopback host)"
    )))
}
