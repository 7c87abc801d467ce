#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/train/smoke.sh TRAIN EVAL OUTDIR : a tiny training run, checked for real:
#   - the model file is valid (host/eval --info reads it) and the report has its keys;
#   - the INT8 accuracy in the report equals host/eval's on the exported model, image count
#     and correct count exactly;
#   - the same seed and threads give a byte-identical model; a run killed after a checkpoint
#     and resumed gives the same bytes too;
#   - --holdout: the report's evaluation split is the held-out images, the trained model is the
#     same as without it (the holdout lies beyond --train-limit), and an impossible one fails;
#   - --early-exit: the setting is stored in the model; the trainer's INT8 accuracy and steps used
#     equal host/eval's on that model; exact keeps every class; host/eval --early-exit overrides
#     the model's setting (a lead model evaluated with exit off gives the off model's numbers);
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

echo "smoke: --holdout evaluates on the last training images, and trains as before" >&2
"$TRAIN" "${ARGS[@]}" --holdout 300 --out "$OUT/h.qmodel" --report "$OUT/h.json" > /dev/null
jq -e '.eval_split == "holdout" and .test_images == 300 and .train_images == 500' "$OUT/h.json" > /dev/null ||
    fail "--holdout 300: report $(jq -c '{eval_split, test_images, train_images}' "$OUT/h.json")"
[ "$(jq -r .eval_split "$OUT/a.json")" = test ] || fail "the default evaluation split should be test"
# the same weights and thresholds; the file records the test accuracy only (none for a holdout
# run): bytes 60..63 (MF_ACCURACY in host/src/common/model_file.c) and the CRC, the last 4, differ
"$EVAL" --info --model "$OUT/h.qmodel" | grep -q "INT8 test accuracy" && fail "a --holdout model records a test accuracy"
cmp -s <(head -c 60 "$OUT/a.qmodel") <(head -c 60 "$OUT/h.qmodel") &&
  cmp -s <(tail -c +65 "$OUT/a.qmodel" | head -c -4) <(tail -c +65 "$OUT/h.qmodel" | head -c -4) ||
    fail "--holdout 300 beyond --train-limit 500 changed the trained model (it should change only the evaluation)"
if "$TRAIN" "${ARGS[@]}" --holdout 60000 --out "$OUT/hbad.qmodel" 2> "$OUT/hbad.err"; then
    fail "--holdout of the whole training split accepted"
fi
grep -q "holdout of 60000 images needs 1 \.\. " "$OUT/hbad.err" || fail "--holdout 60000: unclear error: $(cat "$OUT/hbad.err")"
[ ! -e "$OUT/hbad.qmodel" ] || fail "--holdout 60000 wrote a model"

echo "smoke: early exit, trainer and host/eval agree" >&2
[ "$(jq -r .early_exit "$OUT/a.json")" = off ] || fail "default early exit should be off"
for ex in exact lead:2:3; do
    "$TRAIN" "${ARGS[@]}" --early-exit "$ex" --out "$OUT/x.qmodel" --report "$OUT/x.json" > /dev/null
    "$EVAL" --info --model "$OUT/x.qmodel" | grep -q "early exit $ex" || fail "$ex not stored in the model"
    "$EVAL" --quiet --model "$OUT/x.qmodel" --data mnist --per-image "$OUT/x.csv" > "$OUT/xeval.json"
    for k in "int8_correct correct" "mean_steps_used mean_steps_used" "p99_steps_used p99_steps_used" \
             "model_cycles_per_image model_cycles_per_image"; do
        set -- $k
        [ "$(jq -r ".$1" "$OUT/x.json")" = "$(jq -r ".$2" "$OUT/xeval.json")" ] ||
            fail "$ex: trainer $1 $(jq -r ".$1" "$OUT/x.json"), host/eval $2 $(jq -r ".$2" "$OUT/xeval.json")"
    done
    awk -F, -v t="$(jq -r .steps "$OUT/xeval.json")" 'NR > 1 { n++; s += $4; if ($4 < 1 || $4 > t) bad = 1 }
        END { exit bad || n == 0 }' "$OUT/x.csv" || fail "$ex: per-image steps_used outside 1..T"
    awk -F, -v m="$(jq -r .mean_steps_used "$OUT/xeval.json")" 'NR > 1 { n++; s += $4 }
        END { d = s / n - m; exit !(d < 0.001 && d > -0.001) }' "$OUT/x.csv" ||
        fail "$ex: per-image steps_used do not average to the reported mean"
    echo "smoke: $ex: INT8 $(jq -r .int8_accuracy "$OUT/x.json"), steps mean $(jq -r .mean_steps_used "$OUT/x.json") of T = $(jq -r .steps "$OUT/xeval.json"), host/eval agrees" >&2
done
jq -e '.export.early_exit_changed_classes > 0 or .mean_steps_used < 25' "$OUT/x.json" > /dev/null ||
    fail "lead:2:3 neither exited early nor changed a class: the exit did not run"
"$EVAL" --quiet --model "$OUT/x.qmodel" --data mnist --early-exit off > "$OUT/xoff.json"
[ "$(jq -r .correct "$OUT/xoff.json")" = "$(jq -r .export.int8_accuracy_all_steps "$OUT/x.json" | awk -v n="$(jq -r .test_images "$OUT/x.json")" '{ printf "%d", $1 * n + 0.5 }')" ] ||
    fail "host/eval --early-exit off differs from the trainer's all-steps accuracy"
jq -e '.mean_steps_used == 25 and .early_exit == "off"' "$OUT/xoff.json" > /dev/null || fail "--early-exit off should run all 25 steps"
set +e
"$TRAIN" "${ARGS[@]}" --early-exit lead:2:26 --out "$OUT/bad.qmodel" > /dev/null 2> "$OUT/ex.err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "1..T = 25" "$OUT/ex.err" || fail "--early-exit lead:2:26 with T = 25 should exit 2 with the range (rc $rc)"
set +e
"$EVAL" --quiet --model "$OUT/x.qmodel" --data mnist --early-exit sometimes > /dev/null 2> "$OUT/ex.err"; rc=$?
set -e
[ $rc -eq 2 ] && grep -q "off, exact or lead:K:M" "$OUT/ex.err" || fail "host/eval --early-exit sometimes should exit 2 (rc $rc)"

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
# The checkpoint's CRC-32 (its last 4 bytes, little-endian) is recomputed over the poisoned bytes,
# so the load gets past the integrity check to the NaN check (without that, the CRC refuses it).
cp "$OUT/run.ckpt" "$OUT/nan.ckpt"
printf '\377%.0s' $(seq 1 16) | dd of="$OUT/nan.ckpt" bs=1 seek=200000 conv=notrunc status=none
perl -MCompress::Zlib -e 'local $/; open(my $f, "+<:raw", $ARGV[0]) or die "$ARGV[0]: $!";
    my $b = <$f>; substr($b, -4) = pack("V", crc32(substr($b, 0, -4)));
    seek($f, 0, 0); print $f $b; close($f) or die "$ARGV[0]: $!"' "$OUT/nan.ckpt"
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
