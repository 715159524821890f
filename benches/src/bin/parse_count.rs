//! `kalshi-parse-count`: parses one of the comparison's market-data bodies a given number of
//! times through `response::parse_response` (what `Client::response`, the typed path of every call,
//! runs), and nothing else, for an
//! instruction count under `valgrind --tool=callgrind` (repeatable on a loaded machine, where
//! wall-clock time is not). BENCHMARKS.md gives the counts and how they were taken.
//!
//! ```text
//! kalshi-parse-count markets|book|markets-serde|book-serde|none [N]
//! ```
//!
//! `markets-serde` and `book-serde` read the same bodies with `serde_json` alone (the general
//! path, without the fast readers); `none` builds the bodies and parses nothing: the count to
//! subtract.

use kalshi_benches::data;
use kalshi_core::market::{
    GetMarketOrderbook, GetMarketOrderbookResponse, GetMarkets, GetMarketsResponse,
};
use kalshi_core::response::parse_response;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "none".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let ok = |b: Vec<u8>| http::Response::builder().status(200).body(b).unwrap();
    let markets = ok(data::markets_json(1_000));
    let book = ok(data::orderbook_json(100));
    for _ in 0..n {
        match what.as_str() {
            "markets" => {
                let r = parse_response::<GetMarkets, _>(&markets).unwrap();
                assert_eq!(std::hint::black_box(r).markets.len(), 1_000);
            }
            "book" => {
                let r = parse_response::<GetMarketOrderbook, _>(&book).unwrap();
                assert_eq!(std::hint::black_box(r).orderbook_fp.yes_dollars.len(), 100);
            }
            "markets-serde" => {
                let r: GetMarketsResponse = serde_json::from_slice(markets.body()).unwrap();
                assert_eq!(std::hint::black_box(r).markets.len(), 1_000);
            }
            "book-serde" => {
                let r: GetMarketOrderbookResponse = serde_json::from_slice(book.body()).unwrap();
                assert_eq!(std::hint::black_box(r).orderbook_fp.yes_dollars.len(), 100);
            }
            "none" => {}
            other => panic!("unknown workload {other:?}: see the usage in the source"),
        }
    }
}
