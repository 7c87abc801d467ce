/* SPDX-License-Identifier: MIT
 * tr_report.h : the run's JSON report and its training-curve plot.
 */
#ifndef TR_REPORT_H
#define TR_REPORT_H

#include <cjson/cJSON.h>
#include "tr_run.h"

/* Model sizes in bytes. */
typedef struct {
    long float_weight_bytes;    /* 4 * sum I * H */
    long int8_weight_bytes;     /* sum I * H */
    long int8_padded_bytes;     /* as the accelerator stores them (rows padded to SNN_LANES) */
    long threshold_bytes;       /* 2 per threshold entry */
    long int8_model_bytes;      /* the exported file */
} sizes_t;

void report_sizes(const run_t *r, const char *model_path, int thresholds, sizes_t *s);
/* The whole report (caller deletes).  ablation may be NULL. */
cJSON *report_build(const run_t *r, const export_result_t *x, const sizes_t *s, cJSON *ablation,
                    cJSON *verify);
/* Training images per second over the recorded epochs (time-weighted). */
double report_images_per_second(const run_t *r);
cJSON *report_export_json(const export_result_t *x, const run_t *r);
/* Training curves: loss and accuracies per epoch, through gnuplot.  Returns 0 or -1. */
int report_plot(const run_t *r, const char *png);
/* Runs gnuplot on a script file; a message and -1 when it fails. */
int report_gnuplot(const char *script);

#endif
