//! Checks the simulator's answers against the documented success schemas of
//! `core/spec/operations.json`: every `required` field present with the documented JSON type,
//! no field the schema does not list (objects without listed properties are free-form), enum
//! values, `null` only where `nullable`, RFC 3339 `date-time` strings, and the fixed-point
//! string forms of `FixedPointDollars` and `FixedPointCount`.

use std::sync::OnceLock;

use serde_json::Value;

/// The inventory, parsed once.
fn inventory() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        serde_json::from_str(kalshi_core::spec::OPERATIONS_JSON).expect("operations.json is JSON")
    })
}

/// The documented success schema of an operation (its 200 or 201 answer).
fn success_schema(operation_id: &str) -> &'static Value {
    let ops = inventory()["operations"]
        .as_array()
        .expect("operations is an array");
    let op = ops
        .iter()
        .find(|o| o["operation_id"] == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id} in operations.json"));
    ["200", "201"]
        .iter()
        .find_map(|s| op["responses"].get(*s))
        .map(|r| &r["schema"])
        .unwrap_or_else(|| panic!("{operation_id} documents no 200/201 answer"))
}

/// Every way `value` departs from the documented success answer of `operation_id`.
pub(crate) fn violations(operation_id: &str, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(success_schema(operation_id), value, "$", &mut out);
    out
}

/// Panics (listing every violation) unless `value` has the documented shape.
pub(crate) fn assert_shape(operation_id: &str, value: &Value) {
    let v = violations(operation_id, value);
    assert!(
        v.is_empty(),
        "{operation_id} answer departs from the documented shape:\n  {}\nanswer: {value}",
        v.join("\n  ")
    );
}

fn is_dollars(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    matches!(s.split_once('.'), Some((w, f))
        if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
            && (1..=6).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
}

fn is_count(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    matches!(s.split_once('.'), Some((w, f))
        if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
            && f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()))
}

fn check(schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if schema.is_null() {
        return;
    }
    if value.is_null() {
        if schema["nullable"] != Value::Bool(true) {
            out.push(format!("{at}: null but not nullable"));
        }
        return;
    }
    let ty = schema["type"].as_str().unwrap_or("");
    let ok = match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => true,
    };
    if !ok {
        out.push(format!("{at}: expected {ty}, got {value}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            out.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let Some(s) = value.as_str() {
        match (schema["format"].as_str(), schema["ref"].as_str()) {
            (Some("date-time"), _) if !looks_like_rfc3339(s) => {
                out.push(format!("{at}: `{s}` is not an RFC 3339 date-time"));
            }
            (_, Some("FixedPointDollars")) if !is_dollars(s) => {
                out.push(format!("{at}: `{s}` is not a fixed-point dollar string"));
            }
            (_, Some("FixedPointCount")) if !is_count(s) => {
                out.push(format!("{at}: `{s}` is not a two-decimal count string"));
            }
            _ => {}
        }
    }
    match value {
        Value::Object(map) => {
            let Some(props) = schema["properties"].as_object() else {
                return;
            };
            for req in schema["required"].as_array().into_iter().flatten() {
                let name = req.as_str().unwrap_or("");
                if !map.contains_key(name) {
                    out.push(format!("{at}: required `{name}` missing"));
                }
            }
            for (k, v) in map {
                match props.get(k) {
                    Some(s) => check(s, v, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}: `{k}` is not documented")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(min) = schema["minItems"].as_u64() {
                if (items.len() as u64) < min {
                    out.push(format!("{at}: fewer than {min} items"));
                }
            }
            if let Some(max) = schema["maxItems"].as_u64() {
                if (items.len() as u64) > max {
                    out.push(format!("{at}: more than {max} items"));
                }
            }
            for (i, item) in items.iter().enumerate() {
                check(&schema["items"], item, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` (what the simulator writes), checked by the core's parser.
fn looks_like_rfc3339(s: &str) -> bool {
    s.parse::<kalshi_core::jiff::Timestamp>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_checker_catches_what_it_should() {
        let ok = json!({"as_of_time": "2026-12-06T11:00:00.000Z"});
        assert!(violations("GetUserDataTimestamp", &ok).is_empty());
        let v = violations("GetUserDataTimestamp", &json!({"extra": 1}));
        assert_eq!(v.len(), 2, "{v:?}");
        let v = violations("GetUserDataTimestamp", &json!({"as_of_time": "yesterday"}));
        assert_eq!(v.len(), 1, "{v:?}");
        let v = violations(
            "GetMarketOrderbook",
            &json!({"orderbook_fp": {"yes_dollars": [["0.5", "1"]], "no_dollars": []}}),
        );
        assert!(
            v.is_empty(),
            "the level pair is a plain string array: {v:?}"
        );
        let v = violations(
            "GetMarketOrderbook",
            &json!({"orderbook_fp": {"yes_dollars": [["0.5"]], "no_dollars": null}}),
        );
        assert_eq!(v.len(), 2, "{v:?}");
        let v = violations(
            "GetTrades",
            &json!({"cursor": "", "trades": [{"trade_id": "t", "ticker": "X", "count_fp": "1",
                "yes_price_dollars": "0.5600", "no_price_dollars": "0.4400",
                "taker_book_side": "buy", "taker_outcome_side": "yes",
                "is_block_trade": false, "created_time": "2026-01-01T00:00:00Z"}]}),
        );
        assert_eq!(v.len(), 2, "count_fp and taker_book_side: {v:?}");
    }
}
