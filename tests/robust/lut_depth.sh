#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/robust/lut_depth.sh : build/tools/lut_depth on small hand-made Yosys netlists whose depths
# are known, then on bad inputs (each must fail with a message, never crash or hang).
#   lut_depth.sh LUT_DEPTH WORKDIR
set -u
TOOL=$1 WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
fails=0
fail() { echo "FAIL $1: $2"; [ -f "$WORK/$1.err" ] && sed 's/^/    /' "$WORK/$1.err" | tail -3; fails=$((fails+1)); }
ok()   { echo "ok   $1"; }

# netlist FILE CELLS_JSON: a module "top" marked top, with the given cells
netlist() {
    printf '{"modules": {"other": {"cells": {}}, "top": {"attributes": {"top": "00000000000000000000000000000001"}, "cells": {%s}}}}\n' "$2" > "$1"
}
ff()    { printf '"%s": {"type": "SB_DFF", "port_directions": {"C": "input", "D": "input", "Q": "output"}, "connections": {"C": [1], "D": [%s], "Q": [%s]}}' "$1" "$2" "$3"; }
lut()   { printf '"%s": {"type": "SB_LUT4", "port_directions": {"I0": "input", "I1": "input", "I2": "input", "I3": "input", "O": "output"}, "connections": {"I0": [%s], "I1": [%s], "I2": ["0"], "I3": ["0"], "O": [%s]}}' "$1" "$2" "$3" "$4"; }
carry() { printf '"%s": {"type": "SB_CARRY", "port_directions": {"I0": "input", "I1": "input", "CI": "input", "CO": "output"}, "connections": {"I0": [%s], "I1": [%s], "CI": [%s], "CO": [%s]}}' "$1" "$2" "$3" "$4" "$5"; }

# three LUTs from a_r to b_r (and one LUT beside them), a carry chain of two bits into c_r
netlist "$WORK/good.json" "$(ff 'a.a_r_SB_DFF_Q' 20 10), $(lut l1 10 10 11), $(lut l2 11 10 12), $(lut l3 12 11 13),
  $(ff 'a.b_r_SB_DFF_Q_1' 13 21), $(lut side 10 21 14), $(ff 'a.b_r_SB_DFF_Q_2' 14 22),
  $(carry c0 10 21 '"0"' 15), $(carry c1 10 22 15 16), $(ff 'a.c_r_SB_DFF_Q' 16 23)"
if "$TOOL" --min-levels 2 --json "$WORK/good.report.json" "$WORK/good.json" > "$WORK/good.out" 2> "$WORK/good.err" &&
   jq -e '.endpoints == 4 and .deepest_levels == 3 and .endpoints_per_level == [1, 2, 0, 1]
          and .groups_at_min_levels == 1 and .endpoints_at_min_levels == 1
          and .groups[0].register_pin == "a.b_r.D" and .groups[0].endpoints == 2
          and .groups[0].endpoints_at_min_levels == 1 and .groups[0].levels == 3' \
          "$WORK/good.report.json" > /dev/null &&
   grep -q '3.0    1 of    2  a.b_r.D' "$WORK/good.out"; then
    ok good
else
    fail good "wrong depths: $(cat "$WORK/good.report.json" 2>/dev/null | jq -c '{endpoints, deepest_levels, endpoints_per_level, groups}' 2>/dev/null)"
fi
# the carry chain: 0.2 for its two bits, 1 for leaving it into c_r.D
if "$TOOL" --min-levels 1 --json "$WORK/carry.report.json" "$WORK/good.json" > /dev/null 2> "$WORK/carry.err" &&
   jq -e '[.groups[] | select(.register_pin == "a.c_r.D")][0].levels == 1.2' "$WORK/carry.report.json" > /dev/null; then
    ok carry
else
    fail carry "a two-bit carry chain into a flip-flop is not 1.2 levels"
fi

# run_case NAME WANT_RC PATTERN -- ARGS...: exit status WANT_RC within 30 s, stderr matching PATTERN
run_case() {
    local name=$1 want=$2 pat=$3 rc; shift 4
    timeout 30 "$TOOL" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"; rc=$?
    if [ "$rc" != "$want" ]; then fail "$name" "exit $rc, expected $want"; return; fi
    if ! grep -qiE -- "$pat" "$WORK/$name.err"; then fail "$name" "no message matching /$pat/"; return; fi
    ok "$name"
}
netlist "$WORK/loop.json" "$(lut l1 10 11 11), $(lut l2 11 10 10), $(ff 'a.q_r_SB_DFF_Q' 11 20)"
netlist "$WORK/two.json" "$(lut l1 20 20 11), $(lut l2 20 20 11), $(ff 'a.q_r_SB_DFF_Q' 11 20)"
netlist "$WORK/huge.json" "$(lut l1 20 20 999999999), $(ff 'a.q_r_SB_DFF_Q' 11 20)"
head -c 300 "$WORK/good.json" > "$WORK/cut.json"
echo '{"modules": {"a": {"cells": {}}, "b": {"cells": {}}}}' > "$WORK/notop.json"
echo '{"modules": {"top": {"attributes": {"top": 1}}}}' > "$WORK/nocells.json"
run_case loop     1 'combinational loop runs through cell' -- "$WORK/loop.json"
run_case drivers  1 'has two drivers'                      -- "$WORK/two.json"
run_case huge     1 'out of range'                         -- "$WORK/huge.json"
run_case cut      1 'not JSON'                             -- "$WORK/cut.json"
run_case notop    1 'name it with --top'                   -- "$WORK/notop.json"
run_case badtop   1 'no module of that --top name'         -- --top nosuch "$WORK/good.json"
run_case nocells  1 'no "cells" object'                    -- "$WORK/nocells.json"
run_case missing  1 'No such file'                         -- "$WORK/nosuch.json"
run_case folder   1 'folder|directory'                     -- "$WORK"
cp "$WORK/good.json" "$WORK/good.copy.json"
run_case same     1 'input'                                -- --json "$WORK/good.json" "$WORK/good.json"
run_case nolevels 2 'expected an integer in 0..63'         -- --min-levels 64 "$WORK/good.json"
run_case noargs   2 'the netlist is required'              --
run_case twoargs  2 'one netlist only'                     -- "$WORK/good.json" "$WORK/good.json"
cmp -s "$WORK/good.json" "$WORK/good.copy.json" \
    && ok "input kept" || fail "input kept" "--json onto the netlist changed the netlist"
"$TOOL" --help | grep -q -- '--min-levels' && ok help || fail help "--help does not list --min-levels"

[ "$fails" = 0 ] && echo "lut_depth: all cases passed" || { echo "lut_depth: $fails case(s) failed"; exit 1; }
