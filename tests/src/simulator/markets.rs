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

/// How a simulated market trades.
///
/// ```
/// use kalshi_simulator::MarketConfig;
/// let m = MarketConfig::new("KXRAIN-26JUN01-T2").tick_size(1).whole_contracts_only();
/// assert_eq!(m.event_ticker(), "KXRAIN-26JUN01");
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
}

impl MarketConfig {
    /// A market with a one-cent tick on shard 0 that accepts fractional counts.
    pub fn new(ticker: impl Into<String>) -> Self {
        MarketConfig {
            ticker: ticker.into(),
            tick_size: 100,
            exchange_index: 0,
            fractional: true,
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

    /// The event ticker: the market ticker up to its last `-` (the whole ticker if none).
    pub fn event_ticker(&self) -> &str {
        event_of(&self.ticker)
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
}

impl Market {
    /// An empty book.
    pub(crate) fn new(cfg: MarketConfig) -> Self {
        Market {
            cfg,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
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
