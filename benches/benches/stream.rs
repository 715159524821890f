//! Our side of the order book delta benchmark (`benches/compare/stream.sh` puts it next to a
//! peer): the recorded stream of `kalshi_benches::stream_data`, 10,000 deltas over 8 markets,
//! read and applied to the local books; and the two halves apart (reading the frames only,
//! applying already read deltas only). Throughput is in deltas.

use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use kalshi_benches::stream_data::{self, Books};
use kalshi_core::stream::{LocalOrderbook, StreamMessage, message};
use std::collections::HashMap;
use std::hint::black_box;

const DELTAS: usize = 10_000;

fn stream(c: &mut Criterion) {
    let frames = stream_data::orderbook_stream(stream_data::MARKETS, DELTAS, stream_data::SEED);
    let (snapshots, deltas) = frames.split_at(stream_data::MARKETS);
    let mut start = Books::new();
    for f in snapshots {
        start.apply_frame(f.as_bytes()).unwrap();
    }

    let mut g = c.benchmark_group("orderbook_delta 10k");
    g.throughput(Throughput::Elements(deltas.len() as u64))
        .measurement_time(Duration::from_secs(8));
    g.bench_function(
        "parse + apply (stream::message::parse, LocalOrderbook::apply)",
        |b| {
            b.iter_batched_ref(
                || start.clone(),
                |books| {
                    for f in deltas {
                        books.apply_frame(black_box(f.as_bytes())).unwrap();
                    }
                },
                BatchSize::LargeInput,
            )
        },
    );
    g.bench_function("parse only (stream::message::parse)", |b| {
        b.iter(|| {
            for f in deltas {
                black_box(message::parse(black_box(f.as_bytes())).unwrap());
            }
        })
    });

    // The deltas already read, applied to books built from the snapshots.
    let read: Vec<_> = deltas
        .iter()
        .map(|f| match message::parse(f.as_bytes()).unwrap() {
            StreamMessage::OrderbookDelta(d) => d.msg,
            other => panic!("not a delta: {other:?}"),
        })
        .collect();
    let books: HashMap<String, LocalOrderbook> = snapshots
        .iter()
        .map(|f| match message::parse(f.as_bytes()).unwrap() {
            StreamMessage::OrderbookSnapshot(s) => (
                s.msg.market_ticker.clone(),
                LocalOrderbook::from_snapshot(&s.msg).unwrap(),
            ),
            other => panic!("not a snapshot: {other:?}"),
        })
        .collect();
    g.bench_function("apply only (LocalOrderbook::apply)", |b| {
        b.iter_batched_ref(
            || books.clone(),
            |books| {
                for d in &read {
                    books
                        .get_mut(&d.market_ticker)
                        .unwrap()
                        .apply(black_box(d))
                        .unwrap();
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, stream);
criterion_main!(benches);
