//! The pool's rules, checked with a counting signer and the published public key. No test here
//! depends on the wall clock: every `now` is an argument.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::auth::{HEADER_ACCESS_SIGNATURE, HEADER_ACCESS_TIMESTAMP, RsaPssSigner, VerifyingKey};
use crate::order_groups::{CreateOrderGroup, GetOrderGroup};
use crate::{Environment, PrivateKey};

const PKCS1: &str = include_str!("../../../testdata/test-key.pkcs1.pem");
const PUBLIC: &str = include_str!("../../../testdata/test-key.pub.pem");
const T0: u64 = 1_703_123_456_000;

/// The real signer, counting how often it is asked.
struct Counting {
    inner: RsaPssSigner,
    calls: AtomicUsize,
}

impl Signer for Counting {
    fn sign(&self, message: &[u8]) -> Result<String, Error> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.sign(message)
    }
}

fn counting() -> Arc<Counting> {
    Arc::new(Counting {
        inner: RsaPssSigner::new(PrivateKey::from_pem(PKCS1).unwrap()),
        calls: AtomicUsize::new(0),
    })
}

fn pool_with(config: SignAheadConfig) -> (Arc<SignAheadPool>, Arc<Counting>, Client) {
    let signer = counting();
    let creds = Credentials::new("test-key", signer.clone()).unwrap();
    let pool = SignAheadPool::new(creds, config);
    let client = Client::new(Environment::Demo, pool.credentials());
    pool.register_op(&client, &CreateOrderGroup::new(1));
    (pool, signer, client)
}

const CREATE: &str = "/trade-api/v2/portfolio/order_groups/create";

fn ts(ms: u64) -> Timestamp {
    Timestamp::from_millis(ms)
}

#[test]
fn refill_fills_each_registered_path_to_depth_and_only_tops_up() {
    let (pool, signer, client) = pool_with(SignAheadConfig::default().depth(3));
    pool.register_order_paths(client.base_url());
    pool.register_order_paths(client.base_url()); // twice: no duplicates
    assert_eq!(pool.refill(ts(T0)).unwrap(), 4 * 3);
    assert_eq!(signer.calls.load(Ordering::SeqCst), 12);
    for (m, p) in [
        (Method::POST, CREATE),
        (Method::POST, "/trade-api/v2/portfolio/events/orders"),
        (
            Method::POST,
            "/trade-api/v2/portfolio/events/orders/batched",
        ),
        (
            Method::DELETE,
            "/trade-api/v2/portfolio/events/orders/batched",
        ),
    ] {
        assert_eq!(pool.available(&m, p, ts(T0)), 3, "{m} {p}");
    }
    assert_eq!(pool.refill(ts(T0 + 10)).unwrap(), 0);
    pool.take(&Method::POST, CREATE, ts(T0 + 10)).unwrap();
    assert_eq!(pool.refill(ts(T0 + 20)).unwrap(), 1);
}

#[test]
fn each_signature_is_used_once_and_verifies_for_its_timestamp() {
    let (pool, _, _) = pool_with(SignAheadConfig::default().depth(4));
    pool.refill(ts(T0)).unwrap();
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (t, sig) = pool.take(&Method::POST, CREATE, ts(T0 + 100)).unwrap();
        assert_eq!(t, ts(T0));
        assert_eq!(key.verify_request(T0, "POST", CREATE, &sig), Ok(()));
        assert!(!seen.contains(&sig));
        seen.push(sig);
    }
    assert_eq!(pool.take(&Method::POST, CREATE, ts(T0 + 100)), None);
    // Nothing for another method or path.
    pool.refill(ts(T0)).unwrap();
    assert_eq!(pool.take(&Method::GET, CREATE, ts(T0)), None);
    assert_eq!(pool.take(&Method::POST, "/trade-api/v2/x", ts(T0)), None);
}

#[test]
fn never_hands_out_a_signature_older_than_max_age_or_from_the_future() {
    let (pool, _, _) = pool_with(SignAheadConfig::default().max_age(Duration::from_millis(5000)));
    pool.refill(ts(T0)).unwrap();
    assert_eq!(pool.take(&Method::POST, CREATE, ts(T0 + 5001)), None);
    assert_eq!(pool.available(&Method::POST, CREATE, ts(T0 + 5001)), 0);
    // The clock went back: a signature stamped later than now (lead 0) is not used.
    assert_eq!(pool.take(&Method::POST, CREATE, ts(T0 - 1)), None);
    assert_eq!(
        pool.take(&Method::POST, CREATE, ts(T0 + 5000))
            .map(|(t, _)| t),
        Some(ts(T0))
    );
    // A refill drops the stale ones and stamps the new time.
    assert_eq!(pool.refill(ts(T0 + 6000)).unwrap(), 8);
    assert_eq!(
        pool.take(&Method::POST, CREATE, ts(T0 + 6000))
            .map(|(t, _)| t),
        Some(ts(T0 + 6000))
    );
}

#[test]
fn the_freshest_usable_signature_is_used_first() {
    let (pool, _, _) = pool_with(SignAheadConfig::default().depth(2));
    pool.refill(ts(T0)).unwrap();
    pool.take(&Method::POST, CREATE, ts(T0)).unwrap();
    pool.refill(ts(T0 + 300)).unwrap();
    let order: Vec<_> = (0..2)
        .filter_map(|_| pool.take(&Method::POST, CREATE, ts(T0 + 400)))
        .map(|(t, _)| t.as_millis() - T0)
        .collect();
    assert_eq!(order, [300, 0]);
}

#[test]
fn lead_stamps_ahead_and_allows_that_much_future() {
    let config = SignAheadConfig::default().lead(Duration::from_millis(500));
    let (pool, _, _) = pool_with(config);
    pool.refill(ts(T0)).unwrap();
    let (t, _) = pool.take(&Method::POST, CREATE, ts(T0)).unwrap();
    assert_eq!(t, ts(T0 + 500));
    assert_eq!(pool.take(&Method::POST, CREATE, ts(T0 - 1)), None);
    assert!(pool.take(&Method::POST, CREATE, ts(T0 + 5500)).is_some());
    assert_eq!(pool.take(&Method::POST, CREATE, ts(T0 + 5501)), None);
}

#[test]
fn a_warm_presigned_request_does_no_rsa_and_verifies() {
    let (pool, signer, client) = pool_with(SignAheadConfig::default());
    pool.refill(ts(T0)).unwrap();
    let before = signer.calls.load(Ordering::SeqCst);
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    let req = client
        .request_presigned(&CreateOrderGroup::new(10), &pool, ts(T0 + 1234))
        .unwrap();
    assert_eq!(signer.calls.load(Ordering::SeqCst), before, "signed inline");
    assert_eq!(
        req.headers()[HEADER_ACCESS_TIMESTAMP],
        T0.to_string().as_str()
    );
    let sig = req.headers()[HEADER_ACCESS_SIGNATURE].to_str().unwrap();
    assert_eq!(
        key.verify_request(T0, "POST", req.uri().path(), sig),
        Ok(())
    );
    assert_eq!(req.body(), br#"{"contracts_limit":10}"#);
    assert_eq!(pool.available(&Method::POST, CREATE, ts(T0 + 1234)), 7);
    assert!(pool.state().claimed.is_empty());
}

#[test]
fn an_empty_pool_or_an_unregistered_path_signs_inline_at_now() {
    let (pool, signer, client) = pool_with(SignAheadConfig::default());
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    // Empty.
    let req = client
        .request_presigned(&CreateOrderGroup::new(10), &pool, ts(T0 + 7))
        .unwrap();
    assert_eq!(signer.calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        req.headers()[HEADER_ACCESS_TIMESTAMP],
        (T0 + 7).to_string().as_str()
    );
    let sig = req.headers()[HEADER_ACCESS_SIGNATURE].to_str().unwrap();
    assert_eq!(key.verify_request(T0 + 7, "POST", CREATE, sig), Ok(()));
    // Not registered.
    pool.refill(ts(T0)).unwrap();
    let calls = signer.calls.load(Ordering::SeqCst);
    let req = client
        .request_presigned(&GetOrderGroup::new("og-1"), &pool, ts(T0 + 8))
        .unwrap();
    assert_eq!(signer.calls.load(Ordering::SeqCst), calls + 1);
    let sig = req.headers()[HEADER_ACCESS_SIGNATURE].to_str().unwrap();
    assert_eq!(
        key.verify_request(T0 + 8, "GET", req.uri().path(), sig),
        Ok(())
    );
    // Stale.
    let req = client
        .request_presigned(&CreateOrderGroup::new(10), &pool, ts(T0 + 60_000))
        .unwrap();
    assert_eq!(
        req.headers()[HEADER_ACCESS_TIMESTAMP],
        (T0 + 60_000).to_string().as_str()
    );
}

#[test]
fn a_client_with_other_credentials_does_not_touch_the_pool() {
    let (pool, _, _) = pool_with(SignAheadConfig::default());
    pool.refill(ts(T0)).unwrap();
    let plain = Client::new(
        Environment::Demo,
        Credentials::from_pem("test-key", PKCS1).unwrap(),
    );
    let req = plain
        .request_presigned(&CreateOrderGroup::new(10), &pool, ts(T0 + 5))
        .unwrap();
    assert_eq!(
        req.headers()[HEADER_ACCESS_TIMESTAMP],
        (T0 + 5).to_string().as_str()
    );
    assert_eq!(pool.available(&Method::POST, CREATE, ts(T0 + 5)), 8);
}

#[test]
fn a_refused_operation_claims_nothing() {
    let (pool, _, client) = pool_with(SignAheadConfig::default());
    pool.refill(ts(T0)).unwrap();
    let err = client
        .request_presigned(&CreateOrderGroup::new(0), &pool, ts(T0))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    assert_eq!(pool.available(&Method::POST, CREATE, ts(T0)), 8);
    assert!(pool.state().claimed.is_empty());
}

#[test]
fn plain_requests_through_pool_credentials_still_sign_inline() {
    let (pool, signer, client) = pool_with(SignAheadConfig::default());
    pool.refill(ts(T0)).unwrap();
    let calls = signer.calls.load(Ordering::SeqCst);
    let req = client
        .request(&CreateOrderGroup::new(3), ts(T0 + 1))
        .unwrap();
    assert_eq!(signer.calls.load(Ordering::SeqCst), calls + 1);
    let key = VerifyingKey::from_pem(PUBLIC).unwrap();
    let sig = req.headers()[HEADER_ACCESS_SIGNATURE].to_str().unwrap();
    assert_eq!(key.verify_request(T0 + 1, "POST", CREATE, sig), Ok(()));
}

#[test]
fn concurrent_builders_never_share_a_signature() {
    let (pool, _, client) = pool_with(SignAheadConfig::default().depth(16));
    pool.refill(ts(T0)).unwrap();
    let sigs: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    (0..4)
                        .map(|_| {
                            let req = client
                                .request_presigned(&CreateOrderGroup::new(1), &pool, ts(T0 + 1))
                                .unwrap();
                            assert_eq!(
                                req.headers()[HEADER_ACCESS_TIMESTAMP],
                                T0.to_string().as_str()
                            );
                            req.headers()[HEADER_ACCESS_SIGNATURE]
                                .to_str()
                                .unwrap()
                                .to_owned()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut unique = sigs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 16);
    assert_eq!(pool.available(&Method::POST, CREATE, ts(T0 + 1)), 0);
}

#[test]
fn register_refuses_paths_that_are_not_from_the_root_and_debug_is_safe() {
    let (pool, _, _) = pool_with(SignAheadConfig::default());
    assert!(pool.register(Method::POST, "portfolio/x").is_err());
    assert!(pool.register(Method::POST, "/a?b=1").is_err());
    let dbg = format!("{pool:?}");
    assert!(dbg.contains("test-key") && !dbg.contains("MII"), "{dbg}");
    assert_eq!(pool.credentials().key_id(), "test-key");
    assert_eq!(pool.credentials().signer().name(), "sign-ahead pool");
}
