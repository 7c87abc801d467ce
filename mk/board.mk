# SPDX-License-Identifier: MIT
# mk/board.mk : the board: protocol header, lint, the simulated board (Verilator + pty),
# its tests, and the bitstreams: iCEBreaker (yosys -> nextpnr-ice40 -> icepack, TOOLCHAIN=debian
# or yowasp) and ULX3S (YoWASP yosys -> nextpnr-ecp5 -> ecppack); tools in mk/toolchain.mk.
#   make bitstream [BOARD=icebreaker|ulx3s] [BOARD_CORE=standin] [TOOLCHAIN=debian|yowasp]
#   make prog   make sim-board   make test-board
# BOARD_CORE=standin swaps the accelerator for rtl/board/standin/snn_core.v (same ports and bus
# timing, one EBR) to measure the board logic alone; outputs then go to build/<board>-standin.

BOARD        ?= icebreaker
# the core clock and baud have ONE definition, protocol/snn_protocol.def (PLL, UART, INFO, simulation)
PROTO_VALUE   = $(shell sed -n 's/^SNN_PROTO.$(1), *\([0-9]*\),.*/\1/p' protocol/snn_protocol.def)
BOARD_CLK_HZ := $(call PROTO_VALUE,PROTO_DEFAULT_CLK_HZ)
BOARD_BAUD   := $(call PROTO_VALUE,PROTO_DEFAULT_BAUD)
BOARD_CLOCK_MHZ := $(shell echo $$(($(BOARD_CLK_HZ) / 1000000)))
# nextpnr's --freq: the accelerator issue's 42 MHz, above the PLL clock, so that the timing-driven
# placer aims for headroom; the report passes a bitstream whose fmax meets BOARD_CLOCK_MHZ
BOARD_FREQ   ?= 42
BOARD_SEED   ?= 1
# extra options for the measured variants (make bench-toolchain): e.g. -abc9 -dsp; --opt-timing
ICE40_SYNTH_OPTS ?=
ICE40_PNR_OPTS   ?=

PROTOCOL_VH   := $(GEN)/snn_protocol.vh
BOARD_RTL     := $(wildcard rtl/board/*.v)
BOARD_VLT     := rtl/board/board.vlt $(wildcard rtl/lint.vlt)
CORE_RTL      := $(wildcard rtl/core/*.v rtl/prim/*.v)
BOARD_INC     := -I$(GEN) -Irtl/board -Irtl/core -Irtl/prim
BOARD_VH      := $(CONFIG_VH) $(PROTOCOL_VH) $(wildcard rtl/board/*.vh rtl/prim/*.vh)
BUILD_ID      := $(shell printf '%d' 0x$$(git rev-parse --short=8 HEAD 2>/dev/null || echo 0))
BOARD_CORE   ?= real
ifeq ($(BOARD_CORE),standin)
BIT_CORE_RTL  := rtl/board/standin/snn_core.v
ICE_DIR       := $(BUILD)/$(BOARD)-standin
else ifeq ($(BOARD_CORE),real)
BIT_CORE_RTL   = $(CORE_RTL)
ICE_DIR       := $(BUILD)/$(BOARD)
else
$(error BOARD_CORE=$(BOARD_CORE): use real or standin)
endif
SIMB_DIR      := $(BUILD)/sim-board
SIM_BOARD     := $(SIMB_DIR)/qn_board_sim
TESTB_DIR     := $(BUILD)/test-board

MAIN_STAGES   += bitstream
TEST_TARGETS  += test-board

## ---------------------------------------------------------------- generated protocol header
$(BUILD)/tools/gen_config_vh: protocol/snn_protocol.def

$(PROTOCOL_VH): $(BUILD)/tools/gen_config_vh | $(GEN)
	$< --protocol > $@

## ---------------------------------------------------------------- lint
.PHONY: lint-board
lint-board: deps $(BOARD_VH) $(RTL_CELL_SIM) ## verilator -Wall lint of rtl/board (with the core)
	$(VERILATOR) --lint-only -Wall -DSIM $(BOARD_INC) --top-module qn_top_icebreaker \
	  $(BOARD_VLT) $(BOARD_RTL) $(CORE_RTL) $(RTL_CELL_SIM)

## ---------------------------------------------------------------- simulated board
# the line plays the FT2232H at whatever baud the host sets on the pty (serial.c of the link library)
$(SIM_BOARD): sim/board/board_sim.cpp host/src/common/monotonic.h protocol/snn_protocol.def $(BOARD_RTL) $(BOARD_VLT) $(CORE_RTL) $(RTL_CELL_SIM) $(BOARD_VH) $(LINK_LIB) | $(DEPS_STAMP)
	@test -n "$(CORE_RTL)" || { echo "sim-board: no rtl/core/*.v yet: the board needs snn_core" >&2; exit 1; }
	@mkdir -p $(SIMB_DIR)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O3 --x-assign unique --x-initial unique -DSIM \
	  $(BOARD_INC) --top-module qn_top_icebreaker -GBUILD_ID=$(BUILD_ID) \
	  -CFLAGS "-O2 -std=c++14 -I$(CURDIR)/host/src/common -I$(CURDIR)/host/src/link -DSIM_CLK_HZ=$(BOARD_CLK_HZ) -DSIM_BAUD=$(BOARD_BAUD)" \
	  -LDFLAGS "$(CURDIR)/$(LINK_LIB) $(LINK_LIBS)" --Mdir $(SIMB_DIR)/obj -o ../qn_board_sim \
	  $(BOARD_VLT) $(BOARD_RTL) $(CORE_RTL) $(RTL_CELL_SIM) $(CURDIR)/sim/board/board_sim.cpp > $(SIMB_DIR)/build.log 2>&1 \
	  || { tail -30 $(SIMB_DIR)/build.log >&2; exit 1; }

.PHONY: sim-board
sim-board: deps $(SIM_BOARD) ## the simulated board: run build/sim-board/qn_board_sim, talk to the /dev/pts/N it prints

## ---------------------------------------------------------------- tests
# the receive FIFO alone, small (fills and wraps often) against a model
TESTB_FIFO       := $(TESTB_DIR)/fifo/Vtb
TESTB_FIFO_DEPTH := 16
$(TESTB_FIFO): sim/unit/tb_qn_fifo.cpp rtl/board/qn_fifo.v rtl/board/qn_ram_sdp.v $(BOARD_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O2 --x-assign unique --x-initial unique $(BOARD_INC) \
	  --top-module qn_fifo -GDEPTH=$(TESTB_FIFO_DEPTH) -Mdir $(@D) -o Vtb \
	  -CFLAGS "-DFIFO_DEPTH=$(TESTB_FIFO_DEPTH) -DFIFO_MATCH=0xA5" -GMATCH=8\'hA5 \
	  rtl/board/qn_fifo.v rtl/board/qn_ram_sdp.v $(CURDIR)/$< > $(@D)/build.log 2>&1 \
	  || { tail -30 $(@D)/build.log >&2; exit 1; }

TESTB_BIN := $(TESTB_DIR)/test_board
TESTB_SRC := tests/board/test_board.c tests/board/board_harness.c
$(TESTB_BIN): $(TESTB_SRC) tests/board/board_harness.h $(LINK_LIB_SAN) $(LINK_HDR) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) -O1 $(SAN_FLAGS) -Itests/board $(TESTB_SRC) $(LINK_LIB_SAN) \
	  $(GOLDEN_LIB_SAN) $(LINK_LIBS) -lcmocka -o $@

.PHONY: test-board
test-board: deps lint-board $(TESTB_FIFO) $(SIM_BOARD) $(TESTB_BIN) ## board: FIFO bench; protocol round trips, NAKs, garbage, half frames, INFER == golden
	$(TESTB_FIFO)
	$(TESTB_BIN) --sim $(SIM_BOARD) --json $(TESTB_DIR)/report.json

## ---------------------------------------------------------------- bitstream
# What a build used: synth.flow (toolchain, synthesis options) and pnr.flow (+ place-and-route
# options, seed) are rewritten only when they change, so a different TOOLCHAIN, option or
# BOARD_SEED rebuilds exactly the steps it affects.
FLOW_SYNTH  = $(if $(filter ulx3s,$(BOARD)),yowasp,$(TOOLCHAIN)) synth:$(ICE40_SYNTH_OPTS)
FLOW_PNR    = $(FLOW_SYNTH) pnr:$(ICE40_PNR_OPTS) seed:$(BOARD_SEED) freq:$(BOARD_FREQ)
.PHONY: FORCE_FLOW
FORCE_FLOW:
$(ICE_DIR)/synth.flow: FORCE_FLOW
	@mkdir -p $(@D); [ "$$(cat $@ 2>/dev/null)" = "$(FLOW_SYNTH)" ] || echo "$(FLOW_SYNTH)" > $@
$(ICE_DIR)/pnr.flow: FORCE_FLOW
	@mkdir -p $(@D); [ "$$(cat $@ 2>/dev/null)" = "$(FLOW_PNR)" ] || echo "$(FLOW_PNR)" > $@

# report.json, both boards: utilisation and fmax from nextpnr's --report, the tools that made it;
# BOARD_JQ maps the family's bel names onto the common fields
REPORT_JQ = .utilization as $$u | { board: "$(BOARD)", device: "$(BOARD_DEVICE)",
REPORT_JQ += fmax_mhz: ([.fmax[].achieved] | min), target_mhz: $(BOARD_FREQ), clock_mhz: $(BOARD_CLOCK_MHZ), seed: $(BOARD_SEED),
REPORT_JQ += core: "$(BOARD_CORE)", toolchain: $$tc, yosys: $$ys, nextpnr: $$np,
REPORT_JQ += synth_opts: "$(ICE40_SYNTH_OPTS)", pnr_opts: "$(ICE40_PNR_OPTS)" } + ($(BOARD_JQ))
REPORT_JQ += | .timing_met = (.fmax_mhz >= .clock_mhz)

# $(call BOARD_REPORT,toolchain,yosys,nextpnr): write report.json + report.txt, fail on timing;
# $$ff is the flip-flop count in the synthesized netlist
define BOARD_REPORT
	@jq --arg tc $(1) --arg ys "$$(basename $(2)) $(call TOOL_VERSION,$(2))" \
	  --argjson ff "$$(jq '[.modules[].cells[] | select(.type | test("^(SB_DFF|TRELLIS_FF)"))] | length' $(ICE_DIR)/quantarion.json)" \
	  --arg np "$$(basename $(3)) $(call TOOL_VERSION,$(3))" '$(REPORT_JQ)' $< > $@.tmp && mv $@.tmp $@
	@jq -r '"bitstream: \(.board) fmax \(.fmax_mhz * 100 | round / 100) MHz (clock \(.clock_mhz), nextpnr target \(.target_mhz)), LUT \(.lut)/\(.lut_total), FF \(.ff), EBR \(.ebr)/\(.ebr_total), SPRAM \(.spram)/\(.spram_total), DSP \(.dsp)/\(.dsp_total), PLL \(.pll); \(.toolchain): \(.yosys), \(.nextpnr)"' $@ | tee $(ICE_DIR)/report.txt
	@jq -e '.timing_met' $@ > /dev/null || { echo "bitstream: timing NOT met at the $(BOARD_CLOCK_MHZ) MHz clock (see $(ICE_DIR)/nextpnr.log)" >&2; rm -f $@; exit 1; }
endef

ifeq ($(BOARD),icebreaker)
PCF          := constraints/icebreaker.pcf
BOARD_DEVICE := up5k-sg48

$(ICE_DIR)/quantarion.json: $(BOARD_RTL) $(BIT_CORE_RTL) $(BOARD_VH) $(ICE_DIR)/synth.flow | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(YOSYS) -ql $(ICE_DIR)/yosys.log -p 'read_verilog -sv $(BOARD_INC) $(BOARD_RTL) $(BIT_CORE_RTL)' \
	  -p 'chparam -set BUILD_ID $(BUILD_ID) qn_top_icebreaker' \
	  -p 'synth_ice40 $(ICE40_SYNTH_OPTS) -top qn_top_icebreaker -json $@'

# --timing-allow-fail so that the report is always written; the report step fails on timing
$(ICE_DIR)/quantarion.asc $(ICE_DIR)/nextpnr.json &: $(ICE_DIR)/quantarion.json $(PCF) $(ICE_DIR)/pnr.flow
	$(NEXTPNR) --up5k --package sg48 --pcf $(PCF) --freq $(BOARD_FREQ) --seed $(BOARD_SEED) $(ICE40_PNR_OPTS) \
	  --json $< --asc $(ICE_DIR)/quantarion.asc --report $(ICE_DIR)/nextpnr.json \
	  --timing-allow-fail -q -l $(ICE_DIR)/nextpnr.log \
	  || { grep -E 'ICESTORM_(LC|RAM|SPRAM|DSP):' $(ICE_DIR)/nextpnr.log | sed 's/^Info: *//' >&2; \
	       echo "bitstream: nextpnr failed (design too large? see above and $(ICE_DIR)/nextpnr.log)" >&2; exit 1; }

BOARD_JQ := { lut: $$u.ICESTORM_LC.used, lut_total: $$u.ICESTORM_LC.available,
BOARD_JQ += ff: $$ff, ebr: $$u.ICESTORM_RAM.used, ebr_total: $$u.ICESTORM_RAM.available,
BOARD_JQ += spram: ($$u.ICESTORM_SPRAM.used // 0), spram_total: ($$u.ICESTORM_SPRAM.available // 4),
BOARD_JQ += dsp: ($$u.ICESTORM_DSP.used // 0), dsp_total: ($$u.ICESTORM_DSP.available // 8),
BOARD_JQ += pll: ($$u.ICESTORM_PLL.used // 0), io: $$u.SB_IO.used }

$(ICE_DIR)/report.json: $(ICE_DIR)/nextpnr.json
	$(call BOARD_REPORT,$(TOOLCHAIN),$(YOSYS),$(NEXTPNR))

$(ICE_DIR)/quantarion.bin: $(ICE_DIR)/quantarion.asc $(ICE_DIR)/report.json
	$(ICEPACK) $< $@

.PHONY: bitstream
bitstream: deps $(ICE_DIR)/quantarion.bin ## iCEBreaker (TOOLCHAIN=debian|yowasp) or BOARD=ulx3s bitstream + build/<board>/report.json (fails if timing is not met)

# logic depth of the netlist (host/src/tools/lut_depth.c): the register groups behind
# LUT_DEPTH_MIN or more LUT levels, which a 42 MHz clock cannot afford (docs/accelerator.md)
LUT_DEPTH_MIN ?= 6
.PHONY: lut-depth
lut-depth: deps $(LUT_DEPTH) $(ICE_DIR)/quantarion.json ## LUT levels in front of every flip-flop of the iCEBreaker netlist -> build/icebreaker/lut_depth.json
	$(LUT_DEPTH) --min-levels $(LUT_DEPTH_MIN) --json $(ICE_DIR)/lut_depth.json $(ICE_DIR)/quantarion.json

.PHONY: prog
prog: $(ICE_DIR)/quantarion.bin ## flash the board: openFPGALoader (or iceprog); BOARD=ulx3s: into the ECP5's SRAM
	@if command -v $(PROG_TOOL) >/dev/null; then $(PROG_TOOL) -b ice40_generic $<; \
	elif command -v iceprog >/dev/null; then iceprog $<; \
	else echo "prog: neither $(PROG_TOOL) nor iceprog is installed (make deps)" >&2; exit 1; fi

else ifeq ($(BOARD),ulx3s)
# ULX3S: YoWASP yosys synth_ecp5 -> nextpnr-ecp5 -> ecppack.  -nosynthesis: `ifdef SYNTHESIS
# selects iCE40 primitives (SB_SPRAM256KA); the ECP5 gets the behavioural models, inferred as
# DP16KD.  The part is the one named in the constraints' header (LFE5U-<size>F-<speed>BG<pins>C).
ULX3S_RTL    := $(wildcard rtl/board/ulx3s/*.v)
ULX3S_LPF    := constraints/ulx3s.lpf
ULX3S_PART   := $(shell grep -oE 'LFE5U-(25|45|85)F-[678]BG(256|381|554)C' $(ULX3S_LPF) | head -1)
ifeq ($(ULX3S_PART),)
$(error $(ULX3S_LPF) names no ECP5 part (LFE5U-<25|45|85>F-<speed>BG<pins>C) in its header)
endif
BOARD_FREQ   := 30
BOARD_CLOCK_MHZ := $(BOARD_FREQ)
BOARD_DEVICE := $(shell echo $(ULX3S_PART) | tr A-Z a-z)
ECP5_PNR_PART = --$(word 2,$(subst -, ,$(subst F-,k-,$(ULX3S_PART)))) \
  --package CABGA$(lastword $(subst BG, ,$(ULX3S_PART:C=))) --speed $(shell echo $(ULX3S_PART) | sed 's/.*F-\([0-9]\).*/\1/')

$(ICE_DIR)/quantarion.json: $(BOARD_RTL) $(ULX3S_RTL) $(BIT_CORE_RTL) $(BOARD_VH) $(ICE_DIR)/synth.flow | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(ECP5_YOSYS) -ql $(ICE_DIR)/yosys.log -p 'read_verilog -sv -nosynthesis -DSNN_GENERIC_MAC $(BOARD_INC) $(BOARD_RTL) $(ULX3S_RTL) $(BIT_CORE_RTL)' \
	  -p 'chparam -set BUILD_ID $(BUILD_ID) -set CLK_HZ $(BOARD_FREQ)000000 qn_top_ulx3s' -p 'synth_ecp5 -top qn_top_ulx3s -json $@'

$(ICE_DIR)/quantarion.config $(ICE_DIR)/nextpnr.json &: $(ICE_DIR)/quantarion.json $(ULX3S_LPF) $(ICE_DIR)/pnr.flow
	$(NEXTPNR_ECP5) $(ECP5_PNR_PART) --lpf $(ULX3S_LPF) --freq $(BOARD_FREQ) --seed $(BOARD_SEED) \
	  --json $< --textcfg $(ICE_DIR)/quantarion.config --report $(ICE_DIR)/nextpnr.json \
	  --timing-allow-fail -q -l $(ICE_DIR)/nextpnr.log \
	  || { echo "bitstream: nextpnr-ecp5 failed (see $(ICE_DIR)/nextpnr.log)" >&2; exit 1; }

BOARD_JQ := { lut: $$u.TRELLIS_COMB.used, lut_total: $$u.TRELLIS_COMB.available,
BOARD_JQ += ff: $$ff, ebr: $$u.DP16KD.used, ebr_total: $$u.DP16KD.available,
BOARD_JQ += spram: 0, spram_total: 0,
BOARD_JQ += dsp: ($$u.MULT18X18D.used // 0), dsp_total: ($$u.MULT18X18D.available // 0),
BOARD_JQ += pll: ($$u.EHXPLLL.used // 0), io: $$u.TRELLIS_IO.used }

$(ICE_DIR)/report.json: $(ICE_DIR)/nextpnr.json
	$(call BOARD_REPORT,yowasp,$(ECP5_YOSYS),$(NEXTPNR_ECP5))

$(ICE_DIR)/quantarion.bit: $(ICE_DIR)/quantarion.config $(ICE_DIR)/report.json
	$(ECPPACK) --compress $< $@
	@echo "bitstream: $@ ($$(stat -c %s $@) bytes)"

.PHONY: bitstream
bitstream: deps $(ICE_DIR)/quantarion.bit

.PHONY: prog
prog: $(ICE_DIR)/quantarion.bit
	@command -v $(PROG_TOOL) >/dev/null || { echo "prog: $(PROG_TOOL) is not installed (make deps)" >&2; exit 1; }
	@$(PROG_TOOL) -b ulx3s $< || { echo "prog: $(PROG_TOOL) could not load $< (is a ULX3S attached by USB, and may this user open it?)" >&2; exit 1; }

else
$(error BOARD=$(BOARD): supported boards are icebreaker and ulx3s)
endif

## ---------------------------------------------------------------- ECP5 in make test
# The ULX3S flow end to end (synthesized, placed and routed once: build/ulx3s is reused while its
# sources are unchanged) and the ECP5 gate-level check (mk/rtl.mk sim-gate-ecp5).
.PHONY: test-ecp5
test-ecp5: deps sim-gate-ecp5 ## ECP5: ULX3S bitstream (built once, then reused) + gate-level netlist vs golden model
	$(MAKE) --no-print-directory bitstream BOARD=ulx3s BOARD_CORE=real
TEST_TARGETS += test-ecp5
