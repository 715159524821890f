//! The route table: method + path pattern -> handler.
//!
//! Patterns are relative to the base path (`/trade-api/v2`) and made of literal segments and
//! `{name}` parameters (one whole, non-empty segment each; its percent-decoded value reaches the
//! handler through [`RequestCtx::param`]). Adding an endpoint is one [`Route::new`] line in the
//! module that owns its state.

use http::{Method, StatusCode};
use serde_json::Value;

use super::errors::ApiError;
use super::request::{RequestCtx, decode_path_segment};
use super::state::Exchange;

/// A route handler: runs under the exchange lock, must not block and must not panic (a panic
/// is caught and answered with a 500, but is still a bug).
pub(crate) type Handler = fn(&RequestCtx, &mut Exchange) -> Result<Reply, ApiError>;

/// A successful answer: a status and a JSON body (none for a 204).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The JSON body.
    pub(crate) body: Value,
}

impl Reply {
    /// An answer with the given status.
    pub(crate) fn new(status: StatusCode, body: Value) -> Self {
        Reply { status, body }
    }

    /// A 200 answer.
    pub(crate) fn ok(body: Value) -> Self {
        Self::new(StatusCode::OK, body)
    }

    /// A 204 answer: no body and no `Content-Type` (the `Null` body is not written).
    pub(crate) fn no_content() -> Self {
        Self::new(StatusCode::NO_CONTENT, Value::Null)
    }
}

/// One entry of the route table.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    method: Method,
    pattern: &'static str,
    segments: Vec<Segment>,
    handler: Handler,
    public: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(&'static str),
    Param(&'static str),
}

impl Route {
    /// A route for `method` on `pattern` (e.g. `/portfolio/order_groups/{order_group_id}`).
    pub(crate) fn new(method: Method, pattern: &'static str, handler: Handler) -> Self {
        let segments = pattern
            .trim_start_matches('/')
            .split('/')
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name),
                    None => Segment::Literal(s),
                },
            )
            .collect();
        Route {
            method,
            pattern,
            segments,
            handler,
            public: false,
        }
    }

    /// A route the exchange serves without authentication (a request without any
    /// `KALSHI-ACCESS-*` header is served anonymously; a signed one is still verified).
    pub(crate) fn public(method: Method, pattern: &'static str, handler: Handler) -> Self {
        Route {
            public: true,
            ..Self::new(method, pattern, handler)
        }
    }

    /// The raw (still percent-encoded) parameter values if `segments` matches the pattern.
    fn match_path<'p>(&self, segments: &[&'p str]) -> Option<Vec<(&'static str, &'p str)>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (pat, seg) in self.segments.iter().zip(segments) {
            match pat {
                Segment::Literal(l) if l == seg => {}
                Segment::Param(name) if !seg.is_empty() => params.push((*name, *seg)),
                _ => return None,
            }
        }
        Some(params)
    }

    fn literal_count(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count()
    }
}

/// A resolved request: the handler and its decoded path parameters.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// The handler to run.
    pub(crate) handler: Handler,
    /// Decoded path parameters.
    pub(crate) params: Vec<(&'static str, String)>,
    /// Whether the route needs no authentication.
    pub(crate) public: bool,
    /// The route's pattern (e.g. `/markets/{ticker}`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) pattern: &'static str,
}

/// The route table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Router {
    routes: Vec<Route>,
}

impl Router {
    /// Every route the simulator serves.
    pub(crate) fn exchange() -> Self {
        let mut r = Router::default();
        r.extend(super::order_groups::routes());
        r.extend(super::orders::routes());
        r.extend(super::portfolio::routes());
        r.extend(super::subaccounts::routes());
        r.extend(super::settlement::routes());
        r.extend(super::funding::routes());
        r.extend(super::catalog::routes());
        r.extend(super::market_data::routes());
        r.extend(super::exchange_info::routes());
        r.extend(super::account::routes());
        r.extend(super::api_keys::routes());
        r.extend(super::historical::routes());
        r.extend(super::forecast::routes());
        r.extend(super::collections::routes());
        r.extend(super::reference::routes());
        r.extend(super::fcm::routes());
        r.extend(super::communications::routes());
        r
    }

    /// Whether `method` on `path` (relative, still percent-encoded) is a public route.
    pub(crate) fn is_public(&self, method: &Method, path: &str) -> bool {
        self.resolve(method, path).is_ok_and(|r| r.public)
    }

    /// Adds routes.
    pub(crate) fn extend(&mut self, routes: impl IntoIterator<Item = Route>) {
        self.routes.extend(routes);
    }

    /// Finds the handler for `method` and `path` (relative to the base path, still
    /// percent-encoded, starting with `/`). No matching path is a 404, a matching path with
    /// another method a 405, an undecodable parameter a 400.
    pub(crate) fn resolve(&self, method: &Method, path: &str) -> Result<Resolved, ApiError> {
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut allowed: Vec<&str> = Vec::new();
        let mut best: Option<(&Route, Vec<(&'static str, &str)>)> = None;
        for route in &self.routes {
            let Some(params) = route.match_path(&segments) else {
                continue;
            };
            if route.method != *method {
                if !allowed.contains(&route.method.as_str()) {
                    allowed.push(route.method.as_str());
                }
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(b, _)| route.literal_count() > b.literal_count())
            {
                best = Some((route, params));
            }
        }
        match best {
            Some((route, raw)) => {
                let params = raw
                    .into_iter()
                    .map(|(name, v)| decode_path_segment(name, v).map(|d| (name, d)))
                    .collect::<Result<_, _>>()?;
                Ok(Resolved {
                    handler: route.handler,
                    params,
                    public: route.public,
                    pattern: route.pattern,
                })
            }
            None if !allowed.is_empty() => {
                Err(ApiError::method_not_allowed(method.as_str(), &allowed))
            }
            None => Err(route_not_found(method, path)),
        }
    }
}

/// The 404 for a path no route serves.
pub(crate) fn route_not_found(method: &Method, path: &str) -> ApiError {
    let shown: String = path.chars().take(200).collect();
    ApiError::not_found(
        "route not found",
        format!("the simulator serves no route {method} {shown}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(_: &RequestCtx, _: &mut Exchange) -> Result<Reply, ApiError> {
        Ok(Reply::ok(Value::Null))
    }

    #[test]
    fn resolves_params_and_prefers_literals() {
        let r = Router::exchange();
        let got = r
            .resolve(&Method::GET, "/portfolio/order_groups/a%2Fb%20c")
            .unwrap();
        assert_eq!(got.params, vec![("order_group_id", "a/b c".to_owned())]);
        let got = r
            .resolve(&Method::PUT, "/portfolio/order_groups/x/limit")
            .unwrap();
        assert_eq!(got.params, vec![("order_group_id", "x".to_owned())]);
        assert!(
            r.resolve(&Method::POST, "/portfolio/order_groups/create")
                .unwrap()
                .params
                .is_empty()
        );
        // GET on `create` is the single-group route with the id "create".
        assert_eq!(
            r.resolve(&Method::GET, "/portfolio/order_groups/create")
                .unwrap()
                .params,
            vec![("order_group_id", "create".to_owned())]
        );

        let mut r = Router::default();
        r.extend([
            Route::new(Method::GET, "/a/{x}", ok),
            Route::new(Method::GET, "/a/b", ok),
        ]);
        assert!(r.resolve(&Method::GET, "/a/b").unwrap().params.is_empty());
    }

    #[test]
    fn not_found_and_method_not_allowed() {
        let r = Router::exchange();
        for path in [
            "/",
            "",
            "/portfolio",
            "/portfolio/order_groups/",
            "/portfolio/order_groups//reset",
            "/portfolio/order_groups/x/reset/more",
            "/portfolio/order_groups/x/unknown",
        ] {
            let e = r.resolve(&Method::GET, path).unwrap_err();
            assert_eq!(e.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(e.code, "not_found");
        }
        let e = r
            .resolve(&Method::PATCH, "/portfolio/order_groups/x")
            .unwrap_err();
        assert_eq!(e.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(e.allow.as_deref(), Some("GET, DELETE"));
        let e = r
            .resolve(&Method::PUT, "/portfolio/order_groups/create")
            .unwrap_err();
        assert_eq!(e.allow.as_deref(), Some("POST, GET, DELETE"));
        let e = r
            .resolve(&Method::GET, "/portfolio/order_groups/x/reset")
            .unwrap_err();
        assert_eq!(e.allow.as_deref(), Some("PUT"));
    }

    /// Every current trading operation of the inventory resolves, with sample path parameters,
    /// to the route of its own documented pattern (not a 404, a 405 or a route with a
    /// parameter where the operation has a literal, such as `/events/{event_ticker}` for
    /// `/events/multivariate`).
    #[test]
    fn every_trading_operation_has_its_route() {
        let inventory: Value =
            serde_json::from_str(kalshi_core::spec::OPERATIONS_JSON).expect("the inventory");
        let r = Router::exchange();
        let mut missing = Vec::new();
        let mut served = 0;
        for op in inventory["operations"].as_array().expect("operations") {
            if op["tier"] != "trading" || op["status"] != "current" {
                continue;
            }
            let pattern = op["path"].as_str().expect("path");
            let method = Method::from_bytes(op["method"].as_str().expect("method").as_bytes())
                .expect("a method");
            let path: String = pattern
                .split('/')
                .map(|s| if s.starts_with('{') { "SAMPLE-1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            match r.resolve(&method, &path) {
                Ok(got) if got.pattern == pattern => served += 1,
                Ok(got) => missing.push(format!(
                    "{} {method} {pattern}: served by {}",
                    op["operation_id"], got.pattern
                )),
                Err(e) => missing.push(format!(
                    "{} {method} {pattern}: {} {}",
                    op["operation_id"], e.status, e.message
                )),
            }
        }
        assert!(
            missing.is_empty(),
            "{} operations without their route:\n  {}",
            missing.len(),
            missing.join("\n  ")
        );
        assert_eq!(served, 76, "the trading tier has 76 current operations");
    }

    /// The operations of the inventory `keep` selects that do not resolve, with sample path
    /// parameters, to the route of their own documented pattern; and how many do.
    fn unrouted(keep: impl Fn(&Value) -> bool) -> (Vec<String>, usize) {
        let inventory: Value =
            serde_json::from_str(kalshi_core::spec::OPERATIONS_JSON).expect("the inventory");
        let r = Router::exchange();
        let (mut missing, mut served) = (Vec::new(), 0);
        for op in inventory["operations"].as_array().expect("operations") {
            if !keep(op) {
                continue;
            }
            let pattern = op["path"].as_str().expect("path");
            let method = Method::from_bytes(op["method"].as_str().expect("method").as_bytes())
                .expect("a method");
            let path: String = pattern
                .split('/')
                .map(|s| if s.starts_with('{') { "SAMPLE-1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            match r.resolve(&method, &path) {
                Ok(got) if got.pattern == pattern => served += 1,
                Ok(got) => missing.push(format!(
                    "{} {method} {pattern}: served by {}",
                    op["operation_id"], got.pattern
                )),
                Err(e) => missing.push(format!(
                    "{} {method} {pattern}: {} {}",
                    op["operation_id"], e.status, e.message
                )),
            }
        }
        (missing, served)
    }

    /// Every current tail operation (communications, multivariate, milestone, structured
    /// targets, search, incentive programs, live data and FCM) has its own route (such as
    /// `/live_data/milestone/{milestone_id}/game_stats`, not `/live_data/{type}/milestone/...`).
    #[test]
    fn every_tail_operation_has_its_route() {
        let areas = [
            "communications",
            "multivariate",
            "milestone",
            "structured-targets",
            "search",
            "incentive-programs",
            "live-data",
            "fcm",
        ];
        let (missing, served) = unrouted(|op| {
            op["tier"] == "tail"
                && op["status"] == "current"
                && areas.iter().any(|a| op["area"] == *a)
        });
        assert!(
            missing.is_empty(),
            "{} operations without their route:\n  {}",
            missing.len(),
            missing.join("\n  ")
        );
        assert_eq!(served, 46, "the tail has 46 current operations");
    }

    #[test]
    fn undecodable_params_are_400() {
        let r = Router::exchange();
        for path in [
            "/portfolio/order_groups/%zz",
            "/portfolio/order_groups/%FF",
            "/portfolio/order_groups/%",
        ] {
            let e = r.resolve(&Method::GET, path).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST, "{path}");
        }
    }
}
