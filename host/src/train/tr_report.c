/* SPDX-License-Identifier: MIT
 * tr_report.c : JSON report and gnuplot curves (see tr_report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "json_report.h"
#include "qio.h"
#include "qout.h"
#include "tr_dist.h"
#include "tr_fit.h"
#include "tr_report.h"

void report_sizes(const run_t *r, const char *model_path, int thresholds, sizes_t *s)
{
    struct stat st;
    int l;
    memset(s, 0, sizeof *s);
    for (l = 0; l < r->c->n_layers; l++)
        s->int8_weight_bytes += (long)r->c->sizes[l] * r->c->sizes[l + 1];
    s->float_weight_bytes = 4 * s->int8_weight_bytes;
    s->int8_padded_bytes = fit_weight_bytes(r->c);
    s->threshold_bytes = 2L * thresholds;
    s->int8_model_bytes = model_path && !stat(model_path, &st) ? (long)st.st_size : -1;
}

cJSON *report_export_json(const export_result_t *x, const run_t *r)
{
    cJSON *o = cJSON_CreateObject(), *rates = cJSON_CreateArray();
    int l;
    cJSON_AddStringToObject(o, "variant", x->name);
    json_add_rounded(o, "qat_accuracy", x->qat_acc, 6);
    json_add_rounded(o, "int8_accuracy", x->int8_acc, 6);
    cJSON_AddNumberToObject(o, "int8_correct", x->int8_correct);
    cJSON_AddNumberToObject(o, "test_images", x->test_images);
    cJSON_AddNumberToObject(o, "golden_mismatches", x->mismatches);
    cJSON_AddStringToObject(o, "early_exit", r->o.early_exit);
    json_add_rounded(o, "int8_accuracy_all_steps", (double)x->full_correct / x->test_images, 6);
    cJSON_AddNumberToObject(o, "early_exit_changed_classes", x->exit_changed);
    json_add_rounded(o, "mean_steps_used", x->mean_steps, 3);
    cJSON_AddNumberToObject(o, "p99_steps_used", x->p99_steps);
    json_add_rounded(o, "model_cycles_per_image", x->cycles_per_image, 1);
    cJSON_AddNumberToObject(o, "thresholds", x->thresholds);
    cJSON_AddNumberToObject(o, "calibration_batches", r->q->calib_batches);
    cJSON_AddNumberToObject(o, "calibration_batches_needed", x->batches_needed);
    for (l = 0; l < r->c->n_layers; l++)
        cJSON_AddItemToArray(rates, cJSON_CreateNumber(x->spike_rate[l]));
    cJSON_AddItemToObject(o, "calibration_spike_rates", rates);
    cJSON_AddNumberToObject(o, "silent_layers", x->silent_layers);
    return o;
}

double report_images_per_second(const run_t *r)
{
    double train_s = 0.0, train_img = 0.0;
    int k;
    for (k = 0; k < r->n_hist; k++) {
        train_s += r->hist[k].seconds;
        train_img += r->hist[k].seconds * r->hist[k].images_per_s;
    }
    return train_s > 0 ? train_img / train_s : 0.0;
}

cJSON *report_build(const run_t *r, const export_result_t *x, const sizes_t *s, cJSON *ablation,
                    cJSON *verify)
{
    const net_config_t *c = r->c;
    cJSON *root = cJSON_CreateObject(), *a, *ep;
    double train_s = 0.0;
    int l, k;

    cJSON_AddStringToObject(root, "dataset", r->d.name);
    cJSON_AddNumberToObject(root, "train_images", r->train.n);
    cJSON_AddNumberToObject(root, "test_images", r->d.test.n);
    cJSON_AddStringToObject(root, "eval_split", opts_eval_split(&r->o));
    a = cJSON_AddArrayToObject(root, "layers");
    for (l = 0; l <= c->n_layers; l++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(c->sizes[l]));
    cJSON_AddNumberToObject(root, "steps", c->steps);
    cJSON_AddStringToObject(root, "encoding", c->encoding == SNN_ENCODING_RATE ? "rate" : "direct");
    cJSON_AddNumberToObject(root, "input_bits", c->input_bits);
    a = cJSON_AddArrayToObject(root, "leak_shift");
    for (l = 0; l < c->n_layers; l++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(c->leak_shift[l]));
    a = cJSON_AddArrayToObject(root, "reset");
    for (l = 0; l < c->n_layers; l++)
        cJSON_AddItemToArray(a, cJSON_CreateString(c->reset_mode[l] == SNN_RESET_ZERO ? "zero" : "subtract"));
    cJSON_AddNumberToObject(root, "theta", c->theta);
    cJSON_AddNumberToObject(root, "seed", r->o.seed);
    cJSON_AddNumberToObject(root, "threads", r->e.threads);
    cJSON_AddNumberToObject(root, "shards", r->e.shards);
    cJSON_AddNumberToObject(root, "ranks", dist_ranks());
    cJSON_AddNumberToObject(root, "gradient_bytes", (double)(sizeof(float) * r->g.n));
    if (r->e.dist)
        json_add_rounded(root, "mpi_seconds", r->e.dist->seconds, 3);
    cJSON_AddNumberToObject(root, "batch", r->o.batch);
    cJSON_AddNumberToObject(root, "augment_shift", r->o.max_shift);
    cJSON_AddBoolToObject(root, "augment_flip", r->o.flip);
    cJSON_AddNumberToObject(root, "fp32_epochs", r->o.epochs);
    cJSON_AddNumberToObject(root, "qat_epochs", r->qat_cfg.epochs);
    cJSON_AddStringToObject(root, "recipe", r->o.recipe);
    cJSON_AddStringToObject(root, "observer", r->q->observer == TR_OBS_MINMAX ? "minmax" : "moving-average");
    cJSON_AddStringToObject(root, "weights", r->q->per_channel ? "per-channel" : "per-tensor");

    json_add_rounded(root, "fp32_accuracy", r->fp32_acc, 6);
    if (x) {
        json_add_rounded(root, "qat_accuracy", x->qat_acc, 6);
        json_add_rounded(root, "int8_accuracy", x->int8_acc, 6);
        cJSON_AddNumberToObject(root, "int8_correct", x->int8_correct);
        cJSON_AddNumberToObject(root, "golden_mismatches", x->mismatches);
        cJSON_AddStringToObject(root, "early_exit", r->o.early_exit);
        json_add_rounded(root, "mean_steps_used", x->mean_steps, 3);
        cJSON_AddNumberToObject(root, "p99_steps_used", x->p99_steps);
        json_add_rounded(root, "model_cycles_per_image", x->cycles_per_image, 1);
        json_add_rounded(root, "int8_minus_fp32_points", 100.0 * (x->int8_acc - r->fp32_acc), 3);
        cJSON_AddItemToObject(root, "export", report_export_json(x, r));
        cJSON_AddItemToObject(root, "scales", quant_report_json(r->q, c));
    }

    a = cJSON_AddArrayToObject(root, "epoch_seconds");
    ep = cJSON_AddArrayToObject(root, "epochs");
    for (k = 0; k < r->n_hist; k++) {
        const epoch_rec_t *h = &r->hist[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(a, cJSON_CreateNumber(h->seconds));
        cJSON_AddStringToObject(o, "phase", h->phase == PHASE_FP32 ? "fp32" : "qat");
        cJSON_AddNumberToObject(o, "epoch", h->epoch + 1);
        json_add_rounded(o, "loss", h->loss, 6);
        json_add_rounded(o, "train_accuracy", h->train_acc, 6);
        json_add_rounded(o, "test_accuracy", h->test_acc, 6);
        json_add_rounded(o, "seconds", h->seconds, 3);
        json_add_rounded(o, "images_per_second", h->images_per_s, 1);
        cJSON_AddNumberToObject(o, "lr", h->lr);
        cJSON_AddItemToArray(ep, o);
        train_s += h->seconds;
    }
    json_add_rounded(root, "train_seconds", train_s, 3);
    json_add_rounded(root, "train_images_per_second", report_images_per_second(r), 1);

    if (s) {
        cJSON_AddNumberToObject(root, "float_weight_bytes", (double)s->float_weight_bytes);
        cJSON_AddNumberToObject(root, "int8_weight_bytes", (double)s->int8_weight_bytes);
        cJSON_AddNumberToObject(root, "int8_accelerator_weight_bytes", (double)s->int8_padded_bytes);
        cJSON_AddNumberToObject(root, "threshold_bytes", (double)s->threshold_bytes);
        cJSON_AddNumberToObject(root, "int8_model_bytes", (double)s->int8_model_bytes);
        json_add_rounded(root, "weight_size_ratio",
                         (double)s->float_weight_bytes / (double)s->int8_weight_bytes, 3);
    }
    if (ablation)
        cJSON_AddItemToObject(root, "ablation", ablation);
    if (verify)
        cJSON_AddItemToObject(root, "verify_scale", verify);
    return root;
}

int report_gnuplot(const char *script)
{
    char cmd[1400];
    int rc;
    if (snprintf(cmd, sizeof cmd, "gnuplot '%s' 2>&1", script) >= (int)sizeof cmd) {
        fprintf(stderr, "train: plot: script path too long: %s\n", script);
        return -1;
    }
    rc = system(cmd);
    if (rc) {
        fprintf(stderr, "train: plot: gnuplot failed (exit %d); is it installed? (make deps installs gnuplot-nox)\n", rc);
        return -1;
    }
    return 0;
}

int report_plot(const run_t *r, const char *png)
{
    char dat[600], gp[600], err[1024];
    qout_t f;
    int k;
    snprintf(dat, sizeof dat, "%s.dat", png);
    snprintf(gp, sizeof gp, "%s.gp", png);
    if (qout_open(&f, dat, err, sizeof err)) {
        fprintf(stderr, "train: plot: %s\n", err);
        return -1;
    }
    fprintf(f.f, "# epoch phase loss train_acc test_acc\n");
    for (k = 0; k < r->n_hist; k++)
        fprintf(f.f, "%d %d %g %g %g\n", k + 1, r->hist[k].phase, r->hist[k].loss, 100.0 * r->hist[k].train_acc,
                100.0 * r->hist[k].test_acc);
    if (qout_commit(&f, err, sizeof err) || qout_open(&f, gp, err, sizeof err)) {
        fprintf(stderr, "train: plot: %s\n", err);
        return -1;
    }
    fprintf(f.f, "set terminal png size 1000,450\nset output '%s'\nset multiplot layout 1,2 title '%s %s: FP32 then QAT'\n"
               "set xlabel 'epoch'\nset ylabel 'loss'\nset grid\n"
               "plot '%s' using 1:3 with linespoints title 'train loss'\n"
               "set ylabel 'accuracy (%%)'\nset key bottom right\n"
               "plot '%s' using 1:4 with linespoints title 'train', '%s' using 1:5 with linespoints title 'test'\n"
               "unset multiplot\n",
            png, r->d.name, r->o.recipe, dat, dat, dat);
    if (qout_commit(&f, err, sizeof err)) {
        fprintf(stderr, "train: plot: %s\n", err);
        return -1;
    }
    return report_gnuplot(gp);
}
