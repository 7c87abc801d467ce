/* SPDX-License-Identifier: MIT
 * eval_run.c : the golden model over a test split (eval_run.h).
 */
#include "eval_run.h"

#include <string.h>
#include <time.h>

#include "monotonic.h"
#include "progress.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int write_row(FILE *f, int i, int label, const snn_result_t *r, int n_out)
{
    int j;
    if (fprintf(f, "%d,%d,%d,%d", i, label, r->predicted, r->steps_used) < 0)
        return -1;
    for (j = 0; j < n_out; j++)
        if (fprintf(f, ",%d", r->counts[j]) < 0)
            return -1;
    return fprintf(f, ",%u\n", (unsigned)r->cycles) < 0 ? -1 : 0;
}

double eval_mean_steps(const eval_stats_t *st)
{
    return st->images ? (double)st->steps / st->images : 0.0;
}

int eval_steps_quantile(const eval_stats_t *st, double q)
{
    long within = 0;
    int t;
    for (t = 0; t <= SNN_MAX_STEPS; t++) {
        within += st->steps_hist[t];
        if ((double)within >= q * st->images)
            return t;
    }
    return SNN_MAX_STEPS;
}

int eval_run(const snn_model_t *m, const dataset_split_t *s, int n, FILE *per_image, uint8_t *predicted,
             int quiet, eval_stats_t *st)
{
    static snn_result_t r; /* 13 KiB of per-step counters: not on the stack */
    const int pixels = s->rows * s->cols, last = m->n_layers - 1, n_out = m->layer[last].n_out;
    double start, paused = 0.0, cpu_start;
    progress_t bar;
    int i, j, t, l;

    memset(st, 0, sizeof *st);
    if (per_image) {
        fprintf(per_image, "index,label,predicted,steps_used");
        for (j = 0; j < n_out; j++)
            fprintf(per_image, ",count_%d", j);
        fputs(",cycles\n", per_image);
    }
    progress_start(&bar, "eval", n, 10, quiet);
    start = monotonic_s();
    cpu_start = cpu_seconds();
    for (i = 0; i < n; i++) {
        const int label = s->labels[i];
        snn_infer(m, s->images + (size_t)i * pixels, (uint32_t)i, &r, NULL);
        st->correct += r.predicted == label;
        st->per_class_total[label]++;
        st->per_class_correct[label] += r.predicted == label;
        st->cycles += r.cycles;
        st->steps += r.steps_used;
        st->steps_hist[r.steps_used]++;
        if (predicted)
            predicted[i] = r.predicted;
        for (t = 0; t < r.steps_used; t++) {
            st->input_spikes += r.in_spikes[t][0];
            for (l = 1; l <= last; l++)
                st->hidden_spikes += r.in_spikes[t][l];
        }
        if (per_image && write_row(per_image, i, label, &r, n_out) != 0)
            return -1;
        if (!quiet && (i & 255) == 255) { /* the bar's own time is not inference time */
            const double now = monotonic_s();
            progress_update(&bar, i + 1, "accuracy %.4f  %.0f images/s", (double)st->correct / (i + 1),
                            (i + 1) / (now - start - paused));
            paused += monotonic_s() - now;
        }
    }
    st->images = n;
    st->seconds = monotonic_s() - start - paused;
    st->cpu_seconds = cpu_seconds() - cpu_start;
    progress_end(&bar, n, "accuracy %.4f (%d/%d)  %.0f images/s", n ? (double)st->correct / n : 0.0,
                 st->correct, n, st->seconds > 0 ? n / st->seconds : 0.0);
    return 0;
}
