/* SPDX-License-Identifier: MIT
 * bench_kernels.c : layer 0 of 784-128-10 for one batch (B = 128, T = 25), forward and weight
 * gradient, two ways: dense OpenBLAS sgemm on the 0/1 spike matrix, and the trainer's
 * event-driven row additions (tr_add_rows, tr_scatter_rows).  Prints a JSON line per kernel.
 *   bench_kernels [--density P] [--reps N] [--threads N]
 */
#include <cblas.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monotonic.h"
#include "tr_kernels.h"
#include "tr_rng.h"

enum { NB = 128, NT = 25, NI = 784, NH = 128 }; /* batch, steps, inputs, neurons */

extern void openblas_set_num_threads(int);
extern char *openblas_get_corename(void);

int main(int argc, char **argv)
{
    float density = 0.29f; /* Fashion-MNIST's mean pixel / 256: input spikes per pixel and step */
    int reps = 5, threads = omp_get_num_procs(), k, r, b, t, i;
    for (k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "--density") && k + 1 < argc)
            density = strtof(argv[++k], 0);
        else if (!strcmp(argv[k], "--reps") && k + 1 < argc)
            reps = atoi(argv[++k]);
        else if (!strcmp(argv[k], "--threads") && k + 1 < argc)
            threads = atoi(argv[++k]);
        else {
            fprintf(stderr, "usage: bench_kernels [--density P] [--reps N] [--threads N]\n");
            return strcmp(argv[k], "--help") ? 2 : 0;
        }
    }
    if (reps < 1 || threads < 1 || density <= 0.0f || density > 1.0f) {
        fprintf(stderr, "bench_kernels: --reps and --threads must be positive, --density in (0, 1]\n");
        return 2;
    }
    float *x = calloc((size_t)NB * NT * NI, sizeof *x);            /* (NB*NT, NI) dense spikes */
    float *w = malloc(sizeof(float) * NI * NH), *dw = calloc((size_t)NI * NH, sizeof(float));
    float *cur = malloc(sizeof(float) * NB * NT * NH), *du = malloc(sizeof(float) * NB * NT * NH);
    uint16_t *ev = malloc(sizeof(uint16_t) * NB * NT * NI), *nev = malloc(sizeof(uint16_t) * NB * NT);
    uint64_t *mask = calloc((size_t)NB * NI, sizeof(uint64_t));
    tr_rng_t rng = {7};
    long spikes = 0;
    if (!x || !w || !dw || !cur || !du || !ev || !nev || !mask) {
        fprintf(stderr, "bench_kernels: out of memory\n");
        return 1;
    }
    for (i = 0; i < NI * NH; i++)
        w[i] = tr_uniform(&rng) - 0.5f;
    for (i = 0; i < NB * NT * NH; i++)
        du[i] = tr_uniform(&rng) - 0.5f;
    for (b = 0; b < NB * NT; b++) {
        nev[b] = 0;
        for (i = 0; i < NI; i++)
            if (tr_uniform(&rng) < density) {
                x[(size_t)b * NI + i] = 1.0f;
                ev[(size_t)b * NI + nev[b]++] = (uint16_t)i;
                mask[(size_t)(b / NT) * NI + i] |= 1ull << (b % NT);
                spikes++;
            }
    }
    const double dense_flop = 2.0 * NB * NT * NI * NH;
    printf("{\"kernel\": \"info\", \"openblas_core\": \"%s\", \"threads\": %d, \"density\": %.3f, "
           "\"input_spikes_per_batch\": %ld}\n", openblas_get_corename(), threads, density, spikes);

    openblas_set_num_threads(threads);
    double best_f = 1e9, best_b = 1e9;
    for (r = 0; r < reps; r++) {
        double t0 = monotonic_s();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, NB * NT, NH, NI, 1.0f, x, NI, w, NH, 0.0f, cur, NH);
        double t1 = monotonic_s();
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NI, NH, NB * NT, 1.0f, x, NI, du, NH, 1.0f, dw, NH);
        double t2 = monotonic_s();
        best_f = t1 - t0 < best_f ? t1 - t0 : best_f;
        best_b = t2 - t1 < best_b ? t2 - t1 : best_b;
    }
    printf("{\"kernel\": \"openblas_sgemm\", \"forward_ms\": %.3f, \"weight_grad_ms\": %.3f, \"gflops\": %.1f}\n",
           1e3 * best_f, 1e3 * best_b, dense_flop / best_f * 1e-9);

    best_f = best_b = 1e9;
    for (r = 0; r < reps; r++) {
        double t0 = monotonic_s();
#pragma omp parallel for num_threads(threads) schedule(static) private(t)
        for (b = 0; b < NB; b++)
            for (t = 0; t < NT; t++) {
                float *acc = cur + ((size_t)b * NT + t) * NH;
                memset(acc, 0, sizeof(float) * NH);
                tr_add_rows(acc, w, NH, ev + ((size_t)b * NT + t) * NI, nev[b * NT + t]);
            }
        double t1 = monotonic_s();
#pragma omp parallel num_threads(threads)
        {
            /* per-thread gradient, as the trainer keeps it */
            float *mine = omp_get_thread_num() == 0 ? dw : calloc((size_t)NI * NH, sizeof(float));
#pragma omp for schedule(static)
            for (b = 0; b < NB; b++)
                tr_scatter_rows(mine, du + (size_t)b * NT * NH, NH, mask + (size_t)b * NI, NI, 1);
            if (mine != dw)
                free(mine);
        }
        double t2 = monotonic_s();
        best_f = t1 - t0 < best_f ? t1 - t0 : best_f;
        best_b = t2 - t1 < best_b ? t2 - t1 : best_b;
    }
    printf("{\"kernel\": \"event_rows\", \"forward_ms\": %.3f, \"weight_grad_ms\": %.3f, "
           "\"dense_equivalent_gflops\": %.1f}\n", 1e3 * best_f, 1e3 * best_b, dense_flop / best_f * 1e-9);
    free(x); free(w); free(dw); free(cur); free(du); free(ev); free(nev); free(mask);
    return 0;
}
