//! Server plumbing: the accept loop, HTTP/1.1 connections (keep-alive on), body limits and
//! the request pipeline (size check, authentication, routing, handler, answer).

use std::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::BASE_PATH;
use super::auth::Authenticator;
use super::clock::{Clock, skewed};
use super::errors::{ApiError, json_response};
use super::request::{Query, RequestCtx};
use super::router::{Router, route_not_found};
use super::state::Exchange;

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
}

impl Shared {
    /// The exchange time: the clock plus the skew.
    pub(crate) fn now_ms(&self) -> u64 {
        skewed(self.clock.now_ms(), self.skew_ms.load(Ordering::SeqCst))
    }

    /// The exchange state. A panic while it was held does not poison it for later requests.
    pub(crate) fn exchange(&self) -> MutexGuard<'_, Exchange> {
        self.exchange.lock().unwrap_or_else(|e| e.into_inner())
    }
}

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
            let service = service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(handle(&shared, req).await) }
            });
            // Connection errors (client went away, malformed HTTP) only end this connection.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Runs one request through the pipeline and always produces an answer.
async fn handle(shared: &Shared, req: Request<Incoming>) -> Response<Full<Bytes>> {
    match pipeline(shared, req).await {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    }
}

async fn pipeline(
    shared: &Shared,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, ApiError> {
    let (parts, body) = req.into_parts();
    let body = read_body(body, shared.body_limit).await?;

    let now_ms = shared.now_ms();
    let raw_path = parts.uri.path();
    let account = shared
        .auth
        .authenticate(&parts.method, raw_path, &parts.headers, now_ms)?;

    let Some(relative) = raw_path
        .strip_prefix(BASE_PATH)
        .filter(|rest| rest.starts_with('/'))
    else {
        return Err(route_not_found(&parts.method, raw_path));
    };
    let resolved = shared.router.resolve(&parts.method, relative)?;
    let ctx = RequestCtx {
        account,
        params: resolved.params,
        query: Query::parse(parts.uri.query())?,
        body,
        now_ms,
    };

    let handler = resolved.handler;
    let outcome = {
        let mut exchange = shared.exchange();
        catch_unwind(AssertUnwindSafe(|| handler(&ctx, &mut exchange)))
    };
    let reply =
        outcome.map_err(|_| ApiError::internal("the handler panicked (simulator bug)"))??;
    Ok(json_response(reply.status, &reply.body))
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
