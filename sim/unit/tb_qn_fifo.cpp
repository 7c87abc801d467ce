// SPDX-License-Identifier: MIT
// tb_qn_fifo.cpp : the receive FIFO (rtl/board/qn_fifo.v, built with a small DEPTH) against a
// model: random pushes (up to one per clock) and pops, bursts that fill it.  Checks the order
// of the bytes, o_empty, o_match, and that a push is dropped (o_overflow) exactly when the RAM
// is full: never while fewer than DEPTH bytes are held, always from DEPTH + 2 on (the output
// register and a prefetch in flight hold the other two).
//   Vtb [+seed=N]   exit status 0 = PASS
#include "Vqn_fifo.h"
#include "verilated.h"
#include <cstdio>
#include <cstdlib>
#include <deque>

#ifndef FIFO_DEPTH
#error "build with -DFIFO_DEPTH=... (the DEPTH the bench's qn_fifo was verilated with)"
#endif
#ifndef FIFO_MATCH
#error "build with -DFIFO_MATCH=... (the MATCH byte)"
#endif

static Vqn_fifo *dut;

static void tick()
{
    dut->i_clk = 1;
    dut->eval();
    dut->i_clk = 0;
    dut->eval();
}

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    dut = new Vqn_fifo;
    unsigned seed = 1;
    for (int i = 1; i < argc; i++)
        if (sscanf(argv[i], "+seed=%u", &seed) == 1) {}
    srand(seed);

    dut->i_clk = 0;
    dut->i_rst = 1;
    dut->i_push = dut->i_pop = dut->i_clr_overflow = 0;
    tick();
    tick();
    dut->i_rst = 0;

    std::deque<uint8_t> model;       // bytes held, oldest first (output register included)
    long bad = 0, pushes = 0, drops = 0, pops = 0;
    long cycles = 400000;
    for (long c = 0; c < cycles && bad < 20; c++) {
        // phases: fill (pushes win), drain (pops win), mixed
        const int phase = (int)((c / 3000) % 3);
        const int push_pct = phase == 0 ? 90 : phase == 1 ? 10 : 50;
        const int pop_pct = phase == 0 ? 10 : phase == 1 ? 90 : 50;
        const bool push = rand() % 100 < push_pct;
        const uint8_t data = rand() % 4 == 0 ? (uint8_t)FIFO_MATCH : (uint8_t)rand();
        const bool pop = dut->o_valid && rand() % 100 < pop_pct;

        // the output side, as seen before the clock edge
        if (dut->o_valid) {
            if (model.empty()) {
                if (bad++ < 20) printf("FAIL cycle %ld: o_valid with nothing stored\n", c);
            } else if (dut->o_data != model.front() || dut->o_match != (model.front() == FIFO_MATCH)) {
                if (bad++ < 20)
                    printf("FAIL cycle %ld: o_data %02x match %d, expected %02x\n", c, dut->o_data,
                           dut->o_match, model.front());
            }
        }
        const size_t held = model.size();
        dut->i_push = push;
        dut->i_data = data;
        dut->i_pop = pop;
        dut->i_clr_overflow = 0;
        tick();
        if (pop) {
            model.pop_front();
            pops++;
        }
        // was the push taken?  o_overflow rises right after a dropped push (cleared below)
        if (push) {
            pushes++;
            if (dut->o_overflow) {
                drops++;
                if (held < (size_t)FIFO_DEPTH && bad++ < 20)
                    printf("FAIL cycle %ld: push dropped with %zu bytes held (depth %d)\n", c, held, FIFO_DEPTH);
                dut->i_clr_overflow = 1;
                dut->i_push = dut->i_pop = 0;
                tick();
                dut->i_clr_overflow = 0;
                if (dut->o_overflow && bad++ < 20)
                    printf("FAIL cycle %ld: o_overflow did not clear\n", c);
                // the extra clock may have loaded the output register: nothing else changes
            } else {
                if (held >= (size_t)FIFO_DEPTH + 2 && bad++ < 20)
                    printf("FAIL cycle %ld: push taken with %zu bytes held (depth %d)\n", c, held, FIFO_DEPTH);
                model.push_back(data);
            }
        } else if (dut->o_overflow && bad++ < 20) {
            printf("FAIL cycle %ld: o_overflow without a push\n", c);
        }
        if ((bool)dut->o_empty != model.empty() && bad++ < 20)
            printf("FAIL cycle %ld: o_empty %d with %zu bytes held\n", c, dut->o_empty, model.size());
    }
    // drain: everything still held comes out, in order
    for (int c = 0; c < 8 * FIFO_DEPTH + 16 && !model.empty() && bad < 20; c++) {
        const bool pop = dut->o_valid;
        if (pop && dut->o_data != model.front() && bad++ < 20)
            printf("FAIL drain: o_data %02x, expected %02x\n", dut->o_data, model.front());
        dut->i_push = 0;
        dut->i_pop = pop;
        tick();
        if (pop)
            model.pop_front();
    }
    if (!model.empty() && bad++ < 20)
        printf("FAIL drain: %zu bytes never came out\n", model.size());
    if (!dut->o_empty && bad++ < 20)
        printf("FAIL drain: o_empty low after draining\n");
    if (drops == 0 && bad++ < 20)
        printf("FAIL: the bench never filled the FIFO (no overflow exercised)\n");
    printf("tb_qn_fifo: %s (depth %d, %ld pushes, %ld dropped when full, %ld pops, %ld errors)\n",
           bad ? "FAIL" : "PASS", FIFO_DEPTH, pushes, drops, pops, bad);
    dut->final();
    delete dut;
    return bad ? 1 : 0;
}
