#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# host/src/train/bench/bench_mpi.sh TRAIN_MPI OUTDIR : the measurements and the cluster model of
# docs/distributed.md (make bench-train-mpi).
#   1. this machine: FP32 training images/s of 1, 2, 4 ranks x 1 thread (and 1 rank x 2 threads),
#      MNIST 784-128-10, T = 25, 4,000 images, 2 epochs, batch 128, --shards 4 (the same work and
#      the same bytes in every run: the model files are compared);
#   2. one core on the Fashion-MNIST setting (784-160-10, per-channel, no shift, T = 25, batch
#      128): the single-core rate R1 and the gradient's size;
#   3. the model for 8..64 ranks (one core each) at 10 and 100 Gbit/s.
# Waits yield the core (mpi_yield_when_idle, OMP_WAIT_POLICY=passive): on a shared machine a
# spinning rank takes the core its partner needs (docs/distributed.md).
# Each run is repeated REPS times (default 3) and the fastest kept: the machine is shared, and
# the load average is printed with the results.
# Results: OUTDIR/*.json, OUTDIR/summary.md (also printed).  Environment: MPIRUN, REPS, ALPHA10_US,
# ALPHA100_US (per-message latency assumed for the model, default 25 and 3 microseconds).
set -euo pipefail
MPI=$1 OUT=$2
MPIRUN=${MPIRUN:-mpirun}
ALPHA10_US=${ALPHA10_US:-25}
ALPHA100_US=${ALPHA100_US:-3}
REPS=${REPS:-3}
mkdir -p "$OUT"
log() { echo "bench-mpi: $*" >&2; }
MPIRUN_ARGS=(--oversubscribe --bind-to none --mca mpi_yield_when_idle 1 -x OMP_WAIT_POLICY=passive)
export OMP_WAIT_POLICY=passive
[ "$(id -u)" = 0 ] && MPIRUN_ARGS+=(--allow-run-as-root)
mpi() { local n=$1; shift; "$MPIRUN" "${MPIRUN_ARGS[@]}" -np "$n" "$MPI" "$@"; }
ips() { jq -r '.epochs | map(select(.phase == "fp32")) | (map(.seconds * .images_per_second) | add) / (map(.seconds) | add)' "$1"; }
# best NAME NP ARGS... : REPS runs of NP ranks; keeps the fastest report as OUTDIR/NAME.json
best() {
    local name=$1 n=$2 k; shift 2
    for k in $(seq 1 "$REPS"); do
        mpi "$n" "$@" --out "$OUT/$name.qmodel" --report "$OUT/$name.try.json" > /dev/null 2> "$OUT/$name.err"
        if [ ! -f "$OUT/$name.json" ] || awk -v a="$(ips "$OUT/$name.try.json")" -v b="$(ips "$OUT/$name.json")"             'BEGIN { exit !(a > b) }'; then
            mv "$OUT/$name.try.json" "$OUT/$name.json"
        fi
    done
    rm -f "$OUT/$name.try.json"
}
rm -f "$OUT"/*.json
load0=$(cut -d' ' -f1-3 /proc/loadavg)

log "1/3 images/s on this machine ($(nproc) cores) for 1, 2, 4 ranks"
SCALE=(--data mnist --layers 784,128,10 --steps 25 --train-limit 4000 --epochs 2 --qat-epochs 0 --batch 128
       --shards 4 --quiet)
for run in "1 1" "1 2" "2 1" "4 1"; do
    set -- $run
    best "scale_np$1t$2" "$1" "${SCALE[@]}" --threads "$2"
    cmp "$OUT/scale_np1t1.qmodel" "$OUT/scale_np$1t$2.qmodel"
    log "  $1 rank(s) x $2 thread(s): $(ips "$OUT/scale_np$1t$2.json") images/s"
done

log "2/3 one core, Fashion-MNIST setting, batch 128"
best core 1 --data fashion --layers 784,160,10 --augment-shift 0 --weights per-channel --steps 25 \
    --train-limit 6000 --epochs 1 --qat-epochs 0 --batch 128 --threads 1 --quiet
log "  $(ips "$OUT/core.json") images/s"

log "3/3 model"
R1=$(ips "$OUT/core.json") grad=$(jq -r .gradient_bytes "$OUT/core.json")
{
    echo "## Measured on this machine ($(nproc) cores; FP32 training images/s, same model bytes in every run)"
    echo
    echo "Best of $REPS runs each; load average $load0 before, $(cut -d' ' -f1-3 /proc/loadavg) after."
    echo
    echo "| ranks x threads | images/s | vs 1 x 1 | seconds in MPI collectives |"
    echo "|---|---|---|---|"
    base=$(ips "$OUT/scale_np1t1.json")
    for run in "1 1" "1 2" "2 1" "4 1"; do
        set -- $run
        f="$OUT/scale_np$1t$2.json"
        awk -v n="$1" -v t="$2" -v r="$(ips "$f")" -v b="$base" -v m="$(jq -r '.mpi_seconds // 0' "$f")" \
            -v s="$(jq -r .train_seconds "$f")" \
            'BEGIN { printf "| %d x %d | %.0f | %.2fx | %.2f of %.2f s |\n", n, t, r, r / b, m, s }'
    done
    echo
    awk -v R1="$R1" -v g="$grad" -v a10="$ALPHA10_US" -v a100="$ALPHA100_US" '
    BEGIN {
        printf "## One core, Fashion-MNIST setting (784-160-10, per-channel, T = 25, batch 128)\n\n";
        printf "- R1 = %.0f training images/s on one core\n", R1;
        printf "- gradient: %d bytes (%d floats, padding columns included)\n\n", g, g / 4;
        B = 128; imgs = 60000;
        printf "## Model: 60,000 images, batch %d, one core per rank\n\n", B;
        printf "t(N) = B / (N R1) + t_comm(N); t_comm = 2 (N-1)/N x gradient / bandwidth + ";
        printf "(3 (N-1) + 3 log2 N) x alpha (all-to-all, all-gather and shard-loss gather in N-1 steps each, three small allreduces in log2 N; ";
        printf "one shard per rank; alpha = %g us at 10 Gbit/s, %g us at 100 Gbit/s, assumed, not measured)\n\n", a10, a100;
        printf "| ranks | compute ms/batch | comm ms 10G | speedup 10G | epoch s 10G | comm ms 100G | speedup 100G | epoch s 100G |\n";
        printf "|---|---|---|---|---|---|---|---|\n";
        t1 = B / R1;
        for (N = 8; N <= 64; N *= 2) {
            lg = log(N) / log(2);
            c10 = 2 * (N - 1) / N * g / 1.25e9 + (3 * (N - 1) + 3 * lg) * a10 * 1e-6;
            c100 = 2 * (N - 1) / N * g / 1.25e10 + (3 * (N - 1) + 3 * lg) * a100 * 1e-6;
            tc = B / (N * R1);
            printf "| %d | %.2f | %.3f | %.1fx | %.1f | %.3f | %.1fx | %.1f |\n", N, 1e3 * tc, 1e3 * c10,
                   t1 / (tc + c10), imgs / B * (tc + c10), 1e3 * c100, t1 / (tc + c100), imgs / B * (tc + c100);
        }
        printf "\n## Batch size at which communication stops hiding behind compute\n\n";
        printf "Per-rank compute B / (N R1) equals t_comm(N) at B* = N R1 t_comm(N) (global batch):\n\n";
        printf "| ranks | B* at 10 Gbit/s | B* at 100 Gbit/s |\n|---|---|---|\n";
        for (N = 8; N <= 64; N *= 2) {
            lg = log(N) / log(2);
            c10 = 2 * (N - 1) / N * g / 1.25e9 + (3 * (N - 1) + 3 * lg) * a10 * 1e-6;
            c100 = 2 * (N - 1) / N * g / 1.25e10 + (3 * (N - 1) + 3 * lg) * a100 * 1e-6;
            printf "| %d | %.0f | %.0f |\n", N, N * R1 * c10, N * R1 * c100;
        }
    }'
} > "$OUT/summary.md"
cat "$OUT/summary.md"
