/* SPDX-License-Identifier: MIT
 * golden.h : checking one board answer against the golden model, spike count by spike count.
 */
#ifndef RUN_GOLDEN_H
#define RUN_GOLDEN_H

#include <stdint.h>
#include "protocol.h"
#include "snn.h"

/* Runs the golden model on pixels with seed = index (the image's index in its split) and
 * compares the number of outputs, every output spike count, the class and the steps used (the
 * early exit, SNN_RES_STEPS) with a.  Returns 1 when all are equal, else 0; *expected gets the
 * golden result and *first_diff the first differing output (-1: the class, -2: the number of
 * outputs, -3: the steps used). */
int golden_agrees(const snn_model_t *m, const uint8_t *pixels, uint32_t index,
                  const proto_result_t *a, snn_result_t *expected, int *first_diff);

#endif
