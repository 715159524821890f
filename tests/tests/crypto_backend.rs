//! The crypto backend a user of the transports gets, end to end.
//!
//! With this crate's default feature `aws-lc` (the transports' default), `Credentials::from_pem`
//! and `from_pem_file` sign with AWS-LC; with `--no-default-features --features ring` (the
//! transports' pure-Rust build, as `.ci/run` also runs this file) they sign with the `rsa`
//! crate. Either way the signatures verify with the core's `VerifyingKey`, and the simulator,
//! which verifies every signature strictly, accepts the requests of both transports.

use std::time::Duration;

use kalshi_core::auth::{RsaPssSigner, VerifyingKey};
use kalshi_core::order_groups::{CreateOrderGroup, DeleteOrderGroup, GetOrderGroup};
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, DEMO_PUBLIC_KEY_PEM, Simulator, SimulatorConfig,
};

/// The signer this build's ordinary constructors must pick.
fn expected_signer() -> &'static str {
    if cfg!(feature = "aws-lc") {
        "rsa-pss (aws-lc-rs)"
    } else {
        RsaPssSigner::NAME
    }
}

/// The demo key loaded both ordinary ways: from the PEM string and from a file of its own
/// (`test` names it: the tests run in parallel).
fn demo_credentials(test: &str) -> Vec<Credentials> {
    let path =
        std::env::temp_dir().join(format!("kalshi-backend-{test}-{}.pem", std::process::id()));
    std::fs::write(&path, DEMO_PRIVATE_KEY_PEM).unwrap();
    let from_file = Credentials::from_pem_file(DEMO_KEY_ID, &path).expect("the demo key file");
    std::fs::remove_file(&path).ok();
    vec![
        Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("the demo key"),
        from_file,
    ]
}

#[test]
fn the_ordinary_constructors_pick_the_builds_backend_and_sign_verifiably() {
    let key = VerifyingKey::from_pem(DEMO_PUBLIC_KEY_PEM).unwrap();
    for credentials in demo_credentials("sign") {
        assert_eq!(credentials.signer_name(), expected_signer());
        let path = "/trade-api/v2/portfolio/order_groups/create";
        let signature = credentials.sign(1_703_123_456_789, "POST", path).unwrap();
        assert_eq!(
            key.verify_request(1_703_123_456_789, "POST", path, &signature),
            Ok(())
        );
    }
}

#[test]
fn the_blocking_transport_signs_requests_the_simulator_accepts() {
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let environment = Environment::custom(&sim.base_url()).unwrap();
    for credentials in demo_credentials("ureq") {
        let client = kalshi_transport_ureq::BlockingClient::with_config(
            Client::new(environment.clone(), credentials),
            kalshi_transport_ureq::Config::default().timeout(Duration::from_secs(10)),
        );
        assert_eq!(client.core().credentials().signer_name(), expected_signer());
        let created = client.execute(&CreateOrderGroup::new(10)).expect("create");
        client
            .execute(&GetOrderGroup::new(&created.order_group_id))
            .expect("get");
        client
            .execute(&DeleteOrderGroup::new(&created.order_group_id))
            .expect("delete");
    }
}

#[tokio::test]
async fn the_async_transport_signs_requests_the_simulator_accepts() {
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let environment = Environment::custom(&sim.base_url()).unwrap();
    for credentials in demo_credentials("hyper") {
        let client = kalshi_transport_hyper::AsyncClient::with_config(
            Client::new(environment.clone(), credentials),
            kalshi_transport_hyper::Config::default().request_timeout(Duration::from_secs(10)),
        )
        .expect("the client builds");
        assert_eq!(client.core().credentials().signer_name(), expected_signer());
        let created = client
            .execute(&CreateOrderGroup::new(10))
            .await
            .expect("create");
        client
            .execute(&GetOrderGroup::new(&created.order_group_id))
            .await
            .expect("get");
        client
            .execute(&DeleteOrderGroup::new(&created.order_group_id))
            .await
            .expect("delete");
    }
}
