/* SPDX-License-Identifier: MIT
 * progress.c : the progress bar.
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void progress_start(progress_t *p, long total, int quiet)
{
    p->total = total;
    p->quiet = quiet;
    p->tty = isatty(2);
    p->last_decile = 0;
    p->t0 = p->last_draw = progress_now();
}

static void progress_draw(progress_t *p, long done, long agree, long errs, char end)
{
    enum { WIDTH = 30 };
    double el = progress_now() - p->t0, rate = el > 0 ? (double)done / el : 0.0;
    int fill = p->total > 0 ? (int)((double)WIDTH * (double)done / (double)p->total) : WIDTH, i;
    char bar[WIDTH + 1];
    for (i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    fprintf(stderr, "%srun: [%s] %ld/%ld images  %.0f/s  agree %ld  link errors %ld%c",
            p->tty ? "\r" : "", bar, done, p->total, rate, agree, errs, end);
    fflush(stderr);
}

void progress_update(progress_t *p, long done, long agree, long errs)
{
    double now;
    if (p->quiet || p->total <= 0)
        return;
    if (p->tty) {
        now = progress_now();
        if (now - p->last_draw < 0.1)
            return;
        p->last_draw = now;
        progress_draw(p, done, agree, errs, ' ');
    } else if (done * 10 / p->total > p->last_decile) {
        p->last_decile = (int)(done * 10 / p->total);
        progress_draw(p, done, agree, errs, '\n');
    }
}

void progress_end(progress_t *p, long done, long agree, long errs)
{
    if (p->quiet)
        return;
    if (p->tty || done * 10 / (p->total ? p->total : 1) > p->last_decile)
        progress_draw(p, done, agree, errs, '\n');
}
