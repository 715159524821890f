//! `GET /account/limits` and `GET /account/limits/perps`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::rate_limit::Tier;
use crate::serde_util::null_as_empty;

pub use crate::enums::ExchangeInstance;

/// The account's Predictions API usage tier and token-bucket budgets
/// (`GetAccountApiLimits`). Feed the answer to
/// [`RateLimiter::from_account_limits`](crate::rate_limit::RateLimiter::from_account_limits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetAccountApiLimits {}

impl GetAccountApiLimits {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The account's Perps (margined) API tier and token-bucket budgets
/// (`GetPerpsAccountApiLimits`); the Perps buckets are separate from the Predictions ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetPerpsAccountApiLimits {}

impl GetPerpsAccountApiLimits {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The budget of one token bucket (`BucketLimit`): each request takes its endpoint cost; the
/// bucket refills at `refill_rate` tokens per second up to `bucket_capacity`; a request the
/// bucket cannot cover is answered 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct BucketLimit {
    /// Tokens added per second.
    pub refill_rate: u64,
    /// The most tokens the bucket holds (equal to `refill_rate`: one second of budget; more:
    /// burst headroom).
    pub bucket_capacity: u64,
}

impl BucketLimit {
    /// A budget of `refill_rate` tokens per second, holding at most `bucket_capacity`.
    pub fn new(refill_rate: u64, bucket_capacity: u64) -> Self {
        BucketLimit {
            refill_rate,
            bucket_capacity,
        }
    }
}

/// One active API usage level grant (`ApiUsageLevelGrant`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ApiUsageLevelGrant {
    /// The exchange lane the grant applies to.
    pub exchange_instance: ExchangeInstance,
    /// The level it confers (`expert`, `premier`, `prestige`, ...).
    pub level: String,
    /// Unix time (seconds) the grant expires; `None` for a permanent grant.
    #[serde(default)]
    pub expires_ts: Option<i64>,
    /// How it was created: `volume` (earned from trading volume) or `manual` (assigned by
    /// Kalshi).
    pub source: String,
}

/// The answer to [`GetAccountApiLimits`] and [`GetPerpsAccountApiLimits`]
/// (`GetAccountApiLimitsResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetAccountApiLimitsResponse {
    /// The effective usage tier of these limits (`basic`, `advanced`, `expert`, `premier`,
    /// `paragon`, `prime`, `prestige`).
    pub usage_tier: String,
    /// The Read bucket.
    pub read: BucketLimit,
    /// The Write bucket.
    pub write: BucketLimit,
    /// The active grants across exchange lanes.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub grants: Vec<ApiUsageLevelGrant>,
}

impl GetAccountApiLimitsResponse {
    /// The usage tier, if this version knows its name.
    pub fn tier(&self) -> Option<Tier> {
        Tier::parse(&self.usage_tier)
    }
}

impl Operation for GetAccountApiLimits {
    type Output = GetAccountApiLimitsResponse;
    const NAME: &'static str = "GetAccountApiLimits";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/account/limits");
    }
}

impl Operation for GetPerpsAccountApiLimits {
    type Output = GetAccountApiLimitsResponse;
    const NAME: &'static str = "GetPerpsAccountApiLimits";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/account/limits/perps");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetAccountApiLimits {
    fn full() -> Self {
        GetAccountApiLimits::new()
    }
    fn minimal() -> Self {
        GetAccountApiLimits::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetPerpsAccountApiLimits {
    fn full() -> Self {
        GetPerpsAccountApiLimits::new()
    }
    fn minimal() -> Self {
        GetPerpsAccountApiLimits::new()
    }
}
