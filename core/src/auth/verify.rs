//! Strict verification of Kalshi request signatures.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier as _;
use sha2::Sha256;

use super::key::pem_label;
use crate::Error;

/// Why a signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature header is not standard base64.
    NotBase64,
    /// The decoded signature does not have the modulus length.
    WrongLength {
        /// Bytes expected (the modulus size).
        expected: usize,
        /// Bytes received.
        actual: usize,
    },
    /// The signature does not verify for this message and key (wrong key, wrong message, wrong
    /// salt length, wrong padding).
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::NotBase64 => f.write_str("signature is not standard base64"),
            SignatureError::WrongLength { expected, actual } => {
                write!(f, "signature is {actual} bytes, expected {expected}")
            }
            SignatureError::Mismatch => f.write_str("signature does not verify"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// An RSA public key that verifies Kalshi request signatures strictly: RSA-PSS, SHA-256,
/// MGF1-SHA-256 and a salt of exactly 32 bytes.
#[derive(Clone)]
pub struct VerifyingKey {
    key: rsa::pss::VerifyingKey<Sha256>,
    modulus_len: usize,
}

impl VerifyingKey {
    pub(crate) fn from_rsa(key: rsa::PublicKey) -> Self {
        use rsa::traits::PublicKeyParts;
        let modulus_len = key.size();
        VerifyingKey {
            key: rsa::pss::VerifyingKey::new_with_salt_len(key, 32),
            modulus_len,
        }
    }

    /// Parses a PEM public key: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1 (`BEGIN RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let key = match pem_label(pem) {
            Some("PUBLIC KEY") => rsa::PublicKey::from_public_key_pem(pem)
                .map_err(|e| Error::InvalidKey(format!("malformed RSA public key: {e}")))?,
            Some("RSA PUBLIC KEY") => rsa::PublicKey::from_pkcs1_pem(pem)
                .map_err(|e| Error::InvalidKey(format!("malformed RSA public key: {e}")))?,
            Some(other) => {
                return Err(Error::InvalidKey(format!(
                    "expected a PEM public key, found `{}`",
                    other.chars().take(40).collect::<String>()
                )));
            }
            None => return Err(Error::InvalidKey("no PEM block found".into())),
        };
        Ok(Self::from_rsa(key))
    }

    /// Verifies a base64 signature over `message`.
    pub fn verify(&self, message: &[u8], signature_b64: &str) -> Result<(), SignatureError> {
        let raw = STANDARD
            .decode(signature_b64.trim())
            .map_err(|_| SignatureError::NotBase64)?;
        if raw.len() != self.modulus_len {
            return Err(SignatureError::WrongLength {
                expected: self.modulus_len,
                actual: raw.len(),
            });
        }
        let sig =
            rsa::pss::Signature::try_from(raw.as_slice()).map_err(|_| SignatureError::Mismatch)?;
        self.key
            .verify(message, &sig)
            .map_err(|_| SignatureError::Mismatch)
    }

    /// Verifies a request signature: rebuilds `timestamp + method + path` (query dropped) and
    /// checks `signature_b64` against it.
    pub fn verify_request(
        &self,
        timestamp_ms: u64,
        method: &str,
        path: &str,
        signature_b64: &str,
    ) -> Result<(), SignatureError> {
        self.verify(
            &super::signing_message(timestamp_ms, method, path),
            signature_b64,
        )
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey {{ bits: {} }}", self.modulus_len * 8)
    }
}
