//! Heap allocations per built request (and per parsed small answer), counted by a global
//! allocator that wraps the system one. Counts, not timings: the same on every run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kalshi_benches::{data, signers};
use kalshi_core::auth::{SignAheadConfig, SignAheadPool, Signer};
use kalshi_core::order_groups::{
    CreateOrderGroup, DeleteOrderGroup, GetOrderGroup, GetOrderGroups, ResetOrderGroup,
    TriggerOrderGroup, UpdateOrderGroupLimit,
};
use kalshi_core::{Client, Environment, Operation, Timestamp};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const TS: Timestamp = Timestamp::from_millis(1_703_123_456_789);
const GROUP: &str = "5f0c3b8e-2a4d-4c6e-9b1a-7d3e5f9a1c2b";
const N: u64 = 1000;

/// Allocations and bytes per call of `f`, averaged over N calls after one warm-up call.
fn count(mut f: impl FnMut()) -> (f64, f64) {
    f();
    let (a0, b0) = (ALLOCS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst));
    for _ in 0..N {
        f();
    }
    let (a1, b1) = (ALLOCS.load(Ordering::SeqCst), BYTES.load(Ordering::SeqCst));
    ((a1 - a0) as f64 / N as f64, (b1 - b0) as f64 / N as f64)
}

fn row(what: &str, (allocs, bytes): (f64, f64)) {
    println!("| {what} | {allocs:.1} | {bytes:.0} |");
}

fn ops(label: &str, client: &Client) {
    fn one<O: Operation>(label: &str, name: &str, client: &Client, op: O) {
        row(
            &format!("{label}: {name}"),
            count(|| drop(client.request(&op, TS).unwrap())),
        );
    }
    one(label, "create", client, CreateOrderGroup::new(100));
    one(label, "list", client, GetOrderGroups::new().subaccount(3));
    one(label, "get", client, GetOrderGroup::new(GROUP));
    one(label, "delete", client, DeleteOrderGroup::new(GROUP));
    one(label, "reset", client, ResetOrderGroup::new(GROUP));
    one(label, "trigger", client, TriggerOrderGroup::new(GROUP));
    one(
        label,
        "update_limit",
        client,
        UpdateOrderGroupLimit::new(GROUP, 50),
    );
}

fn main() {
    // `cargo test --benches` runs bench binaries with no arguments too; this one is quick.
    let client_with =
        |s: Arc<dyn Signer>| Client::new(Environment::Production, signers::credentials(s));

    println!("| built request | allocations | bytes allocated |");
    println!("|---|---:|---:|");
    ops("const signer", &client_with(Arc::new(signers::ConstSigner)));
    let (best_name, best) = signers::best_signer();
    let best_client = client_with(best);
    row(
        &format!("{best_name}: create"),
        count(|| {
            drop(
                best_client
                    .request(&CreateOrderGroup::new(100), TS)
                    .unwrap(),
            )
        }),
    );

    // Sign-ahead, warm: the pool is refilled outside the counted calls.
    let pool = SignAheadPool::new(
        signers::credentials(Arc::new(signers::ConstSigner)),
        SignAheadConfig::default()
            .depth(N as usize + 1)
            .max_age(Duration::from_secs(3600)),
    );
    let client = Client::new(Environment::Production, pool.credentials());
    let op = CreateOrderGroup::new(100);
    pool.register_op(&client, &op);
    pool.refill(TS).unwrap();
    row(
        "sign-ahead warm: create",
        count(|| drop(client.request_presigned(&op, &pool, TS).unwrap())),
    );

    println!();
    println!("| parsed answer | allocations | bytes allocated |");
    println!("|---|---:|---:|");
    let resp = http::Response::builder()
        .status(201)
        .body(data::CREATE_ORDER_GROUP_JSON.to_vec())
        .unwrap();
    row(
        "CreateOrderGroupResponse",
        count(|| drop(client.response(&op, &resp).unwrap())),
    );
}
