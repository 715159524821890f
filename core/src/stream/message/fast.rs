//! A fast reader for the usual shape of an `orderbook_delta` frame, the bulk of a book stream.
//!
//! `{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00",...}}`:
//! the general path reads the envelope, keeps `msg` as raw JSON and reads it a second time as
//! the payload type, so every delta is scanned twice. This reader walks the bytes once, `type`
//! first, and gives up (`None`) on anything it does not take for certain: a frame of another
//! type, another envelope key (`id`, or any unknown one), a key twice, a string with an escape,
//! a control character or a non-ASCII byte, a value of another JSON type than the usual one
//! (an array or object for an unknown key; a float, a leading zero or a `-` where an integer
//! is read), a price, count or instant the typed readers refuse. The general parser then
//! decides, so a frame is never read differently, only faster: the property tests below check
//! that whenever this reader answers, the general one answers the same.

use super::{Data, OrderbookDelta, StreamMessage};
use crate::enums::OutcomeSide;

/// How many bytes from the start of `b` are printable ASCII other than `"` and `\\`: the
/// length of a plain string's text. Eight bytes at a time while it can.
fn plain_len(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        // A byte >= 0x80, a byte < 0x20 (only counted where no byte >= 0x80 comes first,
        // which the high-bit test already stops at), a quote or a backslash. The lowest
        // flagged byte is exact: the borrow only flags bytes above a true hit.
        let stop = (x & HIGH)
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | zero_byte(x ^ (ONES * u64::from(b'"')))
            | zero_byte(x ^ (ONES * u64::from(b'\\')));
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c))
        .unwrap_or(b.len() - i)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    /// Skips whitespace, then takes `c`.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// Skips whitespace; true (and takes it) if the next byte is `c`.
    fn peek_eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.b.get(self.i) == Some(&c);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// A string of printable ASCII without escapes (`None` for anything else), its bytes.
    fn plain_bytes(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let len = plain_len(&self.b[start..]);
        if self.b.get(start + len) != Some(&b'"') {
            return None;
        }
        self.i = start + len + 1;
        Some(&self.b[start..start + len])
    }

    /// [`plain_bytes`](Self::plain_bytes) as text (printable ASCII is always UTF-8).
    fn plain_str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.plain_bytes()?).ok()
    }

    /// `null` (true, taken) or not (false, nothing taken).
    fn null(&mut self) -> bool {
        self.ws();
        let hit = self.b[self.i..].starts_with(b"null");
        if hit {
            self.i += 4;
        }
        hit
    }

    /// A JSON integer `-?(0|[1-9][0-9]*)` not followed by a fraction or exponent: its sign
    /// and digits. `None` for anything else.
    fn int(&mut self) -> Option<(bool, &'a [u8])> {
        self.ws();
        let neg = self.b.get(self.i) == Some(&b'-');
        let start = self.i + usize::from(neg);
        let len = self.b[start..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(self.b.len() - start);
        let digits = &self.b[start..start + len];
        if len == 0
            || (digits[0] == b'0' && (len > 1 || neg))
            || matches!(self.b.get(start + len), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        self.i = start + len;
        Some((neg, digits))
    }

    /// An unsigned integer that fits `u64`.
    fn u64(&mut self) -> Option<u64> {
        let (neg, digits) = self.int()?;
        if neg || digits.len() > 20 {
            return None;
        }
        digits.iter().try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
    }

    /// An integer that fits `i64`.
    fn i64(&mut self) -> Option<i64> {
        let (neg, digits) = self.int()?;
        if digits.len() > 19 {
            return None;
        }
        let v = digits.iter().try_fold(0i64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        })?;
        Some(if neg { -v } else { v })
    }

    /// Skips a value of an unknown key: a plain string, an integer, `true`, `false` or `null`.
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.b.get(self.i)? {
            b'"' => self.plain_bytes().map(drop),
            b'-' | b'0'..=b'9' => self.int().map(drop),
            _ => {
                for lit in [&b"true"[..], b"false", b"null"] {
                    if self.b[self.i..].starts_with(lit) {
                        self.i += lit.len();
                        return Some(());
                    }
                }
                None
            }
        }
    }

    /// An optional string: `null` or a plain string.
    fn opt_str(&mut self) -> Option<Option<&'a str>> {
        if self.null() {
            Some(None)
        } else {
            self.plain_str().map(Some)
        }
    }
}

/// Sets `slot` once; a key seen twice gives up.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// The payload of a delta, `{...}` (the cursor on `{`).
fn delta(c: &mut Cursor<'_>) -> Option<OrderbookDelta> {
    c.eat(b'{')?;
    let mut market_ticker = None;
    let mut market_id = None;
    let mut price_dollars = None;
    let mut delta_fp = None;
    let mut side = None;
    let mut client_order_id = None;
    let mut subaccount = None;
    let mut ts = None;
    let mut ts_ms = None;
    if !c.peek_eat(b'}') {
        loop {
            let key = c.plain_bytes()?;
            c.eat(b':')?;
            match key {
                b"market_ticker" => once(&mut market_ticker, c.plain_str()?)?,
                b"market_id" => once(&mut market_id, c.opt_str()?)?,
                b"price_dollars" => once(&mut price_dollars, c.plain_str()?.parse().ok()?)?,
                b"delta_fp" => once(&mut delta_fp, c.plain_str()?.parse().ok()?)?,
                b"side" => once(&mut side, c.plain_str()?)?,
                b"client_order_id" => once(&mut client_order_id, c.opt_str()?)?,
                b"subaccount" => {
                    let v = if c.null() {
                        None
                    } else {
                        Some(u32::try_from(c.u64()?).ok()?)
                    };
                    once(&mut subaccount, v)?
                }
                b"ts" => {
                    let v = match c.opt_str()? {
                        None | Some("") => None,
                        Some(s) => Some(match crate::time::parse_utc_fast(s) {
                            Some(t) => t,
                            None => s.parse::<jiff::Timestamp>().ok()?,
                        }),
                    };
                    once(&mut ts, v)?
                }
                b"ts_ms" => {
                    let v = if c.null() { None } else { Some(c.i64()?) };
                    once(&mut ts_ms, v)?
                }
                _ => c.skip()?,
            }
            if !c.peek_eat(b',') {
                break;
            }
        }
        c.eat(b'}')?;
    }
    Some(OrderbookDelta {
        market_ticker: market_ticker?.to_owned(),
        market_id: market_id.flatten().map(str::to_owned),
        price_dollars: price_dollars?,
        delta_fp: delta_fp?,
        side: OutcomeSide::from_api(side?),
        client_order_id: client_order_id.flatten().map(str::to_owned),
        subaccount: subaccount.flatten(),
        ts: ts.flatten(),
        ts_ms: ts_ms.flatten(),
    })
}

/// The message if `frame` is an `orderbook_delta` of the usual shape, else `None` (see the
/// module docs).
pub(super) fn orderbook_delta(frame: &[u8]) -> Option<StreamMessage> {
    let mut c = Cursor { b: frame, i: 0 };
    c.eat(b'{')?;
    if c.plain_bytes()? != b"type" {
        return None;
    }
    c.eat(b':')?;
    if c.plain_bytes()? != b"orderbook_delta" {
        return None;
    }
    let mut sid = None;
    let mut seq = None;
    let mut msg = None;
    while c.peek_eat(b',') {
        let key = c.plain_bytes()?;
        c.eat(b':')?;
        match key {
            b"sid" => once(&mut sid, c.u64()?)?,
            b"seq" => {
                let v = if c.null() { None } else { Some(c.u64()?) };
                once(&mut seq, v)?
            }
            b"msg" => once(&mut msg, delta(&mut c)?)?,
            _ => return None,
        }
    }
    c.eat(b'}')?;
    c.ws();
    if c.i != frame.len() {
        return None;
    }
    Some(StreamMessage::OrderbookDelta(Data {
        sid: sid?,
        seq: seq.flatten(),
        msg: msg?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SPEC: &str = r#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price":96,"price_dollars":"0.960","delta":-54,"delta_fp":"-54.00","side":"yes","ts":"2022-11-22T20:44:01Z"}}"#;

    #[test]
    fn reads_the_spec_example_as_the_general_path_does() {
        let fast = orderbook_delta(SPEC.as_bytes()).expect("the usual shape");
        assert_eq!(
            Some(fast),
            super::super::parse_general(SPEC.as_bytes()).ok()
        );
    }

    #[test]
    fn gives_up_on_what_it_does_not_take() {
        for frame in [
            // Another type, `type` not first, an `id`, an unknown envelope key.
            r#"{"type":"orderbook_snapshot","sid":2,"seq":3,"msg":{}}"#,
            r#"{"sid":2,"type":"orderbook_delta","seq":3,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","id":1,"sid":2,"seq":3,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","x":1,"sid":2,"seq":3,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            // A key twice, an escape, a non-ASCII byte, a float, a leading zero, a negative sid.
            r#"{"type":"orderbook_delta","sid":2,"sid":2,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":2,"msg":{"market_ticker":"M\u0041","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            "{\"type\":\"orderbook_delta\",\"sid\":2,\"msg\":{\"market_ticker\":\"M\u{e9}\",\"price_dollars\":\"0.5\",\"delta_fp\":\"1\",\"side\":\"yes\"}}",
            r#"{"type":"orderbook_delta","sid":2,"msg":{"market_ticker":"M","price":9.6,"price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":02,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":-2,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            // Missing or mistyped payload fields, a count as a number, a nested unknown value.
            r#"{"type":"orderbook_delta","sid":2,"msg":{"price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":2,"msg":{"market_ticker":"M","price_dollars":"x","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":2,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":1,"side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":2,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes","x":[1]}}"#,
            // Trailing bytes, no sid, no msg.
            r#"{"type":"orderbook_delta","sid":2,"msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}} x"#,
            r#"{"type":"orderbook_delta","msg":{"market_ticker":"M","price_dollars":"0.5","delta_fp":"1","side":"yes"}}"#,
            r#"{"type":"orderbook_delta","sid":2}"#,
        ] {
            assert_eq!(orderbook_delta(frame.as_bytes()), None, "{frame}");
        }
    }

    /// One payload field: its key and value text, or a wrong or unusual one.
    fn field() -> impl Strategy<Value = (String, String)> {
        let s = prop_oneof![
            4 => "[A-Z0-9.-]{0,12}".prop_map(|s| format!("\"{s}\"")),
            1 => "[ -~\\\\é]{0,6}".prop_map(|s| format!("\"{s}\"")),
            1 => Just("null".to_owned()),
        ];
        let num = prop_oneof![
            Just("\"0.5\"".to_owned()),
            "-?[0-9]{0,3}(\\.[0-9]{0,7})?".prop_map(|s| format!("\"{s}\"")),
            "-?[0-9]{1,21}".prop_map(|s| s),
            Just("1.5".to_owned()),
            Just("null".to_owned()),
        ];
        let int = prop_oneof![
            "-?[0-9]{1,21}",
            Just("null".to_owned()),
            Just("1e3".to_owned()),
            Just("\"7\"".to_owned()),
        ];
        let ts = prop_oneof![
            Just("\"2026-12-04T14:30:00Z\"".to_owned()),
            Just("\"2026-12-04T14:30:00.123+01:00\"".to_owned()),
            Just("\"\"".to_owned()),
            Just("\"2026-02-30T00:00:00Z\"".to_owned()),
            Just("null".to_owned()),
            Just("5".to_owned()),
        ];
        let side = prop_oneof![
            Just("\"yes\"".to_owned()),
            Just("\"no\"".to_owned()),
            Just("\"maybe\"".to_owned()),
            Just("null".to_owned()),
        ];
        let other = prop_oneof![
            Just("1".to_owned()),
            Just("true".to_owned()),
            Just("\"x\"".to_owned()),
            Just("[1,2]".to_owned()),
            Just("{}".to_owned()),
            Just("1.5".to_owned()),
        ];
        prop_oneof![
            s.clone().prop_map(|v| ("market_ticker".to_owned(), v)),
            s.clone().prop_map(|v| ("market_id".to_owned(), v)),
            num.clone().prop_map(|v| ("price_dollars".to_owned(), v)),
            num.prop_map(|v| ("delta_fp".to_owned(), v)),
            side.prop_map(|v| ("side".to_owned(), v)),
            s.prop_map(|v| ("client_order_id".to_owned(), v)),
            int.clone().prop_map(|v| ("subaccount".to_owned(), v)),
            ts.prop_map(|v| ("ts".to_owned(), v)),
            int.prop_map(|v| ("ts_ms".to_owned(), v)),
            other.prop_map(|v| ("price".to_owned(), v)),
        ]
    }

    fn realistic() -> impl Strategy<Value = Vec<(String, String)>> {
        (
            "[A-Z]{2,8}-[0-9]{2}[A-Z]{3}[0-9]{2}-T[0-9]{1,3}",
            1u64..10_000,
            any::<bool>(),
            -100_000i64..100_000,
            any::<bool>(),
            proptest::option::of(0u32..32),
            0i64..2_000_000_000_000,
        )
            .prop_map(|(ticker, p, deci, d, yes, sub, ms)| {
                let price = if deci {
                    format!("\"0.{:04}\"", p)
                } else {
                    format!("\"0.{:03}\"", p / 10)
                };
                let mut v = vec![
                    ("market_ticker".to_owned(), format!("\"{ticker}\"")),
                    (
                        "market_id".to_owned(),
                        "\"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1\"".to_owned(),
                    ),
                    ("price".to_owned(), (p / 100).to_string()),
                    ("price_dollars".to_owned(), price),
                    ("delta".to_owned(), (d / 100).to_string()),
                    (
                        "delta_fp".to_owned(),
                        format!(
                            "\"{}{}.{:02}\"",
                            if d < 0 { "-" } else { "" },
                            d.abs() / 100,
                            d.abs() % 100
                        ),
                    ),
                    (
                        "side".to_owned(),
                        if yes { "\"yes\"" } else { "\"no\"" }.to_owned(),
                    ),
                    ("ts".to_owned(), "\"2026-12-04T14:30:00Z\"".to_owned()),
                    ("ts_ms".to_owned(), ms.to_string()),
                ];
                if let Some(s) = sub {
                    v.push((
                        "client_order_id".to_owned(),
                        "\"b1c2d3e4-0000-4000-8000-000000000001\"".to_owned(),
                    ));
                    v.push(("subaccount".to_owned(), s.to_string()));
                }
                v
            })
    }

    fn frame(sid: &str, seq: &str, fields: &[(String, String)], ws: &str) -> String {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\"{ws}:{ws}{v}"))
            .collect();
        format!(
            "{{\"type\":\"orderbook_delta\",{ws}\"sid\":{sid},\"seq\":{seq},\"msg\":{ws}{{{}}}{ws}}}",
            body.join(&format!(",{ws}"))
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn realistic_frames_take_the_fast_path_and_read_the_same(
            fields in realistic().prop_shuffle(),
            sid in 0u64..1_000,
            seq in 0u64..1_000_000,
            ws in prop_oneof![Just(""), Just(" "), Just("\n\t")],
        ) {
            let f = frame(&sid.to_string(), &seq.to_string(), &fields, ws);
            let fast = orderbook_delta(f.as_bytes());
            prop_assert!(fast.is_some(), "{}", f);
            prop_assert_eq!(Some(fast.unwrap()), super::super::parse_general(f.as_bytes()).ok());
        }

        #[test]
        fn whenever_the_fast_path_answers_the_general_one_agrees(
            mut fields in realistic(),
            edits in proptest::collection::vec((field(), any::<bool>()), 0..4),
            drop in proptest::option::of(any::<prop::sample::Index>()),
            sid in prop_oneof![
                8 => (0u64..1_000).prop_map(|n| n.to_string()),
                1 => "[0-9]{1,21}",
                1 => Just("null".to_owned()),
                1 => Just("-1".to_owned()),
            ],
            seq in prop_oneof![
                8 => (0u64..1_000).prop_map(|n| n.to_string()),
                1 => "[0-9]{1,21}",
                1 => Just("null".to_owned()),
                1 => Just("0.5".to_owned()),
            ],
            ws in prop_oneof![Just(""), Just(" ")],
        ) {
            // Odd values in place of the usual ones, keys twice, a field missing.
            for ((key, value), twice) in edits {
                match fields.iter_mut().find(|(k, _)| *k == key) {
                    Some(f) if !twice => f.1 = value,
                    _ => fields.push((key, value)),
                }
            }
            if let Some(i) = drop {
                fields.remove(i.index(fields.len()));
            }
            let f = frame(&sid, &seq, &fields, ws);
            if let Some(fast) = orderbook_delta(f.as_bytes()) {
                prop_assert_eq!(Some(fast), super::super::parse_general(f.as_bytes()).ok(), "{}", f);
            }
        }

        #[test]
        fn plain_len_stops_where_a_byte_loop_does(
            b in proptest::collection::vec(prop_oneof![8 => 0x20u8..0x7f, 1 => any::<u8>()], 0..40),
        ) {
            let naive = b
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c))
                .unwrap_or(b.len());
            prop_assert_eq!(plain_len(&b), naive);
        }

        #[test]
        fn mutated_frames_are_never_read_differently(
            fields in realistic(),
            cut in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            insert in any::<bool>(),
        ) {
            let f = frame("2", "3", &fields, "");
            let mut b = f.into_bytes();
            let i = cut.index(b.len());
            if insert {
                b.insert(i, byte);
            } else {
                b[i] = byte;
            }
            if let Some(fast) = orderbook_delta(&b) {
                prop_assert_eq!(Some(fast), super::super::parse_general(&b).ok());
            }
        }
    }
}
