//! The simulator's request path end to end, in process: HTTP/1.1 framing, authentication,
//! routing, percent-decoding of path parameters, query parsing and JSON body parsing, through
//! every handler.
//!
//! This target covers what only the socket has: hyper's HTTP/1.1 framing (raw requests,
//! chunked bodies, pipelining, early 413s) and the connection after it. The pipeline behind it
//! (authentication, parsing, handlers) is fuzzed about 5x faster in process by
//! `simulator_pipeline` through `Simulator::handle`.
//!
//! Each input starts a fresh `kalshi_simulator::Simulator` (the demo key plus `fuzz-key`, a
//! throwaway 1024-bit key in `fuzz/keys/` that signs 4x faster than the 2048-bit demo key; a
//! manual clock fixed at `NOW_MS`; 4 KiB body limit) so runs are deterministic, sends it up to 8 requests, each on
//! its own connection, then checks that it still answers a valid signed request with a 200.
//! No answer may be a 5xx (the simulator's 500 means a handler failed or panicked; a panic
//! anywhere also aborts through libfuzzer-sys's panic hook), and no request may go unanswered
//! for 5 s.
//!
//! Input: requests separated by `\n&&&\n`. A request is either
//!
//! - structured: `METHOD /path/under/base?query` on its first line, then optional
//!   `Name: value` header lines, an empty line, and the body. The harness sends
//!   `METHOD /trade-api/v2/path?query HTTP/1.1` with Host, the three KALSHI-ACCESS-* headers
//!   correctly signed with `fuzz-key`, the extra headers (minus framing ones:
//!   Content-Length, Transfer-Encoding, Expect) and the body with its Content-Length; or
//! - raw: `R` then bytes sent as they are, after replacing `$TS` with the clock's timestamp and
//!   `$SIG` with a valid signature of the raw request line's method and path (so raw requests
//!   with odd framing still get past authentication). The write side is then closed.
#![no_main]

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::LazyLock;
use std::time::Duration;

use kalshi_core::auth::{PrivateKey, VerifyingKey};
use kalshi_simulator::{BASE_PATH, ManualClock, Simulator, SimulatorConfig};
use libfuzzer_sys::fuzz_target;

#[path = "common/simulator_input.rs"]
mod common;
use common::{KEY_ID, KEY_PEM, NOW_MS, SEPARATOR, find, replace, signature};

const MAX_REQUESTS: usize = 8;
const BODY_LIMIT: usize = 4096;
const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_RESPONSE: usize = 1 << 20;

static VERIFYING_KEY: LazyLock<VerifyingKey> = LazyLock::new(|| {
    PrivateKey::from_pem(KEY_PEM)
        .expect("fuzz key")
        .verifying_key()
});

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT).expect("the simulator accepts");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let _ = stream.set_nodelay(true);
    // Close with a reset: no TIME_WAIT pile-up at thousands of connections a second.
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    stream
}

/// Reads one HTTP/1.1 response (head, then a Content-Length body). `None` when the
/// connection closed without an answer.
fn read_response(stream: &mut TcpStream, what: &str) -> Option<(u16, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            // libFuzzer's timer signal (-timeout) interrupts blocking reads.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return None,
            Err(e) => panic!("no answer to {what} within {TIMEOUT:?}: {e}"),
        }
        assert!(buf.len() < MAX_RESPONSE, "endless response head to {what}");
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let status: u16 = head
        .strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP/1.1 answer to {what}: {head:?}"));
    let len = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    assert!(len < MAX_RESPONSE, "huge answer to {what}: {len} bytes");
    while buf.len() < head_end + len {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            // libFuzzer's timer signal (-timeout) interrupts blocking reads.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!("answer body to {what} stalled: {e}"),
        }
    }
    Some((status, buf.split_off(head_end)))
}

fn no_server_error(status: u16, body: &[u8], what: &str) {
    assert!(
        status < 500,
        "the simulator answered {what} with {status}: {}",
        String::from_utf8_lossy(body)
    );
}

/// A request described as `METHOD /path?query`, header lines, an empty line, the body.
fn structured(addr: SocketAddr, input: &[u8]) {
    let (head, body) = match find(input, b"\n\n") {
        Some(i) => (&input[..i], &input[i + 2..]),
        None => (input, &b""[..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n');
    let line = lines.next().unwrap_or("");
    let (method, target) = line.split_once(' ').unwrap_or((line, "/"));
    let method = if method.is_empty() { "GET" } else { method };
    let target = format!("{BASE_PATH}{target}");
    let path = target.split_once('?').map_or(target.as_str(), |(p, _)| p);
    let sig = signature(method, path);

    let mut req = Vec::with_capacity(512 + body.len());
    req.extend_from_slice(
        format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nKALSHI-ACCESS-KEY: {KEY_ID}\r\n\
             KALSHI-ACCESS-TIMESTAMP: {NOW_MS}\r\nKALSHI-ACCESS-SIGNATURE: {sig}\r\n"
        )
        .as_bytes(),
    );
    for h in lines.filter(|h| !h.is_empty()) {
        let name = h
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "expect"
        ) {
            continue;
        }
        req.extend_from_slice(h.as_bytes());
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    req.extend_from_slice(body);

    let what = format!("{:?}", String::from_utf8_lossy(&req[..req.len().min(300)]));
    let mut stream = connect(addr);
    if stream.write_all(&req).is_err() {
        // Refused early (e.g. a 413 before the whole body was read); the answer may still be there.
    }
    if let Some((status, body)) = read_response(&mut stream, &what) {
        no_server_error(status, &body, &what);
    }
}

/// Raw bytes (with `$TS` and `$SIG` filled in), then end of input.
fn raw(addr: SocketAddr, input: &[u8]) {
    let mut bytes = replace(input, b"$TS", NOW_MS.to_string().as_bytes());
    if find(&bytes, b"$SIG").is_some() {
        let line_end = find(&bytes, b"\r\n")
            .or_else(|| find(&bytes, b"\n"))
            .unwrap_or(bytes.len());
        let line = String::from_utf8_lossy(&bytes[..line_end]).into_owned();
        let mut words = line.split(' ');
        let method = words.next().unwrap_or("");
        let target = words.next().unwrap_or("");
        let path = target.split_once('?').map_or(target, |(p, _)| p);
        bytes = replace(&bytes, b"$SIG", signature(method, path).as_bytes());
    }
    let what = format!(
        "raw {:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
    );
    let mut stream = connect(addr);
    let _ = stream.write_all(&bytes);
    let _ = stream.shutdown(Shutdown::Write);
    // Whatever comes back (possibly several pipelined answers); the first status is checked.
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            // libFuzzer's timer signal (-timeout) interrupts blocking reads.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => {
                panic!("the simulator did not close {what} within {TIMEOUT:?} of its end: {e}")
            }
        }
        assert!(out.len() < 64 * MAX_RESPONSE, "endless answer to {what}");
    }
    if let Some(status) = out
        .strip_prefix(b"HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.parse::<u16>().ok())
    {
        no_server_error(status, &out, &what);
    }
}

/// The simulator still serves a valid signed request.
fn alive(addr: SocketAddr) {
    static SIG: LazyLock<String> =
        LazyLock::new(|| signature("GET", &format!("{BASE_PATH}/portfolio/balance")));
    let req = format!(
        "GET {BASE_PATH}/portfolio/balance HTTP/1.1\r\nHost: 127.0.0.1\r\nKALSHI-ACCESS-KEY: {KEY_ID}\r\n\
         KALSHI-ACCESS-TIMESTAMP: {NOW_MS}\r\nKALSHI-ACCESS-SIGNATURE: {}\r\n\r\n",
        *SIG
    );
    let mut stream = connect(addr);
    stream.write_all(req.as_bytes()).expect("liveness request");
    let (status, body) =
        read_response(&mut stream, "the liveness check").expect("the simulator is still alive");
    assert_eq!(
        status,
        200,
        "liveness check: {}",
        String::from_utf8_lossy(&body)
    );
}

fuzz_target!(|data: &[u8]| {
    let config = SimulatorConfig::default()
        .with_key(KEY_ID, VERIFYING_KEY.clone())
        .with_clock(ManualClock::new(NOW_MS))
        .with_body_limit(BODY_LIMIT);
    let sim = Simulator::start(config).expect("the simulator starts");
    let addr = sim.addr();

    let mut rest = data;
    for _ in 0..MAX_REQUESTS {
        let (one, next) = match find(rest, SEPARATOR) {
            Some(i) => (&rest[..i], Some(&rest[i + SEPARATOR.len()..])),
            None => (rest, None),
        };
        match one.split_first() {
            Some((b'R', raw_bytes)) => raw(addr, raw_bytes),
            _ => structured(addr, one),
        }
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }

    alive(addr);
    sim.shutdown();
});
