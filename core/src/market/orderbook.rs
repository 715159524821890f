//! `GET /markets/{ticker}/orderbook` and `GET /markets/orderbooks`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::{MarketOrderbook, Orderbook};
use crate::Error;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::null_as_empty;

/// The most levels [`GetMarketOrderbook::depth`] asks for (0 means all).
pub const MAX_ORDERBOOK_DEPTH: u32 = 100;
/// The most markets one [`GetMarketOrderbooks`] asks for.
pub const MAX_ORDERBOOK_TICKERS: usize = 100;
/// The longest ticker [`GetMarketOrderbooks`] accepts, in bytes.
pub const MAX_ORDERBOOK_TICKER_LEN: usize = 200;

/// The order book of one market (`GetMarketOrderbook`): YES bids and NO bids (documented as best
/// to worst price).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMarketOrderbook {
    /// The market ticker.
    pub ticker: String,
    /// Levels per side, 1..=100; 0 or omitted means all levels.
    pub depth: Option<u32>,
}

impl GetMarketOrderbook {
    /// The whole book of market `ticker`.
    pub fn new(ticker: impl Into<String>) -> Self {
        GetMarketOrderbook {
            ticker: ticker.into(),
            depth: None,
        }
    }
}

crate::operation::opt_setters! { GetMarketOrderbook {
    /// Levels per side, 1..=100 (0 means all levels).
    depth: u32,
}}

/// The answer to [`GetMarketOrderbook`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketOrderbookResponse {
    /// The book, with fixed-point counts.
    pub orderbook_fp: Orderbook,
}

impl Operation for GetMarketOrderbook {
    type Output = GetMarketOrderbookResponse;
    const NAME: &'static str = "GetMarketOrderbook";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("ticker", &self.ticker)?;
        match self.depth {
            Some(d) if d > MAX_ORDERBOOK_DEPTH => Err(Error::invalid(
                "depth",
                format!("{d} is outside 0..={MAX_ORDERBOOK_DEPTH} (0 means all levels)"),
            )),
            _ => Ok(()),
        }
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/markets/")
            .segment(&self.ticker)
            .literal("/orderbook");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("depth", self.depth);
    }

    fn decode_fast(body: &[u8]) -> Option<GetMarketOrderbookResponse> {
        super::orderbook_fast::decode(body)
    }
}

/// The order books of several markets in one request (`GetMarketOrderbooks`): one book per
/// ticker, 1..=100 tickers of at most 200 bytes each. The tickers are sent as repeated
/// parameters (`tickers=A&tickers=B`, the documented `form`/`explode` style).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMarketOrderbooks {
    /// The markets.
    pub tickers: Vec<String>,
}

impl GetMarketOrderbooks {
    /// The books of these markets.
    pub fn new<I, S>(tickers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        GetMarketOrderbooks {
            tickers: tickers.into_iter().map(Into::into).collect(),
        }
    }
}

/// The answer to [`GetMarketOrderbooks`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketOrderbooksResponse {
    /// One book per requested market.
    #[serde(deserialize_with = "null_as_empty")]
    pub orderbooks: Vec<MarketOrderbook>,
}

impl Operation for GetMarketOrderbooks {
    type Output = GetMarketOrderbooksResponse;
    const NAME: &'static str = "GetMarketOrderbooks";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        let n = self.tickers.len();
        if n == 0 || n > MAX_ORDERBOOK_TICKERS {
            return Err(Error::invalid(
                "tickers",
                format!("{n} tickers is outside 1..={MAX_ORDERBOOK_TICKERS}"),
            ));
        }
        for t in &self.tickers {
            if t.is_empty() {
                return Err(Error::invalid("tickers", "holds an empty ticker"));
            }
            if t.len() > MAX_ORDERBOOK_TICKER_LEN {
                return Err(Error::invalid(
                    "tickers",
                    format!("a ticker is longer than {MAX_ORDERBOOK_TICKER_LEN} bytes"),
                ));
            }
        }
        Ok(())
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/markets/orderbooks");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        for t in &self.tickers {
            q.pair("tickers", t);
        }
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarketOrderbook {
    fn full() -> Self {
        GetMarketOrderbook::new("KXHIGHNY-26DEC06-B45.5").depth(10)
    }
    fn minimal() -> Self {
        GetMarketOrderbook::new("KXHIGHNY-26DEC06-B45.5")
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarketOrderbooks {
    fn full() -> Self {
        GetMarketOrderbooks::new(["KXHIGHNY-26DEC06-B45.5", "KXHIGHNY-26DEC06-B47.5"])
    }
    fn minimal() -> Self {
        GetMarketOrderbooks::new(["KXHIGHNY-26DEC06-B45.5"])
    }
}
