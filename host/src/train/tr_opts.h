/* SPDX-License-Identifier: MIT
 * tr_opts.h : host/train's command line.
 */
#ifndef TR_OPTS_H
#define TR_OPTS_H

#include "model_file.h"
#include "tr_net.h"
#include "tr_optim.h"

#define TR_MAX_VERIFY 8

typedef struct {
    char data[256];
    net_config_t net;
    int epochs;               /* FP32 */
    int qat_epochs;           /* -1: the recipe's */
    int batch;
    int train_limit;          /* 0: all */
    int holdout;              /* 0: evaluate on the test split; N: on the last N training images */
    int threads;
    int shards;               /* S: fixed partition of every batch (0: threads x ranks) */
    uint32_t seed;
    int max_shift;            /* augmentation: random translation of +-max_shift pixels */
    int flip;                 /* augmentation: 1 = random horizontal flip */
    float init_gain;
    optim_config_t fp32;      /* FP32 phase */
    char recipe[32];          /* QAT phase */
    float qat_lr;             /* <= 0: the recipe's */
    int observer, per_channel, calib_batches;
    float avg_const;
    char board[32];
    int strict;
    char verify_name[TR_MAX_VERIFY][64];
    float verify_value[TR_MAX_VERIFY];
    int n_verify;
    float scale_tol;
    char early_exit[MODEL_EXIT_TEXT_BYTES]; /* --early-exit as given: off | exact | lead:K:M */
    uint8_t exit_mode, exit_lead, exit_min_steps; /* its snn_model_t fields */
    char ablate[32];          /* "", "observers", "recipes", "speed" */
    char ablate_dir[256];     /* --ablate speed: models, table and plot */
    int reuse_models;         /* --ablate speed: measure the models in ablate_dir, no training */
    char sweep[256];          /* --sweep FILE: one configuration per line */
    char out[256], report[256], plot[256], checkpoint[256];
    int resume;
    int quiet;
} opts_t;

/* Returns 0 to go on, 1 when --help was printed (exit 0), -1 on a bad option (message
 * printed, exit 2). */
int opts_parse(opts_t *o, int argc, char **argv);
/* Options argv[1..argc) applied on top of o (a --sweep configuration line); same returns. */
int opts_parse_more(opts_t *o, int argc, char **argv);
/* The split every reported accuracy is measured on: "holdout" (--holdout) or "test". */
const char *opts_eval_split(const opts_t *o);

#endif
