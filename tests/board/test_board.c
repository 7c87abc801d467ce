/* SPDX-License-Identifier: MIT
 * test_board.c : the simulated board (rtl/board + rtl/core in Verilator behind a pty) against
 * the protocol (docs/protocol.md) and the golden model.
 *
 *   test_board --sim build/sim-board/qn_board_sim [--json report.json] [--images N]
 *
 * Round trips of every command, every NAK reason the host can provoke, a garbage storm then
 * INFO, half frames that time out, and INFER == snn_infer (class, counts, cycles) for random
 * models, pipelined PROTO_INFER_WINDOW deep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "board_harness.h"

/* Wall-clock limits: an answer takes milliseconds of simulated time, but the simulation runs
 * ~5x slower than real time and much slower on a loaded machine (3 s flaked once with other
 * simulations and place-and-route running). 30 s is far above any healthy answer and still
 * ends a test on a real hang. */
#define TMO 30000                     /* ms for one answer */
#define TIMEOUT_WAIT 30000            /* ms for a NAK TIMEOUT (PROTO_TIMEOUT_US of simulated time) */

static board_t g_board;
static const char *g_sim = "build/sim-board/qn_board_sim";
static int g_images = 24;
static struct {
    int images, mismatches, naks_checked;
    int max_in_flight;                /* most INFERs unanswered at once (window + hold) */
    double infer_sim_seconds;
    uint64_t infer_bytes;
} g_rep;

static link_t *L(void) { return &g_board.link; }

/* Raw bytes on the line (garbage, half frames). */
static void send_raw(const uint8_t *p, size_t n)
{
    char err[256];
    if (transport_write(L()->t, p, n, TMO, err, sizeof err) != 0)
        fail_msg("write: %s", err);
}

/* The answer with sequence number seq (any when seq < 0), within ms. */
static void recv_seq(int seq, proto_frame_t *f, int ms)
{
    int r = link_recv(L(), seq, f, ms);
    if (r != 1)
        fail_msg("no answer with seq %d: %s", seq, r < 0 ? L()->err : "timeout");
}

/* One request, and the status of its answer (which must come, with its seq). */
static uint8_t status_of(uint8_t op, const uint8_t *pl, size_t len, proto_frame_t *f)
{
    int seq = link_send(L(), op, pl, len);
    assert_true(seq >= 0);
    recv_seq(seq, f, TMO);
    assert_int_equal(f->op, op);
    return f->status;
}

static void expect_nak(uint8_t op, const uint8_t *pl, size_t len, uint8_t reason)
{
    proto_frame_t f;
    uint8_t st = status_of(op, pl, len, &f);
    if (st != reason)
        fail_msg("%s: expected NAK %s, got %s", proto_op_name(op), proto_status_name(reason),
                 proto_status_name(st));
    assert_int_equal(f.len, 0);
    g_rep.naks_checked++;
}

static void expect_ok(uint8_t op, const uint8_t *pl, size_t len, proto_frame_t *f)
{
    uint8_t st = status_of(op, pl, len, f);
    if (st != PROTO_OK)
        fail_msg("%s: expected OK, got NAK %s", proto_op_name(op), proto_status_name(st));
}

static void board_reset(void)
{
    proto_frame_t f;
    expect_ok(PROTO_OP_RESET, NULL, 0, &f);
    assert_int_equal(f.len, 0);
}

static void read_back(uint8_t region, uint32_t off, uint16_t len, uint8_t *out)
{
    uint8_t pl[PROTO_RB_BYTES];
    proto_frame_t f;
    proto_pl_read_back(region, off, len, pl);
    expect_ok(PROTO_OP_READ_BACK, pl, sizeof pl, &f);
    assert_int_equal(f.len, len);
    memcpy(out, f.payload, len);
}

static const int SMALL[] = { 64, 24, 10 };

/* ---------------------------------------------------------------- tests */

static void test_info(void **state)
{
    (void)state;
    proto_frame_t f;
    proto_info_t in;
    board_reset();
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    assert_int_equal(in.version, PROTO_VERSION);
    assert_int_equal(in.window, PROTO_INFER_WINDOW);
    assert_int_equal(in.hold_bytes, PROTO_INFER_HOLD_BYTES);
    assert_int_equal(in.max_chunk, PROTO_MAX_CHUNK);
    assert_int_equal(in.clk_hz, PROTO_DEFAULT_CLK_HZ);
    assert_int_equal(in.baud, PROTO_DEFAULT_BAUD);
    assert_int_equal(in.max_layers, SNN_MAX_LAYERS);
    assert_int_equal(in.max_steps, SNN_MAX_STEPS);
    assert_int_equal(in.max_inputs, SNN_MAX_INPUTS);
    assert_int_equal(in.max_neurons, SNN_MAX_NEURONS);
    assert_int_equal(in.max_total, SNN_MAX_TOTAL_NEURONS);
    assert_int_equal(in.weight_bytes, SNN_WEIGHT_BYTES);
    assert_int_equal(in.lanes, SNN_LANES);
    assert_int_equal(in.state & 1, 0);              /* no configuration after RESET */
    /* the cycle counter moves: a second INFO reports more clocks */
    proto_info_t in2;
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in2), 0);
    assert_true(in2.cycles > in.cycles);
}

static void test_write_read_back(void **state)
{
    (void)state;
    static snn_model_t m;
    static uint8_t buf[PROTO_MAX_CHUNK], data[PROTO_MAX_CHUNK], pl[PROTO_WR_DATA + PROTO_MAX_CHUNK];
    uint8_t cfg[SNN_CFG_BYTES];
    proto_frame_t f;
    uint32_t s = 99;
    char err[256];
    board_reset();
    board_random_model(&m, 2, SMALL, 8, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 7);
    if (link_upload(L(), &m, PROTO_MAX_CHUNK, 1, err, sizeof err) != 0)
        fail_msg("load + verify: %s", err);
    snn_config_image(&m, cfg);
    read_back(SNN_REGION_CONFIG, 0, SNN_CFG_BYTES, buf);
    assert_memory_equal(buf, cfg, SNN_CFG_BYTES);
    /* a full chunk at the very end of the weight memory, and a short one in the middle */
    for (int i = 0; i < PROTO_MAX_CHUNK; i++)
        data[i] = (uint8_t)board_rand(&s);
    size_t n = proto_pl_write(SNN_WEIGHT_BYTES - PROTO_MAX_CHUNK, data, PROTO_MAX_CHUNK, pl);
    expect_ok(PROTO_OP_WRITE_WEIGHTS, pl, n, &f);
    read_back(SNN_REGION_WEIGHTS, SNN_WEIGHT_BYTES - PROTO_MAX_CHUNK, PROTO_MAX_CHUNK, buf);
    assert_memory_equal(buf, data, PROTO_MAX_CHUNK);
    n = proto_pl_write(40000, data + 7, 13, pl);
    expect_ok(PROTO_OP_WRITE_WEIGHTS, pl, n, &f);
    read_back(SNN_REGION_WEIGHTS, 40000, 13, buf);
    assert_memory_equal(buf, data + 7, 13);
    /* the last threshold bytes */
    n = proto_pl_write(PROTO_THRESHOLD_BYTES - 6, data, 6, pl);
    expect_ok(PROTO_OP_WRITE_THRESHOLDS, pl, n, &f);
    read_back(SNN_REGION_THRESHOLDS, PROTO_THRESHOLD_BYTES - 6, 6, buf);
    assert_memory_equal(buf, data, 6);
}

static void test_nak_header_and_crc(void **state)
{
    (void)state;
    static uint8_t pl[PROTO_MAX_PAYLOAD], frame[PROTO_FRAME_MAX];
    proto_frame_t f;
    memset(pl, 0, sizeof pl);
    /* bad CRC: the answer still names the op and seq */
    int n = proto_encode(PROTO_SYNC_REQ, PROTO_OP_INFO, 200, 0, NULL, 0, frame, sizeof frame);
    frame[n - 1] ^= 0x40;
    send_raw(frame, (size_t)n);
    recv_seq(200, &f, TMO);
    assert_int_equal(f.status, PROTO_NAK_CRC);
    g_rep.naks_checked++;
    expect_nak(0x55, NULL, 0, PROTO_NAK_OPCODE);
    expect_nak(0x00, pl, 3, PROTO_NAK_OPCODE);
    expect_nak(PROTO_OP_INFO, pl, 1, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_RESET, pl, 2, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_WRITE_CONFIG, pl, SNN_CFG_BYTES - 1, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_WRITE_WEIGHTS, pl, PROTO_WR_DATA, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_WRITE_WEIGHTS, pl, PROTO_WR_DATA + PROTO_MAX_CHUNK + 1, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_WRITE_THRESHOLDS, pl, 2, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_READ_BACK, pl, PROTO_RB_BYTES - 1, PROTO_NAK_LENGTH);
    /* a refused header's payload is skipped: the next request is understood */
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
}

static void test_nak_range_region(void **state)
{
    (void)state;
    uint8_t data[32] = { 0 }, pl[PROTO_WR_DATA + 32], rb[PROTO_RB_BYTES];
    proto_frame_t f;
    board_reset();
    size_t n = proto_pl_write(SNN_WEIGHT_BYTES - 16, data, 17, pl);
    expect_nak(PROTO_OP_WRITE_WEIGHTS, pl, n, PROTO_NAK_RANGE);
    n = proto_pl_write(0x80000000u, data, 1, pl);
    expect_nak(PROTO_OP_WRITE_WEIGHTS, pl, n, PROTO_NAK_RANGE);
    n = proto_pl_write(PROTO_THRESHOLD_BYTES - 1, data, 2, pl);
    expect_nak(PROTO_OP_WRITE_THRESHOLDS, pl, n, PROTO_NAK_RANGE);
    n = proto_pl_write(SNN_WEIGHT_BYTES, data, 1, pl);        /* SNN_WEIGHT_BYTES is 1 << 17 */
    expect_nak(PROTO_OP_WRITE_WEIGHTS, pl, n, PROTO_NAK_RANGE);
    proto_pl_read_back(SNN_REGION_WEIGHTS, 0, 0, rb);
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_RANGE);
    proto_pl_read_back(SNN_REGION_WEIGHTS, 0, PROTO_MAX_CHUNK + 1, rb);
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_RANGE);
    proto_pl_read_back(SNN_REGION_CONFIG, SNN_CFG_BYTES - 8, 9, rb);
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_RANGE);
    proto_pl_read_back(SNN_REGION_MEMBRANES, PROTO_MEMBRANE_BYTES, 1, rb);
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_RANGE);
    proto_pl_read_back(SNN_REGION_PIXELS, 0, 1, rb);
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_REGION);
    proto_pl_read_back(7, 0, 1, rb);
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_REGION);
    proto_pl_read_back(0x43, 0, 1, rb);                       /* region bits beyond the bus */
    expect_nak(PROTO_OP_READ_BACK, rb, sizeof rb, PROTO_NAK_REGION);
    /* refused writes wrote nothing: the last weight byte is still what it was */
    uint8_t before, after;
    read_back(SNN_REGION_WEIGHTS, SNN_WEIGHT_BYTES - 1, 1, &before);
    data[16] = (uint8_t)~before;
    n = proto_pl_write(SNN_WEIGHT_BYTES - 16, data, 17, pl);
    expect_nak(PROTO_OP_WRITE_WEIGHTS, pl, n, PROTO_NAK_RANGE);
    read_back(SNN_REGION_WEIGHTS, SNN_WEIGHT_BYTES - 1, 1, &after);
    assert_int_equal(before, after);
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
}

/* One configuration field set to a bad value must be refused, and leave the old one. */
static void bad_config(const snn_model_t *m, int off, int bytes, uint32_t value)
{
    uint8_t cfg[SNN_CFG_BYTES], now[SNN_CFG_BYTES], good[SNN_CFG_BYTES];
    snn_config_image(m, good);
    memcpy(cfg, good, sizeof cfg);
    for (int i = 0; i < bytes; i++)
        cfg[off + i] = (uint8_t)(value >> (8 * i));
    expect_nak(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, PROTO_NAK_CONFIG);
    read_back(SNN_REGION_CONFIG, 0, SNN_CFG_BYTES, now);
    assert_memory_equal(now, good, SNN_CFG_BYTES);
}

/* One configuration field set to the largest value it may take (and, when given, a second field
 * that has to follow it) must be accepted as sent. */
static void edge_config2(const snn_model_t *m, int off, int bytes, uint32_t value, int off2, int bytes2,
                         uint32_t value2)
{
    uint8_t cfg[SNN_CFG_BYTES], now[SNN_CFG_BYTES];
    proto_frame_t f;
    snn_config_image(m, cfg);
    for (int i = 0; i < bytes; i++)
        cfg[off + i] = (uint8_t)(value >> (8 * i));
    for (int i = 0; i < bytes2; i++)
        cfg[off2 + i] = (uint8_t)(value2 >> (8 * i));
    expect_ok(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f);
    read_back(SNN_REGION_CONFIG, 0, SNN_CFG_BYTES, now);
    assert_memory_equal(now, cfg, SNN_CFG_BYTES);
}

static void edge_config(const snn_model_t *m, int off, int bytes, uint32_t value)
{
    edge_config2(m, off, bytes, value, 0, 0, 0);
}

static void test_nak_config(void **state)
{
    (void)state;
    static snn_model_t m;
    uint8_t cfg[SNN_CFG_BYTES];
    proto_frame_t f;
    const int L0 = SNN_CFG_LAYER0, L1 = SNN_CFG_LAYER0 + SNN_CFG_LAYER_BYTES;
    board_reset();
    board_random_model(&m, 2, SMALL, 8, SNN_ENCODING_RATE, SNN_THRESHOLD_SHARED, 60, 3);
    snn_config_image(&m, cfg);
    expect_ok(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f);
    bad_config(&m, SNN_CFG_N_LAYERS, 1, 0);
    bad_config(&m, SNN_CFG_N_LAYERS, 1, SNN_MAX_LAYERS + 1);
    bad_config(&m, SNN_CFG_STEPS, 1, 0);
    bad_config(&m, SNN_CFG_ENCODING, 1, 2);
    bad_config(&m, SNN_CFG_INPUT_BITS, 1, 0);
    bad_config(&m, SNN_CFG_INPUT_BITS, 1, 5);
    bad_config(&m, L0 + SNN_CFG_L_N_IN, 2, 0);
    bad_config(&m, L0 + SNN_CFG_L_N_IN, 2, SNN_MAX_INPUTS + 1);
    bad_config(&m, L0 + SNN_CFG_L_N_OUT, 2, SNN_MAX_NEURONS + 1);
    bad_config(&m, L1 + SNN_CFG_L_N_IN, 2, SMALL[1] + 1);        /* != n_out of layer 0 */
    bad_config(&m, L1 + SNN_CFG_L_LEAK, 1, SNN_MAX_LEAK_SHIFT + 1);
    bad_config(&m, L1 + SNN_CFG_L_RESET, 1, 2);
    bad_config(&m, L1 + SNN_CFG_L_TMODE, 1, 2);
    bad_config(&m, L1 + SNN_CFG_L_WOFFSET, 4, SNN_WEIGHT_BYTES);
    bad_config(&m, L1 + SNN_CFG_L_TOFFSET, 2, SNN_MAX_TOTAL_NEURONS);
    /* the offsets must follow each other from 0, as snn_model_check wants (issue 14) */
    bad_config(&m, L0 + SNN_CFG_L_WOFFSET, 4, 8);
    bad_config(&m, L1 + SNN_CFG_L_WOFFSET, 4, m.layer[1].weight_offset + 8);
    bad_config(&m, L1 + SNN_CFG_L_WOFFSET, 4, m.layer[1].weight_offset - 8);
    bad_config(&m, L1 + SNN_CFG_L_TOFFSET, 2, m.layer[1].threshold_offset + 1);
    /* the class is 8 bits: at most SNN_MAX_CLASSES neurons in the last layer (issue 14) */
    bad_config(&m, L1 + SNN_CFG_L_N_OUT, 2, SNN_MAX_CLASSES + 1);
    /* and each limit itself is accepted (the board compares with constants bit by bit) */
    edge_config(&m, SNN_CFG_STEPS, 1, SNN_MAX_STEPS);
    edge_config(&m, SNN_CFG_ENCODING, 1, SNN_ENCODING_DIRECT);
    edge_config(&m, SNN_CFG_INPUT_BITS, 1, SNN_INPUT_BITS_Q4);
    edge_config(&m, L1 + SNN_CFG_L_N_OUT, 2, SNN_MAX_CLASSES);
    edge_config(&m, L1 + SNN_CFG_L_LEAK, 1, SNN_MAX_LEAK_SHIFT);
    edge_config(&m, L1 + SNN_CFG_L_RESET, 1, SNN_RESET_ZERO);
    edge_config(&m, L1 + SNN_CFG_L_TMODE, 1, SNN_THRESHOLD_NEURON);
    {   /* SNN_MAX_INPUTS inputs: layer 1's weights then start at 1024 x pad8(24) */
        static snn_model_t w;
        w = m;
        w.layer[0].n_in = SNN_MAX_INPUTS;
        w.layer[1].weight_offset = (uint32_t)SNN_MAX_INPUTS * SNN_PAD_LANES(w.layer[0].n_out);
        snn_config_image(&w, cfg);
        expect_ok(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f);
    }
    {   /* the membrane memory exactly full (1 -> 512 -> 8 -> 248 -> 256: 1024 neurons, 70,080
         * weight bytes), then one neuron more; and more than it holds with each layer in limits */
        static snn_model_t w;
        const int sizes[] = {1, 512, 8, 248, 256};
        memset(&w, 0, sizeof w);
        w.n_layers = 4;
        w.steps = 8;
        w.input_bits = SNN_INPUT_BITS_RAW;
        uint32_t woff = 0;
        for (int l = 0; l < 4; l++) {
            w.layer[l].n_in = (uint16_t)sizes[l];
            w.layer[l].n_out = (uint16_t)sizes[l + 1];
            w.layer[l].weight_offset = woff;
            w.layer[l].threshold_offset = (uint16_t)l;
            woff += (uint32_t)sizes[l] * SNN_PAD_LANES(sizes[l + 1]);
        }
        snn_config_image(&w, cfg);
        expect_ok(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f);
        const int L2 = L1 + SNN_CFG_LAYER_BYTES, L3 = L2 + SNN_CFG_LAYER_BYTES;
        cfg[L2 + SNN_CFG_L_N_OUT] = 249;                          /* 1025 neurons */
        cfg[L3 + SNN_CFG_L_N_IN] = 249;
        const uint32_t woff3 = w.layer[3].weight_offset + 8 * 8;  /* 8 inputs x (pad8(249) - 248) */
        for (int i = 0; i < 4; i++)
            cfg[L3 + SNN_CFG_L_WOFFSET + i] = (uint8_t)(woff3 >> (8 * i));
        expect_nak(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, PROTO_NAK_CONFIG);
    }
    /* fields of layers beyond n_layers are not looked at */
    board_random_model(&m, 1, SMALL, 8, SNN_ENCODING_RATE, SNN_THRESHOLD_SHARED, 60, 3);
    snn_config_image(&m, cfg);
    cfg[L1 + SNN_CFG_L_LEAK] = 0xff;
    expect_ok(PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f);
}

static void test_nak_noconfig_busy(void **state)
{
    (void)state;
    static snn_model_t m;
    static uint8_t pl[PROTO_MAX_PAYLOAD], px[SNN_MAX_INPUTS];
    proto_frame_t f;
    char err[256];
    board_reset();
    size_t n = proto_pl_infer(1, px, SMALL[0], pl);
    expect_nak(PROTO_OP_INFER, pl, n, PROTO_NAK_NOCONFIG);
    board_random_model(&m, 2, SMALL, 40, SNN_ENCODING_RATE, SNN_THRESHOLD_SHARED, 60, 11);
    if (link_upload(L(), &m, PROTO_MAX_CHUNK, 0, err, sizeof err) != 0)
        fail_msg("load: %s", err);
    expect_nak(PROTO_OP_INFER, pl, n - 1, PROTO_NAK_LENGTH);
    memset(px, 200, sizeof px);
    n = proto_pl_infer(1, px, SMALL[0], pl);
    /* PROTO_INFER_WINDOW in flight, then one more INFER, a write and a read: the INFER waits
     * in the receive FIFO until the pixel buffer frees and is answered in order; the write
     * and the read behind it find images in flight: BUSY */
    int seq[PROTO_INFER_WINDOW + 1];
    assert_true(LINK_REQ_BYTES(n) <= PROTO_INFER_HOLD_BYTES);
    for (int i = 0; i < PROTO_INFER_WINDOW + 1; i++)
        assert_true((seq[i] = link_send(L(), PROTO_OP_INFER, pl, n)) >= 0);
    uint8_t wpl[PROTO_WR_DATA + 1];
    size_t wn = proto_pl_write(0, px, 1, wpl);
    int wseq = link_send(L(), PROTO_OP_WRITE_WEIGHTS, wpl, wn);
    uint8_t rb[PROTO_RB_BYTES];
    proto_pl_read_back(SNN_REGION_WEIGHTS, 0, 1, rb);
    int rseq = link_send(L(), PROTO_OP_READ_BACK, rb, sizeof rb);
    assert_true(wseq >= 0 && rseq >= 0);
    /* answers of the two sources interleave: collect them by seq */
    int got_infer = 0, got_busy = 0;
    for (int k = 0; k < PROTO_INFER_WINDOW + 3; k++) {
        recv_seq(-1, &f, TMO);
        if (f.seq == wseq || f.seq == rseq) {
            if (f.status != PROTO_NAK_BUSY)
                fail_msg("%s seq %d: expected NAK BUSY, got %s", proto_op_name(f.op), f.seq,
                         proto_status_name(f.status));
            got_busy++;
        } else {
            assert_int_equal(f.op, PROTO_OP_INFER);
            assert_int_equal(f.status, PROTO_OK);
            assert_int_equal(f.seq, seq[got_infer]);          /* results in request order */
            got_infer++;
        }
    }
    assert_int_equal(got_infer, PROTO_INFER_WINDOW + 1);
    assert_int_equal(got_busy, 2);
    g_rep.naks_checked += 2;
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
}

static void test_half_frame_timeout(void **state)
{
    (void)state;
    static uint8_t pl[PROTO_WR_DATA + 100], frame[PROTO_FRAME_MAX];
    proto_frame_t f;
    memset(pl, 0, sizeof pl);
    /* a WRITE_WEIGHTS cut after 40 payload bytes: NAK TIMEOUT naming it, then normal service */
    int n = proto_encode(PROTO_SYNC_REQ, PROTO_OP_WRITE_WEIGHTS, 77, 0, pl, sizeof pl, frame, sizeof frame);
    assert_true(n > 50);
    send_raw(frame, PROTO_REQ_HDR_BYTES + 40);
    recv_seq(77, &f, TIMEOUT_WAIT);
    assert_int_equal(f.status, PROTO_NAK_TIMEOUT);
    assert_int_equal(f.op, PROTO_OP_WRITE_WEIGHTS);
    g_rep.naks_checked++;
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    /* cut inside the header */
    send_raw(frame, 3);
    recv_seq(-1, &f, TIMEOUT_WAIT);
    assert_int_equal(f.status, PROTO_NAK_TIMEOUT);
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
}

static void test_garbage_storm(void **state)
{
    (void)state;
    enum { N = 20000 };
    static uint8_t junk[N];
    uint32_t s = 12345;
    proto_frame_t f;
    for (int i = 0; i < N; i++) {
        junk[i] = (uint8_t)board_rand(&s);
        if (i % 97 == 0)
            junk[i] = PROTO_SYNC_REQ;             /* plenty of false frame starts */
    }
    send_raw(junk, N);
    /* whatever the storm caused (NAKs, a last half frame timing out) settles; then the board
     * must answer INFO.  Idle = simulated time stops (the sim skips idle time). */
    assert_int_equal(board_wait_idle(&g_board, 60000), 0);
    link_drain(L(), 200);
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    proto_info_t in;
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    assert_int_equal(in.version, PROTO_VERSION);
    assert_true(in.naks > 0);
}

/* Issue 14, defect 6: 100 INFO frames back to back overflow the receive FIFO (each answer takes
 * ten times the line time of its request).  Every loss must be reported: at least one NAK
 * OVERFLOW (the flag is sticky until reported, and wins over CRC), no other NAK than OVERFLOW,
 * CRC or LENGTH (a frame cut by the loss), then normal service. */
static void test_rx_overflow(void **state)
{
    (void)state;
    enum { N = 100 };
    static uint8_t frames[N * PROTO_FRAME_MAX];
    size_t len = 0;
    int ok = 0, overflow = 0, other = 0, k;
    proto_frame_t f;
    board_reset();
    for (k = 0; k < N; k++) {
        int n = proto_encode(PROTO_SYNC_REQ, PROTO_OP_INFO, (uint8_t)k, 0, NULL, 0, frames + len, PROTO_FRAME_MAX);
        assert_true(n > 0);
        len += (size_t)n;
    }
    send_raw(frames, len);
    assert_int_equal(board_wait_idle(&g_board, 60000), 0);
    while (link_recv(L(), -1, &f, 1500) == 1) {
        if (f.status == PROTO_OK) ok++;
        else if (f.status == PROTO_NAK_OVERFLOW) overflow++;
        else if (f.status != PROTO_NAK_CRC && f.status != PROTO_NAK_LENGTH) {
            fprintf(stderr, "overflow: unexpected NAK %s\n", proto_status_name(f.status));
            other++;
        }
    }
    fprintf(stderr, "overflow: %d INFO frames back to back: %d OK, %d NAK OVERFLOW, %d other\n",
            N, ok, overflow, other);
    assert_true(overflow >= 1);
    assert_int_equal(other, 0);
    assert_true(ok + overflow <= N);
    g_rep.naks_checked += overflow;
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);   /* the flag was cleared when reported */
}

/* INFER (or, z, INFER_Z) of random images on one model, pipelined as deep as the board's
 * window and hold allow (link_infer_fits, as host/run), at the link's rate, against
 * snn_infer. */
static void infer_vs_golden_z(const snn_model_t *m, int images, uint32_t seed, int z)
{
    static uint8_t px[64][SNN_MAX_INPUTS], pl[PROTO_MAX_PAYLOAD];
    static snn_result_t gold;
    int n_in = m->layer[0].n_in, n_out = m->layer[m->n_layers - 1].n_out;
    uint32_t s = seed;
    char err[256];
    int seqs[64];
    size_t bytes[64];
    proto_frame_t f;
    proto_info_t in;
    assert_true(images <= 64);
    board_reset();
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    if (link_upload(L(), m, PROTO_MAX_CHUNK, 1, err, sizeof err) != 0)
        fail_msg("load + verify: %s", err);
    for (int k = 0; k < images; k++)
        for (int i = 0; i < n_in; i++)     /* odd images: long zero runs, as in MNIST */
            px[k][i] = (k % 4 == 3 ? 0 : k % 2 ? (i / 7 + k) % 5 == 0 : board_rand(&s) % 3 != 0)
                       ? (uint8_t)board_rand(&s) : 0;      /* images 3, 7, ...: all zero */
    board_stats(&g_board);
    double t0 = g_board.sim_seconds;
    uint64_t b0 = g_board.bytes_in + g_board.bytes_out;
    int sent = 0, recvd = 0;
    while (recvd < images) {
        while (sent < images) {
            size_t n = z ? proto_pl_infer_z(seed + (uint32_t)sent, px[sent], (size_t)n_in, pl)
                         : proto_pl_infer(seed + (uint32_t)sent, px[sent], (size_t)n_in, pl);
            size_t beyond = 0;
            for (int k = recvd + in.window; k < sent; k++)
                beyond += bytes[k];
            if (!link_infer_fits(&in, 0, sent - recvd, beyond, LINK_REQ_BYTES(n)))
                break;
            bytes[sent] = LINK_REQ_BYTES(n);
            assert_true((seqs[sent] = link_send(L(), z ? PROTO_OP_INFER_Z : PROTO_OP_INFER, pl, n)) >= 0);
            sent++;
            if (sent - recvd > g_rep.max_in_flight)
                g_rep.max_in_flight = sent - recvd;
        }
        proto_result_t res;
        recv_seq(seqs[recvd], &f, 4 * TMO);
        if (f.status != PROTO_OK)
            fail_msg("INFER image %d: NAK %s", recvd, proto_status_name(f.status));
        assert_int_equal(proto_parse_result(f.payload, f.len, &res), 0);
        assert_int_equal(res.n_out, n_out);
        snn_infer(m, px[recvd], seed + (uint32_t)recvd, &gold, NULL);
        int bad = res.predicted != gold.predicted || memcmp(res.counts, gold.counts, (size_t)n_out) ||
                  res.cycles != gold.cycles;
        if (bad) {
            g_rep.mismatches++;
            fprintf(stderr, "image %d: board class %u cycles %u, golden class %u cycles %u; counts",
                    recvd, res.predicted, res.cycles, gold.predicted, gold.cycles);
            for (int j = 0; j < n_out; j++)
                fprintf(stderr, " %u/%u", res.counts[j], gold.counts[j]);
            fprintf(stderr, "\n");
        }
        g_rep.images++;
        recvd++;
    }
    board_stats(&g_board);
    g_rep.infer_sim_seconds += g_board.sim_seconds - t0;
    g_rep.infer_bytes += g_board.bytes_in + g_board.bytes_out - b0;
    assert_int_equal(g_rep.mismatches, 0);
}

static void infer_vs_golden(const snn_model_t *m, int images, uint32_t seed)
{
    infer_vs_golden_z(m, images, seed, 0);
}

/* Both ends to baud (SET_BAUD, confirmed by INFO at the new rate). */
static void set_rate(uint32_t baud)
{
    proto_frame_t f;
    proto_info_t in;
    char err[512];
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    if (link_set_rate(L(), baud, &in, err, sizeof err) != 0)
        fail_msg("switch to %u baud: %s", baud, err);
    assert_int_equal(in.baud, baud);
    assert_int_equal(L()->t->baud, baud);
}

/* SET_BAUD: INFO lists the rates 36 MHz divides (all three), every rate round-trips commands
 * (and the switch back), refused switches leave the rate alone, and a host that lost the
 * board's rate gets it back to the default with a line flush (framing errors). */
static void test_baud_rates(void **state)
{
    (void)state;
    uint8_t pl[2] = { 0, 0 }, cfg[SNN_CFG_BYTES];
    static snn_model_t m;
    proto_frame_t f;
    proto_info_t in;
    board_reset();
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    assert_int_equal(in.rates, 7);                    /* 36 MHz: 12, 6 and 3 clocks per bit */
    assert_int_equal(in.framings, 3);
    expect_nak(PROTO_OP_SET_BAUD, pl, 2, PROTO_NAK_LENGTH);
    pl[0] = PROTO_BAUD_RATES;
    expect_nak(PROTO_OP_SET_BAUD, pl, 1, PROTO_NAK_RANGE);
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);            /* still at the default rate */
    board_random_model(&m, 2, SMALL, 8, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 41);
    for (int r = PROTO_BAUD_RATES - 1; r >= 0; r--) {
        set_rate(proto_rate_baud(r));
        char err[256];
        if (link_upload(L(), &m, PROTO_MAX_CHUNK, 1, err, sizeof err) != 0)
            fail_msg("upload at %u baud: %s", proto_rate_baud(r), err);
        read_back(SNN_REGION_CONFIG, 0, SNN_CFG_BYTES, cfg);
    }
    /* this end alone goes back to the default; the board stays at 12 Mbaud until the flush's
     * framing errors bring it back */
    set_rate(PROTO_BAUD_2);
    char err[256];
    assert_int_equal(transport_set_baud(L()->t, PROTO_DEFAULT_BAUD, err, sizeof err), 0);
    /* rates that differ do not talk: an INFO at 3 Mbaud to the board at 12 Mbaud gets no answer
     * (nor 16 framing errors: the board stays there) */
    int seq = link_send(L(), PROTO_OP_INFO, NULL, 0);
    assert_true(seq >= 0);
    assert_int_equal(link_recv(L(), seq, &f, 3000), 0);
    link_set_idle(L());
    if (link_fallback(L()) != LINK_OK)
        fail_msg("fallback: %s", L()->err);
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    assert_int_equal(in.baud, PROTO_DEFAULT_BAUD);
}

/* Models with 4-bit inputs: INFER_Z (compressed) and raw INFER (quantized by the board) equal the
 * golden model at every rate; malformed INFER_Z frames are refused and the board stays in step. */
static void test_infer_q4(void **state)
{
    (void)state;
    static snn_model_t m, m8;
    static uint8_t pl[PROTO_MAX_PAYLOAD + 1], px[SNN_MAX_INPUTS];
    proto_frame_t f;
    board_random_model(&m, 2, SMALL, 10, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 51);
    m.input_bits = SNN_INPUT_BITS_Q4;
    for (int r = 0; r < PROTO_BAUD_RATES; r++) {
        set_rate(proto_rate_baud(r));
        infer_vs_golden_z(&m, g_images / 2, 3000 + 100 * (uint32_t)r, 1);
    }
    infer_vs_golden_z(&m, g_images / 2, 3500, 0);     /* raw frames, quantized by the board */
    /* refusals (the model is loaded: infer_vs_golden_z reset the board and uploaded it) */
    int n_in = m.layer[0].n_in;
    memset(px, 0, sizeof px);
    size_t n = proto_pl_infer_z(1, px, (size_t)n_in - 1, pl);       /* one pixel short */
    expect_nak(PROTO_OP_INFER_Z, pl, n, PROTO_NAK_FRAMING);
    n = proto_pl_infer_z(1, px, (size_t)n_in, pl);
    pl[n] = 0x21;                                                    /* a pixel too many */
    expect_nak(PROTO_OP_INFER_Z, pl, n + 1, PROTO_NAK_FRAMING);
    pl[n] = 0x00;
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    expect_nak(PROTO_OP_INFER_Z, pl, (size_t)PROTO_INF_PIXELS + (size_t)n_in + 1, PROTO_NAK_LENGTH);
    expect_nak(PROTO_OP_INFER_Z, pl, PROTO_INF_PIXELS, PROTO_NAK_LENGTH);
    /* a good one still goes through after the refusals */
    infer_vs_golden_z(&m, 2, 3900, 1);
    /* 784 inputs at 12 Mbaud: zero runs decode slower than their bytes arrive, so the frame's
     * end waits for the decoder (its writes once went astray then, into the thresholds) */
    static snn_model_t big;
    static uint8_t thr[PROTO_THRESHOLD_BYTES], now[PROTO_THRESHOLD_BYTES];
    const int BIG[] = { 784, 16, 10 };
    board_random_model(&big, 2, BIG, 6, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 53);
    big.input_bits = SNN_INPUT_BITS_Q4;
    set_rate(PROTO_BAUD_2);
    infer_vs_golden_z(&big, 8, 3700, 1);
    size_t nt = proto_threshold_image(&big, thr);
    read_back(SNN_REGION_THRESHOLDS, 0, (uint16_t)nt, now);
    assert_memory_equal(now, thr, nt);
    /* an 8-bit model takes no INFER_Z */
    board_random_model(&m8, 2, SMALL, 10, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 52);
    infer_vs_golden(&m8, 2, 3950);
    n = proto_pl_infer_z(1, px, (size_t)n_in, pl);
    expect_nak(PROTO_OP_INFER_Z, pl, n, PROTO_NAK_FRAMING);
    set_rate(PROTO_DEFAULT_BAUD);
}

static void test_infer_rate(void **state)
{
    (void)state;
    static snn_model_t m;
    board_random_model(&m, 2, SMALL, 12, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 21);
    infer_vs_golden(&m, g_images, 1000);
    /* the small frames went beyond the window, into the hold, and still agree */
    assert_true(g_rep.max_in_flight > PROTO_INFER_WINDOW);
}

/* A host that sends beyond the hold: a raw 784-pixel INFER that must wait (a slow model keeps
 * both pixel buffers full) and one more behind it overflow the receive FIFO.  The images in
 * the buffers are answered and agree, the waiting one gets NAK OVERFLOW, the board serves
 * again afterwards. */
static void test_infer_hold_overflow(void **state)
{
    (void)state;
    static snn_model_t m;
    static uint8_t px[SNN_MAX_INPUTS], pl[PROTO_MAX_PAYLOAD];
    static snn_result_t gold;
    const int SIZES[] = { 784, 128, 10 };
    proto_frame_t f;
    proto_result_t res;
    int seq[PROTO_INFER_WINDOW + 2], k, overflow = 0, other = 0;
    board_random_model(&m, 2, SIZES, 40, SNN_ENCODING_RATE, SNN_THRESHOLD_NEURON, 60, 61);
    board_reset();
    char err[256];
    if (link_upload(L(), &m, PROTO_MAX_CHUNK, 0, err, sizeof err) != 0)
        fail_msg("load: %s", err);
    memset(px, 255, sizeof px);
    size_t n = proto_pl_infer(7, px, 784, pl);
    assert_true(LINK_REQ_BYTES(n) > PROTO_RX_FIFO_BYTES);
    snn_infer(&m, px, 7, &gold, NULL);
    /* the image outlasts the two frames behind it: the third must wait, the fourth overflows */
    assert_true((double)gold.cycles / PROTO_DEFAULT_CLK_HZ >
                3.0 * LINK_REQ_BYTES(n) * 10 / PROTO_DEFAULT_BAUD);
    for (k = 0; k < PROTO_INFER_WINDOW + 2; k++)
        assert_true((seq[k] = link_send(L(), PROTO_OP_INFER, pl, n)) >= 0);
    /* the NAK comes as soon as the waiting frame is looked at, before the second result:
     * answers are collected by seq */
    int results = 0;
    while (link_recv(L(), -1, &f, results < PROTO_INFER_WINDOW ? 4 * TMO : 1500) == 1) {
        if (f.status == PROTO_OK && f.op == PROTO_OP_INFER && results < PROTO_INFER_WINDOW &&
            f.seq == seq[results]) {
            assert_int_equal(proto_parse_result(f.payload, f.len, &res), 0);
            assert_int_equal(res.predicted, gold.predicted);
            assert_int_equal(res.cycles, gold.cycles);
            assert_memory_equal(res.counts, gold.counts, 10);
            results++;
        } else if (f.seq == seq[PROTO_INFER_WINDOW] && f.status == PROTO_NAK_OVERFLOW) {
            overflow++;
        } else if (f.status == PROTO_OK || (f.status != PROTO_NAK_TIMEOUT && f.status != PROTO_NAK_CRC &&
                                            f.status != PROTO_NAK_LENGTH && f.status != PROTO_NAK_OPCODE)) {
            other++;    /* the tail of the lost frame may look like a frame start: refused */
        }
    }
    assert_int_equal(results, PROTO_INFER_WINDOW);
    fprintf(stderr, "hold overflow: %d NAK OVERFLOW for the waiting INFER, %d unexpected\n",
            overflow, other);
    assert_int_equal(overflow, 1);
    assert_int_equal(other, 0);
    g_rep.naks_checked++;
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(link_recv(L(), -1, &f, 200), 0);   /* and nothing stale follows */
}

static void test_infer_direct_deep(void **state)
{
    (void)state;
    static snn_model_t m;
    const int sizes[] = { 100, 40, 17, 5 };
    board_random_model(&m, 3, sizes, 10, SNN_ENCODING_DIRECT, SNN_THRESHOLD_SHARED, 40, 22);
    infer_vs_golden(&m, g_images / 2, 2000);
}

static void test_reset_clears_config(void **state)
{
    (void)state;
    static uint8_t pl[PROTO_MAX_PAYLOAD], px[SNN_MAX_INPUTS];
    proto_frame_t f;
    proto_info_t in;
    board_reset();
    expect_ok(PROTO_OP_INFO, NULL, 0, &f);
    assert_int_equal(proto_parse_info(f.payload, f.len, &in), 0);
    assert_int_equal(in.state, 0);
    size_t n = proto_pl_infer(1, px, SMALL[0], pl);
    expect_nak(PROTO_OP_INFER, pl, n, PROTO_NAK_NOCONFIG);
}

/* ---------------------------------------------------------------- driver */

static int group_setup(void **state)
{
    (void)state;
    return board_start(&g_board, g_sim);
}

static int group_teardown(void **state)
{
    (void)state;
    return board_stop(&g_board);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: test_board [--sim PATH] [--json FILE] [--images N]\n"
               "  protocol and INFER tests against the simulated board (default sim: %s)\n", g_sim);
}

int main(int argc, char **argv)
{
    const char *json = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) { usage(stdout); return 0; }
        else if (!strcmp(argv[i], "--sim") && i + 1 < argc) g_sim = argv[++i];
        else if (!strcmp(argv[i], "--json") && i + 1 < argc) json = argv[++i];
        else if (!strcmp(argv[i], "--images") && i + 1 < argc) g_images = atoi(argv[++i]);
        else { fprintf(stderr, "test_board: unknown option '%s' (try --help)\n", argv[i]); return 2; }
    }
    if (g_images < 2 || g_images > 64) {
        fprintf(stderr, "test_board: --images must be 2..64\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_write_read_back),
        cmocka_unit_test(test_nak_header_and_crc),
        cmocka_unit_test(test_nak_range_region),
        cmocka_unit_test(test_nak_config),
        cmocka_unit_test(test_nak_noconfig_busy),
        cmocka_unit_test(test_half_frame_timeout),
        cmocka_unit_test(test_garbage_storm),
        cmocka_unit_test(test_rx_overflow),
        cmocka_unit_test(test_infer_rate),
        cmocka_unit_test(test_infer_hold_overflow),
        cmocka_unit_test(test_infer_direct_deep),
        cmocka_unit_test(test_baud_rates),
        cmocka_unit_test(test_infer_q4),
        cmocka_unit_test(test_reset_clears_config),
    };
    int failed = cmocka_run_group_tests_name("board", tests, group_setup, group_teardown);
    fprintf(stderr, "test_board: %d failed; %d images compared, %d mismatches, %d NAKs checked; "
                    "INFER %.4f s simulated for %llu bytes, up to %d in flight\n", failed, g_rep.images,
            g_rep.mismatches, g_rep.naks_checked, g_rep.infer_sim_seconds,
            (unsigned long long)g_rep.infer_bytes, g_rep.max_in_flight);
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            fprintf(stderr, "test_board: cannot write %s\n", json);
            return 1;
        }
        fprintf(f, "{\"failed\": %d, \"images\": %d, \"mismatches\": %d, \"naks_checked\": %d, "
                   "\"infer_sim_seconds\": %.6f, \"infer_link_bytes\": %llu, \"sim_cycles\": %llu, "
                   "\"max_in_flight\": %d}\n",
                failed, g_rep.images, g_rep.mismatches, g_rep.naks_checked, g_rep.infer_sim_seconds,
                (unsigned long long)g_rep.infer_bytes, (unsigned long long)g_board.cycles,
                g_rep.max_in_flight);
        fclose(f);
    }
    return failed ? 1 : 0;
}
