#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_export_c.sh OUTDIR EVAL SYNTH_MODEL : a model exported by `host/eval --export-c` compiles
# with hls/ (strict golden flags) and gives, image by image, the class, steps used and counts
# host/eval gives (rate with exact early exit, direct with lead:2:3, set by host/eval --early-exit).
set -euo pipefail
out=$1 eval=$2 synth=$3
n=300
mkdir -p "$out"
status=0
for variant in "rate:exact:--seed 3" "direct:lead:2:3:--seed 4 --encoding direct --per-neuron --reset-zero --sizes 784,40,24,10 --threshold 40 --steps 9"; do
    name=${variant%%:*} rest=${variant#*:}
    args=${rest##*:--} args=--$args exit=${rest%:--*}
    # shellcheck disable=SC2086
    "$synth" --out "$out/$name.qmodel" $args
    "$eval" --model "$out/$name.qmodel" --early-exit "$exit" --export-c "$out/$name.h" --export-name "model_$name" --quiet
    # the firmware side (export_main.c with the header, and hls/) under the golden model's strict flags
    for src in tests/unit/export_main.c $(ls hls/*.c | grep -v gen_config_vh); do
        cc -std=c99 -O2 -Wall -Wextra -Wvla -Werror -Wno-unknown-pragmas -pedantic -Ihls -Ihost/src/common \
            -I"$out" -DMODEL_HEADER="\"$name.h\"" -DMODEL_NAME="model_$name" -c "$src" \
            -o "$out/$name.$(basename "$src" .c).o"
    done
    cc -std=c11 -D_GNU_SOURCE -Ihls -Ihost/src/common "$out/$name".*.o host/src/common/dataset.c \
        host/src/common/qio.c -lz -o "$out/$name"
    "$out/$name" mnist "$n" > "$out/$name.export.csv"
    "$eval" --model "$out/$name.qmodel" --early-exit "$exit" --data mnist --limit "$n" --per-image "$out/$name.eval.csv" --quiet >/dev/null
    if cmp -s "$out/$name.export.csv" "$out/$name.eval.csv" && [ "$(wc -l < "$out/$name.eval.csv")" -eq $((n + 1)) ]; then
        echo "check_export_c: $name: PASS ($n images, early exit $exit, exported header == host/eval)"
    else
        echo "check_export_c: $name: FAIL: $out/$name.export.csv differs from $out/$name.eval.csv" >&2
        status=1
    fi
done
exit $status
