//! Sign-ahead latency percentiles, which criterion does not report: every request build is
//! timed on its own.
//!
//! 1. Hot loop: the pool is refilled (untimed) between chunks; each warm `request_presigned`
//!    is timed.
//! 2. Realistic: a refill thread with the fastest real backend keeps the pool topped up every
//!    20 ms while the main thread builds one order request per millisecond; misses (the
//!    request was signed inline) are counted and included in the percentiles.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kalshi_benches::signers;
use kalshi_benches::timing::percentile;
use kalshi_core::auth::{SignAheadConfig, SignAheadPool};
use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_core::{Client, Environment, Timestamp};

fn report(name: &str, mut ns: Vec<f64>, extra: &str) {
    ns.sort_by(f64::total_cmp);
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} |{extra}",
        ns.len(),
        percentile(&ns, 50.0) / 1e3,
        percentile(&ns, 99.0) / 1e3,
        percentile(&ns, 99.9) / 1e3,
        ns[ns.len() - 1] / 1e3,
    );
}

fn hot_loop() {
    const CHUNK: usize = 1000;
    const CHUNKS: usize = 200;
    let ts = Timestamp::from_millis(1_703_123_456_789);
    let pool = SignAheadPool::new(
        signers::credentials(Arc::new(signers::ConstSigner)),
        SignAheadConfig::default()
            .depth(CHUNK)
            .max_age(Duration::from_secs(3600)),
    );
    let client = Client::new(Environment::Production, pool.credentials());
    let op = CreateOrderGroup::new(100);
    pool.register_op(&client, &op);
    let mut ns = Vec::with_capacity(CHUNK * CHUNKS);
    for _ in 0..CHUNKS {
        pool.refill(ts).unwrap();
        for _ in 0..CHUNK {
            let t = Instant::now();
            let req = client.request_presigned(&op, &pool, ts).unwrap();
            ns.push(t.elapsed().as_nanos() as f64);
            drop(req);
        }
    }
    report("hot loop, pool always warm", ns, "");
}

fn realistic() {
    const REQUESTS: usize = 5000;
    let (backend, signer) = signers::best_signer();
    let counting = signers::CountingSigner::new(signer);
    let pool = SignAheadPool::new(
        signers::credentials(counting.clone()),
        SignAheadConfig::default().depth(64),
    );
    let client = Client::new(Environment::Production, pool.credentials());
    let op = CreateOrderGroup::new(100);
    pool.register_op(&client, &op);
    let stop = Arc::new(AtomicBool::new(false));
    let refilled = Arc::new(AtomicU64::new(pool.refill(Timestamp::now()).unwrap() as u64));
    let refiller = {
        let (pool, stop, refilled) = (pool.clone(), stop.clone(), refilled.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let made = pool.refill(Timestamp::now()).unwrap();
                refilled.fetch_add(made as u64, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let mut ns = Vec::with_capacity(REQUESTS);
    let start = Instant::now();
    for i in 0..REQUESTS {
        // One request per millisecond, on a schedule (no drift).
        let due = start + Duration::from_millis(i as u64);
        while Instant::now() < due {
            std::hint::spin_loop();
        }
        let now = Timestamp::now();
        let t = Instant::now();
        let req = client.request_presigned(&op, &pool, now).unwrap();
        ns.push(t.elapsed().as_nanos() as f64);
        drop(req);
    }
    stop.store(true, Ordering::SeqCst);
    refiller.join().unwrap();
    let inline = counting.calls() - refilled.load(Ordering::SeqCst);
    report(
        &format!("1 request/ms, refill thread every 20 ms ({backend})"),
        ns,
        &format!(" {inline} of {REQUESTS} signed inline"),
    );
}

fn main() {
    println!("| sign-ahead warm build | n | p50 µs | p99 µs | p99.9 µs | max µs |");
    println!("|---|---:|---:|---:|---:|---:|");
    hot_loop();
    realistic();
}
