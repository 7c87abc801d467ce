#!/bin/sh
# SPDX-License-Identifier: MIT
# sim/unit/capacity_change.sh : a capacity change in hls/snn_config.def either builds a consistent
# core or stops elaboration with a message naming the constant.  Works on copies of hls/ and rtl/
# (the tree is never touched): each case edits the copy's snn_config.def, regenerates the Verilog
# header with the copy's gen_config_vh and lints the copy's core with Verilator -Wall.
# Usage: sim/unit/capacity_change.sh MAC16_SIM_V   (Yosys's SB_MAC16 model, build/gen/sb_mac16_sim.v)
set -u
MAC16=${1:?usage: capacity_change.sh build/gen/sb_mac16_sim.v}
VERILATOR=${VERILATOR:-verilator}
CC=${CC:-cc}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

# lint_case NAME SED_EXPR EXPECT: EXPECT is "clean" or the constant the error must name
lint_case() {
    name=$1 expr=$2 expect=$3
    rm -rf "$tmp/t" && mkdir -p "$tmp/t/gen" && cp -r hls protocol rtl "$tmp/t/" || exit 2
    sed -i "$expr" "$tmp/t/hls/snn_config.def"
    if [ -n "$expr" ] && cmp -s hls/snn_config.def "$tmp/t/hls/snn_config.def"; then
        echo "capacity_change: $name: the edit '$expr' changed nothing (test out of date)"; fail=1; return
    fi
    "$CC" -std=c99 -I"$tmp/t/hls" -I"$tmp/t/protocol" "$tmp/t/hls/gen_config_vh.c" -o "$tmp/t/gen_vh" || exit 2
    "$tmp/t/gen_vh" > "$tmp/t/gen/snn_config.vh" || exit 2
    "$VERILATOR" --lint-only -Wall -I"$tmp/t/gen" -I"$tmp/t/rtl/core" -I"$tmp/t/rtl/prim" --top-module snn_core \
        "$tmp/t/rtl/lint.vlt" "$tmp/t"/rtl/core/*.v "$tmp/t"/rtl/prim/*.v "$MAC16" > "$tmp/t/lint.log" 2>&1
    rc=$?
    if [ "$expect" = clean ]; then
        if [ $rc -eq 0 ]; then echo "capacity_change: $name: PASS (builds)"; else
            echo "capacity_change: $name: FAIL: expected a clean lint"; head -5 "$tmp/t/lint.log"; fail=1; fi
    elif [ $rc -ne 0 ] && grep -E '%Error' "$tmp/t/lint.log" | grep -q "$expect"; then
        echo "capacity_change: $name: PASS (stops: $(grep -m1 -o "snn_[a-z_]*$expect[A-Za-z0-9_]*" "$tmp/t/lint.log"))"
    else
        echo "capacity_change: $name: FAIL: expected an error naming $expect (lint exit $rc)"; head -5 "$tmp/t/lint.log"; fail=1
    fi
}

lint_case "unchanged" "" clean
lint_case "SNN_MAX_STEPS 255 -> 100" 's/^SNN_CONST(SNN_MAX_STEPS, *255,/SNN_CONST(SNN_MAX_STEPS, 100,/' clean
lint_case "SNN_MAX_NEURONS 512 -> 1024, SNN_MAX_TOTAL_NEURONS 1024 -> 2048" \
    's/^SNN_CONST(SNN_MAX_NEURONS, *512,/SNN_CONST(SNN_MAX_NEURONS, 1024,/; s/^SNN_CONST(SNN_MAX_TOTAL_NEURONS, *1024,/SNN_CONST(SNN_MAX_TOTAL_NEURONS, 2048,/' \
    SNN_MAX_NEURONS
lint_case "SNN_MAX_INPUTS 1024 -> 2048" 's/^SNN_CONST(SNN_MAX_INPUTS, *1024,/SNN_CONST(SNN_MAX_INPUTS, 2048,/' SNN_MAX_INPUTS
lint_case "SNN_MAX_TOTAL_NEURONS 1024 -> 2048" 's/^SNN_CONST(SNN_MAX_TOTAL_NEURONS, *1024,/SNN_CONST(SNN_MAX_TOTAL_NEURONS, 2048,/' \
    SNN_MAX_TOTAL_NEURONS
[ $fail -eq 0 ] && echo "capacity_change: PASS" || echo "capacity_change: FAIL"
exit $fail
