#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/train/smoke.sh TRAIN EVAL OUTDIR : a tiny training run, checked for real:
#   - the model file is valid (host/eval --info reads it) and the report has its keys;
#   - the INT8 accuracy in the report equals host/eval's on the exported model, image count
#     and correct count exactly;
#   - the same seed and threads give a byte-identical model; a run killed after a checkpoint
#     and resumed gives the same bytes too;
#   - a NaN weight (poisoned checkpoint) stops the run with a message and exports nothing;
#   - bad input fails cleanly: unknown option (2), a network beyond capacity (1), a wrong
#     --verify-scale (1) and a right one (0).
set -euo pipefail
TRAIN=$1 EVAL=$2 OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
fail() { echo "FAIL: $*" >&2; exit 1; }
ARGS=(--data mnist --train-limit 500 --epochs 1 --qat-epochs 1 --calib-batches 2 --threads 2 --quiet)

echo "smoke: tiny run" >&2
"$TRAIN" "${ARGS[@]}" --out "$OUT/a.qmodel" --report "$OUT/a.json" --plot "$OUT/a.png" > "$OUT/a.stdout"
"$EVAL" --info --model "$OUT/a.qmodel" > /dev/null || fail "host/eval cannot read the exported model"
for k in fp32_accuracy qat_accuracy int8_accuracy epoch_seconds train_images_per_second \
         float_weight_bytes int8_model_bytes scales epochs; do
    jq -e "has(\"$k\")" "$OUT/a.json" > /dev/null || fail "report lacks key $k"
done
[ -s "$OUT/a.png" ] || fail "no training-curve PNG"
jq -e '.golden_mismatches == 0' "$OUT/a.json" > /dev/null || fail "QAT forward and golden model disagree"
jq -e '.epoch_seconds | length == 2' "$OUT/a.json" > /dev/null || fail "expected 2 epochs in the report"

echo "smoke: host/eval agrees image count and correct count" >&2
"$EVAL" --quiet --model "$OUT/a.qmodel" --data mnist > "$OUT/eval.json"
tc=$(jq -r .int8_correct "$OUT/a.json"); ec=$(jq -r .correct "$OUT/eval.json")
tn=$(jq -r .test_images "$OUT/a.json"); en=$(jq -r .images "$OUT/eval.json")
ta=$(jq -r .int8_accuracy "$OUT/a.json"); ea=$(jq -r .accuracy "$OUT/eval.json")
[ "$tc" = "$ec" ] && [ "$tn" = "$en" ] || fail "trainer INT8 $tc/$tn correct, host/eval $ec/$en"
awk -v a="$ta" -v b="$ea" 'BEGIN { exit !(a == b) }' || fail "trainer INT8 accuracy $ta, host/eval $ea"
echo "smoke: INT8 accuracy $ta = host/eval $ea ($tc of $tn)" >&2

echo "smoke: determinism" >&2
"$TRAIN" "${ARGS[@]}" --out "$OUT/b.qmodel" > /dev/null
cmp "$OUT/a.qmodel" "$OUT/b.qmodel" || fail "same seed and threads, different model bytes"

echo "smoke: kill after a checkpoint, resume, same bytes" >&2
RARGS=(--data mnist --train-limit 1000 --epochs 3 --qat-epochs 1 --calib-batches 2 --threads 2 --quiet)
"$TRAIN" "${RARGS[@]}" --out "$OUT/full.qmodel" > /dev/null
"$TRAIN" "${RARGS[@]}" --out "$OUT/killed.qmodel" --checkpoint "$OUT/run.ckpt" > /dev/null &
pid=$!
for _ in $(seq 1 600); do [ -f "$OUT/run.ckpt" ] && break; sleep 0.02; done
kill -9 "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
[ -f "$OUT/run.ckpt" ] || fail "no checkpoint written"
[ ! -f "$OUT/killed.qmodel" ] || echo "smoke: note: the run finished before the kill" >&2
"$TRAIN" "${RARGS[@]}" --out "$OUT/killed.qmodel" --checkpoint "$OUT/run.ckpt" --resume > /dev/null
cmp "$OUT/full.qmodel" "$OUT/killed.qmodel" || fail "resumed run differs from the uninterrupted one"

echo "smoke: a checkpoint with a NaN weight is refused, nothing exported" >&2
# 0xFF bytes are a NaN at any float alignment; offset 200,000 lies inside the 406,528-byte
# parameter block that follows the checkpoint's short header.  (A loss or weight that turns
# NaN during training is caught by the same check after every batch; no option within its
# documented range drives a run there, so that path is not reached from here.)
cp "$OUT/run.ckpt" "$OUT/nan.ckpt"
printf '\377%.0s' $(seq 1 16) | dd of="$OUT/nan.ckpt" bs=1 seek=200000 conv=notrunc status=none
rm -f "$OUT/nan.qmodel"
set +e
"$TRAIN" "${RARGS[@]}" --out "$OUT/nan.qmodel" --checkpoint "$OUT/nan.ckpt" --resume > /dev/null 2> "$OUT/nan.err"
rc=$?
set -e
[ $rc -eq 1 ] && grep -q "NaN" "$OUT/nan.err" || fail "a NaN weight in the checkpoint should stop the run with a message (rc $rc: $(cat "$OUT/nan.err"))"
[ ! -e "$OUT/nan.qmodel" ] || fail "a model was exported from NaN weights"

echo "smoke: bad input" >&2
set +e
"$TRAIN" --no-such-option > /dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option should exit 2"
"$TRAIN" --layers 784,600,10 --quiet > /dev/null 2> "$OUT/cap.err"; rc=$?
[ $rc -eq 1 ] && grep -q "600 neurons" "$OUT/cap.err" || fail "a layer of 600 neurons should be refused with its numbers (rc $rc)"
"$TRAIN" --data /nonexistent --quiet > /dev/null 2>&1; [ $? -eq 1 ] || fail "missing data should exit 1"
scale=$(jq -r '.scales[] | select(.tensor == "layer0.weight") | .scale' "$OUT/a.json")
"$TRAIN" "${ARGS[@]}" --out "$OUT/v.qmodel" --verify-scale "layer0.weight=$scale" --scale-tol 1e-6 > /dev/null 2>&1
[ $? -eq 0 ] || fail "--verify-scale with the reported scale should pass"
"$TRAIN" "${ARGS[@]}" --out "$OUT/v.qmodel" --verify-scale layer0.current=0.015686 --scale-tol 1e-4 > /dev/null 2> "$OUT/v.err"
[ $? -eq 1 ] && grep -q FAIL "$OUT/v.err" || fail "--verify-scale with a wrong scale should fail"
set -e
echo "smoke: PASS" >&2
