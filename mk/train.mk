# SPDX-License-Identifier: MIT
# mk/train.mk : host/train (the C QAT trainer), its unit tests, smoke test and benchmarks,
# and the default model of the main job (build/models/default.qmodel).

# The float trainer may be fast and native; its integer (QAT) pass stays exact because every
# value is an integer below 2^24 (see host/src/train/tr_net.h).
TRAIN_ARCH     ?= -march=native
TRAIN_CFLAGS   := $(HOST_CFLAGS) -O3 $(TRAIN_ARCH) -fopenmp -Ihost/src/train
# tr_main.c is the program; tr_mpi.c its MPI job (host/train-mpi), tr_dist_local.c (in the
# library) the one-process job of host/train and the tests.
TRAIN_SRC      := $(filter-out host/src/train/tr_main.c host/src/train/tr_mpi.c,$(wildcard host/src/train/*.c))
TRAIN_HDR      := $(wildcard host/src/train/*.h) $(HOST_COMMON_HDR) protocol/snn_protocol.h protocol/snn_protocol.def
TRAIN_LIB      := $(BUILD)/train/libtrain.a
TRAIN_LIB_SAN  := $(BUILD)/train-san/libtrain.a
TRAIN_BIN      := host/train
TRAIN_TESTS    := $(patsubst tests/train/%.c,$(BUILD)/train-san/%,$(wildcard tests/train/test_*.c))
TRAIN_LIBS     := $(HOST_LIBS) -fopenmp -lm
TRAIN_TEST_LIBS := -lcmocka
DEFAULT_MODEL  := $(BUILD)/models/default.qmodel
TRAIN_REPORT   := $(BUILD)/train/report.json
# The default run: the fastest setting of `host/train --ablate speed` within 0.2 points of the
# best accuracy measured (docs/training-results.md "Speed"): direct coding, T = 8, early exit
# lead:2:2; 4-bit inputs (docs/arith.md) so that host/run sends compressed INFER_Z frames.
TRAIN_DEFAULT_ARGS ?= --data mnist --layers 784,128,10 --encoding direct --steps 8 --early-exit lead:2:2 --input-bits 4
# The Fashion-MNIST setting (docs/training-results.md, "Fashion-MNIST"): the best measured network and
# training, with the default's direct coding at T = 8 and early exit lead:2:2 (the speed
# target); the learning rate chosen on a holdout of the training images (--holdout 10000); also
# what make bench-train runs.
TRAIN_FASHION_ARGS ?= --data fashion --layers 784,160,10 --augment-shift 0 --weights per-channel \
                      --epochs 40 --lr 1e-3 --threads 2 --encoding direct --steps 8 --early-exit lead:2:2 --input-bits 4
FASHION_MODEL  := $(BUILD)/models/fashion.qmodel

## ---------------------------------------------------------------- trainer
$(BUILD)/train/%.o: host/src/train/%.c $(TRAIN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TRAIN_CFLAGS) -c $< -o $@

$(BUILD)/train-san/%.o: host/src/train/%.c $(TRAIN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TRAIN_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

$(TRAIN_LIB): $(patsubst host/src/train/%.c,$(BUILD)/train/%.o,$(TRAIN_SRC))
	rm -f $@ && $(AR) rcs $@ $^

$(TRAIN_LIB_SAN): $(patsubst host/src/train/%.c,$(BUILD)/train-san/%.o,$(TRAIN_SRC))
	rm -f $@ && $(AR) rcs $@ $^

$(TRAIN_BIN): $(BUILD)/train/tr_main.o $(TRAIN_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(CC) $(TRAIN_CFLAGS) $^ $(TRAIN_LIBS) -o $@

.PHONY: train
train: deps $(TRAIN_BIN) ## build host/train

## ---------------------------------------------------------------- MPI trainer
# host/train-mpi: the same program as an Open MPI job (docs/distributed.md).  tr_mpi.o comes
# before the library, so the linker takes the dist_* functions from it, not tr_dist_local.o.
MPICC          ?= mpicc
MPIRUN         ?= mpirun
TRAIN_MPI_BIN  := host/train-mpi

$(BUILD)/train/tr_mpi.o: host/src/train/tr_mpi.c $(TRAIN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(MPICC) $(TRAIN_CFLAGS) -c $< -o $@

$(TRAIN_MPI_BIN): $(BUILD)/train/tr_main.o $(BUILD)/train/tr_mpi.o $(TRAIN_LIB) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(MPICC) $(TRAIN_CFLAGS) $^ $(TRAIN_LIBS) -lpthread -o $@

.PHONY: train-mpi
train-mpi: deps $(TRAIN_MPI_BIN) ## build host/train-mpi (Open MPI data-parallel training and sweeps)
MAIN_STAGES += $(TRAIN_MPI_BIN)

## ---------------------------------------------------------------- default model (main job)
$(DEFAULT_MODEL) $(TRAIN_REPORT) &: $(TRAIN_BIN) $(MNIST_DATA)
	@mkdir -p $(BUILD)/models $(BUILD)/train $(BUILD)/reports
	$(TRAIN_BIN) $(TRAIN_DEFAULT_ARGS) --out $(DEFAULT_MODEL) --report $(TRAIN_REPORT) \
	  --checkpoint $(BUILD)/train/default.ckpt --plot $(BUILD)/reports/train-default.png

.PHONY: train-default
train-default: deps $(DEFAULT_MODEL) ## train the default MNIST model (build/models/default.qmodel)
MAIN_STAGES += $(DEFAULT_MODEL)

## ---------------------------------------------------------------- Fashion-MNIST model
# Trains the best measured Fashion-MNIST setting (several minutes on 2 cores), then checks that
# host/eval on the exported file counts exactly the correct images the trainer reported.
.PHONY: train-fashion
train-fashion: deps $(TRAIN_BIN) host/eval ## train the Fashion-MNIST model (build/models/fashion.qmodel), check it with host/eval
	@mkdir -p $(BUILD)/models $(BUILD)/train $(BUILD)/reports
	$(TRAIN_BIN) $(TRAIN_FASHION_ARGS) --out $(FASHION_MODEL) --report $(BUILD)/train/fashion.json \
	  --plot $(BUILD)/reports/train-fashion.png
	host/eval --quiet --model $(FASHION_MODEL) --data fashion > $(BUILD)/train/fashion-eval.json
	@tc=$$(jq -r .int8_correct $(BUILD)/train/fashion.json); ec=$$(jq -r .correct $(BUILD)/train/fashion-eval.json); \
	  if [ "$$tc" != "$$ec" ]; then echo "train-fashion: trainer INT8 $$tc correct, host/eval $$ec" >&2; exit 1; fi; \
	  echo "train-fashion: INT8 $$(jq -r .int8_accuracy $(BUILD)/train/fashion.json) ($$tc of $$(jq -r .images $(BUILD)/train/fashion-eval.json)), host/eval agrees"

## ---------------------------------------------------------------- tests
$(BUILD)/train-san/test_%: tests/train/test_%.c $(TRAIN_LIB_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) $(TRAIN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TRAIN_CFLAGS) -O1 $(SAN_FLAGS) $< $(TRAIN_LIB_SAN) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) \
	  $(TRAIN_LIBS) $(TRAIN_TEST_LIBS) -o $@

.PHONY: test-train-unit test-train-smoke test-train-mpi test-train
test-train-unit: deps $(TRAIN_TESTS) ## trainer unit tests (cmocka, ASan/UBSan)
	@set -e; for t in $(TRAIN_TESTS); do echo "== $$t"; $$t; done

test-train-smoke: deps $(TRAIN_BIN) $(MNIST_DATA) host/eval ## tiny training run checked against host/eval
	tests/train/smoke.sh $(TRAIN_BIN) host/eval $(BUILD)/train/smoke

test-train-mpi: deps $(TRAIN_BIN) $(TRAIN_MPI_BIN) $(MNIST_DATA) ## MPI: same bytes as one process for 1-3 ranks, resume with another N, a killed rank, a sweep
	MPIRUN="$(MPIRUN)" tests/train/mpi.sh $(TRAIN_BIN) $(TRAIN_MPI_BIN) $(BUILD)/train/mpi

test-train: test-train-unit test-train-smoke test-train-mpi ## all trainer tests
TEST_TARGETS += test-train

## ---------------------------------------------------------------- benchmarks
.PHONY: bench-train
bench-train: deps $(TRAIN_BIN) $(MNIST_DATA) $(BUILD)/train/bench_kernels ## trainer speed, ablations, recipes, fashion (long)
	FASHION_ARGS="$(TRAIN_FASHION_ARGS)" DEFAULT_ARGS="$(TRAIN_DEFAULT_ARGS)" \
	  host/src/train/bench/bench_train.sh $(TRAIN_BIN) $(BUILD)/train/bench_kernels $(BUILD)/bench/train
BENCH_TARGETS += bench-train

.PHONY: bench-train-mpi
bench-train-mpi: deps $(TRAIN_MPI_BIN) $(MNIST_DATA) ## MPI images/s for 1, 2, 4 ranks and the cluster model (docs/distributed.md)
	MPIRUN="$(MPIRUN)" host/src/train/bench/bench_mpi.sh $(TRAIN_MPI_BIN) $(BUILD)/bench/mpi
BENCH_TARGETS += bench-train-mpi

$(BUILD)/train/bench_kernels: host/src/train/bench/bench_kernels.c $(TRAIN_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(CC) $(TRAIN_CFLAGS) $^ $(TRAIN_LIBS) -lopenblas -o $@
