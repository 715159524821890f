//! `GET /exchange/user_data_timestamp`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::operation::{Idempotency, Operation, PathWriter};

/// When the data behind `GetBalance`, `GetOrder(s)`, `GetFills` and `GetPositions` was last
/// validated (`GetUserDataTimestamp`). Those reads lag the exchange slightly; combine write
/// answers with WebSocket data for the freshest view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetUserDataTimestamp {}

impl GetUserDataTimestamp {
    /// The user-data timestamp.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer to [`GetUserDataTimestamp`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetUserDataTimestampResponse {
    /// When the user data was last updated (approximately).
    #[serde(deserialize_with = "crate::serde_util::time")]
    pub as_of_time: jiff::Timestamp,
}

impl Operation for GetUserDataTimestamp {
    type Output = GetUserDataTimestampResponse;
    const NAME: &'static str = "GetUserDataTimestamp";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/exchange/user_data_timestamp");
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetUserDataTimestamp {
    fn full() -> Self {
        GetUserDataTimestamp::new()
    }
    fn minimal() -> Self {
        GetUserDataTimestamp::new()
    }
}
