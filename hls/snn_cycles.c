/* SPDX-License-Identifier: MIT
 * snn_cycles.c : clocks the RTL takes for one image, and the weight-bandwidth bound.
 * The schedule behind snn_cycle_model is rtl/core/snn_seq.v, described in docs/accelerator.md:
 * an image starts with a layout walk of SNN_LAYOUT_CLOCKS, then every pass costs SNN_PASS_SETUP
 * setup clocks, N issue clocks and SNN_PASS_DRAIN drain clocks (all in hls/snn_config.def).
 */
#include "snn.h"

/* clocks a pass costs beyond its issue clocks */
#define SNN_PASS_OVERHEAD (SNN_PASS_SETUP + SNN_PASS_DRAIN)

static uint32_t snn_groups(int n) { return (uint32_t)((n + SNN_LANES - 1) / SNN_LANES); }

/* Issue clocks per event of a layer of n neurons: one per lane group, at least SNN_EVT_SPACING
 * (two DSP adds on one lane word are that far apart). */
static uint32_t snn_event_clocks(int n)
{
    const uint32_t g = snn_groups(n);
    return g < SNN_EVT_SPACING ? SNN_EVT_SPACING : g;
}

/* A pass of n issue clocks (an empty one still takes one). */
static uint32_t snn_pass(uint32_t n) { return (n ? n : 1) + SNN_PASS_OVERHEAD; }

/* An event pass: one look clock per bitmap word of the n_in inputs, then the events. */
static uint32_t snn_event_pass(int n_in, uint32_t events, uint32_t per_event)
{
    return SNN_PASS_OVERHEAD + snn_groups(n_in) + events * per_event;
}

uint32_t snn_nonzero_pixels(const uint8_t *pixels, int n)
{
    uint32_t nz = 0;
    int i;
    for (i = 0; i < n; i++)
        nz += pixels[i] != 0;
    return nz;
}

uint32_t snn_bandwidth_bound(const snn_model_t *m, const snn_result_t *r)
{
    uint32_t bound = 0;
    int t, l;
    for (t = 0; t < r->steps_used; t++)
        for (l = 0; l < m->n_layers; l++)
            bound += r->in_spikes[t][l] * snn_groups(m->layer[l].n_out);
    return bound;
}

uint32_t snn_cycle_model(const snn_model_t *m, const snn_result_t *r)
{
    const int last = m->n_layers - 1;
    const int direct = m->encoding == SNN_ENCODING_DIRECT;
    const uint32_t g0 = snn_groups(m->layer[0].n_out), w0 = snn_groups(m->layer[0].n_in);
    uint32_t cycles = 1 + SNN_LAYOUT_CLOCKS, groups = 0; /* the i_start clock, the layout walk */
    int t, l;

    for (l = 0; l <= last; l++)
        groups += snn_groups(m->layer[l].n_out);
    cycles += snn_pass(groups); /* PASS_CLEAR */
    if (direct) /* CSET, NZSCAN, MAC: the current of every layer-0 neuron, once per image */
        cycles += snn_pass(g0) + snn_pass(w0) +
                  snn_event_pass(m->layer[0].n_in, r->nonzero_pixels, snn_event_clocks(m->layer[0].n_out));
    for (t = 0; t < r->steps_used; t++) { /* the steps run: T, or fewer on an early exit */
        if (!direct)
            cycles += snn_pass(w0); /* PASS_SCAN */
        for (l = 0; l <= last; l++) {
            const snn_layer_t *ly = &m->layer[l];
            if (l > 0 || !direct) { /* an event layer: LEAK (after the first step), EVT */
                if (t > 0)
                    cycles += snn_pass(ly->n_out);
                cycles += snn_event_pass(ly->n_in, r->in_spikes[t][l], snn_event_clocks(ly->n_out));
            }
            cycles += snn_pass(ly->n_out); /* PASS_FIRE */
        }
        if (m->exit_mode != SNN_EXIT_OFF && t < m->steps - 1)
            cycles += SNN_EXIT_CLOCKS; /* the early-exit check after the output layer's fire pass */
    }
    cycles += snn_pass(m->layer[last].n_out); /* PASS_DECIDE */
    return cycles;
}
