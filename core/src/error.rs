//! The crate's one error type.

use std::fmt;

use http::StatusCode;

use crate::response::{ApiError, BoundedBody};

/// Everything that can go wrong while building a request or reading a response.
///
/// Variants fall in three groups a caller acts on differently:
/// - **refused before sending** ([`InvalidInput`](Error::InvalidInput),
///   [`InvalidKey`](Error::InvalidKey), [`InvalidBaseUrl`](Error::InvalidBaseUrl),
///   [`Signing`](Error::Signing)): nothing reached the exchange; fix the input;
/// - **the exchange said no** (one variant per class of HTTP status, each carrying an
///   [`ApiError`] with the status, the parsed error body and the raw body, bounded);
/// - **the answer made no sense** ([`Decode`](Error::Decode)): a success status whose body is
///   not the documented shape.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// A request parameter was refused before anything was signed or sent.
    InvalidInput {
        /// The parameter, in the API's own words (`contracts_limit`, `order_group_id`, ...).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The private or public key could not be loaded. Never contains key material.
    InvalidKey(String),
    /// The base URL is not usable (not `https`, or plain `http` to a non-loopback host, ...).
    InvalidBaseUrl(String),
    /// The signing backend failed.
    Signing(String),
    /// 400: the exchange refused the request as invalid.
    BadRequest(Box<ApiError>),
    /// 401: authentication failed (wrong key, bad signature, stale timestamp).
    Unauthorized(Box<ApiError>),
    /// 403: the key is not allowed to do this (scope, subaccount restriction).
    Forbidden(Box<ApiError>),
    /// 404: the resource (order group, order, ...) does not exist.
    NotFound(Box<ApiError>),
    /// 409: the request conflicts with existing state (e.g. a duplicate id).
    Conflict(Box<ApiError>),
    /// 429, or a "too many requests" error body: slow down and retry later.
    RateLimited(Box<ApiError>),
    /// 5xx: the exchange failed; the outcome of a write is unknown.
    ServerError(Box<ApiError>),
    /// The exchange refused a write to a retired endpoint (code
    /// `deprecated_v1_order_endpoint`): use the V2 operation instead.
    DeprecatedEndpoint(Box<ApiError>),
    /// A status the operation does not document (and not one of the classes above).
    UnexpectedStatus(Box<ApiError>),
    /// The status was a success but the body is an error document (seen in the wild); the
    /// request must be treated as refused.
    ErrorBodyWithSuccessStatus(Box<ApiError>),
    /// A success status whose body does not parse as the documented response.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// What the parser said.
        message: String,
        /// The body, bounded.
        body: BoundedBody,
    },
    /// A WebSocket frame from the exchange that is not a JSON message of the stream API, or a
    /// message of a known type whose payload does not have the documented shape (see
    /// [`crate::stream::message`]). Unknown message types are not errors.
    MalformedFrame {
        /// What the parser said.
        message: String,
        /// The frame, bounded.
        frame: BoundedBody,
    },
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// The exchange's answer, for the variants that carry one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::RateLimited(e)
            | Error::ServerError(e)
            | Error::UnexpectedStatus(e)
            | Error::DeprecatedEndpoint(e)
            | Error::ErrorBodyWithSuccessStatus(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the answer this error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The exchange's error code (`ErrorResponse.code`), if the body carried one.
    pub fn code(&self) -> Option<&str> {
        self.api_error()
            .and_then(|e| e.error.as_ref())
            .and_then(|e| e.code.as_deref())
    }

    /// True when the request was refused locally and never signed or sent.
    pub fn is_refused_before_sending(&self) -> bool {
        matches!(
            self,
            Error::InvalidInput { .. }
                | Error::InvalidKey(_)
                | Error::InvalidBaseUrl(_)
                | Error::Signing(_)
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput { field, reason } => write!(f, "invalid `{field}`: {reason}"),
            Error::InvalidKey(m) => write!(f, "invalid key: {m}"),
            Error::InvalidBaseUrl(m) => write!(f, "invalid base URL: {m}"),
            Error::Signing(m) => write!(f, "signing failed: {m}"),
            Error::BadRequest(e) => write!(f, "bad request: {e}"),
            Error::Unauthorized(e) => write!(f, "unauthorized: {e}"),
            Error::Forbidden(e) => write!(f, "forbidden: {e}"),
            Error::NotFound(e) => write!(f, "not found: {e}"),
            Error::Conflict(e) => write!(f, "conflict: {e}"),
            Error::RateLimited(e) => write!(f, "rate limited: {e}"),
            Error::ServerError(e) => write!(f, "server error: {e}"),
            Error::UnexpectedStatus(e) => write!(f, "unexpected status: {e}"),
            Error::DeprecatedEndpoint(e) => {
                write!(f, "deprecated endpoint, use the V2 operation: {e}")
            }
            Error::ErrorBodyWithSuccessStatus(e) => {
                write!(f, "error body behind a success status: {e}")
            }
            Error::Decode {
                status,
                message,
                body,
            } => write!(
                f,
                "cannot decode the {status} response: {message}; body: {body}"
            ),
            Error::MalformedFrame { message, frame } => {
                write!(f, "malformed stream message: {message}; frame: {frame}")
            }
        }
    }
}

impl std::error::Error for Error {}
