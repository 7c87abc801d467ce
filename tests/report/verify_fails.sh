#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# verify_fails.sh "ENV" MODEL DIR : host/scripts/verify.sh must exit 1 and name the failing check
# for a model below its accuracy target (accuracy) and for a truncated model file (capacity).
#   ENV: the VAR=value list mk/report.mk passes to verify.sh (MODEL and TARGET_ACC are overridden)
set -u
env_list=$1 model=$2 dir=$3
mkdir -p "$dir"
status=0
expect_fail() { # expect_fail CHECK MODEL TARGET
    local out rc
    out=$(env $env_list MODEL="$2" TARGET_ACC="$3" host/scripts/verify.sh 2>&1)
    rc=$?
    if [ $rc = 1 ] && printf '%s' "$out" | grep -q "verify: FAIL: check '$1'" &&
       jq -e --arg c "$1" '.failed_check == $c and .passed == false' "$dir/verify/report.json" > /dev/null; then
        echo "verify_fails: PASS: $2 fails check '$1'"
    else
        echo "verify_fails: FAIL: $2 (target $3): expected exit 1 naming '$1', got exit $rc:" >&2
        printf '%s\n' "$out" | tail -5 >&2
        status=1
    fi
}
expect_fail accuracy "$model" 97.3
head -c 100 "$model" > "$dir/truncated.qmodel"
expect_fail capacity "$dir/truncated.qmodel" 97.3
exit $status
