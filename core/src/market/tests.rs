//! Request bytes, refusals before signing and realistic answers for the market-data operations,
//! and a property test of their path and query parameters. The helpers are shared with
//! [`crate::historical`]'s tests.

use http::{Method, StatusCode};
use proptest::prelude::*;

use super::*;
use crate::auth::VerifyingKey;
use crate::enums::{BookSide, OutcomeSide};
use crate::pagination::Pages;
use crate::{
    Client, Credentials, Environment, Error, ExchangeIndex, FixedPointCount, FixedPointDollars,
    Operation, Timestamp,
};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");
pub(crate) const TS: u64 = 1_703_123_456_789;
const ORIGIN: &str = "https://external-api.kalshi.com/trade-api/v2";

pub(crate) fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

/// Checks the method, full URI and the absence of a body (every read here has none).
pub(crate) fn built<O: Operation>(op: &O, path_and_query: &str) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), Method::GET);
    assert_eq!(req.uri().to_string(), format!("{ORIGIN}{path_and_query}"));
    assert!(req.body().is_empty());
    assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
}

pub(crate) fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
        other => panic!("expected InvalidInput({field}), got {other:?}"),
    }
}

pub(crate) fn parse<O: Operation>(body: &str) -> O::Output {
    crate::response::parse::<O>(StatusCode::OK, body.as_bytes())
        .unwrap_or_else(|e| panic!("{}: {e}", O::NAME))
}

pub(crate) fn count(s: &str) -> FixedPointCount {
    s.parse().unwrap()
}

pub(crate) fn price(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}

pub(crate) fn time(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// A market as the exchange sends it (an open weather market).
pub(crate) const MARKET: &str = r#"{
    "ticker": "KXHIGHNY-26DEC06-B45.5",
    "event_ticker": "KXHIGHNY-26DEC06",
    "market_type": "binary",
    "title": "Will the high temp in NYC be 45-46° on Dec 6, 2026?",
    "subtitle": "45° to 46°",
    "yes_sub_title": "45° to 46°",
    "no_sub_title": "45° to 46°",
    "created_time": "2026-12-04T15:00:00Z",
    "updated_time": "2026-12-05T09:12:44.318Z",
    "open_time": "2026-12-05T15:00:00Z",
    "close_time": "2026-12-07T04:59:00Z",
    "expected_expiration_time": "2026-12-07T15:00:00Z",
    "expiration_time": "2026-12-14T15:00:00Z",
    "latest_expiration_time": "2026-12-14T15:00:00Z",
    "settlement_timer_seconds": 1800,
    "status": "active",
    "yes_bid_dollars": "0.5600",
    "yes_bid_size_fp": "120.00",
    "yes_ask_dollars": "0.5800",
    "yes_ask_size_fp": "35.50",
    "no_bid_dollars": "0.4200",
    "no_ask_dollars": "0.4400",
    "last_price_dollars": "0.5700",
    "volume_fp": "18234.00",
    "volume_24h_fp": "4021.00",
    "result": "",
    "can_close_early": true,
    "open_interest_fp": "9120.00",
    "notional_value_dollars": "1.0000",
    "previous_yes_bid_dollars": "0.4900",
    "previous_yes_ask_dollars": "0.5100",
    "previous_price_dollars": "0.5000",
    "liquidity_dollars": "0.0000",
    "expiration_value": "",
    "occurrence_datetime": null,
    "early_close_condition": "This market will close and expire early if the event occurs.",
    "strike_type": "between",
    "floor_strike": 45,
    "cap_strike": 46.5,
    "rules_primary": "If the highest temperature recorded in Central Park is between 45-46°, then the market resolves to Yes.",
    "rules_secondary": "",
    "price_level_structure": "linear_cent",
    "price_ranges": [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}],
    "is_provisional": false,
    "exchange_index": 0
}"#;

#[test]
fn get_markets_request() {
    built(&GetMarkets::new(), "/markets");
    built(
        &GetMarkets::new()
            .limit(200)
            .cursor("CgwI0a/b")
            .series_ticker("KXHIGHNY")
            .min_close_ts(1_765_000_000)
            .max_close_ts(1_766_000_000)
            .status(MarketStatusFilter::Closed)
            .tickers(["KXHIGHNY-26DEC06-B45.5", "KXHIGHNY-26DEC06-B47.5"])
            .mve_filter(MveFilter::Exclude),
        "/markets?limit=200&cursor=CgwI0a%2Fb&series_ticker=KXHIGHNY&max_close_ts=1766000000\
         &min_close_ts=1765000000&status=closed\
         &tickers=KXHIGHNY-26DEC06-B45.5%2CKXHIGHNY-26DEC06-B47.5&mve_filter=exclude",
    );
    built(
        &GetMarkets::new()
            .event_ticker("KXHIGHNY-26DEC06")
            .min_created_ts(1)
            .max_created_ts(2)
            .status(MarketStatusFilter::Open),
        "/markets?event_ticker=KXHIGHNY-26DEC06&min_created_ts=1&max_created_ts=2&status=open",
    );
    built(
        &GetMarkets::new()
            .min_settled_ts(1)
            .max_settled_ts(2)
            .status(MarketStatusFilter::Settled),
        "/markets?min_settled_ts=1&max_settled_ts=2&status=settled",
    );
    built(
        &GetMarkets::new()
            .min_updated_ts(1_765_000_000)
            .series_ticker("KXHIGHNY")
            .mve_filter(MveFilter::Exclude),
        "/markets?series_ticker=KXHIGHNY&min_updated_ts=1765000000&mve_filter=exclude",
    );
    // Status alone, and `limit=0` (documented minimum), are fine.
    built(
        &GetMarkets::new()
            .status(MarketStatusFilter::Paused)
            .limit(0),
        "/markets?limit=0&status=paused",
    );
}

#[test]
fn get_markets_refusals() {
    refused(&GetMarkets::new().limit(1001), "limit");
    refused(&GetMarkets::new().event_ticker("A,B"), "event_ticker");
    refused(&GetMarkets::new().event_ticker(""), "event_ticker");
    refused(&GetMarkets::new().series_ticker(""), "series_ticker");
    refused(&GetMarkets::new().tickers(["A", ""]), "tickers");
    refused(&GetMarkets::new().tickers(["A,B"]), "tickers");
    // Timestamp filters of different kinds exclude each other.
    refused(
        &GetMarkets::new().min_created_ts(1).max_close_ts(2),
        "min_close_ts",
    );
    refused(
        &GetMarkets::new().max_close_ts(1).min_settled_ts(2),
        "min_settled_ts",
    );
    refused(
        &GetMarkets::new().max_settled_ts(1).min_updated_ts(2),
        "min_updated_ts",
    );
    // Each kind combines only with some statuses.
    refused(
        &GetMarkets::new()
            .min_created_ts(1)
            .status(MarketStatusFilter::Closed),
        "status",
    );
    refused(
        &GetMarkets::new()
            .max_close_ts(1)
            .status(MarketStatusFilter::Open),
        "status",
    );
    refused(
        &GetMarkets::new()
            .min_settled_ts(1)
            .status(MarketStatusFilter::Paused),
        "status",
    );
    refused(
        &GetMarkets::new()
            .min_settled_ts(1)
            .status(MarketStatusFilter::from_api("archived")),
        "status",
    );
    // min_updated_ts: nothing else but mve_filter=exclude (and series_ticker with it).
    let updated = || GetMarkets::new().min_updated_ts(1_765_000_000);
    refused(&updated().status(MarketStatusFilter::Open), "status");
    refused(&updated().event_ticker("KXHIGHNY-26DEC06"), "event_ticker");
    refused(&updated().tickers(["KXHIGHNY-26DEC06-B45.5"]), "tickers");
    refused(&updated().mve_filter(MveFilter::Only), "mve_filter");
    refused(&updated().series_ticker("KXHIGHNY"), "series_ticker");
    built(
        &updated().mve_filter(MveFilter::Exclude).limit(5),
        "/markets?limit=5&min_updated_ts=1765000000&mve_filter=exclude",
    );
}

#[test]
fn get_markets_answer() {
    let body = format!(r#"{{"markets": [{MARKET}], "cursor": "CgwI0aHd"}}"#);
    let page = parse::<GetMarkets>(&body);
    assert_eq!(page.cursor.as_deref(), Some("CgwI0aHd"));
    let m = &page.markets[0];
    assert_eq!(m.ticker, "KXHIGHNY-26DEC06-B45.5");
    assert_eq!(m.market_type, MarketType::Binary);
    assert_eq!(m.status, MarketStatus::Active);
    assert_eq!(m.result, MarketResult::Undetermined);
    assert_eq!(m.yes_bid_dollars, price("0.56"));
    assert_eq!(m.yes_ask_size_fp, count("35.5"));
    assert_eq!(m.volume_fp, count("18234"));
    assert_eq!(m.close_time, time("2026-12-07T04:59:00Z"));
    assert_eq!(m.updated_time, time("2026-12-05T09:12:44.318Z"));
    assert_eq!(m.occurrence_datetime, None);
    assert_eq!(m.strike_type, Some(StrikeType::Between));
    assert_eq!(m.floor_strike.as_ref().and_then(|n| n.as_i64()), Some(45));
    assert_eq!(
        m.cap_strike.as_ref().map(|n| n.to_string()).as_deref(),
        Some("46.5")
    );
    assert_eq!(m.price_ranges[0].step_dollars(), Some(price("0.01")));
    assert_eq!(m.exchange_index, Some(ExchangeIndex::shard(0)));
    assert!(m.mve_selected_legs.is_empty());
    assert_eq!(m.settlement_value_dollars, None);

    // Pages: the cursor leads to the next page, an empty one ends the walk.
    let mut pages = Pages::new(GetMarkets::new().status(MarketStatusFilter::Open));
    pages.on_page(page);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("CgwI0aHd"));
    pages.on_page(parse::<GetMarkets>(r#"{"markets": [], "cursor": ""}"#));
    assert!(pages.next_op().is_none());
}

#[test]
fn a_market_missing_optional_fields_or_with_new_values_still_parses() {
    // Only the required fields, a settled scalar combo market with values this client does not
    // know yet.
    let mut v: serde_json::Value = serde_json::from_str(MARKET).unwrap();
    let obj = v.as_object_mut().unwrap();
    for k in [
        "title",
        "subtitle",
        "expected_expiration_time",
        "expiration_time",
        "liquidity_dollars",
        "occurrence_datetime",
        "early_close_condition",
        "strike_type",
        "floor_strike",
        "cap_strike",
        "is_provisional",
        "exchange_index",
    ] {
        obj.remove(k);
    }
    obj.insert("status".into(), "archived".into());
    obj.insert("result".into(), "scalar".into());
    obj.insert("market_type".into(), "perpetual".into());
    obj.insert("settlement_value_dollars".into(), "0.4500".into());
    obj.insert("settlement_ts".into(), "2026-12-07T15:30:00Z".into());
    obj.insert(
        "mve_selected_legs".into(),
        serde_json::json!([{"event_ticker": "KXHIGHNY-26DEC06", "market_ticker": "KXHIGHNY-26DEC06-B45.5", "side": "yes"}]),
    );
    obj.insert("custom_strike".into(), serde_json::json!({"Team": "NYK"}));
    let body = format!(r#"{{"market": {v}}}"#);
    let m = parse::<GetMarket>(&body).market;
    assert_eq!(m.status, MarketStatus::Unknown("archived".into()));
    assert_eq!(m.market_type, MarketType::Unknown("perpetual".into()));
    assert_eq!(m.result, MarketResult::Scalar);
    assert_eq!(m.settlement_value_dollars, Some(price("0.45")));
    assert_eq!(m.settlement_ts, Some(time("2026-12-07T15:30:00Z")));
    assert_eq!(m.mve_selected_legs[0].side.as_deref(), Some("yes"));
    assert_eq!(m.title, None);
    assert_eq!(m.floor_strike, None);
    // Written back in the wire shape.
    let back = serde_json::to_value(&m).unwrap();
    assert_eq!(back["status"], "archived");
    assert_eq!(back["custom_strike"]["Team"], "NYK");
}

#[test]
fn get_market_request_and_answer() {
    built(
        &GetMarket::new("KXHIGHNY-26DEC06-B45.5"),
        "/markets/KXHIGHNY-26DEC06-B45.5",
    );
    built(&GetMarket::new("A/B C"), "/markets/A%2FB%20C");
    refused(&GetMarket::new(""), "ticker");
    refused(&GetMarket::new(".."), "ticker");
    let m = parse::<GetMarket>(&format!(r#"{{"market": {MARKET}}}"#)).market;
    assert_eq!(m.event_ticker, "KXHIGHNY-26DEC06");
    let not_found = crate::response::parse::<GetMarket>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"market not found"}"#,
    );
    assert!(matches!(not_found, Err(Error::NotFound(_))));
}

#[test]
fn orderbook_request_levels_and_answer() {
    built(
        &GetMarketOrderbook::new("KXHIGHNY-26DEC06-B45.5"),
        "/markets/KXHIGHNY-26DEC06-B45.5/orderbook",
    );
    built(
        &GetMarketOrderbook::new("KXHIGHNY-26DEC06-B45.5").depth(10),
        "/markets/KXHIGHNY-26DEC06-B45.5/orderbook?depth=10",
    );
    built(
        &GetMarketOrderbook::new("T").depth(0),
        "/markets/T/orderbook?depth=0",
    );
    built(
        &GetMarketOrderbook::new("T").depth(100),
        "/markets/T/orderbook?depth=100",
    );
    refused(&GetMarketOrderbook::new("T").depth(101), "depth");
    refused(&GetMarketOrderbook::new(""), "ticker");

    let body = r#"{"orderbook_fp": {
        "yes_dollars": [["0.5600", "120.00"], ["0.5500", "10.50"]],
        "no_dollars": [["0.4200", "300.00"]]
    }}"#;
    let book = parse::<GetMarketOrderbook>(body).orderbook_fp;
    assert_eq!(
        book.yes_dollars,
        vec![
            PriceLevel::new(price("0.56"), count("120")),
            PriceLevel::new(price("0.55"), count("10.5")),
        ]
    );
    assert_eq!(book.no_dollars[0].price, price("0.42"));
    assert_eq!(book.no_dollars[0].count, count("300"));
    // Written back as [price, count] string pairs.
    assert_eq!(
        serde_json::to_string(&book).unwrap(),
        r#"{"yes_dollars":[["0.5600","120.00"],["0.5500","10.50"]],"no_dollars":[["0.4200","300.00"]]}"#
    );
    // An empty side may come as null; a level that is not a pair is an error.
    let empty =
        parse::<GetMarketOrderbook>(r#"{"orderbook_fp":{"yes_dollars":null,"no_dollars":[]}}"#);
    assert_eq!(empty.orderbook_fp, Orderbook::default());
    for bad in [
        r#"{"orderbook_fp":{"yes_dollars":[["0.56"]],"no_dollars":[]}}"#,
        r#"{"orderbook_fp":{"yes_dollars":[["0.56","1.00","2"]],"no_dollars":[]}}"#,
        r#"{"orderbook_fp":{"yes_dollars":[[0.56, 1]],"no_dollars":[]}}"#,
    ] {
        let got = crate::response::parse::<GetMarketOrderbook>(StatusCode::OK, bad.as_bytes());
        assert!(matches!(got, Err(Error::Decode { .. })), "{bad}: {got:?}");
    }
}

/// The guide's example book (`getting_started/orderbook_responses.md`), in the guide's order
/// (ascending, best bid last) and reversed (the API reference's "best to worst").
const GUIDE_BOOK_ASCENDING: &str = r#"{"orderbook_fp": {
    "yes_dollars": [["0.0100", "200.00"], ["0.1500", "100.00"], ["0.4100", "10.00"], ["0.4200", "13.00"]],
    "no_dollars": [["0.0100", "100.00"], ["0.4500", "20.00"], ["0.5600", "17.00"]]
}}"#;
const GUIDE_BOOK_DESCENDING: &str = r#"{"orderbook_fp": {
    "yes_dollars": [["0.4200", "13.00"], ["0.4100", "10.00"], ["0.1500", "100.00"], ["0.0100", "200.00"]],
    "no_dollars": [["0.5600", "17.00"], ["0.4500", "20.00"], ["0.0100", "100.00"]]
}}"#;

fn levels(pairs: &[(&str, &str)]) -> Vec<PriceLevel> {
    pairs
        .iter()
        .map(|(p, c)| PriceLevel::new(price(p), count(c)))
        .collect()
}

#[test]
fn orderbook_best_levels_do_not_depend_on_the_order_sent() {
    let ascending = parse::<GetMarketOrderbook>(GUIDE_BOOK_ASCENDING).orderbook_fp;
    let descending = parse::<GetMarketOrderbook>(GUIDE_BOOK_DESCENDING).orderbook_fp;
    assert_ne!(ascending, descending, "kept in the order sent");
    for book in [&ascending, &descending] {
        // The guide's worked example: best YES bid 0.42, best YES ask 1 - 0.56 = 0.44.
        assert_eq!(book.best_yes_bid(), Some(levels(&[("0.42", "13")])[0]));
        assert_eq!(book.best_no_bid(), Some(levels(&[("0.56", "17")])[0]));
        assert_eq!(book.best_yes_ask(), Some(levels(&[("0.44", "17")])[0]));
        assert_eq!(book.best_no_ask(), Some(levels(&[("0.58", "13")])[0]));
        assert_eq!(book.yes_spread(), Some(price("0.02")));
        assert_eq!(
            book.yes_bids(),
            levels(&[
                ("0.42", "13"),
                ("0.41", "10"),
                ("0.15", "100"),
                ("0.01", "200")
            ])
        );
        assert_eq!(
            book.no_bids(),
            levels(&[("0.56", "17"), ("0.45", "20"), ("0.01", "100")])
        );
        assert_eq!(
            book.yes_asks(),
            levels(&[("0.44", "17"), ("0.55", "20"), ("0.99", "100")])
        );
        assert_eq!(
            book.no_asks(),
            levels(&[
                ("0.58", "13"),
                ("0.59", "10"),
                ("0.85", "100"),
                ("0.99", "200")
            ])
        );
    }
    // An empty or one-sided book has no best level on the empty side, and no spread.
    let empty = Orderbook::default();
    assert_eq!((empty.best_yes_bid(), empty.best_yes_ask()), (None, None));
    assert_eq!(empty.yes_spread(), None);
    assert!(empty.yes_bids().is_empty() && empty.no_asks().is_empty());
    let yes_only = parse::<GetMarketOrderbook>(
        r#"{"orderbook_fp":{"yes_dollars":[["0.3000","5.00"]],"no_dollars":null}}"#,
    )
    .orderbook_fp;
    assert_eq!(yes_only.best_no_ask(), Some(levels(&[("0.70", "5")])[0]));
    assert_eq!(
        (yes_only.best_yes_ask(), yes_only.yes_spread()),
        (None, None)
    );
}

#[test]
fn implied_asks_are_exact_at_sub_penny_prices() {
    let level = PriceLevel::new(price("0.0001"), count("0.50"));
    assert_eq!(level.opposite().price.to_string(), "0.9999");
    assert_eq!(level.opposite().count.to_string(), "0.50");
    assert_eq!(level.opposite().opposite(), level);
    let micro = PriceLevel::new(price("0.123456"), count("1"));
    assert_eq!(micro.opposite().price.to_string(), "0.876544");
}

#[test]
fn orderbooks_request_and_answer() {
    built(
        &GetMarketOrderbooks::new(["KXHIGHNY-26DEC06-B45.5", "KXHIGHNY-26DEC06-B47.5"]),
        "/markets/orderbooks?tickers=KXHIGHNY-26DEC06-B45.5&tickers=KXHIGHNY-26DEC06-B47.5",
    );
    built(
        &GetMarketOrderbooks::new(["A,B"]),
        "/markets/orderbooks?tickers=A%2CB",
    );
    refused(&GetMarketOrderbooks::new(Vec::<String>::new()), "tickers");
    refused(
        &GetMarketOrderbooks::new((0..101).map(|i| format!("T{i}"))),
        "tickers",
    );
    built(
        &GetMarketOrderbooks::new((0..100).map(|i| format!("T{i}"))),
        &format!(
            "/markets/orderbooks?{}",
            (0..100)
                .map(|i| format!("tickers=T{i}"))
                .collect::<Vec<_>>()
                .join("&")
        ),
    );
    refused(&GetMarketOrderbooks::new(["A", ""]), "tickers");
    refused(&GetMarketOrderbooks::new(["x".repeat(201)]), "tickers");
    built(
        &GetMarketOrderbooks::new(["x".repeat(200)]),
        &format!("/markets/orderbooks?tickers={}", "x".repeat(200)),
    );

    let body = r#"{"orderbooks": [
        {"ticker": "KXHIGHNY-26DEC06-B45.5", "orderbook_fp": {"yes_dollars": [["0.5600", "120.00"]], "no_dollars": []}},
        {"ticker": "KXHIGHNY-26DEC06-B47.5", "orderbook_fp": {"yes_dollars": [], "no_dollars": [["0.9100", "2.00"]]}}
    ]}"#;
    let books = parse::<GetMarketOrderbooks>(body).orderbooks;
    assert_eq!(books.len(), 2);
    assert_eq!(books[1].ticker, "KXHIGHNY-26DEC06-B47.5");
    assert_eq!(books[1].orderbook_fp.no_dollars[0].price, price("0.91"));
}

#[test]
fn trades_request_and_answer() {
    built(&GetTrades::new(), "/markets/trades");
    built(
        &GetTrades::new()
            .limit(1000)
            .cursor("c")
            .ticker("KXHIGHNY-26DEC06-B45.5")
            .min_ts(1_765_000_000)
            .max_ts(1_765_086_400)
            .is_block_trade(false),
        "/markets/trades?limit=1000&cursor=c&ticker=KXHIGHNY-26DEC06-B45.5&min_ts=1765000000\
         &max_ts=1765086400&is_block_trade=false",
    );
    refused(&GetTrades::new().limit(1001), "limit");

    let body = r#"{"trades": [{
        "trade_id": "d91bc706-ee49-470d-82d8-11418bda6fed",
        "ticker": "KXHIGHNY-26DEC06-B45.5",
        "count_fp": "25.00",
        "yes_price_dollars": "0.5700",
        "no_price_dollars": "0.4300",
        "taker_side": "yes",
        "taker_outcome_side": "yes",
        "taker_book_side": "bid",
        "created_time": "2026-12-05T14:02:11.523913Z",
        "is_block_trade": false
    }], "cursor": ""}"#;
    let page = parse::<GetTrades>(body);
    assert_eq!(page.cursor, None);
    let t = &page.trades[0];
    assert_eq!(t.count_fp, count("25"));
    assert_eq!(t.yes_price_dollars, price("0.57"));
    assert_eq!(t.taker_outcome_side, OutcomeSide::Yes);
    assert_eq!(t.taker_book_side, BookSide::Bid);
    assert_eq!(t.created_time, time("2026-12-05T14:02:11.523913Z"));
}

/// Candlesticks as the exchange sends them: one hour with trades, one without.
const CANDLESTICKS: &str = r#"[
    {"end_period_ts": 1765000800,
     "yes_bid": {"open_dollars": "0.5400", "low_dollars": "0.5300", "high_dollars": "0.5600", "close_dollars": "0.5600"},
     "yes_ask": {"open_dollars": "0.5600", "low_dollars": "0.5500", "high_dollars": "0.5900", "close_dollars": "0.5800"},
     "price": {"open_dollars": "0.5500", "low_dollars": "0.5500", "high_dollars": "0.5700", "close_dollars": "0.5700",
               "mean_dollars": "0.5612", "previous_dollars": "0.5400", "min_dollars": "0.5500", "max_dollars": "0.5700"},
     "volume_fp": "412.00", "open_interest_fp": "9120.00"},
    {"end_period_ts": 1765004400,
     "yes_bid": {"open_dollars": "0.5600", "low_dollars": "0.5600", "high_dollars": "0.5600", "close_dollars": "0.5600"},
     "yes_ask": {"open_dollars": "0.5800", "low_dollars": "0.5800", "high_dollars": "0.5800", "close_dollars": "0.5800"},
     "price": {"open_dollars": null, "low_dollars": null, "high_dollars": null, "close_dollars": null,
               "mean_dollars": null, "previous_dollars": "0.5700"},
     "volume_fp": "0.00", "open_interest_fp": "9120.00"}
]"#;

#[test]
fn candlesticks_request_and_answer() {
    let op = GetMarketCandlesticks::new(
        "KXHIGHNY",
        "KXHIGHNY-26DEC06-B45.5",
        1_765_000_000,
        1_765_086_400,
        60,
    );
    built(
        &op,
        "/series/KXHIGHNY/markets/KXHIGHNY-26DEC06-B45.5/candlesticks?start_ts=1765000000\
         &end_ts=1765086400&period_interval=60",
    );
    built(
        &op.clone().include_latest_before_start(true),
        "/series/KXHIGHNY/markets/KXHIGHNY-26DEC06-B45.5/candlesticks?start_ts=1765000000\
         &end_ts=1765086400&period_interval=60&include_latest_before_start=true",
    );
    for p in [1, 1440] {
        let mut ok = op.clone();
        ok.period_interval = p;
        assert!(client().request(&ok, Timestamp::from_millis(TS)).is_ok());
    }
    for p in [0, 5, 61, 1441] {
        let mut bad = op.clone();
        bad.period_interval = p;
        refused(&bad, "period_interval");
    }
    let mut bad = op.clone();
    bad.end_ts = bad.start_ts - 1;
    refused(&bad, "end_ts");
    refused(
        &GetMarketCandlesticks::new("", "T", 1, 2, 60),
        "series_ticker",
    );
    refused(&GetMarketCandlesticks::new("S", ".", 1, 2, 60), "ticker");

    let body = format!(r#"{{"ticker": "KXHIGHNY-26DEC06-B45.5", "candlesticks": {CANDLESTICKS}}}"#);
    let c = parse::<GetMarketCandlesticks>(&body);
    assert_eq!(c.candlesticks.len(), 2);
    let first = &c.candlesticks[0];
    assert_eq!(first.end_period_ts, 1_765_000_800);
    assert_eq!(first.yes_bid.close_dollars, price("0.56"));
    assert_eq!(first.price.mean_dollars, Some(price("0.5612")));
    assert_eq!(first.volume_fp, count("412"));
    let quiet = &c.candlesticks[1].price;
    assert_eq!(quiet.close_dollars, None);
    assert_eq!(quiet.max_dollars, None);
    assert_eq!(quiet.previous_dollars, Some(price("0.57")));
}

#[test]
fn batch_candlesticks_request_and_answer() {
    let op = BatchGetMarketCandlesticks::new(
        ["KXHIGHNY-26DEC06-B45.5", "KXHIGHNY-26DEC06-B47.5"],
        1_765_000_000,
        1_765_086_400,
        60,
    );
    built(
        &op.clone().include_latest_before_start(false),
        "/markets/candlesticks?market_tickers=KXHIGHNY-26DEC06-B45.5%2CKXHIGHNY-26DEC06-B47.5\
         &start_ts=1765000000&end_ts=1765086400&period_interval=60\
         &include_latest_before_start=false",
    );
    refused(
        &BatchGetMarketCandlesticks::new(Vec::<String>::new(), 1, 2, 60),
        "market_tickers",
    );
    refused(
        &BatchGetMarketCandlesticks::new((0..101).map(|i| format!("T{i}")), 1, 2, 60),
        "market_tickers",
    );
    assert!(
        client()
            .request(
                &BatchGetMarketCandlesticks::new((0..100).map(|i| format!("T{i}")), 1, 2, 60),
                Timestamp::from_millis(TS)
            )
            .is_ok()
    );
    refused(
        &BatchGetMarketCandlesticks::new(["A,B"], 1, 2, 60),
        "market_tickers",
    );
    refused(
        &BatchGetMarketCandlesticks::new(["A", ""], 1, 2, 60),
        "market_tickers",
    );
    refused(
        &BatchGetMarketCandlesticks::new(["A"], 1, 2, 0),
        "period_interval",
    );
    refused(&BatchGetMarketCandlesticks::new(["A"], 3, 2, 60), "end_ts");

    let body = format!(
        r#"{{"markets": [{{"market_ticker": "KXHIGHNY-26DEC06-B45.5", "candlesticks": {CANDLESTICKS}}},
                        {{"market_ticker": "KXHIGHNY-26DEC06-B47.5", "candlesticks": []}}]}}"#
    );
    let r = parse::<BatchGetMarketCandlesticks>(&body);
    assert_eq!(
        r.markets[0].candlesticks[0].yes_ask.high_dollars,
        price("0.59")
    );
    assert!(r.markets[1].candlesticks.is_empty());
}

const SERIES: &str = r#"{
    "ticker": "KXHIGHNY",
    "frequency": "daily",
    "title": "Highest temperature in NYC",
    "category": "Climate and Weather",
    "tags": ["Daily temperature"],
    "settlement_sources": [{"name": "National Weather Service", "url": "https://www.weather.gov/"}],
    "contract_url": "https://kalshi-public-docs.s3.amazonaws.com/contract_terms/NHIGH.pdf",
    "contract_terms_url": "https://kalshi-public-docs.s3.amazonaws.com/contract_terms/NHIGH.pdf",
    "product_metadata": null,
    "fee_type": "quadratic",
    "fee_multiplier": 1,
    "additional_prohibitions": null,
    "volume_fp": "1523400.00",
    "last_updated_ts": "2026-11-30T18:22:05Z"
}"#;

#[test]
fn series_requests_and_answers() {
    built(&GetSeries::new("KXHIGHNY"), "/series/KXHIGHNY");
    built(
        &GetSeries::new("KXHIGHNY").include_volume(true),
        "/series/KXHIGHNY?include_volume=true",
    );
    refused(&GetSeries::new(""), "series_ticker");
    let s = parse::<GetSeries>(&format!(r#"{{"series": {SERIES}}}"#)).series;
    assert_eq!(s.fee_type, FeeType::Quadratic);
    assert_eq!(s.fee_multiplier.as_u64(), Some(1));
    assert!(s.additional_prohibitions.is_empty());
    assert_eq!(
        s.settlement_sources[0].name.as_deref(),
        Some("National Weather Service")
    );
    assert_eq!(s.volume_fp, Some(count("1523400")));
    assert_eq!(s.last_updated_ts, Some(time("2026-11-30T18:22:05Z")));
    assert_eq!(s.exchange_index, None);

    built(&GetSeriesList::new(), "/series");
    built(
        &GetSeriesList::new()
            .category("Climate and Weather")
            .tags("Daily temperature")
            .include_product_metadata(true)
            .include_volume(false)
            .min_updated_ts(1_765_000_000),
        "/series?category=Climate%20and%20Weather&tags=Daily%20temperature\
         &include_product_metadata=true&include_volume=false&min_updated_ts=1765000000",
    );
    let list = parse::<GetSeriesList>(&format!(r#"{{"series": [{SERIES}]}}"#)).series;
    assert_eq!(list[0].ticker, "KXHIGHNY");
    assert_eq!(list[0].tags, vec!["Daily temperature".to_owned()]);
}

// -------------------------------------------------------------------------------------------
// Property test: arbitrary path and query values are refused naming the field, or sent so that
// the signed path is the path sent and each value decodes back.
// -------------------------------------------------------------------------------------------

/// Strings meant to break paths and queries.
pub(crate) fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9_.-]{1,30}",
        2 => "[/?#% &=+;:@,.\\\\]{1,8}",
        2 => "\\PC{0,16}",
        1 => Just(String::new()),
        1 => prop::sample::select(vec![".", "..", "%2F", "a b", "é"]).prop_map(str::to_owned),
        1 => "[a-z/%]{1020,1030}",
    ]
}

/// A path parameter the rules refuse.
pub(crate) fn bad_id(id: &str) -> bool {
    id.is_empty() || id == "." || id == ".." || id.len() > 1024
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap(),
            );
            i += 3;
        } else {
            assert!(
                b[i].is_ascii_alphanumeric() || b"-._~".contains(&b[i]),
                "raw {s:?}"
            );
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Builds `op`; if `problems` is empty it must be sent with path parameters `params` (each one
/// segment after the `literals` before it) and query `query`, signed over that exact path;
/// otherwise refused naming one of `problems`.
pub(crate) fn check<O: Operation>(
    op: &O,
    problems: &[&str],
    literals: &[&str],
    params: &[&str],
    query: &[(&str, String)],
) -> Result<(), TestCaseError> {
    let ts = TS;
    match client().request(op, Timestamp::from_millis(ts)) {
        Err(Error::InvalidInput { field, .. }) => {
            prop_assert!(
                problems.contains(&field),
                "{} refused `{field}`, problems {problems:?}",
                O::NAME
            );
            Ok(())
        }
        Err(e) => Err(TestCaseError::fail(format!("{}: {e:?}", O::NAME))),
        Ok(req) => {
            prop_assert!(problems.is_empty(), "{} accepted {problems:?}", O::NAME);
            let path = req.uri().path();
            let mut rest = path.strip_prefix("/trade-api/v2").unwrap();
            for (i, lit) in literals.iter().enumerate() {
                rest = rest
                    .strip_prefix(lit)
                    .ok_or_else(|| TestCaseError::fail(format!("{path}: no {lit}")))?;
                if let Some(p) = params.get(i) {
                    let end = rest.find('/').unwrap_or(rest.len());
                    prop_assert_eq!(percent_decode(&rest[..end]), *p);
                    rest = &rest[end..];
                }
            }
            prop_assert!(rest.is_empty(), "{path}: {rest:?} left");
            let mut sent: Vec<(String, String)> = req
                .uri()
                .query()
                .unwrap_or("")
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap();
                    (k.to_owned(), percent_decode(v))
                })
                .collect();
            let mut want: Vec<(String, String)> = query
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            sent.sort();
            want.sort();
            prop_assert_eq!(sent, want);
            let sig = req.headers()[crate::auth::HEADER_ACCESS_SIGNATURE]
                .to_str()
                .unwrap();
            let key = VerifyingKey::from_pem(PUBLIC).unwrap();
            prop_assert!(key.verify_request(ts, "GET", path, sig).is_ok());
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn market_path_parameters(ticker in hostile(), depth in proptest::option::of(0u32..200)) {
        let mut problems = Vec::new();
        if bad_id(&ticker) { problems.push("ticker"); }
        check(&GetMarket::new(ticker.clone()), &problems, &["/markets/"], &[&ticker], &[])?;
        if depth.is_some_and(|d| d > 100) { problems.push("depth"); }
        let mut op = GetMarketOrderbook::new(ticker.clone());
        op.depth = depth;
        let q: Vec<_> = depth.map(|d| ("depth", d.to_string())).into_iter().collect();
        check(&op, &problems, &["/markets/", "/orderbook"], &[&ticker], &q)?;
    }

    #[test]
    fn series_path_parameters(
        series in hostile(),
        ticker in hostile(),
        period in prop_oneof![Just(1u32), Just(60), Just(1440), any::<u32>()],
        start in any::<i64>(),
        end in any::<i64>(),
    ) {
        let mut problems = Vec::new();
        if bad_id(&series) { problems.push("series_ticker"); }
        check(&GetSeries::new(series.clone()), &problems, &["/series/"], &[&series], &[])?;
        if bad_id(&ticker) { problems.push("ticker"); }
        if ![1, 60, 1440].contains(&period) { problems.push("period_interval"); }
        if start > end { problems.push("end_ts"); }
        check(
            &GetMarketCandlesticks::new(series.clone(), ticker.clone(), start, end, period),
            &problems,
            &["/series/", "/markets/", "/candlesticks"],
            &[&series, &ticker],
            &[
                ("start_ts", start.to_string()),
                ("end_ts", end.to_string()),
                ("period_interval", period.to_string()),
            ],
        )?;
    }

    #[test]
    fn market_list_query_values(
        event in proptest::option::of(hostile()),
        series in proptest::option::of(hostile()),
        tickers in proptest::collection::vec(hostile(), 0..4),
        book in proptest::collection::vec(hostile(), 0..4),
    ) {
        let mut problems = Vec::new();
        if event.as_deref().is_some_and(|e| e.is_empty() || e.contains(',')) {
            problems.push("event_ticker");
        }
        if series.as_deref() == Some("") { problems.push("series_ticker"); }
        if tickers.iter().any(|t| t.is_empty() || t.contains(',')) { problems.push("tickers"); }
        let mut op = GetMarkets::new().tickers(tickers.clone());
        op.event_ticker = event.clone();
        op.series_ticker = series.clone();
        let mut q = Vec::new();
        q.extend(event.map(|e| ("event_ticker", e)));
        q.extend(series.map(|s| ("series_ticker", s)));
        if !tickers.is_empty() { q.push(("tickers", tickers.join(","))); }
        check(&op, &problems, &["/markets"], &[], &q)?;

        let bad_book = book.is_empty() || book.iter().any(|t| t.is_empty() || t.len() > 200);
        let q: Vec<_> = book.iter().map(|t| ("tickers", t.clone())).collect();
        check(
            &GetMarketOrderbooks::new(book.clone()),
            if bad_book { &["tickers"] } else { &[] },
            &["/markets/orderbooks"],
            &[],
            &q,
        )?;
    }
}
