/* SPDX-License-Identifier: MIT
 * snn.h : the bit-exact golden model of the Quantarion LIF accelerator.
 *
 * Plain C99, HLS-friendly: no dynamic memory, no recursion, no function pointers, every loop
 * bounded by a capacity constant from snn_config.def.  The arithmetic is specified in
 * docs/arith.md (normative); this code implements it.  Trainer, host and testbenches call it.
 *
 * Dimension letters: T steps, I inputs of a layer, H neurons of a layer, L layers.
 */
#ifndef SNN_H
#define SNN_H

#include <stdint.h>
#include "snn_config.h"

/* An HLS loop label that compilers do not warn about when nothing jumps to it. */
#define SNN_LOOP(name) name: __attribute__((unused))

/* One fully connected LIF layer. */
typedef struct {
    uint16_t n_in;             /* I */
    uint16_t n_out;            /* H */
    uint8_t leak_shift;        /* k in V -= V >> k; 0 = no leak */
    uint8_t reset_mode;        /* SNN_RESET_SUBTRACT | SNN_RESET_ZERO */
    uint8_t threshold_mode;    /* SNN_THRESHOLD_SHARED | SNN_THRESHOLD_NEURON */
    uint32_t weight_offset;    /* byte offset of this layer in snn_model_t.weights */
    uint16_t threshold_offset; /* index of this layer's first threshold in .thresholds */
} snn_layer_t;

/* The integer model exactly as the accelerator holds it. */
typedef struct {
    uint8_t n_layers;          /* L, 1..SNN_MAX_LAYERS */
    uint8_t steps;             /* T, 1..SNN_MAX_STEPS */
    uint8_t encoding;          /* SNN_ENCODING_RATE | SNN_ENCODING_DIRECT */
    uint8_t exit_mode;         /* SNN_EXIT_OFF | SNN_EXIT_EXACT | SNN_EXIT_LEAD (docs/arith.md) */
    uint8_t exit_lead;         /* lead mode: K, 1..255; else 0 */
    uint8_t exit_min_steps;    /* lead mode: M, 1..T; else 0 */
    uint8_t input_bits;        /* SNN_INPUT_BITS_RAW | SNN_INPUT_BITS_Q4 (pixels quantized) */
    snn_layer_t layer[SNN_MAX_LAYERS];
    /* weights of layer l, input i, neuron j at layer[l].weight_offset + i * SNN_PAD_LANES(H) + j;
     * the padding columns are 0.  This is the SPRAM image: one 64-bit word = SNN_LANES weights. */
    int8_t weights[SNN_WEIGHT_BYTES];
    /* shared mode: one entry per layer; neuron mode: H entries per layer; each in 1..32767 */
    int16_t thresholds[SNN_MAX_TOTAL_NEURONS];
} snn_model_t;

/* Membrane state of every layer during one image. */
typedef struct {
    int16_t v[SNN_MAX_LAYERS][SNN_MAX_NEURONS];              /* (L, H) */
    int32_t direct_current[SNN_MAX_NEURONS];                 /* (H0) direct coding only */
} snn_state_t;

/* The rate coder's generators (see snn_encode_*). */
typedef struct {
    uint32_t s[SNN_ENC_STREAMS];
} snn_encoder_t;

/* What the accelerator reports for one image. */
typedef struct {
    uint8_t counts[SNN_MAX_NEURONS];    /* (H_last) output spike counts over the steps run */
    uint8_t predicted;                  /* argmax counts; tie -> larger final V; tie -> lower index */
    uint8_t steps_used;                 /* steps run: T, or fewer on an early exit */
    /* input spikes seen by layer l at step t: what the event-driven schedule pays for
     * (0 for the steps after an early exit, which are not computed) */
    uint16_t in_spikes[SNN_MAX_STEPS][SNN_MAX_LAYERS];       /* (T, L) */
    uint32_t cycles;                    /* predicted accelerator clocks (snn_cycle_model) */
    /* direct coding: nonzero layer-0 input pixels; the RTL's multiply-accumulate of the current
     * skips the zero pixels (snn_cycle_model needs it) */
    uint32_t nonzero_pixels;
} snn_result_t;

/* Optional full record of one image, for the cycle-by-cycle comparison with the RTL
 * (steps after an early exit: no spikes; final_v: the membranes at the exit). */
typedef struct {
    uint32_t spikes[SNN_MAX_STEPS][SNN_MAX_LAYERS][SNN_WORDS(SNN_MAX_NEURONS)]; /* bit j of neuron j */
    uint32_t input_spikes[SNN_MAX_STEPS][SNN_WORDS(SNN_MAX_INPUTS)];           /* layer-0 input */
    int16_t final_v[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
} snn_trace_t;

/* ---- arithmetic (snn_lif.c) ---- */
int16_t snn_saturate(int32_t x);
int32_t snn_leak(int16_t v, uint8_t leak_shift);
/* Fires when v >= threshold; *v is reset per mode.  Returns 1 on a spike. */
int snn_fire(int16_t *v, int16_t threshold, uint8_t reset_mode);
/* One layer, one step: leak, integrate the input spikes (events: ascending input indices)
 * or, when direct_current is not NULL, that current; saturate, fire, reset.  The indices of
 * the neurons that fired go to out_events (ascending); returns how many fired. */
uint16_t snn_layer_step(const snn_model_t *m, int l, const uint16_t *events, uint16_t n_events,
                        int16_t *v, const int32_t *direct_current, uint16_t *out_events);
int16_t snn_threshold(const snn_model_t *m, int l, int j);

/* ---- input quantization (docs/arith.md "Input quantization") ---- */
/* SNN_INPUT_BITS_Q4: pixel p is seen as SNN_Q4_PIXEL(SNN_Q4_CODE(p)); the link carries the codes */
#define SNN_Q4_CODE(p) ((unsigned)(p) >> 4)
#define SNN_Q4_PIXEL(q) ((unsigned)(q) * 17u)
/* The pixels the network sees: in as they are (SNN_INPUT_BITS_RAW) or quantized (Q4). */
void snn_input_pixels(const snn_model_t *m, const uint8_t *in, uint8_t *out);

/* ---- input encoding (snn_encode.c) ---- */
void snn_encode_seed(snn_encoder_t *e, uint32_t seed);
/* A general-purpose PRNG (tests, synthetic models); the rate coder does not use it. */
uint32_t snn_xorshift32(uint32_t x);
/* The rate coder's generator: one draw = SNN_PIXEL_BITS steps of the Galois LFSR
 * s = (s >> 1) ^ (s & 1 ? SNN_ENC_LFSR_FEEDBACK : 0) (hls/snn_config.def SNN_ENC_LFSR_POLY). */
#define SNN_ENC_LFSR_FEEDBACK (0x80000000u | (uint32_t)SNN_ENC_LFSR_POLY >> 1)
uint32_t snn_lfsr32_step8(uint32_t s);
/* One step of rate coding: pixel i spikes when (next draw of stream i % 8) >> 24 < pixels[i].
 * The indices of the spiking pixels go to events (ascending); returns how many. */
uint16_t snn_encode_rate_step(snn_encoder_t *e, const uint8_t *pixels, int n, uint16_t *events);
/* Direct coding: current[j] = (sum_i w[i][j] * pixels[i] + 128) >> 8, once per image. */
void snn_direct_current(const snn_model_t *m, const uint8_t *pixels, int32_t *current);

/* ---- whole image (snn_infer.c) ---- */
/* Runs pixels (I0) through all layers for T steps.  seed seeds the rate coder (the host
 * uses the image's index in its split).  trace may be NULL. */
void snn_infer(const snn_model_t *m, const uint8_t *pixels, uint32_t seed,
               snn_result_t *r, snn_trace_t *trace);
uint8_t snn_decide(const uint8_t *counts, const int16_t *final_v, int n);
/* The early-exit rule, checked after step t (1..T) once its output spikes are counted:
 * 1 when the model's exit mode stops the image here (docs/arith.md "Early exit"). */
int snn_exit_now(const snn_model_t *m, const uint8_t *counts, int n, int t);

/* ---- cycle model (snn_cycles.c): clocks the RTL takes for one image ---- */
uint32_t snn_cycle_model(const snn_model_t *m, const snn_result_t *r);
/* The weight-bandwidth bound: sum over t, l of in_spikes * ceil(H / SNN_LANES). */
uint32_t snn_bandwidth_bound(const snn_model_t *m, const snn_result_t *r);
/* Nonzero pixels of pixels (n): snn_result_t.nonzero_pixels. */
uint32_t snn_nonzero_pixels(const uint8_t *pixels, int n);

/* ---- the core's byte bus (snn_bus.c) ---- */
/* The SNN_REGION_CONFIG image of m (SNN_CFG_* offsets, little-endian). */
void snn_config_image(const snn_model_t *m, uint8_t regs[SNN_CFG_BYTES]);
/* entry of neuron n of layer `layer` in SNN_REGION_MEMBRANES (2 bytes each) */
uint32_t snn_membrane_slot(const snn_model_t *m, int layer, int n);

/* ---- validation (snn_check.c) ---- */
/* 0 when the model is within capacity and self-consistent, else a negative SNN_E* code. */
int snn_model_check(const snn_model_t *m);
const char *snn_model_error(int code);

#endif
