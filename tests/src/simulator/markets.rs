//! Binary markets and their order books.
//!
//! Each market has one price-time-priority book in the V2 single-book shape: `bid` levels buy
//! YES at a price, `ask` levels sell YES at a price (economically: buy NO at `1 - price`).
//! Prices are integer ten-thousandths of a dollar, counts integer hundredths of a contract.

use std::collections::{BTreeMap, VecDeque};

/// The first of the default markets, on exchange shard 0 with a one-cent tick.
pub const DEFAULT_MARKET: &str = "KXTEST-26DEC31-T50";

/// The markets [`SimulatorConfig::default()`](super::SimulatorConfig::default) lists:
/// two one-cent-tick markets of the event `KXTEST-26DEC31` and one sub-penny market
/// (tick $0.0001) of the event `KXSUBPENNY-26DEC31`, all on exchange shard 0.
pub const DEFAULT_MARKETS: [&str; 3] = [
    DEFAULT_MARKET,
    "KXTEST-26DEC31-T60",
    "KXSUBPENNY-26DEC31-T50",
];

/// When a market opens by default: 2020-01-01T00:00:00Z (also its default creation time), in
/// milliseconds since the epoch. Early enough for any test clock.
pub const DEFAULT_OPEN_TIME_MS: u64 = 1_577_836_800_000;

/// When a market closes by default: 2100-01-01T00:00:00Z (also its default latest expiration
/// time), in milliseconds since the epoch.
pub const DEFAULT_CLOSE_TIME_MS: u64 = 4_102_444_800_000;

/// A market's lifecycle status, as `GET /markets` reports it.
///
/// The configured status ([`MarketConfig::status`], [`Simulator::set_market_status`]) is
/// combined with the exchange clock: a market whose `close_time` has passed reports
/// [`Closed`](Self::Closed) (unless it is already past closing: determined, disputed, amended
/// or finalized), and an [`Active`](Self::Active) or [`Initialized`](Self::Initialized) one
/// before its `open_time` reports [`Initialized`](Self::Initialized). Only an active market
/// takes orders.
///
/// [`Simulator::set_market_status`]: super::Simulator::set_market_status
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MarketStatus {
    /// Created, not yet open (`unopened` in filters).
    Initialized,
    /// Open for trading (`open` in filters).
    #[default]
    Active,
    /// Deactivated by the exchange: no new orders, cancels allowed (`paused` in filters).
    Inactive,
    /// Past its close: every order operation is refused (`closed` in filters).
    Closed,
    /// Result known (`closed` in filters).
    Determined,
    /// Result challenged (`closed` in filters).
    Disputed,
    /// Re-determined after a dispute (`closed` in filters).
    Amended,
    /// Settled (`settled` in filters).
    Finalized,
}

impl MarketStatus {
    /// Every status.
    pub const ALL: [MarketStatus; 8] = [
        MarketStatus::Initialized,
        MarketStatus::Active,
        MarketStatus::Inactive,
        MarketStatus::Closed,
        MarketStatus::Determined,
        MarketStatus::Disputed,
        MarketStatus::Amended,
        MarketStatus::Finalized,
    ];

    /// The API value (`"active"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            MarketStatus::Initialized => "initialized",
            MarketStatus::Active => "active",
            MarketStatus::Inactive => "inactive",
            MarketStatus::Closed => "closed",
            MarketStatus::Determined => "determined",
            MarketStatus::Disputed => "disputed",
            MarketStatus::Amended => "amended",
            MarketStatus::Finalized => "finalized",
        }
    }

    /// Reads an API value.
    pub fn parse(s: &str) -> Option<MarketStatus> {
        MarketStatus::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether the market is past its close (closed, determined, disputed, amended, finalized).
    pub(crate) fn is_past_close(self) -> bool {
        !matches!(
            self,
            MarketStatus::Initialized | MarketStatus::Active | MarketStatus::Inactive
        )
    }

    /// The `status` filter value of `GET /markets` and `GET /events` that matches it.
    pub(crate) fn filter_name(self) -> &'static str {
        match self {
            MarketStatus::Initialized => "unopened",
            MarketStatus::Active => "open",
            MarketStatus::Inactive => "paused",
            MarketStatus::Finalized => "settled",
            _ => "closed",
        }
    }
}

/// How a simulated market trades, and what the catalog endpoints say about it.
///
/// ```
/// use kalshi_simulator::{MarketConfig, MarketStatus};
/// let m = MarketConfig::new("KXRAIN-26JUN01-T2").tick_size(1).whole_contracts_only();
/// assert_eq!(m.event_ticker(), "KXRAIN-26JUN01");
/// assert_eq!(m.series_ticker(), "KXRAIN");
/// let m = MarketConfig::new("KXRAIN-26JUN01-T3")
///     .title("Will it rain more than 3 inches?")
///     .status(MarketStatus::Initialized)
///     .open_time_ms(1_790_000_000_000)
///     .close_time_ms(1_790_086_400_000);
/// assert_eq!(m.status, MarketStatus::Initialized);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MarketConfig {
    /// The market ticker.
    pub ticker: String,
    /// The price tick in ten-thousandths of a dollar (100 is one cent, 1 is $0.0001).
    pub tick_size: u32,
    /// The exchange shard the market lives on.
    pub exchange_index: u32,
    /// Whether order counts may have a fractional part (in hundredths).
    pub fractional: bool,
    /// The event, if not the one derived from the ticker (see [`event_ticker`](Self::event_ticker)).
    pub event: Option<String>,
    /// The configured lifecycle status (default [`MarketStatus::Active`]); see [`MarketStatus`]
    /// for how the clock changes what is reported.
    pub status: MarketStatus,
    /// `title` (default: empty).
    pub title: String,
    /// `subtitle` (default: empty).
    pub subtitle: String,
    /// `yes_sub_title` (default: empty).
    pub yes_sub_title: String,
    /// `no_sub_title` (default: empty).
    pub no_sub_title: String,
    /// `rules_primary` (default: empty).
    pub rules_primary: String,
    /// `rules_secondary` (default: empty).
    pub rules_secondary: String,
    /// `created_time`, ms since the epoch (default [`DEFAULT_OPEN_TIME_MS`]).
    pub created_ms: u64,
    /// `open_time`, ms since the epoch (default [`DEFAULT_OPEN_TIME_MS`]).
    pub open_ms: u64,
    /// `close_time`, ms since the epoch (default [`DEFAULT_CLOSE_TIME_MS`]).
    pub close_ms: u64,
    /// `latest_expiration_time` (and the deprecated `expiration_time`), ms since the epoch
    /// (default: the close time).
    pub latest_expiration_ms: Option<u64>,
    /// `expected_expiration_time`, ms since the epoch (default: none, `null`).
    pub expected_expiration_ms: Option<u64>,
    /// `can_close_early` (default `false`).
    pub can_close_early: bool,
}

impl MarketConfig {
    /// An active market with a one-cent tick on shard 0 that accepts fractional counts, open
    /// from [`DEFAULT_OPEN_TIME_MS`] to [`DEFAULT_CLOSE_TIME_MS`], in the event and series
    /// derived from its ticker.
    pub fn new(ticker: impl Into<String>) -> Self {
        MarketConfig {
            ticker: ticker.into(),
            tick_size: 100,
            exchange_index: 0,
            fractional: true,
            event: None,
            status: MarketStatus::Active,
            title: String::new(),
            subtitle: String::new(),
            yes_sub_title: String::new(),
            no_sub_title: String::new(),
            rules_primary: String::new(),
            rules_secondary: String::new(),
            created_ms: DEFAULT_OPEN_TIME_MS,
            open_ms: DEFAULT_OPEN_TIME_MS,
            close_ms: DEFAULT_CLOSE_TIME_MS,
            latest_expiration_ms: None,
            expected_expiration_ms: None,
            can_close_early: false,
        }
    }

    /// Sets the tick in ten-thousandths of a dollar (100: one cent; 1: $0.0001). Zero is
    /// taken as 1; values of 10,000 and more leave no valid price.
    pub fn tick_size(mut self, ten_thousandths: u32) -> Self {
        self.tick_size = ten_thousandths.max(1);
        self
    }

    /// Puts the market on exchange shard `index` (must be below the configured shard count).
    pub fn exchange_index(mut self, index: u32) -> Self {
        self.exchange_index = index;
        self
    }

    /// Refuses fractional counts (`"2.50"`) on this market.
    pub fn whole_contracts_only(mut self) -> Self {
        self.fractional = false;
        self
    }

    /// Puts the market in the event `event_ticker` instead of the one derived from its ticker.
    pub fn event(mut self, event_ticker: impl Into<String>) -> Self {
        self.event = Some(event_ticker.into());
        self
    }

    /// Sets the configured lifecycle status.
    pub fn status(mut self, status: MarketStatus) -> Self {
        self.status = status;
        self
    }

    /// Sets `title`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets `subtitle`.
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = subtitle.into();
        self
    }

    /// Sets `yes_sub_title` and `no_sub_title`.
    pub fn sub_titles(mut self, yes: impl Into<String>, no: impl Into<String>) -> Self {
        self.yes_sub_title = yes.into();
        self.no_sub_title = no.into();
        self
    }

    /// Sets `rules_primary` and `rules_secondary`.
    pub fn rules(mut self, primary: impl Into<String>, secondary: impl Into<String>) -> Self {
        self.rules_primary = primary.into();
        self.rules_secondary = secondary.into();
        self
    }

    /// Sets `created_time` (ms since the epoch).
    pub fn created_time_ms(mut self, ms: u64) -> Self {
        self.created_ms = ms;
        self
    }

    /// Sets `open_time` (ms since the epoch): before it the market is `initialized`.
    pub fn open_time_ms(mut self, ms: u64) -> Self {
        self.open_ms = ms;
        self
    }

    /// Sets `close_time` (ms since the epoch): from then on the market is `closed` and its
    /// resting orders are canceled.
    pub fn close_time_ms(mut self, ms: u64) -> Self {
        self.close_ms = ms;
        self
    }

    /// Sets `latest_expiration_time` (ms since the epoch).
    pub fn latest_expiration_time_ms(mut self, ms: u64) -> Self {
        self.latest_expiration_ms = Some(ms);
        self
    }

    /// Sets `expected_expiration_time` (ms since the epoch).
    pub fn expected_expiration_time_ms(mut self, ms: u64) -> Self {
        self.expected_expiration_ms = Some(ms);
        self
    }

    /// Sets `can_close_early`.
    pub fn can_close_early(mut self, can: bool) -> Self {
        self.can_close_early = can;
        self
    }

    /// The event ticker: the one set with [`event`](Self::event), else the market ticker up
    /// to its last `-` (the whole ticker if none).
    pub fn event_ticker(&self) -> &str {
        self.event
            .as_deref()
            .unwrap_or_else(|| event_of(&self.ticker))
    }

    /// The series ticker derived from the event ticker (up to its first `-`), used unless an
    /// [`EventConfig`](super::EventConfig) of the event names another.
    pub fn series_ticker(&self) -> &str {
        series_of(self.event_ticker())
    }

    /// The status reported at exchange time `now_ms` (see [`MarketStatus`]).
    pub(crate) fn status_at(&self, now_ms: u64) -> MarketStatus {
        if self.status.is_past_close() {
            self.status
        } else if now_ms >= self.close_ms {
            MarketStatus::Closed
        } else if now_ms < self.open_ms {
            MarketStatus::Initialized
        } else if self.status == MarketStatus::Initialized {
            MarketStatus::Active
        } else {
            self.status
        }
    }
}

impl From<&str> for MarketConfig {
    fn from(ticker: &str) -> Self {
        MarketConfig::new(ticker)
    }
}

impl From<String> for MarketConfig {
    fn from(ticker: String) -> Self {
        MarketConfig::new(ticker)
    }
}

/// The default market set (see [`DEFAULT_MARKETS`]).
pub(crate) fn default_markets() -> Vec<MarketConfig> {
    vec![
        MarketConfig::new(DEFAULT_MARKETS[0]),
        MarketConfig::new(DEFAULT_MARKETS[1]),
        MarketConfig::new(DEFAULT_MARKETS[2]).tick_size(1),
    ]
}

/// The event ticker of a market ticker.
pub(crate) fn event_of(ticker: &str) -> &str {
    ticker.rsplit_once('-').map_or(ticker, |(e, _)| e)
}

/// The series ticker of an event ticker (up to its first `-`).
pub(crate) fn series_of(event_ticker: &str) -> &str {
    event_ticker
        .split_once('-')
        .map_or(event_ticker, |(s, _)| s)
}

/// The best bid and best ask (ten-thousandths) of a book at one instant.
pub(crate) type Top = (Option<u32>, Option<u32>);

/// One price level: resting order ids in time priority.
pub(crate) type Level = VecDeque<String>;

/// A market and its book.
#[derive(Debug)]
pub(crate) struct Market {
    /// How it trades.
    pub(crate) cfg: MarketConfig,
    /// Buy-YES levels by price (best is the highest).
    pub(crate) bids: BTreeMap<u32, Level>,
    /// Sell-YES levels by price (best is the lowest).
    pub(crate) asks: BTreeMap<u32, Level>,
    /// Every change of the top of the book: (exchange ms, best bid, best ask), oldest first.
    pub(crate) quotes: Vec<(u64, Top)>,
    /// Exchange time of the last change of the market's record (listing, status).
    pub(crate) updated_ms: u64,
    /// Whether the resting orders were canceled since the market last closed.
    pub(crate) swept: bool,
}

impl Market {
    /// An empty book.
    pub(crate) fn new(cfg: MarketConfig) -> Self {
        Market {
            updated_ms: cfg.created_ms,
            cfg,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            quotes: Vec::new(),
            swept: false,
        }
    }

    /// The best bid and best ask now.
    pub(crate) fn top(&self) -> Top {
        (
            self.bids.keys().next_back().copied(),
            self.asks.keys().next().copied(),
        )
    }

    /// The top of the book as it was at `ms` (the last change at or before it).
    pub(crate) fn top_at(&self, ms: u64) -> Top {
        let i = self.quotes.partition_point(|(t, _)| *t <= ms);
        i.checked_sub(1).map_or((None, None), |i| self.quotes[i].1)
    }

    /// Records the top of the book at `now_ms` if it changed.
    pub(crate) fn note_quote(&mut self, now_ms: u64) {
        let top = self.top();
        if self.quotes.last().map_or((None, None), |q| q.1) != top {
            // Kept in time order even if the exchange clock moves backwards.
            let at = self.quotes.last().map_or(now_ms, |q| q.0.max(now_ms));
            self.quotes.push((at, top));
        }
    }

    /// The levels of one side.
    pub(crate) fn side_mut(&mut self, bid: bool) -> &mut BTreeMap<u32, Level> {
        if bid { &mut self.bids } else { &mut self.asks }
    }

    /// Removes `order_id` from its level (dropping the level when it empties).
    pub(crate) fn remove(&mut self, bid: bool, price: u32, order_id: &str) {
        let side = self.side_mut(bid);
        if let Some(level) = side.get_mut(&price) {
            level.retain(|id| id != order_id);
            if level.is_empty() {
                side.remove(&price);
            }
        }
    }

    /// Appends `order_id` to the back of its level.
    pub(crate) fn push(&mut self, bid: bool, price: u32, order_id: String) {
        self.side_mut(bid)
            .entry(price)
            .or_default()
            .push_back(order_id);
    }

    /// The best opposite level a taker on `bid` side at `limit` crosses, if any.
    pub(crate) fn best_crossing(&self, taker_bid: bool, limit: u32) -> Option<u32> {
        if taker_bid {
            self.asks.keys().next().copied().filter(|p| *p <= limit)
        } else {
            self.bids
                .keys()
                .next_back()
                .copied()
                .filter(|p| *p >= limit)
        }
    }

    /// The opposite levels a taker on `bid` side at `limit` crosses, best first.
    pub(crate) fn crossing_levels(&self, taker_bid: bool, limit: u32) -> Vec<(u32, &Level)> {
        if taker_bid {
            self.asks.range(..=limit).map(|(p, l)| (*p, l)).collect()
        } else {
            self.bids
                .range(limit..)
                .rev()
                .map(|(p, l)| (*p, l))
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_builders() {
        let m = MarketConfig::new("A-B-C")
            .tick_size(0)
            .exchange_index(2)
            .whole_contracts_only();
        assert_eq!(m.tick_size, 1);
        assert_eq!(m.exchange_index, 2);
        assert!(!m.fractional);
        assert_eq!(m.event_ticker(), "A-B");
        assert_eq!(event_of("PLAIN"), "PLAIN");
        assert_eq!(MarketConfig::from("X-1"), MarketConfig::new("X-1"));
        let d = default_markets();
        assert_eq!(d.len(), 3);
        assert_eq!(d[2].tick_size, 1);
    }

    #[test]
    fn status_follows_the_clock() {
        let m = MarketConfig::new("E-1")
            .open_time_ms(1_000)
            .close_time_ms(2_000);
        assert_eq!(m.status_at(999), MarketStatus::Initialized);
        assert_eq!(m.status_at(1_000), MarketStatus::Active);
        assert_eq!(m.status_at(2_000), MarketStatus::Closed);
        let paused = m.clone().status(MarketStatus::Inactive);
        assert_eq!(paused.status_at(1_500), MarketStatus::Inactive);
        assert_eq!(paused.status_at(999), MarketStatus::Initialized);
        assert_eq!(paused.status_at(2_500), MarketStatus::Closed);
        let waiting = m.clone().status(MarketStatus::Initialized);
        assert_eq!(waiting.status_at(1_500), MarketStatus::Active);
        let settled = m.status(MarketStatus::Finalized);
        assert_eq!(settled.status_at(0), MarketStatus::Finalized);
        for s in MarketStatus::ALL {
            assert_eq!(MarketStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(MarketStatus::parse("open"), None);
        assert_eq!(MarketStatus::Disputed.filter_name(), "closed");
        let d = MarketConfig::new("KXA-B-C");
        assert_eq!((d.event_ticker(), d.series_ticker()), ("KXA-B", "KXA"));
        let moved = d.event("OTHER-EVENT");
        assert_eq!(
            (moved.event_ticker(), moved.series_ticker()),
            ("OTHER-EVENT", "OTHER")
        );
        assert_eq!(series_of("PLAIN"), "PLAIN");
    }

    #[test]
    fn quotes_keep_time_order() {
        let mut m = Market::new(MarketConfig::new("T"));
        m.note_quote(10);
        assert!(
            m.quotes.is_empty(),
            "an empty book at the start is not a change"
        );
        m.push(true, 5000, "a".into());
        m.note_quote(20);
        m.note_quote(25);
        m.push(false, 6000, "b".into());
        m.note_quote(15); // the clock moved back: kept after the last change
        assert_eq!(
            m.quotes,
            [(20, (Some(5000), None)), (20, (Some(5000), Some(6000)))]
        );
        assert_eq!(m.top_at(19), (None, None));
        assert_eq!(m.top_at(20), (Some(5000), Some(6000)));
    }

    #[test]
    fn book_levels() {
        let mut m = Market::new(MarketConfig::new("T"));
        m.push(true, 5000, "a".into());
        m.push(true, 5100, "b".into());
        m.push(false, 5300, "c".into());
        m.push(false, 5200, "d".into());
        assert_eq!(m.best_crossing(true, 5200), Some(5200));
        assert_eq!(m.best_crossing(true, 5199), None);
        assert_eq!(m.best_crossing(false, 5100), Some(5100));
        assert_eq!(m.best_crossing(false, 5101), None);
        let prices: Vec<u32> = m.crossing_levels(false, 4000).iter().map(|l| l.0).collect();
        assert_eq!(prices, [5100, 5000]);
        m.remove(true, 5100, "b");
        assert!(!m.bids.contains_key(&5100));
        m.remove(true, 4242, "zz");
    }
}
