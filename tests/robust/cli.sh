#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/robust/cli.sh : the defects of issue 14 that a command line shows (output paths, the
# test split, list options, --timeout), one case each, against the real programs.  Each case
# failed before its fix; docs/robustness.md lists them.
#   cli.sh EVAL TRAIN RUN FAKE_BOARD MODEL WORKDIR
set -u
EVAL=$1 TRAIN=$2 RUN=$3 FAKE=$4 MODEL=$5 WORK=$6
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
fails=0 pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

fail() { echo "FAIL $1: $2"; [ -f "$WORK/$1.err" ] && sed 's/^/    /' "$WORK/$1.err" | tail -3; fails=$((fails+1)); }
ok()   { echo "ok   $1"; }

# run_case NAME WANT_RC PATTERN -- CMD... : exit status WANT_RC ("nz" = any non-zero) within
# 60 s, and stderr matching PATTERN.  Returns 1 (after reporting) when not.
run_case() {
    local name=$1 want=$2 pat=$3 rc; shift 4
    timeout 60 "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"; rc=$?
    if [ "$rc" = 124 ]; then fail "$name" "hung (killed after 60 s)"; return 1; fi
    if [ "$want" = nz ] && [ "$rc" = 0 ] || [ "$want" != nz ] && [ "$rc" != "$want" ]; then
        fail "$name" "exit $rc, expected $want"; return 1
    fi
    if [ -n "$pat" ] && ! grep -qiE -- "$pat" "$WORK/$name.err"; then fail "$name" "no message matching /$pat/"; return 1; fi
    return 0
}

W=$WORK
E=("$EVAL" --quiet --model "$MODEL" --limit 5)
T=("$TRAIN" --quiet --data mnist --layers 784,16,10 --steps 4 --train-limit 256 --epochs 1 --qat-epochs 0 --threads 1)

## defect 1: an output that is not a regular file is written through or refused, never replaced
mkfifo "$W/report.fifo"
(cat "$W/report.fifo" > "$W/fifo.got") & pids+=($!)
if run_case fifo 0 "" -- "${E[@]}" --report "$W/report.fifo"; then
    sleep 0.2
    if [ ! -p "$W/report.fifo" ]; then fail fifo "the FIFO was replaced by a regular file"
    elif ! jq -e '.images == 5' "$W/fifo.got" > /dev/null 2>&1; then fail fifo "the reader did not get the report"
    else ok fifo; fi
fi
echo '{}' > "$W/target.json"; ln -s target.json "$W/link.json"
if run_case symlink 0 "" -- "${E[@]}" --report "$W/link.json"; then
    if [ ! -L "$W/link.json" ]; then fail symlink "the symbolic link was replaced by a regular file"
    elif ! jq -e '.images == 5' "$W/target.json" > /dev/null; then fail symlink "the link's target was not written"
    else ok symlink; fi
fi
ln -s no-such-dir/x.json "$W/dangling.json"
run_case dangling nz "symbolic link to a missing file" -- "${E[@]}" --report "$W/dangling.json" && ok dangling
mkdir "$W/folder"
run_case folder nz "is a folder" -- "${E[@]}" --report "$W/folder" && ok folder
# a private copy of /dev/null and /dev/full (root can make device nodes): a build that still
# replaced devices would only destroy these
if mknod "$W/null" c 1 3 2>/dev/null && mknod "$W/full" c 1 7 2>/dev/null; then
    if run_case device 0 "" -- "${E[@]}" --report "$W/null" --per-image "$W/null"; then
        [ -c "$W/null" ] && ok device || fail device "the device node was replaced by a regular file"
    fi
    if run_case device-full nz "no space left" -- "${E[@]}" --report "$W/full"; then
        [ -c "$W/full" ] && ok device-full || fail device-full "the device node was replaced by a regular file"
    fi
else
    echo "skip device, device-full: cannot make device nodes here (not root)"
fi

## defect 2: an output naming an input, by another spelling or through a link, is refused
cp "$MODEL" "$W/m.qmodel"; ln -s m.qmodel "$W/m-link.qmodel"
same_model() { cmp -s "$MODEL" "$W/m.qmodel" && ok "$1" || fail "$1" "the input model was overwritten"; }
run_case eval-report-model nz "same file as --model" -- "$EVAL" --quiet --limit 5 --model "$W/m.qmodel" --report "$W/./m.qmodel" \
    && same_model eval-report-model
run_case eval-per-image-link nz "same file as --model" -- "$EVAL" --quiet --limit 5 --model "$W/m-link.qmodel" --per-image "$W/m.qmodel" \
    && same_model eval-per-image-link
run_case eval-two-outputs nz "name the same file" -- "${E[@]}" --report "$W/a.json" --per-image "$W/sub/../a.json" \
    && { [ ! -e "$W/a.json" ] && ok eval-two-outputs || fail eval-two-outputs "an output was written"; }
run_case train-report-out nz "--out .* and --report .* name the same file" -- "${T[@]}" --out "$W/t.qmodel" --report "$W/./t.qmodel" \
    && ok train-report-out
run_case train-ckpt-out nz "name the same file" -- "${T[@]}" --out "$W/t.qmodel" --checkpoint "$W/t.qmodel" \
    && ok train-ckpt-out
"$FAKE" > "$W/fake.pts" & pids+=($!)
for _ in $(seq 50); do PTS=$(head -1 "$W/fake.pts" 2>/dev/null); [ -n "$PTS" ] && break; sleep 0.1; done
run_case run-report-model nz "same file as --model" -- "$RUN" --quiet --device "$PTS" --model "$W/m.qmodel" --limit 5 \
    --report "$W/m-link.qmodel" && same_model run-report-model

## defect 8: outputs are checked before the work (the message names the option)
run_case train-out-proc nz "--out: cannot be written" -- "${T[@]}" --out /proc/x.qmodel && ok train-out-proc
run_case train-report-proc nz "--report: cannot be written" -- "${T[@]}" --out "$W/t.qmodel" --report /proc/x.json \
    && ok train-report-proc
run_case train-plot-proc nz "--plot: cannot be written" -- "${T[@]}" --out "$W/t.qmodel" --plot /proc/x.png \
    && ok train-plot-proc
run_case run-report-proc nz "--report: cannot be written" -- "$RUN" --quiet --device "$PTS" --model "$MODEL" --limit 5 \
    --report /proc/x.json && ok run-report-proc
run_case eval-export-proc nz "--export-c: cannot be written" -- "$EVAL" --model "$MODEL" --export-c /proc/x.h \
    && ok eval-export-proc

## defect 12: a write that fails half-way (here: the file size limit) leaves no partial file
if run_case per-image-full nz "too large|no space" -- bash -c 'ulimit -f 4; trap "" XFSZ; exec "$@"' _ \
    "$EVAL" --quiet --model "$MODEL" --per-image "$W/big.csv"; then
    [ ! -e "$W/big.csv" ] && ok per-image-full || fail per-image-full "a partial $W/big.csv was left"
fi

## defect 9: host/eval and host/run need only the test split
mkdir "$W/testonly"
cp build/data/mnist/t10k-* "$W/testonly/"
run_case eval-test-only 0 "" -- "$EVAL" --quiet --model "$MODEL" --data "$W/testonly" --limit 5 && ok eval-test-only
run_case run-test-only 0 "" -- "$RUN" --quiet --device "$PTS" --model "$MODEL" --data "$W/testonly" --limit 5 \
    && ok run-test-only

## defect 11: a --timeout below the link's 1 ms resolution is a usage error
run_case run-timeout 2 "--timeout" -- "$RUN" --device "$PTS" --model "$MODEL" --timeout 1e-9 && ok run-timeout

## defect 4: malformed lists are usage errors
for l in 784,,10 ,784,10 784,10, 784,1x,10 " 784,10"; do
    run_case "layers[$l]" 2 "--layers" -- "$TRAIN" --layers "$l" --epochs 0 --out "$W/never.qmodel" && ok "layers[$l]"
done
run_case "leak[4,]" 2 "--leak" -- "$TRAIN" --leak 4, --epochs 0 --out "$W/never.qmodel" && ok "leak[4,]"
[ ! -e "$W/never.qmodel" ] || fail layers "a model was written for a malformed list"

if [ "$fails" -ne 0 ]; then echo "cli.sh: $fails case(s) FAILED"; exit 1; fi
echo "cli.sh: all cases passed"
