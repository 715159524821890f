//! Transport tests against tiny raw servers on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroup};
use kalshi_core::{Client, Credentials, Environment};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::*;

pub(crate) fn core_for(base_url: &str) -> Client {
    let credentials = Credentials::from_pem(
        kalshi_simulator::DEMO_KEY_ID,
        kalshi_simulator::DEMO_PRIVATE_KEY_PEM,
    )
    .unwrap();
    Client::new(Environment::custom(base_url).unwrap(), credentials)
}

fn client_with(config: Config) -> AsyncClient {
    AsyncClient::with_config(core_for("http://127.0.0.1:1/trade-api/v2"), config).unwrap()
}

fn get(url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url).body(Vec::new()).unwrap()
}

/// Reads one request (head, and a body by `Content-Length`); `None` when the peer closed.
pub(crate) async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let body_len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + body_len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Serves every connection with `handler`; returns the base URL and the accepted-connection
/// counter.
pub(crate) async fn raw_server<F, Fut>(handler: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handler(stream));
        }
    });
    (format!("http://{addr}"), accepted)
}

/// Answers every request on the connection with `response`, keeping the connection open.
async fn keep_alive_server(response: &'static [u8]) -> (String, Arc<AtomicUsize>) {
    raw_server(move |mut stream| async move {
        while read_request(&mut stream).await.is_some() {
            if stream.write_all(response).await.is_err() {
                return;
            }
        }
    })
    .await
}

#[test]
fn the_ordinary_constructor_signs_and_tls_runs_on_the_features_backend() {
    // Default features: AWS-LC for both; `--no-default-features --features ring`: the pure-Rust
    // signer and ring (rustls's providers print themselves as `AwsLcRs` and `Ring`).
    let (signer, tls) = if cfg!(feature = "aws-lc") {
        ("rsa-pss (aws-lc-rs)", "AwsLcRs")
    } else {
        (kalshi_core::auth::RsaPssSigner::NAME, "Ring")
    };
    let client = client_with(Config::default());
    assert_eq!(client.core().credentials().signer_name(), signer);
    assert_eq!(format!("{:?}", tls_crypto_provider().secure_random), tls);
}

#[tokio::test]
async fn connection_refused_is_connect() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = client_with(Config::default());
    let err = client
        .send(get(&format!("http://127.0.0.1:{port}/x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.outcome_unknown());
    assert!(err.to_string().contains("refused"), "{err}");
}

#[tokio::test]
async fn silent_server_is_timeout() {
    let (url, _) = raw_server(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        // Hold the connection open without answering.
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let client = client_with(Config::default().request_timeout(Duration::from_millis(300)));
    let err = client.send(get(&format!("{url}/x"))).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                maybe_sent: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
}

#[tokio::test]
async fn short_body_is_body_cut() {
    let (url, _) = raw_server(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"order_groups\":")
            .await;
        let _ = stream.shutdown().await;
    })
    .await;
    let client = client_with(Config::default());
    let err = client.send(get(&format!("{url}/x"))).await.unwrap_err();
    assert!(matches!(err, Error::BodyCut(_)), "{err:?}");
    assert!(err.outcome_unknown());
}

#[tokio::test]
async fn close_before_answer_is_body_cut() {
    let (url, _) = raw_server(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nConte").await;
        let _ = stream.shutdown().await;
    })
    .await;
    let client = client_with(Config::default());
    let err = client.send(get(&format!("{url}/x"))).await.unwrap_err();
    assert!(matches!(err, Error::BodyCut(_)), "{err:?}");
}

#[tokio::test]
async fn oversized_announced_body_is_refused() {
    let (url, _) = raw_server(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
            .await;
        let _ = stream.write_all(&[b'x'; 5000]).await;
    })
    .await;
    let client = client_with(Config::default().max_response_body(1024));
    let err = client.send(get(&format!("{url}/x"))).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
}

#[tokio::test]
async fn oversized_streamed_body_is_refused() {
    // Chunked, so the size is only known while streaming; the server never ends the body.
    let (url, _) = raw_server(|mut stream| async move {
        let _ = read_request(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        for _ in 0..64 {
            if stream.write_all(b"100\r\n").await.is_err()
                || stream.write_all(&[b'x'; 256]).await.is_err()
                || stream.write_all(b"\r\n").await.is_err()
            {
                return;
            }
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = client_with(Config::default().max_response_body(1000));
    let err = client.send(get(&format!("{url}/x"))).await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1000, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn body_at_the_limit_is_accepted() {
    let (url, _) =
        keep_alive_server(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789").await;
    let client = client_with(Config::default().max_response_body(10));
    let response = client.send(get(&format!("{url}/x"))).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), b"0123456789");
}

#[tokio::test]
async fn huge_timeouts_mean_no_timeout() {
    let (url, _) = keep_alive_server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").await;
    let config = Config::default()
        .request_timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .pool_idle_timeout(Duration::MAX);
    let client = client_with(config);
    for _ in 0..2 {
        let response = client.send(get(&format!("{url}/x"))).await.unwrap();
        assert_eq!(response.body(), b"{}");
    }
}

#[tokio::test]
async fn insecure_urls_are_refused_before_connecting() {
    let client = client_with(Config::default());
    for url in [
        "http://example.com/trade-api/v2/x",
        "http://127.0.0.1.example.com/x",
        "http://[::ffff:10.0.0.1]/x",
        "ftp://127.0.0.1/x",
        "/trade-api/v2/x",
    ] {
        let err = client.send(get(url)).await.unwrap_err();
        assert!(matches!(err, Error::InsecureUrl(_)), "{url}: {err:?}");
        assert!(!err.outcome_unknown());
    }
}

#[test]
fn loopback_hosts() {
    for ok in [
        "http://127.0.0.1/x",
        "http://127.8.9.10:80/x",
        "http://[::1]:8080/x",
        "http://localhost/x",
        "http://LOCALHOST:1/x",
        "https://example.com/x",
    ] {
        check_uri(&ok.parse().unwrap()).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let (url, accepted) =
        keep_alive_server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").await;
    let client = client_with(Config::default());
    for _ in 0..3 {
        let response = client.send(get(&format!("{url}/x"))).await.unwrap();
        assert_eq!(response.body(), b"{}");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn no_pooling_opens_a_connection_per_request() {
    let (url, accepted) =
        keep_alive_server(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}").await;
    let client = client_with(Config::default().pool_max_idle_per_host(0));
    for _ in 0..2 {
        client.send(get(&format!("{url}/x"))).await.unwrap();
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (url, accepted) = keep_alive_server(
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    let client = AsyncClient::new(core_for(&format!("{url}/trade-api/v2"))).unwrap();
    let err = client
        .execute(&GetOrderGroup::new("og-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::UnexpectedStatus(_))),
        "{err:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn tls_to_a_plain_server_is_tls_error() {
    let (url, _) = raw_server(|mut stream| async move {
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf).await;
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            .await;
    })
    .await;
    let https = url.replacen("http://", "https://", 1);
    let client = client_with(Config::default());
    let err = client.send(get(&format!("{https}/x"))).await.unwrap_err();
    assert!(matches!(err, Error::Tls(_)), "{err:?}");
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn execute_signs_sends_and_parses() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = Arc::clone(&seen);
    let (url, _) = raw_server(move |mut stream| {
        let log = Arc::clone(&log);
        async move {
            while let Some(request) = read_request(&mut stream).await {
                let answer: &[u8] = if request.starts_with("POST ") {
                    b"HTTP/1.1 201 Created\r\nContent-Length: 40\r\n\r\n{\"order_group_id\":\"og-1\",\"subaccount\":0}"
                } else {
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 64\r\n\r\n{\"error\":{\"code\":\"not_found\",\"message\":\"no such order group\"}}  "
                };
                log.lock().unwrap().push(request);
                if stream.write_all(answer).await.is_err() {
                    return;
                }
            }
        }
    })
    .await;
    let client = AsyncClient::new(core_for(&format!("{url}/trade-api/v2"))).unwrap();
    let created = client.execute(&CreateOrderGroup::new(10)).await.unwrap();
    assert_eq!(created.order_group_id, "og-1");
    let err = client
        .execute(&GetOrderGroup::new("og-1"))
        .await
        .unwrap_err();
    match &err {
        Error::Api(kalshi_core::Error::NotFound(e)) => {
            assert_eq!(e.status, 404);
            let doc = e.error.as_ref().unwrap();
            assert_eq!(doc.code.as_deref(), Some("not_found"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.outcome_unknown());
    let seen = seen.lock().unwrap();
    assert!(seen[0].starts_with("POST /trade-api/v2/portfolio/order_groups/create HTTP/1.1"));
    let lower = seen[0].to_ascii_lowercase();
    assert!(lower.contains("kalshi-access-signature:"), "{}", seen[0]);
    assert!(lower.contains("host: 127.0.0.1:"), "{}", seen[0]);
    assert!(
        seen[0].ends_with(r#"{"contracts_limit":10}"#),
        "{}",
        seen[0]
    );
    assert!(seen[1].starts_with("GET /trade-api/v2/portfolio/order_groups/og-1 HTTP/1.1"));
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let client = client_with(Config::default());
    let err = client.execute(&CreateOrderGroup::new(0)).await.unwrap_err();
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::InvalidInput { .. })),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
}

#[test]
fn futures_are_send_and_client_is_clone_send_sync() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<AsyncClient>();
    assert_traits::<Error>();
    let client = client_with(Config::default());
    let op = GetOrderGroup::new("og-1");
    assert_send(&client.execute(&op));
    assert_send(&client.execute_at(&op, Timestamp::from_millis(0)));
    assert_send(&client.send(get("http://127.0.0.1:1/")));
}
