#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/train/mpi.sh TRAIN TRAIN_MPI OUTDIR : host/train-mpi under mpirun on localhost, checked for real:
#   - 1, 2 and 3 ranks (1 or 2 threads each) with --shards 4 export the byte-identical model of
#     one host/train process with --shards 4; so does a 3-rank calibration-only run with
#     moving-average per-channel observers; 2 ranks x 1 thread by default (shards = 2) equal
#     host/train --threads 2 (the thread-chunked sum of earlier versions);
#   - a rank killed with SIGKILL after the first checkpoint: mpirun exits non-zero within the
#     timeout and names rank 1; resuming that checkpoint with 2 ranks gives the same bytes;
#   - a two-rank --sweep FILE gives the rows of a one-process sweep and resumes from its state
#     file, running only the configuration missing there; a two-rank --ablate observers gives
#     the one-process ablation's rows; a two-rank --ablate speed writes the one-process models
#     and speed.md.
# Environment: MPIRUN (default mpirun).  As root, Open MPI also needs --allow-run-as-root.
set -euo pipefail
TRAIN=$1 MPI=$2 OUT=$3
MPIRUN=${MPIRUN:-mpirun}
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
MPIRUN_ARGS=(--oversubscribe --mca mpi_yield_when_idle 1) # waits yield: CI has 2 shared cores
[ "$(id -u)" = 0 ] && MPIRUN_ARGS+=(--allow-run-as-root)
mpi() { local n=$1; shift; timeout 300 "$MPIRUN" "${MPIRUN_ARGS[@]}" -np "$n" "$MPI" "$@"; }
ARGS=(--data mnist --train-limit 600 --epochs 1 --qat-epochs 1 --calib-batches 2 --batch 64 --quiet)

echo "mpi: the same bytes for 1, 2, 3 ranks as one process (--shards 4)" >&2
"$TRAIN" "${ARGS[@]}" --shards 4 --threads 1 --out "$OUT/one.qmodel" > /dev/null 2>&1
for run in "1 2" "2 1" "2 2" "3 1"; do
    set -- $run
    mpi "$1" "${ARGS[@]}" --shards 4 --threads "$2" --out "$OUT/np$1t$2.qmodel" --report "$OUT/np$1t$2.json" \
        > "$OUT/np$1t$2.stdout" 2> "$OUT/np$1t$2.err" || fail "-np $1 --threads $2 failed: $(tail -3 "$OUT/np$1t$2.err")"
    cmp "$OUT/one.qmodel" "$OUT/np$1t$2.qmodel" || fail "-np $1 --threads $2 exported other bytes than one process"
    jq -e ".ranks == $1 and .shards == 4 and .golden_mismatches == 0" "$OUT/np$1t$2.json" > /dev/null \
        || fail "-np $1: the report lacks ranks $1 / shards 4 or has golden mismatches"
    [ "$(jq -r .model "$OUT/np$1t$2.stdout")" = "$OUT/np$1t$2.qmodel" ] || fail "-np $1: no single JSON summary on stdout"
done
echo "mpi: calibration only (--qat-epochs 0), moving-average per-channel observers, 3 ranks" >&2
CARGS=(--data mnist --train-limit 600 --epochs 1 --qat-epochs 0 --calib-batches 3 --batch 50 --shards 5
       --observer moving-average --weights per-channel --quiet)
"$TRAIN" "${CARGS[@]}" --threads 2 --out "$OUT/calib1.qmodel" > /dev/null 2>&1
mpi 3 "${CARGS[@]}" --threads 1 --out "$OUT/calib3.qmodel" > /dev/null 2>&1 || fail "-np 3 calibration run failed"
cmp "$OUT/calib1.qmodel" "$OUT/calib3.qmodel" || fail "-np 3 calibration: other bytes than one process"
"$TRAIN" "${ARGS[@]}" --threads 2 --out "$OUT/t2.qmodel" > /dev/null 2>&1
mpi 2 "${ARGS[@]}" --threads 1 --out "$OUT/np2default.qmodel" > /dev/null 2>&1 || fail "-np 2 with default shards failed"
cmp "$OUT/t2.qmodel" "$OUT/np2default.qmodel" || fail "-np 2 x 1 thread differs from host/train --threads 2"

echo "mpi: kill rank 1 of 3 after the first checkpoint; the job ends naming it; resume with 2 ranks" >&2
RARGS=(--data mnist --train-limit 2000 --epochs 4 --qat-epochs 1 --calib-batches 2 --batch 64 --shards 4 --quiet)
"$TRAIN" "${RARGS[@]}" --threads 2 --out "$OUT/full.qmodel" > /dev/null 2>&1
mpi 3 "${RARGS[@]}" --threads 1 --out "$OUT/killed.qmodel" --checkpoint "$OUT/run.ckpt" > /dev/null 2> "$OUT/kill.err" &
job=$!
for _ in $(seq 1 3000); do [ -f "$OUT/run.ckpt" ] && break; sleep 0.02; done
[ -f "$OUT/run.ckpt" ] || fail "no checkpoint written"
victim=
for p in $(pgrep -f -- "$OUT/run.ckpt" || true); do # the train-mpi process whose MPI rank is 1
    [ "$(cat "/proc/$p/comm" 2> /dev/null)" = train-mpi ] || continue
    tr '\0' '\n' < "/proc/$p/environ" 2> /dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && victim=$p
done
[ -n "$victim" ] || fail "rank 1 not found (did the run finish before the kill?)"
kill -9 "$victim"
set +e
wait "$job"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "mpirun exited 0 after rank 1 was killed"
[ "$rc" -ne 124 ] || fail "the job hung after rank 1 was killed (timeout)"
grep -q "rank 1" "$OUT/kill.err" || fail "mpirun's message does not name rank 1: $(cat "$OUT/kill.err")"
[ ! -e "$OUT/killed.qmodel" ] || fail "the killed job exported a model"
echo "mpi: mpirun exited $rc: $(grep -m1 "rank 1" "$OUT/kill.err")" >&2
mpi 2 "${RARGS[@]}" --threads 1 --out "$OUT/killed.qmodel" --checkpoint "$OUT/run.ckpt" --resume > /dev/null \
    2> "$OUT/resume.err" || fail "resume with 2 ranks failed: $(tail -3 "$OUT/resume.err")"
grep -q "resumed from" "$OUT/resume.err" || fail "the 2-rank run did not resume from the checkpoint"
cmp "$OUT/full.qmodel" "$OUT/killed.qmodel" || fail "resumed with 2 ranks, other bytes than the uninterrupted run"
set +e
mpi 2 "${RARGS[@]}" --shards 2 --out "$OUT/x.qmodel" --checkpoint "$OUT/run.ckpt" --resume > /dev/null 2> "$OUT/shards.err"
rc=$?
set -e
[ "$rc" -ne 0 ] && grep -q -- "--shards may not" "$OUT/shards.err" || fail "resume with other --shards should be refused (rc $rc)"

echo "mpi: a two-rank sweep equals the one-process sweep and resumes" >&2
cat > "$OUT/sweep.txt" << 'EOF'
# three tiny configurations
--layers 784,32,10 --steps 8
--layers 784,64,10 --steps 8   # wider
--layers 784,32,10 --steps 8 --weights per-channel
EOF
rows() { jq -c '[.configurations[] | {key, int8_correct, fp32_accuracy, qat_accuracy, thresholds}]' "$1"; }
"$TRAIN" "${ARGS[@]}" --threads 1 --shards 2 --sweep "$OUT/sweep.txt" --report "$OUT/sweep1.json" > /dev/null 2>&1
mpi 2 "${ARGS[@]}" --threads 1 --sweep "$OUT/sweep.txt" --report "$OUT/sweep2.json" --checkpoint "$OUT/sw.ckpt" \
    > /dev/null 2> "$OUT/sweep2.err" || fail "two-rank sweep failed: $(tail -3 "$OUT/sweep2.err")"
[ "$(rows "$OUT/sweep1.json")" = "$(rows "$OUT/sweep2.json")" ] || fail "two-rank sweep rows differ from one process"
jq -e '[.configurations[].rank] | sort | unique == [0, 1]' "$OUT/sweep2.json" > /dev/null \
    || fail "both ranks should have trained configurations: $(jq -c '[.configurations[].rank]' "$OUT/sweep2.json")"
jq '.finished |= map(select(.key != "--layers 784,64,10 --steps 8"))' "$OUT/sw.ckpt.sweep.json" > "$OUT/partial.json"
mv "$OUT/partial.json" "$OUT/sw.ckpt.sweep.json"
mpi 2 "${ARGS[@]}" --threads 1 --sweep "$OUT/sweep.txt" --report "$OUT/sweep3.json" --checkpoint "$OUT/sw.ckpt" \
    --resume > /dev/null 2> "$OUT/sweep3.err" || fail "resumed sweep failed: $(tail -3 "$OUT/sweep3.err")"
grep -q "2 of 3 configurations finished" "$OUT/sweep3.err" || fail "the resumed sweep did not skip the 2 finished ones"
[ "$(grep -c '^sweep [0-9]*/3' "$OUT/sweep3.err")" = 1 ] || fail "the resumed sweep trained more than the missing one"
[ "$(rows "$OUT/sweep1.json")" = "$(rows "$OUT/sweep3.json")" ] || fail "resumed sweep rows differ"

echo "mpi: a two-rank --ablate observers equals one process" >&2
arows() { jq -c '[.ablation[] | {variant, int8_correct, thresholds}]' "$1"; }
"$TRAIN" "${ARGS[@]}" --threads 1 --shards 2 --ablate observers --report "$OUT/abl1.json" > /dev/null 2>&1
mpi 2 "${ARGS[@]}" --threads 1 --ablate observers --report "$OUT/abl2.json" > /dev/null 2> "$OUT/abl2.err" \
    || fail "two-rank ablation failed: $(tail -3 "$OUT/abl2.err")"
[ "$(arows "$OUT/abl1.json")" = "$(arows "$OUT/abl2.json")" ] || fail "two-rank ablation rows differ from one process"

echo "mpi: a two-rank --ablate speed writes the one-process models and table" >&2
SARGS=(--data mnist --train-limit 200 --epochs 1 --qat-epochs 1 --calib-batches 2 --batch 64 --threads 1 --shards 2 --quiet)
"$TRAIN" "${SARGS[@]}" --ablate speed --ablate-dir "$OUT/speed1" > /dev/null 2>&1 || fail "one-process --ablate speed failed"
mpi 2 "${SARGS[@]}" --ablate speed --ablate-dir "$OUT/speed2" > /dev/null 2> "$OUT/speed2.err" \
    || fail "two-rank --ablate speed failed: $(tail -3 "$OUT/speed2.err")"
for f in "$OUT"/speed1/*.qmodel "$OUT/speed1/speed.md"; do
    cmp "$f" "$OUT/speed2/$(basename "$f")" || fail "two-rank --ablate speed: $(basename "$f") differs"
done
grep -q "(rank 1): .* T = .*: training" "$OUT/speed2.err" || fail "rank 1 trained no speed setting"

echo "mpi: bad input" >&2
set +e
mpi 2 --no-such-option > /dev/null 2>&1; [ $? -ne 0 ] || fail "an unknown option under mpirun should fail"
printf -- '--out x.qmodel\n' > "$OUT/bad.txt"
mpi 2 "${ARGS[@]}" --sweep "$OUT/bad.txt" > /dev/null 2> "$OUT/bad.err"; rc=$?
[ $rc -ne 0 ] && grep -q "belongs on the command line" "$OUT/bad.err" || fail "--out in a sweep line should be refused (rc $rc)"
set -e
echo "mpi: PASS" >&2
