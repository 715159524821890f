//! The stream session: a state machine between the socket and the caller, sans-IO.
//!
//! [`Session`] keeps what the caller asked for (subscriptions by a local [`SubscriptionKey`],
//! their channels and markets), what the exchange answered (the `sid` of every channel), the
//! sequence number of every subscription whose messages carry one, and the order books of the
//! `orderbook_delta` channel. It reads no clock and owns no socket: the I/O loop passes every
//! text frame to [`Session::on_text`], every other frame (ping, pong) to
//! [`Session::on_activity`], the connection's life to [`Session::on_connected`] and
//! [`Session::on_disconnected`], the time to [`Session::on_timeout`] when
//! [`Session::poll_timeout`] says; it sends what [`Session::poll_transmit`] gives and hands the
//! caller what [`Session::poll_event`] gives (the shape of `quinn-proto` and `str0m`).
//!
//! The queues of frames to send and of events are not bounded: the I/O loop drains
//! [`Session::poll_transmit`] and [`Session::poll_event`] after every call, as with
//! `quinn-proto`.
//!
//! # Sequence numbers and resyncs
//!
//! The spec numbers a subscription's messages (`seq`, from 1, "checked if you want to
//! guarantee you received all the messages; used for snapshot/delta consistency"): the number
//! belongs to the subscription (`sid`), not to a market, and the spec's example has a snapshot
//! at `seq` 2 followed by a delta at 3, so snapshots are part of the same sequence. The session
//! applies these rules to every subscription whose messages carry `seq`:
//!
//! - The first numbered message after `subscribed` sets the base; each next one must be the
//!   base + 1.
//! - A message numbered at or below the last one is a duplicate or stale: ignored, never
//!   applied twice (counted in [`SessionStats::duplicates`]). The one exception is an
//!   `orderbook_snapshot` numbered exactly like the last message: the spec does not say
//!   whether the snapshot sent for `get_snapshot` takes a number of its own or repeats the
//!   current one, so both readings are accepted (applying a snapshot twice in a row changes
//!   nothing).
//! - A message numbered above the last one + 1 is a gap: its number becomes the new base (so one
//!   gap makes one resync, not one per later message) and the subscription resyncs by itself.
//!   On `orderbook_delta` every book of the subscription may have missed a delta, so every one
//!   of them waits for a new snapshot, asked for with one `update_subscription` `get_snapshot`
//!   naming all its markets (a snapshot's own market is repaired by that snapshot). Other
//!   channels offer no snapshot: the session sends `unsubscribe` and `subscribe` again for that
//!   channel and reports [`Event::MessagesLost`] (what was lost is not replayed: the caller
//!   reads it with REST if it matters).
//! - A snapshot's `seq` is accepted as the new base, as the spec does not say more.
//! - The answers `ok` and `unsubscribed` may carry the subscription's `seq` too (the spec's
//!   `ok` example has one, without saying whether it takes a number): one equal to the last
//!   number or the next is in order (so answering the session's own `get_snapshot` can never
//!   look like a gap and loop), one above that is a gap.
//!
//! If the exchange numbered its `get_snapshot` answers by repeating the number of the message
//! before them, a delta lost just before such a snapshot could not be seen; with snapshots that
//! take their own number, as the spec's example shows, every loss is seen at the next message.
//! - A frame that cannot be read but whose envelope shows a `sid` and `seq` of a numbered
//!   subscription is a hole at that number: the same resync.
//!
//! While a book waits for its snapshot its deltas are dropped, not held: the stream is ordered,
//! so the snapshot comes after them and already contains them ([`SessionStats::held_back`]
//! counts them). [`Session::book`] returns only books in sync. When the snapshot arrives the
//! book is rebuilt from it and [`Event::Resynced`] names the market and the reason, once per
//! repaired book. A delta the book refuses ([`BookError`](crate::stream::BookError): below zero, a price outside `(0, 1)`,
//! an unknown side) is a desync of that market: the same `get_snapshot`, for that market only.
//! If a snapshot does not come within [`SessionConfig::snapshot_timeout`], or `get_snapshot`
//! fails, the channel is subscribed again (bounded, see below).
//!
//! Books assume the default price convention: a subscription with `use_yes_price` gets its NO
//! levels in YES-leg prices, and its books are kept exactly as sent, not comparable with REST.
//!
//! # Reconnects, liveness, errors
//!
//! [`Session::on_connected`] sends one `subscribe` per subscription, with every channel and the
//! markets as they are now (markets added and removed since included); the server's `sid`s of
//! the last connection are forgotten at [`Session::on_disconnected`], and every book waits for
//! the snapshot the new subscription brings ([`ResyncReason::Reconnected`]). Command ids start
//! at 1 and never repeat within a session.
//!
//! Kalshi pings every 10 s. When no frame at all arrives for [`SessionConfig::dead_after`]
//! (30 s by default), [`Event::ConnectionDead`] comes once: the I/O loop closes the socket,
//! reports [`Session::on_disconnected`], reconnects and reports [`Session::on_connected`].
//!
//! An `error` answering a command is [`Event::CommandFailed`] with the subscription it concerns.
//! A channel error (code 10, terminal for the subscription; also an internal error or a
//! timeout, codes 17 and 18, answering a `subscribe`) makes the session subscribe that channel
//! again after [`SessionConfig::resubscribe_backoff`], doubling for each failure in a row, at
//! most [`SessionConfig::max_resubscribes`] times; then [`Event::SubscriptionFailed`] and the
//! channel stays off until the next connection. The count starts again once the channel
//! delivers (books: once every book is in sync).
//!
//! # Example
//!
//! Frames scripted by hand, as a test would; a transport does the same with a socket.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use kalshi_core::stream::{Channel, Subscribe};
//! use kalshi_core::stream::session::{Event, ResyncReason, Session, SessionConfig};
//!
//! let mut session = Session::new(SessionConfig::default());
//! let key = session.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers(["FED-23DEC-T3.00"]))?;
//! let t0 = Instant::now();
//! session.on_connected(t0); // handshake done
//! assert_eq!(
//!     session.poll_transmit().as_deref(),
//!     Some(r#"{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["FED-23DEC-T3.00"]}}"#)
//! );
//! session.on_text(br#"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":2}}"#, t0);
//! session.on_text(br#"{"type":"orderbook_snapshot","sid":2,"seq":1,"msg":{"market_ticker":"FED-23DEC-T3.00",
//!     "yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars_fp":[["0.5400","20.00"]]}}"#, t0);
//! assert_eq!(session.book("FED-23DEC-T3.00").unwrap().best_yes_bid().unwrap().count.to_string(), "333.00");
//!
//! // seq 2 was lost: the book is withdrawn and a snapshot asked for, by the session itself.
//! session.on_text(br#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00",
//!     "price_dollars":"0.2200","delta_fp":"-33.00","side":"yes"}}"#, t0);
//! assert!(session.book("FED-23DEC-T3.00").is_none());
//! assert_eq!(
//!     session.poll_transmit().as_deref(),
//!     Some(r#"{"id":2,"cmd":"update_subscription","params":{"sids":[2],"market_tickers":["FED-23DEC-T3.00"],"action":"get_snapshot"}}"#)
//! );
//! session.on_text(br#"{"type":"orderbook_snapshot","sid":2,"seq":4,"msg":{"market_ticker":"FED-23DEC-T3.00",
//!     "yes_dollars_fp":[["0.2200","100.00"]]}}"#, t0);
//! assert_eq!(session.book("FED-23DEC-T3.00").unwrap().best_yes_bid().unwrap().count.to_string(), "100.00");
//!
//! let mut resynced = 0;
//! while let Some(event) = session.poll_event() {
//!     if let Event::Resynced { market_ticker, reason: ResyncReason::Gap { expected: 2, got: 3 } } = event {
//!         assert_eq!(market_ticker, "FED-23DEC-T3.00");
//!         resynced += 1;
//!     }
//! }
//! assert_eq!(resynced, 1);
//!
//! // Silence: declared dead 30 s after the last frame.
//! assert_eq!(session.poll_timeout(), Some(t0 + Duration::from_secs(30)));
//! session.on_timeout(t0 + Duration::from_secs(30));
//! assert!(matches!(session.poll_event(), Some(Event::ConnectionDead)));
//! # let _ = key;
//! # Ok::<(), kalshi_core::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use super::message::{self, ErrorCode, ErrorMessage, StreamMessage, SubscribedMessage};
use super::{
    Channel, Command, CommandId, LocalOrderbook, Sid, Subscribe, Unsubscribe, UpdateAction,
    UpdateSubscription,
};
use crate::Error;

mod state;
mod types;

use state::{
    BookState, ChannelState, Ctx, Peek, Pending, Seq, Subscription, check_seq, markets_of, peek,
    valid_ticker,
};
pub use types::{Event, ResyncReason, SessionConfig, SessionStats, SubscriptionKey};

/// The stream session (see the [module docs](self)).
#[derive(Debug)]
pub struct Session {
    subs: BTreeMap<SubscriptionKey, Subscription>,
    ctx: Ctx,
    next_key: u64,
}

impl Session {
    /// A session with nothing subscribed, not connected.
    pub fn new(config: SessionConfig) -> Session {
        Session {
            subs: BTreeMap::new(),
            ctx: Ctx {
                config,
                transmits: VecDeque::new(),
                events: VecDeque::new(),
                pending: HashMap::new(),
                sids: HashMap::new(),
                next_id: 1,
                connected: false,
                dead: false,
                last_activity: None,
                stats: SessionStats::default(),
            },
            next_key: 1,
        }
    }

    /// The settings.
    pub fn config(&self) -> &SessionConfig {
        &self.ctx.config
    }

    /// The counters.
    pub fn stats(&self) -> SessionStats {
        self.ctx.stats
    }

    /// True between [`on_connected`](Self::on_connected) and
    /// [`on_disconnected`](Self::on_disconnected).
    pub fn is_connected(&self) -> bool {
        self.ctx.connected
    }

    // ---- what the caller wants ----

    /// Subscribes (now if connected, else at the next connection, and again after every
    /// reconnect). Refuses what `subscribe` would refuse, before anything is sent.
    pub fn subscribe(&mut self, sub: Subscribe) -> Result<SubscriptionKey, Error> {
        Command::Subscribe(sub.clone()).to_json(0)?;
        let key = SubscriptionKey(self.next_key);
        self.next_key += 1;
        let channels: Vec<ChannelState> = sub
            .channels
            .iter()
            .map(|c| ChannelState {
                channel: c.clone(),
                sid: None,
                pending: None,
                last_seq: None,
                sent_markets: Vec::new(),
                failures: 0,
                resubscribe_at: None,
            })
            .collect();
        let book_channel = channels
            .iter()
            .position(|c| c.channel == Channel::OrderbookDelta);
        let mut s = Subscription {
            want: sub,
            channels,
            book_channel,
            books: HashMap::new(),
            snapshot_deadline: None,
        };
        if self.ctx.connected {
            s.send_subscribe(key, None, &mut self.ctx);
        }
        self.subs.insert(key, s);
        Ok(key)
    }

    /// Ends a subscription (`unsubscribe` of its `sid`s) and drops its books. False if the key
    /// is not a subscription of this session.
    pub fn unsubscribe(&mut self, key: SubscriptionKey) -> bool {
        let Some(sub) = self.subs.remove(&key) else {
            return false;
        };
        let sids: Vec<Sid> = sub.channels.iter().filter_map(|c| c.sid).collect();
        for sid in &sids {
            self.ctx.sids.remove(sid);
        }
        if !sids.is_empty() {
            self.ctx.send(
                Some(key),
                Command::Unsubscribe(Unsubscribe::new(sids)),
                Some(Pending::Unsubscribe { key: Some(key) }),
            );
        }
        true
    }

    /// Adds markets (by ticker) to a subscription: `update_subscription` `add_markets` on each
    /// of its channels now, and in the `subscribe` after a reconnect. Refused for an unknown
    /// key, a subscription naming its markets by id or streaming every market, or a bad
    /// ticker. Markets already there are skipped.
    pub fn add_markets<S: Into<String>>(
        &mut self,
        key: SubscriptionKey,
        tickers: impl IntoIterator<Item = S>,
    ) -> Result<(), Error> {
        let sub = markets_of(&mut self.subs, key)?;
        let mut added: Vec<String> = Vec::new();
        for t in tickers {
            let t = t.into();
            if !sub.want.market_tickers.contains(&t) && !added.contains(&t) {
                added.push(t);
            }
        }
        if added.is_empty() {
            return Ok(());
        }
        Command::UpdateSubscription(UpdateSubscription::new(
            1,
            UpdateAction::AddMarkets,
            added.iter().cloned(),
        ))
        .to_json(0)?;
        let mut markets = sub.want.market_tickers.clone();
        markets.extend(added.iter().cloned());
        Command::Subscribe(sub.want.clone().market_tickers(markets.iter().cloned())).to_json(0)?;
        sub.want.market_tickers = markets;
        if let Some(ci) = sub.book_channel {
            for t in &added {
                sub.books.remove(t);
            }
            if sub.channels[ci].sid.is_some() {
                for t in &added {
                    sub.books.insert(t.clone(), BookState::Awaiting(None));
                }
                if sub.snapshot_deadline.is_none() {
                    // The deadline starts at the next event: no clock here.
                    sub.snapshot_deadline = self
                        .ctx
                        .last_activity
                        .and_then(|t| t.checked_add(self.ctx.config.snapshot_timeout));
                }
            }
        }
        for ci in 0..sub.channels.len() {
            sub.reconcile(key, ci, &mut self.ctx);
        }
        Ok(())
    }

    /// Removes markets (by ticker) from a subscription (`delete_markets`) and drops their
    /// books. Refused for an unknown key, a subscription naming its markets by id or streaming
    /// every market, or when no market would be left (unsubscribe instead). Markets not there
    /// are skipped.
    pub fn remove_markets<S: Into<String>>(
        &mut self,
        key: SubscriptionKey,
        tickers: impl IntoIterator<Item = S>,
    ) -> Result<(), Error> {
        let sub = markets_of(&mut self.subs, key)?;
        let gone: Vec<String> = tickers.into_iter().map(Into::into).collect();
        let left: Vec<String> = sub
            .want
            .market_tickers
            .iter()
            .filter(|t| !gone.contains(t))
            .cloned()
            .collect();
        if left.len() == sub.want.market_tickers.len() {
            return Ok(());
        }
        if left.is_empty() {
            return Err(Error::invalid(
                "market_tickers",
                "no market would be left: unsubscribe instead",
            ));
        }
        sub.want.market_tickers = left;
        for t in &gone {
            sub.books.remove(t);
        }
        if !sub.any_awaiting() {
            sub.snapshot_deadline = None;
        }
        for ci in 0..sub.channels.len() {
            sub.reconcile(key, ci, &mut self.ctx);
        }
        Ok(())
    }

    /// Sends `list_subscriptions` (if connected); the answer comes as [`Event::Message`].
    pub fn list_subscriptions(&mut self) {
        self.ctx.send(None, Command::ListSubscriptions, None);
    }

    /// The subscription as it is wanted now (markets added and removed included).
    pub fn subscription(&self, key: SubscriptionKey) -> Option<&Subscribe> {
        self.subs.get(&key).map(|s| &s.want)
    }

    /// The `sid` of a channel of a subscription on this connection, once subscribed.
    pub fn sid(&self, key: SubscriptionKey, channel: &Channel) -> Option<Sid> {
        self.subs
            .get(&key)?
            .channels
            .iter()
            .find(|c| &c.channel == channel)?
            .sid
    }

    /// A market's book, only while it is in sync.
    pub fn book(&self, market_ticker: &str) -> Option<&LocalOrderbook> {
        self.subs
            .values()
            .find_map(|s| match s.books.get(market_ticker) {
                Some(BookState::InSync(b)) => Some(b),
                _ => None,
            })
    }

    /// Every book in sync.
    pub fn books(&self) -> impl Iterator<Item = &LocalOrderbook> + '_ {
        self.subs.values().flat_map(|s| {
            s.books.values().filter_map(|b| match b {
                BookState::InSync(b) => Some(b),
                BookState::Awaiting(_) => None,
            })
        })
    }

    // ---- what the I/O loop reports ----

    /// The handshake is done: every subscription is sent again.
    pub fn on_connected(&mut self, now: Instant) {
        if self.ctx.connected {
            self.on_disconnected(now);
        }
        self.ctx.connected = true;
        self.ctx.dead = false;
        self.ctx.last_activity = Some(now);
        for (&key, sub) in &mut self.subs {
            for ch in &mut sub.channels {
                ch.failures = 0;
            }
            sub.send_subscribe(key, None, &mut self.ctx);
        }
    }

    /// The connection is gone: the exchange's `sid`s are void, unsent commands dropped, every
    /// book waits for the next connection's snapshot.
    pub fn on_disconnected(&mut self, _now: Instant) {
        self.ctx.connected = false;
        self.ctx.transmits.clear();
        self.ctx.pending.clear();
        self.ctx.sids.clear();
        for sub in self.subs.values_mut() {
            for ch in &mut sub.channels {
                ch.sid = None;
                ch.pending = None;
                ch.last_seq = None;
                ch.resubscribe_at = None;
            }
            for state in sub.books.values_mut() {
                if let BookState::InSync(_) = state {
                    *state = BookState::Awaiting(Some(ResyncReason::Reconnected));
                }
            }
            sub.snapshot_deadline = None;
        }
    }

    /// Any frame arrived (ping, pong, binary, text): the connection is alive.
    pub fn on_activity(&mut self, now: Instant) {
        if self.ctx.last_activity.is_none_or(|t| now > t) {
            self.ctx.last_activity = Some(now);
        }
    }

    /// A text frame arrived.
    pub fn on_text(&mut self, frame: &[u8], now: Instant) {
        self.on_activity(now);
        match message::parse(frame) {
            Ok(m) => self.on_message(m, frame, now),
            Err(e) => self.on_malformed(e, frame, now),
        }
    }

    /// The time [`poll_timeout`](Self::poll_timeout) gave has come (or passed).
    pub fn on_timeout(&mut self, now: Instant) {
        if !self.ctx.connected {
            return;
        }
        if !self.ctx.dead
            && self
                .ctx
                .last_activity
                .and_then(|t| t.checked_add(self.ctx.config.dead_after))
                .is_some_and(|t| now >= t)
        {
            self.ctx.dead = true;
            self.ctx.events.push_back(Event::ConnectionDead);
        }
        for (&key, sub) in &mut self.subs {
            if sub.snapshot_deadline.is_some_and(|d| now >= d) {
                sub.snapshot_deadline = None;
                if let Some(ci) = sub.book_channel {
                    if sub.any_awaiting() && sub.channels[ci].resubscribe_at.is_none() {
                        sub.fail_channel(key, ci, None, &mut self.ctx, now);
                    }
                }
            }
            for ci in 0..sub.channels.len() {
                if sub.channels[ci].resubscribe_at.is_some_and(|t| now >= t) {
                    sub.resubscribe(key, ci, true, &mut self.ctx);
                }
            }
        }
    }

    // ---- what the I/O loop does next ----

    /// The next text frame to send, in order.
    pub fn poll_transmit(&mut self) -> Option<String> {
        self.ctx.transmits.pop_front()
    }

    /// When to call [`on_timeout`](Self::on_timeout): the liveness deadline, a snapshot's
    /// deadline, a scheduled resubscribe. `None` while not connected.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if !self.ctx.connected {
            return None;
        }
        let mut next = if self.ctx.dead {
            None
        } else {
            self.ctx
                .last_activity
                .and_then(|t| t.checked_add(self.ctx.config.dead_after))
        };
        let mut consider = |t: Option<Instant>| {
            if let Some(t) = t {
                next = Some(next.map_or(t, |n: Instant| n.min(t)));
            }
        };
        for sub in self.subs.values() {
            consider(sub.snapshot_deadline);
            for ch in &sub.channels {
                consider(ch.resubscribe_at);
            }
        }
        next
    }

    /// The next event for the caller.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.ctx.events.pop_front()
    }

    // ---- inside ----

    fn on_message(&mut self, m: StreamMessage, frame: &[u8], now: Instant) {
        match m {
            StreamMessage::Subscribed { id, msg } => self.on_subscribed(id, msg, now),
            StreamMessage::Unsubscribed { id, .. } | StreamMessage::Ok { id, .. } => {
                if let Some(id) = id {
                    self.ctx.pending.remove(&id);
                }
                // An answer numbered in a subscription's sequence: it may take the next
                // number or repeat the last one; above that, messages before it were lost.
                if let (Some(sid), Some(seq)) = (m.sid(), m.seq()) {
                    if let Some(&(key, ci)) = self.ctx.sids.get(&sid) {
                        if let Some(sub) = self.subs.get_mut(&key) {
                            sub.sequence(key, ci, seq, true, None, &mut self.ctx, now);
                        }
                    }
                }
            }
            StreamMessage::Error { id, msg } => {
                // The spec's errors name no `sid`; read one if the exchange sends it.
                let sid = peek(frame).and_then(|p| p.sid);
                self.on_error(id, msg, sid, now)
            }
            StreamMessage::OrderbookSnapshot(_) | StreamMessage::OrderbookDelta(_) => {
                self.on_book(m, now)
            }
            _ => self.on_data(m, now),
        }
    }

    fn on_subscribed(&mut self, id: Option<CommandId>, msg: SubscribedMessage, now: Instant) {
        if self.ctx.sids.contains_key(&msg.sid) {
            return; // a repeated answer
        }
        let key = match id.and_then(|id| self.ctx.pending.get_mut(&id)) {
            Some(Pending::Subscribe { key, channels }) => {
                let key = *key;
                channels.retain(|c| c != &msg.channel);
                if channels.is_empty() {
                    self.ctx.pending.remove(&id.unwrap_or_default());
                }
                key
            }
            _ => {
                self.ctx
                    .events
                    .push_back(Event::Message(StreamMessage::Subscribed { id, msg }));
                return;
            }
        };
        let found = self.subs.get_mut(&key).and_then(|sub| {
            sub.channels
                .iter()
                .position(|c| c.channel == msg.channel && c.pending == id)
                .map(|ci| (sub, ci))
        });
        let Some((sub, ci)) = found else {
            // Unsubscribed meanwhile (or resubscribed again): end this one.
            self.ctx.send(
                None,
                Command::Unsubscribe(Unsubscribe::new([msg.sid])),
                Some(Pending::Unsubscribe { key: None }),
            );
            return;
        };
        let ch = &mut sub.channels[ci];
        ch.sid = Some(msg.sid);
        ch.pending = None;
        ch.last_seq = None;
        ch.resubscribe_at = None;
        self.ctx.sids.insert(msg.sid, (key, ci));
        self.ctx.events.push_back(Event::Subscribed {
            key,
            channel: msg.channel,
            sid: msg.sid,
        });
        if sub.book_channel == Some(ci) {
            for t in &sub.want.market_tickers {
                if !matches!(sub.books.get(t), Some(BookState::Awaiting(_))) {
                    sub.books.insert(t.clone(), BookState::Awaiting(None));
                }
            }
            if sub.any_awaiting() {
                sub.snapshot_deadline = now.checked_add(self.ctx.config.snapshot_timeout);
            }
        }
        sub.reconcile(key, ci, &mut self.ctx);
    }

    fn on_error(
        &mut self,
        id: Option<CommandId>,
        error: ErrorMessage,
        sid: Option<Sid>,
        now: Instant,
    ) {
        let pending = id.and_then(|id| match self.ctx.pending.get(&id) {
            Some(Pending::Subscribe { .. }) => self.ctx.pending.get(&id).cloned(),
            _ => self.ctx.pending.remove(&id),
        });
        let code = error.kind();
        let retry = matches!(code, ErrorCode::ChannelError) || code.is_transient();
        let key = match pending {
            Some(Pending::Subscribe { key, .. }) => {
                if let Some(sub) = self.subs.get_mut(&key) {
                    // Which channel failed is not said: those still waiting are retried (a late
                    // `subscribed` cancels the retry) or, for a lasting error, left waiting
                    // until the next connection.
                    for ci in 0..sub.channels.len() {
                        let ch = &sub.channels[ci];
                        if retry && ch.pending == id && ch.sid.is_none() {
                            sub.fail_channel(key, ci, None, &mut self.ctx, now);
                        }
                    }
                }
                Some(key)
            }
            Some(Pending::Update { key }) => Some(key),
            Some(Pending::Snapshot { key }) => {
                if let Some(sub) = self.subs.get_mut(&key) {
                    if let Some(ci) = sub.book_channel {
                        if sub.channels[ci].resubscribe_at.is_none() {
                            sub.fail_channel(key, ci, None, &mut self.ctx, now);
                        }
                    }
                }
                Some(key)
            }
            Some(Pending::Unsubscribe { key: None }) => return, // the session's own
            Some(Pending::Unsubscribe { key }) => key,
            None => {
                // Not an answer: about a subscription, if it says which.
                let target = sid.and_then(|s| self.ctx.sids.get(&s).copied());
                match target {
                    Some((key, ci)) if code == ErrorCode::ChannelError => {
                        if let Some(sub) = self.subs.get_mut(&key) {
                            sub.fail_channel(
                                key,
                                ci,
                                Some(ResyncReason::ChannelError(error.code)),
                                &mut self.ctx,
                                now,
                            );
                        }
                        Some(key)
                    }
                    Some((key, _)) => Some(key),
                    None => error.market_ticker.as_deref().and_then(|t| {
                        self.subs
                            .iter()
                            .find(|(_, s)| s.want.market_tickers.iter().any(|m| m == t))
                            .map(|(k, _)| *k)
                    }),
                }
            }
        };
        self.ctx
            .events
            .push_back(Event::CommandFailed { key, error });
    }

    fn on_book(&mut self, m: StreamMessage, now: Instant) {
        let (sid, seq, ticker, snapshot) = match &m {
            StreamMessage::OrderbookSnapshot(d) => (d.sid, d.seq, &d.msg.market_ticker, true),
            StreamMessage::OrderbookDelta(d) => (d.sid, d.seq, &d.msg.market_ticker, false),
            _ => return,
        };
        let Some(&(key, ci)) = self.ctx.sids.get(&sid) else {
            self.ctx.stats.ignored += 1;
            return;
        };
        let Some(sub) = self.subs.get_mut(&key) else {
            return;
        };
        if sub.book_channel != Some(ci) {
            return self.on_data(m, now);
        }
        let ctx = &mut self.ctx;
        if let Some(seq) = seq {
            if !sub.sequence(
                key,
                ci,
                seq,
                snapshot,
                snapshot.then_some(ticker.as_str()),
                ctx,
                now,
            ) {
                return;
            }
        }
        // A book (in sync or waiting) exists exactly for the markets wanted, so the list is read
        // only for a market without one.
        if !sub.books.contains_key(ticker) && !sub.wants(ticker) {
            ctx.stats.ignored += 1;
            return;
        }
        match &m {
            StreamMessage::OrderbookSnapshot(d) => {
                let ticker = d.msg.market_ticker.clone();
                match LocalOrderbook::from_snapshot(&d.msg) {
                    Ok(book) if sub.books.contains_key(&ticker) || valid_ticker(&ticker) => {
                        let before = sub.books.insert(ticker.clone(), BookState::InSync(book));
                        let event = match before {
                            Some(BookState::Awaiting(Some(reason))) => {
                                ctx.stats.resyncs += 1;
                                Event::Resynced {
                                    market_ticker: ticker,
                                    reason,
                                }
                            }
                            _ => Event::BookSnapshot {
                                market_ticker: ticker,
                            },
                        };
                        ctx.events.push_back(Event::Message(m));
                        ctx.events.push_back(event);
                        if !sub.any_awaiting() {
                            sub.snapshot_deadline = None;
                            sub.channels[ci].failures = 0;
                        }
                    }
                    Ok(_) => ctx.stats.ignored += 1,
                    Err(_) if !sub.books.contains_key(&ticker) && !valid_ticker(&ticker) => {
                        ctx.stats.ignored += 1;
                    }
                    Err(e) => {
                        ctx.stats.desyncs += 1;
                        let reason = match sub.books.remove(&ticker) {
                            Some(BookState::Awaiting(Some(r))) => r,
                            _ => ResyncReason::Desync(e),
                        };
                        sub.books.insert(ticker, BookState::Awaiting(Some(reason)));
                        if sub.channels[ci].resubscribe_at.is_none() {
                            sub.fail_channel(key, ci, None, ctx, now);
                        }
                    }
                }
            }
            StreamMessage::OrderbookDelta(d) => match sub.books.get_mut(ticker) {
                Some(BookState::InSync(book)) => match book.apply(&d.msg) {
                    Ok(()) => {
                        let market_ticker = d.msg.market_ticker.clone();
                        ctx.events.push_back(Event::Message(m));
                        ctx.events.push_back(Event::BookUpdated { market_ticker });
                    }
                    Err(e) => {
                        ctx.stats.desyncs += 1;
                        let ticker = d.msg.market_ticker.clone();
                        sub.books.insert(
                            ticker.clone(),
                            BookState::Awaiting(Some(ResyncReason::Desync(e))),
                        );
                        sub.request_snapshots(key, vec![ticker], ctx, now);
                    }
                },
                Some(BookState::Awaiting(_)) => ctx.stats.held_back += 1,
                None => {
                    // A market never seen (a subscription to every market): ask for its book.
                    if valid_ticker(ticker) {
                        let ticker = ticker.clone();
                        sub.books.insert(ticker.clone(), BookState::Awaiting(None));
                        sub.request_snapshots(key, vec![ticker], ctx, now);
                    }
                    ctx.stats.held_back += 1;
                }
            },
            _ => {}
        }
    }

    fn on_data(&mut self, m: StreamMessage, now: Instant) {
        let Some(sid) = m.sid() else {
            self.ctx.events.push_back(Event::Message(m));
            return;
        };
        let Some(&(key, ci)) = self.ctx.sids.get(&sid) else {
            if m.command_id().is_some() {
                self.ctx.events.push_back(Event::Message(m));
            } else {
                self.ctx.stats.ignored += 1;
            }
            return;
        };
        let Some(sub) = self.subs.get_mut(&key) else {
            return;
        };
        if let Some(seq) = m.seq() {
            if !sub.sequence(key, ci, seq, false, None, &mut self.ctx, now) {
                return;
            }
        }
        if sub.book_channel != Some(ci) {
            sub.channels[ci].failures = 0;
        }
        self.ctx.events.push_back(Event::Message(m));
    }

    fn on_malformed(&mut self, error: Error, frame: &[u8], now: Instant) {
        self.ctx.stats.malformed += 1;
        if let Some(Peek {
            sid: Some(sid),
            seq: Some(seq),
        }) = peek(frame)
        {
            if let Some(&(key, ci)) = self.ctx.sids.get(&sid) {
                if let Some(sub) = self.subs.get_mut(&key) {
                    match check_seq(&mut sub.channels[ci].last_seq, seq, false) {
                        Seq::Duplicate => {}
                        Seq::InOrder | Seq::Gap { .. } => sub.on_hole(
                            key,
                            ci,
                            ResyncReason::MalformedFrame,
                            None,
                            &mut self.ctx,
                            now,
                        ),
                    }
                }
            }
        }
        self.ctx.events.push_back(Event::MalformedFrame(error));
    }
}

#[cfg(test)]
mod tests;
