#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_synth_model.sh DIR SYNTH_MODEL EVAL : synth_model makes models up to the accelerator's
# capacity and refuses larger ones with a message, writing nothing (a regression test of
# c744981: sizes beyond the capacity overran the weight array).  Each model it writes must pass
# host/eval's own check (--info reads the file through model_file.c and snn_model_check).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: check_synth_model.sh DIR SYNTH_MODEL EVAL" >&2; exit 2; }
dir=$1; synth=$2; eval=$3
rm -rf "$dir"; mkdir -p "$dir"
fails=0
# fits: 784x160 + 160x10 weight bytes of 131,072 (the widest 784-H-10); three layers; 1024 inputs
for sizes in 784,160,10 784,128,10 1024,96,32,10 16,8,8,8,10; do
    out="$dir/ok-$sizes.qmodel"
    if "$synth" --sizes "$sizes" --out "$out" > "$dir/ok.log" 2>&1 && "$eval" --info --model "$out" > /dev/null 2>> "$dir/ok.log"; then
        echo "ok   fits     $sizes"
    else
        echo "FAIL fits     $sizes: refused or unreadable:"; sed 's/^/     /' "$dir/ok.log"; fails=$((fails + 1))
    fi
done
# too large: weight bytes (784x168), neurons per layer (513), neurons in all, inputs
for sizes in 784,168,10 784,513,10 64,512,512,10 1025,8,10 8,8,8,8,8,8; do
    out="$dir/bad-$sizes.qmodel"
    rc=0; "$synth" --sizes "$sizes" --out "$out" > "$dir/bad.log" 2>&1 || rc=$?
    if [ $rc -ne 0 ] && grep -qE "needs more than the accelerator holds|expected an integer|sizes expected" "$dir/bad.log" && [ ! -e "$out" ]; then
        echo "ok   refused  $sizes: $(head -1 "$dir/bad.log")"
    else
        echo "FAIL refused  $sizes: exit $rc, file $( [ -e "$out" ] && echo written || echo absent):"; sed 's/^/     /' "$dir/bad.log"
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ] && echo "check_synth_model: PASS" || { echo "check_synth_model: FAIL ($fails)"; exit 1; }
