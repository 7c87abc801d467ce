/* SPDX-License-Identifier: MIT
 * test_early_exit.c : the early-exit rule of docs/arith.md against the full-T run.
 * On many random models and images, for exact and lead modes:
 *  - the exit step is the first step whose counts (recomputed here from the exit-off trace with
 *    a sort, not the golden model's top-two scan) meet the rule;
 *  - the result is the exit-off run of the same model with T = steps_used: the same spikes,
 *    counts, final membranes and per-step input events, and no spikes or events after the exit;
 *  - exact mode gives the full-T class on every image (the mode's promise);
 *  - lead mode exits only with a unique leader, which is the class.
 * Plus snn_model_check's rules for the exit fields, the text form, and the reports' mean and
 * p99 of steps used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "eval_run.h"
#include "model_file.h"
#include "rand_model.h"
#include "snn.h"

static snn_model_t model, cut;
static snn_result_t full, ex, short_run;
static snn_trace_t full_tr, ex_tr, short_tr;
static uint8_t pixels[SNN_MAX_INPUTS];

static int desc(const void *a, const void *b) { return *(const int *)b - *(const int *)a; }

/* The rule, from the spec text: a = largest count, b = largest among the others. */
static int rule(const snn_model_t *m, const int *counts, int n, int t)
{
    int sorted[SNN_MAX_NEURONS], a, b;
    memcpy(sorted, counts, sizeof(int) * (size_t)n);
    qsort(sorted, (size_t)n, sizeof(int), desc);
    a = sorted[0];
    b = n > 1 ? sorted[1] : 0;
    if (m->exit_mode == SNN_EXIT_EXACT)
        return a - b > m->steps - t;
    return m->exit_mode == SNN_EXIT_LEAD && t >= m->exit_min_steps && a - b >= m->exit_lead;
}

/* The step the rule stops at, from the exit-off trace (T when it never fires). */
static int expected_exit(const snn_model_t *m, const snn_trace_t *tr)
{
    const int last = m->n_layers - 1, n = m->layer[last].n_out;
    int counts[SNN_MAX_NEURONS] = {0};
    int t, j;
    for (t = 1; t <= m->steps; t++) {
        for (j = 0; j < n; j++)
            counts[j] += (int)(tr->spikes[t - 1][last][j / 32] >> (j % 32)) & 1;
        if (rule(m, counts, n, t))
            return t;
    }
    return m->steps;
}

/* rand_model's output layers rarely fire at clearly different rates; four models in five get
 * a per-neuron offset on every layer's weights and low thresholds, so that some images have a
 * clear leader early (the exit path) and others a close race (the no-exit path). */
static void drive_layer(rnd_t *s, int l)
{
    const snn_layer_t *ly = &model.layer[l];
    const int stride = SNN_PAD_LANES(ly->n_out);
    int i, j;
    for (j = 0; j < ly->n_out; j++) {
        const int offset = rnd_range(s, -10, 40);
        for (i = 0; i < ly->n_in; i++) {
            int8_t *w = &model.weights[ly->weight_offset + (uint32_t)(i * stride + j)];
            const int v = *w + offset;
            *w = (int8_t)(v > SNN_WEIGHT_MAX ? SNN_WEIGHT_MAX : v < -SNN_WEIGHT_MAX ? -SNN_WEIGHT_MAX : v);
        }
    }
    for (j = 0; j < (ly->threshold_mode == SNN_THRESHOLD_NEURON ? ly->n_out : 1); j++)
        model.thresholds[ly->threshold_offset + j] = (int16_t)rnd_range(s, 10, 400);
}

static void random_exit_model(rnd_t *s, int max_out)
{
    const int n_layers = rnd_range(s, 1, SNN_MAX_LAYERS);
    int sizes[SNN_MAX_LAYERS + 1], l;
    for (l = 0; l <= n_layers; l++)
        sizes[l] = rnd_range(s, 1, l == 0 ? 100 : 40);
    sizes[n_layers] = rnd_range(s, 1, max_out);
    rand_model(&model, s, n_layers, sizes, 0, 0);
    if (rnd_range(s, 0, 4))
        for (l = 0; l < n_layers; l++)
            drive_layer(s, l);
}

/* Runs model with its exit mode against exit off; returns 1 when it exited early. */
static int check_one(uint32_t seed)
{
    const int last = model.n_layers - 1, n = model.layer[last].n_out;
    int t, l, j, want;
    cut = model;
    cut.exit_mode = SNN_EXIT_OFF;
    cut.exit_lead = cut.exit_min_steps = 0;
    memset(&full_tr, 0xa5, sizeof full_tr);
    memset(&ex_tr, 0xa5, sizeof ex_tr);
    snn_infer(&cut, pixels, seed, &full, &full_tr);
    assert_int_equal(full.steps_used, model.steps);
    snn_infer(&model, pixels, seed, &ex, &ex_tr);
    want = expected_exit(&model, &full_tr);
    if (ex.steps_used != want)
        fail_msg("mode %d K %d M %d T %d: exited after %d steps, the rule says %d", model.exit_mode,
                 model.exit_lead, model.exit_min_steps, model.steps, ex.steps_used, want);
    /* the exit run is the off run cut at steps_used */
    cut.steps = ex.steps_used;
    snn_infer(&cut, pixels, seed, &short_run, &short_tr);
    assert_memory_equal(ex.counts, short_run.counts, (size_t)n);
    assert_int_equal(ex.predicted, short_run.predicted);
    for (l = 0; l <= last; l++)
        assert_memory_equal(ex_tr.final_v[l], short_tr.final_v[l], sizeof(int16_t) * model.layer[l].n_out);
    for (t = 0; t < model.steps; t++) {
        const int run = t < ex.steps_used;
        for (l = 0; l <= last; l++) {
            assert_int_equal(ex.in_spikes[t][l], run ? full.in_spikes[t][l] : 0);
            for (j = 0; j < SNN_WORDS(model.layer[l].n_out); j++)
                assert_int_equal(ex_tr.spikes[t][l][j], run ? full_tr.spikes[t][l][j] : 0);
        }
        if (model.encoding == SNN_ENCODING_RATE)
            for (j = 0; j < SNN_WORDS(model.layer[0].n_in); j++)
                assert_int_equal(ex_tr.input_spikes[t][j], run ? full_tr.input_spikes[t][j] : 0);
    }
    assert_true(ex.cycles == snn_cycle_model(&model, &ex));
    if (ex.steps_used < model.steps) {
        /* an exit leaves a unique leader, and it is the class */
        for (j = 0; j < n; j++)
            if (j != ex.predicted)
                assert_true(ex.counts[j] < ex.counts[ex.predicted]);
    }
    if (model.exit_mode == SNN_EXIT_EXACT)
        assert_int_equal(ex.predicted, full.predicted);
    return ex.steps_used < model.steps;
}

static void test_exact_gives_the_full_class(void **state)
{
    rnd_t s;
    rnd_seed(&s, 0xe417ull);
    long images = 0, exits = 0, saved = 0, steps = 0;
    int k, img;
    (void)state;
    for (k = 0; k < 600; k++) {
        random_exit_model(&s, k % 3 == 0 ? 3 : 40); /* few outputs, and the one-neuron case (b = 0) */
        model.exit_mode = SNN_EXIT_EXACT;
        assert_int_equal(snn_model_check(&model), 0);
        for (img = 0; img < 4; img++) {
            rand_image(pixels, model.layer[0].n_in, &s);
            exits += check_one((uint32_t)rnd_u32(&s));
            saved += model.steps - ex.steps_used;
            steps += model.steps;
            images++;
        }
    }
    printf("exact: %ld images, %ld exited early, %.1f%% of the steps saved, class always the full-T one\n",
           images, exits, 100.0 * (double)saved / (double)steps);
    assert_true(exits >= 100); /* the rule was exercised, not only the no-exit path */
}

static void test_lead_mode(void **state)
{
    rnd_t s;
    rnd_seed(&s, 0x1ead5ull);
    long images = 0, exits = 0, changed = 0;
    int k, img;
    (void)state;
    for (k = 0; k < 600; k++) {
        random_exit_model(&s, 40);
        model.exit_mode = SNN_EXIT_LEAD;
        model.exit_lead = (uint8_t)(rnd_range(&s, 0, 9) == 0 ? rnd_range(&s, 1, 255) : rnd_range(&s, 1, 4));
        model.exit_min_steps = (uint8_t)rnd_range(&s, 1, model.steps);
        assert_int_equal(snn_model_check(&model), 0);
        for (img = 0; img < 4; img++) {
            rand_image(pixels, model.layer[0].n_in, &s);
            exits += check_one((uint32_t)rnd_u32(&s));
            changed += ex.predicted != full.predicted;
            images++;
        }
    }
    printf("lead: %ld images, %ld exited early, %ld of them changed the class\n", images, exits, changed);
    assert_true(exits >= 100);
}

/* Hand-made counts for the boundaries: exact needs a lead strictly above the steps left. */
static void test_rule_boundaries(void **state)
{
    uint8_t c[4] = {5, 2, 0, 2};
    (void)state;
    memset(&model, 0, sizeof model);
    model.steps = 10;
    model.exit_mode = SNN_EXIT_OFF;
    assert_false(snn_exit_now(&model, c, 4, 10));
    model.exit_mode = SNN_EXIT_EXACT;
    assert_false(snn_exit_now(&model, c, 4, 7)); /* lead 3, 3 left: a tie is still possible */
    assert_true(snn_exit_now(&model, c, 4, 8));  /* lead 3, 2 left */
    c[3] = 5;
    assert_false(snn_exit_now(&model, c, 4, 10)); /* a tie at the end: no lead at all */
    assert_false(snn_exit_now(&model, (const uint8_t[]){0}, 1, 10)); /* one neuron: b = 0 */
    assert_true(snn_exit_now(&model, (const uint8_t[]){1}, 1, 10));
    assert_true(snn_exit_now(&model, (const uint8_t[]){3}, 1, 8));
    model.exit_mode = SNN_EXIT_LEAD;
    model.exit_lead = 3;
    model.exit_min_steps = 4;
    c[3] = 2;
    assert_false(snn_exit_now(&model, c, 4, 3)); /* lead 3 but before M */
    assert_true(snn_exit_now(&model, c, 4, 4));
    c[1] = 3;
    assert_false(snn_exit_now(&model, c, 4, 9)); /* lead 2 < K */
}

static void test_check_and_text(void **state)
{
    char err[256], text[MODEL_EXIT_TEXT_BYTES];
    rnd_t s;
    rnd_seed(&s, 7);
    (void)state;
    rand_model(&model, &s, 2, NULL, 50, 20);
    model.steps = 8;
    assert_int_equal(snn_model_check(&model), 0);
    model.exit_mode = 3;
    assert_int_not_equal(snn_model_check(&model), 0);
    assert_non_null(strstr(snn_model_error(snn_model_check(&model)), "early exit"));
    model.exit_mode = SNN_EXIT_EXACT;
    model.exit_lead = 1;
    assert_int_not_equal(snn_model_check(&model), 0); /* K only in lead mode */
    model.exit_mode = SNN_EXIT_LEAD;
    model.exit_min_steps = 9;
    assert_int_not_equal(snn_model_check(&model), 0); /* M > T */
    model.exit_min_steps = 8;
    assert_int_equal(snn_model_check(&model), 0);
    model.exit_lead = 0;
    assert_int_not_equal(snn_model_check(&model), 0);

    assert_int_equal(model_exit_parse("lead:3:4", &model, err, sizeof err), 0);
    assert_int_equal(model.exit_mode, SNN_EXIT_LEAD);
    assert_int_equal(model.exit_lead, 3);
    assert_int_equal(model.exit_min_steps, 4);
    model_exit_format(&model, text);
    assert_string_equal(text, "lead:3:4");
    assert_int_equal(model_exit_parse("exact", &model, err, sizeof err), 0);
    assert_int_equal(snn_model_check(&model), 0);
    model_exit_format(&model, text);
    assert_string_equal(text, "exact");
    assert_int_equal(model_exit_parse("off", &model, err, sizeof err), 0);
    assert_int_equal(model.exit_mode, SNN_EXIT_OFF);
    assert_int_equal(model_exit_parse("lead:3:9", &model, err, sizeof err), -1); /* M > T = 8 */
    assert_non_null(strstr(err, "1..T = 8"));
    assert_int_equal(model_exit_parse("lead:0:1", &model, err, sizeof err), -1);
    assert_int_equal(model_exit_parse("lead:256:1", &model, err, sizeof err), -1);
    assert_int_equal(model_exit_parse("lead:3", &model, err, sizeof err), -1);
    assert_int_equal(model_exit_parse("lead:3:4x", &model, err, sizeof err), -1);
    assert_int_equal(model_exit_parse("lead:-1:4", &model, err, sizeof err), -1);
    assert_int_equal(model_exit_parse("fast", &model, err, sizeof err), -1);
    assert_non_null(strstr(err, "off, exact or lead:K:M"));
    assert_int_equal(model.exit_mode, SNN_EXIT_OFF); /* untouched by the failures */
}

/* The reports' mean and p99 of steps used (eval_run.c), on a known histogram. */
static void test_steps_statistics(void **state)
{
    static eval_stats_t st;
    (void)state;
    memset(&st, 0, sizeof st);
    st.images = 200;
    st.steps_hist[3] = 150; /* 150 images stop after 3 steps, 48 after 5, 2 run all 8 */
    st.steps_hist[5] = 48;
    st.steps_hist[8] = 2;
    st.steps = 150 * 3 + 48 * 5 + 2 * 8;
    assert_true(eval_mean_steps(&st) == (150.0 * 3 + 48 * 5 + 2 * 8) / 200);
    assert_int_equal(eval_steps_quantile(&st, 0.5), 3);
    assert_int_equal(eval_steps_quantile(&st, 0.75), 3);  /* exactly 150 of 200 within 3 */
    assert_int_equal(eval_steps_quantile(&st, 0.99), 5);  /* 198 of 200 within 5 */
    assert_int_equal(eval_steps_quantile(&st, 0.995), 8);
    assert_int_equal(eval_steps_quantile(&st, 1.0), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_boundaries),
        cmocka_unit_test(test_exact_gives_the_full_class),
        cmocka_unit_test(test_lead_mode),
        cmocka_unit_test(test_check_and_text),
        cmocka_unit_test(test_steps_statistics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
