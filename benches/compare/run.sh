#!/usr/bin/env bash
# One command for the peer comparison: makes a throwaway Python venv under target/, installs the
# official SDK (kalshi-python-sync) from PyPI, builds kalshi-compare (release, with the AWS-LC
# signer), and runs everything in one go: `openssl speed -seconds 3 rsa2048` (if openssl is
# installed), our workloads, then the SDK's on the same data and the same loopback server.
# Prints one Markdown table of medians and ratios; also writes target/compare/{table.md,results.json}.
#
#   benches/compare/run.sh [--quick] [--no-openssl]
#
# Needs: cargo, a C compiler (for AWS-LC), python3 with venv, network access to PyPI once.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/target/compare"
venv="$out/venv"
sdk_version="${KALSHI_SDK_VERSION:-3.2.0}"

mkdir -p "$out"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import kalshi_python_sync" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kalshi-python-sync==$sdk_version"
fi

cd "$root"
cargo build --release --quiet -p kalshi-benches --features aws-lc --bin kalshi-compare

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
exec "$root/target/release/kalshi-compare" \
  --python "$venv/bin/python" \
  --script "$root/benches/compare/sdk_bench.py" \
  --out "$out" "$@"
