//! Raw-TCP "hostile" HTTP servers on 127.0.0.1, for testing how the transports survive peers
//! that do not play by the rules: bodies larger than announced (or endless), lying
//! `Content-Length`s, resets in the middle of a body, header blocks that never end, silence,
//! compressed or non-JSON answers.
//!
//! A [`HostileServer`] accepts connections on `127.0.0.1:0` and hands each one, on its own
//! thread, to a behaviour closure that drives the socket by hand through a [`Conn`]: read the
//! request head ([`Conn::read_head`]), write whatever bytes it likes ([`Conn::write_all`],
//! [`Conn::write_lazily`]), wait ([`Conn::pause`]), or take the raw [`TcpStream`]
//! ([`Conn::stream`]) to e.g. reset it.
//!
//! Nothing outlives a test: the server stops accepting after [`MAX_CONNECTIONS`] connections or
//! [`MAX_LIFETIME`], every socket read and write has a timeout ([`IO_TIMEOUT`]), every
//! [`Conn::pause`] and [`Conn::alive`] check ends when the server is stopped or its lifetime is
//! over, and [`HostileServer::stop`] (or dropping the server) joins every thread it started.
//!
//! ```
//! use kalshi_simulator::hostile::{HostileServer, response};
//! let server = HostileServer::start(|conn| {
//!     conn.read_head()?;
//!     conn.write_all(&response("200 OK", &[], b"{}"))
//! })?;
//! let url = server.base_url(); // "http://127.0.0.1:PORT/trade-api/v2"
//! # drop(url);
//! let stats = server.stop();
//! assert_eq!(stats.connections, 0);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::BASE_PATH;

/// The longest a server (and every connection it serves) lives.
pub const MAX_LIFETIME: Duration = Duration::from_secs(30);

/// The most connections a server accepts; later ones wait in the backlog, unanswered.
pub const MAX_CONNECTIONS: usize = 32;

/// The read and write timeout of every accepted socket, so that a blocked write to a client
/// that stopped reading (or a read from one that sends nothing) ends by itself.
pub const IO_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest request head [`Conn::read_head`] accepts.
pub const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// What the server and its connections share.
#[derive(Debug)]
struct Shared {
    stop: AtomicBool,
    deadline: Instant,
    bytes_sent: AtomicU64,
    connections: AtomicUsize,
    heads: Mutex<Vec<String>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Shared {
    fn alive(&self) -> bool {
        !self.stop.load(Ordering::SeqCst) && Instant::now() < self.deadline
    }
}

/// What a stopped server saw and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Connections accepted.
    pub connections: usize,
    /// Bytes written to clients, over every connection (what the kernel accepted, which may be
    /// more than the client read).
    pub bytes_sent: u64,
    /// The request heads read by [`Conn::read_head`], in order (request line and headers, up
    /// to and including the blank line).
    pub request_heads: Vec<String>,
}

/// A raw HTTP server on 127.0.0.1 that runs a behaviour closure on every connection.
///
/// Stops (and joins its threads) when [`stop`](HostileServer::stop)ped or dropped.
#[derive(Debug)]
pub struct HostileServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Listens on `127.0.0.1:0` and runs `behaviour` on each accepted connection, in a thread
    /// of its own. The behaviour's error (typically the client hanging up) just ends the
    /// connection, which is closed when the [`Conn`] is dropped.
    pub fn start<F>(behaviour: F) -> io::Result<Self>
    where
        F: Fn(&mut Conn) -> io::Result<()> + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        // Polled, so that the acceptor notices `stop` without a connection arriving.
        listener.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            deadline: Instant::now() + MAX_LIFETIME,
            bytes_sent: AtomicU64::new(0),
            connections: AtomicUsize::new(0),
            heads: Mutex::new(Vec::new()),
            workers: Mutex::new(Vec::new()),
        });
        let behaviour = Arc::new(behaviour);
        let acceptor = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name(format!("hostile-accept-{}", addr.port()))
                .spawn(move || accept_loop(&listener, &shared, &behaviour))?
        };
        Ok(HostileServer {
            addr,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/trade-api/v2`, for `Environment::custom`.
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.addr)
    }

    /// Bytes written to clients so far.
    pub fn bytes_sent(&self) -> u64 {
        self.shared.bytes_sent.load(Ordering::SeqCst)
    }

    /// Stops accepting, tells every connection to stop, waits for their threads (each ends
    /// within about [`IO_TIMEOUT`]) and returns what the server saw.
    pub fn stop(mut self) -> Stats {
        self.shutdown();
        Stats {
            connections: self.shared.connections.load(Ordering::SeqCst),
            bytes_sent: self.shared.bytes_sent.load(Ordering::SeqCst),
            request_heads: lock(&self.shared.heads).clone(),
        }
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        let workers = std::mem::take(&mut *lock(&self.shared.workers));
        for worker in workers {
            let _ = worker.join();
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop<F>(listener: &TcpListener, shared: &Arc<Shared>, behaviour: &Arc<F>)
where
    F: Fn(&mut Conn) -> io::Result<()> + Send + Sync + 'static,
{
    let mut accepted = 0;
    while accepted < MAX_CONNECTIONS && shared.alive() {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(2));
                continue;
            }
            Err(_) => return,
        };
        accepted += 1;
        shared.connections.fetch_add(1, Ordering::SeqCst);
        let ready = stream
            .set_nonblocking(false)
            .and_then(|()| stream.set_read_timeout(Some(IO_TIMEOUT)))
            .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
            .and_then(|()| stream.set_nodelay(true));
        if ready.is_err() {
            continue;
        }
        let mut conn = Conn {
            stream,
            shared: Arc::clone(shared),
        };
        let behaviour = Arc::clone(behaviour);
        let worker = thread::Builder::new()
            .name("hostile-conn".into())
            .spawn(move || {
                let _ = behaviour(&mut conn);
            });
        if let Ok(worker) = worker {
            lock(&shared.workers).push(worker);
        }
    }
}

/// One accepted connection, driven by hand by a server's behaviour.
#[derive(Debug)]
pub struct Conn {
    stream: TcpStream,
    shared: Arc<Shared>,
}

impl Conn {
    /// False once the server is stopping or its [`MAX_LIFETIME`] is over: every loop in a
    /// behaviour should check it.
    pub fn alive(&self) -> bool {
        self.shared.alive()
    }

    /// Sleeps for `d`, in small steps, returning early (with `false`) when the server stops.
    pub fn pause(&self, d: Duration) -> bool {
        let until = Instant::now() + d;
        while self.alive() {
            let now = Instant::now();
            if now >= until {
                return true;
            }
            thread::sleep((until - now).min(Duration::from_millis(10)));
        }
        false
    }

    /// Waits (until the server stops) without reading or writing anything.
    pub fn stall(&self) {
        while self.pause(Duration::from_millis(50)) {}
    }

    /// Reads a request head, byte by byte (so nothing after it is consumed), up to and
    /// including the blank line, and records it. A body is left unread: read it with
    /// [`Conn::read_exact`] if needed.
    pub fn read_head(&mut self) -> io::Result<String> {
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if head.len() >= MAX_REQUEST_HEAD || !self.alive() {
                return Err(io::Error::other("request head too long, or server stopped"));
            }
            match self.stream.read(&mut byte)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                _ => head.push(byte[0]),
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        lock(&self.shared.heads).push(head.clone());
        Ok(head)
    }

    /// Reads exactly `buf.len()` bytes.
    pub fn read_exact(&mut self, buf: &mut [u8]) -> io::Result<()> {
        self.stream.read_exact(buf)
    }

    /// Writes all of `bytes` (counted in [`Stats::bytes_sent`]).
    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.alive() {
            return Err(io::Error::other("server stopped"));
        }
        self.stream.write_all(bytes)?;
        self.shared
            .bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::SeqCst);
        Ok(())
    }

    /// Writes `chunk` again and again, `total` bytes in all (the last copy cut to fit), one
    /// write at a time so that nothing is generated before the client asks for it; stops at
    /// the first failed write (the client hung up, or stopped reading for [`IO_TIMEOUT`]) or
    /// when the server stops. Returns the bytes written.
    pub fn write_lazily(&mut self, chunk: &[u8], total: u64) -> u64 {
        let mut written = 0u64;
        while written < total && !chunk.is_empty() {
            let n = usize::try_from(total - written)
                .unwrap_or(usize::MAX)
                .min(chunk.len());
            if self.write_all(&chunk[..n]).is_err() {
                break;
            }
            written += n as u64;
        }
        written
    }

    /// The socket, e.g. to set `SO_LINGER` to zero so that dropping it sends a reset.
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }
}

/// A complete response: status line (`"200 OK"`), `headers` (`"Name: value"`), a
/// `Content-Length` matching `body`, and `body`.
pub fn response(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let content_length = format!("Content-Length: {}", body.len());
    let mut all: Vec<&str> = headers.to_vec();
    all.push(&content_length);
    let mut out = head(status, &all);
    out.extend_from_slice(body);
    out
}

/// A response head only: status line and `headers`, then the blank line.
pub fn head(status: &str, headers: &[&str]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// `len` bytes that look random (xorshift64 from `seed`): incompressible filler that is
/// neither JSON nor UTF-8.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_and_stops() {
        let server = HostileServer::start(|conn| {
            conn.read_head()?;
            conn.write_all(&response("200 OK", &["Connection: close"], b"hi"))
        })
        .unwrap();
        let mut client = TcpStream::connect(server.addr()).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        client
            .write_all(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"));
        assert!(answer.ends_with(b"\r\n\r\nhi"));
        let stats = server.stop();
        assert_eq!(stats.connections, 1);
        assert_eq!(stats.bytes_sent, answer.len() as u64);
        assert_eq!(
            stats.request_heads,
            vec!["GET /x HTTP/1.1\r\nHost: a\r\n\r\n"]
        );
    }

    #[test]
    fn a_stalling_connection_ends_when_the_server_stops() {
        let server = HostileServer::start(|conn| {
            conn.stall();
            Ok(())
        })
        .unwrap();
        let _client = TcpStream::connect(server.addr()).unwrap();
        thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        assert_eq!(server.stop().connections, 1);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn lazy_writes_stop_when_the_client_hangs_up() {
        let server = HostileServer::start(|conn| {
            conn.write_lazily(&[b'x'; 16 * 1024], 1 << 30);
            Ok(())
        })
        .unwrap();
        let mut client = TcpStream::connect(server.addr()).unwrap();
        let mut buf = [0u8; 1024];
        client.read_exact(&mut buf).unwrap();
        drop(client);
        let stats = server.stop();
        assert!(stats.bytes_sent < 1 << 30, "{stats:?}");
    }

    #[test]
    fn noise_is_not_utf8() {
        let n = noise(7, 4096);
        assert_eq!(n.len(), 4096);
        assert!(std::str::from_utf8(&n).is_err());
        assert_ne!(noise(7, 64), noise(8, 64));
    }
}
