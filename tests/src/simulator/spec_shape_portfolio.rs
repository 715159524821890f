//! A shape checker for the simulator's portfolio answers: an answer's JSON against the
//! operation's documented success schema in the inventory (`core/spec/operations.json`).
//!
//! Checked at every depth: every `required` field is present; every field present is
//! documented (no invented field) and has the documented JSON type (`null` only where
//! `nullable`); strings of a documented `enum` hold one of its values; `date-time` strings
//! are RFC 3339; fixed-point dollar and count strings are decimals. An operation documented
//! without a body (or with an object without fields) must answer `{}`.

use std::sync::OnceLock;

use serde_json::Value;

/// The inventory of operations.
fn inventory() -> &'static Value {
    static INVENTORY: OnceLock<Value> = OnceLock::new();
    INVENTORY.get_or_init(|| {
        serde_json::from_str(kalshi_core::spec::OPERATIONS_JSON)
            .expect("core/spec/operations.json is JSON")
    })
}

/// The inventory entry of `operation_id`.
fn operation(operation_id: &str) -> &'static Value {
    inventory()["operations"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["operation_id"] == operation_id)
        .unwrap_or_else(|| panic!("no operation `{operation_id}` in the inventory"))
}

/// Problems of `body` as the answer of `operation_id` with `status` (empty: it conforms).
pub(crate) fn problems(operation_id: &str, status: u16, body: &Value) -> Vec<String> {
    let op = operation(operation_id);
    let mut out = Vec::new();
    let Some(response) = op["responses"].get(status.to_string()) else {
        out.push(format!("{operation_id}: status {status} is not documented"));
        return out;
    };
    let schema = &response["schema"];
    if schema.is_null() {
        if body != &Value::Object(Default::default()) {
            out.push(format!(
                "{operation_id}: documented without a body, got {body}"
            ));
        }
        return out;
    }
    check(schema, body, "$", &mut out);
    out
}

/// Panics with every problem of `body` as the answer of `operation_id` with `status`.
#[track_caller]
pub(crate) fn assert_shape(operation_id: &str, status: u16, body: &Value) {
    let p = problems(operation_id, status, body);
    assert!(
        p.is_empty(),
        "{operation_id} {status} answer does not match the spec:\n{}\nbody: {body}",
        p.join("\n")
    );
}

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (!digits.contains('.') || !frac.is_empty())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s[19..].contains(['+', '-']))
        && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
            .into_iter()
            .all(|r| b[r].iter().all(u8::is_ascii_digit))
}

fn check(schema: &Value, got: &Value, at: &str, out: &mut Vec<String>) {
    if got.is_null() {
        if schema["nullable"] != true {
            out.push(format!("{at}: null where the spec does not allow it"));
        }
        return;
    }
    let ty = schema["type"].as_str();
    match ty {
        Some("object") | None if schema.get("properties").is_some() || ty == Some("object") => {
            let Some(obj) = got.as_object() else {
                out.push(format!("{at}: expected an object, got {got}"));
                return;
            };
            let empty = serde_json::Map::new();
            let props = schema["properties"].as_object().unwrap_or(&empty);
            for r in schema["required"].as_array().into_iter().flatten() {
                let r = r.as_str().unwrap_or_default();
                if !obj.contains_key(r) {
                    out.push(format!("{at}: misses required field `{r}`"));
                }
            }
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            for (k, v) in obj {
                match (props.get(k), additional) {
                    (Some(sub), _) => check(sub, v, &format!("{at}.{k}"), out),
                    (None, Some(ap)) => check(ap, v, &format!("{at}.{k}"), out),
                    (None, None) => out.push(format!("{at}: undocumented field `{k}`")),
                }
            }
        }
        Some("array") => match got.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(&schema["items"], item, &format!("{at}[{i}]"), out);
                }
            }
            None => out.push(format!("{at}: expected an array, got {got}")),
        },
        Some("string") => match got.as_str() {
            Some(s) => {
                if let Some(values) = schema["enum"].as_array() {
                    if !values.iter().any(|v| v == s) {
                        out.push(format!("{at}: `{s}` is not one of {values:?}"));
                    }
                }
                if schema["format"] == "date-time" && !is_rfc3339(s) {
                    out.push(format!("{at}: `{s}` is not an RFC 3339 date-time"));
                }
                let fixed_point = matches!(
                    schema["ref"].as_str(),
                    Some("FixedPointDollars" | "FixedPointCount")
                );
                if fixed_point && !is_decimal(s) {
                    out.push(format!("{at}: `{s}` is not a fixed-point decimal"));
                }
            }
            None => out.push(format!("{at}: expected a string, got {got}")),
        },
        Some("integer") if !(got.is_i64() || got.is_u64()) => {
            out.push(format!("{at}: expected an integer, got {got}"));
        }
        Some("number") if !got.is_number() => {
            out.push(format!("{at}: expected a number, got {got}"));
        }
        Some("boolean") if !got.is_boolean() => {
            out.push(format!("{at}: expected a boolean, got {got}"));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_checker_finds_missing_invented_and_mistyped_fields() {
        let good = json!({"transfers": [{"transfer_id": "t", "from_subaccount": 0,
            "to_subaccount": 1, "amount_cents": 5, "created_ts": 1, "exchange_index": 0}],
            "cursor": ""});
        assert_eq!(
            problems("GetSubaccountTransfers", 200, &good),
            Vec::<String>::new()
        );
        let mut missing = good.clone();
        missing["transfers"][0]
            .as_object_mut()
            .unwrap()
            .remove("amount_cents");
        assert_eq!(problems("GetSubaccountTransfers", 200, &missing).len(), 1);
        let mut invented = good.clone();
        invented["transfers"][0]["subaccount"] = json!(1);
        assert_eq!(problems("GetSubaccountTransfers", 200, &invented).len(), 1);
        let mut mistyped = good.clone();
        mistyped["transfers"][0]["amount_cents"] = json!("5");
        assert_eq!(problems("GetSubaccountTransfers", 200, &mistyped).len(), 1);
        assert_eq!(problems("GetSubaccountTransfers", 201, &good).len(), 1);
        // Documented without a body: `{}` only.
        assert!(problems("UpdateSubaccountNetting", 200, &json!({})).is_empty());
        assert_eq!(
            problems("UpdateSubaccountNetting", 200, &json!({"a": 1})).len(),
            1
        );
        assert_eq!(
            problems("ApplySubaccountTransfer", 200, &json!({"a": 1})).len(),
            1
        );
        // Enums, date-times, decimals, nullability.
        let s = |v: Value| json!({"settlements": [v]});
        let settlement = json!({"ticker": "K", "event_ticker": "E", "exchange_index": 0,
            "market_result": "yes", "yes_count_fp": "1.00", "yes_total_cost_dollars": "0.5000",
            "no_count_fp": "0.00", "no_total_cost_dollars": "0.0000", "revenue": 100,
            "settled_time": "2023-11-14T22:13:20.000Z", "fee_cost": "0.0000", "value": null});
        assert!(problems("GetSettlements", 200, &s(settlement.clone())).is_empty());
        for (k, v) in [
            ("market_result", json!("maybe")),
            ("settled_time", json!("yesterday")),
            ("fee_cost", json!("free")),
            ("revenue", json!(null)),
        ] {
            let mut bad = settlement.clone();
            bad[k] = v;
            assert_eq!(problems("GetSettlements", 200, &s(bad)).len(), 1, "{k}");
        }
    }
}
