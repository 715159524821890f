//! Request bytes, refusals before signing and realistic answers for the historical operations,
//! and a property test of their path and query parameters.

use http::StatusCode;
use proptest::prelude::*;

use super::*;
use crate::Error;
use crate::enums::{BookSide, OrderStatus, OutcomeSide};
use crate::market::tests::{
    MARKET, bad_id, built, check, count, hostile, parse, price, refused, time,
};
use crate::market::{MarketStatus, MveFilter};
use crate::pagination::Pages;

#[test]
fn cutoff_request_and_answer() {
    built(&GetHistoricalCutoff::new(), "/historical/cutoff");
    let c = parse::<GetHistoricalCutoff>(
        r#"{"market_settled_ts": "2026-09-01T00:00:00Z",
            "trades_created_ts": "2026-09-01T00:00:00Z",
            "orders_updated_ts": "2026-08-15T12:30:00.5Z",
            "market_positions_last_updated_ts": "2026-08-01T00:00:00Z"}"#,
    );
    assert_eq!(c.market_settled_ts, time("2026-09-01T00:00:00Z"));
    assert_eq!(c.orders_updated_ts, time("2026-08-15T12:30:00.5Z"));
    assert_eq!(
        c.market_positions_last_updated_ts,
        Some(time("2026-08-01T00:00:00Z"))
    );
    let older = parse::<GetHistoricalCutoff>(
        r#"{"market_settled_ts": "2026-09-01T00:00:00Z",
            "trades_created_ts": "2026-09-01T00:00:00Z",
            "orders_updated_ts": "2026-09-01T00:00:00Z"}"#,
    );
    assert_eq!(older.market_positions_last_updated_ts, None);
}

#[test]
fn historical_markets_requests_and_answers() {
    built(&GetHistoricalMarkets::new(), "/historical/markets");
    built(
        &GetHistoricalMarkets::new()
            .limit(1000)
            .cursor("c")
            .series_ticker("KXHIGHNY")
            .mve_filter(MveFilter::Exclude),
        "/historical/markets?limit=1000&cursor=c&series_ticker=KXHIGHNY&mve_filter=exclude",
    );
    built(
        &GetHistoricalMarkets::new().tickers(["KXHIGHNY-24JAN01-B45.5", "KXHIGHNY-24JAN01-B47.5"]),
        "/historical/markets?tickers=KXHIGHNY-24JAN01-B45.5%2CKXHIGHNY-24JAN01-B47.5",
    );
    built(
        &GetHistoricalMarkets::new().event_ticker("KXHIGHNY-24JAN01"),
        "/historical/markets?event_ticker=KXHIGHNY-24JAN01",
    );
    refused(&GetHistoricalMarkets::new().limit(1001), "limit");
    refused(
        &GetHistoricalMarkets::new()
            .tickers(["KXHIGHNY-24JAN01-B45.5"])
            .event_ticker("KXHIGHNY-24JAN01"),
        "event_ticker",
    );
    refused(
        &GetHistoricalMarkets::new()
            .event_ticker("KXHIGHNY-24JAN01")
            .series_ticker("KXHIGHNY"),
        "series_ticker",
    );
    refused(
        &GetHistoricalMarkets::new().event_ticker("A,B"),
        "event_ticker",
    );
    refused(&GetHistoricalMarkets::new().tickers([""]), "tickers");
    refused(
        &GetHistoricalMarkets::new().mve_filter(MveFilter::Only),
        "mve_filter",
    );

    let settled = MARKET
        .replace(r#""status": "active""#, r#""status": "finalized""#)
        .replace(r#""result": """#, r#""result": "no""#);
    let page =
        parse::<GetHistoricalMarkets>(&format!(r#"{{"markets": [{settled}], "cursor": "next"}}"#));
    assert_eq!(page.markets[0].status, MarketStatus::Finalized);
    assert_eq!(page.cursor.as_deref(), Some("next"));
    let mut pages = Pages::new(GetHistoricalMarkets::new());
    assert_eq!(pages.on_page(page).len(), 1);
    assert_eq!(pages.next_op().unwrap().cursor.as_deref(), Some("next"));

    built(
        &GetHistoricalMarket::new("KXHIGHNY-24JAN01-B45.5"),
        "/historical/markets/KXHIGHNY-24JAN01-B45.5",
    );
    refused(&GetHistoricalMarket::new(""), "ticker");
    let m = parse::<GetHistoricalMarket>(&format!(r#"{{"market": {settled}}}"#)).market;
    assert_eq!(m.result, crate::market::MarketResult::No);
    let not_found = crate::response::parse::<GetHistoricalMarket>(
        StatusCode::NOT_FOUND,
        br#"{"code":"not_found","message":"market not found"}"#,
    );
    assert!(matches!(not_found, Err(Error::NotFound(_))));
}

#[test]
fn historical_candlesticks_request_and_answer() {
    let op = GetMarketCandlesticksHistorical::new(
        "KXHIGHNY-24JAN01-B45.5",
        1_704_067_200,
        1_704_153_600,
        1440,
    );
    built(
        &op,
        "/historical/markets/KXHIGHNY-24JAN01-B45.5/candlesticks?start_ts=1704067200\
         &end_ts=1704153600&period_interval=1440",
    );
    refused(
        &GetMarketCandlesticksHistorical::new("T", 1, 2, 30),
        "period_interval",
    );
    refused(
        &GetMarketCandlesticksHistorical::new("T", 2, 1, 60),
        "end_ts",
    );
    refused(
        &GetMarketCandlesticksHistorical::new("", 1, 2, 60),
        "ticker",
    );

    let body = r#"{"ticker": "KXHIGHNY-24JAN01-B45.5", "candlesticks": [
        {"end_period_ts": 1704153600,
         "yes_bid": {"open": "0.4100", "low": "0.0100", "high": "0.4400", "close": "0.0100"},
         "yes_ask": {"open": "0.4300", "low": "0.0200", "high": "0.4600", "close": "0.0200"},
         "price": {"open": "0.4200", "low": "0.0100", "high": "0.4500", "close": "0.0100",
                   "mean": "0.2875", "previous": "0.4000"},
         "volume": "5120.00", "open_interest": "0.00"},
        {"end_period_ts": 1704240000,
         "yes_bid": {"open": "0.0100", "low": "0.0100", "high": "0.0100", "close": "0.0100"},
         "yes_ask": {"open": "0.0200", "low": "0.0200", "high": "0.0200", "close": "0.0200"},
         "price": {"open": null, "low": null, "high": null, "close": null, "mean": null,
                   "previous": "0.0100"},
         "volume": "0.00", "open_interest": "0.00"}
    ]}"#;
    let c = parse::<GetMarketCandlesticksHistorical>(body);
    assert_eq!(c.candlesticks[0].price.mean, Some(price("0.2875")));
    assert_eq!(c.candlesticks[0].yes_ask.high, price("0.46"));
    assert_eq!(c.candlesticks[0].volume, count("5120"));
    assert_eq!(c.candlesticks[1].price.close, None);
    assert_eq!(c.candlesticks[1].price.previous, Some(price("0.01")));
}

#[test]
fn historical_trades_request_and_answer() {
    built(&GetTradesHistorical::new(), "/historical/trades");
    built(
        &GetTradesHistorical::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .min_ts(1_704_067_200)
            .max_ts(1_704_153_600)
            .limit(0)
            .cursor("c")
            .is_block_trade(true),
        "/historical/trades?ticker=KXHIGHNY-24JAN01-B45.5&min_ts=1704067200&max_ts=1704153600\
         &limit=0&cursor=c&is_block_trade=true",
    );
    refused(&GetTradesHistorical::new().limit(1001), "limit");
    let page = parse::<GetTradesHistorical>(
        r#"{"trades": [{"trade_id": "0b7c2f1e-6a55-4c9d-9d0f-3f1f6f0f8a11",
            "ticker": "KXHIGHNY-24JAN01-B45.5", "count_fp": "1000.00",
            "yes_price_dollars": "0.4200", "no_price_dollars": "0.5800",
            "taker_outcome_side": "no", "taker_book_side": "ask",
            "created_time": "2024-01-01T14:00:00Z", "is_block_trade": true}],
            "cursor": "abc"}"#,
    );
    let t = &page.trades[0];
    assert_eq!(t.taker_outcome_side, OutcomeSide::No);
    assert_eq!(t.taker_book_side, BookSide::Ask);
    assert_eq!(t.taker_side, None);
    assert!(t.is_block_trade);
}

#[test]
fn historical_portfolio_requests_and_answers() {
    built(&GetFillsHistorical::new(), "/historical/fills");
    built(
        &GetFillsHistorical::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .max_ts(1_704_153_600)
            .limit(1000)
            .cursor("c"),
        "/historical/fills?ticker=KXHIGHNY-24JAN01-B45.5&max_ts=1704153600&limit=1000&cursor=c",
    );
    refused(&GetFillsHistorical::new().limit(0), "limit");
    refused(&GetFillsHistorical::new().limit(1001), "limit");
    let fills = parse::<GetFillsHistorical>(
        r#"{"fills": [{"fill_id": "f1", "trade_id": "t1", "order_id": "o1",
            "ticker": "KXHIGHNY-24JAN01-B45.5", "market_ticker": "KXHIGHNY-24JAN01-B45.5",
            "outcome_side": "yes", "book_side": "bid", "count_fp": "10.00",
            "yes_price_dollars": "0.4200", "no_price_dollars": "0.5800", "is_taker": true,
            "fee_cost": "0.0700", "exchange_index": 0,
            "created_time": "2024-01-01T14:00:00Z"}], "cursor": ""}"#,
    );
    assert_eq!(fills.fills[0].count_fp, count("10"));
    assert_eq!(fills.cursor, None);

    built(&GetHistoricalOrders::new(), "/historical/orders");
    built(
        &GetHistoricalOrders::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .max_ts(1_704_153_600)
            .limit(1)
            .cursor("c"),
        "/historical/orders?ticker=KXHIGHNY-24JAN01-B45.5&max_ts=1704153600&limit=1&cursor=c",
    );
    refused(&GetHistoricalOrders::new().limit(1001), "limit");
    let orders = parse::<GetHistoricalOrders>(
        r#"{"orders": [{"order_id": "o1", "user_id": "u1", "client_order_id": "c1",
            "ticker": "KXHIGHNY-24JAN01-B45.5", "outcome_side": "yes", "book_side": "bid",
            "type": "limit", "status": "executed", "yes_price_dollars": "0.4200",
            "no_price_dollars": "0.5800", "fill_count_fp": "10.00",
            "remaining_count_fp": "0.00", "initial_count_fp": "10.00",
            "taker_fill_cost_dollars": "4.2000", "maker_fill_cost_dollars": "0.0000",
            "taker_fees_dollars": "0.0700", "maker_fees_dollars": "0.0000"}],
            "cursor": "next"}"#,
    );
    assert_eq!(orders.orders[0].status, OrderStatus::Executed);
    assert_eq!(orders.orders[0].fill_count_fp, count("10"));

    built(&GetHistoricalPositions::new(), "/historical/positions");
    built(
        &GetHistoricalPositions::new()
            .ticker("KXHIGHNY-24JAN01-B45.5")
            .event_ticker("KXHIGHNY-24JAN01")
            .limit(100)
            .cursor("c"),
        "/historical/positions?ticker=KXHIGHNY-24JAN01-B45.5&event_ticker=KXHIGHNY-24JAN01\
         &limit=100&cursor=c",
    );
    refused(&GetHistoricalPositions::new().limit(0), "limit");
    refused(
        &GetHistoricalPositions::new().event_ticker("A,B"),
        "event_ticker",
    );
    let positions = parse::<GetHistoricalPositions>(
        r#"{"market_positions": [{"ticker": "KXHIGHNY-24JAN01-B45.5", "exchange_index": 0,
            "total_traded_dollars": "4.2000", "position_fp": "0.00",
            "market_exposure_dollars": "0.0000", "realized_pnl_dollars": "-4.2700",
            "fees_paid_dollars": "0.0700", "last_updated_ts": "2024-01-02T15:00:00Z"}],
            "event_positions": [{"event_ticker": "KXHIGHNY-24JAN01",
            "total_cost_dollars": "4.2000", "total_cost_shares_fp": "10.00",
            "event_exposure_dollars": "0.0000", "realized_pnl_dollars": "-4.2700",
            "fees_paid_dollars": "0.0700"}], "cursor": ""}"#,
    );
    assert_eq!(positions.market_positions[0].position_fp, count("0"));
    assert_eq!(
        positions.market_positions[0].realized_pnl_dollars,
        Some(price("-4.27"))
    );
    assert_eq!(
        positions.event_positions[0].event_ticker,
        "KXHIGHNY-24JAN01"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn historical_path_and_query_parameters(
        ticker in hostile(),
        query in hostile(),
        period in prop_oneof![Just(1u32), Just(60), Just(1440), any::<u32>()],
    ) {
        let mut problems = Vec::new();
        if bad_id(&ticker) { problems.push("ticker"); }
        check(
            &GetHistoricalMarket::new(ticker.clone()),
            &problems,
            &["/historical/markets/"],
            &[&ticker],
            &[],
        )?;
        if ![1, 60, 1440].contains(&period) { problems.push("period_interval"); }
        check(
            &GetMarketCandlesticksHistorical::new(ticker.clone(), 1, 2, period),
            &problems,
            &["/historical/markets/", "/candlesticks"],
            &[&ticker],
            &[
                ("start_ts", "1".to_owned()),
                ("end_ts", "2".to_owned()),
                ("period_interval", period.to_string()),
            ],
        )?;
        // Free-form query values are sent as they are.
        check(
            &GetTradesHistorical::new().ticker(query.clone()),
            &[],
            &["/historical/trades"],
            &[],
            &[("ticker", query.clone())],
        )?;
        check(
            &GetFillsHistorical::new().ticker(query.clone()),
            &[],
            &["/historical/fills"],
            &[],
            &[("ticker", query.clone())],
        )?;
        let bad_event = query.is_empty() || query.contains(',');
        check(
            &GetHistoricalPositions::new().event_ticker(query.clone()),
            if bad_event { &["event_ticker"] } else { &[] },
            &["/historical/positions"],
            &[],
            &[("event_ticker", query.clone())],
        )?;
    }
}
