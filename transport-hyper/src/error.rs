//! The crate's one error type, and the classification of hyper / hyper-util / rustls errors.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use kalshi_core::retry::AttemptFailure;

/// Everything that can go wrong while executing a request: either the core's answer
/// ([`Error::Api`]: refused before sending, or the exchange said no), a transport failure, or
/// [`Error::OutcomeUnknown`] when retrying stopped without knowing whether the operation ran.
///
/// Transport variants carry a human-readable message built from the whole chain of causes
/// (hyper, hyper-util, rustls, the OS). Use [`Error::outcome_unknown`] to decide whether a write
/// may have taken effect.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// The core refused the request before sending it (invalid input, key, base URL, signing),
    /// or read the exchange's answer as an error (`NotFound`, `Unauthorized`, `ServerError`, ...).
    Api(kalshi_core::Error),
    /// The request URI was refused before connecting: plain `http://` to a host that is not
    /// loopback (`127.0.0.0/8`, `::1`, `localhost`), another scheme, or a URI without a scheme
    /// and host. Nothing was sent.
    InsecureUrl(String),
    /// The host name could not be resolved. Nothing was sent.
    Dns(String),
    /// The TCP connection could not be established (refused, unreachable, reset during
    /// connect). Nothing was sent.
    Connect(String),
    /// The TLS handshake failed for another reason than the certificate (protocol error, the
    /// peer does not speak TLS or closed). Nothing was sent.
    Tls(String),
    /// The server's certificate was refused: not signed by a trusted authority (Mozilla's
    /// roots), issued for another name, expired, or malformed. Nothing was sent, and the
    /// request is not retried: a certificate does not fix itself, and a wrong one can mean the
    /// connection is being intercepted. Verification cannot be switched off.
    Certificate(String),
    /// A timeout expired: the connect timeout, or the request timeout (headers and body).
    Timeout {
        /// What timed out.
        message: String,
        /// False only when the timeout hit while connecting, before the request was written.
        maybe_sent: bool,
    },
    /// The response body exceeded [`Config::max_response_body`](crate::Config::max_response_body)
    /// (checked against `Content-Length` up front and while streaming), or a stream message or
    /// frame its [`StreamConfig`](crate::StreamConfig) limit. The request was processed; its
    /// answer was dropped.
    ResponseTooLarge {
        /// The configured limit in bytes.
        limit: usize,
        /// Details (status, announced or received length).
        message: String,
    },
    /// The connection closed before the response was complete (mid-headers or mid-body, or the
    /// body was shorter than its `Content-Length`). The request may have taken effect.
    BodyCut(String),
    /// Any other transport failure (malformed HTTP from the peer, a reset after sending, ...).
    Other {
        /// What went wrong.
        message: String,
        /// False when the failure is known to have happened before anything was written.
        maybe_sent: bool,
    },
    /// The operation may or may not have been executed, and it was not repeated because a
    /// repeat could execute it twice (a create without an idempotency key, such as
    /// `CreateOrderGroup`, whose attempt timed out or lost its connection), or because the
    /// retry budget ran out after such a failure. Check the exchange's state (e.g. list the
    /// order groups) before repeating it.
    OutcomeUnknown {
        /// The operation's name in the API reference (`CreateOrderGroup`).
        operation: &'static str,
        /// The failure of the last attempt.
        source: Box<Error>,
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
    /// A `KALSHI_*` environment variable is missing or bad
    /// ([`AsyncClient::from_env`](crate::AsyncClient::from_env)); the
    /// [`EnvError`](kalshi_core::config::EnvError) names it. Nothing was sent.
    Env(kalshi_core::config::EnvError),
}

impl Error {
    /// True when the request may have reached the exchange but its outcome is not known: a
    /// timeout that may have hit after sending, a connection closed before or during the
    /// answer, an answer too large to read, another transport failure after sending, a 5xx, or
    /// [`Error::OutcomeUnknown`].
    ///
    /// False when nothing was sent (refused locally, insecure URL, DNS, connect, TLS handshake,
    /// connect timeout) and when the exchange's answer was read (a 4xx says the request was not
    /// carried out; a success status whose body does not decode says it was).
    ///
    /// The client already repeated what was safe to repeat (see [`kalshi_core::retry`]); a
    /// create without an idempotency key should be reconciled, e.g. by listing.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e, kalshi_core::Error::ServerError(_)),
            Error::InsecureUrl(_)
            | Error::Dns(_)
            | Error::Connect(_)
            | Error::Tls(_)
            | Error::Certificate(_)
            | Error::Env(_) => false,
            Error::Timeout { maybe_sent, .. } | Error::Other { maybe_sent, .. } => *maybe_sent,
            Error::ResponseTooLarge { .. }
            | Error::BodyCut(_)
            | Error::StreamClosed { .. }
            | Error::OutcomeUnknown { .. } => true,
        }
    }

    /// What this transport failure means for retrying, or `None` when the attempt must not
    /// be repeated at all (refused locally, or an answer too large to read).
    pub(crate) fn attempt_failure(&self) -> Option<AttemptFailure<'static>> {
        match self {
            Error::Dns(_)
            | Error::Connect(_)
            | Error::Tls(_)
            | Error::Timeout {
                maybe_sent: false, ..
            } => Some(AttemptFailure::NotSent),
            Error::Timeout {
                maybe_sent: true, ..
            }
            | Error::BodyCut(_)
            | Error::StreamClosed { .. }
            | Error::Other {
                maybe_sent: true, ..
            } => Some(AttemptFailure::OutcomeUnknown),
            Error::Api(_)
            | Error::InsecureUrl(_)
            | Error::Certificate(_)
            | Error::ResponseTooLarge { .. }
            | Error::Other {
                maybe_sent: false, ..
            }
            | Error::OutcomeUnknown { .. }
            | Error::Env(_) => None,
        }
    }

    /// True when nothing was sent because the request itself was refused: by the core (invalid
    /// input, key, base URL, signing) or by this transport ([`Error::InsecureUrl`], or a request
    /// hyper refuses to send).
    pub fn is_refused_before_sending(&self) -> bool {
        match self {
            Error::Api(e) => e.is_refused_before_sending(),
            Error::InsecureUrl(_) => true,
            Error::Other { maybe_sent, .. } => !maybe_sent,
            _ => false,
        }
    }

    /// The core's error, for [`Error::Api`] (also inside [`Error::OutcomeUnknown`]).
    pub fn api(&self) -> Option<&kalshi_core::Error> {
        match self {
            Error::Api(e) => Some(e),
            Error::OutcomeUnknown { source, .. } => source.api(),
            _ => None,
        }
    }

    /// The HTTP status of the exchange's answer, when the error came from one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.api().and_then(kalshi_core::Error::status)
    }

    /// True for [`Error::Timeout`] (also inside [`Error::OutcomeUnknown`]).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::OutcomeUnknown { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// The message carried by a transport variant (for [`Error::Api`], the core error's text).
    pub fn message(&self) -> String {
        match self {
            Error::Api(e) => e.to_string(),
            Error::InsecureUrl(m)
            | Error::Dns(m)
            | Error::Connect(m)
            | Error::Tls(m)
            | Error::Certificate(m)
            | Error::BodyCut(m)
            | Error::Timeout { message: m, .. }
            | Error::ResponseTooLarge { message: m, .. }
            | Error::Other { message: m, .. } => m.clone(),
            Error::StreamClosed { reason, .. } => reason.clone(),
            Error::OutcomeUnknown { source, .. } => source.message(),
            Error::Env(e) => e.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::InsecureUrl(m) => write!(f, "refused URL: {m}"),
            Error::Dns(m) => write!(f, "DNS resolution failed: {m}"),
            Error::Connect(m) => write!(f, "connect failed: {m}"),
            Error::Tls(m) => write!(f, "TLS failed: {m}"),
            Error::Certificate(m) => write!(f, "server certificate refused: {m}"),
            Error::Timeout { message, .. } => write!(f, "timed out: {message}"),
            Error::ResponseTooLarge { limit, message } => {
                write!(f, "response larger than {limit} bytes: {message}")
            }
            Error::BodyCut(m) => write!(f, "response cut short: {m}"),
            Error::Other { message, .. } => write!(f, "transport error: {message}"),
            Error::StreamClosed {
                code: Some(code),
                reason,
            } => write!(f, "stream closed by the server ({code}): {reason}"),
            Error::StreamClosed { code: None, reason } => {
                write!(f, "stream connection lost: {reason}")
            }
            Error::OutcomeUnknown { operation, source } => write!(
                f,
                "{operation} may or may not have been executed ({source}); it was not repeated \
                 because a repeat could execute it twice: check the exchange's state before \
                 repeating it"
            ),
            Error::Env(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            Error::OutcomeUnknown { source, .. } => Some(&**source),
            Error::Env(e) => Some(e),
            _ => None,
        }
    }
}

impl From<kalshi_core::config::EnvError> for Error {
    fn from(e: kalshi_core::config::EnvError) -> Self {
        Error::Env(e)
    }
}

impl From<kalshi_core::Error> for Error {
    fn from(e: kalshi_core::Error) -> Self {
        Error::Api(e)
    }
}

/// How deep a cause chain is followed (a guard against cycles in foreign error types).
const MAX_CHAIN: usize = 16;

/// The error and its causes, outermost first. `io::Error` hides its custom payload from
/// `source()` (it returns the payload's *source*), so the payload is added explicitly.
fn chain<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out: Vec<&'a (dyn StdError + 'static)> = Vec::new();
    let mut cur = Some(e);
    while let Some(err) = cur {
        if out.len() >= MAX_CHAIN {
            break;
        }
        out.push(err);
        cur = match err.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(payload) => Some(payload as &'a (dyn StdError + 'static)),
            None => err.source(),
        };
    }
    out
}

/// "a: b: c" from a chain, skipping a cause whose text the previous one already shows.
fn describe(chain: &[&(dyn StdError + 'static)]) -> String {
    let mut out = String::new();
    for err in chain {
        let text = err.to_string();
        if text.is_empty() || out.ends_with(&text) || out.contains(&format!(": {text}")) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    if out.chars().count() > 1000 {
        out = out.chars().take(1000).collect();
        out.push_str("...");
    }
    out
}

fn io_kinds<'a>(
    chain: &'a [&'a (dyn StdError + 'static)],
) -> impl Iterator<Item = io::ErrorKind> + 'a {
    chain
        .iter()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .map(io::Error::kind)
}

/// A refusal of the server's certificate somewhere in the chain.
fn has_certificate_error(chain: &[&(dyn StdError + 'static)]) -> bool {
    chain.iter().any(|e| {
        matches!(
            e.downcast_ref::<rustls::Error>(),
            Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
        )
    })
}

fn has_rustls(chain: &[&(dyn StdError + 'static)]) -> bool {
    chain
        .iter()
        .any(|e| e.downcast_ref::<rustls::Error>().is_some())
}

fn hyper_errors<'a>(
    chain: &'a [&'a (dyn StdError + 'static)],
) -> impl Iterator<Item = &'a hyper::Error> + 'a {
    chain
        .iter()
        .filter_map(|e| e.downcast_ref::<hyper::Error>())
}

/// Classifies a failure of `hyper_util::client::legacy::Client::request` (connecting, writing
/// the request, reading the response head).
pub(crate) fn from_client_error(e: &hyper_util::client::legacy::Error) -> Error {
    let chain = chain(e);
    // The outermost "client error (Kind)" adds nothing when there is a cause.
    let message = describe(chain.get(1..).filter(|c| !c.is_empty()).unwrap_or(&chain));
    if e.is_connect() {
        if has_certificate_error(&chain) {
            return Error::Certificate(message);
        }
        if has_rustls(&chain) {
            return Error::Tls(message);
        }
        // hyper-util's private `ConnectError` shows itself as "dns error".
        if chain.iter().any(|c| c.to_string() == "dns error") {
            return Error::Dns(message);
        }
        if io_kinds(&chain).any(|k| k == io::ErrorKind::TimedOut) {
            return Error::Timeout {
                message,
                maybe_sent: false,
            };
        }
        // A peer that closes or resets during the TLS handshake is a TLS failure too.
        if chain.iter().any(|c| {
            let t = c.to_string();
            t.contains("tls handshake eof") || t.contains("invalid dnsname")
        }) {
            return Error::Tls(message);
        }
        return Error::Connect(message);
    }
    // hyper-util's own refusals of a malformed request ("client error (UserAbsoluteUriRequired)").
    if e.to_string().contains("(User") {
        return Error::Other {
            message,
            maybe_sent: false,
        };
    }
    if hyper_errors(&chain).any(|h| h.is_user()) {
        return Error::Other {
            message,
            maybe_sent: false,
        };
    }
    if hyper_errors(&chain).any(hyper::Error::is_timeout) {
        return Error::Timeout {
            message,
            maybe_sent: true,
        };
    }
    let closed = io_kinds(&chain).any(|k| {
        matches!(
            k,
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof
        )
    });
    if closed || hyper_errors(&chain).any(hyper::Error::is_incomplete_message) {
        return Error::BodyCut(message);
    }
    Error::Other {
        message,
        maybe_sent: true,
    }
}

/// Where a stream connection was when an I/O operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StreamPhase {
    /// The TLS handshake: nothing of the WebSocket handshake was sent.
    Tls,
    /// The WebSocket handshake: the signed request may have been sent, no answer read.
    Upgrade,
    /// The open connection.
    Open,
}

/// Classifies an I/O failure of the stream connection.
pub(crate) fn from_stream_io(e: &io::Error, phase: StreamPhase, target: &str) -> Error {
    let chain = chain(e);
    let message = format!("{target}: {}", describe(&chain));
    if has_certificate_error(&chain) {
        return Error::Certificate(message);
    }
    let kind = e.kind();
    if kind == io::ErrorKind::TimedOut {
        return Error::Timeout {
            message,
            maybe_sent: phase != StreamPhase::Tls,
        };
    }
    let cut = matches!(
        kind,
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    );
    match phase {
        StreamPhase::Tls if cut || has_rustls(&chain) => Error::Tls(message),
        StreamPhase::Upgrade if cut => Error::BodyCut(message),
        StreamPhase::Open if cut => Error::StreamClosed {
            code: None,
            reason: message,
        },
        _ => Error::Other {
            message,
            maybe_sent: phase != StreamPhase::Tls,
        },
    }
}

/// Classifies a failure while reading the response body: whatever the cause (EOF before
/// `Content-Length`, a reset, a broken chunk), the answer is incomplete.
pub(crate) fn from_body_error(e: &hyper::Error) -> Error {
    let chain = chain(e);
    let message = describe(&chain);
    if e.is_timeout() {
        return Error::Timeout {
            message,
            maybe_sent: true,
        };
    }
    Error::BodyCut(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_sees_through_io_error_payload() {
        let inner = io::Error::new(io::ErrorKind::InvalidData, rustls::Error::DecryptError);
        let outer = io::Error::other(inner);
        let c = chain(&outer);
        assert!(has_rustls(&c), "{c:?}");
        let text = describe(&c);
        assert!(text.contains("decrypt"), "{text}");
    }

    #[test]
    fn outcome_unknown_by_variant() {
        assert!(!Error::Connect("x".into()).outcome_unknown());
        assert!(!Error::InsecureUrl("x".into()).outcome_unknown());
        assert!(Error::BodyCut("x".into()).outcome_unknown());
        assert!(
            Error::Timeout {
                message: "x".into(),
                maybe_sent: true
            }
            .outcome_unknown()
        );
        assert!(
            !Error::Timeout {
                message: "x".into(),
                maybe_sent: false
            }
            .outcome_unknown()
        );
        assert!(!Error::Api(kalshi_core::Error::invalid("x", "y")).outcome_unknown());
        let not_found = kalshi_core::response::parse::<kalshi_core::order_groups::GetOrderGroup>(
            http::StatusCode::NOT_FOUND,
            br#"{"code":"not_found","message":"no such group"}"#,
        )
        .unwrap_err();
        assert!(!Error::from(not_found).outcome_unknown());
        let server = kalshi_core::response::parse::<kalshi_core::order_groups::GetOrderGroup>(
            http::StatusCode::BAD_GATEWAY,
            b"upstream down",
        )
        .unwrap_err();
        let e = Error::from(server);
        assert!(e.outcome_unknown());
        assert_eq!(e.status(), Some(http::StatusCode::BAD_GATEWAY));
    }
}
