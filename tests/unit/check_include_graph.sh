#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_include_graph.sh [--self-test] DIR... : the C/C++ include graph of the sources under DIR
# (every `#include "..."` of *.c, *.h, *.cpp, *.def) has no cycles.
# A quoted include resolves to the file in the including file's folder, else to the one file
# of that name anywhere under DIR (two candidates: an error, the graph would be a guess);
# names found nowhere (verilated.h, Verilator's V*.h, generated headers) are outside the graph.
# Exit 0 and a PASS line, or 1 with the cycle (tsort names its members) or the ambiguity.
# --self-test: runs the check on a fixture with a cycle and on one without, and fails unless
# the first fails and the second passes (the check can fail).
set -euo pipefail

if [ "${1:-}" = "--help" ] || [ $# -eq 0 ]; then
    sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'
    [ $# -eq 0 ] && exit 2 || exit 0
fi

if [ "$1" = "--self-test" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp/loop/a" "$tmp/loop/b" "$tmp/tree"
    printf '#include "y.h"\n' > "$tmp/loop/a/x.h"
    printf '#include "z.h"\n' > "$tmp/loop/b/y.h"
    printf '#include "x.h"\n' > "$tmp/loop/b/z.h"
    printf '#include "x.h"\n#include <stdio.h>\n' > "$tmp/loop/a/main.c"
    printf '#include "y.h"\n#include "verilated.h"\n' > "$tmp/tree/x.h"
    printf '#include "z.h"\n' > "$tmp/tree/y.h"
    printf '/* #include "x.h" in a comment does not count */\n' > "$tmp/tree/z.h"
    if "$0" "$tmp/loop" > "$tmp/out" 2>&1; then
        echo "check_include_graph: FAIL: the self-test cycle x.h -> y.h -> z.h -> x.h was not found" >&2
        exit 1
    fi
    if ! "$0" "$tmp/tree" > "$tmp/out" 2>&1; then
        echo "check_include_graph: FAIL: the self-test tree was reported as a cycle:" >&2
        cat "$tmp/out" >&2
        exit 1
    fi
    echo "check_include_graph: self-test PASS (a 3-file cycle is found, a tree passes)"
    exit 0
fi

files=$(find "$@" -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.def' \) | sort)
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
status=0
n_files=0 n_edges=0
for f in $files; do
    n_files=$((n_files + 1))
    echo "$f $f" >> "$edges"           # every file is a node, even with no includes
    dir=$(dirname "$f")
    for name in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        if [ -f "$dir/$name" ]; then
            target="$dir/$name"
        else
            matches=$(printf '%s\n' $files | awk -v n="/$name" 'substr($0, length($0) - length(n) + 1) == n')
            count=$(printf '%s' "$matches" | grep -c . || true)
            if [ "$count" -eq 0 ]; then
                continue
            elif [ "$count" -gt 1 ]; then
                echo "check_include_graph: FAIL: $f includes \"$name\", which matches $(echo $matches)" >&2
                status=1
                continue
            fi
            target=$matches
        fi
        if [ "$target" = "$f" ]; then
            echo "check_include_graph: FAIL: $f includes itself" >&2
            status=1
        fi
        echo "$f $target" >> "$edges"
        n_edges=$((n_edges + 1))
    done
done
if ! tsort "$edges" > /dev/null 2> "$edges.err"; then
    echo "check_include_graph: FAIL: the include graph has a cycle through:" >&2
    grep -v 'input contains a loop' "$edges.err" | sed 's/^tsort: /  /' >&2
    status=1
fi
rm -f "$edges.err"
if [ $status -eq 0 ]; then
    echo "check_include_graph: PASS: $n_files files, $n_edges quoted includes, no cycle ($*)"
fi
exit $status
