//! What the transports' stream clients share: their settings and the events they hand the
//! caller. Data only (the loops that use them, with their sockets and sleeps, are the
//! transports'); both `kalshi-transport-ureq` and `kalshi-transport-hyper` re-export these, with
//! [`StreamEvent`] given their own error type.
//!
//! ```
//! use std::time::Duration;
//! use kalshi_core::stream::driver::{StreamClientConfig, StreamConfig};
//! use kalshi_core::stream::session::SessionConfig;
//!
//! let config = StreamClientConfig::default()
//!     .connection(StreamConfig::default().connect_timeout(Duration::from_secs(3)))
//!     .session(SessionConfig::default().dead_after(Duration::from_secs(20)))
//!     .max_refused_handshakes(5);
//! assert_eq!(config.connection.handshake_timeout, Duration::from_secs(10));
//! assert_eq!(config.max_refused_handshakes, 5);
//! ```

use std::time::Duration;

use super::handshake::BackoffConfig;
use super::session::{Event, SessionConfig};
use crate::portfolio::Fill;

/// Settings of a stream connection (TCP, TLS, the WebSocket handshake and framing).
///
/// What cannot be configured, as for REST: certificate verification (always on, against the
/// Mozilla roots) and plain `ws://` off loopback (always refused).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamConfig {
    /// Budget for the TCP connection (per resolved address). Default 5 s. DNS is left to the
    /// system resolver's own timeouts, as for REST.
    pub connect_timeout: Duration,
    /// Budget for the TLS handshake, and again for the WebSocket handshake (for each read and
    /// write of them in the blocking transport). Default 10 s.
    pub handshake_timeout: Duration,
    /// Budget for sending one frame once connected (a peer that stops reading blocks the
    /// send). Default 10 s.
    pub write_timeout: Duration,
    /// The largest message accepted, in bytes; a larger one ends the connection with the
    /// transport's "response too large" error. Default 16 MiB (a full order book snapshot is
    /// far smaller).
    pub max_message_bytes: usize,
    /// The largest single frame accepted, in bytes. Default 16 MiB.
    pub max_frame_bytes: usize,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            connect_timeout: Duration::from_secs(5),
            handshake_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_message_bytes: 16 << 20,
            max_frame_bytes: 16 << 20,
        }
    }
}

impl StreamConfig {
    /// Sets [`StreamConfig::connect_timeout`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`StreamConfig::handshake_timeout`].
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// Sets [`StreamConfig::write_timeout`].
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }

    /// Sets [`StreamConfig::max_message_bytes`].
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// Sets [`StreamConfig::max_frame_bytes`].
    pub fn max_frame_bytes(mut self, bytes: usize) -> Self {
        self.max_frame_bytes = bytes;
        self
    }
}

/// Settings of a transport's stream client: the connection's, the session's, the
/// reconnection backoff, and how many refused handshakes in a row end the reconnecting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamClientConfig {
    /// The connection's timeouts and limits.
    pub connection: StreamConfig,
    /// The session's liveness and resync settings.
    pub session: SessionConfig,
    /// The delays between reconnection attempts.
    pub backoff: BackoffConfig,
    /// Handshakes refused by the exchange with a 4xx status (401 bad key, signature or clock,
    /// 403, 404; not 408 or 429) in a row after which reconnecting stops and the client's
    /// `next_event` returns the error. Default 3: a signature refused once for a clock that
    /// jumped is retried, a revoked key is not retried forever.
    pub max_refused_handshakes: u32,
}

impl Default for StreamClientConfig {
    fn default() -> Self {
        StreamClientConfig {
            connection: StreamConfig::default(),
            session: SessionConfig::default(),
            backoff: BackoffConfig::default(),
            max_refused_handshakes: 3,
        }
    }
}

impl StreamClientConfig {
    /// Sets [`StreamClientConfig::connection`].
    pub fn connection(mut self, config: StreamConfig) -> Self {
        self.connection = config;
        self
    }

    /// Sets [`StreamClientConfig::session`].
    pub fn session(mut self, config: SessionConfig) -> Self {
        self.session = config;
        self
    }

    /// Sets [`StreamClientConfig::backoff`].
    pub fn backoff(mut self, config: BackoffConfig) -> Self {
        self.backoff = config;
        self
    }

    /// Sets [`StreamClientConfig::max_refused_handshakes`].
    pub fn max_refused_handshakes(mut self, n: u32) -> Self {
        self.max_refused_handshakes = n;
        self
    }
}

/// What a transport's stream client hands the caller: the session's events, and the
/// connection's life. `E` is the transport's error type.
#[derive(Debug)]
#[non_exhaustive]
// `Session` is nearly every event (one per message): boxing it would allocate on the hot path
// to shrink the rare connection events.
#[allow(clippy::large_enum_variant)]
pub enum StreamEvent<E> {
    /// An event of the session: a message, a subscription confirmed, a book built, updated or
    /// resynced, a command refused, ... ([`Event::ConnectionDead`] never comes here: the
    /// client handles it as a lost connection, [`StreamEvent::Disconnected`]).
    Session(Event),
    /// The connection was lost (closed, cut, silent for [`SessionConfig::dead_after`]), or a
    /// reconnection attempt failed: the next attempt comes after `reconnect_in`. Books wait for
    /// the new connection's snapshots meanwhile.
    Disconnected {
        /// Why.
        error: E,
        /// The delay before the next attempt (bounded, jittered backoff).
        reconnect_in: Duration,
    },
    /// A new connection is up; every subscription is being sent again.
    Reconnected,
    /// The key's fills that happened while the stream was away, from the REST fills endpoint
    /// (`GetFills` from the last fill seen), once the `fill` subscription is back: with the
    /// stream's own fill messages, every fill arrives exactly once
    /// ([`FillLedger`](super::FillLedger)). Only when a `fill` subscription exists and
    /// something was missed. Oldest first.
    FillsRecovered(Vec<Fill>),
    /// The missed fills could not be fetched: they are asked for again after the next
    /// reconnection (from the same time).
    FillsNotRecovered(E),
}

/// How many fills the stream clients remember to tell repeats apart ([`FillLedger`]
/// capacity).
///
/// [`FillLedger`]: super::FillLedger
pub const FILLS_REMEMBERED: usize = 100_000;
