//! PEM key loading: `PrivateKey::from_pem` and `VerifyingKey::from_pem` never panic, and a
//! private key that loads signs a request its own public half verifies.
//!
//! Input: the PEM text (invalid UTF-8 replaced), at most 8 KiB (RSA checks of valid huge keys
//! are slow, and Kalshi keys are 2048-bit: under 2 KiB of PEM).
#![no_main]

use kalshi_core::auth::{PrivateKey, RsaPssSigner, Signer, VerifyingKey, signing_message};
use libfuzzer_sys::fuzz_target;

const MAX_INPUT: usize = 8 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let pem = String::from_utf8_lossy(data);

    match PrivateKey::from_pem(&pem) {
        Ok(key) => {
            let bits = key.size_bits();
            let _ = format!("{key:?}");
            let verifying = key.verifying_key();
            let message =
                signing_message(1_703_123_456_789, "GET", "/trade-api/v2/portfolio/balance");
            match RsaPssSigner::new(key).sign(&message) {
                Ok(sig) => verifying.verify(&message, &sig).unwrap_or_else(|e| {
                    panic!("a loaded {bits}-bit key's own signature fails: {e}")
                }),
                // Keys too small for PSS with a 32-byte salt are refused when signing; fine.
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }

    match VerifyingKey::from_pem(&pem) {
        Ok(key) => {
            let _ = format!("{key:?}");
            // Whatever key this is, a garbage signature must be refused without panicking.
            assert!(key.verify(b"1GET/x", "AAAA").is_err());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
