#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench_toolchain.sh OUTDIR RUN... : iCEBreaker synthesis + place-and-route with each RUN
# ("toolchain|yosys synth_ice40 options|nextpnr options|seed"), one after another, each through
# `make` (TOOLCHAIN, ICE40_SYNTH_OPTS, ICE40_PNR_OPTS, BOARD_SEED, ICE_DIR), so the flow is
# exactly `make bitstream`'s.  Runs with the same toolchain and synthesis options share one
# synthesis.  One JSON line per run goes to OUTDIR/runs.jsonl (logic cells, fmax, wall and CPU
# seconds, tool versions, commit); a run already recorded for this commit is skipped, so an
# interrupted sweep resumes.  A step that runs longer than BENCH_TC_TIMEOUT_S (default 1800 s; a
# run takes 3-10 min) is stopped and recorded as failed, so a router that does not converge
# cannot hold up the sweep.  OUTDIR/table.md summarises all runs of this commit.
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
    awk 'NR >= 3 && !/^#/ {exit} NR >= 3 {sub(/^# ?/, ""); print}' "$0"
    exit $(( $# < 1 ))
fi
out=$1; shift
# a run passes when its fmax meets the board clock (BENCH_TC_CLOCK_MHZ, set by make
# bench-toolchain), not nextpnr's target, which is set above it
clock=${BENCH_TC_CLOCK_MHZ:-0}
make=${MAKE:-make}
limit=${BENCH_TC_TIMEOUT_S:-1800}
mkdir -p "$out"
runs="$out/runs.jsonl"
touch "$runs"
commit=$(git rev-parse --short=12 HEAD)
git diff --quiet HEAD -- rtl constraints mk || echo "bench_toolchain: warning: uncommitted changes under rtl/ constraints/ mk/: the runs are of $commit plus those" >&2

# timed MAKE-ARGS...: run make, print "wall cpu" seconds (cpu = user + sys of make and its
# children); stopped (with the tool it runs: timeout signals its process group) after $limit s,
# exit status 124
timed() {
    local tf rc=0
    tf=$(mktemp)
    timeout "$limit" /usr/bin/time -f '%e %U %S' -o "$tf" "$make" --no-print-directory -s "$@" >&2 || rc=$?
    awk '{printf "%.1f %.1f\n", $1, $2 + $3}' "$tf"
    rm -f "$tf"
    return $rc
}

# failed KEY STEP STATUS LOG: record a run whose STEP failed (status 124: stopped at the time limit;
# the last router iteration in LOG says how far it got)
failed() {
    local why="$2 failed"
    if [ "$3" -eq 124 ]; then
        why="$2: no result in $limit s"
        local last
        last=$(grep -o 'iter=.*' "$4" 2>/dev/null | tail -1) || true
        [ -n "$last" ] && why="$why (router at $last)"
    fi
    echo "bench_toolchain: [$n/$total] $why (see $4)" >&2
    jq -c --argjson k "$1" --arg w "$why" '$k + {failed: $w, date: (now | todate)}' <<<'{}' | tee -a "$runs" >&2
}

n=0
total=$#
for spec in "$@"; do
    n=$((n + 1))
    IFS='|' read -r tc sopts popts seed <<<"$spec"
    key=$(jq -nc --arg c "$commit" --arg t "$tc" --arg s "$sopts" --arg p "$popts" --argjson e "$seed" \
        '{commit: $c, toolchain: $t, synth_opts: $s, pnr_opts: $p, seed: $e}')
    # (jq's own status, no pipe: under pipefail `jq | grep -q` failed whenever grep quit before jq
    # had written all its output, and a recorded run was made again)
    if jq -se --argjson k "$key" 'any(.[]; .commit == $k.commit and .toolchain == $k.toolchain and
          .synth_opts == $k.synth_opts and .pnr_opts == $k.pnr_opts and .seed == $k.seed)' "$runs" \
          > /dev/null 2>&1; then
        echo "bench_toolchain: [$n/$total] $tc '$sopts' '$popts' seed $seed: recorded already" >&2
        continue
    fi
    dir="$out/$tc$(echo "$sopts" | tr -c 'a-z0-9\n' '_')"
    vars=(TOOLCHAIN="$tc" ICE40_SYNTH_OPTS="$sopts" ICE40_PNR_OPTS="$popts" BOARD_SEED="$seed" ICE_DIR="$dir")
    echo "bench_toolchain: [$n/$total] $tc synth '$sopts' pnr '$popts' seed $seed ($(date -u +%H:%M:%S))" >&2
    # a run that fails (a variant that does not fit, a tool error) is recorded as failed and the
    # sweep goes on
    rc=0
    t=$(timed "${vars[@]}" "$dir/quantarion.json") || rc=$?
    if [ $rc -ne 0 ]; then
        failed "$key" synthesis $rc "$dir/yosys.log"
        continue
    fi
    read -r swall scpu <<<"$t"
    # the synthesis cost is the one of the run that synthesized (later runs reuse its netlist)
    awk -v c="$scpu" 'BEGIN {exit !(c > 1)}' && echo "$swall $scpu" > "$dir/synth.cost"
    read -r swall scpu < "$dir/synth.cost"
    rc=0
    t=$(timed "${vars[@]}" "$dir/nextpnr.json") || rc=$?
    if [ $rc -ne 0 ]; then
        failed "$key" "place and route" $rc "$dir/nextpnr.log"
        continue
    fi
    read -r pwall pcpu <<<"$t"
    ys=$("$make" --no-print-directory -s TOOLCHAIN="$tc" print-toolchain | sed -n 's/^yosys //p')
    np=$("$make" --no-print-directory -s TOOLCHAIN="$tc" print-toolchain | sed -n 's/^nextpnr //p')
    jq -c --argjson k "$key" --arg ys "$ys" --arg np "$np" \
        --argjson sw "$swall" --argjson sc "$scpu" --argjson pw "$pwall" --argjson pc "$pcpu" \
        '$k + {yosys: $ys, nextpnr: $np, lc: .utilization.ICESTORM_LC.used,
               lc_total: .utilization.ICESTORM_LC.available, ebr: .utilization.ICESTORM_RAM.used,
               dsp: (.utilization.ICESTORM_DSP.used // 0),
               fmax_mhz: ([.fmax[].achieved] | min), target_mhz: ([.fmax[].constraint] | min),
               synth_wall_s: $sw, synth_cpu_s: $sc, pnr_wall_s: $pw, pnr_cpu_s: $pc,
               date: (now | todate)}' "$dir/nextpnr.json" | tee -a "$runs" >&2
done

# the summary of this commit's runs: one row per toolchain and option set
jq -rs --arg c "$commit" --argjson clk "$clock" '
  def r2: . * 100 | round / 100;
  def med: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  map(select(.commit == $c and (.failed | not))) | group_by([.toolchain, .synth_opts, .pnr_opts]) | .[] |
  "| \(.[0].toolchain) (\(.[0].yosys), \(.[0].nextpnr)) | \(if .[0].synth_opts == "" then "-" else .[0].synth_opts end) | \(if .[0].pnr_opts == "" then "-" else .[0].pnr_opts end) | \(map(.seed) | map(tostring) | join(",")) | \(map(.lc) | min)-\(map(.lc) | max) | \(map(.fmax_mhz) | min | r2) / \(map(.fmax_mhz) | med | r2) / \(map(.fmax_mhz) | max | r2) | \(map(.fmax_mhz >= (if $clk > 0 then $clk else .target_mhz end)) | map(select(.)) | length)/\(length) | \(.[0].synth_cpu_s | round) | \(map(.pnr_cpu_s) | med | round) | \(map(.pnr_wall_s) | med | round) |"' \
  "$runs" > "$out/rows.md"
{
    target=$(jq -rs --arg c "$commit" 'map(select(.commit == $c) | .target_mhz // empty) | max // empty' "$runs")
    echo "Commit $commit; \`make bench-toolchain\` (host/scripts/bench_toolchain.sh), nextpnr target ${target:-unknown (no run finished)} MHz; a run meets the clock at fmax >= ${BENCH_TC_CLOCK_MHZ:-its target} MHz."
    echo
    echo "| toolchain | synth_ice40 | nextpnr | seeds | logic cells | fmax MHz min / median / max | meets the clock | synth CPU s | PnR CPU s (median) | PnR wall s (median) |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    cat "$out/rows.md"
    jq -rs --arg c "$commit" 'map(select(.commit == $c and .failed)) | .[] |
      "\nFailed: \(.toolchain) synth \"\(.synth_opts)\" pnr \"\(.pnr_opts)\" seed \(.seed): \(.failed)."' "$runs"
} > "$out/table.md"
cat "$out/table.md"
