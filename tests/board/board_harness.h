/* SPDX-License-Identifier: MIT
 * board_harness.h : starts the simulated board (build/sim-board/qn_board_sim) as a child
 * process, opens its pseudo-terminal and hands out a link (the link library host/run uses,
 * host/src/link/link.h); stops it and reads its
 * statistics.  Also the small helpers the board tests share (random models, raw frames).
 */
#ifndef BOARD_HARNESS_H
#define BOARD_HARNESS_H

#include <stdint.h>
#include <sys/types.h>
#include "link.h"

typedef struct {
    pid_t pid;
    transport_t t;            /* the pty, through the link library's serial transport */
    char dir[64];             /* temporary folder: pts and stats files */
    char pts[128];
    link_t link;
    /* from the simulator's JSON statistics, after board_stop */
    double sim_seconds;
    uint64_t cycles, bytes_in, bytes_out;
} board_t;

/* Starts sim (a path to qn_board_sim) and opens its pty.  0, or -1 with a message on stderr. */
int board_start(board_t *b, const char *sim);
/* SIGTERM, wait (at most 10 s, then SIGKILL), read the statistics.  0 on a clean exit. */
int board_stop(board_t *b);
/* Asks the simulator to write its statistics now (SIGUSR1) and reads them back. */
int board_stats(board_t *b);

/* Waits until the simulated board has stopped advancing time (nothing left to do: its
 * receive side is hunting for a frame, nothing queued, core idle).  0, or -1 after timeout_ms. */
int board_wait_idle(board_t *b, int timeout_ms);

/* A random but valid model: layer sizes sizes[0..n_layers], T steps, the given encoding and
 * threshold mode; weights in [-wmax, wmax], thresholds chosen so that neurons fire. */
void board_random_model(snn_model_t *m, int n_layers, const int *sizes, int steps, int encoding,
                        int threshold_mode, int wmax, uint32_t seed);
uint32_t board_rand(uint32_t *state);

#endif
