//! The async stream client against a scripted WebSocket server on 127.0.0.1 (a thread with
//! tungstenite's blocking server side, as re-exported by tokio-tungstenite): it answers `subscribe`
//! with a snapshot and deltas, then loses a delta, repeats one, drops the connection, goes
//! silent or refuses the handshake; the client resyncs and reconnects by itself, and its book
//! ends equal to the server's.

// tungstenite's handshake callback returns its `ErrorResponse` by value: not ours to box.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kalshi_core::stream::handshake::BackoffConfig;
use kalshi_core::stream::session::{Event, ResyncReason, SessionConfig};
use kalshi_core::stream::{Channel, Subscribe};
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, WebSocket};

use crate::{AsyncClient, Error, StreamClient, StreamClientConfig, StreamEvent};

const TICKER: &str = "FED-23DEC-T3.00";

/// The server's book: whole contracts by price in cents, per side.
#[derive(Debug, Clone, Default)]
struct Book {
    yes: BTreeMap<u32, i64>,
    no: BTreeMap<u32, i64>,
}

type Levels = Vec<(String, String)>;

impl Book {
    fn side(levels: &BTreeMap<u32, i64>) -> Vec<[String; 2]> {
        levels
            .iter()
            .rev()
            .map(|(p, c)| [format!("0.{p:02}00"), format!("{c}.00")])
            .collect()
    }

    fn levels(&self) -> (Levels, Levels) {
        let pairs = |l: &BTreeMap<u32, i64>| {
            Self::side(l)
                .into_iter()
                .map(|[p, c]| (p, c))
                .collect::<Levels>()
        };
        (pairs(&self.yes), pairs(&self.no))
    }

    fn snapshot(&self, sid: u64, seq: u64) -> String {
        json!({"type": "orderbook_snapshot", "sid": sid, "seq": seq, "msg": {
            "market_ticker": TICKER,
            "yes_dollars_fp": Self::side(&self.yes),
            "no_dollars_fp": Self::side(&self.no),
        }})
        .to_string()
    }

    /// Applies a delta and returns its frame.
    fn delta(&mut self, sid: u64, seq: u64, side: &str, cents: u32, delta: i64) -> String {
        let levels = if side == "yes" {
            &mut self.yes
        } else {
            &mut self.no
        };
        let count = levels.entry(cents).or_insert(0);
        *count += delta;
        assert!(*count >= 0, "a scripted delta below zero");
        if *count == 0 {
            levels.remove(&cents);
        }
        json!({"type": "orderbook_delta", "sid": sid, "seq": seq, "msg": {
            "market_ticker": TICKER,
            "price_dollars": format!("0.{cents:02}00"),
            "delta_fp": format!("{delta}.00"),
            "side": side,
        }})
        .to_string()
    }
}

type Ws = WebSocket<TcpStream>;
type Script = Box<dyn FnOnce(&mut Ws, &mut Book, &mpsc::Sender<Value>) + Send>;

/// Reads the next command the client sends, and reports it.
fn command(ws: &mut Ws, seen: &mpsc::Sender<Value>) -> Value {
    loop {
        match ws.read().expect("a command") {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(t.as_str()).expect("a JSON command");
                let _ = seen.send(v.clone());
                return v;
            }
            _ => continue,
        }
    }
}

/// Answers a `subscribe` with `subscribed` on `sid`.
fn subscribed(ws: &mut Ws, seen: &mpsc::Sender<Value>, sid: u64) {
    let cmd = command(ws, seen);
    assert_eq!(cmd["cmd"], "subscribe", "{cmd}");
    let answer = json!({"id": cmd["id"], "type": "subscribed", "msg": {"channel": "orderbook_delta", "sid": sid}});
    ws.send(Message::text(answer.to_string())).unwrap();
}

/// Reads until the client goes away (or 10 s).
fn linger(ws: &mut Ws) {
    while ws.read().is_ok() {}
}

/// Serves one connection per script, in order, sharing one book; the commands the client
/// sent come out of the receiver.
fn serve(scripts: Vec<Script>) -> (AsyncClient, mpsc::Receiver<Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut book = Book::default();
        for script in scripts {
            let Ok((tcp, _)) = listener.accept() else {
                return;
            };
            tcp.set_read_timeout(Some(Duration::from_secs(10))).ok();
            let Ok(mut ws) = tokio_tungstenite::tungstenite::accept(tcp) else {
                return;
            };
            script(&mut ws, &mut book, &tx);
        }
    });
    (client(port), rx)
}

fn client(port: u16) -> AsyncClient {
    let environment = Environment::custom(&format!("http://127.0.0.1:{port}/trade-api/v2"))
        .expect("loopback base url");
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    AsyncClient::new(Client::new(environment, credentials)).expect("client")
}

fn config() -> StreamClientConfig {
    StreamClientConfig::default().backoff(
        BackoffConfig::default()
            .initial(Duration::from_millis(20))
            .max(Duration::from_millis(100)),
    )
}

fn book_subscription() -> Subscribe {
    Subscribe::new([Channel::OrderbookDelta]).market_tickers([TICKER])
}

/// The client's book as (price, count) strings, best first.
fn client_levels(stream: &StreamClient) -> Option<(Levels, Levels)> {
    let book = stream.book(TICKER)?;
    let pairs = |it: &mut dyn Iterator<Item = kalshi_core::market::PriceLevel>| {
        it.map(|l| (l.price.to_string(), l.count.to_string()))
            .collect::<Levels>()
    };
    Some((pairs(&mut book.yes_bids()), pairs(&mut book.no_bids())))
}

#[tokio::test]
async fn gaps_duplicates_and_a_disconnect_are_repaired_and_the_book_ends_equal_to_the_servers() {
    let (done_tx, done_rx) = mpsc::channel();
    let first: Script = Box::new(|ws, book, seen| {
        subscribed(ws, seen, 1);
        book.yes.insert(8, 300);
        book.yes.insert(22, 333);
        book.no.insert(54, 20);
        ws.send(Message::text(book.snapshot(1, 1))).unwrap();
        ws.send(Message::text(book.delta(1, 2, "yes", 22, -33)))
            .unwrap();
        ws.send(Message::text(book.delta(1, 3, "no", 56, 10)))
            .unwrap();
        // Lost on the way: seq 4.
        book.delta(1, 4, "yes", 30, 5);
        ws.send(Message::text(book.delta(1, 5, "no", 54, -5)))
            .unwrap();
        let cmd = command(ws, seen);
        assert_eq!(cmd["params"]["action"], "get_snapshot", "{cmd}");
        assert_eq!(cmd["params"]["sids"], json!([1]));
        ws.send(Message::text(book.snapshot(1, 6))).unwrap();
        // Sent twice: applied once.
        let repeated = book.delta(1, 7, "yes", 8, 50);
        ws.send(Message::text(repeated.clone())).unwrap();
        ws.send(Message::text(repeated)).unwrap();
        ws.send(Message::text(book.delta(1, 8, "yes", 30, 100)))
            .unwrap();
        // A disconnect (the server goes away).
        ws.close(Some(CloseFrame {
            code: CloseCode::Away,
            reason: "restart".into(),
        }))
        .ok();
        linger(ws);
    });
    let second: Script = Box::new(move |ws, book, seen| {
        subscribed(ws, seen, 7);
        // Changes while the client was away.
        book.delta(0, 0, "yes", 22, -100);
        book.delta(0, 0, "no", 60, 4);
        let frames = [
            book.snapshot(7, 1),
            book.delta(7, 2, "no", 60, 1),
            book.delta(7, 3, "yes", 22, -200),
        ];
        done_tx.send(book.levels()).unwrap();
        for frame in frames {
            ws.send(Message::text(frame)).unwrap();
        }
        linger(ws);
    });
    let (client, seen) = serve(vec![first, second]);

    let mut stream = StreamClient::connect(&client, config())
        .await
        .expect("connects");
    let key = stream.subscribe(book_subscription()).expect("subscribes");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut events = Vec::new();
    let mut expected = None;
    loop {
        assert!(
            Instant::now() < deadline,
            "no final book; events: {events:#?}"
        );
        let event = stream.next_event().await.expect("streams");
        if expected.is_none() {
            expected = done_rx.try_recv().ok();
        }
        let settled = matches!(&event, StreamEvent::Session(Event::BookUpdated { .. }))
            && expected.is_some()
            && client_levels(&stream) == expected;
        events.push(event);
        if settled {
            break;
        }
    }
    let (yes, no) = expected.unwrap();
    assert_eq!(
        yes,
        [("0.3000", "105.00"), ("0.0800", "350.00")]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
            .to_vec()
    );
    assert_eq!(no.len(), 3);

    let resyncs: Vec<&ResyncReason> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Session(Event::Resynced { reason, .. }) => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(
        resyncs,
        [
            &ResyncReason::Gap {
                expected: 4,
                got: 5
            },
            &ResyncReason::Reconnected
        ],
        "{events:#?}"
    );
    let disconnects: Vec<&Error> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Disconnected { error, .. } => Some(error),
            _ => None,
        })
        .collect();
    assert!(
        matches!(
            disconnects[..],
            [Error::StreamClosed {
                code: Some(1001),
                ..
            }]
        ),
        "{disconnects:?}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, StreamEvent::Reconnected))
            .count(),
        1
    );
    assert_eq!(stream.session().stats().duplicates, 1);
    assert_eq!(stream.session().sid(key, &Channel::OrderbookDelta), Some(7));
    let commands: Vec<String> = seen
        .try_iter()
        .map(|c| {
            let action = c["params"]["action"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            format!("{} {action}", c["cmd"].as_str().unwrap_or_default())
                .trim()
                .to_owned()
        })
        .collect();
    assert_eq!(
        commands,
        ["subscribe", "update_subscription get_snapshot", "subscribe"]
    );
    stream.close().await.expect("closes");
}

#[tokio::test]
async fn a_silent_connection_is_declared_dead_and_replaced() {
    let first: Script = Box::new(|ws, _, seen| {
        subscribed(ws, seen, 1);
        linger(ws); // no ping, nothing: silence
    });
    let second: Script = Box::new(|ws, _, seen| {
        subscribed(ws, seen, 2);
        linger(ws);
    });
    let (client, _seen) = serve(vec![first, second]);
    let dead_after = Duration::from_millis(300);
    let mut stream = StreamClient::connect(
        &client,
        config().session(SessionConfig::default().dead_after(dead_after)),
    )
    .await
    .expect("connects");
    stream.subscribe(book_subscription()).expect("subscribes");
    let mut events = std::pin::pin!(stream.into_stream());
    let start = Instant::now();
    let mut sids = Vec::new();
    let mut lost_at = None;
    while sids.len() < 2 {
        assert!(start.elapsed() < Duration::from_secs(10), "{sids:?}");
        match events.next().await.expect("never ends").expect("streams") {
            StreamEvent::Session(Event::Subscribed { sid, .. }) => sids.push(sid),
            StreamEvent::Disconnected { error, .. } => {
                assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
                lost_at = Some(start.elapsed());
            }
            _ => {}
        }
    }
    assert_eq!(sids, [1, 2]);
    assert!(lost_at.expect("declared dead") >= dead_after);
}

#[tokio::test]
async fn refused_handshakes_stop_the_reconnecting_after_the_configured_count() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for (n, tcp) in listener.incoming().enumerate() {
            let Ok(tcp) = tcp else { return };
            let callback = move |_: &Request, response: Response| {
                if n == 0 {
                    Ok(response)
                } else {
                    let mut refusal = ErrorResponse::new(Some(
                        r#"{"error":{"code":"authentication_error","message":"revoked"}}"#.into(),
                    ));
                    *refusal.status_mut() = http::StatusCode::UNAUTHORIZED;
                    Err(refusal)
                }
            };
            if let Ok(mut ws) = tokio_tungstenite::tungstenite::accept_hdr(tcp, callback) {
                ws.close(None).ok();
                linger(&mut ws);
            }
        }
    });
    let mut stream = StreamClient::connect(&client(port), config().max_refused_handshakes(2))
        .await
        .expect("the first handshake is accepted");
    let mut disconnects = 0;
    let error = loop {
        match stream.next_event().await {
            Ok(StreamEvent::Disconnected { .. }) => disconnects += 1,
            Ok(_) => {}
            Err(e) => break e,
        }
    };
    assert!(
        matches!(error, Error::Api(kalshi_core::Error::Unauthorized(_))),
        "{error:?}"
    );
    // The close, then one refusal retried; the second ends it.
    assert_eq!(disconnects, 2);
}

#[tokio::test]
async fn markets_are_added_and_removed_while_streaming() {
    const OTHER: &str = "FED-23DEC-T3.25";
    let snapshot = |ticker: &str, seq: u64| {
        json!({"type": "orderbook_snapshot", "sid": 1, "seq": seq, "msg": {
            "market_ticker": ticker, "yes_dollars_fp": [["0.4000", "10.00"]], "no_dollars_fp": []}})
        .to_string()
    };
    let delta = |ticker: &str, seq: u64| {
        json!({"type": "orderbook_delta", "sid": 1, "seq": seq, "msg": {
            "market_ticker": ticker, "price_dollars": "0.4000", "delta_fp": "1.00", "side": "yes"}})
        .to_string()
    };
    let script: Script = Box::new(move |ws, _, seen| {
        subscribed(ws, seen, 1);
        ws.send(Message::text(snapshot(TICKER, 1))).unwrap();
        let cmd = command(ws, seen);
        assert_eq!(cmd["params"]["action"], "add_markets", "{cmd}");
        assert_eq!(cmd["params"]["market_tickers"], json!([OTHER]));
        ws.send(Message::text(snapshot(OTHER, 2))).unwrap();
        ws.send(Message::text(delta(OTHER, 3))).unwrap();
        let cmd = command(ws, seen);
        assert_eq!(cmd["params"]["action"], "delete_markets", "{cmd}");
        assert_eq!(cmd["params"]["market_tickers"], json!([TICKER]));
        ws.send(Message::text(delta(OTHER, 4))).unwrap();
        linger(ws);
    });
    let (client, _seen) = serve(vec![script]);
    let mut stream = StreamClient::connect(&client, config())
        .await
        .expect("connects");
    let key = stream.subscribe(book_subscription()).expect("subscribes");
    let start = Instant::now();
    let mut updates = 0;
    while updates < 2 {
        assert!(start.elapsed() < Duration::from_secs(10));
        match stream.next_event().await.expect("streams") {
            StreamEvent::Session(Event::BookSnapshot { market_ticker })
                if market_ticker == TICKER =>
            {
                stream.add_markets(key, [OTHER]).expect("adds");
            }
            StreamEvent::Session(Event::BookUpdated { market_ticker }) => {
                assert_eq!(market_ticker, OTHER);
                updates += 1;
                if updates == 1 {
                    stream.remove_markets(key, [TICKER]).expect("removes");
                }
            }
            _ => {}
        }
    }
    assert!(stream.book(TICKER).is_none());
    let best = stream
        .book(OTHER)
        .and_then(|b| b.best_yes_bid())
        .expect("a bid");
    assert_eq!(best.count.to_string(), "12.00");
    assert_eq!(
        stream
            .session()
            .subscription(key)
            .map(|s| s.market_tickers.clone()),
        Some(vec![OTHER.to_owned()])
    );
}

#[test]
fn the_client_and_its_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    fn check(stream: &mut StreamClient) {
        send(stream);
        send(&stream.next_event());
    }
    let _ = check;
}
