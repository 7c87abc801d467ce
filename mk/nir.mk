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

.PHONY: nir
nir: deps $(NIR_BIN) ## build host/nir (NIR import, export, info)
