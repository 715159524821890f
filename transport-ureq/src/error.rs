//! The crate's one error type, and the mapping from ureq's errors to it.

use std::{fmt, io};

use kalshi_core::retry::AttemptFailure;

/// Everything that can go wrong when executing a request.
///
/// [`Error::Api`] carries every answer the core classified (a 404, a 429, a body that does not
/// decode, ...) and every request the core refused before anything was sent. The other variants
/// are transport failures; each carries a human-readable message naming the request.
///
/// [`Error::outcome_unknown`] tells whether the request may have reached the exchange without
/// its answer being known, which is what retry logic needs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// The core refused the request before sending
    /// ([`is_refused_before_sending`](kalshi_core::Error::is_refused_before_sending)), or
    /// classified the exchange's answer (status and body).
    Api(kalshi_core::Error),
    /// The URI is not `https`, nor plain `http` to a loopback host (`127.0.0.0/8`, `::1`,
    /// `localhost`). Refused before connecting.
    InsecureUrl(String),
    /// A raw request that cannot be sent as it is (a URI without a host, a body longer than its
    /// `Content-Length`, ...). Refused before connecting.
    InvalidRequest(String),
    /// The host name could not be resolved. Nothing was sent.
    Dns(String),
    /// No connection could be made (refused, unreachable, proxy refused). Nothing was sent.
    Connect(String),
    /// The TLS handshake failed for another reason than the certificate (not TLS at all, no
    /// common protocol version, the peer closed, ...). Nothing was sent.
    ///
    /// (A TLS failure after a completed handshake and before the response head, which a sound
    /// server does not cause, is reported here too; one while reading the body is a
    /// [`BodyCut`](Error::BodyCut).)
    Tls(String),
    /// The server's certificate was refused: not signed by a trusted authority (Mozilla's
    /// roots), issued for another name, expired, or malformed. Nothing was sent, and the
    /// request is not retried: a certificate does not fix itself, and a wrong one can mean the
    /// connection is being intercepted. Verification cannot be switched off.
    Certificate(String),
    /// A time budget ran out ([`Config::connect_timeout`](crate::Config::connect_timeout) or
    /// [`Config::timeout`](crate::Config::timeout)).
    Timeout {
        /// True when a connection was up, so the request may have reached the exchange.
        connected: bool,
        /// What timed out.
        message: String,
    },
    /// The response (its body, or its header block), or a stream message or frame, is larger
    /// than allowed. The exchange did answer; what it said is unknown.
    ResponseTooLarge {
        /// The limit in bytes that was exceeded.
        limit: u64,
        /// Details.
        message: String,
    },
    /// The connection was closed or reset after the request was (possibly) sent and before a
    /// response head arrived.
    Disconnected(String),
    /// The response body was cut short: the connection closed (or failed) before the whole
    /// body arrived, e.g. fewer bytes than its `Content-Length`.
    BodyCut(String),
    /// The server's answer is not valid HTTP/1.1 (or, on a stream, not a valid WebSocket
    /// upgrade or frame).
    Protocol(String),
    /// Another I/O error.
    Io {
        /// The I/O error kind.
        kind: io::ErrorKind,
        /// Details.
        message: String,
    },
    /// The stream connection ([`StreamConnection`](crate::StreamConnection)) ended: the
    /// server sent a close frame (`code` and `reason` are its own; 1000 is a normal close, 1001
    /// going away, 1008 a policy violation, 1011 a server error), or the connection was cut
    /// without one (`code` is `None`). Commands sent just before may or may not have been
    /// carried out; connect again (after `kalshi_core::stream::Backoff`'s delay) and let the
    /// session restore the subscriptions.
    StreamClosed {
        /// The close code, when the server sent a close frame.
        code: Option<u16>,
        /// The close reason, or what ended the connection.
        reason: String,
    },
    /// Anything else.
    Other(String),
    /// The request may or may not have been executed by the exchange: a create without an
    /// idempotency key (such as `CreateOrderGroup`, never repeated automatically) whose answer
    /// was lost (a timeout after connecting, a cut connection), or a write whose retry budget
    /// ran out that way. Reads are not wrapped: their transport error is returned as it is.
    ///
    /// Check the exchange's state (for an order group, list the order groups; for an order,
    /// look it up by its `client_order_id`) before doing it again.
    OutcomeUnknown {
        /// The operation's name in the API reference (`CreateOrderGroup`).
        operation: &'static str,
        /// The transport failure of the last attempt.
        source: Box<Error>,
    },
}

impl Error {
    /// True when the request may have reached the exchange but its outcome is not known: a
    /// timeout after a connection was up, a connection closed before or during the answer, an
    /// answer too large or malformed to read, or a 5xx from the exchange.
    ///
    /// False when nothing was sent (refused locally, DNS, connect, TLS handshake) and when the
    /// exchange's answer was read (a 4xx says the request was not carried out; a success status
    /// whose body does not decode says it was).
    ///
    /// Whether to repeat such a request is the operation's call: see
    /// [`kalshi_core::Operation::IDEMPOTENCY`].
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e, kalshi_core::Error::ServerError(_)),
            Error::InsecureUrl(_)
            | Error::InvalidRequest(_)
            | Error::Dns(_)
            | Error::Connect(_)
            | Error::Tls(_)
            | Error::Certificate(_) => false,
            Error::Timeout { connected, .. } => *connected,
            Error::ResponseTooLarge { .. }
            | Error::Disconnected(_)
            | Error::BodyCut(_)
            | Error::Protocol(_)
            | Error::Io { .. }
            | Error::StreamClosed { .. }
            | Error::Other(_)
            | Error::OutcomeUnknown { .. } => true,
        }
    }

    /// True when nothing was sent: the core refused the request, or the transport refused the
    /// URI.
    pub fn is_refused_before_sending(&self) -> bool {
        match self {
            Error::Api(e) => e.is_refused_before_sending(),
            Error::InsecureUrl(_) | Error::InvalidRequest(_) => true,
            _ => false,
        }
    }

    /// What this failure means for retrying: `None` for a request refused locally (it would be
    /// refused again), otherwise whether it left the machine.
    pub(crate) fn attempt_failure(&self) -> Option<AttemptFailure<'static>> {
        match self {
            Error::Api(_)
            | Error::InsecureUrl(_)
            | Error::InvalidRequest(_)
            | Error::Certificate(_) => None,
            Error::Dns(_) | Error::Connect(_) | Error::Tls(_) => Some(AttemptFailure::NotSent),
            Error::Timeout { connected, .. } => Some(if *connected {
                AttemptFailure::OutcomeUnknown
            } else {
                AttemptFailure::NotSent
            }),
            Error::ResponseTooLarge { .. }
            | Error::Disconnected(_)
            | Error::BodyCut(_)
            | Error::Protocol(_)
            | Error::Io { .. }
            | Error::StreamClosed { .. }
            | Error::Other(_)
            | Error::OutcomeUnknown { .. } => Some(AttemptFailure::OutcomeUnknown),
        }
    }

    /// The core's error, for [`Error::Api`] (and an [`Error::OutcomeUnknown`] wrapping one).
    pub fn api(&self) -> Option<&kalshi_core::Error> {
        match self {
            Error::Api(e) => Some(e),
            Error::OutcomeUnknown { source, .. } => source.api(),
            _ => None,
        }
    }

    /// The HTTP status of the exchange's answer, when there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.api().and_then(kalshi_core::Error::status)
    }

    /// The message of a transport variant (the core's `Display` for [`Error::Api`], the last
    /// attempt's message for [`Error::OutcomeUnknown`]).
    pub fn message(&self) -> String {
        match self {
            Error::Api(e) => e.to_string(),
            Error::OutcomeUnknown { source, .. } => source.message(),
            Error::InsecureUrl(m)
            | Error::InvalidRequest(m)
            | Error::Dns(m)
            | Error::Connect(m)
            | Error::Tls(m)
            | Error::Certificate(m)
            | Error::Disconnected(m)
            | Error::BodyCut(m)
            | Error::Protocol(m)
            | Error::Other(m) => m.clone(),
            Error::Timeout { message, .. }
            | Error::ResponseTooLarge { message, .. }
            | Error::Io { message, .. } => message.clone(),
            Error::StreamClosed { reason, .. } => reason.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::InsecureUrl(m) => write!(f, "insecure URL refused: {m}"),
            Error::InvalidRequest(m) => write!(f, "request cannot be sent: {m}"),
            Error::Dns(m) => write!(f, "DNS resolution failed: {m}"),
            Error::Connect(m) => write!(f, "connection failed: {m}"),
            Error::Tls(m) => write!(f, "TLS failed: {m}"),
            Error::Certificate(m) => write!(f, "server certificate refused: {m}"),
            Error::Timeout { connected, message } => {
                let when = if *connected {
                    "after connecting"
                } else {
                    "before connecting"
                };
                write!(f, "timed out {when}: {message}")
            }
            Error::ResponseTooLarge { limit, message } => {
                write!(f, "response larger than {limit} bytes: {message}")
            }
            Error::Disconnected(m) => write!(f, "connection closed before the response: {m}"),
            Error::BodyCut(m) => write!(f, "response body cut short: {m}"),
            Error::Protocol(m) => write!(f, "invalid HTTP response: {m}"),
            Error::Io { message, .. } => write!(f, "I/O error: {message}"),
            Error::StreamClosed {
                code: Some(code),
                reason,
            } => write!(f, "stream closed by the server ({code}): {reason}"),
            Error::StreamClosed { code: None, reason } => {
                write!(f, "stream connection lost: {reason}")
            }
            Error::Other(m) => write!(f, "transport error: {m}"),
            Error::OutcomeUnknown { operation, source } => write!(
                f,
                "{operation}: the outcome is unknown: the exchange may or may not have executed \
                 it; check before repeating it (for an order group, \
                 list the order groups; for an order, look it up by its client_order_id): \
                 {source}"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            Error::OutcomeUnknown { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

impl From<kalshi_core::Error> for Error {
    fn from(e: kalshi_core::Error) -> Self {
        Error::Api(e)
    }
}

/// Where in a call a ureq error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Resolving, connecting, sending the request, reading the response head.
    Exchange,
    /// Reading the response body.
    Body,
}

/// Maps a ureq error; `target` names the request (`GET https://...`).
pub(crate) fn from_ureq(err: ureq::Error, phase: Phase, target: &str) -> Error {
    use ureq::Error as U;
    let msg = |detail: &dyn fmt::Display| format!("{target}: {detail}");
    match err {
        U::Io(e) => from_io(e, phase, target),
        U::Timeout(t) => {
            let connected = phase == Phase::Body
                || !matches!(t, ureq::Timeout::Resolve | ureq::Timeout::Connect);
            Error::Timeout {
                connected,
                message: msg(&format_args!("{t} budget exhausted")),
            }
        }
        U::HostNotFound => Error::Dns(msg(&"host not found")),
        U::ConnectionFailed => Error::Connect(msg(&"connection failed")),
        U::ConnectProxyFailed(m) => Error::Connect(msg(&format_args!("proxy CONNECT failed: {m}"))),
        U::Tls(m) => Error::Tls(msg(&m)),
        U::TlsRequired => Error::Tls(msg(&"the connection is not TLS")),
        U::Rustls(e) if is_certificate_error(&e) => Error::Certificate(msg(&e)),
        U::Rustls(e) => tls_or_cut(phase, msg(&e)),
        U::Pem(e) => Error::Tls(msg(&format_args!("PEM: {e:?}"))),
        U::BodyExceedsLimit(n) if phase == Phase::Body => Error::ResponseTooLarge {
            limit: n,
            message: msg(&format_args!("the body is longer than the {n}-byte limit")),
        },
        U::BodyExceedsLimit(n) => Error::InvalidRequest(msg(&format_args!(
            "the request body is longer than its Content-Length ({n})"
        ))),
        U::LargeResponseHeader(size, max) => Error::ResponseTooLarge {
            limit: max as u64,
            message: msg(&format_args!(
                "the response header block ({size} bytes) exceeds {max} bytes"
            )),
        },
        U::Protocol(e) => Error::Protocol(msg(&e)),
        U::Http(e) => Error::InvalidRequest(msg(&e)),
        U::BadUri(m) => Error::InvalidRequest(msg(&format_args!("bad URI: {m}"))),
        U::RequireHttpsOnly(m) => Error::InsecureUrl(msg(&m)),
        U::BodyStalled if phase == Phase::Body => {
            Error::BodyCut(msg(&"the body stopped before its end"))
        }
        other => Error::Other(msg(&other)),
    }
}

/// A TLS failure: during the handshake nothing was sent; while reading the body it cuts it.
fn tls_or_cut(phase: Phase, message: String) -> Error {
    match phase {
        Phase::Exchange => Error::Tls(message),
        Phase::Body => Error::BodyCut(message),
    }
}

/// A refusal of the server's certificate (as opposed to another handshake failure).
fn is_certificate_error(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
    )
}

/// The `rustls::Error` inside an I/O error, if any.
fn rustls_error(e: &io::Error) -> Option<&rustls::Error> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e
        .get_ref()
        .map(|inner| inner as &(dyn std::error::Error + 'static));
    while let Some(err) = cur {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        cur = err.source();
    }
    None
}

fn is_tls_error(e: &io::Error) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e
        .get_ref()
        .map(|inner| inner as &(dyn std::error::Error + 'static));
    while let Some(err) = cur {
        if err.is::<rustls::Error>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// `std` reports a failed `getaddrinfo` with this prefix and an uncategorised kind.
fn is_dns_error(e: &io::Error) -> bool {
    e.to_string()
        .starts_with("failed to lookup address information")
}

pub(crate) fn from_io(e: io::Error, phase: Phase, target: &str) -> Error {
    use io::ErrorKind as K;
    let message = format!("{target}: {e}");
    if rustls_error(&e).is_some_and(is_certificate_error) {
        return Error::Certificate(message);
    }
    if is_tls_error(&e) {
        return tls_or_cut(phase, message);
    }
    match (phase, e.kind()) {
        (_, K::TimedOut | K::WouldBlock) => Error::Timeout {
            connected: true,
            message,
        },
        (
            Phase::Exchange,
            K::ConnectionRefused
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::NetworkDown
            | K::AddrNotAvailable,
        ) => Error::Connect(message),
        (
            Phase::Exchange,
            K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe,
        ) => Error::Disconnected(message),
        (
            Phase::Body,
            K::UnexpectedEof
            | K::ConnectionReset
            | K::ConnectionAborted
            | K::BrokenPipe
            | K::HostUnreachable
            | K::NetworkUnreachable
            | K::NetworkDown,
        ) => Error::BodyCut(message),
        (Phase::Exchange, _) if is_dns_error(&e) => Error::Dns(message),
        (_, kind) => Error::Io { kind, message },
    }
}
