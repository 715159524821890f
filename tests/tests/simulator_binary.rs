//! Runs the `kalshi-simulator` binary with the exchange flags and trades on it over a raw
//! socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kalshi_core::auth::Credentials;
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};

/// Kills the child when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kalshi-simulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (running, line.trim().to_owned())
}

/// Sends one signed request on a fresh connection; returns (status, body).
fn signed(base_url: &str, method: &str, rel: &str, body: Option<&str>) -> (u16, String) {
    let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    let rest = base_url.strip_prefix("http://").unwrap();
    let (authority, base_path) = rest.split_once('/').unwrap();
    let target = format!("/{base_path}{rel}");
    let path = target.split_once('?').map_or(target.as_str(), |(p, _)| p);
    let ts = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let sig = creds.sign(ts, method, path).unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nKALSHI-ACCESS-KEY: {DEMO_KEY_ID}\r\nKALSHI-ACCESS-TIMESTAMP: {ts}\r\nKALSHI-ACCESS-SIGNATURE: {sig}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn trades_on_a_market_given_on_the_command_line() {
    let (_running, url) = spawn(&[
        "--market",
        "KXRAIN-26JUN01-T2",
        "--starting-balance-cents",
        "1000",
        "--rate-limit",
        "basic",
    ]);
    let order = |price: &str, count: &str| {
        format!(
            r#"{{"ticker": "KXRAIN-26JUN01-T2", "side": "bid", "price": "{price}", "count": "{count}", "time_in_force": "good_till_canceled", "self_trade_prevention_type": "taker_at_cross"}}"#
        )
    };
    let (status, body) = signed(
        &url,
        "POST",
        "/portfolio/events/orders",
        Some(&order("0.50", "2")),
    );
    assert_eq!(status, 201, "{body}");
    assert!(body.contains(r#""remaining_count":"2.00""#), "{body}");
    // $10.00 to start, $1.00 held by the order.
    let (status, body) = signed(&url, "GET", "/portfolio/balance", None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""balance":900"#), "{body}");
    let (status, body) = signed(
        &url,
        "POST",
        "/portfolio/events/orders",
        Some(&order("0.50", "19")),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("insufficient_balance"), "{body}");
    // The default markets are still listed.
    let default = order("0.50", "1").replace("KXRAIN-26JUN01-T2", "KXTEST-26DEC31-T50");
    assert_eq!(
        signed(&url, "POST", "/portfolio/events/orders", Some(&default)).0,
        201
    );
    // Basic tier: the Write bucket holds 100 tokens, and a batch of 11 creates costs 110,
    // so it is refused whatever the time.
    let orders: Vec<String> = (0..11).map(|_| order("0.01", "1")).collect();
    let batch = format!(r#"{{"orders": [{}]}}"#, orders.join(","));
    let (status, body) = signed(
        &url,
        "POST",
        "/portfolio/events/orders/batched",
        Some(&batch),
    );
    assert_eq!(status, 429, "{body}");
    assert_eq!(body, r#"{"error":"too many requests"}"#);
}
