/* SPDX-License-Identifier: MIT
 * test_arith.c : corner cases of the LIF arithmetic (docs/arith.md, hls/snn_lif.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model_file.h"
#include "ref_snn.h"
#include "snn.h"

static void test_saturate_both_ends(void **state)
{
    (void)state;
    assert_int_equal(snn_saturate(32767), 32767);
    assert_int_equal(snn_saturate(32768), 32767);
    assert_int_equal(snn_saturate(32768 + 1024 * 127), 32767);
    assert_int_equal(snn_saturate(-32768), -32768);
    assert_int_equal(snn_saturate(-32769), -32768);
    assert_int_equal(snn_saturate(-32768 - 130048), -32768);
    assert_int_equal(snn_saturate(0), 0);
    assert_int_equal(snn_saturate(-1), -1);
}

static void test_leak_shift_of_negatives(void **state)
{
    int v, k;
    (void)state;
    assert_int_equal(snn_leak(-1, 1), 0);       /* -1 - floor(-1/2) = -1 - (-1) */
    assert_int_equal(snn_leak(1, 1), 1);        /* 1 - 0 */
    assert_int_equal(snn_leak(-3, 1), -1);      /* -3 - (-2) */
    assert_int_equal(snn_leak(-32768, 1), -16384);
    assert_int_equal(snn_leak(-32768, 15), -32767);
    assert_int_equal(snn_leak(32767, 15), 32767);
    assert_int_equal(snn_leak(-5, 0), -5);      /* k = 0: no leak */
    for (k = 0; k <= SNN_MAX_LEAK_SHIFT; k++)
        for (v = -32768; v <= 32767; v += 7) {
            long want = k ? v - ref_floor_div(v, 1L << k) : v;
            assert_int_equal(snn_leak((int16_t)v, (uint8_t)k), want);
        }
}

static void test_threshold_equality_fires(void **state)
{
    int16_t v = 100;
    (void)state;
    assert_int_equal(snn_fire(&v, 100, SNN_RESET_SUBTRACT), 1);
    assert_int_equal(v, 0);
    v = 99;
    assert_int_equal(snn_fire(&v, 100, SNN_RESET_SUBTRACT), 0);
    assert_int_equal(v, 99);
    v = 32767;
    assert_int_equal(snn_fire(&v, 32767, SNN_RESET_ZERO), 1);
    assert_int_equal(v, 0);
}

static void test_both_reset_modes(void **state)
{
    int16_t v = 250;
    (void)state;
    assert_int_equal(snn_fire(&v, 100, SNN_RESET_SUBTRACT), 1);
    assert_int_equal(v, 150); /* one spike per step; the rest carries over */
    v = 250;
    assert_int_equal(snn_fire(&v, 100, SNN_RESET_ZERO), 1);
    assert_int_equal(v, 0);
    v = -32768;
    assert_int_equal(snn_fire(&v, 1, SNN_RESET_SUBTRACT), 0);
    assert_int_equal(v, -32768);
}

/* One layer step on a hand-made 3 -> 9 layer (9: padding to 16 columns). */
static void test_layer_step_by_hand(void **state)
{
    static snn_model_t m;
    const int sizes[2] = {3, 9};
    int16_t v[SNN_MAX_NEURONS] = {0};
    uint16_t events[2] = {0, 2}, out[SNN_MAX_NEURONS];
    int8_t w[3 * 9];
    int j;
    (void)state;
    memset(&m, 0, sizeof m);
    m.steps = 1;
    m.input_bits = SNN_INPUT_BITS_RAW;
    m.layer[0].leak_shift = 1;
    m.layer[0].reset_mode = SNN_RESET_SUBTRACT;
    model_layout(&m, 1, sizes);
    for (j = 0; j < 27; j++)
        w[j] = (int8_t)(j % 2 ? 127 : -127);
    model_set_layer_weights(&m, 0, w);
    m.thresholds[0] = 127;
    assert_int_equal(snn_model_check(&m), 0);
    v[0] = -32768;   /* leak -> -16384, + w[0][0] + w[2][0] = -127 + -127 */
    v[1] = 32767;    /* leak -> 16384, + 127 + 127 -> 16638 >= 127: fires, -127 */
    v[8] = 3;        /* leak -> 2, + w[0][8] + w[2][8] = -127 + w[2][8] (index 26: -127) */
    assert_int_equal(snn_layer_step(&m, 0, events, 2, v, NULL, out), 4);
    assert_int_equal(v[0], -16384 - 254);
    assert_int_equal(v[1], 16384 + 254 - 127);
    assert_int_equal(v[8], 2 - 254);
    assert_int_equal(out[0], 1); /* odd columns (+127 twice) fire, ascending */
    assert_int_equal(out[1], 3);
    assert_int_equal(out[3], 7);
}

static void test_decide_ties(void **state)
{
    const uint8_t counts[4] = {3, 5, 5, 1};
    const int16_t v_a[4] = {0, 10, 20, 0}, v_b[4] = {0, 20, 20, 0}, v_c[4] = {0, 30, 20, 0};
    (void)state;
    assert_int_equal(snn_decide(counts, v_a, 4), 2); /* tie on count: larger V */
    assert_int_equal(snn_decide(counts, v_b, 4), 1); /* tie on both: lower index */
    assert_int_equal(snn_decide(counts, v_c, 4), 1);
    assert_int_equal(snn_decide(counts, v_a, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saturate_both_ends),
        cmocka_unit_test(test_leak_shift_of_negatives),
        cmocka_unit_test(test_threshold_equality_fires),
        cmocka_unit_test(test_both_reset_modes),
        cmocka_unit_test(test_layer_step_by_hand),
        cmocka_unit_test(test_decide_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
