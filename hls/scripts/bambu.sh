#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bambu.sh [bambu options] : PandA Bambu synthesis of the golden model (UNTESTED: no Bambu here).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p build/bambu && cd build/bambu
srcs=$(ls ../../hls/snn_*.c)
# shellcheck disable=SC2086
exec bambu --top-fname=snn_infer -I../../hls --std=c99 --compiler=I386_GCC12 \
    --generate-tb=../../hls/scripts/tb_snn.c --simulate "$@" $srcs
