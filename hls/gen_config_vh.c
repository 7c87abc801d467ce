/* SPDX-License-Identifier: MIT
 * gen_config_vh.c : writes the Verilog copy of hls/snn_config.def (default) or of
 * protocol/snn_protocol.def (--protocol) to stdout.
 * Usage: gen_config_vh > build/gen/snn_config.vh
 *        gen_config_vh --protocol > build/gen/snn_protocol.vh
 */
#include <stdio.h>
#include <string.h>
#include "snn_config.h"

/* bits of an unsigned value that holds 0 .. v - 1 */
static int bits_below(long v)
{
    int b = 0;
    while ((1L << b) < v)
        b++;
    return b;
}

static void derived(const char *name, long value, const char *doc)
{
    printf("`define %-24s %ld // %s\n", name, value, doc);
}

static void emit_config(void)
{
    const long lane_words = SNN_MEMBRANE_SLOTS / SNN_LANES + SNN_MAX_NEURONS / SNN_LANES;
    const long bitmap_words = (SNN_MAX_INPUTS > SNN_MAX_NEURONS ? SNN_MAX_INPUTS : SNN_MAX_NEURONS) / SNN_LANES;
    printf("// Generated from hls/snn_config.def by hls/gen_config_vh.c: do not edit.\n");
    printf("`ifndef SNN_CONFIG_VH\n`define SNN_CONFIG_VH\n");
#define SNN_CONST(name, value, doc) printf("`define %-24s %ld // %s\n", #name, (long)(value), doc);
#include "snn_config.def"
#undef SNN_CONST
    printf("// derived widths (the RTL's ports use these; rtl/core/snn_core.v stops elaboration, naming the\n"
           "// constant, where a capacity change needs more than a width)\n");
    derived("SNN_LAYER_BITS", bits_below(SNN_MAX_LAYERS), "a layer index 0 .. SNN_MAX_LAYERS-1");
    derived("SNN_NLAYERS_BITS", bits_below(SNN_MAX_LAYERS + 1), "a layer count 0 .. SNN_MAX_LAYERS");
    derived("SNN_NEURON_BITS", bits_below(SNN_MAX_NEURONS + 1), "a neuron count of one layer 0 .. SNN_MAX_NEURONS");
    derived("SNN_INPUT_BITS", bits_below(SNN_MAX_INPUTS + 1), "an input count 0 .. SNN_MAX_INPUTS");
    derived("SNN_STEP_BITS", bits_below(SNN_MAX_STEPS + 1), "a step count 0 .. SNN_MAX_STEPS");
    derived("SNN_THR_ADDR_BITS", bits_below(SNN_MAX_TOTAL_NEURONS), "a threshold entry");
    derived("SNN_WADDR_BITS", bits_below(SNN_WEIGHT_BYTES / SNN_LANES), "a weight word (SNN_LANES weights)");
    derived("SNN_LANE_WORDS", lane_words, "lane words: membranes of every layer + direct currents of layer 0");
    derived("SNN_LANE_ADDR_BITS", bits_below(lane_words), "a lane word");
    derived("SNN_BITMAP_ADDR_BITS", bits_below(bitmap_words), "a spike bitmap word (SNN_LANES inputs)");
    printf("`endif\n");
}

static void emit_protocol(void)
{
    printf("// Generated from protocol/snn_protocol.def by hls/gen_config_vh.c --protocol: do not edit.\n");
    printf("`ifndef SNN_PROTOCOL_VH\n`define SNN_PROTOCOL_VH\n");
#define SNN_PROTO(name, value, doc) printf("`define %-26s %ld // %s\n", #name, (long)(value), doc);
#include "snn_protocol.def"
#undef SNN_PROTO
    printf("`endif\n");
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        emit_config();
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--protocol") == 0) {
        emit_protocol();
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        printf("usage: gen_config_vh [--protocol]\n"
               "  writes the Verilog header of hls/snn_config.def (or, with --protocol,\n"
               "  of protocol/snn_protocol.def) to stdout\n");
        return 0;
    }
    fprintf(stderr, "gen_config_vh: unknown argument '%s' (try --help)\n", argv[1]);
    return 2;
}
