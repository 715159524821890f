//! Error answers, in the shapes Kalshi uses.
//!
//! Most errors use Kalshi's nested form:
//!
//! ```json
//! {"error": {"code": "not_found", "message": "order group not found", "details": "...", "service": "simulator"}}
//! ```
//!
//! Rate limiting uses the flat form documented in the rate-limit guide:
//! `{"error": "too many requests"}` (see [`too_many_requests`]).

use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use serde_json::json;

use super::body::SimBody;

/// The value of `error.service` in every error body the simulator produces.
pub(crate) const SERVICE: &str = "simulator";

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

    /// The nested JSON body.
    pub(crate) fn body(&self) -> serde_json::Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "details": self.details,
                "service": SERVICE,
            }
        })
    }

    /// The full HTTP answer.
    pub(crate) fn into_response(self) -> Response<SimBody> {
        let mut resp = json_response(self.status, &self.body());
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

/// An injected server error: `status` (500 if it is not a 5xx) with a nested JSON error body.
pub(crate) fn injected_server_error(status: u16) -> Response<SimBody> {
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
    .into_response()
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
    fn nested_error_shape() {
        let resp = ApiError::not_found("order group not found", "no group `x`").into_response();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(
            body_of(resp),
            json!({"error": {"code": "not_found", "message": "order group not found", "details": "no group `x`", "service": "simulator"}})
        );
    }

    #[test]
    fn method_not_allowed_sets_allow() {
        let resp = ApiError::method_not_allowed("PATCH", &["GET", "DELETE"]).into_response();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(resp.headers()[http::header::ALLOW], "GET, DELETE");
        assert_eq!(body_of(resp)["error"]["code"], "method_not_allowed");
    }

    #[test]
    fn injected_errors() {
        let resp = injected_server_error(503);
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body_of(resp)["error"]["code"], "service_unavailable");
        assert_eq!(injected_server_error(200).status(), 500);
        assert_eq!(injected_server_error(504).status(), 504);
        let html = proxy_bad_gateway();
        assert_eq!(html.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(html.headers()[CONTENT_TYPE], "text/html");
    }

    #[test]
    fn too_many_requests_is_flat() {
        let resp = too_many_requests();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(resp.headers().get(http::header::RETRY_AFTER).is_none());
        assert_eq!(body_of(resp), json!({"error": "too many requests"}));
    }
}
