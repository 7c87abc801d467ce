/* SPDX-License-Identifier: MIT
 * tr_sweep.c : --ablate and --sweep FILE, one configuration per rank at a time (see tr_sweep.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_report.h"
#include "monotonic.h"
#include "qio.h"
#include "tr_dist.h"
#include "tr_report.h"
#include "tr_sweep.h"

#define SWEEP_MAX_ARGS 64

typedef struct {
    const opts_t *base;
    const char *kind;            /* "observers", "recipes", "speed" or the --sweep file */
    int n;
    char **key;                  /* (n) variant name or configuration line */
    cJSON **row;                 /* (n) finished rows (rank 0) */
    int finished;
    char state[300];             /* CHECKPOINT.sweep.json, or "" */
    dist_run_fn run;             /* the caller's configuration runner and its context */
    void *ctx;
} sweep_t;

/* --ablate observers|recipes: the FP32 run and its weights */
typedef struct {
    run_t *r;
    char **key;
    int n;
    tensors_t p0;
    int fp32_hist;
} ablate_t;

/* --sweep FILE */
typedef struct {
    const opts_t *base;
    char **key;
    int n;
} lines_t;

char *sweep_row_text(cJSON *row, const char *key, double seconds)
{
    char *text;
    cJSON_AddStringToObject(row, "key", key);
    json_add_rounded(row, "seconds", seconds, 2);
    cJSON_AddNumberToObject(row, "rank", dist_rank());
    text = cJSON_PrintUnformatted(row);
    cJSON_Delete(row);
    return text;
}

static const char *fingerprint_text(const opts_t *o, char *buf, size_t len)
{
    snprintf(buf, len, "%016" PRIx64, ckpt_fingerprint(o));
    return buf;
}

/* Rank 0: the finished rows, atomically, after each configuration. */
static int save_state(const sweep_t *s)
{
    cJSON *root = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(root, "finished");
    char err[512], fp[24];
    int k, rc = 0;
    cJSON_AddStringToObject(root, "sweep", s->kind);
    cJSON_AddStringToObject(root, "fingerprint", fingerprint_text(s->base, fp, sizeof fp));
    for (k = 0; k < s->n; k++)
        if (s->row[k])
            cJSON_AddItemReferenceToArray(rows, s->row[k]);
    if (json_report_write(s->state, root, err, sizeof err)) {
        fprintf(stderr, "train: sweep state: %s\n", err);
        rc = -1;
    }
    cJSON_Delete(root);
    return rc;
}

/* Rank 0 with --resume: the rows a previous run finished; marks them done. */
static int load_state(sweep_t *s, uint8_t *todo)
{
    uint8_t *buf;
    size_t len;
    char err[512], fp[24];
    cJSON *root, *rows, *it;
    const cJSON *f;
    FILE *probe = fopen(s->state, "rb");
    if (!probe) {
        fprintf(stderr, "train: --resume: no sweep state at %s yet, every configuration runs\n", s->state);
        return 0;
    }
    fclose(probe);
    if (qio_read_file(s->state, &buf, &len, (size_t)1 << 28, err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        return -1;
    }
    root = cJSON_ParseWithLength((const char *)buf, len);
    free(buf);
    f = cJSON_GetObjectItem(root, "fingerprint");
    rows = cJSON_GetObjectItem(root, "finished");
    if (!root || !cJSON_IsString(f) || !cJSON_IsArray(rows)) {
        fprintf(stderr, "train: %s is not a sweep state file (delete it to start the sweep afresh)\n", s->state);
        cJSON_Delete(root);
        return -1;
    }
    if (strcmp(f->valuestring, fingerprint_text(s->base, fp, sizeof fp))) {
        fprintf(stderr, "train: %s was written by a sweep with other training options; resume with the same "
                        "options or delete it\n", s->state);
        cJSON_Delete(root);
        return -1;
    }
    cJSON_ArrayForEach(it, rows) {
        const cJSON *key = cJSON_GetObjectItem(it, "key");
        int k;
        for (k = 0; k < s->n && cJSON_IsString(key); k++)
            if (todo[k] && !strcmp(key->valuestring, s->key[k])) {
                s->row[k] = cJSON_Duplicate(it, 1);
                todo[k] = 0;
                s->finished++;
                break;
            }
    }
    cJSON_Delete(root);
    fprintf(stderr, "train: resumed the sweep from %s: %d of %d configurations finished, skipped\n", s->state,
            s->finished, s->n);
    return 0;
}

static int on_done(void *ctx, int k, const char *text)
{
    sweep_t *s = ctx;
    cJSON *row = cJSON_Parse(text);
    if (!row)
        return -1;
    s->row[k] = row;
    s->finished++;
    fprintf(stderr, "sweep: %d of %d finished: %s (rank %d)\n", s->finished, s->n, s->key[k],
            cJSON_GetObjectItem(row, "rank")->valueint);
    return s->state[0] ? save_state(s) : 0;
}

static int run_one(void *ctx, int k, char **text)
{
    sweep_t *s = ctx;
    return s->run(s->ctx, k, text);
}

int sweep_run(const opts_t *base, const char *kind, char **key, int n, dist_run_fn run, void *ctx, cJSON *rows)
{
    sweep_t sw = {base, kind, n, key, 0, 0, "", run, ctx}, *s = &sw;
    uint8_t *todo = malloc((size_t)s->n);
    int k, rc;
    s->row = calloc((size_t)s->n, sizeof *s->row);
    if (!todo || !s->row) {
        fprintf(stderr, "train: out of memory\n");
        free(todo);
        free(s->row);
        return -1;
    }
    memset(todo, 1, (size_t)s->n);
    if (s->base->checkpoint[0])
        snprintf(s->state, sizeof s->state, "%s.sweep.json", s->base->checkpoint);
    rc = dist_rank() == 0 && s->state[0] && s->base->resume ? load_state(s, todo) : 0;
    if (rc == 0) {
        if (dist_rank() == 0)
            fprintf(stderr, "sweep: %d configurations over %d rank(s), one per rank at a time\n",
                    s->n - s->finished, dist_ranks());
        rc = dist_sweep(s->n, todo, run_one, on_done, s);
    }
    for (k = 0; k < s->n; k++)
        if (s->row[k])
            cJSON_AddItemToArray(rows, s->row[k]);
    free(s->row);
    free(todo);
    return rc;
}

/* ---------------------------------------------------------------- --ablate */
static const char *obs_names[] = {"minmax", "moving-average"};
static const char *gran_names[] = {"per-tensor", "per-channel"};

static int ablate_run(void *ctx, int k, char **text)
{
    ablate_t *s = ctx;
    run_t *r = s->r;
    const int recipes = !strcmp(r->o.ablate, "recipes");
    const optim_preset_t *presets;
    int n_presets;
    optim_config_t cfg;
    export_result_t x;
    model_meta_t meta;
    snn_model_t *m = malloc(sizeof *m);
    double t0 = monotonic_s();
    int obs, pc;
    cJSON *row;

    presets = optim_presets(&n_presets);
    cfg = recipes ? presets[k].cfg : r->qat_cfg;
    obs = recipes ? r->o.observer : k / 2;
    pc = recipes ? r->o.per_channel : k % 2;
    memset(&x, 0, sizeof x);
    if (recipes && r->o.qat_epochs >= 0)
        cfg.epochs = r->o.qat_epochs;
    snprintf(x.name, sizeof x.name, "%s", s->key[k]);
    fprintf(stderr, "ablation %d/%d (rank %d): %s\n", k + 1, s->n, dist_rank(), x.name);
    memcpy(r->p.mem, s->p0.mem, sizeof(float) * r->p.n);
    r->n_hist = s->fp32_hist;
    if (!m || run_qat_begin(r, obs, pc, &cfg) || run_qat(r, 0)) {
        free(m);
        return -1;
    }
    run_health(r, &x);
    if (run_export(r, m, &meta, &x)) {
        free(m);
        return -1;
    }
    free(m);
    row = report_export_json(&x, r);
    cJSON_AddNumberToObject(row, "qat_epochs", cfg.epochs);
    if (recipes) {
        cJSON_AddStringToObject(row, "optimizer", optim_name(cfg.opt));
        cJSON_AddStringToObject(row, "schedule", optim_sched_name(cfg.sched));
        cJSON_AddNumberToObject(row, "lr", cfg.lr);
    }
    *text = sweep_row_text(row, s->key[k], monotonic_s() - t0);
    return *text ? 0 : -1;
}

int sweep_ablate(run_t *r, cJSON *rows)
{
    const int recipes = !strcmp(r->o.ablate, "recipes");
    const optim_preset_t *presets;
    const dist_ops_t *dist = r->e.dist;
    int n_presets, k, rc;
    ablate_t s;

    memset(&s, 0, sizeof s);
    presets = optim_presets(&n_presets);
    s.r = r;
    s.fp32_hist = r->n_hist;
    s.n = recipes ? n_presets : 4;
    s.key = calloc((size_t)s.n, sizeof *s.key);
    if (!s.key || tensors_alloc(&s.p0, r->c)) {
        free(s.key);
        return -1;
    }
    for (k = 0; k < s.n; k++) {
        char name[48];
        if (recipes)
            snprintf(name, sizeof name, "%s", presets[k].name);
        else
            snprintf(name, sizeof name, "%s/%s", obs_names[k / 2], gran_names[k % 2]);
        s.key[k] = strdup(name);
    }
    memcpy(s.p0.mem, r->p.mem, sizeof(float) * r->p.n);
    if (r->writes)
        fprintf(stderr, "\nablation: %s, every variant fine-tuned from the same FP32 weights (FP32 test accuracy %.2f%%)\n",
            r->o.ablate, 100.0 * r->fp32_acc);
    r->e.dist = NULL; /* each variant on one rank */
    rc = sweep_run(&r->o, r->o.ablate, s.key, s.n, ablate_run, &s, rows);
    r->e.dist = dist;
    if (rc == 0 && r->writes) {
        fprintf(stderr, "\n%-28s %9s %9s %11s %13s %8s\n", "variant", "INT8 acc", "vs FP32", "thresholds",
                "calib needed", "seconds");
        for (k = 0; k < cJSON_GetArraySize(rows); k++) {
            const cJSON *row = cJSON_GetArrayItem(rows, k);
            const double acc = cJSON_GetObjectItem(row, "int8_accuracy")->valuedouble;
            fprintf(stderr, "%-28s %8.2f%% %+8.2f %11d %6d of %-4d %8.1f\n",
                    cJSON_GetObjectItem(row, "variant")->valuestring, 100.0 * acc, 100.0 * (acc - r->fp32_acc),
                    cJSON_GetObjectItem(row, "thresholds")->valueint,
                    cJSON_GetObjectItem(row, "calibration_batches_needed")->valueint,
                    cJSON_GetObjectItem(row, "calibration_batches")->valueint,
                    cJSON_GetObjectItem(row, "seconds")->valuedouble);
        }
    }
    for (k = 0; k < s.n; k++)
        free(s.key[k]);
    free(s.key);
    tensors_free(&s.p0);
    return rc;
}

/* ---------------------------------------------------------------- --sweep FILE */
/* Splits a line (modified in place) into argv[1..]; argv[0] is the program name. */
static int split(char *line, char **argv, int max)
{
    int n = 1;
    char *p = line;
    argv[0] = "train";
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            return n;
        if (n >= max)
            return -1;
        argv[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = 0;
    }
}

/* The options of configuration line `line` on top of base, into o.  Returns 0 or -1. */
static int line_opts(const opts_t *base, const char *line, opts_t *o)
{
    static const char *const banned[] = {"--out", "--report", "--plot", "--checkpoint", "--resume", "--sweep",
                                         "--ablate", "--help", 0};
    char buf[1024], *argv[SWEEP_MAX_ARGS];
    int argc, k, b;
    snprintf(buf, sizeof buf, "%s", line);
    argc = split(buf, argv, SWEEP_MAX_ARGS);
    if (argc < 0) {
        fprintf(stderr, "train: --sweep: more than %d words in \"%s\"\n", SWEEP_MAX_ARGS - 1, line);
        return -1;
    }
    for (k = 1; k < argc; k++)
        for (b = 0; banned[b]; b++)
            if (!strncmp(argv[k], banned[b], strlen(banned[b]))) {
                fprintf(stderr, "train: --sweep: \"%s\": %s belongs on the command line, not in a "
                                "configuration (a sweep writes one combined report)\n", line, banned[b]);
                return -1;
            }
    *o = *base;
    o->sweep[0] = o->out[0] = o->report[0] = o->plot[0] = o->checkpoint[0] = 0;
    o->resume = 0;
    if (opts_parse_more(o, argc, argv)) {
        fprintf(stderr, "train: --sweep: in the configuration \"%s\"\n", line);
        return -1;
    }
    return 0;
}

static int file_run(void *ctx, int k, char **text)
{
    lines_t *s = ctx;
    run_t *r = calloc(1, sizeof *r);
    snn_model_t *m = malloc(sizeof *m);
    model_meta_t meta;
    export_result_t x;
    opts_t o;
    double t0 = monotonic_s();
    int rc = -1;

    fprintf(stderr, "sweep %d/%d (rank %d): %s\n", k + 1, s->n, dist_rank(), s->key[k]);
    memset(&x, 0, sizeof x);
    if (r && m && line_opts(s->base, s->key[k], &o) == 0 && run_open(r, &o) == 0 && run_start(r) == 0 &&
        run_fp32(r) == 0 && run_qat(r, 0) == 0) {
        snprintf(x.name, sizeof x.name, "%s", r->o.recipe);
        run_health(r, &x);
        if (run_export(r, m, &meta, &x) == 0) {
            cJSON *row = report_export_json(&x, r);
            cJSON_AddStringToObject(row, "config", s->key[k]);
            json_add_rounded(row, "fp32_accuracy", r->fp32_acc, 6);
            json_add_rounded(row, "train_images_per_second", report_images_per_second(r), 1);
            cJSON_AddNumberToObject(row, "shards", r->e.shards);
            cJSON_AddNumberToObject(row, "threads", r->e.threads);
            *text = sweep_row_text(row, s->key[k], monotonic_s() - t0);
            rc = *text ? 0 : -1;
        }
    }
    if (r)
        run_close(r);
    free(r);
    free(m);
    return rc;
}

/* The configuration lines of path ('#' to the end of a line is a comment; blank lines skipped). */
static int read_lines(const char *path, lines_t *s)
{
    uint8_t *buf;
    size_t len;
    char err[512], *p, *save = 0;
    if (qio_read_file(path, &buf, &len, (size_t)1 << 20, err, sizeof err)) {
        fprintf(stderr, "train: --sweep: %s\n", err);
        return -1;
    }
    {
        uint8_t *nb = realloc(buf, len + 1);
        if (!nb) {
            free(buf);
            fprintf(stderr, "train: out of memory\n");
            return -1;
        }
        buf = nb;
    }
    buf[len] = 0;
    s->key = calloc(len / 2 + 1, sizeof *s->key); /* a line holds a character and its newline */
    for (p = strtok_r((char *)buf, "\n", &save); p && s->key; p = strtok_r(0, "\n", &save)) {
        char *hash = strchr(p, '#'), *end;
        if (hash)
            *hash = 0;
        while (isspace((unsigned char)*p))
            p++;
        for (end = p + strlen(p); end > p && isspace((unsigned char)end[-1]); end--)
            end[-1] = 0;
        if (*p)
            s->key[s->n++] = strdup(p);
    }
    free(buf);
    if (!s->key || !s->n) {
        fprintf(stderr, "train: --sweep %s: no configuration in the file (one line of options each)\n", path);
        return -1;
    }
    return 0;
}

int sweep_file(const opts_t *base, cJSON *rows)
{
    lines_t s;
    opts_t o;
    int k, rc = -1;
    memset(&s, 0, sizeof s);
    s.base = base;
    if (read_lines(base->sweep, &s) == 0) {
        for (k = 0; k < s.n && line_opts(base, s.key[k], &o) == 0; k++)
            ;
        if (k == s.n) /* every line checked before anything trains */
            rc = sweep_run(base, base->sweep, s.key, s.n, file_run, &s, rows);
    }
    if (rc == 0 && dist_rank() == 0) {
        fprintf(stderr, "\n%-50s %9s %9s %9s %8s\n", "configuration", "FP32 acc", "INT8 acc", "img/s", "seconds");
        for (k = 0; k < cJSON_GetArraySize(rows); k++) {
            const cJSON *row = cJSON_GetArrayItem(rows, k);
            fprintf(stderr, "%-50.50s %8.2f%% %8.2f%% %9.0f %8.1f\n", cJSON_GetObjectItem(row, "config")->valuestring,
                    100.0 * cJSON_GetObjectItem(row, "fp32_accuracy")->valuedouble,
                    100.0 * cJSON_GetObjectItem(row, "int8_accuracy")->valuedouble,
                    cJSON_GetObjectItem(row, "train_images_per_second")->valuedouble,
                    cJSON_GetObjectItem(row, "seconds")->valuedouble);
        }
    }
    for (k = 0; k < s.n; k++)
        free(s.key[k]);
    free(s.key);
    return rc;
}
