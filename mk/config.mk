# SPDX-License-Identifier: MIT
# mk/config.mk : tools, flags and folders shared by every part of the build.

BUILD      ?= build
GEN        := $(BUILD)/gen
CC         ?= cc
CXX        ?= c++
# simulators (the synthesis tools are set in mk/board.mk)
VERILATOR  ?= verilator
IVERILOG   ?= iverilog
VVP        ?= vvp
NPROC      := $(shell nproc 2>/dev/null || echo 2)

# The golden model must match the hardware bit for bit: plain C99, no fast-math.
GOLDEN_CFLAGS := -std=c99 -O3 -g -Wall -Wextra -Wvla -Werror -Wno-unknown-pragmas -pedantic
# Host programs (eval, train, run); the float trainer may add its own speed flags.
HOST_CFLAGS   := -std=c11 -O2 -g -Wall -Wextra -Wvla -D_GNU_SOURCE -Ihls -Iprotocol -Ihost/src/common -I$(GEN)
# Sanitizer builds for the C tests.
SAN_FLAGS     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

MAIN_STAGES   :=
TEST_TARGETS  :=
BENCH_TARGETS :=

$(BUILD) $(GEN):
	@mkdir -p $@
