//! `FixedPointCount` and `FixedPointDollars`: parsing from text and from JSON never panics;
//! whatever parses is written by `Display` in a form that parses back to the same value (and
//! is a fixed point of parse-then-display); `FromStr` and serde agree on JSON strings; serde
//! output reads back.
//!
//! Input: the text (invalid UTF-8 replaced), also tried as a JSON document.
#![no_main]

use std::fmt::{Debug, Display};
use std::str::FromStr;

use kalshi_core::{FixedPointCount, FixedPointDollars};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T>(text: &str, json: &[u8])
where
    T: FromStr + Display + Debug + PartialEq + Copy + Serialize + DeserializeOwned,
    T::Err: Display,
{
    let parsed = text.parse::<T>();
    if let Ok(v) = parsed {
        let shown = v.to_string();
        let back = shown
            .parse::<T>()
            .unwrap_or_else(|e| panic!("{text:?} -> {v:?} -> {shown:?} does not parse: {e}"));
        assert_eq!(back, v, "{text:?} -> {shown:?} reads back differently");
        assert_eq!(
            back.to_string(),
            shown,
            "display is not canonical for {text:?}"
        );
    }

    // A JSON string holding the same text must read exactly as FromStr reads the text.
    let as_json_string = serde_json::to_string(text).expect("a str serializes");
    let via_serde = serde_json::from_str::<T>(&as_json_string);
    match (&parsed, &via_serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "serde and FromStr disagree on {text:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "serde ({}) and FromStr ({}) disagree on {text:?}",
            via_serde.is_ok(),
            parsed.is_ok()
        ),
    }

    // Arbitrary JSON: whatever deserializes serializes to a string that deserializes back.
    if let Ok(v) = serde_json::from_slice::<T>(json) {
        let out = serde_json::to_string(&v).expect("serialize");
        let back: T = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{v:?} serialized as {out} does not read back: {e}"));
        assert_eq!(back, v, "{out} reads back differently");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check::<FixedPointCount>(&text, data);
    check::<FixedPointDollars>(&text, data);
});
