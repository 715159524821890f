#!/usr/bin/env bash
# One command for the peer comparison: makes a throwaway Python venv under the target dir,
# installs the official SDK (kalshi-python-sync) from PyPI, builds kalshi-compare twice (release:
# once with no features named, i.e. the transports' default signer, and once with this crate's
# `aws-lc` feature when it has one, to time AWS-LC explicitly), and runs everything in one go:
# `openssl speed -elapsed -seconds 2 rsa2048` alternating with our signing of a create-order-group
# request (default build and each backend; 5 rounds), our other workloads, then the SDK's on the same data
# and the same loopback server. Prints Markdown tables of medians and ratios; also writes
# <target>/compare/{table.md,results.json}.
#
#   benches/compare/run.sh [--quick] [--no-openssl] [--sign-rounds N]
#
# Needs: cargo, a C compiler (for AWS-LC), python3 (>= 3.11) with venv and pip, network access to
# PyPI once. The SDK declares Python >= 3.13 but is pure Python and runs on 3.11, so it is
# installed with --ignore-requires-python. KALSHI_SDK_VERSION overrides the version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
target="$(mkdir -p "$target" && cd "$target" && pwd)"
out="$target/compare"
venv="$out/venv"
sdk_version="${KALSHI_SDK_VERSION:-3.34.0}"

mkdir -p "$out"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
installed="$("$venv/bin/python" -c 'import kalshi_python_sync as k; print(k.__version__)' 2>/dev/null || true)"
if [ "$installed" != "$sdk_version" ]; then
  echo "installing kalshi-python-sync==$sdk_version into $venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check --ignore-requires-python \
    "kalshi-python-sync==$sdk_version"
fi

# 1. The default build: no features named, so kalshi-core's signer is whatever the transports'
#    default features pick. Kept under another name (the second build overwrites the binary).
cargo build --release --quiet -p kalshi-benches --bin kalshi-compare
cp "$target/release/kalshi-compare" "$out/kalshi-compare-default-build"

# 2. The binary that runs the comparison, with the AWS-LC backend built in for the explicit row
#    (the feature may be gone once AWS-LC is the transports' default: then as in 1).
features=()
if grep -Eq '^aws-lc *=' benches/Cargo.toml; then
  features=(--features aws-lc)
fi
cargo build --release --quiet -p kalshi-benches ${features[@]+"${features[@]}"} --bin kalshi-compare

echo "machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
exec "$target/release/kalshi-compare" \
  --python "$venv/bin/python" \
  --script "$root/benches/compare/sdk_bench.py" \
  --default-build "$out/kalshi-compare-default-build" \
  --out "$out" "$@"
