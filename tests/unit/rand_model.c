/* SPDX-License-Identifier: MIT
 * rand_model.c : random models and images for the tests (rand_model.h).
 */
#include "rand_model.h"

#include <string.h>
#include "model_file.h"

void rand_model(snn_model_t *m, rnd_t *s, int n_layers, const int *sizes, int max_in, int max_h)
{
    int sz[SNN_MAX_LAYERS + 1];
    int l, i, j;
    memset(m, 0, sizeof *m);
    for (l = 0; l <= n_layers; l++)
        sz[l] = sizes ? sizes[l] : rnd_range(s, 1, l == 0 ? max_in : max_h);
    m->steps = (uint8_t)rnd_range(s, 1, 40);
    m->encoding = rnd_range(s, 0, 3) == 0 ? SNN_ENCODING_DIRECT : SNN_ENCODING_RATE;
    m->input_bits = SNN_INPUT_BITS_RAW;   /* test_golden_ref checks both settings on each model */
    for (l = 0; l < n_layers; l++) {
        m->layer[l].leak_shift = (uint8_t)(rnd_range(s, 0, 2) == 0 ? 0 : rnd_range(s, 1, SNN_MAX_LEAK_SHIFT));
        m->layer[l].reset_mode = (uint8_t)rnd_range(s, 0, 1);
        m->layer[l].threshold_mode = (uint8_t)rnd_range(s, 0, 1);
    }
    model_layout(m, n_layers, sz);
    for (l = 0; l < n_layers; l++) {
        const snn_layer_t *ly = &m->layer[l];
        /* weight spread from tiny to full scale; a bias up or down on some layers, so that
         * they fire a lot or drive the membranes into negative saturation; high thresholds
         * with full-scale weights for positive saturation */
        const int thr_kind = rnd_range(s, 0, 4);
        const int wmax = thr_kind == 1 || rnd_range(s, 0, 3) == 0 ? SNN_WEIGHT_MAX : rnd_range(s, 1, 60);
        const int bias_kind = rnd_range(s, 0, 3);
        const int bias = thr_kind == 1 || bias_kind == 0 ? wmax / 2 : bias_kind == 1 ? -wmax / 2 : 0;
        for (i = 0; i < ly->n_in; i++)
            for (j = 0; j < ly->n_out; j++) {
                int w = rnd_range(s, -wmax, wmax) + bias;
                w = w > SNN_WEIGHT_MAX ? SNN_WEIGHT_MAX : w < -SNN_WEIGHT_MAX ? -SNN_WEIGHT_MAX : w;
                m->weights[ly->weight_offset + (uint32_t)i * SNN_PAD_LANES(ly->n_out) + (uint32_t)j] = (int8_t)w;
            }
        for (j = 0; j < model_layer_thresholds(m, l); j++)
            m->thresholds[ly->threshold_offset + j] = (int16_t)(
                thr_kind == 0 ? rnd_range(s, 1, 8) :                       /* fires almost always */
                thr_kind == 1 ? (rnd_range(s, 0, 1) ? SNN_MEMBRANE_MAX : rnd_range(s, 30000, SNN_MEMBRANE_MAX)) :
                rnd_range(s, 1, 2000));
    }
}

void rand_image(uint8_t *px, int n, rnd_t *s)
{
    const int density = rnd_range(s, 0, 100), bright = rnd_range(s, 0, 2);
    int i;
    for (i = 0; i < n; i++)
        px[i] = rnd_range(s, 0, 99) < density
                    ? (uint8_t)(bright == 0 ? 255 : bright == 1 ? rnd_range(s, 0, 255) : rnd_range(s, 200, 255))
                    : 0;
}
