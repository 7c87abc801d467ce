/* SPDX-License-Identifier: MIT
 * rand_model.h : random models and images for the unit tests, covering the corners of
 * docs/arith.md (saturation, leak 0..15, both reset and threshold modes, both encodings,
 * layer sizes that are and are not multiples of SNN_LANES).
 */
#ifndef RAND_MODEL_H
#define RAND_MODEL_H

#include <stdint.h>
#include "rnd.h"
#include "snn.h"

/* A valid random model; sizes[0] inputs, sizes[1..n_layers] neurons; when sizes is NULL,
 * random sizes within max_in inputs and max_h neurons per layer. */
void rand_model(snn_model_t *m, rnd_t *s, int n_layers, const int *sizes, int max_in, int max_h);
/* n pixels; the density and brightness vary from image to image. */
void rand_image(uint8_t *px, int n, rnd_t *s);

#endif
