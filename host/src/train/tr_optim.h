/* SPDX-License-Identifier: MIT
 * tr_optim.h : optimizers (SGD+momentum, Adam, AdamW, RMSprop), learning-rate schedules and the
 * named QAT recipes.  Update rules follow PyTorch's documented formulas.
 */
#ifndef TR_OPTIM_H
#define TR_OPTIM_H

#include "tr_net.h"

enum { OPT_SGD = 0, OPT_ADAM = 1, OPT_ADAMW = 2, OPT_RMSPROP = 3 };
enum { SCHED_CONSTANT = 0, SCHED_COSINE = 1, SCHED_STEP = 2, SCHED_PLATEAU = 3, SCHED_WARMUP_COSINE = 4 };

typedef struct {
    int opt;             /* OPT_* */
    float lr;
    float weight_decay;  /* L2 for SGD/Adam/RMSprop, decoupled for AdamW */
    float momentum;      /* SGD */
    float beta1, beta2;  /* Adam, AdamW */
    float alpha;         /* RMSprop smoothing */
    float eps;
    int sched;           /* SCHED_* */
    float eta_min;       /* cosine floor */
    int step_size;       /* step decay: every step_size epochs ... */
    float gamma;         /* ... multiply by gamma */
    int patience;        /* plateau: epochs without improvement ... */
    float factor;        /* ... then multiply by factor */
    float warmup;        /* warmup-cosine: fraction of the steps spent warming up */
    int epochs;          /* the phase's length, for the schedule */
} optim_config_t;

typedef struct {
    optim_config_t cfg;
    tensors_t m, v;      /* first and second moments (momentum buffer in m) */
    long step;           /* updates done */
    float plateau_best;  /* best epoch loss so far */
    int plateau_bad;     /* epochs since it improved */
    float plateau_scale; /* product of the factors applied */
} optim_t;

/* A named recipe: optimizer, schedule and QAT epochs. */
typedef struct {
    const char *name;
    const char *what;
    optim_config_t cfg;
} optim_preset_t;

int optim_init(optim_t *o, const optim_config_t *cfg, const net_config_t *c);
void optim_free(optim_t *o);
/* Learning rate for batch b of nb in epoch e (0-based). */
float optim_lr(const optim_t *o, int epoch, int b, int nb);
void optim_step(optim_t *o, tensors_t *p, const tensors_t *g, float lr);
/* Epoch end: reduce-on-plateau watches the epoch's training loss. */
void optim_epoch_end(optim_t *o, float loss);

const optim_preset_t *optim_preset(const char *name);
const optim_preset_t *optim_presets(int *n);
int optim_parse_name(const char *s);   /* OPT_* or -1 */
int optim_parse_sched(const char *s);  /* SCHED_* or -1 */
const char *optim_name(int opt);
const char *optim_sched_name(int sched);

#endif
