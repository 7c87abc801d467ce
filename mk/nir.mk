# SPDX-License-Identifier: MIT
# mk/nir.mk : host/nir (NIR import/export/info on libhdf5, docs/nir.md) and its tests against
# the real tools: the `nir` reference library and snnTorch in the venv `make deps` makes.

NIR_BIN     := host/nir
NIR_SRC     := $(wildcard host/src/nir/*.c)
NIR_HDR     := $(wildcard host/src/nir/*.h) $(TRAIN_HDR)
HDF5_CFLAGS := $(shell pkg-config --cflags hdf5 2>/dev/null)
HDF5_LIBS   := $(shell pkg-config --libs hdf5 2>/dev/null)
NIR_CFLAGS  := $(HOST_CFLAGS) -Ihost/src/nir -Ihost/src/train $(HDF5_CFLAGS)
NIR_TEST_DIR := $(BUILD)/nir/test

## ---------------------------------------------------------------- program
$(NIR_BIN): $(NIR_SRC) $(NIR_HDR) $(TRAIN_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(CC) $(NIR_CFLAGS) -fopenmp $(NIR_SRC) $(TRAIN_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) \
	  $(HDF5_LIBS) $(TRAIN_LIBS) -o $@

# the same program under ASan/UBSan, for the tests that feed it broken and hostile files
NIR_SAN_BIN := $(BUILD)/nir-san/nir
$(NIR_SAN_BIN): $(NIR_SRC) $(NIR_HDR) $(TRAIN_LIB_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(NIR_CFLAGS) -O1 $(SAN_FLAGS) -fopenmp $(NIR_SRC) $(TRAIN_LIB_SAN) $(HOST_COMMON_LIB_SAN) \
	  $(GOLDEN_LIB_SAN) $(HDF5_LIBS) $(TRAIN_LIBS) -o $@

.PHONY: nir
nir: deps $(NIR_BIN) ## build host/nir (NIR import, export, info)

## ---------------------------------------------------------------- tests
# The accelerator's own input spikes for the snnTorch comparison.
RATE_SPIKES := $(BUILD)/nir/rate_spikes
# host/run --device sim images of the imported snnTorch model (the simulated board runs at
# ~1/50 of real time here)
NIR_SIM_LIMIT ?= 50

$(RATE_SPIKES): tests/nir/rate_spikes.c $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS) -o $@

.PHONY: test-nir-lib test-nir-snntorch test-nir
test-nir-lib: deps $(NIR_SAN_BIN) $(SYNTH_MODEL) ## host/nir (ASan/UBSan) vs the nir library: our exports read back, NIR's files imported, refusals
	tests/nir/nir_lib.sh $(NIR_SAN_BIN) $(SYNTH_MODEL) $(VENV_PYTHON) $(NIR_TEST_DIR)/lib

test-nir-snntorch: deps $(NIR_BIN) host/eval $(RUN_BIN) $(SIM_BOARD) $(RATE_SPIKES) $(MNIST_DATA) ## snnTorch-trained net via NIR: class agreement, simulated board, round trip
	tests/nir/snntorch.sh $(NIR_BIN) host/eval $(RUN_BIN) $(SIM_BOARD) $(RATE_SPIKES) $(VENV_PYTHON) \
	  $(NIR_TEST_DIR)/snntorch $(NIR_SIM_LIMIT)

test-nir: deps test-nir-lib test-nir-snntorch ## all NIR interop tests
TEST_TARGETS += test-nir
