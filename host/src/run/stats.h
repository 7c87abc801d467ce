/* SPDX-License-Identifier: MIT
 * stats.h : latency samples and their percentiles (nearest rank on the sorted samples).
 */
#ifndef RUN_STATS_H
#define RUN_STATS_H

#include <stddef.h>

typedef struct {
    double *ms;     /* (cap) latencies in milliseconds */
    size_t n, cap;
} stats_t;

int stats_init(stats_t *s, size_t cap);
void stats_add(stats_t *s, double ms);  /* ignored once cap samples are held */
/* The p-th percentile (0..100) by nearest rank; 0 when there are no samples.  Sorts in place. */
double stats_percentile(stats_t *s, double p);
double stats_mean(const stats_t *s);
void stats_free(stats_t *s);

#endif
