//! Whole calls over keep-alive loopback: build and sign, send, read, parse. Against the
//! fixed-answer server (the client's cost) and against the simulator (which also verifies every
//! signature), through both transports. Throughput is one call per iteration: criterion prints
//! calls/s as `elem/s`.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kalshi_benches::server::FixedServer;
use kalshi_benches::signers::{self, ConstSigner};
use kalshi_core::auth::Signer;
use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_core::{Client, Environment};
use kalshi_simulator::{Simulator, SimulatorConfig};
use kalshi_transport_hyper::AsyncClient;
use kalshi_transport_ureq::BlockingClient;

fn core(base_url: &str, signer: Arc<dyn Signer>) -> Client {
    Client::new(
        Environment::custom(base_url).unwrap(),
        signers::credentials(signer),
    )
}

fn bench_target(
    c: &mut Criterion,
    target: &str,
    base_url: &str,
    signers: &[(&str, Arc<dyn Signer>)],
) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let op = CreateOrderGroup::new(100);
    let mut g = c.benchmark_group(format!("e2e {target}"));
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(5));
    for (name, signer) in signers {
        let blocking = BlockingClient::new(core(base_url, signer.clone()));
        g.bench_function(format!("ureq/{name}"), |b| {
            b.iter(|| blocking.execute(&op).unwrap())
        });
        let hyper = AsyncClient::new(core(base_url, signer.clone())).unwrap();
        g.bench_function(format!("hyper/{name}"), |b| {
            b.iter(|| rt.block_on(hyper.execute(&op)).unwrap())
        });
    }
    g.finish();
}

fn end_to_end(c: &mut Criterion) {
    let (best_name, best) = signers::best_signer();
    let server = FixedServer::start().unwrap();
    bench_target(
        c,
        "fixed-answer server",
        &server.base_url(),
        &[
            (best_name, best.clone()),
            ("const signer", Arc::new(ConstSigner)),
        ],
    );
    server.stop();

    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    bench_target(c, "simulator", &sim.base_url(), &[(best_name, best)]);
    sim.shutdown();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
