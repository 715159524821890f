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
//!
//! # Signing backends
//!
//! The ordinary constructors ([`Credentials::from_pem`], [`Credentials::from_pem_file`],
//! [`Credentials::from_private_key`]) pick the best backend compiled in:
//!
//! - with the `aws-lc-rs` feature, `AwsLcSigner`: RSA on AWS-LC, constant-time, at OpenSSL
//!   speed, and the key goes from the wiped PEM buffer straight into AWS-LC. The transports
//!   (`kalshi-transport-ureq`, `kalshi-transport-hyper`) turn this feature on by default;
//! - without it (kalshi-core alone, pure Rust, no C compiler needed), [`RsaPssSigner`] on the
//!   `rsa` crate.
//!
//! [`Credentials::signer_name`] tells which one signs. [`Credentials::new`] takes any [`Signer`]
//! for another choice.

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

    /// Credentials for an already loaded key, signing with the best backend compiled in (see
    /// the [module docs](self)): AWS-LC with the `aws-lc-rs` feature, else the pure-Rust
    /// [`RsaPssSigner`].
    ///
    /// A [`PrivateKey`] has been parsed by the `rsa` crate; with AWS-LC, prefer
    /// [`Credentials::from_pem_file`] or [`Credentials::from_pem`], which hand the key to AWS-LC
    /// without that detour. With AWS-LC a key it refuses (RSA below 2048 or above 8192 bits,
    /// which Kalshi never issues) is an error; `Credentials::new(id,
    /// Arc::new(RsaPssSigner::new(key)))` still signs with it.
    pub fn from_private_key(key_id: impl Into<String>, key: PrivateKey) -> Result<Self, Error> {
        #[cfg(feature = "aws-lc-rs")]
        let signer: Arc<dyn Signer> = Arc::new(AwsLcSigner::new(&key)?);
        #[cfg(not(feature = "aws-lc-rs"))]
        let signer: Arc<dyn Signer> = Arc::new(RsaPssSigner::new(key));
        Self::new(key_id, signer)
    }

    /// Credentials from a key id and a PEM private key (PKCS#1 or PKCS#8) held in a string,
    /// signing with the best backend compiled in (see [`Credentials::from_private_key`]).
    ///
    /// With AWS-LC, the PEM is decoded into a buffer wiped on drop and parsed by AWS-LC alone
    /// (as `AwsLcSigner::from_pem` does); keys are refused with the same errors either way.
    pub fn from_pem(key_id: impl Into<String>, pem: &str) -> Result<Self, Error> {
        #[cfg(feature = "aws-lc-rs")]
        let signer: Arc<dyn Signer> = Arc::new(AwsLcSigner::from_pem(pem)?);
        #[cfg(not(feature = "aws-lc-rs"))]
        let signer: Arc<dyn Signer> = Arc::new(RsaPssSigner::new(PrivateKey::from_pem(pem)?));
        Self::new(key_id, signer)
    }

    /// Credentials from a key id and a PEM private key file (PKCS#1 or PKCS#8), signing with the
    /// best backend compiled in (see [`Credentials::from_private_key`]).
    ///
    /// The file is read into a buffer wiped on drop; with AWS-LC the key goes from there
    /// straight into AWS-LC.
    pub fn from_pem_file(
        key_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, Error> {
        #[cfg(feature = "aws-lc-rs")]
        let signer: Arc<dyn Signer> = Arc::new(AwsLcSigner::from_pem_file(path)?);
        #[cfg(not(feature = "aws-lc-rs"))]
        let signer: Arc<dyn Signer> = Arc::new(RsaPssSigner::new(PrivateKey::from_pem_file(path)?));
        Self::new(key_id, signer)
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

    /// The name of the backend that signs ([`Signer::name`]): [`RsaPssSigner::NAME`] for the
    /// pure-Rust `rsa` crate, `AwsLcSigner::NAME` (`"rsa-pss (aws-lc-rs)"`) for AWS-LC.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
    /// let credentials = kalshi_core::Credentials::from_pem("my-key-id", &pem)?;
    /// if cfg!(feature = "aws-lc-rs") {
    ///     assert_eq!(credentials.signer_name(), "rsa-pss (aws-lc-rs)");
    /// } else {
    ///     assert_eq!(credentials.signer_name(), "rsa-pss (rsa crate)");
    /// }
    /// # Ok::<(), kalshi_core::Error>(())
    /// ```
    pub fn signer_name(&self) -> &'static str {
        self.signer.name()
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
