# SPDX-License-Identifier: MIT
# mk/robust.mk : robustness (issue 14, docs/robustness.md): the regression tests of the defects
# a hostile tester found, the libFuzzer harnesses, and the hygiene checks.

ROBUST_DIR := $(BUILD)/robust

## ---------------------------------------------------------------- command-line regressions
.PHONY: test-robust-cli
test-robust-cli: deps host/eval $(TRAIN_BIN) $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(MNIST_DATA) ## output paths, test split, list options, --timeout (issue 14)
	tests/robust/cli.sh host/eval $(TRAIN_BIN) $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(ROBUST_DIR)/cli

.PHONY: test-robust
test-robust: test-robust-cli ## every robustness test (issue 14)
TEST_TARGETS += test-robust
