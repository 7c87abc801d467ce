/* SPDX-License-Identifier: MIT
 * sim_dump.h : one image's spike raster and per-step membranes, from the golden model and
 * from the RTL, written side by side in one text format (the report page draws both).
 */
#ifndef SIM_DUMP_H
#define SIM_DUMP_H

#include <stdint.h>
#include "snn.h"

/* Writes DIR/golden.txt and DIR/rtl.txt, lines "S t l j" (neuron j of layer l spiked at
 * step t, 1-based) and "V t l j v" (its membrane after step t).  Per-step membranes come from
 * runs of the same image with T cut to t and early exit off: the first t steps do not depend on T;
 * steps after an early exit are not drawn.
 * Returns 0, or -1 with a message on stderr. */
int sim_dump_image(const snn_model_t *m, const uint8_t *pixels, uint32_t seed, const char *dir);

#endif
