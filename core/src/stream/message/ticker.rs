//! The `ticker` channel's message: `ticker`.

use serde::{Deserialize, Serialize};

use crate::{FixedPointCount, FixedPointDollars};

/// `ticker`: a market's last price, best YES bid and ask with their sizes, volume and open
/// interest, sent whenever one of them changes.
///
/// The legacy integer fields (`price`, `yes_bid`, `yes_ask` in cents, `volume`,
/// `open_interest` in contracts, `dollar_volume`, `dollar_open_interest` in whole dollars) were
/// removed from the wire in March 2026 and are `None` when absent; the `_dollars` and `_fp`
/// fields replace them. `ts` and `time` are deprecated for `ts_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Ticker {
    /// The market.
    pub market_ticker: String,
    /// The market's UUID.
    #[serde(default)]
    pub market_id: Option<String>,
    /// Last traded price, in dollars.
    pub price_dollars: FixedPointDollars,
    /// Best bid for YES, in dollars.
    pub yes_bid_dollars: FixedPointDollars,
    /// Best ask for YES, in dollars.
    pub yes_ask_dollars: FixedPointDollars,
    /// Contracts resting at the best YES bid.
    #[serde(default)]
    pub yes_bid_size_fp: Option<FixedPointCount>,
    /// Contracts resting at the best YES ask.
    #[serde(default)]
    pub yes_ask_size_fp: Option<FixedPointCount>,
    /// Contracts in the most recent trade.
    #[serde(default)]
    pub last_trade_size_fp: Option<FixedPointCount>,
    /// Contracts traded on the market so far (YES and NO count separately).
    pub volume_fp: FixedPointCount,
    /// Contracts open in the market now.
    pub open_interest_fp: FixedPointCount,
    /// Legacy: last traded price in cents.
    #[serde(default)]
    pub price: Option<i64>,
    /// Legacy: best YES bid in cents.
    #[serde(default)]
    pub yes_bid: Option<i64>,
    /// Legacy: best YES ask in cents.
    #[serde(default)]
    pub yes_ask: Option<i64>,
    /// Legacy: contracts traded, as an integer.
    #[serde(default)]
    pub volume: Option<i64>,
    /// Legacy: open interest, as an integer.
    #[serde(default)]
    pub open_interest: Option<i64>,
    /// Legacy: whole dollars traded on the market so far.
    #[serde(default)]
    pub dollar_volume: Option<i64>,
    /// Legacy: whole dollars positioned in the market now.
    #[serde(default)]
    pub dollar_open_interest: Option<i64>,
    /// Deprecated: when the update happened, Unix seconds (use `ts_ms`).
    #[serde(default)]
    pub ts: Option<i64>,
    /// When the update happened, Unix milliseconds.
    #[serde(default)]
    pub ts_ms: Option<i64>,
    /// Deprecated: when the update happened, RFC 3339 (high precision; use `ts_ms`).
    #[serde(default, deserialize_with = "crate::serde_util::opt_time")]
    pub time: Option<jiff::Timestamp>,
}
