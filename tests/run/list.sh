#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/run/list.sh : `host/run --list` on a fake USB bus (umockdev-run with
# tests/run/usb_boards.umockdev: an iCEBreaker, FT2232H 0403:6010 serial ibTEST01 with its UART
# interface bound to ttyUSB1, and a device that is not a board).  The board must be listed with
# its serial, bus path, tty and --device spec; the other device must not.  host/run must be the
# plain build: umockdev works by LD_PRELOAD, which AddressSanitizer does not allow.
#   list.sh HOST_RUN
set -eu
RUN=$1 BUS=$(dirname "$0")/usb_boards.umockdev
out=$(umockdev-run --device "$BUS" -- "$RUN" --list --json)
echo "$out"
echo "$out" | jq -e '.boards | length == 1' > /dev/null || { echo "list: FAIL: expected exactly one board"; exit 1; }
echo "$out" | jq -e '.boards[0] | .vid == "0403" and .pid == "6010" and .chip == "FT2232H" and
    .serial == "ibTEST01" and .bus_path == "1-2" and .tty == "/dev/ttyUSB1" and
    .device == "usb:0403:6010:ibTEST01"' > /dev/null || { echo "list: FAIL: wrong details"; exit 1; }
text=$(umockdev-run --device "$BUS" -- "$RUN" --list)
echo "$text"
echo "$text" | grep -q 'tty /dev/ttyUSB1 .*--device usb:0403:6010:ibTEST01' || { echo "list: FAIL: text form"; exit 1; }
echo "list.sh: PASS"
