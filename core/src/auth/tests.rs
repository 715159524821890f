//! The independent signature vectors, and properties of what is signed.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::{Client, Environment, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const PKCS8: &str = include_str!("../../testdata/test-key.pkcs8.pem");
const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");
const OTHER_PUBLIC: &str = include_str!("../../testdata/other-key.pub.pem");
const VECTORS: &str = include_str!("../../testdata/signatures.json");

fn cases() -> Vec<Value> {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    v["cases"].as_array().unwrap().clone()
}

#[test]
fn the_vendored_vectors_match_the_shared_ones() {
    // When the project sits beside shared/, make sure the copy here has not drifted.
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/signatures.json"
    );
    if let Ok(text) = std::fs::read_to_string(shared) {
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            serde_json::from_str::<Value>(VECTORS).unwrap()
        );
    }
}

#[test]
fn verifier_accepts_the_valid_vectors_and_rejects_the_invalid() {
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let msg = case["signed_message"].as_str().unwrap();
        let sig = case["signature"].as_str().unwrap();
        let ts: u64 = case["timestamp"].as_str().unwrap().parse().unwrap();
        let method = case["method"].as_str().unwrap();
        let path = case["request_path_and_query"].as_str().unwrap();
        // What we would sign for that request is what the vector says must be signed.
        assert_eq!(signing_message(ts, method, path), msg.as_bytes(), "{name}");
        let verdict = key.verify_request(ts, method, path, sig);
        if case["valid"].as_bool().unwrap() {
            assert_eq!(verdict, Ok(()), "{name}");
            valid += 1;
        } else {
            assert!(verdict.is_err(), "{name} was accepted");
            invalid += 1;
        }
    }
    assert!(
        valid >= 6 && invalid >= 5,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn our_signatures_verify_with_the_published_public_key_for_both_key_formats() {
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    let other = VerifyingKey::from_pem(OTHER_PUBLIC).unwrap();
    for pem in [PKCS1, PKCS8] {
        let creds = Credentials::from_pem("test-key", pem).unwrap();
        for case in cases() {
            let ts: u64 = case["timestamp"].as_str().unwrap().parse().unwrap();
            let method = case["method"].as_str().unwrap();
            let path = case["request_path_and_query"].as_str().unwrap();
            let sig = creds.sign(ts, method, path).unwrap();
            assert_eq!(key.verify_request(ts, method, path, &sig), Ok(()));
            assert_eq!(
                other.verify_request(ts, method, path, &sig),
                Err(SignatureError::Mismatch)
            );
            // A different timestamp, method or path does not verify.
            assert!(key.verify_request(ts + 1, method, path, &sig).is_err());
            assert!(
                key.verify_request(ts, &method.to_lowercase(), path, &sig)
                    .is_err()
            );
            let other_path = path.replacen("/portfolio", "/portfolioX", 1);
            assert!(key.verify_request(ts, method, &other_path, &sig).is_err());
        }
    }
}

/// Every signing backend compiled in, each from both key formats.
fn backends() -> Vec<(&'static str, Arc<dyn Signer>)> {
    let mut all: Vec<(&'static str, Arc<dyn Signer>)> = Vec::new();
    for pem in [PKCS1, PKCS8] {
        all.push((
            RsaPssSigner::NAME,
            Arc::new(RsaPssSigner::new(PrivateKey::from_pem(pem).unwrap())),
        ));
        #[cfg(feature = "aws-lc-rs")]
        all.push((
            AwsLcSigner::NAME,
            Arc::new(AwsLcSigner::from_pem(pem).unwrap()),
        ));
    }
    all
}

#[test]
fn every_backend_signs_the_vector_requests_verifiably() {
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    let other = VerifyingKey::from_pem(OTHER_PUBLIC).unwrap();
    let backends = backends();
    assert_eq!(
        backends.len(),
        if cfg!(feature = "aws-lc-rs") { 4 } else { 2 }
    );
    for (name, signer) in backends {
        assert_eq!(signer.name(), name);
        let creds = Credentials::new("test-key", signer).unwrap();
        assert_eq!(creds.signer_name(), name);
        for case in cases() {
            let ts: u64 = case["timestamp"].as_str().unwrap().parse().unwrap();
            let method = case["method"].as_str().unwrap();
            let path = case["request_path_and_query"].as_str().unwrap();
            // What is signed is the vector's message, and the signature verifies with the
            // published key only, for this request only.
            assert_eq!(
                signing_message(ts, method, path),
                case["signed_message"].as_str().unwrap().as_bytes()
            );
            let sig = creds.sign(ts, method, path).unwrap();
            assert_eq!(
                key.verify_request(ts, method, path, &sig),
                Ok(()),
                "{name}: {}",
                case["name"]
            );
            assert_eq!(
                other.verify_request(ts, method, path, &sig),
                Err(SignatureError::Mismatch),
                "{name}"
            );
            assert!(key.verify_request(ts + 1, method, path, &sig).is_err());
        }
    }
}

#[test]
fn the_ordinary_constructors_pick_the_best_backend_compiled_in() {
    let best = if cfg!(feature = "aws-lc-rs") {
        "rsa-pss (aws-lc-rs)"
    } else {
        RsaPssSigner::NAME
    };
    let path = std::env::temp_dir().join(format!("kalshi-best-signer-{}.pem", std::process::id()));
    std::fs::write(&path, PKCS8).unwrap();
    let by_file = Credentials::from_pem_file("k", &path);
    std::fs::remove_file(&path).ok();
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    for creds in [
        Credentials::from_pem("k", PKCS1).unwrap(),
        Credentials::from_pem("k", PKCS8).unwrap(),
        by_file.unwrap(),
        Credentials::from_private_key("k", PrivateKey::from_pem(PKCS1).unwrap()).unwrap(),
    ] {
        assert_eq!(creds.signer_name(), best);
        assert!(format!("{creds:?}").contains(best));
        let sig = creds
            .sign(7, "GET", "/trade-api/v2/portfolio/balance")
            .unwrap();
        assert_eq!(
            key.verify_request(7, "GET", "/trade-api/v2/portfolio/balance", &sig),
            Ok(())
        );
    }
}

#[test]
fn verifier_rejects_malformed_signatures() {
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    assert_eq!(
        key.verify(b"m", "not base64!"),
        Err(SignatureError::NotBase64)
    );
    assert!(matches!(
        key.verify(b"m", "AAAA"),
        Err(SignatureError::WrongLength {
            expected: 256,
            actual: 3
        })
    ));
    let zeros = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [0u8; 256]);
    assert_eq!(key.verify(b"m", &zeros), Err(SignatureError::Mismatch));
}

#[test]
fn credentials_debug_shows_no_secret() {
    let creds = Credentials::from_pem("kid", PKCS1).unwrap();
    let dbg = format!("{creds:?}");
    assert!(dbg.contains("kid"));
    assert!(!dbg.contains("MII") && !dbg.contains("PRIVATE"), "{dbg}");
    assert!(Credentials::from_pem("", PKCS1).is_err());
    assert!(Credentials::from_pem("bad\nid", PKCS1).is_err());
}

/// An operation with an arbitrary path parameter and query value.
struct Probe {
    id: String,
    query: String,
}

impl Operation for Probe {
    type Output = crate::EmptyResponse;
    const NAME: &'static str = "Probe";
    const METHOD: http::Method = http::Method::DELETE;
    const SUCCESS: http::StatusCode = http::StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        crate::operation::validate_id("id", &self.id)
    }
    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/things/").segment(&self.id).literal("/x");
    }
    fn write_query(&self, query: &mut QueryWriter<'_>) {
        query.pair("q", &self.query).pair("z", "1");
    }
}

fn awkward() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        prop::collection::vec(
            prop::sample::select(vec![
                "/", "?", "#", "%", "..", " ", "é", "&", "=", "+", "%2F", "a"
            ]),
            0..8
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_signed_message_is_timestamp_method_and_the_path_as_sent(id in awkward(), query in awkward(), ts in 0u64..=4_102_444_800_000) {
        let creds = Credentials::from_pem("k", PKCS1).unwrap();
        let client = Client::new(Environment::Production, creds);
        let probe = Probe { id: id.clone(), query };
        match client.request(&probe, Timestamp::from_millis(ts)) {
            Err(Error::InvalidInput { field: "id", .. }) => {
                prop_assert!(id.is_empty() || id == "." || id == "..");
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
            Ok(req) => {
                let path = req.uri().path();
                // The id stays inside one segment, and the query is exactly what we wrote.
                prop_assert!(path.starts_with("/trade-api/v2/things/") && path.ends_with("/x"));
                prop_assert_eq!(path.matches('/').count(), 5);
                prop_assert!(req.uri().query().unwrap().ends_with("&z=1"));
                let sig = req.headers()[HEADER_ACCESS_SIGNATURE].to_str().unwrap();
                let key = VerifyingKey::from_pem(PUBLIC).unwrap();
                let expected = signing_message(ts, "DELETE", path);
                prop_assert_eq!(key.verify(&expected, sig), Ok(()));
                prop_assert_eq!(req.headers()[HEADER_ACCESS_TIMESTAMP].to_str().unwrap(), ts.to_string());
                // The path decodes back to the id.
                let seg = path.trim_start_matches("/trade-api/v2/things/").trim_end_matches("/x");
                prop_assert_eq!(percent_decode(seg), id);
            }
        }
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
