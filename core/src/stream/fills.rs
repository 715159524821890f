//! Each of the key's fills delivered once, across reconnects.
//!
//! The `fill` channel has no sequence numbers and no replay: a fill that happens while the
//! connection is down is simply never pushed. [`FillLedger`] is the sans-IO bookkeeping that
//! closes that hole with the REST fills endpoint: it remembers which fills were delivered (by
//! `trade_id` and `order_id`), and after a reconnection it names the [`GetFills`] request that
//! covers the time the stream was away (from the last fill seen, or from when the watch began,
//! minus a slack for the two clocks). Every fill, from the stream or from REST, is delivered
//! the first time it is seen and never again. The transports' stream clients drive it: the
//! caller gets the stream's fills as usual and the missed ones as one batch after
//! reconnecting.
//!
//! ```
//! use kalshi_core::stream::fills::FillLedger;
//! use kalshi_core::portfolio::GetFillsResponse;
//!
//! let mut ledger = FillLedger::new(10_000);
//! ledger.start(1_765_000_000_000); // the fill channel is watched from now (Unix ms)
//! ledger.on_disconnected();
//! let request = ledger.backfill().expect("a gap to cover");
//! assert_eq!(request.min_ts, Some(1_765_000_000 - 5)); // seconds, with the slack
//!
//! // The answer (pages of it) goes back through the ledger: new fills only.
//! let page: GetFillsResponse = serde_json::from_str(r#"{"fills":[{"fill_id":"f-1","trade_id":"t-1",
//!     "order_id":"o-1","ticker":"KXFED-26DEC-T4.00","count_fp":"2.00","is_taker":true,
//!     "exchange_index":0}],"cursor":""}"#)?;
//! assert!(ledger.rest_fill(&page.fills[0]));
//! assert!(!ledger.rest_fill(&page.fills[0])); // already delivered
//! ledger.backfill_done();
//! assert!(ledger.backfill().is_none());
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::{HashSet, VecDeque};

use super::message::Fill;
use crate::portfolio::{self, GetFills};

/// Seconds taken off the start of a backfill window: the exchange's clock and ours may differ
/// (a fill stamped a little before the moment we think the gap began is still fetched; the
/// overlap is removed by the ledger).
pub const BACKFILL_SLACK_SECS: i64 = 5;

/// What tells two fills apart: the trade and the order (one trade fills two orders).
type FillKey = (String, String);

/// The fills delivered so far and the gap to backfill (see the [module docs](self)).
#[derive(Debug, Clone)]
pub struct FillLedger {
    seen: HashSet<FillKey>,
    /// Oldest first, to forget the oldest when full.
    order: VecDeque<FillKey>,
    capacity: usize,
    /// When the watch began (Unix ms), once started.
    started_ms: Option<i64>,
    /// The newest fill time seen (Unix ms).
    latest_ms: Option<i64>,
    /// The start of the gap not yet backfilled (Unix ms).
    gap_since_ms: Option<i64>,
}

impl FillLedger {
    /// A ledger that remembers the last `capacity` fills (at least 1): enough to cover the
    /// fills of one backfill window.
    pub fn new(capacity: usize) -> Self {
        FillLedger {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            started_ms: None,
            latest_ms: None,
            gap_since_ms: None,
        }
    }

    /// The fill channel is watched from `now_ms` (Unix ms, the caller's clock): the earliest
    /// time a backfill asks for. Later calls change nothing.
    pub fn start(&mut self, now_ms: i64) {
        self.started_ms.get_or_insert(now_ms);
    }

    /// True once [`start`](Self::start) was called.
    pub fn is_started(&self) -> bool {
        self.started_ms.is_some()
    }

    /// The connection was lost: the fills from the last one seen (or from the start) on must
    /// be backfilled. A gap not yet backfilled keeps its earlier start.
    pub fn on_disconnected(&mut self) {
        if let Some(started) = self.started_ms {
            self.gap_since_ms
                .get_or_insert(self.latest_ms.map_or(started, |l| l.max(started)));
        }
    }

    /// The request that covers the gap, if there is one to cover: every page of it goes
    /// through [`rest_fill`](Self::rest_fill), then [`backfill_done`](Self::backfill_done).
    /// If it fails, keep the gap: the next reconnection asks again from the same time.
    pub fn backfill(&self) -> Option<GetFills> {
        let since = self.gap_since_ms?;
        Some(GetFills::new().min_ts(since.div_euclid(1000) - BACKFILL_SLACK_SECS))
    }

    /// The gap is covered.
    pub fn backfill_done(&mut self) {
        self.gap_since_ms = None;
    }

    /// A fill pushed by the stream: true the first time it is seen.
    pub fn stream_fill(&mut self, fill: &Fill) -> bool {
        let ms = fill.ts_ms.or(fill.ts.map(|s| s.saturating_mul(1000)));
        self.first_sighting((fill.trade_id.clone(), fill.order_id.clone()), ms)
    }

    /// A fill from the REST fills endpoint: true the first time it is seen. Keyed by its
    /// `trade_id` (its `fill_id` when the trade is not given) and `order_id`.
    pub fn rest_fill(&mut self, fill: &portfolio::Fill) -> bool {
        let trade = fill
            .trade_id
            .clone()
            .unwrap_or_else(|| fill.fill_id.clone());
        let ms = fill
            .ts
            .map(|s| s.saturating_mul(1000))
            .or(fill.created_time.map(|t| t.as_millisecond()));
        self.first_sighting((trade, fill.order_id.clone()), ms)
    }

    fn first_sighting(&mut self, key: FillKey, ms: Option<i64>) -> bool {
        if let Some(ms) = ms {
            self.latest_ms = Some(self.latest_ms.map_or(ms, |l| l.max(ms)));
        }
        if !self.seen.insert(key.clone()) {
            return false;
        }
        self.order.push_back(key);
        if self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::message::{StreamMessage, parse};

    fn stream_fill(trade: &str, order: &str, ts_ms: i64) -> Fill {
        let frame = format!(
            r#"{{"type":"fill","sid":3,"msg":{{"trade_id":"{trade}","order_id":"{order}","market_ticker":"M",
            "is_taker":true,"yes_price_dollars":"0.5000","count_fp":"1.00","post_position_fp":"1.00","ts_ms":{ts_ms}}}}}"#
        );
        match parse(frame.as_bytes()).expect("a fill frame") {
            StreamMessage::Fill(d) => *d.msg,
            other => panic!("{other:?}"),
        }
    }

    fn rest_fill(fill_id: &str, trade: Option<&str>, order: &str, ts: i64) -> portfolio::Fill {
        let trade = trade.map_or(String::new(), |t| format!(r#""trade_id":"{t}","#));
        serde_json::from_str(&format!(
            r#"{{"fill_id":"{fill_id}",{trade}"order_id":"{order}","ticker":"M","count_fp":"1.00",
            "is_taker":false,"exchange_index":0,"ts":{ts}}}"#
        ))
        .expect("a REST fill")
    }

    #[test]
    fn each_fill_once_whichever_way_it_comes() {
        let mut l = FillLedger::new(100);
        assert!(l.backfill().is_none(), "not started: nothing to backfill");
        l.start(1_000_000);
        l.start(9_999_999); // the first start stays
        assert!(l.stream_fill(&stream_fill("t1", "o1", 2_000_000)));
        assert!(!l.stream_fill(&stream_fill("t1", "o1", 2_000_000)));
        // The same trade filling another order is another fill.
        assert!(l.stream_fill(&stream_fill("t1", "o2", 2_000_000)));
        l.on_disconnected();
        // From the last fill seen, in seconds, minus the slack.
        assert_eq!(
            l.backfill().unwrap().min_ts,
            Some(2_000 - BACKFILL_SLACK_SECS)
        );
        assert!(!l.rest_fill(&rest_fill("f1", Some("t1"), "o1", 2_000)));
        assert!(l.rest_fill(&rest_fill("f3", Some("t3"), "o1", 2_500)));
        // Without a trade id, the fill id.
        assert!(l.rest_fill(&rest_fill("f4", None, "o1", 2_600)));
        assert!(!l.stream_fill(&stream_fill("f4", "o1", 2_600_000)));
        l.backfill_done();
        assert!(l.backfill().is_none());
        // A second loss: from the newest fill seen (REST ones count).
        l.on_disconnected();
        assert_eq!(
            l.backfill().unwrap().min_ts,
            Some(2_600 - BACKFILL_SLACK_SECS)
        );
    }

    #[test]
    fn a_gap_not_backfilled_keeps_its_start() {
        let mut l = FillLedger::new(100);
        l.start(1_000_000);
        l.on_disconnected();
        // The backfill failed; fills arrive on the new connection, then it is lost again.
        assert!(l.stream_fill(&stream_fill("t9", "o9", 5_000_000)));
        l.on_disconnected();
        assert_eq!(
            l.backfill().unwrap().min_ts,
            Some(1_000 - BACKFILL_SLACK_SECS)
        );
    }

    #[test]
    fn remembers_the_last_capacity_fills() {
        let mut l = FillLedger::new(2);
        assert!(l.stream_fill(&stream_fill("a", "o", 1)));
        assert!(l.stream_fill(&stream_fill("b", "o", 2)));
        assert!(l.stream_fill(&stream_fill("c", "o", 3)));
        assert!(!l.stream_fill(&stream_fill("c", "o", 3)));
        assert!(!l.stream_fill(&stream_fill("b", "o", 2)));
        assert!(
            l.stream_fill(&stream_fill("a", "o", 1)),
            "forgotten: the oldest"
        );
    }
}
