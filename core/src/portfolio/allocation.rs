//! `GET` and `POST /portfolio/target_balance_allocation`: how the sweepable balance is spread
//! over exchange shards.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::response::EmptyResponse;
use crate::serde_util::null_as_empty;
use crate::{Error, ExchangeIndex, validate};

/// The most entries [`SetTargetBalanceAllocation`] accepts.
const MAX_ALLOCATIONS: usize = 101;

/// One shard's share of the sweepable balance (`TargetBalanceAllocation`; the request's
/// `TargetBalanceAllocationInput` has the same fields).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TargetBalanceAllocation {
    /// The exchange shard that receives this share (0 or more).
    pub exchange_index: ExchangeIndex,
    /// Its target share of the sweepable balance, in percent (0..=100).
    pub percent: u32,
}

impl TargetBalanceAllocation {
    /// `percent` percent of the sweepable balance on shard `exchange_index`.
    pub fn new(exchange_index: impl Into<ExchangeIndex>, percent: u32) -> Self {
        TargetBalanceAllocation {
            exchange_index: exchange_index.into(),
            percent,
        }
    }
}

/// The caller's target balance allocation across exchange shards
/// (`GetTargetBalanceAllocation`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetTargetBalanceAllocation {}

impl GetTargetBalanceAllocation {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`GetTargetBalanceAllocation`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetTargetBalanceAllocationResponse {
    /// The shares per shard; empty when automatic rebalancing is off.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub allocations: Vec<TargetBalanceAllocation>,
}

impl Operation for GetTargetBalanceAllocation {
    type Output = GetTargetBalanceAllocationResponse;
    const NAME: &'static str = "GetTargetBalanceAllocation";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/target_balance_allocation");
    }
}

/// Replaces the caller's target balance allocation (`SetTargetBalanceAllocation`).
///
/// The percentages must total 100; an empty list turns automatic rebalancing off. At most 101
/// entries. Idempotent: the allocation is replaced as a whole, so a repeat leaves the same state.
///
/// ```
/// use kalshi_core::portfolio::{SetTargetBalanceAllocation, TargetBalanceAllocation};
/// let op = SetTargetBalanceAllocation::new(vec![
///     TargetBalanceAllocation::new(0u32, 70),
///     TargetBalanceAllocation::new(1u32, 30),
/// ]);
/// assert_eq!(op.allocations.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct SetTargetBalanceAllocation {
    /// The new shares per shard (percentages totalling 100), or empty to turn rebalancing off.
    pub allocations: Vec<TargetBalanceAllocation>,
}

impl SetTargetBalanceAllocation {
    /// Sets these shares.
    pub fn new(allocations: Vec<TargetBalanceAllocation>) -> Self {
        SetTargetBalanceAllocation { allocations }
    }

    /// Turns automatic rebalancing off (an empty allocation).
    pub fn disable() -> Self {
        Self::default()
    }
}

impl Operation for SetTargetBalanceAllocation {
    type Output = EmptyResponse;
    const NAME: &'static str = "SetTargetBalanceAllocation";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        if self.allocations.len() > MAX_ALLOCATIONS {
            return Err(Error::invalid(
                "allocations",
                format!(
                    "{} entries; at most {MAX_ALLOCATIONS}",
                    self.allocations.len()
                ),
            ));
        }
        for a in &self.allocations {
            validate::exchange_shard(Some(a.exchange_index))?;
            if a.percent > 100 {
                return Err(Error::invalid(
                    "percent",
                    format!("{} is outside 0..=100", a.percent),
                ));
            }
        }
        let total: u32 = self.allocations.iter().map(|a| a.percent).sum();
        if !self.allocations.is_empty() && total != 100 {
            return Err(Error::invalid(
                "allocations",
                format!("the percentages total {total}, not 100 (an empty list disables)"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/target_balance_allocation");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetTargetBalanceAllocation {
    fn full() -> Self {
        GetTargetBalanceAllocation::new()
    }
    fn minimal() -> Self {
        GetTargetBalanceAllocation::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for SetTargetBalanceAllocation {
    fn full() -> Self {
        SetTargetBalanceAllocation::new(vec![
            TargetBalanceAllocation::new(0u32, 60),
            TargetBalanceAllocation::new(1u32, 40),
        ])
    }
    fn minimal() -> Self {
        SetTargetBalanceAllocation::disable()
    }
}
