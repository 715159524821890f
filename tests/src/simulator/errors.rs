//! Error answers, in the shapes Kalshi uses.
//!
//! By default ([`ErrorShape::Flat`]) errors use the documented `ErrorResponse`:
//!
//! ```json
//! {"code": "not_found", "message": "order group not found", "details": "...", "service": "simulator"}
//! ```
//!
//! [`ErrorShape::Nested`] wraps the same object as `{"error": {...}}`, and [`ErrorShape::Bare`]
//! answers only the message, `{"error": "order group not found"}`. Rate limiting always answers
//! the bare form the rate-limit guide documents, `{"error": "too many requests"}` (see
//! [`too_many_requests`]).

use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use serde_json::json;

use super::body::SimBody;

/// The value of `service` in every error document the simulator produces.
pub(crate) const SERVICE: &str = "simulator";

/// The JSON shape of the simulator's error answers
/// ([`SimulatorConfig::with_error_shape`](super::SimulatorConfig::with_error_shape)).
///
/// The API reference documents one error document, `ErrorResponse`
/// (`{code, message, details, service}`), and that is the default. The other two are shapes
/// clients meet in practice and must read as well; kalshi-core reads all three
/// (`kalshi_core::ErrorResponse::from_body`). The 429 of rate limiting is
/// `{"error": "too many requests"}` whatever the shape, as the rate-limit guide documents.
///
/// ```
/// use kalshi_simulator::ErrorShape;
/// assert_eq!(ErrorShape::default(), ErrorShape::Flat);
/// assert_eq!(ErrorShape::parse("Nested"), Some(ErrorShape::Nested));
/// assert_eq!(ErrorShape::Bare.name(), "bare");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorShape {
    /// `{"code", "message", "details", "service"}`: the documented `ErrorResponse` (the
    /// default).
    #[default]
    Flat,
    /// `{"error": {"code", "message", "details", "service"}}`: the same document wrapped in an
    /// `error` object.
    Nested,
    /// `{"error": "message"}`: the message alone, no code (the shape of the documented 429).
    Bare,
}

impl ErrorShape {
    /// Every shape, the default first.
    pub const ALL: [ErrorShape; 3] = [ErrorShape::Flat, ErrorShape::Nested, ErrorShape::Bare];

    /// The shape named `flat`, `nested` or `bare` (any case).
    pub fn parse(name: &str) -> Option<ErrorShape> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// The shape's name in lower case (`flat`, `nested`, `bare`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorShape::Flat => "flat",
            ErrorShape::Nested => "nested",
            ErrorShape::Bare => "bare",
        }
    }
}

/// An error answer: status, machine-readable code, human message and details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// `error.code`: `invalid_parameters`, `not_found`, `unauthorized`, ...
    pub(crate) code: &'static str,
    /// `error.message`: a short human summary.
    pub(crate) message: String,
    /// `error.details`: what exactly was wrong.
    pub(crate) details: String,
    /// `Allow` header value, for 405 answers.
    pub(crate) allow: Option<String>,
}

impl ApiError {
    /// An error with the given status, code, message and details.
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        details: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: details.into(),
            allow: None,
        }
    }

    /// 400 `invalid_parameters`.
    pub(crate) fn invalid_parameters(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameters",
            "invalid parameters",
            details,
        )
    }

    /// 400 `invalid_parameters` for a body that is not valid JSON of the expected shape.
    pub(crate) fn invalid_json(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameters",
            "invalid JSON body",
            details,
        )
    }

    /// 404 `not_found`.
    pub(crate) fn not_found(message: impl Into<String>, details: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message, details)
    }

    /// 401 `unauthorized`; `details` says which check failed.
    pub(crate) fn unauthorized(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "authentication failed",
            details,
        )
    }

    /// 405 `method_not_allowed`, with the methods the route does accept.
    pub(crate) fn method_not_allowed(method: &str, allowed: &[&str]) -> Self {
        let allow = allowed.join(", ");
        let mut e = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "method not allowed",
            format!("{method} is not allowed here; allowed: {allow}"),
        );
        e.allow = Some(allow);
        e
    }

    /// 413 `payload_too_large`.
    pub(crate) fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "request body too large",
            format!("the request body must be at most {limit} bytes"),
        )
    }

    /// 500 `internal_error`.
    pub(crate) fn internal(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "internal simulator error",
            details,
        )
    }

    /// The error document, `{code, message, details, service}` (also the `error` entry of a
    /// batch result).
    pub(crate) fn document(&self) -> serde_json::Value {
        json!({
            "code": self.code,
            "message": self.message,
            "details": self.details,
            "service": SERVICE,
        })
    }

    /// The answer's JSON body in `shape`.
    pub(crate) fn body(&self, shape: ErrorShape) -> serde_json::Value {
        match shape {
            ErrorShape::Flat => self.document(),
            ErrorShape::Nested => json!({ "error": self.document() }),
            ErrorShape::Bare => json!({ "error": self.message }),
        }
    }

    /// The full HTTP answer, its body in `shape`.
    pub(crate) fn into_response(self, shape: ErrorShape) -> Response<SimBody> {
        let mut resp = json_response(self.status, &self.body(shape));
        if let Some(allow) = self
            .allow
            .as_deref()
            .and_then(|a| HeaderValue::from_str(a).ok())
        {
            resp.headers_mut().insert(http::header::ALLOW, allow);
        }
        resp
    }
}

/// A JSON answer with the given status.
pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> Response<SimBody> {
    let mut resp = Response::new(SimBody::full(body.to_string()));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// The 429 answer, exactly as Kalshi sends it: `{"error": "too many requests"}` and no
/// `Retry-After` header.
pub(crate) fn too_many_requests() -> Response<SimBody> {
    json_response(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"error": "too many requests"}),
    )
}

/// An injected server error: `status` (500 if it is not a 5xx) with a JSON error body in
/// `shape`.
pub(crate) fn injected_server_error(status: u16, shape: ErrorShape) -> Response<SimBody> {
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(StatusCode::is_server_error)
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match status.as_u16() {
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => "internal_error",
    };
    ApiError::new(
        status,
        code,
        status.canonical_reason().unwrap_or("server error"),
        "injected by the simulator's fault injection; the request was not executed",
    )
    .into_response(shape)
}

/// What a reverse proxy in front of the exchange answers when the backend is down: an HTML
/// 502 page.
pub(crate) fn proxy_bad_gateway() -> Response<SimBody> {
    let mut resp = Response::new(SimBody::full(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    ));
    *resp.status_mut() = StatusCode::BAD_GATEWAY;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn body_of(resp: Response<SimBody>) -> serde_json::Value {
        let bytes = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(resp.into_body().collect())
            .unwrap()
            .to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn flat_error_shape_by_default() {
        let e = ApiError::not_found("order group not found", "no group `x`");
        let resp = e.into_response(ErrorShape::default());
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(
            body_of(resp),
            json!({"code": "not_found", "message": "order group not found", "details": "no group `x`", "service": "simulator"})
        );
    }

    #[test]
    fn nested_and_bare_error_shapes() {
        let e = ApiError::not_found("order group not found", "no group `x`");
        assert_eq!(
            body_of(e.clone().into_response(ErrorShape::Nested)),
            json!({"error": {"code": "not_found", "message": "order group not found", "details": "no group `x`", "service": "simulator"}})
        );
        assert_eq!(
            body_of(e.into_response(ErrorShape::Bare)),
            json!({"error": "order group not found"})
        );
    }

    #[test]
    fn shape_names() {
        for shape in ErrorShape::ALL {
            assert_eq!(ErrorShape::parse(shape.name()), Some(shape));
            assert_eq!(ErrorShape::parse(&shape.name().to_uppercase()), Some(shape));
        }
        assert_eq!(ErrorShape::parse("json"), None);
        assert_eq!(ErrorShape::parse(""), None);
    }

    #[test]
    fn method_not_allowed_sets_allow() {
        for shape in ErrorShape::ALL {
            let resp =
                ApiError::method_not_allowed("PATCH", &["GET", "DELETE"]).into_response(shape);
            assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
            assert_eq!(resp.headers()[http::header::ALLOW], "GET, DELETE");
        }
        let resp = ApiError::method_not_allowed("PATCH", &["GET", "DELETE"])
            .into_response(ErrorShape::Flat);
        assert_eq!(body_of(resp)["code"], "method_not_allowed");
    }

    #[test]
    fn injected_errors() {
        let resp = injected_server_error(503, ErrorShape::Flat);
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body_of(resp)["code"], "service_unavailable");
        let nested = injected_server_error(503, ErrorShape::Nested);
        assert_eq!(body_of(nested)["error"]["code"], "service_unavailable");
        let bare = injected_server_error(502, ErrorShape::Bare);
        assert_eq!(body_of(bare), json!({"error": "Bad Gateway"}));
        assert_eq!(injected_server_error(200, ErrorShape::Flat).status(), 500);
        assert_eq!(injected_server_error(504, ErrorShape::Flat).status(), 504);
        let html = proxy_bad_gateway();
        assert_eq!(html.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(html.headers()[CONTENT_TYPE], "text/html");
    }

    #[test]
    fn too_many_requests_is_bare() {
        let resp = too_many_requests();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(resp.headers().get(http::header::RETRY_AFTER).is_none());
        assert_eq!(body_of(resp), json!({"error": "too many requests"}));
    }
}
