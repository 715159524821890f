//! The signing trait and the default pure-Rust RSA-PSS backend.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::signature::{SignatureEncoding, Signer as _};
use sha2::Sha256;

use super::PrivateKey;
use crate::Error;

/// A backend that produces Kalshi request signatures.
///
/// Implementations sign `message` with RSA-PSS (SHA-256, MGF1-SHA-256, salt length 32) and
/// return the signature in standard base64. Endpoints never see the backend: another one (a
/// faster crypto library, an HSM, a pool of precomputed signatures) plugs in here.
pub trait Signer: Send + Sync {
    /// Signs `message` and returns the standard-base64 signature.
    fn sign(&self, message: &[u8]) -> Result<String, Error>;

    /// A short name for the backend, shown in `Debug` output.
    fn name(&self) -> &'static str {
        "custom"
    }
}

/// The pure-Rust backend: RSA-PSS from the `rsa` crate, salt length 32. The ordinary
/// constructors of [`Credentials`](super::Credentials) use it when kalshi-core is built without
/// the `aws-lc-rs` feature.
#[derive(Clone)]
pub struct RsaPssSigner {
    key: rsa::pss::SigningKey<Sha256>,
}

impl RsaPssSigner {
    /// Its [`Signer::name`].
    pub const NAME: &'static str = "rsa-pss (rsa crate)";

    /// A signer for `key`.
    pub fn new(key: PrivateKey) -> Self {
        RsaPssSigner {
            key: rsa::pss::SigningKey::<Sha256>::new_with_salt_len(key.inner, 32),
        }
    }
}

impl Signer for RsaPssSigner {
    fn sign(&self, message: &[u8]) -> Result<String, Error> {
        let sig = self
            .key
            .try_sign(message)
            .map_err(|e| Error::Signing(format!("RSA-PSS signing failed: {e}")))?;
        Ok(STANDARD.encode(sig.to_bytes()))
    }

    fn name(&self) -> &'static str {
        Self::NAME
    }
}

impl fmt::Debug for RsaPssSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RsaPssSigner { .. }")
    }
}
