//! A client-side model of Kalshi's token buckets, so a bot stays under its tier instead of
//! collecting 429s. Pure state: the caller passes the time in and gets "send now" or "wait
//! this long" back; the transport does the waiting.
//!
//! Every request costs tokens (10 by default). Reads drain the Read bucket, writes (orders,
//! cancels, amends, order groups) the Write bucket. Each bucket refills continuously at the
//! tier's budget per second up to its capacity (one or two seconds of budget, per the tier).
//!
//! The exchange can say what applies to the account: [`RateLimiter::from_account_limits`] reads
//! `GET /account/limits` ([`GetAccountApiLimits`](crate::account::GetAccountApiLimits)), and
//! [`EndpointCosts`] reads `GET /account/endpoint_costs`
//! ([`GetAccountEndpointCosts`](crate::account::GetAccountEndpointCosts)), the endpoints whose
//! cost is not the default, to charge each request what the exchange charges.

use std::time::Duration;

use http::Method;

use crate::account::{GetAccountApiLimitsResponse, GetAccountEndpointCostsResponse};
use crate::operation::{Operation, PathWriter};

/// A Kalshi API usage tier (event contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Read 200/s (2 s burst), Write 100/s (1 s).
    Basic,
    /// Read 300/s (2 s burst), Write 300/s (2 s).
    Advanced,
    /// Read 600/s (1 s), Write 600/s (2 s).
    Expert,
    /// Read 1,000/s (1 s), Write 1,000/s (2 s).
    Premier,
    /// Read 2,000/s (1 s), Write 2,000/s (2 s).
    Paragon,
    /// Read 4,000/s (1 s), Write 4,000/s (2 s).
    Prime,
    /// Read 10,000/s (1 s), Write 8,000/s (2 s).
    Prestige,
}

impl Tier {
    /// (refill tokens per second, capacity) of the Read bucket.
    pub fn read(self) -> (u64, u64) {
        match self {
            Tier::Basic => (200, 400),
            Tier::Advanced => (300, 600),
            Tier::Expert => (600, 600),
            Tier::Premier => (1_000, 1_000),
            Tier::Paragon => (2_000, 2_000),
            Tier::Prime => (4_000, 4_000),
            Tier::Prestige => (10_000, 10_000),
        }
    }

    /// (refill tokens per second, capacity) of the Write bucket.
    pub fn write(self) -> (u64, u64) {
        match self {
            Tier::Basic => (100, 100),
            Tier::Advanced => (300, 600),
            Tier::Expert => (600, 1_200),
            Tier::Premier => (1_000, 2_000),
            Tier::Paragon => (2_000, 4_000),
            Tier::Prime => (4_000, 8_000),
            Tier::Prestige => (8_000, 16_000),
        }
    }
}

/// Which bucket a request drains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// `GET` requests and everything not routed to Write.
    Read,
    /// Order placement, amends, cancels, order groups.
    Write,
}

impl Bucket {
    /// The bucket of a request by its method: `GET` reads, every other method writes.
    pub fn for_method(method: &Method) -> Self {
        if method == Method::GET || method == Method::HEAD {
            Bucket::Read
        } else {
            Bucket::Write
        }
    }
}

/// The default cost of a request in tokens.
pub const DEFAULT_COST: u64 = 10;

/// The reserve a client should keep (see [`RateLimiter::with_reserve`]): measured against the
/// simulator with 8 concurrent tasks on a loaded 2-core machine, 10 ms and 30 ms still drew
/// 429s, 100 ms none. It costs one request of burst on the Basic Write bucket (9 orders at
/// once instead of 10); the sustained rate is unchanged.
pub const CLIENT_RESERVE: Duration = Duration::from_millis(100);

/// The budgets of a rate limiter: a tier's, or explicit ones (e.g. from `GET /account/limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// A tier's documented budgets.
    Tier(Tier),
    /// Explicit (refill per second, capacity) pairs for the Read and Write buckets.
    Custom {
        /// Read bucket: (tokens per second, capacity).
        read: (u64, u64),
        /// Write bucket: (tokens per second, capacity).
        write: (u64, u64),
    },
}

impl RateLimit {
    /// ((read rate, read capacity), (write rate, write capacity)).
    pub fn budgets(self) -> ((u64, u64), (u64, u64)) {
        match self {
            RateLimit::Tier(tier) => (tier.read(), tier.write()),
            RateLimit::Custom { read, write } => (read, write),
        }
    }
}

impl From<Tier> for RateLimit {
    fn from(tier: Tier) -> Self {
        RateLimit::Tier(tier)
    }
}

impl From<&GetAccountApiLimitsResponse> for RateLimit {
    /// The account's real buckets: (`refill_rate`, `bucket_capacity`) of `read` and `write`.
    fn from(limits: &GetAccountApiLimitsResponse) -> Self {
        RateLimit::Custom {
            read: (limits.read.refill_rate, limits.read.bucket_capacity),
            write: (limits.write.refill_rate, limits.write.bucket_capacity),
        }
    }
}

impl Tier {
    /// Reads a tier name as `GET /account/limits` writes it (`basic`, `Premier`, ...;
    /// case-insensitive); `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<Tier> {
        [
            Tier::Basic,
            Tier::Advanced,
            Tier::Expert,
            Tier::Premier,
            Tier::Paragon,
            Tier::Prime,
            Tier::Prestige,
        ]
        .into_iter()
        .find(|t| format!("{t:?}").eq_ignore_ascii_case(name.trim()))
    }
}

/// One segment of an endpoint path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A literal segment (`orders`).
    Literal(String),
    /// A parameter (`{order_id}`): any non-empty segment.
    Param,
}

/// The exchange's per-endpoint token costs (`GET /account/endpoint_costs`): the endpoints whose
/// cost is not the default, keyed by method and path template.
///
/// [`cost_of`](EndpointCosts::cost_of) is what a request costs under this table: a listed
/// endpoint's cost times the items billed ([`Operation::cost_items`]: the orders of a batch,
/// else 1); an unlisted one costs [`Operation::cost`], scaled if the exchange's default is not
/// [`DEFAULT_COST`]. Paths are matched with or without the `/trade-api/v2` prefix; a template's
/// `{...}` segment matches any segment, and the template with the most literal segments wins.
///
/// ```
/// use http::Method;
/// use kalshi_core::orders::CancelOrder;
/// use kalshi_core::portfolio::GetBalance;
/// use kalshi_core::rate_limit::EndpointCosts;
///
/// let costs = EndpointCosts::new(10)
///     .with(Method::DELETE, "/trade-api/v2/portfolio/events/orders/{order_id}", 20);
/// assert_eq!(costs.cost_of(&CancelOrder::new("ord-1")), 20);
/// assert_eq!(costs.cost_of(&GetBalance::new()), 10); // not listed: the default
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointCosts {
    default_cost: u64,
    entries: Vec<(Method, Vec<Segment>, u64)>,
}

impl Default for EndpointCosts {
    /// No endpoint listed, default cost [`DEFAULT_COST`]: every request costs
    /// [`Operation::cost`].
    fn default() -> Self {
        EndpointCosts::new(DEFAULT_COST)
    }
}

/// The path after the API prefix, without query, split into segments.
fn path_segments(path: &str) -> Vec<&str> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.strip_prefix("/trade-api/v2").unwrap_or(path);
    path.trim_matches('/').split('/').collect()
}

impl EndpointCosts {
    /// An empty table whose unlisted endpoints cost `default_cost`.
    pub fn new(default_cost: u64) -> Self {
        EndpointCosts {
            default_cost,
            entries: Vec::new(),
        }
    }

    /// Lists `method path_template` at `cost` tokens (per item for batches); a later entry for
    /// the same endpoint replaces an earlier one.
    pub fn with(mut self, method: Method, path_template: &str, cost: u64) -> Self {
        let template: Vec<Segment> = path_segments(path_template)
            .into_iter()
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    Segment::Param
                } else {
                    Segment::Literal(s.to_owned())
                }
            })
            .collect();
        self.entries
            .retain(|(m, t, _)| !(m == method && *t == template));
        self.entries.push((method, template, cost));
        self
    }

    /// The table of a `GetAccountEndpointCosts` answer. Entries whose method is not an HTTP
    /// method are skipped.
    pub fn from_response(response: &GetAccountEndpointCostsResponse) -> Self {
        response
            .endpoint_costs
            .iter()
            .fold(
                EndpointCosts::new(response.default_cost),
                |t, e| match Method::from_bytes(e.method.trim().to_ascii_uppercase().as_bytes()) {
                    Ok(method) => t.with(method, &e.path, e.cost),
                    Err(_) => t,
                },
            )
    }

    /// The cost of endpoints not listed.
    pub fn default_cost(&self) -> u64 {
        self.default_cost
    }

    /// How many endpoints are listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no endpoint is listed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The listed cost of `method path` (an actual path such as
    /// `/trade-api/v2/portfolio/events/orders/ord-1`, or a template), if listed.
    pub fn listed(&self, method: &Method, path: &str) -> Option<u64> {
        let segments = path_segments(path);
        self.entries
            .iter()
            .filter(|(m, t, _)| {
                m == method
                    && t.len() == segments.len()
                    && t.iter().zip(&segments).all(|(t, s)| match t {
                        Segment::Literal(l) => l == s,
                        Segment::Param => !s.is_empty(),
                    })
            })
            .max_by_key(|(_, t, _)| t.iter().filter(|s| **s != Segment::Param).count())
            .map(|(_, _, cost)| *cost)
    }

    /// What `op` costs under this table (see the [type docs](EndpointCosts)).
    pub fn cost_of<O: Operation>(&self, op: &O) -> u64 {
        let mut path = String::new();
        op.write_path(&mut PathWriter::new(&mut path));
        match self.listed(&O::METHOD, &path) {
            Some(cost) => cost.saturating_mul(op.cost_items()),
            None if self.default_cost == DEFAULT_COST => op.cost(),
            None => op
                .cost()
                .saturating_mul(self.default_cost)
                .div_ceil(DEFAULT_COST),
        }
    }
}

/// What the exchange says applies to the account: its budgets (`GET /account/limits`) and its
/// non-default endpoint costs (`GET /account/endpoint_costs`), ready for a client-side limiter.
/// The transports' `configure_rate_limits_from_exchange` fetch both and install this.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccountRateLimits {
    /// The usage tier the exchange named (`basic`, `premier`, ...).
    pub usage_tier: String,
    /// The Read and Write budgets.
    pub limit: RateLimit,
    /// The per-endpoint costs.
    pub costs: EndpointCosts,
}

impl AccountRateLimits {
    /// From the answers to `GetAccountApiLimits` and `GetAccountEndpointCosts`.
    pub fn from_answers(
        limits: &GetAccountApiLimitsResponse,
        costs: &GetAccountEndpointCostsResponse,
    ) -> Self {
        AccountRateLimits {
            usage_tier: limits.usage_tier.clone(),
            limit: RateLimit::from(limits),
            costs: EndpointCosts::from_response(costs),
        }
    }

    /// Full buckets at `now_ms` with these budgets (charge requests with
    /// [`EndpointCosts::cost_of`] on [`costs`](Self::costs)).
    pub fn limiter(&self, now_ms: u64) -> RateLimiter {
        RateLimiter::from_limit(self.limit, now_ms)
    }
}

impl From<&GetAccountEndpointCostsResponse> for EndpointCosts {
    fn from(response: &GetAccountEndpointCostsResponse) -> Self {
        EndpointCosts::from_response(response)
    }
}

/// One token bucket, in milli-tokens so that refills are exact integers.
#[derive(Debug, Clone)]
struct TokenBucket {
    rate_per_s: u64,
    capacity_milli: u64,
    level_milli: u64,
    last_ms: u64,
}

impl TokenBucket {
    fn new((rate_per_s, capacity): (u64, u64), now_ms: u64) -> Self {
        let capacity_milli = capacity.saturating_mul(1000);
        TokenBucket {
            rate_per_s,
            capacity_milli,
            level_milli: capacity_milli,
            last_ms: now_ms,
        }
    }

    fn refill(&mut self, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(self.last_ms);
        // rate tokens/s = rate milli-tokens/ms.
        self.level_milli = self
            .level_milli
            .saturating_add(elapsed.saturating_mul(self.rate_per_s))
            .min(self.capacity_milli);
        self.last_ms = self.last_ms.max(now_ms);
    }

    fn try_take(&mut self, cost: u64, now_ms: u64) -> Result<(), Duration> {
        self.refill(now_ms);
        let need = cost.saturating_mul(1000);
        if need > self.capacity_milli {
            // Could never fit: let it through rather than wait forever; the exchange decides.
            return Ok(());
        }
        if self.level_milli >= need {
            self.level_milli -= need;
            return Ok(());
        }
        let missing = need - self.level_milli;
        let ms = missing.div_ceil(self.rate_per_s.max(1));
        Err(Duration::from_millis(ms))
    }
}

/// The two buckets of one API key.
///
/// ```
/// use kalshi_core::rate_limit::{Bucket, RateLimiter, Tier};
/// let mut limiter = RateLimiter::new(Tier::Basic, 0);
/// // Basic Write: 100 tokens per second, capacity 100: ten orders at once...
/// for _ in 0..10 { assert!(limiter.try_acquire(Bucket::Write, 10, 0).is_ok()); }
/// // ...then the eleventh must wait 100 ms for 10 more tokens.
/// assert_eq!(limiter.try_acquire(Bucket::Write, 10, 0), Err(std::time::Duration::from_millis(100)));
/// assert!(limiter.try_acquire(Bucket::Write, 10, 100).is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct RateLimiter {
    read: TokenBucket,
    write: TokenBucket,
    reserve_ms: u64,
    latency_peak_ms: u64,
}

impl RateLimiter {
    /// Full buckets for `tier`, at monotonic time `now_ms` (any fixed origin).
    pub fn new(tier: Tier, now_ms: u64) -> Self {
        Self::custom(tier.read(), tier.write(), now_ms)
    }

    /// Full buckets with explicit (refill per second, capacity) pairs, e.g. from
    /// `GET /account/limits`.
    pub fn custom(read: (u64, u64), write: (u64, u64), now_ms: u64) -> Self {
        RateLimiter {
            read: TokenBucket::new(read, now_ms),
            write: TokenBucket::new(write, now_ms),
            reserve_ms: 0,
            latency_peak_ms: 0,
        }
    }

    /// Full buckets with the account's real budgets, from the answer to `GET /account/limits`
    /// ([`GetAccountApiLimits`](crate::account::GetAccountApiLimits)).
    pub fn from_account_limits(limits: &GetAccountApiLimitsResponse, now_ms: u64) -> Self {
        Self::from_limit(RateLimit::from(limits), now_ms)
    }

    /// Full buckets with a [`RateLimit`]'s budgets.
    pub fn from_limit(limit: RateLimit, now_ms: u64) -> Self {
        let (read, write) = limit.budgets();
        Self::custom(read, write, now_ms)
    }

    /// Keeps `reserve` worth of refill (plus the recent peak of [`observe_latency`]) in each
    /// bucket past a burst.
    ///
    /// The client takes a request's tokens before signing and sending it; the exchange takes
    /// them when the request arrives, a little later, and that delay varies. A client paced
    /// exactly at the refill rate would sometimes send a request that arrives just before the
    /// exchange's bucket holds its tokens. The reserve only delays the end of a burst (never
    /// beyond what the capacity leaves beside the cost); the sustained rate stays the tier's.
    /// Transports use [`CLIENT_RESERVE`].
    ///
    /// [`observe_latency`]: RateLimiter::observe_latency
    pub fn with_reserve(mut self, reserve: Duration) -> Self {
        self.reserve_ms = u64::try_from(reserve.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Records how long a granted request took to be answered, an upper bound on how much
    /// later the exchange took its tokens. The peak decays by 1/32 at each observation, so
    /// one slow answer does not shrink bursts for long.
    pub fn observe_latency(&mut self, latency: Duration) {
        let sample = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        let peak = self.latency_peak_ms;
        self.latency_peak_ms = sample.max(peak - peak.div_ceil(32));
    }

    /// The tokens a request of `cost` must leave behind in `bucket`.
    fn reserve_tokens(&self, bucket: Bucket, cost: u64) -> u64 {
        if self.reserve_ms == 0 && self.latency_peak_ms == 0 {
            return 0;
        }
        let b = match bucket {
            Bucket::Read => &self.read,
            Bucket::Write => &self.write,
        };
        let margin_ms = self.reserve_ms.saturating_add(self.latency_peak_ms);
        b.rate_per_s
            .saturating_mul(margin_ms)
            .div_ceil(1000)
            .min((b.capacity_milli / 1000).saturating_sub(cost))
    }

    /// Takes `cost` tokens from `bucket` if they are there with the reserve beside them (`Ok`:
    /// send now), or says how long to wait (`Err`: nothing taken; ask again then).
    pub fn try_acquire(&mut self, bucket: Bucket, cost: u64, now_ms: u64) -> Result<(), Duration> {
        let reserve = self.reserve_tokens(bucket, cost);
        let b = match bucket {
            Bucket::Read => &mut self.read,
            Bucket::Write => &mut self.write,
        };
        if reserve == 0 {
            return b.try_take(cost, now_ms);
        }
        b.refill(now_ms);
        if b.level_milli / 1000 >= cost.saturating_add(reserve) {
            b.try_take(cost, now_ms)
        } else {
            // Takes nothing; says how long until cost + reserve are there.
            b.try_take(cost.saturating_add(reserve), now_ms)
                .and(Err(Duration::from_millis(1)))
        }
    }

    /// Tokens currently in `bucket` at `now_ms` (whole tokens, rounded down).
    pub fn available(&mut self, bucket: Bucket, now_ms: u64) -> u64 {
        let b = match bucket {
            Bucket::Read => &mut self.read,
            Bucket::Write => &mut self.write,
        };
        b.refill(now_ms);
        b.level_milli / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill_at_the_tier_rate() {
        // Premier Write: 1,000/s, capacity 2,000 (the documented example).
        let mut l = RateLimiter::new(Tier::Premier, 0);
        for _ in 0..200 {
            l.try_acquire(Bucket::Write, 10, 0).unwrap();
        }
        assert_eq!(
            l.try_acquire(Bucket::Write, 10, 0),
            Err(Duration::from_millis(10))
        );
        assert_eq!(l.available(Bucket::Write, 1_000), 1_000);
        // The Read bucket is independent.
        assert!(l.try_acquire(Bucket::Read, 10, 0).is_ok());
    }

    #[test]
    fn wait_time_is_exact_and_capacity_caps_idle_savings() {
        let mut l = RateLimiter::new(Tier::Basic, 0);
        assert_eq!(l.available(Bucket::Write, 60_000), 100);
        l.try_acquire(Bucket::Write, 100, 60_000).unwrap();
        assert_eq!(
            l.try_acquire(Bucket::Write, 25, 60_000),
            Err(Duration::from_millis(250))
        );
        assert_eq!(
            l.try_acquire(Bucket::Write, 25, 60_249),
            Err(Duration::from_millis(1))
        );
        assert!(l.try_acquire(Bucket::Write, 25, 60_250).is_ok());
        // Time going backwards is ignored rather than trusted.
        assert!(l.try_acquire(Bucket::Write, 10, 1).is_err());
    }

    #[test]
    fn the_reserve_holds_back_the_end_of_a_burst_within_the_capacity() {
        // Premier Write: 1,000/s, capacity 2,000; 100 ms of reserve = 100 tokens.
        let mut l = RateLimiter::new(Tier::Premier, 0).with_reserve(CLIENT_RESERVE);
        for _ in 0..190 {
            l.try_acquire(Bucket::Write, 10, 0).unwrap();
        }
        assert_eq!(l.available(Bucket::Write, 0), 100);
        assert_eq!(
            l.try_acquire(Bucket::Write, 10, 0),
            Err(Duration::from_millis(10))
        );
        assert!(l.try_acquire(Bucket::Write, 10, 10).is_ok());
        // Basic Write holds 100: the reserve (10 tokens) leaves room for 9 orders at once.
        let mut b =
            RateLimiter::from_limit(RateLimit::Tier(Tier::Basic), 0).with_reserve(CLIENT_RESERVE);
        let burst = (0..20)
            .take_while(|_| b.try_acquire(Bucket::Write, 10, 0).is_ok())
            .count();
        assert_eq!(burst, 9);
        // A cost as large as the capacity is never blocked by the reserve.
        let mut c = RateLimiter::new(Tier::Basic, 0).with_reserve(CLIENT_RESERVE);
        assert!(c.try_acquire(Bucket::Write, 100, 0).is_ok());
    }

    #[test]
    fn slow_answers_widen_the_reserve_and_the_peak_decays() {
        let mut l = RateLimiter::new(Tier::Premier, 0).with_reserve(Duration::from_millis(10));
        assert_eq!(l.reserve_tokens(Bucket::Write, 10), 10);
        l.observe_latency(Duration::from_millis(90));
        assert_eq!(l.reserve_tokens(Bucket::Write, 10), 100);
        l.observe_latency(Duration::from_millis(1));
        assert_eq!(l.reserve_tokens(Bucket::Write, 10), 97);
        for _ in 0..200 {
            l.observe_latency(Duration::from_millis(1));
        }
        assert_eq!(l.reserve_tokens(Bucket::Write, 10), 11);
        let mut basic = RateLimiter::new(Tier::Basic, 0);
        basic.observe_latency(Duration::from_secs(60));
        assert_eq!(basic.reserve_tokens(Bucket::Write, 10), 90);
    }

    #[test]
    fn buckets_by_method() {
        assert_eq!(Bucket::for_method(&Method::GET), Bucket::Read);
        assert_eq!(Bucket::for_method(&Method::POST), Bucket::Write);
        assert_eq!(Bucket::for_method(&Method::DELETE), Bucket::Write);
    }
}
