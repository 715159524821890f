//! The order book channel's messages: `orderbook_snapshot` and `orderbook_delta`.

use serde::{Deserialize, Serialize};

use crate::enums::OutcomeSide;
use crate::market::PriceLevel;
use crate::{FixedPointCount, FixedPointDollars};

/// `orderbook_snapshot`: a market's whole book, bids for YES and bids for NO, prices in
/// dollars and counts in fixed point. A side with no bids is absent on the wire (empty here).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrderbookSnapshot {
    /// The market.
    pub market_ticker: String,
    /// The market's UUID.
    #[serde(default)]
    pub market_id: Option<String>,
    /// Bids for YES (`yes_dollars_fp`), `[price, count]` pairs as sent.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_empty")]
    pub yes_dollars_fp: Vec<PriceLevel>,
    /// Bids for NO (`no_dollars_fp`), `[price, count]` pairs as sent.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_empty")]
    pub no_dollars_fp: Vec<PriceLevel>,
}

/// `orderbook_delta`: the count resting at one price of one side changed by `delta_fp`
/// (positive: contracts added; negative: removed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct OrderbookDelta {
    /// The market.
    pub market_ticker: String,
    /// The market's UUID.
    #[serde(default)]
    pub market_id: Option<String>,
    /// The price level (`price_dollars`).
    pub price_dollars: FixedPointDollars,
    /// The change in contracts (`delta_fp`).
    pub delta_fp: FixedPointCount,
    /// The side whose bids changed.
    pub side: OutcomeSide,
    /// Your order's `client_order_id`, when your order caused the change.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// Your order's subaccount, when your order caused the change.
    #[serde(default)]
    pub subaccount: Option<u32>,
    /// When the change was recorded (deprecated for `ts_ms`).
    #[serde(default, deserialize_with = "crate::serde_util::opt_time")]
    pub ts: Option<jiff::Timestamp>,
    /// When the change was recorded, Unix milliseconds.
    #[serde(default)]
    pub ts_ms: Option<i64>,
}
