// SPDX-License-Identifier: MIT
// tb_qn_cfg_check.cpp : the board's configuration check (rtl/board/qn_cfg_check.v) against the
// golden model's snn_model_check, on random configuration images (issue 14, defect 7).
// Half are images of random valid models (snn_config_image), half those images with one to
// three fields changed at random (a byte, a size, an offset by a little or a lot, the last
// layer past 256 neurons, the early-exit mode, K or M).  A configuration the board accepts must be one snn_model_check
// accepts (with every weight 0 and every threshold 1, so only the configuration decides) and
// the other way round.  Bytes arrive 3..6 clocks apart (the receiver's fastest is 3).
//   Vtb [+seed=N] [+n=N]   exit status 0 = PASS
#include "Vqn_cfg_check.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "snn.h"
}

static Vqn_cfg_check *dut;
static uint64_t rng = 1;

static uint32_t rnd()
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}
static int below(int n) { return (int)(rnd() % (uint32_t)n); }

static void tick()
{
    dut->i_clk = 1;
    dut->eval();
    dut->i_clk = 0;
    dut->eval();
}

static uint32_t get16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }

// The board's verdict on an image.
static bool board_ok(const uint8_t *img)
{
    dut->i_valid = 0;
    dut->i_clear = 1;
    tick();
    dut->i_clear = 0;
    for (int i = 0; i < SNN_CFG_BYTES; i++) {
        dut->i_valid = 1;
        dut->i_idx = (uint8_t)i;
        dut->i_data = img[i];
        tick();
        dut->i_valid = 0;
        for (int k = 3 + below(4); k > 1; k--)
            tick();
    }
    for (int k = 0; k < 4; k++)
        tick();
    return dut->o_ok;
}

// The golden model's verdict: the image as an snn_model_t with valid weights and thresholds.
static bool golden_ok(const uint8_t *img)
{
    static snn_model_t m;
    memset(&m, 0, sizeof m);
    m.n_layers = img[SNN_CFG_N_LAYERS];
    m.steps = img[SNN_CFG_STEPS];
    m.encoding = img[SNN_CFG_ENCODING];
    m.exit_mode = img[SNN_CFG_EXIT_MODE];
    m.exit_lead = img[SNN_CFG_EXIT_LEAD];
    m.exit_min_steps = img[SNN_CFG_EXIT_MIN];
    m.input_bits = img[SNN_CFG_INPUT_BITS];
    for (int l = 0; l < SNN_MAX_LAYERS; l++) {
        const uint8_t *p = img + SNN_CFG_LAYER0 + l * SNN_CFG_LAYER_BYTES;
        snn_layer_t *ly = &m.layer[l];
        ly->n_in = (uint16_t)get16(p + SNN_CFG_L_N_IN);
        ly->n_out = (uint16_t)get16(p + SNN_CFG_L_N_OUT);
        ly->leak_shift = p[SNN_CFG_L_LEAK];
        ly->reset_mode = p[SNN_CFG_L_RESET];
        ly->threshold_mode = p[SNN_CFG_L_TMODE];
        ly->weight_offset = get32(p + SNN_CFG_L_WOFFSET);
        ly->threshold_offset = (uint16_t)get16(p + SNN_CFG_L_TOFFSET);
    }
    for (int i = 0; i < SNN_MAX_TOTAL_NEURONS; i++)
        m.thresholds[i] = 1;
    return snn_model_check(&m) == 0;
}

// A random valid model's image: sizes up to the capacity, often near it.
static void valid_image(uint8_t *img)
{
    static snn_model_t m;
    for (;;) {
        memset(&m, 0, sizeof m);
        m.n_layers = (uint8_t)(1 + below(SNN_MAX_LAYERS));
        m.steps = (uint8_t)(1 + below(SNN_MAX_STEPS));
        m.encoding = (uint8_t)below(2);
        m.exit_mode = (uint8_t)below(3);
        if (m.exit_mode == SNN_EXIT_LEAD) {
            m.exit_lead = (uint8_t)(1 + below(255));
            m.exit_min_steps = (uint8_t)(1 + below(m.steps));
        }
        m.input_bits = below(2) ? SNN_INPUT_BITS_RAW : SNN_INPUT_BITS_Q4;
        uint32_t woff = 0, toff = 0;
        int prev = 1 + (below(3) ? below(SNN_MAX_INPUTS) : SNN_MAX_INPUTS - 1);
        for (int l = 0; l < m.n_layers; l++) {
            snn_layer_t *ly = &m.layer[l];
            const bool last = l == m.n_layers - 1;
            ly->n_in = (uint16_t)prev;
            ly->n_out = (uint16_t)(1 + below(last ? SNN_MAX_CLASSES : below(2) ? 64 : SNN_MAX_NEURONS));
            ly->leak_shift = (uint8_t)below(SNN_MAX_LEAK_SHIFT + 1);
            ly->reset_mode = (uint8_t)below(2);
            ly->threshold_mode = (uint8_t)below(2);
            ly->weight_offset = woff;
            ly->threshold_offset = (uint16_t)toff;
            woff += (uint32_t)ly->n_in * (uint32_t)SNN_PAD_LANES(ly->n_out);
            toff += ly->threshold_mode == SNN_THRESHOLD_NEURON ? ly->n_out : 1;
            prev = ly->n_out;
        }
        for (int i = 0; i < SNN_MAX_TOTAL_NEURONS; i++)
            m.thresholds[i] = 1;
        if (snn_model_check(&m) == 0)
            break;      // (too many weight bytes or neurons: draw again)
    }
    snn_config_image(&m, img);
}

// One to three changes: any byte; a field of a configured layer set to a value near a limit,
// nudged by one, or random.
static void mutate(uint8_t *img)
{
    for (int n = 1 + below(3); n > 0; n--) {
        const int l = below(img[SNN_CFG_N_LAYERS] >= 1 && img[SNN_CFG_N_LAYERS] <= SNN_MAX_LAYERS
                            ? img[SNN_CFG_N_LAYERS] : SNN_MAX_LAYERS);
        uint8_t *p = img + SNN_CFG_LAYER0 + l * SNN_CFG_LAYER_BYTES;
        const int d = below(2) ? 1 : -1;
        switch (below(10)) {
        case 0: img[below(SNN_CFG_BYTES)] = (uint8_t)rnd(); break;
        case 1: img[SNN_CFG_N_LAYERS] = (uint8_t)below(SNN_MAX_LAYERS + 2); break;
        case 2:
            if (below(4) == 0) {
                static const uint8_t bits[] = {0, 3, 4, 5, 7, 8, 9, 255};
                img[SNN_CFG_INPUT_BITS] = bits[below(8)];
            } else {
                img[below(6)] = (uint8_t)(below(3) ? below(4) : rnd());   // header, early exit
            }
            break;
        case 3: put16(p + SNN_CFG_L_N_IN, get16(p + SNN_CFG_L_N_IN) + (uint32_t)d); break;
        case 4: {
            static const uint32_t lim[] = {0, 1, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 65535};
            put16(p + (below(2) ? SNN_CFG_L_N_OUT : SNN_CFG_L_N_IN), lim[below(12)]);
            break;
        }
        case 5: put16(p + SNN_CFG_L_N_OUT, get16(p + SNN_CFG_L_N_OUT) + (uint32_t)d); break;
        case 6: p[SNN_CFG_L_LEAK + below(3)] = (uint8_t)below(SNN_MAX_LEAK_SHIFT + 3); break;
        case 7: {
            static const int32_t dw[] = {1, -1, 8, -8, SNN_WEIGHT_BYTES, 1 << 24};
            put32(p + SNN_CFG_L_WOFFSET, get32(p + SNN_CFG_L_WOFFSET) + (uint32_t)dw[below(6)]);
            break;
        }
        case 8: put16(p + SNN_CFG_L_TOFFSET, get16(p + SNN_CFG_L_TOFFSET) + (uint32_t)(below(2) ? d : 1024)); break;
        default: p[below(SNN_CFG_LAYER_BYTES)] ^= (uint8_t)(1u << below(8)); break;
        }
    }
}

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    dut = new Vqn_cfg_check;
    unsigned seed = 1;
    long n = 20000;
    for (int i = 1; i < argc; i++) {
        if (sscanf(argv[i], "+seed=%u", &seed) == 1) {}
        if (sscanf(argv[i], "+n=%ld", &n) == 1) {}
    }
    rng = 0x9E3779B97F4A7C15ull ^ seed;
    long bad = 0, accepted = 0, rejected = 0;
    uint8_t img[SNN_CFG_BYTES];
    dut->i_clk = 0;
    dut->i_valid = 0;
    dut->i_clear = 0;
    tick();
    for (long k = 0; k < n && bad < 10; k++) {
        valid_image(img);
        if (k % 2)
            mutate(img);
        const bool g = golden_ok(img), b = board_ok(img);
        (g ? accepted : rejected)++;
        if (g != b) {
            bad++;
            printf("FAIL configuration %ld: snn_model_check %s, the board %s; bytes", k,
                   g ? "accepts" : "rejects", b ? "accepts" : "rejects");
            for (int i = 0; i < SNN_CFG_BYTES; i++)
                printf(" %02x", img[i]);
            printf("\n");
        }
    }
    printf("tb_qn_cfg_check: %s (%ld configurations: %ld valid, %ld invalid by snn_model_check; "
           "%ld disagreements)\n", bad ? "FAIL" : "PASS", accepted + rejected, accepted, rejected, bad);
    dut->final();
    delete dut;
    return bad ? 1 : 0;
}
