//! The transports' `tracing` output (README "Observability"), captured against the simulator:
//! the `call` span and its fields, one event per retry with its attempt number, the 409
//! resolution of `place_order`, rate-limit waits and clock-offset corrections, through both
//! transports, and never a header value, a signature, a signed timestamp or a line of the key.
//!
//! A small recording subscriber (below) rather than `tracing-subscriber`: the assertions read
//! span and event fields by name instead of parsing formatted lines, and no crate is added. It
//! is installed for the test's thread only (`tracing::subscriber::with_default`; the async
//! client runs on a current-thread runtime inside it), so tests running in parallel do not mix.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;
use kalshi_core::auth::Signer;
use kalshi_core::enums::BookSide;
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroups};
use kalshi_core::orders::{CreateOrder, Placed};
use kalshi_core::retry::RetryPolicy;
use kalshi_core::{Client, Credentials, Environment};
use kalshi_simulator::{
    DEFAULT_MARKET, DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM, Fault, FaultRule, Simulator, SimulatorConfig,
};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const UREQ: &str = "kalshi_transport_ureq";
const HYPER: &str = "kalshi_transport_hyper";
const GROUPS_PATH: &str = "/trade-api/v2/portfolio/order_groups";
const ORDERS_PATH: &str = "/portfolio/events/orders";

// --- The recording subscriber -----------------------------------------------------------------

/// One span: its name, target and fields (values as `Debug` shows them, strings bare).
#[derive(Debug, Clone)]
struct SpanRecord {
    id: u64,
    name: &'static str,
    target: String,
    level: tracing::Level,
    fields: BTreeMap<String, String>,
}

/// One event: its target, level, parent span and fields (`message` included).
#[derive(Debug, Clone)]
struct EventRecord {
    target: String,
    level: tracing::Level,
    parent: Option<u64>,
    fields: BTreeMap<String, String>,
}

impl EventRecord {
    fn message(&self) -> &str {
        self.fields.get("message").map_or("", String::as_str)
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

#[derive(Debug, Default)]
struct Log {
    spans: Vec<SpanRecord>,
    events: Vec<EventRecord>,
    /// Entered spans, innermost last (one thread records into a log).
    entered: Vec<u64>,
}

/// Records every span and event of every target, at every level up to its own (TRACE by
/// default).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Log>>, Option<tracing::Level>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.1.is_none_or(|max| *metadata.level() <= max)
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut log = self.0.lock().unwrap();
        let id = log.spans.len() as u64 + 1;
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let meta = attributes.metadata();
        log.spans.push(SpanRecord {
            id,
            name: meta.name(),
            target: meta.target().to_owned(),
            level: *meta.level(),
            fields,
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut log = self.0.lock().unwrap();
        let index = usize::try_from(span.into_u64() - 1).unwrap();
        values.record(&mut Fields(&mut log.spans[index].fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut log = self.0.lock().unwrap();
        let parent = match event.parent() {
            Some(id) => Some(id.into_u64()),
            None if event.is_contextual() => log.entered.last().copied(),
            None => None,
        };
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        log.events.push(EventRecord {
            target: event.metadata().target().to_owned(),
            level: *event.metadata().level(),
            parent,
            fields,
        });
    }

    fn enter(&self, span: &Id) {
        self.0.lock().unwrap().entered.push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut log = self.0.lock().unwrap();
        if let Some(i) = log.entered.iter().rposition(|&s| s == span.into_u64()) {
            log.entered.remove(i);
        }
    }
}

impl Recorder {
    /// A recorder of the levels up to `max` only, like a subscriber filtered at `max`.
    fn up_to(max: tracing::Level) -> Self {
        Recorder(Arc::default(), Some(max))
    }

    /// Runs `f` with this recorder as the thread's subscriber.
    fn capture<T>(&self, f: impl FnOnce() -> T) -> T {
        tracing::subscriber::with_default(self.clone(), f)
    }

    /// Runs `future` on a current-thread runtime with this recorder as the thread's subscriber
    /// (the runtime's tasks, hyper's connections included, run on this thread too).
    fn capture_async<T>(&self, future: impl Future<Output = T>) -> T {
        self.capture(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(future)
        })
    }

    /// The `call` spans of `target`.
    fn calls(&self, target: &str) -> Vec<SpanRecord> {
        let log = self.0.lock().unwrap();
        log.spans
            .iter()
            .filter(|s| s.target == target && s.name == "call")
            .cloned()
            .collect()
    }

    /// The events of `target` whose message starts with `message`.
    fn events(&self, target: &str, message: &str) -> Vec<EventRecord> {
        let log = self.0.lock().unwrap();
        log.events
            .iter()
            .filter(|e| e.target == target && e.message().starts_with(message))
            .cloned()
            .collect()
    }

    /// Everything recorded, every target: span names and fields, event fields.
    fn text(&self) -> String {
        let log = self.0.lock().unwrap();
        let mut text = String::new();
        for span in &log.spans {
            text.push_str(span.name);
            for (k, v) in &span.fields {
                text.push_str(&format!("\n{k}={v}"));
            }
            text.push('\n');
        }
        for event in &log.events {
            for (k, v) in &event.fields {
                text.push_str(&format!("\n{k}={v}"));
            }
            text.push('\n');
        }
        text
    }
}

// --- Credentials whose signatures the test sees -----------------------------------------------

/// The demo key's signer, keeping every message it signed (`timestamp + METHOD + path`) and
/// every signature it produced, so the test can look for them in the trace.
struct Witness {
    inner: Arc<dyn Signer>,
    seen: Mutex<Vec<(String, String)>>,
}

impl Signer for Witness {
    fn sign(&self, message: &[u8]) -> Result<String, kalshi_core::Error> {
        let signature = self.inner.sign(message)?;
        self.seen.lock().unwrap().push((
            String::from_utf8_lossy(message).into_owned(),
            signature.clone(),
        ));
        Ok(signature)
    }
}

fn witness() -> Arc<Witness> {
    let demo = Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).expect("demo key");
    Arc::new(Witness {
        inner: Arc::clone(demo.signer()),
        seen: Mutex::new(Vec::new()),
    })
}

fn core_client(sim: &Simulator, signer: &Arc<Witness>) -> Client {
    let environment = Environment::custom(&sim.base_url()).expect("the simulator's base URL");
    let credentials =
        Credentials::new(DEMO_KEY_ID, Arc::clone(signer) as Arc<dyn Signer>).expect("credentials");
    Client::new(environment, credentials)
}

/// Nothing secret, or merely sent in a header, is in the trace: not a signature, a signed
/// timestamp, the key id, a line of the key, or any `KALSHI-ACCESS-*` header at all.
fn assert_no_secrets(recorder: &Recorder, signer: &Witness) {
    let text = recorder.text();
    let seen = signer.seen.lock().unwrap();
    assert!(!seen.is_empty(), "the test signed something");
    for (message, signature) in seen.iter() {
        assert!(
            !text.contains(signature.as_str()),
            "a signature is in the trace"
        );
        assert!(
            !text.contains(&signature[..24]),
            "part of a signature is in the trace"
        );
        let timestamp: String = message.chars().take_while(char::is_ascii_digit).collect();
        assert_eq!(timestamp.len(), 13, "{message}");
        assert!(
            !text.contains(&timestamp),
            "a signed timestamp ({timestamp}) is in the trace"
        );
    }
    assert!(!text.contains(DEMO_KEY_ID), "the key id is in the trace");
    assert!(
        !text.to_ascii_lowercase().contains("kalshi-access"),
        "a KALSHI-ACCESS header is in the trace"
    );
    for line in DEMO_PRIVATE_KEY_PEM.lines() {
        let line = line.trim();
        if !line.is_empty() && !line.starts_with("-----") {
            assert!(
                !text.contains(line),
                "a line of the private key is in the trace"
            );
        }
    }
}

// --- Helpers --------------------------------------------------------------------------------

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(4),
        retry_server_errors: true,
    }
}

fn start(config: SimulatorConfig) -> Simulator {
    Simulator::start(config).expect("the simulator starts")
}

fn field<'a>(fields: &'a BTreeMap<String, String>, name: &str) -> &'a str {
    fields
        .get(name)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("no field `{name}` in {fields:?}"))
}

fn bid() -> CreateOrder {
    CreateOrder::new(
        DEFAULT_MARKET,
        BookSide::Bid,
        "1".parse().expect("count"),
        "0.20".parse().expect("price"),
    )
}

fn ureq_client(
    sim: &Simulator,
    signer: &Arc<Witness>,
    config: kalshi_transport_ureq::Config,
) -> kalshi_transport_ureq::BlockingClient {
    kalshi_transport_ureq::BlockingClient::with_config(core_client(sim, signer), config)
}

fn hyper_client(
    sim: &Simulator,
    signer: &Arc<Witness>,
    config: kalshi_transport_hyper::Config,
) -> kalshi_transport_hyper::AsyncClient {
    kalshi_transport_hyper::AsyncClient::with_config(core_client(sim, signer), config)
        .expect("a client")
}

// --- A call with retries ----------------------------------------------------------------------

/// Two 503s, then a dropped connection, then the answer: four attempts of one read.
fn faulty_reads(sim: &Simulator) {
    sim.faults().push(
        FaultRule::new(Fault::ServerError(503))
            .method(Method::GET)
            .path("/portfolio/order_groups")
            .times(2),
    );
    sim.faults().push(
        FaultRule::new(Fault::DropBeforeExecute)
            .method(Method::GET)
            .path("/portfolio/order_groups"),
    );
}

fn assert_retried_call(recorder: &Recorder, target: &str) {
    let calls = recorder.calls(target);
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let call = &calls[0];
    assert_eq!(call.level, tracing::Level::DEBUG);
    assert_eq!(field(&call.fields, "operation"), "GetOrderGroups");
    assert_eq!(field(&call.fields, "method"), "GET");
    assert_eq!(field(&call.fields, "path"), GROUPS_PATH);
    assert!(!call.fields.contains_key("query"), "{call:?}");
    assert_eq!(field(&call.fields, "attempts"), "4");
    assert_eq!(field(&call.fields, "status"), "200");
    field(&call.fields, "latency_us")
        .parse::<u64>()
        .expect("µs");

    // One event per retry, in the call's span, numbered by the attempt that failed.
    let answers = recorder.events(target, "retrying after an error answer");
    assert_eq!(answers.len(), 2, "{answers:#?}");
    for (answer, attempt) in answers.iter().zip(["1", "2"]) {
        assert_eq!(answer.level, tracing::Level::WARN);
        assert_eq!(answer.parent, Some(call.id));
        assert_eq!(answer.field("operation"), Some("GetOrderGroups"));
        assert_eq!(answer.field("attempt"), Some(attempt));
        assert_eq!(answer.field("status"), Some("503"));
        answer
            .field("delay_ms")
            .expect("a delay")
            .parse::<u64>()
            .unwrap();
    }
    let failures = recorder.events(target, "retrying after a transport failure");
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert_eq!(failures[0].level, tracing::Level::WARN);
    assert_eq!(failures[0].parent, Some(call.id));
    assert_eq!(failures[0].field("attempt"), Some("3"));
    assert!(!failures[0].field("error").unwrap_or("").is_empty());

    // Every attempt is traced, and the call's end says how it went.
    let sent = recorder.events(target, "sending");
    let numbers: Vec<_> = sent.iter().filter_map(|e| e.field("attempt")).collect();
    assert_eq!(numbers, ["1", "2", "3", "4"]);
    assert!(sent.iter().all(|e| e.field("path") == Some(GROUPS_PATH)));
    let answered: Vec<_> = recorder
        .events(target, "answered")
        .iter()
        .filter_map(|e| e.field("status").map(str::to_owned))
        .collect();
    assert_eq!(answered, ["503", "503", "200"]);
    let timed = recorder.events(target, "answered");
    assert!(
        timed.iter().all(|e| e.field("latency_us").is_some()),
        "{timed:#?}"
    );
    let finished = recorder.events(target, "call finished");
    assert_eq!(finished.len(), 1, "{finished:#?}");
    let finished = &finished[0];
    assert_eq!(finished.level, tracing::Level::DEBUG);
    assert_eq!(finished.parent, Some(call.id));
    assert_eq!(finished.field("ok"), Some("true"));
    assert_eq!(finished.field("attempts"), Some("4"));
    assert_eq!(finished.field("status"), Some("200"));
    assert_eq!(finished.field("error"), None);
}

#[test]
fn ureq_a_call_with_retries_is_one_span_with_one_event_per_retry() {
    let sim = start(SimulatorConfig::default());
    faulty_reads(&sim);
    let signer = witness();
    let client = ureq_client(
        &sim,
        &signer,
        kalshi_transport_ureq::Config::default().retry(fast_retries()),
    );
    let recorder = Recorder::default();
    recorder
        .capture(|| client.execute(&GetOrderGroups::new()))
        .expect("the fourth attempt passes");
    assert_eq!(client.stats().retries, 3);
    assert_retried_call(&recorder, UREQ);
    assert_no_secrets(&recorder, &signer);
}

#[test]
fn hyper_a_call_with_retries_is_one_span_with_one_event_per_retry() {
    let sim = start(SimulatorConfig::default());
    faulty_reads(&sim);
    let signer = witness();
    let recorder = Recorder::default();
    let client = hyper_client(
        &sim,
        &signer,
        kalshi_transport_hyper::Config::default().retry(fast_retries()),
    );
    recorder
        .capture_async(async { client.execute(&GetOrderGroups::new()).await })
        .expect("the fourth attempt passes");
    assert_eq!(client.stats().retries, 3);
    assert_retried_call(&recorder, HYPER);
    assert_no_secrets(&recorder, &signer);
}

#[test]
fn at_info_only_the_retries_are_recorded_and_they_name_their_call() {
    let sim = start(SimulatorConfig::default());
    faulty_reads(&sim);
    let signer = witness();
    let client = ureq_client(
        &sim,
        &signer,
        kalshi_transport_ureq::Config::default().retry(fast_retries()),
    );
    let recorder = Recorder::up_to(tracing::Level::INFO);
    recorder
        .capture(|| client.execute(&GetOrderGroups::new()))
        .expect("the fourth attempt passes");
    // No DEBUG span, no DEBUG or TRACE event: three WARNs, one per retry.
    assert!(recorder.calls(UREQ).is_empty());
    let log = recorder.0.lock().unwrap();
    let ours: Vec<_> = log.events.iter().filter(|e| e.target == UREQ).collect();
    assert_eq!(ours.len(), 3, "{ours:#?}");
    for (event, attempt) in ours.iter().zip(["1", "2", "3"]) {
        assert_eq!(event.level, tracing::Level::WARN);
        assert!(event.message().starts_with("retrying"), "{event:?}");
        assert_eq!(event.field("operation"), Some("GetOrderGroups"));
        assert_eq!(event.field("attempt"), Some(attempt));
    }
    drop(log);
    assert_no_secrets(&recorder, &signer);
}

// --- place_order: a lost answer, a 409, the lookup ------------------------------------------

fn lose_the_first_create(sim: &Simulator) {
    sim.faults().push(
        FaultRule::new(Fault::DropAfterExecute)
            .method(Method::POST)
            .path(ORDERS_PATH),
    );
}

fn assert_resolved_conflict(recorder: &Recorder, target: &str, op: &CreateOrder, placed: &Placed) {
    let Placed::AlreadyExisted(order) = placed else {
        panic!("expected the existing order, got {placed:?}");
    };
    let calls = recorder.calls(target);
    assert_eq!(calls.len(), 1, "{calls:#?}");
    let call = &calls[0];
    assert_eq!(field(&call.fields, "operation"), "CreateOrderV2");
    assert_eq!(field(&call.fields, "method"), "POST");
    assert_eq!(
        field(&call.fields, "path"),
        format!("/trade-api/v2{ORDERS_PATH}")
    );
    // Create (lost), create (409), lookup (200).
    assert_eq!(field(&call.fields, "attempts"), "3");
    assert_eq!(field(&call.fields, "status"), "200");

    let retries = recorder.events(target, "retrying after a transport failure");
    assert_eq!(retries.len(), 1, "{retries:#?}");
    assert_eq!(retries[0].field("attempt"), Some("1"));
    let conflict = recorder.events(target, "a repeated create was answered 409");
    assert_eq!(conflict.len(), 1, "{conflict:#?}");
    assert_eq!(conflict[0].level, tracing::Level::INFO);
    assert_eq!(conflict[0].parent, Some(call.id));
    assert_eq!(conflict[0].field("attempt"), Some("2"));
    let lookup = recorder.events(target, "sending");
    assert_eq!(lookup.len(), 3);
    assert_eq!(lookup[2].field("method"), Some("GET"));
    assert_eq!(
        lookup[2].field("path"),
        Some("/trade-api/v2/portfolio/orders")
    );
    let query = lookup[2].field("query").expect("the lookup's filters");
    assert!(query.contains(DEFAULT_MARKET), "{query}");

    let existed = recorder.events(target, "the order already existed");
    assert_eq!(existed.len(), 1, "{existed:#?}");
    assert_eq!(existed[0].level, tracing::Level::INFO);
    assert_eq!(existed[0].field("order_id"), Some(order.order_id.as_str()));
    assert_eq!(
        existed[0].field("client_order_id"),
        Some(op.client_order_id.as_str())
    );
    assert!(recorder.events(target, "outcome unknown").is_empty());
}

#[test]
fn ureq_place_order_traces_the_lost_answer_the_409_and_the_lookup() {
    let sim = start(SimulatorConfig::default());
    lose_the_first_create(&sim);
    let signer = witness();
    let client = ureq_client(
        &sim,
        &signer,
        kalshi_transport_ureq::Config::default().retry(fast_retries()),
    );
    let op = bid();
    let recorder = Recorder::default();
    let placed = recorder
        .capture(|| client.place_order(&op))
        .expect("placed");
    assert_resolved_conflict(&recorder, UREQ, &op, &placed);
    assert_eq!(
        sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id),
        1
    );
    assert_no_secrets(&recorder, &signer);
}

#[test]
fn hyper_place_order_traces_the_lost_answer_the_409_and_the_lookup() {
    let sim = start(SimulatorConfig::default());
    lose_the_first_create(&sim);
    let signer = witness();
    let client = hyper_client(
        &sim,
        &signer,
        kalshi_transport_hyper::Config::default().retry(fast_retries()),
    );
    let op = bid();
    let recorder = Recorder::default();
    let placed = recorder
        .capture_async(client.place_order(&op))
        .expect("placed");
    assert_resolved_conflict(&recorder, HYPER, &op, &placed);
    assert_eq!(
        sim.orders_with_client_order_id(DEMO_KEY_ID, &op.client_order_id),
        1
    );
    assert_no_secrets(&recorder, &signer);
}

/// The next two order-group creates: the first executed and its answer lost, the second
/// answered 503.
fn lose_two_group_creates(sim: &Simulator) {
    let create = "/portfolio/order_groups/create";
    sim.faults().push(
        FaultRule::new(Fault::DropAfterExecute)
            .method(Method::POST)
            .path(create),
    );
    sim.faults().push(
        FaultRule::new(Fault::ServerError(503))
            .method(Method::POST)
            .path(create),
    );
}

/// Both creates end in a WARN `outcome unknown` (and are not retried: no key); the read after
/// them, which fails too, does not (a read executes nothing).
fn assert_unknown_outcomes(recorder: &Recorder, target: &str, errors: &[String]) {
    let unknown = recorder.events(target, "outcome unknown");
    assert_eq!(unknown.len(), 2, "{unknown:#?}");
    let calls = recorder.calls(target);
    assert_eq!(calls.len(), 3);
    for (i, event) in unknown.iter().enumerate() {
        assert_eq!(event.level, tracing::Level::WARN);
        assert_eq!(event.parent, Some(calls[i].id));
        assert_eq!(event.field("operation"), Some("CreateOrderGroup"));
        assert_eq!(event.field("attempts"), Some("1"));
        assert_eq!(event.field("error"), Some(errors[i].as_str()));
    }
    assert_eq!(field(&calls[1].fields, "status"), "503");
    let finished = recorder.events(target, "call finished");
    assert_eq!(finished.len(), 3);
    for (event, error) in finished.iter().zip(errors) {
        assert_eq!(event.field("ok"), Some("false"));
        assert_eq!(event.field("error"), Some(error.as_str()));
    }
    assert!(recorder.events(target, "retrying").is_empty());
}

#[test]
fn ureq_an_unknown_outcome_is_a_warning() {
    let sim = start(SimulatorConfig::default());
    lose_two_group_creates(&sim);
    sim.faults()
        .push(FaultRule::new(Fault::ServerError(500)).method(Method::GET));
    let signer = witness();
    let client = ureq_client(
        &sim,
        &signer,
        kalshi_transport_ureq::Config::default().retry(RetryPolicy::never()),
    );
    let recorder = Recorder::default();
    let errors = recorder.capture(|| {
        let lost = client.execute(&CreateOrderGroup::new(5)).expect_err("lost");
        assert!(
            matches!(lost, kalshi_transport_ureq::Error::OutcomeUnknown { .. }),
            "{lost:?}"
        );
        let failed = client.execute(&CreateOrderGroup::new(5)).expect_err("503");
        assert!(failed.outcome_unknown(), "{failed:?}");
        let read = client.execute(&GetOrderGroups::new()).expect_err("500");
        [lost, failed, read].map(|e| e.to_string())
    });
    assert_unknown_outcomes(&recorder, UREQ, &errors);
    assert_no_secrets(&recorder, &signer);
}

#[test]
fn hyper_an_unknown_outcome_is_a_warning() {
    let sim = start(SimulatorConfig::default());
    lose_two_group_creates(&sim);
    sim.faults()
        .push(FaultRule::new(Fault::ServerError(500)).method(Method::GET));
    let signer = witness();
    let client = hyper_client(
        &sim,
        &signer,
        kalshi_transport_hyper::Config::default().retry(RetryPolicy::never()),
    );
    let recorder = Recorder::default();
    let errors = recorder.capture_async(async {
        let lost = client
            .execute(&CreateOrderGroup::new(5))
            .await
            .expect_err("lost");
        assert!(
            matches!(lost, kalshi_transport_hyper::Error::OutcomeUnknown { .. }),
            "{lost:?}"
        );
        let failed = client
            .execute(&CreateOrderGroup::new(5))
            .await
            .expect_err("503");
        assert!(failed.outcome_unknown(), "{failed:?}");
        let read = client
            .execute(&GetOrderGroups::new())
            .await
            .expect_err("500");
        [lost, failed, read].map(|e| e.to_string())
    });
    assert_unknown_outcomes(&recorder, HYPER, &errors);
    assert_no_secrets(&recorder, &signer);
}

// --- Rate-limit waits -------------------------------------------------------------------------

/// Write: 20 tokens a second, 21 held: the first 10-token write passes at once, and the third
/// at the latest waits (the reserve grows with the observed answer time, so the second may).
const WRITE_LIMIT: ((u64, u64), (u64, u64)) = ((1_000, 1_000), (20, 21));

fn assert_rate_limit_waits(recorder: &Recorder, target: &str, waits: u64) {
    let calls = recorder.calls(target);
    assert_eq!(calls.len(), 3);
    let events = recorder.events(target, "waiting for the client-side rate limiter");
    assert!(waits >= 1);
    assert_eq!(
        events.len() as u64,
        waits,
        "one event per wait: {events:#?}"
    );
    for event in &events {
        assert_eq!(event.level, tracing::Level::DEBUG);
        assert_eq!(event.field("bucket"), Some("Write"));
        assert_eq!(event.field("cost"), Some("10"));
        event
            .field("wait_ms")
            .expect("a wait")
            .parse::<u64>()
            .unwrap();
        // In the span of the call that waited: not the first, which found a full bucket.
        let parent = event.parent.expect("in a call's span");
        assert!(calls[1..].iter().any(|c| c.id == parent), "{event:?}");
    }
}

#[test]
fn ureq_rate_limit_waits_are_events_in_the_waiting_call() {
    let sim = start(SimulatorConfig::default());
    let signer = witness();
    let (read, write) = WRITE_LIMIT;
    let client = ureq_client(
        &sim,
        &signer,
        kalshi_transport_ureq::Config::default().rate_limit_custom(read, write),
    );
    let recorder = Recorder::default();
    recorder.capture(|| {
        for _ in 0..3 {
            client.execute(&CreateOrderGroup::new(5)).expect("created");
        }
    });
    assert_rate_limit_waits(&recorder, UREQ, client.stats().rate_limit_waits);
    assert_no_secrets(&recorder, &signer);
}

#[test]
fn hyper_rate_limit_waits_are_events_in_the_waiting_call() {
    let sim = start(SimulatorConfig::default());
    let signer = witness();
    let (read, write) = WRITE_LIMIT;
    let client = hyper_client(
        &sim,
        &signer,
        kalshi_transport_hyper::Config::default().rate_limit_custom(read, write),
    );
    let recorder = Recorder::default();
    recorder.capture_async(async {
        for _ in 0..3 {
            client
                .execute(&CreateOrderGroup::new(5))
                .await
                .expect("created");
        }
    });
    assert_rate_limit_waits(&recorder, HYPER, client.stats().rate_limit_waits);
    assert_no_secrets(&recorder, &signer);
}

// --- Clock-skew corrections -------------------------------------------------------------------

fn offset(event: &EventRecord, name: &str) -> i64 {
    event
        .field(name)
        .unwrap_or_else(|| panic!("no {name} in {event:?}"))
        .parse()
        .expect("milliseconds")
}

/// After the first call (exchange 90 s ahead) and the second (stepped to 60 s behind).
fn assert_clock_corrections(recorder: &Recorder, target: &str) {
    let calls = recorder.calls(target);
    assert_eq!(calls.len(), 2);
    let changes = recorder.events(target, "clock skew: the exchange's clock offset changed");
    assert_eq!(changes.len(), 2, "{changes:#?}");
    let resigned = recorder.events(target, "clock skew: a 401 explained");
    assert_eq!(resigned.len(), 2, "{resigned:#?}");

    // First call: the 401's Date teaches the offset, the call is signed again and passes.
    assert_eq!(changes[0].level, tracing::Level::INFO);
    assert_eq!(changes[0].parent, Some(calls[0].id));
    assert!((offset(&changes[0], "offset_ms") - 90_000).abs() <= 2_000);
    assert_eq!(changes[0].field("previous_offset_ms"), None);
    assert_eq!(changes[0].field("correcting"), Some("true"));
    assert_eq!(resigned[0].level, tracing::Level::INFO);
    assert_eq!(resigned[0].parent, Some(calls[0].id));
    assert_eq!(resigned[0].field("attempt"), Some("1"));
    assert_eq!(resigned[0].field("signed_with_offset_ms"), Some("0"));
    assert!((offset(&resigned[0], "offset_ms") - 90_000).abs() <= 2_000);

    // Second call: signed 90 s ahead, the exchange is now 60 s behind.
    assert_eq!(changes[1].parent, Some(calls[1].id));
    assert!((offset(&changes[1], "offset_ms") + 60_000).abs() <= 2_000);
    assert!((offset(&changes[1], "previous_offset_ms") - 90_000).abs() <= 2_000);
    assert!((offset(&resigned[1], "signed_with_offset_ms") - 90_000).abs() <= 2_000);
    assert!((offset(&resigned[1], "offset_ms") + 60_000).abs() <= 2_000);

    for call in &calls {
        assert_eq!(field(&call.fields, "attempts"), "2");
        assert_eq!(field(&call.fields, "status"), "200");
    }
    // A re-signed 401 is not a retry.
    assert!(recorder.events(target, "retrying").is_empty());
}

#[test]
fn ureq_clock_skew_corrections_are_events() {
    let sim = start(SimulatorConfig::default().with_clock_skew_ms(90_000));
    let signer = witness();
    let client = ureq_client(
        &sim,
        &signer,
        kalshi_transport_ureq::Config::default()
            .retry(RetryPolicy::never())
            .correct_clock_skew(true),
    );
    let recorder = Recorder::default();
    recorder.capture(|| {
        client.execute(&GetOrderGroups::new()).expect("re-signed");
        sim.set_clock_skew_ms(-60_000);
        client.execute(&GetOrderGroups::new()).expect("re-signed");
    });
    assert_clock_corrections(&recorder, UREQ);
    assert_no_secrets(&recorder, &signer);
}

#[test]
fn hyper_clock_skew_corrections_are_events() {
    let sim = start(SimulatorConfig::default().with_clock_skew_ms(90_000));
    let signer = witness();
    let client = hyper_client(
        &sim,
        &signer,
        kalshi_transport_hyper::Config::default()
            .retry(RetryPolicy::never())
            .correct_clock_skew(true),
    );
    let recorder = Recorder::default();
    recorder.capture_async(async {
        client
            .execute(&GetOrderGroups::new())
            .await
            .expect("re-signed");
        sim.set_clock_skew_ms(-60_000);
        client
            .execute(&GetOrderGroups::new())
            .await
            .expect("re-signed");
    });
    assert_clock_corrections(&recorder, HYPER);
    assert_no_secrets(&recorder, &signer);
}
