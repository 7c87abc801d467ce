/* SPDX-License-Identifier: MIT
 * host/eval : the bit-exact golden model (hls/) over a test split: accuracy, speed, per-image
 * spike counts; also prints a model's summary and exports it as a C header.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "eval_run.h"
#include "export_c.h"
#include "intarg.h"
#include "json_report.h"
#include "model_file.h"
#include "qio.h"
#include "qout.h"

typedef struct {
    const char *model, *data, *report, *per_image, *export_c, *export_name, *early_exit;
    long limit;
    int info, data_given, quiet;
} eval_opts_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: host/eval --model M [--data mnist|fashion|DIR] [options]\n"
        "Runs the bit-exact golden model (hls/) on the test split: image i is rate-coded with seed i.\n"
        "  -m, --model FILE        Quantarion model (.qmodel, docs/model-format.md)\n"
        "  -d, --data SPEC         mnist (default), fashion, or a folder of idx files\n"
        "  -n, --limit N           only the first N test images\n"
        "  -r, --report FILE.json  write {\"images\", \"accuracy\", \"images_per_second\", ...}\n"
        "  -p, --per-image FILE.csv  one row per image: index,label,predicted,steps_used,count_0..count_{K-1},\n"
        "                          cycles (the accelerator's clocks, snn_cycle_model)\n"
        "  -x, --early-exit MODE   override the model's early exit: off | exact | lead:K:M (stop once the\n"
        "                          leader leads by K spikes after at least M steps; docs/arith.md); applies\n"
        "                          to the evaluation, --info and --export-c\n"
        "  -i, --info              print the model's summary (no evaluation unless --data is given)\n"
        "  -e, --export-c FILE.h   write the model as C arrays for hls/ (no evaluation unless --data)\n"
        "      --export-name NAME  C identifier of the exported model (default quantarion_model)\n"
        "  -q, --quiet             no progress on stderr\n"
        "  -h, --help              this text\n"
        "Prints a JSON summary on stdout (accuracy, cycles, mean and p99 steps used per image);\n"
        "exit status 0, 1 on any error, 2 on bad usage.\n");
}

static int parse_args(int argc, char **argv, eval_opts_t *o)
{
    enum { OPT_EXPORT_NAME = 1000 };
    static const struct option opts[] = {
        {"model", required_argument, 0, 'm'}, {"data", required_argument, 0, 'd'},
        {"limit", required_argument, 0, 'n'}, {"report", required_argument, 0, 'r'},
        {"per-image", required_argument, 0, 'p'}, {"info", no_argument, 0, 'i'},
        {"export-c", required_argument, 0, 'e'}, {"early-exit", required_argument, 0, 'x'}, {"export-name", required_argument, 0, OPT_EXPORT_NAME},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    int c;
    memset(o, 0, sizeof *o);
    o->data = "mnist";
    o->limit = -1;
    o->export_name = "quantarion_model";
    while ((c = getopt_long(argc, argv, "m:d:n:r:p:ie:x:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'm': o->model = optarg; break;
        case 'd': o->data = optarg; o->data_given = 1; break;
        case 'n': if (intarg_long("eval", "--limit", optarg, 1, INT_MAX, &o->limit) != 0) return 2; break;
        case 'r': o->report = optarg; break;
        case 'p': o->per_image = optarg; break;
        case 'i': o->info = 1; break;
        case 'e': o->export_c = optarg; break;
        case 'x': o->early_exit = optarg; break;
        case OPT_EXPORT_NAME: o->export_name = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "eval: unexpected argument '%s' (see --help)\n", argv[optind]);
        return 2;
    }
    if (!o->model) {
        fprintf(stderr, "eval: --model is required (see --help)\n");
        return 2;
    }
    return 0;
}

static cJSON *make_report(const eval_opts_t *o, const snn_model_t *m, const dataset_t *d, const eval_stats_t *st)
{
    cJSON *r = cJSON_CreateObject(), *net, *per_class;
    const double n = st->images;
    char exit_text[MODEL_EXIT_TEXT_BYTES];
    int l, c;
    cJSON_AddStringToObject(r, "model", o->model);
    cJSON_AddStringToObject(r, "dataset", d->name);
    cJSON_AddStringToObject(r, "split", "test");
    cJSON_AddNumberToObject(r, "images", st->images);
    cJSON_AddNumberToObject(r, "correct", st->correct);
    json_add_rounded(r, "accuracy", st->correct / n, 6);
    json_add_rounded(r, "seconds", st->seconds, 4);
    json_add_rounded(r, "images_per_second", st->seconds > 0 ? n / st->seconds : 0.0, 1);
    json_add_rounded(r, "cpu_seconds", st->cpu_seconds, 4);
    json_add_rounded(r, "images_per_cpu_second", st->cpu_seconds > 0 ? n / st->cpu_seconds : 0.0, 1);
    net = cJSON_AddArrayToObject(r, "network");
    cJSON_AddItemToArray(net, cJSON_CreateNumber(m->layer[0].n_in));
    for (l = 0; l < m->n_layers; l++)
        cJSON_AddItemToArray(net, cJSON_CreateNumber(m->layer[l].n_out));
    cJSON_AddNumberToObject(r, "steps", m->steps);
    cJSON_AddStringToObject(r, "encoding", m->encoding == SNN_ENCODING_DIRECT ? "direct" : "rate");
    json_add_rounded(r, "input_spikes_per_image", st->input_spikes / n, 2);
    json_add_rounded(r, "hidden_spikes_per_image", st->hidden_spikes / n, 2);
    json_add_rounded(r, "model_cycles_per_image", st->cycles / n, 1);
    model_exit_format(m, exit_text);
    cJSON_AddStringToObject(r, "early_exit", exit_text);
    json_add_rounded(r, "mean_steps_used", eval_mean_steps(st), 3);
    cJSON_AddNumberToObject(r, "p99_steps_used", eval_steps_quantile(st, 0.99));
    per_class = cJSON_AddArrayToObject(r, "per_class_accuracy");
    for (c = 0; c < d->n_classes; c++)
        cJSON_AddItemToArray(per_class, cJSON_CreateNumber(
            st->per_class_total[c] ? (double)(long)(1e6 * st->per_class_correct[c] / st->per_class_total[c] + 0.5) / 1e6 : 0.0));
    return r;
}

static int evaluate(const eval_opts_t *o, const snn_model_t *m)
{
    dataset_t d;
    eval_stats_t st;
    qout_t per_image = {0};
    cJSON *report;
    char err[2048], exit_text[MODEL_EXIT_TEXT_BYTES];
    int n, l, rc = 1;
    const int last = m->n_layers - 1;

    if (dataset_load_test(o->data, &d, err, sizeof err) != 0) {
        fprintf(stderr, "eval: %s\n", err);
        return 1;
    }
    if (d.test.rows * d.test.cols != m->layer[0].n_in) {
        fprintf(stderr, "eval: the model takes %d inputs, %s images have %dx%d = %d pixels\n",
                m->layer[0].n_in, d.name, d.test.rows, d.test.cols, d.test.rows * d.test.cols);
        goto out;
    }
    if (d.n_classes > m->layer[last].n_out) {
        fprintf(stderr, "eval: %s has %d classes, the model's output layer only %d neurons\n", d.name,
                d.n_classes, m->layer[last].n_out);
        goto out;
    }
    n = o->limit > 0 && o->limit < d.test.n ? (int)o->limit : d.test.n;
    if (o->per_image) {
        if (qout_open(&per_image, o->per_image, err, sizeof err) != 0) {
            fprintf(stderr, "eval: %s\n", err);
            goto out;
        }
    }
    if (!o->quiet) {
        fprintf(stderr, "eval: %s on %d %s test images (%d", o->model, n, d.name, m->layer[0].n_in);
        for (l = 0; l < m->n_layers; l++)
            fprintf(stderr, "-%d", m->layer[l].n_out);
        model_exit_format(m, exit_text);
        fprintf(stderr, ", T = %d, early exit %s)\n", m->steps, exit_text);
    }
    if (eval_run(m, &d.test, n, per_image.f, NULL, o->quiet, &st) != 0) {
        qio_error(err, sizeof err, o->per_image, "fprintf", errno ? errno : EIO);
        fprintf(stderr, "eval: %s\n", err);
        goto out;
    }
    if (per_image.f && qout_commit(&per_image, err, sizeof err) != 0) {
        fprintf(stderr, "eval: --per-image: %s\n", err);
        goto out;
    }
    report = make_report(o, m, &d, &st);
    if (o->report && json_report_write(o->report, report, err, sizeof err) != 0) {
        fprintf(stderr, "eval: %s\n", err);
        cJSON_Delete(report);
        goto out;
    }
    if (!o->quiet)
        fprintf(stderr, "eval: accuracy %.4f (%d/%d), steps used mean %.2f p99 %d of %d, %.0f model cycles/image, "
                "%.0f images/s\n", (double)st.correct / n, st.correct, n, eval_mean_steps(&st),
                eval_steps_quantile(&st, 0.99), m->steps, (double)st.cycles / n,
                st.seconds > 0 ? n / st.seconds : 0.0);
    json_report_print(stdout, report);
    cJSON_Delete(report);
    rc = 0;
out:
    qout_abort(&per_image);
    dataset_free(&d);
    return rc;
}

int main(int argc, char **argv)
{
    static snn_model_t m;
    static model_meta_t meta;
    eval_opts_t o;
    char err[2048];
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc;
    {
        const int evaluating = !(o.info || o.export_c) || o.data_given;
        const qout_path_t outs[] = {
            {o.export_c, "--export-c"},
            {evaluating ? o.report : NULL, "--report"},
            {evaluating ? o.per_image : NULL, "--per-image"},
        };
        const qout_path_t ins[] = {{o.model, "--model"}};
        if (qout_check(outs, 3, ins, 1, err, sizeof err) != 0) {
            fprintf(stderr, "eval: %s\n", err);
            return 1;
        }
    }
    rc = model_read(o.model, &m, &meta, err, sizeof err);
    if (rc != MODEL_OK) {
        fprintf(stderr, "eval: %s\n", err);
        return 1;
    }
    if (o.early_exit && model_exit_parse(o.early_exit, &m, err, sizeof err) != 0) {
        fprintf(stderr, "eval: --early-exit: %s\n", err);
        return 2;
    }
    if (o.info)
        model_print_info(&m, &meta, stdout);
    if (o.export_c) {
        if (export_c_write(o.export_c, o.export_name, &m, &meta, err, sizeof err) != 0) {
            fprintf(stderr, "eval: %s\n", err);
            return 1;
        }
        if (!o.quiet)
            fprintf(stderr, "eval: wrote %s (snn_model_t %s)\n", o.export_c, o.export_name);
    }
    if ((o.info || o.export_c) && !o.data_given)
        return 0;
    return evaluate(&o, &m);
}
