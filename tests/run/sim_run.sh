#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/run/sim_run.sh : host/run against the simulated board.  Passes when host/run exits 0,
# every image agreed with the golden model, and the simulated throughput (the board's own
# clock, PROTO_DEFAULT_CLK_HZ = 36 MHz, at the rate the run used) is at least 90 % of the bound
# that applies: the link's (baud / 10 / bytes per image) or the core's (clocks per image plus
# the result read-out), whichever is lower.
#   sim_run.sh HOST_RUN REPORT.json host/run-args...
set -u
RUN=$1 REPORT=$2; shift 2
mkdir -p "$(dirname "$REPORT")"
timeout 900 "$RUN" "$@" --report "$REPORT" > /dev/null
rc=$?
[ $rc = 124 ] && { echo "sim_run: FAIL: host/run hung (900 s)"; exit 1; }
jq -c '{status, images, accuracy, agreement, link_errors, retries, images_per_second,
        simulated_images_per_second, link_bound_images_per_second, core_bound_images_per_second,
        bound, fraction_of_bound, baud, framing, latency_ms}' "$REPORT" || { echo "sim_run: FAIL: no report"; exit 1; }
[ $rc = 0 ] || { echo "sim_run: FAIL: host/run exit $rc"; exit 1; }
jq -e '.status == "ok" and .images > 0 and .agreement == 1 and .mismatch_count == 0' "$REPORT" > /dev/null \
    || { echo "sim_run: FAIL: not every answer agreed with the golden model"; exit 1; }
jq -e '.simulated_images_per_second != null and .fraction_of_bound >= 0.9' "$REPORT" > /dev/null \
    || { echo "sim_run: FAIL: simulated throughput below 90 % of the bound that applies"; exit 1; }
echo "sim_run: PASS"
