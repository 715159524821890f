//! `POST /portfolio/order_groups/create`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::validate;
use crate::ExchangeIndex;
use crate::operation::{Idempotency, Operation, PathWriter};
use crate::{Error, FixedPointCount};

/// Creates an order group with a contracts limit over a rolling 15-second window
/// (`CreateOrderGroup`). Answers `201` with the new group's id.
///
/// Give `contracts_limit` (whole contracts), `contracts_limit_fp`, or both (then they must be
/// equal). Not idempotent: the exchange has no idempotency key for it, so it is never repeated
/// automatically.
///
/// ```
/// use kalshi_core::order_groups::CreateOrderGroup;
/// let op = CreateOrderGroup::new(25).subaccount(2);
/// assert_eq!(op.contracts_limit, Some(25));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub struct CreateOrderGroup {
    /// Subaccount that owns the group (0 primary, 1–63); omitted means the key's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subaccount: Option<u32>,
    /// The limit in whole contracts, 1..=1,000,000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contracts_limit: Option<u64>,
    /// The limit as a fixed-point count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contracts_limit_fp: Option<FixedPointCount>,
    /// The exchange shard (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<ExchangeIndex>,
}

impl CreateOrderGroup {
    /// A group limited to `contracts_limit` whole contracts per rolling 15 seconds.
    pub fn new(contracts_limit: u64) -> Self {
        CreateOrderGroup {
            contracts_limit: Some(contracts_limit),
            ..Default::default()
        }
    }

    /// A group whose limit is given only as a fixed-point count.
    pub fn with_limit_fp(contracts_limit_fp: FixedPointCount) -> Self {
        CreateOrderGroup {
            contracts_limit_fp: Some(contracts_limit_fp),
            ..Default::default()
        }
    }

    /// Sets `contracts_limit_fp` as well (it must equal `contracts_limit` if both are set).
    pub fn contracts_limit_fp(mut self, limit: FixedPointCount) -> Self {
        self.contracts_limit_fp = Some(limit);
        self
    }

    /// Sets the owning subaccount (0 primary, 1–63).
    pub fn subaccount(mut self, subaccount: u32) -> Self {
        self.subaccount = Some(subaccount);
        self
    }

    /// Sets the exchange shard.
    pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
        self.exchange_index = Some(exchange_index.into());
        self
    }
}

/// The answer to [`CreateOrderGroup`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateOrderGroupResponse {
    /// The new group's id.
    pub order_group_id: String,
    /// The subaccount that owns it (absent in older answers: then 0).
    #[serde(default)]
    pub subaccount: u32,
    /// The exchange shard it lives on.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}

impl Operation for CreateOrderGroup {
    type Output = CreateOrderGroupResponse;
    const NAME: &'static str = "CreateOrderGroup";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::contracts_limit(self.contracts_limit, self.contracts_limit_fp)?;
        crate::validate::subaccount(self.subaccount)?;
        crate::validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/order_groups/create");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateOrderGroup {
    fn full() -> Self {
        CreateOrderGroup::new(25)
            .contracts_limit_fp(FixedPointCount::from_whole(25))
            .subaccount(2)
            .exchange_index(0)
    }
    fn minimal() -> Self {
        CreateOrderGroup::new(25)
    }
}
