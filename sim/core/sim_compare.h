/* SPDX-License-Identifier: MIT
 * sim_compare.h : RTL result vs golden model, image by image, step by step, spike by spike.
 */
#ifndef SIM_COMPARE_H
#define SIM_COMPARE_H

#include <stdio.h>
#include "snn.h"
#include "sim_dut.h"

/* Counts (and prints up to *print_budget of) the differences between the golden model's
 * result/trace and the RTL's: per-step input and layer spikes (when steps is set), final
 * membranes, counts, class, and cycles (register, harness count, snn_cycle_model).
 * Each line: image, step, layer, neuron, expected, got. */
long sim_compare(const snn_model_t *m, int image, const snn_result_t *gr, const snn_trace_t *gt,
                 const rtl_result_t *rr, int steps, FILE *f, long *print_budget);
/* Side-by-side spike lists of both models, step by step, up to and including the first
 * step that differs. */
void sim_side_by_side(const snn_model_t *m, int image, const snn_trace_t *gt, const rtl_result_t *rr, FILE *f);

#endif
