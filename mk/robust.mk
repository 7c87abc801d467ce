# SPDX-License-Identifier: MIT
# mk/robust.mk : robustness (issue 14, docs/robustness.md): the regression tests of the defects
# a hostile tester found, the libFuzzer harnesses, and the hygiene checks.

ROBUST_DIR := $(BUILD)/robust
PROTO_DIR  := $(dir $(PROTO_SRC))

## ---------------------------------------------------------------- command-line regressions
.PHONY: test-robust-cli
test-robust-cli: deps host/eval $(TRAIN_BIN) $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(MNIST_DATA) ## output paths, test split, list options, --timeout (issue 14)
	tests/robust/cli.sh host/eval $(TRAIN_BIN) $(RUN_SAN_BIN) $(FAKE_BOARD) $(RUN_TEST_MODEL) $(ROBUST_DIR)/cli

## ---------------------------------------------------------------- build/tools/lut_depth
.PHONY: test-robust-lut-depth
test-robust-lut-depth: deps $(LUT_DEPTH) ## lut_depth on hand-made netlists of known depth, then on bad ones
	tests/robust/lut_depth.sh $(LUT_DEPTH) $(ROBUST_DIR)/lut_depth

## ---------------------------------------------------------------- board: CONFIG check == snn_model_check
# Verilator bench of rtl/board/qn_cfg_check.v linked with the golden model (property test)
TB_CFG_CHECK := $(ROBUST_DIR)/cfg_check/Vtb
TB_CFG_N     ?= 20000
$(TB_CFG_CHECK): sim/unit/tb_qn_cfg_check.cpp rtl/board/qn_cfg_check.v $(BOARD_VH) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@rm -f $@ # relink when only $(GOLDEN_LIB) changed (Verilator's make does not see it)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O2 --x-assign unique --x-initial unique $(BOARD_INC) \
	  --top-module qn_cfg_check -Mdir $(@D) -o Vtb -CFLAGS "-I$(CURDIR)/hls -I$(CURDIR)/$(GEN)" \
	  -LDFLAGS "$(CURDIR)/$(GOLDEN_LIB)" rtl/board/qn_cfg_check.v $(CURDIR)/$< > $(@D)/build.log 2>&1 \
	  || { tail -30 $(@D)/build.log >&2; exit 1; }

.PHONY: test-robust-cfg
test-robust-cfg: deps $(TB_CFG_CHECK) ## the board's CONFIG check against snn_model_check on random configurations
	$(TB_CFG_CHECK) +n=$(TB_CFG_N)

## ---------------------------------------------------------------- protocol fuzzing of the board RTL
# sim/fuzz/board_fuzz.cpp: qn_board (with the core) in Verilator, random and mutated frames
# into its UART at the real bit timing; checks bus writes, return to idle, INFO afterwards
BOARD_FUZZ         := $(ROBUST_DIR)/board_fuzz/Vfuzz
BOARD_FUZZ_SECONDS ?= 20
$(ROBUST_DIR)/board_fuzz/protocol.o: $(PROTO_SRC) $(PROTO_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BOARD_FUZZ): sim/fuzz/board_fuzz.cpp sim/fuzz/board_fuzz.vlt $(ROBUST_DIR)/board_fuzz/protocol.o $(GOLDEN_LIB) $(BOARD_RTL) $(CORE_RTL) $(RTL_CELL_SIM) $(BOARD_VLT) $(BOARD_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@rm -f $@ # relink when only the -LDFLAGS objects changed (Verilator's make does not see them)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O3 --x-assign unique --x-initial unique -DSIM \
	  $(BOARD_INC) --top-module qn_board -GCLK_HZ=$(BOARD_CLK_HZ) -Mdir $(@D)/obj -o ../Vfuzz \
	  -CFLAGS "-O2 -std=c++14 -I$(CURDIR)/$(PROTO_DIR) -I$(CURDIR)/protocol -I$(CURDIR)/host/src/common -I$(CURDIR)/hls -I$(CURDIR)/$(GEN) -DSIM_CLK_HZ=$(BOARD_CLK_HZ) -DSIM_BAUD=$(BOARD_BAUD)" \
	  -LDFLAGS "$(CURDIR)/$(ROBUST_DIR)/board_fuzz/protocol.o $(CURDIR)/$(GOLDEN_LIB)" \
	  $(BOARD_VLT) sim/fuzz/board_fuzz.vlt $(BOARD_RTL) $(CORE_RTL) $(RTL_CELL_SIM) $(CURDIR)/$< > $(@D)/build.log 2>&1 \
	  || { tail -30 $(@D)/build.log >&2; exit 1; }

.PHONY: test-board-fuzz
test-board-fuzz: deps $(BOARD_FUZZ) ## protocol fuzzing of the board RTL for BOARD_FUZZ_SECONDS (25) s
	$(BOARD_FUZZ) +seconds=$(BOARD_FUZZ_SECONDS) +seed=$(or $(FUZZ_SEED),1)

## ---------------------------------------------------------------- libFuzzer harnesses (clang)
# tests/fuzz/fuzz_NAME.c, seed corpus tests/fuzz/NAME/ (kept small; what a run finds goes to
# build/robust/fuzz/NAME/corpus, crashes to build/robust/fuzz/NAME/crash-*).
#   make fuzz [FUZZ_SECONDS=N] [FUZZ=model idx]   each harness for N seconds (default 60)
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 10
FUZZ_NAMES   := model idx ckpt frame cli
FUZZ         ?= $(FUZZ_NAMES)
FUZZ_DIR     := $(ROBUST_DIR)/fuzz
FUZZ_CFLAGS  := -std=c11 -g -O1 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unknown-pragmas -Ihls -Iprotocol -Ihost/src/common -I$(GEN) \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRC_model := host/src/common/model_file.c host/src/common/qio.c host/src/common/qout.c $(GOLDEN_SRC)
FUZZ_SRC_idx   := host/src/common/dataset.c host/src/common/qio.c
FUZZ_SRC_frame := $(PROTO_SRC) $(GOLDEN_SRC)
FUZZ_SRC_cli   := host/src/run/args.c $(PROTO_SRC) $(TRAIN_SRC) $(HOST_COMMON_SRC) $(GOLDEN_SRC)
FUZZ_SRC_ckpt  := $(TRAIN_SRC) $(HOST_COMMON_SRC) $(GOLDEN_SRC)
FUZZ_INC       := -I$(PROTO_DIR) -Ihost/src/run -Ihost/src/train $(TRAIN_ARCH)
FUZZ_LIBS      := -fopenmp -lcjson -lz -lm

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(HOST_COMMON_HDR) $(CONFIG_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_INC) -fopenmp $< $(FUZZ_SRC_$*) $(FUZZ_LIBS) -o $@

.PHONY: fuzz test-fuzz
fuzz: deps $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ)) ## run each libFuzzer harness FUZZ_SECONDS (60) s: model idx ckpt frame cli
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ)
test-fuzz: deps $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_NAMES)) ## every harness briefly (FUZZ_CI_SECONDS each) from its seed corpus
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_CI_SECONDS) $(FUZZ_NAMES)

## ---------------------------------------------------------------- hygiene
# Every C file of the tree compiled by gcc and by clang with its part's flags plus -Werror;
# cppcheck; the C unit tests built without sanitizers and run under valgrind (the sanitizer
# builds run in test-unit / test-train-unit); verilator --lint-only -Wall of the RTL is
# lint-board (in test-board).
WALL_CCS   := gcc clang
# (tests/unit/export_main.c is built by check_export_c.sh around a generated header)
WALL_SRC   := $(filter-out tests/unit/export_main.c,$(wildcard hls/*.c host/src/*/*.c tests/*/*.c sim/*/*.c))
WALL_RUN   := host/src/run/% host/src/link/% tests/run/% tests/board/% sim/% $(RUN_IO_SRC)
wall_flags = $(strip $(if $(filter hls/%,$(1)),$(GOLDEN_CFLAGS) -Iprotocol,\
  $(if $(filter host/src/train/tr_mpi.c,$(1)),$(TRAIN_CFLAGS) $(shell $(MPICC) --showme:compile 2>/dev/null),\
  $(if $(filter host/src/train/% tests/train/%,$(1)),$(TRAIN_CFLAGS),\
  $(if $(filter tests/fuzz/%,$(1)),$(TRAIN_CFLAGS) $(FUZZ_INC),\
  $(if $(filter host/src/nir/% tests/nir/%,$(1)),$(NIR_CFLAGS) -fopenmp,\
  $(if $(filter $(WALL_RUN),$(1)),$(RUN_CFLAGS) -I$(PROTO_DIR) -Itests/board -Isim/random -Isim/core,\
  $(HOST_CFLAGS) -I$(PROTO_DIR) -Ihost/src/eval -Itests/unit)))))))
WALL_STAMPS := $(foreach c,$(WALL_CCS),$(patsubst %.c,$(ROBUST_DIR)/wall/$(c)/%.ok,$(WALL_SRC)))

define wall_rule
$(ROBUST_DIR)/wall/$(1)/%.ok: %.c $(GOLDEN_HDR) $(HOST_COMMON_HDR) $(TRAIN_HDR) $(CONFIG_VH) | $(DEPS_STAMP)
	@mkdir -p $$(@D)
	@$(1) $$(call wall_flags,$$<) -Werror -Wno-unknown-pragmas -c $$< -o /dev/null && touch $$@
endef
$(foreach c,$(WALL_CCS),$(eval $(call wall_rule,$(c))))

.PHONY: test-wall test-cppcheck test-valgrind test-hygiene
test-wall: deps $(WALL_STAMPS) ## every C file: gcc and clang, -Wall -Wextra -Werror
	@echo "test-wall: $(words $(WALL_SRC)) C files clean under $(WALL_CCS) with -Wall -Wextra -Werror"

CPPCHECK_FLAGS := --enable=warning,portability,performance --std=c11 --error-exitcode=1 -q -D_GNU_SOURCE \
                  --suppress=missingIncludeSystem --suppressions-list=tests/robust/cppcheck.supp --inline-suppr \
                  -Ihls -Iprotocol -Ihost/src/common -I$(PROTO_DIR) -I$(GEN) -Ihost/src/train -Ihost/src/run -Ihost/src/eval
test-cppcheck: deps $(CONFIG_VH) ## cppcheck (warning, portability, performance) of every C file, no findings
	cppcheck $(CPPCHECK_FLAGS) -j2 $(WALL_SRC)
	@echo "test-cppcheck: $(words $(WALL_SRC)) C files, no findings"

VG_UNIT  := $(patsubst tests/unit/%.c,$(ROBUST_DIR)/vg/unit/%,$(wildcard tests/unit/test_*.c))
VG_TRAIN := $(patsubst tests/train/%.c,$(ROBUST_DIR)/vg/train/%,$(wildcard tests/train/test_*.c))
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
$(ROBUST_DIR)/vg/unit/test_%: tests/unit/test_%.c $(UNIT_HELPERS) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itests/unit $< $(UNIT_HELPERS) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS) -lcmocka -o $@
# the trainer for valgrind: AVX2 at most (valgrind does not decode AVX-512, which -march=native may use)
VG_TRAIN_CFLAGS := $(filter-out $(TRAIN_ARCH),$(TRAIN_CFLAGS)) -march=x86-64-v3
VG_TRAIN_LIB    := $(ROBUST_DIR)/vg/libtrain.a
$(ROBUST_DIR)/vg/train-obj/%.o: host/src/train/%.c $(TRAIN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(VG_TRAIN_CFLAGS) -c $< -o $@
$(VG_TRAIN_LIB): $(patsubst host/src/train/%.c,$(ROBUST_DIR)/vg/train-obj/%.o,$(TRAIN_SRC))
	$(AR) rcs $@ $^
$(ROBUST_DIR)/vg/train/test_%: tests/train/test_%.c $(VG_TRAIN_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(TRAIN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(VG_TRAIN_CFLAGS) $< $(VG_TRAIN_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(TRAIN_LIBS) -lcmocka -o $@
test-valgrind: deps $(VG_UNIT) $(VG_TRAIN) $(MNIST_DATA) ## the C unit tests (plain builds) under valgrind, no errors or definite leaks
	@set -e; for t in $(VG_UNIT) $(VG_TRAIN); do \
	  t0=$$(date +%s); OMP_NUM_THREADS=1 $(VALGRIND) $$t > $$t.log 2>&1 || { tail -30 $$t.log; echo "test-valgrind: $$t FAILED"; exit 1; }; \
	  echo "ok   valgrind $$t ($$(( $$(date +%s) - t0 )) s)"; done

test-hygiene: test-wall test-cppcheck test-valgrind ## gcc + clang -Werror, cppcheck, valgrind

.PHONY: test-robust
test-robust: test-robust-cli test-robust-lut-depth test-robust-cfg test-fuzz test-board-fuzz test-hygiene ## every robustness test (issue 14)
TEST_TARGETS += test-robust
