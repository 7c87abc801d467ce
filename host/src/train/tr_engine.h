/* SPDX-License-Identifier: MIT
 * tr_engine.h : runs batches and evaluations over a dataset split on all threads.
 *
 * A batch is cut into one contiguous chunk per thread; each thread keeps its own gradient and
 * the chunks are summed in thread order, so a seed and a thread count give the same bits.
 */
#ifndef TR_ENGINE_H
#define TR_ENGINE_H

#include "dataset.h"
#include "tr_net.h"

#define TR_MAX_THREADS 64

typedef struct {
    const net_config_t *c;
    int threads;
    int max_shift;                   /* augmentation: random translation of +-max_shift pixels */
    int flip;                        /* augmentation: 1 = mirror left-right with probability 1/2 */
    uint32_t seed;
    net_work_t work[TR_MAX_THREADS];
    tensors_t grad[TR_MAX_THREADS];
} engine_t;

typedef struct {
    double loss;       /* summed over the batch */
    int correct;
    net_stats_t stats;
} batch_result_t;

int engine_init(engine_t *e, const net_config_t *c, int threads, int max_shift, int flip, uint32_t seed);
void engine_free(engine_t *e);
/* Forward, loss and backward over images idx (B) of s in epoch `epoch`; the summed gradient
 * (mean over the batch) lands in g.  Training seeds, shifts and flips are hashes of (seed,
 * epoch, image index). */
void engine_train_batch(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx,
                        int B, int epoch, tensors_t *g, batch_result_t *r);
/* Decisions for images idx (n) of s, or [0, n) when idx is NULL; rate seed = the image's
 * index (host/eval's rule); pred (n) may be NULL.  Returns the number correct; stats may be
 * NULL. */
int engine_eval(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx, int n,
                uint8_t *pred, net_stats_t *stats);
/* Image k of s, mirrored left-right first when flip, then translated by (dx, dy) with zeros
 * shifted in, into out (rows * cols). */
void engine_augment(const dataset_split_t *s, int k, int dx, int dy, int flip, uint8_t *out);
/* The training order of epoch e: a permutation of [0, n). */
void engine_shuffle(uint32_t seed, int epoch, int *idx, int n);

#endif
