//! Stream URLs of every environment, the signed handshake, and the reconnection backoff.

use std::time::{Duration, Instant};

use super::*;
use crate::auth::VerifyingKey;

const PKCS1: &str = include_str!("../../../testdata/test-key.pkcs1.pem");
const PUBLIC: &str = include_str!("../../../testdata/test-key.pub.pem");
const OTHER_PUBLIC: &str = include_str!("../../../testdata/other-key.pub.pem");

fn credentials() -> Credentials {
    Credentials::from_pem("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", PKCS1).unwrap()
}

#[test]
fn every_environment_has_its_stream_url() {
    let cases = [
        (
            Environment::Production,
            "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
        ),
        (
            Environment::Demo,
            "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2",
        ),
        (
            Environment::ProductionShared,
            "wss://api.elections.kalshi.com/trade-api/ws/v2",
        ),
        (
            Environment::DemoShared,
            "wss://demo-api.kalshi.co/trade-api/ws/v2",
        ),
    ];
    for (environment, expected) in cases {
        let url = environment.stream_url();
        assert_eq!(url.to_string(), expected, "{environment:?}");
        assert!(url.is_secure());
        assert_eq!(url.port(), 443);
        assert_eq!(url.path(), STREAM_PATH);
        assert_eq!(url.host(), url.authority());
    }
}

#[test]
fn custom_base_urls_on_kalshi_hosts_map_to_their_stream_hosts() {
    for (base, expected) in [
        (
            "https://external-api.kalshi.com/trade-api/v2",
            "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
        ),
        (
            "https://EXTERNAL-API.demo.kalshi.co/trade-api/v2/",
            "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2",
        ),
        (
            "https://api.elections.kalshi.com/trade-api/v2",
            "wss://api.elections.kalshi.com/trade-api/ws/v2",
        ),
        (
            "https://demo-api.kalshi.co/trade-api/v2",
            "wss://demo-api.kalshi.co/trade-api/ws/v2",
        ),
    ] {
        let environment = Environment::custom(base).unwrap();
        assert_eq!(environment.stream_url().to_string(), expected, "{base}");
    }
}

#[test]
fn other_custom_base_urls_keep_their_authority() {
    for (base, expected, host, port) in [
        (
            "https://proxy.example.com/trade-api/v2",
            "wss://proxy.example.com/trade-api/ws/v2",
            "proxy.example.com",
            443,
        ),
        (
            "https://proxy.example.com:8443/kalshi/trade-api/v2",
            "wss://proxy.example.com:8443/trade-api/ws/v2",
            "proxy.example.com",
            8443,
        ),
        (
            "http://127.0.0.1:8080/trade-api/v2",
            "ws://127.0.0.1:8080/trade-api/ws/v2",
            "127.0.0.1",
            8080,
        ),
        (
            "http://localhost/trade-api/v2",
            "ws://localhost/trade-api/ws/v2",
            "localhost",
            80,
        ),
        (
            "http://[::1]:9000/trade-api/v2",
            "ws://[::1]:9000/trade-api/ws/v2",
            "::1",
            9000,
        ),
        (
            "https://[2001:db8::1]/trade-api/v2",
            "wss://[2001:db8::1]/trade-api/ws/v2",
            "2001:db8::1",
            443,
        ),
    ] {
        let url = StreamUrl::for_environment(&Environment::custom(base).unwrap());
        assert_eq!(url.to_string(), expected, "{base}");
        assert_eq!(url.host(), host, "{base}");
        assert_eq!(url.port(), port, "{base}");
        assert_eq!(url.is_secure(), base.starts_with("https"), "{base}");
    }
    // Plain http off loopback never becomes a base URL, so it never becomes a stream URL.
    assert!(Environment::custom("http://example.com/trade-api/v2").is_err());
}

#[test]
fn stream_urls_given_in_full_follow_the_same_rules() {
    for (ok, shown) in [
        (
            "wss://proxy.example.com/kalshi/ws",
            "wss://proxy.example.com/kalshi/ws",
        ),
        (
            "WSS://proxy.example.com",
            "wss://proxy.example.com/trade-api/ws/v2",
        ),
        (
            "ws://127.0.0.1:9/trade-api/ws/v2",
            "ws://127.0.0.1:9/trade-api/ws/v2",
        ),
        ("ws://localhost:9/", "ws://localhost:9/trade-api/ws/v2"),
        ("ws://[::1]:9/x", "ws://[::1]:9/x"),
    ] {
        let url = StreamUrl::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(url.to_string(), shown);
    }
    for bad in [
        "ws://example.com/trade-api/ws/v2",
        "ws://10.0.0.1/trade-api/ws/v2",
        "ws://127.0.0.1.example.com/",
        "https://example.com/trade-api/ws/v2",
        "example.com/trade-api/ws/v2",
        "wss://user:pw@example.com/",
        "wss://example.com/trade-api/ws/v2?x=1",
        "wss://example.com/trade-api/ws/v2#f",
        "",
    ] {
        assert!(
            matches!(StreamUrl::parse(bad), Err(Error::InvalidBaseUrl(_))),
            "{bad} accepted"
        );
    }
}

#[test]
fn the_handshake_is_signed_like_rest_over_get_and_the_stream_path() {
    let ts = 1_703_123_456_789;
    let key = WebSocketKey::from_random(*b"the sample nonce");
    let verifier = VerifyingKey::from_pem(PUBLIC).unwrap();
    let other = VerifyingKey::from_pem(OTHER_PUBLIC).unwrap();
    for environment in [
        Environment::Production,
        Environment::Demo,
        Environment::DemoShared,
        Environment::custom("http://127.0.0.1:4321/trade-api/v2").unwrap(),
    ] {
        let url = environment.stream_url();
        let request =
            handshake_request(&url, &credentials(), Timestamp::from_millis(ts), &key).unwrap();
        assert_eq!(request.method(), http::Method::GET);
        assert_eq!(request.uri().to_string(), url.to_string());
        assert_eq!(request.uri().path(), "/trade-api/ws/v2");
        let h = request.headers();
        assert_eq!(h["host"], url.authority());
        assert_eq!(h["connection"], "Upgrade");
        assert_eq!(h["upgrade"], "websocket");
        assert_eq!(h["sec-websocket-version"], "13");
        assert_eq!(h["sec-websocket-key"], "dGhlIHNhbXBsZSBub25jZQ==");
        assert_eq!(h["user-agent"], DEFAULT_USER_AGENT);
        assert_eq!(
            h["KALSHI-ACCESS-KEY"],
            "a952bcbe-ec3b-4b5b-b8f9-11dae589608c"
        );
        assert_eq!(h["KALSHI-ACCESS-TIMESTAMP"], "1703123456789");
        let signature = h["KALSHI-ACCESS-SIGNATURE"].to_str().unwrap();
        // Exactly timestamp + "GET" + "/trade-api/ws/v2", nothing else.
        let message = b"1703123456789GET/trade-api/ws/v2";
        assert_eq!(verifier.verify(message, signature), Ok(()));
        assert!(
            verifier
                .verify(b"1703123456789GET/trade-api/v2", signature)
                .is_err()
        );
        assert!(
            verifier
                .verify(b"1703123456790GET/trade-api/ws/v2", signature)
                .is_err()
        );
        assert!(other.verify(message, signature).is_err());
        assert_eq!(h.len(), 9, "{h:?}");
    }
}

#[test]
fn a_stream_url_with_its_own_path_signs_that_path() {
    let url = StreamUrl::parse("wss://proxy.example.com/kalshi/ws").unwrap();
    let key = WebSocketKey::from_random([0; 16]);
    let request = handshake_request(&url, &credentials(), Timestamp::from_millis(5), &key).unwrap();
    let signature = request.headers()["KALSHI-ACCESS-SIGNATURE"]
        .to_str()
        .unwrap();
    let verifier = VerifyingKey::from_pem(PUBLIC).unwrap();
    assert_eq!(
        verifier.verify_request(5, "GET", "/kalshi/ws", signature),
        Ok(())
    );
}

#[test]
fn websocket_keys_are_the_base64_of_the_callers_bytes() {
    assert_eq!(
        WebSocketKey::from_random([0; 16]).as_str(),
        "AAAAAAAAAAAAAAAAAAAAAA=="
    );
    assert_ne!(
        WebSocketKey::from_random([1; 16]),
        WebSocketKey::from_random([2; 16])
    );
}

#[test]
fn a_refused_handshake_is_classified_like_a_rest_answer() {
    let body = br#"{"error":{"code":"authentication_error","message":"invalid signature"}}"#;
    match handshake_refused(StatusCode::UNAUTHORIZED, body) {
        Error::Unauthorized(api) => {
            assert_eq!(api.status, 401);
            assert_eq!(
                api.error.as_ref().and_then(|e| e.code.as_deref()),
                Some("authentication_error")
            );
            assert_eq!(api.body.bytes(), body);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        handshake_refused(StatusCode::FORBIDDEN, b"forbidden"),
        Error::Forbidden(_)
    ));
    assert!(matches!(
        handshake_refused(StatusCode::TOO_MANY_REQUESTS, b""),
        Error::RateLimited(_)
    ));
    assert!(matches!(
        handshake_refused(StatusCode::BAD_GATEWAY, b"<html>"),
        Error::ServerError(_)
    ));
    let long = vec![b'x'; 1 << 20];
    let e = handshake_refused(StatusCode::UNAUTHORIZED, &long);
    let api = match e {
        Error::Unauthorized(api) => api,
        other => panic!("{other:?}"),
    };
    assert!(api.body.is_truncated() && api.body.bytes().len() < long.len());
}

#[test]
fn backoff_delays_grow_are_jittered_and_stay_in_bounds() {
    let config = BackoffConfig::default();
    for attempt in 0..64 {
        for random in [0, 1, 7_777, u64::MAX / 3, u64::MAX] {
            let d = config.delay(attempt, random);
            assert!(d >= config.initial / 2, "{attempt} {random} {d:?}");
            assert!(d <= config.max, "{attempt} {random} {d:?}");
            let full = (config.initial * 2u32.pow(attempt.max(1).saturating_sub(1).min(20)))
                .min(config.max);
            assert!(d >= full / 2 && d <= full, "{attempt} {random} {d:?}");
        }
    }
    assert!(config.delay(1, 0) < config.delay(4, 0));
    assert_eq!(config.delay(0, 5), config.delay(1, 5));
    assert_ne!(config.delay(10, 1), config.delay(10, 987_654_321));
    let tight = BackoffConfig::default()
        .initial(Duration::from_secs(1))
        .max(Duration::from_secs(2));
    assert!(tight.delay(30, u64::MAX) <= Duration::from_secs(2));
}

#[test]
fn backoff_restarts_only_after_a_healthy_connection() {
    let config = BackoffConfig::default().healthy_after(Duration::from_secs(30));
    let mut b = Backoff::new(config.clone());
    let t0 = Instant::now();
    let d1 = b.next_delay(t0, 0);
    let d2 = b.next_delay(t0, 0);
    let d3 = b.next_delay(t0, 0);
    assert!(d1 < d2 && d2 < d3);
    assert_eq!(b.failures(), 3);

    // Connected, then dropped after 2 s: still failing, the delay keeps growing.
    b.on_connected(t0);
    let d4 = b.next_delay(t0 + Duration::from_secs(2), 0);
    assert!(d4 > d3);
    assert_eq!(b.failures(), 4);

    // Connected for a minute: the next loss starts from the first delay.
    b.on_connected(t0);
    assert_eq!(b.next_delay(t0 + Duration::from_secs(60), 0), d1);
    assert_eq!(b.failures(), 1);

    b.reset();
    assert_eq!(b.failures(), 0);
    assert_eq!(b.next_delay(t0, 0), d1);
    for _ in 0..200 {
        assert!(b.next_delay(t0, u64::MAX) <= config.max);
    }
}
