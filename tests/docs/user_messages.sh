#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# user_messages.sh [--missing GUIDE.md] : the messages a user can meet, extracted from the sources:
# the format strings of fprintf(stderr, ...), of snprintf(err, ...) and FAIL(code, ...) (the text a
# program later prints after "tool: "), of calls to *fail*/*die*/*error* helpers, and the texts of
# error codes (case X_E...: return "...") in host/src, sim/ and hls/; and `echo "..." >&2` lines of
# mk/ and host/scripts/.
# One line each: FILE<TAB>MESSAGE, MESSAGE being the first string literal with its escapes undone
# and its trailing newline dropped.  Pure wrappers ("train: %s") carry no text of their own and are
# left out.  With --missing GUIDE, only the messages GUIDE does not contain (verbatim), exit 1 if any.
set -euo pipefail
cd "$(dirname "$0")/../.."
extract() {
    grep -rnoP --include='*.c' --include='*.cpp' --include='*.h' \
        '(fprintf\(\s*stderr,\s*|snprintf\(\s*(err|msg|why)\w*,\s*[^,()]+,\s*|\b[A-Z_]*FAIL\(\s*\w+,\s*|\b\w*(fail|die|error)\w*\(\s*(?:[^"(),]+,\s*)*|case \w+_E\w*: return )"(?:[^"\\]|\\.)*"' host/src sim hls |
        sed -E 's/^([^:]+):[0-9]+:[^"]*"(.*)"$/\1\t\2/'
    grep -rnoP --include='*.mk' --include='*.sh' 'echo "(?:[^"\\]|\\.)*"(?= *>&2)' mk host/scripts |
        sed -E 's/^([^:]+):[0-9]+:echo "(.*)"$/\1\t\2/'
}
messages() {
    extract | awk -F'\t' '{
        m = $2
        gsub(/\\n$/, "", m); gsub(/\\n/, " ", m); gsub(/\\"/, "\"", m); gsub(/\\\\/, "\\", m); gsub(/\\t/, " ", m)
        gsub(/\$\$/, "$", m)                              # make escapes
        text = m; gsub(/%[-+ #0-9.*]*(l|ll|z|h|hh)?[diouxXfgeEcsp]/, "", text); gsub(/\$[({][^)}]*[)}]|\$[A-Za-z_]+/, "", text)
        gsub(/^[a-z_\/]+: */, "", text)                   # the "tool: " prefix
        if (text ~ /[A-Za-z][A-Za-z][A-Za-z].*[A-Za-z][A-Za-z][A-Za-z]/) print $1 "\t" m
    }' | sort -u
}
if [ "${1:-}" = --missing ]; then
    guide=${2:?usage: user_messages.sh --missing GUIDE.md}
    missing=$(messages | while IFS=$'\t' read -r file msg; do
        grep -qF -- "$msg" "$guide" || printf '%s\t%s\n' "$file" "$msg"
    done)
    if [ -n "$missing" ]; then
        printf '%s\n' "$missing"
        exit 1
    fi
    exit 0
fi
messages
