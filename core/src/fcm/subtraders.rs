//! `GET /fcm/subtraders` and `POST /fcm/subtraders`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::valid_suffix;
use crate::operation::{Idempotency, Operation, PathWriter};
use crate::serde_util::null_as_empty;
use crate::{Error, ExchangeIndex};

/// The longest subtrader suffix (ASCII letters and digits).
pub const MAX_SUBTRADER_SUFFIX_LEN: usize = 16;

/// One of the FCM's subtraders (`FCMSubtrader`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FcmSubtrader {
    /// The full subtrader id (`{fcm_account_id}_{suffix}`).
    pub subtrader_id: String,
    /// The exchange shards it has been seen on.
    #[serde(deserialize_with = "null_as_empty")]
    pub exchange_indices: Vec<ExchangeIndex>,
    /// Whether it is blocked from trading, by anyone (the firm, Kalshi or the FCM).
    pub trading_blocked: bool,
    /// Whether the FCM's own block on it is configured.
    pub fcm_trading_blocked: bool,
    /// Whether a configured block is still waiting to reach the matching engine.
    pub propagation_pending: bool,
}

/// Lists the FCM's event-contract subtraders, including those without trades
/// (`ListFcmSubtraders`). New subtraders may take a moment to appear.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListFcmSubtraders {}

impl ListFcmSubtraders {
    /// The request (it has no parameters).
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`ListFcmSubtraders`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ListFcmSubtradersResponse {
    /// The subtraders.
    #[serde(deserialize_with = "null_as_empty")]
    pub subtraders: Vec<FcmSubtrader>,
}

impl Operation for ListFcmSubtraders {
    type Output = ListFcmSubtradersResponse;
    const NAME: &'static str = "ListFcmSubtraders";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders");
    }
}

/// Creates a subtrader on the event-contract exchange (`CreateFcmSubtrader`); its id becomes
/// `{fcm_account_id}_{subtrader_suffix}`. Answers `201`.
///
/// Creating an existing subtrader answers 409, so a repeat cannot create a second one: the
/// suffix is the idempotency key ([`Idempotency::IdempotentWithKey`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CreateFcmSubtrader {
    /// The new subtrader's suffix: 1 to 16 ASCII letters and digits, case-sensitive.
    pub subtrader_suffix: String,
}

impl CreateFcmSubtrader {
    /// A subtrader with this suffix.
    pub fn new(subtrader_suffix: impl Into<String>) -> Self {
        CreateFcmSubtrader {
            subtrader_suffix: subtrader_suffix.into(),
        }
    }
}

/// The answer to [`CreateFcmSubtrader`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CreateFcmSubtraderResponse {
    /// The new subtrader's full id.
    pub subtrader_id: String,
}

impl Operation for CreateFcmSubtrader {
    type Output = CreateFcmSubtraderResponse;
    const NAME: &'static str = "CreateFcmSubtrader";
    const METHOD: Method = Method::POST;
    const SUCCESS: StatusCode = StatusCode::CREATED;
    const IDEMPOTENCY: Idempotency = Idempotency::IdempotentWithKey;

    fn validate(&self) -> Result<(), Error> {
        if !valid_suffix(&self.subtrader_suffix) {
            return Err(Error::invalid(
                "subtrader_suffix",
                format!(
                    "{:?} is not 1 to {MAX_SUBTRADER_SUFFIX_LEN} ASCII letters and digits",
                    self.subtrader_suffix
                ),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for ListFcmSubtraders {
    fn full() -> Self {
        ListFcmSubtraders::new()
    }
    fn minimal() -> Self {
        ListFcmSubtraders::new()
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for CreateFcmSubtrader {
    fn full() -> Self {
        CreateFcmSubtrader::new("alice01")
    }
    fn minimal() -> Self {
        CreateFcmSubtrader::new("alice01")
    }
}
