/* SPDX-License-Identifier: MIT
 * model_file.h : the Quantarion model file (docs/model-format.md): an snn_model_t plus the
 * float scales it was quantized with, under a magic, a version and a CRC-32.
 */
#ifndef MODEL_FILE_H
#define MODEL_FILE_H

#include <stddef.h>
#include <stdio.h>
#include "snn.h"

#define MODEL_DATASET_BYTES 24 /* the header's dataset name field, its NUL included */

/* Kept for reference and reports; the accelerator never reads these. */
typedef struct {
    /* per threshold entry (parallel to snn_model_t.thresholds): the float weight scale
     * (amax / 127) the integer weights and threshold of that layer or neuron are in */
    float weight_scale[SNN_MAX_TOTAL_NEURONS];
    float threshold_float[SNN_MAX_TOTAL_NEURONS]; /* the float threshold before rounding */
    char dataset[MODEL_DATASET_BYTES]; /* what it was trained on, NUL-terminated */
    uint32_t train_seed;
    float int8_accuracy;    /* what the trainer measured on the test split, or -1 */
} model_meta_t;

enum {
    MODEL_OK = 0,
    MODEL_E_OPEN = -1,      /* cannot open / read / write the file */
    MODEL_E_MAGIC = -2,     /* not a Quantarion model */
    MODEL_E_VERSION = -3,   /* a version this build does not read */
    MODEL_E_TRUNCATED = -4, /* shorter than its header says */
    MODEL_E_CRC = -5,       /* CRC-32 mismatch: corrupted */
    MODEL_E_CAPACITY = -6,  /* valid file, but beyond the accelerator's capacity */
    MODEL_E_FORMAT = -7,    /* inconsistent header or layer table */
    MODEL_E_BUFFER = -8,    /* model_encode: cap too small; *len holds the size needed */
};

/* File layout constants (docs/model-format.md); MODEL_FILE_MAX_BYTES: a capacity-sized model. */
#define MODEL_FILE_MAGIC     "QSNM"
#define MODEL_FILE_VERSION   2
#define MODEL_HEADER_BYTES   64
#define MODEL_LAYER_BYTES    16
#define MODEL_FILE_MAX_BYTES (MODEL_HEADER_BYTES + SNN_MAX_LAYERS * MODEL_LAYER_BYTES + \
                              SNN_WEIGHT_BYTES + 10 * SNN_MAX_TOTAL_NEURONS + 4)
/* A one-line name of a MODEL_E_* code ("CRC-32 mismatch", ...). */
const char *model_error_name(int code);

/* Returns MODEL_OK or a MODEL_E_* code with a one-line message in err. */
int model_read(const char *path, snn_model_t *m, model_meta_t *meta, char *err, size_t err_len);
/* Writes path.tmp, fsyncs, renames over path: a crash never leaves half a model.
 * Creates the folder that holds path when it is missing. */
int model_write(const char *path, const snn_model_t *m, const model_meta_t *meta, char *err, size_t err_len);
/* Serialised form, for tests and the board upload.  model_encode checks the model first
 * (snn_model_check); buf may be NULL with cap 0 to ask for the size (MODEL_E_BUFFER). */
int model_encode(const snn_model_t *m, const model_meta_t *meta, uint8_t *buf, size_t cap, size_t *len);
int model_decode(const uint8_t *buf, size_t len, snn_model_t *m, model_meta_t *meta, char *err, size_t err_len);
/* Prints a human-readable summary (host/eval --info). */
void model_print_info(const snn_model_t *m, const model_meta_t *meta, FILE *f);
/* Fills n_layers, layer sizes, weight and threshold offsets for the given sizes and zeroes
 * all weights (so the padding is 0).  Set each layer's threshold_mode BEFORE calling it (it
 * decides how many threshold entries a layer takes); weights/thresholds still to set.
 * sizes[0] is the input count, sizes[l + 1] the neurons of layer l. */
void model_layout(snn_model_t *m, int n_layers, const int *sizes /* (n_layers + 1) */);
/* Copy one layer's weights between the padded SPRAM layout and a dense (I, H) array. */
void model_set_layer_weights(snn_model_t *m, int l, const int8_t *w /* (I, H) */);
void model_get_layer_weights(const snn_model_t *m, int l, int8_t *w /* (I, H) */);
/* The early-exit setting as text, the form host/train --early-exit and host/eval --early-exit take:
 * "off", "exact" or "lead:K:M" (docs/arith.md "Early exit").  model_exit_parse sets
 * m->exit_mode, exit_lead, exit_min_steps and checks K in 1..255 and M in 1..m->steps; on an
 * error it returns -1 with a message in err and leaves m alone. */
#define MODEL_EXIT_TEXT_BYTES 16
int model_exit_parse(const char *text, snn_model_t *m, char *err, size_t err_len);
void model_exit_format(const snn_model_t *m, char buf[MODEL_EXIT_TEXT_BYTES]);
/* Threshold entries a layer takes: 1 (shared) or H (per neuron). */
int model_layer_thresholds(const snn_model_t *m, int l);

#endif
