//! The blocking stream connection: TCP, rustls with the REST client's rules, and tungstenite's
//! WebSocket framing, carrying the core's signed handshake.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use kalshi_core::stream::handshake::{self, StreamUrl, WebSocketKey};
use kalshi_core::{Credentials, Timestamp};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{HandshakeError, Message, WebSocket};

pub use kalshi_core::stream::driver::StreamConfig;

use crate::Error;
use crate::error::{Phase, from_io};

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

/// The socket under the WebSocket: plain TCP (loopback only) or rustls over TCP.
trait Socket: Read + Write + Send {}
impl<T: Read + Write + Send> Socket for T {}

/// One authenticated WebSocket connection to Kalshi's stream API, blocking.
///
/// It carries frames and nothing more: what to subscribe to, sequence numbers, books and
/// reconnections belong to the session (`kalshi_core::stream`) that a loop drives with it:
/// [`recv`](StreamConnection::recv) with a timeout so that the loop can run its timers,
/// [`send_text`](StreamConnection::send_text) for commands, and on any error a new connection
/// after [`kalshi_core::stream::Backoff`]'s delay.
///
/// ```no_run
/// use std::time::Duration;
/// use kalshi_core::{Credentials, Environment, Timestamp};
/// use kalshi_transport_ureq::{Frame, StreamConfig, StreamConnection};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let credentials = Credentials::from_pem_file("my-key-id", "/path/to/key.pem")?;
/// let url = Environment::Demo.stream_url();
/// let mut stream = StreamConnection::connect(&url, &credentials, Timestamp::now(), &StreamConfig::default())?;
/// stream.send_text(r#"{"id":1,"cmd":"subscribe","params":{"channels":["ticker"]}}"#)?;
/// loop {
///     match stream.recv(Duration::from_secs(1))? {
///         Some(Frame::Text(text)) => println!("{text}"),
///         Some(_) => {}   // a ping (answered) or a pong: the connection is alive
///         None => {}      // nothing for a second: run timers
///     }
/// }
/// # }
/// ```
pub struct StreamConnection {
    ws: WebSocket<Box<dyn Socket>>,
    /// The same socket, for its timeouts and to shut it down.
    tcp: TcpStream,
    url: String,
    read_timeout: Option<Duration>,
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
    /// handshake step), [`Error::Certificate`] (refused certificate: never retry blindly),
    /// [`Error::Tls`], [`Error::Api`] when the server answers the handshake with another status
    /// than 101 (401 `Unauthorized`: wrong key, bad signature or clock; 403, 429, 5xx, ... with
    /// the status and the body as far as it arrived with the head, bounded),
    /// [`Error::Protocol`] for an answer that is not a WebSocket upgrade.
    pub fn connect(
        url: &StreamUrl,
        credentials: &Credentials,
        timestamp: Timestamp,
        config: &StreamConfig,
    ) -> Result<StreamConnection, Error> {
        let key = WebSocketKey::from_random(random_key());
        let request = handshake::handshake_request(url, credentials, timestamp, &key)?;
        Self::connect_with_request(request, config)
    }

    /// Connects with a handshake request built elsewhere (by
    /// [`handshake_request`](kalshi_core::stream::handshake::handshake_request), perhaps with
    /// headers of your own). Its URI must be `wss://`, or plain `ws://` to a loopback host
    /// (refused with [`Error::InsecureUrl`] before connecting otherwise); the upgrade headers
    /// and the `Sec-WebSocket-Key` must be there.
    pub fn connect_with_request(
        request: http::Request<()>,
        config: &StreamConfig,
    ) -> Result<StreamConnection, Error> {
        let target = request.uri().to_string();
        let url = StreamUrl::parse(&target).map_err(|e| match e {
            kalshi_core::Error::InvalidBaseUrl(m) => Error::InsecureUrl(m),
            other => Error::Api(other),
        })?;
        let tcp = connect_tcp(&url, config, &target)?;
        let control = tcp
            .try_clone()
            .map_err(|e| from_io(e, Phase::Exchange, &target))?;
        set_timeouts(&tcp, Some(config.handshake_timeout), &target)?;
        let socket: Box<dyn Socket> = if url.is_secure() {
            Box::new(tls(&url, tcp, &target)?)
        } else {
            Box::new(tcp)
        };
        let ws =
            match tungstenite::client::client_with_config(request, socket, Some(websocket(config)))
            {
                Ok((ws, _response)) => ws,
                Err(HandshakeError::Failure(e)) => return Err(from_ws(e, true, &target)),
                Err(HandshakeError::Interrupted(_)) => {
                    return Err(Error::Timeout {
                        connected: true,
                        message: format!(
                            "{target}: no answer to the WebSocket handshake within {:?}",
                            config.handshake_timeout
                        ),
                    });
                }
            };
        control
            .set_write_timeout(Some(config.write_timeout.max(Duration::from_millis(1))))
            .map_err(|e| from_io(e, Phase::Exchange, &target))?;
        Ok(StreamConnection {
            ws,
            tcp: control,
            url: target,
            read_timeout: Some(config.handshake_timeout),
        })
    }

    /// The URL this connection went to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits up to `timeout` for the next frame: `Ok(None)` when nothing came. A ping is
    /// answered before it is returned.
    ///
    /// The server's close frame ends the connection as [`Error::StreamClosed`] with its code
    /// and reason (after the close is answered); a connection cut without one is
    /// [`Error::StreamClosed`] with no code. Either way, connect again.
    pub fn recv(&mut self, timeout: Duration) -> Result<Option<Frame>, Error> {
        // A zero timeout means "block forever" to the OS.
        let timeout = timeout.max(Duration::from_millis(1));
        if self.read_timeout != Some(timeout) {
            self.tcp
                .set_read_timeout(Some(timeout))
                .map_err(|e| from_io(e, Phase::Exchange, &self.url))?;
            self.read_timeout = Some(timeout);
        }
        match self.ws.read() {
            Ok(Message::Text(text)) => Ok(Some(Frame::Text(Text(text)))),
            Ok(Message::Binary(bytes)) => Ok(Some(Frame::Binary(bytes.to_vec()))),
            Ok(Message::Ping(_)) => {
                // tungstenite queued the pong; send it now rather than with the next write.
                match self.ws.flush() {
                    Ok(()) => Ok(Some(Frame::Ping)),
                    Err(e) => Err(from_ws(e, false, &self.url)),
                }
            }
            Ok(Message::Pong(_)) => Ok(Some(Frame::Pong)),
            Ok(Message::Close(frame)) => {
                // Answers the close (queued by tungstenite); the peer may already be gone.
                let _ = self.ws.flush();
                Err(closed(frame))
            }
            // Raw frames are never returned by a read.
            Ok(Message::Frame(_)) => Ok(None),
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(from_ws(e, false, &self.url)),
        }
    }

    /// Sends a text frame (a command: `kalshi_core::stream::Command::to_json`), waiting at most
    /// [`StreamConfig::write_timeout`].
    pub fn send_text(&mut self, text: &str) -> Result<(), Error> {
        self.ws
            .send(Message::text(text))
            .map_err(|e| from_ws(e, false, &self.url))
    }

    /// Closes the connection: sends a close frame (1000, normal), waits briefly (at most a
    /// second) for the server's answer, and shuts the socket down.
    pub fn close(mut self) -> Result<(), Error> {
        let sent = self.ws.close(Some(tungstenite::protocol::CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        }));
        let deadline = Instant::now() + Duration::from_secs(1);
        if sent.is_ok() {
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                let _ = self
                    .tcp
                    .set_read_timeout(Some(left.max(Duration::from_millis(1))));
                match self.ws.read() {
                    Ok(_) => continue,
                    Err(_) => break,
                }
            }
        }
        let _ = self.tcp.shutdown(std::net::Shutdown::Both);
        match sent {
            Ok(())
            | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                Ok(())
            }
            Err(e) => Err(from_ws(e, false, &self.url)),
        }
    }
}

/// 16 random bytes for the `Sec-WebSocket-Key` (not a secret: a nonce against caching
/// proxies; on the unlikely failure of the OS source, the clock's nanoseconds do).
fn random_key() -> [u8; 16] {
    let mut key = [0u8; 16];
    if getrandom::fill(&mut key).is_err() {
        key[..8].copy_from_slice(&crate::jitter().to_le_bytes());
    }
    key
}

fn set_timeouts(tcp: &TcpStream, timeout: Option<Duration>, target: &str) -> Result<(), Error> {
    let timeout = timeout.map(|t| t.max(Duration::from_millis(1)));
    tcp.set_read_timeout(timeout)
        .and_then(|()| tcp.set_write_timeout(timeout))
        .map_err(|e| from_io(e, Phase::Exchange, target))
}

/// Resolves the host and connects to the first address that answers within the budget.
fn connect_tcp(url: &StreamUrl, config: &StreamConfig, target: &str) -> Result<TcpStream, Error> {
    let addrs: Vec<SocketAddr> = (url.host(), url.port())
        .to_socket_addrs()
        .map_err(|e| Error::Dns(format!("{target}: {e}")))?
        .collect();
    if addrs.is_empty() {
        return Err(Error::Dns(format!("{target}: the host has no address")));
    }
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(
            &addr,
            config.connect_timeout.max(Duration::from_millis(1)),
        ) {
            Ok(tcp) => {
                let _ = tcp.set_nodelay(true);
                return Ok(tcp);
            }
            Err(e) => last = Some(e),
        }
    }
    let e = last.expect("at least one address was tried");
    Err(match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout {
            connected: false,
            message: format!("{target}: connecting: {e}"),
        },
        _ => Error::Connect(format!("{target}: {e}")),
    })
}

/// Wraps the socket in rustls with the REST client's configuration and completes the TLS
/// handshake, so that a refused certificate is reported as such before anything is sent.
fn tls(
    url: &StreamUrl,
    mut tcp: TcpStream,
    target: &str,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, Error> {
    let config = crate::tls_client_config()
        .map_err(|e| Error::Tls(format!("{target}: cannot build the TLS configuration: {e}")))?;
    let name = rustls::pki_types::ServerName::try_from(url.host().to_owned())
        .map_err(|e| Error::InvalidRequest(format!("{target}: not a TLS server name: {e}")))?;
    let mut conn = rustls::ClientConnection::new(config, name)
        .map_err(|e| Error::Tls(format!("{target}: {e}")))?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut tcp) {
            return Err(match from_io(e, Phase::Exchange, target) {
                // Nothing of the handshake request was sent yet.
                Error::Timeout { message, .. } => Error::Timeout {
                    connected: false,
                    message,
                },
                Error::Disconnected(m) => Error::Tls(m),
                other => other,
            });
        }
    }
    Ok(rustls::StreamOwned::new(conn, tcp))
}

/// The close frame's code and reason as an error.
fn closed(frame: Option<tungstenite::protocol::CloseFrame>) -> Error {
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

/// Maps tungstenite's errors; `handshake` when no connection was open yet.
fn from_ws(e: tungstenite::Error, handshake: bool, target: &str) -> Error {
    use tungstenite::Error as W;
    match e {
        W::Http(response) => {
            let status = response.status();
            let body = response.body().as_deref().unwrap_or_default();
            Error::Api(handshake::handshake_refused(status, body))
        }
        W::Io(e) if handshake => from_io(e, Phase::Exchange, target),
        W::Io(e) => match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Error::Timeout {
                connected: true,
                message: format!("{target}: {e}"),
            },
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => Error::StreamClosed {
                code: None,
                reason: format!("{target}: {e}"),
            },
            _ => from_io(e, Phase::Exchange, target),
        },
        W::ConnectionClosed | W::AlreadyClosed => Error::StreamClosed {
            code: None,
            reason: format!("{target}: the connection is closed"),
        },
        W::Capacity(c) => Error::ResponseTooLarge {
            limit: match &c {
                tungstenite::error::CapacityError::MessageTooLong { max_size, .. } => {
                    *max_size as u64
                }
                _ => 0,
            },
            message: format!("{target}: {c}"),
        },
        W::Url(u) => Error::InvalidRequest(format!("{target}: {u}")),
        W::HttpFormat(h) => Error::InvalidRequest(format!("{target}: {h}")),
        W::Protocol(tungstenite::error::ProtocolError::ResetWithoutClosingHandshake) => {
            Error::StreamClosed {
                code: None,
                reason: format!("{target}: the connection was cut without a close frame"),
            }
        }
        W::Protocol(tungstenite::error::ProtocolError::HandshakeIncomplete) => Error::Disconnected(
            format!("{target}: the server closed the connection before answering the handshake"),
        ),
        W::Protocol(p) => Error::Protocol(format!("{target}: {p}")),
        W::Utf8(m) => Error::Protocol(format!("{target}: a text message is not UTF-8: {m}")),
        other => Error::Other(format!("{target}: {other}")),
    }
}
