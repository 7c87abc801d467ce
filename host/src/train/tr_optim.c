/* SPDX-License-Identifier: MIT
 * tr_optim.c : optimizers, schedules and recipes (see tr_optim.h).
 */
#include <math.h>
#include <string.h>
#include "tr_optim.h"

/* base: what every recipe shares unless it says otherwise */
#define OPT_BASE .momentum = 0.9f, .beta1 = 0.9f, .beta2 = 0.999f, .alpha = 0.99f, .eps = 1e-8f, \
                 .step_size = 5, .gamma = 0.1f, .patience = 2, .factor = 0.1f, .warmup = 0.1f

static const optim_preset_t presets[] = {
    {"best", "AdamW + cosine, 12 QAT epochs, lr 1e-4, weight decay 1e-5, eta_min 1e-6",
     {OPT_BASE, .opt = OPT_ADAMW, .lr = 1e-4f, .weight_decay = 1e-5f, .sched = SCHED_COSINE,
      .eta_min = 1e-6f, .epochs = 12}},
    {"classic", "SGD momentum 0.9 + step decay (5 epochs, x0.1), 15 QAT epochs, lr 1e-3",
     {OPT_BASE, .opt = OPT_SGD, .lr = 1e-3f, .weight_decay = 0.0f, .sched = SCHED_STEP, .epochs = 15}},
    {"adaptive", "Adam + reduce-on-plateau (patience 2, x0.1), 10 QAT epochs, lr 1e-4",
     {OPT_BASE, .opt = OPT_ADAM, .lr = 1e-4f, .weight_decay = 0.0f, .sched = SCHED_PLATEAU, .epochs = 10}},
    {"rmsprop", "RMSprop + 10 % linear warmup then cosine, 12 QAT epochs, lr 1e-4",
     {OPT_BASE, .opt = OPT_RMSPROP, .lr = 1e-4f, .weight_decay = 0.0f, .sched = SCHED_WARMUP_COSINE,
      .eta_min = 1e-6f, .epochs = 12}},
    {"warmup", "AdamW + 10 % linear warmup then cosine, 8 QAT epochs, lr 1e-4, weight decay 1e-5",
     {OPT_BASE, .opt = OPT_ADAMW, .lr = 1e-4f, .weight_decay = 1e-5f, .sched = SCHED_WARMUP_COSINE,
      .eta_min = 1e-6f, .epochs = 8}},
};

const optim_preset_t *optim_presets(int *n)
{
    *n = (int)(sizeof presets / sizeof presets[0]);
    return presets;
}

const optim_preset_t *optim_preset(const char *name)
{
    int i, n;
    const optim_preset_t *p = optim_presets(&n);
    for (i = 0; i < n; i++)
        if (!strcmp(p[i].name, name))
            return &p[i];
    return 0;
}

static const char *opt_names[] = {"sgd", "adam", "adamw", "rmsprop"};
static const char *sched_names[] = {"constant", "cosine", "step", "plateau", "warmup-cosine"};

int optim_parse_name(const char *s)
{
    int i;
    for (i = 0; i < 4; i++)
        if (!strcmp(s, opt_names[i]))
            return i;
    return -1;
}

int optim_parse_sched(const char *s)
{
    int i;
    for (i = 0; i < 5; i++)
        if (!strcmp(s, sched_names[i]))
            return i;
    return -1;
}

const char *optim_name(int opt)
{
    return opt >= 0 && opt < 4 ? opt_names[opt] : "?";
}

const char *optim_sched_name(int sched)
{
    return sched >= 0 && sched < 5 ? sched_names[sched] : "?";
}

int optim_init(optim_t *o, const optim_config_t *cfg, const net_config_t *c)
{
    memset(o, 0, sizeof *o);
    o->cfg = *cfg;
    o->plateau_best = INFINITY;
    o->plateau_scale = 1.0f;
    if (tensors_alloc(&o->m, c) || tensors_alloc(&o->v, c))
        return -1;
    return 0;
}

void optim_free(optim_t *o)
{
    tensors_free(&o->m);
    tensors_free(&o->v);
}

static float cosine(float lr, float eta_min, double p)
{
    if (p > 1.0)
        p = 1.0;
    return eta_min + (lr - eta_min) * 0.5f * (1.0f + (float)cos(M_PI * p));
}

float optim_lr(const optim_t *o, int epoch, int b, int nb)
{
    const optim_config_t *c = &o->cfg;
    const double total = (double)c->epochs * nb, done = (double)epoch * nb + b;
    switch (c->sched) {
    case SCHED_COSINE:
        return cosine(c->lr, c->eta_min, done / total);
    case SCHED_STEP:
        return c->lr * powf(c->gamma, (float)(epoch / (c->step_size > 0 ? c->step_size : 1)));
    case SCHED_PLATEAU:
        return c->lr * o->plateau_scale;
    case SCHED_WARMUP_COSINE: {
        const double warm = c->warmup * total;
        if (done < warm)
            return c->lr * (float)((done + 1.0) / warm);
        return cosine(c->lr, c->eta_min, (done - warm) / (total - warm));
    }
    default:
        return c->lr;
    }
}

void optim_step(optim_t *o, tensors_t *p, const tensors_t *g, float lr)
{
    const optim_config_t *c = &o->cfg;
    float *w = p->mem, *m = o->m.mem, *v = o->v.mem;
    const float *d = g->mem;
    const size_t n = p->n;
    size_t i;
    o->step++;
    switch (c->opt) {
    case OPT_SGD:
        for (i = 0; i < n; i++) {
            const float gi = d[i] + c->weight_decay * w[i];
            m[i] = o->step == 1 ? gi : c->momentum * m[i] + gi;
            w[i] -= lr * m[i];
        }
        break;
    case OPT_RMSPROP:
        for (i = 0; i < n; i++) {
            const float gi = d[i] + c->weight_decay * w[i];
            v[i] = c->alpha * v[i] + (1.0f - c->alpha) * gi * gi;
            w[i] -= lr * gi / (sqrtf(v[i]) + c->eps);
        }
        break;
    default: { /* Adam, AdamW */
        const float bc1 = 1.0f - powf(c->beta1, (float)o->step);
        const float bc2 = 1.0f - powf(c->beta2, (float)o->step);
        const int decoupled = c->opt == OPT_ADAMW;
        for (i = 0; i < n; i++) {
            const float gi = decoupled ? d[i] : d[i] + c->weight_decay * w[i];
            if (decoupled)
                w[i] -= lr * c->weight_decay * w[i];
            m[i] = c->beta1 * m[i] + (1.0f - c->beta1) * gi;
            v[i] = c->beta2 * v[i] + (1.0f - c->beta2) * gi * gi;
            w[i] -= lr * (m[i] / bc1) / (sqrtf(v[i] / bc2) + c->eps);
        }
    }
    }
}

void optim_epoch_end(optim_t *o, float loss)
{
    if (o->cfg.sched != SCHED_PLATEAU)
        return;
    if (loss < o->plateau_best * (1.0f - 1e-4f)) { /* PyTorch's default relative threshold */
        o->plateau_best = loss;
        o->plateau_bad = 0;
    } else if (++o->plateau_bad > o->cfg.patience) {
        o->plateau_scale *= o->cfg.factor;
        o->plateau_bad = 0;
    }
}
