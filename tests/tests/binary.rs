//! Runs the `kalshi-simulator` binary and talks to it over a raw socket.

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
    (running, line)
}

/// Sends a signed GET and returns (status, body).
fn signed_get(base_url: &str, creds: &Credentials, rel: &str) -> (u16, String) {
    let rest = base_url.strip_prefix("http://").unwrap();
    let (authority, base_path) = rest.split_once('/').unwrap();
    let path = format!("/{base_path}{rel}");
    let ts = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let sig = creds.sign(ts, "GET", &path).unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nKALSHI-ACCESS-KEY: {}\r\nKALSHI-ACCESS-TIMESTAMP: {ts}\r\nKALSHI-ACCESS-SIGNATURE: {sig}\r\n\r\n",
        creds.key_id()
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
fn prints_its_base_url_and_serves_the_demo_key() {
    let (_running, line) = spawn(&[]);
    let url = line.trim_end_matches('\n');
    assert!(url.starts_with("http://127.0.0.1:"), "{line:?}");
    assert!(url.ends_with("/trade-api/v2"), "{line:?}");
    let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    let (status, body) = signed_get(url, &creds, "/portfolio/order_groups");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, r#"{"order_groups":[]}"#);
    // Errors in the documented flat shape by default.
    let (status, body) = signed_get(url, &creds, "/portfolio/order_groups/missing");
    assert_eq!(status, 404, "{body}");
    assert!(body.starts_with(r#"{"code":"not_found","#), "{body}");
}

#[test]
fn answers_errors_in_the_shape_asked_for() {
    let creds = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    for (shape, start) in [
        ("flat", r#"{"code":"not_found","#),
        ("nested", r#"{"error":{"code":"not_found","#),
        ("bare", r#"{"error":"order group not found"}"#),
    ] {
        let (_running, line) = spawn(&["--error-shape", shape]);
        let (status, body) = signed_get(line.trim(), &creds, "/portfolio/order_groups/missing");
        assert_eq!(status, 404, "{shape}: {body}");
        assert!(body.starts_with(start), "{shape}: {body}");
    }
}

#[test]
fn registers_keys_from_the_command_line() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let (_running, line) = spawn(&[
        "--key",
        &format!("mine={dir}/keys/other-key.pub.pem"),
        "--window-secs",
        "60",
    ]);
    let url = line.trim();
    let other = std::fs::read_to_string(format!("{dir}/keys/other-key.pem")).unwrap();
    let mine = Credentials::from_pem("mine", &other).unwrap();
    assert_eq!(signed_get(url, &mine, "/portfolio/order_groups").0, 200);
    // The demo key is only registered when no --key is given.
    let demo = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap();
    assert_eq!(signed_get(url, &demo, "/portfolio/order_groups").0, 401);
}

#[test]
fn refuses_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_kalshi-simulator"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
}
