//! Both transports (blocking ureq, async hyper) against servers that break HTTP on purpose
//! (`kalshi_simulator::hostile`): bodies over the response cap, lying `Content-Length`s, resets in
//! the middle of a body, header blocks that never end, silence, gzip nobody asked for, HTML,
//! invalid UTF-8 and absurdly nested JSON behind a 200.
//!
//! Every call must come back with a typed error (the exact variant is checked), never panic,
//! never hang and never read without bound. Each call runs with 500 ms timeouts, retries off and
//! a 64 KiB response cap, and must return within [`BOUND`]: a liveness bound ("nothing
//! hangs"), not a performance measure. Servers live on their own threads, bounded in time
//! (`hostile::MAX_LIFETIME`) and stopped (joined) at the end of each case.

use std::io;
use std::time::{Duration, Instant};

use http::StatusCode;
use kalshi_core::order_groups::{GetOrderGroup, GetOrderGroupResponse, GetOrderGroups};
use kalshi_core::response::{BoundedBody, MAX_KEPT_BODY};
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::hostile::{Conn, HostileServer, Stats, head, noise, response};
use kalshi_simulator::{
    DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Fault, FaultRule, Simulator, SimulatorConfig,
};
use kalshi_transport_hyper as th;
use kalshi_transport_ureq as tu;

/// Every timeout of both transports: ureq's connect and per-phase timeouts, hyper's connect and
/// whole-request timeouts.
const PHASE: Duration = Duration::from_millis(500);

/// How long any one call may take: 20 times [`PHASE`]. ureq's worst case is four phases
/// (connect, send, response head, body), about 2 s; hyper's is one request timeout.
const BOUND: Duration = Duration::from_secs(10);

/// The response cap of both transports in these tests.
const CAP: usize = 64 * 1024;

/// What the endless servers would send if nobody stopped reading: 64 MiB.
const HUGE: u64 = 64 << 20;

/// What the header floods would send if nobody stopped reading: 32 MiB.
const FLOOD: u64 = 32 << 20;

/// A success answer to `GetOrderGroup`.
const GROUP_JSON: &[u8] = br#"{"is_auto_cancel_enabled":true,"orders":["o-1"]}"#;

// ---------------------------------------------------------------------------------------------
// Clients and runs

fn core(base_url: &str) -> Client {
    let credentials = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    Client::new(
        Environment::custom(base_url).expect("a loopback base URL"),
        credentials,
    )
}

fn ureq_client(base_url: &str, cap: usize) -> tu::BlockingClient {
    let config = tu::Config::default()
        .connect_timeout(PHASE)
        .timeout(PHASE)
        .max_response_bytes(cap as u64)
        .retry(RetryPolicy::never());
    tu::BlockingClient::with_config(core(base_url), config)
}

fn hyper_client(base_url: &str, cap: usize) -> th::AsyncClient {
    let config = th::Config::default()
        .connect_timeout(PHASE)
        .request_timeout(PHASE)
        .max_response_body(cap)
        .retry(RetryPolicy::never());
    th::AsyncClient::with_config(core(base_url), config).expect("the client builds")
}

/// A current-thread runtime: the async client runs on the test's own thread (and stack).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `f`, checking that it returns within [`BOUND`].
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    let elapsed = started.elapsed();
    assert!(elapsed < BOUND, "{what} took {elapsed:?} (bound {BOUND:?})");
    (out, elapsed)
}

/// One `GetOrderGroup` through one transport against a fresh server, and what the server saw.
#[derive(Debug)]
struct Run<E> {
    result: Result<GetOrderGroupResponse, E>,
    elapsed: Duration,
    server: Stats,
}

impl<E: std::fmt::Debug> Run<E> {
    /// The error (panics on success).
    fn err(self, what: &str) -> E {
        match self.result {
            Err(e) => e,
            Ok(r) => panic!("{what}: expected an error, got {r:?}"),
        }
    }
}

fn run_ureq<F>(behaviour: F, cap: usize, what: &str) -> Run<tu::Error>
where
    F: Fn(&mut Conn) -> io::Result<()> + Send + Sync + 'static,
{
    let server = HostileServer::start(behaviour).expect("the server starts");
    let client = ureq_client(&server.base_url(), cap);
    let (result, elapsed) = timed(&format!("ureq: {what}"), || {
        client.execute(&GetOrderGroup::new("og-1"))
    });
    drop(client);
    let server = server.stop();
    eprintln!(
        "ureq  {what}: {elapsed:?}, server sent {} bytes: {result:?}",
        server.bytes_sent
    );
    Run {
        result,
        elapsed,
        server,
    }
}

fn run_hyper<F>(behaviour: F, cap: usize, what: &str) -> Run<th::Error>
where
    F: Fn(&mut Conn) -> io::Result<()> + Send + Sync + 'static,
{
    let server = HostileServer::start(behaviour).expect("the server starts");
    let rt = runtime();
    let client = hyper_client(&server.base_url(), cap);
    let (result, elapsed) = timed(&format!("hyper: {what}"), || {
        rt.block_on(client.execute(&GetOrderGroup::new("og-1")))
    });
    // Closes the pooled connection (if any) before the server waits for its threads.
    drop(client);
    drop(rt);
    let server = server.stop();
    eprintln!(
        "hyper {what}: {elapsed:?}, server sent {} bytes: {result:?}",
        server.bytes_sent
    );
    Run {
        result,
        elapsed,
        server,
    }
}

/// The same server behaviour against each transport, each with a server of its own, side by
/// side (ureq on a scoped thread, hyper on the test's thread) to halve the waits.
fn both<F>(behaviour: F, cap: usize, what: &str) -> (Run<tu::Error>, Run<th::Error>)
where
    F: Fn(&mut Conn) -> io::Result<()> + Clone + Send + Sync + 'static,
{
    let for_ureq = behaviour.clone();
    std::thread::scope(|scope| {
        let ureq = scope.spawn(move || run_ureq(for_ureq, cap, what));
        let hyper = run_hyper(behaviour, cap, what);
        let ureq = ureq
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ureq, hyper)
    })
}

/// A server that reads the request head and answers `bytes`, then closes.
fn canned(bytes: Vec<u8>) -> impl Fn(&mut Conn) -> io::Result<()> + Clone + Send + Sync + 'static {
    move |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(&bytes)
    }
}

/// The core's error inside [`tu::Error::Api`].
fn ureq_api(e: tu::Error) -> kalshi_core::Error {
    match e {
        tu::Error::Api(core) => core,
        other => panic!("ureq: expected Error::Api, got {other:?}"),
    }
}

/// The core's error inside [`th::Error::Api`].
fn hyper_api(e: th::Error) -> kalshi_core::Error {
    match e {
        th::Error::Api(core) => core,
        other => panic!("hyper: expected Error::Api, got {other:?}"),
    }
}

/// Checks a `Decode` error: `status` kept, the body's length, at most 4 KiB of it kept and
/// equal to the start of `sent`.
fn assert_decode(e: &kalshi_core::Error, status: StatusCode, sent: &[u8]) {
    match e {
        kalshi_core::Error::Decode {
            status: s, body, ..
        } => {
            assert_eq!(*s, status, "{e:?}");
            assert_bounded(body, sent);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

/// The body an error kept: the first (at most) 4 KiB of what was sent, and its whole length.
fn assert_bounded(body: &BoundedBody, sent: &[u8]) {
    assert_eq!(body.total_len(), sent.len());
    assert_eq!(body.bytes(), &sent[..sent.len().min(MAX_KEPT_BODY)]);
    assert!(body.bytes().len() <= 4096);
    assert_eq!(body.is_truncated(), sent.len() > MAX_KEPT_BODY);
}

/// Sets `SO_LINGER` to zero: closing the socket then sends a TCP reset instead of a FIN.
fn reset_on_close(conn: &Conn) -> io::Result<()> {
    socket2::SockRef::from(conn.stream()).set_linger(Some(Duration::ZERO))
}

// ---------------------------------------------------------------------------------------------
// 1. Bodies over the response cap

#[test]
fn a_body_over_the_cap_announced_by_content_length_is_refused_unread() {
    let behaviour = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(&head(
            "200 OK",
            &[
                "Content-Type: application/json",
                &format!("Content-Length: {HUGE}"),
            ],
        ))?;
        conn.write_lazily(&[b'x'; 64 * 1024], HUGE);
        Ok(())
    };
    let (u, h) = both(behaviour, CAP, "64 MiB Content-Length");

    assert!(u.server.bytes_sent < HUGE / 2, "{:?}", u.server);
    let e = u.err("ureq");
    assert!(
        matches!(e, tu::Error::ResponseTooLarge { limit, .. } if limit == CAP as u64),
        "{e:?}"
    );
    assert!(e.outcome_unknown());

    assert!(h.server.bytes_sent < HUGE / 2, "{:?}", h.server);
    let e = h.err("hyper");
    assert!(
        matches!(e, th::Error::ResponseTooLarge { limit: CAP, .. }),
        "{e:?}"
    );
    assert!(e.outcome_unknown());
}

#[test]
fn an_endless_chunked_body_is_cut_off_at_the_cap() {
    let mut chunk = format!("{:x}\r\n", 16 * 1024).into_bytes();
    chunk.extend_from_slice(&[b'['; 16 * 1024]);
    chunk.extend_from_slice(b"\r\n");
    let total = chunk.len() as u64 * (HUGE / (16 * 1024));
    let behaviour = move |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(&head(
            "200 OK",
            &[
                "Content-Type: application/json",
                "Transfer-Encoding: chunked",
            ],
        ))?;
        conn.write_lazily(&chunk, total);
        Ok(())
    };
    let (u, h) = both(behaviour, CAP, "endless chunked body");

    assert!(u.server.bytes_sent < HUGE / 2, "{:?}", u.server);
    let e = u.err("ureq");
    assert!(
        matches!(e, tu::Error::ResponseTooLarge { limit, .. } if limit == CAP as u64),
        "{e:?}"
    );

    assert!(h.server.bytes_sent < HUGE / 2, "{:?}", h.server);
    let e = h.err("hyper");
    assert!(
        matches!(e, th::Error::ResponseTooLarge { limit: CAP, .. }),
        "{e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Content-Length that lies

#[test]
fn a_content_length_longer_than_the_body_is_a_cut_body() {
    let behaviour = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(&head("200 OK", &["Content-Length: 1000"]))?;
        // Then close (a FIN) after 20 bytes.
        conn.write_all(&GROUP_JSON[..20])
    };
    let (u, h) = both(behaviour, CAP, "Content-Length 1000, 20 bytes sent");
    let e = u.err("ureq");
    assert!(matches!(e, tu::Error::BodyCut(_)), "{e:?}");
    assert!(e.outcome_unknown());
    let e = h.err("hyper");
    assert!(matches!(e, th::Error::BodyCut(_)), "{e:?}");
    assert!(e.outcome_unknown());
}

#[test]
fn a_content_length_shorter_than_the_body_is_read_exactly() {
    // The whole document, then junk past the Content-Length: exactly the document is read.
    let mut bytes = head(
        "200 OK",
        &[&format!("Content-Length: {}", GROUP_JSON.len())],
    );
    bytes.extend_from_slice(GROUP_JSON);
    bytes.extend_from_slice(b"GARBAGE AFTER THE BODY\r\n\r\n");
    let (u, h) = both(canned(bytes), CAP, "junk past Content-Length");
    for orders in [
        u.result.expect("ureq reads exactly Content-Length").orders,
        h.result.expect("hyper reads exactly Content-Length").orders,
    ] {
        assert_eq!(orders, ["o-1"]);
    }

    // A Content-Length that cuts the document: the first 20 bytes are read, and do not decode.
    let mut bytes = head("200 OK", &["Content-Length: 20"]);
    bytes.extend_from_slice(GROUP_JSON);
    let (u, h) = both(canned(bytes), CAP, "Content-Length inside the document");
    assert_decode(&ureq_api(u.err("ureq")), StatusCode::OK, &GROUP_JSON[..20]);
    assert_decode(
        &hyper_api(h.err("hyper")),
        StatusCode::OK,
        &GROUP_JSON[..20],
    );
}

#[test]
fn junk_past_the_content_length_does_not_answer_the_next_request() {
    // The junk left on a keep-alive connection is itself a complete response: a client that
    // reused the connection without looking would take it as the answer to its next request.
    let forged = response(
        "200 OK",
        &[],
        br#"{"is_auto_cancel_enabled":false,"orders":["forged"]}"#,
    );
    let behaviour = move |conn: &mut Conn| {
        conn.read_head()?;
        let mut bytes = response("200 OK", &[], GROUP_JSON);
        bytes.extend_from_slice(&forged);
        conn.write_all(&bytes)?;
        // Answer the next request on this connection, if it comes, properly.
        conn.read_head()?;
        conn.write_all(&response("200 OK", &[], GROUP_JSON))
    };
    let server = HostileServer::start(behaviour.clone()).expect("the server starts");
    let client = ureq_client(&server.base_url(), CAP);
    for i in 0..2 {
        let (result, _) = timed("ureq: junk on a keep-alive connection", || {
            client.execute(&GetOrderGroup::new("og-1"))
        });
        eprintln!("ureq  keep-alive junk, request {i}: {result:?}");
        assert_eq!(
            result.expect("a real answer").orders,
            ["o-1"],
            "request {i}"
        );
    }
    drop(client);
    let ureq_stats = server.stop();

    let server = HostileServer::start(behaviour).expect("the server starts");
    let rt = runtime();
    let client = hyper_client(&server.base_url(), CAP);
    for i in 0..2 {
        let (result, _) = timed("hyper: junk on a keep-alive connection", || {
            rt.block_on(client.execute(&GetOrderGroup::new("og-1")))
        });
        eprintln!("hyper keep-alive junk, request {i}: {result:?}");
        assert_eq!(
            result.expect("a real answer").orders,
            ["o-1"],
            "request {i}"
        );
    }
    drop(client);
    drop(rt);
    let hyper_stats = server.stop();
    // Neither reused a connection that had bytes left over: the second request got its own.
    assert_eq!(ureq_stats.connections, 2, "ureq: {ureq_stats:?}");
    assert_eq!(hyper_stats.connections, 2, "hyper: {hyper_stats:?}");
}

// ---------------------------------------------------------------------------------------------
// 3. Connection reset

/// A response head announcing 1000 bytes, then 100 of them.
fn head_and_part_of_the_body() -> Vec<u8> {
    let mut bytes = head(
        "200 OK",
        &["Content-Type: application/json", "Content-Length: 1000"],
    );
    bytes.extend_from_slice(&[b' '; 100]);
    bytes
}

#[test]
fn a_reset_in_the_middle_of_the_body_is_a_cut_body() {
    // SO_LINGER 0: the close is a reset.
    let linger = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(&head_and_part_of_the_body())?;
        // Let the client read the head and start on the body before the reset (Linux keeps
        // what was received before a reset readable anyway; other systems may not).
        conn.pause(Duration::from_millis(100));
        reset_on_close(conn)
    };
    // Unread request bytes in the server's receive buffer: the kernel answers the close
    // with a reset.
    let unread = |conn: &mut Conn| {
        conn.read_exact(&mut [0u8; 4])?;
        conn.write_all(&head_and_part_of_the_body())?;
        conn.pause(Duration::from_millis(100));
        Ok(())
    };
    let (u, h) = both(linger, CAP, "reset (SO_LINGER 0) mid-body");
    let e = u.err("ureq");
    assert!(matches!(e, tu::Error::BodyCut(_)), "{e:?}");
    assert!(e.outcome_unknown());
    let e = h.err("hyper");
    assert!(matches!(e, th::Error::BodyCut(_)), "{e:?}");
    assert!(e.outcome_unknown());

    let (u, h) = both(unread, CAP, "reset (unread request) mid-body");
    let e = u.err("ureq");
    assert!(matches!(e, tu::Error::BodyCut(_)), "{e:?}");
    let e = h.err("hyper");
    assert!(matches!(e, th::Error::BodyCut(_)), "{e:?}");
}

#[test]
fn a_reset_before_the_response_head() {
    let behaviour = |conn: &mut Conn| {
        conn.read_head()?;
        reset_on_close(conn)
    };
    let (u, h) = both(behaviour, CAP, "reset before the head");
    let e = u.err("ureq");
    assert!(matches!(e, tu::Error::Disconnected(_)), "{e:?}");
    assert!(e.outcome_unknown());
    // hyper's transport has no separate variant for a connection lost before the head.
    let e = h.err("hyper");
    assert!(matches!(e, th::Error::BodyCut(_)), "{e:?}");
    assert!(e.outcome_unknown());
}

// ---------------------------------------------------------------------------------------------
// 4. Header blocks that never end

#[test]
fn header_lines_dripping_forever_time_out() {
    let behaviour = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(b"HTTP/1.1 200 OK\r\n")?;
        // One line every 50 ms, for at most 30 s.
        for i in 0..600 {
            if !conn.pause(Duration::from_millis(50)) {
                break;
            }
            conn.write_all(format!("X-Drip-{i}: y\r\n").as_bytes())?;
        }
        Ok(())
    };
    assert_timed_out(
        "dripping header lines",
        both(behaviour, CAP, "dripping header lines"),
    );
}

/// Neither transport buffers a header block without bound, with their libraries' defaults
/// (nothing is configured for it in the transports):
/// - ureq 3 refuses a head over `max_response_header_size` (64 KiB) as `LargeResponseHeader`
///   (the transport's `ResponseTooLarge`), and more header lines than its parser takes as a
///   parse error (`Protocol`, "too many headers") after about 13 KB;
/// - hyper 1 refuses more than 100 headers, or a head over its read buffer's maximum
///   (8 KiB + 400 KiB), as a parse error ("message head is too large"), which the transport
///   reports as `Other`, its variant for malformed HTTP from the peer.
#[test]
fn megabytes_of_header_lines_are_refused() {
    // 32 MiB of 100-byte header lines, as fast as the client takes them.
    let many_lines = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(b"HTTP/1.1 200 OK\r\n")?;
        let mut line = b"X-Flood: ".to_vec();
        line.resize(98, b'a');
        line.extend_from_slice(b"\r\n");
        conn.write_lazily(&line, FLOOD);
        Ok(())
    };
    let (u, h) = both(many_lines, CAP, "32 MiB of header lines");
    assert!(u.server.bytes_sent < FLOOD / 2, "{:?}", u.server);
    let e = u.err("ureq");
    assert!(matches!(e, tu::Error::Protocol(_)), "{e:?}");
    assert!(e.outcome_unknown());
    assert!(h.server.bytes_sent < FLOOD / 2, "{:?}", h.server);
    let e = h.err("hyper");
    assert!(
        matches!(
            e,
            th::Error::Other {
                maybe_sent: true,
                ..
            }
        ),
        "{e:?}"
    );

    // One header line that never ends.
    let one_line = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(b"HTTP/1.1 200 OK\r\nX-Endless: ")?;
        conn.write_lazily(&[b'a'; 16 * 1024], FLOOD);
        Ok(())
    };
    let (u, h) = both(one_line, CAP, "an endless header line");
    assert!(u.server.bytes_sent < FLOOD / 2, "{:?}", u.server);
    let e = u.err("ureq");
    assert!(
        matches!(e, tu::Error::ResponseTooLarge { limit: 65536, .. }),
        "{e:?}"
    );
    assert!(h.server.bytes_sent < FLOOD / 2, "{:?}", h.server);
    let e = h.err("hyper");
    assert!(
        matches!(
            e,
            th::Error::Other {
                maybe_sent: true,
                ..
            }
        ),
        "{e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Silence

/// Both transports time out (with the request possibly sent) within the bound, after about
/// one [`PHASE`].
fn assert_timed_out(what: &str, (u, h): (Run<tu::Error>, Run<th::Error>)) {
    assert!(u.elapsed >= PHASE / 2 && h.elapsed >= PHASE / 2, "{what}");
    let e = u.err(what);
    assert!(
        matches!(
            e,
            tu::Error::Timeout {
                connected: true,
                ..
            }
        ),
        "{what}: {e:?}"
    );
    assert!(e.outcome_unknown());
    let e = h.err(what);
    assert!(
        matches!(
            e,
            th::Error::Timeout {
                maybe_sent: true,
                ..
            }
        ),
        "{what}: {e:?}"
    );
    assert!(e.outcome_unknown());
}

#[test]
fn a_server_that_reads_and_never_answers_times_out() {
    let behaviour = |conn: &mut Conn| {
        conn.read_head()?;
        conn.stall();
        Ok(())
    };
    assert_timed_out(
        "reads, never answers",
        both(behaviour, CAP, "reads, never answers"),
    );
}

#[test]
fn a_server_that_never_reads_times_out() {
    let behaviour = |conn: &mut Conn| {
        conn.stall();
        Ok(())
    };
    assert_timed_out("never reads", both(behaviour, CAP, "never reads"));
}

#[test]
fn a_body_dripping_forever_times_out() {
    // A complete head, then the body one byte every 50 ms (for at most 30 s).
    let behaviour = |conn: &mut Conn| {
        conn.read_head()?;
        conn.write_all(&head("200 OK", &["Content-Length: 600"]))?;
        for _ in 0..600 {
            if !conn.pause(Duration::from_millis(50)) {
                break;
            }
            conn.write_all(b" ")?;
        }
        Ok(())
    };
    assert_timed_out("drips the body", both(behaviour, CAP, "drips the body"));
}

// ---------------------------------------------------------------------------------------------
// 6. gzip

#[test]
fn gzip_is_neither_asked_for_nor_decompressed() {
    // A gzip header (magic, deflate, no flags) and incompressible bytes: if anything tried to
    // inflate it, it would fail as corrupt; it must not even try.
    let mut body = vec![0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03];
    body.extend(noise(0x9e37_79b9, 2048));
    let bytes = response(
        "200 OK",
        &["Content-Type: application/json", "Content-Encoding: gzip"],
        &body,
    );
    let (u, h) = both(canned(bytes), CAP, "gzip body");
    for heads in [&u.server.request_heads, &h.server.request_heads] {
        assert_eq!(heads.len(), 1);
        let lower = heads[0].to_ascii_lowercase();
        assert!(!lower.contains("accept-encoding"), "{}", heads[0]);
        assert!(!lower.contains("gzip"), "{}", heads[0]);
    }
    // The body reaches the core as sent, compressed bytes and all.
    assert_decode(&ureq_api(u.err("ureq")), StatusCode::OK, &body);
    assert_decode(&hyper_api(h.err("hyper")), StatusCode::OK, &body);
}

// ---------------------------------------------------------------------------------------------
// 7. HTML behind a 200

#[test]
fn an_html_page_with_status_200_is_a_decode_error() {
    let mut page = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>".to_vec();
    while page.len() < 20 * 1024 {
        page.extend_from_slice(b"<p>Please sign in to continue to the network.</p>\n");
    }
    page.extend_from_slice(b"</form></body></html>");
    let bytes = response("200 OK", &["Content-Type: text/html; charset=utf-8"], &page);
    let (u, h) = both(canned(bytes), CAP, "HTML login page");
    for e in [ureq_api(u.err("ureq")), hyper_api(h.err("hyper"))] {
        assert_decode(&e, StatusCode::OK, &page);
        assert_eq!(e.status(), Some(StatusCode::OK));
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Invalid UTF-8

#[test]
fn invalid_utf8_bodies() {
    // Inside a JSON string, with 200: not JSON.
    let mut in_json = br#"{"is_auto_cancel_enabled":true,"orders":[""#.to_vec();
    in_json.extend_from_slice(b"\xff\xfe\xc3");
    in_json.extend_from_slice(br#""]}"#);
    let bytes = response("200 OK", &["Content-Type: application/json"], &in_json);
    let (u, h) = both(canned(bytes), CAP, "invalid UTF-8 in a 200 document");
    assert_decode(&ureq_api(u.err("ureq")), StatusCode::OK, &in_json);
    assert_decode(&hyper_api(h.err("hyper")), StatusCode::OK, &in_json);

    // 10 KiB of noise with 200, 400 and 500.
    let junk = noise(42, 10 * 1024);
    for status in ["200 OK", "400 Bad Request", "500 Internal Server Error"] {
        let bytes = response(status, &["Content-Type: application/json"], &junk);
        let (u, h) = both(canned(bytes), CAP, &format!("10 KiB of noise, {status}"));
        for e in [ureq_api(u.err(status)), hyper_api(h.err(status))] {
            match (status, &e) {
                ("200 OK", _) => assert_decode(&e, StatusCode::OK, &junk),
                ("400 Bad Request", kalshi_core::Error::BadRequest(api))
                | ("500 Internal Server Error", kalshi_core::Error::ServerError(api)) => {
                    assert_eq!(api.status.as_str(), &status[..3]);
                    assert_eq!(api.error, None);
                    assert_bounded(&api.body, &junk);
                    assert!(api.body.text().contains('\u{FFFD}'));
                    // Display is lossy and bounded too.
                    assert!(e.to_string().len() < 4 * 1024, "{}", e.to_string().len());
                }
                _ => panic!("{status}: {e:?}"),
            }
        }
    }

    // An error document whose strings are not UTF-8: the status decides, nothing is parsed.
    let doc = b"{\"error\":{\"code\":\"bad\xff\",\"message\":\"boom\xfe\"}}".to_vec();
    let bytes = response("500 Internal Server Error", &[], &doc);
    let (u, h) = both(canned(bytes), CAP, "error document with invalid UTF-8, 500");
    for e in [ureq_api(u.err("ureq")), hyper_api(h.err("hyper"))] {
        let kalshi_core::Error::ServerError(api) = &e else {
            panic!("expected ServerError, got {e:?}");
        };
        assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(api.error, None);
        assert_bounded(&api.body, &doc);
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Deep nesting

#[test]
fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    // Runs on the test thread's default stack; the async client too (current-thread runtime).
    let cap = 2 << 20;
    let brackets = vec![b'['; 1_000_000];
    let objects = br#"{"a":"#.repeat(100_000);
    for (what, body) in [("1,000,000 [", &brackets), ("100,000 {\"a\":", &objects)] {
        let bytes = response("200 OK", &["Content-Type: application/json"], body);
        let u = run_ureq(canned(bytes.clone()), cap, what);
        assert_decode(&ureq_api(u.err(what)), StatusCode::OK, body);
        let h = run_hyper(canned(bytes), cap, what);
        assert_decode(&hyper_api(h.err(what)), StatusCode::OK, body);
    }

    // Small enough (under 64 KiB) for the core to look for an error document in it.
    let nested_error = br#"{"error":"#.repeat(6_000);
    let bytes = response("400 Bad Request", &[], &nested_error);
    let (u, h) = both(canned(bytes), cap, "nested error document, 400");
    for e in [ureq_api(u.err("ureq")), hyper_api(h.err("hyper"))] {
        let kalshi_core::Error::BadRequest(api) = &e else {
            panic!("expected BadRequest, got {e:?}");
        };
        assert_eq!(api.error, None);
        assert_bounded(&api.body, &nested_error);
    }
}

// ---------------------------------------------------------------------------------------------
// 10. The simulator's faults, one attempt each

/// What the simulator's faults look like to a read with retries off (the fault tests with
/// retries, in ureq_faults.rs and hyper_resilience.rs, only see the read succeed in the end).
#[test]
fn simulator_faults_seen_by_a_single_attempt() {
    let sim = Simulator::start(SimulatorConfig::default()).expect("the simulator starts");
    let base_url = sim.base_url();
    let u = ureq_client(&base_url, CAP);
    let rt = runtime();
    let h = hyper_client(&base_url, CAP);
    let op = GetOrderGroups::new();
    let rule = |fault| FaultRule::new(fault).method(http::Method::GET);

    // Content-Length longer than what is sent, then close.
    for transport in ["ureq", "hyper"] {
        sim.faults().push(rule(Fault::TruncatedBody));
        if transport == "ureq" {
            let (r, _) = timed("ureq: truncated", || u.execute(&op));
            assert!(matches!(r, Err(tu::Error::BodyCut(_))), "{r:?}");
        } else {
            let (r, _) = timed("hyper: truncated", || rt.block_on(h.execute(&op)));
            assert!(matches!(r, Err(th::Error::BodyCut(_))), "{r:?}");
        }
    }

    // A proxy's HTML 502: the status and the page are kept.
    for transport in ["ureq", "hyper"] {
        sim.faults().push(rule(Fault::ProxyBadGateway));
        let e = if transport == "ureq" {
            ureq_api(timed("ureq: 502", || u.execute(&op)).0.expect_err("502"))
        } else {
            hyper_api(
                timed("hyper: 502", || rt.block_on(h.execute(&op)))
                    .0
                    .expect_err("502"),
            )
        };
        let kalshi_core::Error::ServerError(api) = &e else {
            panic!("{transport}: expected ServerError, got {e:?}");
        };
        assert_eq!(api.status, StatusCode::BAD_GATEWAY);
        assert_eq!(api.error, None);
        assert!(api.body.text().contains("502 Bad Gateway"), "{api:?}");
        assert!(api.body.bytes().len() <= MAX_KEPT_BODY);
    }

    // An answer later than the timeout.
    for transport in ["ureq", "hyper"] {
        sim.faults()
            .push(rule(Fault::DelayAnswer(Duration::from_secs(1))));
        if transport == "ureq" {
            let (r, _) = timed("ureq: late", || u.execute(&op));
            assert!(
                matches!(
                    r,
                    Err(tu::Error::Timeout {
                        connected: true,
                        ..
                    })
                ),
                "{r:?}"
            );
        } else {
            let (r, _) = timed("hyper: late", || rt.block_on(h.execute(&op)));
            assert!(
                matches!(
                    r,
                    Err(th::Error::Timeout {
                        maybe_sent: true,
                        ..
                    })
                ),
                "{r:?}"
            );
        }
    }
    assert_eq!(sim.faults().pending(), 0);

    // Both still work afterwards.
    u.execute(&op).expect("ureq after the faults");
    rt.block_on(h.execute(&op)).expect("hyper after the faults");
}
