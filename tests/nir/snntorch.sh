#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nir/snntorch.sh : a network trained in snnTorch, exported by snnTorch's own NIR
# exporter, imported by host/nir, then
#   - its classes compared with snnTorch's own inference on the same input spikes (the
#     accelerator's rate coder, tests/nir/rate_spikes.c) over the whole test split: the
#     agreement is reported (tests/nir/snntorch_net.py compare), it is not a tolerance;
#   - run on the simulated board: 0 mismatches against the golden model;
#   - exported again and re-imported: the identical model file.
#   snntorch.sh HOST_NIR HOST_EVAL HOST_RUN SIM_BOARD RATE_SPIKES VENV_PYTHON DIR SIM_IMAGES
set -u
NIR=$1 EVAL=$2 RUN=$3 SIM=$4 SPIKES=$5 PY=$6 DIR=$7 SIM_N=$8
HERE=$(dirname "$0")
T=16 K=3 DATA=mnist IDX=build/data/mnist
rm -rf "$DIR" && mkdir -p "$DIR"
die() { echo "snntorch: FAIL: $*"; exit 1; }
n=$("$SPIKES" "$DATA" 1000000 $T "$DIR/spikes.bin" | jq .images) || die "rate_spikes"
"$PY" "$HERE/snntorch_net.py" train --data "$IDX" --spikes "$DIR/spikes.bin" --images "$n" --steps $T --k $K \
    --epochs 1 --out "$DIR/snntorch.nir" --pred "$DIR/snntorch.json" || die "snnTorch training/export"
"$NIR" import "$DIR/snntorch.nir" --out "$DIR/snntorch.qmodel" --steps $T --data $DATA --calib-images 512 -q \
    > "$DIR/import.json" || die "host/nir import of snnTorch's export"
jq -c '{layers: [.layers[] | {leak_shift, leak_exact, dt_from, threshold_min}], warnings,
        float_vs_int8: .data.agreement}' "$DIR/import.json"
jq -e "[.layers[] | .leak_shift == $K and .leak_exact] | all" "$DIR/import.json" > /dev/null \
    || die "beta = 1 - 2^-$K did not map to an exact leak shift $K"
"$EVAL" --model "$DIR/snntorch.qmodel" --data $DATA --per-image "$DIR/ours.csv" -q > /dev/null || die "host/eval"
"$NIR" export "$DIR/snntorch.qmodel" --out "$DIR/int8.nir" -q > /dev/null || die "host/nir export"
"$NIR" import "$DIR/int8.nir" --out "$DIR/again.qmodel" -q > /dev/null || die "re-import"
cmp -s "$DIR/snntorch.qmodel" "$DIR/again.qmodel" || die "export then import changed the model file"
"$PY" "$HERE/snntorch_net.py" compare --pred "$DIR/snntorch.json" --csv "$DIR/ours.csv" --int8-nir "$DIR/int8.nir" \
    --spikes "$DIR/spikes.bin" --report "$DIR/agreement.json" || die "class comparison"
timeout 600 "$RUN" --device sim --sim-board "$SIM" --model "$DIR/snntorch.qmodel" --data $DATA --limit "$SIM_N" \
    --quiet --report "$DIR/sim.json" > /dev/null
jq -c '{status, images, agreement, mismatch_count, accuracy}' "$DIR/sim.json" || die "no host/run report"
jq -e '.status == "ok" and .images > 0 and .mismatch_count == 0 and .agreement == 1' "$DIR/sim.json" > /dev/null \
    || die "the simulated board disagreed with the golden model"
echo "snntorch: PASS"
