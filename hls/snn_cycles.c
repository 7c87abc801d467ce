/* SPDX-License-Identifier: MIT
 * snn_cycles.c : clocks the RTL takes for one image, and the weight-bandwidth bound.
 * The schedule behind snn_cycle_model is rtl/core/snn_seq.v, described in docs/accelerator.md:
 * an image starts with a layout walk of SNN_MAX_LAYERS + 2 clocks, then every pass costs two
 * setup clocks, N issue clocks and 5 drain clocks.
 */
#include "snn.h"

/* clocks a pass costs beyond its issue clocks: 2 setup + 5 drain (rtl/core/snn_seq.v) */
#define SNN_PASS_OVERHEAD 7
/* the layout walk at the start of an image: one clock per layer record + 2 (rtl/core/snn_seq.v) */
#define SNN_LAYOUT_CLOCKS (SNN_MAX_LAYERS + 2)

static uint32_t snn_groups(int n) { return (uint32_t)((n + SNN_LANES - 1) / SNN_LANES); }

/* Issue clocks per input event: one per lane group, at least 2 (a one-group layer's events are
 * spaced by a bubble clock so that no two consecutive adds hit the same lane word). */
static uint32_t snn_event_clocks(int n) { uint32_t g = snn_groups(n); return g < 2 ? 2 : g; }

/* A pass of n issue clocks (an empty one still takes one). */
static uint32_t snn_pass(uint32_t n) { return (n ? n : 1) + SNN_PASS_OVERHEAD; }

uint32_t snn_pixel_bits(const uint8_t *pixels, int n)
{
    uint32_t bits = 0;
    int i, b;
    for (i = 0; i < n; i++)
        for (b = 0; b < 8; b++)
            bits += (pixels[i] >> b) & 1u;
    return bits;
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
    int t, l, b;

    for (l = 0; l <= last; l++)
        groups += snn_groups(m->layer[l].n_out);
    cycles += snn_pass(groups); /* PASS_CLEAR */
    if (direct) {
        cycles += snn_pass(g0); /* PASS_SET */
        for (b = 0; b < 8; b++)
            cycles += snn_pass(g0) + snn_pass(w0) + SNN_PASS_OVERHEAD + w0; /* HALVE, PSCAN, PEVT looks */
        cycles += r->direct_bits * snn_event_clocks(m->layer[0].n_out);     /* PEVT row adds */
        cycles += snn_pass(g0) + snn_pass((uint32_t)m->layer[0].n_out);     /* CSTORE, CINIT (serial) */
    }
    for (t = 0; t < r->steps_used; t++) { /* the steps run: T, or fewer on an early exit */
        if (!direct)
            cycles += snn_pass(w0); /* PASS_SCAN */
        for (l = 0; l <= last; l++) {
            if (l > 0 || !direct) /* PASS_EVT: one look per bitmap word, G clocks per input spike */
                cycles += SNN_PASS_OVERHEAD + snn_groups(m->layer[l].n_in) +
                          r->in_spikes[t][l] * snn_event_clocks(m->layer[l].n_out);
            cycles += snn_pass(m->layer[l].n_out); /* PASS_FIRE */
        }
    }
    cycles += snn_pass(m->layer[last].n_out); /* PASS_DECIDE */
    return cycles;
}
