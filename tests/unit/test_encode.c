/* SPDX-License-Identifier: MIT
 * test_encode.c : the rate coder is deterministic, seeded per image, follows the stream
 * order of docs/arith.md, and spikes at a rate close to intensity / 256.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "snn.h"

static uint16_t ev_a[SNN_MAX_INPUTS], ev_b[SNN_MAX_INPUTS];
static uint8_t px[SNN_MAX_INPUTS];

static void test_deterministic_per_seed(void **state)
{
    snn_encoder_t a, b;
    int i, t, n_a, n_b, differ = 0;
    (void)state;
    for (i = 0; i < 784; i++)
        px[i] = (uint8_t)(i * 37);
    snn_encode_seed(&a, 42);
    snn_encode_seed(&b, 42);
    for (t = 0; t < 30; t++) {
        n_a = snn_encode_rate_step(&a, px, 784, ev_a);
        n_b = snn_encode_rate_step(&b, px, 784, ev_b);
        assert_int_equal(n_a, n_b);
        assert_memory_equal(ev_a, ev_b, (size_t)n_a * sizeof ev_a[0]);
        for (i = 1; i < n_a; i++)
            assert_true(ev_a[i] > ev_a[i - 1]); /* ascending */
    }
    snn_encode_seed(&a, 42);
    snn_encode_seed(&b, 43);
    n_a = snn_encode_rate_step(&a, px, 784, ev_a);
    n_b = snn_encode_rate_step(&b, px, 784, ev_b);
    differ = n_a != n_b || memcmp(ev_a, ev_b, (size_t)n_a * sizeof ev_a[0]) != 0;
    assert_true(differ);
}

static void test_stream_order_and_zero_seed(void **state)
{
    snn_encoder_t e;
    uint32_t s[SNN_ENC_STREAMS];
    int g, i, n;
    (void)state;
    snn_encode_seed(&e, 0x9E3779B9u); /* stream 0 would start at 0 */
    assert_int_equal(e.s[0], 0x9E3779B9u);
    for (g = 0; g < SNN_ENC_STREAMS; g++) {
        assert_int_not_equal(e.s[g], 0);
        s[g] = e.s[g];
    }
    /* 13 pixels (not a multiple of 8): pixel i advances stream i % 8 once per step */
    memset(px, 0, 13);
    px[12] = 255;
    n = snn_encode_rate_step(&e, px, 13, ev_a);
    for (i = 0; i < 13; i++)
        s[i % 8] = snn_xorshift32(s[i % 8]);
    for (g = 0; g < SNN_ENC_STREAMS; g++)
        assert_int_equal(e.s[g], s[g]);
    assert_int_equal(n, (s[4] >> 24) < 255);
    assert_int_equal(snn_xorshift32(1), 270369u); /* 1 ^ 1<<13, ^ >>17, ^ <<5 */
}

static void test_rate_matches_intensity(void **state)
{
    snn_encoder_t e;
    static long hits[256];
    int i, t, v;
    const int steps = 400;
    (void)state;
    memset(hits, 0, sizeof hits);
    for (i = 0; i < 1024; i++)
        px[i] = (uint8_t)(i % 256);
    snn_encode_seed(&e, 7);
    for (t = 0; t < steps; t++) {
        int n = snn_encode_rate_step(&e, px, 1024, ev_a);
        for (i = 0; i < n; i++)
            hits[px[ev_a[i]]]++;
    }
    assert_int_equal(hits[0], 0); /* a 0 pixel never spikes */
    for (v = 1; v < 256; v++) {
        const double trials = 4.0 * steps, p = v / 256.0;
        const double sd = sqrt(trials * p * (1 - p));
        assert_true(fabs(hits[v] - trials * p) <= 5.0 * sd + 1.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic_per_seed),
        cmocka_unit_test(test_stream_order_and_zero_seed),
        cmocka_unit_test(test_rate_matches_intensity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
