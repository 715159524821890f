//! The WebSocket API (`wss://…/trade-api/ws/v2`), sans-IO: commands to send, messages to read,
//! and a local order book kept from them. No socket here: the transports
//! (`kalshi-transport-ureq`, `kalshi-transport-hyper`) carry the frames.
//!
//! | piece | what |
//! |---|---|
//! | [`Channel`] | the channels, by their API names (unknown ones kept) |
//! | [`command`] | [`Command`]: `subscribe`, `unsubscribe`, `list_subscriptions`, `update_subscription` (add and delete markets, `get_snapshot`), checked before sending |
//! | [`message`] | [`StreamMessage`]: command answers, errors with their codes, and every channel's data; [`message::parse`] reads a text frame |
//! | [`book`] | [`LocalOrderbook`]: a market's book from a snapshot and deltas, exact, with desyncs detected |
//! | [`fills`] | [`FillLedger`]: each of the key's fills once across reconnects (the stream's, then the missed ones from REST `GetFills`) |
//! | [`driver`] | what the transports' stream clients share: [`driver::StreamConfig`], [`driver::StreamClientConfig`], [`driver::StreamEvent`] |
//! | [`session`] | [`Session`]: the state machine between socket and caller (subscriptions kept across reconnects, sequence gaps resynced by itself, books, liveness) |
//! | [`handshake`] | [`StreamUrl`] of every environment, the signed handshake request, a refused handshake's typed error, the reconnection [`Backoff`] |
//!
//! ```
//! use kalshi_core::stream::{message, Channel, Command, LocalOrderbook, StreamMessage, Subscribe};
//!
//! // What to send after the handshake:
//! let subscribe = Command::Subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers(["FED-23DEC-T3.00"]));
//! let _text_frame = subscribe.to_json(1)?;
//!
//! // What comes back: a snapshot, then deltas.
//! let snapshot = br#"{"type":"orderbook_snapshot","sid":2,"seq":1,"msg":{"market_ticker":"FED-23DEC-T3.00",
//!     "yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars_fp":[["0.5400","20.00"]]}}"#;
//! let StreamMessage::OrderbookSnapshot(s) = message::parse(snapshot)? else { unreachable!() };
//! let mut book = LocalOrderbook::from_snapshot(&s.msg).expect("a valid snapshot");
//!
//! let delta = br#"{"type":"orderbook_delta","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00",
//!     "price_dollars":"0.2200","delta_fp":"-33.00","side":"yes"}}"#;
//! let StreamMessage::OrderbookDelta(d) = message::parse(delta)? else { unreachable!() };
//! book.apply(&d.msg).expect("the level has 333 contracts");
//! assert_eq!(book.best_yes_bid().unwrap().count.to_string(), "300.00");
//! # Ok::<(), kalshi_core::Error>(())
//! ```

pub mod book;
mod channel;
pub mod command;
pub mod driver;
pub mod fills;
pub mod handshake;
pub mod message;
pub mod session;

pub use book::{BookError, LocalOrderbook};
pub use channel::Channel;
pub use command::{
    Command, CommandId, Sid, Subscribe, Unsubscribe, UpdateAction, UpdateSubscription,
};
pub use fills::FillLedger;
pub use handshake::{Backoff, BackoffConfig, StreamUrl};
pub use message::StreamMessage;
pub use session::{Session, SessionConfig};
