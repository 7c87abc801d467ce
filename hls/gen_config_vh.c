/* SPDX-License-Identifier: MIT
 * gen_config_vh.c : writes the Verilog copy of hls/snn_config.def to stdout.
 * Usage: gen_config_vh > build/gen/snn_config.vh
 */
#include <stdio.h>

int main(void)
{
    printf("// Generated from hls/snn_config.def by hls/gen_config_vh.c: do not edit.\n");
    printf("`ifndef SNN_CONFIG_VH\n`define SNN_CONFIG_VH\n");
#define SNN_CONST(name, value, doc) printf("`define %-24s %ld // %s\n", #name, (long)(value), doc);
#include "snn_config.def"
#undef SNN_CONST
    printf("`endif\n");
    return 0;
}
