//! Request-signature verification (`VerifyingKey::verify_request` / `verify`, what the
//! simulator's authenticator calls): never panics on any timestamp, method, path or signature
//! header; accepts only messages a valid vector signed; and a valid signature stops verifying
//! once any byte of the signed message or of the signature changes.
//!
//! Input, first byte even ("free" mode): the rest is `timestamp \n method \n path \n signature`
//! (invalid UTF-8 replaced; a timestamp that is not a u64 is read as 0), verified against
//! `core/testdata/test-key.pub.pem` and `other-key.pub.pem`; each may accept only a message
//! that one of the vectors signed with it.
//!
//! First byte odd ("tamper" mode): bytes 1..6 are `vector, pos_lo, pos_hi, xor, what`; the
//! valid vector `vector % 6` of `core/testdata/signatures.json` must verify, and must stop
//! verifying after byte `pos` of the message (`what % 3 == 0`), of the decoded signature (1) or
//! of the base64 text (2) is xored with `xor` (0 taken as 1).
#![no_main]

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use kalshi_core::auth::{VerifyingKey, signing_message};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

struct Fixture {
    key: VerifyingKey,
    other: VerifyingKey,
    /// (signed message, base64 signature) of every valid vector.
    valid: Vec<(Vec<u8>, String)>,
    /// The messages of the vectors that `other` verifies ("signed by another key").
    other_signed: Vec<Vec<u8>>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let key = VerifyingKey::from_pem(include_str!("../../core/testdata/test-key.pub.pem"))
        .expect("test key");
    let other = VerifyingKey::from_pem(include_str!("../../core/testdata/other-key.pub.pem"))
        .expect("other key");
    let doc: Value =
        serde_json::from_str(include_str!("../../core/testdata/signatures.json")).expect("json");
    let valid: Vec<(Vec<u8>, String)> = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["valid"] == Value::Bool(true))
        .map(|c| {
            let msg = c["signed_message"].as_str().expect("signed_message");
            let sig = c["signature"].as_str().expect("signature");
            (msg.as_bytes().to_vec(), sig.to_owned())
        })
        .collect();
    assert!(!valid.is_empty());
    for (msg, sig) in &valid {
        key.verify(msg, sig).expect("a valid vector verifies");
    }
    let other_signed: Vec<Vec<u8>> = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|c| {
            let msg = c["signed_message"].as_str()?.as_bytes().to_vec();
            other
                .verify(&msg, c["signature"].as_str()?)
                .is_ok()
                .then_some(msg)
        })
        .collect();
    Fixture {
        key,
        other,
        valid,
        other_signed,
    }
});

fn free(f: &Fixture, rest: &[u8]) {
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(4, '\n');
    let ts = parts
        .next()
        .unwrap_or("")
        .trim()
        .parse::<u64>()
        .unwrap_or(0);
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    let sig = parts.next().unwrap_or("");

    let message = signing_message(ts, method, path);
    if f.key.verify_request(ts, method, path, sig).is_ok() {
        assert!(
            f.valid.iter().any(|(m, _)| *m == message),
            "accepted a signature over an unsigned message: {:?}",
            String::from_utf8_lossy(&message)
        );
    }
    if f.other.verify_request(ts, method, path, sig).is_ok() {
        assert!(
            f.other_signed.contains(&message),
            "other-key accepted a signature over {:?}",
            String::from_utf8_lossy(&message)
        );
    }
}

fn tamper(f: &Fixture, rest: &[u8]) {
    let [vector, pos_lo, pos_hi, xor, what, ..] = *rest else {
        return;
    };
    let (msg, sig) = &f.valid[usize::from(vector) % f.valid.len()];
    let pos = usize::from(u16::from_le_bytes([pos_lo, pos_hi]));
    let xor = if xor == 0 { 1 } else { xor };
    match what % 3 {
        0 => {
            let mut m = msg.clone();
            let i = pos % m.len();
            m[i] ^= xor;
            assert!(
                f.key.verify(&m, sig).is_err(),
                "message byte {i} changed, still verifies"
            );
        }
        1 => {
            let mut raw = STANDARD.decode(sig).expect("vector signature is base64");
            let i = pos % raw.len();
            raw[i] ^= xor;
            let forged = STANDARD.encode(&raw);
            assert!(
                f.key.verify(msg, &forged).is_err(),
                "signature byte {i} changed, still verifies"
            );
        }
        _ => {
            let mut text = sig.as_bytes().to_vec();
            let i = pos % text.len();
            text[i] ^= xor;
            let text = String::from_utf8_lossy(&text).into_owned();
            // Only a change that decodes to other bytes (or fails to decode) counts.
            let same = STANDARD.decode(text.trim()).ok() == STANDARD.decode(sig).ok();
            if !same {
                assert!(
                    f.key.verify(msg, &text).is_err(),
                    "base64 char {i} changed, still verifies"
                );
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let f = &*FIXTURE;
    if mode % 2 == 0 {
        free(f, rest);
    } else {
        tamper(f, rest);
    }
});
