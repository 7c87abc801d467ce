/* SPDX-License-Identifier: MIT
 * progress.h : a progress bar on stderr (redrawn in place on a terminal, a line per 10 %
 * otherwise, so CI logs stay short).
 */
#ifndef RUN_PROGRESS_H
#define RUN_PROGRESS_H

typedef struct {
    long total;
    int tty, quiet, last_decile;
    double t0, last_draw;       /* seconds */
} progress_t;

void progress_start(progress_t *p, long total, int quiet);
/* done images so far, of which agree matched the golden model; errs link errors so far */
void progress_update(progress_t *p, long done, long agree, long errs);
void progress_end(progress_t *p, long done, long agree, long errs);
double progress_now(void);  /* monotonic seconds */

#endif
