/* SPDX-License-Identifier: MIT
 * ref_snn.c : docs/arith.md, line by line (ref_snn.h).
 */
#include "ref_snn.h"

#include <string.h>

long ref_floor_div(long a, long b) /* b > 0 */
{
    long q = a / b; /* C truncates towards zero */
    if (a % b != 0 && a < 0)
        q -= 1;
    return q;
}

static int ref_weight(const snn_model_t *m, int l, int i, int j)
{
    const snn_layer_t *ly = &m->layer[l];
    int stride = ((ly->n_out + SNN_LANES - 1) / SNN_LANES) * SNN_LANES;
    return m->weights[ly->weight_offset + i * stride + j];
}

static int ref_threshold(const snn_model_t *m, int l, int j)
{
    const snn_layer_t *ly = &m->layer[l];
    return m->thresholds[ly->threshold_offset + (ly->threshold_mode == SNN_THRESHOLD_NEURON ? j : 0)];
}

static uint32_t ref_key(int g)
{
    return (uint32_t)(0x9E3779B9ull * (uint64_t)(g + 1));
}

void ref_infer(const snn_model_t *m, const uint8_t *raw, uint32_t seed, ref_result_t *r)
{
    static long v[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    static uint32_t pixels[SNN_MAX_INPUTS];
    static unsigned char in[SNN_MAX_INPUTS];
    long current[SNN_MAX_NEURONS];
    uint32_t s[8];
    int L = m->n_layers, T = m->steps, n0 = m->layer[0].n_in;
    int t, l, i, j, g, b;

    memset(r, 0, sizeof *r);
    memset(v, 0, sizeof v);
    /* docs/arith.md "Input quantization": 4-bit inputs see 17 * floor(p / 16) */
    for (i = 0; i < n0; i++)
        pixels[i] = m->input_bits == 4 ? 17u * (raw[i] / 16u) : raw[i];
    for (g = 0; g < 8; g++) {
        s[g] = seed ^ ref_key(g);
        if (s[g] == 0)
            s[g] = ref_key(g);
    }
    if (m->encoding == SNN_ENCODING_DIRECT)
        for (j = 0; j < m->layer[0].n_out; j++) {
            long sum = 0;
            for (i = 0; i < n0; i++)
                sum += (long)ref_weight(m, 0, i, j) * pixels[i];
            current[j] = ref_floor_div(sum + 128, 256);
        }
    for (t = 0; t < T; t++) {
        /* layer-0 input spikes of this step */
        memset(in, 0, sizeof in);
        if (m->encoding == SNN_ENCODING_RATE)
            for (i = 0; i < n0; i++) {
                g = i % 8;
                for (b = 0; b < 8; b++) /* one draw: 8 steps of the Galois LFSR x^32 + x^30 + x^19 + x^8 + 1 */
                    s[g] = (s[g] >> 1) ^ ((s[g] & 1) ? 0xA0040080u : 0);
                in[i] = (s[g] >> 24) < pixels[i];
                r->input_spikes[t][i] = in[i];
            }
        for (l = 0; l < L; l++) {
            const snn_layer_t *ly = &m->layer[l];
            int k = ly->leak_shift;
            for (i = 0; i < ly->n_in; i++)
                r->in_spikes[t][l] += l == 0 ? in[i] : r->spikes[t][l - 1][i];
            for (j = 0; j < ly->n_out; j++) {
                long a = v[l][j];
                if (k > 0)
                    a = a - ref_floor_div(a, 1L << k);                        /* 1. leak */
                if (l == 0 && m->encoding == SNN_ENCODING_DIRECT)
                    a += current[j];                                           /* 2. integrate */
                else
                    for (i = 0; i < ly->n_in; i++)
                        if (l == 0 ? in[i] : r->spikes[t][l - 1][i])
                            a += ref_weight(m, l, i, j);
                if (a > 32767) { a = 32767; r->sat_high++; }                    /* 3. saturate */
                if (a < -32768) { a = -32768; r->sat_low++; }
                if (a >= ref_threshold(m, l, j)) {                             /* 4. fire */
                    r->spikes[t][l][j] = 1;
                    a = ly->reset_mode == SNN_RESET_ZERO ? 0 : a - ref_threshold(m, l, j); /* 5. reset */
                }
                v[l][j] = a;
            }
        }
        for (j = 0; j < m->layer[L - 1].n_out; j++)
            r->counts[j] += r->spikes[t][L - 1][j];
    }
    for (l = 0; l < L; l++)
        for (j = 0; j < m->layer[l].n_out; j++)
            r->final_v[l][j] = (int)v[l][j];
    r->predicted = 0;
    for (j = 1; j < m->layer[L - 1].n_out; j++) {
        int best = r->predicted;
        if (r->counts[j] > r->counts[best] ||
            (r->counts[j] == r->counts[best] && r->final_v[L - 1][j] > r->final_v[L - 1][best]))
            r->predicted = j;
    }
}
