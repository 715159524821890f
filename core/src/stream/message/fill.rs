//! The `fill` channel's message: `fill` (the key's own fills).

use serde::{Deserialize, Serialize};

use crate::enums::{Action, BookSide, OutcomeSide};
use crate::{ExchangeIndex, FixedPointCount, FixedPointDollars};

/// `fill`: one of your orders was filled.
///
/// `side`, `action` and `purchased_side` are deprecated for `outcome_side` / `book_side`; `ts`
/// for `ts_ms`. Fields the newest docs mark required but their own example omits
/// (`exchange_index`, `fee_cost`, `outcome_side`, `book_side`, `ts_ms`) are `Option`. The legacy
/// integer `yes_price` (cents), `count` and `post_position` were removed from the wire in
/// March 2026 and are `None` when absent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Fill {
    /// The fill's id (`trade_id`): what tells fills apart.
    pub trade_id: String,
    /// The order that was filled.
    pub order_id: String,
    /// The market.
    pub market_ticker: String,
    /// The exchange shard where the fill happened.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
    /// True if you were the taker.
    pub is_taker: bool,
    /// Deprecated: the side of your fill (use `outcome_side`).
    #[serde(default)]
    pub side: Option<OutcomeSide>,
    /// The YES price of the fill, in dollars.
    pub yes_price_dollars: FixedPointDollars,
    /// Contracts filled.
    pub count_fp: FixedPointCount,
    /// The exchange fee for this fill, in dollars.
    #[serde(default)]
    pub fee_cost: Option<FixedPointDollars>,
    /// Deprecated: the order's action (use `outcome_side`).
    #[serde(default)]
    pub action: Option<Action>,
    /// Your position in the market after the fill.
    pub post_position_fp: FixedPointCount,
    /// Deprecated: the side of the contracts bought (a sell of NO is `yes`; use `outcome_side`).
    #[serde(default)]
    pub purchased_side: Option<OutcomeSide>,
    /// The outcome you are positioned for by this fill (buy-yes and sell-no are `yes`).
    #[serde(default)]
    pub outcome_side: Option<OutcomeSide>,
    /// The same direction in book words (`bid` is `yes`, `ask` is `no`).
    #[serde(default)]
    pub book_side: Option<BookSide>,
    /// Your order's `client_order_id`, if it had one.
    #[serde(default)]
    pub client_order_id: Option<String>,
    /// The subaccount of the order, when not the primary account.
    #[serde(default)]
    pub subaccount: Option<u32>,
    /// Legacy: the YES price in cents.
    #[serde(default)]
    pub yes_price: Option<i64>,
    /// Legacy: contracts filled, as an integer.
    #[serde(default)]
    pub count: Option<i64>,
    /// Legacy: the position after the fill, as an integer.
    #[serde(default)]
    pub post_position: Option<i64>,
    /// Deprecated: when the fill happened, Unix seconds (use `ts_ms`).
    #[serde(default)]
    pub ts: Option<i64>,
    /// When the fill happened, Unix milliseconds.
    #[serde(default)]
    pub ts_ms: Option<i64>,
}
