//! The drift check: every operation of the committed inventory (`core/spec/operations.json`,
//! made from Kalshi's docs by `core/spec/extract.py`) against what this crate implements.
//!
//! Each implemented operation registers a [`Case`] in its area's `spec_cases()` (built from a
//! [`SpecExample`]: the operation with every documented parameter set, and with only the
//! required ones). The tests here then check, for every case:
//! - coverage: every current operation of the trading tier has a case (the report prints
//!   `N/76 trading operations`);
//! - parameters: the full request sends exactly the documented query parameters and body
//!   fields, the minimal one every required one, and the path matches the documented template;
//! - response fields: an answer with every documented field, read into the typed result and
//!   written back, keeps exactly the documented fields at every depth (nothing missed, nothing
//!   invented);
//! - tolerance: that answer still parses with any optional field removed, unknown fields added
//!   anywhere and unknown enum values;
//! - statuses: every documented status of the answer, and empty and malformed bodies, become a
//!   typed result or the matching typed error.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use http::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::operation::Operation;
use crate::{Client, Credentials, Environment, Error, Timestamp};

/// An operation with example values for the drift check.
pub(crate) trait SpecExample: Operation + Sized
where
    Self::Output: Serialize,
{
    /// Every documented parameter set (path, query and body), each to a valid value.
    fn full() -> Self;
    /// Only the required parameters.
    fn minimal() -> Self;
    /// Further full examples, for documented parameters that exclude each other (a decrease
    /// sends `reduce_by` or `reduce_to`, never both): every documented parameter must be sent
    /// by [`full`](Self::full) or by one of these.
    fn also_full() -> Vec<Self> {
        Vec::new()
    }
}

/// One implemented operation, as the drift check sees it.
pub(crate) struct Case {
    /// The operation id (`GetMarkets`).
    pub(crate) name: &'static str,
    method: Method,
    success: StatusCode,
    empty_body_ok: bool,
    /// The success body holds a secret: decode errors withhold it.
    secret_response: bool,
    full: http::Request<Vec<u8>>,
    /// The [`SpecExample::also_full`] requests.
    also_full: Vec<http::Request<Vec<u8>>>,
    minimal: http::Request<Vec<u8>>,
    /// Parses a body as the typed result and writes it back as JSON.
    roundtrip: fn(&[u8]) -> Result<Value, String>,
    /// Parses a status and body as the operation's answer.
    parse: fn(StatusCode, &[u8]) -> Result<(), Error>,
}

impl Case {
    /// The case of operation `O`.
    pub(crate) fn of<O: SpecExample>() -> Case
    where
        O::Output: Serialize,
    {
        let client = test_client();
        let ts = Timestamp::from_millis(1_703_123_456_789);
        let full = client
            .request(&O::full(), ts)
            .unwrap_or_else(|e| panic!("{}: full example refused: {e}", O::NAME));
        let minimal = client
            .request(&O::minimal(), ts)
            .unwrap_or_else(|e| panic!("{}: minimal example refused: {e}", O::NAME));
        let also_full = O::also_full()
            .iter()
            .map(|op| {
                client
                    .request(op, ts)
                    .unwrap_or_else(|e| panic!("{}: further full example refused: {e}", O::NAME))
            })
            .collect();
        Case {
            name: O::NAME,
            method: O::METHOD,
            success: O::SUCCESS,
            empty_body_ok: O::EMPTY_BODY_OK,
            secret_response: O::SECRET_RESPONSE,
            full,
            also_full,
            minimal,
            roundtrip: |body| {
                let out = crate::response::parse::<O>(StatusCode::OK, body)
                    .map_err(|e| format!("{e}"))?;
                serde_json::to_value(&out).map_err(|e| e.to_string())
            },
            parse: |status, body| crate::response::parse::<O>(status, body).map(drop),
        }
    }
}

fn test_client() -> Client {
    let pem = include_str!("../testdata/test-key.pkcs1.pem");
    Client::new(
        Environment::Demo,
        Credentials::from_pem("spec-drift", pem).expect("test key"),
    )
}

/// Every registered case, all areas.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut all = Vec::new();
        all.extend(crate::order_groups::spec_cases());
        all.extend(crate::orders::spec_cases());
        all.extend(crate::portfolio::spec_cases());
        all.extend(crate::market::spec_cases());
        all.extend(crate::events::spec_cases());
        all.extend(crate::exchange::spec_cases());
        all.extend(crate::account::spec_cases());
        all.extend(crate::api_keys::spec_cases());
        all.extend(crate::historical::spec_cases());
        all.extend(crate::communications::spec_cases());
        all.extend(crate::milestone::spec_cases());
        all.extend(crate::structured_targets::spec_cases());
        all.extend(crate::search::spec_cases());
        all.extend(crate::incentive_programs::spec_cases());
        all.extend(crate::live_data::spec_cases());
        all.extend(crate::multivariate::spec_cases());
        all.extend(crate::fcm::spec_cases());
        all
    })
}

/// Current operations (either tier) not implemented yet: a new operation of the inventory goes
/// here until it is written. The coverage test fails both when a listed operation has a case
/// and when an unlisted one has none, so this list is always exact.
const PENDING: &[&str] = &[
    // Not implemented yet.
];

/// The committed inventory.
pub(crate) fn inventory() -> &'static Value {
    static INV: OnceLock<Value> = OnceLock::new();
    INV.get_or_init(|| serde_json::from_str(crate::spec::OPERATIONS_JSON).expect("operations.json"))
}

/// The inventory's entry for an operation id.
pub(crate) fn spec_of(name: &str) -> Option<&'static Value> {
    inventory()["operations"]
        .as_array()?
        .iter()
        .find(|o| o["operation_id"] == name && o["status"] == "current")
}

fn current_ops(tier: &str) -> Vec<&'static Value> {
    inventory()["operations"]
        .as_array()
        .expect("operations")
        .iter()
        .filter(|o| o["status"] == "current" && o["tier"] == tier)
        .collect()
}

/// Coverage of `tier`: (implemented, current).
fn coverage(tier: &str) -> (usize, usize) {
    let ops = current_ops(tier);
    let done = ops
        .iter()
        .filter(|o| cases().iter().any(|c| o["operation_id"] == c.name))
        .count();
    (done, ops.len())
}

#[test]
fn coverage_of_every_current_operation() {
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    for c in cases() {
        if !names.insert(c.name) {
            problems.push(format!("{}: registered twice", c.name));
        }
        match spec_of(c.name) {
            None => problems.push(format!(
                "{}: not a current operation of the inventory",
                c.name
            )),
            Some(spec) => {
                if spec["method"] != c.method.as_str() {
                    problems.push(format!(
                        "{}: method {} but the inventory says {}",
                        c.name, c.method, spec["method"]
                    ));
                }
            }
        }
    }
    for tier in ["trading", "tail"] {
        for op in current_ops(tier) {
            let name = op["operation_id"].as_str().unwrap_or_default();
            let has = names.contains(name);
            let pending = PENDING.contains(&name);
            if has && pending {
                problems.push(format!("{name}: implemented but still in PENDING"));
            }
            if !has && !pending {
                problems.push(format!(
                    "{name}: current {tier} operation with no implementation"
                ));
            }
        }
    }
    let (t, tn) = coverage("trading");
    let (a, an) = coverage("tail");
    println!(
        "drift: {t}/{tn} trading operations, {a}/{an} tail operations, {}/{} in all",
        t + a,
        tn + an
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Splits `/trade-api/v2/markets?limit=1` into the path after the prefix and the query keys.
fn path_and_query(req: &http::Request<Vec<u8>>) -> (String, Vec<String>) {
    let path = req
        .uri()
        .path()
        .strip_prefix("/trade-api/v2")
        .unwrap_or(req.uri().path())
        .to_owned();
    let keys = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').map_or(p, |(k, _)| k).to_owned())
        .collect();
    (path, keys)
}

fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

fn body_keys(req: &http::Request<Vec<u8>>) -> Option<BTreeSet<String>> {
    if req.body().is_empty() {
        return None;
    }
    let v: Value = serde_json::from_slice(req.body()).ok()?;
    Some(v.as_object()?.keys().cloned().collect())
}

#[test]
fn parameters_match_the_inventory() {
    let mut problems = Vec::new();
    for c in cases() {
        let Some(spec) = spec_of(c.name) else {
            continue;
        };
        let template = spec["path"].as_str().unwrap_or_default();
        let params = spec["parameters"].as_array().cloned().unwrap_or_default();
        let documented: BTreeSet<String> = params
            .iter()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        let arrays: BTreeSet<String> = params
            .iter()
            .filter(|p| p["in"] == "query" && p["schema"]["type"] == "array")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        let required: BTreeSet<String> = params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        let fulls = || std::iter::once(&c.full).chain(&c.also_full);
        let sent_by_full: BTreeSet<String> = fulls().flat_map(|r| path_and_query(r).1).collect();
        let examples = fulls()
            .map(|r| ("full", r))
            .chain(std::iter::once(("minimal", &c.minimal)));
        for (which, req) in examples {
            let (path, keys) = path_and_query(req);
            if !path_matches(template, &path) {
                problems.push(format!(
                    "{}: {which} request path {path} does not match {template}",
                    c.name
                ));
            }
            let sent: BTreeSet<String> = keys.iter().cloned().collect();
            // A key may repeat only for a documented array (`style: form, explode: true`).
            let single = |k: &String| !arrays.contains(k);
            if keys.iter().filter(|k| single(k)).count()
                != sent.iter().filter(|k| single(k)).count()
            {
                problems.push(format!("{}: {which} request repeats a query key", c.name));
            }
            for k in sent.difference(&documented) {
                problems.push(format!("{}: invents query parameter `{k}`", c.name));
            }
            for k in required.difference(&sent) {
                problems.push(format!(
                    "{}: {which} request misses required query parameter `{k}`",
                    c.name
                ));
            }
        }
        for k in documented.difference(&sent_by_full) {
            problems.push(format!(
                "{}: misses query parameter `{k}` (not sent by the full example)",
                c.name
            ));
        }
        let body = &spec["request_body"];
        let schema = &body["schema"];
        let props: BTreeSet<String> = schema["properties"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let req_props: BTreeSet<String> = schema["required"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let full_body = fulls().filter_map(body_keys).reduce(|mut a, b| {
            a.extend(b);
            a
        });
        match (body.is_null(), full_body) {
            (true, None) => {}
            (true, Some(_)) => {
                problems.push(format!("{}: sends a body none is documented", c.name))
            }
            (false, None) if body["required"] == true => {
                problems.push(format!("{}: documented body not sent", c.name))
            }
            (false, None) => {}
            (false, Some(sent)) => {
                if !props.is_empty() {
                    for k in sent.difference(&props) {
                        problems.push(format!("{}: invents body field `{k}`", c.name));
                    }
                    for k in props.difference(&sent) {
                        problems.push(format!(
                            "{}: misses body field `{k}` (not sent by the full example)",
                            c.name
                        ));
                    }
                }
                let min = body_keys(&c.minimal).unwrap_or_default();
                for k in req_props.difference(&min) {
                    problems.push(format!(
                        "{}: minimal body misses required field `{k}`",
                        c.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The documented success schema of an operation (`None` for no body).
fn success_schema(spec: &Value, success: StatusCode) -> Option<&Value> {
    let responses = spec["responses"].as_object()?;
    let s = responses.get(success.as_str()).or_else(|| {
        responses
            .iter()
            .find(|(k, _)| k.starts_with('2'))
            .map(|(_, v)| v)
    })?;
    let schema = &s["schema"];
    (!schema.is_null()).then_some(schema)
}

/// Whether a string field holds an exact decimal (dollars or a count).
fn is_decimal_string(schema: &Value, name: &str) -> bool {
    matches!(
        schema["ref"].as_str(),
        Some("FixedPointDollars" | "FixedPointCount")
    ) || name.ends_with("_dollars")
        || name.ends_with("_fp")
        || name.ends_with("_dollars_fp")
}

/// A value with every documented field of `schema` (`name` is the field it sits in).
pub(crate) fn example(schema: &Value, name: &str) -> Value {
    if schema["recursive"] == true {
        return Value::Object(Map::new());
    }
    if let Some(e) = schema["enum"].as_array().and_then(|e| e.first()) {
        return e.clone();
    }
    match schema["type"].as_str() {
        Some("object") | None if schema.get("properties").is_some() => {
            let mut m = Map::new();
            for (k, v) in schema["properties"].as_object().into_iter().flatten() {
                m.insert(k.clone(), example(v, k));
            }
            Value::Object(m)
        }
        Some("object") => match schema.get("additionalProperties") {
            Some(ap) if ap.is_object() => {
                let mut m = Map::new();
                m.insert("key".into(), example(ap, name));
                Value::Object(m)
            }
            _ => Value::Object(Map::new()),
        },
        // At least `minItems` items (a `[price, count]` pair has exactly 2).
        Some("array") => {
            let n = schema["minItems"].as_u64().unwrap_or(1).max(1);
            Value::Array((0..n).map(|_| example(&schema["items"], name)).collect())
        }
        Some("string") => match schema["format"].as_str() {
            Some("date-time") => Value::String("2026-01-02T03:04:05Z".into()),
            Some("date") => Value::String("2026-01-02".into()),
            _ if is_decimal_string(schema, name) => Value::String("0.56".into()),
            _ => Value::String("abc".into()),
        },
        Some("integer") => Value::from(1),
        Some("number") => Value::from(1),
        Some("boolean") => Value::Bool(true),
        _ => Value::Null,
    }
}

/// Compares the documented fields of `schema` with the fields of `got`, at every depth.
fn compare(schema: &Value, got: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(props) = schema["properties"].as_object() {
        let Some(obj) = got.as_object() else {
            if !got.is_null() {
                problems.push(format!("{at}: expected an object, got {got}"));
            }
            return;
        };
        for (k, sub) in props {
            match obj.get(k) {
                None => problems.push(format!("misses response field `{at}.{k}`")),
                Some(v) => compare(sub, v, &format!("{at}.{k}"), problems),
            }
        }
        for k in obj.keys() {
            if !props.contains_key(k) {
                problems.push(format!("invents response field `{at}.{k}`"));
            }
        }
    } else if schema["type"] == "array" {
        if let Some(first) = got.as_array().and_then(|a| a.first()) {
            compare(&schema["items"], first, &format!("{at}[]"), problems);
        }
    } else if let Some(ap) = schema.get("additionalProperties").filter(|a| a.is_object()) {
        for (k, v) in got.as_object().into_iter().flatten() {
            compare(ap, v, &format!("{at}.{k}"), problems);
        }
    }
}

#[test]
fn response_fields_match_the_inventory() {
    let mut problems = Vec::new();
    for c in cases() {
        let Some(spec) = spec_of(c.name) else {
            continue;
        };
        let Some(schema) = success_schema(spec, c.success) else {
            continue;
        };
        let body = serde_json::to_vec(&example(schema, "")).expect("example");
        match (c.roundtrip)(&body) {
            Err(e) => problems.push(format!(
                "{}: the documented example does not parse: {e}",
                c.name
            )),
            Ok(got) => {
                let mut p = Vec::new();
                compare(schema, &got, "", &mut p);
                problems.extend(p.into_iter().map(|p| format!("{}: {p}", c.name)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A small deterministic generator for the tolerance mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.next().is_multiple_of(one_in)
    }
}

/// Removes optional fields, adds unknown ones and replaces enum values, at random.
fn mutate(schema: &Value, v: &mut Value, rng: &mut Rng) {
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), v.as_object_mut()) {
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (k, sub) in props {
            if !required.contains(k.as_str()) && rng.chance(3) {
                obj.remove(k);
            } else if let Some(child) = obj.get_mut(k) {
                if schema_nullable(sub) && !required.contains(k.as_str()) && rng.chance(5) {
                    *child = Value::Null;
                } else {
                    mutate(sub, child, rng);
                }
            }
        }
        if rng.chance(2) {
            obj.insert(
                format!("unknown_field_{}", rng.next() % 1000),
                serde_json::json!({"nested": [1, "two", null]}),
            );
        }
    } else if schema["type"] == "array" {
        if let Some(items) = v.as_array_mut() {
            for item in items {
                mutate(&schema["items"], item, rng);
            }
        }
    } else if schema["enum"].is_array() && schema["type"] == "string" && rng.chance(2) {
        *v = Value::String(format!("future_value_{}", rng.next() % 100));
    }
}

fn schema_nullable(schema: &Value) -> bool {
    schema["nullable"] == true
}

#[test]
fn responses_tolerate_missing_optional_unknown_fields_and_unknown_enum_values() {
    let mut problems = BTreeMap::new();
    for c in cases() {
        let Some(spec) = spec_of(c.name) else {
            continue;
        };
        let Some(schema) = success_schema(spec, c.success) else {
            continue;
        };
        let base = example(schema, "");
        for seed in 0..64u64 {
            let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ c.name.len() as u64);
            let mut v = base.clone();
            mutate(schema, &mut v, &mut rng);
            let body = serde_json::to_vec(&v).expect("json");
            if let Err(e) = (c.roundtrip)(&body) {
                problems
                    .entry(c.name)
                    .or_insert_with(|| format!("{}: {e}\n  body: {v}", c.name));
            }
        }
    }
    let problems: Vec<String> = problems.into_values().collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_documented_status_is_a_typed_result() {
    let mut problems = Vec::new();
    let error_body = br#"{"code":"some_code","message":"some message","details":"d"}"#;
    for c in cases() {
        let Some(spec) = spec_of(c.name) else {
            continue;
        };
        for code in spec["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let Ok(n) = code.parse::<u16>() else {
                continue;
            };
            let Ok(status) = StatusCode::from_u16(n) else {
                continue;
            };
            if status.is_success() {
                let body = success_schema(spec, status)
                    .map(|s| serde_json::to_vec(&example(s, "")).expect("json"))
                    .unwrap_or_default();
                if let Err(e) = (c.parse)(status, &body) {
                    problems.push(format!("{}: documented {n} refused: {e}", c.name));
                }
                continue;
            }
            let got = (c.parse)(status, error_body);
            let ok = match (n, &got) {
                (400, Err(Error::BadRequest(a))) => a.status == status,
                (401, Err(Error::Unauthorized(_))) => true,
                (403, Err(Error::Forbidden(_))) => true,
                (404, Err(Error::NotFound(_))) => true,
                (409, Err(Error::Conflict(_))) => true,
                (429, Err(Error::RateLimited(_))) => true,
                (500..=599, Err(Error::ServerError(_))) => true,
                (_, Err(Error::UnexpectedStatus(_) | Error::DeprecatedEndpoint(_))) => true,
                _ => false,
            };
            if !ok {
                problems.push(format!("{}: status {n} gave {got:?}", c.name));
            }
            if let Err(e) = &got {
                if !format!("{e}").contains("some message") {
                    problems.push(format!("{}: status {n} lost the message: {e}", c.name));
                }
            }
        }
        // Empty and malformed success bodies: typed errors, never a panic.
        let empty = (c.parse)(c.success, b"");
        let empty_is_fine = c.empty_body_ok || c.success == StatusCode::NO_CONTENT;
        match (&empty, empty_is_fine) {
            (Ok(()), true) | (Err(Error::Decode { .. }), false) => {}
            _ => problems.push(format!(
                "{}: empty {} body gave {empty:?}",
                c.name, c.success
            )),
        }
        for bad in [
            &b"{"[..],
            b"null",
            b"\xff\xfe",
            b"{\"cursor\": 5",
            b"\"text\"",
        ] {
            match (c.parse)(c.success, bad) {
                Err(Error::Decode { status, body, .. }) => {
                    let kept = if c.secret_response {
                        &b"[withheld]"[..]
                    } else {
                        bad
                    };
                    if status != c.success || body.bytes() != kept || body.total_len() != bad.len()
                    {
                        problems.push(format!("{}: decode error lost status or body", c.name));
                    }
                }
                Ok(()) if c.empty_body_ok && bad == b"null" => {}
                other => problems.push(format!(
                    "{}: malformed body {:?} gave {other:?}",
                    c.name,
                    String::from_utf8_lossy(bad)
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Shorthand for an area's `spec_cases()`.
macro_rules! spec_cases {
    ($($op:ty),* $(,)?) => {
        vec![$($crate::spec_drift::Case::of::<$op>()),*]
    };
}
pub(crate) use spec_cases;
