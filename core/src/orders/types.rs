//! The order record returned by the read endpoints.

use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::enums::{
    Action, BookSide, OrderStatus, OrderType, OutcomeSide, SelfTradePreventionType,
};
use crate::serde_util::opt_time;
use crate::{FixedPointCount, FixedPointDollars};

/// An order as the exchange reports it (`Order`). Unknown fields are ignored; unknown enum
/// values are kept.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Order {
    /// The exchange's order id.
    pub order_id: String,
    /// The owning user.
    #[serde(default)]
    pub user_id: String,
    /// The client order id given (or generated) at creation.
    #[serde(default)]
    pub client_order_id: String,
    /// The market ticker.
    pub ticker: String,
    /// The outcome the order is positioned for.
    #[serde(default)]
    pub outcome_side: Option<OutcomeSide>,
    /// The book side (`bid` = YES, `ask` = NO).
    #[serde(default)]
    pub book_side: Option<BookSide>,
    /// Deprecated: use `outcome_side`.
    #[serde(default)]
    pub side: Option<OutcomeSide>,
    /// Deprecated: use `outcome_side` / `book_side`.
    #[serde(default)]
    pub action: Option<Action>,
    /// Limit or market.
    #[serde(rename = "type", default)]
    pub order_type: Option<OrderType>,
    /// Resting, canceled, executed, or a newer status.
    pub status: OrderStatus,
    /// The YES price.
    #[serde(default)]
    pub yes_price_dollars: Option<FixedPointDollars>,
    /// The NO price.
    #[serde(default)]
    pub no_price_dollars: Option<FixedPointDollars>,
    /// Contracts filled.
    #[serde(default)]
    pub fill_count_fp: FixedPointCount,
    /// Contracts still resting.
    #[serde(default)]
    pub remaining_count_fp: FixedPointCount,
    /// The order's initial size.
    #[serde(default)]
    pub initial_count_fp: FixedPointCount,
    /// Cost of taker fills.
    #[serde(default)]
    pub taker_fill_cost_dollars: Option<FixedPointDollars>,
    /// Cost of maker fills.
    #[serde(default)]
    pub maker_fill_cost_dollars: Option<FixedPointDollars>,
    /// Fees on taker fills.
    #[serde(default)]
    pub taker_fees_dollars: Option<FixedPointDollars>,
    /// Fees on maker fills.
    #[serde(default)]
    pub maker_fees_dollars: Option<FixedPointDollars>,
    /// When the order expires, if it does.
    #[serde(default, deserialize_with = "opt_time")]
    pub expiration_time: Option<jiff::Timestamp>,
    /// When the order was created.
    #[serde(default, deserialize_with = "opt_time")]
    pub created_time: Option<jiff::Timestamp>,
    /// The last modification, cancel or fill.
    #[serde(default, deserialize_with = "opt_time")]
    pub last_update_time: Option<jiff::Timestamp>,
    /// Self-trade prevention in force.
    #[serde(default)]
    pub self_trade_prevention_type: Option<SelfTradePreventionType>,
    /// The order group the order belongs to.
    #[serde(default)]
    pub order_group_id: Option<String>,
    /// Whether the order is canceled when trading pauses.
    #[serde(default)]
    pub cancel_order_on_pause: bool,
    /// The owning subaccount.
    #[serde(default)]
    pub subaccount_number: Option<u32>,
    /// The exchange shard.
    #[serde(default)]
    pub exchange_index: Option<ExchangeIndex>,
}
