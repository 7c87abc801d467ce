/* SPDX-License-Identifier: MIT
 * snn_lif.c : the LIF arithmetic of one layer and one timestep (docs/arith.md).
 */
#include "snn.h"

int16_t snn_saturate(int32_t x)
{
    if (x > SNN_MEMBRANE_MAX)
        return SNN_MEMBRANE_MAX;
    if (x < SNN_MEMBRANE_MIN)
        return SNN_MEMBRANE_MIN;
    return (int16_t)x;
}

/* V - (V >> k) with an arithmetic (floor) shift, written so that C's implementation-defined
 * right shift of negative values is never used. */
int32_t snn_leak(int16_t v, uint8_t leak_shift)
{
    int32_t x = v;
    int32_t shifted;
    if (leak_shift == 0)
        return x;
    if (x >= 0)
        shifted = x >> leak_shift;
    else
        shifted = -((-x + (1 << leak_shift) - 1) >> leak_shift); /* floor(x / 2^k) */
    return x - shifted;
}

int snn_fire(int16_t *v, int16_t threshold, uint8_t reset_mode)
{
    if (*v < threshold)
        return 0;
    if (reset_mode == SNN_RESET_ZERO)
        *v = 0;
    else
        *v = (int16_t)(*v - threshold); /* v >= threshold > 0: cannot underflow */
    return 1;
}

int16_t snn_threshold(const snn_model_t *m, int l, int j)
{
    const snn_layer_t *ly = &m->layer[l];
    return m->thresholds[ly->threshold_offset + (ly->threshold_mode == SNN_THRESHOLD_NEURON ? j : 0)];
}

/* acc (n) += row (n), one SNN_LANES-wide word at a time, as the SPRAM delivers it;
 * n is a multiple of SNN_LANES and the padding weights are 0. */
static void snn_add_row(int32_t *restrict acc, const int8_t *restrict row, int n)
{
    int g, k;
SNN_LOOP(integrate_row)
    for (g = 0; g < n; g += SNN_LANES) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS / SNN_LANES
#pragma HLS PIPELINE II = 1
SNN_LOOP(lanes)
        for (k = 0; k < SNN_LANES; k++)
            acc[g + k] += row[g + k];
    }
}

uint16_t snn_layer_step(const snn_model_t *m, int l, const uint16_t *events, uint16_t n_events,
                        int16_t *v, const int32_t *direct_current, uint16_t *out_events)
{
    const snn_layer_t *ly = &m->layer[l];
    const int n_out = ly->n_out, stride = SNN_PAD_LANES(ly->n_out);
    const int8_t *w = m->weights + ly->weight_offset; /* (I, stride) */
    int32_t acc[SNN_MAX_NEURONS];                     /* (H) */
    uint16_t n_spikes = 0;
    int e, j;

SNN_LOOP(leak)
    for (j = 0; j < stride; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        acc[j] = j < n_out ? snn_leak(v[j], ly->leak_shift) : 0;
    }
    if (direct_current) {
SNN_LOOP(direct)
        for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
            acc[j] += direct_current[j];
        }
    } else {
SNN_LOOP(integrate) /* event-driven: a spike selects a weight row, no multiply */
        for (e = 0; e < n_events; e++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_INPUTS
            snn_add_row(acc, w + (int32_t)events[e] * stride, stride);
        }
    }
SNN_LOOP(fire)
    for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        int16_t vj = snn_saturate(acc[j]);
        if (snn_fire(&vj, snn_threshold(m, l, j), ly->reset_mode))
            out_events[n_spikes++] = (uint16_t)j;
        v[j] = vj;
    }
    return n_spikes;
}
