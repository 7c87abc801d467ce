#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/run/errors.sh : host/run's error paths, each against a board stand-in that misbehaves
# one way (tests/run/fake_board.c).  Every case must end in bounded time with a non-zero exit
# and a message that names the problem; the clean case and --list/--help must succeed.
#   errors.sh HOST_RUN FAKE_BOARD MODEL WORKDIR
set -u
RUN=$1 FAKE=$2 MODEL=$3 WORK=$4
mkdir -p "$WORK"
fails=0 pids=() AS=()

cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

# start_fake ARGS... : starts a fake board, sets PTS
start_fake() {
    local out="$WORK/fake.$RANDOM"
    "$FAKE" "$@" > "$out" &
    pids+=($!)
    for _ in $(seq 50); do PTS=$(head -1 "$out" 2>/dev/null); [ -n "$PTS" ] && return; sleep 0.1; done
    echo "errors: fake board did not start" >&2; exit 1
}

# expect NAME WANT_RC PATTERN MAX_SECONDS -- host/run args...
expect() {
    local name=$1 want=$2 pat=$3 max=$4; shift 5
    local t0=$(date +%s%N) rc
    timeout 60 "${AS[@]}" "$RUN" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"; rc=$?
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ "$rc" = 124 ]; then
        echo "FAIL $name: host/run hung (killed after 60 s)"; fails=$((fails+1)); return
    fi
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, expected $want"; sed 's/^/    /' "$WORK/$name.err" | tail -5
        fails=$((fails+1)); return
    fi
    if ! grep -qiE -- "$pat" "$WORK/$name.err" "$WORK/$name.out"; then
        echo "FAIL $name: no message matching /$pat/:"; sed 's/^/    /' "$WORK/$name.err" | tail -5
        fails=$((fails+1)); return
    fi
    if [ "$ms" -gt $((max * 1000)) ]; then
        echo "FAIL $name: took ${ms} ms, limit ${max} s"; fails=$((fails+1)); return
    fi
    printf 'ok   %-14s exit %s in %5d ms: %s\n' "$name" "$rc" "$ms" "$(grep -m1 -iE -- "$pat" "$WORK/$name.err" "$WORK/$name.out" | cut -c1-150)"
}

M="--model $MODEL --quiet"

expect help          0 "usage: host/run"           5 -- --help
expect usage         2 "which board"               5 -- --model "$MODEL"
expect bad-option    2 "expected an integer"       5 -- --device sim --limit zero
expect list          0 "no supported board found|\"tty\"" 10 -- --list
expect no-model      1 "no-such.qmodel"            5 -- --device /dev/null --model "$WORK/no-such.qmodel"
expect no-device     1 "no such device.*--list"    5 -- --device /dev/ttyUSB_none $M
expect not-a-tty     1 "not a serial port"         5 -- --device /dev/null $M
expect no-sim-board  1 "make sim-board"            5 -- --device sim --sim-board "$WORK/no-such-board" $M
expect sim-dies      1 "exited with status"        10 -- --device sim --sim-board /bin/false $M
expect usb-spec      1 "usb:VID:PID"               5 -- --device usb:0403 $M
expect usb-absent    1 "no such device|cannot|not found" 10 -- --device usb:0403:6010:NOSUCHSERIAL $M

start_fake
expect clean         0 "PASS: 200 images"          30 -- --device "$PTS" $M --limit 200 --report "$WORK/clean.json"
jq -e '.status == "ok" and .images == 200 and .agreement == 1 and .mismatch_count == 0' "$WORK/clean.json" \
    > /dev/null || { echo "FAIL clean: report lacks status ok, 200 images, agreement 1"; fails=$((fails+1)); }

# busy: a first host/run holds the port (a silent board keeps it waiting), a second is refused
start_fake --silent
timeout 30 "$RUN" --device "$PTS" --model "$MODEL" --timeout 8 > /dev/null 2> "$WORK/holder.err" & pids+=($!)
for _ in $(seq 100); do grep -q handshake "$WORK/holder.err" 2>/dev/null && break; sleep 0.1; done
expect busy          1 "busy.*fuser"               5 -- --device "$PTS" $M
start_fake --silent
expect not-answering 1 "not answering.*1\.0 s"     5 -- --device "$PTS" $M --timeout 1

# permission denied: the pty belongs to root with mode 620; run as nobody (or chmod it away)
start_fake
if [ "$(id -u)" = 0 ]; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    expect permission 1 "permission denied.*usermod -aG" 5 -- --device "$PTS" $M
    AS=()
else
    chmod 000 "$PTS"
    expect permission 1 "permission denied.*usermod -aG" 5 -- --device "$PTS" $M
fi

start_fake --version 9
expect version       1 "protocol version 9.*speaks 2" 5 -- --device "$PTS" $M
start_fake
expect norate        1 "does not run 6000000 baud.*--baud" 5 -- --device "$PTS" $M --baud 6000000
expect badbaud       2 "--baud 4000000: the board protocol runs" 5 -- --device "$PTS" $M --baud 4000000
start_fake --max-neurons 16
expect too-large     1 "model too large.*holds 16"       5 -- --device "$PTS" $M
start_fake --bad-crc
expect crc           1 "failed 4 times.*CRC"       10 -- --device "$PTS" $M --retries 3 --timeout 2
start_fake --garbage
expect garbage       1 "no valid frame.*baud"      10 -- --device "$PTS" $M --retries 2 --timeout 2
start_fake --wrong-readback
expect readback      1 "read-back of the weights differs" 10 -- --device "$PTS" $M
start_fake --wrong-answer 7
expect mismatch      1 "MISMATCH image 7:"         30 -- --device "$PTS" $M --limit 50 --report "$WORK/mismatch.json"
jq -e '.status == "mismatch" and .agreement == 0.98 and .mismatch_count == 1 and .mismatches[0].index == 7' \
    "$WORK/mismatch.json" > /dev/null || { echo "FAIL mismatch: report must show agreement 0.98 and image 7"; fails=$((fails+1)); }

# --device sim starts the board program itself and must stop it however the run ends: here a
# SIGTERM in the middle of a run against a silent stand-in (started as the "simulated board")
"$RUN" --device sim --sim-board "$FAKE" --sim-arg --silent --model "$MODEL" --timeout 20 \
    > /dev/null 2> "$WORK/sigterm.err" & runpid=$!; pids+=($runpid)
for _ in $(seq 100); do grep -q handshake "$WORK/sigterm.err" 2>/dev/null && break; sleep 0.1; done
child=$(pgrep -P "$runpid" | head -1)     # host/run's only child is the board it started
kill -TERM "$runpid"; wait "$runpid" 2>/dev/null
sleep 0.5
if [ -z "$child" ]; then echo "FAIL sigterm: no simulated board was started"; fails=$((fails+1))
elif [ -n "$(ps -o stat= -p "$child" 2>/dev/null | grep -v Z)" ]; then   # alive, not a zombie
    echo "FAIL sigterm: the simulated board (pid $child) outlived host/run"; kill "$child"; fails=$((fails+1))
else echo "ok   sigterm        the simulated board (pid $child) stopped with host/run"; fi

if [ $fails -ne 0 ]; then echo "errors.sh: $fails FAILED"; exit 1; fi
echo "errors.sh: all error paths PASS"
