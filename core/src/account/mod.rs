//! The account: API usage level, limits and endpoint costs.
//!
//! | operation | request |
//! |---|---|
//! | [`GetAccountApiLimits`] | `GET /account/limits` |
//! | [`GetPerpsAccountApiLimits`] | `GET /account/limits/perps` |
//! | [`GetAccountEndpointCosts`] | `GET /account/endpoint_costs` |
//! | [`GetAccountApiUsageLevelVolumeProgress`] | `GET /account/api_usage_level/volume_progress` |
//! | [`UpgradeAccountApiUsageLevel`] | `POST /account/api_usage_level/upgrade` |
//!
//! The answers of the first and third configure the client-side rate limiter with the
//! account's real budgets and costs: [`RateLimiter::from_account_limits`] and
//! [`EndpointCosts::from_response`].
//!
//! [`RateLimiter::from_account_limits`]: crate::rate_limit::RateLimiter::from_account_limits
//! [`EndpointCosts::from_response`]: crate::rate_limit::EndpointCosts::from_response

mod costs;
mod limits;
mod usage_level;

pub use costs::{EndpointTokenCost, GetAccountEndpointCosts, GetAccountEndpointCostsResponse};
pub use limits::{
    ApiUsageLevelGrant, BucketLimit, ExchangeInstance, GetAccountApiLimits,
    GetAccountApiLimitsResponse, GetPerpsAccountApiLimits,
};
pub use usage_level::{
    AccountApiUsageLevelVolumeGoal, AccountApiUsageLevelVolumeProgress,
    GetAccountApiUsageLevelVolumeProgress, GetAccountApiUsageLevelVolumeProgressResponse,
    UpgradeAccountApiUsageLevel,
};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetAccountApiLimits,
        GetPerpsAccountApiLimits,
        GetAccountEndpointCosts,
        GetAccountApiUsageLevelVolumeProgress,
        UpgradeAccountApiUsageLevel,
    ]
}
