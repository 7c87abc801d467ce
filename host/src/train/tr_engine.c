/* SPDX-License-Identifier: MIT
 * tr_engine.c : batches and evaluations on all threads (see tr_engine.h).
 */
#include <omp.h>
#include <string.h>
#include "tr_engine.h"
#include "tr_rng.h"

int engine_init(engine_t *e, const net_config_t *c, int threads, int max_shift, int flip, uint32_t seed)
{
    int t;
    memset(e, 0, sizeof *e);
    e->c = c;
    e->threads = threads < 1 ? 1 : threads > TR_MAX_THREADS ? TR_MAX_THREADS : threads;
    e->max_shift = max_shift;
    e->flip = flip;
    e->seed = seed;
    for (t = 0; t < e->threads; t++)
        if (net_work_alloc(&e->work[t], c) || tensors_alloc(&e->grad[t], c))
            return -1;
    return 0;
}

void engine_free(engine_t *e)
{
    int t;
    for (t = 0; t < e->threads; t++) {
        net_work_free(&e->work[t]);
        tensors_free(&e->grad[t]);
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

void engine_train_batch(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx,
                        int B, int epoch, tensors_t *g, batch_result_t *r)
{
    const int nt = e->threads;
    double loss[TR_MAX_THREADS];
    int correct[TR_MAX_THREADS];

#pragma omp parallel num_threads(nt)
    {
        const int tid = omp_get_thread_num();
        const int lo = B * tid / nt, hi = B * (tid + 1) / nt;
        net_work_t *ws = &e->work[tid];
        int b;
        tensors_zero(&e->grad[tid]);
        net_stats_reset(&ws->stats);
        loss[tid] = 0.0;
        correct[tid] = 0;
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
            loss[tid] += net_loss(e->c, v, ws, s->labels[k], 1.0f / (float)B);
            correct[tid] += pred == s->labels[k];
            net_backward(e->c, v, ws, &e->grad[tid]);
        }
#pragma omp barrier
        /* sum the per-thread gradients, each element in thread order */
        {
            const size_t n = g->n, a = n * (size_t)tid / (size_t)nt, z = n * (size_t)(tid + 1) / (size_t)nt;
            size_t i;
            int t;
            for (i = a; i < z; i++) {
                float sum = e->grad[0].mem[i];
                for (t = 1; t < nt; t++)
                    sum += e->grad[t].mem[i];
                g->mem[i] = sum;
            }
        }
    }
    memset(r, 0, sizeof *r);
    net_stats_reset(&r->stats);
    for (int t = 0; t < nt; t++) {
        r->loss += loss[t];
        r->correct += correct[t];
        net_stats_merge(&r->stats, &e->work[t].stats);
    }
}

int engine_eval(engine_t *e, const net_view_t *v, const dataset_split_t *s, const int *idx, int n,
                uint8_t *pred, net_stats_t *stats)
{
    const int nt = e->threads;
    int correct[TR_MAX_THREADS], total = 0, t;
#pragma omp parallel num_threads(nt)
    {
        const int tid = omp_get_thread_num();
        net_work_t *ws = &e->work[tid];
        int k;
        correct[tid] = 0;
        net_stats_reset(&ws->stats);
#pragma omp for schedule(static)
        for (k = 0; k < n; k++) {
            const int im = idx ? idx[k] : k;
            memcpy(ws->pixels, s->images + (size_t)im * s->rows * s->cols, (size_t)s->rows * s->cols);
            const int p = net_forward(e->c, v, ws, (uint32_t)im);
            correct[tid] += p == s->labels[im];
            if (pred)
                pred[k] = (uint8_t)p;
        }
    }
    if (stats)
        net_stats_reset(stats);
    for (t = 0; t < nt; t++) {
        total += correct[t];
        if (stats)
            net_stats_merge(stats, &e->work[t].stats);
    }
    return total;
}
