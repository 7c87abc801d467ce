// SPDX-License-Identifier: MIT
// tb_snn_mem.cpp : snn_ram (byte-enable slices, registered read, simultaneous read and write
// of other words) and snn_spram (nibble masks, read latency 1) vs reference arrays.
#include "Vtb_snn_mem.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>

static Vtb_snn_mem *dut;
static void tick() { dut->i_clk = 0; dut->eval(); dut->i_clk = 1; dut->eval(); }

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    dut = new Vtb_snn_mem;
    static uint64_t ram[256];
    static uint16_t sp[16384];
    long bad = 0, n = 0;
    srand(4242);
    // fill both completely so that every word is defined
    dut->i_we = 0xFF;
    for (int a = 0; a < 256; a++) {
        ram[a] = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ (uint64_t)rand();
        dut->i_waddr = a; dut->i_wdata = ram[a]; tick();
    }
    dut->i_we = 0;
    dut->i_sp_we = 1; dut->i_sp_wmask = 0xF;
    for (int a = 0; a < 16384; a++) {
        sp[a] = (uint16_t)rand();
        dut->i_sp_addr = a; dut->i_sp_wdata = sp[a]; tick();
    }
    dut->i_sp_we = 0;
    int prev_raddr = -1;
    for (int i = 0; i < 200000 && bad < 20; i++) {
        // the word read last clock must be on o_rdata now
        dut->i_clk = 0; dut->eval();
        if (prev_raddr >= 0) {
            n++;
            if (dut->o_rdata != ram[prev_raddr] && bad++ < 20)
                printf("FAIL ram word %d: expected %016llx got %016llx\n", prev_raddr,
                       (unsigned long long)ram[prev_raddr], (unsigned long long)dut->o_rdata);
        }
        const int ra = rand() % 256;
        int wa = rand() % 256;
        if (wa == ra) wa = (wa + 1) % 256; // same-word read and write: old data, not relied on
        const uint8_t we = (uint8_t)rand();
        const uint64_t wd = ((uint64_t)rand() << 33) ^ (uint64_t)rand();
        dut->i_raddr = ra; dut->i_waddr = wa; dut->i_we = we; dut->i_wdata = wd;
        tick();
        for (int k = 0; k < 8; k++)
            if (we >> k & 1)
                ram[wa] = (ram[wa] & ~(0xFFull << (8 * k))) | (wd & (0xFFull << (8 * k)));
        prev_raddr = ra;
        // SPRAM: a masked write or a read checked one clock later
        const int sa = rand() % 16384;
        if (rand() % 2) {
            const uint8_t mask = (uint8_t)(rand() % 16);
            const uint16_t d = (uint16_t)rand();
            dut->i_sp_addr = sa; dut->i_sp_wdata = d; dut->i_sp_wmask = mask; dut->i_sp_we = 1;
            tick();
            dut->i_sp_we = 0;
            for (int k = 0; k < 4; k++)
                if (mask >> k & 1)
                    sp[sa] = (uint16_t)((sp[sa] & ~(0xF << (4 * k))) | (d & (0xF << (4 * k))));
        } else {
            dut->i_sp_addr = sa; dut->i_sp_we = 0;
            tick();
            dut->i_clk = 0; dut->eval();
            n++;
            if (dut->o_sp_rdata != sp[sa] && bad++ < 20)
                printf("FAIL spram word %d: expected %04x got %04x\n", sa, sp[sa], dut->o_sp_rdata);
        }
        dut->i_we = 0;
        prev_raddr = -1; // the SPRAM clock(s) re-read nothing; restart the RAM read check
        dut->i_raddr = ra; tick(); prev_raddr = ra;
    }
    printf("tb_snn_mem: %s (%ld reads checked, %ld wrong)\n", bad ? "FAIL" : "PASS", n, bad);
    delete dut;
    return bad ? 1 : 0;
}
