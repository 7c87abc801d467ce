/* SPDX-License-Identifier: MIT
 * tb_snn.c : C testbench for the HLS scripts (UNTESTED with an HLS tool; it compiles and runs
 * with cc).  Runs a small deterministic model on a deterministic image twice and checks that
 * the counts are reproducible and the decision follows snn_decide; exits non-zero on a
 * mismatch.  The bit-exact comparison with host/eval is tests/unit/check_export_c.sh.
 */
#include <stdio.h>
#include <string.h>
#include "snn.h"

static snn_model_t m;
static snn_result_t a, b;

int main(void)
{
    uint8_t px[64];
    int i, j;
    m.n_layers = 1;
    m.steps = 20;
    m.encoding = SNN_ENCODING_RATE;
    m.input_bits = SNN_INPUT_BITS_RAW;
    m.layer[0].n_in = 64;
    m.layer[0].n_out = 8;
    m.layer[0].leak_shift = 2;
    m.thresholds[0] = 100;
    for (i = 0; i < 64; i++) {
        px[i] = (uint8_t)(i * 4);
        for (j = 0; j < 8; j++)
            m.weights[i * 8 + j] = (int8_t)((i * 7 + j * 13) % 61 - 20);
    }
    if (snn_model_check(&m) != 0) {
        printf("FAIL: model: %s\n", snn_model_error(snn_model_check(&m)));
        return 1;
    }
    snn_infer(&m, px, 7, &a, 0);
    snn_infer(&m, px, 7, &b, 0);
    if (memcmp(a.counts, b.counts, 8) != 0 || a.predicted != b.predicted) {
        printf("FAIL: not reproducible\n");
        return 1;
    }
    printf("PASS: predicted %d\n", a.predicted);
    return 0;
}
