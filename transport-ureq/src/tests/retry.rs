//! Retries, order placement, pagination, the rate limiter and clock skew, against tiny
//! scripted servers. No assertion depends on how long anything took.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kalshi_core::enums::BookSide;
use kalshi_core::order_groups::{CreateOrderGroup, DeleteOrderGroup, GetOrderGroups};
use kalshi_core::orders::{CreateOrder, GetOrders, Placed};
use kalshi_core::rate_limit::{Bucket, Tier};
use kalshi_core::retry::RetryPolicy;
use serde_json::Value;

use super::*;

const GROUPS: &[u8] = br#"{"order_groups":[]}"#;
const GROUP_CREATED: &[u8] = br#"{"order_group_id":"og-1","subaccount":0}"#;
const BOOM: &[u8] = br#"{"error":{"code":"internal_error","message":"boom"}}"#;
const TOO_MANY: &[u8] = br#"{"error":"too many requests"}"#;

/// Retries without noticeable waits: `max_attempts` attempts, 1 ms doubling to 4 ms.
fn fast(max_attempts: u32) -> Config {
    quick().retry(RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
        retry_server_errors: true,
    })
}

/// A server that answers the `n`th request it reads (0-based, across connections) with
/// `script(n, request)`. Returns its address, the requests it read (in order) and their count.
fn scripted<F>(script: F) -> (SocketAddr, mpsc::Receiver<Seen>, Arc<AtomicUsize>)
where
    F: Fn(usize, &Seen) -> Reply + Send + Sync + 'static,
{
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let (addr, rx, _) = serve(64, move |seen| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        script(n, seen)
    });
    (addr, rx, count)
}

fn ok(body: &[u8]) -> Reply {
    Reply::KeepAlive(response("200 OK", &[], body))
}

fn status(status: &str, body: &[u8]) -> Reply {
    Reply::KeepAlive(response(status, &[], body))
}

/// Reads the request, then closes the connection without a word: the request may have been
/// executed, but its answer is lost.
fn drop_after_read() -> Reply {
    Reply::Close(Vec::new())
}

fn requests(rx: &mpsc::Receiver<Seen>) -> Vec<Seen> {
    rx.try_iter().collect()
}

impl Seen {
    fn target(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or("")
    }

    fn method(&self) -> &str {
        self.head.split(' ').next().unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn timestamp(&self) -> u64 {
        self.header("KALSHI-ACCESS-TIMESTAMP")
            .expect("signed")
            .parse()
            .expect("decimal milliseconds")
    }
}

// --- Retries --------------------------------------------------------------------------------

#[test]
fn an_idempotent_get_is_retried_after_a_503() {
    let (addr, rx, count) = scripted(|n, _| match n {
        0 => status("503 Service Unavailable", BOOM),
        _ => ok(GROUPS),
    });
    let client = client_for(addr, fast(4));
    let groups = client
        .execute(&GetOrderGroups::new())
        .expect("the retry succeeds");
    assert!(groups.order_groups.is_empty());
    assert_eq!(count.load(Ordering::SeqCst), 2);
    assert_eq!(client.stats().requests, 2);
    assert_eq!(client.stats().retries, 1);

    // Each attempt is signed afresh.
    let seen = requests(&rx);
    assert_eq!(seen.len(), 2);
    assert!(seen[1].timestamp() >= seen[0].timestamp());
    assert_ne!(
        seen[0].header("KALSHI-ACCESS-SIGNATURE"),
        seen[1].header("KALSHI-ACCESS-SIGNATURE")
    );
}

#[test]
fn a_503_on_create_order_group_is_never_repeated() {
    let (addr, _rx, count) = scripted(|_, _| status("503 Service Unavailable", BOOM));
    let client = client_for(addr, fast(4));
    let err = client.execute(&CreateOrderGroup::new(10)).expect_err("503");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::ServerError(e)) if e.status == 503),
        "{err:?}"
    );
    assert!(err.outcome_unknown(), "a 5xx on a create: maybe executed");
    assert_eq!(count.load(Ordering::SeqCst), 1, "exactly one request");
}

#[test]
fn a_lost_answer_to_create_order_group_is_outcome_unknown_and_not_repeated() {
    let (addr, _rx, count) = scripted(|_, _| drop_after_read());
    let client = client_for(addr, fast(4));
    let err = client
        .execute(&CreateOrderGroup::new(10))
        .expect_err("no answer");
    match &err {
        Error::OutcomeUnknown { operation, source } => {
            assert_eq!(*operation, "CreateOrderGroup");
            assert!(matches!(**source, Error::Disconnected(_)), "{source:?}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(count.load(Ordering::SeqCst), 1, "exactly one request");
    assert!(err.outcome_unknown());
    assert!(!err.is_refused_before_sending());
    let shown = err.to_string();
    assert!(shown.contains("may or may not have executed"), "{shown}");
    assert!(shown.contains("list the order groups"), "{shown}");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_lost_answer_to_a_read_is_retried() {
    let (addr, _rx, count) = scripted(|n, _| match n {
        0 => drop_after_read(),
        _ => ok(GROUPS),
    });
    let client = client_for(addr, fast(4));
    client
        .execute(&GetOrderGroups::new())
        .expect("the retry succeeds");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[test]
fn a_429_on_create_order_group_is_repeated() {
    let (addr, _rx, count) = scripted(|n, _| match n {
        0 => status("429 Too Many Requests", TOO_MANY),
        _ => status("201 Created", GROUP_CREATED),
    });
    let client = client_for(addr, fast(4));
    let created = client
        .execute(&CreateOrderGroup::new(10))
        .expect("nothing was executed on the 429, so the repeat is safe");
    assert_eq!(created.order_group_id, "og-1");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[test]
fn the_retry_budget_is_respected() {
    // Reads: every attempt answered 503; the last answer is returned.
    let (addr, _rx, count) = scripted(|_, _| status("503 Service Unavailable", BOOM));
    let err = client_for(addr, fast(3))
        .execute(&GetOrderGroups::new())
        .expect_err("503s");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::ServerError(_))),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);

    // 429s for a create without a key: repeated (nothing executed), within the budget.
    let (addr, _rx, count) = scripted(|_, _| status("429 Too Many Requests", TOO_MANY));
    let err = client_for(addr, fast(2))
        .execute(&CreateOrderGroup::new(1))
        .expect_err("429s");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::RateLimited(_))),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // An idempotent write whose answers are all lost: repeated up to the budget, then its
    // outcome is reported unknown.
    let (addr, _rx, count) = scripted(|_, _| drop_after_read());
    let err = client_for(addr, fast(3))
        .execute(&DeleteOrderGroup::new("og-1"))
        .expect_err("no answers");
    assert!(
        matches!(
            &err,
            Error::OutcomeUnknown {
                operation: "DeleteOrderGroup",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);

    // A read whose answers are all lost: its own transport error, not OutcomeUnknown.
    let (addr, _rx, count) = scripted(|_, _| drop_after_read());
    let err = client_for(addr, fast(2))
        .execute(&GetOrderGroups::new())
        .expect_err("no answers");
    assert!(matches!(&err, Error::Disconnected(_)), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2);

    // Retries off: one request.
    let (addr, _rx, count) = scripted(|_, _| status("503 Service Unavailable", BOOM));
    client_for(addr, quick().retry(RetryPolicy::never()))
        .execute(&GetOrderGroups::new())
        .expect_err("503");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[test]
fn a_request_that_never_left_is_retried_even_for_a_create_without_a_key() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let client = client_for(addr, fast(3));
    let err = client
        .execute(&CreateOrderGroup::new(10))
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.outcome_unknown());
    assert_eq!(client.stats().requests, 3, "connection refused is retried");
}

#[test]
fn answers_that_are_not_retried() {
    // A 4xx other than 429 says the request was refused: returned at once.
    let (addr, _rx, count) = scripted(|_, _| {
        status(
            "404 Not Found",
            br#"{"error":{"code":"not_found","message":"no"}}"#,
        )
    });
    let err = client_for(addr, fast(4))
        .execute(&DeleteOrderGroup::new("og-1"))
        .expect_err("404");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::NotFound(_))),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // A request the core refuses is never sent, retries or not.
    let err = transport(fast(4))
        .execute(&CreateOrderGroup::new(0))
        .expect_err("refused");
    assert!(err.is_refused_before_sending(), "{err:?}");
}

#[test]
fn transport_failures_map_to_attempt_failures() {
    use kalshi_core::retry::AttemptFailure as F;
    let not_sent = |e: Error| matches!(e.attempt_failure(), Some(F::NotSent));
    let unknown = |e: Error| matches!(e.attempt_failure(), Some(F::OutcomeUnknown));
    let m = || String::from("x");
    assert!(not_sent(Error::Dns(m())));
    assert!(not_sent(Error::Connect(m())));
    assert!(not_sent(Error::Tls(m())));
    assert!(not_sent(Error::Timeout {
        connected: false,
        message: m()
    }));
    assert!(unknown(Error::Timeout {
        connected: true,
        message: m()
    }));
    assert!(unknown(Error::Disconnected(m())));
    assert!(unknown(Error::BodyCut(m())));
    assert!(unknown(Error::Protocol(m())));
    assert!(unknown(Error::ResponseTooLarge {
        limit: 1,
        message: m()
    }));
    assert!(Error::InsecureUrl(m()).attempt_failure().is_none());
    assert!(Error::InvalidRequest(m()).attempt_failure().is_none());
    // Every error whose outcome is unknown maps to OutcomeUnknown, and the others do not.
    for e in [
        Error::Dns(m()),
        Error::Connect(m()),
        Error::Tls(m()),
        Error::Disconnected(m()),
        Error::BodyCut(m()),
        Error::Protocol(m()),
        Error::Io {
            kind: std::io::ErrorKind::Other,
            message: m(),
        },
        Error::Other(m()),
    ] {
        assert_eq!(
            e.outcome_unknown(),
            matches!(e.attempt_failure(), Some(F::OutcomeUnknown)),
            "{e:?}"
        );
    }
}

// --- place_order ----------------------------------------------------------------------------

fn order(ticker: &str) -> CreateOrder {
    CreateOrder::new(
        ticker,
        BookSide::Bid,
        "3".parse().expect("count"),
        "0.42".parse().expect("price"),
    )
}

fn order_json(order_id: &str, client_order_id: &str, ticker: &str) -> Value {
    serde_json::json!({
        "order_id": order_id,
        "client_order_id": client_order_id,
        "ticker": ticker,
        "status": "resting",
        "book_side": "bid",
        "initial_count_fp": "3.00",
        "remaining_count_fp": "3.00",
    })
}

#[test]
fn place_order_resolves_a_409_after_a_lost_answer_to_the_existing_order() {
    // 1: the create is read (and "placed"), then the connection dies: the answer is lost.
    // 2: the repeat gets a 409: its client_order_id is taken.
    // 3: the lookup lists the market's orders, ours among them.
    let placed_coid = Arc::new(Mutex::new(String::new()));
    let remembered = Arc::clone(&placed_coid);
    let (addr, rx, count) = scripted(move |n, seen| match n {
        0 => {
            *remembered.lock().unwrap() = seen.json()["client_order_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            drop_after_read()
        }
        1 => status(
            "409 Conflict",
            br#"{"error":{"code":"order_already_exists","message":"duplicate client_order_id"}}"#,
        ),
        _ => {
            let coid = remembered.lock().unwrap().clone();
            let page = serde_json::json!({
                "orders": [
                    order_json("o-other", "someone-else", "KXTEST-1"),
                    order_json("o-ours", &coid, "KXTEST-1"),
                ],
                "cursor": "",
            });
            ok(page.to_string().as_bytes())
        }
    });
    let client = client_for(addr, fast(4));
    let op = order("KXTEST-1");
    let placed = client.place_order(&op).expect("resolved");
    match &placed {
        Placed::AlreadyExisted(found) => {
            assert_eq!(found.order_id, "o-ours");
            assert_eq!(found.client_order_id, op.client_order_id);
        }
        other => panic!("expected AlreadyExisted, got {other:?}"),
    }
    assert_eq!(placed.order_id(), "o-ours");
    assert_eq!(count.load(Ordering::SeqCst), 3);

    let seen = requests(&rx);
    assert_eq!(seen.len(), 3);
    for create in &seen[..2] {
        assert_eq!(create.method(), "POST");
        assert_eq!(create.target(), "/trade-api/v2/portfolio/events/orders");
        assert_eq!(
            create.json()["client_order_id"].as_str(),
            Some(op.client_order_id.as_str()),
            "both creates carry the same client_order_id"
        );
    }
    assert_eq!(*placed_coid.lock().unwrap(), op.client_order_id);
    assert_eq!(seen[2].method(), "GET");
    assert!(
        seen[2]
            .target()
            .starts_with("/trade-api/v2/portfolio/orders?"),
        "{}",
        seen[2].target()
    );
    assert!(
        seen[2].target().contains("ticker=KXTEST-1"),
        "{}",
        seen[2].target()
    );
}

#[test]
fn place_order_outcomes() {
    let created = |coid: &str| {
        serde_json::json!({
            "order_id": "o-1",
            "client_order_id": coid,
            "fill_count": "0.00",
            "remaining_count": "3.00",
            "ts_ms": 1_700_000_000_000u64,
        })
        .to_string()
    };

    // A 5xx, then the create lands: Created, two requests with the same id.
    let (addr, rx, count) = scripted(move |n, seen| match n {
        0 => status("503 Service Unavailable", BOOM),
        _ => {
            let coid = seen.json()["client_order_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            status("201 Created", created(&coid).as_bytes())
        }
    });
    let op = order("KXTEST-2");
    let placed = client_for(addr, fast(4)).place_order(&op).expect("placed");
    assert!(
        matches!(&placed, Placed::Created(r) if r.order_id == "o-1"),
        "{placed:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);
    let seen = requests(&rx);
    assert_eq!(
        seen[0].json()["client_order_id"],
        seen[1].json()["client_order_id"]
    );

    // A 409 on the very first attempt is the caller's own duplicate.
    let (addr, _rx, count) = scripted(|_, _| {
        status(
            "409 Conflict",
            br#"{"error":{"code":"order_already_exists","message":"duplicate"}}"#,
        )
    });
    let err = client_for(addr, fast(4))
        .place_order(&order("KXTEST-3"))
        .expect_err("409");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::Conflict(_))),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // Every answer lost: repeated up to the budget, then OutcomeUnknown (repeating the same
    // CreateOrder is safe).
    let (addr, _rx, count) = scripted(|_, _| drop_after_read());
    let err = client_for(addr, fast(3))
        .place_order(&order("KXTEST-4"))
        .expect_err("no answers");
    assert!(
        matches!(
            &err,
            Error::OutcomeUnknown {
                operation: "CreateOrderV2",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[test]
fn execute_create_order_retries_but_leaves_a_409_unresolved() {
    let (addr, _rx, count) = scripted(|n, _| match n {
        0 => drop_after_read(),
        _ => status(
            "409 Conflict",
            br#"{"error":{"code":"order_already_exists","message":"duplicate"}}"#,
        ),
    });
    let err = client_for(addr, fast(4))
        .execute(&order("KXTEST-5"))
        .expect_err("409");
    assert!(
        matches!(&err, Error::Api(kalshi_core::Error::Conflict(_))),
        "{err:?}"
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        2,
        "repeated once, then the 409"
    );
}

// --- Pagination -----------------------------------------------------------------------------

fn orders_page(ids: &[&str], cursor: Option<&str>) -> Reply {
    let orders: Vec<Value> = ids
        .iter()
        .map(|id| order_json(id, &format!("c-{id}"), "KXPAGE"))
        .collect();
    ok(serde_json::json!({ "orders": orders, "cursor": cursor })
        .to_string()
        .as_bytes())
}

#[test]
fn iter_all_walks_every_page() {
    let (addr, rx, _) = scripted(|_, seen| {
        let target = seen.target();
        if target.contains("cursor=c2") {
            orders_page(&["o5"], None)
        } else if target.contains("cursor=c1") {
            orders_page(&["o3", "o4"], Some("c2"))
        } else {
            orders_page(&["o1", "o2"], Some("c1"))
        }
    });
    let client = client_for(addr, fast(4));
    let mut items = client.iter_all(GetOrders::new().ticker("KXPAGE").limit(2));
    let ids: Vec<String> = items
        .by_ref()
        .map(|r| r.expect("a page").order_id)
        .collect();
    assert_eq!(ids, ["o1", "o2", "o3", "o4", "o5"]);
    assert_eq!(items.pages_read(), 3);
    assert!(items.next().is_none());

    let targets: Vec<String> = requests(&rx)
        .iter()
        .map(|s| s.target().to_owned())
        .collect();
    assert_eq!(
        targets,
        [
            "/trade-api/v2/portfolio/orders?ticker=KXPAGE&limit=2",
            "/trade-api/v2/portfolio/orders?ticker=KXPAGE&limit=2&cursor=c1",
            "/trade-api/v2/portfolio/orders?ticker=KXPAGE&limit=2&cursor=c2",
        ]
    );
}

#[test]
fn iter_all_retries_a_page_and_stops_at_the_first_error() {
    // Page 2 fails once with a 503 (retried), then page 3 is refused with a 400.
    let (addr, _rx, count) = scripted(|n, seen| {
        let target = seen.target();
        if target.contains("cursor=c2") {
            status(
                "400 Bad Request",
                br#"{"error":{"code":"invalid_parameters","message":"bad cursor"}}"#,
            )
        } else if target.contains("cursor=c1") {
            if n == 1 {
                status("503 Service Unavailable", BOOM)
            } else {
                orders_page(&["o3"], Some("c2"))
            }
        } else {
            orders_page(&["o1", "o2"], Some("c1"))
        }
    });
    let client = client_for(addr, fast(4));
    let results: Vec<_> = client.iter_all(GetOrders::new().limit(2)).collect();
    assert_eq!(results.len(), 4, "{results:?}");
    assert!(results[..3].iter().all(Result::is_ok));
    assert!(
        matches!(
            &results[3],
            Err(Error::Api(kalshi_core::Error::BadRequest(_)))
        ),
        "{:?}",
        results[3]
    );
    assert_eq!(count.load(Ordering::SeqCst), 4);
}

// --- Rate limiter ---------------------------------------------------------------------------

#[test]
fn the_rate_limiter_makes_the_request_over_capacity_wait() {
    let (addr, rx, _) = scripted(|_, seen| {
        if seen.method() == "POST" {
            status("201 Created", GROUP_CREATED)
        } else {
            ok(GROUPS)
        }
    });
    // Write bucket: 30 tokens, refilling 10 per second (reserve: 10 ms of refill, 1 token):
    // two 10-token requests at once, then one more about every second.
    let client = client_for(addr, fast(1).rate_limit_custom((1_000, 1_000), (10, 30)));
    assert_eq!(client.rate_limit_tokens(Bucket::Write), Some(30));
    for _ in 0..2 {
        client.execute(&CreateOrderGroup::new(5)).expect("create");
    }
    assert_eq!(client.stats().rate_limit_waits, 0, "within the burst");
    let left = client.rate_limit_tokens(Bucket::Write).expect("a limiter");
    assert!(
        left < 20,
        "the bucket holds less than two more requests ({left} tokens)"
    );

    // The third write finds the bucket empty and waits for the refill.
    client.execute(&CreateOrderGroup::new(5)).expect("create");
    assert!(client.stats().rate_limit_waits >= 1, "{:?}", client.stats());

    // Reads drain their own bucket.
    let waits = client.stats().rate_limit_waits;
    client.execute(&GetOrderGroups::new()).expect("read");
    assert_eq!(client.stats().rate_limit_waits, waits);

    let methods: Vec<String> = requests(&rx)
        .iter()
        .map(|s| s.method().to_owned())
        .collect();
    assert_eq!(methods, ["POST", "POST", "POST", "GET"]);

    // Clones share the limiter; a client without one has none.
    assert!(client.clone().rate_limit_tokens(Bucket::Read).is_some());
    assert_eq!(transport(quick()).rate_limit_tokens(Bucket::Read), None);
    assert_eq!(
        Config::default().rate_limit(Tier::Basic).rate_limit,
        Some(RateLimit::Tier(Tier::Basic))
    );
}

// --- Clock skew -----------------------------------------------------------------------------

const HOUR_MS: i64 = 3_600_000;

/// Milliseconds since the epoch as an IMF-fixdate (`Tue, 14 Nov 2023 22:13:20 GMT`).
fn http_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

fn local_ms() -> i64 {
    Timestamp::now().as_millis() as i64
}

/// A server whose `Date` header runs `ahead_ms` ahead of the local clock, answering `status`
/// with `body`.
fn dated(
    ahead_ms: i64,
    status: &'static str,
    body: &'static [u8],
) -> (SocketAddr, mpsc::Receiver<Seen>, Arc<AtomicUsize>) {
    scripted(move |_, _| {
        let date = format!("Date: {}", http_date(local_ms() + ahead_ms));
        Reply::KeepAlive(response(status, &[&date], body))
    })
}

#[test]
fn http_dates_round_trip_through_the_core() {
    assert_eq!(http_date(784_111_777_000), "Sun, 06 Nov 1994 08:49:37 GMT");
    let now = local_ms();
    assert_eq!(
        kalshi_core::clock_skew::parse_http_date(&http_date(now)),
        Some(now / 1000)
    );
}

#[test]
fn correct_clock_skew_signs_on_the_exchange_clock() {
    let (addr, rx, _) = dated(HOUR_MS, "200 OK", GROUPS);
    let client = client_for(addr, fast(1).correct_clock_skew(true));
    assert_eq!(client.clock_offset_ms(), None);

    // The first request is signed with the local clock (nothing is known yet) and teaches the
    // client the offset.
    let before = local_ms();
    client.execute(&GetOrderGroups::new()).expect("answered");
    let first = requests(&rx).remove(0).timestamp() as i64;
    assert!((first - before).abs() < 5_000, "{first} vs {before}");
    let offset = client.clock_offset_ms().expect("observed");
    assert!((offset - HOUR_MS).abs() <= 2_000, "{offset}");

    // From then on requests are signed about an hour ahead.
    let before = local_ms();
    client.execute(&GetOrderGroups::new()).expect("answered");
    let signed = requests(&rx).remove(0).timestamp() as i64;
    assert!(
        ((signed - before) - HOUR_MS).abs() <= 5_000,
        "{signed} vs {before}"
    );

    // An explicit timestamp is the caller's: never corrected.
    let chosen = Timestamp::from_millis(1_700_000_000_000);
    client
        .execute_at(&GetOrderGroups::new(), chosen)
        .expect("answered");
    assert_eq!(requests(&rx).remove(0).timestamp(), chosen.as_millis());

    // Without correction the offset is observed but not applied.
    let (addr, rx, _) = dated(HOUR_MS, "200 OK", GROUPS);
    let plain = client_for(addr, fast(1));
    for _ in 0..2 {
        let before = local_ms();
        plain.execute(&GetOrderGroups::new()).expect("answered");
        let signed = requests(&rx).remove(0).timestamp() as i64;
        assert!((signed - before).abs() < 5_000, "{signed} vs {before}");
    }
    assert!((plain.clock_offset_ms().expect("observed") - HOUR_MS).abs() <= 2_000);
}

#[test]
fn a_401_under_a_skewed_clock_says_so() {
    const UNAUTHORIZED: &[u8] =
        br#"{"error":{"code":"unauthorized","message":"timestamp outside the window"}}"#;
    let (addr, _rx, count) = dated(HOUR_MS, "401 Unauthorized", UNAUTHORIZED);
    let client = client_for(addr, fast(4));
    let err = client.execute(&GetOrderGroups::new()).expect_err("401");
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(e)) => {
            let skew = e.clock_skew_ms.expect("the offset is attached");
            assert!((skew - HOUR_MS).abs() <= 2_000, "{skew}");
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert!(err.to_string().contains("clock"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "a 401 is not retried");

    // A 401 under a sound clock says nothing about clocks.
    let (addr, _rx, _) = dated(0, "401 Unauthorized", UNAUTHORIZED);
    let err = client_for(addr, fast(4))
        .execute(&GetOrderGroups::new())
        .expect_err("401");
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(e)) => assert_eq!(e.clock_skew_ms, None),
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert!(!err.to_string().contains("clock"), "{err}");
}

/// An exchange an hour ahead that refuses (401) any request whose signed timestamp is more
/// than 30 s off its own clock, as Kalshi does.
fn hour_ahead_exchange_with_a_window() -> (SocketAddr, mpsc::Receiver<Seen>, Arc<AtomicUsize>) {
    const UNAUTHORIZED: &[u8] =
        br#"{"error":{"code":"unauthorized","message":"timestamp outside the window"}}"#;
    scripted(move |_, seen| {
        let exchange_now = local_ms() + HOUR_MS;
        let date = format!("Date: {}", http_date(exchange_now));
        let signed = seen.timestamp() as i64;
        if (signed - exchange_now).abs() > 30_000 {
            Reply::KeepAlive(response("401 Unauthorized", &[&date], UNAUTHORIZED))
        } else {
            Reply::KeepAlive(response(
                "200 OK",
                &[&date],
                b"{\"order_group_id\":\"og-1\"}",
            ))
        }
    })
}

#[test]
fn with_correction_a_401_from_a_skewed_clock_is_re_signed_once() {
    // Retries off: the re-signed attempt is not a retry of the policy, it is the clock's.
    let (addr, rx, count) = hour_ahead_exchange_with_a_window();
    let client = client_for(addr, fast(1).correct_clock_skew(true));
    // A create, even: its 401 executed nothing.
    let created = client
        .execute(&CreateOrderGroup::new(10))
        .expect("re-signed on the exchange's clock");
    assert_eq!(created.order_group_id, "og-1");
    let seen = requests(&rx);
    assert_eq!(seen.len(), 2, "the 401, then one re-signed request");
    let (first, second) = (seen[0].timestamp() as i64, seen[1].timestamp() as i64);
    assert!(
        ((second - first) - HOUR_MS).abs() <= 5_000,
        "{first} then {second}"
    );

    // Later calls are signed right the first time.
    client
        .execute(&CreateOrderGroup::new(10))
        .expect("signed right");
    assert_eq!(count.load(Ordering::SeqCst), 3);

    // Without correction: one request, and the 401 names the clock.
    let (addr, _rx, count) = hour_ahead_exchange_with_a_window();
    let plain = client_for(addr, fast(4));
    let err = plain
        .execute(&CreateOrderGroup::new(10))
        .expect_err("signed on the local clock");
    assert!(err.to_string().contains("clock"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // With correction but a timestamp the caller chose: used as given, never re-signed.
    let (addr, _rx, count) = hour_ahead_exchange_with_a_window();
    let chosen = client_for(addr, fast(4).correct_clock_skew(true));
    chosen
        .execute_at(&CreateOrderGroup::new(10), Timestamp::now())
        .expect_err("the caller's timestamp");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[test]
fn a_401_that_the_clock_does_not_explain_is_not_re_signed() {
    const UNAUTHORIZED: &[u8] = br#"{"error":{"code":"unauthorized","message":"bad key"}}"#;
    // The exchange's clock agrees with ours: the 401 is about the key.
    let (addr, _rx, count) = dated(0, "401 Unauthorized", UNAUTHORIZED);
    let client = client_for(addr, fast(4).correct_clock_skew(true));
    client.execute(&GetOrderGroups::new()).expect_err("401");
    assert_eq!(count.load(Ordering::SeqCst), 1);

    // An exchange that refuses everything, an hour ahead: re-signed once, then reported.
    let (addr, _rx, count) = dated(HOUR_MS, "401 Unauthorized", UNAUTHORIZED);
    let client = client_for(addr, fast(4).correct_clock_skew(true));
    let err = client
        .execute(&GetOrderGroups::new())
        .expect_err("401 twice");
    assert_eq!(
        count.load(Ordering::SeqCst),
        2,
        "one re-signed attempt, no more"
    );
    assert!(matches!(
        err,
        Error::Api(kalshi_core::Error::Unauthorized(_))
    ));
}
