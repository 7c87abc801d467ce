/* SPDX-License-Identifier: MIT
 * nir_map.h : the mapping between NIR graphs and Quantarion models (docs/nir.md states every
 * rule; this code is that statement).
 *
 * Import: a feed-forward chain Input -> [Flatten] -> (Linear|Affine -> LIF|IF) x L -> Output
 * becomes the trainer's float network (net_config_t + weights with the input gain folded in),
 * which the trainer's own converter (tr_quant.c) turns into INT8; the thresholds follow NIR's
 * strict `v > v_threshold` rule.  Export: the integer model as float32 NIR nodes whose
 * metadata carries what NIR cannot say, so that export then import gives the same model file.
 */
#ifndef NIR_MAP_H
#define NIR_MAP_H

#include <stddef.h>
#include "model_file.h"
#include "nir_graph.h"
#include "tr_net.h"
#include "tr_quant.h"

#define NIR_DT_SNNTORCH   1e-4   /* snnTorch's fixed export step; our export's dt */
#define NIR_DEFAULT_STEPS 25     /* T when neither --steps nor the file's metadata says */
#define NIR_MAX_WARNINGS  16
/* float32 cannot hold dt * 2^k exactly for dt = 1e-4: a relative difference of tau/dt from
 * 2^k below this counts as exact (float32 rounding of tau, r and dt stays below 2^-22). */
#define NIR_EXACT_REL     (1.0 / (1 << 20))

/* Options of `host/nir import`; -1 (or 0 for dt and steps) = from the file, else the default. */
typedef struct {
    double dt;          /* > 0: --dt */
    int reset;          /* SNN_RESET_* or -1 */
    int encoding;       /* SNN_ENCODING_* or -1 */
    int steps;          /* 1..SNN_MAX_STEPS or 0 */
    int per_channel;    /* 0, 1 or -1 */
    const char *early_exit; /* "off", "exact", "lead:K:M" (model_exit_parse) or NULL */
} nir_import_opts_t;

/* What the import decided, layer by layer, for the report. */
typedef struct {
    char weight_node[NIR_NAME_LEN], neuron_node[NIR_NAME_LEN], neuron_type[8];
    const char *dt_source;    /* "--dt", "tau/r", "default 1e-4" ("" for IF) */
    double dt, tau_over_dt;   /* (first neuron) */
    double decay_error;       /* max over neurons of |dt/tau - 2^-k| (0 for IF) */
    double gain_min, gain_max;
    int exact;                /* every neuron's tau/dt within NIR_EXACT_REL of 2^k (IF: 1) */
    int scales_from_file;     /* quantarion_weight_scale metadata pinned the scales */
} nir_layer_info_t;

/* The imported network: the trainer's float model plus NIR's thresholds. */
typedef struct {
    net_config_t c;
    tensors_t p;                                     /* (I, Hp) per layer, gain folded in */
    int per_channel;
    double vth[SNN_MAX_LAYERS][SNN_MAX_NEURONS];     /* v_threshold, float units */
    float fixed_scale[SNN_MAX_LAYERS][SNN_MAX_NEURONS]; /* > 0: pinned by metadata */
    float threshold_float[SNN_MAX_LAYERS][SNN_MAX_NEURONS]; /* model_meta_t.threshold_float */
    model_meta_t meta_in;                            /* dataset, seed, accuracy from metadata */
    char early_exit[MODEL_EXIT_TEXT_BYTES];          /* --early-exit, else metadata, else "off" */
    nir_layer_info_t layer[SNN_MAX_LAYERS];
    int n_warnings;
    char warning[NIR_MAX_WARNINGS][256];
} nir_net_t;

/* Graph -> network.  Returns 0, or -1 with the node and the reason in err. */
int nir_import_net(const nir_graph_t *g, const nir_import_opts_t *o, nir_net_t *n, char *err, size_t err_len);
void nir_net_free(nir_net_t *n);
/* The trainer's converter on n: quant_init + quant_prepare (minmax over the weights, pinned
 * scales where the file had them), then NIR's thresholds floor(v_threshold / scale) + 1.
 * Call nir_apply_thresholds again after every later quant_prepare.  0 or -1 + err. */
int nir_quantize(nir_net_t *n, quant_t *q, char *err, size_t err_len);
int nir_apply_thresholds(const nir_net_t *n, quant_t *q, char *err, size_t err_len);
/* The model file contents.  Returns 0, or -1 with the reason in err. */
int nir_make_model(const nir_net_t *n, const quant_t *q, snn_model_t *m, model_meta_t *meta, char *err,
                   size_t err_len);

/* Model -> graph (nir_graph_free it).  Returns 0 or -1 + err. */
int nir_export_graph(const snn_model_t *m, const model_meta_t *meta, nir_graph_t *g, char *err, size_t err_len);

/* Names used in reports and metadata. */
const char *nir_reset_name(int reset);
const char *nir_encoding_name(int encoding);

#endif
