/* SPDX-License-Identifier: MIT
 * tr_run.h : one training run: its state (what a checkpoint holds), the two phases, export.
 */
#ifndef TR_RUN_H
#define TR_RUN_H

#include "dataset.h"
#include "model_file.h"
#include "tr_engine.h"
#include "tr_opts.h"
#include "tr_optim.h"
#include "tr_quant.h"

#define TR_MAX_EPOCHS 1024

enum { PHASE_FP32 = 0, PHASE_QAT = 1, PHASE_DONE = 2 };

typedef struct {
    int phase, epoch;
    float loss, train_acc, test_acc, seconds, images_per_s, lr;
} epoch_rec_t;

/* What the export produced, for the report and the ablation tables. */
typedef struct {
    char name[48];
    double qat_acc, int8_acc;   /* int8_acc: with the model's early exit */
    int int8_correct, test_images, mismatches; /* mismatches: QAT vs golden over all T steps */
    int full_correct;           /* golden model, early exit off */
    int exit_changed;           /* images whose class the early exit changed (0 in exact mode) */
    double mean_steps, cycles_per_image;
    int p99_steps;
    int thresholds, batches_needed;
    double spike_rate[SNN_MAX_LAYERS];
    int silent_layers;
    double seconds;
    long model_bytes;
} export_result_t;

typedef struct {
    opts_t o;
    const net_config_t *c;
    dataset_t d;
    dataset_split_t train;       /* d.train limited by --train-limit */
    engine_t e;
    tensors_t p, g;
    optim_t opt;                 /* the current phase's optimizer */
    quant_t *q;
    optim_config_t qat_cfg;      /* the recipe, with --qat-epochs / --qat-lr applied */
    /* progress: checkpointed */
    int phase, epochs_done;
    float fp32_acc;
    epoch_rec_t hist[TR_MAX_EPOCHS];
    int n_hist;
    int *order;                  /* (n_train) scratch for the epoch's permutation */
    int writes;                  /* 1: this process writes files (one process, or MPI rank 0) */
} run_t;

/* Loads data, checks the fit, allocates; --shards defaults as run_default_shards.  Returns 0
 * or -1 (message printed). */
int run_open(run_t *r, const opts_t *o);
/* o->shards, or when 0 the threads x MPI ranks (at most TR_MAX_SHARDS). */
int run_default_shards(const opts_t *o);
void run_close(run_t *r);
/* Fresh start or --resume. */
int run_start(run_t *r);
/* The FP32 phase up to o.epochs (checkpoint per epoch). */
int run_fp32(run_t *r);
/* Starts (or continues, after a resume) the QAT phase with observer/granularity/recipe. */
int run_qat_begin(run_t *r, int observer, int per_channel, const optim_config_t *recipe);
int run_qat(run_t *r, int checkpointing);
/* Exports the integer model with the --early-exit setting, measures INT8 accuracy with the
 * golden model on every test image (with that early exit, and without it), and compares each
 * full-T decision with the QAT forward pass (any difference is an error, as is a class the
 * exact early exit changed). */
int run_export(run_t *r, snn_model_t *m, model_meta_t *meta, export_result_t *x);
/* Spike rates per layer of the frozen integer model on the calibration images. */
void run_health(run_t *r, export_result_t *x);

/* Checkpoint (tr_ckpt.c): atomic write; load checks magic, version and the options. */
/* A hash of everything that changes what a run computes (not output paths, threads, ranks or
 * --quiet). */
uint64_t ckpt_fingerprint(const opts_t *o);
int ckpt_save(const run_t *r, const char *path);
int ckpt_load(run_t *r, const char *path);

#endif
