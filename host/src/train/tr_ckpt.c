/* SPDX-License-Identifier: MIT
 * tr_ckpt.c : the trainer's checkpoint: everything a killed run needs to finish with the same
 * bytes.  Layout: magic "QTRCKPT", version, fingerprint of the options that change the result,
 * then phase, history, parameters, optimizer and quantizer state.  Written atomically.
 */
#include <stdlib.h>
#include <string.h>
#include "qio.h"
#include "tr_run.h"

#define CKPT_MAGIC "QTRCKPT"
#define CKPT_VERSION 1u

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
    if (rc) {
        fprintf(stderr, "train: out of memory writing the checkpoint\n");
        free(b.buf);
        return -1;
    }
    if (qio_mkdir_parents(path, err, sizeof err) || qio_write_atomic(path, b.buf, b.len, err, sizeof err)) {
        fprintf(stderr, "train: checkpoint: %s\n", err);
        free(b.buf);
        return -1;
    }
    free(b.buf);
    return 0;
}

int ckpt_load(run_t *r, const char *path)
{
    blob_t b = {0};
    char err[512], magic[8];
    uint32_t version = 0;
    uint64_t fp, n;
    tensors_t wq;
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
    free(b.buf);
    return 0;
truncated:
    fprintf(stderr, "train: %s: truncated or corrupted checkpoint (%zu bytes); delete it and start again\n",
            path, b.len);
fail:
    free(b.buf);
    return -1;
}
