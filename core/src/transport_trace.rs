//! The transports' `tracing` instrumentation, written once.
//!
//! Both transports trace the same things the same way (README "Observability"): one `call` span
//! per call and events for attempts, retries, rate-limit waits, clock-offset changes, re-signing
//! after a 401, 409-resolved orders and unknown outcomes. The code lives here once, as a macro
//! that each transport expands into its own `trace` module with its crate name as the target
//! (a `tracing` target must be a constant at each call site). The expansion is compiled in the
//! transport: kalshi-core itself depends on no `tracing` and reads no clock.

/// Expands to the body of a transport's `trace` module: `CallTrace`, `rate_limit_wait`,
/// `observe_skew`, `order_already_existed` and the constant `TARGET` (= `$target`). The calling
/// crate must depend on `tracing` (no default features, `std`) and `http`. Used as
/// `kalshi_core::__transport_trace!("kalshi_transport_ureq");` as the whole of that module.
#[doc(hidden)]
#[macro_export]
macro_rules! __transport_trace {
    ($target:literal) => {
        use std::borrow::Cow;
        use std::fmt::Display;
        use std::time::{Duration, Instant};

        use $crate::clock_skew::{ClockSkew, NEGLIGIBLE_SKEW_MS};
        use $crate::rate_limit::Bucket;
        use tracing::field::{Empty, display};
        use tracing::{Level, Span};

        /// The target of every span and event of this crate.
        pub(crate) const TARGET: &str = $target;

        /// The longest path or query string recorded, in bytes; a longer one is cut and ends in `...`.
        const MAX_SHOWN: usize = 256;

        /// The trace of one call (`execute`, `execute_at`, `place_order`, a page of `iter_all` or
        /// `stream_all`): its span and what the span records when the call ends.
        pub(crate) struct CallTrace {
            span: Span,
            operation: &'static str,
            /// When the call started, if DEBUG is on for this crate (reading the clock costs more
            /// than everything else here, so it is read only when the latency will be recorded).
            start: Option<Instant>,
            /// When the last attempt was sent, if TRACE is on.
            attempt_start: Option<Instant>,
            attempts: u32,
            status: Option<u16>,
        }

        impl CallTrace {
            /// Opens the `call` span (DEBUG) of `operation`, whose first request has `method`.
            pub(crate) fn new(operation: &'static str, method: &http::Method) -> Self {
                let span = tracing::debug_span!(
                    target: TARGET,
                    "call",
                    operation,
                    method = %method,
                    path = Empty,
                    query = Empty,
                    attempts = Empty,
                    status = Empty,
                    latency_us = Empty,
                );
                let timed = !span.is_disabled() || tracing::enabled!(target: TARGET, Level::DEBUG);
                CallTrace {
                    span,
                    operation,
                    start: timed.then(Instant::now),
                    attempt_start: None,
                    attempts: 0,
                    status: None,
                }
            }

            /// The call's span (disabled when no subscriber wants it).
            pub(crate) fn span(&self) -> &Span {
                &self.span
            }

            /// A request is about to be sent: counts the attempt, records the first request's path and
            /// query on the span, and emits `sending` (TRACE) with the attempt's method and path.
            pub(crate) fn sending<B>(&mut self, request: &http::Request<B>) {
                self.attempts += 1;
                self.attempt_start = tracing::enabled!(target: TARGET, Level::TRACE).then(Instant::now);
                let uri = request.uri();
                if self.attempts == 1 && !self.span.is_disabled() {
                    self.span.record("path", display(shown(uri.path())));
                    if let Some(query) = uri.query() {
                        self.span.record("query", display(shown(query)));
                    }
                }
                tracing::trace!(
                    target: TARGET,
                    parent: &self.span,
                    operation = self.operation,
                    attempt = self.attempts,
                    method = %request.method(),
                    path = %shown(uri.path()),
                    query = uri.query().map(|q| display(shown(q))),
                    "sending"
                );
            }

            /// The last request was answered with `status`: emits `answered` (TRACE) with the
            /// attempt's latency.
            pub(crate) fn answered(&mut self, status: http::StatusCode) {
                self.status = Some(status.as_u16());
                tracing::trace!(
                    target: TARGET,
                    parent: &self.span,
                    operation = self.operation,
                    attempt = self.attempts,
                    status = status.as_u16(),
                    latency_us = self.attempt_start.map(|t| micros(t.elapsed())),
                    "answered"
                );
            }

            /// The core asked for another request after an answer with `status`, in `delay`: a retry
            /// (WARN) for an error status; for `place_order`, the start of the lookup after a 409 (INFO)
            /// or its next page after a 2xx (DEBUG).
            pub(crate) fn again_after_answer(&self, status: http::StatusCode, delay: Duration) {
                let (operation, attempt, delay_ms) = (self.operation, self.attempts, millis(delay));
                if status.is_success() {
                    tracing::debug!(
                        target: TARGET,
                        parent: &self.span,
                        operation,
                        attempt,
                        "the order was not on this page of the lookup: fetching the next page"
                    );
                } else if status == http::StatusCode::CONFLICT {
                    tracing::info!(
                        target: TARGET,
                        parent: &self.span,
                        operation,
                        attempt,
                        status = status.as_u16(),
                        "a repeated create was answered 409 (an earlier attempt landed): looking the order up by its client_order_id"
                    );
                } else {
                    tracing::warn!(
                        target: TARGET,
                        parent: &self.span,
                        operation,
                        attempt,
                        status = status.as_u16(),
                        delay_ms,
                        "retrying after an error answer"
                    );
                }
            }

            /// The core asked for another attempt after the transport failure `error`, in `delay`
            /// (WARN).
            pub(crate) fn retry_after_failure(&self, error: &dyn Display, delay: Duration) {
                tracing::warn!(
                    target: TARGET,
                    parent: &self.span,
                    operation = self.operation,
                    attempt = self.attempts,
                    error = %error,
                    delay_ms = millis(delay),
                    "retrying after a transport failure"
                );
            }

            /// A 401 is explained by the exchange's clock offset: the call is signed again on the
            /// corrected clock (INFO).
            pub(crate) fn resigning(&self, offset_ms: Option<i64>, signed_with_offset_ms: i64) {
                tracing::info!(
                    target: TARGET,
                    parent: &self.span,
                    operation = self.operation,
                    attempt = self.attempts,
                    offset_ms,
                    signed_with_offset_ms,
                    "clock skew: a 401 explained by the exchange's clock offset; signing again on the exchange's clock"
                );
            }

            /// The call of a write ends in an error after which its outcome is unknown (a lost answer
            /// it was not repeated after, or a 5xx): it may have been executed (WARN).
            pub(crate) fn outcome_unknown(&self, error: &dyn Display) {
                tracing::warn!(
                    target: TARGET,
                    parent: &self.span,
                    operation = self.operation,
                    attempts = self.attempts,
                    error = %error,
                    "outcome unknown: the operation may have been executed; check before repeating it"
                );
            }

            /// The call ended: records `attempts`, `status` and `latency_us` on the span and emits
            /// `call finished` (DEBUG) with them and the error, if any.
            pub(crate) fn finish<T, E: Display>(&self, result: &Result<T, E>) {
                let latency_us = self.start.map(|t| micros(t.elapsed()));
                if !self.span.is_disabled() {
                    self.span.record("attempts", self.attempts);
                    if let Some(status) = self.status {
                        self.span.record("status", status);
                    }
                    if let Some(latency_us) = latency_us {
                        self.span.record("latency_us", latency_us);
                    }
                }
                tracing::debug!(
                    target: TARGET,
                    parent: &self.span,
                    operation = self.operation,
                    attempts = self.attempts,
                    status = self.status,
                    latency_us,
                    ok = result.is_ok(),
                    error = result.as_ref().err().map(display),
                    "call finished"
                );
            }
        }

        /// A request waits `wait` for the client-side rate limiter (DEBUG): its `bucket` lacks `cost`
        /// tokens.
        pub(crate) fn rate_limit_wait(bucket: Bucket, cost: u64, wait: Duration) {
            tracing::debug!(
                target: TARGET,
                bucket = ?bucket,
                cost,
                wait_ms = millis(wait),
                "waiting for the client-side rate limiter"
            );
        }

        /// Runs `observe` on the clock-skew estimate (for a call of `operation`), and emits `clock offset changed` (INFO) when the
        /// significant offset (at least [`NEGLIGIBLE_SKEW_MS`]) appears, vanishes or moves by that much.
        pub(crate) fn observe_skew(
            skew: &mut ClockSkew,
            correcting: bool,
            operation: &'static str,
            observe: impl FnOnce(&mut ClockSkew),
        ) {
            let before = skew.significant_offset_ms();
            observe(skew);
            let after = skew.significant_offset_ms();
            let changed = match (before, after) {
                (Some(b), Some(a)) => a.abs_diff(b) >= NEGLIGIBLE_SKEW_MS.unsigned_abs(),
                (None, None) => false,
                _ => true,
            };
            if changed {
                tracing::info!(
                    target: TARGET,
                    operation,
                    offset_ms = after,
                    previous_offset_ms = before,
                    correcting,
                    "clock skew: the exchange's clock offset changed"
                );
            }
        }

        /// `place_order` found the order an earlier attempt had placed (INFO).
        pub(crate) fn order_already_existed(order_id: &str, client_order_id: &str) {
            tracing::info!(
                target: TARGET,
                operation = <$crate::orders::CreateOrder as $crate::Operation>::NAME,
                order_id,
                client_order_id,
                "the order already existed: an earlier attempt whose answer was lost had placed it"
            );
        }

        /// `s`, or when it is longer than [`MAX_SHOWN`] bytes its first ones (up to a character
        /// boundary) followed by `...`.
        fn shown(s: &str) -> Cow<'_, str> {
            if s.len() <= MAX_SHOWN {
                return Cow::Borrowed(s);
            }
            let mut end = MAX_SHOWN;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            Cow::Owned(format!("{}...", &s[..end]))
        }

        fn micros(d: Duration) -> u64 {
            u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
        }

        fn millis(d: Duration) -> u64 {
            u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
        }

        #[cfg(test)]
        mod tests {
            use super::*;

            #[test]
            fn long_paths_are_cut_at_a_character_boundary() {
                assert_eq!(shown("/portfolio/orders"), "/portfolio/orders");
                let long = "é".repeat(200); // 400 bytes, 2 a character
                let cut = shown(&long);
                let kept = cut.strip_suffix("...").expect("marked as cut");
                assert_eq!(kept.len(), MAX_SHOWN);
                assert!(long.starts_with(kept));
                let odd = format!("a{long}"); // the boundary falls inside a character
                let kept = shown(&odd).strip_suffix("...").expect("marked").len();
                assert_eq!(kept, MAX_SHOWN - 1);
            }
        }
    };
}
