//! Transport settings: timeouts, the response size cap and the connection pool.

use std::time::Duration;

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
/// What cannot be configured, on purpose: TLS certificate verification (always on, against the
/// Mozilla roots of `webpki-roots`), redirects (never followed: a 3xx is handed to the core,
/// which reports it as `UnexpectedStatus`), compression (never requested) and the
/// `User-Agent` (set by [`kalshi_core::Client::with_user_agent`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Budget for DNS resolution and for setting up one connection (TCP connect and TLS
    /// handshake). Default: 5 seconds.
    pub connect_timeout: Duration,
    /// Budget for a whole call, from the start of resolution to the last byte of the response
    /// body. Default: 30 seconds. Keep it above `connect_timeout`: a timeout is reported as
    /// "before connecting" only when the connect budget is the one that ran out.
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
}

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

    /// The ureq agent these settings describe.
    pub(crate) fn agent(&self) -> ureq::Agent {
        use ureq::config::AutoHeaderValue;
        use ureq::tls::{RootCerts, TlsConfig, TlsProvider};

        let tls = TlsConfig::builder()
            .provider(TlsProvider::Rustls)
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
            .timeout_resolve(Some(self.connect_timeout))
            .timeout_connect(Some(self.connect_timeout))
            .timeout_global(Some(self.timeout))
            .max_idle_connections(self.max_idle_connections)
            .max_idle_connections_per_host(self.max_idle_connections_per_host)
            .max_idle_age(self.max_idle_age)
            .build();
        ureq::Agent::new_with_config(config)
    }
}
