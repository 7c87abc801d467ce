# SPDX-License-Identifier: MIT
# mk/hls.mk : the golden model library (plain, and with sanitizers) and the generated
# Verilog copy of hls/snn_config.def.

GOLDEN_SRC     := $(filter-out hls/gen_config_vh.c,$(wildcard hls/*.c))
GOLDEN_HDR     := $(wildcard hls/*.h hls/*.def)
GOLDEN_LIB     := $(BUILD)/hls/libsnn_golden.a
GOLDEN_LIB_SAN := $(BUILD)/hls-san/libsnn_golden.a
CONFIG_VH      := $(GEN)/snn_config.vh

$(BUILD)/hls/%.o: hls/%.c $(GOLDEN_HDR)
	@mkdir -p $(@D)
	$(CC) $(GOLDEN_CFLAGS) -c $< -o $@

$(BUILD)/hls-san/%.o: hls/%.c $(GOLDEN_HDR)
	@mkdir -p $(@D)
	$(CC) $(GOLDEN_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(GOLDEN_LIB): $(patsubst hls/%.c,$(BUILD)/hls/%.o,$(GOLDEN_SRC))
	rm -f $@ && $(AR) rcs $@ $^

$(GOLDEN_LIB_SAN): $(patsubst hls/%.c,$(BUILD)/hls-san/%.o,$(GOLDEN_SRC))
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/tools/gen_config_vh: hls/gen_config_vh.c hls/snn_config.def protocol/snn_protocol.def
	@mkdir -p $(@D)
	$(CC) -std=c99 -Wall -Wextra -Werror -Ihls -Iprotocol $< -o $@

$(CONFIG_VH): $(BUILD)/tools/gen_config_vh | $(GEN)
	$< > $@

.PHONY: golden
golden: $(GOLDEN_LIB) $(CONFIG_VH) ## build the golden model library and the generated Verilog header
