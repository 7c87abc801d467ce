#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# summary.sh [BUILD [FAILED_STAGE...]] : the table that ends `make`, from the JSON reports the
# stages wrote (missing reports are skipped: the stage has not run or does not exist yet), then
# the stages that failed; exits 1 when any did.
set -euo pipefail
build=${1:-build}
shift $(( $# > 0 ? 1 : 0 ))
if ! command -v jq >/dev/null; then
    echo "summary: jq is missing (make deps installs it)" >&2
    exit 1
fi
printf '\n%-10s %-28s %s\n' "stage" "report" "result"
printf '%-10s %-28s %s\n' "-----" "------" "------"
shown=0
row() { # stage file jq-filter
    local f="$build/$2"
    [ -f "$f" ] || return 0
    local line
    if line=$(jq -r "$3" "$f" 2>/dev/null); then
        printf '%-10s %-28s %s\n' "$1" "$2" "$line"
    else
        printf '%-10s %-28s %s\n' "$1" "$2" "(unreadable JSON)"
    fi
    shown=$((shown + 1))
}
num='def n(k): if has(k) then (.[k] | tostring) else "?" end;'
row train "train/report.json"      "$num"' "INT8 accuracy " + n("int8_accuracy") + " (FP32 " + n("fp32_accuracy") + ", QAT " + n("qat_accuracy") + "), " + n("golden_mismatches") + " golden mismatches, " + n("int8_model_bytes") + " model bytes"'
row eval  "eval/report.json"       "$num"' "accuracy " + n("accuracy") + " on " + n("images") + " images, " + n("images_per_cpu_second") + " images/CPU-s"'
row sim   "sim/report.json"        "$num"' n("mismatches") + " mismatches on " + n("images") + " images (" + n("source") + "), " + n("cycles_mean") + " cycles/image, bound " + n("bound_cycles_mean") + ", RTL accuracy " + n("rtl_accuracy")'
row fpga  "icebreaker/report.json" "$num"' "fmax " + n("fmax_mhz") + " MHz (clock " + n("clock_mhz") + ", nextpnr target " + n("target_mhz") + "), LC " + n("lut") + "/" + n("lut_total") + ", EBR " + n("ebr") + ", SPRAM " + n("spram") + ", DSP " + n("dsp") + ", timing met " + n("timing_met") + "; " + n("toolchain") + ": " + n("yosys") + ", " + n("nextpnr")'
row ecp5  "ulx3s/report.json"      "$num"' "fmax " + n("fmax_mhz") + " MHz (target " + n("target_mhz") + "), LUT4 " + n("lut") + "/" + n("lut_total") + ", DP16KD " + n("ebr") + "/" + n("ebr_total") + ", DSP " + n("dsp") + ", timing met " + n("timing_met") + "; " + n("toolchain") + ": " + n("yosys") + ", " + n("nextpnr")'
row run   "run/report.json"        "$num"' n("status") + ": " + n("images") + " images, agreement " + n("agreement") + ", accuracy " + n("accuracy") + ", " + n("simulated_images_per_second") + " simulated images/s (" + n("fraction_of_link_bound") + " of the link bound), " + n("link_errors") + " link errors"'
[ "$shown" -gt 0 ] || echo "(no stage reports under $build/ yet)"
if [ -f "$build/report/index.html" ]; then
    printf '\nresults page: %s (plots, tables; open it in a browser)\n' "$build/report/index.html"
fi
if [ $# -gt 0 ]; then
    printf '\nmake: FAILED stages: %s (their messages are above)\n' "$*" >&2
    exit 1
fi
