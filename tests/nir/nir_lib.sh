#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/nir/nir_lib.sh : host/nir against the `nir` reference library (tests/nir/nir_files.py).
#   1. our exports (synthetic models of every kind) are read by nir.read and describe the
#      model; importing them gives the identical model file;
#   2. files written by nir.write from NIR's node classes import by docs/nir.md's rules,
#      a pre-1.0.6 file (no v_reset) gives the same model, a non-power-of-2 tau warns;
#   3. every graph the accelerator cannot run is refused, exit 1, naming the node and reason.
#   nir_lib.sh HOST_NIR SYNTH_MODEL VENV_PYTHON DIR
set -u
NIR=$1 SYNTH=$2 PY=$3 DIR=$4
HERE=$(dirname "$0")
rm -rf "$DIR" && mkdir -p "$DIR"
pass=0 failed=0
ok() { pass=$((pass + 1)); }
bad() { echo "nir_lib: FAIL: $*"; failed=$((failed + 1)); }

# 1. export -> nir.read -> import: the identical model file
i=0
for args in "" "--per-neuron" "--leak 0" "--reset-zero --encoding direct" \
            "--sizes 100,40,30,20,10 --per-neuron --leak 7 --steps 9" "--sizes 256,256,128,10 --leak 15 --steps 255"; do
    i=$((i + 1)); m=$DIR/synth$i.qmodel
    "$SYNTH" --out "$m" --seed $i $args > /dev/null || { bad "synth_model $args"; continue; }
    if "$NIR" export "$m" --out "$DIR/synth$i.nir" -q > /dev/null &&
       "$PY" "$HERE/nir_files.py" check-export "$DIR/synth$i.nir" "$m" > /dev/null &&
       "$NIR" import "$DIR/synth$i.nir" --out "$DIR/back$i.qmodel" -q > /dev/null &&
       cmp -s "$m" "$DIR/back$i.qmodel"; then ok; else bad "export/import round trip of synth_model $args"; fi
done
# the model file's early exit (version 2) travels in the metadata; a file without it imports as off
if "$NIR" import "$DIR/synth1.nir" --out "$DIR/exit.qmodel" --early-exit lead:3:4 -q > /dev/null &&
   "$NIR" export "$DIR/exit.qmodel" --out "$DIR/exit.nir" -q > /dev/null &&
   "$NIR" import "$DIR/exit.nir" --out "$DIR/exit2.qmodel" -q | jq -e '.early_exit == "lead:3:4"' > /dev/null &&
   cmp -s "$DIR/exit.qmodel" "$DIR/exit2.qmodel"; then ok; else bad "early exit lead:3:4 through the NIR metadata"; fi

# 2. and 3. files from NIR's own classes
man=$("$PY" "$HERE/nir_files.py" write "$DIR") || { bad "nir_files.py write"; man='{}'; }
for f in $(echo "$man" | jq -r 'keys[]'); do
    case $f in
        norse.nir|old.nir) opts="--dt 1e-3" dt=1e-3 ;;
        flat.nir) opts="--weights per-channel" dt=1e-4 ;;
        *) opts="" ;;
    esac
    want=$(echo "$man" | jq -c --arg f "$f" '.[$f]')
    "$NIR" import "$DIR/$f" --out "$DIR/$f.qmodel" $opts -q > "$DIR/$f.json" 2> "$DIR/$f.err"
    rc=$?
    if [ "$want" = '"ok"' ]; then
        if [ $rc = 0 ] && "$NIR" export "$DIR/$f.qmodel" --out "$DIR/$f.back.nir" -q > /dev/null &&
           "$PY" "$HERE/nir_files.py" check-import "$DIR/$f" "$DIR/$f.back.nir" $dt > /dev/null; then ok
        else bad "$f: import (exit $rc: $(cat "$DIR/$f.err")) or its rules"; fi
    else
        missing=$(echo "$want" | jq -r '.[]' | while read -r w; do grep -qF -- "$w" "$DIR/$f.err" || echo "$w"; done)
        if [ $rc = 1 ] && [ -z "$missing" ]; then ok
        else bad "$f: exit $rc, message '$(cat "$DIR/$f.err")' lacks: $missing"; fi
    fi
done
cmp -s "$DIR/norse.nir.qmodel" "$DIR/old.nir.qmodel" && ok || bad "a file without v_reset gives another model"
"$NIR" import "$DIR/norse.nir" --out "$DIR/warn.qmodel" -q > "$DIR/warn.json" 2> "$DIR/warn.err"
if [ $? = 0 ] && grep -q "not a power of 2" "$DIR/warn.err" &&
   jq -e '.layers[0].leak_exact == false and .layers[0].leak_shift == 6 and (.warnings | length) == 1' "$DIR/warn.json" > /dev/null
then ok; else bad "tau/dt = 80 (dt 1e-4) did not warn with leak shift 6"; fi
"$NIR" import "$DIR/missing.nir" --out "$DIR/x.qmodel" 2> /dev/null; [ $? = 1 ] && ok || bad "a missing file"
"$NIR" import "$SYNTH" --out "$DIR/x.qmodel" 2> "$DIR/nothdf5.err"; [ $? = 1 ] && grep -q "not an HDF5" "$DIR/nothdf5.err" && ok || bad "a non-HDF5 file"
"$NIR" import "$DIR/norse.nir" --out "$DIR/x.qmodel" --reset sideways 2> /dev/null; [ $? = 2 ] && ok || bad "a bad option value"
"$NIR" info "$DIR/norse.nir" -q | jq -e '.importable == true and (.nodes | length) == 6' > /dev/null && ok || bad "info"
"$NIR" import "$DIR/norse.nir" --out "$DIR/x.qmodel" --dt 1e-3 -q | jq -e '.early_exit == "off"' > /dev/null && ok || bad "a foreign file's early exit is not off"

# damaged files: a byte flipped at 40 spread offsets, the file cut at 40 more; every run ends
# with 0 (a byte the graph does not use; NIR files carry no checksum) or 1, never a crash
# (ASan/UBSan report with exit code 99)
src=$DIR/norse.nir size=$(stat -c %s "$src") crashes=0 refused=0
for i in $(seq 0 39); do
    off=$(( (i * 7919 + 13) % size ))
    cp "$src" "$DIR/flip.nir"
    printf '\xa5' | dd of="$DIR/flip.nir" bs=1 seek=$off conv=notrunc 2> /dev/null
    head -c $(( (i * 4243 + 1) % size )) "$src" > "$DIR/cut.nir"
    for f in flip cut; do
        ASAN_OPTIONS=exitcode=99 UBSAN_OPTIONS=exitcode=99 timeout 20 \
            "$NIR" import "$DIR/$f.nir" --out "$DIR/$f.qmodel" --dt 1e-3 -q > /dev/null 2> "$DIR/$f.err"
        rc=$?
        [ $rc = 1 ] && refused=$((refused + 1))
        [ $rc -gt 1 ] && { crashes=$((crashes + 1)); echo "nir_lib: $f at byte $off: exit $rc: $(head -3 "$DIR/$f.err")"; }
    done
done
[ $crashes = 0 ] && [ $refused -ge 40 ] && ok || bad "damaged files: $crashes crashes, $refused of 80 refused"
echo "nir_lib: 80 damaged files, $refused refused with a message, $crashes crashes"

echo "nir_lib: $pass passed, $failed failed"
[ $failed = 0 ]
