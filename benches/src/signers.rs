//! The signing backends the benchmarks compare, and a constant signer that isolates everything
//! but RSA.

use std::sync::Arc;

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

/// The pure-Rust backend (the `rsa` crate): kalshi-core's default alone, the transports' without default features.
pub fn default_signer() -> Arc<dyn Signer> {
    Arc::new(RsaPssSigner::new(
        PrivateKey::from_pem(KEY_PEM).expect("the demo key loads"),
    ))
}

/// The fast backend (AWS-LC), when this build has it: with the transports' default features
/// (which turn kalshi-core's `aws-lc-rs` on), or this crate's `aws-lc` feature. Found by what
/// `Credentials::from_pem` picks (the best backend compiled in), so that this compiles whether
/// or not `kalshi_core::auth::AwsLcSigner` exists.
pub fn fast_signer() -> Option<Arc<dyn Signer>> {
    let credentials = Credentials::from_pem(KEY_ID, KEY_PEM).expect("the demo key loads");
    (credentials.signer_name() == AWS_LC).then(|| credentials.signer().clone())
}

/// `AwsLcSigner::NAME`, the name the AWS-LC backend gives.
const AWS_LC: &str = "rsa-pss (aws-lc-rs)";

/// The fastest backend built in: AWS-LC if this build has it, else the pure-Rust one.
pub fn best_signer() -> (&'static str, Arc<dyn Signer>) {
    match fast_signer() {
        Some(s) => ("aws-lc-rs", s),
        None => ("rsa (pure Rust)", default_signer()),
    }
}

/// Every backend to time: name and signer.
pub fn all_signers() -> Vec<(&'static str, Arc<dyn Signer>)> {
    let mut v: Vec<(&'static str, Arc<dyn Signer>)> = vec![("rsa (pure Rust)", default_signer())];
    if let Some(fast) = fast_signer() {
        v.push(("aws-lc-rs", fast));
    }
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
