//! `DELETE`, `GET` and `PUT /fcm/subtraders/event_contract_daily_cap`
//!
//! A subtrader's daily premium cap bounds its net premium at risk per trading day on the
//! sessions of its bound API keys, where it is mandatory: without a cap, those keys cannot
//! trade. Executed utilization resets at midnight New York time; resting and pending orders
//! reserve their worst-case cost plus fees for as long as they are open.

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::{EmptyResponse, Error, FixedPointDollars, validate};

/// A subtrader's daily premium cap and its use today (`GetFcmEventContractDailyCap`). Answers
/// 404 when the subtrader has no cap (its bound keys then cannot trade).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetFcmEventContractDailyCap {
    /// The subtrader (it must belong to the FCM). Optional for a key bound to a subtrader:
    /// then it defaults to that one, and must equal it when given.
    pub subtrader_id: Option<String>,
}

impl GetFcmEventContractDailyCap {
    /// The cap of this subtrader.
    pub fn new(subtrader_id: impl Into<String>) -> Self {
        GetFcmEventContractDailyCap {
            subtrader_id: Some(subtrader_id.into()),
        }
    }

    /// The cap of the subtrader the key is bound to.
    pub fn bound() -> Self {
        Self::default()
    }
}

/// The answer to [`GetFcmEventContractDailyCap`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetFcmEventContractDailyCapResponse {
    /// The subtrader.
    pub subtrader_id: String,
    /// The cap, in dollars of net premium per trading day.
    pub limit: FixedPointDollars,
    /// Net premium deployed by today's fills (sells and settlements credit back).
    pub executed_utilization: FixedPointDollars,
    /// Reserved by resting orders.
    pub resting_order_utilization: FixedPointDollars,
    /// Reserved by orders in flight.
    pub pending_order_utilization: FixedPointDollars,
    /// The New York calendar date the executed utilization is for, as the exchange writes it
    /// (`2026-12-06`; the SDK gives no format, so it is kept as text).
    pub cap_date: String,
}

impl Operation for GetFcmEventContractDailyCap {
    type Output = GetFcmEventContractDailyCapResponse;
    const NAME: &'static str = "GetFcmEventContractDailyCap";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        match &self.subtrader_id {
            Some(id) => validate::non_empty("subtrader_id", id),
            None => Ok(()),
        }
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders/event_contract_daily_cap");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("subtrader_id", self.subtrader_id.as_deref());
    }
}

/// Sets a subtrader's daily premium cap (`UpdateFcmEventContractDailyCap`). It takes effect at
/// once; resting orders are never cancelled by it. Answers `{}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UpdateFcmEventContractDailyCap {
    /// The subtrader (it must belong to the FCM).
    pub subtrader_id: String,
    /// The cap, in dollars of net premium per trading day (not negative).
    pub limit: FixedPointDollars,
}

impl UpdateFcmEventContractDailyCap {
    /// Sets the subtrader's cap to `limit` dollars.
    pub fn new(subtrader_id: impl Into<String>, limit: FixedPointDollars) -> Self {
        UpdateFcmEventContractDailyCap {
            subtrader_id: subtrader_id.into(),
            limit,
        }
    }
}

impl Operation for UpdateFcmEventContractDailyCap {
    type Output = EmptyResponse;
    const NAME: &'static str = "UpdateFcmEventContractDailyCap";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("subtrader_id", &self.subtrader_id)?;
        if self.limit < FixedPointDollars::ZERO {
            return Err(Error::invalid(
                "limit",
                format!("{} is negative", self.limit),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders/event_contract_daily_cap");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

/// Removes a subtrader's daily premium cap (`DeleteFcmEventContractDailyCap`): its bound keys
/// then cannot place orders until a cap is set again (orders the FCM's own unbound sessions
/// place for it are not stopped). Answers `{}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteFcmEventContractDailyCap {
    /// The subtrader (it must belong to the FCM).
    pub subtrader_id: String,
}

impl DeleteFcmEventContractDailyCap {
    /// Removes the cap of this subtrader.
    pub fn new(subtrader_id: impl Into<String>) -> Self {
        DeleteFcmEventContractDailyCap {
            subtrader_id: subtrader_id.into(),
        }
    }
}

impl Operation for DeleteFcmEventContractDailyCap {
    type Output = EmptyResponse;
    const NAME: &'static str = "DeleteFcmEventContractDailyCap";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("subtrader_id", &self.subtrader_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders/event_contract_daily_cap");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("subtrader_id", &self.subtrader_id);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFcmEventContractDailyCap {
    fn full() -> Self {
        GetFcmEventContractDailyCap::new("fcm1_alice")
    }
    fn minimal() -> Self {
        GetFcmEventContractDailyCap::bound()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for UpdateFcmEventContractDailyCap {
    fn full() -> Self {
        UpdateFcmEventContractDailyCap::new("fcm1_alice", "2500.00".parse().unwrap())
    }
    fn minimal() -> Self {
        UpdateFcmEventContractDailyCap::new("fcm1_alice", "2500.00".parse().unwrap())
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for DeleteFcmEventContractDailyCap {
    fn full() -> Self {
        DeleteFcmEventContractDailyCap::new("fcm1_alice")
    }
    fn minimal() -> Self {
        DeleteFcmEventContractDailyCap::new("fcm1_alice")
    }
}
