//! Secrets never show: every public type that can hold a key (or the signer that holds one) is
//! formatted with `Debug` and `Display` where it has them, and the output must contain neither
//! the PEM text nor the key bytes (as base64 or hex), nor a signature a pool holds.

use std::fmt::Debug;

use base64::Engine as _;
use kalshi_core::auth::{
    Credentials, PrivateKey, RsaPssSigner, SignAheadConfig, SignAheadPool, Signer, VerifyingKey,
};
use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_core::{Client, Environment, Error, Timestamp};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, DEMO_PUBLIC_KEY_PEM};

/// Pieces of the private key that must never appear in any output.
fn needles() -> Vec<String> {
    let body: String = DEMO_PRIVATE_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(&body)
        .expect("the demo key is PEM");
    let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
    let mut out = vec![DEMO_PRIVATE_KEY_PEM.lines().nth(1).unwrap().to_owned()];
    // Windows from the PEM body (past the common ASN.1 header) and from the DER in hex, which
    // is how big integers print; the private exponent starts about a quarter in.
    for start in (64..body.len().saturating_sub(24)).step_by(97) {
        out.push(body[start..start + 24].to_owned());
    }
    for start in (hex.len() / 4..hex.len().saturating_sub(24)).step_by(131) {
        out.push(hex[start..start + 24].to_owned());
        out.push(hex[start..start + 24].to_uppercase());
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    for n in needles() {
        assert!(
            !text.contains(&n),
            "{what} shows key material `{n}`:\n{text}"
        );
    }
}

fn check_debug(what: &str, value: &impl Debug) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

#[test]
fn key_holders_never_print_the_key() {
    let key = PrivateKey::from_pem(DEMO_PRIVATE_KEY_PEM).unwrap();
    check_debug("PrivateKey", &key);
    let signer = RsaPssSigner::new(key.clone());
    check_debug("RsaPssSigner", &signer);
    assert_clean("Signer::name", signer.name());
    let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    check_debug("Credentials", &creds);
    check_debug(
        "VerifyingKey",
        &VerifyingKey::from_pem(DEMO_PUBLIC_KEY_PEM).unwrap(),
    );
    let client = Client::new(Environment::Demo, creds.clone());
    check_debug("kalshi_core::Client", &client);

    let blocking = kalshi_transport_ureq::BlockingClient::new(client.clone());
    check_debug("BlockingClient", &blocking);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _guard = rt.enter();
    let async_client = kalshi_transport_hyper::AsyncClient::new(client.clone()).unwrap();
    check_debug("AsyncClient", &async_client);
}

#[test]
fn errors_about_keys_never_quote_them() {
    // A key with one line damaged: the error must describe it without echoing it.
    let mut lines: Vec<&str> = DEMO_PRIVATE_KEY_PEM.lines().collect();
    let damaged = format!("{}!!", &lines[5][..lines[5].len() - 2]);
    lines[5] = &damaged;
    let broken = lines.join("\n");
    let errors: Vec<Error> = vec![
        PrivateKey::from_pem(&broken).unwrap_err(),
        PrivateKey::from_pem(&DEMO_PRIVATE_KEY_PEM.replace("RSA PRIVATE", "EC PRIVATE"))
            .unwrap_err(),
        PrivateKey::from_pem(&DEMO_PRIVATE_KEY_PEM[..DEMO_PRIVATE_KEY_PEM.len() / 2]).unwrap_err(),
        VerifyingKey::from_pem(DEMO_PRIVATE_KEY_PEM).unwrap_err(),
        Credentials::from_pem("", DEMO_PRIVATE_KEY_PEM).unwrap_err(),
    ];
    for e in errors {
        assert_clean("error Display", &e.to_string());
        check_debug("error Debug", &e);
    }
}

#[test]
fn a_sign_ahead_pool_does_not_print_its_signatures() {
    let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    let pool = SignAheadPool::new(creds, SignAheadConfig::default().depth(2));
    let client = Client::new(Environment::Demo, pool.credentials());
    pool.register_op(&client, &CreateOrderGroup::new(1));
    let now = Timestamp::from_millis(1_800_000_000_000);
    pool.refill(now).unwrap();
    let shown = format!("{pool:?} {pool:#?}");
    assert_clean("SignAheadPool", &shown);
    // Take one ready signature and make sure the pool never printed it.
    let path = "/trade-api/v2/portfolio/order_groups/create";
    let (_, signature) = pool
        .take(&http::Method::POST, path, now)
        .expect("the pool was refilled");
    assert!(!shown.contains(&signature[..32]), "{shown}");
}
