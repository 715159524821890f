//! Regression tests for what the fuzz targets (`fuzz/`, see fuzz/README.md) found.
//!
//! One test per finding, on the smallest inputs that show it. The raw crash inputs are also in
//! `fuzz/regressions/<target>/`, which `.ci/fuzz` replays through the fuzz target on every run.
//! A finding not fixed yet gets its test with `#[ignore = "..."]`, removed with the fix.

use kalshi_core::clock_skew::parse_http_date;

/// Latest instant an IMF-fixdate with a 4-digit year can name (plus a leap second).
const END_OF_9999: i64 = 253_402_300_800;

/// Finding 1 (target `http_date`): the hour, minute and second fields were parsed with
/// `str::parse::<i64>`, which takes a sign, and only their upper bound is checked
/// (`h > 23 || m > 59 || sec > 60`). A negative field was accepted and moved the result before
/// 1970 (`-1:00:00` on 1 January 1970 gives -3600).
///
/// Fixed in 1e515cb: the parser now takes exactly the IMF-fixdate shape, two ASCII digits for
/// day, hour, minute, second and four for the year (RFC 9110 §5.6.7).
#[test]
fn http_date_refuses_negative_fields() {
    for date in [
        "Thu, 01 Jan 1970 -1:00:00 GMT",
        "Thu, 01 Jan 1970 00:-5:00 GMT",
        "Thu, 01 Jan 1970 00:00:-1 GMT",
        "Wh\0\u{1d} 01 Jan 1970 -5:00:00 GMT",
        "Sat) 14 Feb 2020 12:-002:-20000000000100:~20 GMT",
    ] {
        assert_eq!(parse_http_date(date), None, "{date:?}");
    }
    // What it should keep accepting.
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
}

/// Finding 2 (target `http_date`): with a huge negative hour (any of them passed the `h > 23`
/// check), `h * 3600` overflowed `i64`: a panic ("attempt to multiply with overflow",
/// core/src/clock_skew.rs) in debug builds, a wrapped nonsense offset in release builds. A
/// `Date` header of a response was enough to reach it (`ClockSkew::observe_date_header`).
///
/// Fixed with finding 1 (two-digit fields cannot overflow).
#[test]
fn http_date_does_not_overflow_on_huge_fields() {
    for date in [
        "Thu, 01 Jan 1970 -9223372036854775808:00:00 GMT",
        // The input the fuzzer found (fuzz/regressions/http_date/overflow-fuzzer-found).
        "  \t \t\n\t\t\r\r\r\u{5}on, 01 Jan 2010 -05555555555555555550:00:00 GMT \t\t\t\t\t \n\t1 1",
        "Thu, 01 Jan 1970 00:-9223372036854775808:00 GMT",
        "Thu, 01 Jan 1970 00:00:-9223372036854775808 GMT",
    ] {
        let parsed = parse_http_date(date);
        assert!(
            parsed.is_none_or(|s| (0..=END_OF_9999).contains(&s)),
            "{date:?} -> {parsed:?}"
        );
    }
}
