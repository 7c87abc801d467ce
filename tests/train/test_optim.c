/* SPDX-License-Identifier: MIT
 * test_optim.c : optimizer steps against hand-computed PyTorch formulas, schedules at known
 * points, the recipes' definitions.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tr_optim.h"

/* A one-layer 1x1 network: a single weight (plus 7 padding floats that must stay 0). */
static net_config_t one_weight(void)
{
    net_config_t c;
    memset(&c, 0, sizeof c);
    c.n_layers = 1;
    c.sizes[0] = 1;
    c.sizes[1] = 1;
    c.steps = 1;
    return c;
}

static float run_steps(const optim_config_t *cfg, float w0, const float *grads, int n, float lr)
{
    net_config_t c = one_weight();
    tensors_t p, g;
    optim_t o;
    int k;
    assert_int_equal(tensors_alloc(&p, &c), 0);
    assert_int_equal(tensors_alloc(&g, &c), 0);
    assert_int_equal(optim_init(&o, cfg, &c), 0);
    p.w[0][0] = w0;
    for (k = 0; k < n; k++) {
        g.w[0][0] = grads[k];
        optim_step(&o, &p, &g, lr);
    }
    for (k = 1; k < 8; k++) /* padding: zero gradient, zero weight, stays zero */
        assert_true(p.w[0][k] == 0.0f);
    const float w = p.w[0][0];
    optim_free(&o);
    tensors_free(&p);
    tensors_free(&g);
    return w;
}

static void test_sgd_momentum(void **state)
{
    optim_config_t c = optim_preset("classic")->cfg;
    const float gr[2] = {0.5f, -0.25f};
    (void)state;
    c.weight_decay = 0.1f;
    /* step 1: d = 0.5 + 0.1*1 = 0.6, buf = 0.6, w = 1 - 0.1*0.6 = 0.94
     * step 2: d = -0.25 + 0.094 = -0.156, buf = 0.9*0.6 - 0.156 = 0.384, w = 0.94 - 0.0384 */
    assert_float_equal(run_steps(&c, 1.0f, gr, 2, 0.1f), 0.9016f, 1e-6);
}

static void test_adam_and_adamw(void **state)
{
    optim_config_t c = optim_preset("best")->cfg;
    const float gr[1] = {0.2f};
    (void)state;
    /* one Adam step moves by lr * sign(g) (bias-corrected m/sqrt(v) = g/|g|) */
    c.opt = OPT_ADAM;
    c.weight_decay = 0.0f;
    assert_float_equal(run_steps(&c, 1.0f, gr, 1, 0.01f), 0.99f, 1e-6);
    /* AdamW decays the weight first: w = 1 - 0.01*0.5*1 = 0.995, then - 0.01 */
    c.opt = OPT_ADAMW;
    c.weight_decay = 0.5f;
    assert_float_equal(run_steps(&c, 1.0f, gr, 1, 0.01f), 0.985f, 1e-6);
    /* Adam's L2 is in the gradient: g = 0.2 + 0.5 = 0.7, still one lr step */
    c.opt = OPT_ADAM;
    assert_float_equal(run_steps(&c, 1.0f, gr, 1, 0.01f), 0.99f, 1e-6);
}

static void test_rmsprop(void **state)
{
    optim_config_t c = optim_preset("rmsprop")->cfg;
    const float gr[1] = {0.3f};
    (void)state;
    /* v = 0.01 * 0.09 = 0.0009, step = lr * 0.3 / 0.03 = 10 lr */
    assert_float_equal(run_steps(&c, 0.0f, gr, 1, 0.001f), -0.01f, 1e-6);
}

static void test_schedules(void **state)
{
    net_config_t nc = one_weight();
    optim_t o;
    optim_config_t c = optim_preset("best")->cfg; /* cosine, lr 1e-4, eta_min 1e-6, 12 epochs */
    (void)state;
    assert_int_equal(optim_init(&o, &c, &nc), 0);
    assert_float_equal(optim_lr(&o, 0, 0, 10), 1e-4f, 1e-12);
    assert_float_equal(optim_lr(&o, 6, 0, 10), 0.5f * (1e-4f + 1e-6f), 1e-10);
    assert_float_equal(optim_lr(&o, 12, 0, 10), 1e-6f, 1e-12);
    optim_free(&o);

    c = optim_preset("classic")->cfg; /* step 5 / 0.1 */
    assert_int_equal(optim_init(&o, &c, &nc), 0);
    assert_float_equal(optim_lr(&o, 4, 9, 10), c.lr, 1e-12);
    assert_float_equal(optim_lr(&o, 5, 0, 10), c.lr * 0.1f, 1e-12);
    assert_float_equal(optim_lr(&o, 10, 0, 10), c.lr * 0.01f, 1e-12);
    optim_free(&o);

    c = optim_preset("warmup")->cfg; /* 10 % warmup of 8 epochs x 10 batches = 8 steps */
    assert_int_equal(optim_init(&o, &c, &nc), 0);
    assert_float_equal(optim_lr(&o, 0, 0, 10), c.lr / 8.0f, 1e-12);
    assert_float_equal(optim_lr(&o, 0, 7, 10), c.lr, 1e-12);
    assert_true(optim_lr(&o, 7, 9, 10) < 0.02f * c.lr); /* near eta_min at the end */
    optim_free(&o);

    c = optim_preset("adaptive")->cfg; /* plateau: patience 2, factor 0.1 */
    assert_int_equal(optim_init(&o, &c, &nc), 0);
    optim_epoch_end(&o, 1.0f);
    optim_epoch_end(&o, 0.9f);
    optim_epoch_end(&o, 0.95f);
    optim_epoch_end(&o, 0.95f);
    assert_float_equal(optim_lr(&o, 4, 0, 10), c.lr, 1e-12);
    optim_epoch_end(&o, 0.95f); /* third epoch without improvement */
    assert_float_equal(optim_lr(&o, 5, 0, 10), c.lr * 0.1f, 1e-12);
    optim_free(&o);
}

static void test_recipes(void **state)
{
    const optim_preset_t *p;
    int n;
    (void)state;
    optim_presets(&n);
    assert_int_equal(n, 5);
    p = optim_preset("best");
    assert_int_equal(p->cfg.opt, OPT_ADAMW);
    assert_int_equal(p->cfg.sched, SCHED_COSINE);
    assert_int_equal(p->cfg.epochs, 12);
    assert_float_equal(p->cfg.lr, 1e-4f, 1e-12);
    assert_float_equal(p->cfg.weight_decay, 1e-5f, 1e-12);
    assert_float_equal(p->cfg.eta_min, 1e-6f, 1e-12);
    p = optim_preset("classic");
    assert_true(p->cfg.opt == OPT_SGD && p->cfg.sched == SCHED_STEP && p->cfg.epochs == 15 &&
                p->cfg.step_size == 5);
    p = optim_preset("adaptive");
    assert_true(p->cfg.opt == OPT_ADAM && p->cfg.sched == SCHED_PLATEAU && p->cfg.epochs == 10);
    p = optim_preset("rmsprop");
    assert_true(p->cfg.opt == OPT_RMSPROP && p->cfg.sched == SCHED_WARMUP_COSINE && p->cfg.epochs == 12);
    p = optim_preset("warmup");
    assert_true(p->cfg.opt == OPT_ADAMW && p->cfg.sched == SCHED_WARMUP_COSINE && p->cfg.epochs == 8);
    assert_null(optim_preset("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgd_momentum),
        cmocka_unit_test(test_adam_and_adamw),
        cmocka_unit_test(test_rmsprop),
        cmocka_unit_test(test_schedules),
        cmocka_unit_test(test_recipes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
