#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/fuzz/run.sh : runs libFuzzer harnesses, each for SECONDS, from its seed corpus
# tests/fuzz/NAME/ (new inputs go to DIR/NAME/corpus, a crash to DIR/NAME/crash-*).  Prints one
# line per harness (executions, rate, corpus) and exits 1 when any harness failed.
#   run.sh DIR SECONDS NAME...      (DIR holds the fuzz_NAME binaries)
set -u
DIR=$1 SECONDS_EACH=$2; shift 2
SEEDS=$(cd "$(dirname "$0")" && pwd)
fails=0
for name in "$@"; do
    work="$DIR/$name"
    mkdir -p "$work/corpus"
    ( cd "$work" && "../fuzz_$name" -max_total_time="$SECONDS_EACH" -max_len=150000 -timeout=10 \
        -rss_limit_mb=2048 -close_fd_mask=3 -print_final_stats=1 corpus "$SEEDS/$name" > run.log 2>&1 )
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/run.log")
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/run.log")
    cov=$(grep -oE 'cov: [0-9]+' "$work/run.log" | tail -1)
    if [ "$rc" -ne 0 ]; then
        echo "FAIL fuzz $name: exit $rc after ${execs:-?} executions; see $work/run.log"
        grep -E 'ERROR|SUMMARY|Test unit written' "$work/run.log" | head -5 | sed 's/^/    /'
        fails=$((fails+1))
    else
        echo "ok   fuzz $name: ${execs:-?} executions in $SECONDS_EACH s ($((${execs:-0} / SECONDS_EACH))/s), $cov, corpus $(ls "$work/corpus" | wc -l) + $(ls "$SEEDS/$name" | wc -l) seeds, peak ${rss:-?} MB"
    fi
done
[ "$fails" -eq 0 ]
