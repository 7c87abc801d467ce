/* SPDX-License-Identifier: MIT
 * tr_sweep.h : sweeps: the --ablate variants (QAT fine-tunings of the same FP32 weights), the
 * --sweep FILE configurations (whole runs) and --ablate speed's settings (tr_speed.c), each
 * trained by one rank alone (tr_dist.h).
 *
 * With --checkpoint FILE, rank 0 keeps the finished rows in FILE.sweep.json (written atomically
 * after each one, with the options' fingerprint); --resume skips them.
 */
#ifndef TR_SWEEP_H
#define TR_SWEEP_H

#include <cjson/cJSON.h>
#include "tr_run.h"

#include "tr_dist.h"

/* The driver: configurations key[0..n) run by run(ctx, k, &row) on one rank each; rank 0 gets
 * the rows in configuration order in rows; state file and --resume as above.  Returns 0, or -1
 * when a configuration failed (the others still ran). */
int sweep_run(const opts_t *base, const char *kind, char **key, int n, dist_run_fn run, void *ctx, cJSON *rows);
/* A finished configuration's row as JSON text (malloc'd; row is deleted), with its key, its
 * seconds and the rank that ran it. */
char *sweep_row_text(cJSON *row, const char *key, double seconds);

/* --ablate: r holds the FP32 weights (on every rank).  Fills rows in variant order (rank 0) and
 * prints the table.  Returns 0 or -1. */
int sweep_ablate(run_t *r, cJSON *rows);
/* --sweep FILE: every line's options on top of base.  Fills rows in line order (rank 0).
 * Returns 0, or -1 (also for an unreadable file or a bad line: message printed). */
int sweep_file(const opts_t *base, cJSON *rows);

#endif
