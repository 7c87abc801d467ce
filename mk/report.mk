# SPDX-License-Identifier: MIT
# mk/report.mk : the results page (build/report/index.html) from the JSON reports and per-image
# files the stages write, its headless-browser check, and the release check `make verify`.
#   make report                      the page (after `make`; sections without data say which target fills them)
#   make verify MODEL=M [TARGET_ACC=97.3]

REPORT_DIR    := $(BUILD)/report
REPORT_PAGE   := $(REPORT_DIR)/index.html
REPORT_TRACE  := $(REPORT_DIR)/trace
REPORT_IMAGE  ?= 0
REPORT_STAT   := $(REPORT_DIR)/util/stat.txt
CHROMIUM      ?= chromium

## ---------------------------------------------------------------- inputs the page draws
# one image's raster and membranes from the golden model and from the RTL (both, compared by the page)
$(REPORT_TRACE)/golden.txt $(REPORT_TRACE)/rtl.txt &: $(SIM_CORE) $(DEFAULT_MODEL) $(MNIST_DATA)
	@mkdir -p $(REPORT_TRACE)
	$(SIM_CORE) --model $(DEFAULT_MODEL) --images 0 --dump-image $(REPORT_IMAGE) --dump-dir $(REPORT_TRACE) \
	  --report $(REPORT_TRACE)/sim.json >/dev/null

# per-module cells: the iCEBreaker design synthesized with its hierarchy kept (-noflatten: no
# optimisation across module boundaries, so the total is a few % above the flat build's)
$(REPORT_STAT): $(BOARD_RTL) $(CORE_RTL) $(BOARD_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(YOSYS) -ql $(@D)/yosys.log -p 'read_verilog -sv $(BOARD_INC) $(BOARD_RTL) $(CORE_RTL)' \
	  -p 'synth_ice40 -noflatten -top qn_top_icebreaker' -p 'tee -q -o $@ stat'

## ---------------------------------------------------------------- the page
.PHONY: report test-report
report: deps $(REPORT_TRACE)/golden.txt $(REPORT_STAT) $(EVAL_REPORT) ## results page build/report/index.html (+ headless Chromium check and screenshot)
	host/scripts/report/make_report.sh $(BUILD) $(REPORT_DIR)
	host/scripts/report/check_page.sh $(CHROMIUM) $(REPORT_PAGE) $(REPORT_DIR)/screenshot.png

# make test: the page from a small trained model, so the browser check runs without the main job
test-report: deps $(SIM_CORE) $(RUN_TEST_MODEL) $(MNIST_DATA) host/eval ## the report page built and checked in headless Chromium on the test model
	@rm -rf $(BUILD)/test-report && mkdir -p $(BUILD)/test-report/report/trace $(BUILD)/test-report/eval
	host/eval --model $(RUN_TEST_MODEL) --data mnist --limit 300 --quiet --report $(BUILD)/test-report/eval/report.json \
	  --per-image $(BUILD)/test-report/eval/per_image.csv >/dev/null
	$(SIM_CORE) --model $(RUN_TEST_MODEL) --images 0 --dump-image 0 --dump-dir $(BUILD)/test-report/report/trace \
	  --report $(BUILD)/test-report/report/trace/sim.json >/dev/null
	host/scripts/report/make_report.sh $(BUILD)/test-report $(BUILD)/test-report/report
	host/scripts/report/check_page.sh $(CHROMIUM) $(BUILD)/test-report/report/index.html \
	  $(BUILD)/test-report/report/screenshot.png
TEST_TARGETS += test-report
MAIN_STAGES += report

# docs/results.md: the same sections as Markdown, figures under docs/results/ (make bench)
.PHONY: bench-report
bench-report: deps $(REPORT_TRACE)/golden.txt $(REPORT_STAT) $(EVAL_REPORT) ## docs/results.md + docs/results/*.png from the reports under build/
	host/scripts/report/make_report.sh $(BUILD) docs/results --markdown docs/results.md
BENCH_TARGETS += bench-report

## ---------------------------------------------------------------- the release check
MODEL        ?= $(DEFAULT_MODEL)
TARGET_ACC   ?= 97.3
VERIFY_DATA  ?= mnist
VERIFY_GATE_IMAGES ?= 2
VERIFY_ENV    = MODEL=$(1) TARGET_ACC=$(2) DATA=$(VERIFY_DATA) BUILD=$(3) SIM_CORE=$(SIM_CORE) \
                GATE_STIM=$(GATE_STIM) GATE_VVP=$(GATE_VVP) GATE_IMAGES=$(VERIFY_GATE_IMAGES) MAKE="$(MAKE)"

.PHONY: verify test-verify
verify: deps host/eval $(SIM_CORE) $(GATE_STIM) $(GATE_VVP) $(MNIST_DATA) $(filter $(DEFAULT_MODEL),$(MODEL)) ## release check of MODEL (TARGET_ACC=97.3): capacity, accuracy, RTL == golden on the split, gate level, timing
	$(call VERIFY_ENV,$(MODEL),$(TARGET_ACC),$(BUILD)) host/scripts/verify.sh

# make test: verify must fail, naming the check, on a model below the target and on a corrupt file
test-verify: deps host/eval $(SIM_CORE) $(GATE_STIM) $(RUN_TEST_MODEL) $(MNIST_DATA) ## make verify fails and names the check on broken models
	tests/report/verify_fails.sh "$(call VERIFY_ENV,$(RUN_TEST_MODEL),97.3,$(BUILD)/test-verify)" $(RUN_TEST_MODEL) $(BUILD)/test-verify
TEST_TARGETS += test-verify

## ---------------------------------------------------------------- the troubleshooting guide
# make test: every user-facing message in the sources (tests/docs/user_messages.sh) is quoted in
# docs/troubleshooting.md with its cause and fix; the extractor's self-test on a fixture first
.PHONY: test-docs
test-docs: ## every message the sources can print is explained in docs/troubleshooting.md
	@tests/docs/user_messages_selftest.sh
	@if missing=$$(tests/docs/user_messages.sh --missing docs/troubleshooting.md); then \
	  echo "test-docs: PASS: every message tests/docs/user_messages.sh finds is in docs/troubleshooting.md"; \
	else \
	  echo "test-docs: FAIL: messages missing from docs/troubleshooting.md (FILE<TAB>MESSAGE):" >&2; \
	  printf '%s\n' "$$missing" >&2; exit 1; \
	fi
TEST_TARGETS += test-docs
