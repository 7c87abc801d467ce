/* SPDX-License-Identifier: MIT
 * snn_check.c : is a model within the accelerator's capacity and self-consistent?
 * (the rules of docs/arith.md "Capacity")
 */
#include "snn.h"

/* steps and spike counts are 8-bit fields */
typedef char snn_steps_fit_in_uint8[SNN_MAX_STEPS <= 255 ? 1 : -1];

enum {
    SNN_E_LAYERS = -1, SNN_E_STEPS = -2, SNN_E_ENCODING = -3, SNN_E_SIZE = -4, SNN_E_CHAIN = -5,
    SNN_E_LEAK = -6, SNN_E_RESET = -7, SNN_E_TMODE = -8, SNN_E_WEIGHTS = -9, SNN_E_THRESHOLDS = -10,
    SNN_E_NEURONS = -11, SNN_E_WEIGHT_VALUE = -12, SNN_E_THRESHOLD_VALUE = -13, SNN_E_CLASSES = -14,
    SNN_E_EXIT = -15,
    SNN_E_INPUT_BITS = -16,
};

const char *snn_model_error(int code)
{
    switch (code) {
    case 0: return "ok";
    case SNN_E_LAYERS: return "layer count outside 1..SNN_MAX_LAYERS";
    case SNN_E_STEPS: return "timesteps outside 1..SNN_MAX_STEPS";
    case SNN_E_ENCODING: return "unknown input encoding";
    case SNN_E_SIZE: return "layer inputs or neurons outside capacity (SNN_MAX_INPUTS, SNN_MAX_NEURONS)";
    case SNN_E_CHAIN: return "a layer's input count differs from the previous layer's neuron count";
    case SNN_E_LEAK: return "leak shift above SNN_MAX_LEAK_SHIFT";
    case SNN_E_RESET: return "unknown reset mode";
    case SNN_E_TMODE: return "unknown threshold mode";
    case SNN_E_WEIGHTS: return "weights overflow the SNN_WEIGHT_BYTES weight memory or overlap";
    case SNN_E_THRESHOLDS: return "thresholds overflow SNN_MAX_TOTAL_NEURONS entries or overlap";
    case SNN_E_NEURONS: return "neurons over all layers exceed SNN_MAX_TOTAL_NEURONS";
    case SNN_E_WEIGHT_VALUE: return "a weight is -128 (the range is [-127, 127]) or a padding weight is not 0";
    case SNN_E_THRESHOLD_VALUE: return "a threshold is outside 1..32767";
    case SNN_E_CLASSES: return "the output layer has more than 256 neurons (the class is 8 bits)";
    case SNN_E_EXIT: return "early exit: unknown mode, or lead K outside 1..255 / minimum steps M outside 1..T "
                            "(off and exact: K = M = 0)";
    case SNN_E_INPUT_BITS: return "input pixel bits neither 8 (SNN_INPUT_BITS_RAW) nor 4 (SNN_INPUT_BITS_Q4)";
    default: return "unknown model error";
    }
}

int snn_model_check(const snn_model_t *m)
{
    uint32_t next_weight = 0, total_neurons = 0;
    uint16_t next_threshold = 0;
    int l, i, j;

    if (m->n_layers < 1 || m->n_layers > SNN_MAX_LAYERS)
        return SNN_E_LAYERS;
    if (m->steps < 1) /* uint8_t: the upper bound 255 is its range */
        return SNN_E_STEPS;
    if (m->encoding != SNN_ENCODING_RATE && m->encoding != SNN_ENCODING_DIRECT)
        return SNN_E_ENCODING;
    if (m->exit_mode == SNN_EXIT_LEAD ? m->exit_lead < 1 || m->exit_min_steps < 1 || m->exit_min_steps > m->steps
        : (m->exit_mode != SNN_EXIT_OFF && m->exit_mode != SNN_EXIT_EXACT) || m->exit_lead || m->exit_min_steps)
        return SNN_E_EXIT;
    if (m->input_bits != SNN_INPUT_BITS_RAW && m->input_bits != SNN_INPUT_BITS_Q4)
        return SNN_E_INPUT_BITS;
    for (l = 0; l < m->n_layers; l++) {
        const snn_layer_t *ly = &m->layer[l];
        const uint32_t stride = (uint32_t)SNN_PAD_LANES(ly->n_out);
        const int n_thr = ly->threshold_mode == SNN_THRESHOLD_NEURON ? ly->n_out : 1;
        if (ly->n_in < 1 || ly->n_in > SNN_MAX_INPUTS || ly->n_out < 1 || ly->n_out > SNN_MAX_NEURONS)
            return SNN_E_SIZE;
        if (l > 0 && ly->n_in != m->layer[l - 1].n_out)
            return SNN_E_CHAIN;
        if (ly->leak_shift > SNN_MAX_LEAK_SHIFT)
            return SNN_E_LEAK;
        if (ly->reset_mode != SNN_RESET_SUBTRACT && ly->reset_mode != SNN_RESET_ZERO)
            return SNN_E_RESET;
        if (ly->threshold_mode != SNN_THRESHOLD_SHARED && ly->threshold_mode != SNN_THRESHOLD_NEURON)
            return SNN_E_TMODE;
        if (ly->weight_offset != next_weight || ly->weight_offset % SNN_LANES != 0 ||
            (uint64_t)ly->weight_offset + (uint64_t)ly->n_in * stride > SNN_WEIGHT_BYTES)
            return SNN_E_WEIGHTS;
        if (ly->threshold_offset != next_threshold || ly->threshold_offset + n_thr > SNN_MAX_TOTAL_NEURONS)
            return SNN_E_THRESHOLDS;
        total_neurons += ly->n_out;
        if (total_neurons > SNN_MAX_TOTAL_NEURONS)
            return SNN_E_NEURONS;
        for (i = 0; i < ly->n_in; i++)
            for (j = 0; j < (int)stride; j++) {
                int8_t w = m->weights[ly->weight_offset + (uint32_t)i * stride + (uint32_t)j];
                if (w < -SNN_WEIGHT_MAX || (j >= ly->n_out && w != 0))
                    return SNN_E_WEIGHT_VALUE;
            }
        for (j = 0; j < n_thr; j++)
            if (m->thresholds[ly->threshold_offset + j] < 1)
                return SNN_E_THRESHOLD_VALUE;
        next_weight = ly->weight_offset + (uint32_t)ly->n_in * stride;
        next_threshold = (uint16_t)(ly->threshold_offset + n_thr);
    }
    if (m->layer[m->n_layers - 1].n_out > SNN_MAX_CLASSES)
        return SNN_E_CLASSES;
    return 0;
}
