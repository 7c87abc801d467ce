/* SPDX-License-Identifier: MIT
 * eval_run.c : the golden model over a test split (eval_run.h).
 */
#include "eval_run.h"

#include <string.h>
#include <time.h>

#include "monotonic.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int write_row(FILE *f, int i, int label, const snn_result_t *r, int n_out)
{
    int j;
    if (fprintf(f, "%d,%d,%d", i, label, r->predicted) < 0)
        return -1;
    for (j = 0; j < n_out; j++)
        if (fprintf(f, ",%d", r->counts[j]) < 0)
            return -1;
    return fprintf(f, ",%u\n", (unsigned)r->cycles) < 0 ? -1 : 0;
}

int eval_run(const snn_model_t *m, const dataset_split_t *s, int n, FILE *per_image, FILE *progress,
             eval_stats_t *st)
{
    static snn_result_t r; /* 13 KiB of per-step counters: not on the stack */
    const int pixels = s->rows * s->cols, last = m->n_layers - 1, n_out = m->layer[last].n_out;
    double start = monotonic_s(), next_report = start + 1.0, paused = 0.0;
    const double cpu_start = cpu_seconds();
    int i, j, t, l;

    memset(st, 0, sizeof *st);
    if (per_image) {
        fprintf(per_image, "index,label,predicted");
        for (j = 0; j < n_out; j++)
            fprintf(per_image, ",count_%d", j);
        fputs(",cycles\n", per_image);
    }
    for (i = 0; i < n; i++) {
        const int label = s->labels[i];
        snn_infer(m, s->images + (size_t)i * pixels, (uint32_t)i, &r, NULL);
        st->correct += r.predicted == label;
        st->per_class_total[label]++;
        st->per_class_correct[label] += r.predicted == label;
        st->cycles += r.cycles;
        for (t = 0; t < m->steps; t++) {
            st->input_spikes += r.in_spikes[t][0];
            for (l = 1; l <= last; l++)
                st->hidden_spikes += r.in_spikes[t][l];
        }
        if (per_image && write_row(per_image, i, label, &r, n_out) != 0)
            return -1;
        if (progress && (i & 255) == 255) {
            double now = monotonic_s();
            if (now >= next_report) {
                fprintf(progress, "eval: %d/%d images, accuracy %.4f, %.0f images/s\n", i + 1, n,
                        (double)st->correct / (i + 1), (i + 1) / (now - start - paused));
                paused += monotonic_s() - now;
                next_report = now + 1.0;
            }
        }
    }
    st->images = n;
    st->seconds = monotonic_s() - start - paused;
    st->cpu_seconds = cpu_seconds() - cpu_start;
    return 0;
}
