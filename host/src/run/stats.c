/* SPDX-License-Identifier: MIT
 * stats.c : latency percentiles.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

int stats_init(stats_t *s, size_t cap)
{
    s->n = 0;
    s->cap = cap;
    s->ms = malloc((cap ? cap : 1) * sizeof *s->ms);
    return s->ms == NULL ? -1 : 0;
}

void stats_add(stats_t *s, double ms)
{
    if (s->n < s->cap)
        s->ms[s->n++] = ms;
}

static int stats_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_percentile(stats_t *s, double p)
{
    size_t rank;
    if (s->n == 0)
        return 0.0;
    qsort(s->ms, s->n, sizeof *s->ms, stats_cmp);
    rank = (size_t)ceil(p / 100.0 * (double)s->n); /* nearest rank: smallest value with >= p% at or below */
    if (rank < 1)
        rank = 1;
    if (rank > s->n)
        rank = s->n;
    return s->ms[rank - 1];
}

double stats_mean(const stats_t *s)
{
    double sum = 0.0;
    size_t i;
    for (i = 0; i < s->n; i++)
        sum += s->ms[i];
    return s->n ? sum / (double)s->n : 0.0;
}

void stats_free(stats_t *s)
{
    free(s->ms);
    s->ms = NULL;
    s->n = s->cap = 0;
}
