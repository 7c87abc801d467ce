/* SPDX-License-Identifier: MIT
 * eval_run.h : the golden model over the first n images of a split (image i seeded with i):
 * what host/eval reports and what host/train measures its INT8 accuracy with.
 */
#ifndef EVAL_RUN_H
#define EVAL_RUN_H

#include <stdio.h>
#include "dataset.h"
#include "snn.h"

typedef struct {
    int images, correct;
    double seconds;            /* wall time of the inference loop only */
    double cpu_seconds;        /* CPU time of this process in that loop (robust to a busy machine) */
    uint64_t input_spikes;     /* layer-0 input events over all images and steps */
    uint64_t hidden_spikes;    /* input events of layers 1..L-1 */
    uint64_t cycles;           /* sum of snn_cycle_model over the images */
    uint64_t steps;            /* sum of steps_used (T per image without an early exit) */
    int steps_hist[SNN_MAX_STEPS + 1]; /* images per steps_used */
    int per_class_total[256];
    int per_class_correct[256];
} eval_stats_t;

/* Runs images 0..n-1 of s through m.  per_image (may be NULL) gets the CSV rows
 * index,label,predicted,steps_used,count_0..count_{K-1}; predicted (may be NULL) the n classes;
 * unless quiet, a progress bar on stderr.  Returns 0, or -1 when writing per_image failed. */
int eval_run(const snn_model_t *m, const dataset_split_t *s, int n, FILE *per_image, uint8_t *predicted,
             int quiet, eval_stats_t *st);
/* Mean steps used per image, and the smallest step count that q (0..1) of the images stay
 * within (q = 0.99: the p99). */
double eval_mean_steps(const eval_stats_t *st);
int eval_steps_quantile(const eval_stats_t *st, double q);

#endif
