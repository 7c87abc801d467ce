#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_golden_objects.sh OUTDIR GOLDEN_LIB : the golden model (hls/) stays HLS-friendly:
#  1. its objects reference no dynamic memory (malloc, calloc, realloc, free, ...);
#  2. every hls/*.c compiles with -std=c99 -Wall -Wextra -Wvla -Werror -pedantic;
#  3. its call graph (gcc -fcallgraph-info at -O0) has no cycle (recursion) and no
#     indirect call (function pointer).
# Each check first runs on a deliberately bad source and must reject it, so it cannot pass
# vacuously.
set -euo pipefail
out=$1 lib=$2
mkdir -p "$out"
STRICT="-std=c99 -Wall -Wextra -Wvla -Werror -Wno-unknown-pragmas -pedantic"
ALLOC='malloc|calloc|realloc|free|aligned_alloc|posix_memalign|alloca|__builtin_alloca|strdup'

# prints the allocation symbols the objects reference
alloc_refs() { nm -u "$@" 2>/dev/null | awk '{print $NF}' | grep -E "^($ALLOC)$" | sort -u || true; }

# prints "recursion: f" / "indirect call in: f" problems of the .ci call graphs given
callgraph_problems() {
    local edges
    edges=$(sed -n 's/.*edge: { sourcename: "\([^"]*\)" targetname: "\([^"]*\)".*/\1 \2/p' "$@")
    [ -z "$edges" ] && return 0
    echo "$edges" | awk '$1 == $2 {print "recursion: " $1} $2 == "__indirect_call" {print "indirect call in: " $1}'
    echo "$edges" | awk '$1 != $2 && $2 != "__indirect_call"' | tsort >/dev/null 2>"$out/tsort.err" ||
        echo "recursion: a call cycle ($(tr '\n' ' ' < "$out/tsort.err"))"
}

callgraph_of() { # src... -> .ci files in $out/cg
    rm -rf "$out/cg" && mkdir -p "$out/cg"
    for s in "$@"; do
        gcc $STRICT -O0 -Ihls -I"$out" -fcallgraph-info -c "$s" -o "$out/cg/$(basename "$s" .c).o" \
            -dumpdir "$out/cg/"
    done
}

# --- self-test: a bad source must be caught by every check
cat > "$out/bad.c" <<'BAD'
#include <stdlib.h>
int bad_even(int n);
static int bad_odd(int n) { return n == 0 ? 0 : bad_even(n - 1); }
int bad_even(int n) { return n == 0 ? 1 : bad_odd(n - 1); }
int bad_self(int n) { return n ? bad_self(n - 1) : 0; }
int bad_ptr(int (*f)(int)) { return f(1); }
int *bad_alloc(void) { return malloc(4); }
int bad_vla(int n) { int a[n]; a[0] = 1; return a[0]; }
BAD
gcc -std=c99 -O2 -c "$out/bad.c" -o "$out/bad.o"
[ -n "$(alloc_refs "$out/bad.o")" ] || { echo "check_golden_objects: FAIL: self-test: malloc not detected"; exit 1; }
if gcc $STRICT -c "$out/bad.c" -o "$out/bad2.o" 2>/dev/null; then
    echo "check_golden_objects: FAIL: self-test: strict flags accepted a VLA"; exit 1
fi
gcc -std=c99 -O0 -fcallgraph-info -c "$out/bad.c" -o "$out/cg-bad.o" -dumpdir "$out/cg-bad-"
bad=$(callgraph_problems "$out"/cg-bad-*.ci)
for want in "recursion: bad_self" "indirect call in: bad_ptr" "call cycle"; do
    grep -q "$want" <<<"$bad" || { echo "check_golden_objects: FAIL: self-test: '$want' not detected"; exit 1; }
done

# --- the real checks
status=0
objs=$(ar t "$lib" | sed "s|^|$out/lib/|")
rm -rf "$out/lib" && mkdir -p "$out/lib" && (cd "$out/lib" && ar x "$(cd - >/dev/null && realpath "$lib")")
refs=$(alloc_refs $objs)
if [ -n "$refs" ]; then
    echo "check_golden_objects: FAIL: $lib references $(echo $refs)"; status=1
else
    echo "check_golden_objects: PASS: $(echo $objs | wc -w) objects, no dynamic memory symbols"
fi
srcs=$(ls hls/*.c | grep -v gen_config_vh)
for s in $srcs; do
    gcc $STRICT -O2 -Ihls -c "$s" -o "$out/strict.o" || { echo "check_golden_objects: FAIL: $s under $STRICT"; status=1; }
done
[ $status = 0 ] && echo "check_golden_objects: PASS: hls/*.c compile with $STRICT"
callgraph_of $srcs
problems=$(callgraph_problems "$out"/cg/*.ci)
if [ -n "$problems" ]; then
    echo "check_golden_objects: FAIL: $problems"; status=1
else
    echo "check_golden_objects: PASS: call graph of $(ls "$out"/cg/*.ci | wc -l) files: no recursion, no function pointers"
fi
exit $status
