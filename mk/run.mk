# SPDX-License-Identifier: MIT
# mk/run.mk : host/run (drives a board or the simulated board, checks every answer against
# the golden model), its transports, the fault-injection proxy and the run tests.

RUN_BIN       := host/run
RUN_SRC       := $(wildcard host/src/run/*.c)
RUN_HDR       := $(wildcard host/src/run/*.h) $(HOST_COMMON_HDR) hls/snn_protocol.def
# transports are ours; the protocol library is the board part's (built here unless host.mk has it)
RUN_IO_SRC    := host/src/common/serial.c host/src/common/usb.c host/src/common/usb_ftdi.c \
                 $(filter-out $(HOST_COMMON_SRC),$(wildcard host/src/common/protocol.c))
RUN_IO_HDR    := $(RUN_IO_SRC:.c=.h)
RUN_CFLAGS    := $(HOST_CFLAGS) -Ihost/src/run $(shell pkg-config --cflags libusb-1.0 libftdi1)
RUN_LIBS      := -lftdi1 -lusb-1.0 $(HOST_LIBS)
RUN_IO_OBJ    := $(patsubst host/src/common/%.c,$(BUILD)/run/io/%.o,$(RUN_IO_SRC))
RUN_IO_OBJ_SAN := $(patsubst host/src/common/%.c,$(BUILD)/run-san/io/%.o,$(RUN_IO_SRC))
RUN_OBJ_SAN   := $(patsubst host/src/run/%.c,$(BUILD)/run-san/%.o,$(filter-out host/src/run/main.c,$(RUN_SRC)))
FAULT_PROXY   := $(BUILD)/run/fault_proxy
.SECONDARY: $(RUN_OBJ_SAN) $(RUN_IO_OBJ_SAN) $(RUN_IO_OBJ)
RUN_TESTS     := $(BUILD)/run-san/test_serial $(BUILD)/run-san/test_proxy $(BUILD)/run-san/test_agree
RUN_REPORT    := $(BUILD)/run/report.json
# The main job's run: the whole mnist test split on the simulated board (RUN_LIMIT= to cap it).
RUN_LIMIT     ?=
RUN_ARGS      ?= --device sim --sim-board $(SIM_BOARD) --model $(DEFAULT_MODEL) --data mnist $(if $(RUN_LIMIT),--limit $(RUN_LIMIT))

## ---------------------------------------------------------------- objects
$(BUILD)/run/io/%.o: host/src/common/%.c $(RUN_IO_HDR) $(HOST_COMMON_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -c $< -o $@

$(BUILD)/run-san/io/%.o: host/src/common/%.c $(RUN_IO_HDR) $(HOST_COMMON_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

$(BUILD)/run-san/%.o: host/src/run/%.c $(RUN_HDR) $(RUN_IO_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

## ---------------------------------------------------------------- programs
$(RUN_BIN): $(RUN_SRC) $(RUN_HDR) $(RUN_IO_OBJ) $(RUN_IO_HDR) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(CC) $(RUN_CFLAGS) $(RUN_SRC) $(RUN_IO_OBJ) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(RUN_LIBS) -o $@

$(FAULT_PROXY): sim/proxy/fault_proxy.c $(BUILD)/run/io/serial.o host/src/common/serial.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) $< $(BUILD)/run/io/serial.o -o $@

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

$(BUILD)/run-san/test_%: tests/run/test_%.c $(RUN_OBJ_SAN) $(RUN_IO_OBJ_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) -O1 $(SAN_FLAGS) $< $(RUN_OBJ_SAN) $(RUN_IO_OBJ_SAN) $(HOST_COMMON_LIB_SAN) \
	  $(GOLDEN_LIB_SAN) $(RUN_LIBS) -lcmocka -o $@

$(RUN_SAN_BIN): $(BUILD)/run-san/main.o $(RUN_OBJ_SAN) $(RUN_IO_OBJ_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	$(CC) $(SAN_FLAGS) $^ $(RUN_LIBS) -o $@

$(FAKE_BOARD): tests/run/fake_board.c $(BUILD)/run/io/serial.o $(BUILD)/run/io/protocol.o $(GOLDEN_LIB) $(RUN_IO_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(RUN_CFLAGS) $< $(BUILD)/run/io/serial.o $(BUILD)/run/io/protocol.o $(GOLDEN_LIB) -o $@

$(RUN_TEST_MODEL): $(SYNTH_MODEL) mk/run.mk
	@mkdir -p $(@D)
	$(SYNTH_MODEL) --out $@ --sizes 784,32,10 --steps 25 --seed 6

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
	tests/run/faults.sh $(RUN_SAN_BIN) $(FAULT_PROXY) $(RUN_TEST_MODEL) $(RUN_TEST_DIR)/faults-sim \
	  $(RUN_FAULT_LIMITS_SIM) $(SIM_BOARD) --quiet

test-run-sim: deps $(RUN_SAN_BIN) $(RUN_TEST_MODEL) $(MNIST_DATA) $(SIM_BOARD) ## host/run --device sim on RUN_SIM_LIMIT mnist test images: 100 % agreement, >= 90 % of the link bound
	tests/run/sim_run.sh $(RUN_SAN_BIN) $(RUN_TEST_DIR)/sim.json $(RUN_SIM_ARGS)

test-run: deps test-run-unit test-run-list test-run-errors test-run-faults test-run-sim ## all host/run tests
TEST_TARGETS += test-run
