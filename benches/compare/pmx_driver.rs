//! The peer's side of the order book delta benchmark: `kalshi-pmx`'s stream parser and local
//! book, fed the recorded frames. Not part of the workspace: `benches/compare/stream.sh` copies
//! this file into a scratch cargo project under the target dir (`src/main.rs`) that depends on
//! `kalshi-pmx` from crates.io, builds it in release and hands its path to
//! `kalshi-stream-compare`. Our code, written against `kalshi-pmx`'s public API.
//!
//! ```text
//! pmx-driver RECORDING MARKETS REPLAYS
//! ```
//!
//! RECORDING has one text frame a line (written by `kalshi-stream-compare`): MARKETS
//! snapshots, then the deltas. Each replay builds the books from the snapshots (not timed),
//! then times the deltas: every frame read by `StreamMessage::parse_text` and applied with
//! `LiveOrderbook::apply_message` to its market's book, the subscription's `seq` checked to go
//! up by one, exactly as our side does with its own types. Prints `digest <hex>` (the books at
//! the end, see `kalshi_benches::stream_data::Books::digest`), `ns <wall-clock time of each
//! replay>` and `cpu <the thread's CPU time of each replay>` (Linux's
//! `/proc/thread-self/schedstat`; `cpu` is left out where it cannot be read).
//!
//! One detail: `LiveOrderbook` checks that `seq` goes up by one within the book, but the
//! exchange numbers a subscription's messages, not a market's, so with several markets in one
//! subscription every book sees gaps. The driver checks `seq` per subscription (as our side
//! does) and sets the book's `last_seq` to the previous number before applying, so the book's
//! own check runs and passes.

use std::collections::HashMap;
use std::time::Instant;

use kalshi_pmx::ws::{LiveOrderbook, StreamMessage};

fn apply(
    books: &mut HashMap<String, LiveOrderbook>,
    last_seq: &mut Option<u64>,
    frame: &str,
) -> Result<(), String> {
    let message = StreamMessage::parse_text(frame).map_err(|e| e.to_string())?;
    let (ticker, seq) = match &message {
        StreamMessage::OrderbookSnapshot(s) => (&s.msg.market_ticker, s.seq),
        StreamMessage::OrderbookDelta(d) => (&d.msg.market_ticker, d.seq),
        _ => return Err(format!("unexpected frame {frame}")),
    };
    if let (Some(last), Some(seq)) = (*last_seq, seq)
        && seq != last + 1
    {
        return Err(format!("seq {seq} after {last}"));
    }
    let book = match &message {
        StreamMessage::OrderbookSnapshot(_) => books.entry(ticker.clone()).or_default(),
        _ => books
            .get_mut(ticker)
            .ok_or_else(|| format!("delta for {ticker} before its snapshot"))?,
    };
    book.last_seq = *last_seq;
    book.apply_message(&message).map_err(|e| e.to_string())?;
    *last_seq = seq.or(*last_seq);
    Ok(())
}

/// FNV-1a over the books' canonical text (the same as `Books::digest` on our side).
fn digest(books: &HashMap<String, LiveOrderbook>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut bytes = |b: &[u8]| {
        for &c in b {
            h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    let mut tickers: Vec<&String> = books.keys().collect();
    tickers.sort();
    for t in tickers {
        let book = &books[t];
        bytes(t.as_bytes());
        bytes(b"\n");
        for (side, levels) in [('y', book.yes()), ('n', book.no())] {
            for (price, count) in levels {
                // FixedPoint is ten-thousandths: the price as is, the count in hundredths.
                bytes(format!("{side} {} {}\n", price.raw(), count.raw() / 100).as_bytes());
            }
        }
    }
    h
}

/// CPU time this thread has run so far, in nanoseconds (Linux), as our side reads it.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("pmx-driver RECORDING MARKETS REPLAYS");
        std::process::exit(2);
    }
    let text = std::fs::read_to_string(&args[1]).expect("the recording");
    let markets: usize = args[2].parse().expect("MARKETS");
    let replays: usize = args[3].parse().expect("REPLAYS");
    let frames: Vec<&str> = text.lines().collect();
    let (snapshots, deltas) = frames.split_at(markets);
    let mut times = Vec::with_capacity(replays);
    let mut cpu = Vec::with_capacity(replays);
    let mut last_digest = None;
    for _ in 0..replays {
        let mut books = HashMap::new();
        let mut last_seq = None;
        for f in snapshots {
            apply(&mut books, &mut last_seq, f).expect("a snapshot");
        }
        let cpu_start = thread_cpu_ns();
        let start = Instant::now();
        for f in deltas {
            if let Err(e) = apply(&mut books, &mut last_seq, f) {
                eprintln!("pmx-driver: {e}");
                std::process::exit(1);
            }
        }
        times.push(start.elapsed().as_nanos());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_ns()) {
            cpu.push(b - a);
        }
        last_digest = Some(digest(&books));
        std::hint::black_box(&books);
    }
    println!("digest {:016x}", last_digest.unwrap_or(0));
    let times: Vec<String> = times.iter().map(u128::to_string).collect();
    println!("ns {}", times.join(" "));
    if cpu.len() == replays {
        let cpu: Vec<String> = cpu.iter().map(u64::to_string).collect();
        println!("cpu {}", cpu.join(" "));
    }
}
