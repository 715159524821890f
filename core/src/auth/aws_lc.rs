//! A faster RSA-PSS backend on AWS-LC (feature `aws-lc-rs`).
//!
//! [`AwsLcSigner`] signs with AWS-LC's RSA at OpenSSL-class speed (on the project's benchmark
//! machine about 0.25 ms per signature against 2.3 ms for the pure-Rust default; see
//! `BENCHMARKS.md`). It accepts the keys the default backend accepts (PKCS#1 or PKCS#8 PEM) and
//! refuses the others with the same errors.
//!
//! It is also the backend to pick where key hygiene matters most: [`AwsLcSigner::from_pem`] and
//! [`AwsLcSigner::from_pem_file`] hand the DER straight to AWS-LC (decoded into a zeroizing
//! buffer), so the key never passes through the `rsa` crate, whose key loading and signing
//! leave copies of the primes in freed heap memory (version 0.10.0; found by
//! `tests/tests/zeroize_on_drop.rs`). AWS-LC keeps the key in its own heap and wipes it on free.
//!
//! Building it compiles AWS-LC's C sources with the system C compiler (`cc`/`gcc`/`clang`);
//! on Linux x86-64 and aarch64 no `cmake`, Go or NASM is needed.

use std::fmt;
use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PSS_SHA256, RsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::pkcs8::SecretDocument;

use super::{Credentials, PrivateKey, Signer};
use crate::Error;

/// RSA-PSS (SHA-256, MGF1-SHA-256, salt length 32) on AWS-LC.
///
/// A drop-in [`Signer`]: its signatures verify with [`VerifyingKey`](super::VerifyingKey) like
/// the default backend's. `Debug` shows the modulus size only.
///
/// ```
/// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
/// use kalshi_core::auth::{AwsLcSigner, Signer};
/// let signer = AwsLcSigner::from_pem(&pem)?;
/// let sig = signer.sign(b"1703123456789GET/trade-api/v2/portfolio/balance")?;
/// assert_eq!(sig.len(), 344); // 256 bytes in base64
/// # Ok::<(), kalshi_core::Error>(())
/// ```
pub struct AwsLcSigner {
    key: RsaKeyPair,
    rng: SystemRandom,
}

impl AwsLcSigner {
    /// A signer for an RSA private key in PEM (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8
    /// `BEGIN PRIVATE KEY`); refused like [`PrivateKey::from_pem`] refuses it.
    ///
    /// The PEM is decoded into a zeroizing buffer and parsed by AWS-LC alone.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let key = SecretDocument::from_pem(pem)
            .ok()
            .and_then(|(label, der)| match label {
                "RSA PRIVATE KEY" => RsaKeyPair::from_der(der.as_bytes()).ok(),
                "PRIVATE KEY" => RsaKeyPair::from_pkcs8(der.as_bytes()).ok(),
                _ => None,
            });
        match key {
            Some(key) => Ok(Self::from_key_pair(key)),
            // Refused: let the default backend's parser say why, in its words (a garbage key
            // holds no secret worth wiping). If it accepts what AWS-LC refused, say so.
            None => {
                PrivateKey::from_pem(pem)?;
                Err(Error::InvalidKey(
                    "AWS-LC refused the RSA key (a key Kalshi issues is RSA 2048 with e = 65537)"
                        .into(),
                ))
            }
        }
    }

    /// Reads a PEM private key file (PKCS#1 or PKCS#8) into a zeroizing buffer and loads it as
    /// [`AwsLcSigner::from_pem`] does.
    pub fn from_pem_file(path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let pem = super::key::read_pem_file(path.as_ref())?;
        Self::from_pem(&pem)
    }

    fn from_key_pair(key: RsaKeyPair) -> Self {
        AwsLcSigner {
            key,
            rng: SystemRandom::new(),
        }
    }

    /// A signer for an already loaded key (re-encoded as PKCS#1 DER in a zeroizing buffer for
    /// the hand-over; the `rsa` crate has already held this key, see the module docs).
    pub fn new(key: &PrivateKey) -> Result<Self, Error> {
        let der = key
            .inner
            .to_pkcs1_der()
            .map_err(|e| Error::InvalidKey(format!("cannot re-encode the RSA key: {e}")))?;
        let key = RsaKeyPair::from_der(der.as_bytes())
            .map_err(|e| Error::InvalidKey(format!("AWS-LC refused the RSA key: {e}")))?;
        Ok(Self::from_key_pair(key))
    }

    /// The modulus size in bits.
    pub fn size_bits(&self) -> usize {
        self.key.public_modulus_len() * 8
    }
}

impl Signer for AwsLcSigner {
    fn sign(&self, message: &[u8]) -> Result<String, Error> {
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PSS_SHA256, &self.rng, message, &mut sig)
            .map_err(|_| Error::Signing("AWS-LC RSA-PSS signing failed".into()))?;
        Ok(STANDARD.encode(&sig))
    }

    fn name(&self) -> &'static str {
        "rsa-pss (aws-lc-rs)"
    }
}

impl fmt::Debug for AwsLcSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AwsLcSigner {{ bits: {}, .. }}", self.size_bits())
    }
}

impl Credentials {
    /// Credentials from a key id and a PEM private key (PKCS#1 or PKCS#8) that sign with the
    /// AWS-LC backend ([`AwsLcSigner`]) instead of the pure-Rust default.
    pub fn from_pem_fast(key_id: impl Into<String>, pem: &str) -> Result<Self, Error> {
        Self::new(key_id, Arc::new(AwsLcSigner::from_pem(pem)?))
    }

    /// Credentials from a key id and a PEM private key file that sign with [`AwsLcSigner`]
    /// (see [`AwsLcSigner::from_pem_file`]).
    pub fn from_pem_file_fast(
        key_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, Error> {
        Self::new(key_id, Arc::new(AwsLcSigner::from_pem_file(path)?))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::auth::{SignatureError, VerifyingKey, signing_message};
    use crate::order_groups::CreateOrderGroup;
    use crate::{Client, Environment, Timestamp};

    const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
    const PKCS8: &str = include_str!("../../testdata/test-key.pkcs8.pem");
    const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");
    const OTHER_PUBLIC: &str = include_str!("../../testdata/other-key.pub.pem");
    const VECTORS: &str = include_str!("../../testdata/signatures.json");

    #[test]
    fn signs_the_vector_requests_verifiably_from_both_key_formats() {
        let key = VerifyingKey::from_pem(PUBLIC).unwrap();
        let other = VerifyingKey::from_pem(OTHER_PUBLIC).unwrap();
        let vectors: Value = serde_json::from_str(VECTORS).unwrap();
        let cases = vectors["cases"].as_array().unwrap();
        assert!(cases.len() >= 6);
        for pem in [PKCS1, PKCS8] {
            let signer = AwsLcSigner::from_pem(pem).unwrap();
            assert_eq!(signer.size_bits(), 2048);
            for case in cases {
                let ts: u64 = case["timestamp"].as_str().unwrap().parse().unwrap();
                let method = case["method"].as_str().unwrap();
                let path = case["request_path_and_query"].as_str().unwrap();
                let msg = signing_message(ts, method, path);
                assert_eq!(msg, case["signed_message"].as_str().unwrap().as_bytes());
                let sig = signer.sign(&msg).unwrap();
                assert_eq!(key.verify(&msg, &sig), Ok(()), "{}", case["name"]);
                assert_eq!(other.verify(&msg, &sig), Err(SignatureError::Mismatch));
                assert!(key.verify_request(ts + 1, method, path, &sig).is_err());
            }
        }
    }

    #[test]
    fn salt_is_random_so_two_signatures_differ_and_both_verify() {
        let key = VerifyingKey::from_pem(PUBLIC).unwrap();
        let signer = AwsLcSigner::from_pem(PKCS1).unwrap();
        let (a, b) = (signer.sign(b"m").unwrap(), signer.sign(b"m").unwrap());
        assert_ne!(a, b);
        assert_eq!(key.verify(b"m", &a), Ok(()));
        assert_eq!(key.verify(b"m", &b), Ok(()));
    }

    #[test]
    fn fast_credentials_build_requests_that_verify() {
        let creds = Credentials::from_pem_fast("test-key", PKCS8).unwrap();
        assert_eq!(creds.signer().name(), "rsa-pss (aws-lc-rs)");
        let client = Client::new(Environment::Demo, creds);
        let req = client
            .request(
                &CreateOrderGroup::new(5),
                Timestamp::from_millis(1_703_123_456_789),
            )
            .unwrap();
        let sig = req.headers()["KALSHI-ACCESS-SIGNATURE"].to_str().unwrap();
        let key = VerifyingKey::from_pem(PUBLIC).unwrap();
        assert_eq!(
            key.verify_request(1_703_123_456_789, "POST", req.uri().path(), sig),
            Ok(())
        );
    }

    #[test]
    fn refuses_what_the_default_backend_refuses_and_debug_shows_no_secret() {
        for bad in ["garbage", PUBLIC] {
            assert!(matches!(
                AwsLcSigner::from_pem(bad),
                Err(Error::InvalidKey(_))
            ));
            assert!(Credentials::from_pem_fast("k", bad).is_err());
        }
        let signer = AwsLcSigner::from_pem(PKCS1).unwrap();
        let dbg = format!("{signer:?}");
        assert_eq!(dbg, "AwsLcSigner { bits: 2048, .. }");
        let creds = Credentials::from_pem_fast("kid", PKCS1).unwrap();
        let dbg = format!("{creds:?}");
        assert!(!dbg.contains("MII") && !dbg.contains("PRIVATE"), "{dbg}");
    }
}
