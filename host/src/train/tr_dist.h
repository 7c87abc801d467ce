/* SPDX-License-Identifier: MIT
 * tr_dist.h : the processes of one training job.
 *
 * host/train is one process (tr_dist_local.c).  host/train-mpi is an MPI job (tr_mpi.c): its
 * ranks split every batch's shards (tr_engine.h) and the evaluation images, so every rank ends
 * each batch with the same gradient bits and therefore the same parameters; a sweep hands its
 * configurations to the ranks one at a time.  Rank 0 alone writes files and prints results.
 * Nothing but gradients, shard losses, counts and result rows goes over MPI: each rank reads
 * the dataset itself.
 */
#ifndef TR_DIST_H
#define TR_DIST_H

#include <stddef.h>
#include <stdint.h>
#include "tr_engine.h"

/* The data-parallel collectives of an MPI job (the engine calls them when e->dist is set). */
struct dist_ops {
    int rank, ranks;
    double seconds;  /* wall time spent in these collectives so far (the ranks' waits included) */
    /* g = engine_fold over the S shard gradients in shard order; this rank computed shards
     * [lo, hi) (engine_part of S over the ranks) into mine[0 .. hi-lo) */
    void (*fold_shards)(const dist_ops_t *d, tensors_t *g, const tensors_t *mine, int lo, int hi, int S,
                        int threads);
    /* v (n): each rank filled its part (engine_part of n over the ranks); every rank gets all */
    void (*gather_f64)(const dist_ops_t *d, double *v, int n);
    void (*gather_u8)(const dist_ops_t *d, uint8_t *v, int n);
    /* *correct and the counts of s summed, the ranges of s min/max'ed over the ranks (order-free,
     * hence exact) */
    void (*reduce_stats)(const dist_ops_t *d, net_stats_t *s, int *correct);
};

/* Starts the job; *ops is NULL for one process.  Returns 0, or -1 (message printed). */
int dist_init(int *argc, char ***argv, const dist_ops_t **ops);
void dist_finish(void);
int dist_rank(void);
int dist_ranks(void);
/* A rank failed after the job started: ends every rank with exit code rc (never returns). */
void dist_fail(int rc);

/* A sweep of n configurations, each run by one rank alone; todo[k] = 0 skips configuration k.
 * run(ctx, k, &row) trains configuration k on the calling rank and returns 0 with row (a
 * malloc'd JSON text), or -1; done(ctx, k, row) is called on rank 0 only, once per finished
 * configuration, in completion order (it records the row and may write files).  Each rank takes
 * the next configuration when it finishes one (dynamic assignment).  Returns 0 when every
 * configuration finished, else -1 on every rank. */
typedef int (*dist_run_fn)(void *ctx, int k, char **row);
typedef int (*dist_done_fn)(void *ctx, int k, const char *row);
int dist_sweep(int n, const uint8_t *todo, dist_run_fn run, dist_done_fn done, void *ctx);

#endif
