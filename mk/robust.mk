# SPDX-License-Identifier: MIT
# mk/robust.mk : robustness (issue 14, docs/robustness.md): the regression tests of the defects
# a hostile tester found, the libFuzzer harnesses, and the hygiene checks.

ROBUST_DIR := $(BUILD)/robust

## ---------------------------------------------------------------- command-line regressions
.PHONY: test-robust-cli
test-robust-cli: deps host/eval $(TRAIN_BIN) $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(MNIST_DATA) ## output paths, test split, list options, --timeout (issue 14)
	tests/robust/cli.sh host/eval $(TRAIN_BIN) $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(ROBUST_DIR)/cli

## ---------------------------------------------------------------- board: CONFIG check == snn_model_check
# Verilator bench of rtl/board/qn_cfg_check.v linked with the golden model (property test)
TB_CFG_CHECK := $(ROBUST_DIR)/cfg_check/Vtb
TB_CFG_N     ?= 20000
$(TB_CFG_CHECK): sim/unit/tb_qn_cfg_check.cpp rtl/board/qn_cfg_check.v $(BOARD_VH) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O2 --x-assign unique --x-initial unique $(BOARD_INC) \
	  --top-module qn_cfg_check -Mdir $(@D) -o Vtb -CFLAGS "-I$(CURDIR)/hls -I$(CURDIR)/$(GEN)" \
	  -LDFLAGS "$(CURDIR)/$(GOLDEN_LIB)" rtl/board/qn_cfg_check.v $(CURDIR)/$< > $(@D)/build.log 2>&1 \
	  || { tail -30 $(@D)/build.log >&2; exit 1; }

.PHONY: test-robust-cfg
test-robust-cfg: deps $(TB_CFG_CHECK) ## the board's CONFIG check against snn_model_check on random configurations
	$(TB_CFG_CHECK) +n=$(TB_CFG_N)

.PHONY: test-robust
test-robust: test-robust-cli test-robust-cfg ## every robustness test (issue 14)
TEST_TARGETS += test-robust
