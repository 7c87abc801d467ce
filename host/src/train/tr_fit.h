/* SPDX-License-Identifier: MIT
 * tr_fit.h : capacity check of a network against a board's accelerator (hls/snn_config.def).
 */
#ifndef TR_FIT_H
#define TR_FIT_H

#include <stddef.h>
#include "tr_net.h"

/* INT8 weight bytes as the accelerator stores them (rows padded to SNN_LANES). */
long fit_weight_bytes(const net_config_t *c);
/* 0 when c fits the board, else -1 with every violation and its numbers in msg. */
int fit_check(const net_config_t *c, const char *board, char *msg, size_t len);

#endif
