//! The one shape checker of the simulator's tests: an answer's JSON against the operation's
//! documented answer in the inventory (`core/spec/operations.json`, read through
//! [`kalshi_core::spec::OPERATIONS_JSON`]).
//!
//! Checked at every depth: the status is documented for the operation; every `required` field
//! is present; every field present is documented (no invented field: an answer whose schema
//! lists no properties admits none, unless it documents `additionalProperties`; a nested
//! object schema that lists nothing is free-form, as the docs' `additionalProperties: true`)
//! and has the documented JSON type (`null` only where `nullable`); values of a documented
//! `enum` are one of its values; arrays respect `minItems`/`maxItems`; `date-time` strings
//! parse as RFC 3339; `FixedPointDollars` strings are decimals with 1 to 6 fractional digits
//! and `FixedPointCount` strings decimals with exactly 2. An operation documented without a body
//! must answer `{}`.

use std::sync::OnceLock;

use serde_json::Value;

/// The inventory of operations, parsed once.
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

/// Every way `body` departs from the documented answer of `operation_id` with `status`
/// (empty: it conforms).
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

/// Panics (listing every problem) unless `body` is a documented answer of `operation_id`
/// with `status`.
#[track_caller]
pub(crate) fn assert_shape(operation_id: &str, status: u16, body: &Value) {
    let p = problems(operation_id, status, body);
    assert!(
        p.is_empty(),
        "{operation_id} {status} answer departs from the documented shape:\n  {}\nbody: {body}",
        p.join("\n  ")
    );
}

/// A decimal with `frac` fractional digits (an optional `-`, at least one whole digit).
fn is_fixed_point(s: &str, frac: std::ops::RangeInclusive<usize>) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    matches!(s.split_once('.'), Some((w, f))
        if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
            && frac.contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
}

/// RFC 3339, checked by the core's parser.
fn is_rfc3339(s: &str) -> bool {
    s.parse::<kalshi_core::jiff::Timestamp>().is_ok()
}

fn check(schema: &Value, got: &Value, at: &str, out: &mut Vec<String>) {
    if schema.is_null() {
        return;
    }
    if got.is_null() {
        if schema["nullable"] != true {
            out.push(format!("{at}: null where the spec does not allow it"));
        }
        return;
    }
    let ty = match schema["type"].as_str() {
        None if schema.get("properties").is_some() => "object",
        Some(t) => t,
        None => "",
    };
    let ok = match ty {
        "object" => got.is_object(),
        "array" => got.is_array(),
        "string" => got.is_string(),
        "integer" => got.is_i64() || got.is_u64(),
        "number" => got.is_number(),
        "boolean" => got.is_boolean(),
        _ => true,
    };
    if !ok {
        out.push(format!("{at}: expected {ty}, got {got}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(got) {
            out.push(format!("{at}: {got} is not one of {allowed:?}"));
        }
    }
    match got {
        Value::String(s) => match (schema["format"].as_str(), schema["ref"].as_str()) {
            (Some("date-time"), _) if !is_rfc3339(s) => {
                out.push(format!("{at}: `{s}` is not an RFC 3339 date-time"));
            }
            (_, Some("FixedPointDollars")) if !is_fixed_point(s, 1..=6) => {
                out.push(format!("{at}: `{s}` is not a fixed-point dollar string"));
            }
            (_, Some("FixedPointCount")) if !is_fixed_point(s, 2..=2) => {
                out.push(format!("{at}: `{s}` is not a two-decimal count string"));
            }
            _ => {}
        },
        Value::Object(obj) => {
            let empty = serde_json::Map::new();
            let props = schema["properties"].as_object().unwrap_or(&empty);
            for r in schema["required"].as_array().into_iter().flatten() {
                let r = r.as_str().unwrap_or_default();
                if !obj.contains_key(r) {
                    out.push(format!("{at}: misses required field `{r}`"));
                }
            }
            let additional = schema.get("additionalProperties").filter(|a| a.is_object());
            // A nested `{"type": "object"}` with nothing listed is a free-form object (the
            // docs' `additionalProperties: true`, such as live data's `details`).
            let free_form = at != "$"
                && schema.get("properties").is_none()
                && schema.get("additionalProperties").is_none();
            for (k, v) in obj {
                match (props.get(k), additional) {
                    (Some(sub), _) => check(sub, v, &format!("{at}.{k}"), out),
                    (None, Some(ap)) => check(ap, v, &format!("{at}.{k}"), out),
                    (None, None) if free_form => {}
                    (None, None) => out.push(format!("{at}: undocumented field `{k}`")),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_checker_catches_what_it_should() {
        let ok = json!({"as_of_time": "2026-12-06T11:00:00.000Z"});
        assert!(problems("GetUserDataTimestamp", 200, &ok).is_empty());
        let v = problems("GetUserDataTimestamp", 200, &json!({"extra": 1}));
        assert_eq!(v.len(), 2, "{v:?}");
        let v = problems(
            "GetUserDataTimestamp",
            200,
            &json!({"as_of_time": "yesterday"}),
        );
        assert_eq!(v.len(), 1, "{v:?}");
        let v = problems(
            "GetMarketOrderbook",
            200,
            &json!({"orderbook_fp": {"yes_dollars": [["0.5", "1"]], "no_dollars": []}}),
        );
        assert!(
            v.is_empty(),
            "the level pair is a plain string array: {v:?}"
        );
        let v = problems(
            "GetMarketOrderbook",
            200,
            &json!({"orderbook_fp": {"yes_dollars": [["0.5"]], "no_dollars": null}}),
        );
        assert_eq!(v.len(), 2, "{v:?}");
        let v = problems(
            "GetTrades",
            200,
            &json!({"cursor": "", "trades": [{"trade_id": "t", "ticker": "X", "count_fp": "1",
                "yes_price_dollars": "0.5600", "no_price_dollars": "0.4400",
                "taker_book_side": "buy", "taker_outcome_side": "yes",
                "is_block_trade": false, "created_time": "2026-01-01T00:00:00Z"}]}),
        );
        assert_eq!(v.len(), 2, "count_fp and taker_book_side: {v:?}");
    }

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
        // Documented without a body, or as an object without fields: `{}` only.
        assert!(problems("UpdateSubaccountNetting", 200, &json!({})).is_empty());
        assert_eq!(
            problems("UpdateSubaccountNetting", 200, &json!({"a": 1})).len(),
            1
        );
        assert_eq!(
            problems("ApplySubaccountTransfer", 200, &json!({"a": 1})).len(),
            1
        );
        // Enums, date-times, fixed-point strings, nullability.
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
            ("fee_cost", json!("1.1234567")),
            ("yes_count_fp", json!("1.0")),
            ("revenue", json!(null)),
        ] {
            let mut bad = settlement.clone();
            bad[k] = v;
            assert_eq!(problems("GetSettlements", 200, &s(bad)).len(), 1, "{k}");
        }
    }
}
