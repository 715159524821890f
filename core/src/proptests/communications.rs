//! Requests of the communications operations (RFQs, quotes, block-trade proposals) from
//! arbitrary field values: refused before signing, naming a field the documented rules refuse,
//! or signed over exactly the path sent, with path parameters, query parameters and body
//! decoding back to the caller's values (see [`super::requests`]).

use http::Method;
use proptest::option;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::requests::{Expect, Piece, bad_id, check, config, hostile, query_string};
use crate::FixedPointDollars;
use crate::communications::{
    AcceptBlockTradeProposal, AcceptQuote, AcceptRFQQuote, ConfirmQuote, ConfirmRFQQuote,
    CreateQuote, DeleteQuote, DeleteRFQ, DeleteRFQQuote, GetBlockTradeProposals, GetQuote,
    GetQuotes, GetRFQ, GetRFQQuote, GetRFQs, QuoteStatus, RfqStatus, UserFilter,
};
use crate::enums::OutcomeSide;

/// A path parameter: usually an id, often hostile.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![2 => "[a-f0-9-]{36}", 3 => hostile()]
}

fn limit(max: u32) -> impl Strategy<Value = Option<u32>> {
    option::of(prop_oneof![
        3 => 1u32..=max,
        1 => prop_oneof![Just(0u32), Just(max + 1), any::<u32>()],
    ])
}

fn bad_limit(limit: Option<u32>, max: u32) -> bool {
    limit.is_some_and(|l| l == 0 || l > max)
}

fn subaccount() -> impl Strategy<Value = Option<u32>> {
    option::of(prop_oneof![3 => 0u32..=63, 1 => prop_oneof![Just(64u32), any::<u32>()]])
}

fn bad_subaccount(s: Option<u32>) -> bool {
    s.is_some_and(|s| s > 63)
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
    match s {
        OutcomeSide::Yes => "yes",
        OutcomeSide::No => "no",
        OutcomeSide::Unknown(s) => s,
    }
}

fn user_filter() -> impl Strategy<Value = Option<UserFilter>> {
    option::of(prop_oneof![
        4 => Just(UserFilter::SelfOnly),
        1 => "[a-z]{0,6}".prop_map(|s| UserFilter::from_api(&s)),
    ])
}

fn bad_user_filter(f: &Option<UserFilter>) -> bool {
    matches!(f, Some(UserFilter::Unknown(_)))
}

/// A quote's bid: mostly on the grid below $1, sometimes zero, negative, too fine or too large.
fn bid() -> impl Strategy<Value = FixedPointDollars> {
    prop_oneof![
        6 => (0i64..10_000).prop_map(|x| x * 100),
        1 => prop_oneof![
            1i64..1_000_000,
            Just(1_000_000i64),
            Just(-100i64),
            Just(i64::MIN),
            Just(i64::MAX),
            any::<i64>(),
        ],
    ]
    .prop_map(FixedPointDollars::from_micros)
}

/// The documented rules of a quote's two bids, written out independently of the validator.
fn bid_problems(yes: FixedPointDollars, no: FixedPointDollars) -> Vec<&'static str> {
    let bad = |p: FixedPointDollars| {
        let m = p.micros();
        !(0..1_000_000).contains(&m) || m % 100 != 0
    };
    let mut p = Vec::new();
    if bad(yes) {
        p.push("yes_bid");
    }
    if bad(no) {
        p.push("no_bid");
    }
    if p.is_empty() && (yes.micros() + no.micros() > 1_000_000 || yes.micros() + no.micros() == 0) {
        p.push("no_bid");
    }
    p
}

/// The two path parameters of an RFQ-scoped quote operation.
fn both_ids<'a>(e: Expect<'a>, rfq_id: &str, quote_id: &str) -> Expect<'a> {
    e.problem_if(bad_id(rfq_id), "rfq_id")
        .problem_if(bad_id(quote_id), "quote_id")
}

/// Inserts `key: value` when `value` is `Some`.
fn put<T: Into<Value>>(m: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        m.insert(key.to_owned(), v.into());
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn one_id_operations(ts in any::<u64>(), rfq_id in id(), quote_id in id(), which in 0..5u8) {
        let rfq = |suffix: &'static str| {
            let mut path = vec![Piece::Lit("/communications/rfqs/"), Piece::Param(&rfq_id)];
            if !suffix.is_empty() {
                path.push(Piece::Lit(suffix));
            }
            path
        };
        let quote = |suffix: &'static str| {
            let mut path = vec![Piece::Lit("/communications/quotes/"), Piece::Param(&quote_id)];
            if !suffix.is_empty() {
                path.push(Piece::Lit(suffix));
            }
            path
        };
        let bad_rfq = bad_id(&rfq_id);
        let bad_quote = bad_id(&quote_id);
        match which {
            0 => check(&GetRFQ::new(rfq_id.clone()), ts,
                       Expect::new(Method::GET, rfq("")).problem_if(bad_rfq, "rfq_id"))?,
            1 => check(&DeleteRFQ::new(rfq_id.clone()), ts,
                       Expect::new(Method::DELETE, rfq("")).problem_if(bad_rfq, "rfq_id"))?,
            2 => check(&GetQuote::new(quote_id.clone()), ts,
                       Expect::new(Method::GET, quote("")).problem_if(bad_quote, "quote_id"))?,
            3 => check(&DeleteQuote::new(quote_id.clone()), ts,
                       Expect::new(Method::DELETE, quote("")).problem_if(bad_quote, "quote_id"))?,
            _ => check(&ConfirmQuote::new(quote_id.clone()), ts,
                       Expect::new(Method::PUT, quote("/confirm")).problem_if(bad_quote, "quote_id"))?,
        }
    }

    #[test]
    fn rfq_scoped_quote_operations(ts in any::<u64>(), rfq_id in id(), quote_id in id(),
                                   which in 0..3u8) {
        let path = |suffix: &'static str| {
            let mut path = vec![
                Piece::Lit("/communications/rfqs/"), Piece::Param(&rfq_id),
                Piece::Lit("/quotes/"), Piece::Param(&quote_id),
            ];
            if !suffix.is_empty() {
                path.push(Piece::Lit(suffix));
            }
            path
        };
        let problems = |e| both_ids(e, &rfq_id, &quote_id);
        match which {
            0 => check(&GetRFQQuote::new(rfq_id.clone(), quote_id.clone()), ts,
                       problems(Expect::new(Method::GET, path(""))))?,
            1 => check(&DeleteRFQQuote::new(rfq_id.clone(), quote_id.clone()), ts,
                       problems(Expect::new(Method::DELETE, path(""))))?,
            _ => check(&ConfirmRFQQuote::new(rfq_id.clone(), quote_id.clone()), ts,
                       problems(Expect::new(Method::PUT, path("/confirm"))))?,
        }
    }

    #[test]
    fn accept_quote(ts in any::<u64>(), rfq_id in id(), quote_id in id(), side in side(),
                    scoped in any::<bool>()) {
        let body = json!({ "accepted_side": side_str(&side) });
        let bad_side = matches!(side, OutcomeSide::Unknown(_));
        if scoped {
            let op = AcceptRFQQuote::new(rfq_id.clone(), quote_id.clone(), side.clone());
            let expect = Expect::new(Method::PUT, vec![
                Piece::Lit("/communications/rfqs/"), Piece::Param(&rfq_id),
                Piece::Lit("/quotes/"), Piece::Param(&quote_id), Piece::Lit("/accept"),
            ])
            .body(body)
            .problem_if(bad_id(&rfq_id), "rfq_id")
            .problem_if(bad_id(&quote_id), "quote_id")
            .problem_if(bad_side, "accepted_side");
            check(&op, ts, expect)?;
        } else {
            let op = AcceptQuote::new(quote_id.clone(), side.clone());
            let expect = Expect::new(Method::PUT, vec![
                Piece::Lit("/communications/quotes/"), Piece::Param(&quote_id),
                Piece::Lit("/accept"),
            ])
            .body(body)
            .problem_if(bad_id(&quote_id), "quote_id")
            .problem_if(bad_side, "accepted_side");
            check(&op, ts, expect)?;
        }
    }

    #[test]
    fn accept_block_trade_proposal(ts in any::<u64>(), proposal_id in id(),
                                   subtrader in option::of(hostile()), subaccount in subaccount()) {
        let op = AcceptBlockTradeProposal {
            block_trade_proposal_id: proposal_id.clone(),
            subtrader_id: subtrader.clone(),
            subaccount,
        };
        let mut body = Map::new();
        put(&mut body, "subtrader_id", subtrader.clone());
        put(&mut body, "subaccount", subaccount);
        let expect = Expect::new(Method::POST, vec![
            Piece::Lit("/communications/block-trade-proposals/"), Piece::Param(&proposal_id),
            Piece::Lit("/accept"),
        ])
        .body(Value::Object(body))
        .problem_if(bad_id(&proposal_id), "block_trade_proposal_id")
        .problem_if(subtrader.as_deref().is_some_and(bad_text), "subtrader_id")
        .problem_if(
            bad_subaccount(subaccount) || (subtrader.is_some() && subaccount.is_some()),
            "subaccount",
        );
        check(&op, ts, expect)?;
    }

    #[test]
    fn create_quote(ts in any::<u64>(), rfq_id in prop_oneof![3 => "[a-f0-9-]{36}", 1 => hostile()],
                    yes in bid(), no in bid(), rest in any::<bool>(),
                    post_only in option::of(any::<bool>()), subaccount in subaccount()) {
        let op = CreateQuote {
            rfq_id: rfq_id.clone(), yes_bid: yes, no_bid: no, rest_remainder: rest, post_only,
            subaccount,
        };
        let mut body = Map::new();
        body.insert("rfq_id".into(), rfq_id.clone().into());
        body.insert("yes_bid".into(), yes.to_string().into());
        body.insert("no_bid".into(), no.to_string().into());
        body.insert("rest_remainder".into(), rest.into());
        put(&mut body, "post_only", post_only);
        put(&mut body, "subaccount", subaccount);
        let expect = Expect::new(Method::POST, vec![Piece::Lit("/communications/quotes")])
            .body(Value::Object(body))
            .problem_if(bad_text(&rfq_id), "rfq_id")
            .problems(bid_problems(yes, no))
            .problem_if(bad_subaccount(subaccount), "subaccount");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_rfqs(ts in any::<u64>(), cursor in option::of(query_string()),
                event in option::of(query_string()), market in option::of(query_string()),
                subaccount in subaccount(), limit in limit(100),
                status in option::of(prop_oneof![
                    2 => Just(RfqStatus::Open), 2 => Just(RfqStatus::Closed),
                    1 => hostile().prop_map(|s| RfqStatus::from_api(&s)),
                ]),
                creator in option::of(query_string()), filter in user_filter()) {
        let op = GetRFQs {
            cursor: cursor.clone(), event_ticker: event.clone(), market_ticker: market.clone(),
            subaccount, limit, status: status.clone(), creator_user_id: creator.clone(),
            user_filter: filter.clone(),
        };
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/communications/rfqs")])
            .query("cursor", cursor)
            .query("event_ticker", event.clone())
            .query("market_ticker", market)
            .query("subaccount", subaccount)
            .query("limit", limit)
            .query("status", status)
            .query("creator_user_id", creator)
            .query("user_filter", filter.clone())
            .problem_if(bad_limit(limit, 100), "limit")
            .problem_if(bad_subaccount(subaccount), "subaccount")
            .problem_if(event.is_some_and(|e| e.contains(',')), "event_ticker")
            .problem_if(bad_user_filter(&filter), "user_filter");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_quotes(ts in any::<u64>(), cursor in option::of(query_string()),
                  min_ts in option::of(any::<i64>()), max_ts in option::of(any::<i64>()),
                  limit in limit(500),
                  status in option::of(prop_oneof![
                      2 => Just(QuoteStatus::Open), 2 => Just(QuoteStatus::Executed),
                      1 => hostile().prop_map(|s| QuoteStatus::from_api(&s)),
                  ]),
                  quote_creator in option::of(query_string()), filter in user_filter(),
                  rfq_filter in user_filter(), rfq_creator in option::of(query_string()),
                  subtrader in option::of(query_string()), rfq_id in option::of(query_string())) {
        let op = GetQuotes {
            cursor: cursor.clone(), min_ts, max_ts, limit, status: status.clone(),
            quote_creator_user_id: quote_creator.clone(), user_filter: filter.clone(),
            rfq_user_filter: rfq_filter.clone(), rfq_creator_user_id: rfq_creator.clone(),
            rfq_creator_subtrader_id: subtrader.clone(), rfq_id: rfq_id.clone(),
        };
        let expect = Expect::new(Method::GET, vec![Piece::Lit("/communications/quotes")])
            .query("cursor", cursor)
            .query("min_ts", min_ts)
            .query("max_ts", max_ts)
            .query("limit", limit)
            .query("status", status)
            .query("quote_creator_user_id", quote_creator)
            .query("user_filter", filter.clone())
            .query("rfq_user_filter", rfq_filter.clone())
            .query("rfq_creator_user_id", rfq_creator)
            .query("rfq_creator_subtrader_id", subtrader)
            .query("rfq_id", rfq_id)
            .problem_if(bad_limit(limit, 500), "limit")
            .problem_if(bad_user_filter(&filter), "user_filter")
            .problem_if(bad_user_filter(&rfq_filter), "rfq_user_filter");
        check(&op, ts, expect)?;
    }

    #[test]
    fn get_block_trade_proposals(ts in any::<u64>(), cursor in option::of(query_string()),
                                 market in option::of(query_string()), limit in limit(100),
                                 status in option::of(query_string())) {
        let op = GetBlockTradeProposals {
            cursor: cursor.clone(), market_ticker: market.clone(), limit, status: status.clone(),
        };
        let expect = Expect::new(Method::GET,
                                 vec![Piece::Lit("/communications/block-trade-proposals")])
            .query("cursor", cursor)
            .query("market_ticker", market)
            .query("limit", limit)
            .query("status", status)
            .problem_if(bad_limit(limit, 100), "limit");
        check(&op, ts, expect)?;
    }
}
