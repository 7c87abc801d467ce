#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# verify.sh : the release check run before flashing (make verify MODEL=M [TARGET_ACC=97.3]).
# Runs, in order, and stops at the first that fails, naming it:
#   capacity  the model file reads and fits the accelerator (hls/snn_config.def)
#   accuracy  golden-model INT8 accuracy on the whole test split >= TARGET_ACC (percent)
#   rtl       the RTL in Verilator equals the golden model on the whole test split
#   gate      the Yosys iCE40 netlist equals the golden model on the first GATE_IMAGES images
#   timing    the iCEBreaker bitstream meets its PLL clock (make bitstream)
# Environment (set by mk/report.mk): MODEL TARGET_ACC DATA BUILD SIM_CORE GATE_STIM GATE_VVP
# GATE_IMAGES MAKE.  Writes BUILD/verify/report.json; exit 0 when every check passed.
set -uo pipefail
: "${MODEL:?make verify MODEL=path/to/model.qmodel}" "${TARGET_ACC:=97.3}" "${DATA:=mnist}" "${BUILD:=build}"
: "${SIM_CORE:?}" "${GATE_STIM:?}" "${GATE_VVP:?}" "${GATE_IMAGES:=2}" "${MAKE:=make}"
dir=$BUILD/verify
mkdir -p "$dir"
results=()
finish() { # finish STATUS [FAILED_CHECK MESSAGE]
    local json
    json=$(printf '%s\n' "${results[@]}" | jq -s --arg model "$MODEL" --arg failed "${2:-}" \
        '{model: $model, checks: ., passed: ($failed == ""), failed_check: (if $failed == "" then null else $failed end)}')
    printf '%s\n' "$json" > "$dir/report.json"
    if [ "$1" = 0 ]; then
        echo "verify: PASS: $MODEL: capacity, accuracy, rtl, gate and timing checks passed"
    else
        echo "verify: FAIL: check '$2': $3" >&2
    fi
    printf '%s\n' "$json" | jq -c .
    exit "$1"
}
pass() { results+=("$(jq -nc --arg c "$1" --arg d "$2" '{check: $c, passed: true, detail: $d}')"); echo "verify: $1: ok ($2)"; }
fail() { results+=("$(jq -nc --arg c "$1" --arg d "$2" '{check: $c, passed: false, detail: $d}')"); finish 1 "$1" "$2"; }

# capacity: the reader checks every field against the accelerator's capacity
if ! info=$(host/eval --model "$MODEL" --info 2>&1); then
    fail capacity "$(printf '%s' "$info" | tail -1)"
fi
pass capacity "$(printf '%s' "$info" | head -1)"

# accuracy
if ! host/eval --model "$MODEL" --data "$DATA" --quiet --report "$dir/eval.json" > /dev/null 2> "$dir/eval.log"; then
    fail accuracy "host/eval failed: $(tail -1 "$dir/eval.log")"
fi
acc=$(jq '.accuracy * 10000 | round / 100' "$dir/eval.json")
if ! jq -e --argjson t "$TARGET_ACC" '.accuracy * 100 >= $t' "$dir/eval.json" > /dev/null; then
    fail accuracy "INT8 accuracy $acc % on $(jq .images "$dir/eval.json") $DATA test images is below the target $TARGET_ACC %"
fi
pass accuracy "$acc % >= $TARGET_ACC % on $(jq .images "$dir/eval.json") images"

# rtl: the whole test split in Verilator
"$SIM_CORE" --model "$MODEL" --dataset "$DATA" --images all --report "$dir/sim.json" > "$dir/sim.log" 2>&1
rc=$?
if [ $rc != 0 ] || ! jq -e '.mismatches == 0 and .images > 0' "$dir/sim.json" > /dev/null 2>&1; then
    fail rtl "RTL vs golden model: $(grep -m1 '^sim:' "$dir/sim.log" || tail -1 "$dir/sim.log") (log $dir/sim.log)"
fi
pass rtl "0 mismatches on $(jq .images "$dir/sim.json") images"

# gate: the synthesized netlist on a sample
if ! "$GATE_STIM" --model "$MODEL" --data "$DATA" --images "$GATE_IMAGES" --out "$dir/gate.hex" 2> "$dir/gate.log" ||
   ! vvp -n "$GATE_VVP" +script="$dir/gate.hex" >> "$dir/gate.log" 2>&1 || ! grep -q 'tb_gate: PASS' "$dir/gate.log"; then
    fail gate "the gate-level netlist disagrees with the golden model or did not run (log $dir/gate.log)"
fi
pass gate "gate-level netlist == golden model on $GATE_IMAGES images"

# timing: the bitstream at the PLL clock
if ! $MAKE --no-print-directory bitstream > "$dir/bitstream.log" 2>&1; then
    fail timing "$(grep -m1 -E 'timing NOT met|failed' "$dir/bitstream.log" || tail -1 "$dir/bitstream.log") (log $dir/bitstream.log)"
fi
pass timing "$(jq -r '"fmax \(.fmax_mhz * 100 | round / 100) MHz >= the \(.clock_mhz) MHz clock (seed \(.seed), \(.toolchain))"' "$BUILD/icebreaker/report.json")"
finish 0
