//! `GET /historical/markets` and `GET /historical/markets/{ticker}`

use http::{Method, StatusCode};

use crate::Error;
use crate::market::{
    GetMarketResponse, GetMarketsResponse, Market, MveFilter, limit_upto, single_ticker,
    ticker_list,
};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};

/// Lists markets archived to the historical database, a page at a time
/// (`GetHistoricalMarkets`). The filters `tickers`, `event_ticker` and `series_ticker` exclude
/// each other (documented: "filters are mutually exclusive"); more than one is refused before
/// signing. See [`crate::pagination::Pages`] for walking every page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetHistoricalMarkets {
    /// Page size, 0..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only these markets (sent comma-separated; empty sends nothing).
    pub tickers: Vec<String>,
    /// Only this event (a single event ticker).
    pub event_ticker: Option<String>,
    /// Only this series.
    pub series_ticker: Option<String>,
    /// `exclude` leaves out multivariate (combo) markets, included by default; the only
    /// documented value here (`only` is refused before signing).
    pub mve_filter: Option<MveFilter>,
}

impl GetHistoricalMarkets {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these markets.
    pub fn tickers<I, S>(mut self, tickers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tickers = tickers.into_iter().map(Into::into).collect();
        self
    }
}

crate::operation::opt_setters! { GetHistoricalMarkets {
    /// Only this event (a single event ticker).
    event_ticker: String,
    /// Only this series.
    series_ticker: String,
    /// `exclude` leaves out multivariate (combo) markets.
    mve_filter: MveFilter,
}}

crate::pagination::cursor_list!(GetHistoricalMarkets => GetMarketsResponse.markets: Market);

impl Operation for GetHistoricalMarkets {
    type Output = GetMarketsResponse;
    const NAME: &'static str = "GetHistoricalMarkets";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        limit_upto(self.limit, 1000)?;
        ticker_list("tickers", &self.tickers)?;
        single_ticker("event_ticker", self.event_ticker.as_deref())?;
        single_ticker("series_ticker", self.series_ticker.as_deref())?;
        let filters = [
            (!self.tickers.is_empty(), "tickers"),
            (self.event_ticker.is_some(), "event_ticker"),
            (self.series_ticker.is_some(), "series_ticker"),
        ];
        let mut set = filters.iter().filter(|(on, _)| *on).map(|(_, f)| *f);
        if let (Some(first), Some(second)) = (set.next(), set.next()) {
            return Err(Error::invalid(
                second,
                format!("the filters exclude each other ({first} is set)"),
            ));
        }
        match &self.mve_filter {
            None | Some(MveFilter::Exclude) => Ok(()),
            Some(other) => Err(Error::invalid(
                "mve_filter",
                format!("{other} is not documented here (only `exclude`)"),
            )),
        }
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/markets");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt(
                "tickers",
                (!self.tickers.is_empty()).then(|| self.tickers.join(",")),
            )
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("series_ticker", self.series_ticker.as_deref())
            .opt("mve_filter", self.mve_filter.as_ref());
    }
}

/// One archived market by ticker (`GetHistoricalMarket`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetHistoricalMarket {
    /// The market ticker.
    pub ticker: String,
}

impl GetHistoricalMarket {
    /// The archived market `ticker`.
    pub fn new(ticker: impl Into<String>) -> Self {
        GetHistoricalMarket {
            ticker: ticker.into(),
        }
    }
}

impl Operation for GetHistoricalMarket {
    type Output = GetMarketResponse;
    const NAME: &'static str = "GetHistoricalMarket";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("ticker", &self.ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/historical/markets/").segment(&self.ticker);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetHistoricalMarkets {
    fn full() -> Self {
        GetHistoricalMarkets::new()
            .limit(1000)
            .cursor("CgwI0a")
            .series_ticker("KXHIGHNY")
            .mve_filter(MveFilter::Exclude)
    }
    fn minimal() -> Self {
        GetHistoricalMarkets::new()
    }
    fn also_full() -> Vec<Self> {
        vec![
            GetHistoricalMarkets::new().tickers(["KXHIGHNY-24JAN01-B45.5"]),
            GetHistoricalMarkets::new().event_ticker("KXHIGHNY-24JAN01"),
        ]
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetHistoricalMarket {
    fn full() -> Self {
        GetHistoricalMarket::new("KXHIGHNY-24JAN01-B45.5")
    }
    fn minimal() -> Self {
        Self::full()
    }
}
