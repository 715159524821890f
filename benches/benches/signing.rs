//! RSA-PSS signing per backend: the message of a create-order-group request.

use criterion::{Criterion, criterion_group, criterion_main};
use kalshi_benches::signers;
use kalshi_core::auth::signing_message;
use std::hint::black_box;

fn signing(c: &mut Criterion) {
    let msg = signing_message(
        1_703_123_456_789,
        "POST",
        "/trade-api/v2/portfolio/order_groups/create",
    );
    let mut g = c.benchmark_group("sign");
    for (name, signer) in signers::all_signers() {
        g.bench_function(name, |b| b.iter(|| signer.sign(black_box(&msg)).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
