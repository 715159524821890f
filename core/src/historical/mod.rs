//! Historical data: markets, candlesticks, trades, fills, orders and positions past the
//! historical cutoff.
//!
//! [`GetHistoricalCutoff`] gives the instants before which data is only served here. The
//! records are the live ones where the docs use the same schema ([`crate::market::Market`],
//! [`crate::market::Trade`], [`crate::portfolio::Fill`], [`crate::orders::Order`],
//! [`crate::portfolio::MarketPosition`], and their pages); historical candlesticks have their
//! own schema ([`MarketCandlestickHistorical`]).
//!
//! | operation | request |
//! |---|---|
//! | [`GetHistoricalCutoff`] | `GET /historical/cutoff` |
//! | [`GetHistoricalMarkets`] | `GET /historical/markets` |
//! | [`GetHistoricalMarket`] | `GET /historical/markets/{ticker}` |
//! | [`GetMarketCandlesticksHistorical`] | `GET /historical/markets/{ticker}/candlesticks` |
//! | [`GetTradesHistorical`] | `GET /historical/trades` |
//! | [`GetFillsHistorical`] | `GET /historical/fills` |
//! | [`GetHistoricalOrders`] | `GET /historical/orders` |
//! | [`GetHistoricalPositions`] | `GET /historical/positions` |

mod candlesticks;
mod cutoff;
mod markets;
mod portfolio;
mod trades;

pub use candlesticks::{
    BidAskDistributionHistorical, GetMarketCandlesticksHistorical,
    GetMarketCandlesticksHistoricalResponse, MarketCandlestickHistorical,
    PriceDistributionHistorical,
};
pub use cutoff::{GetHistoricalCutoff, GetHistoricalCutoffResponse};
pub use markets::{GetHistoricalMarket, GetHistoricalMarkets};
pub use portfolio::{GetFillsHistorical, GetHistoricalOrders, GetHistoricalPositions};
pub use trades::GetTradesHistorical;

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetHistoricalCutoff,
        GetHistoricalMarkets,
        GetHistoricalMarket,
        GetMarketCandlesticksHistorical,
        GetTradesHistorical,
        GetFillsHistorical,
        GetHistoricalOrders,
        GetHistoricalPositions,
    ]
}
