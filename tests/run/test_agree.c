/* SPDX-License-Identifier: MIT
 * test_agree.c : what counts as agreement with the golden model (exact equality of the class,
 * the number of outputs and every spike count, nothing else), and the link's resend timing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "golden.h"
#include "link.h"
#include "model_file.h"

static snn_model_t model;
static uint8_t pixels[784];

static int setup(void **state)
{
    int sizes[3] = { 784, 16, 10 }, i, j, l;
    uint32_t x = 12345;
    (void)state;
    memset(&model, 0, sizeof model);
    model_layout(&model, 2, sizes);
    model.steps = 20;
    model.encoding = SNN_ENCODING_RATE;
    model.input_bits = SNN_INPUT_BITS_RAW;
    for (l = 0; l < 2; l++) {
        const snn_layer_t *ly = &model.layer[l];
        for (i = 0; i < ly->n_in; i++)
            for (j = 0; j < ly->n_out; j++) {   /* padding columns stay 0 */
                x = snn_xorshift32(x);
                model.weights[ly->weight_offset + i * SNN_PAD_LANES(ly->n_out) + j] =
                    (int8_t)((int)(x % 81) - 40);
            }
    }
    for (i = 0; i < SNN_MAX_TOTAL_NEURONS; i++)
        model.thresholds[i] = 150;
    for (i = 0; i < 784; i++) {
        x = snn_xorshift32(x);
        pixels[i] = (uint8_t)(x >> 24);
    }
    assert_int_equal(snn_model_check(&model), 0);
    return 0;
}

/* The board's answer as the golden model would give it. */
static void golden_answer(uint32_t seed, proto_result_t *a)
{
    snn_result_t r;
    snn_infer(&model, pixels, seed, &r, NULL);
    a->predicted = r.predicted;
    a->cycles = r.cycles;
    a->steps_used = r.steps_used;
    a->n_out = 10;
    memcpy(a->counts, r.counts, 10);
}

static void test_exact_answer_agrees(void **state)
{
    proto_result_t a;
    snn_result_t g;
    int diff;
    (void)state;
    golden_answer(3, &a);
    assert_int_equal(golden_agrees(&model, pixels, 3, &a, &g, &diff), 1);
    a.cycles += 1000;           /* cycles are reported, not part of agreement */
    assert_int_equal(golden_agrees(&model, pixels, 3, &a, &g, &diff), 1);
}

static void test_any_difference_disagrees(void **state)
{
    proto_result_t a, ok;
    snn_result_t g;
    int diff, j;
    (void)state;
    golden_answer(5, &ok);
    for (j = 0; j < 10; j++) {  /* one count off by one, anywhere */
        a = ok;
        a.counts[j] = (uint8_t)(a.counts[j] + 1);
        assert_int_equal(golden_agrees(&model, pixels, 5, &a, &g, &diff), 0);
        assert_int_equal(diff, j);
        assert_int_equal(g.counts[j], ok.counts[j]);
    }
    a = ok;                     /* the early exit at another step */
    a.steps_used = (uint8_t)(a.steps_used - 1);
    assert_int_equal(golden_agrees(&model, pixels, 5, &a, &g, &diff), 0);
    assert_int_equal(diff, -3);
    a = ok;
    a.predicted = (uint8_t)((a.predicted + 1) % 10);
    assert_int_equal(golden_agrees(&model, pixels, 5, &a, &g, &diff), 0);
    assert_int_equal(diff, -1);
    a = ok;
    a.n_out = 9;
    assert_int_equal(golden_agrees(&model, pixels, 5, &a, &g, &diff), 0);
    assert_int_equal(diff, -2);
    /* the seed is the image index: the right answer for another image is a wrong answer here */
    golden_answer(6, &a);
    if (memcmp(a.counts, ok.counts, 10) != 0 || a.predicted != ok.predicted)
        assert_int_equal(golden_agrees(&model, pixels, 5, &a, &g, &diff), 0);
}

static void test_wait_grows_and_is_capped(void **state)
{
    link_t l;
    transport_t t;
    double w0, w1, w2;
    (void)state;
    memset(&t, 0, sizeof t);
    link_init(&l, &t, 4000, 8);
    assert_true(link_wait_ms(&l, 800, 0) == 1000.0);          /* nothing measured yet */
    link_note_rtt(&l, 10.0, 1000);                            /* 0.01 ms per byte */
    w0 = link_wait_ms(&l, 1000, 0);
    w1 = link_wait_ms(&l, 1000, 1);
    w2 = link_wait_ms(&l, 1000, 10);
    assert_true(w0 >= 2.0 * PROTO_TIMEOUT_US / 1000.0);       /* never inside the frame timeout */
    assert_true(w0 >= 8 * 10.0);                              /* generous: 8 round trips */
    assert_true(w1 == 2 * w0);
    assert_true(w2 == 2000.0);                                /* half the timeout at most */
    assert_true(link_wait_ms(&l, 2000, 0) > w0);              /* more bytes, longer wait */
}

/* link_infer_fits: the window always, beyond it the hold's bytes, never past --window */
static void test_infer_fits_window_then_hold(void **state)
{
    (void)state;
    proto_info_t in;
    memset(&in, 0, sizeof in);
    in.window = 2;
    assert_true(link_infer_fits(&in, 0, 0, 0, 900));            /* in the window, any size */
    assert_true(link_infer_fits(&in, 0, 1, 0, 900));
    assert_false(link_infer_fits(&in, 0, 2, 0, 100));           /* no hold: the window only */
    in.hold_bytes = 480;
    assert_true(link_infer_fits(&in, 0, 2, 0, 480));            /* exactly the hold */
    assert_false(link_infer_fits(&in, 0, 2, 0, 481));
    assert_true(link_infer_fits(&in, 0, 5, 360, 120));
    assert_false(link_infer_fits(&in, 0, 5, 361, 120));
    assert_false(link_infer_fits(&in, 3, 3, 0, 10));            /* --window 3 */
    assert_false(link_infer_fits(&in, 1, 1, 0, 10));            /* --window 1: one at a time */
    assert_true(link_infer_fits(&in, 1, 0, 0, 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_answer_agrees),
        cmocka_unit_test(test_any_difference_disagrees),
        cmocka_unit_test(test_wait_grows_and_is_capped),
        cmocka_unit_test(test_infer_fits_window_then_hold),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
