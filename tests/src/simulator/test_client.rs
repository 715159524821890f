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

    /// Asserts the status (showing the body on failure).
    pub(crate) fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// Asserts a flat error body (the default shape) with this status and `code`.
    pub(crate) fn assert_error(&self, status: u16, code: &str) -> &Self {
        self.assert_status(status);
        let body = self.json();
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["service"], "simulator", "{body}");
        self
    }

    /// `details` of a flat error body.
    pub(crate) fn error_details(&self) -> String {
        self.json()["details"]
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

    /// Sends a signed request like [`call`](Self::call) without reading the answer.
    pub(crate) fn write_call(
        &mut self,
        sim: &Simulator,
        method: &str,
        target: &str,
        body: Option<&str>,
    ) {
        let full = format!("{}{target}", super::BASE_PATH);
        let path = full.split_once('?').map_or(full.as_str(), |(p, _)| p);
        let headers = auth_headers(&self.creds, sim.now_ms(), method, path);
        let bytes =
            Self::request_bytes(&self.addr, method, &full, &headers, body.map(str::as_bytes));
        self.reader.get_mut().write_all(&bytes).unwrap();
        self.reader.get_mut().flush().unwrap();
    }

    /// Reads one answer to a request sent earlier.
    pub(crate) fn read_answer(&mut self) -> Resp {
        self.read_response()
    }

    /// Reads everything until the server closes the connection (or `timeout` passes with
    /// nothing more): the raw bytes, and whether it ended in a clean close.
    pub(crate) fn read_until_closed(&mut self, timeout: Duration) -> (Vec<u8>, bool) {
        self.reader
            .get_mut()
            .set_read_timeout(Some(timeout))
            .unwrap();
        let mut out = self.reader.buffer().to_vec();
        let n = out.len();
        self.reader.consume(n);
        let mut buf = [0u8; 4096];
        loop {
            match self.reader.get_mut().read(&mut buf) {
                Ok(0) => return (out, true),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (out, true),
                Err(_) => return (out, false),
            }
        }
    }

    /// True when no byte arrives within `wait` (the connection stays usable).
    pub(crate) fn silent_for(&mut self, wait: Duration) -> bool {
        let stream = self.reader.get_mut();
        stream.set_read_timeout(Some(wait)).unwrap();
        let mut buf = [0u8; 1];
        let silent = matches!(
            stream.peek(&mut buf),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
        );
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        silent
    }

    fn request_bytes(
        addr: &SocketAddr,
        method: &str,
        full_target: &str,
        headers: &[(String, String)],
        body: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut req = format!("{method} {full_target} HTTP/1.1\r\nHost: {addr}\r\n");
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
        bytes
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
        let bytes = Self::request_bytes(&self.addr, method, full_target, headers, body);
        self.send_raw(&bytes)
    }

    /// Writes raw bytes and reads one answer.
    pub(crate) fn send_raw(&mut self, bytes: &[u8]) -> Resp {
        self.reader.get_mut().write_all(bytes).unwrap();
        self.reader.get_mut().flush().unwrap();
        self.read_response()
    }

    fn read_response(&mut self) -> Resp {
        self.try_read_answer()
            .expect("an answer (the connection was closed instead)")
    }

    /// Reads one answer, or `None` when the server closed the connection before any byte of
    /// it arrived.
    pub(crate) fn try_read_answer(&mut self) -> Option<Resp> {
        let mut status_line = String::new();
        match self.reader.read_line(&mut status_line) {
            Ok(0) => return None,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return None,
            r => {
                r.unwrap();
            }
        }
        assert!(
            status_line.starts_with("HTTP/1.1 "),
            "bad status line {status_line:?}"
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
            // A 204 has no body, whatever the headers say.
            _ if status == 204 => {}
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
        Some(resp)
    }

    /// True when the server has closed the connection (reads EOF).
    pub(crate) fn is_closed(&mut self) -> bool {
        let mut buf = [0u8; 1];
        matches!(self.reader.read(&mut buf), Ok(0) | Err(_))
    }
}
