/* SPDX-License-Identifier: MIT
 * tr_engine.h : runs batches and evaluations over a dataset split on all threads.
 *
 * A batch is cut into S shards, a fixed partition (shard s holds samples [B*s/S, B*(s+1)/S)).
 * Each shard's gradient is summed over its samples in order, and the batch gradient is the sum
 * of the shard gradients in shard order (a left fold).  The threads of a process, and the
 * processes of an MPI job (tr_dist.h), each compute whole shards, so a seed and a shard count
 * give the same bits whatever the threads and ranks.  S = threads is the thread-chunked sum
 * of earlier versions.
 */
#ifndef TR_ENGINE_H
#define TR_ENGINE_H

#include "dataset.h"
#include "tr_net.h"

#define TR_MAX_THREADS 64
#define TR_MAX_SHARDS 64

typedef struct dist_ops dist_ops_t;

typedef struct {
    const net_config_t *c;
    int threads;
    int shards;                      /* S */
    const dist_ops_t *dist;          /* NULL: this process computes every shard and image */
    int max_shift;                   /* augmentation: random translation of +-max_shift pixels */
    int flip;                        /* augmentation: 1 = mirror left-right with probability 1/2 */
    uint32_t seed;
    net_work_t work[TR_MAX_THREADS];
    tensors_t grad[TR_MAX_SHARDS];   /* (S) one gradient per shard */
    double shard_loss[TR_MAX_SHARDS];
} engine_t;

typedef struct {
    double loss;       /* summed over the batch */
    int correct;
    net_stats_t stats;
} batch_result_t;

int engine_init(engine_t *e, const net_config_t *c, int threads, int shards, int max_shift, int flip,
                uint32_t seed);
void engine_free(engine_t *e);
/* Forward, loss and backward over images idx (B) of s in epoch `epoch`; the summed gradient
 * (mean over the batch) lands in g.  Training seeds, shifts and flips are hashes of (seed,
 * epoch, image index). */
void engine_train_batch(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx,
                        int B, int epoch, tensors_t *g, batch_result_t *r);
/* Decisions for images idx (n) of s, or [0, n) when idx is NULL; rate seed = the image's
 * index (host/eval's rule); pred (n) may be NULL.  Returns the number correct; stats may be
 * NULL.  With e->dist the ranks share the images (part k of engine_part) and every rank gets
 * the whole result. */
int engine_eval(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx, int n,
                uint8_t *pred, net_stats_t *stats);
/* Image k of s, mirrored left-right first when flip, then translated by (dx, dy) with zeros
 * shifted in, into out (rows * cols). */
void engine_augment(const dataset_split_t *s, int k, int dx, int dy, int flip, uint8_t *out);
/* Part k of [0, n) cut into `parts` contiguous pieces: [*lo, *hi).  The one partition rule for
 * shards of a batch, shards over ranks, images over ranks and gradient slices. */
static inline void engine_part(size_t n, int k, int parts, size_t *lo, size_t *hi)
{
    *lo = n * (size_t)k / (size_t)parts;
    *hi = n * (size_t)(k + 1) / (size_t)parts;
}
/* out[i] = src[0][i] + src[1][i] + ... + src[S-1][i] for i in [a, z), added in that order. */
void engine_fold(float *out, const float *const *src, int S, size_t a, size_t z);
/* The training order of epoch e: a permutation of [0, n). */
void engine_shuffle(uint32_t seed, int epoch, int *idx, int n);

#endif
