/* SPDX-License-Identifier: MIT
 * sim_run.c : runs the RTL (sim_dut) and the golden model (snn_infer) side by side on a model
 * file and dataset images, or on random models, and reports every difference.
 */
#include "sim_run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"
#include "json_report.h"
#include "model_file.h"
#include "progress.h"
#include "random_model.h"
#include "sim_compare.h"
#include "sim_dump.h"
#include "sim_dut.h"
#include "snn.h"

typedef struct {
    const char *model, *dataset, *report, *trace, *dump_dir;
    long images;            /* -1: all */
    long dump_image;        /* -1: none */
    long random;            /* random models, 0: use the model file */
    unsigned long seed;
    int max_steps, inputs_per_model;
    long max_print;
    int exit_set, exit_mode, exit_lead, exit_min; /* --exit: replaces the model file's setting */
} sim_opts_t;

typedef struct {
    long images, mismatches, bad_images, correct, labelled, early_exits;
    double cycles, bound, steps;
    int first_bad_image;
} sim_stats_t;

static snn_model_t model;
static snn_trace_t gtrace;
static rtl_result_t rtl;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: sim_core [options]\n"
        "Runs snn_core (Verilator) and the golden model side by side and compares, per image and\n"
        "step, the spikes of every layer, the final membranes, counts, class and cycle count.\n"
        "  --model PATH        model file (default build/models/default.qmodel)\n"
        "  --dataset SPEC      dataset for --model runs (default mnist)\n"
        "  --images N|all      test images (default 200); image i uses seed i\n"
        "  --exit MODE         early exit for --model runs instead of the file's: off | exact | lead:K:M\n"
        "  --random N          instead: N random valid models (with --seed, --max-steps, --inputs)\n"
        "  --seed S            random seed (default 1)\n"
        "  --max-steps T       largest T of most random models (default 24)\n"
        "  --inputs K          random inputs per random model (default 2)\n"
        "  --trace FILE.fst    FST waveform of the first mismatching image (else the first image)\n"
        "  --report PATH       JSON summary (default build/sim/report.json)\n"
        "  --max-print N       mismatch lines printed (default 50)\n"
        "  --dump-image N      write test image N's spikes and per-step membranes, golden model and\n"
        "                      RTL, to --dump-dir DIR (golden.txt, rtl.txt), then run --images as usual\n"
        "  --help              this text\n"
        "Exit status: 0 when everything matched, 1 on any mismatch, 2 on bad input or errors.\n");
}

static int parse(int argc, char **argv, sim_opts_t *o)
{
    static const struct option longs[] = {
        {"model", required_argument, 0, 'm'}, {"dataset", required_argument, 0, 'd'},
        {"images", required_argument, 0, 'n'}, {"random", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'}, {"max-steps", required_argument, 0, 'T'},
        {"inputs", required_argument, 0, 'k'}, {"trace", required_argument, 0, 't'},
        {"report", required_argument, 0, 'o'}, {"max-print", required_argument, 0, 'p'},
        {"exit", required_argument, 0, 'x'},
        {"dump-image", required_argument, 0, 'D'}, {"dump-dir", required_argument, 0, 'O'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    char *end;
    int c;
    o->model = "build/models/default.qmodel";
    o->dataset = "mnist";
    o->report = "build/sim/report.json";
    o->trace = NULL;
    o->images = 200;
    o->random = 0;
    o->seed = 1;
    o->max_steps = 24;
    o->inputs_per_model = 2;
    o->max_print = 50;
    o->exit_set = 0;
    o->dump_image = -1;
    o->dump_dir = NULL;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        long v = 0;
        if (optarg && c != 'm' && c != 'd' && c != 't' && c != 'o' && c != 'O' && c != 'x' &&
            !(c == 'n' && !strcmp(optarg, "all"))) {
            v = strtol(optarg, &end, 0);
            if (*end || v < 0) {
                fprintf(stderr, "sim_core: option wants a non-negative number, not '%s' (try --help)\n", optarg);
                return -1;
            }
        }
        switch (c) {
        case 'm': o->model = optarg; break;
        case 'd': o->dataset = optarg; break;
        case 'n': o->images = strcmp(optarg, "all") ? v : -1; break;
        case 'r': o->random = v; break;
        case 's': o->seed = (unsigned long)v; break;
        case 'T': o->max_steps = v < 1 ? 1 : v > SNN_MAX_STEPS ? SNN_MAX_STEPS : (int)v; break;
        case 'k': o->inputs_per_model = v < 1 ? 1 : (int)v; break;
        case 't': o->trace = optarg; break;
        case 'o': o->report = optarg; break;
        case 'p': o->max_print = v; break;
        case 'x':
            o->exit_set = 1;
            o->exit_lead = o->exit_min = 0;
            if (!strcmp(optarg, "off")) {
                o->exit_mode = SNN_EXIT_OFF;
            } else if (!strcmp(optarg, "exact")) {
                o->exit_mode = SNN_EXIT_EXACT;
            } else if (sscanf(optarg, "lead:%d:%d", &o->exit_lead, &o->exit_min) == 2) {
                o->exit_mode = SNN_EXIT_LEAD;
            } else {
                fprintf(stderr, "sim_core: --exit wants off, exact or lead:K:M, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 'D': o->dump_image = v; break;
        case 'O': o->dump_dir = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "sim_core: unexpected argument '%s' (try --help)\n", argv[optind]);
        return -1;
    }
    if ((o->dump_image >= 0) != (o->dump_dir != NULL) || (o->dump_image >= 0 && o->random)) {
        fprintf(stderr, "sim_core: --dump-image and --dump-dir go together, with a --model run (try --help)\n");
        return -1;
    }
    return 0;
}

/* One image through both models; returns its mismatches, or -1 on a simulation error. */
static long run_one(const sim_opts_t *o, int image, const uint8_t *pixels, uint32_t seed, int label,
                    sim_stats_t *st, long *budget)
{
    snn_result_t gr;
    long bad;
    snn_infer(&model, pixels, seed, &gr, &gtrace);
    if (dut_run_image(&model, pixels, seed, &rtl))
        return -1;
    bad = sim_compare(&model, image, &gr, &gtrace, &rtl, dut_has_taps(), stdout, budget);
    st->images++;
    st->mismatches += bad;
    st->cycles += rtl.cycles_seen;
    st->steps += gr.steps_used;
    st->early_exits += gr.steps_used < model.steps;
    st->bound += snn_bandwidth_bound(&model, &gr);
    if (label >= 0) {
        st->labelled++;
        st->correct += rtl.predicted == label;
    }
    if (bad && st->bad_images++ == 0) {
        st->first_bad_image = image;
        if (dut_has_taps())
            sim_side_by_side(&model, image, &gtrace, &rtl, stdout);
        if (o->trace) { /* the waveform of this image: run it again with tracing on */
            dut_trace(1);
            dut_run_image(&model, pixels, seed, &rtl);
            dut_trace(0);
        }
    }
    return bad;
}

static int run_model_file(const sim_opts_t *o, sim_stats_t *st)
{
    char err[512];
    dataset_t d;
    model_meta_t meta;
    long n, i, budget = o->max_print;
    progress_t bar;
    int rc = model_read(o->model, &model, &meta, err, sizeof err);
    if (rc != MODEL_OK) {
        fprintf(stderr, "sim_core: %s\n(make sim trains the default model first; or pass SIM_MODEL=path, or SIM_RANDOM=N)\n", err);
        return -1;
    }
    if (dataset_load(o->dataset, &d, err, sizeof err)) {
        fprintf(stderr, "sim_core: %s\n", err);
        return -1;
    }
    if (o->exit_set) {
        model.exit_mode = (uint8_t)o->exit_mode;
        model.exit_lead = (uint8_t)o->exit_lead;
        model.exit_min_steps = (uint8_t)o->exit_min;
        if (snn_model_check(&model)) {
            fprintf(stderr, "sim_core: --exit: %s\n", snn_model_error(snn_model_check(&model)));
            dataset_free(&d);
            return -1;
        }
    }
    if (d.test.rows * d.test.cols != model.layer[0].n_in) {
        fprintf(stderr, "sim_core: %s has %d inputs but the %s images have %d pixels\n", o->model,
                model.layer[0].n_in, o->dataset, d.test.rows * d.test.cols);
        dataset_free(&d);
        return -1;
    }
    n = o->images < 0 || o->images > d.test.n ? d.test.n : o->images;
    if (o->dump_image >= d.test.n) {
        fprintf(stderr, "sim_core: --dump-image %ld: the %s test split has %d images\n", o->dump_image,
                o->dataset, d.test.n);
        dataset_free(&d);
        return -1;
    }
    if (o->dump_image >= 0 &&
        sim_dump_image(&model, d.test.images + (size_t)o->dump_image * model.layer[0].n_in,
                       (uint32_t)o->dump_image, o->dump_dir)) {
        dataset_free(&d);
        return -1;
    }
    if (dut_load_model(&model)) {
        dataset_free(&d);
        return -1;
    }
    progress_start(&bar, "sim", n, 10, 0);
    for (i = 0; i < n; i++) {
        const uint8_t *px = d.test.images + (size_t)i * model.layer[0].n_in;
        if (run_one(o, (int)i, px, (uint32_t)i, d.test.labels[i], st, &budget) < 0) {
            dataset_free(&d);
            return -1;
        }
        progress_update(&bar, i + 1, "images, %ld mismatches", st->mismatches);
    }
    progress_end(&bar, n, "images, %ld mismatches", st->mismatches);
    if (o->trace && st->bad_images == 0) {
        dut_trace(1);
        dut_run_image(&model, d.test.images, 0, &rtl);
        dut_trace(0);
    }
    dataset_free(&d);
    return 0;
}

static int run_random(const sim_opts_t *o, sim_stats_t *st)
{
    static uint8_t px[SNN_MAX_INPUTS];
    rnd_t r;
    long k, budget = o->max_print;
    progress_t bar;
    int i, image = 0;
    rnd_seed(&r, o->seed);
    progress_start(&bar, "sim", o->random, 10, 0);
    for (k = 0; k < o->random; k++) {
        if (random_model(&r, &model, o->max_steps))
            return -1;
        if (dut_load_model(&model))
            return -1;
        for (i = 0; i < o->inputs_per_model; i++, image++) {
            const long before = st->mismatches;
            random_pixels(&r, px, model.layer[0].n_in);
            if (run_one(o, image, px, rnd_u32(&r), -1, st, &budget) < 0)
                return -1;
            if (st->mismatches > before)
                printf("  (image %d is input %d of random model %ld: L=%d T=%d %s, exit mode %d K=%d M=%d, seed %lu)\n",
                       image, i, k, model.n_layers, model.steps, model.encoding ? "direct" : "rate",
                       model.exit_mode, model.exit_lead, model.exit_min_steps, o->seed);
        }
        progress_update(&bar, k + 1, "random models, %ld mismatches", st->mismatches);
    }
    progress_end(&bar, o->random, "random models, %ld mismatches", st->mismatches);
    if (o->trace && st->bad_images == 0) {
        dut_trace(1);
        dut_run_image(&model, px, 0, &rtl);
        dut_trace(0);
    }
    return 0;
}

int sim_run(int argc, char **argv)
{
    sim_opts_t o;
    sim_stats_t st;
    char err[512];
    clock_t c0 = clock();
    int rc;
    cJSON *rep;

    if (parse(argc, argv, &o))
        return 2;
    memset(&st, 0, sizeof st);
    st.first_bad_image = -1;
    dut_open(o.trace);
    rc = o.random ? run_random(&o, &st) : run_model_file(&o, &st);
    dut_close();
    if (rc)
        return 2;

    const double n = st.images ? (double)st.images : 1.0;
    printf("sim: %s, %ld images (%s), %ld mismatches in %ld images; cycles/image %.1f, bandwidth bound %.1f (ratio %.3f); "
           "steps used %.2f, %ld early exits\n",
           st.mismatches ? "FAIL" : "PASS", st.images, o.random ? "random models" : o.model, st.mismatches,
           st.bad_images, st.cycles / n, st.bound / n, st.bound > 0 ? st.cycles / st.bound : 0.0, st.steps / n,
           st.early_exits);
    rep = cJSON_CreateObject();
    cJSON_AddStringToObject(rep, "level", dut_has_taps() ? "rtl" : "gate");
    cJSON_AddStringToObject(rep, "source", o.random ? "random" : o.model);
    if (o.random) {
        cJSON_AddNumberToObject(rep, "random_models", (double)o.random);
        cJSON_AddNumberToObject(rep, "seed", (double)o.seed);
    }
    cJSON_AddNumberToObject(rep, "images", (double)st.images);
    cJSON_AddNumberToObject(rep, "mismatches", (double)st.mismatches);
    cJSON_AddNumberToObject(rep, "mismatching_images", (double)st.bad_images);
    cJSON_AddNumberToObject(rep, "first_mismatching_image", st.first_bad_image);
    json_add_rounded(rep, "cycles_mean", st.cycles / n, 1);
    json_add_rounded(rep, "steps_used_mean", st.steps / n, 3);
    cJSON_AddNumberToObject(rep, "early_exits", (double)st.early_exits);
    json_add_rounded(rep, "bound_cycles_mean", st.bound / n, 1);
    json_add_rounded(rep, "cycles_over_bound", st.bound > 0 ? st.cycles / st.bound : 0.0, 4);
    if (st.labelled)
        json_add_rounded(rep, "rtl_accuracy", (double)st.correct / (double)st.labelled, 4);
    cJSON_AddNumberToObject(rep, "clocks_simulated", (double)dut_clocks());
    json_add_rounded(rep, "cpu_seconds", (double)(clock() - c0) / CLOCKS_PER_SEC, 2);
    if (json_report_write(o.report, rep, err, sizeof err))
        fprintf(stderr, "sim_core: %s\n", err);
    cJSON_Delete(rep);
    return st.mismatches ? 1 : 0;
}
