//! Server plumbing: the accept loop, HTTP/1.1 connections (keep-alive on), body limits and
//! the request pipeline (size check, fault injection, authentication, rate limiting, routing,
//! handler, answer with a `Date` header from the exchange clock).
//!
//! Two entries share that pipeline: [`handle`] for a request from a connection (it also applies
//! the faults that act on the connection) and [`handle_in_process`] for
//! [`Simulator::handle`](super::Simulator::handle). Both check the body size, pick a fault and
//! call [`respond`], then [`finish`].

use std::error::Error as StdError;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http::header::{DATE, HeaderValue};
use http::request::Parts;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use kalshi_core::auth::HEADER_ACCESS_KEY;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::BASE_PATH;
use super::auth::Authenticator;
use super::body::SimBody;
use super::clock::{Clock, http_date, skewed};
use super::errors::{
    ApiError, ErrorShape, injected_server_error, json_response, proxy_bad_gateway,
    too_many_requests,
};
use super::faults::{Fault, Faults, RequestInfo};
use super::rate_limit::{BATCH_PATH, Buckets, CostTable};
use super::request::{Query, RequestCtx};
use super::router::{Router, route_not_found};
use super::state::Exchange;
use super::stream::{self, StreamSettings};

/// Everything the request pipeline needs, shared by all connections and the [`Simulator`]
/// handle.
///
/// [`Simulator`]: super::Simulator
pub(crate) struct Shared {
    pub(crate) auth: Authenticator,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) skew_ms: AtomicI64,
    pub(crate) body_limit: usize,
    pub(crate) router: Router,
    pub(crate) exchange: Mutex<Exchange>,
    pub(crate) faults: Faults,
    pub(crate) buckets: Mutex<Option<Buckets>>,
    /// What each endpoint costs against the buckets.
    pub(crate) costs: Arc<CostTable>,
    /// The JSON shape of error answers.
    pub(crate) error_shape: ErrorShape,
    /// The stream endpoint's ping interval and queue size.
    pub(crate) stream: StreamSettings,
}

impl Shared {
    /// The exchange time: the clock plus the skew.
    pub(crate) fn now_ms(&self) -> u64 {
        skewed(self.clock.now_ms(), self.skew_ms.load(Ordering::SeqCst))
    }

    /// The exchange state. A panic while it was held does not poison it for later requests.
    /// Releasing it pushes what changed to the stream subscribers ([`ExchangeGuard`]).
    pub(crate) fn exchange(&self) -> ExchangeGuard<'_> {
        ExchangeGuard {
            guard: self.exchange.lock().unwrap_or_else(|e| e.into_inner()),
            shared: self,
        }
    }

    /// The token buckets (`None`: rate limiting is off).
    pub(crate) fn buckets(&self) -> MutexGuard<'_, Option<Buckets>> {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The locked exchange state. When released, whatever the holder changed is pushed to the
/// stream subscribers (one batch per lock: a REST request, a test hook, a stream command),
/// still under the lock, so that every snapshot and the deltas after it line up.
pub(crate) struct ExchangeGuard<'a> {
    guard: MutexGuard<'a, Exchange>,
    shared: &'a Shared,
}

impl Deref for ExchangeGuard<'_> {
    type Target = Exchange;

    fn deref(&self) -> &Exchange {
        &self.guard
    }
}

impl DerefMut for ExchangeGuard<'_> {
    fn deref_mut(&mut self) -> &mut Exchange {
        &mut self.guard
    }
}

impl Drop for ExchangeGuard<'_> {
    fn drop(&mut self) {
        if self.guard.streams.is_active() && !std::thread::panicking() {
            let now = self.shared.now_ms();
            stream::flush(&mut self.guard, now);
        }
    }
}

/// The service's error: hyper closes the connection without answering.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by simulator fault injection")
    }
}

impl StdError for Dropped {}

/// Accepts connections until `shutdown` fires, serving each on its own task.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: back off briefly instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let shared = Arc::clone(&shared);
                async move {
                    if stream::is_stream_request(&req) {
                        return Ok(finish(&shared, stream::upgrade(&shared, req)));
                    }
                    handle(&shared, req).await
                }
            });
            // Connection errors (client went away, malformed HTTP, injected drops) only end
            // this connection. Upgrades hand the connection to the stream endpoint.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades()
                .await;
        });
    }
}

/// Runs one request from a connection: reads the body (413 above the limit), picks a fault,
/// applies the connection-level ones around [`respond`]. `Err` closes the connection without
/// an answer.
async fn handle(shared: &Shared, req: Request<Incoming>) -> Result<Response<SimBody>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match read_body(body, shared.body_limit).await {
        Ok(b) => b,
        Err(e) => return Ok(finish(shared, e.into_response(shared.error_shape))),
    };
    let fault = pick_fault(shared, &parts, true);
    match &fault {
        Some(Fault::DropBeforeExecute) => return Err(Dropped),
        Some(Fault::DelayBeforeExecute(d)) => tokio::time::sleep(*d).await,
        _ => {}
    }
    let resp = respond(shared, &parts, body, fault.as_ref());
    match fault {
        Some(Fault::DropAfterExecute) => Err(Dropped),
        Some(Fault::DelayAnswer(d)) => {
            tokio::time::sleep(d).await;
            Ok(finish(shared, resp))
        }
        Some(Fault::TruncatedBody) => {
            let (head, mut body) = resp.into_parts();
            let bytes = body.take_bytes();
            Ok(finish(
                shared,
                Response::from_parts(head, SimBody::truncated(bytes)),
            ))
        }
        _ => Ok(finish(shared, resp)),
    }
}

/// Runs one request without a connection ([`Simulator::handle`]): the same steps as
/// [`handle`] for a body already in memory, minus the faults that need a connection (those
/// are not picked, see [`Fault::needs_connection`]).
///
/// [`Simulator::handle`]: super::Simulator::handle
pub(crate) fn handle_in_process(shared: &Shared, req: Request<Bytes>) -> Response<SimBody> {
    let (parts, body) = req.into_parts();
    if body.len() > shared.body_limit {
        return finish(
            shared,
            ApiError::payload_too_large(shared.body_limit).into_response(shared.error_shape),
        );
    }
    let fault = pick_fault(shared, &parts, false);
    finish(shared, respond(shared, &parts, body, fault.as_ref()))
}

/// Picks the fault for a request (queued rules, then the random mode), if any.
/// `over_connection: false` leaves out the faults that need a connection.
fn pick_fault(shared: &Shared, parts: &Parts, over_connection: bool) -> Option<Fault> {
    let raw_path = parts.uri.path();
    let relative = raw_path
        .strip_prefix(BASE_PATH)
        .filter(|r| r.starts_with('/'))
        .unwrap_or(raw_path);
    let key_id = parts
        .headers
        .get(HEADER_ACCESS_KEY)
        .and_then(|v| v.to_str().ok());
    shared.faults.pick(&RequestInfo {
        method: &parts.method,
        relative_path: relative,
        key_id,
        over_connection,
    })
}

/// The answer to a request whose body is read, before the `Date` header: the injected answer
/// of a fault that answers in place of the exchange (server error, 429, proxy 502), else the
/// pipeline's. Shared by the socket and the in-process paths.
fn respond(
    shared: &Shared,
    parts: &Parts,
    body: Bytes,
    fault: Option<&Fault>,
) -> Response<SimBody> {
    match fault {
        Some(Fault::ServerError(status)) => injected_server_error(*status, shared.error_shape),
        Some(Fault::TooManyRequests) => too_many_requests(),
        Some(Fault::ProxyBadGateway) => proxy_bad_gateway(),
        _ => pipeline(shared, parts, body).unwrap_or_else(|e| e.into_response(shared.error_shape)),
    }
}

/// Stamps the answer with the exchange time.
fn finish(shared: &Shared, mut resp: Response<SimBody>) -> Response<SimBody> {
    if let Ok(v) = HeaderValue::from_str(&http_date(shared.now_ms())) {
        resp.headers_mut().insert(DATE, v);
    }
    resp
}

/// Authentication, rate limiting, routing and the handler.
fn pipeline(shared: &Shared, parts: &Parts, body: Bytes) -> Result<Response<SimBody>, ApiError> {
    let now_ms = shared.now_ms();
    let raw_path = parts.uri.path();
    // Public market data is served without a signature; a request that carries any auth
    // header is verified as usual.
    let unsigned = !parts.headers.keys().any(|k| {
        k.as_str()
            .to_ascii_lowercase()
            .starts_with("kalshi-access-")
    });
    let anonymous = unsigned
        && raw_path
            .strip_prefix(BASE_PATH)
            .filter(|rest| rest.starts_with('/'))
            .is_some_and(|r| shared.router.is_public(&parts.method, r));
    let account = if anonymous {
        String::new()
    } else {
        shared
            .auth
            .authenticate(&parts.method, raw_path, &parts.headers, now_ms, |id| {
                shared.exchange().keys.lookup(id)
            })?
            .account
    };

    let Some(relative) = raw_path
        .strip_prefix(BASE_PATH)
        .filter(|rest| rest.starts_with('/'))
    else {
        return Err(route_not_found(&parts.method, raw_path));
    };

    let rate_limits = match shared.buckets().as_mut() {
        Some(buckets) => {
            let cost = shared
                .costs
                .cost(&parts.method, relative, batch_len(relative, &body));
            if !buckets.try_take(&account, &parts.method, cost, now_ms) {
                return Ok(too_many_requests());
            }
            Some(buckets.limits())
        }
        None => None,
    };

    let resolved = shared.router.resolve(&parts.method, relative)?;
    let ctx = RequestCtx {
        account,
        rate_limits,
        costs: Arc::clone(&shared.costs),
        params: resolved.params,
        query: Query::parse(parts.uri.query())?,
        body,
        now_ms,
    };

    let handler = resolved.handler;
    let outcome = {
        let mut exchange = shared.exchange();
        catch_unwind(AssertUnwindSafe(|| {
            exchange.expire_orders(now_ms);
            let reply = handler(&ctx, &mut exchange);
            exchange.note_quotes(now_ms);
            reply
        }))
    };
    let reply =
        outcome.map_err(|_| ApiError::internal("the handler panicked (simulator bug)"))??;
    if reply.body.is_null() {
        // 204, and creates documented without a body.
        let mut resp = Response::new(SimBody::full(Bytes::new()));
        *resp.status_mut() = reply.status;
        return Ok(resp);
    }
    Ok(json_response(reply.status, &reply.body))
}

/// The number of orders in a batch body, for its token cost.
fn batch_len(relative: &str, body: &[u8]) -> Option<usize> {
    if relative != BATCH_PATH {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.get("orders")?.as_array().map(Vec::len)
}

/// Reads the whole body, refusing more than `limit` bytes with a 413.
async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, ApiError> {
    let declared = body.size_hint().exact();
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::payload_too_large(limit));
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            Err(ApiError::payload_too_large(limit))
        }
        Err(e) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameters",
            "could not read the request body",
            e.to_string(),
        )),
    }
}
