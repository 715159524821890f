//! The endpoint: `GET /trade-api/ws/v2` authenticated like REST, upgraded by hyper, framed by
//! tokio-tungstenite; one task per connection that reads commands, writes the queued messages,
//! pings on schedule and ends the connection when a fault or an overflow says so.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use http::header::{CONNECTION, HeaderValue, SEC_WEBSOCKET_ACCEPT, SEC_WEBSOCKET_KEY, UPGRADE};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role};

use super::super::body::SimBody;
use super::super::errors::ApiError;
use super::super::http::Shared;
use super::STREAM_PATH;
use super::commands::{self, error_json};
use super::feed::Feed;
use super::hub::Kill;

/// How long the server waits for a client it gives up on (overflow) to take the rest of
/// the stream, error 25 and the close frame, and to answer the close.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether a request is for the stream endpoint (any method: a non-`GET` is refused there).
pub(crate) fn is_stream_request(req: &Request<Incoming>) -> bool {
    req.uri().path() == STREAM_PATH
}

/// Answers a request to the stream endpoint: 401 for a bad signature (checked first, as on
/// REST), 405 for a method other than `GET`, 400 for a request that is not a WebSocket
/// upgrade, else 101 with the connection handed to its task.
pub(crate) fn upgrade(shared: &Arc<Shared>, mut req: Request<Incoming>) -> Response<SimBody> {
    let now_ms = shared.now_ms();
    let auth = shared.auth.authenticate(
        req.method(),
        req.uri().path(),
        req.headers(),
        now_ms,
        |id| shared.exchange().keys.lookup(id),
    );
    let who = match auth {
        Ok(a) => a,
        Err(e) => return e.into_response(shared.error_shape),
    };
    if req.method() != Method::GET {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed",
            format!("{STREAM_PATH} is opened with GET"),
        )
        .into_response(shared.error_shape);
    }
    let h = req.headers();
    let has = |name: http::header::HeaderName, token: &str| {
        h.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    let key = h
        .get(SEC_WEBSOCKET_KEY)
        .map(|k| derive_accept_key(k.as_bytes()));
    let version_ok = h
        .get("sec-websocket-version")
        .is_some_and(|v| v.as_bytes() == b"13");
    let (true, true, true, Some(accept)) = (
        has(UPGRADE, "websocket"),
        has(CONNECTION, "upgrade"),
        version_ok,
        key,
    ) else {
        return ApiError::invalid_parameters(
            "not a WebSocket upgrade: send Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key",
        )
        .into_response(shared.error_shape);
    };
    let on_upgrade = hyper::upgrade::on(&mut req);
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        if let Ok(upgraded) = on_upgrade.await {
            let ws =
                WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
            run(shared, ws, who.key_id, who.account).await;
        }
    });
    let mut resp = Response::new(SimBody::full(bytes::Bytes::new()));
    *resp.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = resp.headers_mut();
    headers.insert(UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        headers.insert(SEC_WEBSOCKET_ACCEPT, v);
    }
    resp
}

/// One connection's task.
async fn run<S>(shared: Arc<Shared>, ws: WebSocketStream<S>, key_id: String, account: String)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let (tx, mut rx) = mpsc::channel::<String>(shared.stream.queue_capacity.max(1));
    let (kill_tx, mut kill_rx) = watch::channel(Kill::No);
    let conn = {
        let mut ex = shared.exchange();
        let first = !ex.streams.is_active();
        let id = ex.streams.register(key_id, account, tx, kill_tx);
        if first {
            let feed = Feed::start(&ex);
            ex.streams.feed = feed;
        }
        id
    };
    let (mut sink, mut stream) = ws.split();
    let period = shared.stream.ping_interval;
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let silent = Arc::clone(&shared.exchange().streams.silent);
    let ending = loop {
        tokio::select! {
            biased;
            _ = kill_rx.changed() => break *kill_rx.borrow(),
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(t))) => {
                    let now = shared.now_ms();
                    commands::handle(&mut shared.exchange(), conn, t.as_str(), now);
                }
                Some(Ok(Message::Binary(b))) => {
                    let now = shared.now_ms();
                    let text = String::from_utf8_lossy(&b).into_owned();
                    commands::handle(&mut shared.exchange(), conn, &text, now);
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break Kill::No,
                // Pings are answered by tungstenite itself (the pong goes out with the next
                // write or flush); pongs need nothing.
                Some(Ok(_)) => {
                    if !silent.load(Ordering::SeqCst) && sink.flush().await.is_err() {
                        break Kill::No;
                    }
                }
            },
            out = rx.recv() => match out {
                Some(text) => {
                    let sent = tokio::select! {
                        biased;
                        _ = kill_rx.changed() => break *kill_rx.borrow(),
                        r = sink.send(Message::text(text)) => r,
                    };
                    if sent.is_err() {
                        break Kill::No;
                    }
                }
                None => break Kill::No,
            },
            _ = ping.tick() => {
                // Time passes for the engine too: expirations and closes become pushes.
                {
                    let now = shared.now_ms();
                    shared.exchange().expire_orders(now);
                }
                if !silent.load(Ordering::SeqCst) {
                    let sent = tokio::select! {
                        biased;
                        _ = kill_rx.changed() => break *kill_rx.borrow(),
                        r = sink.send(Message::Ping("heartbeat".into())) => r,
                    };
                    if sent.is_err() {
                        break Kill::No;
                    }
                }
            }
        }
    };
    shared.exchange().streams.unregister(conn);
    if ending == Kill::Overflow {
        let error = error_json(None, 25, None).to_string();
        let close = Message::Close(Some(CloseFrame {
            code: CloseCode::Policy,
            reason: "subscription buffer overflow".into(),
        }));
        // What is already on the wire stays; then error 25 and the close frame, while the
        // client's frames (its pongs, its close) are read and dropped so that the connection
        // ends with a close handshake rather than a reset.
        let write = async {
            sink.send(Message::text(error)).await?;
            sink.send(close).await
        };
        let drain = async {
            while let Some(Ok(m)) = stream.next().await {
                if m.is_close() {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, async { tokio::join!(write, drain) }).await;
    }
    // Dropping both halves closes the TCP connection (abruptly for `Kill::Abrupt`).
}
