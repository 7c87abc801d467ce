# SPDX-License-Identifier: MIT
# mk/board.mk : the board: protocol header, lint, the simulated board (Verilator + pty),
# its tests, and the iCEBreaker bitstream (yosys -> nextpnr-ice40 -> icepack).
#   make bitstream [BOARD=icebreaker|ulx3s] [BOARD_CORE=standin]   make prog   make sim-board
#   make test-board
# BOARD_CORE=standin swaps the accelerator for rtl/board/standin/snn_core.v (same ports and bus
# timing, one EBR) to measure the board logic alone; outputs then go to build/<board>-standin.

BOARD        ?= icebreaker
# the core clock and baud have ONE definition, hls/snn_protocol.def (PLL, UART, INFO, simulation)
PROTO_VALUE   = $(shell sed -n 's/^SNN_PROTO.$(1), *\([0-9]*\),.*/\1/p' hls/snn_protocol.def)
BOARD_CLK_HZ := $(call PROTO_VALUE,PROTO_DEFAULT_CLK_HZ)
BOARD_BAUD   := $(call PROTO_VALUE,PROTO_DEFAULT_BAUD)
BOARD_FREQ   ?= $(shell echo $$(($(BOARD_CLK_HZ) / 1000000)))
BOARD_SEED   ?= 1
YOSYS        ?= yosys
NEXTPNR      ?= nextpnr-ice40
ICEPACK      ?= icepack
PROG_TOOLS   ?= openFPGALoader iceprog
VERILATOR    ?= verilator

PROTOCOL_VH   := $(GEN)/snn_protocol.vh
BOARD_RTL     := $(wildcard rtl/board/*.v)
BOARD_VLT     := rtl/board/board.vlt $(wildcard rtl/lint.vlt)
CORE_RTL      := $(wildcard rtl/core/*.v rtl/prim/*.v)
BOARD_INC     := -I$(GEN) -Irtl/board -Irtl/core -Irtl/prim
BOARD_VH      := $(CONFIG_VH) $(PROTOCOL_VH) $(wildcard rtl/board/*.vh)
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
PROTO_SRC     := host/src/common/protocol.c
PROTO_HDR     := host/src/common/protocol.h hls/snn_protocol.def

MAIN_STAGES   += bitstream
TEST_TARGETS  += test-board

## ---------------------------------------------------------------- generated protocol header
$(BUILD)/tools/gen_config_vh: hls/snn_protocol.def

$(PROTOCOL_VH): $(BUILD)/tools/gen_config_vh | $(GEN)
	$< --protocol > $@

## ---------------------------------------------------------------- lint
.PHONY: lint-board
lint-board: deps $(BOARD_VH) $(RTL_CELL_SIM) ## verilator -Wall lint of rtl/board (with the core)
	$(VERILATOR) --lint-only -Wall -DSIM $(BOARD_INC) --top-module qn_top_icebreaker \
	  $(BOARD_VLT) $(BOARD_RTL) $(CORE_RTL) $(RTL_CELL_SIM)

## ---------------------------------------------------------------- simulated board
$(SIM_BOARD): sim/board/board_sim.cpp hls/snn_protocol.def $(BOARD_RTL) $(BOARD_VLT) $(CORE_RTL) $(RTL_CELL_SIM) $(BOARD_VH) | $(DEPS_STAMP)
	@test -n "$(CORE_RTL)" || { echo "sim-board: no rtl/core/*.v yet: the board needs snn_core" >&2; exit 1; }
	@mkdir -p $(SIMB_DIR)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O3 --x-assign unique --x-initial unique -DSIM \
	  $(BOARD_INC) --top-module qn_top_icebreaker -GBUILD_ID=$(BUILD_ID) \
	  -CFLAGS "-O2 -std=c++14 -DSIM_CLK_HZ=$(BOARD_CLK_HZ) -DSIM_BAUD=$(BOARD_BAUD)" --Mdir $(SIMB_DIR)/obj -o ../qn_board_sim \
	  $(BOARD_VLT) $(BOARD_RTL) $(CORE_RTL) $(RTL_CELL_SIM) $(CURDIR)/sim/board/board_sim.cpp > $(SIMB_DIR)/build.log 2>&1 \
	  || { tail -30 $(SIMB_DIR)/build.log >&2; exit 1; }

.PHONY: sim-board
sim-board: deps $(SIM_BOARD) ## the simulated board: run build/sim-board/qn_board_sim, talk to the /dev/pts/N it prints

## ---------------------------------------------------------------- tests
# the receive FIFO alone, small (fills and wraps often) against a model
TESTB_FIFO       := $(TESTB_DIR)/fifo/Vtb
TESTB_FIFO_DEPTH := 16
$(TESTB_FIFO): tests/board/tb_qn_fifo.cpp rtl/board/qn_fifo.v rtl/board/qn_ram_sdp.v $(BOARD_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O2 --x-assign unique --x-initial unique $(BOARD_INC) \
	  --top-module qn_fifo -GDEPTH=$(TESTB_FIFO_DEPTH) -Mdir $(@D) -o Vtb \
	  -CFLAGS "-DFIFO_DEPTH=$(TESTB_FIFO_DEPTH) -DFIFO_MATCH=0xA5" -GMATCH=8\'hA5 \
	  rtl/board/qn_fifo.v rtl/board/qn_ram_sdp.v $(CURDIR)/$< > $(@D)/build.log 2>&1 \
	  || { tail -30 $(@D)/build.log >&2; exit 1; }

TESTB_BIN := $(TESTB_DIR)/test_board
TESTB_SRC := tests/board/test_board.c tests/board/board_harness.c
$(TESTB_BIN): $(TESTB_SRC) tests/board/board_harness.h $(PROTO_SRC) $(PROTO_HDR) $(GOLDEN_LIB_SAN) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O1 $(SAN_FLAGS) -Itests/board $(TESTB_SRC) $(PROTO_SRC) \
	  $(GOLDEN_LIB_SAN) -lcmocka -o $@

.PHONY: test-board
test-board: deps lint-board $(TESTB_FIFO) $(SIM_BOARD) $(TESTB_BIN) ## board: FIFO bench; protocol round trips, NAKs, garbage, half frames, INFER == golden
	$(TESTB_FIFO)
	$(TESTB_BIN) --sim $(SIM_BOARD) --json $(TESTB_DIR)/report.json

## ---------------------------------------------------------------- bitstream
ifeq ($(BOARD),icebreaker)
PCF := constraints/icebreaker.pcf

$(ICE_DIR)/quantarion.json: $(BOARD_RTL) $(BIT_CORE_RTL) $(BOARD_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(YOSYS) -ql $(ICE_DIR)/yosys.log -p 'read_verilog -sv $(BOARD_INC) $(BOARD_RTL) $(BIT_CORE_RTL)' \
	  -p 'chparam -set BUILD_ID $(BUILD_ID) qn_top_icebreaker' -p 'synth_ice40 -top qn_top_icebreaker -json $@'

# --timing-allow-fail so that the report is always written; the report step fails on timing
$(ICE_DIR)/quantarion.asc $(ICE_DIR)/nextpnr.json &: $(ICE_DIR)/quantarion.json $(PCF)
	$(NEXTPNR) --up5k --package sg48 --pcf $(PCF) --freq $(BOARD_FREQ) --seed $(BOARD_SEED) \
	  --json $< --asc $(ICE_DIR)/quantarion.asc --report $(ICE_DIR)/nextpnr.json \
	  --timing-allow-fail -q -l $(ICE_DIR)/nextpnr.log \
	  || { grep -E 'ICESTORM_(LC|RAM|SPRAM|DSP):' $(ICE_DIR)/nextpnr.log | sed 's/^Info: *//' >&2; \
	       echo "bitstream: nextpnr failed (design too large? see above and $(ICE_DIR)/nextpnr.log)" >&2; exit 1; }

# report.json from nextpnr's --report (utilisation, fmax) and yosys's flip-flop count
BOARD_JQ := .utilization as $$u | { board: "icebreaker", device: "up5k-sg48",
BOARD_JQ += fmax_mhz: ([.fmax[].achieved] | min), target_mhz: $$target, seed: $(BOARD_SEED),
BOARD_JQ += core: "$(BOARD_CORE)", lut: $$u.ICESTORM_LC.used, lut_total: $$u.ICESTORM_LC.available,
BOARD_JQ += ff: null, ebr: $$u.ICESTORM_RAM.used, ebr_total: $$u.ICESTORM_RAM.available,
BOARD_JQ += spram: ($$u.ICESTORM_SPRAM.used // 0), spram_total: ($$u.ICESTORM_SPRAM.available // 4),
BOARD_JQ += dsp: ($$u.ICESTORM_DSP.used // 0), dsp_total: ($$u.ICESTORM_DSP.available // 8),
BOARD_JQ += pll: ($$u.ICESTORM_PLL.used // 0), io: $$u.SB_IO.used }

$(ICE_DIR)/report.json: $(ICE_DIR)/nextpnr.json
	@jq --argjson target $(BOARD_FREQ) '$(BOARD_JQ)' $< > $@.tmp
	@ff=$$(grep -E '^ +SB_DFF' $(ICE_DIR)/yosys.log | tail -n 40 | awk '{s+=$$2} END {print s+0}'); \
	  jq --argjson ff "$$ff" '.ff = $$ff | .timing_met = (.fmax_mhz >= .target_mhz)' $@.tmp > $@ && rm -f $@.tmp
	@jq -r '"bitstream: \(.board) fmax \(.fmax_mhz * 100 | round / 100) MHz (target \(.target_mhz)), LUT \(.lut)/\(.lut_total), FF \(.ff), EBR \(.ebr)/\(.ebr_total), SPRAM \(.spram)/\(.spram_total), DSP \(.dsp)/\(.dsp_total), PLL \(.pll)"' $@ | tee $(ICE_DIR)/report.txt
	@jq -e '.timing_met' $@ > /dev/null || { echo "bitstream: timing NOT met at $(BOARD_FREQ) MHz (see $(ICE_DIR)/nextpnr.log)" >&2; rm -f $@; exit 1; }

$(ICE_DIR)/quantarion.bin: $(ICE_DIR)/quantarion.asc $(ICE_DIR)/report.json
	$(ICEPACK) $< $@

.PHONY: bitstream
bitstream: deps $(ICE_DIR)/quantarion.bin ## iCEBreaker bitstream + build/icebreaker/report.json (fails if timing is not met)

.PHONY: prog
prog: $(ICE_DIR)/quantarion.bin ## flash the iCEBreaker (openFPGALoader or iceprog)
	@tool=$$(for t in $(PROG_TOOLS); do command -v $$t && break; done); \
	case "$$tool" in \
	  *openFPGALoader) $$tool -b ice40_generic $< ;; \
	  *iceprog) $$tool $< ;; \
	  *) echo "prog: neither openFPGALoader nor iceprog is installed (apt-get install fpga-icestorm)" >&2; exit 1 ;; \
	esac

else ifeq ($(BOARD),ulx3s)
# ULX3S (ECP5 LFE5U-85F): synth_ecp5 always; nextpnr-ecp5 + ecppack where installed (Debian 12
# packages neither: README.md says where to get them).  -nosynthesis: `ifdef SYNTHESIS selects
# iCE40 primitives (SB_SPRAM256KA); the ECP5 gets the behavioural models, inferred as DP16KD.
ULX3S_RTL  := $(wildcard rtl/board/ulx3s/*.v)
ULX3S_LPF  := constraints/ulx3s.lpf
ULX3S_MHZ  := 30
NEXTPNR_ECP5 ?= nextpnr-ecp5
ECPPACK      ?= ecppack

$(ICE_DIR)/quantarion.json: $(BOARD_RTL) $(ULX3S_RTL) $(BIT_CORE_RTL) $(BOARD_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(YOSYS) -ql $(ICE_DIR)/yosys.log -p 'read_verilog -sv -nosynthesis -DSNN_GENERIC_MAC $(BOARD_INC) $(BOARD_RTL) $(ULX3S_RTL) $(BIT_CORE_RTL)' \
	  -p 'chparam -set BUILD_ID $(BUILD_ID) -set CLK_HZ $(ULX3S_MHZ)000000 qn_top_ulx3s' -p 'synth_ecp5 -top qn_top_ulx3s -json $@'

$(ICE_DIR)/report.json: $(ICE_DIR)/quantarion.json $(ULX3S_LPF)
	@lut=$$(grep -E '^ +LUT4 ' $(ICE_DIR)/yosys.log | tail -1 | awk '{print $$2}'); \
	  ff=$$(grep -E '^ +TRELLIS_FF ' $(ICE_DIR)/yosys.log | tail -1 | awk '{print $$2}'); \
	  ebr=$$(grep -E '^ +DP16KD ' $(ICE_DIR)/yosys.log | tail -1 | awk '{print $$2}'); \
	  echo "{\"board\": \"ulx3s\", \"device\": \"lfe5u-85f-cabga381\", \"lut\": $${lut:-0}, \"ff\": $${ff:-0}, \"ebr\": $${ebr:-0}, \"fmax_mhz\": null, \"target_mhz\": $(ULX3S_MHZ), \"placed\": false}" > $@
	@if command -v $(NEXTPNR_ECP5) >/dev/null && command -v $(ECPPACK) >/dev/null; then \
	  $(NEXTPNR_ECP5) --85k --package CABGA381 --lpf $(ULX3S_LPF) --freq $(ULX3S_MHZ) --seed $(BOARD_SEED) \
	    --json $< --textcfg $(ICE_DIR)/quantarion.config --report $(ICE_DIR)/nextpnr.json -q -l $(ICE_DIR)/nextpnr.log \
	    || { echo "bitstream: nextpnr-ecp5 failed or missed $(ULX3S_MHZ) MHz (see $(ICE_DIR)/nextpnr.log)" >&2; rm -f $@; exit 1; }; \
	  $(ECPPACK) $(ICE_DIR)/quantarion.config $(ICE_DIR)/quantarion.bit || { rm -f $@; exit 1; }; \
	  jq --slurpfile p $(ICE_DIR)/nextpnr.json '.placed = true | .fmax_mhz = ([$$p[0].fmax[].achieved] | min)' $@ > $@.tmp && mv $@.tmp $@; \
	  echo "bitstream: $(ICE_DIR)/quantarion.bit"; \
	else \
	  echo "bitstream: BOARD=ulx3s: synthesis only (utilisation below): nextpnr-ecp5/ecppack not installed (Debian 12 has no package; see README.md)"; \
	fi
	@cat $@

.PHONY: bitstream
bitstream: deps $(ICE_DIR)/report.json ## BOARD=ulx3s: ECP5 synthesis (+ place, route, pack where nextpnr-ecp5 is installed)

else
$(error BOARD=$(BOARD): supported boards are icebreaker and ulx3s)
endif
