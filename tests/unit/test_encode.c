/* SPDX-License-Identifier: MIT
 * test_encode.c : the rate coder is deterministic, seeded per image, follows the stream
 * order of docs/arith.md, spikes at a rate close to intensity / 256 without visible correlation
 * between the pixels of one stream or of one word, and its LFSR draw is a full-period linear
 * map whose every output bit is the XOR of at most 2 state bits (what the RTL relies on).
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
        s[i % 8] = snn_lfsr32_step8(s[i % 8]);
    for (g = 0; g < SNN_ENC_STREAMS; g++)
        assert_int_equal(e.s[g], s[g]);
    assert_int_equal(n, (s[4] >> 24) < 255);
    /* 1 -> feedback 0xA0040080 after the first step, then 7 shifts with no feedback */
    assert_int_equal(snn_lfsr32_step8(1), 0xA0040080u >> 7);
    assert_int_equal(snn_xorshift32(1), 270369u); /* the general PRNG: 1 ^ 1<<13, ^ >>17, ^ <<5 */
}

/* The draw as a GF(2) matrix: col[b] = image of bit b.  m = a * b (apply b, then a). */
static void mat_mul(uint32_t *m, const uint32_t *a, const uint32_t *b)
{
    uint32_t r[32];
    int i, k;
    for (i = 0; i < 32; i++) {
        r[i] = 0;
        for (k = 0; k < 32; k++)
            if (b[i] >> k & 1u)
                r[i] ^= a[k];
    }
    memcpy(m, r, sizeof r);
}

static int mat_pow_is_identity(const uint32_t *a, uint32_t e)
{
    uint32_t r[32], sq[32];
    int i;
    for (i = 0; i < 32; i++)
        r[i] = 1u << i;
    memcpy(sq, a, sizeof sq);
    for (; e; e >>= 1) {
        if (e & 1u)
            mat_mul(r, sq, r);
        mat_mul(sq, sq, sq);
    }
    for (i = 0; i < 32; i++)
        if (r[i] != 1u << i)
            return 0;
    return 1;
}

static void test_lfsr_full_period_and_cheap(void **state)
{
    /* 2^32 - 1 = 3 * 5 * 17 * 257 * 65537 */
    static const uint32_t primes[] = {3u, 5u, 17u, 257u, 65537u};
    uint32_t col[32], x = 12345u, y = 678u;
    int b, i, k;
    (void)state;
    for (b = 0; b < 32; b++)
        col[b] = snn_lfsr32_step8(1u << b);
    for (k = 0; k < 1000; k++) { /* linear: the matrix is the whole function */
        x = snn_xorshift32(x);
        y = snn_xorshift32(y ^ x);
        assert_int_equal(snn_lfsr32_step8(x ^ y), snn_lfsr32_step8(x) ^ snn_lfsr32_step8(y));
    }
    /* the order of the draw map is exactly 2^32 - 1: every non-zero state is on one cycle */
    assert_true(mat_pow_is_identity(col, 0xFFFFFFFFu));
    for (k = 0; k < 5; k++)
        assert_false(mat_pow_is_identity(col, 0xFFFFFFFFu / primes[k]));
    /* every next-state bit is the XOR of at most 2 state bits: one LUT4 with the seed input */
    for (i = 0; i < 32; i++) {
        int fan_in = 0;
        for (b = 0; b < 32; b++)
            fan_in += (int)(col[b] >> i & 1u);
        assert_in_range(fan_in, 1, 2);
    }
}

/* Pixels at intensity 128 spike with p = 1/2; pairs of pixels of one stream in one step
 * (i, i + 8: consecutive draws), of one word (i, i + 1) and of one pixel in consecutive steps
 * must both spike with p = 1/4 within 5 standard deviations. */
static void test_pairs_uncorrelated(void **state)
{
    enum { N = 1024, STEPS = 200 };
    static uint8_t prev[N], cur[N];
    snn_encoder_t e;
    long same_stream = 0, same_word = 0, next_step = 0;
    long n_stream = 0, n_word = 0, n_step = 0;
    int i, t, n;
    (void)state;
    memset(px, 128, N);
    snn_encode_seed(&e, 2024u);
    for (t = 0; t < STEPS; t++) {
        memset(cur, 0, sizeof cur);
        n = snn_encode_rate_step(&e, px, N, ev_a);
        for (i = 0; i < n; i++)
            cur[ev_a[i]] = 1;
        for (i = 0; i + 8 < N; i++, n_stream++)
            same_stream += cur[i] & cur[i + 8];
        for (i = 0; i < N; i += 2, n_word++)
            same_word += cur[i] & cur[i + 1];
        if (t > 0)
            for (i = 0; i < N; i++, n_step++)
                next_step += cur[i] & prev[i];
        memcpy(prev, cur, sizeof prev);
    }
    assert_true(fabs(same_stream - 0.25 * n_stream) <= 5.0 * sqrt(n_stream * 0.25 * 0.75));
    assert_true(fabs(same_word - 0.25 * n_word) <= 5.0 * sqrt(n_word * 0.25 * 0.75));
    assert_true(fabs(next_step - 0.25 * n_step) <= 5.0 * sqrt(n_step * 0.25 * 0.75));
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
        cmocka_unit_test(test_lfsr_full_period_and_cheap),
        cmocka_unit_test(test_pairs_uncorrelated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
