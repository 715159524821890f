//! Opening a stream, sans-IO: where to connect ([`StreamUrl`]), the signed WebSocket handshake
//! ([`handshake_request`]), what a refused handshake means ([`handshake_refused`]), and how
//! long to wait before reconnecting ([`Backoff`]).
//!
//! The handshake is a `GET` of `/trade-api/ws/v2` signed exactly like a REST request: the
//! three `KALSHI-ACCESS-*` headers over `timestamp + "GET" + "/trade-api/ws/v2"`. As on the REST
//! side, nothing here reads a clock or a random source: the timestamp, the
//! `Sec-WebSocket-Key`'s 16 random bytes and the backoff's jitter come from the caller.
//!
//! ```
//! use kalshi_core::stream::handshake::{handshake_request, StreamUrl, WebSocketKey};
//! use kalshi_core::{Credentials, Environment, Timestamp};
//! # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
//! let credentials = Credentials::from_pem("my-key-id", &pem)?;
//!
//! let url = StreamUrl::for_environment(&Environment::Demo);
//! assert_eq!(url.to_string(), "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2");
//!
//! let key = WebSocketKey::from_random([7; 16]); // 16 random bytes per connection
//! let request = handshake_request(&url, &credentials, Timestamp::from_millis(1_703_123_456_789), &key)?;
//! assert_eq!(request.uri(), "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2");
//! assert_eq!(request.headers()["KALSHI-ACCESS-TIMESTAMP"], "1703123456789");
//! assert_eq!(request.headers()["Upgrade"], "websocket");
//! # Ok::<(), kalshi_core::Error>(())
//! ```

use std::fmt;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::StatusCode;
use http::header::{
    CONNECTION, HOST, HeaderValue, SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION, UPGRADE, USER_AGENT,
};

use crate::auth::{
    Credentials, HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE, HEADER_ACCESS_TIMESTAMP,
};
use crate::environment::{BaseUrl, Environment};
use crate::retry::RetryPolicy;
use crate::{DEFAULT_USER_AGENT, Error, Timestamp};

/// The path of the WebSocket API on every Kalshi host, and the path that is signed.
pub const STREAM_PATH: &str = "/trade-api/ws/v2";

/// Production's stream host (the recommended one).
const PRODUCTION_STREAM_HOST: &str = "external-api-ws.kalshi.com";
/// Demo's stream host (the recommended one).
const DEMO_STREAM_HOST: &str = "external-api-ws.demo.kalshi.co";
/// Production's REST host, whose stream host is [`PRODUCTION_STREAM_HOST`].
const PRODUCTION_REST_HOST: &str = "external-api.kalshi.com";
/// Demo's REST host, whose stream host is [`DEMO_STREAM_HOST`].
const DEMO_REST_HOST: &str = "external-api.demo.kalshi.co";
/// The older shared hosts, which serve REST and the stream on the same name.
const SHARED_HOSTS: [&str; 2] = ["api.elections.kalshi.com", "demo-api.kalshi.co"];

/// Where a stream connects: `wss://` to any host, or plain `ws://` to a loopback address only.
///
/// | environment | stream URL |
/// |---|---|
/// | [`Environment::Production`] | `wss://external-api-ws.kalshi.com/trade-api/ws/v2` |
/// | [`Environment::Demo`] | `wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2` |
/// | [`Environment::ProductionShared`] | `wss://api.elections.kalshi.com/trade-api/ws/v2` |
/// | [`Environment::DemoShared`] | `wss://demo-api.kalshi.co/trade-api/ws/v2` |
/// | [`Environment::Custom`] | the same authority, `https` → `wss`, loopback `http` → `ws`, path `/trade-api/ws/v2` (a custom base URL on one of Kalshi's REST hosts gets that host's stream host) |
///
/// ```
/// use kalshi_core::Environment;
/// use kalshi_core::stream::handshake::StreamUrl;
/// let local = Environment::custom("http://127.0.0.1:8080/trade-api/v2")?;
/// assert_eq!(StreamUrl::for_environment(&local).to_string(), "ws://127.0.0.1:8080/trade-api/ws/v2");
/// assert!(StreamUrl::parse("ws://example.com/trade-api/ws/v2").is_err()); // plain ws off loopback
/// # Ok::<(), kalshi_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StreamUrl {
    secure: bool,
    authority: String,
    path: String,
}

impl StreamUrl {
    /// The stream URL of `environment` (see the table above).
    pub fn for_environment(environment: &Environment) -> StreamUrl {
        match environment {
            Environment::Production => Self::preset(PRODUCTION_STREAM_HOST),
            Environment::Demo => Self::preset(DEMO_STREAM_HOST),
            Environment::ProductionShared => Self::preset(SHARED_HOSTS[0]),
            Environment::DemoShared => Self::preset(SHARED_HOSTS[1]),
            Environment::Custom(base) => Self::from_base_url(base),
        }
    }

    /// The stream URL that goes with a REST base URL: Kalshi's REST hosts map to their stream
    /// hosts (`external-api.kalshi.com` → `external-api-ws.kalshi.com`, the shared hosts to
    /// themselves); any other authority is kept as it is, `https` becoming `wss` and (loopback)
    /// `http` becoming `ws`, with the path `/trade-api/ws/v2`.
    pub fn from_base_url(base: &BaseUrl) -> StreamUrl {
        let authority = base.authority();
        if base.is_https() {
            match authority {
                PRODUCTION_REST_HOST => return Self::preset(PRODUCTION_STREAM_HOST),
                DEMO_REST_HOST => return Self::preset(DEMO_STREAM_HOST),
                _ => {}
            }
        }
        StreamUrl {
            secure: base.is_https(),
            authority: authority.to_owned(),
            path: STREAM_PATH.to_owned(),
        }
    }

    /// Parses and checks a stream URL given in full (a proxy with its own path, say). Refused:
    /// other schemes, plain `ws` to a non-loopback host, user info, a query or a fragment.
    pub fn parse(url: &str) -> Result<StreamUrl, Error> {
        let bad = |why: &str| {
            Error::InvalidBaseUrl(format!(
                "`{}`: {why}",
                url.chars().take(200).collect::<String>()
            ))
        };
        let uri: http::Uri = url.parse().map_err(|_| bad("not a URL"))?;
        let secure = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("wss") => true,
            Some(s) if s.eq_ignore_ascii_case("ws") => false,
            Some(_) => return Err(bad("the scheme must be wss (or ws for loopback)")),
            None => return Err(bad("the URL needs a scheme, e.g. wss://")),
        };
        let authority = uri.authority().ok_or_else(|| bad("the URL has no host"))?;
        if authority.as_str().contains('@') {
            return Err(bad("user info in the URL is not supported"));
        }
        if url.contains('#') || uri.query().is_some() {
            return Err(bad("a stream URL cannot have a query or fragment"));
        }
        if !secure && !is_loopback(authority.host()) {
            return Err(bad(
                "plain ws is only allowed to loopback addresses (127.0.0.1, ::1, localhost); use wss",
            ));
        }
        let path = match uri.path() {
            "" | "/" => STREAM_PATH,
            p => p,
        };
        Ok(StreamUrl {
            secure,
            authority: authority.as_str().to_ascii_lowercase(),
            path: path.to_owned(),
        })
    }

    fn preset(host: &str) -> StreamUrl {
        StreamUrl {
            secure: true,
            authority: host.to_owned(),
            path: STREAM_PATH.to_owned(),
        }
    }

    /// `wss` or `ws`.
    pub fn scheme(&self) -> &'static str {
        if self.secure { "wss" } else { "ws" }
    }

    /// True for `wss` (TLS).
    pub fn is_secure(&self) -> bool {
        self.secure
    }

    /// Host and optional port, e.g. `external-api-ws.kalshi.com` or `127.0.0.1:8080`: the
    /// `Host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The host to resolve and to name in TLS (SNI, certificate check): the authority without
    /// its port, and an IPv6 address without its brackets.
    pub fn host(&self) -> &str {
        let host = match self.authority.rsplit_once(':') {
            // A colon inside brackets belongs to an IPv6 address, not a port.
            Some((host, port)) if !port.contains(']') => host,
            _ => &self.authority,
        };
        host.trim_start_matches('[').trim_end_matches(']')
    }

    /// The port: the one in the URL, else 443 for `wss` and 80 for `ws`.
    pub fn port(&self) -> u16 {
        match self.authority.rsplit_once(':') {
            Some((_, port)) if !port.contains(']') => port.parse().unwrap_or(0),
            _ if self.secure => 443,
            _ => 80,
        }
    }

    /// The path requested and signed (`/trade-api/ws/v2`).
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for StreamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme(), self.authority, self.path)
    }
}

impl Environment {
    /// The WebSocket URL of this environment: [`StreamUrl::for_environment`].
    pub fn stream_url(&self) -> StreamUrl {
        StreamUrl::for_environment(self)
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The `Sec-WebSocket-Key` of one connection: 16 random bytes, base64-encoded (RFC 6455).
///
/// The bytes come from the caller (the transports draw them from the operating system), so
/// that the core has no hidden randomness; use fresh ones for every connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSocketKey(String);

impl WebSocketKey {
    /// The key made of these 16 random bytes.
    ///
    /// ```
    /// let key = kalshi_core::stream::handshake::WebSocketKey::from_random(*b"the sample nonce");
    /// assert_eq!(key.as_str(), "dGhlIHNhbXBsZSBub25jZQ=="); // RFC 6455, section 1.3
    /// ```
    pub fn from_random(bytes: [u8; 16]) -> WebSocketKey {
        WebSocketKey(STANDARD.encode(bytes))
    }

    /// The header value (24 base64 characters).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The signed WebSocket handshake for `url` at `timestamp`: `GET` of the URL (scheme `wss` or
/// `ws`), with the `KALSHI-ACCESS-KEY`, `KALSHI-ACCESS-SIGNATURE` and `KALSHI-ACCESS-TIMESTAMP`
/// headers signed over `timestamp + "GET" + path` exactly as a REST request is, and the
/// upgrade headers a WebSocket client sends (`Host`, `Connection: Upgrade`,
/// `Upgrade: websocket`, `Sec-WebSocket-Version: 13`, `Sec-WebSocket-Key: key`), plus the
/// crate's `User-Agent` (replace it in the returned request's headers if you want your own).
///
/// This is the request `tungstenite::client` (and `tokio_tungstenite::client_async`) take as
/// it is. Kalshi accepts a signed timestamp within a few seconds of its clock: sign just before
/// connecting, and sign again for every reconnection.
pub fn handshake_request(
    url: &StreamUrl,
    credentials: &Credentials,
    timestamp: Timestamp,
    key: &WebSocketKey,
) -> Result<http::Request<()>, Error> {
    let ts = timestamp.as_millis();
    let signature = credentials.sign(ts, "GET", url.path())?;
    let sig_value = HeaderValue::from_str(&signature)
        .map_err(|_| Error::Signing("the signer returned a non-ASCII signature".into()))?;
    let host = HeaderValue::from_str(url.authority())
        .map_err(|_| Error::InvalidBaseUrl(format!("`{url}`: the host is not a valid header")))?;
    let key_value = HeaderValue::from_str(key.as_str())
        .map_err(|_| Error::invalid("key", "not a valid header value"))?;
    http::Request::builder()
        .method(http::Method::GET)
        .uri(url.to_string())
        .header(HOST, host)
        .header(CONNECTION, HeaderValue::from_static("Upgrade"))
        .header(UPGRADE, HeaderValue::from_static("websocket"))
        .header(SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"))
        .header(SEC_WEBSOCKET_KEY, key_value)
        .header(USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT))
        .header(HEADER_ACCESS_KEY, credentials.key_header().clone())
        .header(HEADER_ACCESS_TIMESTAMP, HeaderValue::from(ts))
        .header(HEADER_ACCESS_SIGNATURE, sig_value)
        .body(())
        .map_err(|e| Error::InvalidBaseUrl(format!("`{url}`: cannot build the handshake: {e}")))
}

/// What a refused handshake (any status but `101 Switching Protocols`) means, classified like
/// a REST answer: 401 [`Error::Unauthorized`] (wrong key, bad signature, stale timestamp), 403
/// [`Error::Forbidden`], 429 [`Error::RateLimited`], 5xx [`Error::ServerError`], ..., each with
/// the status, Kalshi's error document if the body is one, and the body (bounded).
///
/// ```
/// use http::StatusCode;
/// let e = kalshi_core::stream::handshake::handshake_refused(StatusCode::UNAUTHORIZED, br#"{"error":{"code":"authentication_error","message":"bad signature"}}"#);
/// assert!(matches!(e, kalshi_core::Error::Unauthorized(_)));
/// assert_eq!(e.status(), Some(StatusCode::UNAUTHORIZED));
/// ```
pub fn handshake_refused(status: StatusCode, body: &[u8]) -> Error {
    crate::response::error_for_status(status, body)
}

/// How long to wait before reconnecting: exponential, bounded, jittered.
///
/// The delay before attempt `n` (1-based) is `initial * 2^(n-1)` capped at `max`, then drawn
/// into its upper half by the caller's random number (equal jitter, the formula of the REST
/// retries: [`RetryPolicy::backoff`]), so that clients dropped together do not come back in
/// lockstep, and every delay lies in `[initial / 2, max]`.
///
/// ```
/// use std::time::Duration;
/// use kalshi_core::stream::handshake::BackoffConfig;
/// let config = BackoffConfig::default();
/// assert!(config.delay(1, 0) >= Duration::from_millis(125) && config.delay(1, 0) <= Duration::from_millis(250));
/// assert!(config.delay(40, u64::MAX) <= Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackoffConfig {
    /// The delay before the first reconnection attempt (before jitter). Default 250 ms.
    pub initial: Duration,
    /// The longest delay. Default 30 s.
    pub max: Duration,
    /// How long a connection must have lasted for its loss to start the backoff afresh.
    /// Default 30 s (three of Kalshi's pings): a server that accepts and then drops at once is
    /// met with growing delays, not a tight loop.
    pub healthy_after: Duration,
}

impl Default for BackoffConfig {
    fn default() -> Self {
        BackoffConfig {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(30),
            healthy_after: Duration::from_secs(30),
        }
    }
}

impl BackoffConfig {
    /// Sets [`BackoffConfig::initial`].
    pub fn initial(mut self, delay: Duration) -> Self {
        self.initial = delay;
        self
    }

    /// Sets [`BackoffConfig::max`].
    pub fn max(mut self, delay: Duration) -> Self {
        self.max = delay;
        self
    }

    /// Sets [`BackoffConfig::healthy_after`].
    pub fn healthy_after(mut self, lasted: Duration) -> Self {
        self.healthy_after = lasted;
        self
    }

    /// The delay before attempt `attempt` (1-based; 0 counts as 1), jittered by `random`.
    pub fn delay(&self, attempt: u32, random: u64) -> Duration {
        RetryPolicy {
            initial_backoff: self.initial,
            max_backoff: self.max,
            ..RetryPolicy::default()
        }
        .backoff(attempt.max(1), random)
    }
}

/// The reconnection schedule of one stream: counts the failed attempts since the last healthy
/// connection and gives the delay before the next one. No clock: `now` comes from the caller.
///
/// ```
/// use std::time::{Duration, Instant};
/// use kalshi_core::stream::handshake::{Backoff, BackoffConfig};
/// let mut backoff = Backoff::new(BackoffConfig::default());
/// let t0 = Instant::now();
/// let first = backoff.next_delay(t0, 0);  // the connection failed
/// let second = backoff.next_delay(t0, 0); // and again: longer
/// assert!(second > first);
/// backoff.on_connected(t0);
/// // Lost after a minute of health: the schedule starts again.
/// assert_eq!(backoff.next_delay(t0 + Duration::from_secs(60), 0), first);
/// ```
#[derive(Debug, Clone)]
pub struct Backoff {
    config: BackoffConfig,
    failures: u32,
    connected_at: Option<Instant>,
}

impl Backoff {
    /// A schedule with no failure yet.
    pub fn new(config: BackoffConfig) -> Backoff {
        Backoff {
            config,
            failures: 0,
            connected_at: None,
        }
    }

    /// The settings.
    pub fn config(&self) -> &BackoffConfig {
        &self.config
    }

    /// Failed attempts (or lost connections) counted since the last healthy connection.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Reports that a connection is up (the handshake succeeded) at `now`.
    pub fn on_connected(&mut self, now: Instant) {
        self.connected_at = Some(now);
    }

    /// Reports that a connection attempt failed, or that the connection was lost, at `now`,
    /// and returns how long to wait before the next attempt. A connection that had lasted at
    /// least [`BackoffConfig::healthy_after`] starts the schedule afresh; one lost sooner
    /// counts as a failure like a refused attempt.
    pub fn next_delay(&mut self, now: Instant, random: u64) -> Duration {
        if let Some(since) = self.connected_at.take() {
            if now.saturating_duration_since(since) >= self.config.healthy_after {
                self.failures = 0;
            }
        }
        self.failures = self.failures.saturating_add(1);
        self.config.delay(self.failures, random)
    }

    /// Forgets every failure (e.g. once the session's subscriptions are confirmed).
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests;
