//! Request authentication: Kalshi's RSA-PSS request signatures.
//!
//! Every authenticated request carries three headers:
//!
//! | header | value |
//! |---|---|
//! | `KALSHI-ACCESS-KEY` | the API key id |
//! | `KALSHI-ACCESS-TIMESTAMP` | the request time in milliseconds since the Unix epoch |
//! | `KALSHI-ACCESS-SIGNATURE` | base64 of RSA-PSS(SHA-256, MGF1-SHA-256, salt 32) over `timestamp + METHOD + path` |
//!
//! where `path` is the full URL path from the root (`/trade-api/v2/...`), exactly as sent, without
//! the query string. [`signing_message`] builds that message; a [`Signer`] signs it; a
//! [`VerifyingKey`] checks it (the simulator uses it, and so can your own tests).
//!
//! The key material lives in [`PrivateKey`], which never prints itself.

#[cfg(feature = "aws-lc-rs")]
mod aws_lc;
mod key;
mod sign_ahead;
mod signer;
mod verify;

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "aws-lc-rs")]
pub use aws_lc::AwsLcSigner;
pub use key::PrivateKey;
pub use sign_ahead::{SignAheadConfig, SignAheadPool};
pub use signer::{RsaPssSigner, Signer};
pub use verify::{SignatureError, VerifyingKey};

use crate::Error;

/// Header carrying the API key id.
pub const HEADER_ACCESS_KEY: &str = "KALSHI-ACCESS-KEY";
/// Header carrying the request timestamp in milliseconds.
pub const HEADER_ACCESS_TIMESTAMP: &str = "KALSHI-ACCESS-TIMESTAMP";
/// Header carrying the base64 RSA-PSS signature.
pub const HEADER_ACCESS_SIGNATURE: &str = "KALSHI-ACCESS-SIGNATURE";

/// Builds the exact byte string Kalshi expects to be signed: `timestamp_ms + METHOD + path`.
///
/// `path` must be the path as sent (already percent-encoded), from the root, without the query;
/// anything from the first `?` on is dropped here as a safety net.
///
/// ```
/// let msg = kalshi_core::auth::signing_message(1703123456789, "GET", "/trade-api/v2/portfolio/balance?x=1");
/// assert_eq!(msg, b"1703123456789GET/trade-api/v2/portfolio/balance");
/// ```
pub fn signing_message(timestamp_ms: u64, method: &str, path: &str) -> Vec<u8> {
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let mut out = Vec::with_capacity(20 + method.len() + path.len());
    out.extend_from_slice(timestamp_ms.to_string().as_bytes());
    out.extend_from_slice(method.as_bytes());
    out.extend_from_slice(path.as_bytes());
    out
}

/// An API key id together with the signer that holds its private key.
///
/// Cheap to clone (the signer is shared). `Debug` shows the key id only.
#[derive(Clone)]
pub struct Credentials {
    key_id: String,
    key_header: http::HeaderValue,
    signer: Arc<dyn Signer>,
}

impl Credentials {
    /// Credentials from a key id and any [`Signer`] backend.
    ///
    /// The key id is refused if it is empty or cannot be sent as an HTTP header value.
    pub fn new(key_id: impl Into<String>, signer: Arc<dyn Signer>) -> Result<Self, Error> {
        let key_id = key_id.into();
        if key_id.is_empty() {
            return Err(Error::invalid("key_id", "the API key id is empty"));
        }
        let key_header = http::HeaderValue::from_str(&key_id).map_err(|_| {
            Error::invalid(
                "key_id",
                "the API key id contains characters not allowed in an HTTP header",
            )
        })?;
        Ok(Credentials {
            key_id,
            key_header,
            signer,
        })
    }

    /// Credentials that sign with the default pure-Rust RSA-PSS backend.
    pub fn from_private_key(key_id: impl Into<String>, key: PrivateKey) -> Result<Self, Error> {
        Self::new(key_id, Arc::new(RsaPssSigner::new(key)))
    }

    /// Credentials from a key id and a PEM private key (PKCS#1 or PKCS#8) held in a string.
    pub fn from_pem(key_id: impl Into<String>, pem: &str) -> Result<Self, Error> {
        Self::from_private_key(key_id, PrivateKey::from_pem(pem)?)
    }

    /// Credentials from a key id and a PEM private key file (PKCS#1 or PKCS#8).
    pub fn from_pem_file(
        key_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, Error> {
        Self::from_private_key(key_id, PrivateKey::from_pem_file(path)?)
    }

    /// The API key id sent in `KALSHI-ACCESS-KEY`.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The key id as a header value.
    pub(crate) fn key_header(&self) -> &http::HeaderValue {
        &self.key_header
    }

    /// The signer backend.
    pub fn signer(&self) -> &Arc<dyn Signer> {
        &self.signer
    }

    /// Signs `timestamp + method + path` and returns the base64 signature.
    pub fn sign(&self, timestamp_ms: u64, method: &str, path: &str) -> Result<String, Error> {
        self.signer
            .sign(&signing_message(timestamp_ms, method, path))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("key_id", &self.key_id)
            .field("signer", &self.signer.name())
            .finish()
    }
}

#[cfg(test)]
mod tests;
