#!/usr/bin/awk -f
# SPDX-License-Identifier: MIT
# yosys_stat_tsv.awk STAT.txt : a Yosys `stat` of a hierarchical (-noflatten) iCE40 netlist as a
# TSV, one row per module name: instances in the design, and SB_LUT4, SB_CARRY, flip-flops,
# SB_RAM40_4K and SB_MAC16 summed over those instances (a module's own cells, not its children's).
function base(n) { sub(/^\$paramod\$[0-9a-f]+\\/, "", n); sub(/^\$paramod\\/, "", n); sub(/\\.*$/, "", n); return n }
/^=== design hierarchy ===/ { hier = 1; next }
/^=== .* ===$/ { mod = $2; next }
!hier && !done && mod != "" && $1 ~ /^SB_/ {
    kind = $1 ~ /^SB_DFF/ ? "FF" : $1
    own[mod, kind] += $2
}
hier && /^ +[^ ]+ +[0-9]+$/ {
    match($0, /^ +/); depth = (RLENGTH - 3) / 2
    mult[depth] = $2 * (depth > 0 ? mult[depth - 1] : 1)
    inst[$1] += mult[depth]
    next
}
hier && /Number of wires/ { hier = 0; done = 1 }
END {
    printf "module\tinstances\tSB_LUT4\tSB_CARRY\tflip-flops\tSB_RAM40_4K\tSB_MAC16\n"
    for (m in inst) {
        b = base(m); names[b] = 1; n[b] += inst[m]
        lut[b] += inst[m] * own[m, "SB_LUT4"]; car[b] += inst[m] * own[m, "SB_CARRY"]
        ff[b] += inst[m] * own[m, "FF"]; ebr[b] += inst[m] * own[m, "SB_RAM40_4K"]; dsp[b] += inst[m] * own[m, "SB_MAC16"]
    }
    for (b in names) printf "%s\t%d\t%d\t%d\t%d\t%d\t%d\n", b, n[b], lut[b], car[b], ff[b], ebr[b], dsp[b] | "sort -t'\t' -k3,3nr"
}
