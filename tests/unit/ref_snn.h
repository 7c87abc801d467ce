/* SPDX-License-Identifier: MIT
 * ref_snn.h : an independent, deliberately plain re-implementation of docs/arith.md, written
 * from the spec (not from hls/) so that the tests can pin the golden model's results: dense
 * loops over every input, explicit floor division, no event lists, no clever accumulation.
 */
#ifndef REF_SNN_H
#define REF_SNN_H

#include "snn.h"

typedef struct {
    int counts[SNN_MAX_NEURONS];                 /* (H_last) */
    int predicted;
    int in_spikes[SNN_MAX_STEPS][SNN_MAX_LAYERS]; /* (T, L) input events per layer and step */
    int final_v[SNN_MAX_LAYERS][SNN_MAX_NEURONS]; /* (L, H) */
    /* spikes[t][l][j]: neuron j of layer l fired at step t */
    unsigned char spikes[SNN_MAX_STEPS][SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    unsigned char input_spikes[SNN_MAX_STEPS][SNN_MAX_INPUTS];
    int sat_high, sat_low;   /* how often step 3 clipped (so tests can show they reach it) */
} ref_result_t;

long ref_floor_div(long a, long b);
void ref_infer(const snn_model_t *m, const uint8_t *pixels, uint32_t seed, ref_result_t *r);

#endif
