/* SPDX-License-Identifier: MIT
 * golden.c : the per-image agreement check.  Exact equality only: a count off by one is a
 * mismatch, and nothing that was not compared is ever counted as agreement.
 */
#include "golden.h"

int golden_agrees(const snn_model_t *m, const uint8_t *pixels, uint32_t index,
                  const proto_result_t *a, snn_result_t *expected, int *first_diff)
{
    int h = m->layer[m->n_layers - 1].n_out, j;
    snn_infer(m, pixels, index, expected, NULL);
    if (a->n_out != h) {
        *first_diff = -2;
        return 0;
    }
    for (j = 0; j < h; j++) {
        if (a->counts[j] != expected->counts[j]) {
            *first_diff = j;
            return 0;
        }
    }
    if (a->predicted != expected->predicted) {
        *first_diff = -1;
        return 0;
    }
    if (a->steps_used != expected->steps_used) {     /* the early exit came at another step */
        *first_diff = -3;
        return 0;
    }
    *first_diff = 0;
    return 1;
}
