//! Request bytes and response parsing for every communications operation: RFQs, quotes,
//! RFQ-scoped quote actions, the deprecated quote-ID-only ones, block-trade proposals and the
//! communications id.

use http::{Method, StatusCode};

use super::*;
use crate::auth::VerifyingKey;
use crate::enums::OutcomeSide;
use crate::operation::Idempotency;
use crate::{
    Client, Credentials, Environment, Error, FixedPointCount, FixedPointDollars, Operation,
    Timestamp,
};

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");
const TS: u64 = 1_703_123_456_789;
const RFQ: &str = "1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45";
const QUOTE: &str = "7d3e2f1a-9b8c-4d5e-a6f7-0e1d2c3b4a59";
const MARKET: &str = "KXBTCD-26DEC3117-T98000";

fn client() -> Client {
    Client::new(
        Environment::Production,
        Credentials::from_pem("k", PKCS1).unwrap(),
    )
}

/// Builds `op` and checks method, full URI, body bytes, content-type (present iff a body) and
/// the signature over the path as sent.
fn built<O: Operation>(op: &O, method: Method, path_and_query: &str, body: Option<&str>) {
    let req = client().request(op, Timestamp::from_millis(TS)).unwrap();
    assert_eq!(req.method(), method);
    assert_eq!(
        req.uri().to_string(),
        format!("https://external-api.kalshi.com/trade-api/v2{path_and_query}")
    );
    match body {
        Some(b) => {
            assert_eq!(std::str::from_utf8(req.body()).unwrap(), b);
            assert_eq!(
                req.headers()[http::header::CONTENT_TYPE],
                "application/json"
            );
        }
        None => {
            assert!(req.body().is_empty(), "{}: unexpected body", O::NAME);
            assert!(!req.headers().contains_key(http::header::CONTENT_TYPE));
        }
    }
    let sig = req.headers()["KALSHI-ACCESS-SIGNATURE"].to_str().unwrap();
    VerifyingKey::from_pem(PUBLIC)
        .unwrap()
        .verify_request(TS, method.as_str(), req.uri().path(), sig)
        .expect("signature verifies over the path as sent");
}

fn refused<O: Operation>(op: &O, field: &str) {
    match client().request(op, Timestamp::from_millis(TS)) {
        Err(e @ Error::InvalidInput { .. }) => {
            let Error::InvalidInput { field: f, .. } = &e else {
                unreachable!()
            };
            assert_eq!(*f, field, "{e}");
            assert!(e.to_string().contains(&format!("`{field}`")), "{e}");
        }
        other => panic!("{}: expected InvalidInput({field}), got {other:?}", O::NAME),
    }
}

fn parse<O: Operation>(status: u16, body: &str) -> Result<O::Output, Error> {
    crate::response::parse::<O>(StatusCode::from_u16(status).unwrap(), body.as_bytes())
}

fn count(s: &str) -> FixedPointCount {
    s.parse().unwrap()
}

fn dollars(s: &str) -> FixedPointDollars {
    s.parse().unwrap()
}

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// A 204 answer with no body, `{}` or a 200 are all success; the documented errors are typed.
fn empty_answers<O: Operation>() {
    for (status, body) in [(204, ""), (204, "{}"), (200, "{}")] {
        parse::<O>(status, body).unwrap_or_else(|e| panic!("{} {status}: {e}", O::NAME));
    }
    assert!(matches!(
        parse::<O>(404, r#"{"code":"not_found","message":"quote not found"}"#),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        parse::<O>(401, r#"{"code":"unauthorized","message":"bad key"}"#),
        Err(Error::Unauthorized(_))
    ));
    assert!(matches!(
        parse::<O>(500, r#"{"code":"internal","message":"oops"}"#),
        Err(Error::ServerError(_))
    ));
}

// ---------------------------------------------------------------------------------------------
// RFQs
// ---------------------------------------------------------------------------------------------

#[test]
fn get_rfqs_request() {
    built(&GetRFQs::new(), Method::GET, "/communications/rfqs", None);
    built(
        &GetRFQs::new()
            .cursor("c/2")
            .event_ticker("KXBTCD-26DEC3117")
            .market_ticker(MARKET)
            .subaccount(2)
            .limit(100)
            .status(RfqStatus::Open)
            .creator_user_id("u 1")
            .user_filter(UserFilter::SelfOnly),
        Method::GET,
        "/communications/rfqs?cursor=c%2F2&event_ticker=KXBTCD-26DEC3117&market_ticker=KXBTCD-26DEC3117-T98000\
         &subaccount=2&limit=100&status=open&creator_user_id=u%201&user_filter=self",
        None,
    );
    // A status this crate does not know is sent as given: the filter is a free string.
    built(
        &GetRFQs::new().status(RfqStatus::from_api("expired")),
        Method::GET,
        "/communications/rfqs?status=expired",
        None,
    );
    refused(&GetRFQs::new().limit(0), "limit");
    refused(&GetRFQs::new().limit(101), "limit");
    refused(&GetRFQs::new().subaccount(64), "subaccount");
    refused(&GetRFQs::new().event_ticker("EV-A,EV-B"), "event_ticker");
    refused(
        &GetRFQs::new().user_filter(UserFilter::from_api("everyone")),
        "user_filter",
    );
    assert_eq!(GetRFQs::IDEMPOTENCY, Idempotency::Idempotent);
}

const RFQ_JSON: &str = r#"{"id":"1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45","creator_id":"c0ffee42","market_ticker":"KXBTCD-26DEC3117-T98000",
    "contracts_fp":"500.00","status":"open","created_ts":"2026-12-06T14:20:11.482913Z","rest_remainder":false,
    "creator_user_id":"0d6d2a51-6e1f-4b8e-9b46-4c3a1f7e2d10","creator_subaccount":2,"updated_ts":"2026-12-06T14:20:11.482913Z",
    "mve_collection_ticker":"","cancellation_reason":"","new_field":[1]}"#;

const COMBO_RFQ_JSON: &str = r#"{"id":"9e1f","creator_id":"c0ffee42","market_ticker":"KXMVESPORTS-26DEC06-ABC","contracts_fp":"12.50",
    "target_cost_dollars":"25.0000","status":"closed","created_ts":"2026-12-06T14:00:00Z","cancelled_ts":"2026-12-06T14:05:00Z",
    "cancellation_reason":"deleted_by_user","mve_collection_ticker":"KXMVESPORTS",
    "mve_selected_legs":[{"event_ticker":"KXNFLGAME-26DEC06KCBUF","market_ticker":"KXNFLGAME-26DEC06KCBUF-KC","side":"yes","yes_settlement_value_dollars":null},
                         {"event_ticker":"KXNBAGAME-26DEC06LALBOS","market_ticker":"KXNBAGAME-26DEC06LALBOS-BOS","side":"no"}]}"#;

#[test]
fn get_rfqs_response() {
    let page = parse::<GetRFQs>(
        200,
        &format!(r#"{{"rfqs":[{RFQ_JSON},{COMBO_RFQ_JSON}],"cursor":"next-page"}}"#),
    )
    .unwrap();
    assert_eq!(page.cursor.as_deref(), Some("next-page"));
    let r = &page.rfqs[0];
    assert_eq!(r.id, RFQ);
    assert_eq!(r.contracts_fp, count("500"));
    assert_eq!(r.status, RfqStatus::Open);
    assert_eq!(r.created_ts.as_microsecond(), 1_796_566_811_482_913);
    assert_eq!(r.creator_subaccount, Some(2));
    assert_eq!(r.rest_remainder, Some(false));
    assert_eq!(r.target_cost_dollars, None);
    assert!(r.mve_selected_legs.is_empty());
    let combo = &page.rfqs[1];
    assert_eq!(combo.status, RfqStatus::Closed);
    assert_eq!(combo.contracts_fp, count("12.5"));
    assert_eq!(combo.target_cost_dollars, Some(dollars("25")));
    assert_eq!(combo.cancelled_ts, Some(at("2026-12-06T14:05:00Z")));
    assert_eq!(combo.updated_ts, None);
    assert_eq!(combo.mve_selected_legs.len(), 2);
    assert_eq!(
        combo.mve_selected_legs[1].market_ticker.as_deref(),
        Some("KXNBAGAME-26DEC06LALBOS-BOS")
    );
    // The last page: no cursor, an empty one, or `null`; an unknown status is kept.
    for last in [
        r#"{"rfqs":[]}"#,
        r#"{"rfqs":[],"cursor":""}"#,
        r#"{"rfqs":null,"cursor":null}"#,
    ] {
        let p = parse::<GetRFQs>(200, last).unwrap();
        assert!(p.rfqs.is_empty() && p.cursor.is_none(), "{last}");
    }
    let odd = RFQ_JSON.replace(r#""status":"open""#, r#""status":"paused""#);
    let r = parse::<GetRFQ>(200, &format!(r#"{{"rfq":{odd}}}"#)).unwrap();
    assert_eq!(r.rfq.status, RfqStatus::Unknown("paused".into()));
    assert_eq!(serde_json::to_value(&r.rfq).unwrap()["status"], "paused");
    // A required field missing is a decode error, not a default.
    let broken = RFQ_JSON.replace(r#""contracts_fp":"500.00","#, "");
    assert!(matches!(
        parse::<GetRFQ>(200, &format!(r#"{{"rfq":{broken}}}"#)),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn rfqs_walk_page_by_page() {
    use crate::pagination::Pages;
    let mut pages = Pages::new(GetRFQs::new().user_filter(UserFilter::SelfOnly));
    let page = |cursor: &str| -> GetRFQsResponse {
        serde_json::from_str(&format!(r#"{{"rfqs":[{RFQ_JSON}],"cursor":"{cursor}"}}"#)).unwrap()
    };
    assert_eq!(pages.on_page(page("p2")).len(), 1);
    let next = pages.next_op().unwrap();
    assert_eq!(next.cursor.as_deref(), Some("p2"));
    assert_eq!(next.user_filter, Some(UserFilter::SelfOnly));
    pages.on_page(page(""));
    assert!(pages.next_op().is_none());
}

#[test]
fn create_rfq_request() {
    built(
        &CreateRFQ::new(MARKET, count("500"), false),
        Method::POST,
        "/communications/rfqs",
        Some(
            r#"{"market_ticker":"KXBTCD-26DEC3117-T98000","contracts_fp":"500.00","rest_remainder":false}"#,
        ),
    );
    built(
        &CreateRFQ::new(MARKET, count("500"), true)
            .contracts(500)
            .replace_existing(true)
            .subaccount(3),
        Method::POST,
        "/communications/rfqs",
        Some(
            r#"{"market_ticker":"KXBTCD-26DEC3117-T98000","contracts":500,"contracts_fp":"500.00","rest_remainder":true,"replace_existing":true,"subaccount":3}"#,
        ),
    );
    built(
        &CreateRFQ::with_target_cost(MARKET, dollars("250.5"), false)
            .target_cost_centi_cents(2_505_000)
            .subtrader_id("sub-7"),
        Method::POST,
        "/communications/rfqs",
        Some(
            r#"{"market_ticker":"KXBTCD-26DEC3117-T98000","target_cost_centi_cents":2505000,"target_cost_dollars":"250.5000","rest_remainder":false,"subtrader_id":"sub-7"}"#,
        ),
    );
    // Fractional sizes in 0.01-contract steps.
    built(
        &CreateRFQ::new(MARKET, count("2.5"), false),
        Method::POST,
        "/communications/rfqs",
        Some(
            r#"{"market_ticker":"KXBTCD-26DEC3117-T98000","contracts_fp":"2.50","rest_remainder":false}"#,
        ),
    );
    assert_eq!(CreateRFQ::IDEMPOTENCY, Idempotency::NotIdempotent);
    assert_eq!(
        CreateRFQ::new(MARKET, count("1"), false).cost(),
        crate::rate_limit::DEFAULT_COST
    );
}

#[test]
fn create_rfq_refuses_caller_mistakes() {
    let ok = || CreateRFQ::new(MARKET, count("10"), false);
    refused(&CreateRFQ::new("", count("10"), false), "market_ticker");
    refused(&CreateRFQ::new("T\nX", count("10"), false), "market_ticker");
    refused(&CreateRFQ::new(MARKET, count("0"), false), "contracts_fp");
    refused(&CreateRFQ::new(MARKET, count("-1"), false), "contracts_fp");
    refused(&ok().contracts(0), "contracts");
    refused(&ok().contracts(11), "contracts_fp");
    let mut no_size = ok();
    no_size.contracts_fp = None;
    refused(&no_size, "contracts_fp");
    refused(
        &ok().target_cost_dollars(dollars("5")),
        "target_cost_dollars",
    );
    refused(
        &ok().target_cost_centi_cents(50_000),
        "target_cost_centi_cents",
    );
    let cost = || CreateRFQ::with_target_cost(MARKET, dollars("25"), false);
    refused(
        &CreateRFQ::with_target_cost(MARKET, dollars("0"), false),
        "target_cost_dollars",
    );
    refused(
        &CreateRFQ::with_target_cost(MARKET, dollars("0.00001"), false),
        "target_cost_dollars",
    );
    refused(
        &cost().target_cost_centi_cents(0),
        "target_cost_centi_cents",
    );
    refused(
        &cost().target_cost_centi_cents(250_001),
        "target_cost_centi_cents",
    );
    refused(&cost().contracts(3), "target_cost_dollars");
    refused(&ok().subaccount(64), "subaccount");
    refused(&ok().subtrader_id(""), "subtrader_id");
    refused(&ok().subtrader_id("sub-7").subaccount(1), "subaccount");
    // The deprecated cost alone is a size too.
    let mut legacy = cost();
    legacy.target_cost_dollars = None;
    built(
        &legacy.target_cost_centi_cents(250_000),
        Method::POST,
        "/communications/rfqs",
        Some(
            r#"{"market_ticker":"KXBTCD-26DEC3117-T98000","target_cost_centi_cents":250000,"rest_remainder":false}"#,
        ),
    );
}

#[test]
fn create_rfq_response() {
    let r = parse::<CreateRFQ>(201, &format!(r#"{{"id":"{RFQ}"}}"#)).unwrap();
    assert_eq!(r.id, RFQ);
    match parse::<CreateRFQ>(
        409,
        r#"{"code":"conflict","message":"open RFQ already exists on this market ticker"}"#,
    ) {
        Err(Error::Conflict(e)) => assert_eq!(e.status, StatusCode::CONFLICT),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        parse::<CreateRFQ>(400, r#"{"code":"invalid_parameters","message":"bad size"}"#),
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        parse::<CreateRFQ>(201, "{}"),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn get_and_delete_rfq() {
    built(
        &GetRFQ::new(RFQ),
        Method::GET,
        &format!("/communications/rfqs/{RFQ}"),
        None,
    );
    built(
        &GetRFQ::new("a/b?c"),
        Method::GET,
        "/communications/rfqs/a%2Fb%3Fc",
        None,
    );
    refused(&GetRFQ::new(""), "rfq_id");
    refused(&GetRFQ::new(".."), "rfq_id");
    let r = parse::<GetRFQ>(200, &format!(r#"{{"rfq":{COMBO_RFQ_JSON}}}"#)).unwrap();
    assert_eq!(r.rfq.mve_collection_ticker.as_deref(), Some("KXMVESPORTS"));
    assert_eq!(
        r.rfq.mve_selected_legs[0].yes_settlement_value_dollars,
        None
    );
    assert!(matches!(
        parse::<GetRFQ>(404, r#"{"code":"not_found","message":"rfq not found"}"#),
        Err(Error::NotFound(_))
    ));

    built(
        &DeleteRFQ::new(RFQ),
        Method::DELETE,
        &format!("/communications/rfqs/{RFQ}"),
        None,
    );
    refused(&DeleteRFQ::new(""), "rfq_id");
    assert_eq!(DeleteRFQ::IDEMPOTENCY, Idempotency::Idempotent);
    empty_answers::<DeleteRFQ>();
}

// ---------------------------------------------------------------------------------------------
// Quotes
// ---------------------------------------------------------------------------------------------

const QUOTE_JSON: &str = r#"{"id":"7d3e2f1a-9b8c-4d5e-a6f7-0e1d2c3b4a59","rfq_id":"1b9a6b4e-5c2d-4f0e-9a7b-3c8d2e1f0a45",
    "creator_id":"beef0123","rfq_creator_id":"c0ffee42","market_ticker":"KXBTCD-26DEC3117-T98000","contracts_fp":"500.00",
    "yes_bid_dollars":"0.5600","no_bid_dollars":"0.4100","created_ts":"2026-12-06T14:20:13.001Z","updated_ts":"2026-12-06T14:20:19.250Z",
    "status":"executed","accepted_side":"yes","accepted_ts":"2026-12-06T14:20:15Z","confirmed_ts":"2026-12-06T14:20:17Z",
    "executed_ts":"2026-12-06T14:20:19.250Z","rest_remainder":false,"post_only":true,"creator_user_id":"",
    "rfq_creator_user_id":"0d6d2a51-6e1f-4b8e-9b46-4c3a1f7e2d10","rfq_creator_order_id":"ord-rfq-1","creator_order_id":"",
    "rfq_creator_subaccount":2,"yes_contracts_fp":"500.00","no_contracts_fp":"500.00","rfq_target_cost_dollars":null}"#;

#[test]
fn get_quotes_request() {
    built(
        &GetQuotes::new(),
        Method::GET,
        "/communications/quotes",
        None,
    );
    built(
        &GetQuotes::new()
            .cursor("c1")
            .min_ts(1_796_500_000)
            .max_ts(1_796_600_000)
            .limit(500)
            .status(QuoteStatus::Accepted)
            .quote_creator_user_id("u1")
            .user_filter(UserFilter::SelfOnly)
            .rfq_user_filter(UserFilter::SelfOnly)
            .rfq_creator_user_id("u2")
            .rfq_creator_subtrader_id("sub 7")
            .rfq_id(RFQ),
        Method::GET,
        &format!(
            "/communications/quotes?cursor=c1&min_ts=1796500000&max_ts=1796600000&limit=500&status=accepted\
             &quote_creator_user_id=u1&user_filter=self&rfq_user_filter=self&rfq_creator_user_id=u2\
             &rfq_creator_subtrader_id=sub%207&rfq_id={RFQ}"
        ),
        None,
    );
    refused(&GetQuotes::new().limit(0), "limit");
    refused(&GetQuotes::new().limit(501), "limit");
    refused(
        &GetQuotes::new().user_filter(UserFilter::from_api("")),
        "user_filter",
    );
    refused(
        &GetQuotes::new().rfq_user_filter(UserFilter::from_api("all")),
        "rfq_user_filter",
    );
    assert_eq!(GetQuotes::IDEMPOTENCY, Idempotency::Idempotent);
}

#[test]
fn get_quotes_response() {
    let open = r#"{"id":"q2","rfq_id":"r2","creator_id":"beef0123","rfq_creator_id":"c0ffee42","market_ticker":"KXBTCD-26DEC3117-T98000",
        "contracts_fp":"0.00","yes_bid_dollars":"0.0000","no_bid_dollars":"0.1250","created_ts":"2026-12-06T14:21:00Z",
        "updated_ts":"2026-12-06T14:21:00Z","status":"open","rfq_target_cost_dollars":"25.0000","yes_contracts_fp":"0.00",
        "no_contracts_fp":"200.00","creator_subaccount":5,"later_field":{"x":1}}"#;
    let page = parse::<GetQuotes>(
        200,
        &format!(r#"{{"quotes":[{QUOTE_JSON},{open}],"cursor":"more"}}"#),
    )
    .unwrap();
    assert_eq!(page.cursor.as_deref(), Some("more"));
    let q = &page.quotes[0];
    assert_eq!(q.status, QuoteStatus::Executed);
    assert_eq!(q.yes_bid_dollars, dollars("0.56"));
    assert_eq!(q.no_bid_dollars, dollars("0.41"));
    assert_eq!(q.contracts_fp, count("500"));
    assert_eq!(q.accepted_side, Some(OutcomeSide::Yes));
    assert_eq!(q.executed_ts, Some(at("2026-12-06T14:20:19.25Z")));
    assert_eq!(q.created_ts.as_millisecond(), 1_796_566_813_001);
    assert_eq!(q.rfq_creator_subaccount, Some(2));
    assert_eq!(q.creator_subaccount, None);
    assert_eq!(q.rfq_target_cost_dollars, None);
    assert_eq!(q.post_only, Some(true));
    assert_eq!(q.rfq_creator_order_id.as_deref(), Some("ord-rfq-1"));
    let o = &page.quotes[1];
    assert_eq!(o.status, QuoteStatus::Open);
    assert_eq!(o.yes_bid_dollars, FixedPointDollars::ZERO);
    assert_eq!(o.no_contracts_fp, Some(count("200")));
    assert_eq!(o.rfq_target_cost_dollars, Some(dollars("25")));
    assert_eq!(o.accepted_side, None);
    assert_eq!(o.cancelled_ts, None);
    // Written back under the same names, instants as RFC 3339.
    let back = serde_json::to_value(q).unwrap();
    assert_eq!(back["yes_bid_dollars"], "0.5600");
    assert_eq!(back["executed_ts"], "2026-12-06T14:20:19.25Z");
    assert_eq!(back["accepted_side"], "yes");
    // Unknown enum values are kept.
    let odd = QUOTE_JSON
        .replace(r#""status":"executed""#, r#""status":"expired""#)
        .replace(r#""accepted_side":"yes""#, r#""accepted_side":"both""#);
    let r = parse::<GetQuote>(200, &format!(r#"{{"quote":{odd}}}"#)).unwrap();
    assert_eq!(r.quote.status, QuoteStatus::Unknown("expired".into()));
    assert_eq!(
        r.quote.accepted_side,
        Some(OutcomeSide::Unknown("both".into()))
    );
    // A malformed instant is refused, not read as absent.
    let bad = QUOTE_JSON.replace("2026-12-06T14:20:15Z", "soon");
    assert!(matches!(
        parse::<GetQuote>(200, &format!(r#"{{"quote":{bad}}}"#)),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn create_quote_request() {
    built(
        &CreateQuote::new(RFQ, dollars("0.56"), dollars("0.41"), false),
        Method::POST,
        "/communications/quotes",
        Some(&format!(
            r#"{{"rfq_id":"{RFQ}","yes_bid":"0.5600","no_bid":"0.4100","rest_remainder":false}}"#
        )),
    );
    built(
        &CreateQuote::new(RFQ, dollars("0"), dollars("0.9999"), true)
            .post_only(true)
            .subaccount(4),
        Method::POST,
        "/communications/quotes",
        Some(&format!(
            r#"{{"rfq_id":"{RFQ}","yes_bid":"0.0000","no_bid":"0.9999","rest_remainder":true,"post_only":true,"subaccount":4}}"#
        )),
    );
    // yes_bid + no_bid may reach exactly $1; sub-penny prices are fine.
    built(
        &CreateQuote::new(RFQ, dollars("0.5005"), dollars("0.4995"), false),
        Method::POST,
        "/communications/quotes",
        Some(&format!(
            r#"{{"rfq_id":"{RFQ}","yes_bid":"0.5005","no_bid":"0.4995","rest_remainder":false}}"#
        )),
    );
    assert_eq!(CreateQuote::IDEMPOTENCY, Idempotency::NotIdempotent);
    assert_eq!(
        CreateQuote::new(RFQ, dollars("0.5"), dollars("0.4"), false).cost(),
        2
    );
    let q = || CreateQuote::new(RFQ, dollars("0.56"), dollars("0.41"), false);
    refused(
        &CreateQuote::new("", dollars("0.5"), dollars("0.4"), false),
        "rfq_id",
    );
    refused(
        &CreateQuote::new(RFQ, dollars("-0.01"), dollars("0.4"), false),
        "yes_bid",
    );
    refused(
        &CreateQuote::new(RFQ, dollars("1"), dollars("0"), false),
        "yes_bid",
    );
    refused(
        &CreateQuote::new(RFQ, dollars("0.5"), dollars("0.00005"), false),
        "no_bid",
    );
    refused(
        &CreateQuote::new(RFQ, dollars("0"), dollars("0"), false),
        "no_bid",
    );
    refused(
        &CreateQuote::new(RFQ, dollars("0.60"), dollars("0.41"), false),
        "no_bid",
    );
    refused(&q().subaccount(64), "subaccount");
}

#[test]
fn create_quote_response() {
    let r = parse::<CreateQuote>(201, &format!(r#"{{"id":"{QUOTE}","extra":true}}"#)).unwrap();
    assert_eq!(r.id, QUOTE);
    assert!(matches!(
        parse::<CreateQuote>(
            400,
            r#"{"code":"invalid_parameters","message":"price not on a valid step"}"#
        ),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn rfq_scoped_quote_actions() {
    let base = format!("/communications/rfqs/{RFQ}/quotes/{QUOTE}");
    built(&GetRFQQuote::new(RFQ, QUOTE), Method::GET, &base, None);
    built(
        &DeleteRFQQuote::new(RFQ, QUOTE),
        Method::DELETE,
        &base,
        None,
    );
    built(
        &AcceptRFQQuote::new(RFQ, QUOTE, OutcomeSide::Yes),
        Method::PUT,
        &format!("{base}/accept"),
        Some(r#"{"accepted_side":"yes"}"#),
    );
    built(
        &AcceptRFQQuote::new(RFQ, QUOTE, OutcomeSide::No),
        Method::PUT,
        &format!("{base}/accept"),
        Some(r#"{"accepted_side":"no"}"#),
    );
    built(
        &ConfirmRFQQuote::new(RFQ, QUOTE),
        Method::PUT,
        &format!("{base}/confirm"),
        None,
    );
    // Each id stays one segment.
    built(
        &ConfirmRFQQuote::new("r/1", "q 2"),
        Method::PUT,
        "/communications/rfqs/r%2F1/quotes/q%202/confirm",
        None,
    );
    refused(&GetRFQQuote::new("", QUOTE), "rfq_id");
    refused(&GetRFQQuote::new(RFQ, ""), "quote_id");
    refused(&DeleteRFQQuote::new(".", QUOTE), "rfq_id");
    refused(&ConfirmRFQQuote::new(RFQ, ".."), "quote_id");
    refused(
        &AcceptRFQQuote::new(RFQ, QUOTE, OutcomeSide::Unknown("maybe".into())),
        "accepted_side",
    );
    refused(&AcceptRFQQuote::new(RFQ, "", OutcomeSide::Yes), "quote_id");
    for idem in [
        GetRFQQuote::IDEMPOTENCY,
        DeleteRFQQuote::IDEMPOTENCY,
        AcceptRFQQuote::IDEMPOTENCY,
        ConfirmRFQQuote::IDEMPOTENCY,
    ] {
        assert_eq!(idem, Idempotency::Idempotent);
    }
    let r = parse::<GetRFQQuote>(200, &format!(r#"{{"quote":{QUOTE_JSON}}}"#)).unwrap();
    assert_eq!(r.quote.rfq_id, RFQ);
    assert_eq!(r.quote.confirmed_ts, Some(at("2026-12-06T14:20:17Z")));
    // A quote of another RFQ, or one flushed by a restart, is a 404.
    assert!(matches!(
        parse::<GetRFQQuote>(404, r#"{"code":"not_found","message":"quote not found"}"#),
        Err(Error::NotFound(_))
    ));
    empty_answers::<DeleteRFQQuote>();
    empty_answers::<AcceptRFQQuote>();
    empty_answers::<ConfirmRFQQuote>();
    assert!(matches!(
        parse::<AcceptRFQQuote>(400, r#"{"code":"RFQ_CLOSED","message":"rfq closed"}"#),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn deprecated_quote_id_only_actions() {
    let base = format!("/communications/quotes/{QUOTE}");
    built(&GetQuote::new(QUOTE), Method::GET, &base, None);
    built(&DeleteQuote::new(QUOTE), Method::DELETE, &base, None);
    built(
        &AcceptQuote::new(QUOTE, OutcomeSide::No),
        Method::PUT,
        &format!("{base}/accept"),
        Some(r#"{"accepted_side":"no"}"#),
    );
    built(
        &ConfirmQuote::new(QUOTE),
        Method::PUT,
        &format!("{base}/confirm"),
        None,
    );
    built(
        &GetQuote::new("q#1"),
        Method::GET,
        "/communications/quotes/q%231",
        None,
    );
    refused(&GetQuote::new(""), "quote_id");
    refused(&DeleteQuote::new(".."), "quote_id");
    refused(&ConfirmQuote::new(""), "quote_id");
    refused(
        &AcceptQuote::new(QUOTE, OutcomeSide::Unknown(String::new())),
        "accepted_side",
    );
    // The exchange bills the quote-ID-only read and the delete 2 tokens.
    assert_eq!(GetQuote::new(QUOTE).cost(), 2);
    assert_eq!(DeleteQuote::new(QUOTE).cost(), 2);
    assert_eq!(
        ConfirmQuote::new(QUOTE).cost(),
        crate::rate_limit::DEFAULT_COST
    );
    let r = parse::<GetQuote>(200, &format!(r#"{{"quote":{QUOTE_JSON}}}"#)).unwrap();
    assert_eq!(r.quote.id, QUOTE);
    empty_answers::<DeleteQuote>();
    empty_answers::<AcceptQuote>();
    empty_answers::<ConfirmQuote>();
}

// ---------------------------------------------------------------------------------------------
// Block trades
// ---------------------------------------------------------------------------------------------

fn proposal() -> ProposeBlockTrade {
    ProposeBlockTrade::new(
        "4f8e7d6c-buyer",
        "1a2b3c4d-seller",
        MARKET,
        5_600,
        1_000_000,
        OutcomeSide::Yes,
        at("2026-12-06T15:00:00Z"),
    )
}

#[test]
fn propose_block_trade_request() {
    built(
        &proposal(),
        Method::POST,
        "/communications/block-trade-proposals",
        Some(
            r#"{"buyer_user_id":"4f8e7d6c-buyer","seller_user_id":"1a2b3c4d-seller","market_ticker":"KXBTCD-26DEC3117-T98000","price_centi_cents":5600,"centicount":1000000,"maker_side":"yes","expiration_ts":"2026-12-06T15:00:00Z"}"#,
        ),
    );
    built(
        &proposal().buyer_subaccount(2).seller_subtrader_id("sub-9"),
        Method::POST,
        "/communications/block-trade-proposals",
        Some(
            r#"{"buyer_user_id":"4f8e7d6c-buyer","buyer_subaccount":2,"seller_user_id":"1a2b3c4d-seller","seller_subtrader_id":"sub-9","market_ticker":"KXBTCD-26DEC3117-T98000","price_centi_cents":5600,"centicount":1000000,"maker_side":"yes","expiration_ts":"2026-12-06T15:00:00Z"}"#,
        ),
    );
    assert_eq!(ProposeBlockTrade::IDEMPOTENCY, Idempotency::NotIdempotent);
    let mut p = proposal();
    p.buyer_user_id.clear();
    refused(&p, "buyer_user_id");
    let mut p = proposal();
    p.seller_user_id = "x\u{7}".into();
    refused(&p, "seller_user_id");
    let mut p = proposal();
    p.market_ticker.clear();
    refused(&p, "market_ticker");
    for bad in [0, -5, 10_000] {
        let mut p = proposal();
        p.price_centi_cents = bad;
        refused(&p, "price_centi_cents");
    }
    let mut p = proposal();
    p.centicount = 0;
    refused(&p, "centicount");
    let mut p = proposal();
    p.maker_side = OutcomeSide::Unknown("up".into());
    refused(&p, "maker_side");
    refused(&proposal().buyer_subaccount(64), "buyer_subaccount");
    refused(&proposal().seller_subaccount(99), "seller_subaccount");
    refused(
        &proposal().buyer_subtrader_id("s").buyer_subaccount(1),
        "buyer_subaccount",
    );
    refused(
        &proposal().seller_subtrader_id("s").seller_subaccount(1),
        "seller_subaccount",
    );
    refused(&proposal().seller_subtrader_id(""), "seller_subtrader_id");
}

#[test]
fn propose_block_trade_response() {
    let r = parse::<ProposeBlockTrade>(201, r#"{"block_trade_proposal_id":"btp-81c2"}"#).unwrap();
    assert_eq!(r.block_trade_proposal_id, "btp-81c2");
    assert!(matches!(
        parse::<ProposeBlockTrade>(
            403,
            r#"{"code":"forbidden","message":"not a block trade proposer"}"#
        ),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn block_trade_proposals_list_and_accept() {
    built(
        &GetBlockTradeProposals::new(),
        Method::GET,
        "/communications/block-trade-proposals",
        None,
    );
    built(
        &GetBlockTradeProposals::new()
            .cursor("c")
            .market_ticker(MARKET)
            .limit(100)
            .status("pending"),
        Method::GET,
        "/communications/block-trade-proposals?cursor=c&market_ticker=KXBTCD-26DEC3117-T98000&limit=100&status=pending",
        None,
    );
    refused(&GetBlockTradeProposals::new().limit(0), "limit");
    refused(&GetBlockTradeProposals::new().limit(101), "limit");

    let page = parse::<GetBlockTradeProposals>(
        200,
        r#"{"block_trade_proposals":[{"id":"btp-81c2","proposer_user_id":"9f00-broker","buyer_user_id":"4f8e7d6c-buyer",
            "buyer_subtrader_id":"","seller_user_id":"","market_ticker":"KXBTCD-26DEC3117-T98000","price_centi_cents":5650,
            "centicount":250050,"maker_side":"no","expiration_ts":"2026-12-06T15:00:00Z","status":"pending",
            "created_ts":"2026-12-06T14:30:00Z","updated_ts":"2026-12-06T14:31:02.5Z","buyer_accepted":true,
            "seller_accepted":false,"buyer_accepted_ts":"2026-12-06T14:31:02.5Z","executed_ts":null}],"cursor":""}"#,
    )
    .unwrap();
    assert_eq!(page.cursor, None);
    let p = &page.block_trade_proposals[0];
    assert_eq!(p.price(), Some(dollars("0.565")));
    assert_eq!(p.count(), count("2500.50"));
    assert_eq!(p.maker_side, OutcomeSide::No);
    assert!(p.buyer_accepted && !p.seller_accepted);
    assert_eq!(p.seller_user_id, "");
    assert_eq!(p.buyer_accepted_ts, Some(at("2026-12-06T14:31:02.5Z")));
    assert_eq!(p.seller_accepted_ts, None);
    assert_eq!(p.executed_ts, None);
    assert_eq!(p.status, "pending");
    assert!(matches!(
        parse::<GetBlockTradeProposals>(400, r#"{"code":"bad_request","message":"bad status"}"#),
        Err(Error::BadRequest(_))
    ));

    // Accepting always sends a JSON body, `{}` when no party is named.
    built(
        &AcceptBlockTradeProposal::new("btp-81c2"),
        Method::POST,
        "/communications/block-trade-proposals/btp-81c2/accept",
        Some("{}"),
    );
    built(
        &AcceptBlockTradeProposal::new("btp/1").subaccount(0),
        Method::POST,
        "/communications/block-trade-proposals/btp%2F1/accept",
        Some(r#"{"subaccount":0}"#),
    );
    built(
        &AcceptBlockTradeProposal::new("btp-81c2").subtrader_id("sub-9"),
        Method::POST,
        "/communications/block-trade-proposals/btp-81c2/accept",
        Some(r#"{"subtrader_id":"sub-9"}"#),
    );
    refused(
        &AcceptBlockTradeProposal::new(""),
        "block_trade_proposal_id",
    );
    refused(
        &AcceptBlockTradeProposal::new("btp").subaccount(64),
        "subaccount",
    );
    refused(
        &AcceptBlockTradeProposal::new("btp")
            .subtrader_id("s")
            .subaccount(1),
        "subaccount",
    );
    assert_eq!(
        AcceptBlockTradeProposal::IDEMPOTENCY,
        Idempotency::Idempotent
    );
    empty_answers::<AcceptBlockTradeProposal>();
}

// ---------------------------------------------------------------------------------------------
// The communications id
// ---------------------------------------------------------------------------------------------

#[test]
fn communications_id() {
    built(
        &GetCommunicationsID::new(),
        Method::GET,
        "/communications/id",
        None,
    );
    let r = parse::<GetCommunicationsID>(200, r#"{"communications_id":"c0ffee42d00d"}"#).unwrap();
    assert_eq!(r.communications_id, "c0ffee42d00d");
    assert!(matches!(
        parse::<GetCommunicationsID>(200, "{}"),
        Err(Error::Decode { .. })
    ));
    assert!(matches!(
        parse::<GetCommunicationsID>(401, r#"{"code":"unauthorized","message":"no key"}"#),
        Err(Error::Unauthorized(_))
    ));
}
