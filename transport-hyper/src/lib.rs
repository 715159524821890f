//! Async transport for [`kalshi_core`] over hyper 1, hyper-util's pooled client and rustls.
//!
//! A thin layer: the core builds and signs the request, [`AsyncClient`] sends it, and the core
//! reads the answer into a typed result.
//!
//! ```
//! use kalshi_core::{Client, Credentials, Environment};
//! use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroup};
//! use kalshi_transport_hyper::AsyncClient;
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sim = kalshi_simulator::Simulator::start(kalshi_simulator::SimulatorConfig::default())?;
//! # let base_url = sim.base_url();
//! # let (key_id, pem) = (kalshi_simulator::DEMO_KEY_ID, kalshi_simulator::DEMO_PRIVATE_KEY_PEM);
//! // `base_url` is e.g. "https://external-api.demo.kalshi.co/trade-api/v2" (or use
//! // `Environment::Demo`); here it is a local simulator.
//! let credentials = Credentials::from_pem(key_id, pem)?;
//! let core = Client::new(Environment::custom(&base_url)?, credentials);
//! let client = AsyncClient::new(core)?;
//!
//! let created = client.execute(&CreateOrderGroup::new(10)).await?;
//! let group = client.execute(&GetOrderGroup::new(&created.order_group_id)).await?;
//! assert_eq!(group.contracts_limit_fp.map(|l| l.to_string()).as_deref(), Some("10.00"));
//! # Ok(())
//! # }
//! ```
//!
//! Against the exchange, [`AsyncClient::from_env`] reads `KALSHI_API_KEY_ID`,
//! `KALSHI_PRIVATE_KEY_PATH` (or `KALSHI_PRIVATE_KEY`), `KALSHI_ENV` and `KALSHI_BASE_URL`
//! ([`kalshi_core::config`]; a bad value is [`Error::Env`], naming the variable):
//!
//! ```no_run
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let client = kalshi_transport_hyper::AsyncClient::from_env()?;
//! let balance = client.execute(&kalshi_core::portfolio::GetBalance::new()).await?;
//! # drop(balance); Ok(()) }
//! ```
//!
//! # Runtime
//!
//! The connector, the connection pool, the timeouts and the retry and rate-limit waits use
//! tokio (hyper-util's `TokioExecutor` and `TokioTimer`, `tokio::time`), so every method must
//! run inside a tokio runtime with the time and I/O drivers enabled (`#[tokio::main]` does
//! that). The public API
//! itself is plain `async fn`s returning `Send` futures; the client spawns nothing besides the
//! per-connection tasks of hyper-util's pool and the blocking DNS lookups of its resolver.
//!
//! # Security
//!
//! TLS (rustls) always verifies certificates against Mozilla's roots (webpki-roots); there is
//! no switch to turn that off. Plain `http://` is refused with [`Error::InsecureUrl`] before
//! connecting unless the host is loopback (`127.0.0.0/8`, `::1`, `localhost`), for local
//! simulators. Redirects are never followed.
//!
//! # Streams
//!
//! [`StreamClient`] keeps a live stream: it opens Kalshi's WebSocket API for the client's
//! environment and key, drives the core's stream session ([`kalshi_core::stream::session`]) in
//! the caller's task (no task is spawned), and hands its events out of
//! [`StreamClient::next_event`] (or [`StreamClient::into_stream`], a [`Stream`]). The order
//! books of `orderbook_delta` subscriptions are kept exact and in sync ([`StreamClient::book`]):
//! a lost or repeated message is repaired by the session with a new snapshot by itself, a lost
//! or silent connection is replaced after a bounded, jittered backoff and every subscription
//! restored ([`StreamEvent::Disconnected`], [`StreamEvent::Reconnected`]). Markets can be added
//! and removed between two events.
//!
//! ```no_run
//! use kalshi_core::stream::session::Event;
//! use kalshi_core::stream::{Channel, Subscribe};
//! use kalshi_transport_hyper::{AsyncClient, StreamClient, StreamClientConfig, StreamEvent};
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = AsyncClient::from_env()?;
//! let mut stream = StreamClient::connect(&client, StreamClientConfig::default()).await?;
//! stream.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers(["KXHIGHNY-26DEC06-B45.5"]))?;
//! loop {
//!     if let StreamEvent::Session(Event::BookUpdated { market_ticker }) = stream.next_event().await? {
//!         let book = stream.book(&market_ticker).expect("in sync");
//!         println!("{market_ticker}: {:?} / {:?}", book.best_yes_bid(), book.best_yes_ask());
//!     }
//! }
//! # }
//! ```
//!
//! Underneath, [`StreamConnection`] (or [`AsyncClient::connect_stream`]) is one connection
//! (`wss://…/trade-api/ws/v2`, the URL of each environment from
//! [`kalshi_core::stream::StreamUrl`]) with the handshake the core signs like a REST request, over
//! tokio-rustls with the very TLS configuration of the REST client (certificates always verified
//! against the Mozilla roots; plain `ws://` only to loopback, checked before connecting),
//! carrying frames: [`StreamConnection::recv`] (cancel-safe; pings answered),
//! [`StreamConnection::send_text`], [`StreamConnection::close`]. A refused handshake is an
//! [`Error::Api`] with its status and body (401: key, signature or clock), a closed connection
//! [`Error::StreamClosed`] with the close code. See `examples/orderbook_live_async.rs` for a live
//! book on the simulator or an exchange.
//!
//! # Crypto backend
//!
//! With the default feature `aws-lc`, `Credentials::from_pem`, `from_pem_file` and
//! `from_private_key` sign with kalshi-core's AWS-LC backend (constant-time, OpenSSL speed:
//! about 0.25 ms a signature against 2.3 ms for the pure-Rust `rsa` crate), and rustls runs on
//! AWS-LC too, so one crypto library is built; `credentials.signer_name()` says
//! `"rsa-pss (aws-lc-rs)"`. Building it needs a C compiler (no cmake, Go or NASM on Linux
//! x86-64/aarch64).
//!
//! Where AWS-LC cannot be built: `default-features = false, features = ["ring"]` signs with
//! the pure-Rust `rsa` crate and runs TLS on ring. One of the two features must be on (a build
//! with neither stops with a `compile_error!`); with both, AWS-LC is used for TLS and signing.
//! The crypto provider is always handed to rustls by the client, never taken from (or
//! installed as) rustls's process-wide default.
//!
//! # Retries
//!
//! [`AsyncClient::execute`] carries each operation through [`kalshi_core::retry::Call`]: the
//! core decides whether and when to repeat, the client sleeps (`tokio::time`) and resends,
//! signing every attempt afresh. A 429, or a request that never left the machine (DNS,
//! refused connection, TLS handshake), is repeated for every operation. After an unknown
//! outcome (a timeout once the request may have been sent, a cut connection, a 5xx) only
//! operations that cannot be executed twice are repeated: reads, idempotent writes, and order
//! creates, which carry a `client_order_id`. A `CreateOrderGroup` whose answer was lost is
//! reported as [`Error::OutcomeUnknown`] after exactly one request.
//! [`AsyncClient::place_order`] places an order exactly once (a 409 after a repeat is resolved
//! by looking the order up). [`Config::retry`] sets the budget and backoff.
//!
//! # Rate limiting and clock skew
//!
//! With [`Config::rate_limit`] each request first waits for its tokens in a client-side model
//! of the exchange's buckets ([`kalshi_core::rate_limit::RateLimiter`]), shared by the
//! client's clones. Every answer's `Date` header feeds a clock-skew estimate
//! ([`AsyncClient::clock_offset_ms`]); a 401 then says when the local clock is the likely
//! cause, and [`Config::correct_clock_skew`] signs with the exchange's clock instead.
//!
//! # Pagination
//!
//! [`AsyncClient::stream_all`] walks every page of a list ([`kalshi_core::pagination`]) as a
//! [`Stream`] of items.
//!
//! # Tracing
//!
//! Each call is a DEBUG `call` span (operation, method, path, attempts, status, latency) of
//! [`tracing`](https://docs.rs/tracing), target `kalshi_transport_hyper`, with events for
//! retries (WARN), unknown outcomes (WARN), clock corrections and resolved 409s (INFO) and
//! rate-limit waits (DEBUG); never a header, a body or key material (README, "Observability").
//!
//! # Errors
//!
//! One enum, [`Error`]: [`Error::Api`] wraps the core's [`kalshi_core::Error`] (refused before
//! sending, or the exchange's answer such as `NotFound`), [`Error::OutcomeUnknown`] says a
//! write may or may not have happened, the other variants are transport failures.
//! [`Error::outcome_unknown`] tells whether a write may have taken effect.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
mod env;
mod error;
mod limiter;
mod stream;
mod stream_client;
mod trace;

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use kalshi_core::account::{GetAccountApiLimits, GetAccountEndpointCosts};
use kalshi_core::clock_skew::ClockSkew;
use kalshi_core::orders::{CreateOrder, Placed};
use kalshi_core::pagination::{Pages, Paginated};
use kalshi_core::rate_limit::{AccountRateLimits, Bucket};
use kalshi_core::retry::Next;
use kalshi_core::{Operation, Timestamp};
use tokio::time::Instant;

pub use config::{Config, RateLimit};
pub use error::Error;
/// The stream trait of [`AsyncClient::stream_all`] (futures-core's, re-exported by
/// futures-util), so callers can poll it without naming another crate.
pub use futures_util::Stream;
pub use stream::{Frame, StreamConfig, StreamConnection, Text};
pub use stream_client::{StreamClient, StreamClientConfig, StreamEvent};

use kalshi_core::orders::PlaceOrder;
use kalshi_core::retry::{Attempts, Call};
use limiter::Limiter;
use trace::CallTrace;
use tracing::Instrument;

type Connector = HttpsConnector<HttpConnector>;

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
compile_error!(
    "kalshi-transport-hyper needs a TLS crypto provider: keep the default feature `aws-lc` \
     (signing and TLS on AWS-LC), or use `default-features = false, features = [\"ring\"]` \
     (the pure-Rust signer, TLS on ring)"
);

/// The rustls crypto provider of every client: AWS-LC with the `aws-lc` feature (the default,
/// and also when both features are on), else ring. Always passed to rustls explicitly: the
/// process-wide default provider is neither read nor installed.
#[cfg(feature = "aws-lc")]
fn tls_crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// The rustls crypto provider of every client: ring (feature `ring` without `aws-lc`).
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
fn tls_crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Refused by the `compile_error!` above; only here so that it is the one error reported.
#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
fn tls_crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    unreachable!()
}

/// The rustls configuration of every connection, REST ([`AsyncClient`]'s connector) and
/// stream ([`StreamConnection`]) alike, built once: [`tls_crypto_provider`], TLS 1.2 and 1.3,
/// Mozilla's roots (webpki-roots), certificates always verified, no client certificate.
fn tls_client_config() -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    use hyper_rustls::ConfigBuilderExt as _;
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(config.clone());
    }
    let config = rustls::ClientConfig::builder_with_provider(tls_crypto_provider())
        .with_safe_default_protocol_versions()?
        .with_webpki_roots()
        .with_no_client_auth();
    Ok(CONFIG.get_or_init(|| Arc::new(config)).clone())
}

/// An async Kalshi client: a [`kalshi_core::Client`] (signing) plus a pooled hyper client
/// (sending), the retry policy, and the optional rate limiter and clock-skew estimate. Cheap
/// to clone; clones share the connection pool, the rate limiter's buckets and the clock-skew
/// estimate. Use one per API key.
#[derive(Clone)]
pub struct AsyncClient {
    core: kalshi_core::Client,
    http: HyperClient<Connector, Full<Bytes>>,
    config: Arc<Config>,
    shared: Arc<Shared>,
}

/// The state clones share.
struct Shared {
    /// The client-side token buckets, when [`Config::rate_limit`] is set.
    /// The client-side rate limiter, once there is one ([`Config::rate_limit`] or
    /// [`AsyncClient::configure_rate_limits_from_exchange`]).
    limiter: OnceLock<Limiter>,
    /// What the answers' `Date` headers and `ts_ms` values say about the exchange's clock.
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
    /// Requests sent (or attempted) by [`AsyncClient::execute`],
    /// [`execute_at`](AsyncClient::execute_at), [`place_order`](AsyncClient::place_order) and
    /// [`stream_all`](AsyncClient::stream_all), retries included.
    pub requests: u64,
    /// Times a failed attempt was followed by another (including the lookups of
    /// [`place_order`](AsyncClient::place_order)).
    pub retries: u64,
    /// Times a request had to wait for the client-side rate limiter before being sent.
    pub rate_limit_waits: u64,
}

/// How the attempts of one call are timestamped.
#[derive(Clone, Copy)]
enum Signing {
    /// The system clock, corrected for the observed skew if so configured.
    Now,
    /// The caller's timestamp for the first attempt, advanced by the (monotonic) time elapsed
    /// since for later ones.
    At(Timestamp),
}

impl std::fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("core", &self.core)
            .field("config", &self.config)
            .field("clock_offset_ms", &self.clock_offset_ms())
            .finish_non_exhaustive()
    }
}

impl AsyncClient {
    /// A client with the default [`Config`].
    ///
    /// Fails only if the TLS configuration cannot be built ([`Error::Tls`]). Needs no runtime
    /// to be called, but requests must run inside tokio (see the crate docs).
    pub fn new(core: kalshi_core::Client) -> Result<Self, Error> {
        Self::with_config(core, Config::default())
    }

    /// A client with the given settings. Fails only if the TLS configuration cannot be built
    /// ([`Error::Tls`]).
    pub fn with_config(core: kalshi_core::Client, config: Config) -> Result<Self, Error> {
        let mut tcp = HttpConnector::new();
        // The TLS layer above decides which schemes are allowed.
        tcp.enforce_http(false);
        tcp.set_connect_timeout(Some(config.connect_timeout));
        tcp.set_nodelay(true);

        // The crypto provider is set here, never taken from rustls's process-wide default.
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(
                tls_client_config()
                    .map_err(|e| Error::Tls(format!("cannot build the TLS configuration: {e}")))?
                    .as_ref()
                    .clone(),
            )
            // Plain http is let through here and restricted to loopback in `send`.
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);

        let http = HyperClient::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(config.pool_idle_timeout)
            .pool_max_idle_per_host(config.pool_max_idle_per_host)
            .build(connector);

        let shared = Shared {
            limiter: config
                .rate_limit
                .map(Limiter::new)
                .map_or_else(OnceLock::new, OnceLock::from),
            skew: Mutex::new(ClockSkew::new()),
            requests: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        };
        Ok(AsyncClient {
            core,
            http,
            config: Arc::new(config),
            shared: Arc::new(shared),
        })
    }

    /// The core client that builds and signs requests.
    pub fn core(&self) -> &kalshi_core::Client {
        &self.core
    }

    /// The settings this client was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The estimated offset of the exchange's clock from the local clock in milliseconds
    /// (positive: the exchange is ahead), from the `Date` headers of the answers so far (and
    /// the `ts_ms` of placed orders); `None` before the first answer.
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
    pub async fn configure_rate_limits_from_exchange(&self) -> Result<AccountRateLimits, Error> {
        let limits = self.execute(&GetAccountApiLimits::new()).await?;
        let costs = self.execute(&GetAccountEndpointCosts::new()).await?;
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

    /// Executes `op`, each attempt signed with the system clock ([`Timestamp::now`], moved onto
    /// the exchange's clock when [`Config::correct_clock_skew`] is on), retried as
    /// [`Config::retry`] and the core allow, and parses the answer.
    ///
    /// The exchange's refusals come back as [`Error::Api`] (e.g.
    /// `Error::Api(kalshi_core::Error::NotFound(_))`); transport failures as the other variants.
    /// A failure after which the operation may have run but must not be repeated (e.g. a
    /// `CreateOrderGroup` whose connection was cut) is [`Error::OutcomeUnknown`]. A 401 carries
    /// the observed clock offset when it is large enough to explain it.
    pub async fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        self.drive(&mut Call::new(op, &self.config.retry), Signing::Now)
            .await
            .map(|(output, ..)| output)
    }

    /// Executes `op` like [`execute`](Self::execute), but signs the first attempt with
    /// `timestamp` exactly (for a caller-managed clock, or tests), and each retry with
    /// `timestamp` plus the time elapsed since. The timestamp is the caller's: it is never
    /// corrected for clock skew.
    pub async fn execute_at<O: Operation>(
        &self,
        op: &O,
        timestamp: Timestamp,
    ) -> Result<O::Output, Error> {
        self.drive(
            &mut Call::new(op, &self.config.retry),
            Signing::At(timestamp),
        )
        .await
        .map(|(output, ..)| output)
    }

    /// Places an order so that it exists exactly once, whatever the network does
    /// ([`kalshi_core::orders::PlaceOrder`]).
    ///
    /// The create is repeated with the same `client_order_id` after a timeout, a cut
    /// connection, a 5xx or a 429. If a repeat answers 409 (an earlier attempt landed but its
    /// answer was lost), the order is looked up by its `client_order_id` on its market and
    /// returned as [`Placed::AlreadyExisted`]. A 409 on the first attempt is the caller's own
    /// duplicate: `Error::Api(kalshi_core::Error::Conflict(_))`. When the retry budget runs out
    /// after an unknown outcome, the answer is [`Error::OutcomeUnknown`]: place the same
    /// `CreateOrder` (same `client_order_id`) again later, or look it up.
    pub async fn place_order(&self, op: &CreateOrder) -> Result<Placed, Error> {
        let (placed, sent, received) = self
            .drive(&mut PlaceOrder::new(op, &self.config.retry), Signing::Now)
            .await?;
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

    /// Every item of a paginated list, page after page from `first`, as a stream. Each page is
    /// fetched with [`AsyncClient::execute`] (so with retries) when the previous page's items
    /// are used up; the stream ends after the last page, or right after yielding the first
    /// error. A cursor the exchange repeats ends the walk (see [`Pages`]).
    ///
    /// ```no_run
    /// use kalshi_transport_hyper::{AsyncClient, Stream};
    /// # async fn demo(client: &AsyncClient) -> Result<(), kalshi_transport_hyper::Error> {
    /// let orders = client.stream_all(kalshi_core::orders::GetOrders::new().limit(200));
    /// let mut orders = std::pin::pin!(orders);
    /// while let Some(order) = std::future::poll_fn(|cx| orders.as_mut().poll_next(cx)).await {
    ///     println!("{}", order?.order_id);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// (With futures-util's `StreamExt`, `while let Some(order) = orders.next().await`.)
    pub fn stream_all<O>(&self, first: O) -> impl Stream<Item = Result<O::Item, Error>> + Send
    where
        O: Paginated + Send + Sync,
        O::Item: Send,
        O::Output: Send,
    {
        let start: Option<(Pages<O>, VecDeque<O::Item>)> =
            Some((Pages::new(first), VecDeque::new()));
        futures_util::stream::unfold(start, move |state| async move {
            let (mut pages, mut items) = state?;
            loop {
                if let Some(item) = items.pop_front() {
                    return Some((Ok(item), Some((pages, items))));
                }
                let op = pages.next_op()?.clone();
                match self.execute(&op).await {
                    Ok(page) => items.extend(pages.on_page(page)),
                    Err(e) => return Some((Err(e), None)),
                }
            }
        })
    }

    /// Opens a stream connection ([`StreamConnection`]) to this client's environment
    /// ([`kalshi_core::stream::StreamUrl::from_base_url`]: Kalshi's stream host, or the custom
    /// base URL's authority), with a handshake signed by this client's key at the current
    /// time (corrected for the exchange's clock when [`Config::correct_clock_skew`] is on),
    /// over the same TLS configuration as its requests.
    pub async fn connect_stream(&self, config: &StreamConfig) -> Result<StreamConnection, Error> {
        let url = kalshi_core::stream::StreamUrl::from_base_url(self.core.base_url());
        let (timestamp, _) = self.signing_time(Signing::Now, &mut None);
        StreamConnection::connect(&url, self.core.credentials(), timestamp, config).await
    }

    /// Sends a raw request (normally one built by [`kalshi_core::Client::request`]) and returns
    /// the raw answer, whatever its status, with the body read completely (up to
    /// [`Config::max_response_body`]). Sent once, as it is: no retries, no rate limiter, no
    /// clock-skew observation.
    ///
    /// The URI must be absolute: `https://`, or `http://` to a loopback host only.
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        check_uri(request.uri())?;
        self.send_once(request).await
    }

    /// Carries `driver` through its attempts (wait for tokens, sign, send, let the core
    /// decide) inside its `call` span; returns its output with the local times the last
    /// request was sent and its answer received.
    async fn drive<D: Attempts>(
        &self,
        driver: &mut D,
        signing: Signing,
    ) -> Result<(D::Output, Timestamp, Timestamp), Error> {
        let mut trace = CallTrace::new(driver.name(), &driver.next_method());
        let span = trace.span().clone();
        let result = self
            .attempts(driver, signing, &mut trace)
            .instrument(span)
            .await;
        if let Err(e) = &result {
            // A write that may have been executed, whatever the error says.
            if e.outcome_unknown() && driver.executes_something() {
                trace.outcome_unknown(e);
            }
        }
        trace.finish(&result);
        result
    }

    /// The attempts of [`drive`](Self::drive), each reported to `trace`.
    async fn attempts<D: Attempts>(
        &self,
        driver: &mut D,
        signing: Signing,
        trace: &mut CallTrace,
    ) -> Result<(D::Output, Timestamp, Timestamp), Error> {
        let mut first_signed = None;
        let mut resigned = false;
        loop {
            let bucket = Bucket::for_method(&driver.next_method());
            let granted = match self.shared.limiter.get() {
                Some(limiter) => {
                    limiter.acquire(bucket, limiter.cost_of(&*driver)).await;
                    Some(tokio::time::Instant::now())
                }
                None => None,
            };
            let (timestamp, used_offset_ms) = self.signing_time(signing, &mut first_signed);
            let request = driver.request(&self.core, timestamp)?;
            check_uri(request.uri())?;
            self.shared.requests.fetch_add(1, Ordering::Relaxed);
            trace.sending(&request);

            let sent = Timestamp::now();
            let delay = match self.send_once(request).await {
                Ok(response) => {
                    let received = Timestamp::now();
                    trace.answered(response.status());
                    if let (Some(limiter), Some(granted)) = (self.shared.limiter.get(), granted) {
                        limiter.observe_latency(granted.elapsed());
                    }
                    trace::observe_skew(
                        &mut self.shared.skew(),
                        self.config.correct_clock_skew,
                        driver.name(),
                        |skew| skew.observe_response(&response, sent, received),
                    );
                    match driver.on_response(&response, jitter()) {
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
                        // The core gives up only after a transport failure.
                        Next::GiveUp { .. } => {
                            return Err(Error::Other {
                                message: format!(
                                    "{}: the retry logic gave up after an answer (HTTP {})",
                                    driver.name(),
                                    response.status()
                                ),
                                maybe_sent: true,
                            });
                        }
                    }
                }
                Err(err) => {
                    // A request refused locally would be refused again: no retry.
                    let Some(failure) = err.attempt_failure() else {
                        return Err(err);
                    };
                    match driver.on_failure(failure, jitter()) {
                        Next::Retry(delay) => {
                            trace.retry_after_failure(&err, delay);
                            delay
                        }
                        Next::GiveUp { outcome_unknown } => {
                            return Err(if outcome_unknown && driver.executes_something() {
                                Error::OutcomeUnknown {
                                    operation: driver.name(),
                                    source: Box::new(err),
                                }
                            } else {
                                // A read executes nothing: its own error says it all.
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
                tokio::time::sleep(delay).await;
            }
        }
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

    /// Sends once, under the request timeout; the URI has been checked.
    async fn send_once(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let (parts, body) = request.into_parts();
        let request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
        let timeout = self.config.request_timeout;
        let now = Instant::now();
        // A huge timeout means "no timeout"; tokio caps far-future deadlines itself.
        let deadline = now
            .checked_add(timeout)
            .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
            .unwrap_or(now);

        let response = match tokio::time::timeout_at(deadline, self.http.request(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Err(error::from_client_error(&e)),
            Err(_) => {
                return Err(Error::Timeout {
                    message: format!("no response head within the request timeout ({timeout:?})"),
                    maybe_sent: true,
                });
            }
        };

        let (parts, body) = response.into_parts();
        let limit = self.config.max_response_body;
        match tokio::time::timeout_at(deadline, read_body(body, limit, parts.status)).await {
            Ok(Ok(bytes)) => Ok(http::Response::from_parts(parts, bytes)),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(Error::Timeout {
                message: format!(
                    "the {} response body was not complete within the request timeout ({timeout:?})",
                    parts.status
                ),
                maybe_sent: true,
            }),
        }
    }
}

/// Random bits for the backoff jitter, so that many clients do not retry in lockstep.
fn jitter() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        use std::hash::BuildHasher;
        std::collections::hash_map::RandomState::new().hash_one(Instant::now())
    })
}

/// Reads the whole body, refusing to buffer more than `limit` bytes.
async fn read_body(
    mut body: Incoming,
    limit: usize,
    status: http::StatusCode,
) -> Result<Vec<u8>, Error> {
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    let announced = body.size_hint().lower();
    if announced > limit_u64 {
        return Err(Error::ResponseTooLarge {
            limit,
            message: format!("the {status} response announces {announced} bytes"),
        });
    }
    // Trust the announced length for preallocation only up to 1 MiB.
    let capacity = usize::try_from(announced.min(1 << 20)).unwrap_or(0);
    let mut out = Vec::with_capacity(capacity);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| error::from_body_error(&e))?;
        if let Ok(data) = frame.into_data() {
            if data.len() > limit - out.len() {
                return Err(Error::ResponseTooLarge {
                    limit,
                    message: format!(
                        "the {status} response body passed the limit after {} bytes",
                        out.len().saturating_add(data.len())
                    ),
                });
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

/// Refuses anything but `https://` and loopback `http://`, before any connection is made.
fn check_uri(uri: &http::Uri) -> Result<(), Error> {
    let shown = || uri.to_string().chars().take(200).collect::<String>();
    let Some(host) = uri.host() else {
        return Err(Error::InsecureUrl(format!(
            "`{}`: the request URI must be absolute (scheme and host)",
            shown()
        )));
    };
    match uri.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(Error::InsecureUrl(format!(
            "`{}`: plain http is only allowed to loopback hosts (127.0.0.0/8, ::1, localhost); use https",
            shown()
        ))),
        _ => Err(Error::InsecureUrl(format!(
            "`{}`: the scheme must be https (or http to a loopback host)",
            shown()
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_retry;
#[cfg(test)]
mod tests_stream;
#[cfg(test)]
mod tests_stream_client;
