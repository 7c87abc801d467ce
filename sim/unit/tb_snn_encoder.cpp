// SPDX-License-Identifier: MIT
// tb_snn_encoder.cpp : snn_encoder vs the golden rate coder (snn_encode_seed/_rate_step) and
// the nonzero-pixel mode, on random pixels, seeds (incl. each seed that makes a stream 0) and sizes.
#include "Vsnn_encoder.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
extern "C" {
#include "snn.h"
}

static Vsnn_encoder *dut;
static void tick() { dut->i_clk = 0; dut->eval(); dut->i_clk = 1; dut->eval(); }

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    dut = new Vsnn_encoder;
    srand(12345);
    long checked = 0, bad = 0;
    for (int trial = 0; trial < 200 && bad < 20; trial++) {
        static uint8_t px[SNN_MAX_INPUTS];
        static uint16_t ev[SNN_MAX_INPUTS];
        const int n = 1 + rand() % SNN_MAX_INPUTS, steps = 1 + rand() % 4;
        uint32_t seed = (uint32_t)rand() * 2654435761u;
        if (trial >= 1 && trial <= SNN_ENC_STREAMS)
            seed = 0x9E3779B9u * (uint32_t)trial; // K_(trial-1): stream trial - 1 seeded to 0 must fall back to its key
        for (int i = 0; i < n; i++)
            px[i] = (uint8_t)(rand() % 4 ? rand() : 0);
        snn_encoder_t enc;
        snn_encode_seed(&enc, seed);
        dut->i_seed_load = 1; dut->i_seed = seed; dut->i_en = 0;
        tick();
        dut->i_seed_load = 0;
        for (int c = 0; c < 10; c++)
            tick();  // seeding takes the load clock and 10 more (snn_encoder.v)
        for (int t = 0; t < steps; t++) {
            const uint16_t ne = snn_encode_rate_step(&enc, px, n, ev);
            static uint8_t want[SNN_MAX_INPUTS];
            for (int i = 0; i < n; i++) want[i] = 0;
            for (int e = 0; e < ne; e++) want[ev[e]] = 1;
            for (int w = 0; w * 8 < n; w++) {
                uint64_t word = 0;
                int valid = 0;
                for (int g = 0; g < 8; g++)
                    if (w * 8 + g < n) { word |= (uint64_t)px[w * 8 + g] << (8 * g); valid |= 1 << g; }
                dut->i_pixels = word; dut->i_lane_valid = valid; dut->i_en = 1;
                // nonzero mode first (combinational, must not advance the streams), then rate
                dut->i_nz_mode = 1; dut->i_clk = 0; dut->eval();
                for (int g = 0; g < 8 && w * 8 + g < n; g++) {
                    const int got = (dut->o_spikes >> g) & 1, exp = px[w * 8 + g] != 0;
                    checked++;
                    if (got != exp && bad++ < 20)
                        printf("FAIL nonzero mode pixel %d: expected %d got %d\n", w * 8 + g, exp, got);
                }
                dut->i_nz_mode = 1; tick(); // a nonzero-mode clock with i_en: streams must hold
                dut->i_nz_mode = 0; dut->i_clk = 0; dut->eval();
                for (int g = 0; g < 8 && w * 8 + g < n; g++) {
                    const int got = (dut->o_spikes >> g) & 1;
                    checked++;
                    if (got != want[w * 8 + g] && bad++ < 20)
                        printf("FAIL trial %d step %d pixel %d (n %d seed %08x): expected %d got %d\n", trial, t,
                               w * 8 + g, n, seed, want[w * 8 + g], got);
                }
                tick();
            }
            dut->i_en = 0;
        }
    }
    printf("tb_snn_encoder: %s (%ld spikes checked, %ld wrong)\n", bad ? "FAIL" : "PASS", checked, bad);
    delete dut;
    return bad ? 1 : 0;
}
