//! `GET /markets` and `GET /markets/{ticker}`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use super::Market;
use crate::Error;
use crate::enums::string_enum;
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter, validate_id};
use crate::serde_util::{cursor, null_as_empty};

string_enum! {
    /// The `status` filter of [`GetMarkets`] (`MarketStatusQuery`).
    MarketStatusFilter {
        /// Not open yet.
        Unopened = "unopened",
        /// Open for trading.
        Open = "open",
        /// Paused.
        Paused = "paused",
        /// Closed.
        Closed = "closed",
        /// Settled.
        Settled = "settled",
    }
}

string_enum! {
    /// The `mve_filter` of market lists: multivariate (combo) markets only, or none.
    MveFilter {
        /// Only multivariate events.
        Only = "only",
        /// No multivariate events.
        Exclude = "exclude",
    }
}

/// Refuses a comma-separated list that is empty or has an empty item (`tickers`).
pub(crate) fn ticker_list(field: &'static str, tickers: &[String]) -> Result<(), Error> {
    for t in tickers {
        if t.is_empty() {
            return Err(Error::invalid(field, "holds an empty ticker"));
        }
        if t.contains(',') {
            return Err(Error::invalid(
                field,
                format!("ticker {t:?} contains a comma (the list separator)"),
            ));
        }
    }
    Ok(())
}

/// Refuses a single-ticker filter that holds a list (`event_ticker`: one event only).
pub(crate) fn single_ticker(field: &'static str, ticker: Option<&str>) -> Result<(), Error> {
    match ticker {
        Some("") => Err(Error::invalid(field, "must not be empty")),
        Some(t) if t.contains(',') => Err(Error::invalid(
            field,
            "only a single ticker is supported (no comma-separated list)",
        )),
        _ => Ok(()),
    }
}

/// A page limit within 0..=`max` (0 is documented as a valid value; the server then applies its
/// default).
pub(crate) fn limit_upto(limit: Option<u32>, max: u32) -> Result<(), Error> {
    match limit {
        Some(l) if l > max => Err(Error::invalid("limit", format!("{l} is outside 0..={max}"))),
        _ => Ok(()),
    }
}

/// Lists markets with filters, a page at a time (`GetMarkets`). See
/// [`crate::pagination::Pages`] for walking every page.
///
/// The timestamp filters exclude each other by group, and each group combines only with some
/// `status` values; these combinations are refused before signing, as documented:
///
/// | timestamp filters | allowed `status` |
/// |---|---|
/// | `min_created_ts`, `max_created_ts` | `unopened`, `open`, none |
/// | `min_close_ts`, `max_close_ts` | `closed`, none |
/// | `min_settled_ts`, `max_settled_ts` | `settled`, none |
/// | `min_updated_ts` | none; no other filter but `mve_filter=exclude`, and `series_ticker` only with `mve_filter=exclude` |
///
/// Markets settled before the historical cutoff are only in
/// [`GetHistoricalMarkets`](crate::historical::GetHistoricalMarkets).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetMarkets {
    /// Page size, 0..=1000 (default 100).
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this event (a single event ticker).
    pub event_ticker: Option<String>,
    /// Only this series.
    pub series_ticker: Option<String>,
    /// Only markets created after this Unix time (seconds).
    pub min_created_ts: Option<i64>,
    /// Only markets created before this Unix time (seconds).
    pub max_created_ts: Option<i64>,
    /// Only markets whose metadata changed after this Unix time (seconds); non-trading changes
    /// only.
    pub min_updated_ts: Option<i64>,
    /// Only markets closing before this Unix time (seconds).
    pub max_close_ts: Option<i64>,
    /// Only markets closing after this Unix time (seconds).
    pub min_close_ts: Option<i64>,
    /// Only markets settled after this Unix time (seconds).
    pub min_settled_ts: Option<i64>,
    /// Only markets settled before this Unix time (seconds).
    pub max_settled_ts: Option<i64>,
    /// Only markets with this status.
    pub status: Option<MarketStatusFilter>,
    /// Only these markets (sent comma-separated; empty sends nothing).
    pub tickers: Vec<String>,
    /// Multivariate (combo) markets only, or none.
    pub mve_filter: Option<MveFilter>,
}

impl GetMarkets {
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

crate::operation::opt_setters! { GetMarkets {
    /// Only this event (a single event ticker).
    event_ticker: String,
    /// Only this series.
    series_ticker: String,
    /// Only markets created after this Unix time (seconds).
    min_created_ts: i64,
    /// Only markets created before this Unix time (seconds).
    max_created_ts: i64,
    /// Only markets whose metadata changed after this Unix time (seconds).
    min_updated_ts: i64,
    /// Only markets closing before this Unix time (seconds).
    max_close_ts: i64,
    /// Only markets closing after this Unix time (seconds).
    min_close_ts: i64,
    /// Only markets settled after this Unix time (seconds).
    min_settled_ts: i64,
    /// Only markets settled before this Unix time (seconds).
    max_settled_ts: i64,
    /// Only markets with this status.
    status: MarketStatusFilter,
    /// Multivariate (combo) markets only, or none.
    mve_filter: MveFilter,
}}

crate::pagination::cursor_list!(GetMarkets => GetMarketsResponse.markets: Market);

/// One page of [`GetMarkets`] (also of
/// [`GetHistoricalMarkets`](crate::historical::GetHistoricalMarkets)).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketsResponse {
    /// The markets on this page.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub markets: Vec<Market>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl GetMarkets {
    /// The documented combinations of timestamp filters, `status` and other filters.
    fn validate_combinations(&self) -> Result<(), Error> {
        let created = self.min_created_ts.is_some() || self.max_created_ts.is_some();
        let close = self.min_close_ts.is_some() || self.max_close_ts.is_some();
        let settled = self.min_settled_ts.is_some() || self.max_settled_ts.is_some();
        let updated = self.min_updated_ts.is_some();
        let groups = [
            (created, "min_created_ts"),
            (close, "min_close_ts"),
            (settled, "min_settled_ts"),
            (updated, "min_updated_ts"),
        ];
        let mut set = groups.iter().filter(|(on, _)| *on).map(|(_, f)| *f);
        if let (Some(first), Some(second)) = (set.next(), set.next()) {
            return Err(Error::invalid(
                second,
                format!("timestamp filters of different kinds exclude each other ({first} is set)"),
            ));
        }
        use MarketStatusFilter as S;
        let status = self.status.as_ref();
        let status_ok = |allowed: &[S]| status.is_none_or(|s| allowed.contains(s));
        let refuse_status = |with: &str| {
            Err(Error::invalid(
                "status",
                format!(
                    "{} cannot be combined with {with}",
                    status.map(S::as_str).unwrap_or_default()
                ),
            ))
        };
        if created && !status_ok(&[S::Unopened, S::Open]) {
            return refuse_status("the created timestamp filters (only unopened or open)");
        }
        if close && !status_ok(&[S::Closed]) {
            return refuse_status("the close timestamp filters (only closed)");
        }
        if settled && !status_ok(&[S::Settled]) {
            return refuse_status("the settled timestamp filters (only settled)");
        }
        if updated {
            if status.is_some() {
                return refuse_status("min_updated_ts");
            }
            if self.event_ticker.is_some() {
                return Err(Error::invalid(
                    "event_ticker",
                    "cannot be combined with min_updated_ts",
                ));
            }
            if !self.tickers.is_empty() {
                return Err(Error::invalid(
                    "tickers",
                    "cannot be combined with min_updated_ts",
                ));
            }
            match self.mve_filter {
                None | Some(MveFilter::Exclude) => {}
                Some(_) => {
                    return Err(Error::invalid(
                        "mve_filter",
                        "only `exclude` can be combined with min_updated_ts",
                    ));
                }
            }
            if self.series_ticker.is_some() && self.mve_filter != Some(MveFilter::Exclude) {
                return Err(Error::invalid(
                    "series_ticker",
                    "with min_updated_ts requires mve_filter=exclude",
                ));
            }
        }
        Ok(())
    }
}

impl Operation for GetMarkets {
    type Output = GetMarketsResponse;
    const NAME: &'static str = "GetMarkets";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        limit_upto(self.limit, 1000)?;
        single_ticker("event_ticker", self.event_ticker.as_deref())?;
        if self.series_ticker.as_deref() == Some("") {
            return Err(Error::invalid("series_ticker", "must not be empty"));
        }
        ticker_list("tickers", &self.tickers)?;
        self.validate_combinations()
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/markets");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("event_ticker", self.event_ticker.as_deref())
            .opt("series_ticker", self.series_ticker.as_deref())
            .opt("min_created_ts", self.min_created_ts)
            .opt("max_created_ts", self.max_created_ts)
            .opt("min_updated_ts", self.min_updated_ts)
            .opt("max_close_ts", self.max_close_ts)
            .opt("min_close_ts", self.min_close_ts)
            .opt("min_settled_ts", self.min_settled_ts)
            .opt("max_settled_ts", self.max_settled_ts)
            .opt("status", self.status.as_ref())
            .opt(
                "tickers",
                (!self.tickers.is_empty()).then(|| self.tickers.join(",")),
            )
            .opt("mve_filter", self.mve_filter.as_ref());
    }

    fn decode_fast(body: &[u8]) -> Option<GetMarketsResponse> {
        super::markets_fast::decode_page(body)
    }
}

/// One market by ticker (`GetMarket`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetMarket {
    /// The market ticker.
    pub ticker: String,
}

impl GetMarket {
    /// The market `ticker`.
    pub fn new(ticker: impl Into<String>) -> Self {
        GetMarket {
            ticker: ticker.into(),
        }
    }
}

/// The answer to [`GetMarket`] (also to
/// [`GetHistoricalMarket`](crate::historical::GetHistoricalMarket)).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetMarketResponse {
    /// The market.
    pub market: Market,
}

impl Operation for GetMarket {
    type Output = GetMarketResponse;
    const NAME: &'static str = "GetMarket";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate_id("ticker", &self.ticker)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/markets/").segment(&self.ticker);
    }

    fn decode_fast(body: &[u8]) -> Option<GetMarketResponse> {
        super::markets_fast::decode_one(body)
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarkets {
    fn full() -> Self {
        GetMarkets::new()
            .limit(200)
            .cursor("CgwI0a")
            .event_ticker("KXHIGHNY-26DEC06")
            .series_ticker("KXHIGHNY")
            .min_close_ts(1_765_000_000)
            .max_close_ts(1_766_000_000)
            .status(MarketStatusFilter::Closed)
            .tickers(["KXHIGHNY-26DEC06-B45.5", "KXHIGHNY-26DEC06-B47.5"])
            .mve_filter(MveFilter::Exclude)
    }
    fn minimal() -> Self {
        GetMarkets::new()
    }
    fn also_full() -> Vec<Self> {
        vec![
            GetMarkets::new()
                .min_created_ts(1_765_000_000)
                .max_created_ts(1_766_000_000)
                .status(MarketStatusFilter::Open),
            GetMarkets::new()
                .min_settled_ts(1_765_000_000)
                .max_settled_ts(1_766_000_000)
                .status(MarketStatusFilter::Settled),
            GetMarkets::new()
                .min_updated_ts(1_765_000_000)
                .series_ticker("KXHIGHNY")
                .mve_filter(MveFilter::Exclude),
        ]
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetMarket {
    fn full() -> Self {
        GetMarket::new("KXHIGHNY-26DEC06-B45.5")
    }
    fn minimal() -> Self {
        Self::full()
    }
}
