#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# host/src/train/bench/bench_train.sh TRAIN BENCH_KERNELS OUTDIR : the trainer's long measurements
# (make bench-train).  Every number in docs/bench-train.md and docs/training-results.md comes from here:
#   1. layer-0 kernels: OpenBLAS sgemm vs event-driven rows (one batch, B=128, T=25)
#   2. speed: one Fashion-MNIST epoch (60k, rate, T=25, 784-128-10, batch 128), FP32 and QAT
#   3. the default MNIST run (what `make` trains: TRAIN_DEFAULT_ARGS of mk/train.mk)
#   4. Fashion-MNIST accuracy (TRAIN_FASHION_ARGS of mk/train.mk: 784-160-10, per-channel
#      weights, 40 FP32 epochs, no shift, direct coding T = 8, early exit; docs/training-results.md)
#   5. ablations on MNIST: observers x granularity, and the five QAT recipes
# Results: OUTDIR/*.json and OUTDIR/summary.md (also printed).
set -euo pipefail
TRAIN=$1 KERNELS=$2 OUT=$3
FASHION_ARGS=${FASHION_ARGS:?"set FASHION_ARGS (make bench-train passes TRAIN_FASHION_ARGS of mk/train.mk)"}
DEFAULT_ARGS=${DEFAULT_ARGS:?"set DEFAULT_ARGS (make bench-train passes TRAIN_DEFAULT_ARGS of mk/train.mk)"}
mkdir -p "$OUT"
log() { echo "bench-train: $*" >&2; }

log "1/5 kernels"
"$KERNELS" --reps 10 > "$OUT/kernels.jsonl"

log "2/5 Fashion-MNIST epoch speed (FP32 epoch, then a QAT epoch)"
"$TRAIN" --data fashion --epochs 1 --qat-epochs 0 --quiet --out "$OUT/speed_fp32.qmodel" \
    --report "$OUT/speed_fp32.json" > /dev/null
"$TRAIN" --data fashion --epochs 0 --qat-epochs 1 --quiet --out "$OUT/speed_qat.qmodel" \
    --report "$OUT/speed_qat.json" > /dev/null

log "3/5 default MNIST run ($DEFAULT_ARGS)"
# shellcheck disable=SC2086
/usr/bin/time -f '%e' -o "$OUT/default.wall" "$TRAIN" $DEFAULT_ARGS --quiet --out "$OUT/default.qmodel" \
    --report "$OUT/default.json" --plot "$OUT/default.png" > /dev/null

log "4/5 Fashion-MNIST accuracy ($FASHION_ARGS)"
# shellcheck disable=SC2086
"$TRAIN" $FASHION_ARGS --quiet --out "$OUT/fashion.qmodel" --report "$OUT/fashion.json" \
    --plot "$OUT/fashion.png" > /dev/null

log "5/5 ablations (MNIST)"
"$TRAIN" --data mnist --ablate observers --quiet --report "$OUT/ablate_observers.json" > /dev/null
"$TRAIN" --data mnist --ablate recipes --quiet --report "$OUT/ablate_recipes.json" > /dev/null

{
    echo "## kernels (one batch, layer 0: B=128, T=25, 784x128)"
    jq -r 'select(.kernel != "info") | "- \(.kernel): forward \(.forward_ms) ms, weight gradient \(.weight_grad_ms) ms"' "$OUT/kernels.jsonl"
    jq -r 'select(.kernel == "info") | "- OpenBLAS core: \(.openblas_core), threads \(.threads), spike density \(.density)"' "$OUT/kernels.jsonl"
    echo "## speed (Fashion-MNIST, 60,000 images, T=25, batch 128)"
    jq -r '"- FP32 epoch: \(.epoch_seconds[0] | . * 100 | round / 100) s, \(.train_images_per_second) images/s"' "$OUT/speed_fp32.json"
    jq -r '"- QAT epoch: \(.epoch_seconds[0] | . * 100 | round / 100) s, \(.train_images_per_second) images/s"' "$OUT/speed_qat.json"
    echo "## default MNIST run (wall $(cat "$OUT/default.wall") s)"
    jq -r '"- FP32 \(.fp32_accuracy), QAT \(.qat_accuracy), INT8 \(.int8_accuracy) (\(.int8_correct)/\(.test_images)), INT8 - FP32 = \(.int8_minus_fp32_points) points; \(.train_images_per_second) images/s; weights \(.float_weight_bytes) B FP32 -> \(.int8_weight_bytes) B INT8; file \(.int8_model_bytes) B"' "$OUT/default.json"
    echo "## Fashion-MNIST"
    jq -r '"- FP32 \(.fp32_accuracy), QAT \(.qat_accuracy), INT8 \(.int8_accuracy) (\(.int8_correct)/\(.test_images)); \(.train_seconds) s training"' "$OUT/fashion.json"
    for a in observers recipes; do
        echo "## ablation: $a (FP32 \(.fp32_accuracy))" | sed "s/\\\\(.fp32_accuracy)/$(jq .fp32_accuracy "$OUT/ablate_$a.json")/"
        echo "| variant | INT8 accuracy | thresholds | calibration batches needed | seconds |"
        echo "|---|---|---|---|---|"
        jq -r '.ablation[] | "| \(.variant) | \(.int8_accuracy) | \(.thresholds) | \(.calibration_batches_needed) of \(.calibration_batches) | \(.seconds) |"' "$OUT/ablate_$a.json"
    done
} | tee "$OUT/summary.md"
