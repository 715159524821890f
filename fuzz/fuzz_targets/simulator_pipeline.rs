//! The simulator's request pipeline in process, without a socket: `Simulator::handle` on a
//! `Simulator::in_process` (no socket, no thread), so the whole budget goes to the
//! simulator's code: the body limit, fault injection, the authenticator's header parsing
//! (`KALSHI-ACCESS-*`, any bytes), rate limiting, routing, percent-decoding of path
//! parameters, query parsing, JSON body parsing and every handler. HTTP framing is
//! `simulator_request`'s job.
//!
//! Each input gets a fresh in-process simulator: the demo key plus `fuzz-key` (a throwaway
//! 1024-bit key in `fuzz/keys/`), a `ManualClock` starting at `NOW_MS`, a 4 KiB body limit. It
//! runs up to 16 chunks, then checks that a valid signed request still gets a 200 and that
//! the exchange is consistent (no crossed book, no negative available balance).
//!
//! Checks on every answer: no panic (libfuzzer-sys's hook aborts even on a handler panic the
//! simulator would catch into a 500); a 5xx only when a fault was injected for that request,
//! and then exactly the injected answer (a 500 otherwise means a handler failed); never a
//! fault that needs a connection; a `Date` header of the exchange time; a JSON body that
//! parses (`application/json`), except the injected proxy 502 (HTML); an error answer in the
//! flat `ErrorResponse` shape (the 429 `{"error": "too many requests"}`); and a request the
//! harness signed itself is never refused with a 401.
//!
//! Input: chunks separated by `\n&&&\n` (the `simulator_request` format, whose corpus seeds
//! this one). A chunk is
//!
//! - structured: `METHOD /path/under/base?query` on its first line, then `Name: value` header
//!   lines, an empty line, and the body. The harness requests `/trade-api/v2/path?query` with
//!   the headers and the body, and adds `KALSHI-ACCESS-KEY: fuzz-key`,
//!   `KALSHI-ACCESS-TIMESTAMP` and a valid `KALSHI-ACCESS-SIGNATURE` (signatures cached by
//!   method and path: the clock starts at `NOW_MS` and moves at most 25 s, inside the 30 s
//!   window), except that each of the three named in the chunk (any case, any number of
//!   times) is sent only as given: raw bytes, with `$TS` replaced by `NOW_MS` and `$SIG` by
//!   the valid signature;
//! - raw: `R`, then `METHOD TARGET [VERSION]` (the full target, base path included), header
//!   lines and body as above, lines ending in `\n` or `\r\n`; only the given headers are sent
//!   (`$TS`, `$SIG` replaced). A request line, header name or value `http` refuses (as hyper
//!   would) is dropped: an invalid method or target skips the chunk, an invalid header line
//!   is left out;
//! - an operation, `!` then one line:
//!   - `!t<ms>`: advance the clock by `ms` (the total is capped at 25 s);
//!   - `!f<kind>[<status>][ <path prefix>]`: queue a fault rule for the next matching
//!     request: kind `5` (server error, with the status), `r` (429), `p` (proxy 502), or one
//!     that needs a connection and must never apply in process: `d` (drop before), `a` (drop
//!     after), `x` (truncated body), `w` (delayed answer), `b` (delay before);
//!   - `!l<read rate>,<read capacity>,<write rate>,<write capacity>`: turn rate limiting on
//!     with these budgets (`!l` alone: off; `!l<tier name>`: that tier);
//!   - `!s<seed>`: turn random faults on (drops after execute, 503s and 429s, a third each).
#![no_main]

use std::sync::LazyLock;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::{Method, Request, Response, Uri};
use kalshi_core::auth::{
    HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE, HEADER_ACCESS_TIMESTAMP, PrivateKey, VerifyingKey,
};
use kalshi_core::clock_skew::parse_http_date;
use kalshi_simulator::{
    BASE_PATH, DEMO_KEY_ID, Fault, FaultRule, ManualClock, RandomFaults, RateLimitTier, RateLimits,
    Simulator, SimulatorConfig,
};
use libfuzzer_sys::fuzz_target;

#[path = "common/simulator_input.rs"]
mod common;
use common::{KEY_ID, KEY_PEM, NOW_MS, SEPARATOR, find, replace, signature};

/// How far the clock may move: signatures at `NOW_MS` stay within the 30 s window.
const MAX_ADVANCE_MS: u64 = 25_000;
const MAX_CHUNKS: usize = 16;
const BODY_LIMIT: usize = 4096;

/// Everything but the clock, built once (the demo key's PEM is parsed only here).
static CONFIG: LazyLock<SimulatorConfig> = LazyLock::new(|| {
    let key: VerifyingKey = PrivateKey::from_pem(KEY_PEM)
        .expect("fuzz key")
        .verifying_key();
    SimulatorConfig::default()
        .with_key(KEY_ID, key)
        .with_body_limit(BODY_LIMIT)
});

/// `SIMULATOR_PIPELINE_TRACE=1` prints every request and its status (to see what a corpus
/// reaches: `simulator_pipeline -runs=0 corpus/simulator_pipeline`).
static TRACE: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("SIMULATOR_PIPELINE_TRACE").is_some_and(|v| v == "1"));

fn trim(mut b: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = b {
        b = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = b {
        b = rest;
    }
    b
}

/// Head lines (without their `\r`) and the body, split at the first empty line.
fn split_message(input: &[u8]) -> (Vec<&[u8]>, &[u8]) {
    let lf = find(input, b"\n\n").map(|i| (i, i + 2));
    let crlf = find(input, b"\r\n\r\n").map(|i| (i, i + 4));
    let (head, body) = match (lf, crlf) {
        (Some(a), Some(b)) => {
            let (end, start) = if a.0 <= b.0 { a } else { b };
            (&input[..end], &input[start..])
        }
        (Some((end, start)), None) | (None, Some((end, start))) => (&input[..end], &input[start..]),
        (None, None) => (input, &b""[..]),
    };
    let lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    (lines, body)
}

fn is_auth_header(name: &HeaderName) -> bool {
    [
        HEADER_ACCESS_KEY,
        HEADER_ACCESS_SIGNATURE,
        HEADER_ACCESS_TIMESTAMP,
    ]
    .iter()
    .any(|h| name.as_str().eq_ignore_ascii_case(h))
}

/// One request ready for `handle`, and whether the harness signed it itself.
struct Prepared {
    request: Request<Vec<u8>>,
    harness_signed: bool,
    what: String,
}

/// Builds the request of a structured (`raw == false`) or raw chunk; `None` when `http`
/// refuses its method or target.
fn prepare(chunk: &[u8], raw: bool) -> Option<Prepared> {
    let (lines, body) = split_message(chunk);
    let line = lines.first().copied().unwrap_or(b"");
    let mut words = line.splitn(3, |&b| b == b' ');
    let method = words.next().unwrap_or(b"");
    let method = if method.is_empty() {
        Method::GET
    } else {
        Method::from_bytes(method).ok()?
    };
    let target = words.next().unwrap_or(b"/");
    let uri = if raw {
        Uri::try_from(target).ok()?
    } else {
        let mut full = BASE_PATH.as_bytes().to_vec();
        full.extend_from_slice(target);
        Uri::try_from(full).ok()?
    };
    let path = uri.path().to_owned();
    let sig = signature(method.as_str(), &path);
    let ts = NOW_MS.to_string();

    let mut headers = Vec::new();
    let mut auth_given = raw;
    for h in lines.iter().skip(1).filter(|h| !h.is_empty()) {
        let (name, value) = match find(h, b":") {
            Some(i) => (&h[..i], &h[i + 1..]),
            None => (&h[..], &b""[..]),
        };
        let Ok(name) = HeaderName::from_bytes(trim(name)) else {
            continue;
        };
        let value = if is_auth_header(&name) {
            auth_given = true;
            replace(
                &replace(trim(value), b"$TS", ts.as_bytes()),
                b"$SIG",
                sig.as_bytes(),
            )
        } else {
            trim(value).to_vec()
        };
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            headers.push((name, value));
        }
    }
    let given = |h: &str| {
        headers
            .iter()
            .any(|(n, _)| n.as_str().eq_ignore_ascii_case(h))
    };
    let mut added = Vec::new();
    if !raw {
        for (name, value) in [
            (HEADER_ACCESS_KEY, KEY_ID),
            (HEADER_ACCESS_TIMESTAMP, ts.as_str()),
            (HEADER_ACCESS_SIGNATURE, sig.as_str()),
        ] {
            if !given(name) {
                added.push((
                    HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    HeaderValue::from_str(value).unwrap(),
                ));
            }
        }
    }
    let what = format!(
        "{method} {uri} ({} headers{}, {} body bytes)",
        headers.len(),
        if auth_given { ", auth as given" } else { "" },
        body.len()
    );
    let mut request = Request::new(body.to_vec());
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    for (n, v) in added.into_iter().chain(headers) {
        request.headers_mut().append(n, v);
    }
    Some(Prepared {
        request,
        harness_signed: !auth_given,
        what,
    })
}

fn number(b: &[u8]) -> Option<u64> {
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

/// Runs an operation chunk (`!` already stripped).
fn operation(sim: &Simulator, clock: &ManualClock, advanced: &mut u64, op: &[u8]) {
    let op = op.split(|&b| b == b'\n').next().unwrap_or(b"");
    let Some((&kind, arg)) = op.split_first() else {
        return;
    };
    match kind {
        b't' => {
            let ms = number(arg).unwrap_or(1000).min(MAX_ADVANCE_MS - *advanced);
            *advanced += ms;
            clock.advance_ms(ms);
        }
        b'f' => {
            let (spec, prefix) = match find(arg, b" ") {
                Some(i) => (&arg[..i], Some(&arg[i + 1..])),
                None => (arg, None),
            };
            let Some((&k, n)) = spec.split_first() else {
                return;
            };
            let fault = match k {
                b'5' => Fault::ServerError(
                    number(n).map_or(500, |s| u16::try_from(s).unwrap_or(u16::MAX)),
                ),
                b'r' => Fault::TooManyRequests,
                b'p' => Fault::ProxyBadGateway,
                b'd' => Fault::DropBeforeExecute,
                b'a' => Fault::DropAfterExecute,
                b'x' => Fault::TruncatedBody,
                b'w' => Fault::DelayAnswer(Duration::from_secs(3600)),
                b'b' => Fault::DelayBeforeExecute(Duration::from_secs(3600)),
                _ => return,
            };
            let mut rule = FaultRule::new(fault);
            if let Some(p) = prefix {
                rule = rule.path_prefix(&String::from_utf8_lossy(p));
            }
            sim.faults().push(rule);
        }
        b'l' => {
            if arg.is_empty() {
                sim.set_rate_limits(None);
            } else if let Some(tier) = std::str::from_utf8(arg).ok().and_then(RateLimitTier::parse)
            {
                sim.set_rate_limits(Some(tier.into()));
            } else {
                let n: Vec<u64> = arg
                    .split(|&b| b == b',')
                    .map(|x| number(x).unwrap_or(0))
                    .collect();
                let at = |i: usize| n.get(i).copied().unwrap_or(0);
                sim.set_rate_limits(Some(RateLimits::new(at(0), at(1), at(2), at(3))));
            }
        }
        b's' => {
            let seed = number(arg).unwrap_or(0);
            sim.faults().set_random(Some(
                RandomFaults::new(seed)
                    .drop_after_execute(1.0 / 3.0)
                    .server_error(1.0 / 3.0)
                    .too_many_requests(1.0 / 3.0),
            ));
        }
        _ => {}
    }
}

/// The checks every answer must pass.
fn check(sim: &Simulator, p: &Prepared, injected: Option<&Fault>, resp: &Response<Vec<u8>>) {
    let what = &p.what;
    let status = resp.status().as_u16();
    let body = String::from_utf8_lossy(resp.body());

    // The exchange time, in whole seconds, in the Date header.
    let date = resp
        .headers()
        .get("date")
        .and_then(|d| d.to_str().ok())
        .unwrap_or_else(|| panic!("no Date header on the answer to {what}"));
    assert_eq!(
        parse_http_date(date),
        Some((sim.now_ms() / 1000) as i64),
        "Date {date:?} of the answer to {what}"
    );

    match injected {
        Some(fault) => {
            assert!(
                !fault.needs_connection(),
                "{fault:?} needs a connection but was injected in process into {what}"
            );
            let expected = match fault {
                Fault::ServerError(s) if (500..600).contains(s) => *s,
                Fault::ServerError(_) => 500,
                Fault::TooManyRequests => 429,
                Fault::ProxyBadGateway => 502,
                other => unreachable!("{other:?}"),
            };
            assert_eq!(status, expected, "{fault:?} injected into {what}: {body}");
            if *fault == Fault::ProxyBadGateway {
                assert_eq!(resp.headers()["content-type"], "text/html");
                return;
            }
        }
        None => assert!(
            status < 500,
            "the simulator answered {what} with {status}: {body}"
        ),
    }

    assert_eq!(
        resp.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..]),
        "content type of the answer to {what}"
    );
    let json: serde_json::Value = serde_json::from_slice(resp.body())
        .unwrap_or_else(|e| panic!("the answer to {what} is not JSON ({e}): {body}"));
    if status == 429 {
        assert_eq!(
            json,
            serde_json::json!({"error": "too many requests"}),
            "429 to {what}"
        );
    } else if status >= 400 {
        // The documented flat `ErrorResponse` (the simulator's default shape), which the
        // client's parser reads with its code.
        let code = kalshi_core::ErrorResponse::from_body(resp.body()).and_then(|d| d.code);
        assert!(
            json.get("code").is_some() && code.is_some(),
            "error answer {status} to {what} is not a flat error document: {body}"
        );
    }
    if p.harness_signed && injected.is_none() {
        assert_ne!(status, 401, "a correctly signed {what} was refused: {body}");
    }
}

/// The exchange is consistent: no crossed book, no negative available balance.
fn consistent(sim: &Simulator) {
    for ticker in sim.markets() {
        let book = sim.book(&ticker).expect("a listed market has a book");
        if let (Some(bid), Some(ask)) = (book.bids.first(), book.asks.first()) {
            assert!(
                bid.0 < ask.0,
                "crossed book on {ticker}: best bid {bid:?}, best ask {ask:?}"
            );
        }
    }
    for key in [KEY_ID, DEMO_KEY_ID] {
        let mut subaccounts: Vec<u8> = sim.positions(key).iter().map(|p| p.subaccount).collect();
        subaccounts.extend(sim.orders(key).iter().map(|o| o.subaccount));
        subaccounts.push(0);
        subaccounts.sort_unstable();
        subaccounts.dedup();
        for s in subaccounts {
            let cents = sim.balance_cents(key, s);
            assert!(cents >= 0, "{key} subaccount {s}: available {cents} cents");
        }
    }
}

/// A valid signed request still gets a 200.
fn alive(sim: &Simulator) {
    sim.faults().clear();
    sim.set_rate_limits(None);
    let path = format!("{BASE_PATH}/portfolio/balance");
    let request = Request::get(&path)
        .header(HEADER_ACCESS_KEY, KEY_ID)
        .header(HEADER_ACCESS_TIMESTAMP, NOW_MS)
        .header(HEADER_ACCESS_SIGNATURE, signature("GET", &path))
        .body(Vec::new())
        .unwrap();
    let resp = sim.handle(request);
    assert_eq!(
        resp.status(),
        200,
        "liveness check: {}",
        String::from_utf8_lossy(resp.body())
    );
}

fuzz_target!(|data: &[u8]| {
    let clock = ManualClock::new(NOW_MS);
    let sim = Simulator::in_process(CONFIG.clone().with_clock(clock.clone()))
        .expect("the simulator builds");
    let mut advanced = 0;

    let mut rest = data;
    for _ in 0..MAX_CHUNKS {
        let (chunk, next) = match find(rest, SEPARATOR) {
            Some(i) => (&rest[..i], Some(&rest[i + SEPARATOR.len()..])),
            None => (rest, None),
        };
        let prepared = match chunk.split_first() {
            Some((b'!', op)) => {
                operation(&sim, &clock, &mut advanced, op);
                None
            }
            Some((b'R', raw)) => prepare(raw, true),
            _ => prepare(chunk, false),
        };
        if let Some(mut p) = prepared {
            let before = sim.faults().injected().len();
            let resp = sim.handle(std::mem::take(&mut p.request));
            let log = sim.faults().injected();
            assert!(log.len() <= before + 1, "two faults for one request");
            if *TRACE {
                eprintln!("{} -> {}", p.what, resp.status());
            }
            check(&sim, &p, log.get(before).map(|f| &f.fault), &resp);
        }
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }

    consistent(&sim);
    alive(&sim);
});
