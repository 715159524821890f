//! Reading request input: percent-decoding, query strings, JSON bodies, and the per-request
//! context handed to route handlers.
//!
//! Everything here answers malformed input with an [`ApiError`] (400), never a panic.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::errors::ApiError;
use super::state::SubaccountId;

/// What a route handler sees of a request once it is authenticated and routed.
#[derive(Debug)]
pub(crate) struct RequestCtx {
    /// The account of the API key that signed the request (a configured key's id).
    pub(crate) account: String,
    /// The budgets the token buckets enforce (`None`: rate limiting is off).
    pub(crate) rate_limits: Option<super::rate_limit::RateLimits>,
    /// What each endpoint costs.
    pub(crate) costs: std::sync::Arc<super::rate_limit::CostTable>,
    /// Path parameters, percent-decoded, by name (`order_group_id`).
    pub(crate) params: Vec<(&'static str, String)>,
    /// The query string, decoded.
    pub(crate) query: Query,
    /// The raw request body (already bounded in size).
    pub(crate) body: Bytes,
    /// The exchange time when the request was handled, in milliseconds since the epoch.
    pub(crate) now_ms: u64,
}

impl RequestCtx {
    /// A path parameter by name; handlers only ask for names their pattern declares.
    pub(crate) fn param(&self, name: &str) -> Result<&str, ApiError> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| ApiError::internal(format!("route has no path parameter `{name}`")))
    }

    /// The body as a JSON object. An empty body is `None` (the caller decides whether that is
    /// allowed); anything that is not a JSON object is a 400.
    pub(crate) fn json_object(&self) -> Result<Option<Map<String, Value>>, ApiError> {
        parse_json_object(&self.body)
    }

    /// The body as a JSON object; an empty body is a 400.
    pub(crate) fn required_json_object(&self) -> Result<Map<String, Value>, ApiError> {
        self.json_object()?
            .ok_or_else(|| ApiError::invalid_json("a JSON body is required"))
    }

    /// The `subaccount` query parameter, validated (0 to 63), if given.
    pub(crate) fn query_subaccount(&self) -> Result<Option<SubaccountId>, ApiError> {
        self.query
            .int("subaccount")?
            .map(|v| SubaccountId::from_request(i128::from(v), "subaccount"))
            .transpose()
    }

    /// A non-empty string query parameter, if given (empty counts as absent).
    pub(crate) fn query_str(&self, name: &str) -> Result<Option<&str>, ApiError> {
        Ok(self.query.get(name)?.filter(|v| !v.is_empty()))
    }

    /// The `limit` query parameter: 1 to 1000, 100 when absent.
    pub(crate) fn page_limit(&self) -> Result<usize, ApiError> {
        match self.query.int("limit")? {
            None => Ok(100),
            Some(v @ 1..=1000) => Ok(v as usize),
            Some(v) => Err(ApiError::invalid_parameters(format!(
                "`limit` must be between 1 and 1000, got {v}"
            ))),
        }
    }

    /// The `cursor` query parameter of a list whose cursors are `prefix` + 16 hex digits of a
    /// sequence number; absent or empty is the first page.
    pub(crate) fn seq_cursor(&self, prefix: char) -> Result<Option<u64>, ApiError> {
        let Some(raw) = self.query_str("cursor")? else {
            return Ok(None);
        };
        raw.strip_prefix(prefix)
            .filter(|h| h.len() == 16)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .map(Some)
            .ok_or_else(|| {
                let shown: String = raw.chars().take(40).collect();
                ApiError::invalid_parameters(format!(
                    "`cursor` `{shown}` is not a cursor this list returned"
                ))
            })
    }
}

/// A list cursor: `prefix` + 16 hex digits of `seq`.
pub(crate) fn seq_cursor(prefix: char, seq: u64) -> String {
    format!("{prefix}{seq:016x}")
}

/// Percent-decodes `s` into bytes. `%` must be followed by two hex digits.
pub(crate) fn percent_decode(s: &str) -> Result<Vec<u8>, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).and_then(|b| hex_value(*b));
            let lo = bytes.get(i + 2).and_then(|b| hex_value(*b));
            match (hi, lo) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                _ => {
                    let bad: String = s[i..].chars().take(3).collect();
                    return Err(format!("bad percent-encoding `{bad}`"));
                }
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes a path segment into UTF-8 text (`+` stays a plus sign in paths).
pub(crate) fn decode_path_segment(name: &str, raw: &str) -> Result<String, ApiError> {
    let bytes = percent_decode(raw)
        .map_err(|e| ApiError::invalid_parameters(format!("path parameter `{name}`: {e}")))?;
    String::from_utf8(bytes).map_err(|_| {
        ApiError::invalid_parameters(format!(
            "path parameter `{name}` is not valid UTF-8 once percent-decoded"
        ))
    })
}

/// A decoded query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Parses `a=1&b=x%20y` (`+` means space in query strings). Empty pieces are skipped.
    pub(crate) fn parse(raw: Option<&str>) -> Result<Query, ApiError> {
        let mut pairs = Vec::new();
        for piece in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            pairs.push((decode_query_part(k)?, decode_query_part(v)?));
        }
        Ok(Query { pairs })
    }

    /// The value of `name`, if given; a parameter given twice is a 400.
    pub(crate) fn get(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut found = self.pairs.iter().filter(|(k, _)| k == name);
        let first = found.next();
        if found.next().is_some() {
            return Err(ApiError::invalid_parameters(format!(
                "query parameter `{name}` given more than once"
            )));
        }
        Ok(first.map(|(_, v)| v.as_str()))
    }

    /// Every value of `name`, in order (for list parameters sent as `name=a&name=b`).
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name` as an integer, if given.
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => parse_query_int(v).map(Some).ok_or_else(|| {
                let shown: String = v.chars().take(40).collect();
                ApiError::invalid_parameters(format!(
                    "query parameter `{name}` must be an integer, got `{shown}`"
                ))
            }),
        }
    }
}

/// Parses a query integer: an optional `-` and 1 to 19 ASCII digits.
fn parse_query_int(v: &str) -> Option<i64> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

fn decode_query_part(raw: &str) -> Result<String, ApiError> {
    let spaced = raw.replace('+', " ");
    let bytes = percent_decode(&spaced)
        .map_err(|e| ApiError::invalid_parameters(format!("query string: {e}")))?;
    String::from_utf8(bytes).map_err(|_| {
        ApiError::invalid_parameters("query string is not valid UTF-8 once percent-decoded")
    })
}

/// Parses a body as a JSON object; empty (or all-whitespace) is `None`.
pub(crate) fn parse_json_object(body: &[u8]) -> Result<Option<Map<String, Value>>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(other) => Err(ApiError::invalid_json(format!(
            "the body must be a JSON object, got {}",
            json_type(&other)
        ))),
        Err(e) => Err(ApiError::invalid_json(format!(
            "the body is not valid JSON: {e}"
        ))),
    }
}

/// An integer field of a JSON object: absent or `null` is `None`; anything but a JSON integer
/// (a string, a float such as `10.0` or `1e3`, a bool, ...) is a 400. Values beyond `i64` are
/// reported as `i128` so range checks can refuse them with the real number.
pub(crate) fn int_field(obj: &Map<String, Value>, name: &str) -> Result<Option<i128>, ApiError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i128::from(i)))
            } else if let Some(u) = n.as_u64() {
                Ok(Some(i128::from(u)))
            } else {
                Err(ApiError::invalid_parameters(format!(
                    "`{name}` must be a whole number within 64 bits, got {n}"
                )))
            }
        }
        Some(other) => Err(ApiError::invalid_parameters(format!(
            "`{name}` must be an integer, got {}",
            json_type(other)
        ))),
    }
}

/// A boolean field of a JSON object: absent or `null` is `None`; any other non-boolean is a 400.
pub(crate) fn bool_field(obj: &Map<String, Value>, name: &str) -> Result<Option<bool>, ApiError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(ApiError::invalid_parameters(format!(
            "`{name}` must be a boolean, got {}",
            json_type(other)
        ))),
    }
}

/// A string field that must be present (and not `null`).
pub(crate) fn required_str<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
) -> Result<&'a str, ApiError> {
    str_field(obj, name)?
        .ok_or_else(|| ApiError::invalid_parameters(format!("`{name}` is required")))
}

/// A string field of a JSON object: absent or `null` is `None`; any other non-string is a 400.
pub(crate) fn str_field<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, ApiError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ApiError::invalid_parameters(format!(
            "`{name}` must be a string, got {}",
            json_type(other)
        ))),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb%20c").unwrap(), b"a/b c");
        assert_eq!(percent_decode("%e2%82%ac").unwrap(), "€".as_bytes());
        assert_eq!(percent_decode("plain+plus").unwrap(), b"plain+plus");
        assert!(percent_decode("%").is_err());
        assert!(percent_decode("%4").is_err());
        assert!(percent_decode("%zz").is_err());
        assert!(percent_decode("ab%").is_err());
        assert!(percent_decode("€%g1").is_err());
    }

    #[test]
    fn path_segments_must_decode_to_utf8() {
        assert_eq!(decode_path_segment("id", "a%2Bb+c").unwrap(), "a+b+c");
        let e = decode_path_segment("id", "%FF%FE").unwrap_err();
        assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
        assert!(e.details.contains("UTF-8"));
        assert!(decode_path_segment("id", "%G0").is_err());
    }

    #[test]
    fn query_parsing() {
        let q = Query::parse(Some("subaccount=3&x=a+b%21&&flag&exchange_index=-1")).unwrap();
        assert_eq!(q.get("x").unwrap(), Some("a b!"));
        assert_eq!(q.get("flag").unwrap(), Some(""));
        assert_eq!(q.get("nope").unwrap(), None);
        assert_eq!(q.int("subaccount").unwrap(), Some(3));
        assert_eq!(q.int("exchange_index").unwrap(), Some(-1));
        assert!(q.int("x").is_err());
        assert!(q.int("flag").is_err());
        assert_eq!(Query::parse(None).unwrap(), Query::default());

        let dup = Query::parse(Some("subaccount=1&subaccount=2")).unwrap();
        assert!(
            dup.get("subaccount")
                .unwrap_err()
                .details
                .contains("more than once")
        );

        for bad in [
            "99999999999999999999",
            "1.5",
            " 1",
            "+1",
            "1e2",
            "-",
            "0x10",
        ] {
            let q = Query::parse(Some(&format!("n={bad}"))).unwrap_or_default();
            assert!(q.int("n").is_err(), "{bad}");
        }
        assert!(Query::parse(Some("a=%ZZ")).is_err());
        assert!(Query::parse(Some("a=%C3%28")).is_err());
    }

    #[test]
    fn json_bodies() {
        assert_eq!(parse_json_object(b"").unwrap(), None);
        assert_eq!(parse_json_object(b" \r\n").unwrap(), None);
        assert_eq!(parse_json_object(b"{}").unwrap(), Some(Map::new()));
        for bad in [
            &b"[]"[..],
            b"null",
            b"1",
            b"{",
            b"\xff\xfe",
            b"{\"a\":1}x",
            b"\"s\"",
        ] {
            let e = parse_json_object(bad).unwrap_err();
            assert_eq!(e.status, http::StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }

    #[test]
    fn typed_fields() {
        let obj = json!({
            "i": 5, "neg": -5, "big": 18446744073709551615u64, "float": 10.0, "exp": 1e30,
            "s": "x", "null": null, "b": true
        });
        let obj = obj.as_object().unwrap();
        assert_eq!(int_field(obj, "i").unwrap(), Some(5));
        assert_eq!(int_field(obj, "neg").unwrap(), Some(-5));
        assert_eq!(int_field(obj, "big").unwrap(), Some(i128::from(u64::MAX)));
        assert_eq!(int_field(obj, "missing").unwrap(), None);
        assert_eq!(int_field(obj, "null").unwrap(), None);
        assert!(int_field(obj, "float").is_err());
        assert!(int_field(obj, "exp").is_err());
        assert!(int_field(obj, "s").is_err());
        assert!(int_field(obj, "b").is_err());
        assert_eq!(str_field(obj, "s").unwrap(), Some("x"));
        assert_eq!(str_field(obj, "null").unwrap(), None);
        assert!(str_field(obj, "i").is_err());
    }
}
