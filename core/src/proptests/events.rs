//! Requests of the events operations from arbitrary field values: refused before signing,
//! naming a field the documented rules refuse, or signed over exactly the path sent, with path
//! and query parameters decoding back to the caller's values (see [`super::requests`]).

use http::Method;
use proptest::option;
use proptest::prelude::*;

use super::requests::{Expect, Piece, bad_id, check, config, hostile, query_string, timestamp_opt};
use crate::events::{
    CANDLESTICK_PERIODS, EventStatus, FORECAST_PERIODS, GetEvent, GetEventFeeChanges,
    GetEventForecastPercentilesHistory, GetEventMetadata, GetEvents, GetMarketCandlesticksByEvent,
    GetMultivariateEvents,
};

/// A page size around the documented `1..=max`.
fn limit(max: u32) -> impl Strategy<Value = Option<u32>> {
    option::of(prop_oneof![
        3 => 1u32..=max,
        1 => prop_oneof![Just(0u32), Just(max + 1), any::<u32>()],
    ])
}

fn bad_limit(limit: Option<u32>, max: u32) -> bool {
    limit.is_some_and(|l| l == 0 || l > max)
}

fn status() -> impl Strategy<Value = Option<EventStatus>> {
    option::of(prop_oneof![
        2 => Just(EventStatus::Unopened),
        2 => Just(EventStatus::Open),
        2 => Just(EventStatus::Closed),
        2 => Just(EventStatus::Settled),
        1 => hostile().prop_map(|s| EventStatus::from_api(&s)),
    ])
}

fn timestamp() -> impl Strategy<Value = i64> {
    prop_oneof![3 => 1_700_000_000i64..1_800_000_000, 1 => any::<i64>()]
}

/// A period: mostly one of `allowed`, sometimes anything.
fn period(allowed: &'static [u32]) -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => prop::sample::select(allowed),
        1 => prop_oneof![Just(5u32), Just(u32::MAX), any::<u32>()],
    ]
}

fn percentiles() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(
        prop_oneof![8 => 0u32..=9999, 1 => Just(10_000u32), 1 => any::<u32>()],
        0..=12,
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn get_events(ts in any::<u64>(), limit in limit(200), cursor in option::of(query_string()),
                  nested in option::of(any::<bool>()), milestones in option::of(any::<bool>()),
                  status in status(), series in option::of(query_string()),
                  tickers in option::of(query_string()), min_close in timestamp_opt(),
                  min_updated in timestamp_opt()) {
        let op = GetEvents {
            limit, cursor: cursor.clone(), with_nested_markets: nested,
            with_milestones: milestones, status: status.clone(), series_ticker: series.clone(),
            tickers: tickers.clone(), min_close_ts: min_close, min_updated_ts: min_updated,
        };
        let bad_status = matches!(status, Some(EventStatus::Unknown(_)));
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/events")])
            .query("limit", limit)
            .query("cursor", cursor)
            .query("with_nested_markets", nested)
            .query("with_milestones", milestones)
            .query("status", status)
            .query("series_ticker", series)
            .query("tickers", tickers)
            .query("min_close_ts", min_close)
            .query("min_updated_ts", min_updated)
            .problem_if(bad_limit(limit, 200), "limit")
            .problem_if(bad_status, "status");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_multivariate_events(ts in any::<u64>(), limit in limit(200),
                               cursor in option::of(query_string()),
                               series in option::of(query_string()),
                               collection in option::of(query_string()),
                               nested in option::of(any::<bool>())) {
        let op = GetMultivariateEvents {
            limit, cursor: cursor.clone(), series_ticker: series.clone(),
            collection_ticker: collection.clone(), with_nested_markets: nested,
        };
        let both = series.is_some() && collection.is_some();
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/events/multivariate")])
            .query("limit", limit)
            .query("cursor", cursor)
            .query("series_ticker", series)
            .query("collection_ticker", collection)
            .query("with_nested_markets", nested)
            .problem_if(bad_limit(limit, 200), "limit")
            .problem_if(both, "collection_ticker");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_event_fee_changes(ts in any::<u64>(), event in option::of(query_string()),
                             limit in limit(1000), cursor in option::of(query_string())) {
        let op = GetEventFeeChanges { event_ticker: event.clone(), limit, cursor: cursor.clone() };
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/events/fee_changes")])
            .query("event_ticker", event)
            .query("limit", limit)
            .query("cursor", cursor)
            .problem_if(bad_limit(limit, 1000), "limit");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_event_and_metadata(ts in any::<u64>(), id in hostile(), metadata in any::<bool>(),
                              nested in option::of(any::<bool>())) {
        if metadata {
            let expect = Expect::new(Method::GET, vec![
                Piece::Lit("/events/"), Piece::Param(&id), Piece::Lit("/metadata"),
            ])
            .problem_if(bad_id(&id), "event_ticker");
            check(&GetEventMetadata { event_ticker: id.clone() }, ts, expect)?;
        } else {
            let expect = Expect::new(Method::GET, vec![Piece::Lit("/events/"), Piece::Param(&id)])
                .query("with_nested_markets", nested)
                .problem_if(bad_id(&id), "event_ticker");
            let op = GetEvent { event_ticker: id.clone(), with_nested_markets: nested };
            check(&op, ts, expect)?;
        }
    }

    #[test]
    fn get_market_candlesticks_by_event(ts in any::<u64>(), series in hostile(),
                                        ticker in hostile(), start in timestamp(),
                                        end in timestamp(),
                                        interval in period(&CANDLESTICK_PERIODS)) {
        let op = GetMarketCandlesticksByEvent {
            series_ticker: series.clone(), ticker: ticker.clone(), start_ts: start, end_ts: end,
            period_interval: interval,
        };
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/series/"), Piece::Param(&series), Piece::Lit("/events/"),
            Piece::Param(&ticker), Piece::Lit("/candlesticks"),
        ])
        .query("start_ts", Some(start))
        .query("end_ts", Some(end))
        .query("period_interval", Some(interval))
        .problem_if(bad_id(&series), "series_ticker")
        .problem_if(bad_id(&ticker), "ticker")
        .problem_if(start > end, "start_ts")
        .problem_if(!CANDLESTICK_PERIODS.contains(&interval), "period_interval");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_event_forecast_percentiles_history(ts in any::<u64>(), series in hostile(),
                                              ticker in hostile(), pcts in percentiles(),
                                              start in timestamp(), end in timestamp(),
                                              interval in period(&FORECAST_PERIODS)) {
        let op = GetEventForecastPercentilesHistory {
            series_ticker: series.clone(), ticker: ticker.clone(), percentiles: pcts.clone(),
            start_ts: start, end_ts: end, period_interval: interval,
        };
        let bad_pcts = pcts.is_empty() || pcts.len() > 10 || pcts.iter().any(|p| *p > 9999);
        let mut expect = Expect::new(Method::GET, vec![
            Piece::Lit("/series/"), Piece::Param(&series), Piece::Lit("/events/"),
            Piece::Param(&ticker), Piece::Lit("/forecast_percentile_history"),
        ]);
        for p in &pcts {
            expect = expect.query("percentiles", Some(p));
        }
        let expect = expect
            .query("start_ts", Some(start))
            .query("end_ts", Some(end))
            .query("period_interval", Some(interval))
            .problem_if(bad_id(&series), "series_ticker")
            .problem_if(bad_id(&ticker), "ticker")
            .problem_if(bad_pcts, "percentiles")
            .problem_if(start > end, "start_ts")
            .problem_if(!FORECAST_PERIODS.contains(&interval), "period_interval");
        check(&op, ts, expect)?;
    }
}
