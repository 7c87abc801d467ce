# SPDX-License-Identifier: MIT
# sections.sh : the sections of the results page, sourced by make_report.sh (which sets $build,
# $imgdir, $datadir and the page primitives of page_html.sh or page_md.sh).  Each section
# reads its inputs, draws its gnuplot PNGs into $imgdir and writes through the primitives.

# plot FILE.png WIDTH HEIGHT: gnuplot commands on stdin, drawn into $imgdir
plot() {
    { printf "set terminal png size %d,%d font ',10'\nset output '%s'\n" "$2" "$3" "$imgdir/$1"; cat; } |
        gnuplot 2>"$datadir/$1.gnuplot.log" || { echo "report: gnuplot failed on $1 (see $datadir/$1.gnuplot.log)" >&2; exit 1; }
}
provenance() {
    printf 'Generated %s from the reports under %s/ on %s (%s); commit %s. Times are this machine'"'"'s; speed comparisons are ratios measured in one run.' \
        "$(date -u '+%Y-%m-%d %H:%M UTC')" "$build" "$(machine)" "$(uname -n)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}
machine() { printf '%s, %s cores' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(nproc)"; }

# jq_row REPORT LABEL FILTER: one TSV row "stage, result, report" when REPORT exists
jq_row() {
    [ -f "$build/$1" ] || return 0
    local v
    v=$(jq -r "$3" "$build/$1" 2>/dev/null) || v="(unreadable JSON)"
    printf '%s\t%s\t%s\n' "$2" "$v" "$1"
}

section_headline() {
    h2 headline "Headline numbers"
    local n='def n(k): if has(k) and .[k] != null then (.[k] | tostring) else "?" end;'
    local rows
    rows=$(
        jq_row train/report.json train "$n"'"\(.dataset) \(.layers | map(tostring) | join("-")), T=\(.steps), \(.encoding): INT8 " + n("int8_accuracy") + " (FP32 " + n("fp32_accuracy") + "), " + n("golden_mismatches") + " golden mismatches"'
        jq_row eval/report.json "golden model" "$n"'"accuracy " + n("accuracy") + " on " + n("images") + " images, " + n("model_cycles_per_image") + " cycles/image (model)"'
        jq_row sim/report.json "RTL vs golden" "$n"'n("mismatches") + " mismatches on " + n("images") + " images (" + n("level") + "), " + n("cycles_mean") + " cycles/image"'
        jq_row icebreaker/report.json "iCEBreaker bitstream" "$n"'"LC " + n("lut") + "/" + n("lut_total") + ", fmax " + n("fmax_mhz") + " MHz (clock " + n("clock_mhz") + ", nextpnr target " + n("target_mhz") + "), timing met " + n("timing_met") + ", DSP " + n("dsp") + "/" + n("dsp_total")'
        jq_row ulx3s/report.json "ULX3S bitstream" "$n"'"LUT " + n("lut") + ", fmax " + n("fmax_mhz") + " MHz at target " + n("target_mhz")'
        jq_row run/report.json "simulated board" "$n"'n("status") + ": " + n("images") + " images, agreement " + n("agreement") + ", accuracy " + n("accuracy") + ", " + n("simulated_images_per_second") + " simulated images/s (" + n("fraction_of_link_bound") + " of the link bound)"'
    )
    if [ -n "$rows" ]; then
        { printf 'stage\tresult\treport\n'; printf '%s\n' "$rows"; } | table
        note "Commands: make (train, eval, sim, bitstream, run); each row's report is under $build/."
    else
        missing "No stage has written a report yet: run make."
    fi
    end_section
}

section_training() {
    h2 training "Training curves"
    local r=$build/train/report.json
    if [ -f "$r" ] && jq -e '.epochs | length > 0' "$r" >/dev/null 2>&1; then
        jq -r '.epochs | to_entries[] | "\(.key + 1) \(.value.loss) \(.value.train_accuracy * 100) \(.value.test_accuracy * 100) \(.value.phase)"' "$r" \
            > "$datadir/epochs.dat"
        plot training.png 1100 420 <<EOF
set multiplot layout 1,2 title "$(jq -r '"\(.dataset) \(.layers | map(tostring) | join("-")), T=\(.steps), \(.encoding): FP32 epochs, then QAT"' "$r")"
set xlabel 'epoch'; set grid
set ylabel 'train loss'
plot '$datadir/epochs.dat' using 1:2 with linespoints pt 7 ps 0.5 title 'loss'
set ylabel 'accuracy %'
plot '$datadir/epochs.dat' using 1:3 with linespoints pt 7 ps 0.5 title 'train', '' using 1:4 with linespoints pt 7 ps 0.5 title 'test'
unset multiplot
EOF
        img training.png "Loss and accuracy per epoch ($r)"
        note "Command: make train-default (host/train $(jq -r '"--layers \(.layers | map(tostring) | join(",")) --steps \(.steps)"' "$r")), $(jq -r '.train_seconds // "?"' "$r") s of training on $(machine)."
    else
        missing "No training report with epochs ($r): run make train-default."
    fi
    end_section
}

section_pareto() {
    h2 pareto "Accuracy against cycles per image (speed ablation)"
    local r=$build/ablate-speed/speed.json
    if [ -f "$r" ] && jq -e '.rows | length > 0' "$r" >/dev/null 2>&1; then
        jq -r '.rows[] | "\(.model_cycles_per_image) \(.int8_accuracy * 100) \(if .pareto then 1 else 0 end) \(.encoding)-T\(.steps)-\(.early_exit)"' "$r" \
            > "$datadir/pareto.dat"
        plot pareto.png 1000 520 <<EOF
set xlabel 'cycles per image (cycle model = RTL)'; set ylabel 'INT8 accuracy %'; set grid; set logscale x
set key bottom right
plot '$datadir/pareto.dat' using 1:(\$3 == 0 ? \$2 : 1/0) with points pt 7 lc rgb '#999999' title 'setting', \
     '' using 1:(\$3 == 1 ? \$2 : 1/0) with linespoints pt 7 lc rgb '#c03020' title 'Pareto front', \
     '' using 1:(\$3 == 1 ? \$2 : 1/0):4 with labels offset 0,1 font ',8' notitle
EOF
        img pareto.png "INT8 accuracy against clocks per image, $(jq -r '.dataset' "$r"), every coding, T and early-exit mode ($r)"
        { printf 'encoding\tT\tearly exit\tINT8 accuracy\tcycles/image\tµs/image\tmean steps\tPareto\n'
          jq -r '.rows[] | "\(.encoding)\t\(.steps)\t\(.early_exit)\t\(.int8_accuracy)\t\(.model_cycles_per_image)\t\(.us_per_image)\t\(.mean_steps_used)\t\(if .pareto then "yes" else "" end)"' "$r"; } | table
        note "Chosen: $(jq -r '."fastest_within_0.2_points" | "\(.encoding) T=\(.steps), early exit \(.early_exit): \(.int8_accuracy) at \(.model_cycles_per_image) cycles"' "$r") (the fastest within 0.2 points of the best). Command: host/train --ablate speed (make bench)."
    else
        missing "No speed ablation yet ($r): run host/train --ablate speed (make bench)."
    fi
    end_section
}

section_confusion() {
    h2 confusion "Confusion matrix (golden model, test split)"
    local csv=$build/eval/per_image.csv
    if [ -f "$csv" ] && [ "$(wc -l < "$csv")" -gt 1 ]; then
        awk -F, 'NR > 1 { c[$2, $3]++; if ($2 > k) k = $2; if ($3 > k) k = $3 }
                 END { for (t = 0; t <= k; t++) { for (p = 0; p <= k; p++) printf "%d ", c[t, p] + 0; printf "\n" } }' \
            "$csv" > "$datadir/confusion.dat"
        plot confusion.png 620 560 <<EOF
set xlabel 'predicted class'; set ylabel 'true class'
k = $(($(wc -l < "$datadir/confusion.dat") - 1)); set xrange [-0.5:k + 0.5]; set yrange [k + 0.5:-0.5]
set palette defined (0 'white', 1 '#6a9fd4', 2 '#08306b'); set cbrange [0:*]; set logscale cb
set xtics 1; set ytics 1; set view map
plot '$datadir/confusion.dat' matrix with image notitle, \
     '' matrix using 1:2:(\$3 > 0 ? sprintf('%d', \$3) : '') with labels font ',8' notitle
EOF
        img confusion.png "Confusion matrix over $(($(wc -l < "$csv") - 1)) test images ($csv)"
    else
        missing "No per-image results ($csv): run make eval."
    fi
    end_section
}

section_trace() {
    h2 trace "One image through every layer: golden model and RTL"
    local dir=$build/report/trace g r
    g=$dir/golden.txt r=$dir/rtl.txt
    if [ ! -f "$g" ] || [ ! -f "$r" ]; then
        missing "No trace ($dir): run make report (it runs the RTL simulation with --dump-image)."
        end_section
        return
    fi
    if ! cmp -s "$g" "$r"; then
        echo "report: FAIL: the golden model's and the RTL's trace of the same image differ ($g, $r):" >&2
        diff "$g" "$r" | head -20 >&2
        exit 1
    fi
    local layers steps
    layers=$(awk '$1 == "V" && $3 + 1 > n { n = $3 + 1 } END { print n + 0 }' "$g")
    steps=$(awk '$1 == "V" && $2 > n { n = $2 } END { print n + 0 }' "$g")
    local src
    for src in golden rtl; do
        local f=$dir/$src.txt l
        for ((l = 0; l < layers; l++)); do
            awk -v l=$l '$1 == "S" && $3 == l { print $2, $4 }' "$f" > "$datadir/spikes-$src-$l.dat"
        done
        plot "raster-$src.png" 560 $((220 * layers)) <<EOF
set multiplot layout $layers,1 title "$src: spikes (step, neuron)"
$(for ((l = 0; l < layers; l++)); do
    printf "set xlabel 'step'; set ylabel 'layer %d neuron'; set xrange [0.5:%d.5]; set yrange [-0.5:%d.5]\n" \
        "$l" "$steps" "$(awk -v l=$l '$1 == "V" && $3 == l && $4 > h { h = $4 } END { print h + 0 }' "$f")"
    printf "plot '%s' using 1:2 with points pt 5 ps 0.35 notitle\n" "$datadir/spikes-$src-$l.dat"
done)
unset multiplot
EOF
        # membranes: every neuron of the output layer, the 8 most active of each hidden layer
        awk -v last=$((layers - 1)) '$1 == "S" { n[$3, $4]++ } $1 == "V" { v[$3, $4, $2] = $5; if ($2 > T) T = $2; if ($4 + 1 > H[$3]) H[$3] = $4 + 1 }
            END { for (l = 0; l <= last; l++) { k = 0
                    for (j = 0; j < H[l]; j++) { pick = l == last; if (!pick) { r = 0; for (i = 0; i < H[l]; i++) if (n[l, i] > n[l, j] || (n[l, i] == n[l, j] && i < j)) r++; pick = r < 8 }
                      if (!pick) continue
                      for (t = 1; t <= T; t++) print l, j, t, v[l, j, t]; print ""; print "" } } }' "$f" > "$datadir/membrane-$src.dat"
        plot "membrane-$src.png" 560 $((220 * layers)) <<EOF
set multiplot layout $layers,1 title "$src: membrane after each step"
$(for ((l = 0; l < layers; l++)); do
    printf "set xlabel 'step'; set ylabel 'layer %d V'; set grid\n" "$l"
    printf "plot '%s' using 3:(\$1 == %d ? \$4 : 1/0) with lines notitle\n" "$datadir/membrane-$src.dat" "$l"
done)
unset multiplot
EOF
    done
    img raster-golden.png "Spike raster, golden model (hls/)"
    img raster-rtl.png "Spike raster, RTL in Verilator"
    img membrane-golden.png "Membranes, golden model"
    img membrane-rtl.png "Membranes, RTL (read back over the bus)"
    note "Both traces are identical ($(grep -c '^S' "$g") spikes, $(grep -c '^V' "$g") membrane values compared); the page fails if they are not. Command: sim_core --dump-image N --dump-dir DIR (make report)."
    end_section
}

# json_rows FILTER FILE... : FILTER (jq, with $src the file's path under $build) applied to every
# JSON value of the files that exist, unique lines sorted
json_rows() {
    local filter=$1 f
    shift
    for f in "$@"; do
        [ ! -f "$f" ] || jq -r --arg src "${f#"$build"/}" "$filter" "$f"
    done 2>/dev/null | sort -u
}

# column NAME CSV: the 1-based index of column NAME in CSV's header, or nothing
column() { head -1 "$2" | tr "," "\n" | grep -nx "$1" | cut -d: -f1 || true; }

section_histograms() {
    h2 histograms "Cycles and steps per image"
    local csv=$build/eval/per_image.csv c s
    if [ ! -f "$csv" ] || [ -z "$(column cycles "$csv")" ]; then
        missing "No per-image cycles ($csv): run make eval."
        end_section
        return
    fi
    c=$(column cycles "$csv")
    awk -F, -v c="$c" 'NR > 1 { print $c }' "$csv" > "$datadir/cycles.dat"
    plot cycles.png 560 380 <<EOF
set xlabel 'accelerator clocks per image (cycle model = RTL)'; set ylabel 'images'; set grid
stats '$datadir/cycles.dat' using 1 nooutput
w = (STATS_max - STATS_min) / 40.0; if (w <= 0) w = 1
bin(x) = w * floor(x / w) + w / 2
set boxwidth w * 0.9; set style fill solid 0.6
plot '$datadir/cycles.dat' using (bin(\$1)):(1) smooth frequency with boxes notitle
EOF
    img cycles.png "Clocks per image over $(wc -l < "$datadir/cycles.dat") test images"
    s=$(column steps_used "$csv")
    if [ -n "$s" ]; then
        awk -F, -v s="$s" 'NR > 1 { print $s }' "$csv" > "$datadir/steps.dat"
        plot steps.png 560 380 <<EOF
set xlabel 'steps used (early exit)'; set ylabel 'images'; set grid; set boxwidth 0.8; set style fill solid 0.6
plot '$datadir/steps.dat' using 1:(1) smooth frequency with boxes notitle
EOF
        img steps.png "Steps used per image"
    fi
    sort -n "$datadir/cycles.dat" | awk '{ s += $1; a[NR] = $1 }
        END { printf "statistic\tclocks\nmean\t%.1f\nmedian\t%d\np99\t%d\nmax\t%d\n", s / NR, a[int((NR + 1) / 2)], a[int(0.99 * (NR - 1)) + 1], a[NR] }' | table
    end_section
}

section_fpga() {
    h2 fpga "FPGA utilisation per module and fmax"
    local stat=$build/report/util/stat.txt
    if [ -f "$stat" ]; then
        "$here/yosys_stat_tsv.awk" "$stat" > "$datadir/util.tsv"
        awk -F'\t' 'NR > 1 { printf "%s %s %s %s %s\n", NR - 2, $1, $3, $4, $5 }' "$datadir/util.tsv" > "$datadir/util.dat"
        plot util.png 1000 460 <<EOF
set style data histograms; set style histogram rowstacked; set style fill solid 0.7; set boxwidth 0.7
set ylabel 'cells (all instances)'; set xtics rotate by -40 font ',8'; set grid y; set key top right
plot '$datadir/util.dat' using 3:xtic(2) title 'SB\_LUT4', '' using 4 title 'SB\_CARRY', '' using 5 title 'flip-flops'
EOF
        img util.png "Cells per module of the iCEBreaker design (yosys synth_ice40 -noflatten; stat)"
        table < "$datadir/util.tsv"
    else
        missing "No per-module statistics ($stat): run make report."
    fi
    local seeds
    # the bitstream's report and every run of the toolchain sweep (one JSON object per line)
    seeds=$(json_rows '"\(.seed // "?")\t\(.fmax_mhz // "?")\t\(.target_mhz // "?")\t\(.lut // .lc // "?")\t\(.toolchain // "debian")\t\($src)"' \
        "$build"/icebreaker/report.json "$build"/bench/toolchain/runs.jsonl)
    if [ -n "$seeds" ]; then
        printf '%s\n' "$seeds" | awk -F'\t' '{ print NR, $2, $1 }' > "$datadir/fmax.dat"
        plot fmax.png 560 340 <<EOF
set ylabel 'fmax MHz'; set xlabel 'place-and-route run'; set grid; set yrange [0:*]; set style fill solid 0.6; set boxwidth 0.6
plot '$datadir/fmax.dat' using 1:2:xtic(sprintf('seed %s', stringcolumn(3))) with boxes notitle
EOF
        img fmax.png "fmax per nextpnr seed"
        { printf 'seed\tfmax MHz\ttarget MHz\tlogic cells\ttoolchain\treport\n'; printf '%s\n' "$seeds"; } | table
    else
        missing "No place-and-route report ($build/icebreaker/report.json): run make bitstream."
    fi
    end_section
}

section_link() {
    h2 link "Link throughput against baud and framing"
    local rows
    rows=$(json_rows '"\(.baud // "?")\t\(.framing // "raw")\t\(.simulated_images_per_second // "?")\t\(.link_bound_images_per_second // "?")\t\(.images // "?")\t\($src)"' \
        "$build"/run/report.json "$build"/bench/link/*.json)
    if [ -n "$rows" ]; then
        printf '%s\n' "$rows" | awk -F'\t' '{ print NR, $3, $4, $1 "/" $2 }' > "$datadir/link.dat"
        plot link.png 700 380 <<EOF
set style data histograms; set style histogram clustered; set style fill solid 0.7; set boxwidth 0.9
set ylabel 'images/s'; set grid y; set yrange [0:*]; set xtics font ',8'
plot '$datadir/link.dat' using 2:xtic(4) title 'measured (simulated board)', '' using 3 title 'link bound'
EOF
        img link.png "Images per second at each baud and framing"
        { printf 'baud\tframing\tsimulated images/s\tlink bound images/s\timages\treport\n'; printf '%s\n' "$rows"; } | table
    else
        missing "No host/run report ($build/run/report.json): run make run."
    fi
    end_section
}
