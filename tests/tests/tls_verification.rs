//! Certificates are verified for every host, loopback included, by both transports, for REST
//! requests and for stream (`wss://`) connections alike.
//!
//! A real TLS server on 127.0.0.1 presents a self-signed certificate for `localhost`
//! (`tests/keys/tls/`). Both clients must abort the handshake with a typed TLS error that names
//! the certificate ([`Error::Certificate`], never retried), and the server's only connection
//! must end in a failed handshake: no request is ever sent. There
//! is no switch to turn verification off in either transport's `Config`, so there is nothing
//! else to test here; plain `http://` off loopback is refused before connecting (tested below
//! too, and in each transport's unit tests).

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use kalshi_core::portfolio::GetBalance;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const CERT: &[u8] = include_bytes!("../keys/tls/localhost.cert.pem");
const KEY: &[u8] = include_bytes!("../keys/tls/localhost.key.pem");

/// What the server saw of one connection.
#[derive(Debug)]
enum Seen {
    /// The handshake failed on the server's side (the client sent an alert or closed).
    HandshakeFailed,
    /// The handshake completed and this many bytes of application data arrived.
    Request(usize),
}

/// Serves TLS with the self-signed certificate to exactly one connection, on a thread that
/// ends by itself (a 10 s read timeout bounds it).
fn tls_server() -> (u16, mpsc::Receiver<Seen>) {
    let certs = vec![CertificateDer::from_pem_slice(CERT).expect("certificate PEM")];
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("key PEM");
    // The provider the transports use in this build (this crate's `aws-lc` or `ring` feature).
    #[cfg(feature = "aws-lc")]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(not(feature = "aws-lc"))]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server certificate");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((mut tcp, _)) = listener.accept() else {
            return;
        };
        tcp.set_read_timeout(Some(Duration::from_secs(10))).ok();
        let mut conn = rustls::ServerConnection::new(config).expect("server connection");
        let seen = loop {
            if !conn.is_handshaking() {
                let mut stream = rustls::Stream::new(&mut conn, &mut tcp);
                let mut buf = [0u8; 4096];
                break Seen::Request(stream.read(&mut buf).unwrap_or(0));
            }
            if conn.complete_io(&mut tcp).is_err() {
                break Seen::HandshakeFailed;
            }
        };
        let _ = tx.send(seen);
    });
    (port, rx)
}

fn core_for(base_url: &str) -> Client {
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    Client::new(
        Environment::custom(base_url).expect("base url"),
        credentials,
    )
}

/// The server's side never completed a handshake (the client sent an alert, as hyper's
/// rustls stream does, or closed, as ureq does), so no request bytes can have been sent.
fn assert_refused_by_the_client(seen: Seen) {
    match seen {
        Seen::HandshakeFailed => {}
        Seen::Request(n) => panic!("the handshake completed and {n} bytes were sent"),
    }
}

fn names_the_certificate(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("certificate") || m.contains("unknownissuer") || m.contains("unknown issuer")
}

#[test]
fn ureq_refuses_a_self_signed_certificate_on_loopback() {
    use kalshi_transport_ureq::{BlockingClient, Config, Error};
    let (port, seen) = tls_server();
    let client = BlockingClient::with_config(
        core_for(&format!("https://127.0.0.1:{port}/trade-api/v2")),
        Config::default(),
    );
    let err = client.execute(&GetBalance::new()).expect_err("self-signed");
    match &err {
        Error::Certificate(message) => assert!(names_the_certificate(message), "{message}"),
        other => panic!("expected a certificate error, got {other:?}"),
    }
    assert!(!err.outcome_unknown(), "nothing was sent: {err:?}");
    assert_refused_by_the_client(seen.recv_timeout(Duration::from_secs(20)).expect("server"));
}

#[tokio::test]
async fn hyper_refuses_a_self_signed_certificate_on_loopback() {
    use kalshi_transport_hyper::{AsyncClient, Config, Error};
    let (port, seen) = tls_server();
    let client = AsyncClient::with_config(
        core_for(&format!("https://127.0.0.1:{port}/trade-api/v2")),
        Config::default(),
    )
    .expect("client");
    let err = client
        .execute(&GetBalance::new())
        .await
        .expect_err("self-signed");
    match &err {
        Error::Certificate(message) => assert!(names_the_certificate(message), "{message}"),
        other => panic!("expected a certificate error, got {other:?}"),
    }
    assert!(!err.outcome_unknown(), "nothing was sent: {err:?}");
    let seen = tokio::task::spawn_blocking(move || seen.recv_timeout(Duration::from_secs(20)))
        .await
        .expect("join")
        .expect("server");
    assert_refused_by_the_client(seen);
}

#[test]
fn plain_http_is_refused_off_loopback_before_anything_is_signed_or_sent() {
    // The core refuses the base URL itself; the transports refuse a hand-built request too
    // (their unit tests), so neither path can reach a socket.
    for url in [
        "http://external-api.kalshi.com/trade-api/v2",
        "http://10.0.0.1/trade-api/v2",
        "http://localhost.example.com/trade-api/v2",
    ] {
        let err = Environment::custom(url).expect_err(url);
        assert!(err.to_string().contains("http"), "{url}: {err}");
    }
    for url in [
        "http://127.0.0.1:1/trade-api/v2",
        "http://localhost:1/trade-api/v2",
        "http://[::1]:1/trade-api/v2",
    ] {
        assert!(Environment::custom(url).is_ok(), "{url}");
    }
}

fn stream_url(port: u16) -> kalshi_core::stream::StreamUrl {
    kalshi_core::stream::StreamUrl::parse(&format!("wss://127.0.0.1:{port}/trade-api/ws/v2"))
        .expect("stream url")
}

#[test]
fn ureq_stream_refuses_a_self_signed_certificate_on_loopback() {
    use kalshi_transport_ureq::{Error, StreamConfig, StreamConnection};
    let (port, seen) = tls_server();
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    let err = StreamConnection::connect(
        &stream_url(port),
        &credentials,
        kalshi_core::Timestamp::now(),
        &StreamConfig::default(),
    )
    .expect_err("self-signed");
    match &err {
        Error::Certificate(message) => assert!(names_the_certificate(message), "{message}"),
        other => panic!("expected a certificate error, got {other:?}"),
    }
    assert_refused_by_the_client(seen.recv_timeout(Duration::from_secs(20)).expect("server"));
}

#[tokio::test]
async fn hyper_stream_refuses_a_self_signed_certificate_on_loopback() {
    use kalshi_transport_hyper::{Error, StreamConfig, StreamConnection};
    let (port, seen) = tls_server();
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    let err = StreamConnection::connect(
        &stream_url(port),
        &credentials,
        kalshi_core::Timestamp::now(),
        &StreamConfig::default(),
    )
    .await
    .expect_err("self-signed");
    match &err {
        Error::Certificate(message) => assert!(names_the_certificate(message), "{message}"),
        other => panic!("expected a certificate error, got {other:?}"),
    }
    let seen = tokio::task::spawn_blocking(move || seen.recv_timeout(Duration::from_secs(20)))
        .await
        .expect("join")
        .expect("server");
    assert_refused_by_the_client(seen);
}
