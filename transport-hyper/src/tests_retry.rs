//! Retries, order placement, pagination, rate limiting and clock skew, against scripted raw
//! servers on 127.0.0.1. No wall-clock assertions: counts, orders and decisions only (and
//! tokio's paused virtual time for the rate limiter).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use kalshi_core::enums::BookSide;
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroups};
use kalshi_core::orders::{CreateOrder, GetOrders, Placed};
use kalshi_core::rate_limit::Bucket;
use kalshi_core::retry::RetryPolicy;
use tokio::io::AsyncWriteExt;

use super::tests::{core_for, raw_server, read_request};
use super::*;

/// Every request the server received, in arrival order (head and body as text).
type Log = Arc<Mutex<Vec<String>>>;

/// A server answering the n-th request (counted over all connections, from 0) with
/// `reply(n, request)`: `Some(raw response)` answers and keeps the connection open, `None`
/// closes the connection after reading the request, without answering.
async fn scripted<F>(reply: F) -> (String, Log)
where
    F: Fn(usize, &str) -> Option<String> + Send + Sync + 'static,
{
    let log: Log = Arc::default();
    let reply = Arc::new(reply);
    let seen = Arc::clone(&log);
    let (url, _) = raw_server(move |mut stream| {
        let reply = Arc::clone(&reply);
        let seen = Arc::clone(&seen);
        async move {
            while let Some(request) = read_request(&mut stream).await {
                let answer = {
                    let mut seen = seen.lock().unwrap();
                    let n = seen.len();
                    seen.push(request.clone());
                    reply(n, &request)
                };
                match answer {
                    Some(answer) => {
                        if stream.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    None => {
                        let _ = stream.shutdown().await;
                        return;
                    }
                }
            }
        }
    })
    .await;
    (format!("{url}/trade-api/v2"), log)
}

fn answer(status: &str, body: &str) -> Option<String> {
    answer_with(status, "", body)
}

fn answer_with(status: &str, headers: &str, body: &str) -> Option<String> {
    Some(format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    ))
}

const GROUPS: &str = r#"{"order_groups":[]}"#;
const CREATED_GROUP: &str = r#"{"order_group_id":"og-1","subaccount":0}"#;
const UNAVAILABLE: &str = r#"{"error":{"code":"service_unavailable","message":"try later"}}"#;
const TOO_MANY: &str = r#"{"error":"too many requests"}"#;

/// Retries after 1 to 2 ms, so that the tests do not wait.
fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(4),
        retry_server_errors: true,
    }
}

fn client_for(base_url: &str, config: Config) -> AsyncClient {
    AsyncClient::with_config(core_for(base_url), config).unwrap()
}

fn fast_client(base_url: &str) -> AsyncClient {
    client_for(base_url, Config::default().retry(fast_retries(4)))
}

fn count(log: &Log) -> usize {
    log.lock().unwrap().len()
}

fn header<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    let head = request.split("\r\n\r\n").next()?;
    head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn body(request: &str) -> &str {
    request.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

fn signed_ms(request: &str) -> u64 {
    header(request, "kalshi-access-timestamp")
        .expect("a signed request")
        .parse()
        .expect("decimal milliseconds")
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn idempotent_get_is_retried_after_a_503() {
    let (url, log) = scripted(|n, _| match n {
        0 => answer("503 Service Unavailable", UNAVAILABLE),
        _ => answer("200 OK", GROUPS),
    })
    .await;
    let client = fast_client(&url);
    let groups = client
        .execute(&GetOrderGroups::new())
        .await
        .expect("the second attempt succeeds");
    assert!(groups.order_groups.is_empty());
    assert_eq!(count(&log), 2);
    assert_eq!(
        client.stats(),
        Stats {
            requests: 2,
            retries: 1,
            rate_limit_waits: 0
        }
    );
}

#[tokio::test]
async fn order_group_create_is_not_repeated_after_a_503() {
    let (url, log) = scripted(|_, _| answer("503 Service Unavailable", UNAVAILABLE)).await;
    let err = fast_client(&url)
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect_err("a 5xx");
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::ServerError(_))),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    assert_eq!(
        count(&log),
        1,
        "a create without an idempotency key is sent once"
    );
}

#[tokio::test]
async fn order_group_create_cut_off_is_outcome_unknown_after_one_request() {
    let (url, log) = scripted(|_, _| None).await;
    let err = fast_client(&url)
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect_err("no answer");
    match &err {
        Error::OutcomeUnknown { operation, source } => {
            assert_eq!(*operation, "CreateOrderGroup");
            assert!(matches!(**source, Error::BodyCut(_)), "{source:?}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(count(&log), 1, "never repeated");
    assert!(err.outcome_unknown());
    let text = err.to_string();
    assert!(
        text.contains("CreateOrderGroup may or may not have been executed"),
        "{text}"
    );
    assert!(text.contains("before repeating it"), "{text}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn read_cut_off_is_retried() {
    let (url, log) = scripted(|n, _| match n {
        0 => None,
        _ => answer("200 OK", GROUPS),
    })
    .await;
    fast_client(&url)
        .execute(&GetOrderGroups::new())
        .await
        .expect("the repeat succeeds");
    assert_eq!(count(&log), 2);
}

#[tokio::test]
async fn rate_limited_create_is_retried() {
    let (url, log) = scripted(|n, _| match n {
        0 => answer("429 Too Many Requests", TOO_MANY),
        _ => answer("201 Created", CREATED_GROUP),
    })
    .await;
    let created = fast_client(&url)
        .execute(&CreateOrderGroup::new(10))
        .await
        .expect("the repeat after a 429 succeeds");
    assert_eq!(created.order_group_id, "og-1");
    assert_eq!(count(&log), 2, "a 429 means nothing was executed");
}

#[tokio::test]
async fn the_retry_budget_is_respected() {
    // 5xx on a read: three attempts, then the last answer.
    let (url, log) = scripted(|_, _| answer("503 Service Unavailable", UNAVAILABLE)).await;
    let client = client_for(&url, Config::default().retry(fast_retries(3)));
    let err = client.execute(&GetOrderGroups::new()).await.unwrap_err();
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::ServerError(_))),
        "{err:?}"
    );
    assert_eq!(count(&log), 3);

    // 429 on a create: three attempts too.
    let (url, log) = scripted(|_, _| answer("429 Too Many Requests", TOO_MANY)).await;
    let client = client_for(&url, Config::default().retry(fast_retries(3)));
    let err = client.execute(&CreateOrderGroup::new(1)).await.unwrap_err();
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::RateLimited(_))),
        "{err:?}"
    );
    assert_eq!(count(&log), 3);

    // Cut connections on a read: the budget runs out; a read executes nothing, so its
    // transport error is reported as it is.
    let (url, log) = scripted(|_, _| None).await;
    let client = client_for(&url, Config::default().retry(fast_retries(3)));
    let err = client.execute(&GetOrderGroups::new()).await.unwrap_err();
    assert!(matches!(&err, Error::BodyCut(_)), "{err:?}");
    assert_eq!(count(&log), 3);
    assert_eq!(client.stats().requests, 3);
    assert_eq!(client.stats().retries, 2);

    // Never: one attempt.
    let (url, log) = scripted(|_, _| answer("503 Service Unavailable", UNAVAILABLE)).await;
    let client = client_for(&url, Config::default().retry(RetryPolicy::never()));
    client.execute(&GetOrderGroups::new()).await.unwrap_err();
    assert_eq!(count(&log), 1);
}

#[tokio::test]
async fn answered_refusals_are_not_retried() {
    let (url, log) = scripted(|_, _| {
        answer(
            "404 Not Found",
            r#"{"error":{"code":"not_found","message":"no"}}"#,
        )
    })
    .await;
    let err = fast_client(&url)
        .execute(&GetOrderGroups::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::NotFound(_))),
        "{err:?}"
    );
    assert_eq!(count(&log), 1);
}

#[tokio::test]
async fn unsent_requests_are_retried_then_reported_as_they_are() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = fast_client(&format!("http://127.0.0.1:{port}/trade-api/v2"));
    // Nothing was sent, so even a create is repeated; the last failure is reported as is.
    let err = client.execute(&CreateOrderGroup::new(3)).await.unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn each_attempt_is_signed_afresh() {
    let (url, log) = scripted(|n, _| match n {
        0 => answer("503 Service Unavailable", UNAVAILABLE),
        _ => answer("200 OK", GROUPS),
    })
    .await;
    let client = client_for(
        &url,
        Config::default().retry(RetryPolicy {
            initial_backoff: Duration::from_millis(40),
            max_backoff: Duration::from_millis(40),
            ..fast_retries(2)
        }),
    );
    client.execute(&GetOrderGroups::new()).await.unwrap();
    let log = log.lock().unwrap();
    let (first, second) = (signed_ms(&log[0]), signed_ms(&log[1]));
    // The second attempt waited at least half the backoff (equal jitter) before signing.
    assert!(second >= first + 20, "{first} {second}");
    assert_ne!(
        header(&log[0], "kalshi-access-signature"),
        header(&log[1], "kalshi-access-signature")
    );
}

#[tokio::test]
async fn repeats_of_an_explicit_timestamp_advance_from_it() {
    let (url, log) = scripted(|n, _| match n {
        0 => answer("503 Service Unavailable", UNAVAILABLE),
        _ => answer("200 OK", GROUPS),
    })
    .await;
    let client = client_for(&url, Config::default().retry(fast_retries(2)));
    client
        .execute_at(&GetOrderGroups::new(), Timestamp::from_millis(1_000_000))
        .await
        .unwrap();
    let log = log.lock().unwrap();
    assert_eq!(signed_ms(&log[0]), 1_000_000);
    // Stamped from the caller's clock plus the time since the call began (the backoff, at
    // least 1 ms), not from the system clock.
    let repeat = signed_ms(&log[1]);
    assert!((1_000_001..1_060_000).contains(&repeat), "{repeat}");
}

// ---------------------------------------------------------------------------------------------
// place_order

fn order_json(order_id: &str, client_order_id: &str, ticker: &str) -> String {
    format!(
        r#"{{"order_id":"{order_id}","client_order_id":"{client_order_id}","ticker":"{ticker}","status":"resting","book_side":"bid","remaining_count_fp":"10.00","initial_count_fp":"10.00"}}"#
    )
}

fn new_order(ticker: &str) -> CreateOrder {
    CreateOrder::new(
        ticker,
        BookSide::Bid,
        "10".parse().unwrap(),
        "0.56".parse().unwrap(),
    )
}

#[tokio::test]
async fn place_order_resolves_a_lost_create_by_lookup() {
    let op = new_order("HIGHNY-24JAN01-T60");
    let mine = op.client_order_id.clone();
    let page = format!(
        r#"{{"orders":[{},{}],"cursor":""}}"#,
        order_json("o-other", "someone-else", "HIGHNY-24JAN01-T60"),
        order_json("o-42", &mine, "HIGHNY-24JAN01-T60"),
    );
    let (url, log) = scripted(move |n, _| match n {
        // The create lands, but its answer is lost.
        0 => None,
        // The repeat is refused as a duplicate client_order_id.
        1 => answer(
            "409 Conflict",
            r#"{"error":{"code":"order_already_exists","message":"duplicate client_order_id"}}"#,
        ),
        // The lookup finds the order.
        _ => answer("200 OK", &page),
    })
    .await;
    let placed = fast_client(&url).place_order(&op).await.expect("placed");
    match &placed {
        Placed::AlreadyExisted(order) => {
            assert_eq!(order.order_id, "o-42");
            assert_eq!(order.client_order_id, mine);
        }
        other => panic!("expected AlreadyExisted, got {other:?}"),
    }
    assert_eq!(placed.order_id(), "o-42");

    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3);
    assert!(log[0].starts_with("POST /trade-api/v2/portfolio/events/orders "));
    assert!(log[1].starts_with("POST /trade-api/v2/portfolio/events/orders "));
    assert_eq!(body(&log[0]), body(&log[1]), "the same create, repeated");
    assert!(
        body(&log[0]).contains(&format!(r#""client_order_id":"{mine}""#)),
        "{}",
        log[0]
    );
    assert!(
        log[2].starts_with("GET /trade-api/v2/portfolio/orders?ticker=HIGHNY-24JAN01-T60&"),
        "{}",
        log[2]
    );
}

#[tokio::test]
async fn place_order_created_and_own_duplicate() {
    let (url, log) = scripted(|n, _| match n {
        0 => answer(
            "201 Created",
            r#"{"order_id":"o-1","client_order_id":"c","fill_count":"0.00","remaining_count":"10.00","ts_ms":1}"#,
        ),
        _ => answer(
            "409 Conflict",
            r#"{"error":{"code":"order_already_exists","message":"duplicate"}}"#,
        ),
    })
    .await;
    let client = fast_client(&url);
    let op = new_order("T");
    let placed = client.place_order(&op).await.expect("created");
    assert!(
        matches!(&placed, Placed::Created(r) if r.order_id == "o-1"),
        "{placed:?}"
    );
    // A 409 on a first attempt is the caller's own duplicate: no lookup.
    let err = client.place_order(&op).await.expect_err("duplicate");
    assert!(
        matches!(err, Error::Api(kalshi_core::Error::Conflict(_))),
        "{err:?}"
    );
    assert_eq!(count(&log), 2);
}

#[tokio::test]
async fn place_order_repeats_after_cut_connections_and_5xx() {
    let (url, log) = scripted(|n, _| match n {
        0 => None,
        1 => answer("502 Bad Gateway", "<html>bad gateway</html>"),
        _ => answer(
            "201 Created",
            r#"{"order_id":"o-9","fill_count":"0.00","remaining_count":"10.00","ts_ms":1}"#,
        ),
    })
    .await;
    let op = new_order("T");
    let placed = fast_client(&url).place_order(&op).await.expect("created");
    assert_eq!(placed.order_id(), "o-9");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|r| body(r) == body(&log[0])));
}

#[tokio::test]
async fn place_order_gives_up_with_outcome_unknown() {
    let (url, log) = scripted(|_, _| None).await;
    let client = client_for(&url, Config::default().retry(fast_retries(2)));
    let err = client.place_order(&new_order("T")).await.unwrap_err();
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
    assert_eq!(count(&log), 2);
}

// ---------------------------------------------------------------------------------------------
// Pagination

fn query_param<'a>(request: &'a str, key: &str) -> Option<&'a str> {
    let target = request.split(' ').nth(1)?;
    let (_, query) = target.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then_some(v)
    })
}

fn pages_server_reply(request: &str) -> Option<String> {
    let (orders, cursor) = match query_param(request, "cursor") {
        None => (vec!["o1", "o2"], "c2"),
        Some("c2") => (vec!["o3", "o4"], "c3"),
        Some("c3") => (vec!["o5"], ""),
        Some(_) => {
            return answer(
                "400 Bad Request",
                r#"{"error":{"code":"bad_cursor","message":"?"}}"#,
            );
        }
    };
    let orders: Vec<String> = orders
        .iter()
        .map(|id| order_json(id, &format!("c-{id}"), "T"))
        .collect();
    answer(
        "200 OK",
        &format!(r#"{{"orders":[{}],"cursor":"{cursor}"}}"#, orders.join(",")),
    )
}

#[tokio::test]
async fn stream_walks_three_pages() {
    let (url, log) = scripted(|_, request| pages_server_reply(request)).await;
    let client = fast_client(&url);
    let ids: Vec<String> = client
        .stream_all(GetOrders::new().limit(2))
        .map(|order| order.expect("an order").order_id)
        .collect()
        .await;
    assert_eq!(ids, ["o1", "o2", "o3", "o4", "o5"]);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(query_param(&log[0], "cursor"), None);
    assert_eq!(query_param(&log[1], "cursor"), Some("c2"));
    assert_eq!(query_param(&log[2], "cursor"), Some("c3"));
    assert!(log.iter().all(|r| query_param(r, "limit") == Some("2")));
}

#[tokio::test]
async fn stream_retries_a_page_and_stops_at_the_first_error() {
    // Page 2 fails once with a 503 (retried), then page 3 is refused (the stream ends).
    let (url, log) = scripted(|n, request| match (n, query_param(request, "cursor")) {
        (1, Some("c2")) => answer("503 Service Unavailable", UNAVAILABLE),
        (_, Some("c3")) => answer(
            "404 Not Found",
            r#"{"error":{"code":"not_found","message":"gone"}}"#,
        ),
        _ => pages_server_reply(request),
    })
    .await;
    let client = fast_client(&url);
    let items: Vec<Result<_, _>> = client.stream_all(GetOrders::new()).collect().await;
    assert_eq!(items.len(), 5, "{items:?}");
    let ids: Vec<&str> = items[..4]
        .iter()
        .map(|o| o.as_ref().unwrap().order_id.as_str())
        .collect();
    assert_eq!(ids, ["o1", "o2", "o3", "o4"]);
    assert!(
        matches!(&items[4], Err(Error::Api(kalshi_core::Error::NotFound(_)))),
        "{:?}",
        items[4]
    );
    assert_eq!(count(&log), 4);
}

#[tokio::test]
async fn stream_is_lazy() {
    let (url, log) = scripted(|_, request| pages_server_reply(request)).await;
    let client = fast_client(&url);
    let mut stream = std::pin::pin!(client.stream_all(GetOrders::new()));
    assert_eq!(count(&log), 0, "nothing is fetched before the first poll");
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.order_id, "o1");
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!(second.order_id, "o2");
    assert_eq!(count(&log), 1, "one page so far");
}

// ---------------------------------------------------------------------------------------------
// Rate limiter

#[tokio::test(start_paused = true)]
async fn limiter_makes_the_third_write_wait_for_the_refill() {
    // Write: 10 tokens per second, capacity 21, reserve 1 token (100 ms of refill): two
    // requests at once, then one per second.
    let config = Config::default().rate_limit_custom((1_000, 1_000), (10, 21));
    let client = client_for("http://127.0.0.1:1/trade-api/v2", config);
    let limiter = |c: &AsyncClient| {
        let shared = Arc::clone(&c.shared);
        async move {
            shared
                .limiter
                .get()
                .unwrap()
                .acquire(Bucket::Write, 10)
                .await
        }
    };
    let t0 = Instant::now();
    limiter(&client).await;
    limiter(&client).await;
    assert_eq!(t0.elapsed(), Duration::ZERO, "the burst passes at once");
    assert_eq!(client.rate_limit_tokens(Bucket::Write), Some(1));
    // Reads are another bucket.
    let read = Arc::clone(&client.shared);
    read.limiter.get().unwrap().acquire(Bucket::Read, 10).await;
    assert_eq!(t0.elapsed(), Duration::ZERO);
    limiter(&client).await;
    assert_eq!(
        t0.elapsed(),
        Duration::from_secs(1),
        "the third write waited exactly for 10 tokens (virtual time)"
    );
    // Clones share the buckets.
    limiter(&client.clone()).await;
    assert_eq!(t0.elapsed(), Duration::from_secs(2));
    assert_eq!(client.stats().rate_limit_waits, 2);
}

#[tokio::test(start_paused = true)]
async fn limiter_spaces_requests_through_execute() {
    let (url, log) = scripted(|_, _| answer("201 Created", CREATED_GROUP)).await;
    let config = Config::default().rate_limit_custom((1_000, 1_000), (10, 21));
    let client = client_for(&url, config);
    let t0 = Instant::now();
    let mut finished = Vec::new();
    for _ in 0..3 {
        client.execute(&CreateOrderGroup::new(5)).await.unwrap();
        finished.push(t0.elapsed());
    }
    // Reads pass while the Write bucket is empty.
    client.execute(&GetOrderGroups::new()).await.unwrap();
    let after_read = t0.elapsed();
    assert_eq!(count(&log), 4);
    assert_eq!(finished[0], Duration::ZERO);
    assert_eq!(finished[1], Duration::ZERO);
    assert_eq!(finished[2], Duration::from_secs(1), "{finished:?}");
    assert_eq!(after_read, finished[2]);
    assert_eq!(client.stats().rate_limit_waits, 1);
    assert_eq!(client.stats().requests, 4);
    let log = log.lock().unwrap();
    assert!(log[2].starts_with("POST "));
    assert!(log[3].starts_with("GET "));
}

#[tokio::test]
async fn no_limiter_by_default() {
    let client = client_for("http://127.0.0.1:1/trade-api/v2", Config::default());
    assert_eq!(client.rate_limit_tokens(Bucket::Write), None);
    assert_eq!(client.config().rate_limit, None);
    let client = client_for(
        "http://127.0.0.1:1/trade-api/v2",
        Config::default().rate_limit(kalshi_core::rate_limit::Tier::Basic),
    );
    assert_eq!(client.rate_limit_tokens(Bucket::Write), Some(100));
    assert_eq!(client.rate_limit_tokens(Bucket::Read), Some(400));
}

// ---------------------------------------------------------------------------------------------
// Clock skew

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for Unix seconds.
fn http_date(unix_s: i64) -> String {
    let days = unix_s.div_euclid(86_400);
    let secs = unix_s.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[test]
fn http_dates_round_trip() {
    assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    for s in [0, 951_782_400, 1_795_578_928, 4_102_444_799] {
        assert_eq!(
            kalshi_core::clock_skew::parse_http_date(&http_date(s)),
            Some(s)
        );
    }
}

const HOUR_MS: i64 = 3_600_000;

/// A `Date` header one hour ahead of the local clock.
fn an_hour_ahead() -> String {
    let now_s = (Timestamp::now().as_millis() / 1000) as i64;
    format!("Date: {}\r\n", http_date(now_s + 3_600))
}

#[tokio::test]
async fn correction_signs_with_the_exchange_clock() {
    let (url, log) = scripted(|_, _| answer_with("200 OK", &an_hour_ahead(), GROUPS)).await;
    let client = client_for(&url, Config::default().correct_clock_skew(true));
    assert_eq!(client.clock_offset_ms(), None);

    client.execute(&GetOrderGroups::new()).await.unwrap();
    let offset = client.clock_offset_ms().expect("observed");
    assert!((offset - HOUR_MS).abs() < 2_000, "{offset}");

    let before = Timestamp::now().as_millis() as i64;
    client.execute(&GetOrderGroups::new()).await.unwrap();
    let after = Timestamp::now().as_millis() as i64;
    // An explicit timestamp is never corrected.
    client
        .execute_at(
            &GetOrderGroups::new(),
            Timestamp::from_millis(1_700_000_000_000),
        )
        .await
        .unwrap();

    let log = log.lock().unwrap();
    let first = signed_ms(&log[0]) as i64;
    assert!(first <= after, "the first request knew nothing yet");
    let second = signed_ms(&log[1]) as i64;
    assert!(
        second >= before + HOUR_MS - 2_000 && second <= after + HOUR_MS + 2_000,
        "signed {second}, local {before}..{after}"
    );
    assert_eq!(signed_ms(&log[2]), 1_700_000_000_000);
}

#[tokio::test]
async fn a_placed_order_pins_the_offset_to_the_millisecond() {
    let (url, _) = scripted(|_, _| {
        let ts_ms = Timestamp::now().as_millis() + 5_000;
        answer(
            "201 Created",
            &format!(
                r#"{{"order_id":"o-1","fill_count":"0.00","remaining_count":"1.00","ts_ms":{ts_ms}}}"#
            ),
        )
    })
    .await;
    let client = fast_client(&url);
    let before = Timestamp::now().as_millis() as i64;
    client.place_order(&new_order("T")).await.unwrap();
    let after = Timestamp::now().as_millis() as i64;
    let offset = client.clock_offset_ms().expect("observed from ts_ms");
    // Within the round trip (no Date header here to blur it to a second): the server stamped
    // its time + 5 s somewhere between `before` and `after`.
    assert!(
        (offset - 5_000).abs() <= after - before,
        "{offset} ({before}..{after})"
    );
}

#[tokio::test]
async fn without_correction_a_401_names_the_clock() {
    let (url, log) = scripted(|_, _| {
        answer_with(
            "401 Unauthorized",
            &an_hour_ahead(),
            r#"{"error":{"code":"unauthorized","message":"timestamp outside the window"}}"#,
        )
    })
    .await;
    let client = fast_client(&url);
    assert!(!client.config().correct_clock_skew);
    let before = Timestamp::now().as_millis();
    let err = client.execute(&GetOrderGroups::new()).await.unwrap_err();
    let after = Timestamp::now().as_millis();
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(api)) => {
            let skew = api.clock_skew_ms.expect("the skew explains the 401");
            assert!((skew - HOUR_MS).abs() < 2_000, "{skew}");
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("clock"), "{text}");
    assert!(text.contains("behind the exchange"), "{text}");
    // Signed with the plain local clock, sent once (a 401 is not retried).
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1);
    assert!((before..=after).contains(&signed_ms(&log[0])));
}

#[tokio::test]
async fn a_small_offset_does_not_annotate() {
    let now_s = (Timestamp::now().as_millis() / 1000) as i64;
    let date = format!("Date: {}\r\n", http_date(now_s));
    let (url, _) = scripted(move |_, _| {
        answer_with(
            "401 Unauthorized",
            &date,
            r#"{"error":{"code":"unauthorized","message":"bad signature"}}"#,
        )
    })
    .await;
    let err = fast_client(&url)
        .execute(&GetOrderGroups::new())
        .await
        .unwrap_err();
    match &err {
        Error::Api(kalshi_core::Error::Unauthorized(api)) => assert_eq!(api.clock_skew_ms, None),
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("clock"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Types

#[test]
fn new_futures_and_streams_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = client_for("http://127.0.0.1:1/trade-api/v2", Config::default());
    let op = new_order("T");
    assert_send(&client.place_order(&op));
    assert_send(&client.stream_all(GetOrders::new()));
    assert_send(&client.execute(&CreateOrderGroup::new(1)));
    let config = Config::default();
    assert_eq!(config.retry, RetryPolicy::default());
    assert_eq!(config.rate_limit, None);
    assert!(!config.correct_clock_skew);
}

#[test]
fn outcome_unknown_delegates_to_its_source() {
    let err = Error::OutcomeUnknown {
        operation: "CreateOrderGroup",
        source: Box::new(Error::Timeout {
            message: "no response head".into(),
            maybe_sent: true,
        }),
    };
    assert!(err.outcome_unknown());
    assert!(err.is_timeout());
    assert!(!err.is_refused_before_sending());
    assert_eq!(err.message(), "no response head");
    assert!(
        err.to_string()
            .starts_with("CreateOrderGroup may or may not have been executed")
    );
}
