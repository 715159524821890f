//! Market data: markets, order books, trades, candlesticks and series.
//!
//! | operation | request |
//! |---|---|
//! | [`GetMarkets`] | `GET /markets` |
//! | [`GetMarket`] | `GET /markets/{ticker}` |
//! | [`GetMarketOrderbook`] | `GET /markets/{ticker}/orderbook` |
//! | [`GetMarketOrderbooks`] | `GET /markets/orderbooks` |
//! | [`GetTrades`] | `GET /markets/trades` |
//! | [`GetMarketCandlesticks`] | `GET /series/{series_ticker}/markets/{ticker}/candlesticks` |
//! | [`BatchGetMarketCandlesticks`] | `GET /markets/candlesticks` |
//! | [`GetSeries`] | `GET /series/{series_ticker}` |
//! | [`GetSeriesList`] | `GET /series` |

mod candlesticks;
mod fast_json;
mod markets;
mod markets_fast;
mod orderbook;
mod orderbook_fast;
mod series;
mod trades;
mod types;

pub use candlesticks::{
    BatchGetMarketCandlesticks, BatchGetMarketCandlesticksResponse, GetMarketCandlesticks,
    GetMarketCandlesticksResponse, MAX_BATCH_CANDLESTICK_TICKERS, MarketCandlesticks,
    PERIOD_INTERVALS,
};
pub(crate) use candlesticks::{period_interval, time_range};
pub use markets::{
    GetMarket, GetMarketResponse, GetMarkets, GetMarketsResponse, MarketStatusFilter, MveFilter,
};
pub(crate) use markets::{limit_upto, single_ticker, ticker_list};
pub use orderbook::{
    GetMarketOrderbook, GetMarketOrderbookResponse, GetMarketOrderbooks,
    GetMarketOrderbooksResponse, MAX_ORDERBOOK_DEPTH, MAX_ORDERBOOK_TICKER_LEN,
    MAX_ORDERBOOK_TICKERS,
};
pub use series::{GetSeries, GetSeriesList, GetSeriesListResponse, GetSeriesResponse};
pub use trades::{GetTrades, GetTradesResponse};
pub use types::{
    BidAskDistribution, FeeType, Market, MarketCandlestick, MarketOrderbook, MarketResult,
    MarketStatus, MarketType, MveSelectedLeg, Orderbook, PriceDistribution, PriceLevel, PriceRange,
    Series, SettlementSource, StrikeType, Trade,
};

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![
        GetMarkets,
        GetMarket,
        GetMarketOrderbook,
        GetMarketOrderbooks,
        GetTrades,
        GetMarketCandlesticks,
        BatchGetMarketCandlesticks,
        GetSeries,
        GetSeriesList,
    ]
}
