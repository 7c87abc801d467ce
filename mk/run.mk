# SPDX-License-Identifier: MIT
# mk/run.mk : host/run (drives a board or the simulated board, checks every answer against
# the golden model), its transports, the fault-injection proxy and the run tests.

RUN_BIN       := host/run
RUN_SRC       := $(wildcard host/src/run/*.c)
RUN_HDR       := $(wildcard host/src/run/*.h) $(HOST_COMMON_HDR) $(LINK_HDR)
RUN_CFLAGS    := $(LINK_CFLAGS) -Ihost/src/run
RUN_LIBS      := $(LINK_LIBS) $(HOST_LIBS)
RUN_OBJ_SAN   := $(patsubst host/src/run/%.c,$(BUILD)/run-san/%.o,$(filter-out host/src/run/main.c,$(RUN_SRC)))
FAULT_PROXY   := $(BUILD)/run/fault_proxy
.SECONDARY: $(RUN_OBJ_SAN)
RUN_TESTS     := $(BUILD)/run-san/test_serial $(BUILD)/run-san/test_proxy $(BUILD)/run-san/test_agree
RUN_REPORT    := $(BUILD)/run/report.json
# The main job's run: the whole mnist test split on the simulated board (RUN_LIMIT= to cap it).
RUN_LIMIT     ?=
RUN_ARGS      ?= --device sim --sim-board $(SIM_BOARD) --model $(DEFAULT_MODEL) --data mnist $(if $(RUN_LIMIT),--limit $(RUN_LIMIT))

## ---------------------------------------------------------------- objects
$(BUILD)/run-san/%.o: host/src/run/%.c $(RUN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

## ---------------------------------------------------------------- programs
$(RUN_BIN): $(RUN_SRC) $(RUN_HDR) $(LINK_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(CC) $(RUN_CFLAGS) $(RUN_SRC) $(LINK_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(RUN_LIBS) -o $@

$(FAULT_PROXY): sim/proxy/fault_proxy.c $(LINK_LIB) $(LINK_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) $< $(LINK_LIB) $(LINK_LIBS) -o $@

.PHONY: run-bin fault-proxy
run-bin: deps $(RUN_BIN) ## build host/run
fault-proxy: deps $(FAULT_PROXY) ## build the fault-injection proxy (build/run/fault_proxy)

## ---------------------------------------------------------------- main job: the run stage
$(RUN_REPORT): $(RUN_BIN) $(DEFAULT_MODEL) $(MNIST_DATA) $(SIM_BOARD)
	@mkdir -p $(@D)
	$(RUN_BIN) $(RUN_ARGS) --report $@

.PHONY: run
run: deps $(RUN_REPORT) ## host/run --device sim on the default model over the mnist test split
MAIN_STAGES += $(RUN_REPORT)

## ---------------------------------------------------------------- tests
# Unit tests (cmocka) and a sanitized host/run for the end-to-end tests; a board stand-in
# (tests/run/fake_board.c: the real protocol, the golden model, misbehaviour on request) for the
# error paths; a synthetic model so the tests do not wait for training.
RUN_SAN_BIN   := $(BUILD)/run-san/run
FAKE_BOARD    := $(BUILD)/run/fake_board
RUN_TEST_MODEL := $(BUILD)/run/synth.qmodel
RUN_TEST_DIR  := $(BUILD)/run/test
# The simulated board runs at ~1/50 of real time here: the test takes a slice of the split
# (RUN_SIM_LIMIT images), the main job (`make run`) the whole of it.
RUN_SIM_LIMIT ?= 500
RUN_SIM_ARGS  := --device sim --sim-board $(SIM_BOARD) --model $(RUN_TEST_MODEL) --data mnist --limit $(RUN_SIM_LIMIT)
RUN_FAULT_LIMITS_FAKE := 2000 2000
RUN_FAULT_LIMITS_SIM  := 100 0
# the simulated board through the proxy at every rate (the stand-in board runs 3 Mbaud only)
RUN_FAULT_BAUDS       := 3000000 6000000 12000000

$(BUILD)/run-san/test_%: tests/run/test_%.c $(RUN_OBJ_SAN) $(LINK_LIB_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -O1 $(SAN_FLAGS) $< $(RUN_OBJ_SAN) $(LINK_LIB_SAN) $(HOST_COMMON_LIB_SAN) \
	  $(GOLDEN_LIB_SAN) $(RUN_LIBS) -lcmocka -o $@

$(RUN_SAN_BIN): $(BUILD)/run-san/main.o $(RUN_OBJ_SAN) $(LINK_LIB_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	$(CC) $(SAN_FLAGS) $^ $(RUN_LIBS) -o $@

$(FAKE_BOARD): tests/run/fake_board.c $(LINK_LIB) $(GOLDEN_LIB) $(LINK_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) $< $(LINK_LIB) $(GOLDEN_LIB) $(LINK_LIBS) -o $@

# 4-bit inputs: the stream uses compressed INFER_Z frames (the stand-in board gets raw ones)
$(RUN_TEST_MODEL): $(SYNTH_MODEL) mk/run.mk
	@mkdir -p $(@D)
	$(SYNTH_MODEL) --out $@ --sizes 784,32,10 --steps 25 --seed 6 --input-bits 4

.PHONY: test-run-unit test-run-list test-run-errors test-run-faults test-run-sim test-run
test-run-unit: deps $(RUN_TESTS) $(FAULT_PROXY) ## host/run unit tests: serial over a pty, proxy, stats (ASan/UBSan)
	$(BUILD)/run-san/test_serial
	$(BUILD)/run-san/test_proxy $(FAULT_PROXY)
	$(BUILD)/run-san/test_agree

test-run-list: deps $(RUN_BIN) ## host/run --list on a fake USB bus (umockdev)
	tests/run/list.sh $(RUN_BIN)

test-run-errors: deps $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(MNIST_DATA) ## host/run error paths against a misbehaving board
	tests/run/errors.sh $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(RUN_TEST_DIR)/errors

test-run-faults: deps $(RUN_SAN_BIN) $(FAKE_BOARD) $(FAULT_PROXY) $(RUN_TEST_MODEL) $(MNIST_DATA) $(SIM_BOARD) ## host/run through the fault proxy (stand-in and simulated board)
	tests/run/faults.sh $(RUN_SAN_BIN) $(FAULT_PROXY) $(RUN_TEST_MODEL) $(RUN_TEST_DIR)/faults-fake \
	  $(RUN_FAULT_LIMITS_FAKE) $(FAKE_BOARD)
	@set -e; for b in $(RUN_FAULT_BAUDS); do echo "== faults, simulated board, $$b baud"; \
	  BAUD=$$b tests/run/faults.sh $(RUN_SAN_BIN) $(FAULT_PROXY) $(RUN_TEST_MODEL) $(RUN_TEST_DIR)/faults-sim-$$b \
	    $(RUN_FAULT_LIMITS_SIM) $(SIM_BOARD) --quiet; done
	FALLBACK=3000000 tests/run/faults.sh $(RUN_SAN_BIN) $(FAULT_PROXY) $(RUN_TEST_MODEL) \
	  $(RUN_TEST_DIR)/faults-sim-fallback 40 0 $(SIM_BOARD) --quiet

test-run-sim: deps $(RUN_SAN_BIN) $(RUN_TEST_MODEL) $(MNIST_DATA) $(SIM_BOARD) ## host/run --device sim on RUN_SIM_LIMIT mnist test images: 100 % agreement, >= 90 % of the link bound
	tests/run/sim_run.sh $(RUN_SAN_BIN) $(RUN_TEST_DIR)/sim.json $(RUN_SIM_ARGS)

test-run: deps test-run-unit test-run-list test-run-errors test-run-faults test-run-sim ## all host/run tests
TEST_TARGETS += test-run

## ---------------------------------------------------------------- benchmark: link rates
# The whole mnist split on the simulated board at each rate the protocol runs (INFER_Z frames
# for the default 4-bit model); the results page and docs/results.md draw images/s per baud.
LINK_BENCH_DIR   := $(BUILD)/bench/link
LINK_BENCH_BAUDS ?= 3000000 6000000 12000000
.PHONY: bench-link
bench-link: deps $(RUN_BIN) $(DEFAULT_MODEL) $(MNIST_DATA) $(SIM_BOARD) ## host/run on the simulated board at 3, 6 and 12 Mbaud -> build/bench/link/
	@mkdir -p $(LINK_BENCH_DIR)
	@set -e; for b in $(LINK_BENCH_BAUDS); do \
	  $(RUN_BIN) $(RUN_ARGS) --quiet --baud $$b --report $(LINK_BENCH_DIR)/mnist-$$b.json > /dev/null; \
	  jq -r '"bench-link: \(.baud) baud \(.framing): \(.simulated_images_per_second) images/s, link bound \(.link_bound_images_per_second), \(.bound)-bound"' \
	    $(LINK_BENCH_DIR)/mnist-$$b.json; done
BENCH_TARGETS += bench-link
