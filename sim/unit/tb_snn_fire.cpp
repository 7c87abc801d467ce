// SPDX-License-Identifier: MIT
// tb_snn_fire.cpp : the membrane update of snn_fire (saturate, fire, reset, count, leak, direct
// current) vs the golden snn_saturate / snn_fire / snn_leak, on random and extreme values.
#include "Vsnn_fire.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
extern "C" {
#include "snn.h"
}

static Vsnn_fire *dut;
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
        const int32_t a = pick_acc(), c = rand() % 2 ? 0 : (rand() % 259081) - 129540;
        const int16_t th = (int16_t)(rand() % 3 ? 1 + rand() % 32767 : (rand() % 2 ? 1 : 32767));
        const uint8_t leak = (uint8_t)(rand() % 16), rz = (uint8_t)(rand() % 2), last = (uint8_t)(rand() % 4 == 0);
        const uint8_t count = (uint8_t)rand(), count_en = (uint8_t)(rand() % 2);
        // golden: step 3-5, then step 1 of the next step (+ c), or V itself after the last step
        int16_t v = snn_saturate(a);
        const int spike = snn_fire(&v, th, rz);
        const int32_t next = last ? v : snn_leak(v, leak) + c;
        const uint8_t next_count = (uint8_t)(count + (count_en && spike));
        dut->i_v = 1; dut->i_a = (uint32_t)a & 0xFFFFFF; dut->i_count = count;
        dut->i_c = (uint32_t)c & 0xFFFFFF; dut->i_theta = (uint16_t)th; dut->i_leak = leak;
        dut->i_reset_zero = rz; dut->i_last_step = last; dut->i_count_en = count_en; dut->i_h_m1 = 0;
        tick();
        dut->i_v = 0;
        tick();
        tick();
        tick();  // stage 5: the write-back registers
        dut->i_clk = 0; dut->eval();
        const int32_t got = (int32_t)((((uint32_t)(dut->o_r & 0xFF) << 16 | dut->o_p) << 8)) >> 8;
        const uint8_t got_count = (uint8_t)(dut->o_r >> 8);
        const int got_spike = dut->o_bm_bits & 1;
        n++;
        if (!dut->o_we || got != next || got_count != next_count || got_spike != spike || !dut->o_bm_we) {
            if (bad++ < 20)
                printf("FAIL a=%d theta=%d leak=%u reset_zero=%u c=%d last=%u: expected next %d count %u spike %d, "
                       "got %d count %u spike %d (we %d bm_we %d)\n", a, th, leak, rz, c, last, next, next_count,
                       spike, got, got_count, got_spike, dut->o_we, dut->o_bm_we);
        }
    }
    printf("tb_snn_fire: %s (%ld neurons checked, %ld wrong)\n", bad ? "FAIL" : "PASS", n, bad);
    delete dut;
    return bad ? 1 : 0;
}
