//! The `trade` channel's message: `trade`.

use serde::{Deserialize, Serialize};

use crate::enums::{BookSide, OutcomeSide};
use crate::{FixedPointCount, FixedPointDollars};

/// `trade`: a public trade on a market.
///
/// `taker_side` is deprecated for `taker_outcome_side` / `taker_book_side` (the same bit in two
/// vocabularies); `ts` for `ts_ms`. The legacy integer `yes_price`, `no_price` (cents) and `count`
/// were removed from the wire in March 2026 and are `None` when absent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Trade {
    /// The trade's id.
    pub trade_id: String,
    /// The market.
    pub market_ticker: String,
    /// The YES price, in dollars.
    pub yes_price_dollars: FixedPointDollars,
    /// The NO price, in dollars.
    pub no_price_dollars: FixedPointDollars,
    /// Contracts traded.
    pub count_fp: FixedPointCount,
    /// Deprecated: the taker's side (use `taker_outcome_side`).
    #[serde(default)]
    pub taker_side: Option<OutcomeSide>,
    /// The outcome the taker is positioned for (buy-yes and sell-no are `yes`).
    #[serde(default)]
    pub taker_outcome_side: Option<OutcomeSide>,
    /// The same direction in book words (`bid` is `yes`, `ask` is `no`).
    #[serde(default)]
    pub taker_book_side: Option<BookSide>,
    /// True for a block trade, matched off the book.
    #[serde(default)]
    pub is_block_trade: Option<bool>,
    /// Legacy: the YES price in cents.
    #[serde(default)]
    pub yes_price: Option<i64>,
    /// Legacy: the NO price in cents.
    #[serde(default)]
    pub no_price: Option<i64>,
    /// Legacy: contracts traded, as an integer.
    #[serde(default)]
    pub count: Option<i64>,
    /// Deprecated: when the trade happened, Unix seconds (use `ts_ms`).
    #[serde(default)]
    pub ts: Option<i64>,
    /// When the trade happened, Unix milliseconds.
    #[serde(default)]
    pub ts_ms: Option<i64>,
}
