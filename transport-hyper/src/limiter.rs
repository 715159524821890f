//! The client-side rate limiter: [`kalshi_core::rate_limit::RateLimiter`] behind a mutex that
//! is never held across an await, on tokio's monotonic clock. The core keeps the reserve for
//! the delay between granting a request and its arrival at the exchange
//! ([`kalshi_core::rate_limit::CLIENT_RESERVE`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use kalshi_core::rate_limit::{Bucket, CLIENT_RESERVE, EndpointCosts, RateLimiter};
use kalshi_core::retry::Attempts;
use tokio::time::Instant;

use crate::RateLimit;

/// One client's buckets, shared by its clones.
#[derive(Debug)]
pub(crate) struct Limiter {
    /// The origin of the limiter's milliseconds (tokio's clock, so paused test time works).
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

    /// Takes `cost` tokens from `bucket` if they are there with the reserve beside them, or
    /// says how long to wait before asking again. The lock is released on return.
    pub(crate) fn try_acquire(&self, bucket: Bucket, cost: u64) -> Result<(), Duration> {
        let now = self.now_ms();
        self.lock().try_acquire(bucket, cost, now)
    }

    /// Records how long a granted request took to be answered (it widens the reserve; see
    /// [`RateLimiter::observe_latency`]).
    pub(crate) fn observe_latency(&self, latency: Duration) {
        self.lock().observe_latency(latency);
    }

    /// Waits until `cost` tokens of `bucket` are granted.
    pub(crate) async fn acquire(&self, bucket: Bucket, cost: u64) {
        loop {
            // Decided (and the lock released) before any await.
            let granted = self.try_acquire(bucket, cost);
            match granted {
                Ok(()) => return,
                Err(wait) => {
                    self.waits.fetch_add(1, Ordering::Relaxed);
                    crate::trace::rate_limit_wait(bucket, cost, wait);
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
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
    use kalshi_core::rate_limit::Tier;

    #[tokio::test(start_paused = true)]
    async fn basic_write_passes_nine_orders_at_once_then_ten_per_second() {
        let l = Limiter::new(RateLimit::Tier(Tier::Basic));
        let t0 = Instant::now();
        for _ in 0..9 {
            l.acquire(Bucket::Write, 10).await;
        }
        assert_eq!(t0.elapsed(), Duration::ZERO);
        for n in 1..=5 {
            l.acquire(Bucket::Write, 10).await;
            assert_eq!(t0.elapsed(), Duration::from_millis(100 * n));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_leaves_the_reserve() {
        // Write: 1 token per second (reserve 1, rounded up), capacity 100: nine 10-token
        // requests at once;
        // the tenth would leave no reserve and must wait for it.
        let l = Limiter::new(RateLimit::Custom {
            read: (1_000, 1_000),
            write: (1, 100),
        });
        for i in 0..9 {
            assert_eq!(l.try_acquire(Bucket::Write, 10), Ok(()), "request {i}");
        }
        assert_eq!(
            l.try_acquire(Bucket::Write, 10),
            Err(Duration::from_secs(1)),
            "one more token (the reserve) at 1 per second"
        );
        assert_eq!(l.tokens(Bucket::Write), 10, "nothing was taken");
        // The Read bucket is untouched, and a cost over the capacity is let through.
        assert_eq!(l.try_acquire(Bucket::Read, 10), Ok(()));
        assert_eq!(l.try_acquire(Bucket::Write, 1_000), Ok(()));
        assert_eq!(l.waits(), 0);
        // Waiting (virtual time) grants it after exactly that second.
        let t0 = Instant::now();
        l.acquire(Bucket::Write, 10).await;
        assert_eq!(t0.elapsed(), Duration::from_secs(1));
        assert_eq!(l.waits(), 1);
        assert_eq!(l.tokens(Bucket::Write), 1, "the reserve is left");
    }
}
