/* SPDX-License-Identifier: MIT
 * test_augment.c : training-image augmentation (engine_augment): mirror, translation, both,
 * and the per-image flip draw of engine_train_batch (about half the images, seeded).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tr_engine.h"

enum { R = 3, C = 4 };

/* image 1 of a 2-image split: pixel (y, x) = 10 * y + x + 1 (image 0 is all 0xFF) */
static uint8_t pix[2 * R * C];
static dataset_split_t split(void)
{
    dataset_split_t s = {2, R, C, pix, NULL};
    int y, x;
    memset(pix, 0xFF, R * C);
    for (y = 0; y < R; y++)
        for (x = 0; x < C; x++)
            pix[R * C + y * C + x] = (uint8_t)(10 * y + x + 1);
    return s;
}

static void test_identity_and_flip(void **state)
{
    dataset_split_t s = split();
    uint8_t out[R * C], back[R * C];
    static const uint8_t flipped[R * C] = {4, 3, 2, 1, 14, 13, 12, 11, 24, 23, 22, 21};
    (void)state;
    engine_augment(&s, 1, 0, 0, 0, out);
    assert_memory_equal(out, pix + R * C, R * C);
    engine_augment(&s, 1, 0, 0, 1, out);
    assert_memory_equal(out, flipped, R * C);
    /* flipping the flipped image gives the original back */
    {
        dataset_split_t f = {1, R, C, out, NULL};
        engine_augment(&f, 0, 0, 0, 1, back);
        assert_memory_equal(back, pix + R * C, R * C);
    }
}

/* mirror first, then translate: dx = +1 moves the mirrored image right, zeros on the left */
static void test_flip_then_shift(void **state)
{
    dataset_split_t s = split();
    uint8_t out[R * C];
    static const uint8_t right[R * C] = {0, 4, 3, 2, 0, 14, 13, 12, 0, 24, 23, 22};
    static const uint8_t down_left[R * C] = {0, 0, 0, 0, 2, 3, 4, 0, 12, 13, 14, 0};
    (void)state;
    engine_augment(&s, 1, 1, 0, 1, out);
    assert_memory_equal(out, right, R * C);
    engine_augment(&s, 1, -1, 1, 0, out);
    assert_memory_equal(out, down_left, R * C);
}

/* engine_train_batch's draw: with flip on, the image a sample saw is mirrored for about half
 * of the (image, epoch) pairs, the same ones again for the same seed; with flip off, never. */
static int flips_seen(int flip, uint32_t seed, int epochs, uint8_t *first)
{
    static uint8_t many[64 * R * C];
    static const uint8_t labels[64];
    dataset_split_t s = {64, R, C, many, (uint8_t *)labels};
    net_config_t c;
    tensors_t p, g;
    engine_t *e = malloc(sizeof *e);
    float thr[8] = {1, 1, 1, 1, 1, 1, 1, 1}, unit[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    net_view_t v;
    batch_result_t r;
    int k, ep, n = 0;
    assert_non_null(e);
    for (k = 0; k < 64; k++) /* image k: row-major ramp, asymmetric left-right */
        for (int i = 0; i < R * C; i++)
            many[k * R * C + i] = (uint8_t)(i + 1);
    memset(&c, 0, sizeof c);
    c.n_layers = 1;
    c.sizes[0] = R * C;
    c.sizes[1] = 2;
    c.steps = 4;
    c.encoding = SNN_ENCODING_RATE;
    c.input_bits = SNN_INPUT_BITS_RAW;
    c.theta = 1.0f;
    c.slope = 5.0f;
    c.loss = TR_LOSS_MEMBRANE;
    c.logit_scale = 1.0f;
    assert_int_equal(tensors_alloc(&p, &c), 0);
    assert_int_equal(tensors_alloc(&g, &c), 0);
    assert_int_equal(engine_init(e, &c, 1, 1, 0, flip, seed), 0);
    memset(&v, 0, sizeof v);
    v.w[0] = p.w[0];
    v.thr[0] = thr;
    v.unit[0] = unit;
    for (ep = 0; ep < epochs; ep++)
        for (k = 0; k < 64; k++) {
            uint8_t mirrored[R * C];
            engine_train_batch(e, &v, &s, &k, 1, ep, &g, &r);
            engine_augment(&s, k, 0, 0, 1, mirrored);
            if (memcmp(e->work[0].pixels, mirrored, R * C) == 0)
                n++, first[ep * 64 + k] = 1;
            else
                assert_memory_equal(e->work[0].pixels, many + k * R * C, R * C);
        }
    engine_free(e);
    free(e);
    tensors_free(&p);
    tensors_free(&g);
    return n;
}

static void test_train_batch_flips_half(void **state)
{
    static uint8_t a[8 * 64], b[8 * 64], off[8 * 64], zero[8 * 64];
    const int n = flips_seen(1, 7, 8, a);
    (void)state;
    assert_in_range(n, 256 - 48, 256 + 48); /* 512 fair draws: 4.2 standard deviations */
    assert_int_equal(flips_seen(1, 7, 8, b), n);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(flips_seen(0, 7, 8, off), 0);
    assert_memory_equal(off, zero, sizeof off);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_and_flip),
        cmocka_unit_test(test_flip_then_shift),
        cmocka_unit_test(test_train_batch_flips_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
