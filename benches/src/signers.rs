//! The signing backends the benchmarks compare, and a constant signer that isolates everything
//! but RSA.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use kalshi_core::auth::{RsaPssSigner, Signer};
use kalshi_core::{Credentials, Error, PrivateKey};

/// The key every benchmark signs with: the simulator's bundled demo key (RSA-2048, PKCS#1).
pub const KEY_PEM: &str = kalshi_simulator::DEMO_PRIVATE_KEY_PEM;
/// Its key id.
pub const KEY_ID: &str = kalshi_simulator::DEMO_KEY_ID;

/// A signer that returns the same 344-character base64 string every time: what is left of
/// building a request once RSA is taken away.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConstSigner;

/// 256 zero bytes in base64, the length of a real RSA-2048 signature.
const CONST_SIGNATURE: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

impl Signer for ConstSigner {
    fn sign(&self, _message: &[u8]) -> Result<String, Error> {
        Ok(CONST_SIGNATURE.to_owned())
    }

    fn name(&self) -> &'static str {
        "constant (no RSA)"
    }
}

/// RSA-PSS on *ring* 0.17, as a reference point only (it is not a backend of the core).
pub struct RingSigner {
    key: ring::rsa::KeyPair,
    rng: ring::rand::SystemRandom,
}

impl RingSigner {
    /// From a PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`).
    pub fn from_pkcs1_pem(pem: &str) -> Result<Self, Error> {
        let b64: String = pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        let der = STANDARD
            .decode(b64.trim())
            .map_err(|_| Error::InvalidKey("not PEM".into()))?;
        let key = ring::rsa::KeyPair::from_der(&der)
            .map_err(|e| Error::InvalidKey(format!("ring refused the key: {e}")))?;
        Ok(RingSigner {
            key,
            rng: ring::rand::SystemRandom::new(),
        })
    }
}

impl Signer for RingSigner {
    fn sign(&self, message: &[u8]) -> Result<String, Error> {
        let mut sig = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PSS_SHA256,
                &self.rng,
                message,
                &mut sig,
            )
            .map_err(|_| Error::Signing("ring signing failed".into()))?;
        Ok(STANDARD.encode(&sig))
    }

    fn name(&self) -> &'static str {
        "rsa-pss (ring, reference)"
    }
}

impl fmt::Debug for RingSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RingSigner { .. }")
    }
}

/// The default backend (pure-Rust `rsa` crate).
pub fn default_signer() -> Arc<dyn Signer> {
    Arc::new(RsaPssSigner::new(
        PrivateKey::from_pem(KEY_PEM).expect("the demo key loads"),
    ))
}

/// The fast backend (AWS-LC), when the `aws-lc` feature of this crate is on.
pub fn fast_signer() -> Option<Arc<dyn Signer>> {
    #[cfg(feature = "aws-lc")]
    {
        Some(Arc::new(
            kalshi_core::auth::AwsLcSigner::from_pem(KEY_PEM).expect("the demo key loads"),
        ))
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        None
    }
}

/// The fastest backend built in: AWS-LC if the feature is on, else the default.
pub fn best_signer() -> (&'static str, Arc<dyn Signer>) {
    match fast_signer() {
        Some(s) => ("aws-lc-rs", s),
        None => ("rsa (default)", default_signer()),
    }
}

/// Every backend to time: name and signer.
pub fn all_signers() -> Vec<(&'static str, Arc<dyn Signer>)> {
    let mut v: Vec<(&'static str, Arc<dyn Signer>)> = vec![("rsa (default)", default_signer())];
    if let Some(fast) = fast_signer() {
        v.push(("aws-lc-rs", fast));
    }
    v.push((
        "ring (reference)",
        Arc::new(RingSigner::from_pkcs1_pem(KEY_PEM).expect("the demo key loads")),
    ));
    v
}

/// Credentials with the demo key id and `signer`.
pub fn credentials(signer: Arc<dyn Signer>) -> Credentials {
    Credentials::new(KEY_ID, signer).expect("the demo key id is valid")
}

/// Wraps a signer and counts the signatures it makes.
pub struct CountingSigner {
    inner: Arc<dyn Signer>,
    calls: std::sync::atomic::AtomicU64,
}

impl CountingSigner {
    /// Counts the signatures of `inner`.
    pub fn new(inner: Arc<dyn Signer>) -> Arc<Self> {
        Arc::new(CountingSigner {
            inner,
            calls: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Signatures made so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Signer for CountingSigner {
    fn sign(&self, message: &[u8]) -> Result<String, Error> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.sign(message)
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }
}
