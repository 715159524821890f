//! Timeouts, limits, connection-pool settings, retries, rate limiting and clock correction.

use std::time::Duration;

use kalshi_core::rate_limit::Tier;
use kalshi_core::retry::RetryPolicy;

/// Settings of an [`AsyncClient`](crate::AsyncClient). Start from [`Config::default()`] and
/// change what you need:
///
/// ```
/// use std::time::Duration;
/// use kalshi_core::rate_limit::Tier;
/// let config = kalshi_transport_hyper::Config::default()
///     .request_timeout(Duration::from_secs(10))
///     .max_response_body(4 << 20)
///     .rate_limit(Tier::Basic)
///     .correct_clock_skew(true);
/// assert_eq!(config.connect_timeout, Duration::from_secs(5));
/// assert_eq!(config.retry.max_attempts, 4);
/// ```
///
/// Redirects are never followed (a 3xx is handed to the core, which reports it as an
/// unexpected status), and TLS certificates are always verified against Mozilla's roots.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// How long establishing one TCP connection may take (per resolved address). Default 5 s.
    pub connect_timeout: Duration,
    /// How long one attempt may take: DNS, connect, TLS, sending, the response head and the
    /// complete body. Retries get a fresh timeout each. Default 30 s.
    pub request_timeout: Duration,
    /// The largest response body accepted, in bytes; checked against `Content-Length` before
    /// reading and enforced while streaming, so no more than this is ever buffered. Default
    /// 32 MiB (a list of 100,000 order groups is about 11 MB).
    pub max_response_body: usize,
    /// How long an idle pooled connection is kept for reuse. Default 30 s.
    pub pool_idle_timeout: Duration,
    /// How many idle connections are kept per host; 0 disables connection reuse. Default 16.
    pub pool_max_idle_per_host: usize,
    /// When and how often a failed attempt is repeated. The core decides per operation whether
    /// a repeat is safe (see [`kalshi_core::retry`]): a create without an idempotency key is
    /// never repeated after an unknown outcome. Default [`RetryPolicy::default()`] (4 attempts,
    /// 100 ms doubling to at most 5 s); [`RetryPolicy::never()`] turns retries off.
    pub retry: RetryPolicy,
    /// The client-side token buckets every request waits for before it is signed and sent, or
    /// `None` (the default) to send at once and let the exchange answer 429. Past a burst each
    /// bucket keeps 100 ms of refill in reserve (Basic Write: 9 orders at once, not 10), because
    /// a request reaches the exchange a little after the limiter let it go.
    pub rate_limit: Option<RateLimit>,
    /// Whether requests signed by [`AsyncClient::execute`](crate::AsyncClient::execute) are
    /// stamped with the exchange's clock as estimated from the responses' `Date` headers,
    /// instead of the local clock. Default false. Explicit timestamps
    /// ([`AsyncClient::execute_at`](crate::AsyncClient::execute_at)) are never corrected.
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
            request_timeout: Duration::from_secs(30),
            max_response_body: 32 * 1024 * 1024,
            pool_idle_timeout: Duration::from_secs(30),
            pool_max_idle_per_host: 16,
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

    /// Sets [`Config::request_timeout`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets [`Config::max_response_body`].
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Sets [`Config::pool_idle_timeout`].
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Sets [`Config::pool_max_idle_per_host`].
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Sets [`Config::retry`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Waits for the documented token buckets of `tier` before each request (see
    /// [`Config::rate_limit`]). The buckets are shared by every clone of the client; use one
    /// client per API key.
    pub fn rate_limit(mut self, tier: Tier) -> Self {
        self.rate_limit = Some(RateLimit::Tier(tier));
        self
    }

    /// Waits for token buckets with explicit `(refill tokens per second, capacity)` pairs
    /// before each request, e.g. the `read` and `write` budgets of `GET /account/limits`.
    pub fn rate_limit_custom(mut self, read: (u64, u64), write: (u64, u64)) -> Self {
        self.rate_limit = Some(RateLimit::Custom { read, write });
        self
    }

    /// Sets [`Config::correct_clock_skew`].
    pub fn correct_clock_skew(mut self, on: bool) -> Self {
        self.correct_clock_skew = on;
        self
    }
}
