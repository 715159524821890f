//! `GET /fcm/subtraders/blocked_categories` and `PUT /fcm/subtraders/blocked_categories`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::null_as_empty;
use crate::{Error, validate};

/// The longest event category, in characters.
pub const MAX_CATEGORY_LEN: usize = 100;

/// The event categories the FCM has blocked for one of its subtraders
/// (`GetFcmSubtraderBlockedCategories`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetFcmSubtraderBlockedCategories {
    /// The subtrader (it must belong to the FCM).
    pub subtrader_id: String,
}

impl GetFcmSubtraderBlockedCategories {
    /// The blocked categories of this subtrader.
    pub fn new(subtrader_id: impl Into<String>) -> Self {
        GetFcmSubtraderBlockedCategories {
            subtrader_id: subtrader_id.into(),
        }
    }
}

/// The answer to [`GetFcmSubtraderBlockedCategories`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetFcmSubtraderBlockedCategoriesResponse {
    /// The blocked categories, sorted; empty when none is.
    #[serde(deserialize_with = "null_as_empty")]
    pub categories: Vec<String>,
}

impl Operation for GetFcmSubtraderBlockedCategories {
    type Output = GetFcmSubtraderBlockedCategoriesResponse;
    const NAME: &'static str = "GetFcmSubtraderBlockedCategories";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("subtrader_id", &self.subtrader_id)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders/blocked_categories");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.pair("subtrader_id", &self.subtrader_id);
    }
}

/// Blocks one event category for one of the FCM's subtraders, or unblocks it
/// (`UpdateFcmSubtraderBlockedCategories`). Blocks apply to new orders through the subtrader's
/// bound keys; resting orders stay. Answers the full resulting set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UpdateFcmSubtraderBlockedCategories {
    /// The subtrader (it must belong to the FCM).
    pub subtrader_id: String,
    /// One event category (`Politics`), 1 to 100 characters.
    pub category: String,
    /// True blocks it; false unblocks it (unblocking one not blocked does nothing).
    pub blocked: bool,
}

impl UpdateFcmSubtraderBlockedCategories {
    /// Blocks `category` for the subtrader.
    pub fn block(subtrader_id: impl Into<String>, category: impl Into<String>) -> Self {
        UpdateFcmSubtraderBlockedCategories {
            subtrader_id: subtrader_id.into(),
            category: category.into(),
            blocked: true,
        }
    }

    /// Unblocks `category` for the subtrader.
    pub fn unblock(subtrader_id: impl Into<String>, category: impl Into<String>) -> Self {
        UpdateFcmSubtraderBlockedCategories {
            blocked: false,
            ..Self::block(subtrader_id, category)
        }
    }
}

/// The answer to [`UpdateFcmSubtraderBlockedCategories`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct UpdateFcmSubtraderBlockedCategoriesResponse {
    /// The subtrader's blocked categories after the change, sorted.
    #[serde(deserialize_with = "null_as_empty")]
    pub categories: Vec<String>,
}

impl Operation for UpdateFcmSubtraderBlockedCategories {
    type Output = UpdateFcmSubtraderBlockedCategoriesResponse;
    const NAME: &'static str = "UpdateFcmSubtraderBlockedCategories";
    const METHOD: Method = Method::PUT;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::non_empty("subtrader_id", &self.subtrader_id)?;
        validate::non_empty("category", &self.category)?;
        let n = self.category.chars().count();
        if n > MAX_CATEGORY_LEN {
            return Err(Error::invalid(
                "category",
                format!("{n} characters; at most {MAX_CATEGORY_LEN}"),
            ));
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/fcm/subtraders/blocked_categories");
    }

    fn write_body(&self, out: &mut Vec<u8>) -> Result<bool, Error> {
        serde_json::to_writer(out, self).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(true)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFcmSubtraderBlockedCategories {
    fn full() -> Self {
        GetFcmSubtraderBlockedCategories::new("fcm1_alice")
    }
    fn minimal() -> Self {
        GetFcmSubtraderBlockedCategories::new("fcm1_alice")
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for UpdateFcmSubtraderBlockedCategories {
    fn full() -> Self {
        UpdateFcmSubtraderBlockedCategories::block("fcm1_alice", "Politics")
    }
    fn minimal() -> Self {
        UpdateFcmSubtraderBlockedCategories::block("fcm1_alice", "Politics")
    }
}
