//! A fixed-answer HTTP/1.1 server on loopback, for end-to-end timings that measure the client
//! and not a server: it parses just enough of each request to find its end, and answers every
//! request with a canned response on the same keep-alive connection.
//!
//! Answers: `POST …/order_groups/create` → `201 {"order_group_id":"og-1","subaccount":0}`;
//! `GET …/order_groups` → `200 {"order_groups":[]}`; any other `GET …/order_groups/{id}` →
//! `200 {"is_auto_cancel_enabled":false,"orders":[]}`; anything else → `200 {}`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The body of the canned answer to `POST …/order_groups/create`.
pub const CREATE_ANSWER: &str = r#"{"order_group_id":"og-1","subaccount":0}"#;

/// A running fixed-answer server. Stops when dropped (or by [`FixedServer::stop`]).
pub struct FixedServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    served: Arc<AtomicU64>,
    accept: Option<JoinHandle<()>>,
}

impl FixedServer {
    /// Starts on `127.0.0.1` on a free port.
    pub fn start() -> io::Result<Self> {
        Self::start_on(0)
    }

    /// Starts on `127.0.0.1:port` (0: any free port).
    pub fn start_on(port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let served = Arc::new(AtomicU64::new(0));
        let (stop2, served2) = (stop.clone(), served.clone());
        let accept = std::thread::Builder::new()
            .name("fixed-server".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (stop3, served3) = (stop2.clone(), served2.clone());
                    let _ =
                        std::thread::Builder::new()
                            .name("fixed-conn".into())
                            .spawn(move || {
                                let _ = serve(conn, &stop3, &served3);
                            });
                }
            })?;
        Ok(FixedServer {
            addr,
            stop,
            served,
            accept: Some(accept),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL of the API on this server: `http://127.0.0.1:PORT/trade-api/v2`.
    pub fn base_url(&self) -> String {
        format!("http://{}/trade-api/v2", self.addr)
    }

    /// Requests answered so far.
    pub fn served(&self) -> u64 {
        self.served.load(Ordering::SeqCst)
    }

    /// Stops accepting; open connections end at their next request or idle timeout.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

impl Drop for FixedServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn answer(method: &str, path: &str) -> (&'static str, &'static str) {
    let path = path.split('?').next().unwrap_or(path);
    match method {
        "POST" if path.ends_with("/order_groups/create") => ("201 Created", CREATE_ANSWER),
        "GET" if path.ends_with("/order_groups") => ("200 OK", r#"{"order_groups":[]}"#),
        "GET" if path.contains("/order_groups/") => {
            ("200 OK", r#"{"is_auto_cancel_enabled":false,"orders":[]}"#)
        }
        _ => ("200 OK", "{}"),
    }
}

fn serve(conn: TcpStream, stop: &AtomicBool, served: &AtomicU64) -> io::Result<()> {
    conn.set_nodelay(true)?;
    // An idle keep-alive connection is closed after a while so that the server ends by itself.
    conn.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = conn.try_clone()?;
    let mut reader = BufReader::with_capacity(16 * 1024, conn);
    let mut line = String::new();
    let mut out = Vec::with_capacity(512);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || stop.load(Ordering::SeqCst) {
            break;
        }
        let mut parts = line.split_ascii_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let path = parts.next().unwrap_or("").to_owned();
        let mut content_length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection")
                    && value.eq_ignore_ascii_case("close")
                {
                    close = true;
                }
            }
        }
        io::copy(
            &mut (&mut reader).take(content_length as u64),
            &mut io::sink(),
        )?;
        let (status, body) = answer(&method, &path);
        out.clear();
        write!(
            out,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )?;
        // Counted before the answer leaves, so a client that has it sees the count.
        served.fetch_add(1, Ordering::SeqCst);
        writer.write_all(&out)?;
        if close {
            break;
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
    Ok(())
}
