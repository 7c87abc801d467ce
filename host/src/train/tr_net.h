/* SPDX-License-Identifier: MIT
 * tr_net.h : the trainer's LIF network: parameters, one sample's forward and backward pass.
 *
 * One forward code computes both phases.  In float mode it is a float LIF (leak V *= 1 - 2^-k).
 * In integer mode (QAT) weights and thresholds are integer-valued floats in units of the weight
 * scale and the arithmetic is docs/arith.md's: floor-shift leak, 16-bit saturation, fire,
 * reset.  Every value stays an integer below 2^24, so float holds it exactly and the result
 * equals snn_infer bit for bit (tests/train/test_qat_golden.c).  The backward pass uses
 * straight-through estimators for floor/round/clamp and a surrogate for the spike.
 *
 * Dimension letters: B batch, T steps, I inputs of a layer, H neurons, Hp = H padded to
 * SNN_LANES (the row stride, as in snn_model_t), L layers.
 */
#ifndef TR_NET_H
#define TR_NET_H

#include <stddef.h>
#include <stdint.h>
#include "snn.h"

enum { TR_SURR_FAST_SIGMOID = 0, TR_SURR_ARCTAN = 1 };
enum { TR_LOSS_COUNT = 0, TR_LOSS_MEMBRANE = 1 };

typedef struct {
    int n_layers;                    /* L */
    int sizes[SNN_MAX_LAYERS + 1];   /* I0, H0, H1, ... */
    int steps;                       /* T */
    int encoding;                    /* SNN_ENCODING_RATE | SNN_ENCODING_DIRECT */
    int input_bits;                  /* SNN_INPUT_BITS_RAW | SNN_INPUT_BITS_Q4 */
    int leak_shift[SNN_MAX_LAYERS];
    int reset_mode[SNN_MAX_LAYERS];
    float theta;                     /* float threshold of every neuron */
    int surrogate;                   /* TR_SURR_* */
    float slope;                     /* surrogate slope (on u = (U - thr) / thr) */
    int loss;                        /* TR_LOSS_* */
    float logit_scale;               /* logits = logit_scale * counts (or normalised membrane) */
} net_config_t;

/* One allocation, one struct of pointers into it: parameters, gradients, optimizer moments. */
typedef struct {
    float *w[SNN_MAX_LAYERS];        /* (I, Hp) per layer; padding columns stay 0 */
    float *mem;
    size_t n;                        /* floats in mem */
} tensors_t;

/* What the forward pass runs with: float weights or integer-valued quantized ones. */
typedef struct {
    const float *w[SNN_MAX_LAYERS];  /* (I, Hp) */
    const float *thr[SNN_MAX_LAYERS];/* (Hp) threshold per neuron, in the same units */
    const float *unit[SNN_MAX_LAYERS];/* (Hp) float value of one unit (the weight scale; 1 in float) */
    int integer;                     /* 1: docs/arith.md arithmetic (floor leak, saturation) */
} net_view_t;

/* Ranges seen by one or more forward passes, per layer, for the observers and the scale
 * report: the per-step input current and the membrane before saturation, in float units
 * (value * unit), and the membrane's peak in the view's own units (integer headroom). */
typedef struct {
    float cur_lo[SNN_MAX_LAYERS], cur_hi[SNN_MAX_LAYERS];
    float mem_lo[SNN_MAX_LAYERS], mem_hi[SNN_MAX_LAYERS];
    float mem_peak[SNN_MAX_LAYERS];
    uint64_t saturated[SNN_MAX_LAYERS];  /* neuron-steps clipped by saturation */
    uint64_t spikes[SNN_MAX_LAYERS];     /* spikes fired */
    uint64_t samples;
} net_stats_t;

void net_stats_reset(net_stats_t *s);
void net_stats_merge(net_stats_t *into, const net_stats_t *from);

/* Per-thread scratch for one sample (sized once by net_work_alloc). */
typedef struct {
    int T, tw;                                   /* steps, 64-bit words per T-bit mask */
    uint8_t *pixels;                             /* (I0) this sample's (augmented) image */
    uint16_t *ev[SNN_MAX_LAYERS + 1];            /* (T, size) input events of layer l: ev[l] */
    uint16_t *nev[SNN_MAX_LAYERS + 1];           /* (T) */
    float *u[SNN_MAX_LAYERS];                    /* (T, Hp) membrane after integrate+saturate */
    uint8_t *sat[SNN_MAX_LAYERS];                /* (T, Hp) 1 where saturation clipped */
    float *vfinal[SNN_MAX_LAYERS];               /* (Hp) membrane after step T */
    float *dcur;                                 /* (Hp0) direct-coding current of layer 0 */
    float *ds[SNN_MAX_LAYERS];                   /* (T, Hp) dloss/dspike */
    float *du[SNN_MAX_LAYERS];                   /* (T, Hp) dloss/dU (the current's gradient) */
    float *dv;                                   /* (Hpmax) dloss/dV carried back in time */
    uint64_t *mask;                              /* (Imax, tw) spike times of each input */
    float *acc;                                  /* (Hpmax) */
    int32_t *iacc;                               /* (Hpmax) */
    uint32_t counts[SNN_MAX_NEURONS];            /* output spike counts */
    net_stats_t stats;                           /* accumulated over forward passes */
    void *mem;
} net_work_t;

/* What one sample produced. */
typedef struct {
    float loss;
    int predicted;
} net_out_t;

int net_pad(int h);
size_t net_weight_floats(const net_config_t *c);
int tensors_alloc(tensors_t *t, const net_config_t *c);
void tensors_free(tensors_t *t);
void tensors_zero(tensors_t *t);
/* Uniform(-gain * sqrt(3 / I), +) init from a seeded generator; padding columns 0. */
void net_init(const net_config_t *c, tensors_t *p, uint32_t seed, float gain);

int net_work_alloc(net_work_t *w, const net_config_t *c);
void net_work_free(net_work_t *w);

/* Encodes ws->pixels (rate: golden encoder with seed; direct: current from v.w[0]) and runs
 * all layers for T steps, keeping what backward needs.  Returns the decision (argmax counts,
 * tie -> larger final V, then lower index: snn_decide's rule). */
int net_forward(const net_config_t *c, const net_view_t *v, net_work_t *ws, uint32_t seed);
/* Loss of the last forward pass against label y; fills ws->ds / du of the last layer
 * scaled by gscale (e.g. 1/B).  Returns the loss. */
float net_loss(const net_config_t *c, const net_view_t *v, net_work_t *ws, int y, float gscale);
/* Back-propagation through time; adds dloss/dweight (in the view's units) to g. */
void net_backward(const net_config_t *c, const net_view_t *v, net_work_t *ws, tensors_t *g);

/* Surrogate derivative d spike / d U at membrane uval, threshold thr. */
float net_surrogate(int kind, float slope, float uval, float thr);

#endif
