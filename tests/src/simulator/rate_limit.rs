//! Token buckets, as in the rate-limit guide: per API key, a Read bucket for `GET` and a Write
//! bucket for every other method, refilled continuously on the exchange clock, starting full.
//!
//! Most requests cost 10 tokens; `POST /portfolio/events/orders/batched` costs 10 per order and
//! `DELETE /portfolio/events/orders/batched` 2 per order (at least one order's worth). A request
//! the bucket cannot cover gets 429 `{"error": "too many requests"}`, takes no tokens and
//! changes nothing. Per-shard Write buckets are not modeled: every write bills the key's one
//! Write bucket.

use std::collections::HashMap;

use http::Method;

/// A usage tier from the rate-limit guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateLimitTier {
    /// Read 200/s (holds 2 s), Write 100/s (holds 1 s).
    Basic,
    /// Read 300/s (holds 2 s), Write 300/s (holds 2 s).
    Advanced,
    /// Read 600/s (holds 1 s), Write 600/s (holds 2 s).
    Expert,
    /// Read 1,000/s (holds 1 s), Write 1,000/s (holds 2 s).
    Premier,
    /// Read 2,000/s (holds 1 s), Write 2,000/s (holds 2 s).
    Paragon,
    /// Read 4,000/s (holds 1 s), Write 4,000/s (holds 2 s).
    Prime,
    /// Read 10,000/s (holds 1 s), Write 8,000/s (holds 2 s).
    Prestige,
}

impl RateLimitTier {
    /// Every tier, lowest first.
    pub const ALL: [RateLimitTier; 7] = [
        RateLimitTier::Basic,
        RateLimitTier::Advanced,
        RateLimitTier::Expert,
        RateLimitTier::Premier,
        RateLimitTier::Paragon,
        RateLimitTier::Prime,
        RateLimitTier::Prestige,
    ];

    /// Reads a tier name (`basic`, `Premier`, ...; case-insensitive).
    pub fn parse(name: &str) -> Option<RateLimitTier> {
        Self::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// The tier's name in lower case (`basic`, `advanced`, ...).
    pub fn name(self) -> &'static str {
        match self {
            RateLimitTier::Basic => "basic",
            RateLimitTier::Advanced => "advanced",
            RateLimitTier::Expert => "expert",
            RateLimitTier::Premier => "premier",
            RateLimitTier::Paragon => "paragon",
            RateLimitTier::Prime => "prime",
            RateLimitTier::Prestige => "prestige",
        }
    }

    /// The tier's budgets and bucket capacities.
    pub fn limits(self) -> RateLimits {
        let (read, read_secs, write, write_secs) = match self {
            RateLimitTier::Basic => (200, 2, 100, 1),
            RateLimitTier::Advanced => (300, 2, 300, 2),
            RateLimitTier::Expert => (600, 1, 600, 2),
            RateLimitTier::Premier => (1_000, 1, 1_000, 2),
            RateLimitTier::Paragon => (2_000, 1, 2_000, 2),
            RateLimitTier::Prime => (4_000, 1, 4_000, 2),
            RateLimitTier::Prestige => (10_000, 1, 8_000, 2),
        };
        RateLimits::new(read, read * read_secs, write, write * write_secs)
    }
}

/// Token-bucket budgets: refill rates in tokens per second and capacities in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimits {
    /// Read refill, tokens per second.
    pub read_rate: u64,
    /// Read capacity, tokens.
    pub read_capacity: u64,
    /// Write refill, tokens per second.
    pub write_rate: u64,
    /// Write capacity, tokens.
    pub write_capacity: u64,
}

impl RateLimits {
    /// Custom budgets.
    pub fn new(read_rate: u64, read_capacity: u64, write_rate: u64, write_capacity: u64) -> Self {
        RateLimits {
            read_rate,
            read_capacity,
            write_rate,
            write_capacity,
        }
    }

    /// A tier's budgets.
    pub fn tier(tier: RateLimitTier) -> Self {
        tier.limits()
    }
}

impl From<RateLimitTier> for RateLimits {
    fn from(t: RateLimitTier) -> Self {
        t.limits()
    }
}

/// The default cost of a request.
pub(crate) const DEFAULT_COST: u64 = 10;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Thousandths of a token.
    milli: u64,
    last_ms: u64,
}

/// Every key's buckets.
#[derive(Debug)]
pub(crate) struct Buckets {
    limits: RateLimits,
    buckets: HashMap<(String, bool), Bucket>,
}

impl Buckets {
    /// The budgets the buckets enforce.
    pub(crate) fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Full buckets under `limits`.
    pub(crate) fn new(limits: RateLimits) -> Self {
        Buckets {
            limits,
            buckets: HashMap::new(),
        }
    }

    /// Takes `cost` tokens from `key_id`'s bucket for `method` if it holds enough; returns
    /// whether it did.
    pub(crate) fn try_take(
        &mut self,
        key_id: &str,
        method: &Method,
        cost: u64,
        now_ms: u64,
    ) -> bool {
        let write = super::faults::is_write(method);
        let (rate, cap) = if write {
            (self.limits.write_rate, self.limits.write_capacity)
        } else {
            (self.limits.read_rate, self.limits.read_capacity)
        };
        let cap_milli = cap.saturating_mul(1000);
        let b = self
            .buckets
            .entry((key_id.to_owned(), write))
            .or_insert(Bucket {
                milli: cap_milli,
                last_ms: now_ms,
            });
        let elapsed = now_ms.saturating_sub(b.last_ms);
        b.milli = b
            .milli
            .saturating_add(rate.saturating_mul(elapsed))
            .min(cap_milli);
        b.last_ms = b.last_ms.max(now_ms);
        let need = cost.saturating_mul(1000);
        if b.milli >= need {
            b.milli -= need;
            true
        } else {
            false
        }
    }

    /// Whole tokens left in `key_id`'s Read and Write buckets at `now_ms` (without taking any).
    pub(crate) fn tokens(&self, key_id: &str, now_ms: u64) -> (u64, u64) {
        let level = |write: bool| {
            let (rate, cap) = if write {
                (self.limits.write_rate, self.limits.write_capacity)
            } else {
                (self.limits.read_rate, self.limits.read_capacity)
            };
            match self.buckets.get(&(key_id.to_owned(), write)) {
                None => cap,
                Some(b) => {
                    let elapsed = now_ms.saturating_sub(b.last_ms);
                    b.milli
                        .saturating_add(rate.saturating_mul(elapsed))
                        .min(cap.saturating_mul(1000))
                        / 1000
                }
            }
        };
        (level(false), level(true))
    }
}

/// The batch endpoint, billed per order.
pub(crate) const BATCH_PATH: &str = "/portfolio/events/orders/batched";

/// The endpoints whose cost is not [`DEFAULT_COST`] (per order for the batch endpoint), as
/// `GET /account/endpoint_costs` lists them: the documented ones, plus any the test set
/// ([`crate::SimulatorConfig::with_endpoint_cost`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CostTable {
    /// (method, path template relative to the base path, cost), in listing order.
    entries: Vec<(Method, String, u64)>,
}

impl Default for CostTable {
    /// The documented non-default costs: a batch cancel 2 per order, the usage-level upgrade
    /// 30. (A batch create is 10 per order: the default, per item.)
    fn default() -> Self {
        CostTable {
            entries: vec![
                (Method::DELETE, BATCH_PATH.to_owned(), 2),
                (
                    Method::POST,
                    "/account/api_usage_level/upgrade".to_owned(),
                    30,
                ),
            ],
        }
    }
}

/// Whether `path` matches `template` (`{name}` segments match any non-empty segment).
fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

fn literal_segments(template: &str) -> usize {
    template
        .split('/')
        .filter(|s| !(s.starts_with('{') && s.ends_with('}')))
        .count()
}

impl CostTable {
    /// Sets the cost of `method path` (relative to the base path, or with the
    /// `/trade-api/v2` prefix); a cost of [`DEFAULT_COST`] removes the entry.
    pub(crate) fn set(&mut self, method: Method, path: &str, cost: u64) {
        let path = path.strip_prefix(super::BASE_PATH).unwrap_or(path);
        let path = format!("/{}", path.trim_matches('/'));
        self.entries
            .retain(|(m, p, _)| !(*m == method && *p == path));
        if cost != DEFAULT_COST {
            self.entries.push((method, path, cost));
        }
    }

    /// Every non-default entry: (method, path template relative to the base path, cost).
    pub(crate) fn listed(&self) -> impl Iterator<Item = (&Method, &str, u64)> {
        self.entries.iter().map(|(m, p, c)| (m, p.as_str(), *c))
    }

    /// The token cost of a request: the listed cost of its endpoint (the most literal
    /// template that matches) or [`DEFAULT_COST`], times the orders of a batch (`orders` = the
    /// number of orders in the body, when it parses; at least one).
    pub(crate) fn cost(&self, method: &Method, relative_path: &str, orders: Option<usize>) -> u64 {
        let per = self
            .entries
            .iter()
            .filter(|(m, p, _)| m == method && path_matches(p, relative_path))
            .max_by_key(|(_, p, _)| literal_segments(p))
            .map_or(DEFAULT_COST, |(_, _, c)| *c);
        let items =
            if relative_path == BATCH_PATH && matches!(*method, Method::POST | Method::DELETE) {
                orders.unwrap_or(1).max(1) as u64
            } else {
                1
            };
        per.saturating_mul(items)
    }
}

/// The token cost of a request under the documented costs ([`CostTable::default`]).
#[cfg(test)]
pub(crate) fn cost(method: &Method, relative_path: &str, orders: Option<usize>) -> u64 {
    CostTable::default().cost(method, relative_path, orders)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers() {
        assert_eq!(
            RateLimitTier::Basic.limits(),
            RateLimits::new(200, 400, 100, 100)
        );
        assert_eq!(
            RateLimits::tier(RateLimitTier::Premier),
            RateLimits::new(1000, 1000, 1000, 2000)
        );
        assert_eq!(
            RateLimits::from(RateLimitTier::Prestige),
            RateLimits::new(10_000, 10_000, 8_000, 16_000)
        );
        for t in RateLimitTier::ALL {
            assert_eq!(RateLimitTier::parse(t.name()), Some(t));
            assert_eq!(RateLimitTier::parse(&t.name().to_uppercase()), Some(t));
        }
        assert_eq!(RateLimitTier::parse("gold"), None);
    }

    #[test]
    fn buckets_refill_continuously() {
        let mut b = Buckets::new(RateLimits::new(100, 20, 100, 30));
        let t = 1_000_000;
        assert!(b.try_take("k", &Method::POST, 10, t));
        assert!(b.try_take("k", &Method::DELETE, 20, t));
        assert!(!b.try_take("k", &Method::POST, 1, t));
        // Reads are a separate bucket, and so is another key.
        assert!(b.try_take("k", &Method::GET, 20, t));
        assert!(b.try_take("j", &Method::PUT, 30, t));
        // 100 tokens/s: 1 token per 10 ms.
        assert!(!b.try_take("k", &Method::POST, 1, t + 9));
        assert!(b.try_take("k", &Method::POST, 1, t + 10));
        // The Read bucket refilled meanwhile too.
        assert_eq!(b.tokens("k", t + 10), (1, 0));
        assert_eq!(b.tokens("k", t + 110), (11, 10));
        // Capped at the capacity.
        assert_eq!(b.tokens("k", t + 60_000), (20, 30));
        assert_eq!(b.tokens("new", t), (20, 30));
        // A clock that goes back refills nothing.
        assert!(b.try_take("k", &Method::GET, 20, t + 60_000));
        assert!(!b.try_take("k", &Method::GET, 1, t));
    }

    #[test]
    fn costs() {
        let batch = "/portfolio/events/orders/batched";
        assert_eq!(cost(&Method::POST, batch, Some(25)), 250);
        assert_eq!(cost(&Method::DELETE, batch, Some(25)), 50);
        assert_eq!(cost(&Method::DELETE, batch, Some(0)), 2);
        assert_eq!(cost(&Method::POST, batch, None), 10);
        assert_eq!(cost(&Method::GET, batch, Some(5)), 10);
        assert_eq!(cost(&Method::POST, "/portfolio/events/orders", Some(5)), 10);
        assert_eq!(
            cost(&Method::POST, "/account/api_usage_level/upgrade", None),
            30
        );
    }

    #[test]
    fn cost_table_overrides() {
        let mut t = CostTable::default();
        t.set(Method::GET, "/trade-api/v2/portfolio/balance", 25);
        t.set(Method::DELETE, "/portfolio/events/orders/{order_id}", 20);
        assert_eq!(t.cost(&Method::GET, "/portfolio/balance", None), 25);
        assert_eq!(
            t.cost(&Method::DELETE, "/portfolio/events/orders/o-1", None),
            20
        );
        // The literal batch path wins over the `{order_id}` template.
        assert_eq!(t.cost(&Method::DELETE, BATCH_PATH, Some(4)), 8);
        assert_eq!(t.cost(&Method::GET, "/portfolio/fills", None), 10);
        // Back to the default: unlisted.
        t.set(Method::GET, "/portfolio/balance", 10);
        assert_eq!(t.listed().count(), 3);
        assert_eq!(t.cost(&Method::GET, "/portfolio/balance", None), 10);
    }
}
