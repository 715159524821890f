//! `POST /portfolio/subaccounts`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};
use crate::{Error, ExchangeIndex, validate};

/// Creates the next numbered subaccount (`CreateSubaccount`). Answers `201` with its number;
/// subaccounts are numbered 1, 2, ... up to 63 (0 is the primary account). Needs the Advanced
/// API tier or above.
///
/// Not idempotent: the request has no idempotency key, and a repeat creates another subaccount,
/// so it is never repeated automatically.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct CreateSubaccount {
    /// The exchange shard (the exchange defaults to 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_index: Option<ExchangeIndex>,
}

impl CreateSubaccount {
    /// A new subaccount on shard 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the exchange shard (a shard number; auto-route is refused before signing).
    pub fn exchange_index(mut self, exchange_index: impl Into<ExchangeIndex>) -> Self {
        self.exchange_index = Some(exchange_index.into());
        self
    }
}

/// The answer to [`CreateSubaccount`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateSubaccountResponse {
    /// The new subaccount's number (1–63).
    pub subaccount_number: u32,
}

impl Operation for CreateSubaccount {
    type Output = CreateSubaccountResponse;
    const NAME: &'static str = "CreateSubaccount";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::NotIdempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/subaccounts");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateSubaccount {
    fn full() -> Self {
        CreateSubaccount::new().exchange_index(0)
    }
    fn minimal() -> Self {
        CreateSubaccount::new()
    }
}
