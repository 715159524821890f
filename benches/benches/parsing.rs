//! Reading answers into typed results, next to references on the same bytes: the same types read
//! by plain `serde_json::from_slice` (the parse path before 2026-12-06 for bodies over 64 KiB,
//! which skip the error-document probe; it re-validated UTF-8 string by string), a
//! `serde_json::Value` parse (the "serde_json ceiling" for a generic document) and, for the big
//! list, a borrowed parse (`&str` ids) that shows what zero-copy types would give.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kalshi_benches::{data, signers};
use kalshi_core::order_groups::{CreateOrderGroup, GetOrderGroup, GetOrderGroups};
use kalshi_core::{Client, Environment, Operation};
use serde::Deserialize;
use std::hint::black_box;

#[derive(Deserialize)]
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

#[derive(Deserialize)]
#[allow(dead_code)]
struct BorrowedGroups<'a> {
    #[serde(borrow)]
    order_groups: Vec<BorrowedGroup<'a>>,
}

fn response(status: u16, body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).body(body).unwrap()
}

fn group<O: Operation>(
    c: &mut Criterion,
    name: &str,
    client: &Client,
    op: &O,
    status: u16,
    body: Vec<u8>,
    big: bool,
) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(body.len() as u64));
    if big {
        g.sample_size(10).measurement_time(Duration::from_secs(8));
    }
    let resp = response(status, body);
    g.bench_function("kalshi-core typed", |b| {
        b.iter(|| client.response(op, black_box(&resp)).unwrap())
    });
    g.bench_function("serde_json::from_slice typed (old path, > 64 KiB)", |b| {
        b.iter(|| serde_json::from_slice::<O::Output>(black_box(resp.body())).unwrap())
    });
    g.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(resp.body())).unwrap())
    });
    if name == "parse GetOrderGroups 100k" {
        g.bench_function("borrowed (&str ids)", |b| {
            b.iter(|| serde_json::from_slice::<BorrowedGroups<'_>>(black_box(resp.body())).unwrap())
        });
        g.bench_function("IgnoredAny (tokenizer only)", |b| {
            b.iter(|| {
                serde_json::from_slice::<serde::de::IgnoredAny>(black_box(resp.body())).unwrap()
            })
        });
    }
    g.finish();
}

fn parsing(c: &mut Criterion) {
    let client = Client::new(
        Environment::Production,
        signers::credentials(std::sync::Arc::new(signers::ConstSigner)),
    );
    group(
        c,
        "parse CreateOrderGroupResponse",
        &client,
        &CreateOrderGroup::new(1),
        201,
        data::CREATE_ORDER_GROUP_JSON.to_vec(),
        false,
    );
    group(
        c,
        "parse GetOrderGroup 10k ids",
        &client,
        &GetOrderGroup::new("og"),
        200,
        data::order_group_json(10_000),
        false,
    );
    group(
        c,
        "parse GetOrderGroups 100k",
        &client,
        &GetOrderGroups::new(),
        200,
        data::order_groups_json(100_000),
        true,
    );
}

criterion_group!(benches, parsing);
criterion_main!(benches);
