/* SPDX-License-Identifier: MIT
 * snn_infer.c : one image through all layers for T steps (or until the early exit), and the
 * decision and early-exit rules (docs/arith.md).
 */
#include "snn.h"

uint8_t snn_decide(const uint8_t *counts, const int16_t *final_v, int n)
{
    int best = 0, j;
SNN_LOOP(argmax)
    for (j = 1; j < SNN_MAX_NEURONS; j++) {
        if (j >= n)
            break;
        if (counts[j] > counts[best] || (counts[j] == counts[best] && final_v[j] > final_v[best]))
            best = j;
    }
    return (uint8_t)best;
}

int snn_exit_now(const snn_model_t *m, const uint8_t *counts, int n, int t)
{
    int a = 0, b = 0, j; /* a: the largest count; b: the largest among the other neurons */
    if (m->exit_mode == SNN_EXIT_OFF)
        return 0;
SNN_LOOP(top_two)
    for (j = 0; j < SNN_MAX_NEURONS; j++) {
        if (j >= n)
            break;
        if (counts[j] > a) {
            b = a;
            a = counts[j];
        } else if (counts[j] > b) {
            b = counts[j];
        }
    }
    if (m->exit_mode == SNN_EXIT_EXACT)
        return a - b > m->steps - t; /* no other neuron can reach even a tie in the steps left */
    return t >= m->exit_min_steps && a - b >= m->exit_lead;
}

static void snn_pack_events(const uint16_t *events, uint16_t n_events, int n, uint32_t *words)
{
    int i;
    for (i = 0; i < SNN_WORDS(n); i++)
        words[i] = 0;
    for (i = 0; i < n_events; i++)
        words[events[i] / 32] |= 1u << (events[i] % 32);
}

void snn_infer(const snn_model_t *m, const uint8_t *raw, uint32_t seed,
               snn_result_t *r, snn_trace_t *trace)
{
    uint8_t pixels[SNN_MAX_INPUTS]; /* (I0) what the network sees (docs/arith.md) */
    static snn_state_t st; /* static: 36 KiB is too much for an embedded stack */
    snn_encoder_t enc;
    uint16_t in_events[SNN_MAX_INPUTS];
    uint16_t events[SNN_MAX_LAYERS][SNN_MAX_NEURONS]; /* (L, H) spiking neurons of this step */
    uint16_t n_events[SNN_MAX_LAYERS];
    uint16_t n_in_events = 0;
    const int last = m->n_layers - 1;
    const int direct = m->encoding == SNN_ENCODING_DIRECT;
    int t, l, j;

    for (l = 0; l < SNN_MAX_LAYERS; l++)
        for (j = 0; j < SNN_MAX_NEURONS; j++)
            st.v[l][j] = 0;
    for (j = 0; j < SNN_MAX_NEURONS; j++)
        r->counts[j] = 0;
    snn_input_pixels(m, raw, pixels);
    snn_encode_seed(&enc, seed);
    if (direct)
        snn_direct_current(m, pixels, st.direct_current);

SNN_LOOP(steps)
    for (t = 0; t < m->steps; t++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_STEPS
        if (!direct) {
            n_in_events = snn_encode_rate_step(&enc, pixels, m->layer[0].n_in, in_events);
            if (trace)
                snn_pack_events(in_events, n_in_events, m->layer[0].n_in, trace->input_spikes[t]);
        }
SNN_LOOP(layers)
        for (l = 0; l <= last; l++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_LAYERS
            const uint16_t *in = l == 0 ? in_events : events[l - 1];
            const uint16_t n_in = l == 0 ? n_in_events : n_events[l - 1];
            r->in_spikes[t][l] = n_in;
            n_events[l] = snn_layer_step(m, l, in, n_in, st.v[l],
                                         l == 0 && direct ? st.direct_current : 0, events[l]);
            if (trace)
                snn_pack_events(events[l], n_events[l], m->layer[l].n_out, trace->spikes[t][l]);
        }
        for (j = 0; j < n_events[last]; j++)
            r->counts[events[last][j]]++;
        if (snn_exit_now(m, r->counts, m->layer[last].n_out, t + 1))
            break;
    }
    r->steps_used = (uint8_t)(t < m->steps ? t + 1 : m->steps);
SNN_LOOP(skipped_steps) /* not computed after an early exit */
    for (t = r->steps_used; t < m->steps; t++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_STEPS
        for (l = 0; l <= last; l++) {
            r->in_spikes[t][l] = 0;
            if (trace)
                snn_pack_events(events[l], 0, m->layer[l].n_out, trace->spikes[t][l]);
        }
        if (trace)
            snn_pack_events(in_events, 0, m->layer[0].n_in, trace->input_spikes[t]);
    }
    if (trace)
        for (l = 0; l <= last; l++)
            for (j = 0; j < m->layer[l].n_out; j++)
                trace->final_v[l][j] = st.v[l][j];
    r->predicted = snn_decide(r->counts, st.v[last], m->layer[last].n_out);
    r->nonzero_pixels = direct ? snn_nonzero_pixels(pixels, m->layer[0].n_in) : 0;
    r->cycles = snn_cycle_model(m, r);
}
