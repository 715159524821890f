//! Transport settings: timeouts, the response size cap, the connection pool, retries, the
//! client-side rate limiter and clock-skew correction.

use std::time::Duration;

use kalshi_core::rate_limit::Tier;
use kalshi_core::retry::RetryPolicy;

/// Settings of a [`BlockingClient`](crate::BlockingClient).
///
/// Start from [`Config::default()`] and change what you need, with the chainable setters or
/// the public fields:
///
/// ```
/// use std::time::Duration;
/// let config = kalshi_transport_ureq::Config::default()
///     .timeout(Duration::from_secs(10))
///     .max_response_bytes(8 << 20);
/// assert_eq!(config.connect_timeout, Duration::from_secs(5));
/// assert_eq!(config.max_response_bytes, 8 << 20);
/// ```
///
/// Retries ([`Config::retry`]) are on by default and never repeat what could be executed
/// twice (see [`kalshi_core::retry`]); the rate limiter ([`Config::rate_limit`]) and clock-skew
/// correction ([`Config::correct_clock_skew`]) are opt-in:
///
/// ```
/// use kalshi_core::rate_limit::Tier;
/// use kalshi_core::retry::RetryPolicy;
/// let config = kalshi_transport_ureq::Config::default()
///     .retry(RetryPolicy { max_attempts: 6, ..RetryPolicy::default() })
///     .rate_limit(Tier::Advanced)
///     .correct_clock_skew(true);
/// assert_eq!(config.retry.max_attempts, 6);
/// assert!(config.rate_limit.is_some());
/// let never = kalshi_transport_ureq::Config::default().retry(RetryPolicy::never());
/// assert_eq!(never.retry.max_attempts, 1);
/// ```
///
/// What cannot be configured, on purpose: TLS certificate verification (always on, against the
/// Mozilla roots of `webpki-roots`), redirects (never followed: a 3xx is handed to the core,
/// which reports it as `UnexpectedStatus`), compression (never requested) and the
/// `User-Agent` (set by [`kalshi_core::Client::with_user_agent`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Budget for setting up one connection (TCP connect and TLS handshake). Default: 5
    /// seconds. DNS resolution is left to the system resolver's own timeouts: ureq bounds a
    /// lookup by starting a thread per request (even on a reused connection), which cost
    /// about 0.5 ms a call here (see BENCHMARKS.md).
    pub connect_timeout: Duration,
    /// Budget for each phase of a call on a connection: sending the request, waiting for the
    /// response head, reading the body. Default: 30 seconds. (Per phase rather than for the
    /// whole call, for the same reason: ureq's whole-call timeout also starts a thread per
    /// request.)
    pub timeout: Duration,
    /// The largest response body accepted, in bytes; a longer one fails with
    /// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) without being read to its
    /// end. Default: 32 MiB (a list of 100,000 order groups is about 11 MB).
    pub max_response_bytes: u64,
    /// How many idle keep-alive connections the pool keeps in total. `0` disables reuse.
    /// Default: 10.
    pub max_idle_connections: usize,
    /// How many idle keep-alive connections the pool keeps per host. Default: 4.
    pub max_idle_connections_per_host: usize,
    /// How long an idle connection stays in the pool before it is closed. Default: 15 seconds.
    pub max_idle_age: Duration,
    /// Whether to honour the `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` environment
    /// variables (an HTTPS request goes through a `CONNECT` tunnel, so TLS stays end-to-end with
    /// the exchange). Default: `false`, so that nothing in the environment silently reroutes
    /// signed requests.
    pub proxy_from_env: bool,
    /// When and how often a failed call is repeated. Default: [`RetryPolicy::default()`]
    /// (4 attempts, 100 ms doubling to 5 s with jitter); [`RetryPolicy::never()`] turns
    /// retries off. Whatever the policy, an operation that could be executed twice (a create
    /// without an idempotency key, such as `CreateOrderGroup`) is never repeated after its
    /// outcome became unknown.
    pub retry: RetryPolicy,
    /// The client-side token buckets, or `None` (the default) for none. With buckets, every
    /// attempt (retries included) waits until its bucket holds the request's cost
    /// ([`Operation::cost`](kalshi_core::Operation::cost); `GET` drains Read, other methods
    /// Write), so the client stays under the exchange's limits instead of collecting 429s.
    ///
    /// Past a burst, the client keeps a little refill in reserve: the exchange debits a
    /// request when it arrives, some milliseconds after the client did, and without a reserve
    /// a request paced exactly at the refill rate would sometimes arrive just before its
    /// tokens. The reserve is the refill of 10 ms plus the recent peak time from sending to
    /// answer (e.g. with 20 ms answers, 3 tokens of the Basic Write bucket, 30 of Premier's),
    /// so a burst of a bucket's whole capacity sends its last requests that much later; the
    /// sustained rate is the tier's.
    ///
    /// The buckets start full and are shared by the clones of one client: use one client (and
    /// its clones) per API key; other processes using the same key are not accounted for.
    pub rate_limit: Option<RateLimit>,
    /// Whether [`BlockingClient::execute`](crate::BlockingClient::execute) signs with the local
    /// clock corrected by the offset observed from the exchange's `Date` headers (and order
    /// timestamps). Default: `false` (sign with the local clock; a 401 still reports a large
    /// observed offset). Never applied to
    /// [`execute_at`](crate::BlockingClient::execute_at), whose timestamp is the caller's.
    ///
    /// With it on, a 401 whose answer shows the exchange's clock far (a second or more) from
    /// the one the request was signed with is re-signed on the corrected clock and sent once
    /// more, whatever the operation (a 401 executes nothing): after a clock jump the first call
    /// succeeds instead of failing to teach the offset.
    pub correct_clock_skew: bool,
}

pub use kalshi_core::rate_limit::RateLimit;

impl Default for Config {
    fn default() -> Self {
        Config {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            max_response_bytes: 32 * 1024 * 1024,
            max_idle_connections: 10,
            max_idle_connections_per_host: 4,
            max_idle_age: Duration::from_secs(15),
            proxy_from_env: false,
            retry: RetryPolicy::default(),
            rate_limit: None,
            correct_clock_skew: false,
        }
    }
}

impl Config {
    /// Sets [`Config::connect_timeout`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`Config::timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`Config::max_response_bytes`].
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sets [`Config::max_idle_connections`] and [`Config::max_idle_connections_per_host`].
    pub fn max_idle_connections(mut self, total: usize, per_host: usize) -> Self {
        self.max_idle_connections = total;
        self.max_idle_connections_per_host = per_host;
        self
    }

    /// Sets [`Config::max_idle_age`].
    pub fn max_idle_age(mut self, age: Duration) -> Self {
        self.max_idle_age = age;
        self
    }

    /// Sets [`Config::proxy_from_env`].
    pub fn proxy_from_env(mut self, yes: bool) -> Self {
        self.proxy_from_env = yes;
        self
    }

    /// Sets [`Config::retry`] ([`RetryPolicy::never()`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Turns the client-side rate limiter on with the budgets of `tier` (see
    /// [`Config::rate_limit`]).
    pub fn rate_limit(mut self, tier: Tier) -> Self {
        self.rate_limit = Some(RateLimit::Tier(tier));
        self
    }

    /// Turns the client-side rate limiter on with explicit (refill tokens per second, capacity)
    /// pairs, e.g. from `GET /account/limits`.
    pub fn rate_limit_custom(mut self, read: (u64, u64), write: (u64, u64)) -> Self {
        self.rate_limit = Some(RateLimit::Custom { read, write });
        self
    }

    /// Sets [`Config::correct_clock_skew`].
    pub fn correct_clock_skew(mut self, yes: bool) -> Self {
        self.correct_clock_skew = yes;
        self
    }

    /// The ureq agent these settings describe.
    pub(crate) fn agent(&self) -> ureq::Agent {
        use ureq::config::AutoHeaderValue;
        use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

        // The crypto provider is set here, never taken from rustls's process-wide default.
        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(crate::tls_crypto_provider())
            .root_certs(RootCerts::WebPki)
            .build();
        let proxy = if self.proxy_from_env {
            ureq::Proxy::try_from_env()
        } else {
            None
        };
        let config = ureq::Agent::config_builder()
            // Every status and body goes to the core, which classifies it.
            .http_status_as_error(false)
            // A redirect is returned as the response (never followed, never an error).
            .max_redirects(0)
            .tls_config(tls)
            .proxy(proxy)
            // The core sets `User-Agent` and `Accept`; no compression is asked for.
            .user_agent(AutoHeaderValue::None)
            .accept(AutoHeaderValue::None)
            .accept_encoding(AutoHeaderValue::None)
            // Per-phase timeouts only: `timeout_resolve` and `timeout_global` make ureq resolve
            // on a new thread for every request, pooled connection or not.
            .timeout_connect(Some(self.connect_timeout))
            .timeout_send_request(Some(self.timeout))
            .timeout_send_body(Some(self.timeout))
            .timeout_recv_response(Some(self.timeout))
            .timeout_recv_body(Some(self.timeout))
            .max_idle_connections(self.max_idle_connections)
            .max_idle_connections_per_host(self.max_idle_connections_per_host)
            .max_idle_age(self.max_idle_age)
            .build();
        ureq::Agent::new_with_config(config)
    }
}
