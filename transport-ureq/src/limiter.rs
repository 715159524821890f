//! The client-side rate limiter: [`kalshi_core::rate_limit::RateLimiter`] behind a mutex, on a
//! monotonic clock, with a small reserve for network jitter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use kalshi_core::rate_limit::{Bucket, RateLimiter};

use crate::RateLimit;

/// The least margin, in milliseconds of refill, that the client keeps in its buckets past a
/// burst (see [`Limiter::reserve`]).
pub(crate) const JITTER_FLOOR_MS: u64 = 10;

/// One client's buckets, shared by its clones.
#[derive(Debug)]
pub(crate) struct Limiter {
    origin: Instant,
    buckets: Mutex<RateLimiter>,
    /// (refill per second, capacity) of the Read and Write buckets.
    read: (u64, u64),
    write: (u64, u64),
    waits: AtomicU64,
    /// A decaying peak of the time from a grant to the answer, in milliseconds.
    latency_ms: AtomicU64,
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
            latency_ms: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn lock(&self) -> MutexGuard<'_, RateLimiter> {
        self.buckets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The tokens a request of `cost` must leave in `bucket`.
    ///
    /// The client debits a request's tokens before signing and sending it; the exchange debits
    /// them when the request arrives, a little later, and that delay varies (signing, thread
    /// scheduling, the network, a fresh connection). A client paced exactly at the refill rate
    /// would then sometimes send a request that arrives just before the exchange's bucket
    /// holds its tokens. So, past a burst, the client keeps in reserve the refill of
    /// [`JITTER_FLOOR_MS`] plus the recent peak time from a grant to its answer (an upper bound
    /// on that delay), but never so much that `cost` plus the reserve exceeds the capacity.
    /// The reserve only delays the end of a burst; the sustained rate stays the tier's.
    fn reserve(&self, bucket: Bucket, cost: u64) -> u64 {
        let (rate, capacity) = match bucket {
            Bucket::Read => self.read,
            Bucket::Write => self.write,
        };
        let margin_ms = JITTER_FLOOR_MS.saturating_add(self.latency_ms.load(Ordering::Relaxed));
        rate.saturating_mul(margin_ms)
            .div_ceil(1000)
            .min(capacity.saturating_sub(cost))
    }

    /// Records how long a granted request took to be answered. The peak decays by 1/32 at
    /// each answer, so that one slow answer does not shrink bursts for long.
    pub(crate) fn observe_latency(&self, latency: Duration) {
        let sample = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        let _ = self
            .latency_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |peak| {
                Some(sample.max(peak - peak.div_ceil(32)))
            });
    }

    /// Whether `cost` tokens can be taken from `bucket` now (then they are), or how long to
    /// wait before asking again.
    pub(crate) fn try_acquire(&self, bucket: Bucket, cost: u64) -> Result<(), Duration> {
        let reserve = self.reserve(bucket, cost);
        let now = self.now_ms();
        let mut buckets = self.lock();
        if buckets.available(bucket, now) >= cost.saturating_add(reserve) {
            buckets.try_acquire(bucket, cost, now)
        } else {
            // Fails without taking anything, and says how long until cost + reserve are there
            // (a cost larger than the whole bucket is let through, as the core decides).
            buckets.try_acquire(bucket, cost.saturating_add(reserve), now)
        }
    }

    /// Blocks until `cost` tokens of `bucket` are granted; returns when they were.
    pub(crate) fn acquire(&self, bucket: Bucket, cost: u64) -> Instant {
        while let Err(wait) = self.try_acquire(bucket, cost) {
            self.waits.fetch_add(1, Ordering::Relaxed);
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
    use kalshi_core::rate_limit::Tier;

    #[test]
    fn the_reserve_is_the_refill_of_the_jitter_allowance_within_the_capacity() {
        let l = Limiter::new(RateLimit::Tier(Tier::Premier));
        // Premier: Read 1,000/s (holds 1,000), Write 1,000/s (holds 2,000).
        assert_eq!(l.reserve(Bucket::Read, 10), 10);
        assert_eq!(l.reserve(Bucket::Write, 10), 10);
        let basic = Limiter::new(RateLimit::Tier(Tier::Basic));
        assert_eq!(basic.reserve(Bucket::Write, 10), 1);
        // Never more than what the capacity leaves beside the cost.
        assert_eq!(basic.reserve(Bucket::Write, 100), 0);
        assert_eq!(basic.reserve(Bucket::Write, 500), 0);

        // Slow answers widen it; the peak decays answer after answer.
        l.observe_latency(Duration::from_millis(90));
        assert_eq!(l.reserve(Bucket::Write, 10), 100);
        l.observe_latency(Duration::from_millis(1));
        assert_eq!(l.reserve(Bucket::Write, 10), 97, "90 - ceil(90 / 32) + 10");
        for _ in 0..200 {
            l.observe_latency(Duration::from_millis(1));
        }
        assert_eq!(l.reserve(Bucket::Write, 10), 11);
        // Capped by the capacity.
        basic.observe_latency(Duration::from_secs(60));
        assert_eq!(basic.reserve(Bucket::Write, 10), 90);
    }

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
