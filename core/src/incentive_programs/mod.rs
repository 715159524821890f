//! Incentive programs: the exchange's reward programs for liquidity and volume on given
//! markets.
//!
//! | operation | request |
//! |---|---|
//! | [`GetIncentivePrograms`] | `GET /incentive_programs` |
//!
//! Rewards are in centi-cents (hundredths of a cent: `period_reward` 1_000_000 is $100).

mod list;

pub use list::{
    GetIncentivePrograms, GetIncentiveProgramsResponse, IncentiveProgram, IncentiveStatusFilter,
    IncentiveType, IncentiveTypeFilter, MAX_INCENTIVE_PROGRAMS_LIMIT,
};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![GetIncentivePrograms]
}
