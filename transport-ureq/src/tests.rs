//! Transport tests against tiny hand-written servers on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use kalshi_core::order_groups::GetOrderGroup;
use kalshi_core::{Client, Credentials, Environment};

use super::*;

mod retry;
mod stream;
mod stream_client;

/// One request as a tiny server read it.
#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

/// Reads one request (head, then a `Content-Length` body); `None` at end of stream.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).ok()?;
        if n == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut seen = Seen {
        head,
        body: Vec::new(),
    };
    let len: usize = seen
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    seen.body = vec![0; len];
    reader.read_exact(&mut seen.body).ok()?;
    Some(seen)
}

/// What a test server does with one request on a connection.
enum Reply {
    /// Write these bytes and keep reading requests on the connection.
    KeepAlive(Vec<u8>),
    /// Write these bytes and close the connection.
    Close(Vec<u8>),
    /// Say nothing for this long, then close.
    Stall(Duration),
}

/// A server on 127.0.0.1:0 answering each request with `reply`. It accepts at most
/// `max_conns` connections, serves each in its own thread, reports every request it reads on the
/// returned channel, and counts connections in the returned counter.
fn serve<F>(max_conns: usize, reply: F) -> (SocketAddr, mpsc::Receiver<Seen>, Arc<AtomicUsize>)
where
    F: Fn(&Seen) -> Reply + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let (tx, rx) = mpsc::channel();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    let reply = Arc::new(reply);
    thread::spawn(move || {
        for stream in listener.incoming().take(max_conns) {
            let Ok(stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let tx = tx.clone();
            let reply = Arc::clone(&reply);
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let Ok(mut writer) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                while let Some(seen) = read_request(&mut reader) {
                    let action = reply(&seen);
                    let _ = tx.send(seen);
                    match action {
                        Reply::KeepAlive(bytes) => {
                            if writer.write_all(&bytes).is_err() {
                                return;
                            }
                        }
                        Reply::Close(bytes) => {
                            let _ = writer.write_all(&bytes);
                            return;
                        }
                        Reply::Stall(d) => {
                            thread::sleep(d);
                            return;
                        }
                    }
                }
            });
        }
    });
    (addr, rx, accepted)
}

fn response(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url)
        .header("user-agent", "transport-test")
        .body(Vec::new())
        .expect("valid request")
}

fn transport(config: Config) -> BlockingClient {
    let credentials = Credentials::from_pem(
        kalshi_simulator::DEMO_KEY_ID,
        kalshi_simulator::DEMO_PRIVATE_KEY_PEM,
    )
    .expect("demo key");
    let environment = Environment::custom("http://127.0.0.1:9/trade-api/v2").expect("base url");
    BlockingClient::with_config(Client::new(environment, credentials), config)
}

/// A client whose core points at `addr`.
fn client_for(addr: SocketAddr, config: Config) -> BlockingClient {
    let credentials = Credentials::from_pem(
        kalshi_simulator::DEMO_KEY_ID,
        kalshi_simulator::DEMO_PRIVATE_KEY_PEM,
    )
    .expect("demo key");
    let environment =
        Environment::custom(&format!("http://{addr}/trade-api/v2")).expect("base url");
    BlockingClient::with_config(Client::new(environment, credentials), config)
}

fn quick() -> Config {
    Config::default()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
}

/// The build's crypto backend: the signer `Credentials::from_pem` picks and the rustls provider
/// (`AwsLcRs` or `Ring`, as rustls's providers print themselves).
fn expected_backend() -> (&'static str, &'static str) {
    if cfg!(feature = "aws-lc") {
        ("rsa-pss (aws-lc-rs)", "AwsLcRs")
    } else {
        (kalshi_core::auth::RsaPssSigner::NAME, "Ring")
    }
}

#[test]
fn the_ordinary_constructor_signs_and_tls_runs_on_the_features_backend() {
    let (signer, tls) = expected_backend();
    // Default features: AWS-LC for both; `--no-default-features --features ring`: the pure-Rust
    // signer and ring.
    let client = transport(quick());
    assert_eq!(client.core().credentials().signer_name(), signer);
    let provider = client
        .agent
        .config()
        .tls_config()
        .unversioned_rustls_crypto_provider()
        .clone()
        .expect("the provider is set on the agent, not taken from a process default");
    assert_eq!(format!("{:?}", provider.secure_random), tls);
    assert_eq!(format!("{:?}", tls_crypto_provider().secure_random), tls);
}

#[test]
fn config_defaults() {
    let c = Config::default();
    assert_eq!(c.connect_timeout, Duration::from_secs(5));
    assert_eq!(c.timeout, Duration::from_secs(30));
    assert_eq!(c.max_response_bytes, 32 * 1024 * 1024);
    assert!(c.max_idle_connections > 0 && c.max_idle_connections_per_host > 0);
    assert!(!c.proxy_from_env);
}

#[test]
fn connection_refused_is_connect() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let err = transport(quick())
        .send(get(&format!("http://127.0.0.1:{port}/x")))
        .expect_err("nothing listens there");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.outcome_unknown());
    assert!(err.to_string().contains("connection failed"), "{err}");
}

#[test]
fn silent_server_is_timeout_after_connect() {
    let (addr, rx, _) = serve(1, |_| Reply::Stall(Duration::from_secs(5)));
    let client = transport(quick().timeout(Duration::from_millis(400)));
    let err = client
        .send(get(&format!("http://{addr}/slow")))
        .expect_err("the server never answers");
    assert!(
        matches!(
            err,
            Error::Timeout {
                connected: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    assert!(rx.try_recv().is_ok(), "the request reached the server");
}

#[test]
fn short_body_is_body_cut() {
    let (addr, _rx, _) = serve(1, |_| {
        Reply::Close(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"order_groups\":".to_vec())
    });
    let err = transport(quick())
        .send(get(&format!("http://{addr}/cut")))
        .expect_err("the body is cut");
    assert!(matches!(err, Error::BodyCut(_)), "{err:?}");
    assert!(err.outcome_unknown());
}

#[test]
fn cut_chunked_body_is_body_cut() {
    let (addr, _rx, _) = serve(1, |_| {
        Reply::Close(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n40\r\nabc"
                .to_vec(),
        )
    });
    let err = transport(quick())
        .send(get(&format!("http://{addr}/cut")))
        .expect_err("the body is cut");
    assert!(matches!(err, Error::BodyCut(_)), "{err:?}");
}

#[test]
fn declared_length_over_the_cap_is_too_large() {
    let (addr, _rx, _) = serve(1, |_| Reply::Close(response("200 OK", &[], &[b'x'; 4096])));
    let err = transport(quick().max_response_bytes(1024))
        .send(get(&format!("http://{addr}/big")))
        .expect_err("too large");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
}

#[test]
fn an_abandoned_body_does_not_poison_the_pool() {
    // Big answers first, then small ones, on keep-alive connections.
    let (addr, _rx, _) = serve(4, |seen| {
        if seen.head.starts_with("GET /big") {
            Reply::KeepAlive(response("200 OK", &[], &[b'x'; 4096]))
        } else {
            Reply::KeepAlive(response("200 OK", &[], b"small"))
        }
    });
    let client = transport(quick().max_response_bytes(1024));
    for _ in 0..2 {
        let err = client
            .send(get(&format!("http://{addr}/big")))
            .expect_err("too large");
        assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
        let resp = client
            .send(get(&format!("http://{addr}/small")))
            .expect("the next request works");
        assert_eq!(resp.body(), b"small");
    }
}

#[test]
fn chunked_body_over_the_cap_is_too_large() {
    let (addr, _rx, _) = serve(1, |_| {
        let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..4 {
            out.extend_from_slice(b"200\r\n");
            out.extend_from_slice(&[b'y'; 0x200]);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        Reply::Close(out)
    });
    let err = transport(quick().max_response_bytes(1024))
        .send(get(&format!("http://{addr}/big")))
        .expect_err("too large");
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
}

#[test]
fn body_exactly_at_the_cap_is_read() {
    let (addr, _rx, _) = serve(1, |_| Reply::Close(response("200 OK", &[], &[b'z'; 1024])));
    let resp = transport(quick().max_response_bytes(1024))
        .send(get(&format!("http://{addr}/fits")))
        .expect("fits");
    assert_eq!(resp.body().len(), 1024);
}

#[test]
fn plain_http_off_loopback_is_refused_before_connecting() {
    let client = transport(quick());
    for url in [
        "http://example.com/trade-api/v2/portfolio/order_groups",
        "http://127.0.0.1.example.com/x",
        "ftp://127.0.0.1/x",
        "ws://localhost/x",
    ] {
        let err = client.send(get(url)).expect_err(url);
        assert!(matches!(err, Error::InsecureUrl(_)), "{url}: {err:?}");
        assert!(err.is_refused_before_sending());
        assert!(!err.outcome_unknown());
    }
    let err = client.send(get("/no/scheme")).expect_err("relative");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[test]
fn loopback_check() {
    let ok = |u: &str| check_uri(&u.parse().expect("uri"), u).is_ok();
    for u in [
        "https://example.com/x",
        "HTTPS://EXAMPLE.COM/x",
        "http://127.0.0.1:8080/x",
        "http://127.8.9.10/",
        "http://[::1]:80/x",
        "http://localhost:1/x",
        "http://LocalHost/x",
    ] {
        assert!(ok(u), "{u} refused");
    }
    for u in [
        "http://example.com/x",
        "http://10.0.0.1/x",
        "http://0.0.0.0/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://localhost.example.com/x",
        "ftp://127.0.0.1/x",
    ] {
        assert!(!ok(u), "{u} accepted");
    }
}

#[test]
fn redirect_is_returned_not_followed() {
    let (other, other_rx, _) = serve(1, |_| Reply::Close(response("200 OK", &[], b"{}")));
    let location = format!("Location: http://{other}/elsewhere");
    let (addr, _rx, _) = serve(1, move |_| {
        Reply::Close(response("302 Found", &[&location], b""))
    });
    let resp = transport(quick())
        .send(get(&format!("http://{addr}/moved")))
        .expect("a 302 is a response");
    assert_eq!(resp.status(), 302);
    thread::sleep(Duration::from_millis(100));
    assert!(other_rx.try_recv().is_err(), "the redirect was followed");

    // Through the core, a redirect is an unexpected status.
    let (addr, _rx, _) = serve(1, |_| {
        Reply::Close(response(
            "301 Moved Permanently",
            &["Location: https://example.com/"],
            b"",
        ))
    });
    let err = client_for(addr, quick())
        .execute(&GetOrderGroup::new("og-1"))
        .expect_err("301");
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::UnexpectedStatus(_))),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
}

#[test]
fn error_statuses_reach_the_core() {
    let body = br#"{"error":{"code":"internal_error","message":"boom"}}"#;
    let (addr, _rx, _) = serve(2, move |_| {
        Reply::KeepAlive(response("503 Service Unavailable", &[], body))
    });
    let client = client_for(
        addr,
        quick().retry(kalshi_core::retry::RetryPolicy::never()),
    );
    let raw = client
        .send(get(&format!("http://{addr}/x")))
        .expect("a 503 is a response");
    assert_eq!(raw.status(), 503);
    assert_eq!(raw.body(), body);

    let err = client
        .execute(&GetOrderGroup::new("og-1"))
        .expect_err("503");
    match &err {
        Error::Api(kalshi_core::Error::ServerError(e)) => {
            assert_eq!(e.status, 503);
            assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
            assert_eq!(
                e.error.as_ref().and_then(|d| d.code.as_deref()),
                Some("internal_error")
            );
        }
        other => panic!("expected ServerError, got {other:?}"),
    }
    assert!(err.outcome_unknown());
}

#[test]
fn garbage_answer_is_protocol() {
    let (addr, _rx, _) = serve(1, |_| Reply::Close(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()));
    let err = transport(quick())
        .send(get(&format!("http://{addr}/x")))
        .expect_err("not http");
    assert!(matches!(err, Error::Protocol(_)), "{err:?}");
    assert!(err.outcome_unknown());
}

#[test]
fn closed_before_answering_is_disconnected() {
    let (addr, _rx, _) = serve(1, |_| Reply::Close(Vec::new()));
    let err = transport(quick())
        .send(get(&format!("http://{addr}/x")))
        .expect_err("no answer");
    assert!(matches!(err, Error::Disconnected(_)), "{err:?}");
    assert!(err.outcome_unknown());
}

#[test]
fn https_to_a_plain_server_is_tls() {
    // A plain TCP server that answers the ClientHello with plain HTTP.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(&response("400 Bad Request", &[], b"plain http"));
            thread::sleep(Duration::from_millis(200));
        }
    });
    let err = transport(quick())
        .send(get(&format!("https://{addr}/x")))
        .expect_err("not TLS");
    assert!(matches!(err, Error::Tls(_)), "{err:?}");
    assert!(!err.outcome_unknown());
}

#[test]
fn keep_alive_reuses_one_connection() {
    let (addr, rx, accepted) = serve(4, |seen| {
        let path = seen.head.split(' ').nth(1).unwrap_or("").to_owned();
        Reply::KeepAlive(response("200 OK", &[], path.as_bytes()))
    });
    let client = transport(quick());
    for i in 0..3 {
        let resp = client
            .send(get(&format!("http://{addr}/n/{i}")))
            .expect("answer");
        assert_eq!(resp.body(), format!("/n/{i}").as_bytes());
    }
    assert_eq!(rx.iter().take(3).count(), 3);
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "connections were not reused"
    );
}

#[test]
fn headers_and_body_go_out_as_built() {
    let (addr, rx, _) = serve(2, |_| Reply::KeepAlive(response("201 Created", &[], b"{}")));
    let client = transport(quick());

    let post = http::Request::post(format!("http://{addr}/p%2Fq?x=1"))
        .header("user-agent", "kalshi-rs/test")
        .header("content-type", "application/json")
        .body(br#"{"contracts_limit":10}"#.to_vec())
        .expect("request");
    assert_eq!(client.send(post).expect("answer").status(), 201);
    let seen = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("request seen");
    assert!(
        seen.head.starts_with("POST /p%2Fq?x=1 HTTP/1.1\r\n"),
        "{}",
        seen.head
    );
    assert_eq!(seen.body, br#"{"contracts_limit":10}"#);
    assert_eq!(seen.header("user-agent").as_deref(), Some("kalshi-rs/test"));
    assert_eq!(seen.header("accept-encoding"), None);

    client
        .send(get(&format!("http://{addr}/g")))
        .expect("answer");
    let seen = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("request seen");
    assert!(
        seen.head.starts_with("GET /g HTTP/1.1\r\n"),
        "{}",
        seen.head
    );
    assert_eq!(seen.header("content-length"), None);
    assert_eq!(seen.header("user-agent").as_deref(), Some("transport-test"));
}

#[test]
fn core_refusals_are_not_sent() {
    let err = transport(quick())
        .execute(&GetOrderGroup::new(""))
        .expect_err("empty id");
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::InvalidInput { .. })),
        "{err:?}"
    );
    assert!(err.is_refused_before_sending());
    assert!(!err.outcome_unknown());
}

#[test]
fn error_conversions_and_display() {
    let core = kalshi_core::Error::invalid("contracts_limit", "must be at least 1");
    let err: Error = core.clone().into();
    assert_eq!(err.to_string(), core.to_string());
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(err.api().map(ToString::to_string), Some(core.to_string()));
    let t = Error::Timeout {
        connected: false,
        message: "GET https://x/: connect".into(),
    };
    assert!(!t.outcome_unknown());
    assert_eq!(t.message(), "GET https://x/: connect");
    assert!(t.to_string().starts_with("timed out before connecting"));
}

#[test]
fn client_and_error_are_thread_safe() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<BlockingClient>();
    send_sync::<Error>();
    send_sync::<Config>();
}
