# SPDX-License-Identifier: MIT
# Quantarion: train, quantize, verify bit-exactly and run a spiking network on an iCE40.
#   make        the main job end to end on the bundled MNIST data, then a summary
#   make test   every test (unit, RTL vs golden model, simulated board)
#   make help   all targets
# Each part of the flow keeps its rules in mk/<part>.mk; this file only ties them together.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

include mk/config.mk
include mk/toolchain.mk
include mk/deps.mk
include mk/hls.mk
include mk/host.mk
include mk/train.mk
include mk/rtl.mk
include mk/link.mk
include mk/board.mk
include mk/run.mk
include mk/robust.mk
include mk/nir.mk
include mk/report.mk

## ---------------------------------------------------------------- entry points
.PHONY: all test bench help clean

# Every stage runs even when an earlier independent one failed (a bitstream that misses timing
# does not stop the host run); the summary names the failed stages and `make` then exits 1.
all: deps ## train -> export -> golden eval -> RTL sim -> bitstream -> host run, then a summary
	@failed=; for stage in $(MAIN_STAGES); do \
	  $(MAKE) --no-print-directory $$stage || failed="$$failed $$stage"; done; \
	host/scripts/summary.sh $(BUILD) $$failed

test: deps $(TEST_TARGETS) ## all tests: unit (ASan/UBSan), RTL vs golden, simulated board
	@echo "make test: all test groups passed ($(TEST_TARGETS))"

bench: deps $(BENCH_TARGETS) ## all benchmarks; reports under docs/ and build/bench/

help: ## this list
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  %-18s %s\n", $$1, $$2}'

clean: ## remove build/ and the host programs
	rm -rf $(BUILD) host/train host/train-mpi host/eval host/run host/nir
