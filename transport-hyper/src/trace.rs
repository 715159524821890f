//! `tracing` instrumentation (see "Observability" in the README): one `call` span per call, and
//! events for attempts, retries, rate-limit waits, clock-offset changes, re-signing after a 401,
//! 409-resolved orders and unknown outcomes. Every span and event has the target
//! `kalshi_transport_hyper`.
//!
//! Recorded: the operation's name, the method, the path and the query string as sent (no
//! credential is in them: Kalshi's authentication is all in headers; the query holds the
//! caller's filters and the pagination cursor), statuses, attempt numbers, delays, latencies,
//! clock offsets and error messages (which never hold key material). Never recorded: any header
//! (not the key id, the signature or the signed timestamp) and any body.
//!
//! With no subscriber, or one that does not want these levels, each macro is an atomic load
//! and a branch; the field values are not even computed, and the clock is not read.
//!
//! The code is shared with the other transport: see `kalshi_core::__transport_trace!`.

kalshi_core::__transport_trace!("kalshi_transport_hyper");
