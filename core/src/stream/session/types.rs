//! The session's public types: settings, keys, events, counters.

use std::fmt;
use std::time::Duration;

use crate::Error;
use crate::stream::message::{ErrorMessage, StreamMessage};
use crate::stream::{BookError, Channel, Sid};

/// The session's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionConfig {
    /// No frame at all for this long means the connection is dead (default 30 s; Kalshi pings
    /// every 10 s).
    pub dead_after: Duration,
    /// How long a book may wait for the snapshot it needs before its channel is subscribed
    /// again (default 10 s).
    pub snapshot_timeout: Duration,
    /// The wait before the first resubscribe of a failed channel; doubled for each failure in
    /// a row (default 1 s).
    pub resubscribe_backoff: Duration,
    /// The most resubscribes of a channel in a row before giving up (default 5).
    pub max_resubscribes: u32,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            dead_after: Duration::from_secs(30),
            snapshot_timeout: Duration::from_secs(10),
            resubscribe_backoff: Duration::from_secs(1),
            max_resubscribes: 5,
        }
    }
}

impl SessionConfig {
    /// Sets [`dead_after`](Self::dead_after).
    pub fn dead_after(mut self, d: Duration) -> Self {
        self.dead_after = d;
        self
    }

    /// Sets [`snapshot_timeout`](Self::snapshot_timeout).
    pub fn snapshot_timeout(mut self, d: Duration) -> Self {
        self.snapshot_timeout = d;
        self
    }

    /// Sets [`resubscribe_backoff`](Self::resubscribe_backoff).
    pub fn resubscribe_backoff(mut self, d: Duration) -> Self {
        self.resubscribe_backoff = d;
        self
    }

    /// Sets [`max_resubscribes`](Self::max_resubscribes).
    pub fn max_resubscribes(mut self, n: u32) -> Self {
        self.max_resubscribes = n;
        self
    }
}

/// The caller's handle on a subscription: the same across reconnects, while the exchange's
/// `sid`s change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubscriptionKey(pub(super) u64);

impl SubscriptionKey {
    /// The key as a number (1 for the session's first subscription).
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for SubscriptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "subscription {}", self.0)
    }
}

/// Why a book was rebuilt from a new snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResyncReason {
    /// Messages of the subscription were lost: `expected` was due, `got` came.
    Gap {
        /// The number due.
        expected: u64,
        /// The number that came.
        got: u64,
    },
    /// A delta the book refused.
    Desync(BookError),
    /// A frame of the subscription could not be read.
    MalformedFrame,
    /// The connection was lost; the new one brought a new snapshot.
    Reconnected,
    /// The channel was subscribed again (a snapshot that did not come, a failed
    /// `get_snapshot`, a refused snapshot).
    Resubscribed,
    /// The exchange ended the subscription with an error (this code).
    ChannelError(u32),
}

impl fmt::Display for ResyncReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResyncReason::Gap { expected, got } => {
                write!(f, "sequence gap: expected {expected}, got {got}")
            }
            ResyncReason::Desync(e) => write!(f, "desync: {e}"),
            ResyncReason::MalformedFrame => write!(f, "a frame could not be read"),
            ResyncReason::Reconnected => write!(f, "reconnected"),
            ResyncReason::Resubscribed => write!(f, "resubscribed"),
            ResyncReason::ChannelError(code) => write!(f, "channel error {code}"),
        }
    }
}

/// What the session tells the caller.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A data message of a subscription, in order, duplicates removed; order book snapshots
    /// and deltas after they were applied, each followed by [`Event::BookSnapshot`],
    /// [`Event::Resynced`] or [`Event::BookUpdated`] (a refused or held-back delta is not
    /// passed on).
    /// Also the answer to [`Session::list_subscriptions`](super::Session::list_subscriptions) and messages the session does not
    /// route (no `sid`).
    Message(StreamMessage),
    /// A channel of a subscription was (re)subscribed: its `sid` on this connection.
    Subscribed {
        /// The subscription.
        key: SubscriptionKey,
        /// The channel.
        channel: Channel,
        /// The exchange's id for it.
        sid: Sid,
    },
    /// A market's book was built from its first snapshot (or replaced by a snapshot nobody
    /// asked for).
    BookSnapshot {
        /// The market.
        market_ticker: String,
    },
    /// A delta was applied to a market's book.
    BookUpdated {
        /// The market.
        market_ticker: String,
    },
    /// A book that had gone out of sync was rebuilt from a new snapshot (once per repair).
    Resynced {
        /// The market.
        market_ticker: String,
        /// Why it had to be.
        reason: ResyncReason,
    },
    /// Messages of a numbered channel without snapshots were lost; the channel is being
    /// subscribed again. What was lost is not replayed.
    MessagesLost {
        /// The subscription.
        key: SubscriptionKey,
        /// The channel.
        channel: Channel,
        /// The number due.
        expected: u64,
        /// The number that came.
        got: u64,
    },
    /// An `error` from the exchange: the answer to a command, or about a subscription.
    CommandFailed {
        /// The subscription it concerns, when known.
        key: Option<SubscriptionKey>,
        /// The code and message.
        error: ErrorMessage,
    },
    /// A command could not be written (its input was refused before sending).
    CommandRefused {
        /// The subscription it concerns, when known.
        key: Option<SubscriptionKey>,
        /// Why.
        error: Error,
    },
    /// A channel failed [`SessionConfig::max_resubscribes`] times in a row: the session stops
    /// trying until the next connection.
    SubscriptionFailed {
        /// The subscription.
        key: SubscriptionKey,
        /// The channel.
        channel: Channel,
    },
    /// A text frame could not be read (skipped; a resync follows if it was numbered).
    MalformedFrame(Error),
    /// No frame for [`SessionConfig::dead_after`]: the I/O loop must reconnect.
    ConnectionDead,
}

/// Counters of what the session skipped or repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SessionStats {
    /// Numbered messages at or below the last number (duplicates, stale): ignored.
    pub duplicates: u64,
    /// Gaps in a subscription's numbers.
    pub gaps: u64,
    /// Deltas dropped while their book waited for a snapshot.
    pub held_back: u64,
    /// Deltas or snapshots a book refused.
    pub desyncs: u64,
    /// Books rebuilt after going out of sync.
    pub resyncs: u64,
    /// Channels subscribed again by the session.
    pub resubscribes: u64,
    /// Frames that could not be read.
    pub malformed: u64,
    /// Data messages of a subscription the session does not have (an old `sid`) or of a market
    /// it does not want.
    pub ignored: u64,
}
