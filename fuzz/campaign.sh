#!/usr/bin/env bash
# A fuzzing campaign: each target in turn (one at a time, one libFuzzer process), for
# CAMPAIGN_SECONDS each (600 by default), on fuzz/corpus-run/<target> seeded from the committed
# corpus. Build first (bash .ci/fuzz with FUZZ_SECONDS=0 builds and replays).
#
#   nohup bash fuzz/campaign.sh > fuzz/artifacts-logs/campaign.out 2>&1 &
#   CAMPAIGN_SECONDS=60 CAMPAIGN_TARGETS="http_date" bash fuzz/campaign.sh
#
# A crash does not end a target's turn: its input is kept in fuzz/artifacts/<target>/ and the
# rest of the time is spent in fork mode with -ignore_crashes=1 (one child at a time), so a
# shallow bug cannot hide deeper ones. Logs: fuzz/artifacts-logs/<target>.*.log; a summary line
# per segment goes to fuzz/artifacts-logs/summary.tsv.
set -uo pipefail
cd "$(dirname "$0")"

TARGETS=${CAMPAIGN_TARGETS:-"http_date fixed_point responses pem_keys signature_verifier simulator_request simulator_pipeline"}
TOTAL=${CAMPAIGN_SECONDS:-600}
TRIPLE=${FUZZ_TRIPLE:-$(rustc -vV | sed -n 's/^host: //p')}
BIN="target/$TRIPLE/release"
LOGS=artifacts-logs
mkdir -p "$LOGS"
[ -f "$LOGS/summary.tsv" ] || printf 'target\tsegment\tmode\tseconds\texecs\texec_per_s\tcrashes\tcorpus_files\n' >"$LOGS/summary.tsv"

extra_flags() {
  case "$1" in
    responses) echo "-dict=dict/responses.dict" ;;
    simulator_request) echo "-dict=dict/simulator_request.dict" ;;
    simulator_pipeline) echo "-dict=dict/simulator_pipeline.dict" ;;
    pem_keys) echo "-max_len=8192" ;;
    *) echo "" ;;
  esac
}

for t in $TARGETS; do
  [ -x "$BIN/$t" ] || { echo "no $BIN/$t: build first" >&2; exit 1; }
  mkdir -p "corpus-run/$t" "artifacts/$t"
  cp -n "corpus/$t"/* "corpus-run/$t"/ 2>/dev/null
  t0=$(date +%s)
  seg=0
  mode=normal
  while :; do
    left=$((TOTAL - ($(date +%s) - t0)))
    [ "$left" -ge 5 ] || break
    seg=$((seg + 1))
    log="$LOGS/$t.$seg.log"
    s0=$(date +%s)
    echo "$(date -u +%FT%TZ) $t segment $seg ($mode, ${left} s)"
    if [ "$mode" = normal ]; then
      # shellcheck disable=SC2046
      "$BIN/$t" "corpus-run/$t" -max_total_time="$left" -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1 "-artifact_prefix=artifacts/$t/" $(extra_flags "$t") >"$log" 2>&1
      rc=$?
      execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
      rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
      crashes=$([ "$rc" -eq 0 ] && echo 0 || echo 1)
    else
      # shellcheck disable=SC2046
      "$BIN/$t" "corpus-run/$t" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$left" -timeout=30 -rss_limit_mb=4096 \
        "-artifact_prefix=artifacts/$t/" $(extra_flags "$t") >"$log" 2>&1
      rc=$?
      last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
      execs=$(echo "$last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
      rate=$(echo "$last" | sed -n 's/.*exec\/s: *\([0-9]*\).*/\1/p')
      crashes=$(echo "$last" | sed -n 's/.*oom\/timeout\/crash: *\([0-9]*\/[0-9]*\/[0-9]*\).*/\1/p')
    fi
    secs=$(($(date +%s) - s0))
    files=$(find "corpus-run/$t" -type f | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$seg" "$mode" "$secs" "${execs:-?}" "${rate:-?}" \
      "${crashes:-?}" "$files" >>"$LOGS/summary.tsv"
    echo "  rc=$rc seconds=$secs execs=${execs:-?} exec/s=${rate:-?} crashes=${crashes:-?} corpus=$files"
    if [ "$mode" = normal ] && [ "$rc" -ne 0 ]; then
      grep -E 'panicked at|SUMMARY' "$log" | head -3
      mode=fork
    elif [ "$mode" = fork ]; then
      break
    fi
  done
done
echo "$(date -u +%FT%TZ) campaign done"
