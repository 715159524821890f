//! Building signed requests: each order-group operation with the real backends, the same with a
//! constant signer (what a request costs beyond RSA), and a warm sign-ahead build.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use kalshi_benches::signers::{self, ConstSigner};
use kalshi_core::auth::{SignAheadConfig, SignAheadPool, Signer};
use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::{Client, Environment, Operation, Timestamp};
use std::hint::black_box;

const TS: Timestamp = Timestamp::from_millis(1_703_123_456_789);
const GROUP: &str = "5f0c3b8e-2a4d-4c6e-9b1a-7d3e5f9a1c2b";

fn each_op(g: &mut BenchmarkGroup<'_, WallTime>, label: &str, client: &Client) {
    fn one<O: Operation>(g: &mut BenchmarkGroup<'_, WallTime>, id: String, client: &Client, op: O) {
        g.bench_function(id, |b| {
            b.iter(|| client.request(black_box(&op), black_box(TS)).unwrap())
        });
    }
    one(
        g,
        format!("{label}/create"),
        client,
        CreateOrderGroup::new(100),
    );
    one(
        g,
        format!("{label}/list"),
        client,
        GetOrderGroups::new().subaccount(3),
    );
    one(g, format!("{label}/get"), client, GetOrderGroup::new(GROUP));
    one(
        g,
        format!("{label}/delete"),
        client,
        DeleteOrderGroup::new(GROUP),
    );
    one(
        g,
        format!("{label}/reset"),
        client,
        ResetOrderGroup::new(GROUP),
    );
    one(
        g,
        format!("{label}/trigger"),
        client,
        TriggerOrderGroup::new(GROUP),
    );
    one(
        g,
        format!("{label}/update_limit"),
        client,
        UpdateOrderGroupLimit::new(GROUP, 50),
    );
}

fn client_with(signer: Arc<dyn Signer>) -> Client {
    Client::new(Environment::Production, signers::credentials(signer))
}

fn build_and_sign(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_and_sign");
    g.measurement_time(Duration::from_secs(4));
    each_op(
        &mut g,
        "rsa (pure Rust)",
        &client_with(signers::default_signer()),
    );
    if let Some(fast) = signers::fast_signer() {
        each_op(&mut g, "aws-lc-rs", &client_with(fast));
    }
    g.finish();
}

fn overhead(c: &mut Criterion) {
    let mut g = c.benchmark_group("build_no_rsa");
    each_op(&mut g, "const signer", &client_with(Arc::new(ConstSigner)));
    g.finish();
}

fn sign_ahead_warm(c: &mut Criterion) {
    // The warm path never calls the inner signer (a core test proves it), so the pool is filled
    // with a constant signer here: refills between timed chunks then cost nothing.
    const CHUNK: usize = 1024;
    let config = SignAheadConfig::default()
        .depth(CHUNK)
        .max_age(Duration::from_secs(3600));
    let pool = SignAheadPool::new(signers::credentials(Arc::new(ConstSigner)), config);
    let client = Client::new(Environment::Production, pool.credentials());
    let op = CreateOrderGroup::new(100);
    pool.register_op(&client, &op);
    let mut g = c.benchmark_group("sign_ahead");
    g.bench_function("warm create", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                pool.refill(TS).unwrap();
                let n = left.min(CHUNK as u64);
                let t = Instant::now();
                for _ in 0..n {
                    black_box(client.request_presigned(black_box(&op), &pool, TS).unwrap());
                }
                total += t.elapsed();
                left -= n;
            }
            total
        })
    });
    g.finish();
}

criterion_group!(benches, overhead, sign_ahead_warm, build_and_sign);
criterion_main!(benches);
