//! A tiny raw HTTP/1.1 client over `std::net::TcpStream`, for the simulator's own tests.
//!
//! It keeps one connection open (so tests exercise keep-alive), signs with
//! `kalshi_core::auth::Credentials`, and can send arbitrary bytes to poke at the parser.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use kalshi_core::auth::{
    Credentials, HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE, HEADER_ACCESS_TIMESTAMP,
};
use serde_json::Value;

use super::Simulator;
use crate::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};

/// The demo key's credentials.
pub(crate) fn demo_credentials() -> Credentials {
    Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap()
}

/// The second bundled test key (not registered by default).
pub(crate) const OTHER_PRIVATE_KEY_PEM: &str = include_str!("../../keys/other-key.pem");

/// The other key's credentials, under `key_id`.
pub(crate) fn other_credentials(key_id: &str) -> Credentials {
    Credentials::from_pem(key_id, OTHER_PRIVATE_KEY_PEM).unwrap()
}

/// The three auth headers for a request signed by `creds` over `ts + method + path`.
pub(crate) fn auth_headers(
    creds: &Credentials,
    ts: u64,
    method: &str,
    path: &str,
) -> Vec<(String, String)> {
    vec![
        (HEADER_ACCESS_KEY.into(), creds.key_id().into()),
        (HEADER_ACCESS_TIMESTAMP.into(), ts.to_string()),
        (
            HEADER_ACCESS_SIGNATURE.into(),
            creds.sign(ts, method, path).unwrap(),
        ),
    ]
}

/// An HTTP answer.
#[derive(Debug)]
pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Resp {
    /// The body as JSON (panics if it is not).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header value by (case-insensitive) name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `error.details` of a nested error body.
    pub(crate) fn error_details(&self) -> String {
        self.json()["error"]["details"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// One kept-alive connection to a simulator.
pub(crate) struct Client {
    addr: SocketAddr,
    reader: BufReader<TcpStream>,
    creds: Credentials,
}

impl Client {
    /// Connects to `sim`, signing with the demo key.
    pub(crate) fn new(sim: &Simulator) -> Self {
        Self::with_credentials(sim, demo_credentials())
    }

    /// Connects to `sim`, signing with `creds`.
    pub(crate) fn with_credentials(sim: &Simulator, creds: Credentials) -> Self {
        let stream = TcpStream::connect(sim.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            addr: sim.addr(),
            reader: BufReader::new(stream),
            creds,
        }
    }

    /// Sends a request signed at the simulator's current time. `target` is relative to the
    /// base path and may carry a query (`/portfolio/order_groups?subaccount=1`).
    pub(crate) fn call(
        &mut self,
        sim: &Simulator,
        method: &str,
        target: &str,
        body: Option<&str>,
    ) -> Resp {
        let full = format!("{}{target}", super::BASE_PATH);
        let path = full.split_once('?').map_or(full.as_str(), |(p, _)| p);
        let headers = auth_headers(&self.creds, sim.now_ms(), method, path);
        self.send(method, &full, &headers, body.map(str::as_bytes))
    }

    /// Sends `method full_target` with exactly these headers (plus Host and, when there is a
    /// body, Content-Length).
    pub(crate) fn send(
        &mut self,
        method: &str,
        full_target: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Resp {
        let mut req = format!("{method} {full_target} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body.unwrap_or_default());
        self.send_raw(&bytes)
    }

    /// Writes raw bytes and reads one answer.
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) -> Resp {
        self.reader.get_mut().write_all(bytes).unwrap();
        self.reader.get_mut().flush().unwrap();
        self.read_response()
    }

    fn read_response(&mut self) -> Resp {
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line).unwrap();
        assert!(
            status_line.starts_with("HTTP/1.1 "),
            "bad status line {status_line:?} (connection closed?)"
        );
        let status: u16 = status_line[9..12].parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (n, v) = line.split_once(':').unwrap();
            headers.push((n.trim().to_owned(), v.trim().to_owned()));
        }
        let mut resp = Resp {
            status,
            headers,
            body: Vec::new(),
        };
        match resp
            .header("content-length")
            .map(|v| v.parse::<usize>().unwrap())
        {
            Some(n) => {
                let mut body = vec![0; n];
                self.reader.read_exact(&mut body).unwrap();
                resp.body = body;
            }
            None => {
                assert!(
                    resp.header("transfer-encoding").is_none(),
                    "chunked not supported"
                );
                self.reader.read_to_end(&mut resp.body).unwrap();
            }
        }
        resp
    }

    /// True when the server has closed the connection (reads EOF).
    pub(crate) fn is_closed(&mut self) -> bool {
        let mut buf = [0u8; 1];
        matches!(self.reader.read(&mut buf), Ok(0) | Err(_))
    }
}
