/* SPDX-License-Identifier: MIT
 * tr_run.c : a training run: data, fit check, FP32 phase, QAT phase, export (see tr_run.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "eval_run.h"
#include "tr_dist.h"
#include "tr_fit.h"
#include "monotonic.h"
#include "progress.h"
#include "tr_run.h"

int run_open(run_t *r, const opts_t *o)
{
    char err[512];
    const net_config_t *c;
    const optim_preset_t *rec;
    memset(r, 0, sizeof *r);
    r->o = *o;
    r->o.shards = run_default_shards(o);
    c = r->c = &r->o.net;
    if (fit_check(c, o->board, err, sizeof err)) {
        fprintf(stderr, "train: the network does not fit the %s accelerator: %s\n", o->board, err);
        return -1;
    }
    if (dataset_load(o->data, &r->d, err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        return -1;
    }
    if (r->d.train.rows * r->d.train.cols != c->sizes[0]) {
        fprintf(stderr, "train: --layers starts with %d inputs but %s images have %d x %d = %d pixels\n",
                c->sizes[0], o->data, r->d.train.rows, r->d.train.cols, r->d.train.rows * r->d.train.cols);
        return -1;
    }
    if (c->sizes[c->n_layers] < r->d.n_classes) {
        fprintf(stderr, "train: --layers ends with %d outputs but %s has %d classes\n",
                c->sizes[c->n_layers], o->data, r->d.n_classes);
        return -1;
    }
    if (o->holdout && dataset_hold_out(&r->d, o->holdout, err, sizeof err)) {
        fprintf(stderr, "train: --holdout: %s\n", err);
        return -1;
    }
    r->train = r->d.train;
    if (o->train_limit && o->train_limit < r->train.n)
        r->train.n = o->train_limit;
    rec = optim_preset(o->recipe);
    r->qat_cfg = rec->cfg;
    if (o->qat_epochs >= 0)
        r->qat_cfg.epochs = o->qat_epochs;
    if (o->qat_lr > 0)
        r->qat_cfg.lr = o->qat_lr;
    r->order = malloc(sizeof(int) * (size_t)r->train.n);
    r->q = malloc(sizeof *r->q);
    if (!r->order || !r->q || tensors_alloc(&r->p, c) || tensors_alloc(&r->g, c) ||
        engine_init(&r->e, c, o->threads, r->o.shards, o->max_shift, o->flip, o->seed) ||
        quant_init(r->q, c, o->observer, o->per_channel, o->avg_const, o->calib_batches)) {
        fprintf(stderr, "train: out of memory\n");
        return -1;
    }
    r->o.fp32.epochs = o->epochs;
    r->writes = dist_rank() == 0;
    return 0;
}

int run_default_shards(const opts_t *o)
{
    const int s = o->threads * dist_ranks();
    return o->shards ? o->shards : s < TR_MAX_SHARDS ? s : TR_MAX_SHARDS;
}

void run_close(run_t *r)
{
    engine_free(&r->e);
    tensors_free(&r->p);
    tensors_free(&r->g);
    optim_free(&r->opt);
    if (r->q) {
        quant_free(r->q);
        free(r->q);
    }
    free(r->order);
    dataset_free(&r->d);
}

static int all_finite(const tensors_t *p)
{
    float acc = 0.0f;
    size_t i;
    for (i = 0; i < p->n; i++)
        acc += p->mem[i] * 0.0f; /* NaN or Inf anywhere makes this NaN */
    return acc == 0.0f;
}

int run_start(run_t *r)
{
    if (r->o.resume) {
        FILE *f = fopen(r->o.checkpoint, "rb");
        if (f) {
            fclose(f);
            if (ckpt_load(r, r->o.checkpoint))   /* checks the CRC and every field, weights finite */
                return -1;
            if (r->writes)
                fprintf(stderr, "train: resumed from %s (%s phase, %d epochs done)\n", r->o.checkpoint,
                        r->phase == PHASE_FP32 ? "FP32" : "QAT", r->epochs_done);
            return 0;
        }
        if (r->writes)
            fprintf(stderr, "train: --resume: no checkpoint at %s yet, starting from scratch\n", r->o.checkpoint);
    }
    net_init(r->c, &r->p, r->o.seed, r->o.init_gain);
    r->phase = PHASE_FP32;
    r->epochs_done = 0;
    return optim_init(&r->opt, &r->o.fp32, r->c);
}

/* One epoch of either phase.  Returns 0, or -1 when the loss stopped being finite. */
static int train_epoch(run_t *r, int phase, int ep, epoch_rec_t *rec)
{
    const int B = r->o.batch, n = r->train.n, nb = (n + B - 1) / B;
    const int key = phase * 100000 + ep; /* the epoch's draws differ between phases */
    char label[48];
    progress_t pr;
    double loss = 0.0;
    int correct = 0, seen = 0, b;
    float lr = 0.0f;
    net_view_t v;

    snprintf(label, sizeof label, "%s %d/%d", phase == PHASE_FP32 ? "fp32" : "qat", ep + 1, r->opt.cfg.epochs);
    progress_start(&pr, label, nb, 0, r->o.quiet);
    engine_shuffle(r->o.seed, key, r->order, n);
    if (phase == PHASE_FP32)
        quant_float_view(r->q, r->c, &r->p, &v);
    for (b = 0; b < nb; b++) {
        const int Bc = b * B + B <= n ? B : n - b * B;
        batch_result_t br;
        if (phase == PHASE_QAT)
            quant_prepare(r->q, r->c, &r->p, &v);
        engine_train_batch(&r->e, &v, &r->train, r->order + b * B, Bc, key, &r->g, &br);
        if (!isfinite(br.loss)) {
            if (!r->o.quiet)
                fputc('\n', stderr);
            fprintf(stderr, "train: the loss became %s in %s epoch %d, batch %d; nothing exported "
                            "(lower --lr or --qat-lr, or check --init-gain / --theta)\n",
                    isnan(br.loss) ? "NaN" : "infinite", phase == PHASE_FP32 ? "FP32" : "QAT", ep + 1, b + 1);
            return -1;
        }
        if (phase == PHASE_QAT) {
            quant_grad(r->q, r->c, &r->p, &r->g);
            quant_after_batch(r->q, r->c, &br.stats);
        }
        lr = optim_lr(&r->opt, ep, b, nb);
        optim_step(&r->opt, &r->p, &r->g, lr);
        if (!all_finite(&r->p)) {
            if (!r->o.quiet)
                fputc('\n', stderr);
            fprintf(stderr, "train: a weight became NaN or infinite in %s epoch %d, batch %d (loss %g); nothing "
                            "exported (lower --lr or --qat-lr)\n", phase == PHASE_FP32 ? "FP32" : "QAT", ep + 1,
                    b + 1, br.loss / Bc);
            return -1;
        }
        loss += br.loss;
        correct += br.correct;
        seen += Bc;
        progress_update(&pr, b + 1, "loss %.4f acc %.2f%% %.0f img/s", loss / seen, 100.0 * correct / seen,
                        seen / progress_seconds(&pr));
    }
    optim_epoch_end(&r->opt, (float)(loss / seen));
    rec->phase = phase;
    rec->epoch = ep;
    rec->loss = (float)(loss / seen);
    rec->train_acc = (float)correct / (float)seen;
    rec->seconds = (float)(progress_seconds(&pr));
    rec->images_per_s = (float)seen / rec->seconds;
    rec->lr = lr;
    /* the epoch's test accuracy, with the same view the phase trains */
    if (phase == PHASE_QAT)
        quant_prepare(r->q, r->c, &r->p, &v);
    else
        quant_float_view(r->q, r->c, &r->p, &v);
    rec->test_acc = (float)engine_eval(&r->e, &v, &r->d.test, 0, r->d.test.n, 0, 0) / (float)r->d.test.n;
    progress_end(&pr, nb, "loss %.4f, train acc %.2f%%, test acc %.2f%%, %.0f img/s", rec->loss,
                 100.0 * rec->train_acc, 100.0 * rec->test_acc, rec->images_per_s);
    return 0;
}

static int record(run_t *r, const epoch_rec_t *rec, int checkpointing)
{
    if (r->n_hist < TR_MAX_EPOCHS)
        r->hist[r->n_hist++] = *rec;
    r->epochs_done++;
    if (checkpointing && r->o.checkpoint[0] && r->writes)
        return ckpt_save(r, r->o.checkpoint);
    return 0;
}

int run_fp32(run_t *r)
{
    epoch_rec_t rec;
    net_view_t v;
    if (r->phase != PHASE_FP32)
        return 0;
    while (r->epochs_done < r->o.epochs) {
        if (train_epoch(r, PHASE_FP32, r->epochs_done, &rec))
            return -1;
        r->fp32_acc = rec.test_acc;
        if (record(r, &rec, 1))
            return -1;
    }
    if (r->o.epochs == 0) {
        quant_float_view(r->q, r->c, &r->p, &v);
        r->fp32_acc = (float)engine_eval(&r->e, &v, &r->d.test, 0, r->d.test.n, 0, 0) / (float)r->d.test.n;
    }
    r->phase = PHASE_QAT;
    r->epochs_done = 0;
    optim_free(&r->opt);
    if (optim_init(&r->opt, &r->qat_cfg, r->c))
        return -1;
    return 0;
}

int run_qat_begin(run_t *r, int observer, int per_channel, const optim_config_t *recipe)
{
    quant_free(r->q);
    optim_free(&r->opt);
    r->phase = PHASE_QAT;
    r->epochs_done = 0;
    if (quant_init(r->q, r->c, observer, per_channel, r->o.avg_const, r->o.calib_batches) ||
        optim_init(&r->opt, recipe, r->c))
        return -1;
    return 0;
}

/* --qat-epochs 0: post-training quantization, the observers see calib_batches batches of
 * training images through the integer model, without weight updates. */
static void calibrate_only(run_t *r)
{
    const int B = r->o.batch;
    net_stats_t st;
    net_view_t v;
    int b;
    engine_shuffle(r->o.seed, PHASE_QAT * 100000, r->order, r->train.n);
    for (b = 0; !r->q->frozen; b++) {
        const int lo = (b * B) % r->train.n, n = lo + B <= r->train.n ? B : r->train.n - lo;
        quant_prepare(r->q, r->c, &r->p, &v);
        engine_eval(&r->e, &v, &r->train, r->order + lo, n, 0, &st);
        quant_after_batch(r->q, r->c, &st);
    }
}

int run_qat(run_t *r, int checkpointing)
{
    epoch_rec_t rec;
    if (r->phase != PHASE_QAT)
        return 0;
    if (r->opt.cfg.epochs == 0 && !r->q->frozen)
        calibrate_only(r);
    while (r->epochs_done < r->opt.cfg.epochs) {
        if (train_epoch(r, PHASE_QAT, r->epochs_done, &rec))
            return -1;
        if (record(r, &rec, checkpointing))
            return -1;
    }
    return 0;
}

void run_health(run_t *r, export_result_t *x)
{
    const int B = r->o.batch, n_cal = r->q->calib_batches * B < r->train.n ? r->q->calib_batches * B : r->train.n;
    net_stats_t st;
    net_view_t v;
    int l;
    /* the calibration images: the first calib_batches batches of QAT epoch 0 (all training
     * images when calibration took more than one epoch) */
    engine_shuffle(r->o.seed, PHASE_QAT * 100000, r->order, r->train.n);
    quant_prepare(r->q, r->c, &r->p, &v);
    engine_eval(&r->e, &v, &r->train, r->order, n_cal, 0, &st);
    x->silent_layers = 0;
    for (l = 0; l < r->c->n_layers; l++) {
        x->spike_rate[l] = (double)st.spikes[l] / ((double)n_cal * r->c->sizes[l + 1] * r->c->steps);
        x->silent_layers += st.spikes[l] == 0;
    }
}

int run_export(run_t *r, snn_model_t *m, model_meta_t *meta, export_result_t *x)
{
    const dataset_split_t *s = &r->d.test;
    uint8_t *pred = malloc((size_t)s->n), *full_pred = malloc((size_t)s->n), *exit_pred = malloc((size_t)s->n);
    snn_model_t *full = malloc(sizeof *full);
    eval_stats_t st;
    net_view_t v;
    int rc = -1, k, qat_correct;
    double t0 = monotonic_s();

    if (!pred || !full_pred || !exit_pred || !full) {
        fprintf(stderr, "train: out of memory\n");
        goto out;
    }
    x->thresholds = quant_thresholds(r->q, r->c);
    x->batches_needed = quant_batches_needed(r->q, r->c);
    quant_prepare(r->q, r->c, &r->p, &v);
    k = quant_export(r->q, r->c, m, meta);
    m->exit_mode = r->o.exit_mode;
    m->exit_lead = r->o.exit_lead;
    m->exit_min_steps = r->o.exit_min_steps;
    if (k || (k = snn_model_check(m))) {
        fprintf(stderr, "train: the exported model fails the golden model's check: %s\n", snn_model_error(k));
        goto out;
    }
    snprintf(meta->dataset, sizeof meta->dataset, "%.*s", MODEL_DATASET_BYTES - 1, r->d.name);
    meta->train_seed = r->o.seed;
    qat_correct = engine_eval(&r->e, &v, s, 0, s->n, pred, 0);
    /* the golden model, image by image, seed = image index: first all T steps (what QAT
     * computes), then with the model's early exit */
    *full = *m;
    full->exit_mode = SNN_EXIT_OFF;
    full->exit_lead = full->exit_min_steps = 0;
    eval_run(full, s, s->n, NULL, full_pred, 1, &st);
    x->full_correct = st.correct;
    if (m->exit_mode != SNN_EXIT_OFF)
        eval_run(m, s, s->n, NULL, exit_pred, 1, &st);
    else
        memcpy(exit_pred, full_pred, (size_t)s->n);
    x->mismatches = x->exit_changed = 0;
    for (k = 0; k < s->n; k++) {
        x->mismatches += full_pred[k] != pred[k];
        x->exit_changed += exit_pred[k] != full_pred[k];
    }
    x->test_images = s->n;
    x->int8_correct = st.correct;
    x->int8_acc = (double)st.correct / s->n;
    x->qat_acc = (double)qat_correct / s->n;
    x->mean_steps = eval_mean_steps(&st);
    x->p99_steps = eval_steps_quantile(&st, 0.99);
    x->cycles_per_image = (double)st.cycles / s->n;
    meta->int8_accuracy = r->o.holdout ? -1.0f : (float)x->int8_acc; /* the file records test accuracy only */
    x->seconds = monotonic_s() - t0;
    if (x->mismatches) {
        fprintf(stderr, "train: BUG: the QAT forward pass and the golden model disagree on %d of %d %s "
                        "images; the integer model is not what was trained\n", x->mismatches, s->n,
                opts_eval_split(&r->o));
        goto out;
    }
    if (m->exit_mode == SNN_EXIT_EXACT && x->exit_changed) {
        fprintf(stderr, "train: BUG: the exact early exit changed the class of %d of %d %s images\n",
                x->exit_changed, s->n, opts_eval_split(&r->o));
        goto out;
    }
    rc = 0;
out:
    free(pred);
    free(full_pred);
    free(exit_pred);
    free(full);
    return rc;
}
