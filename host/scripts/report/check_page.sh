#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_page.sh CHROMIUM PAGE.html SHOT.png : renders the results page in headless Chromium,
# reads back the page's own check (every <img> decoded, no table without rows) from the DOM the
# browser built, and saves a full-page screenshot.  Exit 1 when the browser or the check fails.
set -uo pipefail
chromium=${1:?usage: check_page.sh CHROMIUM PAGE.html SHOT.png} page=${2:?} shot=${3:?}
command -v "$chromium" >/dev/null || { echo "check_page: $chromium is missing (make deps installs Debian's chromium)" >&2; exit 1; }
[ -f "$page" ] || { echo "check_page: no page at $page (make report writes it)" >&2; exit 1; }
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
flags=(--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$profile"
       --hide-scrollbars --allow-file-access-from-files --virtual-time-budget=10000)
dom=$(timeout 120 "$chromium" "${flags[@]}" --dump-dom "$url" 2>"$profile/dump.log") \
    || { echo "check_page: FAIL: $chromium could not render $url:" >&2; tail -5 "$profile/dump.log" >&2; exit 1; }
check=$(printf '%s' "$dom" | grep -o 'page-check images=[0-9]*/[0-9]* tables=[0-9]* empty=[0-9]*') \
    || { echo "check_page: FAIL: the page's load check did not run (no #page-check in the DOM)" >&2; exit 1; }
read -r loaded total tables empty < <(printf '%s' "$check" | sed 's|page-check images=\([0-9]*\)/\([0-9]*\) tables=\([0-9]*\) empty=\([0-9]*\)|\1 \2 \3 \4|')
height=$(( 900 + 450 * total ))
timeout 120 "$chromium" "${flags[@]}" --window-size=1280,$height --screenshot="$shot" "$url" 2>"$profile/shot.log" >/dev/null \
    || { echo "check_page: FAIL: no screenshot:" >&2; tail -5 "$profile/shot.log" >&2; exit 1; }
[ -s "$shot" ] || { echo "check_page: FAIL: empty screenshot $shot" >&2; exit 1; }
status=0
[ "$total" -gt 0 ] || { echo "check_page: FAIL: the page has no images" >&2; status=1; }
[ "$loaded" = "$total" ] || { echo "check_page: FAIL: $((total - loaded)) of $total images did not load" >&2; status=1; }
[ "$tables" -gt 0 ] || { echo "check_page: FAIL: the page has no tables" >&2; status=1; }
[ "$empty" = 0 ] || { echo "check_page: FAIL: $empty of $tables tables are empty" >&2; status=1; }
[ $status = 0 ] && echo "check_page: PASS: $loaded/$total images loaded, $tables tables, none empty; screenshot $shot"
exit $status
