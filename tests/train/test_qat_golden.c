/* SPDX-License-Identifier: MIT
 * test_qat_golden.c : the trainer's integer (QAT) forward pass equals the golden model.
 *
 * Random networks (sizes, T, leak, reset, encoding, per-tensor or per-channel weights,
 * thresholds from tiny to saturating), quantized by tr_quant and exported; every image's
 * output spike counts, final membranes and decision must equal snn_infer's exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tr_net.h"
#include "tr_quant.h"
#include "tr_rng.h"

static snn_model_t model;
static snn_trace_t trace;

static void random_config(tr_rng_t *r, net_config_t *c, int *per_channel)
{
    int l;
    memset(c, 0, sizeof *c);
    c->n_layers = 1 + (int)tr_below(r, 3);
    c->sizes[0] = 1 + (int)tr_below(r, 200);
    for (l = 1; l <= c->n_layers; l++)
        c->sizes[l] = 1 + (int)tr_below(r, 70);
    c->steps = 1 + (int)tr_below(r, 40);
    c->encoding = tr_below(r, 4) == 0 ? SNN_ENCODING_DIRECT : SNN_ENCODING_RATE;
    c->input_bits = tr_below(r, 2) ? SNN_INPUT_BITS_Q4 : SNN_INPUT_BITS_RAW;
    for (l = 0; l < c->n_layers; l++) {
        c->leak_shift[l] = (int)tr_below(r, 7);
        c->reset_mode[l] = (int)tr_below(r, 2);
    }
    /* from a few units to beyond saturation: theta / scale spans 1 .. 32767 */
    c->theta = 0.02f * (float)(1u << tr_below(r, 14)) * (0.5f + tr_uniform(r));
    c->surrogate = TR_SURR_FAST_SIGMOID;
    c->slope = 5.0f;
    c->logit_scale = 1.0f;
    *per_channel = (int)tr_below(r, 2);
}

static void compare_one(uint32_t case_seed)
{
    tr_rng_t r = {case_seed};
    net_config_t c;
    int per_channel, l, i, k, mismatches = 0;
    tensors_t p;
    quant_t *q = malloc(sizeof *q);
    net_work_t ws;
    net_view_t v;
    model_meta_t meta;

    assert_non_null(q);
    random_config(&r, &c, &per_channel);
    assert_int_equal(tensors_alloc(&p, &c), 0);
    net_init(&c, &p, case_seed, 1.0f + 4.0f * tr_uniform(&r));
    assert_int_equal(quant_init(q, &c, TR_OBS_MINMAX, per_channel, 0.01f, 1), 0);
    quant_prepare(q, &c, &p, &v);
    assert_int_equal(quant_export(q, &c, &model, &meta), 0);
    assert_int_equal(net_work_alloc(&ws, &c), 0);

    for (k = 0; k < 12; k++) {
        snn_result_t res;
        const uint32_t seed = (uint32_t)tr_next(&r);
        for (i = 0; i < c.sizes[0]; i++)
            ws.pixels[i] = tr_below(&r, 3) == 0 ? 0 : (uint8_t)tr_below(&r, 256);
        const int pred = net_forward(&c, &v, &ws, seed);
        snn_infer(&model, ws.pixels, seed, &res, &trace);
        mismatches += pred != res.predicted;
        for (i = 0; i < c.sizes[c.n_layers]; i++)
            mismatches += ws.counts[i] != res.counts[i];
        for (l = 0; l < c.n_layers; l++)
            for (i = 0; i < c.sizes[l + 1]; i++)
                mismatches += ws.vfinal[l][i] != (float)trace.final_v[l][i];
    }
    if (mismatches)
        fail_msg("case %u: %d mismatches (L=%d, T=%d, enc=%d, per_channel=%d, theta=%g)", case_seed,
                 mismatches, c.n_layers, c.steps, c.encoding, per_channel, c.theta);
    net_work_free(&ws);
    quant_free(q);
    free(q);
    tensors_free(&p);
}

static void test_random_models_match_golden(void **state)
{
    uint32_t s;
    (void)state;
    for (s = 1; s <= 150; s++)
        compare_one(s * 2654435761u);
}

/* Saturation must happen in some cases, or the test would not cover it. */
static void test_saturation_is_exercised(void **state)
{
    net_config_t c;
    tensors_t p;
    quant_t *q = malloc(sizeof *q);
    net_work_t ws;
    net_view_t v;
    model_meta_t meta;
    snn_result_t res;
    int i, j;
    (void)state;
    memset(&c, 0, sizeof c);
    c.n_layers = 1;
    c.sizes[0] = 600;
    c.sizes[1] = 10;
    c.steps = 20;
    c.input_bits = SNN_INPUT_BITS_RAW;
    c.theta = 100.0f; /* threshold 127 * 100 = 12700 units: never reached before saturating */
    c.slope = 5.0f;
    assert_non_null(q);
    assert_int_equal(tensors_alloc(&p, &c), 0);
    for (i = 0; i < 600; i++)
        for (j = 0; j < 10; j++)
            p.w[0][i * 16 + j] = j % 2 ? 1.0f : -1.0f;
    assert_int_equal(quant_init(q, &c, TR_OBS_MINMAX, 0, 0.01f, 1), 0);
    quant_prepare(q, &c, &p, &v);
    assert_int_equal(quant_export(q, &c, &model, &meta), 0);
    assert_int_equal(net_work_alloc(&ws, &c), 0);
    memset(ws.pixels, 255, 600);
    net_forward(&c, &v, &ws, 7);
    snn_infer(&model, ws.pixels, 7, &res, &trace);
    assert_true(ws.stats.saturated[0] > 0);
    for (j = 0; j < 10; j++) {
        assert_int_equal(ws.counts[j], res.counts[j]);
        assert_true(ws.vfinal[0][j] == (float)trace.final_v[0][j]);
    }
    assert_true(trace.final_v[0][0] == SNN_MEMBRANE_MIN || trace.final_v[0][1] == SNN_MEMBRANE_MAX ||
                res.counts[1] > 0);
    net_work_free(&ws);
    quant_free(q);
    free(q);
    tensors_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_models_match_golden),
        cmocka_unit_test(test_saturation_is_exercised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
