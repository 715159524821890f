//! The WebSocket stream endpoint (see "Streams" in the simulator's documentation).
//!
//! - `server`: the authenticated upgrade and one task per connection (commands in, queued
//!   messages out, pings, faults).
//! - `commands`: the four commands and the numbered errors.
//! - `hub`: connections, subscriptions, sids and seqs, the fan-out and the faults.
//! - `feed`: engine changes turned into messages when the exchange lock is released.
//! - `messages`: the JSON of each pushed message.

mod commands;
mod feed;
mod hub;
mod messages;
mod server;

use std::time::Duration;

pub(crate) use feed::flush;
pub(crate) use hub::{Channel, Hub};
pub(crate) use server::{is_stream_request, upgrade};

/// The stream endpoint's path, as on the real exchange.
pub const STREAM_PATH: &str = "/trade-api/ws/v2";
/// How often the server pings each connection by default (Kalshi: every 10 s).
pub const DEFAULT_STREAM_PING_INTERVAL: Duration = Duration::from_secs(10);
/// How many messages may wait for a connection that does not read, by default, before the
/// server gives up on it (error 25, close 1008).
pub const DEFAULT_STREAM_QUEUE_CAPACITY: usize = 4096;

/// The stream endpoint's settings (from the configuration).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamSettings {
    pub(crate) ping_interval: Duration,
    pub(crate) queue_capacity: usize,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            ping_interval: DEFAULT_STREAM_PING_INTERVAL,
            queue_capacity: DEFAULT_STREAM_QUEUE_CAPACITY,
        }
    }
}
