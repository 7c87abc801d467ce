/* SPDX-License-Identifier: MIT
 * tr_quant.h : observers, fake quantization, conversion to the integer model, scale report.
 *
 * Symmetric INT8 on [-127, 127], zero point always 0: scale = amax / 127, w_int =
 * clamp(round(w / scale)).  Per-tensor: one scale per layer, one shared threshold
 * round(theta / scale).  Per-channel: one scale per neuron (column), one threshold each.
 * Membranes and currents are not requantized: the hardware carries them as 16/24-bit
 * integers in units of the weight scale; their observed ranges give the headroom.
 */
#ifndef TR_QUANT_H
#define TR_QUANT_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "model_file.h"
#include "tr_net.h"

enum { TR_OBS_MINMAX = 0, TR_OBS_MOVING = 1 };

/* A range observer: minmax keeps the extremes, moving-average blends each batch's extremes
 * in with constant c (the first batch initialises, as PyTorch's observers do). */
typedef struct {
    float lo, hi;
    int seen;
} obs_t;

void obs_update(obs_t *o, float lo, float hi, int kind, float c);
float obs_amax(const obs_t *o);

typedef struct {
    int observer;                /* TR_OBS_* */
    int per_channel;             /* 0 per-tensor, 1 per-channel weights */
    float avg_const;             /* moving-average constant */
    int calib_batches;           /* observe this many QAT batches, then freeze */
    int batches;                 /* batches observed so far */
    int frozen;
    obs_t wobs[SNN_MAX_LAYERS][SNN_MAX_NEURONS]; /* per channel (per-tensor: [l][0]) */
    obs_t cur[SNN_MAX_LAYERS], mem[SNN_MAX_LAYERS];
    float mem_peak[SNN_MAX_LAYERS];              /* peak |membrane| in integer units */
    uint64_t saturated[SNN_MAX_LAYERS];
    /* (calib_batches, L, 3): weight scale (max over channels), current amax, membrane amax
     * after each calibration batch, for "batches needed" */
    float hist[64][SNN_MAX_LAYERS][3];
    /* the quantized view */
    float scale[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    float thr[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    float unit_float[SNN_MAX_LAYERS][SNN_MAX_NEURONS]; /* all 1: the float view's units */
    float thr_float[SNN_MAX_LAYERS][SNN_MAX_NEURONS];  /* all theta */
    /* > 0: the weight scale is given, not observed (host/nir importing a file that carries
     * its scales, so that export then import is the identity); 0: amax / 127 */
    float fixed_scale[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    tensors_t wq;                                      /* integer-valued weights */
} quant_t;

int quant_init(quant_t *q, const net_config_t *c, int observer, int per_channel, float avg_const,
               int calib_batches);
void quant_free(quant_t *q);
/* The float view of p (for the FP32 phase and its evaluation). */
void quant_float_view(quant_t *q, const net_config_t *c, const tensors_t *p, net_view_t *v);
/* Before a QAT batch: observe the weights (unless frozen), recompute scales, quantize p into
 * the integer view v. */
void quant_prepare(quant_t *q, const net_config_t *c, const tensors_t *p, net_view_t *v);
/* After a QAT batch: observe the activation ranges (unless frozen), count the batch and
 * freeze after calib_batches. */
void quant_after_batch(quant_t *q, const net_config_t *c, const net_stats_t *s);
/* Turns the integer-view gradient g into the float-weight gradient in place
 * (divide by the scale, zero where the weight was clipped). */
void quant_grad(const quant_t *q, const net_config_t *c, const tensors_t *p, tensors_t *g);
/* The integer model; meta's scales and float thresholds filled.  Returns snn_model_check. */
int quant_export(const quant_t *q, const net_config_t *c, snn_model_t *m, model_meta_t *meta);
/* Batches until every observed value stayed within 1 % of its frozen value. */
int quant_batches_needed(const quant_t *q, const net_config_t *c);
int quant_thresholds(const quant_t *q, const net_config_t *c);

/* Scale report: the human table and the JSON array (one object per tensor). */
void quant_report_print(const quant_t *q, const net_config_t *c, FILE *f);
cJSON *quant_report_json(const quant_t *q, const net_config_t *c);
/* The scale of a named tensor ("layer0.weight", "layer0.weight[5]", "layer1.current",
 * "layer1.membrane"); returns 0, or -1 when no such tensor. */
int quant_scale_of(const quant_t *q, const net_config_t *c, const char *name, float *scale);

#endif
