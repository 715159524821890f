//! The `user_orders` channel's message: `user_order` (the key's own orders).

use serde::{Deserialize, Serialize};

use crate::enums::{BookSide, OrderStatus, OutcomeSide, SelfTradePreventionType};
use crate::serde_util::opt_time;
use crate::{FixedPointCount, FixedPointDollars};

/// `user_order`: one of your orders was created or changed (filled, canceled, amended, ...).
///
/// `side` and `is_yes` are deprecated for `outcome_side` / `book_side`; the RFC 3339 times for
/// the `_ts_ms` fields. Fields the newest docs mark required but their own example omits
/// (`outcome_side`, `book_side`, the fees, `created_ts_ms`) are `Option`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct UserOrder {
    /// The order's id.
    pub order_id: String,
    /// The user the order belongs to.
    pub user_id: String,
    /// The market.
    pub ticker: String,
    /// The order's status now.
    pub status: OrderStatus,
    /// Deprecated: the order's side (use `outcome_side`).
    #[serde(default)]
    pub side: Option<OutcomeSide>,
    /// Deprecated: true for a YES order (use `outcome_side`).
    #[serde(default)]
    pub is_yes: Option<bool>,
    /// The outcome the order positions you for (buy-yes and sell-no are `yes`).
    #[serde(default)]
    pub outcome_side: Option<OutcomeSide>,
    /// The same direction in book words (`bid` is `yes`, `ask` is `no`).
    #[serde(default)]
    pub book_side: Option<BookSide>,
    /// The YES price, in dollars.
    pub yes_price_dollars: FixedPointDollars,
    /// Contracts filled.
    pub fill_count_fp: FixedPointCount,
    /// Contracts still resting.
    pub remaining_count_fp: FixedPointCount,
    /// Contracts ordered.
    pub initial_count_fp: FixedPointCount,
    /// Cost of the taker fills, in dollars.
    pub taker_fill_cost_dollars: FixedPointDollars,
    /// Cost of the maker fills, in dollars.
    pub maker_fill_cost_dollars: FixedPointDollars,
    /// Taker fees, in dollars.
    #[serde(default)]
    pub taker_fees_dollars: Option<FixedPointDollars>,
    /// Maker fees, in dollars.
    #[serde(default)]
    pub maker_fees_dollars: Option<FixedPointDollars>,
    /// Your id for the order.
    pub client_order_id: String,
    /// The order group, if the order is in one.
    #[serde(default)]
    pub order_group_id: Option<String>,
    /// The order's self-trade prevention.
    #[serde(default)]
    pub self_trade_prevention_type: Option<SelfTradePreventionType>,
    /// Deprecated: when the order was created (use `created_ts_ms`).
    #[serde(default, deserialize_with = "opt_time")]
    pub created_time: Option<jiff::Timestamp>,
    /// When the order was created, Unix milliseconds.
    #[serde(default)]
    pub created_ts_ms: Option<i64>,
    /// Deprecated: when the order last changed (use `last_updated_ts_ms`).
    #[serde(default, deserialize_with = "opt_time")]
    pub last_update_time: Option<jiff::Timestamp>,
    /// When the order last changed, Unix milliseconds.
    #[serde(default)]
    pub last_updated_ts_ms: Option<i64>,
    /// Deprecated: when the order expires (use `expiration_ts_ms`).
    #[serde(default, deserialize_with = "opt_time")]
    pub expiration_time: Option<jiff::Timestamp>,
    /// When the order expires, Unix milliseconds.
    #[serde(default)]
    pub expiration_ts_ms: Option<i64>,
    /// The subaccount (0 for the primary account).
    #[serde(default)]
    pub subaccount_number: Option<u32>,
}
