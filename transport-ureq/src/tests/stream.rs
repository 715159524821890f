//! The blocking stream connection against small WebSocket servers on 127.0.0.1 (tungstenite's
//! own server side): the signed handshake as the server sees it, frames both ways, pings,
//! close codes, a refused handshake, limits and timeouts.

// tungstenite's handshake callback returns its `ErrorResponse` by value: not ours to box.
#![allow(clippy::result_large_err)]

use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use kalshi_core::auth::VerifyingKey;
use kalshi_core::stream::StreamUrl;
use kalshi_core::stream::handshake::{WebSocketKey, handshake_request};
use kalshi_core::{Credentials, Environment, Timestamp};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, DEMO_PUBLIC_KEY_PEM};
use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Message, WebSocket};

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

/// Serves one WebSocket connection on a thread: accepts the handshake after `check`, then
/// runs `then` on the open socket. Returns the stream URL and what the check found.
fn serve<F>(then: F) -> (StreamUrl, mpsc::Receiver<Checked>)
where
    F: FnOnce(&mut WebSocket<std::net::TcpStream>) + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((tcp, _)) = listener.accept() else {
            return;
        };
        tcp.set_read_timeout(Some(Duration::from_secs(10))).ok();
        let check_tx = tx.clone();
        let callback = move |request: &Request, response: Response| {
            let _ = check_tx.send(check_signature(request));
            Ok::<_, ErrorResponse>(response)
        };
        let ws = tungstenite::accept_hdr(tcp, callback);
        if let Ok(mut ws) = ws {
            then(&mut ws);
        }
    });
    let environment = Environment::custom(&format!("http://127.0.0.1:{port}/trade-api/v2"))
        .expect("loopback base url");
    (environment.stream_url(), rx)
}

fn connect(url: &StreamUrl) -> Result<StreamConnection, Error> {
    StreamConnection::connect(
        url,
        &credentials(),
        Timestamp::now(),
        &StreamConfig::default(),
    )
}

fn text(frame: Option<Frame>) -> String {
    match frame {
        Some(Frame::Text(t)) => t.as_str().to_owned(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

#[test]
fn the_handshake_is_signed_and_frames_go_both_ways() {
    let (pong_tx, pong_rx) = mpsc::channel();
    let (url, checked) = serve(move |ws| {
        ws.send(Message::Ping(b"hb".to_vec().into())).unwrap();
        ws.send(Message::text(
            r#"{"type":"subscribed","id":1,"msg":{"channel":"ticker","sid":1}}"#,
        ))
        .unwrap();
        loop {
            match ws.read() {
                Ok(Message::Pong(p)) => {
                    let _ = pong_tx.send(p.to_vec());
                }
                Ok(Message::Text(t)) if t.as_str() == "close-me" => {
                    ws.close(Some(CloseFrame {
                        code: CloseCode::Library(4000),
                        reason: "bye".into(),
                    }))
                    .unwrap();
                    // Until the client answers the close.
                    while ws.read().is_ok() {}
                    return;
                }
                Ok(Message::Text(t)) => ws.send(Message::Text(t)).unwrap(),
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    let mut stream = connect(&url).expect("connected");
    assert_eq!(
        checked
            .recv_timeout(Duration::from_secs(10))
            .expect("server"),
        Ok("/trade-api/ws/v2".to_owned())
    );
    let timeout = Duration::from_secs(5);
    assert_eq!(stream.recv(timeout).unwrap(), Some(Frame::Ping));
    assert_eq!(
        pong_rx.recv_timeout(Duration::from_secs(5)).expect("pong"),
        b"hb"
    );
    assert!(text(stream.recv(timeout).unwrap()).contains("subscribed"));

    // Nothing to read: the read times out and the connection stays usable.
    assert_eq!(stream.recv(Duration::from_millis(50)).unwrap(), None);

    stream
        .send_text(r#"{"id":2,"cmd":"list_subscriptions"}"#)
        .unwrap();
    assert_eq!(
        text(stream.recv(timeout).unwrap()),
        r#"{"id":2,"cmd":"list_subscriptions"}"#
    );

    stream.send_text("close-me").unwrap();
    match stream.recv(timeout) {
        Err(Error::StreamClosed {
            code: Some(4000),
            reason,
        }) => assert_eq!(reason, "bye"),
        other => panic!("expected the server's close, got {other:?}"),
    }
}

#[test]
fn a_refused_handshake_is_a_typed_error_with_status_and_body() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        let Ok((tcp, _)) = listener.accept() else {
            return;
        };
        let _ = tungstenite::accept_hdr(tcp, |_: &Request, _: Response| {
            let body = r#"{"error":{"code":"authentication_error","message":"invalid signature"}}"#;
            let mut refusal = ErrorResponse::new(Some(body.to_owned()));
            *refusal.status_mut() = http::StatusCode::UNAUTHORIZED;
            Err(refusal)
        });
    });
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let err = connect(&url).expect_err("refused");
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

#[test]
fn plain_ws_off_loopback_is_refused_before_connecting() {
    let key = WebSocketKey::from_random([3; 16]);
    // A hand-built request: StreamUrl itself never holds such a URL.
    for uri in [
        "ws://external-api-ws.kalshi.com/trade-api/ws/v2",
        "ws://10.0.0.1:1/trade-api/ws/v2",
        "http://127.0.0.1:1/trade-api/ws/v2",
    ] {
        let url = StreamUrl::parse("ws://127.0.0.1:1/trade-api/ws/v2").unwrap();
        let mut request = handshake_request(&url, &credentials(), Timestamp::now(), &key).unwrap();
        *request.uri_mut() = uri.parse().unwrap();
        match StreamConnection::connect_with_request(request, &StreamConfig::default()) {
            Err(e @ Error::InsecureUrl(_)) => assert!(e.is_refused_before_sending(), "{e}"),
            other => panic!("{uri}: expected InsecureUrl, got {other:?}"),
        }
    }
}

#[test]
fn a_message_over_the_cap_ends_the_connection() {
    let (url, _checked) = serve(|ws| {
        let _ = ws.send(Message::text("x".repeat(4096)));
        let _ = ws.read();
    });
    let config = StreamConfig::default()
        .max_message_bytes(1024)
        .max_frame_bytes(1024);
    let mut stream =
        StreamConnection::connect(&url, &credentials(), Timestamp::now(), &config).unwrap();
    match stream.recv(Duration::from_secs(5)) {
        Err(Error::ResponseTooLarge { limit, .. }) => assert!(limit <= 1024),
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[test]
fn a_cut_connection_is_closed_without_a_code() {
    let (url, _checked) = serve(|ws| {
        let _ = ws.send(Message::text("one"));
        // Dropping the socket without a close frame.
    });
    let mut stream = connect(&url).unwrap();
    assert_eq!(text(stream.recv(Duration::from_secs(5)).unwrap()), "one");
    match stream.recv(Duration::from_secs(5)) {
        Err(Error::StreamClosed { code: None, .. }) => {}
        other => panic!("expected a lost connection, got {other:?}"),
    }
}

#[test]
fn a_silent_server_times_the_handshake_out() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    thread::spawn(move || {
        let accepted = listener.accept();
        // Holds the connection open, answering nothing.
        let _ = done_rx.recv_timeout(Duration::from_secs(10));
        drop(accepted);
    });
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let config = StreamConfig::default().handshake_timeout(Duration::from_millis(200));
    let err = StreamConnection::connect(&url, &credentials(), Timestamp::now(), &config)
        .expect_err("silent");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let _ = done_tx.send(());
}

#[test]
fn a_closed_port_is_a_connect_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let err = connect(&url).expect_err("nothing listens");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
}

#[test]
fn closing_sends_a_normal_close() {
    let (code_tx, code_rx) = mpsc::channel();
    let (url, _checked) = serve(move |ws| {
        loop {
            match ws.read() {
                Ok(Message::Close(frame)) => {
                    let _ = code_tx.send(frame.map(|f| u16::from(f.code)));
                    let _ = ws.flush();
                    return;
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    let stream = connect(&url).unwrap();
    stream.close().expect("closed");
    assert_eq!(
        code_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("close seen"),
        Some(1000)
    );
}

#[test]
fn a_client_opens_the_stream_of_its_own_environment() {
    let (url, checked) = serve(|ws| {
        let _ = ws.send(Message::text("hello"));
        let _ = ws.read();
    });
    let base = format!("http://{}/trade-api/v2", url.authority());
    let client = crate::BlockingClient::new(kalshi_core::Client::new(
        Environment::custom(&base).unwrap(),
        credentials(),
    ));
    let mut stream = client.connect_stream(&StreamConfig::default()).unwrap();
    assert_eq!(stream.url(), url.to_string());
    assert_eq!(
        checked
            .recv_timeout(Duration::from_secs(10))
            .expect("server"),
        Ok("/trade-api/ws/v2".to_owned())
    );
    assert_eq!(text(stream.recv(Duration::from_secs(5)).unwrap()), "hello");
}

#[test]
fn a_connection_can_move_to_another_thread() {
    fn send<T: Send>() {}
    send::<StreamConnection>();
    send::<Frame>();
    send::<Error>();
}

#[test]
fn a_server_hanging_up_on_the_handshake_is_a_disconnect() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        if let Ok((mut tcp, _)) = listener.accept() {
            // Reads the request head, then closes without a word.
            let mut buf = [0u8; 4096];
            let _ = std::io::Read::read(&mut tcp, &mut buf);
        }
    });
    let url = StreamUrl::parse(&format!("ws://127.0.0.1:{port}/trade-api/ws/v2")).unwrap();
    let err = connect(&url).expect_err("hung up");
    assert!(matches!(err, Error::Disconnected(_)), "{err:?}");
}
