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
//! replay over all replays of each side, by wall clock and by the thread's CPU time (which a
//! machine shared with other work does not inflate; the verdict uses it), the deltas per
//! second that makes on one core (each side is one thread), and the ratios of the medians;
//! below it the per-round ratios. Without `--peer`, ours only.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use kalshi_benches::sign_time::thread_cpu_ns;
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

/// One side's replays: wall-clock and CPU time of each, in nanoseconds.
#[derive(Default)]
struct Times {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

/// One replay of ours: the books from the snapshots, then the deltas timed. Wall-clock and CPU
/// nanoseconds, and the books' digest.
fn replay_ours(snapshots: &[String], deltas: &[String]) -> (f64, Option<f64>, u64) {
    let mut books = Books::new();
    for f in snapshots {
        books.apply_frame(f.as_bytes()).expect("a snapshot");
    }
    let cpu = thread_cpu_ns();
    let start = Instant::now();
    for f in deltas {
        if let Err(e) = books.apply_frame(f.as_bytes()) {
            panic!("our side refused a delta: {e}\n{f}");
        }
    }
    let wall = start.elapsed().as_nanos() as f64;
    let cpu = cpu.zip(thread_cpu_ns()).map(|(a, b)| (b - a) as f64);
    (wall, cpu, std::hint::black_box(&books).digest())
}

/// The peer's driver for `replays` replays: its times and digest.
fn replay_peer(
    peer: &PathBuf,
    recording: &PathBuf,
    markets: usize,
    replays: usize,
) -> (Times, u64) {
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
    let mut t = Times::default();
    let numbers = |s: &str| -> Vec<f64> {
        s.split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    for line in text.lines() {
        if let Some(d) = line.strip_prefix("digest ") {
            digest = u64::from_str_radix(d.trim(), 16).ok();
        } else if let Some(n) = line.strip_prefix("ns ") {
            t.wall = numbers(n);
        } else if let Some(n) = line.strip_prefix("cpu ") {
            t.cpu = numbers(n);
        }
    }
    assert_eq!(t.wall.len(), replays, "the peer's driver said: {text}");
    (t, digest.expect("the peer's digest"))
}

/// A duration in ns, readable.
fn human(ns: f64) -> String {
    if ns.is_nan() {
        "–".into()
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Deltas per second, readable.
fn rate(per_s: f64) -> String {
    if per_s.is_nan() {
        "–".into()
    } else if per_s >= 1e6 {
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

    let mut ours = Times::default();
    let mut peer = Times::default();
    let mut digest = None;
    let (mut wall_ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
    for round in 1..=a.rounds {
        let mut mine = Times::default();
        for _ in 0..a.replays {
            let (wall, cpu, d) = replay_ours(snapshots, deltas);
            assert_eq!(
                *digest.get_or_insert(d),
                d,
                "our books differ between replays"
            );
            mine.wall.push(wall);
            mine.cpu.extend(cpu);
        }
        let line = format!(
            "round {round}: ours {} wall, {} CPU",
            human(median(&mine.wall)),
            human(median(&mine.cpu))
        );
        if let Some(p) = &a.peer {
            let (theirs, d) = replay_peer(p, &recording, stream_data::MARKETS, a.replays);
            assert_eq!(
                Some(d),
                digest,
                "the peer ended with other books than ours: not the same work"
            );
            wall_ratios.push(median(&theirs.wall) / median(&mine.wall));
            cpu_ratios.push(median(&theirs.cpu) / median(&mine.cpu));
            eprintln!(
                "{line}; {} {} wall, {} CPU ({:.2}x wall, {:.2}x CPU)",
                a.peer_name,
                human(median(&theirs.wall)),
                human(median(&theirs.cpu)),
                wall_ratios[wall_ratios.len() - 1],
                cpu_ratios[cpu_ratios.len() - 1],
            );
            peer.wall.extend(theirs.wall);
            peer.cpu.extend(theirs.cpu);
        } else {
            eprintln!("{line}");
        }
        ours.wall.extend(mine.wall);
        ours.cpu.extend(mine.cpu);
    }

    let n = deltas.len() as f64;
    let spread = |r: &[f64]| {
        format!(
            "{:.2}× ({:.2}–{:.2}×)",
            median(r),
            r.iter().copied().fold(f64::INFINITY, f64::min),
            r.iter().copied().fold(0.0, f64::max)
        )
    };
    let mut t = String::new();
    let _ = writeln!(
        t,
        "| parse + apply {} deltas ({} markets, one subscription), {} rounds × {} replays a side | median per replay, wall / CPU | per delta (CPU) | deltas/s on one core (CPU) | peer ÷ ours, wall | peer ÷ ours, CPU |",
        deltas.len(),
        stream_data::MARKETS,
        a.rounds,
        a.replays
    );
    let _ = writeln!(t, "|---|---:|---:|---:|---:|---:|");
    let row = |t: &mut String, who: &str, x: &Times, wall: &str, cpu: &str| {
        let (w, c) = (median(&x.wall), median(&x.cpu));
        let _ = writeln!(
            t,
            "| {who} | {} / {} | {} | {} | {wall} | {cpu} |",
            human(w),
            human(c),
            human(c / n),
            rate(n / c * 1e9)
        );
    };
    row(
        &mut t,
        "ours: `stream::message::parse` + `LocalOrderbook::apply`",
        &ours,
        "1.00×",
        "1.00×",
    );
    if a.peer.is_some() {
        let (wall, cpu) = (
            median(&peer.wall) / median(&ours.wall),
            median(&peer.cpu) / median(&ours.cpu),
        );
        row(
            &mut t,
            &format!(
                "{}: `StreamMessage::parse_text` + `LiveOrderbook::apply_message`",
                a.peer_name
            ),
            &peer,
            &format!("**{wall:.2}×**"),
            &format!("**{cpu:.2}×**"),
        );
        let verdict = if cpu >= 2.0 { "met" } else { "not met" };
        let _ = writeln!(
            t,
            "\nRatios of the medians over all replays; per round (median, range): wall {}, CPU {}. Target: at least 2× the peer's throughput (CPU time, which a loaded machine does not inflate): **{verdict}**. Both sides ended with the same books (digest {:016x}).",
            spread(&wall_ratios),
            spread(&cpu_ratios),
            digest.unwrap_or(0)
        );
    }
    print!("{t}");
    std::fs::write(a.out.join("table.md"), &t).expect("writing table.md");
}
