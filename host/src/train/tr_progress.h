/* SPDX-License-Identifier: MIT
 * tr_progress.h : the per-epoch progress bar on stderr (batch, loss, accuracy, images/s, ETA).
 * On a terminal it redraws one line; otherwise it prints one line per epoch.
 */
#ifndef TR_PROGRESS_H
#define TR_PROGRESS_H

typedef struct {
    char label[48];
    int batches, images;
    double t0, last_draw;
    int tty, quiet;
} progress_t;

double tr_now(void);
void progress_begin(progress_t *p, const char *label, int batches, int quiet);
void progress_update(progress_t *p, int batch, int images, double loss, double acc);
/* seconds: the epoch's training time (without the test evaluation that follows it) */
void progress_end(progress_t *p, int images, double seconds, double loss, double acc, double test_acc);

#endif
