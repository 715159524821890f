//! `GET` and `PUT /portfolio/subaccounts/netting`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::response::EmptyResponse;
use crate::serde_util::null_as_empty;
use crate::{Error, ExchangeIndex};

/// The netting setting of every subaccount (`GetSubaccountNetting`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetSubaccountNetting {}

impl GetSubaccountNetting {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// One subaccount's netting setting (`SubaccountNettingConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SubaccountNettingConfig {
    /// The subaccount (0 primary, 1–63).
    pub subaccount_number: u32,
    /// Whether netting is enabled for it.
    pub enabled: bool,
    /// The subaccount's exchange shard.
    pub exchange_index: ExchangeIndex,
}

/// The answer to [`GetSubaccountNetting`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetSubaccountNettingResponse {
    /// One entry per subaccount.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub netting_configs: Vec<SubaccountNettingConfig>,
}

impl Operation for GetSubaccountNetting {
    type Output = GetSubaccountNettingResponse;
    const NAME: &'static str = "GetSubaccountNetting";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/netting");
    }
}

/// Turns netting on or off for one subaccount (`UpdateSubaccountNetting`). Idempotent: a
/// repeat sets the same value.
///
/// ```
/// let op = kalshi_core::portfolio::UpdateSubaccountNetting::new(2, true);
/// assert!(op.enabled);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UpdateSubaccountNetting {
    /// The subaccount (0 primary, 1–63).
    pub subaccount_number: u32,
    /// Whether netting is enabled for it.
    pub enabled: bool,
}

impl UpdateSubaccountNetting {
    /// Sets netting of subaccount `subaccount_number` to `enabled`.
    pub fn new(subaccount_number: u32, enabled: bool) -> Self {
        UpdateSubaccountNetting {
            subaccount_number,
            enabled,
        }
    }
}

impl Operation for UpdateSubaccountNetting {
    type Output = EmptyResponse;
    const NAME: &'static str = "UpdateSubaccountNetting";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        super::subaccount_number("subaccount_number", self.subaccount_number)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts/netting");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetSubaccountNetting {
    fn full() -> Self {
        GetSubaccountNetting::new()
    }
    fn minimal() -> Self {
        GetSubaccountNetting::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for UpdateSubaccountNetting {
    fn full() -> Self {
        UpdateSubaccountNetting::new(2, true)
    }
    fn minimal() -> Self {
        UpdateSubaccountNetting::new(0, false)
    }
}
