/* SPDX-License-Identifier: MIT
 * sim_dut.h : the snn_core under Verilator, driven through its byte bus (docs/accelerator.md).
 * C API so that the comparison code stays plain C; implemented in sim_dut.cpp.
 */
#ifndef SIM_DUT_H
#define SIM_DUT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
#include "snn.h"

/* What the RTL produced for one image. */
typedef struct {
    /* per step (debug taps of snn_core; zero in the gate-level build) */
    uint32_t spikes[SNN_MAX_STEPS][SNN_MAX_LAYERS][SNN_WORDS(SNN_MAX_NEURONS)];
    uint32_t input_spikes[SNN_MAX_STEPS][SNN_WORDS(SNN_MAX_INPUTS)];
    /* read back over the bus after o_done */
    int16_t final_v[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    uint8_t counts[SNN_MAX_NEURONS];
    uint8_t predicted;
    uint8_t steps_used;    /* SNN_RES_STEPS */
    uint32_t cycles;       /* SNN_RES_CYCLES */
    uint32_t cycles_seen;  /* clocks from i_start to o_done, counted by the harness */
} rtl_result_t;

/* 1 when the build can observe per-step spikes (RTL), 0 for the gate-level netlist. */
int dut_has_taps(void);
/* Creates the model and resets it.  fst_path: NULL, or where dut_trace() writes. */
int dut_open(const char *fst_path);
void dut_close(void);
/* Waveform on/off for the following clocks (needs a fst_path at dut_open). */
void dut_trace(int on);
/* Writes m's configuration, thresholds and weights over the bus; reads a sample back. */
int dut_load_model(const snn_model_t *m);
/* One image: pixels + seed over the bus, i_start, wait for o_done (timeout: non-zero return),
 * then results over the bus.  Returns 0 or -1 (timeout / protocol error, message on stderr). */
int dut_run_image(const snn_model_t *m, const uint8_t *pixels, uint32_t seed, rtl_result_t *out);
/* Clocks simulated so far. */
uint64_t dut_clocks(void);

#ifdef __cplusplus
}
#endif
#endif
