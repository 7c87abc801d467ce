/* SPDX-License-Identifier: MIT
 * snn_bus.c : the configuration-register image of a model, byte for byte what the host
 * writes into the core's SNN_REGION_CONFIG, and where the core shows the final membranes in
 * SNN_REGION_MEMBRANES (docs/accelerator.md).
 */
#include "snn.h"

static void snn_put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void snn_put32(uint8_t *p, uint32_t v) { snn_put16(p, v); snn_put16(p + 2, v >> 16); }

void snn_config_image(const snn_model_t *m, uint8_t regs[SNN_CFG_BYTES])
{
    int i, l;
    for (i = 0; i < SNN_CFG_BYTES; i++)
        regs[i] = 0;
    regs[SNN_CFG_N_LAYERS] = m->n_layers;
    regs[SNN_CFG_STEPS] = m->steps;
    regs[SNN_CFG_ENCODING] = m->encoding;
    regs[SNN_CFG_EXIT_MODE] = m->exit_mode;
    regs[SNN_CFG_EXIT_LEAD] = m->exit_lead;
    regs[SNN_CFG_EXIT_MIN] = m->exit_min_steps;
    regs[SNN_CFG_INPUT_BITS] = m->input_bits;
    for (l = 0; l < SNN_MAX_LAYERS; l++) {
        const snn_layer_t *ly = &m->layer[l];
        uint8_t *p = regs + SNN_CFG_LAYER0 + l * SNN_CFG_LAYER_BYTES;
        if (l >= m->n_layers)
            break;
        snn_put16(p + SNN_CFG_L_N_IN, ly->n_in);
        snn_put16(p + SNN_CFG_L_N_OUT, ly->n_out);
        p[SNN_CFG_L_LEAK] = ly->leak_shift;
        p[SNN_CFG_L_RESET] = ly->reset_mode;
        p[SNN_CFG_L_TMODE] = ly->threshold_mode;
        snn_put32(p + SNN_CFG_L_WOFFSET, ly->weight_offset);
        snn_put16(p + SNN_CFG_L_TOFFSET, ly->threshold_offset);
    }
}

/* The core keeps neuron n of layer l in lane n % 8 of lane word mb_l + n / 8 (mb_l: the lane
 * words of the layers before l) and reads SNN_REGION_MEMBRANES entry 8 * word + lane back, so
 * every layer starts at a multiple of SNN_LANES entries. */
uint32_t snn_membrane_slot(const snn_model_t *m, int layer, int n)
{
    uint32_t slot = 0;
    int l;
    for (l = 0; l < layer; l++)
        slot += (uint32_t)SNN_PAD_LANES(m->layer[l].n_out);
    return slot + (uint32_t)n;
}
