/* SPDX-License-Identifier: MIT
 * tr_main.c : host/train: FP32 training, QAT fine-tuning, export, INT8 accuracy from the golden
 * model, scale report, checks; or the observer/recipe ablations, or a --sweep FILE.  Exit 0 ok,
 * 1 failure, 2 usage.  Linked with tr_dist_local.c it is host/train (one process), with
 * tr_mpi.c host/train-mpi (an MPI job whose rank 0 alone writes files and prints results).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_report.h"
#include "qio.h"
#include "qout.h"
#include "tr_dist.h"
#include "tr_report.h"
#include "tr_run.h"
#include "tr_speed.h"
#include "tr_sweep.h"

/* --verify-scale: every named tensor's scale within --scale-tol.  Returns failures. */
static int verify_scales(const run_t *r, cJSON *out)
{
    int k, failures = 0;
    for (k = 0; k < r->o.n_verify; k++) {
        const char *name = r->o.verify_name[k];
        const float want = r->o.verify_value[k];
        cJSON *o = cJSON_CreateObject();
        float got;
        cJSON_AddStringToObject(o, "tensor", name);
        cJSON_AddNumberToObject(o, "expected", want);
        if (quant_scale_of(r->q, r->c, name, &got)) {
            fprintf(stderr, "train: --verify-scale %s: no such tensor (layerN.weight, layerN.weight[j], "
                            "layerN.current, layerN.membrane)\n", name);
            cJSON_AddStringToObject(o, "result", "unknown tensor");
            failures++;
        } else {
            const int ok = fabsf(got - want) <= r->o.scale_tol;
            cJSON_AddNumberToObject(o, "measured", got);
            cJSON_AddNumberToObject(o, "amax", got * SNN_WEIGHT_MAX);
            cJSON_AddStringToObject(o, "result", ok ? "pass" : "fail");
            fprintf(stderr, "verify-scale %s: measured %.6g (= amax %.6g / %d), expected %.6g, tolerance %g: %s\n",
                    name, got, got * SNN_WEIGHT_MAX, SNN_WEIGHT_MAX, want, r->o.scale_tol, ok ? "PASS" : "FAIL");
            failures += !ok;
        }
        cJSON_AddItemToArray(out, o);
    }
    return failures;
}

static int write_report(const run_t *r, cJSON *root)
{
    char err[512];
    if (r->o.report[0] && json_report_write(r->o.report, root, err, sizeof err)) {
        fprintf(stderr, "train: report: %s\n", err);
        return -1;
    }
    return 0;
}

static int train_and_export(run_t *r)
{
    export_result_t x;
    snn_model_t *m = malloc(sizeof *m);
    model_meta_t meta;
    sizes_t sz;
    cJSON *verify = cJSON_CreateArray(), *root;
    char err[512];
    int l, failures, rc = 1;

    memset(&x, 0, sizeof x);
    snprintf(x.name, sizeof x.name, "%s", r->o.recipe);
    if (!m || run_qat(r, 1))
        goto out;
    run_health(r, &x);
    fprintf(stderr, "calibration health (frozen integer model, calibration images): spike rate per layer");
    for (l = 0; l < r->c->n_layers; l++)
        fprintf(stderr, " %d: %.4f", l, x.spike_rate[l]);
    fputc('\n', stderr);
    if (x.silent_layers) {
        fprintf(stderr, "train: WARNING: %d layer(s) silent after quantization (no spike on the calibration "
                        "data): the integer model cannot classify; try --weights per-channel, a lower --theta "
                        "or more --epochs\n", x.silent_layers);
        if (r->o.strict) {
            fprintf(stderr, "train: --strict: refusing to export %s\n", r->o.out);
            goto out;
        }
    }
    if (run_export(r, m, &meta, &x))
        goto out;
    if (!r->writes) { /* an MPI rank other than 0: same computation, no output */
        rc = 0;
        goto out;
    }
    if (model_write(r->o.out, m, &meta, err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        goto out;
    }
    quant_report_print(r->q, r->c, stderr);
    failures = verify_scales(r, verify);
    report_sizes(r, r->o.out, x.thresholds, &sz);
    fprintf(stderr, "FP32 %.2f%%, QAT %.2f%%, INT8 (golden model, %d %s images) %.2f%%; model %s: %ld bytes "
                    "(weights %ld B INT8 vs %ld B FP32)\n",
            100.0 * r->fp32_acc, 100.0 * x.qat_acc, x.test_images, opts_eval_split(&r->o),
            100.0 * x.int8_acc, r->o.out,
            sz.int8_model_bytes, sz.int8_weight_bytes, sz.float_weight_bytes);
    fprintf(stderr, "early exit %s: steps used mean %.2f, p99 %d of T = %d; %.0f model cycles per image; "
                    "INT8 with all steps %.2f%% (%d classes changed by the exit)\n", r->o.early_exit,
            x.mean_steps, x.p99_steps, r->c->steps, x.cycles_per_image, 100.0 * x.full_correct / x.test_images,
            x.exit_changed);
    root = report_build(r, &x, &sz, 0, verify);
    verify = 0;
    cJSON_AddStringToObject(root, "model", r->o.out);
    if (write_report(r, root) == 0) {
        cJSON *sum = cJSON_CreateObject();
        cJSON_AddStringToObject(sum, "model", r->o.out);
        json_add_rounded(sum, "fp32_accuracy", r->fp32_acc, 6);
        json_add_rounded(sum, "qat_accuracy", x.qat_acc, 6);
        json_add_rounded(sum, "int8_accuracy", x.int8_acc, 6);
        cJSON_AddStringToObject(sum, "early_exit", r->o.early_exit);
        json_add_rounded(sum, "mean_steps_used", x.mean_steps, 3);
        cJSON_AddNumberToObject(sum, "p99_steps_used", x.p99_steps);
        json_add_rounded(sum, "model_cycles_per_image", x.cycles_per_image, 1);
        cJSON_AddItemReferenceToObject(sum, "train_images_per_second",
                                       cJSON_GetObjectItem(root, "train_images_per_second"));
        json_report_print(stdout, sum);
        cJSON_Delete(sum);
        rc = failures ? 1 : 0;
    }
    if (r->o.plot[0] && report_plot(r, r->o.plot))
        rc = 1;
    cJSON_Delete(root);
out:
    cJSON_Delete(verify);
    free(m);
    return rc;
}

/* --ablate or --sweep: the combined report (rank 0 writes it and prints the rows). */
static int sweep_report(run_t *r, cJSON *rows, int rc)
{
    cJSON *root;
    if (rc) {
        cJSON_Delete(rows);
        return 1;
    }
    if (!r->writes) {
        cJSON_Delete(rows);
        return 0;
    }
    if (r->o.ablate[0]) {
        root = report_build(r, 0, 0, rows, 0);
    } else {
        root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "sweep", r->o.sweep);
        cJSON_AddNumberToObject(root, "ranks", dist_ranks());
        cJSON_AddItemToObject(root, "configurations", rows);
    }
    rc = write_report(r, root) ? 1 : 0;
    if (!rc)
        json_report_print(stdout, cJSON_GetObjectItem(root, r->o.ablate[0] ? "ablation" : "configurations"));
    cJSON_Delete(root);
    return rc;
}

/* Every output can be written and each names its own file, before any training. */
static int check_outputs(const opts_t *o)
{
    char dat[300], gp[300], err[1024];
    const int sweep = o->ablate[0] || o->sweep[0], plot = o->plot[0] && !sweep;
    snprintf(dat, sizeof dat, "%s.dat", o->plot);
    snprintf(gp, sizeof gp, "%s.gp", o->plot);
    const qout_path_t outs[] = {
        {sweep ? NULL : o->out, "--out"}, {o->report, "--report"}, {o->checkpoint, "--checkpoint"},
        {plot ? o->plot : NULL, "--plot"}, {plot ? dat : NULL, "--plot (its data file)"},
        {plot ? gp : NULL, "--plot (its gnuplot script)"},
    };
    if (qout_check(outs, 6, NULL, 0, err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    opts_t o;
    run_t *r;
    const dist_ops_t *dist;
    int rc;
    if (dist_init(&argc, &argv, &dist))
        return 1;
    if (dist_rank() > 0 && !freopen("/dev/null", "w", stdout)) /* rank 0 alone prints results */
        dist_fail(1);
    rc = opts_parse(&o, argc, argv);
    if (rc) {
        dist_finish();
        return rc > 0 ? 0 : 2;
    }
    o.shards = run_default_shards(&o); /* resolved once: sweep fingerprints see it too */
    if (dist_rank() > 0)
        o.quiet = 1;
    if (dist_rank() == 0 && check_outputs(&o)) /* rank 0 writes them */
        dist_fail(1);
    if (!strcmp(o.ablate, "speed")) {
        rc = speed_ablation(&o);
        if (rc && dist_ranks() > 1)
            dist_fail(rc);
        dist_finish();
        return rc;
    }
    r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "train: out of memory\n");
        dist_fail(1);
    }
    rc = 1;
    if (run_open(r, &o))
        goto out;
    r->e.dist = dist;
    if (o.sweep[0]) {
        cJSON *rows = cJSON_CreateArray();
        rc = sweep_report(r, rows, sweep_file(&r->o, rows));
    } else if (run_start(r) || run_fp32(r)) {
        goto out;
    } else if (o.ablate[0]) {
        cJSON *rows = cJSON_CreateArray();
        rc = sweep_report(r, rows, sweep_ablate(r, rows));
    } else {
        rc = train_and_export(r);
    }
out:
    run_close(r);
    free(r);
    if (rc && dist_ranks() > 1)
        dist_fail(rc); /* a failure on one rank must not leave the others waiting */
    dist_finish();
    return rc;
}
