//! The session's inner state: subscriptions, channels, books, and what is owed to the I/O
//! loop.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use serde::Deserialize;

use super::{Event, ResyncReason, SessionConfig, SessionStats, SubscriptionKey};
use crate::Error;
use crate::stream::command::MAX_MARKETS_PER_COMMAND;
use crate::stream::{
    Channel, Command, CommandId, LocalOrderbook, Sid, Subscribe, Unsubscribe, UpdateAction,
    UpdateSubscription,
};

#[derive(Debug)]
pub(super) struct Ctx {
    pub(super) config: SessionConfig,
    pub(super) transmits: VecDeque<String>,
    pub(super) events: VecDeque<Event>,
    pub(super) pending: HashMap<CommandId, Pending>,
    pub(super) sids: HashMap<Sid, (SubscriptionKey, usize)>,
    pub(super) next_id: CommandId,
    pub(super) connected: bool,
    pub(super) dead: bool,
    pub(super) last_activity: Option<Instant>,
    pub(super) stats: SessionStats,
}

#[derive(Debug, Clone)]
pub(super) enum Pending {
    /// A `subscribe`: the channels still waiting for their `subscribed`.
    Subscribe {
        key: SubscriptionKey,
        channels: Vec<Channel>,
    },
    Update {
        key: SubscriptionKey,
    },
    Snapshot {
        key: SubscriptionKey,
    },
    Unsubscribe {
        key: Option<SubscriptionKey>,
    },
}

#[derive(Debug)]
pub(super) struct Subscription {
    /// What the caller wants, markets as they are now.
    pub(super) want: Subscribe,
    pub(super) channels: Vec<ChannelState>,
    /// The `orderbook_delta` channel's index in `channels`.
    pub(super) book_channel: Option<usize>,
    pub(super) books: HashMap<String, BookState>,
    pub(super) snapshot_deadline: Option<Instant>,
}

#[derive(Debug)]
pub(super) struct ChannelState {
    pub(super) channel: Channel,
    pub(super) sid: Option<Sid>,
    /// The `subscribe` in flight for this channel.
    pub(super) pending: Option<CommandId>,
    pub(super) last_seq: Option<u64>,
    /// The markets the exchange has for this channel (as last sent).
    pub(super) sent_markets: Vec<String>,
    pub(super) failures: u32,
    pub(super) resubscribe_at: Option<Instant>,
}

#[derive(Debug)]
pub(super) enum BookState {
    InSync(LocalOrderbook),
    /// Waiting for a snapshot; `None` for a first one, else why the book went out of sync.
    Awaiting(Option<ResyncReason>),
}

pub(super) enum Seq {
    InOrder,
    Duplicate,
    Gap { expected: u64, got: u64 },
}

/// The verdict on number `seq` after `last` (updated). `tolerant`: the message may repeat the
/// last number (a snapshot, an answer).
pub(super) fn check_seq(last: &mut Option<u64>, seq: u64, tolerant: bool) -> Seq {
    match *last {
        None => {
            *last = Some(seq);
            Seq::InOrder
        }
        Some(l) if l.checked_add(1) == Some(seq) || (tolerant && seq == l) => {
            *last = Some(seq);
            Seq::InOrder
        }
        Some(l) if seq <= l => Seq::Duplicate,
        Some(l) => {
            *last = Some(seq);
            Seq::Gap {
                expected: l + 1,
                got: seq,
            }
        }
    }
}

/// The envelope of a frame that did not parse as a whole.
#[derive(Deserialize)]
pub(super) struct Peek {
    #[serde(default)]
    pub(super) sid: Option<Sid>,
    #[serde(default)]
    pub(super) seq: Option<u64>,
}

pub(super) fn peek(frame: &[u8]) -> Option<Peek> {
    serde_json::from_slice(frame).ok()
}

pub(super) fn markets_of(
    subs: &mut BTreeMap<SubscriptionKey, Subscription>,
    key: SubscriptionKey,
) -> Result<&mut Subscription, Error> {
    let sub = subs
        .get_mut(&key)
        .ok_or_else(|| Error::invalid("key", "not a subscription of this session"))?;
    if !sub.want.market_ids.is_empty() {
        return Err(Error::invalid(
            "market_tickers",
            "the subscription names its markets by id",
        ));
    }
    if sub.want.market_tickers.is_empty() {
        return Err(Error::invalid(
            "market_tickers",
            "the subscription streams every market",
        ));
    }
    Ok(sub)
}

pub(super) fn valid_ticker(ticker: &str) -> bool {
    Command::UpdateSubscription(UpdateSubscription::new(
        1,
        UpdateAction::GetSnapshot,
        [ticker],
    ))
    .to_json(1)
    .is_ok()
}

impl Ctx {
    pub(super) fn send(
        &mut self,
        key: Option<SubscriptionKey>,
        cmd: Command,
        pending: Option<Pending>,
    ) -> Option<CommandId> {
        if !self.connected {
            return None;
        }
        let id = self.next_id;
        match cmd.to_json(id) {
            Ok(text) => {
                self.next_id += 1;
                self.transmits.push_back(text);
                if let Some(p) = pending {
                    self.pending.insert(id, p);
                }
                Some(id)
            }
            Err(error) => {
                self.events.push_back(Event::CommandRefused { key, error });
                None
            }
        }
    }
}

impl Subscription {
    pub(super) fn wants(&self, ticker: &str) -> bool {
        self.want.market_tickers.is_empty() || self.want.market_tickers.iter().any(|t| t == ticker)
    }

    pub(super) fn any_awaiting(&self) -> bool {
        self.books
            .values()
            .any(|b| matches!(b, BookState::Awaiting(_)))
    }

    /// Marks every book out of sync (keeping the first reason of those already waiting),
    /// except `except`; returns their markets, sorted.
    pub(super) fn withdraw_books(
        &mut self,
        reason: &ResyncReason,
        except: Option<&str>,
    ) -> Vec<String> {
        for t in &self.want.market_tickers {
            if !self.books.contains_key(t) {
                self.books.insert(t.clone(), BookState::Awaiting(None));
            }
        }
        let mut tickers = Vec::with_capacity(self.books.len());
        for (t, state) in &mut self.books {
            if Some(t.as_str()) == except {
                continue;
            }
            if let BookState::InSync(_) = state {
                *state = BookState::Awaiting(Some(reason.clone()));
            }
            tickers.push(t.clone());
        }
        tickers.sort_unstable();
        tickers
    }

    /// Asks for snapshots of `tickers` (`get_snapshot` on the book channel).
    pub(super) fn request_snapshots(
        &mut self,
        key: SubscriptionKey,
        tickers: Vec<String>,
        ctx: &mut Ctx,
        now: Instant,
    ) {
        let Some(ci) = self.book_channel else { return };
        if tickers.is_empty() {
            return;
        }
        if self.snapshot_deadline.is_none() {
            self.snapshot_deadline = now.checked_add(ctx.config.snapshot_timeout);
        }
        let Some(sid) = self.channels[ci].sid else {
            return; // the coming `subscribed` brings the snapshots
        };
        for chunk in tickers.chunks(MAX_MARKETS_PER_COMMAND) {
            let cmd =
                UpdateSubscription::new(sid, UpdateAction::GetSnapshot, chunk.iter().cloned());
            ctx.send(
                Some(key),
                Command::UpdateSubscription(cmd),
                Some(Pending::Snapshot { key }),
            );
        }
    }

    /// Sends `subscribe` for the channels `which` (every channel when `None`).
    pub(super) fn send_subscribe(
        &mut self,
        key: SubscriptionKey,
        which: Option<usize>,
        ctx: &mut Ctx,
    ) {
        let mut want = self.want.clone();
        let indexes: Vec<usize> = match which {
            Some(ci) => vec![ci],
            None => (0..self.channels.len()).collect(),
        };
        want.channels = indexes
            .iter()
            .map(|&ci| self.channels[ci].channel.clone())
            .collect();
        let pending = Pending::Subscribe {
            key,
            channels: want.channels.clone(),
        };
        let id = ctx.send(Some(key), Command::Subscribe(want), Some(pending));
        for ci in indexes {
            let ch = &mut self.channels[ci];
            ch.pending = id;
            ch.sent_markets = self.want.market_tickers.clone();
            ch.last_seq = None;
            ch.resubscribe_at = None;
        }
    }

    /// Ends channel `ci`'s current subscription (with `unsubscribe` if asked) and subscribes
    /// it again.
    pub(super) fn resubscribe(
        &mut self,
        key: SubscriptionKey,
        ci: usize,
        unsubscribe: bool,
        ctx: &mut Ctx,
    ) {
        if let Some(sid) = self.channels[ci].sid.take() {
            ctx.sids.remove(&sid);
            if unsubscribe {
                ctx.send(
                    Some(key),
                    Command::Unsubscribe(Unsubscribe::new([sid])),
                    Some(Pending::Unsubscribe { key: None }),
                );
            }
        }
        if self.book_channel == Some(ci) {
            self.withdraw_books(&ResyncReason::Resubscribed, None);
            self.snapshot_deadline = None;
        }
        ctx.stats.resubscribes += 1;
        self.send_subscribe(key, Some(ci), ctx);
    }

    /// A failure of channel `ci`: schedules a resubscribe with backoff, or gives up.
    pub(super) fn fail_channel(
        &mut self,
        key: SubscriptionKey,
        ci: usize,
        ended: Option<ResyncReason>,
        ctx: &mut Ctx,
        now: Instant,
    ) {
        if let Some(reason) = &ended {
            if let Some(sid) = self.channels[ci].sid.take() {
                ctx.sids.remove(&sid);
            }
            if self.book_channel == Some(ci) {
                self.withdraw_books(reason, None);
            }
        }
        // A `subscribe` in flight stays matched: of a subscribe naming several channels, the
        // error does not say which failed, and a late `subscribed` still counts.
        let ch = &mut self.channels[ci];
        ch.failures += 1;
        if ch.failures > ctx.config.max_resubscribes {
            ch.resubscribe_at = None;
            ctx.events.push_back(Event::SubscriptionFailed {
                key,
                channel: ch.channel.clone(),
            });
            return;
        }
        let factor = 1u32 << (ch.failures - 1).min(10);
        // An absurd setting that overflows means never.
        ch.resubscribe_at = ctx
            .config
            .resubscribe_backoff
            .checked_mul(factor)
            .and_then(|d| now.checked_add(d));
    }

    /// The number check of a message of channel `ci`; false when it must be skipped.
    /// `tolerant`: the message may repeat the last number (a snapshot, an answer).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn sequence(
        &mut self,
        key: SubscriptionKey,
        ci: usize,
        seq: u64,
        tolerant: bool,
        snapshot_of: Option<&str>,
        ctx: &mut Ctx,
        now: Instant,
    ) -> bool {
        match check_seq(&mut self.channels[ci].last_seq, seq, tolerant) {
            Seq::InOrder => true,
            Seq::Duplicate => {
                ctx.stats.duplicates += 1;
                false
            }
            Seq::Gap { expected, got } => {
                ctx.stats.gaps += 1;
                self.on_hole(
                    key,
                    ci,
                    ResyncReason::Gap { expected, got },
                    snapshot_of,
                    ctx,
                    now,
                );
                true
            }
        }
    }

    /// Messages of channel `ci` were lost: resync its books, or subscribe it again.
    pub(super) fn on_hole(
        &mut self,
        key: SubscriptionKey,
        ci: usize,
        reason: ResyncReason,
        snapshot_of: Option<&str>,
        ctx: &mut Ctx,
        now: Instant,
    ) {
        if self.book_channel == Some(ci) {
            let tickers = self.withdraw_books(&reason, snapshot_of);
            self.request_snapshots(key, tickers, ctx, now);
        } else {
            let (expected, got) = match reason {
                ResyncReason::Gap { expected, got } => (expected, got),
                _ => {
                    let n = self.channels[ci].last_seq.unwrap_or(0);
                    (n, n)
                }
            };
            ctx.events.push_back(Event::MessagesLost {
                key,
                channel: self.channels[ci].channel.clone(),
                expected,
                got,
            });
            self.resubscribe(key, ci, true, ctx);
        }
    }

    /// After `subscribed` (or a market change): brings the exchange's markets of channel `ci`
    /// to what is wanted.
    pub(super) fn reconcile(&mut self, key: SubscriptionKey, ci: usize, ctx: &mut Ctx) {
        let Some(sid) = self.channels[ci].sid else {
            return;
        };
        if self.want.market_tickers.is_empty() {
            return;
        }
        let sent = &self.channels[ci].sent_markets;
        let added: Vec<String> = self
            .want
            .market_tickers
            .iter()
            .filter(|t| !sent.contains(t))
            .cloned()
            .collect();
        let removed: Vec<String> = sent
            .iter()
            .filter(|t| !self.want.market_tickers.contains(t))
            .cloned()
            .collect();
        for (action, markets) in [
            (UpdateAction::AddMarkets, added),
            (UpdateAction::DeleteMarkets, removed),
        ] {
            for chunk in markets.chunks(MAX_MARKETS_PER_COMMAND) {
                ctx.send(
                    Some(key),
                    Command::UpdateSubscription(UpdateSubscription::new(
                        sid,
                        action,
                        chunk.iter().cloned(),
                    )),
                    Some(Pending::Update { key }),
                );
            }
        }
        self.channels[ci].sent_markets = self.want.market_tickers.clone();
    }
}
