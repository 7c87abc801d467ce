// SPDX-License-Identifier: MIT
// tb_snn_fire.cpp : the membrane update of snn_fire (leak, direct current, saturate, fire, reset,
// count) vs the golden snn_leak / snn_saturate / snn_fire, on random and extreme values.
#include "Vsnn_fire.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
extern "C" {
#include "snn.h"
}

static Vsnn_fire *dut;
// `CORE_ACC_BITS of rtl/core/snn_pass.vh: the bits of 2^(MEMBRANE_BITS-1) + MAX_INPUTS * WEIGHT_MAX, + sign
static int acc_bits(void)
{
    int b = 0;
    while ((1L << b) < (1L << (SNN_MEMBRANE_BITS - 1)) + (long)SNN_MAX_INPUTS * SNN_WEIGHT_MAX)
        b++;
    return b + 1;
}
static void tick() { dut->i_clk = 0; dut->eval(); dut->i_clk = 1; dut->eval(); }

static int32_t pick_acc(void)
{
    static const int32_t edge[] = {0, 1, -1, 32767, 32768, -32768, -32769, 162816, -162816, 100, -100};
    if (rand() % 3 == 0)
        return edge[rand() % (int)(sizeof edge / sizeof edge[0])];
    return (rand() % 325633) - 162816;
}

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    dut = new Vsnn_fire;
    srand(777);
    long bad = 0, n = 0;
    for (int i = 0; i < 200000 && bad < 20; i++) {
        // leak_en: the word is a membrane V (direct layer 0, LEAK passes): A = leak(V) + c;
        // else the word is the accumulator A (an event layer's fire pass)
        const uint8_t leak_en = (uint8_t)(rand() % 2), fire_en = (uint8_t)(rand() % 4 != 0);
        const int32_t a = leak_en ? (int32_t)snn_saturate(pick_acc()) : pick_acc();
        const int32_t c = leak_en && rand() % 2 ? (rand() % 259081) - 129540 : 0;
        const int16_t th = (int16_t)(rand() % 3 ? 1 + rand() % 32767 : (rand() % 2 ? 1 : 32767));
        const uint8_t leak = (uint8_t)(rand() % 16), rz = (uint8_t)(rand() % 2);
        const uint8_t count = (uint8_t)rand(), count_en = (uint8_t)(rand() % 2);
        // golden: steps 1-2 (leak and current, when enabled), then 3-5 (fire passes only)
        const int32_t acc = leak_en ? snn_leak((int16_t)a, leak) + c : a;
        int16_t v = snn_saturate(acc);
        const int spike = fire_en ? snn_fire(&v, th, rz) : 0;
        const uint8_t next_count = (uint8_t)(count + (count_en && spike));
        dut->i_v = 1; dut->i_a = (uint32_t)a & 0xFFFFFF; dut->i_count = count;
        dut->i_c = (uint32_t)c & ((1u << acc_bits()) - 1); dut->i_theta = (uint16_t)th; dut->i_leak = leak;
        dut->i_leak_en = leak_en; dut->i_fire_en = fire_en;
        dut->i_reset_zero = rz; dut->i_count_en = count_en; dut->i_h_m1 = 0;
        tick();
        dut->i_v = 0;
        tick();
        tick();
        tick();  // the write-back registers
        dut->i_clk = 0; dut->eval();
        const int32_t got = (int16_t)dut->o_p;
        const uint8_t got_count = (uint8_t)(dut->o_r >> 8);
        const int got_spike = dut->o_bm_bits & 1;
        const int sign_ok = (dut->o_r & 0xFF) == (got < 0 ? 0xFF : 0);
        n++;
        if (!dut->o_we || got != v || !sign_ok || got_count != next_count || got_spike != spike ||
            dut->o_bm_we != fire_en) {
            if (bad++ < 20)
                printf("FAIL a=%d theta=%d leak=%u leak_en=%u fire_en=%u reset_zero=%u c=%d: expected V' %d count %u "
                       "spike %d, got %d count %u spike %d (we %d bm_we %d)\n", a, th, leak, leak_en, fire_en, rz, c, v,
                       next_count, spike, got, got_count, got_spike, dut->o_we, dut->o_bm_we);
        }
    }
    printf("tb_snn_fire: %s (%ld neurons checked, %ld wrong)\n", bad ? "FAIL" : "PASS", n, bad);
    delete dut;
    return bad ? 1 : 0;
}
