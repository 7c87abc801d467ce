// SPDX-License-Identifier: MIT
// sim_dut.cpp : the Verilator model of snn_core behind the C API of sim_dut.h.
#include "sim_dut.h"
#include "Vsnn_core.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#ifndef SIM_GATE
#include "Vsnn_core___024root.h"
#endif
#include <cstdio>
#include <cstring>

static VerilatedContext *ctx;
static Vsnn_core *top;
static VerilatedFstC *fst;
static int tracing;
static uint64_t clocks;
static rtl_result_t *capture; // per-step taps go here while an image runs

static uint32_t region(int r, uint32_t off) { return ((uint32_t)r << SNN_BUS_REGION_SHIFT) | off; }

// Samples the debug taps of the current clock (before its rising edge).
static void sample_taps()
{
#ifndef SIM_GATE
    Vsnn_core___024root *r = top->rootp;
    if (!capture)
        return;
    const int step = r->snn_core__DOT__dbg_spk_step;
    if (r->snn_core__DOT__dbg_spk_we) {
        const int w = r->snn_core__DOT__dbg_spk_word, l = r->snn_core__DOT__dbg_spk_layer;
        capture->spikes[step][l][w / 4] |= (uint32_t)r->snn_core__DOT__dbg_spk_bits << (8 * (w % 4));
    }
    if (r->snn_core__DOT__dbg_in_we) {
        const int w = r->snn_core__DOT__dbg_in_word;
        capture->input_spikes[step][w / 4] |= (uint32_t)r->snn_core__DOT__dbg_in_bits << (8 * (w % 4));
    }
#endif
}

static void tick()
{
    top->i_clk = 0;
    top->eval();
    sample_taps();
    if (fst && tracing)
        fst->dump(ctx->time());
    ctx->timeInc(1);
    top->i_clk = 1;
    top->eval();
    if (fst && tracing)
        fst->dump(ctx->time());
    ctx->timeInc(1);
    clocks++;
}

static void bus_write(uint32_t addr, uint8_t v)
{
    top->i_bus_we = 1;
    top->i_bus_addr = addr;
    top->i_bus_wdata = v;
    tick();
    top->i_bus_we = 0;
}

static void bus_write_block(int reg, uint32_t off, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        bus_write(region(reg, off + i), p[i]);
}

// Reads n bytes, one request per clock, collecting o_bus_rdata when o_bus_rvalid.
static int bus_read_block(int reg, uint32_t off, uint8_t *p, uint32_t n)
{
    uint32_t asked = 0, got = 0;
    int idle = 0;
    while (got < n) {
        top->i_bus_re = asked < n;
        top->i_bus_addr = region(reg, off + asked);
        top->i_clk = 0;
        top->eval();
        if (top->o_bus_rvalid)
            p[got++] = top->o_bus_rdata;
        if (asked < n)
            asked++;
        tick();
        if (++idle > (int)n + 16) {
            fprintf(stderr, "sim: bus read of %u bytes got only %u (o_bus_rvalid missing)\n", n, got);
            top->i_bus_re = 0;
            return -1;
        }
    }
    top->i_bus_re = 0;
    return 0;
}

extern "C" int dut_has_taps(void)
{
#ifdef SIM_GATE
    return 0;
#else
    return 1;
#endif
}

extern "C" int dut_open(const char *fst_path)
{
    ctx = new VerilatedContext;
    ctx->traceEverOn(fst_path != nullptr);
    top = new Vsnn_core{ctx};
    if (fst_path) {
        fst = new VerilatedFstC;
        top->trace(fst, 99);
        fst->open(fst_path);
    }
    top->i_rst = 1;
    for (int i = 0; i < 4; i++)
        tick();
    top->i_rst = 0;
    tick();
    return 0;
}

extern "C" void dut_close(void)
{
    if (fst) {
        fst->close();
        delete fst;
        fst = nullptr;
    }
    top->final();
    delete top;
    delete ctx;
}

extern "C" void dut_trace(int on) { tracing = on; }
extern "C" uint64_t dut_clocks(void) { return clocks; }

extern "C" int dut_load_model(const snn_model_t *m)
{
    uint8_t regs[SNN_CFG_BYTES], back[SNN_CFG_BYTES];
    snn_config_image(m, regs);
    bus_write_block(SNN_REGION_CONFIG, 0, regs, SNN_CFG_BYTES);
    const snn_layer_t *last = &m->layer[m->n_layers - 1];
    const uint32_t n_thr = last->threshold_offset +
                           (last->threshold_mode == SNN_THRESHOLD_NEURON ? last->n_out : 1);
    for (uint32_t e = 0; e < n_thr; e++) {
        const uint16_t t = (uint16_t)m->thresholds[e];
        bus_write(region(SNN_REGION_THRESHOLDS, 2 * e), (uint8_t)t);
        bus_write(region(SNN_REGION_THRESHOLDS, 2 * e + 1), (uint8_t)(t >> 8));
    }
    const uint32_t w_end = last->weight_offset + (uint32_t)last->n_in * SNN_PAD_LANES(last->n_out);
    bus_write_block(SNN_REGION_WEIGHTS, 0, (const uint8_t *)m->weights, w_end);
    // read-back: the configuration image and the first and last weight bytes
    if (bus_read_block(SNN_REGION_CONFIG, 0, back, SNN_CFG_BYTES))
        return -1;
    if (memcmp(regs, back, SNN_CFG_BYTES) != 0) {
        for (int i = 0; i < SNN_CFG_BYTES; i++)
            if (regs[i] != back[i])
                fprintf(stderr, "sim: config byte %d reads back %u, wrote %u\n", i, back[i], regs[i]);
        return -1;
    }
    uint8_t w[2];
    if (bus_read_block(SNN_REGION_WEIGHTS, w_end - 1, w, 1) || bus_read_block(SNN_REGION_WEIGHTS, 0, w + 1, 1))
        return -1;
    if ((int8_t)w[0] != m->weights[w_end - 1] || (int8_t)w[1] != m->weights[0]) {
        fprintf(stderr, "sim: weight read-back differs\n");
        return -1;
    }
    return 0;
}

extern "C" int dut_run_image(const snn_model_t *m, const uint8_t *pixels, uint32_t seed, rtl_result_t *out)
{
    const int n_in = m->layer[0].n_in, last = m->n_layers - 1;
    uint8_t s[4] = {(uint8_t)seed, (uint8_t)(seed >> 8), (uint8_t)(seed >> 16), (uint8_t)(seed >> 24)};
    for (int t = 0; t < m->steps; t++) {
        memset(out->spikes[t], 0, sizeof out->spikes[t]);
        memset(out->input_spikes[t], 0, sizeof out->input_spikes[t]);
    }
    // the core gets the pixels as the board's INFER decoder hands them over: quantized when the
    // model's inputs are (snn_input_pixels, the golden model's definition)
    uint8_t px[SNN_MAX_INPUTS];
    snn_input_pixels(m, pixels, px);
    bus_write_block(SNN_REGION_PIXELS, 0, px, (uint32_t)n_in);
    bus_write_block(SNN_REGION_PIXELS, SNN_PIX_SEED, s, 4);
    capture = out;
    top->i_start = 1;
    tick();
    top->i_start = 0;
    uint32_t n = 1;
    // generous timeout: 64 clocks per possible synaptic op of every step, plus a floor
    uint64_t limit = 1000000;
    for (int l = 0; l <= last; l++)
        limit += (uint64_t)m->steps * (m->layer[l].n_in + 8) * (SNN_PAD_LANES(m->layer[l].n_out) / SNN_LANES + 8);
    limit += 4096ull * 8 * SNN_PAD_LANES(m->layer[0].n_out);
    for (;;) {
        top->i_clk = 0;
        top->eval();
        if (top->o_done)
            break;
        tick();
        if (++n > limit) {
            capture = nullptr;
            fprintf(stderr, "sim: no o_done after %u clocks (timeout)\n", n);
            return -1;
        }
    }
    out->cycles_seen = n;
    tick();
    capture = nullptr;
    uint8_t head[SNN_RES_COUNTS];
    if (bus_read_block(SNN_REGION_RESULT, 0, head, SNN_RES_COUNTS) ||
        bus_read_block(SNN_REGION_RESULT, SNN_RES_COUNTS, out->counts, m->layer[last].n_out))
        return -1;
    out->predicted = head[SNN_RES_CLASS];
    out->steps_used = head[SNN_RES_STEPS];
    out->cycles = head[SNN_RES_CYCLES] | head[SNN_RES_CYCLES + 1] << 8 |
                  head[SNN_RES_CYCLES + 2] << 16 | (uint32_t)head[SNN_RES_CYCLES + 3] << 24;
    static uint8_t mem[2 * SNN_MEMBRANE_SLOTS];
    const uint32_t slots = snn_membrane_slot(m, last, m->layer[last].n_out);
    if (bus_read_block(SNN_REGION_MEMBRANES, 0, mem, 2 * slots))
        return -1;
    for (int l = 0; l <= last; l++)
        for (int j = 0; j < m->layer[l].n_out; j++) {
            const uint32_t k = snn_membrane_slot(m, l, j);
            out->final_v[l][j] = (int16_t)(mem[2 * k] | mem[2 * k + 1] << 8);
        }
    return 0;
}
