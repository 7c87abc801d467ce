/* SPDX-License-Identifier: MIT
 * test_scale.c : scale report arithmetic, observers, export of thresholds, the fit check.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tr_fit.h"
#include "tr_quant.h"

static void config(net_config_t *c, int in, int h0, int h1)
{
    memset(c, 0, sizeof *c);
    c->n_layers = 2;
    c->sizes[0] = in;
    c->sizes[1] = h0;
    c->sizes[2] = h1;
    c->steps = 25;
    c->input_bits = SNN_INPUT_BITS_RAW;
    c->theta = 1.0f;
    c->leak_shift[0] = c->leak_shift[1] = 4;
}

/* A range of [-8, 8] gives 8 / 127 = 0.0629921, not the spec sheet's 127/8 = 0.015686. */
static void test_symmetric_scale_of_amax_8(void **state)
{
    net_config_t c;
    tensors_t p;
    quant_t *q = malloc(sizeof *q);
    net_view_t v;
    snn_model_t *m = malloc(sizeof *m);
    model_meta_t meta;
    float s;
    (void)state;
    assert_non_null(q);
    assert_non_null(m);
    config(&c, 4, 3, 2);
    assert_int_equal(tensors_alloc(&p, &c), 0);
    p.w[0][0] = -8.0f;  /* (I, Hp = 8) */
    p.w[0][1] = 3.0f;
    p.w[0][8 + 2] = 8.0f;
    p.w[1][0] = 0.5f;
    assert_int_equal(quant_init(q, &c, TR_OBS_MINMAX, 0, 0.01f, 1), 0);
    quant_prepare(q, &c, &p, &v);
    assert_int_equal(quant_scale_of(q, &c, "layer0.weight", &s), 0);
    assert_float_equal(s, 8.0f / 127.0f, 1e-7);
    assert_true(fabsf(s - 0.015686f) > 0.04f);
    /* integer weights and the shared threshold round(1 / scale) = round(15.875) = 16 */
    assert_true(v.w[0][0] == -127.0f && v.w[0][1] == 48.0f && v.w[0][10] == 127.0f);
    assert_true(v.thr[0][0] == 16.0f);
    assert_int_equal(quant_scale_of(q, &c, "layer1.weight", &s), 0);
    assert_float_equal(s, 0.5f / 127.0f, 1e-9);
    assert_true(v.thr[1][0] == 254.0f);
    assert_int_equal(quant_scale_of(q, &c, "layer7.weight", &s), -1);
    assert_int_equal(quant_scale_of(q, &c, "bogus", &s), -1);
    assert_int_equal(quant_export(q, &c, m, &meta), 0);
    assert_int_equal(m->layer[0].threshold_mode, SNN_THRESHOLD_SHARED);
    assert_int_equal(m->thresholds[m->layer[0].threshold_offset], 16);
    assert_int_equal(m->thresholds[m->layer[1].threshold_offset], 254);
    assert_int_equal(m->weights[m->layer[0].weight_offset + 8 + 2], 127);
    assert_float_equal(meta.weight_scale[0], 8.0f / 127.0f, 1e-7);
    assert_int_equal(quant_thresholds(q, &c), 2);
    quant_free(q);
    tensors_free(&p);
    free(q);
    free(m);
}

static void test_per_channel_thresholds(void **state)
{
    net_config_t c;
    tensors_t p;
    quant_t *q = malloc(sizeof *q);
    net_view_t v;
    snn_model_t *m = malloc(sizeof *m);
    model_meta_t meta;
    float s;
    (void)state;
    assert_non_null(q);
    assert_non_null(m);
    config(&c, 2, 3, 2);
    assert_int_equal(tensors_alloc(&p, &c), 0);
    p.w[0][0] = 1.0f;      /* neuron 0: amax 1 */
    p.w[0][1] = -0.25f;    /* neuron 1: amax 0.25 */
    p.w[0][8 + 2] = 2.0f;  /* neuron 2: amax 2 */
    p.w[1][0] = p.w[1][1] = 1.0f;
    assert_int_equal(quant_init(q, &c, TR_OBS_MINMAX, 1, 0.01f, 1), 0);
    quant_prepare(q, &c, &p, &v);
    assert_true(v.thr[0][0] == 127.0f && v.thr[0][1] == 508.0f && v.thr[0][2] == 64.0f);
    assert_int_equal(quant_scale_of(q, &c, "layer0.weight[1]", &s), 0);
    assert_float_equal(s, 0.25f / 127.0f, 1e-9);
    assert_int_equal(quant_export(q, &c, m, &meta), 0);
    assert_int_equal(m->layer[0].threshold_mode, SNN_THRESHOLD_NEURON);
    assert_int_equal(m->layer[1].threshold_offset, 3);
    assert_int_equal(m->thresholds[1], 508);
    assert_int_equal(quant_thresholds(q, &c), 5);
    quant_free(q);
    tensors_free(&p);
    free(q);
    free(m);
}

static void test_observers(void **state)
{
    obs_t o = {0};
    (void)state;
    obs_update(&o, -1.0f, 2.0f, TR_OBS_MOVING, 0.01f); /* first batch initialises */
    assert_float_equal(o.hi, 2.0f, 0);
    obs_update(&o, -1.0f, 12.0f, TR_OBS_MOVING, 0.01f);
    assert_float_equal(o.hi, 2.1f, 1e-6);
    assert_float_equal(obs_amax(&o), 2.1f, 1e-6);
    memset(&o, 0, sizeof o);
    obs_update(&o, -1.0f, 2.0f, TR_OBS_MINMAX, 0.01f);
    obs_update(&o, -3.0f, 1.0f, TR_OBS_MINMAX, 0.01f);
    assert_true(o.lo == -3.0f && o.hi == 2.0f);
    assert_float_equal(obs_amax(&o), 3.0f, 0);
}

static void test_fit_check(void **state)
{
    net_config_t c;
    char msg[512];
    (void)state;
    config(&c, 784, 128, 10);
    assert_int_equal(fit_check(&c, "icebreaker", msg, sizeof msg), 0);
    assert_int_equal(fit_weight_bytes(&c), 784 * 128 + 128 * 16);
    config(&c, 784, 600, 10);
    assert_int_equal(fit_check(&c, "icebreaker", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "600 neurons"));
    assert_non_null(strstr(msg, "weight bytes"));
    config(&c, 784, 128, 10);
    c.steps = 300;
    assert_int_equal(fit_check(&c, "icebreaker", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "T = 300"));
    config(&c, 784, 128, 10);
    assert_int_equal(fit_check(&c, "ulx3s", msg, sizeof msg), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symmetric_scale_of_amax_8),
        cmocka_unit_test(test_per_channel_thresholds),
        cmocka_unit_test(test_observers),
        cmocka_unit_test(test_fit_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
