/* SPDX-License-Identifier: MIT
 * tr_progress.c : progress bar (see tr_progress.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tr_progress.h"

double tr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_begin(progress_t *p, const char *label, int batches, int quiet)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->batches = batches;
    p->t0 = tr_now();
    p->tty = isatty(2);
    p->quiet = quiet;
}

void progress_update(progress_t *p, int batch, int images, double loss, double acc)
{
    const double now = tr_now(), el = now - p->t0;
    char bar[21];
    int k, fill;
    if (p->quiet || !p->tty || (now - p->last_draw < 0.1 && batch < p->batches))
        return;
    p->last_draw = now;
    fill = p->batches ? 20 * batch / p->batches : 20;
    for (k = 0; k < 20; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[20] = 0;
    fprintf(stderr, "\r%s [%s] %d/%d loss %.4f acc %.2f%% %.0f img/s ETA %.0fs   ", p->label, bar, batch,
            p->batches, loss, 100.0 * acc, el > 0 ? images / el : 0.0,
            batch ? el * (p->batches - batch) / batch : 0.0);
    fflush(stderr);
}

void progress_end(progress_t *p, int images, double el, double loss, double acc, double test_acc)
{
    if (p->quiet)
        return;
    fprintf(stderr, "%s%s %d batches, loss %.4f, train acc %.2f%%, test acc %.2f%%, %.1fs, %.0f img/s\n",
            p->tty ? "\r" : "", p->label, p->batches, loss, 100.0 * acc, 100.0 * test_acc, el,
            el > 0 ? images / el : 0.0);
}
