/* SPDX-License-Identifier: MIT
 * progress.c : the progress bar (progress.h).
 */
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "monotonic.h"

void progress_start(progress_t *p, const char *label, long total, int lines, int quiet)
{
    memset(p, 0, sizeof *p);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->total = total;
    p->lines = lines;
    p->quiet = quiet;
    p->tty = isatty(2);
    p->t0 = monotonic_s();
    p->last_draw = p->t0 - 1.0;
}

double progress_seconds(const progress_t *p) { return monotonic_s() - p->t0; }

static void progress_draw(const progress_t *p, long done, int final, const char *fmt, va_list ap)
{
    enum { WIDTH = 30 };
    const double el = progress_seconds(p);
    int fill = p->total > 0 ? (int)((double)WIDTH * (double)done / (double)p->total) : WIDTH, i;
    char bar[WIDTH + 1];
    for (i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[WIDTH] = '\0';
    fprintf(stderr, "%s%s [%s] %ld/%ld  ", p->tty ? "\r" : "", p->label, bar, done, p->total);
    if (final)
        fprintf(stderr, "%.1fs  ", el);
    else
        fprintf(stderr, "ETA %.0fs  ", done > 0 ? el * (double)(p->total - done) / (double)done : 0.0);
    vfprintf(stderr, fmt, ap);
    fputs(final || !p->tty ? "\n" : "   ", stderr);
    fflush(stderr);
}

void progress_update(progress_t *p, long done, const char *fmt, ...)
{
    va_list ap;
    if (p->quiet || p->total <= 0)
        return;
    if (p->tty) {
        const double now = monotonic_s();
        if (now - p->last_draw < 0.1)
            return;
        p->last_draw = now;
    } else {
        const int line = p->lines > 0 ? (int)(done * p->lines / p->total) : 0;
        if (line <= p->last_line || done >= p->total)
            return;
        p->last_line = line;
    }
    va_start(ap, fmt);
    progress_draw(p, done, 0, fmt, ap);
    va_end(ap);
}

void progress_end(progress_t *p, long done, const char *fmt, ...)
{
    va_list ap;
    if (p->quiet)
        return;
    va_start(ap, fmt);
    progress_draw(p, done, 1, fmt, ap);
    va_end(ap);
}
