/* SPDX-License-Identifier: MIT
 * snn_encode.c : input encoders, rate (on-chip Galois LFSR streams) and direct (docs/arith.md).
 */
#include "snn.h"

/* Stream g starts at seed ^ K_g (docs/arith.md "Input encoding"); the K_g are the fractional
 * digits of the golden ratio times (g + 1), so the eight streams of one image never coincide. */
static const uint32_t snn_stream_key[SNN_ENC_STREAMS] = {
    0x9E3779B9u, 0x3C6EF372u, 0xDAA66D2Bu, 0x78DDE6E4u,
    0x1715609Du, 0xB54CDA56u, 0x5384540Fu, 0xF1BBCDC8u,
};

uint32_t snn_xorshift32(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

/* SNN_PIXEL_BITS steps of the Galois LFSR (hls/snn_config.def): a draw shifts in as many fresh
 * bits as the comparison uses.  Linear, so 0 maps to 0 and nothing else does. */
uint32_t snn_lfsr32_step8(uint32_t s)
{
    int k;
SNN_LOOP(lfsr_steps)
    for (k = 0; k < SNN_PIXEL_BITS; k++) {
#pragma HLS UNROLL
        s = (s >> 1) ^ (SNN_ENC_LFSR_FEEDBACK & (0u - (s & 1u)));
    }
    return s;
}

void snn_encode_seed(snn_encoder_t *e, uint32_t seed)
{
    int g;
    for (g = 0; g < SNN_ENC_STREAMS; g++) {
#pragma HLS UNROLL
        uint32_t s = seed ^ snn_stream_key[g];
        e->s[g] = s ? s : snn_stream_key[g]; /* an LFSR must never hold 0 */
    }
}

/* Three passes, each a simple loop that a compiler vectorizes or an HLS tool pipelines: the
 * generator values, the comparisons, and the compaction of the spiking indices.
 * Pixel i takes the next value of stream i % 8, i.e. the value after pixel i - 8's:
 * rnd[i] = snn_lfsr32_step8(rnd[i - 8]), a recurrence of distance 8 (8 streams side by side). */
uint16_t snn_encode_rate_step(snn_encoder_t *e, const uint8_t *pixels, int n, uint16_t *events)
{
    uint32_t rnd[SNN_MAX_INPUTS];  /* (I) pixel i's generator value */
    uint8_t spike[SNN_MAX_INPUTS]; /* (I) 1 when pixel i spikes */
    uint16_t n_events = 0;
    int i, g;
SNN_LOOP(first_values)
    for (g = 0; g < SNN_ENC_STREAMS; g++) {
#pragma HLS UNROLL
        if (g >= n)
            break;
        rnd[g] = snn_lfsr32_step8(e->s[g]);
    }
SNN_LOOP(values)
    for (i = SNN_ENC_STREAMS; i < n; i++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_INPUTS - SNN_ENC_STREAMS
#pragma HLS PIPELINE II = 1
        rnd[i] = snn_lfsr32_step8(rnd[i - SNN_ENC_STREAMS]);
    }
SNN_LOOP(save) /* each stream keeps the value of the last pixel it served */
    for (g = 0; g < SNN_ENC_STREAMS; g++) {
#pragma HLS UNROLL
        if (g >= n)
            break;
        e->s[g] = rnd[g + (n - 1 - g) / SNN_ENC_STREAMS * SNN_ENC_STREAMS];
    }
SNN_LOOP(compare)
    for (i = 0; i < n; i++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_INPUTS
#pragma HLS PIPELINE II = 1
        spike[i] = (uint8_t)((rnd[i] >> 24) < pixels[i]);
    }
SNN_LOOP(collect) /* a group of SNN_ENC_STREAMS pixels without a spike costs one test */
    for (i = 0; i < n; i += SNN_ENC_STREAMS) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_INPUTS / SNN_ENC_STREAMS
        const int m = n - i < SNN_ENC_STREAMS ? n - i : SNN_ENC_STREAMS;
        uint8_t any = 0;
        for (g = 0; g < m; g++)
            any |= spike[i + g];
        if (!any)
            continue;
SNN_LOOP(compact)
        for (g = 0; g < m; g++) {
#pragma HLS UNROLL
            events[n_events] = (uint16_t)(i + g);
            n_events = (uint16_t)(n_events + spike[i + g]); /* branch-free compaction */
        }
    }
    return n_events;
}

void snn_direct_current(const snn_model_t *m, const uint8_t *pixels, int32_t *current)
{
    const snn_layer_t *ly = &m->layer[0];
    const int stride = SNN_PAD_LANES(ly->n_out);
    const int8_t *w = m->weights + ly->weight_offset; /* (I, stride) */
    int i, j;
SNN_LOOP(columns)
    for (j = 0; j < SNN_MAX_NEURONS; j++) {
        if (j >= ly->n_out)
            break;
        int32_t sum = 0;
SNN_LOOP(rows)
        for (i = 0; i < SNN_MAX_INPUTS; i++) {
            if (i >= ly->n_in)
                break;
            sum += (int32_t)w[(int32_t)i * stride + j] * pixels[i];
        }
        /* sum + 2^(s-1) >= -2^31/2: floor division written without a negative shift */
        int32_t biased = sum + (1 << (SNN_DIRECT_SHIFT - 1));
        current[j] = biased >= 0 ? biased >> SNN_DIRECT_SHIFT
                                 : -((-biased + (1 << SNN_DIRECT_SHIFT) - 1) >> SNN_DIRECT_SHIFT);
    }
}

void snn_input_pixels(const snn_model_t *m, const uint8_t *in, uint8_t *out)
{
    int i;
SNN_LOOP(quantize)
    for (i = 0; i < m->layer[0].n_in; i++) {
#pragma HLS LOOP_TRIPCOUNT max = SNN_MAX_INPUTS
        out[i] = m->input_bits == SNN_INPUT_BITS_Q4 ? (uint8_t)SNN_Q4_PIXEL(SNN_Q4_CODE(in[i])) : in[i];
    }
}
