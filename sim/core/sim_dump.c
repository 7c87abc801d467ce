/* SPDX-License-Identifier: MIT
 * sim_dump.c : one image's spike raster and membranes per step, golden model and RTL.
 */
#include "sim_dump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qio.h"
#include "sim_dut.h"

static snn_model_t cut;
static snn_trace_t gtrace;
static rtl_result_t rtl;
/* spikes and membranes of one source: (T, L, words) and (T, L, H) */
static uint32_t spikes[2][SNN_MAX_STEPS][SNN_MAX_LAYERS][SNN_WORDS(SNN_MAX_NEURONS)];
static int16_t v[2][SNN_MAX_STEPS][SNN_MAX_LAYERS][SNN_MAX_NEURONS];

static int write_source(const snn_model_t *m, int steps, int src, const char *path)
{
    char err[512];
    FILE *f = qio_fopen(path, "w", err, sizeof err);
    int t, l, j;
    if (!f) {
        fprintf(stderr, "sim_core: --dump-image: %s\n", err);
        return -1;
    }
    fprintf(f, "# S step layer neuron: a spike; V step layer neuron v: membrane after the step\n");
    for (t = 0; t < steps; t++)
        for (l = 0; l < m->n_layers; l++)
            for (j = 0; j < m->layer[l].n_out; j++)
                if (spikes[src][t][l][j / 32] >> (j % 32) & 1u)
                    fprintf(f, "S %d %d %d\n", t + 1, l, j);
    for (t = 0; t < steps; t++)
        for (l = 0; l < m->n_layers; l++)
            for (j = 0; j < m->layer[l].n_out; j++)
                fprintf(f, "V %d %d %d %d\n", t + 1, l, j, v[src][t][l][j]);
    if (fclose(f) != 0) {
        fprintf(stderr, "sim_core: --dump-image: writing %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int sim_dump_image(const snn_model_t *m, const uint8_t *pixels, uint32_t seed, const char *dir)
{
    char path[2][1024];
    snn_result_t gr;
    int t, steps;
    if (!dut_has_taps()) {
        fprintf(stderr, "sim_core: --dump-image needs the RTL build (the gate-level netlist has no spike taps)\n");
        return -1;
    }
    if (snprintf(path[0], sizeof path[0], "%s/golden.txt", dir) >= (int)sizeof path[0] ||
        snprintf(path[1], sizeof path[1], "%s/rtl.txt", dir) >= (int)sizeof path[1]) {
        fprintf(stderr, "sim_core: --dump-dir %s: path too long\n", dir);
        return -1;
    }
    snn_infer(m, pixels, seed, &gr, &gtrace);
    if (dut_load_model(m) || dut_run_image(m, pixels, seed, &rtl))
        return -1;
    memcpy(spikes[0], gtrace.spikes, sizeof spikes[0]);
    memcpy(spikes[1], rtl.spikes, sizeof spikes[1]);
    steps = gr.steps_used;
    /* the prefix runs never exit: an exit rule that looks at the steps left would see other T */
    cut = *m;
    cut.exit_mode = SNN_EXIT_OFF;
    cut.exit_lead = cut.exit_min_steps = 0;
    for (t = 1; t <= steps; t++) {
        cut.steps = (uint8_t)t;
        snn_infer(&cut, pixels, seed, &gr, &gtrace);
        if (dut_load_model(&cut) || dut_run_image(&cut, pixels, seed, &rtl))
            return -1;
        memcpy(v[0][t - 1], gtrace.final_v, sizeof v[0][t - 1]);
        memcpy(v[1][t - 1], rtl.final_v, sizeof v[1][t - 1]);
    }
    if (dut_load_model(m)) /* leave the DUT holding the model it was given */
        return -1;
    return write_source(m, steps, 0, path[0]) || write_source(m, steps, 1, path[1]) ? -1 : 0;
}
