//! `kalshi-compare`: this client and the official Python SDK on the same workloads, in one run,
//! printed as one table of medians and ratios. Usually started by `benches/compare/run.sh`,
//! which makes the Python environment first.
//!
//! ```text
//! kalshi-compare [--python PATH] [--script PATH] [--out DIR] [--quick] [--no-openssl]
//!                [--default-build PATH] [--sign-rounds N]
//! kalshi-compare --sign-only [--quick]
//! ```
//!
//! Without `--python` (or if the SDK cannot be imported) the Python columns are left empty.
//! `--default-build PATH` names a `kalshi-compare` built with no features (the transports'
//! defaults); its `--sign-only` mode is run in every sign round, next to `openssl speed` (see
//! `kalshi_benches::sign_time`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kalshi_benches::data;
use kalshi_benches::server::FixedServer;
use kalshi_benches::sign_time;
use kalshi_benches::signers::{self, ConstSigner, CountingSigner};
use kalshi_benches::timing::{Summary, measure, median, percentile};
use kalshi_core::auth::{SignAheadConfig, SignAheadPool, Signer};
use kalshi_core::market::{GetMarketOrderbook, GetMarkets};
use kalshi_core::order_groups::{
    CreateOrderGroup, GetOrderGroup, GetOrderGroupResponse, GetOrderGroups, GetOrderGroupsResponse,
};
use kalshi_core::{Client, Credentials, Environment, Timestamp};
use kalshi_transport_hyper::AsyncClient;
use kalshi_transport_ureq::BlockingClient;
use serde_json::Value;

/// The list answer with borrowed ids: what zero-copy response types would cost.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct BorrowedGroup<'a> {
    #[serde(borrow)]
    id: &'a str,
    #[serde(borrow, default)]
    contracts_limit_fp: Option<&'a str>,
    is_auto_cancel_enabled: bool,
    #[serde(default)]
    exchange_index: Option<kalshi_core::ExchangeIndex>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct BorrowedGroups<'a> {
    #[serde(borrow)]
    order_groups: Vec<BorrowedGroup<'a>>,
}

const TS: Timestamp = sign_time::TS;

struct Args {
    python: Option<PathBuf>,
    script: PathBuf,
    out: PathBuf,
    quick: bool,
    openssl: bool,
    default_build: Option<PathBuf>,
    sign_rounds: usize,
    sign_only: bool,
}

fn args() -> Args {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        python: None,
        script: root.join("compare/sdk_bench.py"),
        out: root.join("../target/compare"),
        quick: false,
        openssl: true,
        default_build: None,
        sign_rounds: 5,
        sign_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--python" => a.python = it.next().map(PathBuf::from),
            "--script" => a.script = it.next().map(PathBuf::from).expect("--script PATH"),
            "--out" => a.out = it.next().map(PathBuf::from).expect("--out DIR"),
            "--quick" => a.quick = true,
            "--no-openssl" => a.openssl = false,
            "--default-build" => a.default_build = it.next().map(PathBuf::from),
            "--sign-rounds" => {
                a.sign_rounds = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--sign-rounds N (N >= 1)")
            }
            "--sign-only" => a.sign_only = true,
            "-h" | "--help" => {
                println!(
                    "kalshi-compare [--python PATH] [--script PATH] [--out DIR] [--quick] [--no-openssl] [--default-build PATH] [--sign-rounds N]\n\
                     kalshi-compare --sign-only [--quick]"
                );
                std::process::exit(0);
            }
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    a
}

/// All measured per-call medians, in nanoseconds, by name.
#[derive(Default)]
struct Results {
    ns: Vec<(String, f64)>,
    notes: Vec<String>,
    sign_rows: Vec<SignRow>,
    sign_rounds: usize,
    /// `openssl speed` medians: wall clock (`-elapsed`), CPU time (its default).
    sign_openssl: (Option<f64>, Option<f64>),
}

impl Results {
    fn put(&mut self, name: &str, s: Summary) {
        eprintln!("  rust {name}: {:.2} us", s.median_ns / 1e3);
        self.ns.push((name.to_owned(), s.median_ns));
    }
    fn put_ns(&mut self, name: &str, ns: f64) {
        eprintln!("  {name}: {:.2} us", ns / 1e3);
        self.ns.push((name.to_owned(), ns));
    }
    fn get(&self, name: &str) -> Option<f64> {
        self.ns.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }
}

fn client_with(base: Environment, signer: Arc<dyn Signer>) -> Client {
    Client::new(base, signers::credentials(signer))
}

fn sign_ahead_hot(quick: bool) -> (f64, f64) {
    let chunk = 1000;
    let chunks = if quick { 20 } else { 200 };
    let pool = SignAheadPool::new(
        signers::credentials(Arc::new(ConstSigner)),
        SignAheadConfig::default()
            .depth(chunk)
            .max_age(Duration::from_secs(3600)),
    );
    let client = Client::new(Environment::Production, pool.credentials());
    let op = CreateOrderGroup::new(100);
    pool.register_op(&client, &op);
    let mut ns = Vec::with_capacity(chunk * chunks);
    for _ in 0..chunks {
        pool.refill(TS).unwrap();
        for _ in 0..chunk {
            let t = Instant::now();
            let req = client.request_presigned(&op, &pool, TS).unwrap();
            ns.push(t.elapsed().as_nanos() as f64);
            drop(req);
        }
    }
    ns.sort_by(f64::total_cmp);
    (percentile(&ns, 50.0), percentile(&ns, 99.0))
}

/// `kalshi-compare --sign-only`: this build's default credentials, one JSON line on stdout.
fn sign_only(a: &Args) {
    let (per, n) = sign_timing(a.quick);
    let t = sign_time::measure_default(per, n);
    eprintln!(
        "  default build: Credentials::from_pem signs with {}: build + sign {:.2} us, sign {:.2} us",
        t.backend,
        t.build_sign_ns / 1e3,
        t.sign_ns / 1e3
    );
    println!("{}", t.to_json_line());
}

fn sign_timing(quick: bool) -> (Duration, usize) {
    if quick {
        (Duration::from_millis(50), 5)
    } else {
        (Duration::from_millis(100), 9)
    }
}

/// One signer timed in every round: raw sign and build + sign, per round.
struct Timed {
    /// Key of the results (`sign {key}`, `build {key}`), or `None` for rows of this table only.
    key: Option<&'static str>,
    label: String,
    credentials: Credentials,
    sign: Vec<sign_time::WallCpu>,
    build: Vec<sign_time::WallCpu>,
}

/// Per-round figures, by wall clock and by CPU time.
#[derive(Default)]
struct Rounds {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

impl Rounds {
    fn of(v: &[sign_time::WallCpu]) -> Self {
        Rounds {
            wall: v.iter().map(|t| t.wall_ns).collect(),
            cpu: v.iter().filter_map(|t| t.cpu_ns).collect(),
        }
    }
}

/// Signing against `openssl speed rsa2048`, side by side: in each round `openssl speed` (by
/// wall clock, `-elapsed`, and by CPU time, its default), the default build (a child process),
/// then this build's backends, one after the other. Our loops record both wall-clock and
/// thread CPU time. Medians over the rounds, and the median of the per-round ratios to openssl:
/// wall clock against `-elapsed`, CPU time against the default. On a machine shared with other
/// work the CPU-time ratio is the steady one (waiting for a core counts on neither side).
fn sign_comparison(r: &mut Results, a: &Args) {
    let (per, n) = sign_timing(a.quick);
    let secs = if a.quick { 1 } else { 2 };
    let rounds = if a.quick { 1 } else { a.sign_rounds };
    let mut openssl = Rounds::default();
    let mut default_build: Vec<sign_time::SignTimes> = Vec::new();
    let mut timed: Vec<Timed> = vec![Timed {
        key: None,
        label: format!(
            "this binary's `Credentials::from_pem` ({})",
            this_build_features()
        ),
        credentials: sign_time::default_credentials(),
        sign: Vec::new(),
        build: Vec::new(),
    }];
    for (name, signer) in signers::all_signers() {
        let label = match signer.name() {
            n if n.contains("rsa crate") => "`RsaPssSigner` (rsa crate, pure Rust)".to_owned(),
            n if n.contains("aws-lc") => "`AwsLcSigner` (aws-lc-rs)".to_owned(),
            _ => format!("{name}, not a backend of the core"),
        };
        timed.push(Timed {
            key: Some(name),
            label,
            credentials: signers::credentials(signer),
            sign: Vec::new(),
            build: Vec::new(),
        });
    }
    if !a.openssl {
        r.notes.push("openssl speed not run (--no-openssl)".into());
    } else if let Some(v) = sign_time::openssl_version() {
        r.notes.push(format!("openssl: {v}"));
    }
    for round in 1..=rounds {
        eprintln!("sign round {round}/{rounds}:");
        if a.openssl {
            for (elapsed, into) in [(true, &mut openssl.wall), (false, &mut openssl.cpu)] {
                match sign_time::openssl_sign_ns(secs, elapsed) {
                    Some(ns) => {
                        eprintln!(
                            "  openssl speed{} -seconds {secs} rsa2048: {:.2} us",
                            if elapsed { " -elapsed" } else { "" },
                            ns / 1e3
                        );
                        into.push(ns);
                    }
                    None if round == 1 && elapsed => r
                        .notes
                        .push("openssl not found or its output not understood".into()),
                    None => {}
                }
            }
        }
        if let Some(bin) = &a.default_build {
            let mut cmd = Command::new(bin);
            cmd.arg("--sign-only")
                .stderr(std::process::Stdio::inherit());
            if a.quick {
                cmd.arg("--quick");
            }
            match cmd.output() {
                Ok(o) if o.status.success() => {
                    match sign_time::SignTimes::from_output(&String::from_utf8_lossy(&o.stdout)) {
                        Some(t) => default_build.push(t),
                        None => r
                            .notes
                            .push("the default build printed no sign times".into()),
                    }
                }
                Ok(o) => r.notes.push(format!(
                    "the default build's --sign-only failed ({})",
                    o.status
                )),
                Err(e) => r
                    .notes
                    .push(format!("the default build {} not run: {e}", bin.display())),
            }
        }
        for t in &mut timed {
            let sign = sign_time::sign_only(&t.credentials, per, n);
            let build = sign_time::build_sign(t.credentials.clone(), per, n);
            eprintln!(
                "  {} ({}): sign {:.2} us, build + sign {:.2} us (CPU {:.2} us)",
                t.label,
                t.credentials.signer().name(),
                sign.wall_ns / 1e3,
                build.wall_ns / 1e3,
                build.cpu_ns.unwrap_or(f64::NAN) / 1e3
            );
            t.sign.push(sign);
            t.build.push(build);
        }
    }
    let ratio = |ours: &[f64], theirs: &[f64]| -> Option<f64> {
        if ours.len() != theirs.len() || ours.is_empty() {
            return None;
        }
        let ratios: Vec<f64> = ours.iter().zip(theirs).map(|(o, s)| o / s).collect();
        Some(median(&ratios))
    };
    let both = |x: &Rounds| (ratio(&x.wall, &openssl.wall), ratio(&x.cpu, &openssl.cpu));
    let med = |v: &[f64]| (!v.is_empty()).then(|| median(v));
    if let Some(v) = med(&openssl.wall) {
        r.put_ns("openssl sign", v);
    }
    if let Some(v) = med(&openssl.cpu) {
        r.put_ns("openssl sign (CPU time)", v);
    }
    let mut rows = Vec::new();
    let default_label =
        "**default build of the transports** (no features named): `Credentials::from_pem`";
    if let Some(first) = default_build.first() {
        let backend = first.backend.clone();
        if default_build.iter().any(|t| t.backend != backend) {
            r.notes
                .push("the default build reported different backends across rounds".into());
        }
        let build = Rounds {
            wall: default_build.iter().map(|t| t.build_sign_ns).collect(),
            cpu: default_build
                .iter()
                .filter_map(|t| t.build_sign_cpu_ns)
                .collect(),
        };
        let sign = Rounds {
            wall: default_build.iter().map(|t| t.sign_ns).collect(),
            cpu: default_build.iter().filter_map(|t| t.sign_cpu_ns).collect(),
        };
        r.put_ns("default build: build + sign", median(&build.wall));
        r.put_ns("default build: sign", median(&sign.wall));
        let (sw, sc) = both(&sign);
        r.notes.push(format!(
            "default build (no features named): Credentials::from_pem signs with \"{backend}\"; its raw sign {:.1} µs = {} openssl (wall clock), {} (CPU time)",
            median(&sign.wall) / 1e3,
            times(sw),
            times(sc)
        ));
        let (wall, cpu) = both(&build);
        rows.push(SignRow {
            label: default_label.into(),
            backend,
            ns: med(&build.wall),
            cpu_ns: med(&build.cpu),
            ratio_wall: wall,
            ratio_cpu: cpu,
            judged: true,
        });
    } else {
        rows.push(SignRow {
            label: default_label.into(),
            backend: "not measured (run benches/compare/run.sh, which passes --default-build)"
                .into(),
            ns: None,
            cpu_ns: None,
            ratio_wall: None,
            ratio_cpu: None,
            judged: true,
        });
    }
    for t in &timed {
        let sign = Rounds::of(&t.sign);
        let build = Rounds::of(&t.build);
        if let Some(key) = t.key {
            r.put_ns(&format!("sign {key}"), median(&sign.wall));
            r.put_ns(&format!("build {key}"), median(&build.wall));
            if let Some(v) = med(&sign.cpu) {
                r.ns.push((format!("sign cpu {key}"), v));
            }
            if let Some(x) = ratio(&sign.cpu, &openssl.cpu).or(ratio(&sign.wall, &openssl.wall)) {
                r.ns.push((format!("ratio sign {key}"), x));
            }
        }
        let (wall, cpu) = both(&build);
        rows.push(SignRow {
            label: t.label.clone(),
            backend: t.credentials.signer().name().to_owned(),
            ns: med(&build.wall),
            cpu_ns: med(&build.cpu),
            ratio_wall: wall,
            ratio_cpu: cpu,
            judged: false,
        });
    }
    r.sign_rows = rows;
    r.sign_rounds = rounds;
    r.sign_openssl = (med(&openssl.wall), med(&openssl.cpu));
}

fn times(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| format!("{x:.3}×"))
}

/// How this binary was built, as far as it matters to signing (by what it can do, not by
/// feature name, so that this keeps compiling whichever features `kalshi-benches` declares).
fn this_build_features() -> &'static str {
    if signers::fast_signer().is_some() {
        "the benches' AWS-LC backend on"
    } else {
        "no AWS-LC backend of its own"
    }
}

/// One row of the sign-time table.
struct SignRow {
    label: String,
    backend: String,
    ns: Option<f64>,
    cpu_ns: Option<f64>,
    ratio_wall: Option<f64>,
    ratio_cpu: Option<f64>,
    judged: bool,
}

fn sign_table(r: &Results) -> String {
    let mut t = String::new();
    let (ow, oc) = r.sign_openssl;
    let _ = writeln!(
        t,
        "| build + sign create-order-group (`Client::request`), {} side-by-side rounds | backend (signer name) | median, wall / CPU | `openssl speed` sign, `-elapsed` / default (CPU) | ratio, wall clock | ratio, CPU time | target | verdict (CPU time) |",
        r.sign_rounds
    );
    let _ = writeln!(t, "|---|---|---:|---:|---:|---:|---|---|");
    for row in &r.sign_rows {
        let _ = writeln!(
            t,
            "| {} | {} | {} / {} | {} / {} | {} | {} | {} | {} |",
            row.label,
            row.backend,
            us(row.ns),
            us(row.cpu_ns),
            us(ow),
            us(oc),
            times(row.ratio_wall),
            times(row.ratio_cpu),
            if row.judged {
                "≤ 1.05× openssl"
            } else {
                "(info)"
            },
            if row.judged {
                verdict(row.ratio_cpu.or(row.ratio_wall).map(|x| x <= 1.05))
            } else {
                ""
            }
        );
    }
    t
}

fn ours(r: &mut Results, a: &Args, server: &FixedServer) {
    let (per, n) = if a.quick {
        (Duration::from_millis(50), 5)
    } else {
        (Duration::from_millis(200), 15)
    };
    let big_n = if a.quick { 3 } else { 7 };

    // Signing, per backend: measured in `sign_comparison`, next to `openssl speed`.

    // Build and sign a create-order-group request per backend: measured in `sign_comparison`,
    // next to `openssl speed`.
    let c = client_with(Environment::Production, Arc::new(ConstSigner));
    r.put(
        "build const",
        measure(per, n, || {
            drop(c.request(&CreateOrderGroup::new(100), TS).unwrap())
        }),
    );

    // Sign-ahead, warm, every call timed on its own.
    let (p50, p99) = sign_ahead_hot(a.quick);
    r.put_ns("sign-ahead p50", p50);
    r.put_ns("sign-ahead p99", p99);

    // Parsing.
    let create = http::Response::builder()
        .status(201)
        .body(data::CREATE_ORDER_GROUP_JSON.to_vec())
        .unwrap();
    let get = http::Response::builder()
        .status(200)
        .body(data::order_group_json(10_000))
        .unwrap();
    let list = http::Response::builder()
        .status(200)
        .body(data::order_groups_json(100_000))
        .unwrap();
    r.put(
        "parse create",
        measure(per, n, || {
            drop(c.response(&CreateOrderGroup::new(1), &create).unwrap())
        }),
    );
    let get_op = GetOrderGroup::new("og");
    r.put(
        "parse get 10k",
        measure(per, n, || drop(c.response(&get_op, &get).unwrap())),
    );
    let list_op = GetOrderGroups::new();
    r.put(
        "parse list 100k",
        measure(Duration::ZERO, big_n, || {
            drop(c.response(&list_op, &list).unwrap())
        }),
    );
    // Market data: a GetMarkets page of 1,000 markets and a 100-level order book.
    let markets = http::Response::builder()
        .status(200)
        .body(data::markets_json(1_000))
        .unwrap();
    let book = http::Response::builder()
        .status(200)
        .body(data::orderbook_json(100))
        .unwrap();
    let markets_op = GetMarkets::new();
    r.put(
        "parse markets 1k",
        measure(per, n, || drop(c.response(&markets_op, &markets).unwrap())),
    );
    let book_op = GetMarketOrderbook::new("KXHIGHNY-26JAN15-T50");
    r.put(
        "parse book 100",
        measure(per, n, || drop(c.response(&book_op, &book).unwrap())),
    );
    r.put(
        "parse list 100k from_slice",
        measure(Duration::ZERO, big_n, || {
            drop(serde_json::from_slice::<GetOrderGroupsResponse>(list.body()).unwrap())
        }),
    );
    r.put(
        "parse get 10k from_slice",
        measure(per, n, || {
            drop(serde_json::from_slice::<GetOrderGroupResponse>(get.body()).unwrap())
        }),
    );
    r.put(
        "parse list 100k borrowed",
        measure(Duration::ZERO, big_n, || {
            drop(serde_json::from_slice::<BorrowedGroups<'_>>(list.body()).unwrap())
        }),
    );
    r.put(
        "parse list 100k IgnoredAny",
        measure(Duration::ZERO, big_n, || {
            std::hint::black_box(
                serde_json::from_slice::<serde::de::IgnoredAny>(list.body()).unwrap(),
            );
        }),
    );
    r.put(
        "parse list 100k Value",
        measure(Duration::ZERO, big_n, || {
            drop(serde_json::from_slice::<Value>(list.body()).unwrap())
        }),
    );

    // End to end, keep-alive loopback, fixed-answer server.
    let (best_name, best) = signers::best_signer();
    let env = || Environment::custom(&server.base_url()).unwrap();
    let op = CreateOrderGroup::new(100);
    let e2e_per = if a.quick {
        Duration::from_millis(100)
    } else {
        Duration::from_millis(300)
    };
    let e2e_n = if a.quick { 5 } else { 11 };
    let ureq_best = BlockingClient::new(client_with(env(), best.clone()));
    r.put(
        &format!("e2e ureq {best_name}"),
        measure(e2e_per, e2e_n, || drop(ureq_best.execute(&op).unwrap())),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let hyper_best = AsyncClient::new(client_with(env(), best.clone())).unwrap();
    r.put(
        &format!("e2e hyper {best_name}"),
        measure(e2e_per, e2e_n, || {
            drop(rt.block_on(hyper_best.execute(&op)).unwrap())
        }),
    );
    let ureq_const = BlockingClient::new(client_with(env(), Arc::new(ConstSigner)));
    r.put(
        "e2e ureq const",
        measure(e2e_per, e2e_n, || drop(ureq_const.execute(&op).unwrap())),
    );
    let hyper_const = AsyncClient::new(client_with(env(), Arc::new(ConstSigner))).unwrap();
    r.put(
        "e2e hyper const",
        measure(e2e_per, e2e_n, || {
            drop(rt.block_on(hyper_const.execute(&op)).unwrap())
        }),
    );

    // Sign-ahead, sustained: a refill thread signs while the caller sends as fast as it can.
    // Throughput cannot beat the signing rate of the refill thread; what is not ready in time
    // is signed inline.
    let counting = CountingSigner::new(best.clone());
    let pool = SignAheadPool::new(
        signers::credentials(counting.clone()),
        SignAheadConfig::default().depth(256),
    );
    let core = Client::new(env(), pool.credentials());
    pool.register_op(&core, &op);
    let hyper_pool = AsyncClient::new(core.clone()).unwrap();
    let call = |now: Timestamp| {
        let req = core.request_presigned(&op, &pool, now).unwrap();
        let resp = rt.block_on(hyper_pool.send(req)).unwrap();
        drop(core.response(&op, &resp).unwrap());
    };
    let stop = Arc::new(AtomicBool::new(false));
    let refilled = Arc::new(AtomicU64::new(0));
    let refiller = {
        let (pool, stop, refilled) = (pool.clone(), stop.clone(), refilled.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let made = pool.refill(Timestamp::now()).unwrap();
                refilled.fetch_add(made as u64, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let calls = AtomicU64::new(0);
    r.put(
        &format!("e2e hyper sign-ahead sustained {best_name}"),
        measure(e2e_per, e2e_n, || {
            call(Timestamp::now());
            calls.fetch_add(1, Ordering::Relaxed);
        }),
    );
    stop.store(true, Ordering::SeqCst);
    refiller.join().unwrap();
    let inline = counting
        .calls()
        .saturating_sub(refilled.load(Ordering::SeqCst));
    r.notes.push(format!(
        "sign-ahead sustained: {inline} of {} calls were signed inline (pool empty when the call was built); the rest used signatures made by the refill thread",
        calls.load(Ordering::Relaxed)
    ));

    // Sign-ahead, bursts: 64 orders back to back from a full pool (refilled between bursts,
    // untimed): the latency an order sees when the pool is sized for the burst.
    let bursts = if a.quick { 5 } else { 20 };
    let before = counting.calls();
    let mut per_call = Vec::with_capacity(bursts);
    let mut made = 0u64;
    for _ in 0..bursts {
        made += pool.refill(Timestamp::now()).unwrap() as u64;
        let now = Timestamp::now();
        let t = Instant::now();
        for _ in 0..64 {
            call(now);
        }
        per_call.push(t.elapsed().as_nanos() as f64 / 64.0);
    }
    let inline = counting.calls() - before - made;
    r.put_ns(
        &format!("e2e hyper sign-ahead burst {best_name}"),
        kalshi_benches::timing::median(&per_call),
    );
    r.notes.push(format!(
        "sign-ahead bursts: {bursts} bursts of 64 calls, {inline} signed inline"
    ));
}

fn python(r: &mut Results, a: &Args, server: &FixedServer) {
    let Some(py) = &a.python else {
        r.notes
            .push("Python SDK not measured (no --python given)".into());
        return;
    };
    let mut cmd = Command::new(py);
    cmd.arg(&a.script)
        .arg("--port")
        .arg(server.addr().port().to_string())
        .arg("--data-dir")
        .arg(&a.out)
        .arg("--key-id")
        .arg(signers::KEY_ID)
        .arg("--key-file")
        .arg(a.out.join("key.pem"))
        .stderr(std::process::Stdio::inherit());
    if a.quick {
        cmd.arg("--quick");
    }
    let out = match cmd.output() {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            r.notes
                .push(format!("Python SDK run failed ({})", o.status));
            return;
        }
        Err(e) => {
            r.notes.push(format!("Python SDK not run: {e}"));
            return;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(v) = text
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<Value>(l).ok())
    else {
        r.notes.push("Python SDK printed no result".into());
        return;
    };
    for (k, s) in v.as_object().into_iter().flatten() {
        if let Some(ns) = s.get("median_ns").and_then(Value::as_f64) {
            r.ns.push((format!("py {k}"), ns));
        }
    }
    r.notes.push(format!(
        "Python SDK kalshi-python-sync {} on Python {} (pydantic-core {}); RSA signatures per create_order_group call: {}",
        v["sdk_version"].as_str().unwrap_or("?"),
        v["python"].as_str().unwrap_or("?"),
        v["pydantic_core"].as_str().unwrap_or("?"),
        v["signs_per_call"]
            .as_u64()
            .map_or("?".to_owned(), |n| n.to_string())
    ));
}

fn us(ns: Option<f64>) -> String {
    ns.map_or("–".into(), |v| {
        if v >= 1e6 {
            format!("{:.1} ms", v / 1e6)
        } else if v >= 100e3 {
            format!("{:.0} µs", v / 1e3)
        } else {
            format!("{:.2} µs", v / 1e3)
        }
    })
}

fn calls_per_s(ns: Option<f64>) -> String {
    ns.map_or("–".into(), |v| format!("{:.0}/s", 1e9 / v))
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "**met**",
        Some(false) => "**not met**",
        None => "n/a",
    }
}

fn table(r: &Results) -> String {
    let (best, _) = signers::best_signer();
    let g = |k: &str| r.get(k);
    let mut t = String::new();
    let _ = writeln!(
        t,
        "| workload | ours | median | reference | median | ratio | target | verdict |"
    );
    let _ = writeln!(t, "|---|---|---:|---|---:|---:|---|---|");
    let mut row = |w: &str,
                   on: &str,
                   o: Option<f64>,
                   rn: &str,
                   rv: Option<f64>,
                   ratio: Option<f64>,
                   target: &str,
                   ok: Option<bool>| {
        let _ = writeln!(
            t,
            "| {w} | {on} | {} | {rn} | {} | {} | {target} | {} |",
            us(o),
            us(rv),
            ratio.map_or("–".into(), |x| if x < 0.1 {
                format!("{x:.4}×")
            } else {
                format!("{x:.2}×")
            }),
            verdict(ok)
        );
    };
    let div = |a: Option<f64>, b: Option<f64>| Some(a? / b?);
    let openssl = g("openssl sign");
    let openssl_cpu = g("openssl sign (CPU time)");

    // 1. Signing.
    for (name, label) in [
        ("sign aws-lc-rs", "aws-lc-rs"),
        ("sign rsa (pure Rust)", "rsa 0.10 (pure Rust)"),
    ] {
        if let Some(v) = g(name) {
            // CPU time on both sides where measured (steady under load), else wall clock.
            let cpu = g(&name.replace("sign ", "sign cpu ")).zip(openssl_cpu);
            let (v, reference, reference_v) = match cpu {
                Some((v, o)) => (v, "`openssl speed` sign, CPU time, same rounds", Some(o)),
                None => (v, "`openssl speed -elapsed` sign, same rounds", openssl),
            };
            let ratio = g(&format!("ratio {name}")).or(div(Some(v), reference_v));
            let fast = name == "sign aws-lc-rs";
            row(
                "RSA-2048 PSS sign",
                label,
                Some(v),
                reference,
                reference_v,
                ratio,
                if fast { "≤ 1.05× openssl" } else { "(info)" },
                if fast { ratio.map(|x| x <= 1.05) } else { None },
            );
        }
    }
    if g("sign aws-lc-rs").is_none() {
        row(
            "RSA-2048 PSS sign",
            "aws-lc-rs",
            None,
            "`openssl speed` sign",
            openssl,
            None,
            "≤ 1.05× openssl (not in this build)",
            None,
        );
    }
    row(
        "RSA-2048 PSS sign",
        "Python SDK's primitive (pyca/cryptography)",
        g("py sign_primitive"),
        "`openssl speed -elapsed` sign (sign rounds; the SDK runs later)",
        openssl,
        div(g("py sign_primitive"), openssl),
        "(info)",
        None,
    );

    // 2. Build and sign.
    let best_build = g(&format!("build {best}"));
    let ratio = div(best_build, g("py auth_headers"));
    row(
        "build + sign create-order-group",
        &format!("Client::request, {best}"),
        best_build,
        "SDK create_auth_headers",
        g("py auth_headers"),
        ratio,
        "≤ 0.90× SDK auth-header call",
        ratio.map(|x| x <= 0.90),
    );
    if best != "rsa (pure Rust)" {
        row(
            "build + sign create-order-group",
            "Client::request, rsa (pure Rust)",
            g("build rsa (pure Rust)"),
            "SDK create_auth_headers",
            g("py auth_headers"),
            div(g("build rsa (pure Rust)"), g("py auth_headers")),
            "(info)",
            None,
        );
    }
    row(
        "build + sign create-order-group",
        &format!("Client::request, {best}"),
        best_build,
        "SDK _create_order_group_serialize + json.dumps",
        g("py serialize_create"),
        div(best_build, g("py serialize_create")),
        "(info)",
        None,
    );

    let sa = g("sign-ahead p50");
    let ratio_sa = div(sa, g("py auth_headers"));
    row(
        "build + sign create-order-group",
        "Client::request_presigned, warm pool",
        sa,
        "SDK create_auth_headers",
        g("py auth_headers"),
        ratio_sa,
        "≤ 0.90× SDK auth-header call",
        ratio_sa.map(|x| x <= 0.90),
    );

    // 3. Beyond RSA.
    let c = g("build const");
    row(
        "request building beyond RSA",
        "Client::request, constant signer",
        c,
        "SDK serialize, RSA stubbed out",
        g("py serialize_create_no_rsa"),
        div(c, g("py serialize_create_no_rsa")),
        "≤ 3 µs",
        c.map(|v| v <= 3000.0),
    );

    // 4. Sign-ahead.
    let p50 = g("sign-ahead p50");
    let p99 = g("sign-ahead p99");
    row(
        "sign-ahead warm build (p50)",
        "Client::request_presigned",
        p50,
        "",
        None,
        None,
        "≤ 10 µs",
        p50.map(|v| v <= 10_000.0),
    );
    row(
        "sign-ahead warm build (p99)",
        "Client::request_presigned",
        p99,
        "",
        None,
        None,
        "≤ 50 µs",
        p99.map(|v| v <= 50_000.0),
    );

    // 5. Parsing.
    for (workload, label, ours_key, py_key, sdk) in [
        (
            "parse GetMarkets, 1,000 markets (1.7 MB)",
            "Client::response (typed)",
            "parse markets 1k",
            "py parse_markets_1k",
            "SDK GetMarketsResponse.from_json",
        ),
        (
            "parse GetMarketOrderbook, 100 levels a side",
            "Client::response (typed)",
            "parse book 100",
            "py parse_book_100",
            "SDK GetMarketOrderbookResponse.from_json",
        ),
    ] {
        let ratio = div(g(py_key), g(ours_key));
        row(
            workload,
            label,
            g(ours_key),
            sdk,
            g(py_key),
            ratio,
            "SDK ≥ 20× slower",
            ratio.map(|x| x >= 20.0),
        );
    }
    let ours_list = g("parse list 100k");
    let speedup = div(g("py parse_list_100k"), ours_list);
    row(
        "parse GetOrderGroups, 100k groups (12.7 MB)",
        "Client::response (typed)",
        ours_list,
        "SDK GetOrderGroupsResponse.from_json",
        g("py parse_list_100k"),
        speedup,
        "SDK ≥ 20× slower",
        speedup.map(|x| x >= 20.0),
    );
    for (key, label) in [
        (
            "parse list 100k from_slice",
            "`serde_json::from_slice`, typed (the parse path before 2026-12-06)",
        ),
        (
            "parse list 100k borrowed",
            "serde, borrowed `&str` fields (ref.)",
        ),
        (
            "parse list 100k IgnoredAny",
            "serde_json IgnoredAny, tokenizer only (ref.)",
        ),
    ] {
        row(
            "parse GetOrderGroups, 100k groups (12.7 MB)",
            label,
            g(key),
            "SDK GetOrderGroupsResponse.from_json",
            g("py parse_list_100k"),
            div(g("py parse_list_100k"), g(key)),
            "(info, SDK÷ours)",
            None,
        );
    }
    row(
        "parse GetOrderGroups, 100k groups (12.7 MB)",
        "serde_json::Value (ceiling ref.)",
        g("parse list 100k Value"),
        "Python json.loads",
        g("py json_loads_100k"),
        div(g("py json_loads_100k"), g("parse list 100k Value")),
        "(info, SDK÷ours)",
        None,
    );
    row(
        "parse GetOrderGroup, 10k order ids",
        "Client::response (typed)",
        g("parse get 10k"),
        "SDK GetOrderGroupResponse.from_json",
        g("py parse_get_10k"),
        div(g("py parse_get_10k"), g("parse get 10k")),
        "(info, SDK÷ours)",
        None,
    );
    row(
        "parse GetOrderGroup, 10k order ids",
        "`serde_json::from_slice`, typed (the parse path before 2026-12-06)",
        g("parse get 10k from_slice"),
        "SDK GetOrderGroupResponse.from_json",
        g("py parse_get_10k"),
        div(g("py parse_get_10k"), g("parse get 10k from_slice")),
        "(info, SDK÷ours)",
        None,
    );
    row(
        "parse CreateOrderGroupResponse",
        "Client::response (typed)",
        g("parse create"),
        "SDK CreateOrderGroupResponse.from_json",
        g("py parse_create"),
        div(g("py parse_create"), g("parse create")),
        "(info, SDK÷ours)",
        None,
    );

    // 6. End to end.
    let sign_best = g(&format!("sign {best}"));
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "| end to end, keep-alive loopback, fixed-answer server | calls/s | median per call | target: ≥ 0.8 × 1/sign ({best}) | verdict |"
    );
    let _ = writeln!(t, "|---|---:|---:|---:|---|");
    let floor = sign_best.map(|s| 0.8 * 1e9 / s);
    for (label, key, judged) in [
        (
            format!("ours, ureq, {best}"),
            format!("e2e ureq {best}"),
            true,
        ),
        (
            format!("ours, hyper, {best}"),
            format!("e2e hyper {best}"),
            true,
        ),
        (
            format!("ours, hyper, sign-ahead, sustained ({best} refill thread)"),
            format!("e2e hyper sign-ahead sustained {best}"),
            false,
        ),
        (
            format!("ours, hyper, sign-ahead, bursts of 64 from a full pool ({best})"),
            format!("e2e hyper sign-ahead burst {best}"),
            false,
        ),
        (
            "ours, ureq, constant signer (transport + server only)".to_owned(),
            "e2e ureq const".to_owned(),
            false,
        ),
        (
            "ours, hyper, constant signer (transport + server only)".to_owned(),
            "e2e hyper const".to_owned(),
            false,
        ),
        (
            "Python SDK create_order_group".to_owned(),
            "py e2e_create".to_owned(),
            false,
        ),
    ] {
        let v = g(&key);
        let ok = if judged && best == "aws-lc-rs" {
            v.zip(floor).map(|(v, f)| 1e9 / v >= f)
        } else {
            None
        };
        let _ = writeln!(
            t,
            "| {label} | {} | {} | {} | {} |",
            calls_per_s(v),
            us(v),
            if judged {
                floor.map_or("–".into(), |f| format!("{f:.0}/s"))
            } else {
                "(info)".into()
            },
            if judged { verdict(ok) } else { "" }
        );
    }
    t
}

fn main() {
    let a = args();
    if a.sign_only {
        sign_only(&a);
        return;
    }
    std::fs::create_dir_all(&a.out).expect("create the output directory");
    // The data files, for both sides.
    for (name, bytes) in [
        ("order_groups_100k.json", data::order_groups_json(100_000)),
        ("order_group_10k.json", data::order_group_json(10_000)),
        ("markets_1k.json", data::markets_json(1_000)),
        ("orderbook_100.json", data::orderbook_json(100)),
        (
            "create_order_group.json",
            data::CREATE_ORDER_GROUP_JSON.to_vec(),
        ),
        ("key.pem", signers::KEY_PEM.as_bytes().to_vec()),
    ] {
        std::fs::write(a.out.join(name), bytes).expect("write a data file");
    }
    let server = FixedServer::start().expect("start the fixed-answer server");
    let mut r = Results::default();

    eprintln!("sign time against openssl speed ...");
    sign_comparison(&mut r, &a);
    eprintln!("ours ...");
    ours(&mut r, &a, &server);
    eprintln!("Python SDK ...");
    python(&mut r, &a, &server);

    let t = format!("{}\n{}", sign_table(&r), table(&r));
    println!("{t}");
    for n in &r.notes {
        println!("- {n}");
    }
    let json: serde_json::Map<String, Value> =
        r.ns.iter()
            .map(|(k, v)| (k.clone(), Value::from(*v)))
            .collect();
    let _ = std::fs::write(
        a.out.join("results.json"),
        serde_json::to_string_pretty(&json).unwrap_or_default(),
    );
    let _ = std::fs::write(a.out.join("table.md"), &t);
    server.stop();
}
