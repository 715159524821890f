//! Commands the client sends (`subscribe`, `unsubscribe`, `list_subscriptions`,
//! `update_subscription`), checked before they are sent and written as the API's JSON.
//!
//! ```
//! use kalshi_core::stream::{Channel, Command, Subscribe};
//!
//! let cmd = Command::Subscribe(
//!     Subscribe::new([Channel::OrderbookDelta, Channel::Ticker]).market_tickers(["FED-23DEC-T3.00"]),
//! );
//! assert_eq!(
//!     cmd.to_json(2)?,
//!     r#"{"id":2,"cmd":"subscribe","params":{"channels":["orderbook_delta","ticker"],"market_tickers":["FED-23DEC-T3.00"]}}"#
//! );
//! // Bad input is refused before anything is sent.
//! assert!(Command::Subscribe(Subscribe::new([])).to_json(3).is_err());
//! # Ok::<(), kalshi_core::Error>(())
//! ```

use serde::Serialize;

use super::Channel;
use crate::Error;

/// The number a command carries (`id`); the exchange echoes it in the command's answer. Ids
/// are the client's to choose; [`crate::stream`]'s session numbers them from 1.
pub type CommandId = u64;

/// A subscription's server-assigned id (`sid`), from the `subscribed` answer.
pub type Sid = u64;

/// Most markets one command names (the exchange documents no limit; this keeps a frame
/// reasonable).
pub const MAX_MARKETS_PER_COMMAND: usize = 10_000;

/// Longest market ticker or market id accepted (as for REST path parameters).
const MAX_ID_LEN: usize = 200;

/// A command of the stream API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `subscribe`: one subscription per channel named.
    Subscribe(Subscribe),
    /// `unsubscribe`: ends subscriptions by `sid`.
    Unsubscribe(Unsubscribe),
    /// `list_subscriptions`: the connection's subscriptions.
    ListSubscriptions,
    /// `update_subscription`: add or remove markets of a subscription, or ask for an order book
    /// snapshot.
    UpdateSubscription(UpdateSubscription),
}

/// `subscribe` parameters. Without markets, a channel that allows it streams every market.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Subscribe {
    /// The channels (`channels`), at least one, each once.
    pub channels: Vec<Channel>,
    /// Markets by ticker (`market_tickers`).
    pub market_tickers: Vec<String>,
    /// Markets by UUID (`market_ids`); not together with `market_tickers`.
    pub market_ids: Vec<String>,
    /// `send_initial_snapshot`: on the ticker channel, a ticker message per market at once.
    pub send_initial_snapshot: Option<bool>,
    /// `skip_ticker_ack`: `ok` answers omit the market lists.
    pub skip_ticker_ack: Option<bool>,
    /// `use_yes_price` (order book channel only): no-side levels in yes-leg prices.
    pub use_yes_price: Option<bool>,
    /// `shard_factor` (communications channel): 1..=100 shards.
    pub shard_factor: Option<u32>,
    /// `shard_key` (communications channel): this connection's shard, below `shard_factor`.
    pub shard_key: Option<u32>,
}

impl Subscribe {
    /// A subscription to `channels`, for every market until markets are named.
    pub fn new(channels: impl IntoIterator<Item = Channel>) -> Self {
        Subscribe {
            channels: channels.into_iter().collect(),
            ..Subscribe::default()
        }
    }

    /// Only these markets, by ticker.
    pub fn market_tickers<S: Into<String>>(mut self, tickers: impl IntoIterator<Item = S>) -> Self {
        self.market_tickers = tickers.into_iter().map(Into::into).collect();
        self
    }

    /// Only these markets, by UUID.
    pub fn market_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.market_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `send_initial_snapshot`.
    pub fn send_initial_snapshot(mut self, yes: bool) -> Self {
        self.send_initial_snapshot = Some(yes);
        self
    }

    /// Sets `skip_ticker_ack`.
    pub fn skip_ticker_ack(mut self, yes: bool) -> Self {
        self.skip_ticker_ack = Some(yes);
        self
    }

    /// Sets `use_yes_price`.
    pub fn use_yes_price(mut self, yes: bool) -> Self {
        self.use_yes_price = Some(yes);
        self
    }

    /// Sets `shard_factor` and `shard_key` (the communications channel's fan-out).
    pub fn shard(mut self, shard_factor: u32, shard_key: u32) -> Self {
        self.shard_factor = Some(shard_factor);
        self.shard_key = Some(shard_key);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.channels.is_empty() {
            return Err(Error::invalid("channels", "name at least one channel"));
        }
        for (i, c) in self.channels.iter().enumerate() {
            if c.as_str().is_empty() {
                return Err(Error::invalid("channels", "a channel name is empty"));
            }
            if self.channels[..i].contains(c) {
                return Err(Error::invalid("channels", format!("`{c}` is named twice")));
            }
        }
        if !self.market_tickers.is_empty() && !self.market_ids.is_empty() {
            return Err(Error::invalid(
                "market_ids",
                "name markets by ticker or by id, not both",
            ));
        }
        check_markets("market_tickers", &self.market_tickers)?;
        check_markets("market_ids", &self.market_ids)?;
        match (self.shard_factor, self.shard_key) {
            (Some(0), _) => return Err(Error::invalid("shard_factor", "must be > 0")),
            (Some(f), _) if f > 100 => {
                return Err(Error::invalid("shard_factor", "must be <= 100"));
            }
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "shard_factor",
                    "is required when shard_key is set",
                ));
            }
            (Some(f), Some(k)) if k >= f => {
                return Err(Error::invalid("shard_key", "must be below shard_factor"));
            }
            _ => {}
        }
        Ok(())
    }
}

/// `unsubscribe` parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unsubscribe {
    /// The subscriptions to end (`sids`), at least one.
    pub sids: Vec<Sid>,
}

impl Unsubscribe {
    /// Ends these subscriptions.
    pub fn new(sids: impl IntoIterator<Item = Sid>) -> Self {
        Unsubscribe {
            sids: sids.into_iter().collect(),
        }
    }
}

/// What an `update_subscription` does (`action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UpdateAction {
    /// `add_markets`: stream these markets too.
    AddMarkets,
    /// `delete_markets`: stop streaming these markets.
    DeleteMarkets,
    /// `get_snapshot` (order book channel): an `orderbook_snapshot` of these markets now,
    /// without changing the subscription (`market_tickers` only).
    GetSnapshot,
}

impl UpdateAction {
    /// The action as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateAction::AddMarkets => "add_markets",
            UpdateAction::DeleteMarkets => "delete_markets",
            UpdateAction::GetSnapshot => "get_snapshot",
        }
    }
}

/// `update_subscription` parameters: one subscription, some markets, an action.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdateSubscription {
    /// The subscription (sent as `sids: [sid]`, exactly one as the API requires).
    pub sid: Sid,
    /// What to do.
    pub action: UpdateAction,
    /// The markets, by ticker.
    pub market_tickers: Vec<String>,
    /// The markets, by UUID (not with `get_snapshot`, not together with `market_tickers`).
    pub market_ids: Vec<String>,
    /// `send_initial_snapshot` for the markets added.
    pub send_initial_snapshot: Option<bool>,
}

impl UpdateSubscription {
    /// `action` on subscription `sid` for these markets, by ticker.
    pub fn new<S: Into<String>>(
        sid: Sid,
        action: UpdateAction,
        market_tickers: impl IntoIterator<Item = S>,
    ) -> Self {
        UpdateSubscription {
            sid,
            action,
            market_tickers: market_tickers.into_iter().map(Into::into).collect(),
            market_ids: Vec::new(),
            send_initial_snapshot: None,
        }
    }

    /// Names the markets by UUID instead.
    pub fn market_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.market_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `send_initial_snapshot`.
    pub fn send_initial_snapshot(mut self, yes: bool) -> Self {
        self.send_initial_snapshot = Some(yes);
        self
    }

    fn validate(&self) -> Result<(), Error> {
        if self.market_tickers.is_empty() && self.market_ids.is_empty() {
            return Err(Error::invalid("market_tickers", "name at least one market"));
        }
        if !self.market_tickers.is_empty() && !self.market_ids.is_empty() {
            return Err(Error::invalid(
                "market_ids",
                "name markets by ticker or by id, not both",
            ));
        }
        if self.action == UpdateAction::GetSnapshot && !self.market_ids.is_empty() {
            return Err(Error::invalid(
                "market_ids",
                "get_snapshot takes market_tickers only",
            ));
        }
        check_markets("market_tickers", &self.market_tickers)?;
        check_markets("market_ids", &self.market_ids)
    }
}

fn check_markets(field: &'static str, markets: &[String]) -> Result<(), Error> {
    if markets.len() > MAX_MARKETS_PER_COMMAND {
        return Err(Error::invalid(
            field,
            format!(
                "{} markets, at most {MAX_MARKETS_PER_COMMAND}",
                markets.len()
            ),
        ));
    }
    for (i, m) in markets.iter().enumerate() {
        if m.is_empty() || m.len() > MAX_ID_LEN {
            return Err(Error::invalid(
                field,
                format!("entry {i} must be 1..={MAX_ID_LEN} bytes"),
            ));
        }
        if m.chars().any(char::is_control) {
            return Err(Error::invalid(
                field,
                format!("entry {i} has a control character"),
            ));
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct Wire<P: Serialize> {
    id: CommandId,
    cmd: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<P>,
}

#[derive(Serialize)]
struct SubscribeWire<'a> {
    channels: &'a [Channel],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    market_tickers: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    market_ids: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    send_initial_snapshot: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_ticker_ack: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    use_yes_price: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard_factor: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard_key: Option<u32>,
}

#[derive(Serialize)]
struct SidsWire<'a> {
    sids: &'a [Sid],
}

#[derive(Serialize)]
struct UpdateWire<'a> {
    sids: [Sid; 1],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    market_tickers: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    market_ids: &'a [String],
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    send_initial_snapshot: Option<bool>,
}

impl Command {
    /// The command's name on the wire (`cmd`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Subscribe(_) => "subscribe",
            Command::Unsubscribe(_) => "unsubscribe",
            Command::ListSubscriptions => "list_subscriptions",
            Command::UpdateSubscription(_) => "update_subscription",
        }
    }

    /// Refuses bad input (naming the parameter) before anything is sent.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Command::Subscribe(s) => s.validate(),
            Command::Unsubscribe(u) if u.sids.is_empty() => {
                Err(Error::invalid("sids", "name at least one subscription"))
            }
            Command::Unsubscribe(_) | Command::ListSubscriptions => Ok(()),
            Command::UpdateSubscription(u) => u.validate(),
        }
    }

    /// The command as the text frame to send, with id `id`; refuses bad input first.
    pub fn to_json(&self, id: CommandId) -> Result<String, Error> {
        self.validate()?;
        let cmd = self.name();
        let text = match self {
            Command::Subscribe(s) => serde_json::to_string(&Wire {
                id,
                cmd,
                params: Some(SubscribeWire {
                    channels: &s.channels,
                    market_tickers: &s.market_tickers,
                    market_ids: &s.market_ids,
                    send_initial_snapshot: s.send_initial_snapshot,
                    skip_ticker_ack: s.skip_ticker_ack,
                    use_yes_price: s.use_yes_price,
                    shard_factor: s.shard_factor,
                    shard_key: s.shard_key,
                }),
            }),
            Command::Unsubscribe(u) => serde_json::to_string(&Wire {
                id,
                cmd,
                params: Some(SidsWire { sids: &u.sids }),
            }),
            Command::ListSubscriptions => serde_json::to_string(&Wire::<()> {
                id,
                cmd,
                params: None,
            }),
            Command::UpdateSubscription(u) => serde_json::to_string(&Wire {
                id,
                cmd,
                params: Some(UpdateWire {
                    sids: [u.sid],
                    market_tickers: &u.market_tickers,
                    market_ids: &u.market_ids,
                    action: u.action.as_str(),
                    send_initial_snapshot: u.send_initial_snapshot,
                }),
            }),
        };
        // Serializing these plain structs cannot fail; keep the error typed all the same.
        text.map_err(|e| Error::invalid("params", e.to_string()))
    }
}
