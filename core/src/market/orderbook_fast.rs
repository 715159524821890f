//! A fast reader for the usual shape of `GetMarketOrderbook`'s answer.
//!
//! `{"orderbook_fp":{"yes_dollars":[["0.4900","11.75"],...],"no_dollars":[...]}}`: a book of
//! 100 levels a side is 4 KB of short strings, and the general path (serde, then the error-key
//! scan) spends most of its time on tokens this shape fixes in advance. This reader walks the
//! bytes once and gives up (`None`) on anything else: another key, an escape, a number or a
//! `null` where a string is expected, a malformed price or count. The general parser then
//! decides, so an answer is never read differently, only faster: the property tests in
//! `market::tests` check both readers agree on arbitrary books, whitespace and mutations.

use super::fast_json::Cursor;
use super::{GetMarketOrderbookResponse, Orderbook, PriceLevel};
use crate::fixed_point::{decimal_at, digit_values, digits_value};
use crate::{FixedPointCount, FixedPointDollars};

impl Cursor<'_> {
    /// One level exactly as the exchange writes most of them, `["0.4900","1234.50"]`: a price of
    /// one whole digit and four decimals, a count of 1 to 5 whole digits and two decimals, no
    /// whitespace. Two words, checked and converted at once; `None` hands the level to
    /// [`compact_level`](Self::compact_level).
    fn exchange_level(&mut self) -> Option<PriceLevel> {
        let b: &[u8; 24] = self.b.get(self.i..self.i + 24)?.try_into().ok()?;
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            u64::from_le_bytes(w)
        };
        // `["` then `D.DDDD",` then `"`.
        let price = word(2);
        let (t, not_digit) = digit_values(price);
        if b[..2] != *b"[\""
            || b[10] != b'"'
            || price & 0xFFFF_0000_0000_FF00 != 0x2C22_0000_0000_2E00
            || not_digit & 0x0000_8080_8080_0080 != 0
        {
            return None;
        }
        // The four decimals: pairs, then the pair of pairs.
        let d = (t >> 16) & 0x0F0F_0F0F;
        let d = (d.wrapping_mul(10) + (d >> 8)) & 0x00FF_00FF;
        let micros = (t & 0xFF) * 1_000_000 + ((d & 0xFF) * 100 + (d >> 16)) * 100;
        // The count: whole digits, `.`, two decimals, then `"]`.
        let (t, not_digit) = digit_values(word(11));
        let n = (not_digit.trailing_zeros() / 8) as usize;
        if n == 0
            || n > 5
            || (t >> (8 * n)) as u8 != b'.' ^ 0x30
            || (not_digit >> (8 * (n + 1))) & 0x8080 != 0
            || b[n + 14..n + 16] != *b"\"]"
        {
            return None;
        }
        // The digits with the point taken out (what lies above them is shifted out).
        let below = (1u64 << (8 * n)) - 1;
        let hundredths = digits_value((t & below) | ((t >> 8) & !below), n + 2);
        self.i += n + 16;
        Some(PriceLevel::new(
            FixedPointDollars::from_micros(micros as i64),
            FixedPointCount::from_hundredths(hundredths as i64),
        ))
    }

    /// One level in the compact form the exchange writes, `["0.4900","11.75"]` with no
    /// whitespace, read with fixed byte checks; `None` hands the level to the general steps.
    fn compact_level(&mut self) -> Option<PriceLevel> {
        // One window of bytes the level must fit in (two decimals of up to 16 bytes each and
        // the punctuation), so the checks below are against a fixed length: the last levels
        // of a body take the general steps.
        let b: &[u8; 40] = self.b.get(self.i..self.i + 40)?.try_into().ok()?;
        if b[..2] != *b"[\"" {
            return None;
        }
        let mut i = 2;
        let (price, n) = decimal_at::<6>(&b[i..])?;
        i += n;
        if b.get(i..i + 3)? != b"\",\"" {
            return None;
        }
        i += 3;
        let (count, n) = decimal_at::<2>(&b[i..])?;
        i += n;
        if b.get(i..i + 2)? != b"\"]" {
            return None;
        }
        self.i += i + 2;
        Some(PriceLevel::new(
            FixedPointDollars::from_micros(price),
            FixedPointCount::from_hundredths(count),
        ))
    }

    /// `[["price","count"], ...]`.
    fn levels(&mut self) -> Option<Vec<PriceLevel>> {
        self.eat(b'[')?;
        // About 20 bytes a level: room for the rest of the body in one allocation (the first
        // side gets room for both, the second no less than it needs).
        let mut out = Vec::with_capacity(((self.b.len() - self.i) / 20).clamp(4, 8192));
        if self.peek_eat(b']') {
            return Some(out);
        }
        loop {
            let level = match self.exchange_level().or_else(|| self.compact_level()) {
                Some(level) => level,
                None => {
                    self.eat(b'[')?;
                    let price = FixedPointDollars::from_micros(self.decimal::<6>()?);
                    self.eat(b',')?;
                    let count = FixedPointCount::from_hundredths(self.decimal::<2>()?);
                    self.eat(b']')?;
                    PriceLevel::new(price, count)
                }
            };
            out.push(level);
            if !self.peek_eat(b',') {
                self.eat(b']')?;
                return Some(out);
            }
        }
    }

    /// `{"yes_dollars":[...],"no_dollars":[...]}`, the keys once each, in either order.
    fn book(&mut self) -> Option<Orderbook> {
        self.eat(b'{')?;
        let (mut yes, mut no) = (None, None);
        loop {
            let slot = match self.plain_str()? {
                b"yes_dollars" if yes.is_none() => &mut yes,
                b"no_dollars" if no.is_none() => &mut no,
                _ => return None,
            };
            self.eat(b':')?;
            *slot = Some(self.levels()?);
            if self.peek_eat(b'}') {
                break;
            }
            self.eat(b',')?;
        }
        Some(Orderbook {
            yes_dollars: yes?,
            no_dollars: no?,
        })
    }
}

/// The answer if `body` has exactly the usual shape, else `None`.
pub(super) fn decode(body: &[u8]) -> Option<GetMarketOrderbookResponse> {
    let mut c = Cursor { b: body, i: 0 };
    c.eat(b'{')?;
    if c.plain_str()? != b"orderbook_fp" {
        return None;
    }
    c.eat(b':')?;
    let book = c.book()?;
    c.eat(b'}')?;
    c.ws();
    (c.i == body.len()).then_some(GetMarketOrderbookResponse { orderbook_fp: book })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::response::parse;
    use http::StatusCode;

    use super::super::GetMarketOrderbook;

    /// What the general (serde) path reads.
    fn general(body: &[u8]) -> Option<GetMarketOrderbookResponse> {
        let text = std::str::from_utf8(body).ok()?;
        serde_json::from_str(text).ok()
    }

    fn level() -> impl Strategy<Value = PriceLevel> {
        (0i64..=1_000_000, 0i64..=100_000_000).prop_map(|(p, c)| {
            PriceLevel::new(
                FixedPointDollars::from_micros(p),
                FixedPointCount::from_hundredths(c),
            )
        })
    }

    fn book() -> impl Strategy<Value = GetMarketOrderbookResponse> {
        (
            proptest::collection::vec(level(), 0..40),
            proptest::collection::vec(level(), 0..40),
        )
            .prop_map(|(yes, no)| GetMarketOrderbookResponse {
                orderbook_fp: Orderbook {
                    yes_dollars: yes,
                    no_dollars: no,
                },
            })
    }

    #[test]
    fn reads_the_usual_shape_and_agrees_with_serde() {
        let body = br#"{"orderbook_fp":{"yes_dollars":[["0.0100","5.00"],["0.4900","11.75"]],"no_dollars":[]}}"#;
        let fast = decode(body).expect("the usual shape");
        assert_eq!(Some(fast.clone()), general(body));
        assert_eq!(fast.orderbook_fp.yes_dollars[1].count.hundredths(), 1_175);
        // Through the operation: the same answer.
        assert_eq!(
            parse::<GetMarketOrderbook>(StatusCode::OK, body).unwrap(),
            fast
        );
        // Keys in the other order, whitespace, sub-penny and long decimals.
        let body = b" {\n \"orderbook_fp\" : { \"no_dollars\" : [ [\"0.123456\", \"1\"] ] ,\n\t\"yes_dollars\":[]}}\r\n";
        assert_eq!(decode(body), general(body));
        assert!(decode(body).is_some());
    }

    #[test]
    fn decimals_read_as_the_types_parse_them() {
        for text in [
            "0",
            "0.56",
            "0.5600",
            "0.001234",
            "0.12345600",
            "-3.25",
            "1",
            "10.00",
            "1.5",
            "9223372036854775807",
            "9223372.036854",
            "9223372.036855",
            "00.10",
            "-0",
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "+1",
            "0.0000001",
            "1.001",
            "1e3",
            " 1",
        ] {
            let quoted = format!("\"{text}\"");
            let dollars = Cursor {
                b: quoted.as_bytes(),
                i: 0,
            }
            .decimal::<6>();
            let want = text
                .parse::<FixedPointDollars>()
                .ok()
                .map(FixedPointDollars::micros);
            assert_eq!(dollars, want, "dollars {text:?}");
            let count = Cursor {
                b: quoted.as_bytes(),
                i: 0,
            }
            .decimal::<2>();
            let want = text
                .parse::<FixedPointCount>()
                .ok()
                .map(FixedPointCount::hundredths);
            assert_eq!(count, want, "count {text:?}");
        }
    }

    #[test]
    fn gives_up_on_anything_else() {
        for body in [
            &br#"{"orderbook_fp":{"yes_dollars":null,"no_dollars":[]}}"#[..],
            br#"{"orderbook_fp":{"yes_dollars":[],"no_dollars":[]},"extra":1}"#,
            br#"{"orderbook_fp":{"yes_dollars":[],"no_dollars":[],"yes":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[],"yes_dollars":[],"no_dollars":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[["0.1\u0030","1.00"]],"no_dollars":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[[0.1,"1.00"]],"no_dollars":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[["0.10","1.001"]],"no_dollars":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[["0.10","1.00","x"]],"no_dollars":[]}}"#,
            br#"{"orderbook_fp":{"yes_dollars":[],"no_dollars":[]}} x"#,
            br#"{"code":"not_found","message":"no such market"}"#,
            b"",
            b"{",
        ] {
            assert_eq!(decode(body), None, "{}", String::from_utf8_lossy(body));
        }
        // The general path still reads what it can (null side, unknown key).
        let body = br#"{"orderbook_fp":{"yes_dollars":null,"no_dollars":[]},"extra":1}"#;
        assert!(parse::<GetMarketOrderbook>(StatusCode::OK, body).is_ok());
    }

    proptest! {
        #[test]
        fn any_decimal_text_reads_as_the_types_parse_it(text in "-?[0-9.]{0,24}") {
            let quoted = format!("\"{text}\"");
            let dollars = Cursor { b: quoted.as_bytes(), i: 0 }.decimal::<6>();
            let want = text.parse::<FixedPointDollars>().ok().map(FixedPointDollars::micros);
            prop_assert_eq!(dollars, want);
            let count = Cursor { b: quoted.as_bytes(), i: 0 }.decimal::<2>();
            let want = text.parse::<FixedPointCount>().ok().map(FixedPointCount::hundredths);
            prop_assert_eq!(count, want);
        }

        #[test]
        fn any_book_written_by_serde_is_read_the_same(b in book(), pretty in any::<bool>()) {
            let body = if pretty {
                serde_json::to_vec_pretty(&b).unwrap()
            } else {
                serde_json::to_vec(&b).unwrap()
            };
            prop_assert_eq!(decode(&body), Some(b.clone()));
            prop_assert_eq!(general(&body), Some(b));
        }

        #[test]
        fn books_in_the_exchange_form_read_as_serde_reads_them(
            levels in proptest::collection::vec((0i64..=10_000, 0i64..=10_000_000), 0..30),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..2),
        ) {
            // Prices to the hundredth of a cent, counts up to 100,000 contracts: the form the
            // exchange writes, which the two-word level reader takes.
            let levels: Vec<PriceLevel> = levels
                .into_iter()
                .map(|(p, c)| PriceLevel::new(
                    FixedPointDollars::from_micros(p * 100),
                    FixedPointCount::from_hundredths(c),
                ))
                .collect();
            let b = GetMarketOrderbookResponse {
                orderbook_fp: Orderbook { yes_dollars: levels.clone(), no_dollars: levels },
            };
            let mut body = serde_json::to_vec(&b).unwrap();
            if edits.is_empty() {
                prop_assert_eq!(decode(&body), Some(b));
            }
            for (at, byte) in edits {
                let i = at.index(body.len());
                body[i] = byte;
            }
            if let Some(fast) = decode(&body) {
                prop_assert_eq!(Some(fast), general(&body));
            }
        }

        #[test]
        fn a_mutated_body_is_refused_or_read_as_serde_reads_it(
            b in book(),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let mut body = serde_json::to_vec(&b).unwrap();
            for (at, byte) in edits {
                let i = at.index(body.len());
                body[i] = byte;
            }
            if let Some(fast) = decode(&body) {
                prop_assert_eq!(Some(fast), general(&body));
            }
            // And the operation never panics and agrees with serde where serde reads it.
            let got = parse::<GetMarketOrderbook>(StatusCode::OK, &body).ok();
            if let Some(g) = general(&body) {
                prop_assert_eq!(got, Some(g));
            }
        }
    }
}
