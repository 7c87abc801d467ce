/* SPDX-License-Identifier: MIT
 * random_model.c : random valid models and inputs (see random_model.h).
 */
#include "random_model.h"

#include <stdio.h>
#include <string.h>

/* a layer size: mostly small, sometimes up to the limit */
static int rnd_size(rnd_t *r, int max)
{
    switch (rnd_range(r, 0, 3)) {
    case 0: return rnd_range(r, 1, max < 12 ? max : 12);
    case 1: return rnd_range(r, 1, max < 64 ? max : 64);
    default: return rnd_range(r, 1, max);
    }
}

static int8_t rnd_weight(rnd_t *r, int style)
{
    switch (style) {
    case 0: return (int8_t)rnd_range(r, -SNN_WEIGHT_MAX, SNN_WEIGHT_MAX);
    case 1: return (int8_t)(rnd_range(r, 0, 1) ? SNN_WEIGHT_MAX : -SNN_WEIGHT_MAX); /* extremes */
    case 2: return (int8_t)(rnd_range(r, 0, 7) ? 0 : rnd_range(r, -SNN_WEIGHT_MAX, SNN_WEIGHT_MAX));
    default: return (int8_t)rnd_range(r, -20, 60); /* excitatory bias: many spikes */
    }
}

static int16_t rnd_threshold(rnd_t *r)
{
    switch (rnd_range(r, 0, 3)) {
    case 0: return (int16_t)rnd_range(r, 1, 64);
    case 1: return (int16_t)rnd_range(r, 1, 2000);
    case 2: return (int16_t)rnd_range(r, 1, 32767);
    default: return (int16_t)(rnd_range(r, 0, 1) ? 32767 : 1);
    }
}

int random_model(rnd_t *r, snn_model_t *m, int max_steps)
{
    return random_model_sized(r, m, max_steps, SNN_MAX_INPUTS);
}

int random_model_sized(rnd_t *r, snn_model_t *m, int max_steps, int max_size)
{
    int tries, l, i, j;
    for (tries = 0; tries < 1000; tries++) {
        int sizes[SNN_MAX_LAYERS + 1];
        uint32_t bytes = 0, neurons = 0;
        uint16_t toff = 0;
        memset(m, 0, sizeof *m);
        m->n_layers = (uint8_t)rnd_range(r, 1, SNN_MAX_LAYERS);
        m->steps = (uint8_t)(rnd_range(r, 0, 9) || max_size < SNN_MAX_INPUTS ? rnd_range(r, 1, max_steps)
                                                                   : rnd_range(r, 1, SNN_MAX_STEPS));
        m->encoding = (uint8_t)(rnd_range(r, 0, 2) ? SNN_ENCODING_RATE : SNN_ENCODING_DIRECT);
        m->exit_mode = (uint8_t)rnd_range(r, SNN_EXIT_OFF, SNN_EXIT_LEAD);
        if (m->exit_mode == SNN_EXIT_LEAD) { /* small leads and minimums exit early, large ones rarely */
            m->exit_lead = (uint8_t)(rnd_range(r, 0, 3) ? rnd_range(r, 1, 2) : rnd_range(r, 1, 255));
            m->exit_min_steps = (uint8_t)(rnd_range(r, 0, 1) ? rnd_range(r, 1, m->steps < 3 ? m->steps : 3)
                                                              : rnd_range(r, 1, m->steps));
        }
        m->input_bits = (uint8_t)(rnd_range(r, 0, 2) ? SNN_INPUT_BITS_RAW : SNN_INPUT_BITS_Q4);
        sizes[0] = rnd_size(r, max_size < SNN_MAX_INPUTS ? max_size : SNN_MAX_INPUTS);
        for (l = 1; l <= m->n_layers; l++)
            sizes[l] = rnd_size(r, l == m->n_layers ? (max_size < 256 ? max_size : 256)
                                                     : (max_size < SNN_MAX_NEURONS ? max_size : SNN_MAX_NEURONS));
        for (l = 0; l < m->n_layers; l++) {
            bytes += (uint32_t)sizes[l] * SNN_PAD_LANES(sizes[l + 1]);
            neurons += (uint32_t)sizes[l + 1];
        }
        if (bytes > SNN_WEIGHT_BYTES || neurons > SNN_MAX_TOTAL_NEURONS)
            continue;
        /* long runs only for small models (simulation time) */
        if ((uint64_t)m->steps * bytes > 4000000ull)
            continue;
        bytes = 0;
        for (l = 0; l < m->n_layers; l++) {
            snn_layer_t *ly = &m->layer[l];
            const int stride = SNN_PAD_LANES(sizes[l + 1]), style = rnd_range(r, 0, 3);
            ly->n_in = (uint16_t)sizes[l];
            ly->n_out = (uint16_t)sizes[l + 1];
            ly->leak_shift = (uint8_t)(rnd_range(r, 0, 2) ? rnd_range(r, 0, SNN_MAX_LEAK_SHIFT) : 0);
            ly->reset_mode = (uint8_t)rnd_range(r, SNN_RESET_SUBTRACT, SNN_RESET_ZERO);
            ly->threshold_mode = (uint8_t)rnd_range(r, SNN_THRESHOLD_SHARED, SNN_THRESHOLD_NEURON);
            ly->weight_offset = bytes;
            ly->threshold_offset = toff;
            for (i = 0; i < ly->n_in; i++)
                for (j = 0; j < ly->n_out; j++)
                    m->weights[bytes + (uint32_t)i * stride + j] = rnd_weight(r, style);
            bytes += (uint32_t)ly->n_in * stride;
            for (j = 0; j < (ly->threshold_mode == SNN_THRESHOLD_NEURON ? ly->n_out : 1); j++)
                m->thresholds[toff++] = rnd_threshold(r);
        }
        if (snn_model_check(m) == 0)
            return 0;
        fprintf(stderr, "random_model: generated an invalid model (%s)\n", snn_model_error(snn_model_check(m)));
        return -1;
    }
    fprintf(stderr, "random_model: no model within capacity after 1000 tries\n");
    return -1;
}

void random_pixels(rnd_t *r, uint8_t *pixels, int n)
{
    const int style = rnd_range(r, 0, 5);
    int i;
    for (i = 0; i < n; i++)
        switch (style) {
        case 0: pixels[i] = 255; break;
        case 1: pixels[i] = 0; break;
        case 2: pixels[i] = (uint8_t)(rnd_range(r, 0, 4) ? 0 : rnd_range(r, 128, 255)); break;
        default: pixels[i] = (uint8_t)rnd_u32(r); break;
        }
}
