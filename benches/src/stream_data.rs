//! A recorded order book stream for the delta benchmark: the text frames of one
//! `orderbook_delta` subscription over several markets, deterministic (a seeded generator, no
//! randomness from the OS) and realistic.
//!
//! The recording is what the exchange sends after `subscribe` on `orderbook_delta` with several
//! `market_tickers`: one `orderbook_snapshot` per market, then `orderbook_delta`s, all under one
//! `sid` with `seq` going up by one from frame to frame (the sequence is the subscription's, not
//! the market's). Frames have the shape of the AsyncAPI examples
//! (`asyncapi-2026-03.yaml`, messages `orderbookSnapshot` and `orderbookDelta`): snapshots carry
//! the legacy `yes`/`no` (cents, whole contracts) and `yes_dollars`/`no_dollars` arrays next to
//! the `*_dollars_fp` ones; deltas carry the legacy `price` and `delta` next to
//! `price_dollars` and `delta_fp`, plus `ts` and `ts_ms`, and now and then the
//! `client_order_id` and `subaccount` of an own order. So every parser reads everything a real
//! frame holds.
//!
//! The books: half the markets tick in whole cents (`linear_cent`), half in tenths of a cent
//! (`deci_cent`, sub-penny prices); 30 to 60 levels a side in each snapshot; counts whole or
//! with hundredths. Deltas fall mostly near the top of the book (a geometric pick of the level,
//! the best one most often): contracts added and removed at existing levels, levels that
//! vanish (a delta of minus the whole count) and levels that appear (at a free price that does
//! not cross the other side). A count never goes below zero, so every delta applies cleanly to
//! a correct book.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use kalshi_core::stream::{LocalOrderbook, StreamMessage, message};

use crate::data::{SplitMix, instant};

/// The benchmark's recording: markets in the subscription.
pub const MARKETS: usize = 8;
/// The benchmark's recording: deltas after the snapshots.
pub const DELTAS: usize = 100_000;
/// The benchmark's recording: the generator's seed.
pub const SEED: u64 = 0x6f72_6465_7262_6f6f;
/// The subscription's `sid` in the recording.
pub const SID: u64 = 1;

/// One market's book while generating: price in ten-thousandths of a dollar -> count in
/// hundredths of a contract, per side.
struct Book {
    ticker: String,
    market_id: String,
    /// Price step in ten-thousandths: 100 (whole cents) or 10 (tenths of a cent).
    tick: u64,
    yes: BTreeMap<u64, u64>,
    no: BTreeMap<u64, u64>,
}

impl Book {
    /// `(own side, other side)` for `yes`.
    fn sides(&mut self, yes: bool) -> (&mut BTreeMap<u64, u64>, &BTreeMap<u64, u64>) {
        if yes {
            (&mut self.yes, &self.no)
        } else {
            (&mut self.no, &self.yes)
        }
    }
}

/// A count in hundredths: mostly whole contracts (1 to 2,000, most of them small), a third
/// with hundredths.
fn level_count(rng: &mut SplitMix) -> u64 {
    let whole = match rng.next() % 10 {
        0..=5 => 1 + rng.next() % 100,
        6..=8 => 100 + rng.next() % 900,
        _ => 1_000 + rng.next() % 1_000,
    };
    let frac = if rng.next().is_multiple_of(3) {
        1 + rng.next() % 99
    } else {
        0
    };
    whole * 100 + frac
}

/// A delta's size in hundredths (positive): smaller than a level, whole or fractional.
fn delta_count(rng: &mut SplitMix) -> u64 {
    let whole = match rng.next() % 10 {
        0..=6 => 1 + rng.next() % 25,
        _ => 25 + rng.next() % 300,
    };
    let frac = if rng.next().is_multiple_of(4) {
        1 + rng.next() % 99
    } else {
        0
    };
    whole * 100 + frac
}

/// Writes ten-thousandths of a dollar with `decimals` decimals (3 or 4; 3 only for prices on a
/// tenth-of-a-cent grid).
fn price(out: &mut String, p: u64, decimals: u32) {
    if decimals == 3 {
        let _ = write!(out, "{}.{:03}", p / 10_000, (p % 10_000) / 10);
    } else {
        let _ = write!(out, "{}.{:04}", p / 10_000, p % 10_000);
    }
}

/// Writes a signed count in hundredths as `"-54.00"`.
fn count_fp(out: &mut String, hundredths: i64) {
    let sign = if hundredths < 0 { "-" } else { "" };
    let h = hundredths.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", h / 100, h % 100);
}

/// Writes one side of a snapshot in its three forms (`yes`, `yes_dollars`, `yes_dollars_fp`),
/// ascending by price as in the AsyncAPI example. The legacy forms carry whole cents and whole
/// contracts (rounded down), as the exchange's deprecated fields do.
fn snapshot_side(s: &mut String, name: &str, levels: &BTreeMap<u64, u64>) {
    let _ = write!(s, r#""{name}":["#);
    for (i, (&p, &c)) in levels.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "[{},{}]", p / 100, c / 100);
    }
    let _ = write!(s, r#"],"{name}_dollars":["#);
    for (i, (&p, &c)) in levels.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("[\"");
        price(s, p, 3);
        let _ = write!(s, "\",{}]", c / 100);
    }
    let _ = write!(s, r#"],"{name}_dollars_fp":["#);
    for (i, (&p, &c)) in levels.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("[\"");
        price(s, p, 4);
        s.push_str("\",\"");
        count_fp(s, c as i64);
        s.push_str("\"]");
    }
    s.push(']');
}

/// The `orderbook_snapshot` frame of `book` at `seq`.
fn snapshot_frame(book: &Book, seq: u64) -> String {
    let mut s = String::with_capacity(8 * 1024);
    let _ = write!(
        s,
        r#"{{"type":"orderbook_snapshot","sid":{SID},"seq":{seq},"msg":{{"market_ticker":"{}","market_id":"{}","#,
        book.ticker, book.market_id
    );
    snapshot_side(&mut s, "yes", &book.yes);
    s.push(',');
    snapshot_side(&mut s, "no", &book.no);
    s.push_str("}}");
    s
}

/// A fresh book around a YES mid price, `tick`-aligned, 30 to 60 levels a side, never crossed
/// (best YES bid + best NO bid < $1).
fn new_book(rng: &mut SplitMix, i: usize, tick: u64) -> Book {
    const SERIES: [&str; 4] = [
        "KXHIGHNY-26DEC05-T",
        "KXBTCD-26DEC0517-T",
        "KXCPI-26DEC-T",
        "KXNBAGAME-26DEC05LALBOS-",
    ];
    let series = SERIES[i % SERIES.len()];
    let ticker = if series.ends_with('-') {
        let team = if (i / 4).is_multiple_of(2) {
            "LAL"
        } else {
            "BOS"
        };
        format!("{series}{team}")
    } else {
        format!("{series}{}", 40 + 7 * i)
    };
    let mut market_id = String::new();
    rng.uuid(&mut market_id);
    let mut book = Book {
        ticker,
        market_id,
        tick,
        yes: BTreeMap::new(),
        no: BTreeMap::new(),
    };
    // Best YES bid between $0.35 and $0.65, the spread one to four ticks: room for at least
    // 30 levels a side even on a whole-cent grid.
    let best_yes = (3_500 + rng.next() % 3_001) / tick * tick;
    let best_no = 10_000 - best_yes - tick * (1 + rng.next() % 4);
    for (yes, best) in [(true, best_yes), (false, best_no)] {
        let room = best / tick - 1;
        let levels = (30 + rng.next() % 31).min(room);
        let (side, _) = book.sides(yes);
        let mut p = best;
        while (side.len() as u64) < levels {
            side.insert(p, level_count(rng));
            // Whole cents: every cent (prices are scarce). Tenths of a cent: adjacent ticks
            // near the top, wider gaps further down, as long as the prices last.
            let left = levels - side.len() as u64;
            let wide = if tick == 100 || side.len() < 10 { 1 } else { 4 };
            let gap =
                (1 + rng.next() % wide).min(((p / tick).saturating_sub(1) / left.max(1)).max(1));
            p -= gap * tick;
        }
    }
    book
}

/// How far from the top a delta lands: 0 (the best level) most often, geometric.
fn depth_pick(rng: &mut SplitMix, len: usize) -> usize {
    let mut d = 0;
    while d + 1 < len && rng.next() % 100 < 45 {
        d += 1;
    }
    d
}

/// The recorded stream: `markets` snapshots, then `deltas` deltas, as text frames (one JSON
/// document each, no newline inside), `seq` from 1 up by one. The same `seed` gives the same
/// bytes on every machine.
pub fn orderbook_stream(markets: usize, deltas: usize, seed: u64) -> Vec<String> {
    let mut rng = SplitMix(seed);
    let mut books: Vec<Book> = (0..markets)
        .map(|i| new_book(&mut rng, i, if i % 2 == 0 { 100 } else { 10 }))
        .collect();
    let mut frames = Vec::with_capacity(markets + deltas);
    let mut seq = 0;
    for book in &books {
        seq += 1;
        frames.push(snapshot_frame(book, seq));
    }
    // 2026-12-04T14:30:00Z, then a few milliseconds between deltas.
    let day_start_ms: u64 = 1_796_342_400_000;
    let mut ms: u64 = 14 * 3_600_000 + 30 * 60_000;
    while frames.len() < markets + deltas {
        ms += rng.next() % 40;
        // A few markets are busier than the others.
        let m = match rng.next() % 4 {
            0 => 0,
            _ => (rng.next() % books.len() as u64) as usize,
        };
        let yes = rng.next().is_multiple_of(2);
        let book = &mut books[m];
        let tick = book.tick;
        let (side, other) = book.sides(yes);
        let other_best = other.keys().next_back().copied().unwrap_or(0);
        // The highest price this side may bid without crossing the other side.
        let ceiling = (10_000 - other_best - tick) / tick * tick;
        let kind = rng.next() % 100;
        let (p, d): (u64, i64) = if side.len() < 20 && kind < 50 || side.is_empty() || kind < 10 {
            // A level appears: at a free price near the top (improving the best bid at times).
            let best = side.keys().next_back().copied().unwrap_or(ceiling / 2);
            let top = (best + 2 * tick).min(ceiling);
            let span = (top / tick).min(12);
            let mut p = top - tick * (rng.next() % span.max(1));
            while side.contains_key(&p) && p > tick {
                p -= tick;
            }
            if side.contains_key(&p) || p == 0 {
                continue;
            }
            (p, delta_count(&mut rng) as i64)
        } else {
            let i = side.len() - 1 - depth_pick(&mut rng, side.len());
            let (&p, &c) = side.iter().nth(i).expect("index in range");
            if side.len() > 70 && kind < 40 || kind < 20 {
                // A level vanishes.
                (p, -(c as i64))
            } else if kind < 60 {
                (p, delta_count(&mut rng) as i64)
            } else {
                // Contracts removed, never more than rest there.
                (p, -(delta_count(&mut rng).min(c) as i64))
            }
        };
        let now = side.get(&p).copied().unwrap_or(0) as i64 + d;
        debug_assert!(now >= 0);
        if now == 0 {
            side.remove(&p);
        } else {
            side.insert(p, now as u64);
        }
        seq += 1;
        let mut s = String::with_capacity(360);
        let _ = write!(
            s,
            r#"{{"type":"orderbook_delta","sid":{SID},"seq":{seq},"msg":{{"market_ticker":"{}","market_id":"{}","price":{},"price_dollars":""#,
            book.ticker,
            book.market_id,
            p / 100
        );
        price(&mut s, p, 3);
        let _ = write!(s, r#"","delta":{},"delta_fp":""#, d / 100);
        count_fp(&mut s, d);
        let _ = write!(s, r#"","side":"{}""#, if yes { "yes" } else { "no" });
        if rng.next().is_multiple_of(50) {
            s.push_str(r#","client_order_id":""#);
            rng.uuid(&mut s);
            s.push_str(r#"","subaccount":0"#);
        }
        s.push_str(r#","ts":""#);
        instant(&mut s, 337, ms / 1000);
        let _ = write!(s, r#"","ts_ms":{}}}}}"#, day_start_ms + ms);
        frames.push(s);
    }
    frames
}

/// The benchmark's recording ([`MARKETS`], [`DELTAS`], [`SEED`]).
pub fn recording() -> Vec<String> {
    orderbook_stream(MARKETS, DELTAS, SEED)
}

/// The frames one per line (what `kalshi-stream-compare` writes for the peer's driver).
pub fn to_lines(frames: &[String]) -> String {
    let mut out = String::with_capacity(frames.iter().map(|f| f.len() + 1).sum());
    for f in frames {
        out.push_str(f);
        out.push('\n');
    }
    out
}

/// Our side of the benchmark: every frame read by [`kalshi_core::stream::message::parse`] and
/// applied to its market's [`LocalOrderbook`] (a snapshot builds the book with
/// [`LocalOrderbook::from_snapshot`], a delta goes through [`LocalOrderbook::apply`]), with the
/// subscription's `seq` checked to go up by one. What the peer's driver does with its own types.
#[derive(Debug, Clone, Default)]
pub struct Books {
    books: HashMap<String, LocalOrderbook>,
    last_seq: Option<u64>,
}

impl Books {
    /// No books yet.
    pub fn new() -> Self {
        Books::default()
    }

    /// Reads one frame and applies it. A frame that is not a snapshot or delta, a gap in `seq`,
    /// a delta for a market without a snapshot or one the book refuses is an error (none
    /// happens on a recording from [`orderbook_stream`]).
    pub fn apply_frame(&mut self, frame: &[u8]) -> Result<(), String> {
        let seq = match message::parse(frame).map_err(|e| e.to_string())? {
            StreamMessage::OrderbookSnapshot(s) => {
                let book = LocalOrderbook::from_snapshot(&s.msg).map_err(|e| e.to_string())?;
                self.books.insert(s.msg.market_ticker, book);
                s.seq
            }
            StreamMessage::OrderbookDelta(d) => {
                self.books
                    .get_mut(&d.msg.market_ticker)
                    .ok_or_else(|| {
                        format!("delta for {} before its snapshot", d.msg.market_ticker)
                    })?
                    .apply(&d.msg)
                    .map_err(|e| e.to_string())?;
                d.seq
            }
            other => return Err(format!("unexpected `{}` frame", other.kind())),
        };
        if let (Some(last), Some(seq)) = (self.last_seq, seq)
            && seq != last + 1
        {
            return Err(format!("seq {seq} after {last}"));
        }
        self.last_seq = seq.or(self.last_seq);
        Ok(())
    }

    /// The book of a market.
    pub fn book(&self, market_ticker: &str) -> Option<&LocalOrderbook> {
        self.books.get(market_ticker)
    }

    /// The books' contents as one number ([`digest`]), to check that the peer ended with the
    /// same books.
    pub fn digest(&self) -> u64 {
        let mut tickers: Vec<&String> = self.books.keys().collect();
        tickers.sort();
        let mut d = Digest::new();
        for t in tickers {
            let book = &self.books[t];
            d.text(t);
            let mut yes: Vec<_> = book.yes_bids().collect();
            yes.reverse();
            for l in yes {
                d.level(b'y', l.price.micros() / 100, l.count.hundredths());
            }
            let mut no: Vec<_> = book.no_bids().collect();
            no.reverse();
            for l in no {
                d.level(b'n', l.price.micros() / 100, l.count.hundredths());
            }
        }
        d.0
    }
}

/// FNV-1a over the books' canonical text: for each market by ticker, its ticker and a newline,
/// then every level ascending, `y` (YES) or `n` (NO), the price in ten-thousandths of a dollar
/// and the count in hundredths, space-separated, a newline after each. The peer's driver
/// (`benches/compare/pmx_driver.rs`) computes the same.
struct Digest(u64);

impl Digest {
    fn new() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, b: &[u8]) {
        for &c in b {
            self.0 = (self.0 ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn text(&mut self, t: &str) {
        self.bytes(t.as_bytes());
        self.bytes(b"\n");
    }

    fn level(&mut self, side: u8, price: i64, count: i64) {
        self.bytes(format!("{} {price} {count}\n", side as char).as_bytes());
    }
}
