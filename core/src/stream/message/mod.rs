//! Messages the exchange sends: command answers, errors and the channels' data, read from a
//! text frame into [`StreamMessage`].
//!
//! A frame is read in two steps: the envelope (`type`, `id`, `sid`, `seq`) and then the
//! payload (`msg`) as the type the envelope names. A type this client does not know becomes
//! [`StreamMessage::Unknown`] with its payload kept; unknown fields are ignored. A frame that is
//! not JSON, or a known type whose payload does not have the documented shape, is
//! [`Error::MalformedFrame`] with the frame, bounded.
//! [`StreamMessage::to_json`] writes a message back in the wire shape.
//!
//! | `type` | channel | variant | payload |
//! |---|---|---|---|
//! | `subscribed` | (answer) | [`StreamMessage::Subscribed`] | [`SubscribedMessage`] |
//! | `unsubscribed` | (answer) | [`StreamMessage::Unsubscribed`] | (none) |
//! | `ok` | (answer) | [`StreamMessage::Ok`], or [`StreamMessage::ListSubscriptions`] when `msg` is a list | [`OkMessage`], [`SubscriptionInfo`] |
//! | `error` | (answer) | [`StreamMessage::Error`] | [`ErrorMessage`] ([`ErrorCode`]) |
//! | `orderbook_snapshot` | `orderbook_delta` | [`StreamMessage::OrderbookSnapshot`] | [`OrderbookSnapshot`] |
//! | `orderbook_delta` | `orderbook_delta` | [`StreamMessage::OrderbookDelta`] | [`OrderbookDelta`] |
//! | `ticker` | `ticker` | [`StreamMessage::Ticker`] | [`Ticker`] |
//! | `trade` | `trade` | [`StreamMessage::Trade`] | [`Trade`] |
//! | `fill` | `fill` | [`StreamMessage::Fill`] | [`Fill`] |
//! | `market_position` | `market_positions` | [`StreamMessage::MarketPosition`] | [`MarketPosition`] |
//! | `market_lifecycle_v2` | `market_lifecycle_v2` | [`StreamMessage::MarketLifecycleV2`] | [`MarketLifecycleV2`] |
//! | `multivariate_market_lifecycle` | `multivariate_market_lifecycle` | [`StreamMessage::MultivariateMarketLifecycle`] | [`MarketLifecycleV2`] |
//! | `event_lifecycle` | both lifecycle channels | [`StreamMessage::EventLifecycle`] | [`EventLifecycle`] |
//! | `rfq_created` | `communications` | [`StreamMessage::RfqCreated`] | [`RfqCreated`] |
//! | `rfq_deleted` | `communications` | [`StreamMessage::RfqDeleted`] | [`RfqDeleted`] |
//! | `quote_created` | `communications` | [`StreamMessage::QuoteCreated`] | [`QuoteCreated`] |
//! | `quote_accepted` | `communications` | [`StreamMessage::QuoteAccepted`] | [`QuoteAccepted`] |
//! | `quote_executed` | `communications` | [`StreamMessage::QuoteExecuted`] | [`QuoteExecuted`] |
//! | `order_group_updates` | `order_group_updates` | [`StreamMessage::OrderGroupUpdates`] | [`OrderGroupUpdates`] |
//! | `user_order` | `user_orders` | [`StreamMessage::UserOrder`] | [`UserOrder`] |
//! | `cfbenchmarks_value` | `cfbenchmarks_value` | [`StreamMessage::CfbenchmarksValue`] | [`CfbenchmarksValue`] |
//! | anything else | | [`StreamMessage::Unknown`] | the `msg` text as sent |
//!
//! Not typed (they arrive as [`StreamMessage::Unknown`]): `multivariate_lookup` (its
//! `multivariate` channel was removed in August 2026); `event_fee_update` on
//! `market_lifecycle_v2`, `cfbenchmarks_value_indexlist`, and the `pyth_value` channel's
//! messages, whose payloads the reference does not document.
//!
//! Field types follow the REST side: `*_dollars` are [`FixedPointDollars`](crate::FixedPointDollars),
//! `*_fp` counts [`FixedPointCount`](crate::FixedPointCount), RFC 3339 strings
//! [`jiff::Timestamp`], `*_ms` and Unix-seconds fields `i64`. Legacy integer cents and counts,
//! deprecated fields, and fields the newest docs mark required but their own examples omit, are
//! `Option`.
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

mod cfbenchmarks_value;
mod communications;
mod control;
mod fast;
mod fill;
mod lifecycle;
mod market_positions;
mod order_group_updates;
mod orderbook;
mod ticker;
mod trade;
mod user_orders;

pub use cfbenchmarks_value::CfbenchmarksValue;
pub use communications::{QuoteAccepted, QuoteCreated, QuoteExecuted, RfqCreated, RfqDeleted};
pub use control::{ErrorCode, ErrorMessage, OkMessage, SubscribedMessage, SubscriptionInfo};
pub use fill::Fill;
pub use lifecycle::{
    CollateralReturnType, EventLifecycle, MarketLifecycleEventType, MarketLifecycleMetadata,
    MarketLifecycleV2,
};
pub use market_positions::MarketPosition;
pub use order_group_updates::{OrderGroupEventType, OrderGroupUpdates};
pub use orderbook::{OrderbookDelta, OrderbookSnapshot};
pub use ticker::Ticker;
pub use trade::Trade;
pub use user_orders::UserOrder;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::command::{CommandId, Sid};
use crate::{BoundedBody, Error};

/// A data message of a subscription: its `sid`, its `seq` where the channel numbers its
/// messages, and the payload. The payloads of a few hundred bytes (tickers, fills, user orders,
/// lifecycle events, quotes) are boxed, so that a [`StreamMessage`] stays small to move through
/// queues; fields read through the box as usual (`d.msg.market_ticker`).
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
    /// `ticker`: a market's prices, sizes, volume or open interest changed.
    Ticker(Data<Box<Ticker>>),
    /// `trade`: a public trade.
    Trade(Data<Trade>),
    /// `fill`: one of your orders was filled.
    Fill(Data<Box<Fill>>),
    /// `market_position`: your position in a market changed.
    MarketPosition(Data<MarketPosition>),
    /// `market_lifecycle_v2`: a market (not multivariate) was created, paused, closed,
    /// determined, settled or changed.
    MarketLifecycleV2(Data<Box<MarketLifecycleV2>>),
    /// `multivariate_market_lifecycle`: the same for a multivariate (`KXMVE*`) market.
    MultivariateMarketLifecycle(Data<Box<MarketLifecycleV2>>),
    /// `event_lifecycle`: an event was created.
    EventLifecycle(Data<EventLifecycle>),
    /// `rfq_created`: a request for quote was created.
    RfqCreated(Data<RfqCreated>),
    /// `rfq_deleted`: a request for quote was deleted.
    RfqDeleted(Data<RfqDeleted>),
    /// `quote_created`: a quote was made on an RFQ.
    QuoteCreated(Data<Box<QuoteCreated>>),
    /// `quote_accepted`: a quote was accepted.
    QuoteAccepted(Data<Box<QuoteAccepted>>),
    /// `quote_executed`: a quote was executed and orders placed.
    QuoteExecuted(Data<QuoteExecuted>),
    /// `order_group_updates`: one of your order groups changed.
    OrderGroupUpdates(Data<OrderGroupUpdates>),
    /// `user_order`: one of your orders was created or changed.
    UserOrder(Data<Box<UserOrder>>),
    /// `cfbenchmarks_value`: a tick of a CF Benchmarks index.
    CfbenchmarksValue(Data<CfbenchmarksValue>),
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
            StreamMessage::Ticker(_) => "ticker",
            StreamMessage::Trade(_) => "trade",
            StreamMessage::Fill(_) => "fill",
            StreamMessage::MarketPosition(_) => "market_position",
            StreamMessage::MarketLifecycleV2(_) => "market_lifecycle_v2",
            StreamMessage::MultivariateMarketLifecycle(_) => "multivariate_market_lifecycle",
            StreamMessage::EventLifecycle(_) => "event_lifecycle",
            StreamMessage::RfqCreated(_) => "rfq_created",
            StreamMessage::RfqDeleted(_) => "rfq_deleted",
            StreamMessage::QuoteCreated(_) => "quote_created",
            StreamMessage::QuoteAccepted(_) => "quote_accepted",
            StreamMessage::QuoteExecuted(_) => "quote_executed",
            StreamMessage::OrderGroupUpdates(_) => "order_group_updates",
            StreamMessage::UserOrder(_) => "user_order",
            StreamMessage::CfbenchmarksValue(_) => "cfbenchmarks_value",
            StreamMessage::Unknown { kind, .. } => kind,
        }
    }

    /// The subscription a data message belongs to (`sid`).
    pub fn sid(&self) -> Option<Sid> {
        match self {
            StreamMessage::Subscribed { msg, .. } => Some(msg.sid),
            StreamMessage::Unsubscribed { sid, .. } => Some(*sid),
            StreamMessage::Ok { sid, .. } | StreamMessage::Unknown { sid, .. } => *sid,
            StreamMessage::ListSubscriptions { .. } | StreamMessage::Error { .. } => None,
            data => data.envelope().map(|(sid, _)| sid),
        }
    }

    /// The subscription's sequence number carried by this message, if any.
    pub fn seq(&self) -> Option<u64> {
        match self {
            StreamMessage::Unsubscribed { seq, .. }
            | StreamMessage::Ok { seq, .. }
            | StreamMessage::Unknown { seq, .. } => *seq,
            data => data.envelope().and_then(|(_, seq)| seq),
        }
    }

    /// Writes the message back as a text frame, in the wire shape: `type`, then `id`, `sid`,
    /// `seq` where the message has them, then `msg` (an unknown message's payload as it was
    /// sent). [`parse`] reads it back to an equal message.
    ///
    /// ```
    /// use kalshi_core::stream::message::parse;
    ///
    /// let frame = br#"{"type":"trade","sid":11,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed",
    ///     "market_ticker":"HIGHNY-22DEC23-B53.5","yes_price_dollars":"0.360","no_price_dollars":"0.640",
    ///     "count_fp":"136.00","taker_outcome_side":"no","taker_book_side":"ask","ts_ms":1669149841000}}"#;
    /// let trade = parse(frame)?;
    /// assert_eq!(parse(trade.to_json().as_bytes())?, trade);
    /// # Ok::<(), kalshi_core::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
            // The message types are plain structs, strings and numbers: writing them to a
            // string cannot fail.
            serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
        }
        fn data<T: serde::Serialize>(kind: &str, d: &Data<T>) -> String {
            frame(kind, None, Some(d.sid), d.seq, Some(&json(&d.msg)))
        }
        fn frame(
            kind: &str,
            id: Option<CommandId>,
            sid: Option<Sid>,
            seq: Option<u64>,
            msg: Option<&str>,
        ) -> String {
            let mut out = format!("{{\"type\":{}", json(kind));
            for (name, value) in [("id", id), ("sid", sid), ("seq", seq)] {
                if let Some(value) = value {
                    out.push_str(&format!(",\"{name}\":{value}"));
                }
            }
            if let Some(msg) = msg {
                out.push_str(",\"msg\":");
                out.push_str(msg);
            }
            out.push('}');
            out
        }
        let kind = self.kind();
        match self {
            StreamMessage::Subscribed { id, msg } => frame(kind, *id, None, None, Some(&json(msg))),
            StreamMessage::Unsubscribed { id, sid, seq } => {
                frame(kind, *id, Some(*sid), *seq, None)
            }
            StreamMessage::Ok { id, sid, seq, msg } => {
                frame(kind, *id, *sid, *seq, Some(&json(msg)))
            }
            StreamMessage::ListSubscriptions { id, subscriptions } => {
                frame(kind, *id, None, None, Some(&json(subscriptions)))
            }
            StreamMessage::Error { id, msg } => frame(kind, *id, None, None, Some(&json(msg))),
            StreamMessage::OrderbookSnapshot(d) => data(kind, d),
            StreamMessage::OrderbookDelta(d) => data(kind, d),
            StreamMessage::Ticker(d) => data(kind, d),
            StreamMessage::Trade(d) => data(kind, d),
            StreamMessage::Fill(d) => data(kind, d),
            StreamMessage::MarketPosition(d) => data(kind, d),
            StreamMessage::MarketLifecycleV2(d) | StreamMessage::MultivariateMarketLifecycle(d) => {
                data(kind, d)
            }
            StreamMessage::EventLifecycle(d) => data(kind, d),
            StreamMessage::RfqCreated(d) => data(kind, d),
            StreamMessage::RfqDeleted(d) => data(kind, d),
            StreamMessage::QuoteCreated(d) => data(kind, d),
            StreamMessage::QuoteAccepted(d) => data(kind, d),
            StreamMessage::QuoteExecuted(d) => data(kind, d),
            StreamMessage::OrderGroupUpdates(d) => data(kind, d),
            StreamMessage::UserOrder(d) => data(kind, d),
            StreamMessage::CfbenchmarksValue(d) => data(kind, d),
            StreamMessage::Unknown {
                kind,
                id,
                sid,
                seq,
                msg,
            } => frame(kind, *id, *sid, *seq, msg.as_deref()),
        }
    }

    /// A data message's `sid` and `seq`; `None` for the other messages.
    fn envelope(&self) -> Option<(Sid, Option<u64>)> {
        fn of<T>(d: &Data<T>) -> Option<(Sid, Option<u64>)> {
            Some((d.sid, d.seq))
        }
        match self {
            StreamMessage::OrderbookSnapshot(d) => of(d),
            StreamMessage::OrderbookDelta(d) => of(d),
            StreamMessage::Ticker(d) => of(d),
            StreamMessage::Trade(d) => of(d),
            StreamMessage::Fill(d) => of(d),
            StreamMessage::MarketPosition(d) => of(d),
            StreamMessage::MarketLifecycleV2(d) | StreamMessage::MultivariateMarketLifecycle(d) => {
                of(d)
            }
            StreamMessage::EventLifecycle(d) => of(d),
            StreamMessage::RfqCreated(d) => of(d),
            StreamMessage::RfqDeleted(d) => of(d),
            StreamMessage::QuoteCreated(d) => of(d),
            StreamMessage::QuoteAccepted(d) => of(d),
            StreamMessage::QuoteExecuted(d) => of(d),
            StreamMessage::OrderGroupUpdates(d) => of(d),
            StreamMessage::UserOrder(d) => of(d),
            StreamMessage::CfbenchmarksValue(d) => of(d),
            StreamMessage::Subscribed { .. }
            | StreamMessage::Unsubscribed { .. }
            | StreamMessage::Ok { .. }
            | StreamMessage::ListSubscriptions { .. }
            | StreamMessage::Error { .. }
            | StreamMessage::Unknown { .. } => None,
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
    // serde reads a struct from a JSON array too (fields by position): a frame, and a payload
    // read as a struct, must be objects.
    fn object(text: &[u8]) -> bool {
        text.trim_ascii_start().first() == Some(&b'{')
    }
    if !object(frame) {
        return Err(malformed("a frame must be a JSON object", frame));
    }
    let env: Envelope<'_> =
        serde_json::from_slice(frame).map_err(|e| malformed(e.to_string(), frame))?;
    let payload = |what: &str| -> Result<&RawValue, Error> {
        env.msg
            .ok_or_else(|| malformed(format!("`{what}` without `msg`"), frame))
    };
    fn read<T: DeserializeOwned>(raw: &RawValue, what: &str, frame: &[u8]) -> Result<T, Error> {
        if !object(raw.get().as_bytes()) {
            return Err(malformed(
                format!("`{what}`: `msg` is not an object"),
                frame,
            ));
        }
        serde_json::from_str(raw.get()).map_err(|e| malformed(format!("`{what}`: {e}"), frame))
    }
    let data = |what: &str| -> Result<Sid, Error> {
        env.sid
            .ok_or_else(|| malformed(format!("`{what}` without `sid`"), frame))
    };
    // A subscription's data message: `sid` required, `seq` where sent, the payload typed.
    fn sub<T: DeserializeOwned>(
        env: &Envelope<'_>,
        what: &str,
        frame: &[u8],
    ) -> Result<Data<T>, Error> {
        let sid = env
            .sid
            .ok_or_else(|| malformed(format!("`{what}` without `sid`"), frame))?;
        let raw = env
            .msg
            .ok_or_else(|| malformed(format!("`{what}` without `msg`"), frame))?;
        Ok(Data {
            sid,
            seq: env.seq,
            msg: read(raw, what, frame)?,
        })
    }
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
                    subscriptions: serde_json::from_str::<Vec<&RawValue>>(raw.get())
                        .map_err(|e| malformed(format!("`ok`: {e}"), frame))?
                        .into_iter()
                        .map(|item| read(item, "ok", frame))
                        .collect::<Result<_, _>>()?,
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
        "orderbook_snapshot" => {
            StreamMessage::OrderbookSnapshot(sub(&env, "orderbook_snapshot", frame)?)
        }
        "orderbook_delta" => StreamMessage::OrderbookDelta(sub(&env, "orderbook_delta", frame)?),
        "ticker" => StreamMessage::Ticker(sub(&env, "ticker", frame)?),
        "trade" => StreamMessage::Trade(sub(&env, "trade", frame)?),
        "fill" => StreamMessage::Fill(sub(&env, "fill", frame)?),
        "market_position" => StreamMessage::MarketPosition(sub(&env, "market_position", frame)?),
        "market_lifecycle_v2" => {
            StreamMessage::MarketLifecycleV2(sub(&env, "market_lifecycle_v2", frame)?)
        }
        "multivariate_market_lifecycle" => StreamMessage::MultivariateMarketLifecycle(sub(
            &env,
            "multivariate_market_lifecycle",
            frame,
        )?),
        "event_lifecycle" => StreamMessage::EventLifecycle(sub(&env, "event_lifecycle", frame)?),
        "rfq_created" => StreamMessage::RfqCreated(sub(&env, "rfq_created", frame)?),
        "rfq_deleted" => StreamMessage::RfqDeleted(sub(&env, "rfq_deleted", frame)?),
        "quote_created" => StreamMessage::QuoteCreated(sub(&env, "quote_created", frame)?),
        "quote_accepted" => StreamMessage::QuoteAccepted(sub(&env, "quote_accepted", frame)?),
        "quote_executed" => StreamMessage::QuoteExecuted(sub(&env, "quote_executed", frame)?),
        "order_group_updates" => {
            StreamMessage::OrderGroupUpdates(sub(&env, "order_group_updates", frame)?)
        }
        "user_order" => StreamMessage::UserOrder(sub(&env, "user_order", frame)?),
        "cfbenchmarks_value" => {
            StreamMessage::CfbenchmarksValue(sub(&env, "cfbenchmarks_value", frame)?)
        }
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
