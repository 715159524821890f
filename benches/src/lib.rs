//! Benchmarks of the Kalshi client, and the comparison with the official Python SDK.
//!
//! The library holds what the benchmark binaries share: the deterministic response bodies
//! ([`data`]), a fixed-answer loopback HTTP server ([`server`]), the signing backends and a
//! constant signer ([`signers`]), the sign-time comparison with `openssl speed` ([`sign_time`]),
//! a plain timing loop ([`timing`]), and a recorded order book stream with our replay of it
//! ([`stream_data`]). The benchmarks are in `benches/`; the one-command peer comparisons are
//! `benches/compare/run.sh` (the official Python SDK) and `benches/compare/stream.sh` (order
//! book deltas against `kalshi-pmx`). Results and how they were taken: `BENCHMARKS.md` at the
//! repository root.
//!
//! Nothing here is timed by `cargo test`: the tests check behaviour only.
#![deny(missing_docs)]

pub mod data;
pub mod server;
pub mod sign_time;
pub mod signers;
pub mod stream_data;
pub mod timing;
