#!/usr/bin/env bash
# RUSTC_WRAPPER for the fuzz build: compiles the big-integer and hash crates under the RSA code
# WITHOUT sanitizer-coverage instrumentation (the flags in RUSTFLAGS apply to every crate).
#
# Their coverage says nothing about our code, their comparison tracing floods libFuzzer's
# feedback, and instrumented they make RSA signing about 4x slower (2048-bit PSS: ~10 ms
# instrumented, ~2.3 ms with this wrapper), which starves the signing targets.
#
# Usage (cargo calls it as `rustc-wrapper.sh RUSTC ARGS...`):
#   RUSTC_WRAPPER=$PWD/rustc-wrapper.sh cargo build ...
rustc="$1"
shift
name=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--crate-name" ]; then
    name="$a"
    break
  fi
  prev="$a"
done
case "$name" in
  crypto_bigint | crypto_primes | ctutils | cmov | sha2 | digest | block_buffer)
    args=()
    for a in "$@"; do
      case "$a" in
        -Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage*) ;;
        *) args+=("$a") ;;
      esac
    done
    exec "$rustc" "${args[@]}"
    ;;
  *) exec "$rustc" "$@" ;;
esac
