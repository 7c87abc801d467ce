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

/* V - floor(V / 2^k), written so that C's implementation-defined right shift of negative
 * values is never used: V + 32768 >= 0, and 2^k divides 32768 (k <= 15), so
 * floor(V / 2^k) = ((V + 32768) >> k) - (32768 >> k) exactly.  Branch-free, so the leak of a
 * whole layer vectorizes. */
int32_t snn_leak(int16_t v, uint8_t leak_shift)
{
    const int32_t x = v, bias = -SNN_MEMBRANE_MIN;
    if (leak_shift == 0)
        return x;
    return x - (((x + bias) >> leak_shift) - (bias >> leak_shift));
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

/* Synaptic sums are gathered in int16 partial sums, which the CPU adds 8-16 at a time, and
 * flushed into the int32 accumulator before they could overflow: after at most
 * SNN_PARTIAL_ROWS rows, |partial| <= SNN_PARTIAL_ROWS * 127 <= 32767.  The sum is exact
 * either way (docs/arith.md step 2); only the order of additions differs. */
#define SNN_PARTIAL_ROWS (32767 / SNN_WEIGHT_MAX)
/* rows added per pass over the partial sums: 4 * 127 fits int16, and the flush period
 * SNN_PARTIAL_ROWS is at least this */
#define SNN_ROWS_PER_PASS 4

/* part (n) += row0 + row1 + row2 + row3 (n), one SNN_LANES-wide word at a time, as the SPRAM
 * delivers it; n is a multiple of SNN_LANES and the padding weights are 0. */
static void snn_add_rows4(int16_t *restrict part, const int8_t *restrict r0, const int8_t *restrict r1,
                          const int8_t *restrict r2, const int8_t *restrict r3, int n)
{
    int j;
SNN_LOOP(integrate_rows)
    for (j = 0; j < n; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        part[j] = (int16_t)(part[j] + ((int16_t)(r0[j] + r1[j]) + (int16_t)(r2[j] + r3[j])));
    }
}

static void snn_add_row(int16_t *restrict part, const int8_t *restrict row, int n)
{
    int j;
SNN_LOOP(integrate_row)
    for (j = 0; j < n; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        part[j] = (int16_t)(part[j] + row[j]);
    }
}

/* acc (n) += part (n); part = 0 */
static void snn_flush(int32_t *restrict acc, int16_t *restrict part, int n)
{
    int j;
SNN_LOOP(flush)
    for (j = 0; j < n; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        acc[j] += part[j];
        part[j] = 0;
    }
}

uint16_t snn_layer_step(const snn_model_t *m, int l, const uint16_t *events, uint16_t n_events,
                        int16_t *v, const int32_t *direct_current, uint16_t *out_events)
{
    const snn_layer_t *ly = &m->layer[l];
    const int n_out = ly->n_out, stride = SNN_PAD_LANES(ly->n_out);
    const int8_t *w = m->weights + ly->weight_offset; /* (I, stride) */
    int32_t acc[SNN_MAX_NEURONS];                     /* (H) */
    int16_t part[SNN_MAX_NEURONS];                    /* (H) partial synaptic sums */
    int16_t th[SNN_MAX_NEURONS];                      /* (H) threshold of each neuron */
    uint8_t fired[SNN_MAX_NEURONS];                   /* (H) */
    const int16_t *thr = m->thresholds + ly->threshold_offset;
    const int reset_zero = ly->reset_mode == SNN_RESET_ZERO;
    uint16_t n_spikes = 0;
    int e, j, rows = 0;

SNN_LOOP(leak)
    for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        acc[j] = snn_leak(v[j], ly->leak_shift);
    }
SNN_LOOP(clear)
    for (j = 0; j < stride; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
        part[j] = 0;
    }
    if (direct_current) {
SNN_LOOP(direct)
        for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
            acc[j] += direct_current[j];
        }
    } else {
        /* event-driven: a spike selects a weight row, no multiply */
SNN_LOOP(integrate4)
        for (e = 0; e + SNN_ROWS_PER_PASS <= n_events; e += SNN_ROWS_PER_PASS) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_INPUTS / SNN_ROWS_PER_PASS
            if (rows + SNN_ROWS_PER_PASS > SNN_PARTIAL_ROWS) {
                snn_flush(acc, part, stride);
                rows = 0;
            }
            snn_add_rows4(part, w + (int32_t)events[e] * stride, w + (int32_t)events[e + 1] * stride,
                          w + (int32_t)events[e + 2] * stride, w + (int32_t)events[e + 3] * stride, stride);
            rows += SNN_ROWS_PER_PASS;
        }
SNN_LOOP(integrate1)
        for (; e < n_events; e++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_ROWS_PER_PASS - 1
            if (rows + 1 > SNN_PARTIAL_ROWS) {
                snn_flush(acc, part, stride);
                rows = 0;
            }
            snn_add_row(part, w + (int32_t)events[e] * stride, stride);
            rows++;
        }
    }
SNN_LOOP(thresholds)
    for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
        th[j] = thr[ly->threshold_mode == SNN_THRESHOLD_NEURON ? j : 0];
    }
SNN_LOOP(fire) /* snn_saturate, then snn_fire, written branch-free */
    for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
#pragma HLS PIPELINE II = 1
        int32_t a = acc[j] + part[j];
        a = a > SNN_MEMBRANE_MAX ? SNN_MEMBRANE_MAX : a;
        a = a < SNN_MEMBRANE_MIN ? SNN_MEMBRANE_MIN : a;
        const int f = a >= th[j];
        fired[j] = (uint8_t)f;
        v[j] = (int16_t)(a - (f ? (reset_zero ? a : th[j]) : 0));
    }
SNN_LOOP(collect)
    for (j = 0; j < n_out; j++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_NEURONS
        out_events[n_spikes] = (uint16_t)j;
        n_spikes = (uint16_t)(n_spikes + fired[j]); /* branch-free compaction */
    }
    return n_spikes;
}
