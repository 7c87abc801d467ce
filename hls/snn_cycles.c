/* SPDX-License-Identifier: MIT
 * snn_cycles.c : clocks the RTL takes for one image, and the weight-bandwidth bound.
 * The schedule behind snn_cycle_model is described in docs/accelerator.md.
 */
#include "snn.h"

static uint32_t snn_groups(int n) { return (uint32_t)((n + SNN_LANES - 1) / SNN_LANES); }

uint32_t snn_bandwidth_bound(const snn_model_t *m, const snn_result_t *r)
{
    uint32_t bound = 0;
    int t, l;
    for (t = 0; t < m->steps; t++)
        for (l = 0; l < m->n_layers; l++)
            bound += r->in_spikes[t][l] * snn_groups(m->layer[l].n_out);
    return bound;
}

/* TODO(rtl issue): replace with the RTL's real schedule once rtl/ exists.  Until then this
 * is the bandwidth bound and make sim cannot pass on cycles. */
uint32_t snn_cycle_model(const snn_model_t *m, const snn_result_t *r)
{
    return snn_bandwidth_bound(m, r);
}
