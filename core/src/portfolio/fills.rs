//! `GET /portfolio/fills`

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::ExchangeIndex;
use crate::enums::{Action, BookSide, OutcomeSide};
use crate::operation::{Idempotency, Operation, PathWriter, QueryWriter};
use crate::serde_util::{cursor, null_as_empty};
use crate::{Error, FixedPointCount, FixedPointDollars, validate};

/// Fills, a page at a time (`GetFills`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GetFills {
    /// Only this market.
    pub ticker: Option<String>,
    /// Only this order's fills.
    pub order_id: Option<String>,
    /// Only fills after this Unix time (seconds).
    pub min_ts: Option<i64>,
    /// Only fills before this Unix time (seconds).
    pub max_ts: Option<i64>,
    /// Page size, 1..=1000.
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub cursor: Option<String>,
    /// Only this subaccount; omitted means all.
    pub subaccount: Option<u32>,
    /// Only this exchange shard.
    pub exchange_index: Option<ExchangeIndex>,
}

impl GetFills {
    /// The first page, no filters.
    pub fn new() -> Self {
        Self::default()
    }
}

crate::operation::opt_setters! { GetFills {
    /// Only this market.
    ticker: String,
    /// Only this order.
    order_id: String,
    /// Only fills after this Unix time (seconds).
    min_ts: i64,
    /// Only fills before this Unix time (seconds).
    max_ts: i64,
    /// Only this subaccount.
    subaccount: u32,
    /// Only this exchange shard (a shard number; auto-route is refused before signing).
    exchange_index: ExchangeIndex,
}}

crate::pagination::cursor_list!(GetFills => GetFillsResponse.fills: Fill);

/// One fill.
///
/// The API documents the market twice, as `ticker` and as `market_ticker` ("legacy field name,
/// same as ticker"). [`ticker`](Self::ticker) is the market from `ticker`, or from
/// `market_ticker` when a fill carries only that; [`market_ticker`](Self::market_ticker) is the
/// legacy field exactly as sent. A fill with neither is refused (both are required).
///
/// Written back (`Serialize`) with every documented field under its own name, `market_ticker`
/// as sent (`null` when it was absent), so that a fill written and read again is the same fill.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "FillWire")]
#[non_exhaustive]
pub struct Fill {
    /// The fill id.
    pub fill_id: String,
    /// The shard (0 when absent).
    pub exchange_index: ExchangeIndex,
    /// Same as `fill_id` (legacy name).
    pub trade_id: Option<String>,
    /// The order that filled.
    pub order_id: String,
    /// The market: `ticker`, or `market_ticker` when only that was sent.
    pub ticker: String,
    /// The legacy `market_ticker` field as sent (documented as the same as `ticker`).
    pub market_ticker: Option<String>,
    /// The outcome the fill positioned the user for.
    pub outcome_side: Option<OutcomeSide>,
    /// The book side.
    pub book_side: Option<BookSide>,
    /// Deprecated.
    pub side: Option<OutcomeSide>,
    /// Deprecated.
    pub action: Option<Action>,
    /// Contracts filled.
    pub count_fp: FixedPointCount,
    /// YES price.
    pub yes_price_dollars: Option<FixedPointDollars>,
    /// NO price.
    pub no_price_dollars: Option<FixedPointDollars>,
    /// Whether the user took liquidity.
    pub is_taker: bool,
    /// When the fill happened.
    pub created_time: Option<jiff::Timestamp>,
    /// Fee.
    pub fee_cost: Option<FixedPointDollars>,
    /// The subaccount.
    pub subaccount_number: Option<u32>,
    /// Unix time of the fill (legacy).
    pub ts: Option<i64>,
}

/// A fill as written on the wire, before `ticker` / `market_ticker` are reconciled.
#[derive(Deserialize)]
struct FillWire {
    fill_id: String,
    #[serde(default)]
    exchange_index: ExchangeIndex,
    #[serde(default)]
    trade_id: Option<String>,
    order_id: String,
    #[serde(default)]
    ticker: Option<String>,
    #[serde(default)]
    market_ticker: Option<String>,
    #[serde(default)]
    outcome_side: Option<OutcomeSide>,
    #[serde(default)]
    book_side: Option<BookSide>,
    #[serde(default)]
    side: Option<OutcomeSide>,
    #[serde(default)]
    action: Option<Action>,
    count_fp: FixedPointCount,
    #[serde(default)]
    yes_price_dollars: Option<FixedPointDollars>,
    #[serde(default)]
    no_price_dollars: Option<FixedPointDollars>,
    #[serde(default)]
    is_taker: bool,
    #[serde(default, deserialize_with = "crate::serde_util::opt_time")]
    created_time: Option<jiff::Timestamp>,
    #[serde(default)]
    fee_cost: Option<FixedPointDollars>,
    #[serde(default)]
    subaccount_number: Option<u32>,
    #[serde(default)]
    ts: Option<i64>,
}

impl TryFrom<FillWire> for Fill {
    type Error = &'static str;

    fn try_from(w: FillWire) -> Result<Self, Self::Error> {
        let ticker = match (w.ticker, &w.market_ticker) {
            (Some(t), _) => t,
            (None, Some(m)) => m.clone(),
            (None, None) => return Err("a fill without `ticker` or `market_ticker`"),
        };
        Ok(Fill {
            fill_id: w.fill_id,
            exchange_index: w.exchange_index,
            trade_id: w.trade_id,
            order_id: w.order_id,
            ticker,
            market_ticker: w.market_ticker,
            outcome_side: w.outcome_side,
            book_side: w.book_side,
            side: w.side,
            action: w.action,
            count_fp: w.count_fp,
            yes_price_dollars: w.yes_price_dollars,
            no_price_dollars: w.no_price_dollars,
            is_taker: w.is_taker,
            created_time: w.created_time,
            fee_cost: w.fee_cost,
            subaccount_number: w.subaccount_number,
            ts: w.ts,
        })
    }
}

/// One page of [`GetFills`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GetFillsResponse {
    /// The fills.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub fills: Vec<Fill>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default, deserialize_with = "cursor")]
    pub cursor: Option<String>,
}

impl Operation for GetFills {
    type Output = GetFillsResponse;
    const NAME: &'static str = "GetFills";
    const METHOD: Method = Method::GET;
    const SUCCESS: StatusCode = StatusCode::OK;
    const IDEMPOTENCY: Idempotency = Idempotency::Idempotent;

    fn validate(&self) -> Result<(), Error> {
        validate::page_limit(self.limit, 1000)?;
        validate::subaccount(self.subaccount)?;
        validate::exchange_shard(self.exchange_index)
    }

    fn write_path(&self, path: &mut PathWriter<'_>) {
        path.literal("/portfolio/fills");
    }

    fn write_query(&self, q: &mut QueryWriter<'_>) {
        q.opt("ticker", self.ticker.as_deref())
            .opt("order_id", self.order_id.as_deref())
            .opt("min_ts", self.min_ts)
            .opt("max_ts", self.max_ts)
            .opt("limit", self.limit)
            .opt("cursor", self.cursor.as_deref())
            .opt("subaccount", self.subaccount)
            .opt("exchange_index", self.exchange_index);
    }
}

#[cfg(test)]
impl crate::spec_drift::SpecExample for GetFills {
    fn full() -> Self {
        GetFills::new()
            .ticker("HIGHNY-24JAN01-T60")
            .order_id("ord-1")
            .min_ts(1_700_000_000)
            .max_ts(1_800_000_000)
            .limit(50)
            .cursor("abc")
            .subaccount(2)
            .exchange_index(0)
    }
    fn minimal() -> Self {
        GetFills::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A fill as documented, with `ticker` / `market_ticker` set as given (`None`: absent).
    fn fill(ticker: Option<&str>, market_ticker: Option<&str>) -> Value {
        let mut f = json!({
            "fill_id": "f1", "exchange_index": 0, "trade_id": "f1", "order_id": "o1",
            "outcome_side": "yes", "book_side": "bid", "count_fp": "2.00",
            "yes_price_dollars": "0.5600", "no_price_dollars": "0.4400", "is_taker": true,
            "fee_cost": "0.0200"
        });
        if let Some(t) = ticker {
            f["ticker"] = t.into();
        }
        if let Some(m) = market_ticker {
            f["market_ticker"] = m.into();
        }
        f
    }

    fn parse(f: Value) -> Result<Fill, serde_json::Error> {
        let page: GetFillsResponse = serde_json::from_value(json!({"fills": [f], "cursor": ""}))?;
        Ok(page.fills.into_iter().next().unwrap())
    }

    /// Regression (issue 9): the documented `fills[].market_ticker` was not read.
    #[test]
    fn market_ticker_is_read() {
        // Both, as the API documents them (same value).
        let both = parse(fill(Some("KX-A"), Some("KX-A"))).unwrap();
        assert_eq!(both.ticker, "KX-A");
        assert_eq!(both.market_ticker.as_deref(), Some("KX-A"));
        // Only the legacy field: the market comes from it.
        let legacy = parse(fill(None, Some("KX-B"))).unwrap();
        assert_eq!(legacy.ticker, "KX-B");
        assert_eq!(legacy.market_ticker.as_deref(), Some("KX-B"));
        // Only `ticker`.
        let new = parse(fill(Some("KX-C"), None)).unwrap();
        assert_eq!(new.ticker, "KX-C");
        assert_eq!(new.market_ticker, None);
        // Disagreeing (not expected): `ticker` wins, `market_ticker` is kept as sent.
        let odd = parse(fill(Some("KX-D"), Some("KX-E"))).unwrap();
        assert_eq!(odd.ticker, "KX-D");
        assert_eq!(odd.market_ticker.as_deref(), Some("KX-E"));
        // Neither: both are required, and a fill without its market is refused, saying why.
        let err = parse(fill(None, None)).unwrap_err().to_string();
        assert!(err.contains("market_ticker"), "{err}");
        // `null` counts as absent.
        let mut f = fill(None, Some("KX-F"));
        f["ticker"] = Value::Null;
        assert_eq!(parse(f).unwrap().ticker, "KX-F");
    }

    /// `created_time` is a typed instant; a fill is written back with every documented field.
    #[test]
    fn created_time_is_typed_and_written_back() {
        let mut f = fill(Some("KX-A"), Some("KX-A"));
        f["created_time"] = "2024-05-15T17:20:00.123Z".into();
        f["ts"] = 1_715_793_600.into();
        let got = parse(f.clone()).unwrap();
        assert_eq!(
            got.created_time.map(|t| t.as_millisecond()),
            Some(1_715_793_600_123)
        );
        let back = serde_json::to_value(&got).unwrap();
        for (k, v) in f.as_object().unwrap() {
            assert_eq!(&back[k], v, "{k}");
        }
        assert_eq!(back["subaccount_number"], Value::Null);
        // Written and read again: the same fill, also when only `ticker` was sent.
        assert_eq!(parse(back).unwrap(), got);
        let only_ticker = parse(fill(Some("KX-C"), None)).unwrap();
        let back = serde_json::to_value(&only_ticker).unwrap();
        assert_eq!(back["market_ticker"], Value::Null);
        assert_eq!(parse(back).unwrap(), only_ticker);
        // An empty string is no time; a malformed one is refused.
        f["created_time"] = "".into();
        assert_eq!(parse(f.clone()).unwrap().created_time, None);
        f["created_time"] = "2024-05-15".into();
        assert!(parse(f).is_err());
    }

    /// The shard is read as `ExchangeIndex`; absent means shard 0.
    #[test]
    fn exchange_index_is_read() {
        let mut f = fill(Some("KX-A"), None);
        f["exchange_index"] = 3.into();
        assert_eq!(
            parse(f.clone()).unwrap().exchange_index,
            ExchangeIndex::shard(3)
        );
        f.as_object_mut().unwrap().remove("exchange_index");
        assert_eq!(parse(f).unwrap().exchange_index, ExchangeIndex::shard(0));
    }
}
