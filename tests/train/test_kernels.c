/* SPDX-License-Identifier: MIT
 * test_kernels.c : the trainer's hot loops against plain loops and the golden encoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "snn.h"
#include "tr_kernels.h"
#include "tr_rng.h"

/* The fast encoder must produce the golden encoder's events, step after step. */
static void test_encoder_equals_golden(void **state)
{
    static const int sizes[] = {1, 7, 8, 9, 63, 784, 1024};
    uint8_t px[SNN_MAX_INPUTS];
    uint16_t ev_gold[SNN_MAX_INPUTS], ev_fast[SNN_MAX_INPUTS];
    int k, i, t;
    (void)state;
    for (k = 0; k < (int)(sizeof sizes / sizeof sizes[0]); k++) {
        tr_rng_t r = {(uint64_t)k + 1};
        const int n = sizes[k];
        snn_encoder_t gold, fast;
        for (i = 0; i < n; i++)
            px[i] = i % 5 == 0 ? 0 : i % 7 == 0 ? 255 : (uint8_t)tr_below(&r, 256);
        snn_encode_seed(&gold, 1000u + (uint32_t)k);
        fast = gold;
        for (t = 0; t < 40; t++) {
            const int ng = snn_encode_rate_step(&gold, px, n, ev_gold);
            const int nf = tr_encode_rate_step(fast.s, px, n, ev_fast);
            assert_int_equal(nf, ng);
            assert_memory_equal(ev_fast, ev_gold, (size_t)ng * sizeof ev_gold[0]);
            assert_memory_equal(fast.s, gold.s, sizeof gold.s);
        }
    }
}

static void test_add_rows_and_scatter_equal_plain_loops(void **state)
{
    enum { I = 50, T = 70 };
    static const int hps[] = {8, 16, 72, 128, 200};
    static float w[I * 200], acc[200], ref[200], d[T * 200], dw[I * 200], dref[I * 200];
    uint16_t ev[I];
    uint64_t mask[I * 2];
    int k, i, j, t, e, n;
    (void)state;
    for (k = 0; k < 5; k++) {
        const int hp = hps[k];
        tr_rng_t r = {(uint64_t)hp};
        /* integer-valued floats: every order of summation gives the same bits */
        for (i = 0; i < I * hp; i++)
            w[i] = (float)((int)tr_below(&r, 255) - 127);
        for (j = 0; j < hp; j++)
            acc[j] = ref[j] = (float)j;
        for (n = 0, i = 0; i < I; i++)
            if (tr_below(&r, 3) == 0)
                ev[n++] = (uint16_t)i;
        tr_add_rows(acc, w, hp, ev, n);
        for (e = 0; e < n; e++)
            for (j = 0; j < hp; j++)
                ref[j] += w[ev[e] * hp + j];
        assert_memory_equal(acc, ref, (size_t)hp * sizeof(float));

        for (i = 0; i < T * hp; i++)
            d[i] = (float)((int)tr_below(&r, 2001) - 1000);
        memset(mask, 0, sizeof mask);
        for (i = 0; i < I * hp; i++)
            dw[i] = dref[i] = (float)(i % 13);
        for (i = 0; i < I; i++)
            for (t = 0; t < T; t++)
                if (tr_below(&r, 4) == 0) {
                    mask[i * 2 + t / 64] |= 1ull << (t % 64);
                    for (j = 0; j < hp; j++)
                        dref[i * hp + j] += d[t * hp + j];
                }
        tr_scatter_rows(dw, d, hp, mask, I, 2);
        assert_memory_equal(dw, dref, (size_t)I * hp * sizeof(float));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoder_equals_golden),
        cmocka_unit_test(test_add_rows_and_scatter_equal_plain_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
