/* SPDX-License-Identifier: MIT
 * progress.h : the progress bar on stderr, for every program's long work.  On a terminal it
 * redraws one line at most every 0.1 s; otherwise it prints a line each time another
 * 1/`lines` of the work is done (lines = 0: none), so CI logs stay short.  The caller adds
 * its own figures (accuracy, loss, link errors) as a printf-style text after the bar:
 *   label [#########.....] done/total  ETA 12s  <text>
 */
#ifndef QN_PROGRESS_H
#define QN_PROGRESS_H

typedef struct {
    char label[48];
    long total;
    int tty, quiet, lines, last_line;
    double t0, last_draw;       /* monotonic seconds */
} progress_t;

void progress_start(progress_t *p, const char *label, long total, int lines, int quiet);
/* done of total so far; fmt, ...: the caller's figures (may be "") */
void progress_update(progress_t *p, long done, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* the closing line (always printed unless quiet) */
void progress_end(progress_t *p, long done, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* seconds since progress_start */
double progress_seconds(const progress_t *p);

#endif
