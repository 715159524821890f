//! The async stream connection against small WebSocket servers on 127.0.0.1
//! (tokio-tungstenite's server side): the signed handshake as the server sees it, frames both
//! ways, pings, close codes, a refused handshake, limits and timeouts.

// tokio-tungstenite's handshake callback returns its `ErrorResponse` by value: not ours to box.
#![allow(clippy::result_large_err)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use kalshi_core::auth::VerifyingKey;
use kalshi_core::stream::StreamUrl;
use kalshi_core::stream::handshake::{WebSocketKey, handshake_request};
use kalshi_core::{Credentials, Environment, Timestamp};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, DEMO_PUBLIC_KEY_PEM};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::{Error, Frame, StreamConfig, StreamConnection};

fn credentials() -> Credentials {
    Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key")
}

/// What the server checked in the handshake: `Ok` with the signed path, or why it refused.
type Checked = Result<String, String>;

/// Checks the `KALSHI-ACCESS-*` headers of a handshake against the demo key.
fn check_signature(request: &Request) -> Checked {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| format!("no {name}"))
    };
    if header("KALSHI-ACCESS-KEY")? != DEMO_KEY_ID {
        return Err("wrong key id".into());
    }
    let ts: u64 = header("KALSHI-ACCESS-TIMESTAMP")?
        .parse()
        .map_err(|_| "timestamp")?;
    let signature = header("KALSHI-ACCESS-SIGNATURE")?;
    let path = request.uri().path().to_owned();
    VerifyingKey::from_pem(DEMO_PUBLIC_KEY_PEM)
        .expect("public key")
        .verify_request(ts, "GET", &path, &signature)
        .map_err(|e| e.to_string())?;
    Ok(path)
}

/// Serves one WebSocket connection in a task: accepts the handshake after checking its
/// signature, then runs `then` on the open socket.
async fn serve<F, Fut>(then: F) -> (StreamUrl, mpsc::UnboundedReceiver<Checked>)
where
    F: FnOnce(WebSocketStream<TcpStream>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        let callback = move |request: &Request, response: Response| {
            let _ = tx.send(check_signature(request));
            Ok::<_, ErrorResponse>(response)
        };
        if let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await {
            then(ws).await;
        }
    });
    let environment = Environment::custom(&format!("http://127.0.0.1:{port}/trade-api/v2"))
        .expect("loopback base url");
    (environment.stream_url(), rx)
}

async fn connect(url: &StreamUrl) -> Result<StreamConnection, Error> {
    StreamConnection::connect(
        url,
        &credentials(),
        Timestamp::now(),
        &StreamConfig::default(),
    )
    .await
}

fn text(frame: Frame) -> String {
    match frame {
        Frame::Text(t) => t.as_str().to_owned(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

#[tokio::test]
async fn the_handshake_is_signed_and_frames_go_both_ways() {
    let (pong_tx, mut pong_rx) = mpsc::unbounded_channel();
    let (url, mut checked) = serve(move |mut ws| async move {
        ws.send(Message::Ping(b"hb".to_vec().into())).await.unwrap();
        ws.send(Message::text(
            r#"{"type":"subscribed","id":1,"msg":{"channel":"ticker","sid":1}}"#,
        ))
        .await
        .unwrap();
        while let Some(Ok(message)) = ws.next().await {
            match message {
                Message::Pong(p) => {
                    let _ = pong_tx.send(p.to_vec());
                }
                Message::Text(t) if t.as_str() == "close-me" => {
                    ws.close(Some(CloseFrame {
                        code: CloseCode::Library(4000),
                        reason: "bye".into(),
                    }))
                    .await
                    .unwrap();
                    while let Some(Ok(_)) = ws.next().await {}
                    return;
                }
                Message::Text(t) => ws.send(Message::Text(t)).await.unwrap(),
                _ => {}
            }
        }
    })
    .await;
    let mut stream = connect(&url).await.expect("connected");
    assert_eq!(
        checked.recv().await,
        Some(Ok("/trade-api/ws/v2".to_owned()))
    );
    assert_eq!(stream.recv().await.unwrap(), Frame::Ping);
    let pong = tokio::time::timeout(Duration::from_secs(5), pong_rx.recv())
        .await
        .expect("pong in time");
    assert_eq!(pong.as_deref(), Some(&b"hb"[..]));
    assert!(text(stream.recv().await.unwrap()).contains("subscribed"));

    // Nothing to read: the wait times out and the connection stays usable (recv is
    // cancel-safe).
    assert_eq!(
        stream
            .recv_timeout(Duration::from_millis(50))
            .await
            .unwrap(),
        None
    );

    stream
        .send_text(r#"{"id":2,"cmd":"list_subscriptions"}"#)
        .await
        .unwrap();
    assert_eq!(
        text(stream.recv().await.unwrap()),
        r#"{"id":2,"cmd":"list_subscriptions"}"#
    );

    stream.send_text("close-me").await.unwrap();
    match stream.recv().await {
        Err(Error::StreamClosed {
            code: Some(4000),
            reason,
        }) => assert_eq!(reason, "bye"),
        other => panic!("expected the server's close, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_handshake_is_a_typed_error_with_status_and_body() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        let _ = tokio_tungstenite::accept_hdr_async(tcp, |_: &Request, _: Response| {
            let body = r#"{"error":{"code":"authentication_error","message":"invalid signature"}}"#;
            let mut refusal = ErrorResponse::new(Some(body.to_owned()));
            *refusal.status_mut() = http::StatusCode::UNAUTHORIZED;
            Err(refusal)
        })
        .await;
    });
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let err = connect(&url).await.expect_err("refused");
    assert_eq!(
        err.status(),
        Some(http::StatusCode::UNAUTHORIZED),
        "{err:?}"
    );
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(api)) => {
            assert_eq!(
                api.error.as_ref().and_then(|e| e.code.as_deref()),
                Some("authentication_error")
            );
            assert!(api.body.text().contains("invalid signature"), "{api:?}");
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}

#[tokio::test]
async fn plain_ws_off_loopback_is_refused_before_connecting() {
    let key = WebSocketKey::from_random([3; 16]);
    for uri in [
        "ws://external-api-ws.kalshi.com/trade-api/ws/v2",
        "ws://10.0.0.1:1/trade-api/ws/v2",
        "http://127.0.0.1:1/trade-api/ws/v2",
    ] {
        let url = StreamUrl::parse("ws://127.0.0.1:1/trade-api/ws/v2").unwrap();
        let mut request = handshake_request(&url, &credentials(), Timestamp::now(), &key).unwrap();
        *request.uri_mut() = uri.parse().unwrap();
        match StreamConnection::connect_with_request(request, &StreamConfig::default()).await {
            Err(e @ Error::InsecureUrl(_)) => assert!(e.is_refused_before_sending(), "{e}"),
            other => panic!("{uri}: expected InsecureUrl, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_message_over_the_cap_ends_the_connection() {
    let (url, _checked) = serve(|mut ws| async move {
        let _ = ws.send(Message::text("x".repeat(4096))).await;
        let _ = ws.next().await;
    })
    .await;
    let config = StreamConfig::default()
        .max_message_bytes(1024)
        .max_frame_bytes(1024);
    let mut stream = StreamConnection::connect(&url, &credentials(), Timestamp::now(), &config)
        .await
        .unwrap();
    match stream.recv().await {
        Err(Error::ResponseTooLarge { limit, .. }) => assert!(limit <= 1024),
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_cut_connection_is_closed_without_a_code() {
    let (url, _checked) = serve(|mut ws| async move {
        let _ = ws.send(Message::text("one")).await;
        // Dropping the socket without a close frame.
    })
    .await;
    let mut stream = connect(&url).await.unwrap();
    assert_eq!(text(stream.recv().await.unwrap()), "one");
    match stream.recv().await {
        Err(Error::StreamClosed { code: None, .. }) => {}
        other => panic!("expected a lost connection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_silent_server_times_the_handshake_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let accepted = listener.accept().await;
        // Holds the connection open, answering nothing.
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(accepted);
    });
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let config = StreamConfig::default().handshake_timeout(Duration::from_millis(200));
    let err = StreamConnection::connect(&url, &credentials(), Timestamp::now(), &config)
        .await
        .expect_err("silent");
    assert!(err.is_timeout(), "{err:?}");
    server.abort();
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let err = connect(&url).await.expect_err("nothing listens");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
}

#[tokio::test]
async fn closing_sends_a_normal_close() {
    let (code_tx, mut code_rx) = mpsc::unbounded_channel();
    let (url, _checked) = serve(move |mut ws| async move {
        while let Some(Ok(message)) = ws.next().await {
            if let Message::Close(frame) = message {
                let _ = code_tx.send(frame.map(|f| u16::from(f.code)));
                let _ = ws.flush().await;
                return;
            }
        }
    })
    .await;
    let stream = connect(&url).await.unwrap();
    stream.close().await.expect("closed");
    let code = tokio::time::timeout(Duration::from_secs(5), code_rx.recv())
        .await
        .expect("close seen");
    assert_eq!(code, Some(Some(1000)));
}

#[tokio::test]
async fn a_client_opens_the_stream_of_its_own_environment() {
    let (url, mut checked) = serve(|mut ws| async move {
        let _ = ws.send(Message::text("hello")).await;
        let _ = ws.next().await;
    })
    .await;
    let base = format!("http://{}/trade-api/v2", url.authority());
    let client = crate::AsyncClient::new(kalshi_core::Client::new(
        Environment::custom(&base).unwrap(),
        credentials(),
    ))
    .unwrap();
    let mut stream = client
        .connect_stream(&StreamConfig::default())
        .await
        .unwrap();
    assert_eq!(stream.url(), url.to_string());
    assert_eq!(
        checked.recv().await,
        Some(Ok("/trade-api/ws/v2".to_owned()))
    );
    assert_eq!(text(stream.recv().await.unwrap()), "hello");
}

/// A stream task can be spawned: the connection and its futures are `Send`.
#[test]
fn connections_and_their_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    fn send_type<T: Send>() {}
    send_type::<StreamConnection>();
    send_type::<Frame>();
    let url = StreamUrl::parse("ws://127.0.0.1:1/trade-api/ws/v2").unwrap();
    let credentials = credentials();
    let config = StreamConfig::default();
    send(&StreamConnection::connect(
        &url,
        &credentials,
        Timestamp::from_millis(0),
        &config,
    ));
    #[allow(dead_code)]
    async fn use_it(mut stream: StreamConnection) {
        let _ = stream.recv().await;
        let _ = stream.recv_timeout(Duration::from_secs(1)).await;
        let _ = stream.send_text("x").await;
        let _ = stream.close().await;
    }
    #[allow(dead_code)]
    fn check(stream: StreamConnection) {
        fn send_future<F: std::future::Future + Send>(_: F) {}
        send_future(use_it(stream));
    }
}

#[tokio::test]
async fn a_server_hanging_up_on_the_handshake_cuts_the_answer() {
    use tokio::io::AsyncReadExt as _;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        if let Ok((mut tcp, _)) = listener.accept().await {
            // Reads the request head, then closes without a word.
            let mut buf = [0u8; 4096];
            let _ = tcp.read(&mut buf).await;
        }
    });
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let err = connect(&url).await.expect_err("hung up");
    assert!(matches!(err, Error::BodyCut(_)), "{err:?}");
    assert!(
        err.outcome_unknown(),
        "the signed request was sent: {err:?}"
    );
}
