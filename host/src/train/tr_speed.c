/* SPDX-License-Identifier: MIT
 * tr_speed.c : host/train --ablate speed (see tr_speed.h): one model per coding and T, each
 * measured by the golden model (accuracy, steps used, snn_cycle_model cycles) with every
 * early-exit setting; the table, the Pareto front and the fastest setting within 0.2 points
 * of the best accuracy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eval_run.h"
#include "json_report.h"
#include "monotonic.h"
#include "snn_protocol.h"
#include "qio.h"
#include "qout.h"
#include "tr_dist.h"
#include "tr_report.h"
#include "tr_run.h"
#include "tr_speed.h"
#include "tr_sweep.h"

static const struct { int encoding, steps; } SETTINGS[] = {
    {SNN_ENCODING_RATE, 25}, {SNN_ENCODING_RATE, 10}, {SNN_ENCODING_RATE, 5},
    {SNN_ENCODING_DIRECT, 4}, {SNN_ENCODING_DIRECT, 8}, {SNN_ENCODING_DIRECT, 16},
};
#define N_SETTINGS ((int)(sizeof SETTINGS / sizeof SETTINGS[0]))
/* off, exact, and lead:K:M for K = 1..4 and M = ceil(T/4), ceil(T/2) */
#define N_EXITS 10
#define N_ROWS (N_SETTINGS * N_EXITS)
/* "within 0.2 points of the best accuracy" (the rule), in thousandths */
#define SPEED_MARGIN_PERMILLE 2

typedef struct {
    int encoding, steps;
    char exit_text[MODEL_EXIT_TEXT_BYTES];
    int correct, images, p99_steps, changed, pareto;
    double mean_steps, cycles;
} speed_row_t;

static const char *enc_name(int e) { return e == SNN_ENCODING_DIRECT ? "direct" : "rate"; }

static void exit_setting(int k, int steps, char text[MODEL_EXIT_TEXT_BYTES])
{
    const int quarter = (steps + 3) / 4, half = (steps + 1) / 2;
    if (k == 0)
        snprintf(text, MODEL_EXIT_TEXT_BYTES, "off");
    else if (k == 1)
        snprintf(text, MODEL_EXIT_TEXT_BYTES, "exact");
    else
        snprintf(text, MODEL_EXIT_TEXT_BYTES, "lead:%d:%d", (uint8_t)(1 + (k - 2) / 2), /* K and M are u8 */
                 (uint8_t)((k - 2) % 2 ? half : quarter));
}

/* Trains one setting as host/train would with --encoding/--steps into m and meta; *report is
 * its JSON report (caller deletes).  Nothing is written: rank 0 writes (speed_ablation).
 * Returns 0 or -1. */
static int train_setting(const opts_t *base, int encoding, int steps, snn_model_t *m, model_meta_t *meta,
                         cJSON **report)
{
    opts_t o = *base;
    run_t *r = calloc(1, sizeof *r);
    export_result_t x;
    int rc = -1;
    if (!r)
        return -1;
    o.net.encoding = encoding;
    o.net.steps = steps;
    o.ablate[0] = 0;
    o.checkpoint[0] = 0;
    o.resume = 0;
    strcpy(o.early_exit, "off");
    o.exit_mode = SNN_EXIT_OFF;
    o.exit_lead = o.exit_min_steps = 0;
    memset(&x, 0, sizeof x);
    snprintf(x.name, sizeof x.name, "%s T=%d", enc_name(encoding), steps);
    if (run_open(r, &o) || run_start(r) || run_fp32(r) || run_qat(r, 0))
        goto out;
    run_health(r, &x);
    if (run_export(r, m, meta, &x))
        goto out;
    *report = report_build(r, &x, 0, 0, 0);
    fprintf(stderr, "speed: %s (rank %d): FP32 %.2f%%, INT8 %.2f%% (%d of %d)\n", x.name, dist_rank(),
            100.0 * r->fp32_acc, 100.0 * x.int8_acc, x.int8_correct, x.test_images);
    rc = 0;
out:
    run_close(r);
    free(r);
    return rc;
}

static int read_setting(int encoding, int steps, const char *path, snn_model_t *m)
{
    char err[600];
    if (model_read(path, m, NULL, err, sizeof err)) {
        fprintf(stderr, "train: --reuse-models: %s\n", err);
        return -1;
    }
    if (m->encoding != encoding || m->steps != steps) {
        fprintf(stderr, "train: --reuse-models: %s is %s T = %d, expected %s T = %d\n", path,
                enc_name(m->encoding), m->steps, enc_name(encoding), steps);
        return -1;
    }
    return 0;
}

/* Every early-exit setting on one model; the off row first (the others' reference). */
static int measure_setting(snn_model_t *m, const dataset_split_t *test, speed_row_t *rows)
{
    uint8_t *off_pred = malloc((size_t)test->n), *pred = malloc((size_t)test->n);
    eval_stats_t st;
    char err[256];
    int k, i;
    if (!off_pred || !pred) {
        free(off_pred);
        free(pred);
        return -1;
    }
    for (k = 0; k < N_EXITS; k++) {
        speed_row_t *w = &rows[k];
        memset(w, 0, sizeof *w);
        exit_setting(k, m->steps, w->exit_text);
        if (model_exit_parse(w->exit_text, m, err, sizeof err)) {
            fprintf(stderr, "train: %s\n", err);
            free(off_pred);
            free(pred);
            return -1;
        }
        eval_run(m, test, test->n, NULL, k == 0 ? off_pred : pred, 1, &st);
        w->encoding = m->encoding;
        w->steps = m->steps;
        w->correct = st.correct;
        w->images = st.images;
        w->mean_steps = eval_mean_steps(&st);
        w->p99_steps = eval_steps_quantile(&st, 0.99);
        w->cycles = (double)st.cycles / st.images;
        for (i = 0; k > 0 && i < test->n; i++)
            w->changed += pred[i] != off_pred[i];
        fprintf(stderr, "speed: %s T=%d early exit %-9s INT8 %.2f%%  steps mean %5.2f p99 %3d  %8.0f cycles/image\n",
                enc_name(w->encoding), w->steps, w->exit_text, 100.0 * w->correct / w->images, w->mean_steps,
                w->p99_steps, w->cycles);
    }
    free(off_pred);
    free(pred);
    return 0;
}

static void mark_pareto(speed_row_t *rows, int n)
{
    int i, j;
    for (i = 0; i < n; i++) {
        rows[i].pareto = 1;
        for (j = 0; j < n; j++)
            if (j != i && rows[j].cycles <= rows[i].cycles && rows[j].correct >= rows[i].correct &&
                (rows[j].cycles < rows[i].cycles || rows[j].correct > rows[i].correct))
                rows[i].pareto = 0;
    }
}

/* The fastest row whose accuracy is within SPEED_MARGIN_PERMILLE of the best. */
static int pick_fastest(const speed_row_t *rows, int n, int *best)
{
    int i, pick = -1;
    *best = 0;
    for (i = 0; i < n; i++)
        if (rows[i].correct > rows[*best].correct)
            *best = i;
    for (i = 0; i < n; i++)
        if (1000L * rows[i].correct >= 1000L * rows[*best].correct - (long)SPEED_MARGIN_PERMILLE * rows[i].images &&
            (pick < 0 || rows[i].cycles < rows[pick].cycles))
            pick = i;
    return pick;
}

static double us_per_image(double cycles) { return cycles * 1e6 / PROTO_DEFAULT_CLK_HZ; }

static cJSON *row_json(const speed_row_t *w)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "encoding", enc_name(w->encoding));
    cJSON_AddNumberToObject(o, "steps", w->steps);
    cJSON_AddStringToObject(o, "early_exit", w->exit_text);
    json_add_rounded(o, "int8_accuracy", (double)w->correct / w->images, 6);
    cJSON_AddNumberToObject(o, "int8_correct", w->correct);
    cJSON_AddNumberToObject(o, "test_images", w->images);
    json_add_rounded(o, "mean_steps_used", w->mean_steps, 3);
    cJSON_AddNumberToObject(o, "p99_steps_used", w->p99_steps);
    json_add_rounded(o, "model_cycles_per_image", w->cycles, 1);
    json_add_rounded(o, "us_per_image", us_per_image(w->cycles), 2);
    cJSON_AddNumberToObject(o, "classes_changed_vs_off", w->changed);
    cJSON_AddBoolToObject(o, "pareto", w->pareto);
    return o;
}

static int write_markdown(const char *path, const opts_t *o, const speed_row_t *rows, int n, int best, int pick)
{
    char err[512];
    FILE *f = qio_fopen(path, "w", err, sizeof err);
    int i;
    if (!f) {
        fprintf(stderr, "train: %s\n", err);
        return -1;
    }
    fprintf(f, "| coding | T | early exit | INT8 accuracy | correct | steps used: mean | p99 | model cycles / image "
               "| µs / image at %d MHz | classes changed vs off | Pareto |\n", PROTO_DEFAULT_CLK_HZ / 1000000);
    fprintf(f, "|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (i = 0; i < n; i++) {
        const speed_row_t *w = &rows[i];
        const char *b = i == pick ? "**" : "";
        fprintf(f, "| %s%s%s | %d | `%s` | %s%.2f %%%s | %d | %.2f | %d | %s%.0f%s | %.1f | %d | %s |\n", b,
                enc_name(w->encoding), b, w->steps, w->exit_text, b, 100.0 * w->correct / w->images, b,
                w->correct, w->mean_steps, w->p99_steps, b, w->cycles, b, us_per_image(w->cycles), w->changed,
                w->pareto ? "yes" : "");
    }
    fprintf(f, "\nBest accuracy: %s T = %d, early exit `%s`, %.2f %%. Fastest within 0.%d points of it "
               "(in bold): %s T = %d, early exit `%s`, %.2f %%, %.0f cycles per image. "
               "(%s, seed %u, %d %s images.)\n",
            enc_name(rows[best].encoding), rows[best].steps, rows[best].exit_text,
            100.0 * rows[best].correct / rows[best].images, SPEED_MARGIN_PERMILLE, enc_name(rows[pick].encoding),
            rows[pick].steps, rows[pick].exit_text, 100.0 * rows[pick].correct / rows[pick].images,
            rows[pick].cycles, o->data, o->seed, rows[0].images, opts_eval_split(o));
    if (fclose(f)) {
        fprintf(stderr, "train: %s: write failed\n", path);
        return -1;
    }
    return 0;
}

static const speed_row_t *sort_rows; /* by_cycles' table (qsort has no context argument in C99) */
static int by_cycles(const void *a, const void *b)
{
    const double ca = sort_rows[*(const int *)a].cycles, cb = sort_rows[*(const int *)b].cycles;
    return ca < cb ? -1 : ca > cb;
}

/* Accuracy against cycles, log x, the Pareto front joined. */
static int write_plot(const char *dir, const speed_row_t *rows, int n)
{
    char dat[300], gp[300], png[300], err[512];
    FILE *f;
    int front[N_ROWS], n_front = 0, i, e;
    snprintf(dat, sizeof dat, "%s/speed-pareto.dat", dir);
    snprintf(gp, sizeof gp, "%s/speed-pareto.gp", dir);
    snprintf(png, sizeof png, "%s/speed-pareto.png", dir);
    if (!(f = qio_fopen(dat, "w", err, sizeof err))) {
        fprintf(stderr, "train: plot: %s\n", err);
        return -1;
    }
    /* blocks 0, 1: rate and direct rows; block 2: the Pareto front by cycles */
    for (e = 0; e < 2; e++) {
        fprintf(f, "# %s: cycles accuracy label\n", enc_name(e));
        for (i = 0; i < n; i++)
            if (rows[i].encoding == e)
                fprintf(f, "%.1f %.4f %s-T%d-%s\n", rows[i].cycles, 100.0 * rows[i].correct / rows[i].images,
                        enc_name(e), rows[i].steps, rows[i].exit_text);
        fprintf(f, "\n\n");
    }
    fprintf(f, "# Pareto front\n");
    sort_rows = rows;
    for (i = 0; i < n; i++)
        if (rows[i].pareto)
            front[n_front++] = i;
    qsort(front, (size_t)n_front, sizeof front[0], by_cycles);
    for (i = 0; i < n_front; i++) {
        const speed_row_t *w = &rows[front[i]];
        fprintf(f, "%.1f %.4f %s-T%d-%s\n", w->cycles, 100.0 * w->correct / w->images, enc_name(w->encoding),
                w->steps, w->exit_text);
    }
    fclose(f);
    if (!(f = qio_fopen(gp, "w", err, sizeof err))) {
        fprintf(stderr, "train: plot: %s\n", err);
        return -1;
    }
    fprintf(f, "set terminal png size 1100,650\nset output '%s'\n"
               "set title 'INT8 accuracy against accelerator cycles per image (golden cycle model)'\n"
               "set xlabel 'model cycles per image (log)'\nset ylabel 'INT8 test accuracy (%%)'\n"
               "set logscale x\nset grid\nset key bottom right\n"
               "plot '%s' index 0 using 1:2 with points pt 7 title 'rate coding', "
               "'%s' index 1 using 1:2 with points pt 5 title 'direct coding', "
               "'%s' index 2 using 1:2 with lines lw 2 title 'Pareto front', "
               "'%s' index 2 using 1:2:3 with labels font ',8' offset 0,1 notitle\n",
            png, dat, dat, dat, dat);
    fclose(f);
    return report_gnuplot(gp);
}

/* ---------------------------------------------------------------- one setting per rank */
/* A setting's measured rows, exactly (JSON numbers round-trip doubles), for the sweep row. */
static cJSON *rows_pack(const speed_row_t *w)
{
    cJSON *a = cJSON_CreateArray();
    int k;
    for (k = 0; k < N_EXITS; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "encoding", w[k].encoding);
        cJSON_AddNumberToObject(o, "steps", w[k].steps);
        cJSON_AddStringToObject(o, "early_exit", w[k].exit_text);
        cJSON_AddNumberToObject(o, "correct", w[k].correct);
        cJSON_AddNumberToObject(o, "images", w[k].images);
        cJSON_AddNumberToObject(o, "p99_steps", w[k].p99_steps);
        cJSON_AddNumberToObject(o, "changed", w[k].changed);
        cJSON_AddNumberToObject(o, "mean_steps", w[k].mean_steps);
        cJSON_AddNumberToObject(o, "cycles", w[k].cycles);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static int rows_unpack(const cJSON *a, speed_row_t *w)
{
    int k;
    if (cJSON_GetArraySize(a) != N_EXITS)
        return -1;
    for (k = 0; k < N_EXITS; k++) {
        const cJSON *o = cJSON_GetArrayItem(a, k), *e = cJSON_GetObjectItem(o, "early_exit");
        if (!cJSON_IsString(e))
            return -1;
        memset(&w[k], 0, sizeof w[k]);
        w[k].encoding = cJSON_GetObjectItem(o, "encoding")->valueint;
        w[k].steps = cJSON_GetObjectItem(o, "steps")->valueint;
        snprintf(w[k].exit_text, sizeof w[k].exit_text, "%s", e->valuestring);
        w[k].correct = cJSON_GetObjectItem(o, "correct")->valueint;
        w[k].images = cJSON_GetObjectItem(o, "images")->valueint;
        w[k].p99_steps = cJSON_GetObjectItem(o, "p99_steps")->valueint;
        w[k].changed = cJSON_GetObjectItem(o, "changed")->valueint;
        w[k].mean_steps = cJSON_GetObjectItem(o, "mean_steps")->valuedouble;
        w[k].cycles = cJSON_GetObjectItem(o, "cycles")->valuedouble;
    }
    return 0;
}

static void model_path(const opts_t *o, int s, char *path, size_t len)
{
    snprintf(path, len, "%s/%s-T%d.qmodel", o->ablate_dir, enc_name(SETTINGS[s].encoding), SETTINGS[s].steps);
}

typedef struct {
    const opts_t *o;
    const dataset_split_t *test;
    char **key;
} speed_ctx_t;

/* Setting k on this rank: trained (or read with --reuse-models) and measured.  The row holds the
 * measured rows and, when trained, the model file's bytes (hex) and its report, which rank 0
 * writes. */
static int speed_one(void *ctx, int k, char **text)
{
    static const char hexd[] = "0123456789abcdef";
    const speed_ctx_t *c = ctx;
    const int e = SETTINGS[k].encoding, t = SETTINGS[k].steps;
    speed_row_t w[N_EXITS];
    snn_model_t *m = malloc(sizeof *m);
    model_meta_t meta;
    cJSON *report = NULL, *row;
    char path[600];
    double t0 = monotonic_s();
    model_path(c->o, k, path, sizeof path);
    fprintf(stderr, "\nspeed %d/%d (rank %d): %s T = %d: %s %s\n", k + 1, N_SETTINGS, dist_rank(), enc_name(e), t,
            c->o->reuse_models ? "reading" : "training", path);
    if (!m || (c->o->reuse_models ? read_setting(e, t, path, m) : train_setting(c->o, e, t, m, &meta, &report)) ||
        measure_setting(m, c->test, w)) {
        cJSON_Delete(report);
        free(m);
        return -1;
    }
    row = cJSON_CreateObject();
    cJSON_AddItemToObject(row, "rows", rows_pack(w));
    if (report) {
        uint8_t *buf = malloc(MODEL_FILE_MAX_BYTES);
        char *hex = malloc(2 * MODEL_FILE_MAX_BYTES + 1);
        size_t len = 0, i;
        if (!buf || !hex || model_encode(m, &meta, buf, MODEL_FILE_MAX_BYTES, &len) != MODEL_OK) {
            fprintf(stderr, "train: speed: cannot encode the %s T = %d model\n", enc_name(e), t);
            free(buf);
            free(hex);
            free(m);
            cJSON_Delete(report);
            cJSON_Delete(row);
            return -1;
        }
        for (i = 0; i < len; i++) {
            hex[2 * i] = hexd[buf[i] >> 4];
            hex[2 * i + 1] = hexd[buf[i] & 15];
        }
        hex[2 * len] = 0;
        cJSON_AddStringToObject(row, "model", hex);
        cJSON_AddItemToObject(row, "report", report);
        free(buf);
        free(hex);
    }
    free(m);
    *text = sweep_row_text(row, c->key[k], monotonic_s() - t0);
    return *text ? 0 : -1;
}

/* Rank 0: setting s's model file and report from its row (trained settings only). */
static int write_setting(const opts_t *o, int s, const cJSON *row)
{
    const cJSON *hex = cJSON_GetObjectItem(row, "model");
    char path[600], report[600], err[700];
    uint8_t *buf;
    size_t len, i;
    if (!cJSON_IsString(hex))
        return 0;
    len = strlen(hex->valuestring) / 2;
    if (!(buf = malloc(len + 1)))
        return -1;
    for (i = 0; i < len; i++) {
        unsigned v;
        sscanf(hex->valuestring + 2 * i, "%2x", &v);
        buf[i] = (uint8_t)v;
    }
    model_path(o, s, path, sizeof path);
    snprintf(report, sizeof report, "%.*s.json", (int)strlen(path) - 7, path); /* x.qmodel -> x.json */
    if (qout_write(path, buf, len, err, sizeof err) ||
        json_report_write(report, cJSON_GetObjectItem(row, "report"), err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        free(buf);
        return -1;
    }
    free(buf);
    return 0;
}

int speed_ablation(const opts_t *o)
{
    static speed_row_t rows[N_ROWS];
    char err[512], path[600], *key[N_SETTINGS];
    dataset_t d;
    speed_ctx_t ctx = {o, &d.test, key};
    cJSON *root = NULL, *a, *done = cJSON_CreateArray();
    int s, i, best, pick, rc = 1;

    if (dataset_load(o->data, &d, err, sizeof err) ||
        (o->holdout && dataset_hold_out(&d, o->holdout, err, sizeof err))) {
        fprintf(stderr, "train: %s\n", err);
        dataset_free(&d);
        cJSON_Delete(done);
        return 1;
    }
    for (s = 0; s < N_SETTINGS; s++) {
        char name[32];
        snprintf(name, sizeof name, "%s T=%d", enc_name(SETTINGS[s].encoding), SETTINGS[s].steps);
        key[s] = strdup(name);
    }
    if (sweep_run(o, "speed", key, N_SETTINGS, speed_one, &ctx, done))
        goto out;
    if (dist_rank() > 0) { /* rank 0 writes the models, the table and the plot */
        rc = 0;
        goto out;
    }
    for (s = 0; s < N_SETTINGS; s++) {
        const cJSON *row = cJSON_GetArrayItem(done, s);
        if (!row || rows_unpack(cJSON_GetObjectItem(row, "rows"), rows + s * N_EXITS) || write_setting(o, s, row)) {
            fprintf(stderr, "train: speed: no result for %s\n", key[s]);
            goto out;
        }
    }
    mark_pareto(rows, N_ROWS);
    pick = pick_fastest(rows, N_ROWS, &best);
    root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "dataset", d.name);
    cJSON_AddNumberToObject(root, "seed", o->seed);
    cJSON_AddNumberToObject(root, "clock_hz", PROTO_DEFAULT_CLK_HZ);
    a = cJSON_AddArrayToObject(root, "rows");
    for (i = 0; i < N_ROWS; i++)
        cJSON_AddItemToArray(a, row_json(&rows[i]));
    cJSON_AddItemToObject(root, "best_accuracy", row_json(&rows[best]));
    cJSON_AddItemToObject(root, "fastest_within_0.2_points", row_json(&rows[pick]));
    snprintf(path, sizeof path, "%s/speed.json", o->ablate_dir);
    if (json_report_write(path, root, err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        goto out;
    }
    snprintf(path, sizeof path, "%s/speed.md", o->ablate_dir);
    if (write_markdown(path, o, rows, N_ROWS, best, pick) || write_plot(o->ablate_dir, rows, N_ROWS))
        goto out;
    fprintf(stderr, "\nspeed: best %s T=%d %s %.2f%%; fastest within 0.2 points: %s T=%d %s %.2f%%, %.0f cycles "
                    "(%.1f us at %d MHz); table %s/speed.md, plot %s/speed-pareto.png\n",
            enc_name(rows[best].encoding), rows[best].steps, rows[best].exit_text,
            100.0 * rows[best].correct / rows[best].images, enc_name(rows[pick].encoding), rows[pick].steps,
            rows[pick].exit_text, 100.0 * rows[pick].correct / rows[pick].images, rows[pick].cycles,
            us_per_image(rows[pick].cycles), PROTO_DEFAULT_CLK_HZ / 1000000, o->ablate_dir, o->ablate_dir);
    json_report_print(stdout, cJSON_GetObjectItem(root, "fastest_within_0.2_points"));
    rc = 0;
out:
    cJSON_Delete(root);
    cJSON_Delete(done);
    for (s = 0; s < N_SETTINGS; s++)
        free(key[s]);
    dataset_free(&d);
    return rc;
}
