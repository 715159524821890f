//! The byte cursor the fast readers of market data share ([`super::orderbook_fast`],
//! [`super::markets_fast`]).
//!
//! It reads a strict subset of JSON and answers `None` for anything outside it; the readers
//! then give the whole body to serde. So nothing here has to know serde's errors: it only has
//! to never accept what serde would refuse, and to read what it accepts exactly as serde does.

use std::borrow::Cow;

/// `0x01` in every byte of a word.
const LO: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte of a word.
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is zero (exact for the lowest flagged byte: a borrow
/// only runs upwards from a zero byte).
#[inline]
fn zero_bytes(w: u64) -> u64 {
    w.wrapping_sub(LO) & !w & HI
}

/// Where the JSON string whose contents start at `i` stops being plain text: the index of its
/// first `"`, `\` or control character (below 0x20), or `b.len()`. Eight bytes at a time.
#[inline]
pub(super) fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let w = u64::from_le_bytes(w);
        let hit = zero_bytes(w ^ (LO * u64::from(b'"')))
            | zero_bytes(w ^ (LO * u64::from(b'\\')))
            // Below 0x20: subtracting 0x20 borrows and the byte had no high bit.
            | (w.wrapping_sub(LO * 0x20) & !w & HI);
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// A position in a body.
pub(super) struct Cursor<'a> {
    /// The body.
    pub(super) b: &'a [u8],
    /// The next byte to read.
    pub(super) i: usize,
}

impl<'a> Cursor<'a> {
    /// Skips JSON whitespace.
    #[inline]
    pub(super) fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// Skips whitespace, then the next byte (`None` at the end).
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// Skips whitespace, then takes `c`.
    #[inline]
    pub(super) fn eat(&mut self, c: u8) -> Option<()> {
        self.peek_eat(c).then_some(())
    }

    /// Skips whitespace; true (and takes it) if the next byte is `c`.
    #[inline]
    pub(super) fn peek_eat(&mut self, c: u8) -> bool {
        // Compact JSON first: `c` right here.
        if self.b.get(self.i) != Some(&c) {
            self.ws();
            if self.b.get(self.i) != Some(&c) {
                return false;
            }
        }
        self.i += 1;
        true
    }

    /// Skips whitespace; true (and takes it) if `word` is next.
    #[inline]
    pub(super) fn literal(&mut self, word: &[u8]) -> bool {
        self.ws();
        let hit = self.b[self.i..].starts_with(word);
        if hit {
            self.i += word.len();
        }
        hit
    }

    /// A string without escapes (`None` for anything else), as bytes.
    pub(super) fn plain_str(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let end = plain_run_end(self.b, start);
        if self.b.get(end) != Some(&b'"') {
            return None;
        }
        self.i = end + 1;
        Some(&self.b[start..end])
    }

    /// A quoted decimal `[-]digits[.digits]` in units of `10^-SCALE`: what `FixedPointDollars`
    /// (scale 6) and `FixedPointCount` (scale 2) parse from the same text, or `None` for
    /// anything they would refuse or this reader does not take.
    #[inline]
    pub(super) fn decimal<const SCALE: u32>(&mut self) -> Option<i64> {
        self.eat(b'"')?;
        let (v, n) = crate::fixed_point::decimal_at::<SCALE>(&self.b[self.i..])?;
        if self.b.get(self.i + n) != Some(&b'"') {
            return None;
        }
        self.i += n + 1;
        Some(v)
    }
}

/// A cursor over a body known to be UTF-8, which can hand out text.
pub(super) struct TextCursor<'a> {
    /// The bytes and the position.
    pub(super) c: Cursor<'a>,
    /// The same bytes as text.
    text: &'a str,
    /// How deep [`skip_value`](Self::skip_value) may still nest.
    depth: u32,
}

/// How deep a skipped value may nest: far below serde_json's limit of 128, so a value this
/// reader skips or hands to serde on its own never reaches a depth serde refuses in the body.
const MAX_SKIP_DEPTH: u32 = 32;

impl<'a> TextCursor<'a> {
    /// A cursor at the start of `text`.
    pub(super) fn new(text: &'a str) -> Self {
        TextCursor {
            c: Cursor {
                b: text.as_bytes(),
                i: 0,
            },
            text,
            depth: MAX_SKIP_DEPTH,
        }
    }

    /// The text from byte `from` to the cursor.
    pub(super) fn since(&self, from: usize) -> &'a str {
        &self.text[from..self.c.i]
    }

    /// A string, as serde reads it: borrowed when it has no escape; else its raw text (quotes
    /// included) is given to serde_json, so escapes read exactly as in the body. `None` for a
    /// control character, a bad escape or anything but a string.
    #[inline]
    pub(super) fn string(&mut self) -> Option<Cow<'a, str>> {
        self.c.eat(b'"')?;
        let start = self.c.i;
        let end = plain_run_end(self.c.b, start);
        match self.c.b.get(end) {
            Some(b'"') => {
                self.c.i = end + 1;
                Some(Cow::Borrowed(&self.text[start..end]))
            }
            Some(b'\\') => {
                self.c.i = start - 1;
                let raw = self.escaped_string_raw()?;
                serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
            }
            _ => None,
        }
    }

    /// The raw text of a string that may hold escapes (quotes included); escapes are only
    /// stepped over, not checked (serde checks them where the value is used).
    fn escaped_string_raw(&mut self) -> Option<&'a str> {
        let from = self.c.i;
        self.c.eat(b'"')?;
        let b = self.c.b;
        let mut i = self.c.i;
        loop {
            i = plain_run_end(b, i);
            match b.get(i) {
                Some(b'"') => break,
                Some(b'\\') if i + 1 < b.len() => i += 2,
                _ => return None,
            }
        }
        self.c.i = i + 1;
        Some(self.since(from))
    }

    /// `null`, or a string ([`string`](Self::string)).
    #[inline]
    pub(super) fn opt_string(&mut self) -> Option<Option<Cow<'a, str>>> {
        if self.c.literal(b"null") {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// `true` or `false`.
    #[inline]
    pub(super) fn boolean(&mut self) -> Option<bool> {
        if self.c.literal(b"true") {
            Some(true)
        } else if self.c.literal(b"false") {
            Some(false)
        } else {
            None
        }
    }

    /// A non-negative integer of at most 18 digits without a leading zero, not followed by a
    /// fraction or an exponent: what serde reads as that `u64`. `None` for anything else
    /// (negative numbers included, which the callers leave to serde).
    #[inline]
    pub(super) fn small_uint(&mut self) -> Option<u64> {
        self.c.ws();
        let b = self.c.b;
        let start = self.c.i;
        let mut i = start;
        let mut v: u64 = 0;
        while let Some(&d) = b.get(i) {
            if !d.is_ascii_digit() {
                break;
            }
            v = v * 10 + u64::from(d - b'0');
            i += 1;
            if i - start > 18 {
                return None;
            }
        }
        let n = i - start;
        if n == 0 || (n > 1 && b[start] == b'0') || matches!(b.get(i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.c.i = i;
        Some(v)
    }

    /// Steps over one JSON value of the subset this reader takes (strings, numbers without
    /// exponent... see [`skip_number`](Self::skip_number), literals, arrays and objects up to
    /// [`MAX_SKIP_DEPTH`] deep) and answers its text; `None` for anything else. Every value it
    /// steps over is one serde reads (a string with escapes is checked by serde).
    pub(super) fn skip_value(&mut self) -> Option<&'a str> {
        let c = self.c.peek()?;
        let from = self.c.i;
        match c {
            b'"' => {
                let end = plain_run_end(self.c.b, from + 1);
                match self.c.b.get(end) {
                    Some(b'"') => self.c.i = end + 1,
                    Some(b'\\') => {
                        let raw = self.escaped_string_raw()?;
                        serde_json::from_str::<serde::de::IgnoredAny>(raw).ok()?;
                    }
                    _ => return None,
                }
            }
            b'-' | b'0'..=b'9' => self.skip_number()?,
            b't' | b'f' => {
                self.boolean()?;
            }
            b'n' => {
                if !self.c.literal(b"null") {
                    return None;
                }
            }
            b'[' | b'{' => {
                self.depth = self.depth.checked_sub(1)?;
                self.c.i += 1;
                let close = if c == b'[' { b']' } else { b'}' };
                if !self.c.peek_eat(close) {
                    loop {
                        if c == b'{' {
                            self.string()?;
                            self.c.eat(b':')?;
                        }
                        self.skip_value()?;
                        if self.c.peek_eat(close) {
                            break;
                        }
                        self.c.eat(b',')?;
                    }
                }
                self.depth += 1;
            }
            _ => return None,
        }
        Some(self.since(from))
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: JSON's number grammar without the exponent.
    fn skip_number(&mut self) -> Option<()> {
        let b = self.c.b;
        let mut i = self.c.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i),
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            let end = digits(i + 1);
            if end == i + 1 {
                return None;
            }
            i = end;
        }
        if matches!(b.get(i), Some(b'e' | b'E' | b'0'..=b'9')) {
            return None;
        }
        self.c.i = i;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_runs_stop_where_serde_would_look() {
        for (s, end) in [
            ("", 0),
            ("abc", 3),
            ("abc\"", 3),
            ("0123456789abcdef\"", 16),
            ("0123456789abcdef\\", 16),
            ("0123456\u{1}", 7),
            ("caf\u{e9}\"", 5),
            ("\u{7f}\u{80}\"x", 3),
            ("01234567\t", 8),
        ] {
            assert_eq!(plain_run_end(s.as_bytes(), 0), end, "{s:?}");
        }
    }

    #[test]
    fn skips_what_serde_reads_and_nothing_else() {
        for (v, ok) in [
            ("1", true),
            ("-0", true),
            ("0.5", true),
            ("01", false),
            ("1.", false),
            ("1e5", false),
            ("-", false),
            ("\"a\\\"b\"", true),
            ("\"a\\qb\"", false),
            // A lone surrogate: serde's `IgnoredAny` steps over it too.
            ("\"\\ud800\"", true),
            ("\"a\u{1}\"", false),
            ("[1, {\"a\": [null, true, false]}, \"x\"]", true),
            ("[1,]", false),
            ("{\"a\":1,}", false),
            ("{\"a\"}", false),
            ("{1:2}", false),
            ("nul", false),
            ("tru", false),
        ] {
            let body = format!("{v} ");
            let mut c = TextCursor::new(&body);
            let got = c.skip_value();
            assert_eq!(got.is_some(), ok, "{v}");
            if let Some(text) = got {
                assert_eq!(text, v);
                assert!(
                    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok(),
                    "{v}"
                );
            }
        }
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(TextCursor::new(&deep).skip_value(), None);
        let ok = format!("{}{}", "[".repeat(30), "]".repeat(30));
        assert_eq!(TextCursor::new(&ok).skip_value(), Some(&ok[..]));
    }

    proptest! {
        #[test]
        fn plain_run_end_is_the_first_special_byte(s in proptest::collection::vec(any::<u8>(), 0..40), at in 0usize..40) {
            let at = at.min(s.len());
            let want = s[at..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .map_or(s.len(), |p| at + p);
            prop_assert_eq!(plain_run_end(&s, at), want);
        }

        #[test]
        fn a_string_reads_as_serde_reads_it(s in "(\\PC|[\"\\\\\\u{0}-\\u{1f}])*", raw in r#""([a-z/]|\\|\\[nrtbf"\\/u]|\\u[0-9a-fA-F]{4}|\\ud83d\\ude00)*""#) {
            let json = serde_json::to_string(&s).unwrap();
            for text in [&json, &raw] {
                let body = format!("{text},");
                let mut c = TextCursor::new(&body);
                let got = c.string().map(Cow::into_owned);
                // serde's first value of the body, and where it ends.
                let mut stream = serde_json::Deserializer::from_str(&body).into_iter::<String>();
                let want = stream.next().and_then(Result::ok);
                prop_assert_eq!(&got, &want, "{}", text);
                if got.is_some() {
                    prop_assert_eq!(c.c.i, stream.byte_offset());
                }
            }
        }

        #[test]
        fn skipped_values_are_values_serde_reads(v in any_json(), junk in "[ ,:\\]}x]{0,2}") {
            let text = format!("{v}{junk}");
            let mut c = TextCursor::new(&text);
            if let Some(got) = c.skip_value() {
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(got).is_ok(), "{}", got);
            }
        }
    }

    /// JSON-like text, valid or nearly.
    fn any_json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            Just("fals".to_string()),
            "-?[0-9]{1,4}(\\.[0-9]{0,3})?([eE][0-9])?",
            r#""([a-z]|\\[nu"]|\\u[0-9a-f]{4})*""#,
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                proptest::collection::vec(("[a-z]{0,3}", inner), 0..4).prop_map(|v| format!(
                    "{{{}}}",
                    v.iter()
                        .map(|(k, v)| format!("\"{k}\":{v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                )),
            ]
        })
    }
}
