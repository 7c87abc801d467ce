/* SPDX-License-Identifier: MIT
 * tr_ckpt.c : the trainer's checkpoint: everything a killed run needs to finish with the same
 * bytes.  Layout: magic "QTRCKPT", version, fingerprint of the options that change the result,
 * then phase, history, parameters, optimizer and quantizer state, then a CRC-32 (zlib) of
 * every byte before it.  Written atomically.  A load checks the CRC first, then every field
 * against what the options allow: the same integrity as the model file.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "qio.h"
#include "qout.h"
#include "tr_run.h"

#define CKPT_MAGIC "QTRCKPT"
#define CKPT_VERSION 2u
#define CKPT_HEAD_BYTES (8 + 4) /* magic, version */
#define CKPT_CRC_BYTES 4

typedef struct {
    uint8_t *buf;
    size_t len, cap, pos;
} blob_t;

static int put(blob_t *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 20;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *nb = realloc(b->buf, cap);
        if (!nb)
            return -1;
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, p, n);
    b->len += n;
    return 0;
}

static int get(blob_t *b, void *p, size_t n)
{
    if (b->pos + n > b->len)
        return -1;
    memcpy(p, b->buf + b->pos, n);
    b->pos += n;
    return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *s = p;
    while (n--)
        h = (h ^ *s++) * 0x100000001B3ull;
    return h;
}

uint64_t ckpt_fingerprint(const opts_t *o)
{
    uint64_t h = 0xCBF29CE484222325ull;
    h = fnv(h, o->data, strlen(o->data));
    h = fnv(h, &o->net, sizeof o->net);
    h = fnv(h, &o->epochs, sizeof o->epochs);
    h = fnv(h, &o->qat_epochs, sizeof o->qat_epochs);
    h = fnv(h, &o->batch, sizeof o->batch);
    h = fnv(h, &o->train_limit, sizeof o->train_limit);
    if (o->holdout) /* hashed only when set: checkpoints written before the option still resume */
        h = fnv(h, &o->holdout, sizeof o->holdout);
    h = fnv(h, &o->shards, sizeof o->shards); /* not threads or ranks: they change no bit */
    h = fnv(h, &o->seed, sizeof o->seed);
    h = fnv(h, &o->max_shift, sizeof o->max_shift);
    if (o->flip) /* mixed in only when on: checkpoints of runs without it stay valid */
        h = fnv(h, &o->flip, sizeof o->flip);
    h = fnv(h, &o->init_gain, sizeof o->init_gain);
    h = fnv(h, &o->fp32, sizeof o->fp32);
    h = fnv(h, o->recipe, strlen(o->recipe));
    h = fnv(h, &o->qat_lr, sizeof o->qat_lr);
    h = fnv(h, &o->observer, sizeof o->observer);
    h = fnv(h, &o->per_channel, sizeof o->per_channel);
    h = fnv(h, &o->calib_batches, sizeof o->calib_batches);
    h = fnv(h, &o->avg_const, sizeof o->avg_const);
    h = fnv(h, o->ablate, strlen(o->ablate));
    return h;
}

int ckpt_save(const run_t *r, const char *path)
{
    blob_t b = {0};
    const uint32_t version = CKPT_VERSION;
    const uint64_t fp = ckpt_fingerprint(&r->o);
    const uint64_t n = r->p.n;
    char err[512];
    int rc = 0;
    rc |= put(&b, CKPT_MAGIC, 8);
    rc |= put(&b, &version, sizeof version);
    rc |= put(&b, &fp, sizeof fp);
    rc |= put(&b, &n, sizeof n);
    rc |= put(&b, &r->phase, sizeof r->phase);
    rc |= put(&b, &r->epochs_done, sizeof r->epochs_done);
    rc |= put(&b, &r->fp32_acc, sizeof r->fp32_acc);
    rc |= put(&b, &r->n_hist, sizeof r->n_hist);
    rc |= put(&b, r->hist, sizeof r->hist[0] * (size_t)r->n_hist);
    rc |= put(&b, r->p.mem, sizeof(float) * n);
    rc |= put(&b, &r->opt.cfg, sizeof r->opt.cfg);
    rc |= put(&b, &r->opt.step, sizeof r->opt.step);
    rc |= put(&b, &r->opt.plateau_best, sizeof r->opt.plateau_best);
    rc |= put(&b, &r->opt.plateau_bad, sizeof r->opt.plateau_bad);
    rc |= put(&b, &r->opt.plateau_scale, sizeof r->opt.plateau_scale);
    rc |= put(&b, r->opt.m.mem, sizeof(float) * n);
    rc |= put(&b, r->opt.v.mem, sizeof(float) * n);
    rc |= put(&b, r->q, sizeof *r->q); /* its wq pointer is re-pointed on load */
    if (!rc) {
        const uint32_t crc = (uint32_t)crc32(0L, b.buf, (uInt)b.len);
        rc |= put(&b, &crc, sizeof crc);
    }
    if (rc) {
        fprintf(stderr, "train: out of memory writing the checkpoint\n");
        free(b.buf);
        return -1;
    }
    if (qout_write(path, b.buf, b.len, err, sizeof err)) {
        fprintf(stderr, "train: checkpoint: %s\n", err);
        free(b.buf);
        return -1;
    }
    free(b.buf);
    return 0;
}

static int finite_all(const float *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* Every loaded field within what the run's options allow; NULL, or what is wrong. */
static const char *ckpt_invalid(const run_t *r)
{
    const int phase_epochs = r->phase == PHASE_FP32 ? r->o.epochs : r->qat_cfg.epochs;
    const int want_hist = (r->phase == PHASE_FP32 ? 0 : r->o.epochs) + r->epochs_done;
    const optim_config_t *cfg = r->phase == PHASE_FP32 ? &r->o.fp32 : &r->qat_cfg;
    const quant_t *q = r->q;
    int k;
    if (r->phase != PHASE_FP32 && r->phase != PHASE_QAT)
        return "phase out of range";
    if (r->epochs_done < 0 || r->epochs_done > phase_epochs)
        return "epochs done outside 0..the phase's epochs";
    if (!(r->fp32_acc >= 0.0f && r->fp32_acc <= 1.0f))
        return "FP32 accuracy outside 0..1";
    if (r->n_hist != (want_hist < TR_MAX_EPOCHS ? want_hist : TR_MAX_EPOCHS))
        return "history length does not match the epochs done";
    for (k = 0; k < r->n_hist; k++)
        if ((r->hist[k].phase != PHASE_FP32 && r->hist[k].phase != PHASE_QAT) ||
            !isfinite(r->hist[k].loss) || !isfinite(r->hist[k].train_acc) ||
            !isfinite(r->hist[k].test_acc) || !isfinite(r->hist[k].lr))
            return "a history entry out of range";
    if (memcmp(&r->opt.cfg, cfg, sizeof *cfg))
        return "optimizer settings differ from the options'";
    if (r->opt.step < 0 || r->opt.plateau_bad < 0 || isnan(r->opt.plateau_best) ||
        !(r->opt.plateau_scale > 0.0f && r->opt.plateau_scale <= 1.0f))
        return "optimizer state out of range";
    if (!finite_all(r->p.mem, r->p.n) || !finite_all(r->opt.m.mem, r->p.n) ||
        !finite_all(r->opt.v.mem, r->p.n))
        return "NaN or infinite weights or moments";
    if (q->observer != r->o.observer || q->per_channel != r->o.per_channel ||
        q->avg_const != r->o.avg_const || q->calib_batches != r->o.calib_batches)
        return "quantizer settings differ from the options'";
    if (q->batches < 0 || q->batches > q->calib_batches || q->frozen != (q->batches >= q->calib_batches))
        return "quantizer calibration count out of range";
    if (!finite_all(q->mem_peak, SNN_MAX_LAYERS) || !finite_all(&q->hist[0][0][0], sizeof q->hist / sizeof(float)) ||
        !finite_all(&q->scale[0][0], sizeof q->scale / sizeof(float)) ||
        !finite_all(&q->thr[0][0], sizeof q->thr / sizeof(float)))
        return "NaN or infinite quantizer state";
    for (k = 0; k < SNN_MAX_LAYERS; k++) {
        int j;
        if (!isfinite(q->cur[k].lo) || !isfinite(q->cur[k].hi) || !isfinite(q->mem[k].lo) || !isfinite(q->mem[k].hi))
            return "NaN or infinite quantizer state";
        for (j = 0; j < SNN_MAX_NEURONS; j++)
            if (!isfinite(q->wobs[k][j].lo) || !isfinite(q->wobs[k][j].hi))
                return "NaN or infinite quantizer state";
    }
    return NULL;
}

int ckpt_load(run_t *r, const char *path)
{
    blob_t b = {0};
    char err[512], magic[8];
    uint32_t version = 0;
    uint64_t fp, n;
    tensors_t wq;
    const char *why;
    int rc = 0;
    if (qio_read_file(path, &b.buf, &b.len, (size_t)1 << 31, err, sizeof err)) {
        fprintf(stderr, "train: %s\n", err);
        return -1;
    }
    if (get(&b, magic, 8) || memcmp(magic, CKPT_MAGIC, 8)) {
        fprintf(stderr, "train: %s: not a trainer checkpoint (expected magic \"%s\")\n", path, CKPT_MAGIC);
        goto fail;
    }
    if (get(&b, &version, sizeof version) || version != CKPT_VERSION) {
        fprintf(stderr, "train: %s: checkpoint version %u, this build reads %u\n", path, version, CKPT_VERSION);
        goto fail;
    }
    {
        uint32_t crc;
        if (b.len < CKPT_HEAD_BYTES + CKPT_CRC_BYTES)
            goto truncated;
        memcpy(&crc, b.buf + b.len - CKPT_CRC_BYTES, sizeof crc);
        if (crc != (uint32_t)crc32(0L, b.buf, (uInt)(b.len - CKPT_CRC_BYTES))) {
            fprintf(stderr, "train: %s: checkpoint CRC-32 mismatch: the file is corrupted; delete it and "
                            "start again\n", path);
            goto fail;
        }
        b.len -= CKPT_CRC_BYTES;
    }
    if (get(&b, &fp, sizeof fp) || fp != ckpt_fingerprint(&r->o) || get(&b, &n, sizeof n) || n != r->p.n) {
        fprintf(stderr, "train: %s was written with other training options; resume with the same options "
                        "(paths, --quiet, --threads and the MPI rank count may differ; --shards may not) "
                        "or delete it\n", path);
        goto fail;
    }
    rc |= get(&b, &r->phase, sizeof r->phase);
    rc |= get(&b, &r->epochs_done, sizeof r->epochs_done);
    rc |= get(&b, &r->fp32_acc, sizeof r->fp32_acc);
    rc |= get(&b, &r->n_hist, sizeof r->n_hist);
    if (rc || r->n_hist < 0 || r->n_hist > TR_MAX_EPOCHS)
        goto truncated;
    rc |= get(&b, r->hist, sizeof r->hist[0] * (size_t)r->n_hist);
    rc |= get(&b, r->p.mem, sizeof(float) * n);
    optim_free(&r->opt);
    {
        optim_config_t cfg;
        rc |= get(&b, &cfg, sizeof cfg);
        if (rc || optim_init(&r->opt, &cfg, r->c))
            goto truncated;
    }
    rc |= get(&b, &r->opt.step, sizeof r->opt.step);
    rc |= get(&b, &r->opt.plateau_best, sizeof r->opt.plateau_best);
    rc |= get(&b, &r->opt.plateau_bad, sizeof r->opt.plateau_bad);
    rc |= get(&b, &r->opt.plateau_scale, sizeof r->opt.plateau_scale);
    rc |= get(&b, r->opt.m.mem, sizeof(float) * n);
    rc |= get(&b, r->opt.v.mem, sizeof(float) * n);
    wq = r->q->wq;
    rc |= get(&b, r->q, sizeof *r->q);
    r->q->wq = wq;
    if (rc || b.pos != b.len)
        goto truncated;
    if ((why = ckpt_invalid(r)) != NULL) {
        fprintf(stderr, "train: %s: invalid checkpoint (%s); delete it and start again\n", path, why);
        goto fail;
    }
    free(b.buf);
    return 0;
truncated:
    fprintf(stderr, "train: %s: truncated or corrupted checkpoint (%zu bytes); delete it and start again\n",
            path, b.len);
fail:
    free(b.buf);
    return -1;
}
