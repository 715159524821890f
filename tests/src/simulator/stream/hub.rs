//! The connections and their subscriptions, kept inside the exchange state (under its lock,
//! so that a subscription's snapshot and the deltas after it are cut at the same instant), and
//! the fan-out of one message to every subscription it concerns, with sequence numbers and
//! the injected stream faults.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

use super::feed::Feed;

/// A channel a connection can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Channel {
    OrderbookDelta,
    Ticker,
    Trade,
    Fill,
    MarketPositions,
    MarketLifecycleV2,
    MultivariateMarketLifecycle,
    Communications,
    OrderGroupUpdates,
    UserOrders,
    CfbenchmarksValue,
    PythValue,
}

impl Channel {
    /// Every channel the subscribe command accepts (the removed `multivariate` is not one).
    pub(crate) const ALL: [Channel; 12] = [
        Channel::OrderbookDelta,
        Channel::Ticker,
        Channel::Trade,
        Channel::Fill,
        Channel::MarketPositions,
        Channel::MarketLifecycleV2,
        Channel::MultivariateMarketLifecycle,
        Channel::Communications,
        Channel::OrderGroupUpdates,
        Channel::UserOrders,
        Channel::CfbenchmarksValue,
        Channel::PythValue,
    ];

    /// The channel's wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Channel::OrderbookDelta => "orderbook_delta",
            Channel::Ticker => "ticker",
            Channel::Trade => "trade",
            Channel::Fill => "fill",
            Channel::MarketPositions => "market_positions",
            Channel::MarketLifecycleV2 => "market_lifecycle_v2",
            Channel::MultivariateMarketLifecycle => "multivariate_market_lifecycle",
            Channel::Communications => "communications",
            Channel::OrderGroupUpdates => "order_group_updates",
            Channel::UserOrders => "user_orders",
            Channel::CfbenchmarksValue => "cfbenchmarks_value",
            Channel::PythValue => "pyth_value",
        }
    }

    /// Reads a wire name.
    pub(crate) fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the channel's messages carry `seq` (orderbook_delta and order_group_updates).
    pub(crate) fn has_seq(self) -> bool {
        matches!(self, Channel::OrderbookDelta | Channel::OrderGroupUpdates)
    }

    /// Whether the channel filters by market (`market_ticker(s)` in subscribe and
    /// `add_markets` / `delete_markets`).
    pub(crate) fn takes_markets(self) -> bool {
        matches!(
            self,
            Channel::OrderbookDelta
                | Channel::Ticker
                | Channel::Trade
                | Channel::Fill
                | Channel::MarketPositions
                | Channel::UserOrders
        )
    }
}

/// One subscription of one connection.
#[derive(Debug)]
pub(crate) struct Sub {
    pub(crate) sid: u64,
    pub(crate) channel: Channel,
    /// The markets it follows (`None`: every market).
    pub(crate) markets: Option<BTreeSet<String>>,
    /// The seq of the last message sent (or dropped by a fault) on it.
    pub(crate) last_seq: u64,
    /// No-side book levels in YES prices.
    pub(crate) use_yes_price: bool,
    /// `ok` answers leave out the market list.
    pub(crate) skip_ticker_ack: bool,
    /// Fault: do not send the next pushed message (its seq is used up).
    pub(crate) drop_next: bool,
    /// Fault: send the next pushed message twice.
    pub(crate) duplicate_next: bool,
}

impl Sub {
    /// Whether the subscription follows `market` (`None`: a message about no market).
    pub(crate) fn follows(&self, market: Option<&str>) -> bool {
        match (&self.markets, market) {
            (None, _) => true,
            (Some(set), Some(m)) => set.contains(m),
            (Some(_), None) => false,
        }
    }
}

/// Why the server ends a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kill {
    /// Keep going.
    No,
    /// Drop the TCP connection without a close frame ([`disconnect_streams`]).
    ///
    /// [`disconnect_streams`]: crate::Simulator::disconnect_streams
    Abrupt,
    /// The outgoing queue overflowed: error 25, then close 1008.
    Overflow,
}

/// One stream connection.
#[derive(Debug)]
pub(crate) struct Conn {
    pub(crate) key_id: String,
    pub(crate) account: String,
    tx: mpsc::Sender<String>,
    kill: watch::Sender<Kill>,
    pub(crate) subs: BTreeMap<u64, Sub>,
    next_sid: u64,
    dead: bool,
}

impl Conn {
    /// Queues one text frame; a full queue ends the connection (slow consumer).
    pub(crate) fn send(&mut self, text: String) {
        if self.dead {
            return;
        }
        match self.tx.try_send(text) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.dead = true;
                let _ = self.kill.send(Kill::Overflow);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => self.dead = true,
        }
    }

    /// Queues a JSON message.
    pub(crate) fn send_json(&mut self, v: &Value) {
        self.send(v.to_string());
    }

    /// A fresh subscription id (1, 2, ... per connection).
    pub(crate) fn next_sid(&mut self) -> u64 {
        self.next_sid += 1;
        self.next_sid
    }

    /// The subscription to `channel`, if any.
    pub(crate) fn sub_of(&self, channel: Channel) -> Option<&Sub> {
        self.subs.values().find(|s| s.channel == channel)
    }
}

/// Every stream connection, and what the feed needs to turn engine changes into messages.
#[derive(Debug, Default)]
pub(crate) struct Hub {
    conns: BTreeMap<u64, Conn>,
    next_conn: u64,
    /// Fault: no pings and no pushes (shared with the connection tasks).
    pub(crate) silent: Arc<AtomicBool>,
    pub(crate) feed: Feed,
}

impl Hub {
    /// Whether any connection is open (else the engine records nothing for streams).
    pub(crate) fn is_active(&self) -> bool {
        !self.conns.is_empty()
    }

    /// Registers a connection; returns its id.
    pub(crate) fn register(
        &mut self,
        key_id: String,
        account: String,
        tx: mpsc::Sender<String>,
        kill: watch::Sender<Kill>,
    ) -> u64 {
        self.next_conn += 1;
        self.conns.insert(
            self.next_conn,
            Conn {
                key_id,
                account,
                tx,
                kill,
                subs: BTreeMap::new(),
                next_sid: 0,
                dead: false,
            },
        );
        self.next_conn
    }

    /// Forgets a connection (its task ended).
    pub(crate) fn unregister(&mut self, id: u64) {
        self.conns.remove(&id);
    }

    /// The connection `id` and the feed, together.
    pub(crate) fn conn_and_feed(&mut self, id: u64) -> Option<(&mut Conn, &mut Feed)> {
        let conn = self.conns.get_mut(&id)?;
        Some((conn, &mut self.feed))
    }

    /// Every connection.
    pub(crate) fn conns(&self) -> impl Iterator<Item = &Conn> {
        self.conns.values()
    }

    /// Ends every connection (of `key_id` only, if given) without a close frame. Returns
    /// how many.
    pub(crate) fn disconnect(&mut self, key_id: Option<&str>) -> usize {
        let mut n = 0;
        for c in self.conns.values_mut() {
            if key_id.is_none_or(|k| k == c.key_id) && !c.dead {
                c.dead = true;
                let _ = c.kill.send(Kill::Abrupt);
                n += 1;
            }
        }
        self.conns.retain(|_, c| !c.dead);
        n
    }

    /// Arms a fault on every current subscription to `channel`: `drop` the next pushed
    /// message, else send it twice. Returns how many subscriptions were armed.
    pub(crate) fn arm(&mut self, channel: Channel, drop: bool) -> usize {
        let mut n = 0;
        for s in self
            .conns
            .values_mut()
            .flat_map(|c| c.subs.values_mut())
            .filter(|s| s.channel == channel)
        {
            if drop {
                s.drop_next = true;
            } else {
                s.duplicate_next = true;
            }
            n += 1;
        }
        n
    }

    /// Whether any subscription to `channel` exists.
    pub(crate) fn any(&self, channel: Channel) -> bool {
        self.conns
            .values()
            .any(|c| c.subs.values().any(|s| s.channel == channel))
    }

    /// The markets some subscription to `channel` follows (`None`: one follows every market).
    pub(crate) fn followed(&self, channel: Channel) -> Option<BTreeSet<String>> {
        let mut all = BTreeSet::new();
        for s in self
            .conns
            .values()
            .flat_map(|c| c.subs.values())
            .filter(|s| s.channel == channel)
        {
            match &s.markets {
                None => return None,
                Some(m) => all.extend(m.iter().cloned()),
            }
        }
        Some(all)
    }

    /// Pushes one engine message to every subscription to `channel` that follows `market`
    /// (and, for a private message, belongs to `owner`'s account). `msg` builds the `msg`
    /// object for a subscriber (its account, its subscription). Seq channels get the
    /// subscription's next seq. Faults apply here: silence and a dropped message use the seq
    /// up without sending; a duplicated one is sent twice.
    pub(crate) fn push(
        &mut self,
        channel: Channel,
        kind: &str,
        market: Option<&str>,
        owner: Option<&str>,
        msg: impl Fn(&str, &Sub) -> Value,
    ) {
        let silent = self.silent.load(Ordering::SeqCst);
        for c in self.conns.values_mut() {
            if owner.is_some_and(|o| o != c.account) {
                continue;
            }
            let account = c.account.clone();
            let mut out = Vec::new();
            for s in c.subs.values_mut() {
                if s.channel != channel || !s.follows(market) {
                    continue;
                }
                let body = msg(&account, s);
                let frame = envelope(kind, s, body);
                if silent || std::mem::take(&mut s.drop_next) {
                    continue;
                }
                if std::mem::take(&mut s.duplicate_next) {
                    out.push(frame.clone());
                }
                out.push(frame);
            }
            for f in out {
                c.send(f);
            }
        }
        self.conns.retain(|_, c| !c.dead);
    }

    /// Removes connections whose queue overflowed or closed.
    pub(crate) fn reap(&mut self) {
        self.conns.retain(|_, c| !c.dead);
    }
}

/// `{"type", "sid", "seq"?, "msg"}` for subscription `s`, using up its next seq on a seq
/// channel.
pub(crate) fn envelope(kind: &str, s: &mut Sub, msg: Value) -> String {
    if s.channel.has_seq() {
        s.last_seq += 1;
        json!({"type": kind, "sid": s.sid, "seq": s.last_seq, "msg": msg}).to_string()
    } else {
        json!({"type": kind, "sid": s.sid, "msg": msg}).to_string()
    }
}
