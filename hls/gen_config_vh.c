/* SPDX-License-Identifier: MIT
 * gen_config_vh.c : writes the Verilog copy of hls/snn_config.def (default) or of
 * protocol/snn_protocol.def (--protocol) to stdout.
 * Usage: gen_config_vh > build/gen/snn_config.vh
 *        gen_config_vh --protocol > build/gen/snn_protocol.vh
 */
#include <stdio.h>
#include <string.h>
#include "snn_config.h"

static void emit_config(void)
{
    printf("// Generated from hls/snn_config.def by hls/gen_config_vh.c: do not edit.\n");
    printf("`ifndef SNN_CONFIG_VH\n`define SNN_CONFIG_VH\n");
#define SNN_CONST(name, value, doc) printf("`define %-24s %ld // %s\n", #name, (long)(value), doc);
#include "snn_config.def"
#undef SNN_CONST
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
