/* SPDX-License-Identifier: MIT
 * nir_calib.h : `host/nir import --data`: the trainer's calibration (observers over training
 * images through the integer model) and float-vs-INT8 agreement on the test split.
 */
#ifndef NIR_CALIB_H
#define NIR_CALIB_H

#include <cjson/cJSON.h>
#include "nir_map.h"

typedef struct {
    const char *data;      /* dataset spec (dataset_load) */
    int calib_images;      /* training images the observers see */
    int limit;             /* test images compared (0 = all) */
    int threads;
    int quiet;
} nir_calib_opts_t;

/* Runs both; adds "data" (accuracies, agreement, scale report) to report and sets
 * n->meta_in.int8_accuracy.  Returns 0 or -1 + err. */
int nir_calibrate(nir_net_t *n, quant_t *q, const nir_calib_opts_t *o, cJSON *report, char *err, size_t err_len);

#endif
