//! Timeouts, limits and connection-pool settings.

use std::time::Duration;

/// Settings of an [`AsyncClient`](crate::AsyncClient). Start from [`Config::default()`] and
/// change what you need:
///
/// ```
/// use std::time::Duration;
/// let config = kalshi_transport_hyper::Config::default()
///     .request_timeout(Duration::from_secs(10))
///     .max_response_body(4 << 20);
/// assert_eq!(config.connect_timeout, Duration::from_secs(5));
/// ```
///
/// Redirects are never followed (a 3xx is handed to the core, which reports it as an
/// unexpected status), and TLS certificates are always verified against Mozilla's roots.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// How long establishing one TCP connection may take (per resolved address). Default 5 s.
    pub connect_timeout: Duration,
    /// How long a whole request may take: DNS, connect, TLS, sending, the response head and the
    /// complete body. Default 30 s.
    pub request_timeout: Duration,
    /// The largest response body accepted, in bytes; checked against `Content-Length` before
    /// reading and enforced while streaming, so no more than this is ever buffered. Default
    /// 32 MiB (a list of 100,000 order groups is about 11 MB).
    pub max_response_body: usize,
    /// How long an idle pooled connection is kept for reuse. Default 30 s.
    pub pool_idle_timeout: Duration,
    /// How many idle connections are kept per host; 0 disables connection reuse. Default 16.
    pub pool_max_idle_per_host: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_response_body: 32 * 1024 * 1024,
            pool_idle_timeout: Duration::from_secs(30),
            pool_max_idle_per_host: 16,
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
}
