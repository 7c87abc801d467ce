/* SPDX-License-Identifier: MIT
 * random_model.h : random valid models and inputs for the RTL-vs-golden checks (make sim SIM_RANDOM=N).
 */
#ifndef RANDOM_MODEL_H
#define RANDOM_MODEL_H

#include <stdint.h>
#include "rnd.h"
#include "snn.h"

/* A model that passes snn_model_check: 1..SNN_MAX_LAYERS layers, sizes up to capacity,
 * weights in [-127, 127] (extremes and sparsity favoured at times), thresholds 1..32767,
 * leaks 0..SNN_MAX_LEAK_SHIFT, both reset, threshold and encoding modes; T up to max_steps.
 * Returns 0, or -1 if no valid model came out (a generator bug; message on stderr). */
int random_model(rnd_t *r, snn_model_t *m, int max_steps);
/* The same with every layer size at most max_size and T at most max_steps when max_size is below
 * SNN_MAX_INPUTS (small models for the gate-level simulation). */
int random_model_sized(rnd_t *r, snn_model_t *m, int max_steps, int max_size);
/* n pixels: uniform, sparse (MNIST-like), all 255 or all 0. */
void random_pixels(rnd_t *r, uint8_t *pixels, int n);

#endif
