#!/usr/bin/env bash
# One command for the order book delta comparison (issue 11): our stream parser and local book
# against kalshi-pmx's, on the same recorded stream, side by side in one run.
#
#   benches/compare/stream.sh [--rounds N] [--replays K] [--deltas N]
#
# Builds kalshi-stream-compare (release), and the peer out of tree: a scratch cargo project under
# <target>/stream-compare/pmx that depends on kalshi-pmx from crates.io, with
# benches/compare/pmx_driver.rs as its main.rs (so kalshi-pmx never enters this workspace's
# Cargo.lock). Then kalshi-stream-compare writes the recording
# (<target>/stream-compare/orderbook_stream.jsonl), and in each round replays it K times itself
# and runs the peer's driver for K replays. Prints a Markdown table of medians and the ratio;
# also writes <target>/stream-compare/table.md.
#
# Needs: cargo and network access to crates.io once. KALSHI_PMX_VERSION overrides the version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
target="$(mkdir -p "$target" && cd "$target" && pwd)"
out="$target/stream-compare"
peer="$out/pmx"
pmx_version="${KALSHI_PMX_VERSION:-0.1.1}"

mkdir -p "$peer/src"
cat >"$peer/Cargo.toml.new" <<TOML
# Written by benches/compare/stream.sh: the peer's driver, built out of the workspace.
[package]
name = "pmx-driver"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
kalshi-pmx = "=$pmx_version"

# Not a member of the repository's workspace, wherever the target dir is.
[workspace]
TOML
cmp -s "$peer/Cargo.toml.new" "$peer/Cargo.toml" 2>/dev/null || mv "$peer/Cargo.toml.new" "$peer/Cargo.toml"
rm -f "$peer/Cargo.toml.new"
cmp -s benches/compare/pmx_driver.rs "$peer/src/main.rs" 2>/dev/null || cp benches/compare/pmx_driver.rs "$peer/src/main.rs"

echo "building kalshi-pmx $pmx_version's driver in $peer" >&2
CARGO_TARGET_DIR="$peer/target" cargo build --release --quiet --manifest-path "$peer/Cargo.toml"
cargo build --release --quiet -p kalshi-benches --bin kalshi-stream-compare

echo "machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
exec "$target/release/kalshi-stream-compare" \
  --peer "$peer/target/release/pmx-driver" \
  --peer-name "kalshi-pmx $pmx_version" \
  --out "$out" "$@"
