//! API keys: list, create, generate and delete.
//!
//! | operation | request |
//! |---|---|
//! | [`GetApiKeys`] | `GET /api_keys` |
//! | [`CreateApiKey`] | `POST /api_keys` |
//! | [`GenerateApiKey`] | `POST /api_keys/generate` |
//! | [`DeleteApiKey`] | `DELETE /api_keys/{api_key}` |
//!
//! [`CreateApiKey`] registers a public key whose private half the caller keeps;
//! [`GenerateApiKey`] has the exchange make the pair and answers the private key once, as a
//! [`GeneratedPrivateKey`] (zeroized on drop, never shown by `Debug`) that becomes
//! [`Credentials`](crate::Credentials) with [`GenerateApiKeyResponse::into_credentials`].

mod create;
mod delete;
mod list;

pub use create::{
    CreateApiKey, CreateApiKeyResponse, GenerateApiKey, GenerateApiKeyResponse, GeneratedPrivateKey,
};
pub use delete::DeleteApiKey;
pub use list::{ApiKey, ApiKeyScope, GetApiKeys, GetApiKeysResponse};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![GetApiKeys, CreateApiKey, GenerateApiKey, DeleteApiKey]
}
