//! Blocking transport for the Kalshi Trade API v2 client, over [ureq] 3.
//!
//! [`kalshi_core`] builds signed `http::Request`s and reads `http::Response`s without doing any
//! I/O; this crate sends the requests. A [`BlockingClient`] holds a [`kalshi_core::Client`] and
//! a ureq agent (with a pool of keep-alive connections): [`BlockingClient::execute`] signs an
//! operation with the current time, sends it and hands the answer to the core.
//!
//! This example runs against the local exchange simulator of the `kalshi-tests` crate; for the
//! real exchange use `Environment::Demo` or `Environment::Production` and your own key.
//!
//! ```
//! use kalshi_core::order_groups::{CreateOrderGroup, DeleteOrderGroup, GetOrderGroup};
//! use kalshi_core::{Client, Credentials, Environment};
//! use kalshi_transport_ureq::{BlockingClient, Error};
//! use kalshi_tests::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Simulator, SimulatorConfig};
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
//! - Plain `http://` only to loopback hosts (`127.0.0.0/8`, `::1`, `localhost`), checked again
//!   on every request before connecting ([`Error::InsecureUrl`]).
//! - Timeouts, a cap on the response body size and a connection pool ([`Config`]).
//! - No redirects are followed and no status is turned into an error by the transport: every
//!   answer goes to the core, which classifies it ([`Error::Api`]).
//! - Transport failures as typed variants ([`Error::Connect`], [`Error::Timeout`],
//!   [`Error::BodyCut`], ...) and [`Error::outcome_unknown`] for retry decisions.
//!
//! See `examples/order_group_lifecycle.rs` for the whole order-group lifecycle, against the
//! simulator or, with your own key, the demo exchange.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod config;
mod error;

#[cfg(test)]
mod tests;

use std::net::IpAddr;

pub use config::Config;
pub use error::Error;

use error::{Phase, from_ureq};
use kalshi_core::{Operation, Timestamp};

/// A blocking Kalshi client: a [`kalshi_core::Client`] plus a ureq agent.
///
/// Cheap to clone (clones share the connection pool) and safe to share between threads.
#[derive(Debug, Clone)]
pub struct BlockingClient {
    core: kalshi_core::Client,
    agent: ureq::Agent,
    config: Config,
}

impl BlockingClient {
    /// A client with the default [`Config`].
    pub fn new(core: kalshi_core::Client) -> Self {
        Self::with_config(core, Config::default())
    }

    /// A client with the given transport settings.
    pub fn with_config(core: kalshi_core::Client, config: Config) -> Self {
        BlockingClient {
            agent: config.agent(),
            core,
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

    /// Signs `op` with the system clock ([`Timestamp::now`]), sends it and reads the answer.
    pub fn execute<O: Operation>(&self, op: &O) -> Result<O::Output, Error> {
        self.execute_at(op, Timestamp::now())
    }

    /// Signs `op` with `timestamp`, sends it and reads the answer.
    ///
    /// A request the core refuses is never sent ([`Error::Api`] with an error for which
    /// [`is_refused_before_sending`](kalshi_core::Error::is_refused_before_sending) is true).
    pub fn execute_at<O: Operation>(
        &self,
        op: &O,
        timestamp: Timestamp,
    ) -> Result<O::Output, Error> {
        let request = self.core.request(op, timestamp)?;
        let response = self.send(request)?;
        Ok(self.core.response(op, &response)?)
    }

    /// Sends a raw request and returns the raw response, whatever its status.
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
