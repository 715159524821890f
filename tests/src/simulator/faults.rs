//! Fault injection: make the simulator misbehave on demand, the way networks, proxies and
//! overloaded exchanges do.
//!
//! Queue rules with [`Faults::push`]: each [`FaultRule`] matches requests (by method, path,
//! key id, writes only) and applies its [`Fault`] to the next `times` matching requests, in
//! queue order. Or turn on [`RandomFaults`] for soak tests: every write request (any method
//! but `GET`/`HEAD`) independently gets a fault, from a seeded generator so runs repeat.
//! Queued rules win over the random mode. Every injected fault is logged ([`Faults::injected`]).
//!
//! Requests run in process with [`Simulator::handle`] have no connection, so only the faults
//! that answer in place of the exchange apply to them ([`Fault::ServerError`],
//! [`Fault::TooManyRequests`], [`Fault::ProxyBadGateway`]); drops, delays and truncated bodies
//! only apply over the socket (see [`Fault::needs_connection`]).
//!
//! [`Simulator::handle`]: super::Simulator::handle
//!
//! ```
//! use kalshi_simulator::{Fault, FaultRule, Simulator, SimulatorConfig};
//! let sim = Simulator::start(SimulatorConfig::default())?;
//! // The next create is executed, then the connection closes with no answer.
//! sim.faults().push(
//!     FaultRule::new(Fault::DropAfterExecute)
//!         .method(http::Method::POST)
//!         .path("/portfolio/events/orders"),
//! );
//! // The next two requests of any kind get a 503 without being executed.
//! sim.faults().push(FaultRule::new(Fault::ServerError(503)).times(2));
//! # Ok::<(), std::io::Error>(())
//! ```

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::Method;

use super::BASE_PATH;

/// One way to misbehave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer this status (a 5xx; anything else is taken as 500) with a JSON error body in the
    /// configured [`ErrorShape`](super::ErrorShape) (by default
    /// `{"code", "message", "details", "service"}`), without executing the request.
    ServerError(u16),
    /// Answer 429 `{"error": "too many requests"}` without executing the request (and without
    /// touching the token buckets).
    TooManyRequests,
    /// Answer a reverse proxy's HTML `502 Bad Gateway` page (`text/html`), without executing
    /// the request.
    ProxyBadGateway,
    /// Execute the request, then send the status line, the headers (with a `Content-Length`
    /// larger than what follows) and half of the body, and close the connection.
    TruncatedBody,
    /// Wait this long, then execute the request and answer normally.
    DelayBeforeExecute(Duration),
    /// Execute the request at once, then wait this long before answering.
    DelayAnswer(Duration),
    /// Execute the request, then close the connection without answering: the client cannot
    /// know whether its write happened (it did).
    DropAfterExecute,
    /// Close the connection without executing the request or answering.
    DropBeforeExecute,
}

impl Fault {
    /// A short name for logs: `server_error`, `too_many_requests`, `proxy_bad_gateway`,
    /// `truncated_body`, `delay_before_execute`, `delay_answer`, `drop_after_execute`,
    /// `drop_before_execute`.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::ServerError(_) => "server_error",
            Fault::TooManyRequests => "too_many_requests",
            Fault::ProxyBadGateway => "proxy_bad_gateway",
            Fault::TruncatedBody => "truncated_body",
            Fault::DelayBeforeExecute(_) => "delay_before_execute",
            Fault::DelayAnswer(_) => "delay_answer",
            Fault::DropAfterExecute => "drop_after_execute",
            Fault::DropBeforeExecute => "drop_before_execute",
        }
    }

    /// Whether this fault acts on the connection (drops, delays, a truncated body), so it
    /// only applies to requests that arrive over the socket. [`Simulator::handle`] never
    /// picks one: a queued rule with such a fault stays queued for socket requests, and a
    /// random roll that lands on one injects nothing.
    ///
    /// [`Simulator::handle`]: super::Simulator::handle
    pub fn needs_connection(&self) -> bool {
        !matches!(
            self,
            Fault::ServerError(_) | Fault::TooManyRequests | Fault::ProxyBadGateway
        )
    }

    /// Whether the request is executed when this fault is injected.
    pub fn executes(&self) -> bool {
        matches!(
            self,
            Fault::TruncatedBody
                | Fault::DelayBeforeExecute(_)
                | Fault::DelayAnswer(_)
                | Fault::DropAfterExecute
        )
    }
}

/// A queued fault and the requests it applies to.
///
/// A new rule matches every request, once; narrow it with the builder methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    fault: Fault,
    method: Option<Method>,
    path: Option<PathMatch>,
    key_id: Option<String>,
    writes_only: bool,
    remaining: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathMatch {
    Exact(String),
    Prefix(String),
}

/// A path as given by a test: relative to the base path; a full path under it is accepted too.
fn relative(path: &str) -> String {
    let rel = path
        .strip_prefix(BASE_PATH)
        .filter(|r| r.is_empty() || r.starts_with('/'))
        .unwrap_or(path);
    rel.to_owned()
}

impl FaultRule {
    /// A rule applying `fault` to the next request, whatever it is.
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            method: None,
            path: None,
            key_id: None,
            writes_only: false,
            remaining: 1,
        }
    }

    /// Only requests with this method.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// Only requests to exactly this path (relative to the base path, e.g.
    /// `/portfolio/events/orders`, as sent: percent-encoding intact, no query).
    pub fn path(mut self, path: &str) -> Self {
        self.path = Some(PathMatch::Exact(relative(path)));
        self
    }

    /// Only requests whose path (relative to the base path) starts with `prefix`.
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        self.path = Some(PathMatch::Prefix(relative(prefix)));
        self
    }

    /// Only requests carrying this `KALSHI-ACCESS-KEY`.
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// Only write requests (any method but `GET` and `HEAD`).
    pub fn writes_only(mut self) -> Self {
        self.writes_only = true;
        self
    }

    /// Applies to the next `n` matching requests (default 1; 0 makes the rule inert).
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = n;
        self
    }

    /// Applies to every matching request until [`Faults::clear`].
    pub fn always(self) -> Self {
        self.times(u32::MAX)
    }

    /// The fault this rule injects.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }

    fn matches(&self, req: &RequestInfo<'_>) -> bool {
        self.remaining > 0
            && (req.over_connection || !self.fault.needs_connection())
            && self.method.as_ref().is_none_or(|m| m == req.method)
            && (!self.writes_only || is_write(req.method))
            && self.key_id.as_deref().is_none_or(|k| Some(k) == req.key_id)
            && self.path.as_ref().is_none_or(|p| match p {
                PathMatch::Exact(x) => *x == req.relative_path,
                PathMatch::Prefix(x) => req.relative_path.starts_with(x.as_str()),
            })
    }
}

/// Whether a method is a write for fault and rate-limit purposes.
pub(crate) fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD)
}

/// Random faults for soak tests: each write request independently gets one of these faults
/// with the given probability (checked in this order, so they add up; a total above 1 is
/// capped). Probabilities are kept in parts per million.
///
/// ```
/// use kalshi_simulator::RandomFaults;
/// let chaos = RandomFaults::new(42)
///     .drop_after_execute(0.05)
///     .server_error(0.05)
///     .too_many_requests(0.02);
/// # drop(chaos);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RandomFaults {
    seed: u64,
    drop_after_execute_ppm: u32,
    server_error_ppm: u32,
    too_many_requests_ppm: u32,
}

fn ppm(p: f64) -> u32 {
    if p.is_nan() || p <= 0.0 {
        0
    } else if p >= 1.0 {
        1_000_000
    } else {
        (p * 1_000_000.0).round() as u32
    }
}

impl RandomFaults {
    /// No faults yet, from generator seed `seed`.
    pub fn new(seed: u64) -> Self {
        RandomFaults {
            seed,
            drop_after_execute_ppm: 0,
            server_error_ppm: 0,
            too_many_requests_ppm: 0,
        }
    }

    /// Probability (0 to 1) of [`Fault::DropAfterExecute`].
    pub fn drop_after_execute(mut self, probability: f64) -> Self {
        self.drop_after_execute_ppm = ppm(probability);
        self
    }

    /// Probability (0 to 1) of [`Fault::ServerError`]`(503)` (not executed).
    pub fn server_error(mut self, probability: f64) -> Self {
        self.server_error_ppm = ppm(probability);
        self
    }

    /// Probability (0 to 1) of [`Fault::TooManyRequests`] (not executed).
    pub fn too_many_requests(mut self, probability: f64) -> Self {
        self.too_many_requests_ppm = ppm(probability);
        self
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

/// One injected fault, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InjectedFault {
    /// The request method.
    pub method: String,
    /// The request path relative to the base path, as sent.
    pub path: String,
    /// The `KALSHI-ACCESS-KEY` header, if any.
    pub key_id: Option<String>,
    /// What was done.
    pub fault: Fault,
    /// Whether it came from the random mode (else from a queued rule).
    pub random: bool,
}

/// What fault matching looks at.
pub(crate) struct RequestInfo<'a> {
    pub(crate) method: &'a Method,
    pub(crate) relative_path: &'a str,
    pub(crate) key_id: Option<&'a str>,
    /// Whether the request came over a connection (else [`Simulator::handle`]: faults that
    /// need a connection do not apply).
    ///
    /// [`Simulator::handle`]: super::Simulator::handle
    pub(crate) over_connection: bool,
}

#[derive(Debug, Default)]
struct State {
    rules: VecDeque<FaultRule>,
    random: Option<(RandomFaults, u64)>,
    log: Vec<InjectedFault>,
}

/// The fault controls of a running simulator (see [`Simulator::faults`](super::Simulator::faults)).
/// Cheap to clone; clones share the same queue.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<State>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a rule (after the ones already queued).
    pub fn push(&self, rule: FaultRule) {
        self.lock().rules.push_back(rule);
    }

    /// Drops every queued rule and turns the random mode off.
    pub fn clear(&self) {
        let mut s = self.lock();
        s.rules.clear();
        s.random = None;
    }

    /// Turns the random mode on (`Some`, restarting its generator from the seed) or off.
    pub fn set_random(&self, random: Option<RandomFaults>) {
        self.lock().random = random.map(|r| {
            let state = r.seed;
            (r, state)
        });
    }

    /// How many queued rules still have requests to apply to.
    pub fn pending(&self) -> usize {
        self.lock().rules.iter().filter(|r| r.remaining > 0).count()
    }

    /// Every fault injected so far, oldest first.
    pub fn injected(&self) -> Vec<InjectedFault> {
        self.lock().log.clone()
    }

    /// Picks the fault for a request, if any, and logs it.
    pub(crate) fn pick(&self, req: &RequestInfo<'_>) -> Option<Fault> {
        let mut s = self.lock();
        let from_rule = s.rules.iter_mut().find(|r| r.matches(req)).map(|r| {
            r.remaining -= 1;
            r.fault.clone()
        });
        s.rules.retain(|r| r.remaining > 0);
        let (fault, random) = match from_rule {
            Some(f) => (f, false),
            None if is_write(req.method) => match &mut s.random {
                Some((cfg, rng)) => {
                    let roll = (splitmix64(rng) % 1_000_000) as u32;
                    let mut edge = cfg.drop_after_execute_ppm;
                    let f = if roll < edge {
                        Fault::DropAfterExecute
                    } else {
                        edge = edge.saturating_add(cfg.server_error_ppm);
                        if roll < edge {
                            Fault::ServerError(503)
                        } else if roll < edge.saturating_add(cfg.too_many_requests_ppm) {
                            Fault::TooManyRequests
                        } else {
                            return None;
                        }
                    };
                    if !req.over_connection && f.needs_connection() {
                        return None;
                    }
                    (f, true)
                }
                None => return None,
            },
            None => return None,
        };
        s.log.push(InjectedFault {
            method: req.method.to_string(),
            path: req.relative_path.to_owned(),
            key_id: req.key_id.map(str::to_owned),
            fault: fault.clone(),
            random,
        });
        Some(fault)
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(method: &'a Method, path: &'a str, key: Option<&'a str>) -> RequestInfo<'a> {
        RequestInfo {
            method,
            relative_path: path,
            key_id: key,
            over_connection: true,
        }
    }

    #[test]
    fn rules_match_in_order_and_run_out() {
        let f = Faults::default();
        f.push(
            FaultRule::new(Fault::DropAfterExecute)
                .method(Method::POST)
                .path("/trade-api/v2/portfolio/events/orders")
                .times(2),
        );
        f.push(FaultRule::new(Fault::ServerError(502)).path_prefix("/portfolio/"));
        f.push(
            FaultRule::new(Fault::TooManyRequests)
                .key_id("k")
                .writes_only(),
        );
        assert_eq!(f.pending(), 3);
        let orders = "/portfolio/events/orders";
        assert_eq!(
            f.pick(&req(&Method::GET, orders, None)),
            Some(Fault::ServerError(502))
        );
        assert_eq!(f.pick(&req(&Method::GET, orders, None)), None);
        assert_eq!(
            f.pick(&req(&Method::POST, orders, None)),
            Some(Fault::DropAfterExecute)
        );
        assert_eq!(f.pick(&req(&Method::GET, "/x", Some("k"))), None);
        assert_eq!(f.pick(&req(&Method::PUT, "/x", Some("j"))), None);
        assert_eq!(
            f.pick(&req(&Method::PUT, "/x", Some("k"))),
            Some(Fault::TooManyRequests)
        );
        assert_eq!(
            f.pick(&req(&Method::POST, orders, None)),
            Some(Fault::DropAfterExecute)
        );
        assert_eq!(f.pick(&req(&Method::POST, orders, None)), None);
        assert_eq!(f.pending(), 0);
        let log = f.injected();
        assert_eq!(log.len(), 4);
        assert_eq!(log[0].fault.kind(), "server_error");
        assert!(!log[0].random);
        assert_eq!(log[2].key_id.as_deref(), Some("k"));
        f.push(FaultRule::new(Fault::TruncatedBody).always());
        for _ in 0..10 {
            assert!(f.pick(&req(&Method::GET, "/", None)).is_some());
        }
        f.clear();
        assert_eq!(f.pick(&req(&Method::GET, "/", None)), None);
        f.push(FaultRule::new(Fault::TruncatedBody).times(0));
        assert_eq!(f.pick(&req(&Method::GET, "/", None)), None);
    }

    #[test]
    fn random_mode_is_seeded_and_hits_writes_only() {
        let run = |seed| {
            let f = Faults::default();
            f.set_random(Some(
                RandomFaults::new(seed)
                    .drop_after_execute(0.2)
                    .server_error(0.2)
                    .too_many_requests(0.2),
            ));
            let picks: Vec<Option<Fault>> = (0..1000)
                .map(|_| f.pick(&req(&Method::POST, "/o", None)))
                .collect();
            assert!(f.pick(&req(&Method::GET, "/o", None)).is_none());
            picks
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        let count = |f: &Fault| a.iter().filter(|p| p.as_ref() == Some(f)).count();
        for f in [
            Fault::DropAfterExecute,
            Fault::ServerError(503),
            Fault::TooManyRequests,
        ] {
            let n = count(&f);
            assert!((120..=280).contains(&n), "{f:?}: {n}");
        }
        assert_eq!(ppm(f64::NAN), 0);
        assert_eq!(ppm(-1.0), 0);
        assert_eq!(ppm(2.0), 1_000_000);
        assert_eq!(ppm(0.05), 50_000);
        let all = Faults::default();
        all.set_random(Some(RandomFaults::new(1).server_error(1.0)));
        assert!(
            (0..100).all(
                |_| all.pick(&req(&Method::DELETE, "/", None)) == Some(Fault::ServerError(503))
            )
        );
        assert!(all.injected().iter().all(|i| i.random));
        assert_eq!(RandomFaults::new(9).seed(), 9);
    }

    #[test]
    fn fault_kinds() {
        assert!(Fault::DropAfterExecute.executes());
        assert!(!Fault::DropBeforeExecute.executes());
        assert!(!Fault::ServerError(500).executes());
        assert_eq!(Fault::DelayAnswer(Duration::ZERO).kind(), "delay_answer");
        assert_eq!(
            FaultRule::new(Fault::ProxyBadGateway).fault(),
            &Fault::ProxyBadGateway
        );
    }
}
