#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make_report.sh BUILD OUT [--markdown DOC.md] : the results page OUT/index.html, drawn from the
# JSON reports and per-image files under BUILD (what `make` and `make bench` write), with its
# gnuplot PNGs in OUT/img.  With --markdown the same sections go to DOC.md, with the PNGs in OUT
# (linked relative to DOC.md).  A section whose data is missing says which target produces it;
# one whose data is inconsistent (the golden model's and the RTL's traces differ) fails: exit 1.
set -euo pipefail
usage="usage: make_report.sh BUILD OUT [--markdown DOC.md]"
build=${1:?$usage}
out=${2:?$usage}
doc=
if [ $# -gt 2 ]; then
    [ "$3" = --markdown ] && [ $# = 4 ] || { echo "$usage" >&2; exit 2; }
    doc=$4
fi
here=$(cd "$(dirname "$0")" && pwd)
for tool in jq gnuplot awk; do
    command -v "$tool" >/dev/null || { echo "report: $tool is missing (make deps installs it)" >&2; exit 1; }
done
datadir=$(mktemp -d)
trap 'rm -rf "$datadir"' EXIT
if [ -n "$doc" ]; then
    imgdir=$out page=$doc.tmp
    mkdir -p "$imgdir" "$(dirname "$doc")"
    imgurl=$(realpath --relative-to="$(dirname "$doc")" "$out")/
    # shellcheck source=host/scripts/report/page_md.sh
    . "$here/page_md.sh"
else
    imgdir=$out/img page=$out/index.html.tmp imgurl=img/
    # shellcheck source=host/scripts/report/page_html.sh
    . "$here/page_html.sh"
fi
mkdir -p "$imgdir"
: > "$page"
# shellcheck source=host/scripts/report/sections.sh
. "$here/sections.sh"

page_head
section_headline
section_training
section_pareto
section_confusion
section_trace
section_histograms
section_fpga
section_link
page_tail
final=${doc:-$out/index.html}
mv "$page" "$final"
echo "report: $final ($(grep -cE '<img |^!\[' "$final") plots, $(grep -cE '<table|^\|---' "$final") tables)"
