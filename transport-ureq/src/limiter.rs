//! The client-side rate limiter: [`kalshi_core::rate_limit::RateLimiter`] behind a mutex, on a
//! monotonic clock. The core keeps the reserve for network jitter
//! ([`kalshi_core::rate_limit::CLIENT_RESERVE`] plus the recent peak answer time).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use kalshi_core::rate_limit::{Bucket, CLIENT_RESERVE, EndpointCosts, RateLimiter};
use kalshi_core::retry::Attempts;

use crate::RateLimit;

/// One client's buckets, shared by its clones.
#[derive(Debug)]
pub(crate) struct Limiter {
    origin: Instant,
    buckets: Mutex<RateLimiter>,
    /// The exchange's per-endpoint costs (empty until installed: every request costs
    /// `Operation::cost`).
    costs: Mutex<Arc<EndpointCosts>>,
    waits: AtomicU64,
}

impl Limiter {
    /// Full buckets now.
    pub(crate) fn new(limit: RateLimit) -> Self {
        Limiter {
            origin: Instant::now(),
            buckets: Mutex::new(RateLimiter::from_limit(limit, 0).with_reserve(CLIENT_RESERVE)),
            costs: Mutex::new(Arc::new(EndpointCosts::default())),
            waits: AtomicU64::new(0),
        }
    }

    /// Replaces the budgets and the cost table, e.g. with what the exchange says applies to
    /// the account: full buckets now, less `spent_reads` tokens of Read (the reads that just
    /// asked the exchange, which its bucket already took).
    pub(crate) fn install(&self, limit: RateLimit, costs: EndpointCosts, spent_reads: u64) {
        let now = self.now_ms();
        let mut buckets = RateLimiter::from_limit(limit, now);
        let _ = buckets.try_acquire(Bucket::Read, spent_reads, now);
        *self.lock() = buckets.with_reserve(CLIENT_RESERVE);
        *self.costs.lock().unwrap_or_else(PoisonError::into_inner) = Arc::new(costs);
    }

    /// The tokens the next request of `call` costs under the installed cost table.
    pub(crate) fn cost_of<A: Attempts>(&self, call: &A) -> u64 {
        let costs = Arc::clone(&self.costs.lock().unwrap_or_else(PoisonError::into_inner));
        call.next_cost_with(&costs)
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn lock(&self) -> MutexGuard<'_, RateLimiter> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records how long a granted request took to be answered (it widens the reserve; see
    /// [`RateLimiter::observe_latency`]).
    pub(crate) fn observe_latency(&self, latency: Duration) {
        self.lock().observe_latency(latency);
    }

    /// Whether `cost` tokens can be taken from `bucket` now (then they are), or how long to
    /// wait before asking again.
    pub(crate) fn try_acquire(&self, bucket: Bucket, cost: u64) -> Result<(), Duration> {
        let now = self.now_ms();
        self.lock().try_acquire(bucket, cost, now)
    }

    /// Blocks until `cost` tokens of `bucket` are granted; returns when they were.
    pub(crate) fn acquire(&self, bucket: Bucket, cost: u64) -> Instant {
        while let Err(wait) = self.try_acquire(bucket, cost) {
            self.waits.fetch_add(1, Ordering::Relaxed);
            crate::trace::rate_limit_wait(bucket, cost, wait);
            thread::sleep(wait.max(Duration::from_millis(1)));
        }
        Instant::now()
    }

    /// Whole tokens in `bucket` now.
    pub(crate) fn tokens(&self, bucket: Bucket) -> u64 {
        let now = self.now_ms();
        self.lock().available(bucket, now)
    }

    /// Times a request had to wait.
    pub(crate) fn waits(&self) -> u64 {
        self.waits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_leaves_the_reserve() {
        // Write: 1 token per second (reserve 1), capacity 100: nine 10-token requests at once;
        // the tenth would leave no reserve and must wait for it.
        let l = Limiter::new(RateLimit::Custom {
            read: (1_000, 1_000),
            write: (1, 100),
        });
        for i in 0..9 {
            assert_eq!(l.try_acquire(Bucket::Write, 10), Ok(()), "request {i}");
        }
        let wait = l.try_acquire(Bucket::Write, 10).expect_err("the reserve");
        assert!(wait > Duration::from_millis(500), "{wait:?}");
        assert_eq!(l.tokens(Bucket::Write), 10, "nothing was taken");
        // The Read bucket is untouched, and a cost over the capacity is let through.
        assert_eq!(l.try_acquire(Bucket::Read, 10), Ok(()));
        assert_eq!(l.try_acquire(Bucket::Write, 1_000), Ok(()));
        assert_eq!(l.waits(), 0);
    }
}
