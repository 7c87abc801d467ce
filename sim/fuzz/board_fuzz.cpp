// SPDX-License-Identifier: MIT
// board_fuzz.cpp : protocol fuzzing of the board RTL (rtl/board + rtl/core, Verilator) through
// its UART pin, at the real bit timing (issue 14).  Each round sends a burst of 1..8 frames into
// RX, back to back: valid frames of every opcode (small random models), the same frames mutated
// (bit flips, cut, repeated, bytes inserted, a random length, the CRC made right again so the
// checks behind it are reached) and plain noise.  Throughout, and after every round:
//   - every byte-bus write lands inside a writable region (weights, thresholds, config, pixels)
//     at an offset below that region's size: no memory is written out of range;
//   - every answer on TX is a well-formed frame (CRC good) with a known status;
//   - within PROTO_TIMEOUT_US + IDLE_SLACK clocks of the burst's last bit, every state machine
//     is back to idle (o_idle: receiver hunting, FIFO empty, UART idle, transmitter idle,
//     sequencer idle, no answer pending);
//   - then a valid INFO is answered, status OK, within INFO_BOUND clocks of its last bit.
//   Vfuzz [+seed=N] [+seconds=S] [+rounds=N]     exit 0 = PASS; a summary line either way
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "Vqn_board.h"
#include "Vqn_board___024root.h"
#include "verilated.h"

extern "C" {
#include "protocol.h"
#include "snn.h"
}

#if !defined(SIM_CLK_HZ) || !defined(SIM_BAUD)
#error "build with -DSIM_CLK_HZ=... -DSIM_BAUD=... (mk/robust.mk takes them from the protocol definition)"
#endif
static const int CLKS_PER_BIT = SIM_CLK_HZ / SIM_BAUD;
static const uint64_t TIMEOUT_CLKS = (uint64_t)SIM_CLK_HZ / 1000000 * PROTO_TIMEOUT_US;
// after a burst: the frame timeout (a cut frame), then an answer queue and a small INFER
static const uint64_t IDLE_SLACK = 2000000;
// INFO: its 7 request bytes are in when the bound starts; its 46-byte answer is 460 bit times
static const uint64_t INFO_BOUND = 60 * 10 * CLKS_PER_BIT;

static Vqn_board *dut;
static uint64_t clk_count;
static uint64_t rng_s = 1;
static uint32_t rnd() { rng_s ^= rng_s << 13; rng_s ^= rng_s >> 7; rng_s ^= rng_s << 17; return (uint32_t)(rng_s >> 16); }
static int below(int n) { return (int)(rnd() % (uint32_t)n); }

// ---- the line: host -> RX (8N1, back to back), TX -> host
struct Serializer {
    std::deque<uint8_t> q;
    int bit = -1, cnt = 0;
    uint8_t cur = 0;
    int level() const { return bit < 0 ? 1 : bit == 0 ? 0 : bit <= 8 ? (cur >> (bit - 1)) & 1 : 1; }
    bool idle() const { return bit < 0 && q.empty(); }
    void tick()
    {
        if (bit < 0) {
            if (q.empty()) return;
            cur = q.front();
            q.pop_front();
            bit = 0;
            cnt = 0;
            return;
        }
        if (++cnt == CLKS_PER_BIT) {
            cnt = 0;
            if (++bit == 10) bit = -1;
        }
    }
};

struct Deserializer {
    int state = -1, cnt = 0, bits = 0;
    uint8_t cur = 0;
    // one clock of the TX level; returns a byte (0..255) when one completes, else -1
    int tick(int level)
    {
        if (state < 0) {
            if (!level) { state = 0; cnt = CLKS_PER_BIT / 2; }
            return -1;
        }
        if (--cnt > 0) return -1;
        cnt = CLKS_PER_BIT;
        if (state == 0) { state = 1; bits = 0; cur = 0; return -1; }   // middle of the start bit
        if (bits < 8) { cur |= (uint8_t)(level << bits); bits++; return -1; }
        state = -1;                                                   // stop bit
        return cur;
    }
};

static Serializer line_in;
static Deserializer line_out;
static proto_parser_t parser;
static long answers, answer_status[256], failures;
static int last_answer_op = -1, last_answer_status = -1;
static uint64_t last_answer_clk;
static long bus_writes;

static void fail(const char *what)
{
    failures++;
    if (failures <= 10)
        printf("FAIL at clock %llu: %s\n", (unsigned long long)clk_count, what);
}

// Is a byte-bus write at addr inside a writable region?
static bool write_in_range(uint32_t addr)
{
    const uint32_t region = addr >> SNN_BUS_REGION_SHIFT, off = addr & ((1u << SNN_BUS_REGION_SHIFT) - 1);
    switch (region) {
    case SNN_REGION_WEIGHTS:    return off < SNN_WEIGHT_BYTES;
    case SNN_REGION_THRESHOLDS: return off < PROTO_THRESHOLD_BYTES;
    case SNN_REGION_CONFIG:     return off < SNN_CFG_BYTES;
    case SNN_REGION_PIXELS:     return off < SNN_PIX_BYTES;
    default:                    return false;   // results and membranes are read-only
    }
}

static void step()
{
    dut->i_rx = line_in.level();
    dut->i_clk = 1;
    dut->eval();
    dut->i_clk = 0;
    dut->eval();
    clk_count++;
    line_in.tick();
    if (dut->rootp->qn_board__DOT__bus_we) {
        bus_writes++;
        if (!write_in_range(dut->rootp->qn_board__DOT__bus_addr)) {
            char m[96];
            snprintf(m, sizeof m, "a bus write at 0x%05x, outside every writable region",
                     (unsigned)dut->rootp->qn_board__DOT__bus_addr);
            fail(m);
        }
    }
    const int b = line_out.tick(dut->o_tx);
    if (b >= 0 && proto_parser_feed(&parser, (uint8_t)b)) {
        answers++;
        answer_status[parser.frame.status]++;
        last_answer_op = parser.frame.op;
        last_answer_status = parser.frame.status;
        last_answer_clk = clk_count;
        if (!strcmp(proto_status_name(parser.frame.status), "?"))
            fail("an answer with an unknown status");
    }
}

// ---- frames
static void put_frame(std::vector<uint8_t> &out, uint8_t op, const uint8_t *pl, size_t len)
{
    static uint8_t f[PROTO_FRAME_MAX];
    const int n = proto_encode(PROTO_SYNC_REQ, op, (uint8_t)rnd(), 0, pl, len, f, sizeof f);
    if (n > 0)
        out.insert(out.end(), f, f + n);
}

// A small random valid model's configuration (so that an INFER on it ends soon).
static void random_config(uint8_t *cfg, int *n_in)
{
    static snn_model_t m;
    memset(&m, 0, sizeof m);
    m.n_layers = (uint8_t)(1 + below(2));
    m.steps = (uint8_t)(1 + below(6));
    m.encoding = (uint8_t)below(2);
    int sizes[3] = {1 + below(64), 1 + below(24), 1 + below(10)};
    uint32_t woff = 0, toff = 0;
    for (int l = 0; l < m.n_layers; l++) {
        snn_layer_t *ly = &m.layer[l];
        ly->n_in = (uint16_t)sizes[l];
        ly->n_out = (uint16_t)sizes[l + 1];
        ly->leak_shift = (uint8_t)below(16);
        ly->reset_mode = (uint8_t)below(2);
        ly->threshold_mode = (uint8_t)below(2);
        ly->weight_offset = woff;
        ly->threshold_offset = (uint16_t)toff;
        woff += (uint32_t)ly->n_in * SNN_PAD_LANES(ly->n_out);
        toff += ly->threshold_mode ? ly->n_out : 1;
    }
    *n_in = sizes[0];
    snn_config_image(&m, cfg);
}

// One valid request of a random kind.
static void valid_frame(std::vector<uint8_t> &out)
{
    static uint8_t pl[PROTO_MAX_PAYLOAD], data[PROTO_MAX_CHUNK];
    static int cfg_n_in = 16;
    switch (below(7)) {
    case 0: put_frame(out, PROTO_OP_INFO, NULL, 0); break;
    case 1: put_frame(out, PROTO_OP_RESET, NULL, 0); break;
    case 2: random_config(pl, &cfg_n_in); put_frame(out, PROTO_OP_WRITE_CONFIG, pl, SNN_CFG_BYTES); break;
    case 3: {
        const size_t n = 1 + (size_t)below(64);
        for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(below(255) - 127);
        const bool w = below(2);
        const uint32_t off = (uint32_t)below(w ? SNN_WEIGHT_BYTES : PROTO_THRESHOLD_BYTES);
        put_frame(out, w ? PROTO_OP_WRITE_WEIGHTS : PROTO_OP_WRITE_THRESHOLDS, pl, proto_pl_write(off, data, n, pl));
        break;
    }
    case 4: {
        const uint8_t region = (uint8_t)below(7);
        put_frame(out, PROTO_OP_READ_BACK, pl,
                  proto_pl_read_back(region, (uint32_t)below(2048), (uint16_t)(1 + below(64)), pl));
        break;
    }
    default: {
        for (int i = 0; i < cfg_n_in; i++) data[i] = (uint8_t)rnd();
        put_frame(out, PROTO_OP_INFER, pl, proto_pl_infer(rnd(), data, (size_t)cfg_n_in, pl));
        break;
    }
    }
}

// A valid frame, then changed: the mutations of a fuzzer that knows the frame layout.
static void mutated_frame(std::vector<uint8_t> &out)
{
    std::vector<uint8_t> f;
    valid_frame(f);
    const int kind = below(7);
    switch (kind) {
    case 0: for (int k = 1 + below(3); k > 0; k--) f[below((int)f.size())] ^= (uint8_t)(1u << below(8)); break;
    case 1: f.resize(1 + below((int)f.size())); break;                       // cut
    case 2: f.insert(f.begin() + below((int)f.size()), (uint8_t)rnd()); break;
    case 3: { const uint16_t len = (uint16_t)(below(2) ? rnd() : below(PROTO_MAX_PAYLOAD + 8));
              f[3] = (uint8_t)len; f[4] = (uint8_t)(len >> 8); break; }    // a random length field
    case 4: f.insert(f.end(), f.begin(), f.end()); break;                    // repeated
    default: {
        // a field changed and the CRC made right: only the semantic checks stand in the way
        if (f.size() > 7) {
            f[1 + below((int)f.size() - 3)] = (uint8_t)rnd();
            const size_t len = f.size() - 2;
            const uint16_t crc = proto_crc16(PROTO_CRC_INIT, f.data() + 1, len - 1);
            f[len] = (uint8_t)crc;
            f[len + 1] = (uint8_t)(crc >> 8);
        }
        break;
    }
    }
    out.insert(out.end(), f.begin(), f.end());
}

static void noise(std::vector<uint8_t> &out)
{
    for (int k = 1 + below(200); k > 0; k--)
        out.push_back(below(8) ? (uint8_t)rnd() : (uint8_t)PROTO_SYNC_REQ);
}

// Runs until the line has gone out and o_idle holds (and stays for a byte time); false on timeout.
static bool run_to_idle(uint64_t bound)
{
    const uint64_t t0 = clk_count;
    uint64_t idle_for = 0;
    while (clk_count - t0 < bound) {
        step();
        idle_for = (line_in.idle() && line_out.state < 0 && dut->o_idle) ? idle_for + 1 : 0;
        if (idle_for > (uint64_t)(12 * CLKS_PER_BIT))
            return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    unsigned seed = 1;
    double seconds = 20;
    long rounds_max = -1;
    for (int i = 1; i < argc; i++) {
        if (sscanf(argv[i], "+seed=%u", &seed) == 1) {}
        if (sscanf(argv[i], "+seconds=%lf", &seconds) == 1) {}
        if (sscanf(argv[i], "+rounds=%ld", &rounds_max) == 1) {}
    }
    rng_s = 0x2545F4914F6CDD1Dull ^ ((uint64_t)seed << 1);
    dut = new Vqn_board;
    proto_parser_init(&parser, PROTO_SYNC_RSP);
    dut->i_rst = 1;
    for (int k = 0; k < 16; k++) step();
    dut->i_rst = 0;

    const auto t_start = std::chrono::steady_clock::now();
    long rounds = 0, sent_bytes = 0, kinds[3] = {0, 0, 0};
    uint64_t worst_idle = 0, worst_info = 0;
    std::vector<uint8_t> burst;
    while (failures == 0) {
        const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
        if (rounds_max >= 0 ? rounds >= rounds_max : el >= seconds)
            break;
        burst.clear();
        for (int k = 1 + below(8); k > 0; k--) {
            const int kind = below(10) < 3 ? 0 : below(10) < 8 ? 1 : 2;
            kinds[kind]++;
            if (kind == 0) valid_frame(burst);
            else if (kind == 1) mutated_frame(burst);
            else noise(burst);
        }
        line_in.q.insert(line_in.q.end(), burst.begin(), burst.end());
        sent_bytes += (long)burst.size();
        while (!line_in.idle()) step();
        const uint64_t t_end = clk_count;
        if (!run_to_idle(TIMEOUT_CLKS + IDLE_SLACK)) {
            fail("not back to idle within PROTO_TIMEOUT_US + IDLE_SLACK clocks of the burst");
            break;
        }
        if (clk_count - t_end > worst_idle) worst_idle = clk_count - t_end;
        // a valid INFO must be answered, OK, within INFO_BOUND
        std::vector<uint8_t> info;
        put_frame(info, PROTO_OP_INFO, NULL, 0);
        const long answers0 = answers;
        line_in.q.insert(line_in.q.end(), info.begin(), info.end());
        while (!line_in.idle()) step();
        const uint64_t t_info = clk_count;
        while (answers == answers0 && clk_count - t_info < INFO_BOUND) step();
        if (answers == answers0) {
            fail("no answer to a valid INFO within INFO_BOUND clocks");
            break;
        }
        if (last_answer_op != PROTO_OP_INFO || last_answer_status != PROTO_OK) {
            fail("the answer to a valid INFO is not INFO OK");
            break;
        }
        if (last_answer_clk - t_info > worst_info) worst_info = last_answer_clk - t_info;
        if (!run_to_idle(INFO_BOUND)) {
            fail("not idle after INFO");
            break;
        }
        rounds++;
    }
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    printf("board_fuzz: %s: %ld rounds, %.1f M clocks (%.1f M clocks/s), %ld bytes in %ld valid, %ld mutated "
           "frames and %ld noise runs; %ld answers (%ld OK, NAK:", failures ? "FAIL" : "PASS", rounds,
           clk_count / 1e6, clk_count / 1e6 / el, sent_bytes, kinds[0], kinds[1], kinds[2], answers, answer_status[0]);
    for (int s = 1; s < 256; s++)
        if (answer_status[s])
            printf(" %s %ld", proto_status_name((uint8_t)s), answer_status[s]);
    printf("); %ld bus writes%s; idle within %llu clocks of a burst (bound %llu), INFO answered "
           "within %llu clocks (bound %llu); seed %u\n", bus_writes, failures ? "" : ", all in range", (unsigned long long)worst_idle,
           (unsigned long long)(TIMEOUT_CLKS + IDLE_SLACK), (unsigned long long)worst_info,
           (unsigned long long)INFO_BOUND, seed);
    dut->final();
    delete dut;
    return failures ? 1 : 0;
}
