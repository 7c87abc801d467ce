/* SPDX-License-Identifier: MIT
 * test_shards.c : engine_train_batch's gradient, loss, count and ranges depend on the shard
 * count only, not on the threads; shard count = thread count is the thread-chunked sum; and
 * engine_fold adds in shard order.  (Ranks: tests/train/mpi.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tr_engine.h"
#include "tr_rng.h"

enum { R = 6, C = 6, N = 40, H = 9, OUT = 4 };

static uint8_t pix[N * R * C], lab[N];
static net_config_t cfg;
static tensors_t p;
static float thr[2][SNN_MAX_NEURONS], unit[2][SNN_MAX_NEURONS];

static int setup(void **state)
{
    tr_rng_t r = {7};
    int k, l, j;
    (void)state;
    for (k = 0; k < N * R * C; k++)
        pix[k] = (uint8_t)(tr_below(&r, 256u));
    for (k = 0; k < N; k++)
        lab[k] = (uint8_t)(k % OUT);
    memset(&cfg, 0, sizeof cfg);
    cfg.n_layers = 2;
    cfg.sizes[0] = R * C;
    cfg.sizes[1] = H;
    cfg.sizes[2] = OUT;
    cfg.steps = 6;
    cfg.encoding = SNN_ENCODING_RATE;
    cfg.leak_shift[0] = cfg.leak_shift[1] = 4;
    cfg.theta = 1.0f;
    cfg.slope = 5.0f;
    cfg.loss = TR_LOSS_MEMBRANE;
    cfg.logit_scale = 5.0f;
    if (tensors_alloc(&p, &cfg))
        return -1;
    net_init(&cfg, &p, 3, 2.0f);
    for (l = 0; l < 2; l++)
        for (j = 0; j < SNN_MAX_NEURONS; j++) {
            thr[l][j] = 1.0f;
            unit[l][j] = 1.0f;
        }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tensors_free(&p);
    return 0;
}

/* One batch of B images (a fixed shuffled order) with the given threads and shards. */
static void batch(int threads, int shards, int B, tensors_t *g, batch_result_t *res)
{
    dataset_split_t s = {N, R, C, pix, lab};
    engine_t *e = malloc(sizeof *e);
    int idx[N], l;
    net_view_t v;
    assert_non_null(e);
    engine_shuffle(11, 0, idx, N);
    assert_int_equal(engine_init(e, &cfg, threads, shards, 1, 1, 5), 0);
    memset(&v, 0, sizeof v);
    for (l = 0; l < 2; l++) {
        v.w[l] = p.w[l];
        v.thr[l] = thr[l];
        v.unit[l] = unit[l];
    }
    assert_int_equal(tensors_alloc(g, &cfg), 0);
    engine_train_batch(e, &v, &s, idx, B, 2, g, res);
    engine_free(e);
    free(e);
}

static void same(const tensors_t *a, const batch_result_t *ra, const tensors_t *b, const batch_result_t *rb)
{
    assert_memory_equal(a->mem, b->mem, sizeof(float) * a->n);
    assert_memory_equal(&ra->loss, &rb->loss, sizeof ra->loss);
    assert_int_equal(ra->correct, rb->correct);
    assert_memory_equal(&ra->stats, &rb->stats, sizeof ra->stats);
}

static void test_threads_do_not_matter(void **state)
{
    static const int shards[] = {1, 3, 4, 7};
    int k, t;
    (void)state;
    for (k = 0; k < 4; k++) {
        tensors_t g1;
        batch_result_t r1;
        batch(1, shards[k], 37, &g1, &r1); /* 37: shards of unequal size */
        for (t = 2; t <= 5; t++) {
            tensors_t gt;
            batch_result_t rt;
            batch(t, shards[k], 37, &gt, &rt);
            same(&g1, &r1, &gt, &rt);
            tensors_free(&gt);
        }
        tensors_free(&g1);
    }
}

/* Shards change the float sum order: different shard counts give (slightly) different bits. */
static void test_shards_change_the_sum(void **state)
{
    tensors_t g1, g4;
    batch_result_t r1, r4;
    size_t i, differ = 0;
    (void)state;
    batch(1, 1, 37, &g1, &r1);
    batch(2, 4, 37, &g4, &r4);
    for (i = 0; i < g1.n; i++)
        differ += memcmp(&g1.mem[i], &g4.mem[i], sizeof(float)) != 0;
    assert_true(differ > 0);
    assert_int_equal(r1.correct, r4.correct); /* the forward passes are the same */
    tensors_free(&g1);
    tensors_free(&g4);
}

/* Float addition is not associative: {1e8, -1e8, 1} is 1 added left to right but 0 right to
 * left; {1, 1e8, -1e8, 1} is 1 left to right but 0 as a pairwise tree.  engine_fold must add
 * src[0], src[1], ... left to right. */
static void test_fold_order(void **state)
{
    const float a[1] = {1e8f}, b[1] = {-1e8f}, one[1] = {1.0f};
    const float *src3[3] = {a, b, one}, *src4[4] = {one, a, b, one};
    float out[1];
    (void)state;
    engine_fold(out, src3, 3, 0, 1);
    assert_true(out[0] == 1.0f);
    engine_fold(out, src4, 4, 0, 1);
    assert_true(out[0] == 1.0f);
    engine_fold(out, src4, 1, 0, 1);
    assert_true(out[0] == 1.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_do_not_matter),
        cmocka_unit_test(test_shards_change_the_sum),
        cmocka_unit_test(test_fold_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
