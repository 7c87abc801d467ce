#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/run/faults.sh : host/run through the fault-injection proxy.  Two settings:
#   mild  (RATE_MILD per byte of each of drop, dup, corrupt): must finish, every answer agreeing,
#         and must have met and recovered from link errors (else the test proves nothing);
#   harsh (RATE_HARSH): must either finish with every answer agreeing, or stop with a non-zero
#         exit and a clear error; a zero exit with any disagreement fails the test.
#   faults.sh HOST_RUN FAULT_PROXY MODEL WORKDIR LIMIT_MILD LIMIT_HARSH BOARD_PROGRAM [ARGS...]
# BAUD=N runs host/run with --baud N (the proxy passes the switch on to the board's pty);
# FALLBACK=B adds a run over a line that garbles every rate above B (host/run must fall back).
# (LIMIT_HARSH 0 skips the harsh setting: on the slow simulated board it mostly measures backoff)
set -u
RUN=$1 PROXY=$2 MODEL=$3 WORK=$4 LIMIT_MILD=$5 LIMIT_HARSH=$6; shift 6
RATE_MILD=${RATE_MILD:-2e-5} RATE_HARSH=${RATE_HARSH:-3e-4}
mkdir -p "$WORK"
pids=() fails=0
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

first_line() {     # first_line FILE: waits up to 30 s for a /dev/pts line
    for _ in $(seq 300); do
        l=$(grep -m1 '^/dev/pts/' "$1" 2>/dev/null); [ -n "$l" ] && { echo "$l"; return; }; sleep 0.1
    done
    echo "faults: $1: no /dev/pts/N printed" >&2; exit 1
}

# one NAME RATE SEED LIMIT: board + proxy + host/run; leaves rc in RC, report in $WORK/NAME.json
one() {
    local name=$1 rate=$2 seed=$3 limit=$4 bp pp bpts ppts
    "${BOARD[@]}" > "$WORK/$name.board" 2> "$WORK/$name.board.err" & bp=$!; pids+=($bp)
    bpts=$(first_line "$WORK/$name.board")
    "$PROXY" --upstream "$bpts" --drop "$rate" --dup "$rate" --corrupt "$rate" --seed "$seed" ${PROXY_EXTRA[@]+"${PROXY_EXTRA[@]}"} \
        --stats "$WORK/$name.proxy.json" > "$WORK/$name.proxy" 2> /dev/null & pp=$!; pids+=($pp)
    ppts=$(first_line "$WORK/$name.proxy")
    timeout 300 "$RUN" --device "$ppts" --model "$MODEL" --limit "$limit" --quiet ${BAUD:+--baud "$BAUD"} \
        --report "$WORK/$name.json" > /dev/null 2> "$WORK/$name.err"
    RC=$?
    kill $pp $bp 2>/dev/null; wait $pp $bp 2>/dev/null
    printf '%-6s rate %s seed %s: exit %s; %s; proxy %s\n' "$name" "$rate" "$seed" "$RC" \
        "$(jq -c '{status, images, agreement, baud, framing, link_errors, retries, crc_errors, naks, timeouts, fallbacks}' "$WORK/$name.json" 2>/dev/null)" \
        "$(jq -c '[.to_board.dropped + .to_board.duplicated + .to_board.corrupted, .to_host.dropped + .to_host.duplicated + .to_host.corrupted] | "faults to board \(.[0]), to host \(.[1])"' "$WORK/$name.proxy.json" 2>/dev/null)"
}

BOARD=("$@")
PROXY_EXTRA=()

if [ -z "${FALLBACK:-}" ]; then
one mild "$RATE_MILD" 11 "$LIMIT_MILD"
if [ "$RC" = 124 ]; then echo "FAIL mild: host/run hung"; fails=$((fails+1))
elif [ "$RC" != 0 ]; then echo "FAIL mild: exit $RC:"; tail -3 "$WORK/mild.err"; fails=$((fails+1))
elif ! jq -e ".status == \"ok\" and .images == $LIMIT_MILD and .agreement == 1 and .retries > 0" "$WORK/mild.json" > /dev/null; then
    echo "FAIL mild: expected status ok, $LIMIT_MILD images, agreement 1 and some retries"; fails=$((fails+1))
elif [ -n "${BAUD:-}" ] && ! jq -e ".baud == $BAUD" "$WORK/mild.json" > /dev/null; then
    echo "FAIL mild: the stream did not run at $BAUD baud"; fails=$((fails+1))
fi

if [ "$LIMIT_HARSH" = 0 ]; then
    echo "harsh  skipped (LIMIT_HARSH=0)"
else
one harsh "$RATE_HARSH" 12 "$LIMIT_HARSH"
fi
fi
if [ "$LIMIT_HARSH" = 0 ]; then :
elif [ "$RC" = 124 ]; then echo "FAIL harsh: host/run hung"; fails=$((fails+1))
elif [ "$RC" = 0 ]; then
    jq -e ".status == \"ok\" and .images == $LIMIT_HARSH and .agreement == 1" "$WORK/harsh.json" > /dev/null \
        || { echo "FAIL harsh: exit 0 without every answer agreeing"; fails=$((fails+1)); }
else
    jq -e '.status != "ok" and (.error // "mismatch" | length) > 0' "$WORK/harsh.json" > /dev/null \
        && grep -qE 'run: (.*(link|answer|CRC|retries|not answering)|MISMATCH)' "$WORK/harsh.err" \
        || { echo "FAIL harsh: non-zero exit without a clear error:"; tail -3 "$WORK/harsh.err"; fails=$((fails+1)); }
    echo "       stopped with: $(grep -m1 '^run: ' "$WORK/harsh.err" | cut -c1-160)"
fi

# FALLBACK=B: a line that garbles everything above B baud; host/run (fastest rate by default)
# must find the new rate dead, take both ends back to 3 Mbaud and finish there
if [ -n "${FALLBACK:-}" ]; then
    PROXY_EXTRA=(--garble-above "$FALLBACK"); BAUD=
    one fallback 0 13 "$LIMIT_MILD"
    if [ "$RC" != 0 ]; then echo "FAIL fallback: exit $RC:"; tail -3 "$WORK/fallback.err"; fails=$((fails+1))
    elif ! jq -e ".status == \"ok\" and .agreement == 1 and .baud == 3000000 and .fallbacks >= 1" "$WORK/fallback.json" > /dev/null; then
        echo "FAIL fallback: expected status ok, agreement 1, baud 3000000 after a fallback"; fails=$((fails+1))
    fi
    # ... and a line that dies in the middle of the stream (after the upload and its read-back)
    PROXY_EXTRA=(--garble-above "$FALLBACK" --garble-after "${FALLBACK_AFTER:-27500}")
    one fallback-late 0 14 "$LIMIT_MILD"
    if [ "$RC" != 0 ]; then echo "FAIL fallback-late: exit $RC:"; tail -3 "$WORK/fallback-late.err"; fails=$((fails+1))
    elif ! jq -e ".status == \"ok\" and .agreement == 1 and .images == $LIMIT_MILD and .baud == 3000000 and .fallbacks >= 1 and .rate_switches >= 1" "$WORK/fallback-late.json" > /dev/null; then
        echo "FAIL fallback-late: expected every image agreeing at 3000000 baud after a switch and a fallback"; fails=$((fails+1))
    fi
fi

if [ $fails -ne 0 ]; then echo "faults.sh: $fails FAILED"; exit 1; fi
echo "faults.sh: PASS"
