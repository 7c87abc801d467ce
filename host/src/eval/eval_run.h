/* SPDX-License-Identifier: MIT
 * eval_run.h : the golden model over the first n images of a split (image i seeded with i).
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
    int per_class_total[256];
    int per_class_correct[256];
} eval_stats_t;

/* Runs images 0..n-1 of s through m.  per_image (may be NULL) gets the CSV rows
 * index,label,predicted,count_0..count_{K-1}; unless quiet, a progress bar on stderr.
 * Returns 0, or -1 when writing per_image failed. */
int eval_run(const snn_model_t *m, const dataset_split_t *s, int n, FILE *per_image, int quiet,
             eval_stats_t *st);

#endif
