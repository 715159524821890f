//! The simulator, which checks signatures and timestamps like the exchange, accepts requests
//! built from pre-made signatures, and the pool's signatures really are used.

use std::sync::Arc;

use kalshi_benches::signers::{self, CountingSigner};
use kalshi_core::auth::{HEADER_ACCESS_TIMESTAMP, SignAheadConfig, SignAheadPool};
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroups};
use kalshi_core::{Client, Environment, Timestamp};
use kalshi_simulator::{Simulator, SimulatorConfig};
use kalshi_transport_ureq::BlockingClient;

#[test]
fn the_simulator_accepts_presigned_requests() {
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    let counting = CountingSigner::new(signers::default_signer());
    let pool = SignAheadPool::new(
        signers::credentials(counting.clone()),
        SignAheadConfig::default().depth(3),
    );
    let core = Client::new(
        Environment::custom(&sim.base_url()).unwrap(),
        pool.credentials(),
    );
    let op = CreateOrderGroup::new(10);
    pool.register_op(&core, &op);
    pool.register_order_paths(core.base_url());

    // Signatures stamped two seconds before the requests are sent: inside both the pool's
    // max age (5 s) and the simulator's window (30 s).
    let made_at = Timestamp::from_millis(sim.now_ms() - 2000);
    assert_eq!(pool.refill(made_at).unwrap(), 4 * 3);
    let signed = counting.calls();
    let transport = BlockingClient::new(core.clone());
    for _ in 0..3 {
        let now = Timestamp::from_millis(sim.now_ms());
        let request = core.request_presigned(&op, &pool, now).unwrap();
        assert_eq!(
            request.headers()[HEADER_ACCESS_TIMESTAMP],
            made_at.as_millis().to_string().as_str()
        );
        let response = transport.send(request).unwrap();
        assert_eq!(
            response.status(),
            201,
            "{:?}",
            String::from_utf8_lossy(response.body())
        );
        assert!(
            !core
                .response(&op, &response)
                .unwrap()
                .order_group_id
                .is_empty()
        );
    }
    assert_eq!(counting.calls(), signed, "a request was signed inline");

    // The pool is empty for that path now: the next request is signed inline, and accepted.
    let now = Timestamp::from_millis(sim.now_ms());
    let request = core.request_presigned(&op, &pool, now).unwrap();
    assert_eq!(
        request.headers()[HEADER_ACCESS_TIMESTAMP],
        now.as_millis().to_string().as_str()
    );
    assert_eq!(transport.send(request).unwrap().status(), 201);
    assert_eq!(counting.calls(), signed + 1);

    // Unregistered requests go through the pool's credentials unchanged.
    let groups = transport.execute(&GetOrderGroups::new()).unwrap();
    assert_eq!(groups.order_groups.len(), 4);
    sim.shutdown();
}

#[test]
fn a_pool_with_the_wrong_key_is_refused_by_the_simulator() {
    // A different key under the demo key id: the simulator must say 401, so the acceptance
    // above is not an accident of a lax check.
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    let other = kalshi_core::auth::RsaPssSigner::new(
        kalshi_core::PrivateKey::from_pem(include_str!("../../core/testdata/test-key.pkcs1.pem"))
            .unwrap(),
    );
    let pool = SignAheadPool::new(
        signers::credentials(Arc::new(other)),
        SignAheadConfig::default(),
    );
    let core = Client::new(
        Environment::custom(&sim.base_url()).unwrap(),
        pool.credentials(),
    );
    let op = CreateOrderGroup::new(10);
    pool.register_op(&core, &op);
    pool.refill(Timestamp::from_millis(sim.now_ms())).unwrap();
    let request = core
        .request_presigned(&op, &pool, Timestamp::from_millis(sim.now_ms()))
        .unwrap();
    let response = BlockingClient::new(core.clone()).send(request).unwrap();
    assert_eq!(response.status(), 401);
    sim.shutdown();
}
