# SPDX-License-Identifier: MIT
# page_md.sh : the page primitives for docs/results.md, the Markdown twin of the results page
# (sourced by make_report.sh --markdown).
emit() { printf '%s\n' "$@" >> "$page"; }
h2() { emit "" "## $2" ""; }
end_section() { :; }
missing() { emit "" "_Not measured: $*_" ""; }
img() { emit "" "![$2]($imgurl$1)" "" "*$2*" ""; }
note() { emit "" "$*" ""; }
# table: TSV on stdin, first line the header
table() {
    awk -F'\t' 'function e(s) { gsub(/\|/, "\\|", s); return s }
        { printf "|"; for (i = 1; i <= NF; i++) printf " %s |", e($i); printf "\n" }
        NR == 1 { printf "|"; for (i = 1; i <= NF; i++) printf "---|"; printf "\n" }' >> "$page"
    emit ""
}
page_head() {
    emit "# Quantarion results" "" \
        "This page is written by \`make bench\` (host/scripts/report/make_report.sh --markdown); the same" \
        "figures and tables make up \`build/report/index.html\` (\`make report\`). Do not edit it by hand:" \
        "the analysis behind the trainer's settings is in docs/training-results.md." "" "$(provenance)"
}
page_tail() { :; }
