//! `clock_skew::parse_http_date`: never panics; what it accepts lies between 1970 and the end of
//! 9999; and it agrees with the `httpdate` crate wherever both accept the input.
//!
//! Input: the text (invalid UTF-8 replaced).
#![no_main]

use std::time::UNIX_EPOCH;

use kalshi_core::clock_skew::parse_http_date;
use libfuzzer_sys::fuzz_target;

/// `Fri, 31 Dec 9999 23:59:60 GMT` plus slack for day 31 of a 30-day month.
const LATEST: i64 = 253_402_300_800 + 3 * 86_400;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Some(secs) = parse_http_date(&text) else {
        return;
    };
    assert!(
        (0..=LATEST).contains(&secs),
        "{text:?} parsed to {secs}, outside 1970..=9999"
    );
    if let Ok(t) = httpdate::parse_http_date(text.trim()) {
        let theirs = t
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(-1);
        assert_eq!(secs, theirs, "{text:?}: ours {secs}, httpdate {theirs}");
    }
});
