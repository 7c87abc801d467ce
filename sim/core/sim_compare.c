/* SPDX-License-Identifier: MIT
 * sim_compare.c : RTL result vs golden model (see sim_compare.h).
 */
#include "sim_compare.h"

#include <string.h>

static int bit(const uint32_t *w, int i) { return (int)((w[i / 32] >> (i % 32)) & 1u); }

static void report(FILE *f, long *budget, int image, int step, const char *what, int layer, int neuron,
                   long expected, long got)
{
    if (*budget <= 0)
        return;
    (*budget)--;
    fprintf(f, "MISMATCH image %d step %d %s layer %d neuron %d: expected %ld got %ld\n", image, step,
            what, layer, neuron, expected, got);
}

/* differences between two spike bitmaps of n bits, reported as spikes of (step, layer) */
static long diff_bits(FILE *f, long *budget, int image, int step, const char *what, int layer,
                      const uint32_t *exp, const uint32_t *got, int n)
{
    long bad = 0;
    int i;
    for (i = 0; i < n; i++)
        if (bit(exp, i) != bit(got, i)) {
            bad++;
            report(f, budget, image, step, what, layer, i, bit(exp, i), bit(got, i));
        }
    return bad;
}

long sim_compare(const snn_model_t *m, int image, const snn_result_t *gr, const snn_trace_t *gt,
                 const rtl_result_t *rr, int steps, FILE *f, long *print_budget)
{
    const int last = m->n_layers - 1, direct = m->encoding == SNN_ENCODING_DIRECT;
    long bad = 0;
    int t, l, j;

    if (steps)
        for (t = 0; t < m->steps; t++) {
            if (!direct)
                bad += diff_bits(f, print_budget, image, t, "input-spike", -1, gt->input_spikes[t],
                                 rr->input_spikes[t], m->layer[0].n_in);
            for (l = 0; l <= last; l++)
                bad += diff_bits(f, print_budget, image, t, "spike", l, gt->spikes[t][l], rr->spikes[t][l],
                                 m->layer[l].n_out);
        }
    for (l = 0; l <= last; l++)
        for (j = 0; j < m->layer[l].n_out; j++)
            if (gt->final_v[l][j] != rr->final_v[l][j]) {
                bad++;
                report(f, print_budget, image, m->steps, "final-membrane", l, j, gt->final_v[l][j], rr->final_v[l][j]);
            }
    for (j = 0; j < m->layer[last].n_out; j++)
        if (gr->counts[j] != rr->counts[j]) {
            bad++;
            report(f, print_budget, image, m->steps, "count", last, j, gr->counts[j], rr->counts[j]);
        }
    if (gr->predicted != rr->predicted) {
        bad++;
        report(f, print_budget, image, m->steps, "class", last, -1, gr->predicted, rr->predicted);
    }
    if (gr->steps_used != rr->steps_used) {
        bad++;
        report(f, print_budget, image, m->steps, "steps-used", last, -1, gr->steps_used, rr->steps_used);
    }
    if (gr->cycles != rr->cycles) {
        bad++;
        report(f, print_budget, image, m->steps, "cycles(register)", -1, -1, (long)gr->cycles, (long)rr->cycles);
    }
    if (gr->cycles != rr->cycles_seen) {
        bad++;
        report(f, print_budget, image, m->steps, "cycles(clocks to o_done)", -1, -1, (long)gr->cycles,
               (long)rr->cycles_seen);
    }
    return bad;
}

static void print_list(FILE *f, const uint32_t *w, int n)
{
    int i, k = 0;
    for (i = 0; i < n; i++)
        if (bit(w, i))
            fprintf(f, "%s%d", k++ ? "," : "", i);
    if (!k)
        fprintf(f, "-");
}

static void side_line(FILE *f, int t, const char *what, const uint32_t *exp, const uint32_t *got, int n, int *differs)
{
    const int same = memcmp(exp, got, sizeof(uint32_t) * SNN_WORDS(n)) == 0;
    fprintf(f, "  t=%-3d %-8s %s golden: ", t, what, same ? "  " : "!=");
    print_list(f, exp, n);
    fprintf(f, "\n  %-14s    rtl:    ", "");
    print_list(f, got, n);
    fprintf(f, "\n");
    if (!same)
        *differs = 1;
}

void sim_side_by_side(const snn_model_t *m, int image, const snn_trace_t *gt, const rtl_result_t *rr, FILE *f)
{
    char name[16];
    int t, l, differs = 0;
    fprintf(f, "side-by-side trace of image %d (spiking indices per step; up to the first difference):\n", image);
    for (t = 0; t < m->steps && !differs; t++) {
        if (m->encoding == SNN_ENCODING_RATE)
            side_line(f, t, "input", gt->input_spikes[t], rr->input_spikes[t], m->layer[0].n_in, &differs);
        for (l = 0; l < m->n_layers; l++) {
            snprintf(name, sizeof name, "layer%d", l);
            side_line(f, t, name, gt->spikes[t][l], rr->spikes[t][l], m->layer[l].n_out, &differs);
        }
    }
    if (!differs)
        fprintf(f, "  (all steps agree: the difference is in final membranes, counts, class or cycles)\n");
}
