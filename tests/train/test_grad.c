/* SPDX-License-Identifier: MIT
 * test_grad.c : the trainer's backward pass.
 *   - the surrogates are the derivatives of their smooth stand-ins (finite differences);
 *   - where the network is smooth (no neuron can fire, membrane loss) backward equals central
 *     finite differences of the loss;
 *   - with spikes, the optimized event-driven backward equals a plain dense BPTT written here.
 */
#include <math.h>
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

static void test_surrogates_are_derivatives(void **state)
{
    const float thr = 1.7f, slope = 3.0f, h = 1e-3f;
    float x;
    (void)state;
    for (x = -3.0f; x < 5.0f; x += 0.37f) {
        /* fast sigmoid: d/dU [u / (1 + k|u|)], u = (U - thr) / thr */
        double u1 = (x + h - thr) / thr, u0 = (x - h - thr) / thr;
        double fd = (u1 / (1 + slope * fabs(u1)) - u0 / (1 + slope * fabs(u0))) / (2 * h);
        assert_float_equal(net_surrogate(TR_SURR_FAST_SIGMOID, slope, x, thr), fd, 1e-3 * fabs(fd) + 1e-5);
        /* arctan: d/dU [atan(pi k u / 2) / pi] */
        fd = (atan(M_PI * slope * u1 / 2) - atan(M_PI * slope * u0 / 2)) / M_PI / (2 * h);
        assert_float_equal(net_surrogate(TR_SURR_ARCTAN, slope, x, thr), fd, 1e-3 * fabs(fd) + 1e-5);
    }
}

static void small_config(net_config_t *c, int layers, float theta, int loss)
{
    memset(c, 0, sizeof *c);
    c->n_layers = layers;
    c->sizes[0] = 37;
    c->sizes[1] = 19;
    c->sizes[2] = 5;
    c->steps = 9;
    c->encoding = SNN_ENCODING_RATE;
    c->input_bits = SNN_INPUT_BITS_RAW;
    c->leak_shift[0] = 2;
    c->leak_shift[1] = 3;
    c->theta = theta;
    c->surrogate = TR_SURR_FAST_SIGMOID;
    c->slope = 4.0f;
    c->loss = loss;
    c->logit_scale = 0.7f;
}

static float loss_at(const net_config_t *c, quant_t *q, tensors_t *p, net_work_t *ws, int y)
{
    net_view_t v;
    quant_float_view(q, c, p, &v);
    net_forward(c, &v, ws, 99);
    return net_loss(c, &v, ws, y, 1.0f);
}

/* No neuron reaches theta = 100 (checked): the loss is smooth, finite differences are exact up
 * to float rounding. */
static void test_backward_matches_finite_differences(void **state)
{
    net_config_t c;
    tensors_t p, g;
    net_work_t ws;
    quant_t *q = malloc(sizeof *q);
    net_view_t v;
    int i, j, k, checked = 0;
    (void)state;
    small_config(&c, 1, 100.0f, TR_LOSS_MEMBRANE);
    c.sizes[1] = 6;
    c.logit_scale = 50.0f;
    assert_non_null(q);
    assert_int_equal(tensors_alloc(&p, &c), 0);
    assert_int_equal(tensors_alloc(&g, &c), 0);
    assert_int_equal(net_work_alloc(&ws, &c), 0);
    assert_int_equal(quant_init(q, &c, TR_OBS_MINMAX, 0, 0.01f, 1), 0);
    net_init(&c, &p, 5, 1.0f);
    for (i = 0; i < c.sizes[0]; i++)
        ws.pixels[i] = (uint8_t)(i * 7);
    quant_float_view(q, &c, &p, &v);
    net_forward(&c, &v, &ws, 99);
    net_loss(&c, &v, &ws, 3, 1.0f);
    assert_int_equal(ws.stats.spikes[0], 0);
    tensors_zero(&g);
    net_backward(&c, &v, &ws, &g);
    for (k = 0; k < 40; k++) {
        const float h = 1e-2f;
        i = (k * 11) % c.sizes[0];
        j = k % c.sizes[1];
        float *w = &p.w[0][i * net_pad(c.sizes[1]) + j];
        const float w0 = *w;
        *w = w0 + h;
        const double lp = loss_at(&c, q, &p, &ws, 3);
        *w = w0 - h;
        const double lm = loss_at(&c, q, &p, &ws, 3);
        *w = w0;
        const double fd = (lp - lm) / (2 * h), an = g.w[0][i * net_pad(c.sizes[1]) + j];
        if (an != 0.0)
            checked++;
        if (fabs(fd - an) > 1e-2 * fabs(an) + 1e-6)
            fail_msg("w[%d][%d]: backward %.9g, finite difference %.9g", i, j, an, fd);
    }
    assert_true(checked > 10);
    net_work_free(&ws);
    tensors_free(&p);
    tensors_free(&g);
    quant_free(q);
    free(q);
}

/* Plain dense BPTT of the same model (double precision, no events, no masks). */
static void reference_backward(const net_config_t *c, const net_view_t *v, const net_work_t *ws,
                               double *gw /* per layer (I, Hp), concatenated */)
{
    const int L = c->n_layers, T = c->steps;
    static double ds[SNN_MAX_LAYERS][64][64], du[64][64];
    int l, t, i, j, off[SNN_MAX_LAYERS], o = 0;
    for (l = 0; l < L; l++) {
        off[l] = o;
        o += c->sizes[l] * net_pad(c->sizes[l + 1]);
    }
    memset(ds, 0, sizeof ds);
    for (t = 0; t < T; t++)
        for (j = 0; j < c->sizes[L]; j++)
            ds[L - 1][t][j] = ws->ds[L - 1][t * net_pad(c->sizes[L]) + j];
    for (l = L - 1; l >= 0; l--) {
        const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H), ip = net_pad(I);
        const double beta = 1.0 - 1.0 / (1 << c->leak_shift[l]);
        for (j = 0; j < H; j++) {
            double dv = 0.0;
            for (t = T - 1; t >= 0; t--) {
                const float u = ws->u[l][t * hp + j];
                double g = ds[l][t][j] * net_surrogate(c->surrogate, c->slope, u, v->thr[l][j]) + dv;
                if (l == L - 1)
                    g += ws->du[l][t * hp + j] * 0; /* count loss: no direct membrane term */
                du[t][j] = g;
                dv = g * beta;
            }
        }
        for (t = 0; t < T; t++) {
            /* the inputs of this step as a dense 0/1 vector */
            double x[64] = {0};
            int e;
            for (e = 0; e < ws->nev[l][t]; e++)
                x[ws->ev[l][t * ip + e]] = 1.0;
            for (i = 0; i < I; i++)
                for (j = 0; j < H; j++)
                    gw[off[l] + i * hp + j] += x[i] * du[t][j];
            if (l > 0)
                for (i = 0; i < I; i++) {
                    double s = 0.0;
                    for (j = 0; j < H; j++)
                        s += (double)v->w[l][i * hp + j] * du[t][j];
                    ds[l - 1][t][i] = s;
                }
        }
    }
}

static void test_event_backward_matches_dense_reference(void **state)
{
    net_config_t c;
    tensors_t p, g;
    net_work_t ws;
    quant_t *q = malloc(sizeof *q);
    net_view_t v;
    double *ref;
    size_t k;
    int i, trial, spikes = 0;
    (void)state;
    small_config(&c, 2, 0.5f, TR_LOSS_COUNT);
    assert_non_null(q);
    assert_int_equal(tensors_alloc(&p, &c), 0);
    assert_int_equal(tensors_alloc(&g, &c), 0);
    assert_int_equal(net_work_alloc(&ws, &c), 0);
    assert_int_equal(quant_init(q, &c, TR_OBS_MINMAX, 0, 0.01f, 1), 0);
    ref = calloc(p.n, sizeof *ref);
    assert_non_null(ref);
    for (trial = 0; trial < 6; trial++) {
        tr_rng_t r = {(uint64_t)trial + 40};
        net_init(&c, &p, (uint32_t)trial, 3.0f);
        for (i = 0; i < c.sizes[0]; i++)
            ws.pixels[i] = (uint8_t)tr_below(&r, 256);
        quant_float_view(q, &c, &p, &v);
        net_forward(&c, &v, &ws, (uint32_t)trial);
        net_loss(&c, &v, &ws, trial % 5, 1.0f);
        spikes += (int)(ws.stats.spikes[0] + ws.stats.spikes[1]);
        tensors_zero(&g);
        memset(ref, 0, p.n * sizeof *ref);
        reference_backward(&c, &v, &ws, ref);
        net_backward(&c, &v, &ws, &g);
        for (k = 0; k < p.n; k++)
            if (fabs(g.mem[k] - ref[k]) > 1e-5 * (1.0 + fabs(ref[k])))
                fail_msg("trial %d, weight %zu: backward %.9g, dense reference %.9g", trial, k, g.mem[k], ref[k]);
    }
    assert_true(spikes > 0);
    free(ref);
    net_work_free(&ws);
    tensors_free(&p);
    tensors_free(&g);
    quant_free(q);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surrogates_are_derivatives),
        cmocka_unit_test(test_backward_matches_finite_differences),
        cmocka_unit_test(test_event_backward_matches_dense_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
