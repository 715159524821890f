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
//! # let sim = kalshi_tests::Simulator::start(kalshi_tests::SimulatorConfig::default())?;
//! # let base_url = sim.base_url();
//! # let (key_id, pem) = (kalshi_tests::DEMO_KEY_ID, kalshi_tests::DEMO_PRIVATE_KEY_PEM);
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
//! # Runtime
//!
//! The connector, the connection pool and the timeouts use tokio (hyper-util's
//! `TokioExecutor` and `TokioTimer`, `tokio::time`), so every method must run inside a tokio
//! runtime with the time and I/O drivers enabled (`#[tokio::main]` does that). The public API
//! itself is plain `async fn`s returning `Send` futures; the client spawns nothing besides the
//! per-connection tasks of hyper-util's pool and the blocking DNS lookups of its resolver.
//!
//! # Security
//!
//! TLS (rustls with the `ring` provider) always verifies certificates against Mozilla's roots
//! (webpki-roots); there is no switch to turn that off. Plain `http://` is refused with
//! [`Error::InsecureUrl`] before connecting unless the host is loopback (`127.0.0.0/8`, `::1`,
//! `localhost`), for local simulators. Redirects are never followed.
//!
//! # Errors
//!
//! One enum, [`Error`]: [`Error::Api`] wraps the core's [`kalshi_core::Error`] (refused before
//! sending, or the exchange's answer such as `NotFound`), the other variants are transport
//! failures. [`Error::outcome_unknown`] tells whether a write may have taken effect.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
mod error;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Incoming};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use kalshi_core::{Operation, Timestamp};
use tokio::time::Instant;

pub use config::Config;
pub use error::Error;

type Connector = HttpsConnector<HttpConnector>;

/// An async Kalshi client: a [`kalshi_core::Client`] (signing) plus a pooled hyper client
/// (sending). Cheap to clone; clones share the connection pool. Use one per API key.
#[derive(Clone)]
pub struct AsyncClient {
    core: kalshi_core::Client,
    http: HyperClient<Connector, Full<Bytes>>,
    config: Arc<Config>,
}

impl std::fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("core", &self.core)
            .field("config", &self.config)
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

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let connector = HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(|e| Error::Tls(format!("cannot build the TLS configuration: {e}")))?
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

        Ok(AsyncClient {
            core,
            http,
            config: Arc::new(config),
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

    /// Executes `op`, signed with the system clock ([`Timestamp::now`]), and parses the answer.
    ///
    /// The exchange's refusals come back as [`Error::Api`] (e.g.
    /// `Error::Api(kalshi_core::Error::NotFound(_))`); transport failures as the other variants.
    pub async fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        self.execute_at(op, Timestamp::now()).await
    }

    /// Executes `op` signed with `timestamp` (for a caller-managed clock, or tests), and parses
    /// the answer.
    pub async fn execute_at<O: Operation>(
        &self,
        op: &O,
        timestamp: Timestamp,
    ) -> Result<O::Output, Error> {
        let request = self.core.request(op, timestamp)?;
        let response = self.send(request).await?;
        Ok(self.core.response(op, &response)?)
    }

    /// Sends a raw request (normally one built by [`kalshi_core::Client::request`]) and returns
    /// the raw answer, whatever its status, with the body read completely (up to
    /// [`Config::max_response_body`]).
    ///
    /// The URI must be absolute: `https://`, or `http://` to a loopback host only.
    pub async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        check_uri(request.uri())?;
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
