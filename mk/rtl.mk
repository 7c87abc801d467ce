# SPDX-License-Identifier: MIT
# mk/rtl.mk : the accelerator core (rtl/core, rtl/prim): lint, Verilator simulation against the
# golden model (make sim, sim/core), the Yosys netlist against the golden model (make sim-gate,
# sim/gate), unit benches (sim/unit) and a quick synthesis + place-and-route of the core alone
# (make core-pnr, rtl/pnr).

RTL_CORE_SRC   := $(wildcard rtl/core/*.v) $(wildcard rtl/prim/*.v)
RTL_CORE_INC   := $(wildcard rtl/core/*.vh rtl/prim/*.vh)
RTL_INC        := -I$(GEN) -Irtl/core -Irtl/prim
VFLAGS         := -Wall --cc --exe --build -j 2 -O3 --x-assign unique --x-initial unique \
                  --top-module snn_core $(RTL_INC)
ICE40_CELLS     = $(YOSYS_DATDIR)/ice40/cells_sim.v
# Yosys's model of the SB_MAC16 (rtl/prim/snn_mac.v), cut out of cells_sim.v so that Verilator
# reads that one cell (the whole file needs -DNO_ICE40_DEFAULT_ASSIGNMENTS and brings a timescale)
MAC16_SIM      := $(GEN)/sb_mac16_sim.v
RTL_CELL_SIM   := $(MAC16_SIM)
SIM_CORE_C     := sim/core/sim_run.c sim/core/sim_compare.c sim/core/sim_dump.c sim/random/random_model.c
SIM_CORE_CXX   := sim/core/sim_main.cpp sim/core/sim_dut.cpp
SIM_CORE_HDR   := $(wildcard sim/core/*.h sim/random/*.h)
SIM_CFLAGS     := -O2 -g -I$(CURDIR)/hls -I$(CURDIR)/host/src/common -I$(CURDIR)/sim/core \
                  -I$(CURDIR)/sim/random -D_GNU_SOURCE
SIM_C_LIB      := $(BUILD)/sim/libsimc.a
SIM_LIBS       := $(CURDIR)/$(SIM_C_LIB) $(CURDIR)/$(HOST_COMMON_LIB) $(CURDIR)/$(GOLDEN_LIB) $(HOST_LIBS)
SIM_CORE       := $(BUILD)/sim/core/Vsnn_core
CORE_NETLIST   := $(BUILD)/rtl/snn_core_syn.v
SIM_MODEL      ?= $(BUILD)/models/default.qmodel
SIM_IMAGES     ?= 200
SIM_RANDOM     ?=
SIM_SEED       ?= 1
TRACE          ?=
SIM_TRACE_ARG  := $(if $(TRACE),--trace $(BUILD)/sim/trace.fst)
CORE_PNR_FREQ  ?= 48

$(MAC16_SIM): $(ICE40_CELLS) | $(GEN)
	sed -n '/^module SB_MAC16/,/^endmodule/p' $< > $@
	@grep -q '^endmodule' $@ || { echo "$@: no SB_MAC16 in $<" >&2; rm -f $@; exit 1; }

## ---------------------------------------------------------------- lint
.PHONY: lint
lint: deps $(CONFIG_VH) $(RTL_CELL_SIM) ## verilator --lint-only -Wall on the core (waivers: rtl/lint.vlt)
	$(VERILATOR) --lint-only -Wall $(RTL_INC) --top-module snn_core rtl/lint.vlt $(RTL_CORE_SRC) $(RTL_CELL_SIM)

## ---------------------------------------------------------------- RTL simulation vs golden model
# the C part of the harness, compiled as C (Verilator would compile .c files as C++)
$(BUILD)/sim/c/%.o: sim/%.c $(SIM_CORE_HDR) $(GOLDEN_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Isim/core -Isim/random -c $< -o $@

$(SIM_C_LIB): $(patsubst sim/%.c,$(BUILD)/sim/c/%.o,$(SIM_CORE_C))
	rm -f $@ && $(AR) rcs $@ $^

$(SIM_CORE): $(RTL_CORE_SRC) $(RTL_CORE_INC) $(SIM_CORE_C) $(SIM_CORE_CXX) $(SIM_CORE_HDR) rtl/lint.vlt \
             $(CONFIG_VH) $(RTL_CELL_SIM) $(SIM_C_LIB) $(GOLDEN_LIB) $(HOST_COMMON_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@rm -f $@ # Verilator's own make does not see the -LDFLAGS libraries: without this a changed golden model is not relinked
	$(VERILATOR) $(VFLAGS) --trace-fst -Mdir $(@D) -o Vsnn_core -CFLAGS "$(SIM_CFLAGS)" \
	  -LDFLAGS "$(SIM_LIBS)" rtl/lint.vlt $(RTL_CORE_SRC) $(RTL_CELL_SIM) $(addprefix $(CURDIR)/,$(SIM_CORE_CXX)) >/dev/null

.PHONY: sim sim-build
sim-build: deps $(SIM_CORE) ## build the Verilator simulation of snn_core
sim: deps $(SIM_CORE) $(if $(SIM_RANDOM),,$(MNIST_DATA) $(if $(filter $(BUILD)/models/default.qmodel,$(SIM_MODEL)),$(SIM_MODEL))) ## RTL vs golden model: SIM_MODEL, SIM_IMAGES (=all), SIM_RANDOM=N SIM_SEED=S, TRACE=1
	$(SIM_CORE) $(if $(SIM_RANDOM),--random $(SIM_RANDOM) --seed $(SIM_SEED),--model $(SIM_MODEL) \
	  --images $(SIM_IMAGES)) $(SIM_TRACE_ARG) --report $(BUILD)/sim/report.json

## ---------------------------------------------------------------- gate level (Yosys iCE40 netlist)
$(CORE_NETLIST): $(RTL_CORE_SRC) $(RTL_CORE_INC) $(CONFIG_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(YOSYS) -ql $(BUILD)/rtl/snn_core_syn.log -p "read_verilog -sv -DSYNTHESIS $(RTL_INC) $(RTL_CORE_SRC); \
	  synth_ice40 -top snn_core; setundef -zero -params; write_verilog -noattr $@"

# The bench (sim/gate/tb_gate.v) runs under Icarus Verilog with Yosys's iCE40 cell models
# (Verilator on this netlist hit an internal error); gate_stim writes its bus script and the golden
# model's expected read-back bytes.  SIM_GATE_RTL=1 runs the same bench on the RTL sources.
GATE_STIM      := $(BUILD)/sim/gate/gate_stim
GATE_SCRIPT    := $(BUILD)/sim/gate/script.hex
GATE_VVP       := $(BUILD)/sim/gate/tb_gate.vvp
GATE_RTL_VVP   := $(BUILD)/sim/gate/tb_rtl.vvp
SIM_GATE_MODELS ?= 4
SIM_GATE_ARGS  := --models $(SIM_GATE_MODELS) --images 1 --seed $(SIM_SEED) --max-steps 4 --max-size 24

$(GATE_STIM): sim/gate/gate_stim.c sim/random/random_model.c $(SIM_CORE_HDR) $(GOLDEN_HDR) $(GOLDEN_LIB) \
              $(HOST_COMMON_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Isim/random sim/gate/gate_stim.c sim/random/random_model.c $(HOST_COMMON_LIB) \
	  $(GOLDEN_LIB) $(HOST_LIBS) -o $@

$(GATE_SCRIPT): $(GATE_STIM) FORCE_GATE_SCRIPT
	$(GATE_STIM) $(SIM_GATE_ARGS) --out $@

$(GATE_VVP): sim/gate/tb_gate.v $(CORE_NETLIST) $(CONFIG_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(IVERILOG) -g2012 -o $@ -s tb_gate -I$(GEN) -DNO_ICE40_DEFAULT_ASSIGNMENTS sim/gate/tb_gate.v \
	  $(CORE_NETLIST) $(ICE40_CELLS)

$(GATE_RTL_VVP): sim/gate/tb_gate.v $(RTL_CORE_SRC) $(RTL_CORE_INC) $(CONFIG_VH) $(RTL_CELL_SIM) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(IVERILOG) -g2012 -o $@ -s tb_gate $(RTL_INC) sim/gate/tb_gate.v $(RTL_CORE_SRC) $(RTL_CELL_SIM)

.PHONY: sim-gate FORCE_GATE_SCRIPT
FORCE_GATE_SCRIPT:
sim-gate: deps $(if $(SIM_GATE_RTL),$(GATE_RTL_VVP),$(GATE_VVP)) $(GATE_SCRIPT) ## Yosys iCE40 netlist (Icarus + cell models) vs golden model: SIM_GATE_MODELS small random models
	$(VVP) -n $(if $(SIM_GATE_RTL),$(GATE_RTL_VVP),$(GATE_VVP)) +script=$(GATE_SCRIPT)

## ---------------------------------------------------------------- gate level (Yosys ECP5 netlist)
# The same bench and script on the YoWASP synth_ecp5 netlist of the core (-nosynthesis and the
# behavioural multiply-add SNN_GENERIC_MAC, as in the ULX3S build: the SPRAM wrappers become
# DP16KD) with Yosys's ECP5 cell models and sim/gate/ecp5_dp16kd.v (Yosys has DP16KD only as a
# blackbox).  -nodsp: Yosys has no simulation model of MULT18X18D either, so here the multiplies
# are LUT logic, unlike the bitstream's netlist (its DSP mapping is not checked at gate level).  Icarus 11 takes the cell
# models with two edits, made in a copy: the blackbox DP16KD dropped, and `$error` in a generate
# branch (an elaboration task Icarus 11 lacks) turned into `initial $fatal`.
CORE_NETLIST_ECP5 := $(BUILD)/rtl/snn_core_ecp5.v
ECP5_SIM_CELLS    := $(BUILD)/sim/gate/ecp5-cells
ECP5_CELL_FILES   := cells_sim_ecp5.v common_sim.vh ccu2c_sim.vh cells_ff.vh cells_io.vh
GATE_ECP5_VVP     := $(BUILD)/sim/gate/tb_gate_ecp5.vvp

$(CORE_NETLIST_ECP5): $(RTL_CORE_SRC) $(RTL_CORE_INC) $(CONFIG_VH) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(ECP5_YOSYS) -ql $(BUILD)/rtl/snn_core_ecp5.log -p "read_verilog -sv -nosynthesis -DSNN_GENERIC_MAC $(RTL_INC) $(RTL_CORE_SRC); \
	  synth_ecp5 -nodsp -top snn_core; setundef -zero -params; write_verilog -noattr $@"

$(ECP5_SIM_CELLS)/cells_sim_ecp5.v: $(DEPS_STAMP)
	@mkdir -p $(@D)
	@for f in $(ECP5_CELL_FILES); do \
	  test -f $(ECP5_DATDIR)/lattice/$$f || { echo "sim-gate-ecp5: no $$f in $(ECP5_DATDIR)/lattice (make deps)" >&2; exit 1; }; \
	  sed 's/\$$error(/initial $$fatal(1, /' $(ECP5_DATDIR)/lattice/$$f | awk '/^\(\* blackbox \*\)$$/ {held = $$0; next} \
	    /^module DP16KD\(/ {skip = 1} !skip {if (held != "") print held; print} {held = ""} skip && /^endmodule/ {skip = 0}' \
	    > $(@D)/$$f; done
	@! grep -q 'module DP16KD' $@ || { echo "sim-gate-ecp5: could not drop the DP16KD blackbox from $@" >&2; exit 1; }

$(GATE_ECP5_VVP): sim/gate/tb_gate.v sim/gate/ecp5_dp16kd.v $(CORE_NETLIST_ECP5) $(ECP5_SIM_CELLS)/cells_sim_ecp5.v $(CONFIG_VH)
	@mkdir -p $(@D)
	$(IVERILOG) -g2012 -o $@ -s tb_gate -I$(GEN) -I$(ECP5_SIM_CELLS) -DNO_INCLUDES sim/gate/tb_gate.v \
	  $(CORE_NETLIST_ECP5) sim/gate/ecp5_dp16kd.v $(addprefix $(ECP5_SIM_CELLS)/,cells_sim_ecp5.v cells_ff.vh cells_io.vh)

.PHONY: sim-gate-ecp5
sim-gate-ecp5: deps $(GATE_ECP5_VVP) $(GATE_SCRIPT) ## Yosys ECP5 netlist (Icarus + cell models) vs golden model: same script as sim-gate
	$(VVP) -n $(GATE_ECP5_VVP) +script=$(GATE_SCRIPT)

## ---------------------------------------------------------------- unit benches (sim/unit)
# tb_<name>.cpp drives the Verilog module <name> (snn_encoder, snn_fire) or sim/unit/tb_<name>.v
RTL_TB_NAMES := snn_encoder snn_fire snn_mem
RTL_TB_BINS  := $(patsubst %,$(BUILD)/sim/unit/%/Vtb,$(RTL_TB_NAMES))

$(BUILD)/sim/unit/%/Vtb: sim/unit/tb_%.cpp rtl/lint.vlt $(RTL_CORE_SRC) $(RTL_CORE_INC) $(wildcard sim/unit/*.v) $(CONFIG_VH) $(RTL_CELL_SIM) $(GOLDEN_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@rm -f $@ # relink when only $(GOLDEN_LIB) changed (Verilator's make does not see it)
	$(VERILATOR) -Wall --cc --exe --build -j 2 -O2 --x-assign unique --x-initial unique $(RTL_INC) -Isim/unit \
	  --top-module $(if $(wildcard sim/unit/tb_$*.v),tb_$*,$*) -Mdir $(@D) -o Vtb \
	  -CFLAGS "-O2 -I$(CURDIR)/hls" -LDFLAGS "$(CURDIR)/$(GOLDEN_LIB)" \
	  rtl/lint.vlt $(wildcard sim/unit/tb_$*.v) $(RTL_CORE_SRC) $(RTL_CELL_SIM) $(CURDIR)/$< >/dev/null

.PHONY: test-rtl-units test-rtl test-rtl-capacity
test-rtl-units: deps $(RTL_TB_BINS) ## unit benches: encoder, fire (membrane update), memory wrappers
	@for t in $(RTL_TB_BINS); do $$t || exit 1; done

# a capacity change in a copy of hls/ and rtl/: builds consistently or stops naming the constant
test-rtl-capacity: deps $(RTL_CELL_SIM) ## capacity constants changed in a copy: lint clean, or an error naming the constant
	VERILATOR=$(VERILATOR) sim/unit/capacity_change.sh $(RTL_CELL_SIM)

# make test: lint, unit benches, the gate-level check (4 small random models), 30 random models,
# the default model on 50 images (skipped when no model was trained)
TEST_RTL_RANDOM ?= 30
test-rtl: deps lint test-rtl-units test-rtl-capacity $(SIM_CORE) sim-gate ## RTL tests for make test (incl. the gate-level check)
	$(SIM_CORE) --random $(TEST_RTL_RANDOM) --seed 1 --report $(BUILD)/sim/report-random.json
	@if [ -f $(SIM_MODEL) ] && [ -f $(MNIST_DATA) ]; then \
	  echo "$(SIM_CORE) --model $(SIM_MODEL) --images 50"; \
	  $(SIM_CORE) --model $(SIM_MODEL) --images 50 --report $(BUILD)/sim/report-test.json; \
	else echo "test-rtl: no $(SIM_MODEL) yet: model-file check skipped (random models cover the core)"; fi

TEST_TARGETS += test-rtl
MAIN_STAGES  += sim

## ---------------------------------------------------------------- synthesis + PnR of the core alone
.PHONY: core-pnr
CORE_PNR_TOP   := rtl/pnr/snn_core_pnr.v
CORE_PNR_SEED  ?= 1
core-pnr: deps $(CONFIG_VH) ## yosys + nextpnr-ice40 (--up5k sg48) on the core alone (rtl/pnr/snn_core_pnr.v): LCs, EBR, Fmax
	@mkdir -p $(BUILD)/rtl
	$(YOSYS) -ql $(BUILD)/rtl/core_pnr_syn.log -p "read_verilog -sv -DSYNTHESIS $(RTL_INC) $(RTL_CORE_SRC) $(CORE_PNR_TOP); \
	  synth_ice40 -top snn_core_pnr -json $(BUILD)/rtl/snn_core.json"
	@grep -A20 "=== snn_core_pnr ===" $(BUILD)/rtl/core_pnr_syn.log | grep -E "SB_LUT4|SB_DFF|SB_CARRY|SB_RAM|SB_SPRAM"
	$(NEXTPNR) --up5k --package sg48 --freq $(CORE_PNR_FREQ) --seed $(CORE_PNR_SEED) --json $(BUILD)/rtl/snn_core.json \
	  --timing-allow-fail --report $(BUILD)/rtl/core_pnr.json -l $(BUILD)/rtl/core_pnr.log -q
	@grep -E "ICESTORM_LC|ICESTORM_RAM|ICESTORM_SPRAM|Max frequency" $(BUILD)/rtl/core_pnr.log | tail -6
