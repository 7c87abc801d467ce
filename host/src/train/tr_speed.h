/* SPDX-License-Identifier: MIT
 * tr_speed.h : host/train --ablate speed: INT8 accuracy against accelerator cycles per image
 * for rate and direct coding at several T, each trained once and measured with every early-exit
 * setting (docs/results.md "Speed").
 */
#ifndef TR_SPEED_H
#define TR_SPEED_H

#include "tr_opts.h"

/* Trains (or, with o->reuse_models, reads) one model per setting into o->ablate_dir, measures
 * them, writes speed.json, speed.md and speed-pareto.png there and prints the JSON summary.
 * Returns 0 or 1 (message printed). */
int speed_ablation(const opts_t *o);

#endif
