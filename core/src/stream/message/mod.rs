//! Messages the exchange sends: command answers, errors and the channels' data, read from a
//! text frame into [`StreamMessage`].
//!
//! A frame is read in two steps: the envelope (`type`, `id`, `sid`, `seq`) and then the
//! payload (`msg`) as the type the envelope names. A type this client does not know becomes
//! [`StreamMessage::Unknown`] with its payload kept; unknown fields are ignored. A frame that is
//! not JSON, or a known type whose payload does not have the documented shape, is
//! [`Error::MalformedFrame`](crate::Error::MalformedFrame) with the frame, bounded.
//!
//! ```
//! use kalshi_core::stream::message::{parse, StreamMessage};
//!
//! let frame = br#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00",
//!     "market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price_dollars":"0.960","delta_fp":"-54.00","side":"yes"}}"#;
//! let StreamMessage::OrderbookDelta(d) = parse(frame)? else { panic!("not a delta") };
//! assert_eq!((d.sid, d.seq), (2, Some(3)));
//! assert_eq!((d.msg.price_dollars.to_string(), d.msg.delta_fp.to_string()), ("0.9600".into(), "-54.00".into()));
//! # Ok::<(), kalshi_core::Error>(())
//! ```

mod control;
mod fast;
mod orderbook;

pub use control::{ErrorCode, ErrorMessage, OkMessage, SubscribedMessage, SubscriptionInfo};
pub use orderbook::{OrderbookDelta, OrderbookSnapshot};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::command::{CommandId, Sid};
use crate::{BoundedBody, Error};

/// A data message of a subscription: its `sid`, its `seq` where the channel numbers its
/// messages, and the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Data<T> {
    /// The subscription (`sid`).
    pub sid: Sid,
    /// The subscription's sequence number (`seq`), on the channels that send one.
    pub seq: Option<u64>,
    /// The payload (`msg`).
    pub msg: T,
}

/// One message from the exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamMessage {
    /// `subscribed`: a subscription was made (one per channel of a `subscribe`).
    Subscribed {
        /// The command's id.
        id: Option<CommandId>,
        /// The channel and the subscription's `sid`.
        msg: SubscribedMessage,
    },
    /// `unsubscribed`: a subscription ended.
    Unsubscribed {
        /// The command's id.
        id: Option<CommandId>,
        /// The subscription.
        sid: Sid,
        /// The subscription's last sequence number, if it had one.
        seq: Option<u64>,
    },
    /// `ok` answering `update_subscription` (the subscription's markets now).
    Ok {
        /// The command's id.
        id: Option<CommandId>,
        /// The subscription, when the answer names one.
        sid: Option<Sid>,
        /// The subscription's sequence number at this point, if it has one.
        seq: Option<u64>,
        /// The payload.
        msg: OkMessage,
    },
    /// The answer to `list_subscriptions` (an `ok` whose payload is the list).
    ListSubscriptions {
        /// The command's id.
        id: Option<CommandId>,
        /// The connection's subscriptions.
        subscriptions: Vec<SubscriptionInfo>,
    },
    /// `error`: a command failed.
    Error {
        /// The failed command's id, when the exchange could read it.
        id: Option<CommandId>,
        /// The code and message.
        msg: ErrorMessage,
    },
    /// `orderbook_snapshot`: a market's whole book.
    OrderbookSnapshot(Data<OrderbookSnapshot>),
    /// `orderbook_delta`: one level of a market's book changed.
    OrderbookDelta(Data<OrderbookDelta>),
    /// A message type this client does not know, kept as sent.
    Unknown {
        /// The `type`.
        kind: String,
        /// The `id`, if any.
        id: Option<CommandId>,
        /// The `sid`, if any.
        sid: Option<Sid>,
        /// The `seq`, if any.
        seq: Option<u64>,
        /// The payload (`msg`) as JSON text, if any.
        msg: Option<String>,
    },
}

impl StreamMessage {
    /// The message's `type` as sent.
    pub fn kind(&self) -> &str {
        match self {
            StreamMessage::Subscribed { .. } => "subscribed",
            StreamMessage::Unsubscribed { .. } => "unsubscribed",
            StreamMessage::Ok { .. } | StreamMessage::ListSubscriptions { .. } => "ok",
            StreamMessage::Error { .. } => "error",
            StreamMessage::OrderbookSnapshot(_) => "orderbook_snapshot",
            StreamMessage::OrderbookDelta(_) => "orderbook_delta",
            StreamMessage::Unknown { kind, .. } => kind,
        }
    }

    /// The subscription a data message belongs to (`sid`).
    pub fn sid(&self) -> Option<Sid> {
        match self {
            StreamMessage::Subscribed { msg, .. } => Some(msg.sid),
            StreamMessage::Unsubscribed { sid, .. } => Some(*sid),
            StreamMessage::Ok { sid, .. } | StreamMessage::Unknown { sid, .. } => *sid,
            StreamMessage::OrderbookSnapshot(d) => Some(d.sid),
            StreamMessage::OrderbookDelta(d) => Some(d.sid),
            StreamMessage::ListSubscriptions { .. } | StreamMessage::Error { .. } => None,
        }
    }

    /// The subscription's sequence number carried by this message, if any.
    pub fn seq(&self) -> Option<u64> {
        match self {
            StreamMessage::Unsubscribed { seq, .. }
            | StreamMessage::Ok { seq, .. }
            | StreamMessage::Unknown { seq, .. } => *seq,
            StreamMessage::OrderbookSnapshot(d) => d.seq,
            StreamMessage::OrderbookDelta(d) => d.seq,
            _ => None,
        }
    }

    /// The id of the command this message answers, if it is an answer.
    pub fn command_id(&self) -> Option<CommandId> {
        match self {
            StreamMessage::Subscribed { id, .. }
            | StreamMessage::Unsubscribed { id, .. }
            | StreamMessage::Ok { id, .. }
            | StreamMessage::ListSubscriptions { id, .. }
            | StreamMessage::Error { id, .. } => *id,
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default)]
    id: Option<CommandId>,
    #[serde(default)]
    sid: Option<Sid>,
    #[serde(default)]
    seq: Option<u64>,
    #[serde(default, borrow)]
    msg: Option<&'a RawValue>,
}

fn malformed(message: impl Into<String>, frame: &[u8]) -> Error {
    Error::MalformedFrame {
        message: message.into(),
        frame: BoundedBody::new(frame),
    }
}

/// Reads one text frame (its bytes) into a message. Never panics, whatever the bytes.
pub fn parse(frame: &[u8]) -> Result<StreamMessage, Error> {
    // The bulk of a book stream, read in one pass; anything unusual goes the general way.
    fast::orderbook_delta(frame).map_or_else(|| parse_general(frame), Ok)
}

/// [`parse`] without the fast reader of `orderbook_delta` frames (`fast.rs`).
fn parse_general(frame: &[u8]) -> Result<StreamMessage, Error> {
    let env: Envelope<'_> =
        serde_json::from_slice(frame).map_err(|e| malformed(e.to_string(), frame))?;
    let payload = |what: &str| -> Result<&RawValue, Error> {
        env.msg
            .ok_or_else(|| malformed(format!("`{what}` without `msg`"), frame))
    };
    fn read<T: DeserializeOwned>(raw: &RawValue, what: &str, frame: &[u8]) -> Result<T, Error> {
        serde_json::from_str(raw.get()).map_err(|e| malformed(format!("`{what}`: {e}"), frame))
    }
    let data = |what: &str| -> Result<Sid, Error> {
        env.sid
            .ok_or_else(|| malformed(format!("`{what}` without `sid`"), frame))
    };
    Ok(match &*env.kind {
        "subscribed" => StreamMessage::Subscribed {
            id: env.id,
            msg: read(payload("subscribed")?, "subscribed", frame)?,
        },
        "unsubscribed" => StreamMessage::Unsubscribed {
            id: env.id,
            sid: data("unsubscribed")?,
            seq: env.seq,
        },
        "ok" => match env.msg {
            Some(raw) if raw.get().trim_start().starts_with('[') => {
                StreamMessage::ListSubscriptions {
                    id: env.id,
                    subscriptions: read(raw, "ok", frame)?,
                }
            }
            Some(raw) => StreamMessage::Ok {
                id: env.id,
                sid: env.sid,
                seq: env.seq,
                msg: read(raw, "ok", frame)?,
            },
            None => StreamMessage::Ok {
                id: env.id,
                sid: env.sid,
                seq: env.seq,
                msg: OkMessage::default(),
            },
        },
        "error" => StreamMessage::Error {
            id: env.id,
            msg: read(payload("error")?, "error", frame)?,
        },
        "orderbook_snapshot" => StreamMessage::OrderbookSnapshot(Data {
            sid: data("orderbook_snapshot")?,
            seq: env.seq,
            msg: read(payload("orderbook_snapshot")?, "orderbook_snapshot", frame)?,
        }),
        "orderbook_delta" => StreamMessage::OrderbookDelta(Data {
            sid: data("orderbook_delta")?,
            seq: env.seq,
            msg: read(payload("orderbook_delta")?, "orderbook_delta", frame)?,
        }),
        other => StreamMessage::Unknown {
            kind: other.to_owned(),
            id: env.id,
            sid: env.sid,
            seq: env.seq,
            msg: env.msg.map(|m| m.get().to_owned()),
        },
    })
}

#[cfg(test)]
mod tests;
