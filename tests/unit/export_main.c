/* SPDX-License-Identifier: MIT
 * export_main.c : firmware-style use of a header written by host/eval --export-c: the model
 * is a compile-time constant, inference is hls/ only.  Prints the --per-image CSV of the
 * first N test images of an idx folder, for check_export_c.sh to compare with host/eval.
 * Build: see check_export_c.sh (the hls sources, dataset.c, qio.c, -lz).
 */
#include <stdio.h>
#include <stdlib.h>

#include "dataset.h"
#include "snn.h"
#include MODEL_HEADER

int main(int argc, char **argv)
{
    static snn_result_t r;
    const snn_model_t *m = &MODEL_NAME;
    const int n_out = m->layer[m->n_layers - 1].n_out;
    dataset_t d;
    char err[1024];
    int i, j, n;
    if (argc != 3) {
        fprintf(stderr, "usage: export_main DATA N\n");
        return 2;
    }
    if (snn_model_check(m) != 0) {
        fprintf(stderr, "export_main: exported model fails snn_model_check: %s\n", snn_model_error(snn_model_check(m)));
        return 1;
    }
    if (dataset_load(argv[1], &d, err, sizeof err) != 0) {
        fprintf(stderr, "export_main: %s\n", err);
        return 1;
    }
    n = atoi(argv[2]);
    n = n < d.test.n ? n : d.test.n;
    printf("index,label,predicted,steps_used");
    for (j = 0; j < n_out; j++)
        printf(",count_%d", j);
    printf(",cycles\n");
    for (i = 0; i < n; i++) {
        snn_infer(m, d.test.images + (size_t)i * d.test.rows * d.test.cols, (uint32_t)i, &r, NULL);
        printf("%d,%d,%d,%d", i, d.test.labels[i], r.predicted, r.steps_used);
        for (j = 0; j < n_out; j++)
            printf(",%d", r.counts[j]);
        printf(",%u\n", (unsigned)r.cycles);
    }
    dataset_free(&d);
    return 0;
}
