/* SPDX-License-Identifier: MIT
 * tr_engine.c : batches and evaluations on all threads (see tr_engine.h).
 */
#include <omp.h>
#include <string.h>
#include "tr_dist.h"
#include "tr_engine.h"
#include "tr_rng.h"

int engine_init(engine_t *e, const net_config_t *c, int threads, int shards, int max_shift, int flip,
                uint32_t seed)
{
    int t;
    memset(e, 0, sizeof *e);
    e->c = c;
    e->threads = threads < 1 ? 1 : threads > TR_MAX_THREADS ? TR_MAX_THREADS : threads;
    e->shards = shards < 1 ? 1 : shards > TR_MAX_SHARDS ? TR_MAX_SHARDS : shards;
    e->max_shift = max_shift;
    e->flip = flip;
    e->seed = seed;
    for (t = 0; t < e->threads; t++)
        if (net_work_alloc(&e->work[t], c))
            return -1;
    for (t = 0; t < e->shards; t++)
        if (tensors_alloc(&e->grad[t], c))
            return -1;
    return 0;
}

void engine_free(engine_t *e)
{
    int t;
    for (t = 0; t < e->threads; t++)
        net_work_free(&e->work[t]);
    for (t = 0; t < e->shards; t++)
        tensors_free(&e->grad[t]);
}

void engine_fold(float *out, const float *const *src, int S, size_t a, size_t z)
{
    size_t i;
    int s;
    for (i = a; i < z; i++) {
        float sum = src[0][i];
        for (s = 1; s < S; s++)
            sum += src[s][i];
        out[i] = sum;
    }
}

void engine_shuffle(uint32_t seed, int epoch, int *idx, int n)
{
    tr_rng_t r = {tr_hash(seed, 0x5u, (uint64_t)epoch, 0)};
    int i;
    for (i = 0; i < n; i++)
        idx[i] = i;
    for (i = n - 1; i > 0; i--) {
        const int j = (int)tr_below(&r, (uint32_t)i + 1u);
        const int x = idx[i];
        idx[i] = idx[j];
        idx[j] = x;
    }
}

void engine_augment(const dataset_split_t *s, int k, int dx, int dy, int flip, uint8_t *out)
{
    const uint8_t *src = s->images + (size_t)k * s->rows * s->cols;
    int y, x;
    if (!dx && !dy && !flip) {
        memcpy(out, src, (size_t)s->rows * s->cols);
        return;
    }
    for (y = 0; y < s->rows; y++)
        for (x = 0; x < s->cols; x++) {
            const int sy = y - dy, tx = x - dx, sx = flip ? s->cols - 1 - tx : tx;
            const int inside = sy >= 0 && sy < s->rows && tx >= 0 && tx < s->cols;
            out[y * s->cols + x] = inside ? src[sy * s->cols + sx] : 0;
        }
}

/* Shard s of the batch: samples idx[B*s/S .. B*(s+1)/S) summed in order into e->grad[s]. */
static void train_shard(engine_t *e, net_work_t *ws, const net_view_t *v, const dataset_split_t *s,
                        const int *idx, int B, int epoch, int shard, int *correct)
{
    size_t lo, hi, b;
    tensors_t *g = &e->grad[shard];
    double loss = 0.0;
    engine_part((size_t)B, shard, e->shards, &lo, &hi);
    tensors_zero(g);
    for (b = lo; b < hi; b++) {
        const int k = idx[b];
        const uint64_t h = tr_hash(e->seed, 0xDA7Au, (uint64_t)epoch, (uint64_t)k);
        const int span = 2 * e->max_shift + 1;
        const int dx = e->max_shift ? (int)(h % (uint64_t)span) - e->max_shift : 0;
        const int dy = e->max_shift ? (int)((h >> 8) % (uint64_t)span) - e->max_shift : 0;
        /* a hash of its own, so runs without flips draw exactly what they drew before */
        const int flip = e->flip && (tr_hash(e->seed, 0xF11Fu, (uint64_t)epoch, (uint64_t)k) & 1u);
        engine_augment(s, k, dx, dy, flip, ws->pixels);
        const int pred = net_forward(e->c, v, ws, (uint32_t)(h >> 32));
        loss += net_loss(e->c, v, ws, s->labels[k], 1.0f / (float)B);
        *correct += pred == s->labels[k];
        net_backward(e->c, v, ws, g);
    }
    e->shard_loss[shard] = loss;
}

void engine_train_batch(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx,
                        int B, int epoch, tensors_t *g, batch_result_t *r)
{
    const int nt = e->threads, S = e->shards;
    const float *src[TR_MAX_SHARDS];
    int correct[TR_MAX_THREADS], lo = 0, hi = S, t, k;

    if (e->dist) { /* this rank's shards */
        size_t a, z;
        engine_part((size_t)S, e->dist->rank, e->dist->ranks, &a, &z);
        lo = (int)a;
        hi = (int)z;
    }
#pragma omp parallel num_threads(nt)
    {
        const int tid = omp_get_thread_num();
        int sh;
        correct[tid] = 0;
        net_stats_reset(&e->work[tid].stats);
#pragma omp for schedule(static)
        for (sh = lo; sh < hi; sh++)
            train_shard(e, &e->work[tid], v, s, idx, B, epoch, sh, &correct[tid]);
        if (!e->dist) { /* sum the shard gradients, each element in shard order */
            size_t a, z;
#pragma omp single
            for (k = 0; k < S; k++)
                src[k] = e->grad[k].mem;
            engine_part(g->n, tid, nt, &a, &z);
            engine_fold(g->mem, src, S, a, z);
        }
    }
    memset(r, 0, sizeof *r);
    net_stats_reset(&r->stats);
    for (t = 0; t < nt; t++) {
        r->correct += correct[t];
        net_stats_merge(&r->stats, &e->work[t].stats);
    }
    if (e->dist) {
        e->dist->fold_shards(e->dist, g, e->grad + lo, lo, hi, S, nt);
        e->dist->gather_f64(e->dist, e->shard_loss, S);
        e->dist->reduce_stats(e->dist, &r->stats, &r->correct);
    }
    for (k = 0; k < S; k++) /* the loss in shard order too: the plateau schedule reads it */
        r->loss += e->shard_loss[k];
}

int engine_eval(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx, int n,
                uint8_t *pred, net_stats_t *stats)
{
    const int nt = e->threads;
    int correct[TR_MAX_THREADS], total = 0, lo = 0, hi = n, t;
    net_stats_t st;
    if (e->dist) { /* this rank's part of the images */
        size_t a, z;
        engine_part((size_t)n, e->dist->rank, e->dist->ranks, &a, &z);
        lo = (int)a;
        hi = (int)z;
    }
#pragma omp parallel num_threads(nt)
    {
        const int tid = omp_get_thread_num();
        net_work_t *ws = &e->work[tid];
        int k;
        correct[tid] = 0;
        net_stats_reset(&ws->stats);
#pragma omp for schedule(static)
        for (k = lo; k < hi; k++) {
            const int im = idx ? idx[k] : k;
            memcpy(ws->pixels, s->images + (size_t)im * s->rows * s->cols, (size_t)s->rows * s->cols);
            const int p = net_forward(e->c, v, ws, (uint32_t)im);
            correct[tid] += p == s->labels[im];
            if (pred)
                pred[k] = (uint8_t)p;
        }
    }
    net_stats_reset(&st);
    for (t = 0; t < nt; t++) {
        total += correct[t];
        net_stats_merge(&st, &e->work[t].stats);
    }
    if (e->dist) {
        e->dist->reduce_stats(e->dist, &st, &total);
        if (pred)
            e->dist->gather_u8(e->dist, pred, n);
    }
    if (stats)
        *stats = st;
    return total;
}
