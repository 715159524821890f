//! `kalshi-stream-compare`: reading and applying order book deltas, this client against a peer
//! that keeps a local book (`kalshi-pmx`), on the same recorded stream, side by side in one run.
//! Usually started by `benches/compare/stream.sh`, which builds the peer's driver first.
//!
//! ```text
//! kalshi-stream-compare [--peer PATH] [--peer-name NAME] [--out DIR]
//!                       [--rounds N] [--replays K] [--deltas N]
//! ```
//!
//! Writes the recording (`kalshi_benches::stream_data`, deterministic) to
//! `DIR/orderbook_stream.jsonl`, then runs N rounds (default 5). In each, K replays (default 3)
//! of ours, then the peer's driver (`PATH RECORDING MARKETS K`) for K replays of its own. A
//! replay builds the books from the snapshots (not timed) and times every delta: the frame
//! read, applied to its market's book, `seq` checked. Both sides must end with the same books
//! (a digest of every level), or the run stops. Prints a Markdown table: the median time of a
//! replay over all replays of each side, the deltas per second that makes on one core (each
//! side is one thread), and the ratio of the medians next to the median of the per-round
//! ratios. Without `--peer`, ours only.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use kalshi_benches::stream_data::{self, Books};
use kalshi_benches::timing::median;

struct Args {
    peer: Option<PathBuf>,
    peer_name: String,
    out: PathBuf,
    rounds: usize,
    replays: usize,
    deltas: usize,
}

fn args() -> Args {
    let mut a = Args {
        peer: None,
        peer_name: "peer".into(),
        out: PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/stream-compare"
        )),
        rounds: 5,
        replays: 3,
        deltas: stream_data::DELTAS,
    };
    let mut it = std::env::args().skip(1);
    let number = |v: Option<String>, what: &str| -> usize {
        v.and_then(|v| v.parse().ok())
            .filter(|&n| n >= 1)
            .unwrap_or_else(|| panic!("{what} N (N >= 1)"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--peer" => a.peer = it.next().map(PathBuf::from),
            "--peer-name" => a.peer_name = it.next().expect("--peer-name NAME"),
            "--out" => a.out = it.next().map(PathBuf::from).expect("--out DIR"),
            "--rounds" => a.rounds = number(it.next(), "--rounds"),
            "--replays" => a.replays = number(it.next(), "--replays"),
            "--deltas" => a.deltas = number(it.next(), "--deltas"),
            "-h" | "--help" => {
                println!(
                    "kalshi-stream-compare [--peer PATH] [--peer-name NAME] [--out DIR] [--rounds N] [--replays K] [--deltas N]"
                );
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// One replay of ours: the books from the snapshots, then the deltas timed. Nanoseconds and
/// the books' digest.
fn replay_ours(snapshots: &[String], deltas: &[String]) -> (u128, u64) {
    let mut books = Books::new();
    for f in snapshots {
        books.apply_frame(f.as_bytes()).expect("a snapshot");
    }
    let start = Instant::now();
    for f in deltas {
        if let Err(e) = books.apply_frame(f.as_bytes()) {
            panic!("our side refused a delta: {e}\n{f}");
        }
    }
    let ns = start.elapsed().as_nanos();
    (ns, std::hint::black_box(&books).digest())
}

/// The peer's driver for `replays` replays: its times and digest.
fn replay_peer(
    peer: &PathBuf,
    recording: &PathBuf,
    markets: usize,
    replays: usize,
) -> (Vec<f64>, u64) {
    let out = Command::new(peer)
        .arg(recording)
        .arg(markets.to_string())
        .arg(replays.to_string())
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", peer.display()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the peer's driver failed ({}): {}{}",
        out.status,
        text,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut digest = None;
    let mut ns = Vec::new();
    for line in text.lines() {
        if let Some(d) = line.strip_prefix("digest ") {
            digest = u64::from_str_radix(d.trim(), 16).ok();
        } else if let Some(t) = line.strip_prefix("ns ") {
            ns = t
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
        }
    }
    assert_eq!(ns.len(), replays, "the peer's driver said: {text}");
    (ns, digest.expect("the peer's digest"))
}

/// A duration in ns, readable.
fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Deltas per second, readable.
fn rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.2} M/s", per_s / 1e6)
    } else {
        format!("{:.0} k/s", per_s / 1e3)
    }
}

fn main() {
    let a = args();
    std::fs::create_dir_all(&a.out).expect("the output dir");
    let frames = stream_data::orderbook_stream(stream_data::MARKETS, a.deltas, stream_data::SEED);
    let recording = a.out.join("orderbook_stream.jsonl");
    std::fs::write(&recording, stream_data::to_lines(&frames)).expect("writing the recording");
    let (snapshots, deltas) = frames.split_at(stream_data::MARKETS);
    let bytes: usize = deltas.iter().map(String::len).sum();
    eprintln!(
        "recording: {} markets, {} deltas ({:.1} MB, {} bytes a delta on average) in {}",
        stream_data::MARKETS,
        deltas.len(),
        bytes as f64 / 1e6,
        bytes / deltas.len(),
        recording.display()
    );

    let mut ours = Vec::new();
    let mut peer = Vec::new();
    let mut round_ratios = Vec::new();
    for round in 1..=a.rounds {
        let mut mine = Vec::new();
        for _ in 0..a.replays {
            let (ns, digest) = replay_ours(snapshots, deltas);
            mine.push(ns as f64);
            ours.push((ns as f64, digest));
        }
        let line = format!("round {round}: ours {}", human(median(&mine)));
        if let Some(p) = &a.peer {
            let (theirs, digest) = replay_peer(p, &recording, stream_data::MARKETS, a.replays);
            assert_eq!(
                digest, ours[0].1,
                "the peer ended with other books than ours: not the same work"
            );
            round_ratios.push(median(&theirs) / median(&mine));
            eprintln!(
                "{line}, {} {} ({:.2}x)",
                a.peer_name,
                human(median(&theirs)),
                round_ratios[round_ratios.len() - 1]
            );
            peer.extend(theirs);
        } else {
            eprintln!("{line}");
        }
    }
    assert!(
        ours.iter().all(|o| o.1 == ours[0].1),
        "our books differ between replays"
    );

    let n = deltas.len() as f64;
    let ours_ns: Vec<f64> = ours.iter().map(|o| o.0).collect();
    let ours_med = median(&ours_ns);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "| parse + apply {} order book deltas ({} markets, one subscription) | replays | median per replay | per delta | deltas/s (one core) | ratio (peer time ÷ ours) |",
        deltas.len(),
        stream_data::MARKETS
    );
    let _ = writeln!(t, "|---|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        t,
        "| ours: `stream::message::parse` + `LocalOrderbook::apply` | {} | {} | {} | {} | 1.00× |",
        ours_ns.len(),
        human(ours_med),
        human(ours_med / n),
        rate(n / ours_med * 1e9)
    );
    if !peer.is_empty() {
        let peer_med = median(&peer);
        let _ = writeln!(
            t,
            "| {}: `StreamMessage::parse_text` + `LiveOrderbook::apply_message` | {} | {} | {} | {} | {:.2}× (per round: median {:.2}×, {:.2}–{:.2}×) |",
            a.peer_name,
            peer.len(),
            human(peer_med),
            human(peer_med / n),
            rate(n / peer_med * 1e9),
            peer_med / ours_med,
            median(&round_ratios),
            round_ratios.iter().copied().fold(f64::INFINITY, f64::min),
            round_ratios.iter().copied().fold(0.0, f64::max),
        );
        let verdict = if peer_med / ours_med >= 2.0 {
            "met"
        } else {
            "not met"
        };
        let _ = writeln!(
            t,
            "\nTarget: ours at least 2× the peer's throughput: **{verdict}** ({:.2}×). Both sides ended with the same books (digest {:016x}).",
            peer_med / ours_med,
            ours[0].1
        );
    }
    print!("{t}");
    std::fs::write(a.out.join("table.md"), &t).expect("writing table.md");
}
