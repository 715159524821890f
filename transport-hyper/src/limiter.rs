//! The client-side rate limiter: [`kalshi_core::rate_limit::RateLimiter`] behind a mutex that
//! is never held across an await, on tokio's monotonic clock, with a small reserve for the
//! delay between granting a request and its arrival at the exchange.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use kalshi_core::rate_limit::{Bucket, RateLimiter};
use tokio::time::Instant;

use crate::RateLimit;

/// How much later than the client the exchange may debit a request's tokens, in
/// milliseconds: the client debits before signing and sending, the exchange when the request
/// arrives, and the two delays differ from request to request (signing time, task scheduling,
/// a fresh connection for the first requests, the network). Past a burst the client keeps
/// this much refill in reserve, so that its accounting never runs ahead of the exchange's.
///
/// Measured against the simulator with 8 tasks on a loaded 2-core machine: 10 ms and 30 ms
/// of reserve still drew 429s in most runs, 100 ms none. The cost is one request of burst on
/// the Basic Write bucket (9 orders at once instead of 10); the sustained rate is unchanged.
pub(crate) const JITTER_ALLOWANCE_MS: u64 = 100;

/// One client's buckets, shared by its clones.
#[derive(Debug)]
pub(crate) struct Limiter {
    /// The origin of the limiter's milliseconds (tokio's clock, so paused test time works).
    origin: Instant,
    buckets: Mutex<RateLimiter>,
    /// (refill per second, capacity) of the Read and Write buckets.
    read: (u64, u64),
    write: (u64, u64),
    waits: AtomicU64,
}

impl Limiter {
    /// Full buckets now.
    pub(crate) fn new(limit: RateLimit) -> Self {
        let (read, write) = limit.budgets();
        Limiter {
            origin: Instant::now(),
            buckets: Mutex::new(RateLimiter::custom(read, write, 0)),
            read,
            write,
            waits: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn lock(&self) -> MutexGuard<'_, RateLimiter> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The tokens a request of `cost` must leave in `bucket`: the refill of
    /// [`JITTER_ALLOWANCE_MS`], but never so much that `cost` plus the reserve exceeds the
    /// capacity (a burst of the whole capacity then waits only for the reserve).
    fn reserve(&self, bucket: Bucket, cost: u64) -> u64 {
        let (rate, capacity) = match bucket {
            Bucket::Read => self.read,
            Bucket::Write => self.write,
        };
        rate.saturating_mul(JITTER_ALLOWANCE_MS)
            .div_ceil(1000)
            .min(capacity.saturating_sub(cost))
    }

    /// Takes `cost` tokens from `bucket` if they are there with the reserve beside them, or
    /// says how long to wait before asking again. The lock is released on return.
    pub(crate) fn try_acquire(&self, bucket: Bucket, cost: u64) -> Result<(), Duration> {
        let reserve = self.reserve(bucket, cost);
        let now = self.now_ms();
        let mut buckets = self.lock();
        if buckets.available(bucket, now) >= cost.saturating_add(reserve) {
            buckets.try_acquire(bucket, cost, now)
        } else {
            // Takes nothing, and says how long until cost + reserve are there (a cost larger
            // than the whole bucket is let through, as the core decides).
            buckets.try_acquire(bucket, cost.saturating_add(reserve), now)
        }
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

    #[test]
    fn the_reserve_is_a_tenth_of_a_second_of_refill_within_the_capacity() {
        let l = Limiter::new(RateLimit::Tier(Tier::Premier));
        // Premier: Read 1,000/s (holds 1,000), Write 1,000/s (holds 2,000).
        assert_eq!(l.reserve(Bucket::Read, 10), 100);
        assert_eq!(l.reserve(Bucket::Write, 10), 100);
        let basic = Limiter::new(RateLimit::Tier(Tier::Basic));
        assert_eq!(basic.reserve(Bucket::Write, 10), 10);
        // Never more than what the capacity leaves beside the cost.
        assert_eq!(basic.reserve(Bucket::Write, 95), 5);
        assert_eq!(basic.reserve(Bucket::Write, 100), 0);
        assert_eq!(basic.reserve(Bucket::Write, 500), 0);
    }

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
