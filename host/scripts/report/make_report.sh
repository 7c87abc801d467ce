#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make_report.sh BUILD OUT : the results page OUT/index.html, drawn from the JSON reports and
# per-image files under BUILD (what `make` and `make bench` write).  Plots are gnuplot PNGs in
# OUT/img.  A section whose data is missing says which target produces it; one whose data is
# inconsistent (the golden model's and the RTL's traces differ) fails the page: exit 1.
set -euo pipefail
build=${1:?usage: make_report.sh BUILD OUT}
out=${2:?usage: make_report.sh BUILD OUT}
here=$(cd "$(dirname "$0")" && pwd)
for tool in jq gnuplot awk; do
    command -v "$tool" >/dev/null || { echo "report: $tool is missing (make deps installs it)" >&2; exit 1; }
done
mkdir -p "$out/img" "$out/data"
page=$out/index.html.tmp
: > "$page"
# shellcheck source=host/scripts/report/sections.sh
. "$here/sections.sh"

html_head
section_headline
section_training
section_pareto
section_confusion
section_trace
section_histograms
section_fpga
section_link
html_tail
mv "$page" "$out/index.html"
echo "report: $out/index.html ($(grep -c '<img ' "$out/index.html") plots, $(grep -c '<table' "$out/index.html") tables)"
