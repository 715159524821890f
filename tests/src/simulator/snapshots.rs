//! Copies of the exchange's state for tests to inspect (see the hooks on
//! [`Simulator`](super::Simulator)). Counts are two-decimal strings (`"10.00"`), prices
//! four-decimal dollar strings (`"0.5600"`), like the API.

use super::engine::{Fill, Order};
use super::fixed_point::{dollars, signed_count_fp};
use super::market_data::Trade;
use super::portfolio::Position;
use super::state::Exchange;

/// One order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrderSnapshot {
    /// The exchange's order id.
    pub order_id: String,
    /// The client order id, if one was given.
    pub client_order_id: Option<String>,
    /// The owning subaccount.
    pub subaccount: u8,
    /// The market.
    pub ticker: String,
    /// `bid` or `ask`.
    pub side: String,
    /// The (YES) limit price.
    pub price_dollars: String,
    /// `resting`, `canceled` or `executed`.
    pub status: String,
    /// `good_till_canceled`, `immediate_or_cancel` or `fill_or_kill`.
    pub time_in_force: String,
    /// Whether the order was placed post-only (the API's `Order` does not show it).
    pub post_only: bool,
    /// Whether the order was placed reduce-only (the API's `Order` does not show it).
    pub reduce_only: bool,
    /// The size at creation.
    pub initial_count_fp: String,
    /// Contracts filled.
    pub fill_count_fp: String,
    /// Contracts still resting.
    pub remaining_count_fp: String,
    /// The order group, if any.
    pub order_group_id: Option<String>,
    /// Exchange time of creation, ms.
    pub created_ms: u64,
}

impl OrderSnapshot {
    pub(crate) fn of(o: &Order) -> Self {
        OrderSnapshot {
            order_id: o.id.clone(),
            client_order_id: o.client_order_id.clone(),
            subaccount: o.sub.get(),
            ticker: o.ticker.clone(),
            side: o.side.as_str().to_owned(),
            price_dollars: o.price.to_dollars(),
            status: o.status.as_str().to_owned(),
            time_in_force: o.tif.as_str().to_owned(),
            post_only: o.post_only,
            reduce_only: o.reduce_only,
            initial_count_fp: o.initial.to_fp(),
            fill_count_fp: o.filled.to_fp(),
            remaining_count_fp: o.remaining.to_fp(),
            order_group_id: o.order_group_id.clone(),
            created_ms: o.created_ms,
        }
    }
}

/// One fill (one side of one trade).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FillSnapshot {
    /// The fill id.
    pub fill_id: String,
    /// The order that filled.
    pub order_id: String,
    /// The owning subaccount.
    pub subaccount: u8,
    /// The market.
    pub ticker: String,
    /// The order's side, `bid` or `ask`.
    pub side: String,
    /// The trade's YES price.
    pub price_dollars: String,
    /// Contracts.
    pub count_fp: String,
    /// Whether this side took liquidity.
    pub is_taker: bool,
    /// Exchange time, ms.
    pub ts_ms: u64,
}

impl FillSnapshot {
    pub(crate) fn of(f: &Fill) -> Self {
        FillSnapshot {
            fill_id: f.id.clone(),
            order_id: f.order_id.clone(),
            subaccount: f.sub.get(),
            ticker: f.ticker.clone(),
            side: f.side.as_str().to_owned(),
            price_dollars: f.price.to_dollars(),
            count_fp: f.count.to_fp(),
            is_taker: f.is_taker,
            ts_ms: f.ts_ms,
        }
    }
}

/// One subaccount's position in one market.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PositionSnapshot {
    /// The subaccount.
    pub subaccount: u8,
    /// The market.
    pub ticker: String,
    /// YES minus NO contracts (`"-3.00"` is 3 NO).
    pub position_fp: String,
    /// Everything paid for fills in the market.
    pub total_traded_dollars: String,
    /// Cost basis of what is held.
    pub market_exposure_dollars: String,
    /// Realized profit and loss.
    pub realized_pnl_dollars: String,
}

impl PositionSnapshot {
    pub(crate) fn of(sub: u8, ticker: &str, p: &Position) -> Self {
        PositionSnapshot {
            subaccount: sub,
            ticker: ticker.to_owned(),
            position_fp: signed_count_fp(p.net()),
            total_traded_dollars: dollars(p.traded_cost),
            market_exposure_dollars: dollars(p.exposure()),
            realized_pnl_dollars: dollars(p.realized),
        }
    }
}

/// One side of a market's book, best level first: (price, contracts resting) pairs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BookSnapshot {
    /// Buy-YES levels, highest price first.
    pub bids: Vec<(String, String)>,
    /// Sell-YES levels, lowest price first.
    pub asks: Vec<(String, String)>,
}

impl BookSnapshot {
    pub(crate) fn of(ex: &Exchange, ticker: &str) -> Option<Self> {
        let m = ex.markets.get(ticker)?;
        let level = |(p, ids): (&u32, &super::markets::Level)| {
            let total = ids
                .iter()
                .filter_map(|id| ex.orders.get(id))
                .fold(super::fixed_point::Count::ZERO, |a, o| {
                    a.saturating_add(o.remaining)
                });
            (format!("0.{p:04}"), total.to_fp())
        };
        Some(BookSnapshot {
            bids: m.bids.iter().rev().map(level).collect(),
            asks: m.asks.iter().map(level).collect(),
        })
    }
}

/// One trade: a taker against one resting maker (what `GET /markets/trades` lists).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TradeSnapshot {
    /// The trade id.
    pub trade_id: String,
    /// The market.
    pub ticker: String,
    /// Contracts.
    pub count_fp: String,
    /// The YES price (the maker's).
    pub yes_price_dollars: String,
    /// The taker's side, `bid` or `ask`.
    pub taker_side: String,
    /// Exchange time, ms.
    pub ts_ms: u64,
}

impl TradeSnapshot {
    pub(crate) fn of(t: &Trade) -> Self {
        TradeSnapshot {
            trade_id: t.id.clone(),
            ticker: t.ticker.clone(),
            count_fp: t.count.to_fp(),
            yes_price_dollars: t.price.to_dollars(),
            taker_side: t.taker_side.as_str().to_owned(),
            ts_ms: t.ts_ms,
        }
    }
}
