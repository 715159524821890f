//! The fast, constant-time RSA-PSS backend on AWS-LC (feature `aws-lc-rs`).
//!
//! [`AwsLcSigner`] signs with AWS-LC's RSA at OpenSSL-class speed (on the project's benchmark
//! machine about 0.25 ms per signature against 2.3 ms for the pure-Rust backend; see
//! `BENCHMARKS.md`). It accepts the keys the pure-Rust backend accepts (PKCS#1 or PKCS#8 PEM,
//! RSA 2048 to 8192 bits) and refuses the others with the same errors. With this feature on,
//! the ordinary constructors ([`Credentials::from_pem`], [`Credentials::from_pem_file`],
//! [`Credentials::from_private_key`]) sign with it; the transports turn the feature on by
//! default.
//!
//! It is also the backend where key hygiene matters most: [`AwsLcSigner::from_pem`] and
//! [`AwsLcSigner::from_pem_file`] (and so `Credentials::from_pem` and `from_pem_file`) hand the
//! DER straight to AWS-LC (decoded into a zeroizing buffer), so the key never passes through
//! the `rsa` crate, whose key loading and signing leave copies of the primes in freed heap
//! memory (version 0.10.0; found by `tests/tests/zeroize_on_drop.rs`). AWS-LC keeps the key in
//! its own heap and wipes it on free.
//!
//! Building it compiles AWS-LC's C sources with the system C compiler (`cc`/`gcc`/`clang`);
//! on Linux x86-64 and aarch64 no `cmake`, Go or NASM is needed.

use std::fmt;

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
/// the pure-Rust backend's. `Debug` shows the modulus size only.
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
    /// Its [`Signer::name`].
    pub const NAME: &'static str = "rsa-pss (aws-lc-rs)";

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
            // Refused: let the pure-Rust parser say why, in its words (a garbage key holds no
            // secret worth wiping). If it accepts what AWS-LC refused, say so.
            None => {
                PrivateKey::from_pem(pem)?;
                Err(Error::InvalidKey(REFUSED.into()))
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
            .map_err(|e| Error::InvalidKey(format!("{REFUSED}: {e}")))?;
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
        Self::NAME
    }
}

impl fmt::Debug for AwsLcSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AwsLcSigner {{ bits: {}, .. }}", self.size_bits())
    }
}

/// Why AWS-LC refuses a key the `rsa` crate takes, and the way round it.
const REFUSED: &str = "AWS-LC refused the RSA key (it takes RSA 2048 to 8192 bits; a key Kalshi \
     issues is RSA 2048 with e = 65537); to sign with it anyway, use the pure-Rust backend: \
     Credentials::new(key_id, Arc::new(RsaPssSigner::new(PrivateKey::from_pem(pem)?)))";

impl Credentials {
    /// The same as [`Credentials::from_pem`], which now signs with [`AwsLcSigner`] whenever the
    /// `aws-lc-rs` feature is on.
    #[deprecated(
        since = "0.1.0",
        note = "use Credentials::from_pem: it signs with AWS-LC whenever the `aws-lc-rs` feature is on"
    )]
    pub fn from_pem_fast(key_id: impl Into<String>, pem: &str) -> Result<Self, Error> {
        Self::from_pem(key_id, pem)
    }

    /// The same as [`Credentials::from_pem_file`], which now signs with [`AwsLcSigner`]
    /// whenever the `aws-lc-rs` feature is on.
    #[deprecated(
        since = "0.1.0",
        note = "use Credentials::from_pem_file: it signs with AWS-LC whenever the `aws-lc-rs` feature is on"
    )]
    pub fn from_pem_file_fast(
        key_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, Error> {
        Self::from_pem_file(key_id, path)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::Value;

    use super::*;
    use crate::auth::{RsaPssSigner, SignatureError, VerifyingKey, signing_message};
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
    fn the_ordinary_constructors_sign_with_aws_lc_and_their_requests_verify() {
        let path = std::env::temp_dir().join(format!("kalshi-aws-lc-{}.pem", std::process::id()));
        std::fs::write(&path, PKCS1).unwrap();
        let all = [
            Credentials::from_pem("test-key", PKCS8).unwrap(),
            Credentials::from_pem("test-key", PKCS1).unwrap(),
            Credentials::from_pem_file("test-key", &path).unwrap(),
            Credentials::from_private_key("test-key", PrivateKey::from_pem(PKCS1).unwrap())
                .unwrap(),
        ];
        std::fs::remove_file(&path).ok();
        let key = VerifyingKey::from_pem(PUBLIC).unwrap();
        for creds in all {
            assert_eq!(creds.signer_name(), AwsLcSigner::NAME);
            assert_eq!(creds.signer().name(), "rsa-pss (aws-lc-rs)");
            let client = Client::new(Environment::Demo, creds);
            let req = client
                .request(
                    &CreateOrderGroup::new(5),
                    Timestamp::from_millis(1_703_123_456_789),
                )
                .unwrap();
            let sig = req.headers()["KALSHI-ACCESS-SIGNATURE"].to_str().unwrap();
            assert_eq!(
                key.verify_request(1_703_123_456_789, "POST", req.uri().path(), sig),
                Ok(())
            );
        }
    }

    #[test]
    #[allow(deprecated)]
    fn the_deprecated_fast_constructors_are_the_ordinary_ones() {
        let path =
            std::env::temp_dir().join(format!("kalshi-aws-lc-old-{}.pem", std::process::id()));
        std::fs::write(&path, PKCS8).unwrap();
        let by_file = Credentials::from_pem_file_fast("test-key", &path);
        std::fs::remove_file(&path).ok();
        let key = VerifyingKey::from_pem(PUBLIC).unwrap();
        for creds in [
            Credentials::from_pem_fast("test-key", PKCS1).unwrap(),
            by_file.unwrap(),
        ] {
            assert_eq!(creds.signer_name(), AwsLcSigner::NAME);
            let sig = creds.sign(1, "GET", "/trade-api/v2/x").unwrap();
            assert_eq!(
                key.verify_request(1, "GET", "/trade-api/v2/x", &sig),
                Ok(())
            );
        }
        assert!(Credentials::from_pem_fast("k", "garbage").is_err());
        assert!(Credentials::from_pem_file_fast("k", "/nonexistent/key.pem").is_err());
    }

    #[test]
    fn a_key_aws_lc_refuses_says_how_to_sign_with_it_anyway() {
        // RSA-1024: the `rsa` crate takes it, AWS-LC does not (2048 to 8192 bits).
        const SMALL: &str = include_str!("../../testdata/small-key-1024.pem");
        let message = |e: Error| match e {
            Error::InvalidKey(m) => m,
            other => panic!("expected InvalidKey, got {other:?}"),
        };
        let from_pem = message(AwsLcSigner::from_pem(SMALL).unwrap_err());
        assert!(
            from_pem.contains("AWS-LC refused") && from_pem.contains("RsaPssSigner"),
            "{from_pem}"
        );
        let from_creds = message(Credentials::from_pem("k", SMALL).unwrap_err());
        assert_eq!(from_creds, from_pem);
        let key = PrivateKey::from_pem(SMALL).unwrap();
        let msg = message(Credentials::from_private_key("k", key.clone()).unwrap_err());
        assert!(msg.contains("AWS-LC refused"), "{msg}");
        // The way round it works.
        let creds = Credentials::new("k", Arc::new(RsaPssSigner::new(key))).unwrap();
        assert_eq!(creds.signer_name(), RsaPssSigner::NAME);
        assert!(creds.sign(1, "GET", "/x").is_ok());
    }

    #[test]
    fn refuses_what_the_pure_rust_backend_refuses_and_debug_shows_no_secret() {
        for bad in ["garbage", PUBLIC] {
            let ours = AwsLcSigner::from_pem(bad).unwrap_err();
            assert!(matches!(ours, Error::InvalidKey(_)));
            // In the pure-Rust parser's words.
            assert_eq!(
                ours.to_string(),
                PrivateKey::from_pem(bad).unwrap_err().to_string()
            );
            assert!(Credentials::from_pem("k", bad).is_err());
        }
        let signer = AwsLcSigner::from_pem(PKCS1).unwrap();
        let dbg = format!("{signer:?}");
        assert_eq!(dbg, "AwsLcSigner { bits: 2048, .. }");
        let creds = Credentials::from_pem("kid", PKCS1).unwrap();
        let dbg = format!("{creds:?}");
        assert!(!dbg.contains("MII") && !dbg.contains("PRIVATE"), "{dbg}");
        assert!(dbg.contains("aws-lc-rs"), "{dbg}");
    }
}
