//! Sign-ahead: RSA off the order path.
//!
//! An RSA-2048 signature costs a few hundred microseconds even with a fast backend, and the
//! signed message is `timestamp + METHOD + path`, which for the hot order requests
//! (`POST /portfolio/events/orders`, the batched create and cancel) does not depend on the
//! order at all. A [`SignAheadPool`] signs such messages ahead of time, from a thread or task
//! of the caller's choosing ([`SignAheadPool::refill`]); building a request then takes a ready
//! signature and sends the timestamp it was made for, so the order path does no RSA.
//!
//! Rules the pool keeps:
//!
//! - each signature is used at most once;
//! - a signature whose timestamp is older than [`SignAheadConfig::max_age`] (5 s by default,
//!   well inside the exchange's window) is never used; one stamped later than
//!   `now + `[`SignAheadConfig::lead`] is not used either (the clock went back);
//! - of the usable ones, the freshest is used;
//! - when none is ready the request is signed inline, as without the pool.
//!
//! ```
//! # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
//! use kalshi_core::auth::{SignAheadConfig, SignAheadPool};
//! use kalshi_core::order_groups::CreateOrderGroup;
//! use kalshi_core::{Client, Credentials, Environment, Timestamp};
//!
//! let pool = SignAheadPool::new(Credentials::from_pem("my-key-id", &pem)?, SignAheadConfig::default());
//! // The client signs through the pool: inline when it has nothing ready.
//! let client = Client::new(Environment::Demo, pool.credentials());
//! pool.register_order_paths(client.base_url());
//! pool.register_op(&client, &CreateOrderGroup::new(1)); // any fixed-path operation
//!
//! // From the caller's own thread or task, every few hundred milliseconds:
//! let now = Timestamp::from_millis(1_703_123_456_000);
//! pool.refill(now)?;
//!
//! // On the order path: no RSA.
//! let request = client.request_presigned(&CreateOrderGroup::new(10), &pool, Timestamp::from_millis(1_703_123_456_200))?;
//! assert_eq!(request.headers()["KALSHI-ACCESS-TIMESTAMP"], "1703123456000");
//! # Ok::<(), kalshi_core::Error>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::Method;

use super::{Credentials, Signer, signing_message};
use crate::operation::{Operation, PathWriter};
use crate::{BaseUrl, Client, Error, Timestamp};

/// How a [`SignAheadPool`] stamps, keeps and hands out signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignAheadConfig {
    /// The oldest a signature's timestamp may be when it is used (default 5 s). Keep it well
    /// inside the exchange's accepted window.
    pub max_age: Duration,
    /// How far ahead of `now` [`SignAheadPool::refill`] stamps new signatures (default 0: they
    /// carry the refill time). A signature stamped up to this far in the future is usable.
    pub lead: Duration,
    /// Signatures kept ready per registered request (default 8): at least the orders you
    /// may send between two refills.
    pub depth: usize,
}

impl Default for SignAheadConfig {
    fn default() -> Self {
        SignAheadConfig {
            max_age: Duration::from_secs(5),
            lead: Duration::ZERO,
            depth: 8,
        }
    }
}

impl SignAheadConfig {
    /// Sets [`max_age`](Self::max_age).
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Sets [`lead`](Self::lead).
    pub fn lead(mut self, lead: Duration) -> Self {
        self.lead = lead;
        self
    }

    /// Sets [`depth`](Self::depth).
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }
}

/// One pre-signed message.
struct Ready {
    ts: u64,
    message: Vec<u8>,
    signature: String,
}

/// The ready signatures for one registered (method, path).
struct Queue {
    method: Method,
    path: String,
    /// Sorted by timestamp, oldest first.
    ready: VecDeque<Ready>,
}

#[derive(Default)]
struct State {
    queues: Vec<Queue>,
    /// Taken by [`Client::request_presigned`] and about to be asked for by [`Signer::sign`].
    claimed: Vec<Ready>,
}

/// A pool of signatures made ahead of time for fixed request paths, which
/// [`Client::request_presigned`](crate::Client::request_presigned) takes from.
///
/// It is itself a [`Signer`]: give a client [`SignAheadPool::credentials`] and every request
/// it builds goes through the pool, which signs inline what it has not prepared. `Debug` shows
/// the key id and the counts only.
pub struct SignAheadPool {
    inner: Credentials,
    config: SignAheadConfig,
    max_age_ms: u64,
    lead_ms: u64,
    state: Mutex<State>,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl SignAheadPool {
    /// A pool that signs with `credentials` (any backend).
    pub fn new(credentials: Credentials, config: SignAheadConfig) -> Arc<Self> {
        Arc::new(SignAheadPool {
            inner: credentials,
            max_age_ms: millis(config.max_age),
            lead_ms: millis(config.lead),
            config,
            state: Mutex::new(State::default()),
        })
    }

    /// Credentials with the same key id that sign through this pool; build the [`Client`] with
    /// them so that [`Client::request_presigned`] can use the pool.
    pub fn credentials(self: &Arc<Self>) -> Credentials {
        let signer: Arc<dyn Signer> = self.clone();
        Credentials::new(self.inner.key_id(), signer)
            .expect("the key id was accepted when the inner credentials were made")
    }

    /// The settings.
    pub fn config(&self) -> &SignAheadConfig {
        &self.config
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state stays consistent between statements, so a panic elsewhere cannot break it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps signatures ready for `method` + `path` (the full path from the root, as sent,
    /// e.g. `/trade-api/v2/portfolio/events/orders`). Registering twice is harmless.
    pub fn register(&self, method: Method, path: &str) -> Result<(), Error> {
        if !path.starts_with('/') || path.contains('?') || path.contains('#') {
            return Err(Error::invalid(
                "path",
                "must be the path from the root, without query or fragment",
            ));
        }
        let mut state = self.state();
        if !state
            .queues
            .iter()
            .any(|q| q.method == method && q.path == path)
        {
            state.queues.push(Queue {
                method,
                path: path.to_owned(),
                ready: VecDeque::new(),
            });
        }
        Ok(())
    }

    /// Registers the request path of `op` as `client` would send it. Useful for any
    /// operation whose path does not change (or for a cancel of one known order).
    pub fn register_op<O: Operation>(&self, client: &Client, op: &O) {
        let path = full_path(client.base_url(), op);
        // A path built by an operation always starts with the prefix's '/' and has no query.
        let _ = self.register(O::METHOD, &path);
    }

    /// Registers the order paths whose signed message does not depend on the order: create
    /// (`POST /portfolio/events/orders`), batch create (`POST .../batched`) and batch cancel
    /// (`DELETE .../batched`). A single cancel or amend names the order in its path; register
    /// that path yourself if you know it ahead.
    pub fn register_order_paths(&self, base: &BaseUrl) {
        let prefix = base.path_prefix();
        for (method, suffix) in [
            (Method::POST, "/portfolio/events/orders"),
            (Method::POST, "/portfolio/events/orders/batched"),
            (Method::DELETE, "/portfolio/events/orders/batched"),
        ] {
            let _ = self.register(method, &format!("{prefix}{suffix}"));
        }
    }

    fn usable(&self, ts: u64, now: u64) -> bool {
        ts.saturating_add(self.max_age_ms) >= now && ts <= now.saturating_add(self.lead_ms)
    }

    /// Drops what has expired and signs what is missing so that every registered request has
    /// [`depth`](SignAheadConfig::depth) signatures stamped `now + lead`. Returns how many
    /// were made.
    ///
    /// Call it from your own thread or task, more often than `max_age` (every few hundred
    /// milliseconds suits most). The signing happens outside the pool's lock: requests being
    /// built meanwhile are not held up.
    pub fn refill(&self, now: Timestamp) -> Result<usize, Error> {
        let now = now.as_millis();
        let stamp = now.saturating_add(self.lead_ms);
        let wanted: Vec<(Method, String, usize)> = {
            let mut state = self.state();
            state
                .claimed
                .retain(|r| r.ts.saturating_add(self.max_age_ms) >= now);
            state
                .queues
                .iter_mut()
                .filter_map(|q| {
                    q.ready.retain(|r| self.usable(r.ts, now));
                    let missing = self.config.depth.saturating_sub(q.ready.len());
                    (missing > 0).then(|| (q.method.clone(), q.path.clone(), missing))
                })
                .collect()
        };
        let mut made = 0;
        for (method, path, missing) in wanted {
            let mut fresh = Vec::with_capacity(missing);
            for _ in 0..missing {
                let message = signing_message(stamp, method.as_str(), &path);
                let signature = self.inner.signer().sign(&message)?;
                fresh.push(Ready {
                    ts: stamp,
                    message,
                    signature,
                });
            }
            made += fresh.len();
            let mut state = self.state();
            if let Some(q) = state
                .queues
                .iter_mut()
                .find(|q| q.method == method && q.path == path)
            {
                // Keep `ready` sorted by timestamp (a clock that went back puts these earlier).
                let at = q.ready.partition_point(|r| r.ts <= stamp);
                for (i, r) in fresh.into_iter().enumerate() {
                    q.ready.insert(at + i, r);
                }
                // Concurrent refills may overshoot: keep the freshest `depth`.
                while q.ready.len() > self.config.depth {
                    q.ready.pop_front();
                }
            }
        }
        Ok(made)
    }

    /// Removes the freshest usable signature for `method` + `path` at `now` and returns it with
    /// its timestamp (send that timestamp), or `None` if none is ready. For callers that build
    /// their own requests; [`Client::request_presigned`] does this itself.
    pub fn take(&self, method: &Method, path: &str, now: Timestamp) -> Option<(Timestamp, String)> {
        self.take_ready(method, path, now.as_millis())
            .map(|r| (Timestamp::from_millis(r.ts), r.signature))
    }

    fn take_ready(&self, method: &Method, path: &str, now: u64) -> Option<Ready> {
        let mut state = self.state();
        let q = state
            .queues
            .iter_mut()
            .find(|q| q.method == *method && q.path == path)?;
        // `ready` is sorted by timestamp: the freshest usable one is the last that is not in
        // the future, and if that one is too old, so are all before it. Normally the very last.
        let limit = now.saturating_add(self.lead_ms);
        let best = q.ready.iter().rposition(|r| r.ts <= limit)?;
        if !self.usable(q.ready[best].ts, now) {
            return None;
        }
        q.ready.remove(best)
    }

    /// Takes a ready signature for `method` + `path` and sets it aside for the [`Signer::sign`]
    /// call that will ask for exactly its message; returns its timestamp.
    fn claim(&self, method: &Method, path: &str, now: u64) -> Option<Timestamp> {
        let ready = self.take_ready(method, path, now)?;
        let ts = Timestamp::from_millis(ready.ts);
        self.state().claimed.push(ready);
        Some(ts)
    }

    /// How many usable signatures are ready for `method` + `path` at `now`.
    pub fn available(&self, method: &Method, path: &str, now: Timestamp) -> usize {
        let now = now.as_millis();
        self.state()
            .queues
            .iter()
            .find(|q| q.method == *method && q.path == path)
            .map_or(0, |q| {
                q.ready.iter().filter(|r| self.usable(r.ts, now)).count()
            })
    }

    /// Whether `credentials` sign through this pool.
    fn is_signer_of(&self, credentials: &Credentials) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(credentials.signer()), self as *const Self)
    }
}

impl Signer for SignAheadPool {
    /// Returns the signature set aside for exactly `message` if there is one, else signs inline.
    fn sign(&self, message: &[u8]) -> Result<String, Error> {
        {
            let mut state = self.state();
            if let Some(i) = state.claimed.iter().position(|r| r.message == message) {
                return Ok(state.claimed.swap_remove(i).signature);
            }
        }
        self.inner.signer().sign(message)
    }

    fn name(&self) -> &'static str {
        "sign-ahead pool"
    }
}

impl fmt::Debug for SignAheadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        let ready: usize = state.queues.iter().map(|q| q.ready.len()).sum();
        f.debug_struct("SignAheadPool")
            .field("key_id", &self.inner.key_id())
            .field("signer", &self.inner.signer().name())
            .field("config", &self.config)
            .field("paths", &state.queues.len())
            .field("ready", &ready)
            .finish()
    }
}

/// The full path `op` is sent to (and signed with) under `base`.
fn full_path<O: Operation>(base: &BaseUrl, op: &O) -> String {
    let mut path = String::with_capacity(base.path_prefix().len() + 64);
    path.push_str(base.path_prefix());
    op.write_path(&mut PathWriter::new(&mut path));
    path
}

impl Client {
    /// [`Client::request`] using a signature made ahead by `pool` when one is ready for this
    /// request's method and path: the request then carries that signature's timestamp (at
    /// most [`SignAheadConfig::max_age`] old) instead of `now`, and no RSA is done here.
    /// Otherwise the request is signed inline at `now`.
    ///
    /// The client must have been built with [`SignAheadPool::credentials`] of this pool; with
    /// any other credentials the pool is not consulted and the request is signed inline.
    pub fn request_presigned<O: Operation>(
        &self,
        op: &O,
        pool: &SignAheadPool,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        if !pool.is_signer_of(self.credentials()) {
            return self.request(op, now);
        }
        // Refused operations claim nothing.
        op.validate()?;
        let path = full_path(self.base_url(), op);
        match pool.claim(&O::METHOD, &path, now.as_millis()) {
            Some(ts) => self.request(op, ts),
            None => self.request(op, now),
        }
    }
}

#[cfg(test)]
mod tests;
