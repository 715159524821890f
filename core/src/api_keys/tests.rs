//! Request bytes and response parsing for the API key operations; the generated private key
//! never shows.

use http::{Method, StatusCode};
use proptest::prelude::*;

use super::*;
use crate::response::parse;
use crate::{Client, Credentials, EmptyResponse, Environment, Error, Operation, Timestamp};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");
const TS: u64 = 1_703_123_456_789;
const KEY_ID: &str = "a952bcbe-ec3b-4b5b-b8f9-11dae589608c";

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

fn built<O: Operation>(op: &O, method: Method, path: &str, body: Option<&str>) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path}")
    );
    match body {
        Some(b) => {
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            assert_eq!(
                req.headers()[http::header::CONTENT_TYPE],
                "application/json"
            );
        }
        None => {
            assert!(req.body().is_empty());
            assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
        }
    }
}

fn refused<O: Operation>(op: &O, field: &str) -> Error {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(e @ Error::InvalidInput { field: f, .. }) => {
            assert_eq!(f, field);
            e
        }
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

#[test]
fn requests() {
    built(&GetApiKeys::new(), Method::GET, "/api_keys", None);
    let pem_json = serde_json::to_string(PUBLIC).unwrap();
    built(
        &CreateApiKey::new("market-maker-2", PUBLIC)
            .scopes(vec![ApiKeyScope::Read, ApiKeyScope::WriteTrade])
            .subaccount(2),
        Method::POST,
        "/api_keys",
        Some(&format!(
            r#"{{"name":"market-maker-2","public_key":{pem_json},"scopes":["read","write::trade"],"subaccount":2}}"#
        )),
    );
    built(
        &CreateApiKey::new("mm", PUBLIC),
        Method::POST,
        "/api_keys",
        Some(&format!(r#"{{"name":"mm","public_key":{pem_json}}}"#)),
    );
    built(
        &GenerateApiKey::new("backtest-bot")
            .scopes(vec![
                ApiKeyScope::Read,
                ApiKeyScope::Unknown("read::future".into()),
            ])
            .subaccount(0),
        Method::POST,
        "/api_keys/generate",
        Some(r#"{"name":"backtest-bot","scopes":["read","read::future"],"subaccount":0}"#),
    );
    built(
        &GenerateApiKey::new("bot"),
        Method::POST,
        "/api_keys/generate",
        Some(r#"{"name":"bot"}"#),
    );
    built(
        &DeleteApiKey::new(KEY_ID),
        Method::DELETE,
        &format!("/api_keys/{KEY_ID}"),
        None,
    );
    built(
        &DeleteApiKey::new("a/b c"),
        Method::DELETE,
        "/api_keys/a%2Fb%20c",
        None,
    );
    assert_eq!(
        GenerateApiKey::IDEMPOTENCY,
        crate::Idempotency::NotIdempotent
    );
    assert_eq!(CreateApiKey::IDEMPOTENCY, crate::Idempotency::NotIdempotent);
}

#[test]
fn refusals_before_signing() {
    refused(&CreateApiKey::new("", PUBLIC), "name");
    refused(&CreateApiKey::new("mm", ""), "public_key");
    refused(&CreateApiKey::new("mm", "ssh-rsa AAAA"), "public_key");
    refused(
        &CreateApiKey::new("mm", PUBLIC).subaccount(64),
        "subaccount",
    );
    // A private key given by mistake is refused, and never quoted.
    let e = refused(&CreateApiKey::new("mm", PKCS1), "public_key");
    let body_line = PKCS1.lines().nth(1).unwrap();
    assert!(!format!("{e} {e:?}").contains(body_line));
    refused(&GenerateApiKey::new(""), "name");
    refused(&GenerateApiKey::new("bad\nname"), "name");
    refused(&GenerateApiKey::new("bot").subaccount(99), "subaccount");
    refused(&DeleteApiKey::new(""), "api_key");
    refused(&DeleteApiKey::new(".."), "api_key");
}

#[test]
fn answers_parse() {
    let list = br#"{"api_keys": [
        {"api_key_id": "a952bcbe-ec3b-4b5b-b8f9-11dae589608c", "name": "market-maker", "scopes": ["read", "write"], "subaccount": null},
        {"api_key_id": "0d3c9a1e-5b7f-4c1a-9e2d-7f6b5a4c3d2e", "name": "sub-2 reader", "scopes": ["read::portfolio_balance"], "subaccount": 2}
    ], "api_key_region_expiration_ts": 1798761600}"#;
    let l = parse::<GetApiKeys>(StatusCode::OK, list).unwrap();
    assert_eq!(l.api_keys.len(), 2);
    assert_eq!(l.api_keys[0].api_key_id, KEY_ID);
    assert_eq!(
        l.api_keys[0].scopes,
        vec![ApiKeyScope::Read, ApiKeyScope::Write]
    );
    assert_eq!(l.api_keys[0].subaccount, None);
    assert_eq!(
        l.api_keys[1].scopes,
        vec![ApiKeyScope::ReadPortfolioBalance]
    );
    assert_eq!(l.api_keys[1].subaccount, Some(2));
    assert_eq!(l.api_key_region_expiration_ts, Some(1_798_761_600));

    let created = parse::<CreateApiKey>(
        StatusCode::CREATED,
        br#"{"api_key_id": "a952bcbe-ec3b-4b5b-b8f9-11dae589608c"}"#,
    )
    .unwrap();
    assert_eq!(created.api_key_id, KEY_ID);

    assert_eq!(
        parse::<DeleteApiKey>(StatusCode::NO_CONTENT, b"").unwrap(),
        EmptyResponse {}
    );
    assert!(matches!(
        parse::<DeleteApiKey>(
            StatusCode::NOT_FOUND,
            br#"{"code":"not_found","message":"no such key"}"#
        ),
        Err(Error::NotFound(_))
    ));
}

fn generated_body() -> String {
    serde_json::json!({"api_key_id": KEY_ID, "private_key": PKCS1}).to_string()
}

#[test]
fn the_generated_key_signs_and_never_shows() {
    let secret_line = PKCS1.lines().nth(1).unwrap();
    let g = parse::<GenerateApiKey>(StatusCode::CREATED, generated_body().as_bytes()).unwrap();
    assert_eq!(g.api_key_id, KEY_ID);
    assert_eq!(g.private_key.expose_pem(), PKCS1);
    let shown = format!("{g:?} {:?} {g:#?}", g.private_key);
    assert!(!shown.contains(secret_line), "{shown}");
    assert!(
        shown.contains("[redacted]") && shown.contains(KEY_ID),
        "{shown}"
    );
    // Into credentials that sign like the original key.
    let credentials = g.clone().into_credentials().unwrap();
    assert_eq!(credentials.key_id(), KEY_ID);
    let original = Credentials::from_pem(KEY_ID, PKCS1).unwrap();
    let verifying = crate::auth::VerifyingKey::from_pem(PUBLIC).unwrap();
    let sig = credentials
        .sign(TS, "GET", "/trade-api/v2/api_keys")
        .unwrap();
    verifying
        .verify(
            &crate::auth::signing_message(TS, "GET", "/trade-api/v2/api_keys"),
            &sig,
        )
        .unwrap();
    drop(original);
    // Serialize writes the wire shape back (to store the key).
    let v = serde_json::to_value(&g).unwrap();
    assert_eq!(v["private_key"], PKCS1);
    // A bad private key: the error names no key material.
    let bad = GeneratedPrivateKey::new(
        "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0c2VjcmV0\n-----END RSA PRIVATE KEY-----\n",
    );
    let e = bad.into_credentials(KEY_ID).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("c2VjcmV0c2VjcmV0"));
}

#[test]
fn an_answer_that_does_not_parse_withholds_the_secret() {
    let secret_line = PKCS1.lines().nth(1).unwrap();
    // Missing id; a private key of the wrong type; an error document with the key beside it.
    for body in [
        serde_json::json!({"private_key": PKCS1}).to_string(),
        serde_json::json!({"api_key_id": PKCS1, "private_key": 5}).to_string(),
        serde_json::json!({"api_key_id": [PKCS1], "private_key": PKCS1}).to_string(),
        serde_json::json!({"code": "x", "message": "m", "private_key": PKCS1}).to_string(),
        format!("{}garbage", generated_body()),
    ] {
        let e = parse::<GenerateApiKey>(StatusCode::CREATED, body.as_bytes()).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(secret_line), "{shown}");
        if let Error::Decode { body: kept, .. } = &e {
            assert_eq!(kept.text(), "[withheld]");
            assert_eq!(kept.total_len(), body.len());
        }
    }
    // Other operations keep their bodies.
    match parse::<CreateApiKey>(StatusCode::CREATED, b"{\"nope\":1}") {
        Err(Error::Decode { body, .. }) => assert_eq!(body.text(), "{\"nope\":1}"),
        other => panic!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// An arbitrary key id is refused naming `api_key`, or sent as one percent-encoded
    /// segment, signed over exactly the path sent, that decodes to the id.
    #[test]
    fn delete_api_key_path(id in prop_oneof![
        any::<String>(),
        "[a-f0-9-]{0,40}",
        Just(".".to_owned()),
        Just("..".to_owned()),
        "[/?#% .]{0,6}",
        proptest::collection::vec(any::<char>(), 1000..1100).prop_map(|c| c.into_iter().collect()),
    ]) {
        let op = DeleteApiKey::new(id.clone());
        let bad = id.is_empty() || id == "." || id == ".." || id.len() > 1024;
        match client().request(&op, Timestamp::from_millis(TS)) {
            Err(Error::InvalidInput { field, .. }) => {
                prop_assert!(bad, "refused {id:?}");
                prop_assert_eq!(field, "api_key");
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            Ok(req) => {
                prop_assert!(!bad, "sent {id:?}");
                let path = req.uri().path();
                let seg = path.strip_prefix("/trade-api/v2/api_keys/").expect("prefix");
                prop_assert!(!seg.contains('/'));
                let decoded = percent_decode(seg);
                prop_assert_eq!(&decoded, &id);
                let ts: u64 = req.headers()[crate::auth::HEADER_ACCESS_TIMESTAMP].to_str().unwrap().parse().unwrap();
                let sig = req.headers()[crate::auth::HEADER_ACCESS_SIGNATURE].to_str().unwrap();
                let key = crate::auth::VerifyingKey::from_pem(PUBLIC).unwrap();
                prop_assert!(key.verify(&crate::auth::signing_message(ts, "DELETE", path), sig).is_ok());
            }
        }
    }

    /// Arbitrary names and subaccounts: refused naming the field, or sent as given.
    #[test]
    fn generate_api_key_body(name in any::<String>(), sub in proptest::option::of(0u32..80)) {
        let mut op = GenerateApiKey::new(name.clone());
        op.subaccount = sub;
        let bad_name = name.is_empty() || name.chars().any(char::is_control);
        let bad_sub = sub.is_some_and(|s| s > 63);
        match client().request(&op, Timestamp::from_millis(TS)) {
            Err(Error::InvalidInput { field, .. }) => {
                prop_assert!((bad_name && field == "name") || (bad_sub && field == "subaccount"));
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            Ok(req) => {
                prop_assert!(!bad_name && !bad_sub);
                let v: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
                prop_assert_eq!(v["name"].as_str(), Some(name.as_str()));
                prop_assert_eq!(v.get("subaccount").and_then(|s| s.as_u64()), sub.map(u64::from));
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
