//! Turning an `http::Response` into an operation's typed result or a typed error.

use std::fmt;

use http::StatusCode;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::Error;
use crate::operation::Operation;

/// How many bytes of a body an error keeps.
pub const MAX_KEPT_BODY: usize = 4096;

/// The error code of a write to the retired V1 order endpoints.
pub const DEPRECATED_V1_ORDER_ENDPOINT: &str = "deprecated_v1_order_endpoint";

/// Bodies larger than this are never inspected for an error document.
const MAX_ERROR_DOC: usize = 64 * 1024;

/// The first [`MAX_KEPT_BODY`] bytes of a response body, and its full length.
#[derive(Clone, PartialEq, Eq)]
pub struct BoundedBody {
    bytes: Vec<u8>,
    total_len: usize,
}

impl BoundedBody {
    /// Keeps at most [`MAX_KEPT_BODY`] bytes of `body`.
    pub fn new(body: &[u8]) -> Self {
        BoundedBody {
            bytes: body[..body.len().min(MAX_KEPT_BODY)].to_vec(),
            total_len: body.len(),
        }
    }

    /// A body of `total_len` bytes that is not kept because it holds a secret (its text reads
    /// `[withheld]`).
    pub fn withheld(total_len: usize) -> Self {
        BoundedBody {
            bytes: b"[withheld]".to_vec(),
            total_len,
        }
    }

    /// The kept bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The length of the whole body.
    pub fn total_len(&self) -> usize {
        self.total_len
    }

    /// True when bytes were dropped.
    pub fn is_truncated(&self) -> bool {
        self.total_len > self.bytes.len()
    }

    /// The kept bytes as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl fmt::Display for BoundedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.total_len == 0 {
            return f.write_str("(empty)");
        }
        let text = String::from_utf8_lossy(&self.bytes);
        let shown: String = text.chars().take(500).collect();
        f.write_str(&shown)?;
        if shown.len() < self.total_len {
            write!(f, "... ({} bytes)", self.total_len)?;
        }
        Ok(())
    }
}

impl fmt::Debug for BoundedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BoundedBody({:?}, total_len: {})",
            self.text(),
            self.total_len
        )
    }
}

/// Kalshi's error document (`ErrorResponse`): read from the flat `{code, message, details,
/// service}`, the nested `{"error": {...}}` and the bare `{"error": "..."}` shapes.
///
/// Written back flat: `code`, `message` and `details` always (`null` when absent), `service`
/// only when the exchange sent it (the V2 order pages document the error entry of a batch
/// result without it; the other pages with it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ErrorResponse {
    /// Machine-readable error code (`not_found`, `deprecated_v1_order_endpoint`, ...).
    pub code: Option<String>,
    /// Human-readable message.
    pub message: Option<String>,
    /// Additional details.
    pub details: Option<String>,
    /// The service that produced the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

impl ErrorResponse {
    /// Recognises an error document in `body`, in any of Kalshi's three shapes.
    pub fn from_body(body: &[u8]) -> Option<Self> {
        if body.len() > MAX_ERROR_DOC {
            return None;
        }
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return None;
        };
        match map.get("error") {
            Some(Value::String(s)) => {
                return Some(ErrorResponse {
                    message: Some(s.clone()),
                    ..Default::default()
                });
            }
            Some(Value::Object(inner)) => return Some(Self::from_fields(inner)),
            _ => {}
        }
        if map.contains_key("code") && (map.contains_key("message") || map.contains_key("details"))
        {
            return Some(Self::from_fields(&map));
        }
        None
    }

    fn from_fields(map: &serde_json::Map<String, Value>) -> Self {
        let field = |k: &str| match map.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        ErrorResponse {
            code: field("code"),
            message: field("message"),
            details: field("details"),
            service: field("service"),
        }
    }

    fn says_too_many_requests(&self) -> bool {
        let hit = |s: &Option<String>| {
            s.as_deref().is_some_and(|s| {
                let s = s.to_ascii_lowercase();
                s.contains("too many requests") || s.contains("too_many_requests")
            })
        };
        hit(&self.message) || hit(&self.code)
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (label, v) in [
            ("code", &self.code),
            ("message", &self.message),
            ("details", &self.details),
            ("service", &self.service),
        ] {
            if let Some(v) = v {
                if !first {
                    f.write_str(", ")?;
                }
                first = false;
                let v: String = v.chars().take(300).collect();
                write!(f, "{label}: {v}")?;
            }
        }
        if first {
            f.write_str("(no details)")?;
        }
        Ok(())
    }
}

/// An answer from the exchange that is not the operation's success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The error document, when the body is one.
    pub error: Option<ErrorResponse>,
    /// The raw body, bounded.
    pub body: BoundedBody,
    /// The observed offset of the exchange's clock from the local clock, in milliseconds
    /// (positive: the exchange is ahead), when it was large enough to explain the error.
    pub clock_skew_ms: Option<i64>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        match &self.error {
            Some(e) => write!(f, " ({e})")?,
            None => write!(f, "; body: {}", self.body)?,
        }
        if let Some(skew) = self.clock_skew_ms {
            let (amount, dir) = if skew >= 0 {
                (skew, "behind")
            } else {
                (-skew, "ahead of")
            };
            write!(
                f,
                "; the local clock is about {amount} ms {dir} the exchange's: \
                 signed timestamps may be outside the accepted window"
            )?;
        }
        Ok(())
    }
}

/// Classifies a non-success answer by its status.
pub(crate) fn error_for_status(status: StatusCode, body: &[u8]) -> Error {
    let api = Box::new(ApiError {
        status,
        error: ErrorResponse::from_body(body),
        body: BoundedBody::new(body),
        clock_skew_ms: None,
    });
    let deprecated = api
        .error
        .as_ref()
        .and_then(|e| e.code.as_deref())
        .is_some_and(|c| c == DEPRECATED_V1_ORDER_ENDPOINT);
    if deprecated {
        return Error::DeprecatedEndpoint(api);
    }
    match status.as_u16() {
        400 => Error::BadRequest(api),
        401 => Error::Unauthorized(api),
        403 => Error::Forbidden(api),
        404 => Error::NotFound(api),
        409 => Error::Conflict(api),
        429 => Error::RateLimited(api),
        500..=599 => Error::ServerError(api),
        _ => Error::UnexpectedStatus(api),
    }
}

#[derive(Deserialize)]
struct ErrorProbe {
    error: Option<IgnoredAny>,
    code: Option<IgnoredAny>,
}

/// Cheap check for an error document behind a success status (small bodies only).
fn looks_like_error_doc(body: &[u8]) -> bool {
    if body.len() > MAX_ERROR_DOC || !may_hold_error_key(body) {
        return false;
    }
    match serde_json::from_slice::<ErrorProbe>(body) {
        Ok(p) => p.error.is_some() || p.code.is_some(),
        Err(_) => false,
    }
}

/// False only when `body` cannot hold a key `"error"` or `"code"`: neither appears as quoted
/// text and there is no backslash (an escaped key such as `"\u0063ode"` could spell one). Skips
/// the probe's second parse of every ordinary success body (a third of a small answer's parse).
fn may_hold_error_key(body: &[u8]) -> bool {
    body.iter().enumerate().any(|(i, &b)| {
        b == b'\\'
            || (b == b'"'
                && (body[i + 1..].starts_with(b"code\"") || body[i + 1..].starts_with(b"error\"")))
    })
}

/// Reads a success body into `T`. Valid UTF-8 (every answer the exchange sends) is checked once,
/// as a whole, and then parsed as text: `serde_json::from_slice` would re-check every string on
/// its own, which costs about a sixth of a large list's parse. Anything else goes through
/// `from_slice`, for its error (with line and column).
fn decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// Parses an answer to operation `O` from its status and body.
///
/// Any 2xx status is read as success (a proxy or an API revision changing 201 to 200 must not
/// break a trading bot); everything else becomes the matching [`Error`] variant. Never panics,
/// whatever the bytes.
pub fn parse<O: Operation>(status: StatusCode, body: &[u8]) -> Result<O::Output, Error> {
    if !status.is_success() {
        return Err(error_for_status(status, body));
    }
    // A body the fast reader takes whole has exactly the usual keys, so it is no error document.
    if let Some(out) = O::decode_fast(body) {
        return Ok(out);
    }
    if looks_like_error_doc(body) {
        if let Some(doc) = ErrorResponse::from_body(body) {
            let rate_limited = doc.says_too_many_requests();
            let api = Box::new(ApiError {
                status,
                error: Some(doc),
                body: if O::SECRET_RESPONSE {
                    BoundedBody::withheld(body.len())
                } else {
                    BoundedBody::new(body)
                },
                clock_skew_ms: None,
            });
            return Err(if rate_limited {
                Error::RateLimited(api)
            } else {
                Error::ErrorBodyWithSuccessStatus(api)
            });
        }
    }
    let body_or_empty_object: &[u8] =
        if O::EMPTY_BODY_OK && body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            body
        };
    decode(body_or_empty_object).map_err(|e| {
        if O::SECRET_RESPONSE {
            // serde's message may quote the secret; keep only where and what kind of error.
            return Error::Decode {
                status,
                message: format!(
                    "{} response: {:?} error at line {} column {} (details withheld: the body holds a secret)",
                    O::NAME,
                    e.classify(),
                    e.line(),
                    e.column()
                ),
                body: BoundedBody::withheld(body.len()),
            };
        }
        Error::Decode {
            status,
            message: format!("{} response: {e}", O::NAME),
            body: BoundedBody::new(body),
        }
    })
}

/// Parses an `http::Response` to operation `O`; see [`parse`].
pub fn parse_response<O: Operation, B: AsRef<[u8]>>(
    response: &http::Response<B>,
) -> Result<O::Output, Error> {
    parse::<O>(response.status(), response.body().as_ref())
}

/// The answer of operations that return `{}` (an empty or whitespace body is accepted too).
/// Fields the exchange may add later are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
pub struct EmptyResponse {}

impl<'de> Deserialize<'de> for ErrorResponse {
    /// Reads an error entry inside a response (batch results): an object with `code`,
    /// `message`, `details`, `service`, or a bare string message.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Object(map) => match map.get("error") {
                Some(Value::Object(inner)) => Self::from_fields(inner),
                _ => Self::from_fields(&map),
            },
            Value::String(s) => ErrorResponse {
                message: Some(s),
                ..Default::default()
            },
            Value::Null => ErrorResponse::default(),
            other => ErrorResponse {
                message: Some(other.to_string()),
                ..Default::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order_groups::{CreateOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup};
    use proptest::prelude::*;

    fn all(status: StatusCode, body: &[u8]) {
        let _ = parse::<CreateOrderGroup>(status, body);
        let _ = parse::<GetOrderGroups>(status, body);
        let _ = parse::<GetOrderGroup>(status, body);
        let _ = parse::<ResetOrderGroup>(status, body);
        let _ = ErrorResponse::from_body(body);
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        all(StatusCode::OK, deep.as_bytes());
        all(StatusCode::BAD_REQUEST, deep.as_bytes());
        let deep_obj = r#"{"error":"#.repeat(10_000);
        all(StatusCode::OK, deep_obj.as_bytes());
    }

    #[test]
    fn an_escaped_error_key_behind_a_success_status_is_still_an_error() {
        for body in [
            r#"{"\u0063ode":"not_found","message":"gone"}"#,
            r#"{"err\u006fr":{"code":"x","message":"y"}}"#,
            r#"{"code":"not_found","message":"gone"}"#,
        ] {
            assert!(may_hold_error_key(body.as_bytes()), "{body}");
            let r = parse::<ResetOrderGroup>(StatusCode::OK, body.as_bytes());
            assert!(
                matches!(r, Err(Error::ErrorBodyWithSuccessStatus(_))),
                "{body}: {r:?}"
            );
        }
        // Ordinary answers skip the probe; quoted text that is not a key still triggers it.
        assert!(!may_hold_error_key(
            br#"{"order_group_id":"og","subaccount":0,"exchange_index":0}"#
        ));
        assert!(!may_hold_error_key(br#"{"codes":1,"errors":[],"x":"cod"}"#));
        assert!(may_hold_error_key(br#"{"x":"code"}"#));
        assert!(!may_hold_error_key(b""));
        assert!(!may_hold_error_key(b"\""));
    }

    #[test]
    fn decode_reads_valid_and_invalid_utf8_as_from_slice_does() {
        let ok = r#"{"order_groups":[{"id":"caf\u00e9 \"x\"","is_auto_cancel_enabled":true}]}"#;
        let a: crate::order_groups::GetOrderGroupsResponse = decode(ok.as_bytes()).unwrap();
        assert_eq!(a.order_groups[0].id, "café \"x\"");
        assert_eq!(a, serde_json::from_slice(ok.as_bytes()).unwrap());
        // Invalid UTF-8 inside a string: an error, with from_slice's own message.
        let bad = b"{\"order_groups\":[{\"id\":\"\xff\",\"is_auto_cancel_enabled\":true}]}";
        let e = decode::<crate::order_groups::GetOrderGroupsResponse>(bad).unwrap_err();
        let slice =
            serde_json::from_slice::<crate::order_groups::GetOrderGroupsResponse>(bad).unwrap_err();
        assert_eq!(e.to_string(), slice.to_string());
    }

    /// Keys the prefilter must see through: plain, escaped, near misses.
    fn probe_key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "error",
            "code",
            "\\u0063ode",
            "\\u0065rror",
            "co\\u0064e",
            "codes",
            "errors",
            "message",
            "id",
            "",
        ])
    }

    proptest! {
        #[test]
        fn the_prefilter_never_hides_an_error_document(
            keys in prop::collection::vec(probe_key(), 0..4),
            values in prop::collection::vec(prop::sample::select(vec!["1", "\"code\"", "null", "{\"error\":2}", "[]"]), 4),
        ) {
            let body = format!(
                "{{{}}}",
                keys.iter()
                    .zip(&values)
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let full = match serde_json::from_slice::<ErrorProbe>(body.as_bytes()) {
                Ok(p) => p.error.is_some() || p.code.is_some(),
                Err(_) => false,
            };
            if full {
                prop_assert!(may_hold_error_key(body.as_bytes()), "{}", body);
            }
            prop_assert_eq!(looks_like_error_doc(body.as_bytes()), full, "{}", body);
        }

        #[test]
        fn decode_agrees_with_from_slice(body in prop::collection::vec(any::<u8>(), 0..256),
                                         text in r#"[{}\[\]":,a-z0-9. \\é-]{0,200}"#) {
            for b in [&body[..], text.as_bytes()] {
                let ours = decode::<Value>(b).map_err(|e| e.to_string());
                let slice = serde_json::from_slice::<Value>(b).map_err(|e| e.to_string());
                prop_assert_eq!(ours.is_ok(), slice.is_ok());
                if let (Ok(a), Ok(b)) = (&ours, &slice) {
                    prop_assert_eq!(a, b);
                }
            }
        }

        #[test]
        fn parsing_never_panics_on_arbitrary_bytes(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..512)) {
            all(StatusCode::from_u16(status).unwrap(), &body);
        }

        #[test]
        fn parsing_never_panics_on_json_like_text(status in prop::sample::select(vec![200u16, 201, 400, 404, 429, 500]),
                                                   body in r#"[{}\[\]":,a-z0-9. \\-]{0,200}"#) {
            all(StatusCode::from_u16(status).unwrap(), body.as_bytes());
        }
    }
}
