//! Retries that never lose or double a request, decided here and carried out by the transport.
//!
//! The core decides *whether* and *when* to repeat; the transport sleeps and resends. The rule
//! that keeps orders single: an operation is repeated after an unknown outcome (timeout, cut
//! connection, 5xx) only if a repeat cannot create a second object: reads and idempotent writes
//! ([`Idempotency::Idempotent`]), and creates carrying an idempotency key
//! ([`Idempotency::IdempotentWithKey`], e.g. an order's `client_order_id`). Creates without a key
//! ([`Idempotency::NotIdempotent`], e.g. `CreateOrderGroup`) are never repeated after an unknown
//! outcome; the caller is told the outcome is unknown. A 429, or a request that never left the
//! machine, is repeated for every operation, since nothing was executed.

use std::time::Duration;

use crate::operation::{Idempotency, Operation};
use crate::{Client, Error, Timestamp};

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum AttemptFailure<'a> {
    /// The request never reached the exchange (DNS failure, connection refused, TLS handshake
    /// failure): nothing was executed.
    NotSent,
    /// The request may have reached the exchange but no complete answer came back (timeout
    /// after sending, connection cut, body cut off).
    OutcomeUnknown,
    /// The exchange answered with this error.
    Answered(&'a Error),
}

/// The decision after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Send the same operation again after this delay.
    RetryAfter(Duration),
    /// Give up and report the failure as it is.
    Stop,
    /// Give up: the operation may or may not have been executed, and repeating it could do it
    /// twice. Report that the outcome is unknown.
    StopOutcomeUnknown,
}

impl RetryDecision {
    /// What the transport does next after a transport failure decided this way.
    pub fn after_failure<T>(self) -> Next<T> {
        match self {
            RetryDecision::RetryAfter(d) => Next::Retry(d),
            RetryDecision::Stop => Next::GiveUp {
                outcome_unknown: false,
            },
            RetryDecision::StopOutcomeUnknown => Next::GiveUp {
                outcome_unknown: true,
            },
        }
    }
}

/// When and how often to repeat a failed request. Delays grow exponentially with jitter and
/// are bounded by `max_backoff`.
///
/// ```
/// use std::time::Duration;
/// use kalshi_core::Idempotency;
/// use kalshi_core::retry::{AttemptFailure, RetryDecision, RetryPolicy};
/// let policy = RetryPolicy::default();
/// // A timed-out order-group create is never repeated:
/// assert_eq!(
///     policy.decide(Idempotency::NotIdempotent, 1, AttemptFailure::OutcomeUnknown, 7),
///     RetryDecision::StopOutcomeUnknown
/// );
/// // A timed-out order create (it has a client_order_id) is:
/// assert!(matches!(
///     policy.decide(Idempotency::IdempotentWithKey, 1, AttemptFailure::OutcomeUnknown, 7),
///     RetryDecision::RetryAfter(_)
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The delay before the first retry (before jitter).
    pub initial_backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// Whether 5xx answers are retried (for operations safe to repeat).
    pub retry_server_errors: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 100 ms doubling to at most 5 s, 5xx retried.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            retry_server_errors: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The delay before attempt `attempts_made + 1`: `initial * 2^(attempts_made-1)`, capped,
    /// then scaled into its upper half by `random` (equal jitter).
    pub fn backoff(&self, attempts_made: u32, random: u64) -> Duration {
        let exp = attempts_made.saturating_sub(1).min(20);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = full / 2;
        let span = u64::try_from(half.as_micros()).unwrap_or(u64::MAX);
        let jitter = if span == 0 { 0 } else { random % (span + 1) };
        half + Duration::from_micros(jitter)
    }

    /// Decides what to do after attempt number `attempts_made` (1-based) failed.
    pub fn decide(
        &self,
        idempotency: Idempotency,
        attempts_made: u32,
        failure: AttemptFailure<'_>,
        random: u64,
    ) -> RetryDecision {
        let repeatable = idempotency != Idempotency::NotIdempotent;
        let retry = match failure {
            AttemptFailure::NotSent => true,
            AttemptFailure::Answered(Error::RateLimited(_)) => true,
            AttemptFailure::Answered(Error::ServerError(_)) => {
                if !repeatable {
                    return RetryDecision::Stop;
                }
                self.retry_server_errors
            }
            AttemptFailure::OutcomeUnknown => {
                if !repeatable {
                    return RetryDecision::StopOutcomeUnknown;
                }
                true
            }
            AttemptFailure::Answered(_) => false,
        };
        if !retry {
            return RetryDecision::Stop;
        }
        if attempts_made >= self.max_attempts {
            return match failure {
                AttemptFailure::OutcomeUnknown => RetryDecision::StopOutcomeUnknown,
                _ => RetryDecision::Stop,
            };
        }
        RetryDecision::RetryAfter(self.backoff(attempts_made, random))
    }
}

/// What the transport does next in a [`Call`].
#[derive(Debug)]
pub enum Next<T> {
    /// Finished: the typed result or the final error.
    Done(Result<T, Error>),
    /// Wait this long, then ask the call for its next request.
    Retry(Duration),
    /// A transport failure ends the call; the transport reports its own error, saying the
    /// outcome is unknown when `outcome_unknown` is true.
    GiveUp {
        /// Whether the operation may have been executed.
        outcome_unknown: bool,
    },
}

/// A call carried through its attempts, sans-IO: the one interface a transport's driver loop
/// needs (wait for the rate limiter, sign, send, report, sleep). Implemented by [`Call`] (any
/// operation) and [`crate::orders::PlaceOrder`] (an order placed exactly once).
pub trait Attempts {
    /// The typed result.
    type Output;

    /// The operation's name in the API reference (for errors such as "outcome unknown").
    fn name(&self) -> &'static str;

    /// The method of the next request, known before it is signed (it picks the rate-limit
    /// bucket, so that waiting for tokens does not age a signature).
    fn next_method(&self) -> http::Method;

    /// The rate-limit cost of the next request, in tokens.
    fn next_cost(&self) -> u64;

    /// The rate-limit cost of the next request under the exchange's cost table (see
    /// [`EndpointCosts::cost_of`](crate::rate_limit::EndpointCosts::cost_of)); defaults to
    /// [`next_cost`](Self::next_cost).
    fn next_cost_with(&self, costs: &crate::rate_limit::EndpointCosts) -> u64 {
        let _ = costs;
        self.next_cost()
    }

    /// Whether the call may change the exchange's state. A read's lost answer is reported as
    /// the transport's own error; a write's as an unknown outcome.
    fn executes_something(&self) -> bool;

    /// The signed request of the next attempt.
    ///
    /// A transport may also ask for it once after `Next::Done(Err(Error::Unauthorized(_)))`,
    /// to re-sign on a corrected clock
    /// ([`ClockSkew::explains_unauthorized`](crate::clock_skew::ClockSkew::explains_unauthorized)):
    /// a 401 executes nothing, and the implementations here carry on from their state.
    fn request(&mut self, client: &Client, now: Timestamp)
    -> Result<http::Request<Vec<u8>>, Error>;

    /// Reports the answer to the last request.
    fn on_response<B: AsRef<[u8]>>(
        &mut self,
        response: &http::Response<B>,
        random: u64,
    ) -> Next<Self::Output>;

    /// Reports that the last request failed in transport.
    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Self::Output>;
}

impl<O: Operation> Attempts for Call<'_, O> {
    type Output = O::Output;

    fn name(&self) -> &'static str {
        O::NAME
    }

    fn next_method(&self) -> http::Method {
        O::METHOD
    }

    fn next_cost(&self) -> u64 {
        self.op.cost()
    }

    fn next_cost_with(&self, costs: &crate::rate_limit::EndpointCosts) -> u64 {
        costs.cost_of(self.op)
    }

    fn executes_something(&self) -> bool {
        O::METHOD != http::Method::GET && O::METHOD != http::Method::HEAD
    }

    fn request(
        &mut self,
        client: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        Call::request(self, client, now)
    }

    fn on_response<B: AsRef<[u8]>>(
        &mut self,
        response: &http::Response<B>,
        random: u64,
    ) -> Next<Self::Output> {
        Call::on_response(self, response, random)
    }

    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Self::Output> {
        Call::on_failure(self, failure, random)
    }
}

/// One operation carried through retries, sans-IO: the transport asks for a request, sends it,
/// and reports what happened; the call says whether to stop, wait and resend, or give up.
///
/// ```
/// use kalshi_core::retry::{Call, Next, RetryPolicy};
/// use kalshi_core::order_groups::GetOrderGroups;
/// # fn demo(client: &kalshi_core::Client, send: impl Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, ()>) -> Result<(), kalshi_core::Error> {
/// let op = GetOrderGroups::new();
/// let policy = RetryPolicy::default();
/// let mut call = Call::new(&op, &policy);
/// let groups = loop {
///     let request = call.request(client, kalshi_core::Timestamp::now())?;
///     let next = match send(request) {
///         Ok(response) => call.on_response(&response, 42),
///         Err(()) => call.on_failure(kalshi_core::retry::AttemptFailure::NotSent, 42),
///     };
///     match next {
///         Next::Done(result) => break result?,
///         Next::Retry(delay) => std::thread::sleep(delay),
///         Next::GiveUp { .. } => panic!("transport failed"),
///     }
/// };
/// # let _ = groups; Ok(()) }
/// ```
#[derive(Debug)]
pub struct Call<'a, O: Operation> {
    op: &'a O,
    policy: &'a RetryPolicy,
    attempts: u32,
}

impl<'a, O: Operation> Call<'a, O> {
    /// A call of `op` under `policy`.
    pub fn new(op: &'a O, policy: &'a RetryPolicy) -> Self {
        Call {
            op,
            policy,
            attempts: 0,
        }
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The signed request for the next attempt (each attempt is signed afresh at `now`).
    pub fn request(
        &mut self,
        client: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let req = client.request(self.op, now)?;
        self.attempts += 1;
        Ok(req)
    }

    /// Reports the answer to the last attempt. `random` feeds the backoff jitter.
    pub fn on_response<B: AsRef<[u8]>>(
        &mut self,
        response: &http::Response<B>,
        random: u64,
    ) -> Next<O::Output> {
        match crate::response::parse_response::<O, B>(response) {
            Ok(v) => Next::Done(Ok(v)),
            Err(e) => match self.policy.decide(
                self.op.idempotency(),
                self.attempts,
                AttemptFailure::Answered(&e),
                random,
            ) {
                RetryDecision::RetryAfter(d) => Next::Retry(d),
                _ => Next::Done(Err(e)),
            },
        }
    }

    /// Reports that the last attempt failed in transport.
    pub fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<O::Output> {
        self.policy
            .decide(self.op.idempotency(), self.attempts, failure, random)
            .after_failure()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{ApiError, BoundedBody};
    use http::StatusCode;

    fn api(status: u16) -> Box<ApiError> {
        Box::new(ApiError {
            status: StatusCode::from_u16(status).unwrap(),
            error: None,
            body: BoundedBody::new(b""),
            clock_skew_ms: None,
        })
    }

    #[test]
    fn the_rules() {
        use AttemptFailure::*;
        use Idempotency::*;
        let p = RetryPolicy::default();
        let rl = Error::RateLimited(api(429));
        let se = Error::ServerError(api(503));
        let nf = Error::NotFound(api(404));
        let retried = |i, f| matches!(p.decide(i, 1, f, 0), RetryDecision::RetryAfter(_));
        for i in [Idempotent, IdempotentWithKey, NotIdempotent] {
            assert!(retried(i, NotSent), "{i:?}");
            assert!(retried(i, Answered(&rl)), "{i:?}");
            assert!(!retried(i, Answered(&nf)), "{i:?}");
        }
        assert!(retried(Idempotent, Answered(&se)));
        assert!(retried(IdempotentWithKey, OutcomeUnknown));
        assert_eq!(
            p.decide(NotIdempotent, 1, Answered(&se), 0),
            RetryDecision::Stop
        );
        assert_eq!(
            p.decide(NotIdempotent, 1, OutcomeUnknown, 0),
            RetryDecision::StopOutcomeUnknown
        );
        // The attempt budget is respected.
        assert_eq!(
            p.decide(Idempotent, 4, Answered(&rl), 0),
            RetryDecision::Stop
        );
        assert_eq!(
            p.decide(Idempotent, 4, OutcomeUnknown, 0),
            RetryDecision::StopOutcomeUnknown
        );
        assert_eq!(
            RetryPolicy::never().decide(Idempotent, 1, NotSent, 0),
            RetryDecision::Stop
        );
    }

    #[test]
    fn backoff_grows_is_jittered_and_bounded() {
        let p = RetryPolicy::default();
        for attempt in 1..30 {
            for r in [0, 1, 12_345, u64::MAX] {
                let d = p.backoff(attempt, r);
                let full = (p.initial_backoff * 2u32.pow((attempt - 1).min(20))).min(p.max_backoff);
                assert!(d >= full / 2 && d <= full, "{attempt} {r} {d:?}");
            }
        }
        assert!(p.backoff(1, 0) < p.backoff(3, 0));
        assert_eq!(p.backoff(50, u64::MAX).max(p.max_backoff), p.max_backoff);
    }
}
