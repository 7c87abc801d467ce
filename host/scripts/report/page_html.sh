# SPDX-License-Identifier: MIT
# page_html.sh : the page primitives for the HTML results page (sourced by make_report.sh).
esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
emit() { printf '%s\n' "$@" >> "$page"; }
# h2 ID TITLE
h2() { emit "<section id=\"$1\"><h2>$2</h2>"; }
end_section() { emit "</section>"; }
# missing TEXT: the section has no data yet
missing() { emit "<p class=\"missing\">$(printf '%s' "$*" | esc)</p>"; }
# img FILE ALT: a plot that plot() drew into $imgdir
img() { emit "<figure><img src=\"$imgurl$1\" alt=\"$2\"><figcaption>$2</figcaption></figure>"; }
# note TEXT: the command behind the numbers, the machine they came from
note() { emit "<p class=\"note\">$(printf '%s' "$*" | esc)</p>"; }
# table: TSV on stdin, first line the header
table() {
    awk -F'\t' 'function e(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
        NR == 1 { printf "<table><thead><tr>"; for (i = 1; i <= NF; i++) printf "<th>%s</th>", e($i);
                  printf "</tr></thead><tbody>\n"; next }
        { printf "<tr>"; for (i = 1; i <= NF; i++) printf "<td>%s</td>", e($i); printf "</tr>\n" }
        END { print "</tbody></table>" }' >> "$page"
}
page_head() {
    cat >> "$page" <<EOF
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Quantarion results</title>
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; } th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }
th { background: #eee; } td { font-variant-numeric: tabular-nums; }
figure { display: inline-block; margin: 0.5em 1em 0.5em 0; } figcaption { font-size: 0.9em; color: #555; }
img { max-width: 100%; border: 1px solid #ddd; }
.missing { color: #a40; } .note { color: #555; font-size: 0.9em; }
</style></head><body>
<h1>Quantarion results</h1>
<p class="note">$(provenance | esc)</p>
EOF
}

# The page's own check, read back by check_page.sh through the browser's DOM: every image
# decoded, no empty table.
page_tail() {
    cat >> "$page" <<'EOF'
<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  var tables = document.querySelectorAll('table');
  var empty = Array.prototype.filter.call(tables, function (t) { return t.querySelectorAll('tbody tr').length === 0; }).length;
  var p = document.createElement('p');
  p.id = 'page-check';
  p.className = 'note';
  p.textContent = 'page-check images=' + ok + '/' + imgs.length + ' tables=' + tables.length + ' empty=' + empty;
  document.body.appendChild(p);
});
</script>
</body></html>
EOF
}

