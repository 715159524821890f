//! Requests of the tail areas (milestones, structured targets, search, incentive programs,
//! live data, multivariate collections, FCM) from arbitrary field values: refused before
//! signing, naming a field the documented rules refuse, or signed over exactly the path sent,
//! with path parameters (milestone ids, live data's `{type}`, weather `{city}`, collection
//! tickers, ...), query parameters and bodies decoding back to the caller's values (see
//! [`super::requests`]).

use http::Method;
use proptest::option;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::requests::{Expect, Piece, bad_id, check, config, hostile, query_string};
use crate::FixedPointDollars;
use crate::enums::{OrderStatus, OutcomeSide};
use crate::fcm::{
    CreateFcmPositionTransfer, CreateFcmSubtrader, DeleteFcmEventContractDailyCap, GetFCMOrders,
    GetFCMPositions, GetFcmEventContractDailyCap, GetFcmSubtraderBlockedCategories,
    UpdateFcmEventContractDailyCap, UpdateFcmSubtraderBlockedCategories,
};
use crate::incentive_programs::{GetIncentivePrograms, IncentiveStatusFilter};
use crate::live_data::{
    GetEventLiveData, GetGameStats, GetLiveData, GetLiveDataByMilestone, GetLiveDatas,
    GetWeatherIndex, GetWeatherIndexCalibrations,
};
use crate::milestone::{GetMilestone, GetMilestones};
use crate::multivariate::{
    CollectionStatus, CreateMarketInMultivariateEventCollection, GetMultivariateEventCollection,
    GetMultivariateEventCollections, TickerPair,
};
use crate::structured_targets::{GetStructuredTarget, GetStructuredTargets};

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

/// A required text field: not empty, no control characters.
fn bad_text(s: &str) -> bool {
    s.is_empty() || s.chars().any(char::is_control)
}

fn side() -> impl Strategy<Value = OutcomeSide> {
    prop_oneof![
        3 => Just(OutcomeSide::Yes),
        3 => Just(OutcomeSide::No),
        1 => "[a-z]{0,6}".prop_map(|s| OutcomeSide::from_api(&s)),
    ]
}

fn side_str(s: &OutcomeSide) -> &str {
    s.as_str()
}

/// A subtrader suffix: mostly valid (1..=16 ASCII letters and digits), sometimes not.
fn suffix() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[A-Za-z0-9]{1,16}", 1 => hostile(), 1 => "[A-Za-z0-9]{17,20}"]
}

fn bad_suffix(s: &str) -> bool {
    !(1..=16).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn get_milestone(ts in any::<u64>(), id in hostile()) {
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/milestones/"), Piece::Param(&id)])
            .problem_if(bad_id(&id), "milestone_id");
        check(&GetMilestone::new(id.clone()), ts, expect)?;
    }

    #[test]
    fn get_milestones(ts in any::<u64>(), limit in limit(500),
                      category in option::of(query_string()), kind in option::of(hostile()),
                      related in option::of(hostile()), updated in option::of(any::<i64>())) {
        let mut op = GetMilestones::new(1);
        op.limit = limit;
        op.category = category.clone();
        op.milestone_type = kind.clone();
        op.related_event_ticker = related.clone();
        op.min_updated_ts = updated;
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/milestones")])
            .query("limit", limit)
            .query("category", category)
            .query("type", kind)
            .query("related_event_ticker", related)
            .query("min_updated_ts", updated)
            .problem_if(limit.is_none() || bad_limit(limit, 500), "limit");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_structured_target(ts in any::<u64>(), id in hostile()) {
        let expect = Expect::new(
            Method::GET,
            vec![Piece::Lit("/structured_targets/"), Piece::Param(&id)],
        )
        .problem_if(bad_id(&id), "structured_target_id");
        check(&GetStructuredTarget::new(id.clone()), ts, expect)?;
    }

    #[test]
    fn get_structured_targets(ts in any::<u64>(), ids in prop::collection::vec(hostile(), 0..4),
                              kind in option::of(query_string()), size in limit(2000)) {
        let op = GetStructuredTargets {
            ids: ids.clone(), target_type: kind.clone(), competition: None, page_size: size,
            cursor: None,
        };
        let mut expect = Expect::new(Method::GET, vec![Piece::Lit("/structured_targets")]);
        for id in &ids {
            expect = expect.query("ids", Some(id));
        }
        let expect = expect
            .query("type", kind)
            .query("page_size", size)
            .problem_if(ids.iter().any(String::is_empty), "ids")
            .problem_if(bad_limit(size, 2000), "page_size");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_incentive_programs(ts in any::<u64>(), lim in limit(10_000),
                              status in option::of(prop_oneof![
                                  3 => Just(IncentiveStatusFilter::Active),
                                  1 => "[a-z_]{1,10}".prop_map(|s| IncentiveStatusFilter::from_api(&s)),
                              ]),
                              description in option::of(query_string())) {
        let op = GetIncentivePrograms {
            status: status.clone(), incentive_type: None,
            incentive_description: description.clone(), limit: lim, cursor: None,
        };
        let unknown = matches!(status, Some(IncentiveStatusFilter::Unknown(_)));
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/incentive_programs")])
            .query("status", status)
            .query("incentive_description", description)
            .query("limit", lim)
            .problem_if(bad_limit(lim, 10_000), "limit")
            .problem_if(unknown, "status");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_live_data(ts in any::<u64>(), kind in hostile(), id in hostile(),
                     stats in option::of(any::<bool>())) {
        let op = GetLiveData {
            live_data_type: kind.clone(), milestone_id: id.clone(), include_player_stats: stats,
        };
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/live_data/"), Piece::Param(&kind), Piece::Lit("/milestone/"),
            Piece::Param(&id),
        ])
        .query("include_player_stats", stats)
        .problem_if(bad_id(&kind), "type")
        .problem_if(bad_id(&id), "milestone_id");
        check(&op, ts, expect)?;
    }

    #[test]
    fn milestone_live_data(ts in any::<u64>(), id in hostile(), stats in option::of(any::<bool>()),
                           which in 0..2u8) {
        let bad = bad_id(&id);
        if which == 0 {
            let op = GetLiveDataByMilestone { milestone_id: id.clone(), include_player_stats: stats };
            let expect = Expect::new(Method::GET, vec![
                Piece::Lit("/live_data/milestone/"), Piece::Param(&id),
            ])
            .query("include_player_stats", stats)
            .problem_if(bad, "milestone_id");
            check(&op, ts, expect)?;
        } else {
            let expect = Expect::new(Method::GET, vec![
                Piece::Lit("/live_data/milestone/"), Piece::Param(&id), Piece::Lit("/game_stats"),
            ])
            .problem_if(bad, "milestone_id");
            check(&GetGameStats::new(id.clone()), ts, expect)?;
        }
    }

    #[test]
    fn get_live_datas(ts in any::<u64>(), ids in prop::collection::vec(hostile(), 0..4),
                      stats in option::of(any::<bool>())) {
        let op = GetLiveDatas { milestone_ids: ids.clone(), include_player_stats: stats };
        let mut expect = Expect::new(Method::GET, vec![Piece::Lit("/live_data/batch")]);
        for id in &ids {
            expect = expect.query("milestone_ids", Some(id));
        }
        let expect = expect
            .query("include_player_stats", stats)
            .problem_if(ids.is_empty() || ids.iter().any(String::is_empty), "milestone_ids");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_event_live_data(ts in any::<u64>(), event in hostile(),
                           range in option::of(query_string())) {
        let op = GetEventLiveData { event_ticker: event.clone(), range: range.clone() };
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/live_data/events/"), Piece::Param(&event),
        ])
        .query("range", range)
        .problem_if(bad_id(&event), "event_ticker");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_weather_index(ts in any::<u64>(), city in hostile(),
                         from in option::of(any::<i64>()), to in option::of(any::<i64>()),
                         last_sec in option::of(prop_oneof![3 => 1i64..86_400, 1 => any::<i64>()]),
                         detailed in option::of(any::<bool>())) {
        let op = GetWeatherIndex { city: city.clone(), from, to, last_sec, detailed };
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/live_data/weather/"), Piece::Param(&city),
        ])
        .query("from", from)
        .query("to", to)
        .query("last_sec", last_sec)
        .query("detailed", detailed)
        .problem_if(bad_id(&city), "city")
        .problem_if(last_sec.is_some() && (from.is_some() || to.is_some()), "last_sec")
        .problem_if(last_sec.is_some_and(|s| s <= 0), "last_sec")
        .problem_if(from.is_some() && to.is_none(), "from")
        .problem_if(matches!((from, to), (Some(f), Some(t)) if f > t), "from");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_weather_index_calibrations(ts in any::<u64>(), city in hostile()) {
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/live_data/weather/"), Piece::Param(&city), Piece::Lit("/calibrations"),
        ])
        .problem_if(bad_id(&city), "city");
        check(&GetWeatherIndexCalibrations::new(city.clone()), ts, expect)?;
    }

    #[test]
    fn get_multivariate_event_collection(ts in any::<u64>(), ticker in hostile()) {
        let expect = Expect::new(Method::GET, vec![
            Piece::Lit("/multivariate_event_collections/"), Piece::Param(&ticker),
        ])
        .problem_if(bad_id(&ticker), "collection_ticker");
        check(&GetMultivariateEventCollection::new(ticker.clone()), ts, expect)?;
    }

    #[test]
    fn get_multivariate_event_collections(ts in any::<u64>(), lim in limit(200),
                                          status in option::of(prop_oneof![
                                              3 => Just(CollectionStatus::Open),
                                              1 => hostile().prop_map(|s| CollectionStatus::from_api(&s)),
                                          ]),
                                          series in option::of(query_string())) {
        let op = GetMultivariateEventCollections {
            status: status.clone(), associated_event_ticker: None, series_ticker: series.clone(),
            limit: lim, cursor: None,
        };
        let unknown = matches!(status, Some(CollectionStatus::Unknown(_)));
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/multivariate_event_collections")])
            .query("status", status)
            .query("series_ticker", series)
            .query("limit", lim)
            .problem_if(bad_limit(lim, 200), "limit")
            .problem_if(unknown, "status");
        check(&op, ts, expect)?;
    }

    #[test]
    fn create_market_in_multivariate_event_collection(
        ts in any::<u64>(), ticker in hostile(),
        legs in prop::collection::vec((hostile(), hostile(), side()), 0..3),
        payload in option::of(any::<bool>()),
    ) {
        let op = CreateMarketInMultivariateEventCollection {
            collection_ticker: ticker.clone(),
            selected_markets: legs.iter().map(|(e, m, s)| TickerPair::new(e.clone(), m.clone(), s.clone())).collect(),
            with_market_payload: payload,
        };
        let selected: Vec<Value> = legs.iter().map(|(e, m, s)| json!({
            "market_ticker": m, "event_ticker": e, "side": side_str(s),
        })).collect();
        let mut body = Map::new();
        body.insert("selected_markets".into(), Value::Array(selected));
        if let Some(p) = payload {
            body.insert("with_market_payload".into(), Value::Bool(p));
        }
        let expect = Expect::new(Method::POST, vec![
            Piece::Lit("/multivariate_event_collections/"), Piece::Param(&ticker),
        ])
        .body(Value::Object(body))
        .problem_if(bad_id(&ticker), "collection_ticker")
        .problem_if(legs.is_empty(), "selected_markets")
        .problem_if(legs.iter().any(|(_, m, _)| bad_text(m)), "market_ticker")
        .problem_if(legs.iter().any(|(e, _, _)| bad_text(e)), "event_ticker")
        .problem_if(legs.iter().any(|(_, _, s)| matches!(s, OutcomeSide::Unknown(_))), "side");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_fcm_orders_and_positions(ts in any::<u64>(), sub in query_string(), lim in limit(1000),
                                    ticker in option::of(query_string()), which in 0..2u8) {
        let bad = bad_text(&sub);
        if which == 0 {
            let mut op = GetFCMOrders::new(sub.clone());
            op.limit = lim;
            op.ticker = ticker.clone();
            op.status = Some(OrderStatus::Resting);
            let expect = Expect::new(Method::GET, vec![Piece::Lit("/fcm/orders")])
                .query("subtrader_id", Some(&sub))
                .query("ticker", ticker)
                .query("status", Some("resting"))
                .query("limit", lim)
                .problem_if(bad, "subtrader_id")
                .problem_if(bad_limit(lim, 1000), "limit");
            check(&op, ts, expect)?;
        } else {
            let mut op = GetFCMPositions::new(sub.clone());
            op.limit = lim;
            op.ticker = ticker.clone();
            let expect = Expect::new(Method::GET, vec![Piece::Lit("/fcm/positions")])
                .query("subtrader_id", Some(&sub))
                .query("ticker", ticker)
                .query("limit", lim)
                .problem_if(bad, "subtrader_id")
                .problem_if(bad_limit(lim, 1000), "limit");
            check(&op, ts, expect)?;
        }
    }

    #[test]
    fn fcm_subtrader_settings(ts in any::<u64>(), sub in hostile(), category in hostile(),
                              blocked in any::<bool>(), micros in any::<i64>(), which in 0..4u8) {
        let path = |p| vec![Piece::Lit(p)];
        let bad = bad_text(&sub);
        match which {
            0 => {
                let expect = Expect::new(Method::GET, path("/fcm/subtraders/blocked_categories"))
                    .query("subtrader_id", Some(&sub))
                    .problem_if(bad, "subtrader_id");
                check(&GetFcmSubtraderBlockedCategories::new(sub.clone()), ts, expect)?;
            }
            1 => {
                let op = UpdateFcmSubtraderBlockedCategories {
                    subtrader_id: sub.clone(), category: category.clone(), blocked,
                };
                let expect = Expect::new(Method::PUT, path("/fcm/subtraders/blocked_categories"))
                    .body(json!({"subtrader_id": sub, "category": category, "blocked": blocked}))
                    .problem_if(bad, "subtrader_id")
                    .problem_if(bad_text(&category) || category.chars().count() > 100, "category");
                check(&op, ts, expect)?;
            }
            2 => {
                let limit = FixedPointDollars::from_micros(micros);
                let op = UpdateFcmEventContractDailyCap::new(sub.clone(), limit);
                let expect = Expect::new(Method::PUT, path("/fcm/subtraders/event_contract_daily_cap"))
                    .body(json!({"subtrader_id": sub, "limit": limit.to_string()}))
                    .problem_if(bad, "subtrader_id")
                    .problem_if(micros < 0, "limit");
                check(&op, ts, expect)?;
            }
            _ => {
                let expect = Expect::new(Method::DELETE, path("/fcm/subtraders/event_contract_daily_cap"))
                    .query("subtrader_id", Some(&sub))
                    .problem_if(bad, "subtrader_id");
                check(&DeleteFcmEventContractDailyCap::new(sub.clone()), ts, expect)?;
                let expect = Expect::new(Method::GET, path("/fcm/subtraders/event_contract_daily_cap"))
                    .query("subtrader_id", Some(&sub))
                    .problem_if(bad, "subtrader_id");
                check(&GetFcmEventContractDailyCap::new(sub.clone()), ts, expect)?;
            }
        }
    }

    #[test]
    fn create_fcm_subtrader(ts in any::<u64>(), s in suffix()) {
        let expect = Expect::new(Method::POST, vec![Piece::Lit("/fcm/subtraders")])
            .body(json!({"subtrader_suffix": s}))
            .problem_if(bad_suffix(&s), "subtrader_suffix");
        check(&CreateFcmSubtrader::new(s.clone()), ts, expect)?;
    }

    #[test]
    fn create_fcm_position_transfer(
        ts in any::<u64>(), source in hostile(),
        target in prop_oneof![3 => ("[a-z0-9]{1,8}", suffix()).prop_map(|(a, s)| format!("{a}_{s}")), 1 => hostile()],
        market in hostile(),
        count in prop_oneof![3 => (-1000i64..1000).prop_map(|c| c * 100), 1 => any::<i64>()],
        price in prop_oneof![3 => (0u32..=100).prop_map(|p| p * 100), 1 => any::<u32>()],
    ) {
        let op = CreateFcmPositionTransfer::new(source.clone(), target.clone(), market.clone(), count, price);
        let target_ok = target
            .rsplit_once('_')
            .is_some_and(|(a, s)| !a.is_empty() && !bad_suffix(s));
        let expect = Expect::new(Method::POST, vec![Piece::Lit("/fcm/positions/transfers")])
            .body(json!({
                "source_subtrader_id": source, "target_subtrader_id": target,
                "market_ticker": market, "position_centicount": count,
                "price_centicents": price,
            }))
            .problem_if(bad_text(&source), "source_subtrader_id")
            .problem_if(!target_ok, "target_subtrader_id")
            .problem_if(bad_text(&market), "market_ticker")
            .problem_if(count == 0 || count % 100 != 0, "position_centicount")
            .problem_if(price > 10_000 || price % 100 != 0, "price_centicents");
        check(&op, ts, expect)?;
    }
}
