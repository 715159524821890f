//! The `market_positions` channel's message: `market_position` (the key's own positions).

use serde::{Deserialize, Serialize};

use crate::{FixedPointCount, FixedPointDollars};

/// `market_position`: your position in a market changed (a trade, a settlement, ...).
///
/// The integer money fields `position_cost`, `realized_pnl`, `fees_paid`,
/// `position_fee_cost` are in centi-cents (1/10,000 of a dollar); the changelog removed them
/// (April 2026) in favour of "the `_dollars` equivalents", which the AsyncAPI does not list: they
/// are read here under the names the API's convention gives them (`position_cost_dollars`, ...),
/// all `Option`. The legacy integer `position` and `volume` were removed with the fixed-point
/// migration and are `None` when absent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct MarketPosition {
    /// The user the position belongs to.
    pub user_id: String,
    /// The market.
    pub market_ticker: String,
    /// The net position (positive long YES, negative long NO).
    pub position_fp: FixedPointCount,
    /// Total contracts traded in the market.
    pub volume_fp: FixedPointCount,
    /// The position's cost basis, in dollars.
    #[serde(default)]
    pub position_cost_dollars: Option<FixedPointDollars>,
    /// Realized profit and loss, in dollars.
    #[serde(default)]
    pub realized_pnl_dollars: Option<FixedPointDollars>,
    /// Total fees paid, in dollars.
    #[serde(default)]
    pub fees_paid_dollars: Option<FixedPointDollars>,
    /// Total position fee cost, in dollars.
    #[serde(default)]
    pub position_fee_cost_dollars: Option<FixedPointDollars>,
    /// The subaccount, when not the primary account.
    #[serde(default)]
    pub subaccount: Option<u32>,
    /// Legacy: the net position, as an integer.
    #[serde(default)]
    pub position: Option<i64>,
    /// Legacy: the cost basis in centi-cents.
    #[serde(default)]
    pub position_cost: Option<i64>,
    /// Legacy: realized profit and loss in centi-cents.
    #[serde(default)]
    pub realized_pnl: Option<i64>,
    /// Legacy: total fees paid in centi-cents.
    #[serde(default)]
    pub fees_paid: Option<i64>,
    /// Legacy: total position fee cost in centi-cents.
    #[serde(default)]
    pub position_fee_cost: Option<i64>,
    /// Legacy: total contracts traded, as an integer.
    #[serde(default)]
    pub volume: Option<i64>,
}
