//! The async stream connection: tokio TCP, tokio-rustls with the REST client's TLS
//! configuration, and tokio-tungstenite's WebSocket framing, carrying the core's signed
//! handshake.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use kalshi_core::stream::handshake::{self, StreamUrl, WebSocketKey};
use kalshi_core::{Credentials, Timestamp};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self, Message};

pub use kalshi_core::stream::driver::StreamConfig;

use crate::Error;
use crate::error::{StreamPhase, from_stream_io};

/// The tungstenite limits of a connection's settings.
fn websocket(config: &StreamConfig) -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(config.max_message_bytes))
        .max_frame_size(Some(config.max_frame_bytes))
}

/// What [`StreamConnection::recv`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// A text message: Kalshi's JSON messages (hand its bytes to
    /// `kalshi_core::stream::message::parse`).
    Text(Text),
    /// A binary message (Kalshi sends none).
    Binary(Vec<u8>),
    /// A ping from the server (Kalshi pings every 10 s); the pong has been sent.
    Ping,
    /// A pong from the server.
    Pong,
}

/// The text of a text message, valid UTF-8, without a copy out of the read buffer.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(tungstenite::Utf8Bytes);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The text's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The socket under the WebSocket: plain TCP (loopback only) or tokio-rustls over TCP.
trait Socket: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Socket for T {}

/// One authenticated WebSocket connection to Kalshi's stream API, async (tokio).
///
/// It carries frames and nothing more: what to subscribe to, sequence numbers, books and
/// reconnections belong to the session (`kalshi_core::stream`) that a task drives with it:
/// [`recv`](StreamConnection::recv) (cancel-safe, so it can sit in a `tokio::select!` with the
/// session's timer and the caller's commands), [`send_text`](StreamConnection::send_text), and
/// on any error a new connection after [`kalshi_core::stream::Backoff`]'s delay.
///
/// ```no_run
/// use kalshi_core::{Credentials, Environment, Timestamp};
/// use kalshi_transport_hyper::{Frame, StreamConfig, StreamConnection};
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let credentials = Credentials::from_pem_file("my-key-id", "/path/to/key.pem")?;
/// let url = Environment::Demo.stream_url();
/// let mut stream = StreamConnection::connect(&url, &credentials, Timestamp::now(), &StreamConfig::default()).await?;
/// stream.send_text(r#"{"id":1,"cmd":"subscribe","params":{"channels":["ticker"]}}"#).await?;
/// loop {
///     if let Frame::Text(text) = stream.recv().await? {
///         println!("{text}");
///     }
/// }
/// # }
/// ```
pub struct StreamConnection {
    ws: WebSocketStream<Box<dyn Socket>>,
    url: String,
    write_timeout: Duration,
}

impl fmt::Debug for StreamConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamConnection")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl StreamConnection {
    /// Connects to `url` and opens the stream with a handshake signed by `credentials` at
    /// `timestamp` (sign with the current time: Kalshi refuses a stale one).
    ///
    /// Errors: [`Error::Dns`], [`Error::Connect`], [`Error::Timeout`] (connecting or a
    /// handshake), [`Error::Certificate`] (refused certificate: never retry blindly),
    /// [`Error::Tls`], [`Error::Api`] when the server answers the handshake with another status
    /// than 101 (401 `Unauthorized`: wrong key, bad signature or clock; 403, 429, 5xx, ... with
    /// the status and the body as far as it arrived with the head, bounded), [`Error::Other`]
    /// for an answer that is not a WebSocket upgrade.
    pub async fn connect(
        url: &StreamUrl,
        credentials: &Credentials,
        timestamp: Timestamp,
        config: &StreamConfig,
    ) -> Result<StreamConnection, Error> {
        let key = WebSocketKey::from_random(random_key());
        let request = handshake::handshake_request(url, credentials, timestamp, &key)?;
        Self::connect_with_request(request, config).await
    }

    /// Connects with a handshake request built elsewhere (by
    /// [`handshake_request`](kalshi_core::stream::handshake::handshake_request), perhaps with
    /// headers of your own). Its URI must be `wss://`, or plain `ws://` to a loopback host
    /// (refused with [`Error::InsecureUrl`] before connecting otherwise); the upgrade headers
    /// and the `Sec-WebSocket-Key` must be there.
    pub async fn connect_with_request(
        request: http::Request<()>,
        config: &StreamConfig,
    ) -> Result<StreamConnection, Error> {
        let target = request.uri().to_string();
        let url = StreamUrl::parse(&target).map_err(|e| match e {
            kalshi_core::Error::InvalidBaseUrl(m) => Error::InsecureUrl(m),
            other => Error::Api(other),
        })?;
        let tcp = connect_tcp(&url, config, &target).await?;
        let socket: Box<dyn Socket> = if url.is_secure() {
            Box::new(tls(&url, tcp, config, &target).await?)
        } else {
            Box::new(tcp)
        };
        let handshake =
            tokio_tungstenite::client_async_with_config(request, socket, Some(websocket(config)));
        let ws = match tokio::time::timeout(config.handshake_timeout, handshake).await {
            Ok(Ok((ws, _response))) => ws,
            Ok(Err(e)) => return Err(from_ws(e, true, &target)),
            Err(_) => {
                return Err(Error::Timeout {
                    message: format!(
                        "{target}: no answer to the WebSocket handshake within {:?}",
                        config.handshake_timeout
                    ),
                    maybe_sent: true,
                });
            }
        };
        Ok(StreamConnection {
            ws,
            url: target,
            write_timeout: config.write_timeout,
        })
    }

    /// The URL this connection went to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits for the next frame. A ping is answered before it is returned.
    ///
    /// Cancel-safe for data: dropping the future (a `tokio::select!` branch that lost, a
    /// `tokio::time::timeout`) loses no text or binary frame (at most the report of a ping
    /// whose pong was being sent).
    ///
    /// The server's close frame ends the connection as [`Error::StreamClosed`] with its code
    /// and reason (after the close is answered); a connection cut without one is
    /// [`Error::StreamClosed`] with no code. Either way, connect again.
    pub async fn recv(&mut self) -> Result<Frame, Error> {
        loop {
            let message = match self.ws.next().await {
                Some(Ok(message)) => message,
                Some(Err(e)) => return Err(from_ws(e, false, &self.url)),
                None => {
                    return Err(Error::StreamClosed {
                        code: None,
                        reason: format!("{}: the connection is closed", self.url),
                    });
                }
            };
            return match message {
                Message::Text(text) => Ok(Frame::Text(Text(text))),
                Message::Binary(bytes) => Ok(Frame::Binary(bytes.to_vec())),
                Message::Ping(_) => {
                    // tungstenite queued the pong; send it now rather than with the next write.
                    match tokio::time::timeout(self.write_timeout, self.ws.flush()).await {
                        Ok(Ok(())) => Ok(Frame::Ping),
                        Ok(Err(e)) => Err(from_ws(e, false, &self.url)),
                        Err(_) => Err(self.write_timed_out()),
                    }
                }
                Message::Pong(_) => Ok(Frame::Pong),
                Message::Close(frame) => {
                    // Answers the close (queued by tungstenite); the peer may already be gone.
                    let _ = tokio::time::timeout(self.write_timeout, self.ws.flush()).await;
                    Err(closed(frame))
                }
                // Raw frames are never returned by a read.
                Message::Frame(_) => continue,
            };
        }
    }

    /// [`recv`](StreamConnection::recv) for at most `timeout`: `Ok(None)` when nothing came.
    pub async fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<Frame>, Error> {
        match tokio::time::timeout(timeout, self.recv()).await {
            Ok(frame) => frame.map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Sends a text frame (a command: `kalshi_core::stream::Command::to_json`), waiting at most
    /// [`StreamConfig::write_timeout`].
    pub async fn send_text(&mut self, text: &str) -> Result<(), Error> {
        match tokio::time::timeout(self.write_timeout, self.ws.send(Message::text(text))).await {
            Ok(result) => result.map_err(|e| from_ws(e, false, &self.url)),
            Err(_) => Err(self.write_timed_out()),
        }
    }

    /// Closes the connection: sends a close frame (1000, normal) and waits briefly (at most a
    /// second) for the server's answer.
    pub async fn close(mut self) -> Result<(), Error> {
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        let sent = match tokio::time::timeout(self.write_timeout, self.ws.close(Some(frame))).await
        {
            Ok(result) => result,
            Err(_) => return Err(self.write_timed_out()),
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while let Some(Ok(_)) = self.ws.next().await {}
        })
        .await;
        match sent {
            Ok(())
            | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                Ok(())
            }
            Err(e) => Err(from_ws(e, false, &self.url)),
        }
    }

    fn write_timed_out(&self) -> Error {
        Error::Timeout {
            message: format!(
                "{}: sending took longer than {:?} (the server does not read)",
                self.url, self.write_timeout
            ),
            maybe_sent: true,
        }
    }
}

/// 16 random bytes for the `Sec-WebSocket-Key` (not a secret: a nonce against caching
/// proxies; on the unlikely failure of the OS source, other random bits do).
fn random_key() -> [u8; 16] {
    let mut key = [0u8; 16];
    if getrandom::fill(&mut key).is_err() {
        key[..8].copy_from_slice(&crate::jitter().to_le_bytes());
    }
    key
}

/// Resolves the host and connects to the first address that answers within the budget.
async fn connect_tcp(
    url: &StreamUrl,
    config: &StreamConfig,
    target: &str,
) -> Result<TcpStream, Error> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((url.host(), url.port()))
        .await
        .map_err(|e| Error::Dns(format!("{target}: {e}")))?
        .collect();
    if addrs.is_empty() {
        return Err(Error::Dns(format!("{target}: the host has no address")));
    }
    let mut last = None;
    for addr in addrs {
        match tokio::time::timeout(config.connect_timeout, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                let _ = tcp.set_nodelay(true);
                return Ok(tcp);
            }
            Ok(Err(e)) => last = Some(Error::Connect(format!("{target}: {e}"))),
            Err(_) => {
                last = Some(Error::Timeout {
                    message: format!(
                        "{target}: connecting to {addr} took longer than {:?}",
                        config.connect_timeout
                    ),
                    maybe_sent: false,
                });
            }
        }
    }
    Err(last.expect("at least one address was tried"))
}

/// Wraps the socket in tokio-rustls with the REST client's configuration and completes the
/// TLS handshake, so that a refused certificate is reported as such before anything is sent.
async fn tls(
    url: &StreamUrl,
    tcp: TcpStream,
    config: &StreamConfig,
    target: &str,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, Error> {
    let tls_config = crate::tls_client_config()
        .map_err(|e| Error::Tls(format!("{target}: cannot build the TLS configuration: {e}")))?;
    let name = rustls::pki_types::ServerName::try_from(url.host().to_owned()).map_err(|e| {
        Error::Other {
            message: format!("{target}: not a TLS server name: {e}"),
            maybe_sent: false,
        }
    })?;
    let connector = tokio_rustls::TlsConnector::from(tls_config);
    match tokio::time::timeout(config.handshake_timeout, connector.connect(name, tcp)).await {
        Ok(Ok(stream)) => Ok(stream),
        Ok(Err(e)) => Err(from_stream_io(&e, StreamPhase::Tls, target)),
        Err(_) => Err(Error::Timeout {
            message: format!(
                "{target}: the TLS handshake took longer than {:?}",
                config.handshake_timeout
            ),
            maybe_sent: false,
        }),
    }
}

/// The close frame's code and reason as an error.
fn closed(frame: Option<CloseFrame>) -> Error {
    match frame {
        Some(f) => Error::StreamClosed {
            code: Some(u16::from(f.code)),
            reason: f.reason.as_str().chars().take(200).collect(),
        },
        None => Error::StreamClosed {
            code: Some(u16::from(CloseCode::Status)),
            reason: "closed by the server without a status".into(),
        },
    }
}

/// Maps tungstenite's errors; `handshake` while the WebSocket handshake was under way.
fn from_ws(e: tungstenite::Error, handshake: bool, target: &str) -> Error {
    use tungstenite::Error as W;
    match e {
        W::Http(response) => {
            let status = response.status();
            let body = response.body().as_deref().unwrap_or_default();
            Error::Api(handshake::handshake_refused(status, body))
        }
        W::Io(e) => {
            let phase = if handshake {
                StreamPhase::Upgrade
            } else {
                StreamPhase::Open
            };
            from_stream_io(&e, phase, target)
        }
        W::ConnectionClosed | W::AlreadyClosed => Error::StreamClosed {
            code: None,
            reason: format!("{target}: the connection is closed"),
        },
        W::Protocol(tungstenite::error::ProtocolError::ResetWithoutClosingHandshake) => {
            Error::StreamClosed {
                code: None,
                reason: format!("{target}: the connection was cut without a close frame"),
            }
        }
        W::Protocol(tungstenite::error::ProtocolError::HandshakeIncomplete) => Error::BodyCut(
            format!("{target}: the server closed the connection before answering the handshake"),
        ),
        W::Capacity(c) => Error::ResponseTooLarge {
            limit: match &c {
                tungstenite::error::CapacityError::MessageTooLong { max_size, .. } => *max_size,
                _ => 0,
            },
            message: format!("{target}: {c}"),
        },
        W::Url(u) => Error::Other {
            message: format!("{target}: {u}"),
            maybe_sent: false,
        },
        W::HttpFormat(h) => Error::Other {
            message: format!("{target}: {h}"),
            maybe_sent: false,
        },
        other => Error::Other {
            message: format!("{target}: {other}"),
            maybe_sent: true,
        },
    }
}
