#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# summary.sh [BUILD] : the table that ends `make`, from the JSON reports the stages wrote
# (missing reports are skipped: the stage has not run or does not exist yet).
set -euo pipefail
build=${1:-build}
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
# the first scalar fields of a report whose keys this script does not know in detail
generic='[to_entries[] | select(.value | type == "number" or type == "string" or type == "boolean")
         | "\(.key)=\(.value)"] | .[:6] | join(", ")'
row train "train/report.json"      "$generic"
row eval  "eval/report.json"       "$num"' "accuracy " + n("accuracy") + " on " + n("images") + " images, " + n("images_per_cpu_second") + " images/CPU-s"'
row sim   "sim/report.json"        "$generic"
row fpga  "icebreaker/report.json" "$generic"
row run   "run/report.json"        "$generic"
[ "$shown" -gt 0 ] || echo "(no stage reports under $build/ yet)"
