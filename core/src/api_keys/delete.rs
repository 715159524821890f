//! `DELETE /api_keys/{api_key}`

use http::{Method, StatusCode};

use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, validate_id};
use crate::response::EmptyResponse;

/// Deletes an API key for good (`DeleteApiKey`): requests signed with it are refused from then
/// on. Answers `204`.
///
/// Idempotent in effect: a repeat after success answers 404.
///
/// ```
/// use kalshi_core::api_keys::DeleteApiKey;
/// let op = DeleteApiKey::new("a952bcbe-ec3b-4b5b-b8f9-11dae589608c");
/// assert_eq!(op.api_key, "a952bcbe-ec3b-4b5b-b8f9-11dae589608c");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeleteApiKey {
    /// The id of the key to delete (percent-encoded into the path).
    pub api_key: String,
}

impl DeleteApiKey {
    /// Deletes the key with this id.
    pub fn new(api_key: impl Into<String>) -> Self {
        DeleteApiKey {
            api_key: api_key.into(),
        }
    }
}

impl Operation for DeleteApiKey {
    type Output = EmptyResponse;
    const NAME: &'static str = "DeleteApiKey";
    const METHOD: Method = Method::DELETE;
    const SUCCESS: StatusCode = StatusCode::NO_CONTENT;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;
    const EMPTY_BODY_OK: bool = true;

    fn validate(&self) -> Result<(), Error> {
        validate_id("api_key", &self.api_key)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/api_keys/").segment(&self.api_key);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for DeleteApiKey {
    fn full() -> Self {
        DeleteApiKey::new("a952bcbe-ec3b-4b5b-b8f9-11dae589608c")
    }
    fn minimal() -> Self {
        Self::full()
    }
}
