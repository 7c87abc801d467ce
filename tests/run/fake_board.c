/* SPDX-License-Identifier: MIT
 * fake_board.c : a board stand-in for host/run's tests.  It speaks the real protocol
 * (protocol.h) on a pseudo-terminal and answers INFER with the golden model, and it can
 * misbehave on purpose, one way at a time:
 *   --silent            never answers (host/run must time out, not hang)
 *   --version N         reports protocol version N
 *   --max-neurons N     reports a smaller capacity
 *   --bad-crc           every answer's CRC is wrong (bounded retries, then a clear failure)
 *   --garbage           answers with noise (wrong baud / not our bitstream)
 *   --wrong-answer K    image K (by seed) gets one output spike count off by one
 *   --wrong-readback    weights read back with one byte changed
 * Prints its /dev/pts/N on stdout and serves until SIGTERM.  Not the simulated board: it has
 * no RTL and no timing (INFO's cycle counter stays 0).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "le.h"
#include "protocol.h"
#include "serial.h"
#include "snn.h"

typedef struct {
    int silent, version, max_neurons, bad_crc, garbage, wrong_readback;
    long wrong_answer;
} fake_opts_t;

static volatile sig_atomic_t fake_stop;
static void fake_on_signal(int sig) { (void)sig; fake_stop = 1; }

static snn_model_t model;           /* rebuilt from what the host wrote */
static uint8_t cfg[SNN_CFG_BYTES], thr[PROTO_THRESHOLD_BYTES];
static int configured;

static void fake_model_from_regions(void)
{
    int l, i;
    model.n_layers = cfg[SNN_CFG_N_LAYERS];
    model.steps = cfg[SNN_CFG_STEPS];
    model.encoding = cfg[SNN_CFG_ENCODING];
    model.input_bits = cfg[SNN_CFG_INPUT_BITS];
    for (l = 0; l < SNN_MAX_LAYERS; l++) {
        const uint8_t *p = cfg + SNN_CFG_LAYER0 + l * SNN_CFG_LAYER_BYTES;
        snn_layer_t *ly = &model.layer[l];
        ly->n_in = get16(p + SNN_CFG_L_N_IN);
        ly->n_out = get16(p + SNN_CFG_L_N_OUT);
        ly->leak_shift = p[SNN_CFG_L_LEAK];
        ly->reset_mode = p[SNN_CFG_L_RESET];
        ly->threshold_mode = p[SNN_CFG_L_TMODE];
        ly->weight_offset = get32(p + SNN_CFG_L_WOFFSET);
        ly->threshold_offset = get16(p + SNN_CFG_L_TOFFSET);
    }
    for (i = 0; i < SNN_MAX_TOTAL_NEURONS; i++)
        model.thresholds[i] = (int16_t)get16(thr + 2 * i);
}

static void fake_send(int fd, const fake_opts_t *o, uint8_t op, uint8_t seq, uint8_t status,
                      const uint8_t *pl, size_t len)
{
    uint8_t out[PROTO_FRAME_MAX + 8];
    int n = proto_encode(PROTO_SYNC_RSP, op, seq, status, pl, len, out, sizeof out), k;
    if (n < 0)
        return;
    if (o->bad_crc)
        out[n - 1] ^= 0x5A;
    if (o->garbage)
        for (k = 0; k < n; k++)
            out[k] = (uint8_t)(out[k] * 37 + 11) | 0x80; /* never a sync byte */
    for (k = 0; k < n;) {
        ssize_t w = write(fd, out + k, (size_t)(n - k));
        if (w > 0)
            k += (int)w;
        else if (w < 0 && errno != EAGAIN && errno != EINTR)
            return;
    }
}

static void fake_info(uint8_t *p, const fake_opts_t *o)
{
    memset(p, 0, PROTO_INFO_BYTES);
    p[PROTO_INFO_VERSION] = (uint8_t)o->version;
    p[PROTO_INFO_WINDOW] = PROTO_INFER_WINDOW;
    put16(p + PROTO_INFO_MAX_CHUNK, PROTO_MAX_CHUNK);
    put32(p + PROTO_INFO_BUILD_ID, 0xFA4EB0A2u);
    put32(p + PROTO_INFO_CLK_HZ, PROTO_DEFAULT_CLK_HZ);
    put32(p + PROTO_INFO_BAUD, PROTO_DEFAULT_BAUD);
    p[PROTO_INFO_MAX_LAYERS] = SNN_MAX_LAYERS;
    p[PROTO_INFO_MAX_STEPS] = SNN_MAX_STEPS;
    put16(p + PROTO_INFO_MAX_INPUTS, SNN_MAX_INPUTS);
    put16(p + PROTO_INFO_MAX_NEURONS, (uint32_t)o->max_neurons);
    put16(p + PROTO_INFO_MAX_TOTAL, SNN_MAX_TOTAL_NEURONS);
    put32(p + PROTO_INFO_WEIGHT_BYTES, SNN_WEIGHT_BYTES);
    p[PROTO_INFO_LANES] = SNN_LANES;
    p[PROTO_INFO_STATE] = (uint8_t)configured;
    p[PROTO_INFO_RATES] = 1;          /* 3 Mbaud only: host/run never switches with this board */
    p[PROTO_INFO_FRAMINGS] = 1;       /* raw INFER only */
}

/* Executes one request; fills the answer payload, returns the status. */
static uint8_t fake_exec(const proto_frame_t *f, const fake_opts_t *o, uint8_t *ans, size_t *alen)
{
    const uint8_t *p = f->payload;
    *alen = 0;
    switch (f->op) {
    case PROTO_OP_INFO:
        fake_info(ans, o);
        *alen = PROTO_INFO_BYTES;
        return PROTO_OK;
    case PROTO_OP_RESET:
        configured = 0;
        return PROTO_OK;
    case PROTO_OP_WRITE_CONFIG:
        if (f->len != SNN_CFG_BYTES)
            return PROTO_NAK_LENGTH;
        memcpy(cfg, p, SNN_CFG_BYTES);
        fake_model_from_regions();
        if (model.n_layers < 1 || model.n_layers > SNN_MAX_LAYERS || model.steps < 1) {
            configured = 0;
            return PROTO_NAK_CONFIG;
        }
        configured = 1;
        return PROTO_OK;
    case PROTO_OP_WRITE_WEIGHTS:
    case PROTO_OP_WRITE_THRESHOLDS: {
        uint32_t off = get32(p + PROTO_WR_OFFSET), n = f->len > PROTO_WR_DATA ? f->len - PROTO_WR_DATA : 0;
        uint32_t size = f->op == PROTO_OP_WRITE_WEIGHTS ? SNN_WEIGHT_BYTES : PROTO_THRESHOLD_BYTES;
        uint8_t *dst = f->op == PROTO_OP_WRITE_WEIGHTS ? (uint8_t *)model.weights : thr;
        if (n == 0 || n > PROTO_MAX_CHUNK)
            return PROTO_NAK_LENGTH;
        if (off + n > size)
            return PROTO_NAK_RANGE;
        memcpy(dst + off, p + PROTO_WR_DATA, n);
        fake_model_from_regions();
        return PROTO_OK;
    }
    case PROTO_OP_READ_BACK: {
        uint8_t region = p[PROTO_RB_REGION];
        uint32_t off = get32(p + PROTO_RB_OFFSET), n = get16(p + PROTO_RB_LEN), size;
        const uint8_t *src;
        if (f->len != PROTO_RB_BYTES)
            return PROTO_NAK_LENGTH;
        if (region == SNN_REGION_WEIGHTS) { src = (const uint8_t *)model.weights; size = SNN_WEIGHT_BYTES; }
        else if (region == SNN_REGION_THRESHOLDS) { src = thr; size = PROTO_THRESHOLD_BYTES; }
        else if (region == SNN_REGION_CONFIG) { src = cfg; size = SNN_CFG_BYTES; }
        else return PROTO_NAK_REGION;
        if (n == 0 || n > PROTO_MAX_CHUNK || off + n > size)
            return PROTO_NAK_RANGE;
        memcpy(ans, src + off, n);
        if (o->wrong_readback && region == SNN_REGION_WEIGHTS && off == 0)
            ans[n / 2] ^= 0x10;
        *alen = n;
        return PROTO_OK;
    }
    case PROTO_OP_INFER: {
        static snn_result_t r;
        uint32_t seed;
        int h, j;
        if (!configured || snn_model_check(&model) != 0)
            return PROTO_NAK_NOCONFIG;
        if (f->len != PROTO_INF_PIXELS + model.layer[0].n_in)
            return PROTO_NAK_LENGTH;
        seed = get32(p + PROTO_INF_SEED);
        snn_infer(&model, p + PROTO_INF_PIXELS, seed, &r, NULL);
        h = model.layer[model.n_layers - 1].n_out;
        if ((long)seed == o->wrong_answer)
            r.counts[h - 1] = (uint8_t)(r.counts[h - 1] + 1);
        memset(ans, 0, SNN_RES_COUNTS);
        ans[SNN_RES_CLASS] = r.predicted;
        put32(ans + SNN_RES_CYCLES, r.cycles);
        ans[SNN_RES_STEPS] = r.steps_used;
        for (j = 0; j < h; j++)
            ans[SNN_RES_COUNTS + j] = r.counts[j];
        *alen = (size_t)(SNN_RES_COUNTS + h);
        return PROTO_OK;
    }
    default:
        return PROTO_NAK_OPCODE;
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "silent", no_argument, 0, 's' },       { "version", required_argument, 0, 'v' },
        { "max-neurons", required_argument, 0, 'n' }, { "bad-crc", no_argument, 0, 'c' },
        { "garbage", no_argument, 0, 'g' },      { "wrong-answer", required_argument, 0, 'w' },
        { "wrong-readback", no_argument, 0, 'r' }, { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    static uint8_t ans[PROTO_MAX_PAYLOAD];
    fake_opts_t o = { 0, PROTO_VERSION, SNN_MAX_NEURONS, 0, 0, 0, -1 };
    proto_parser_t parser;
    uint32_t crc_seen = 0;
    int c, master, slave;
    while ((c = getopt_long(argc, argv, "sv:n:cgw:rh", opts, NULL)) != -1) {
        switch (c) {
        case 's': o.silent = 1; break;
        case 'v': o.version = atoi(optarg); break;
        case 'n': o.max_neurons = atoi(optarg); break;
        case 'c': o.bad_crc = 1; break;
        case 'g': o.garbage = 1; break;
        case 'w': o.wrong_answer = atol(optarg); break;
        case 'r': o.wrong_readback = 1; break;
        case 'h':
            printf("usage: fake_board [--silent|--version N|--max-neurons N|--bad-crc|--garbage|"
                   "--wrong-answer K|--wrong-readback]\n  a protocol-speaking stand-in for tests; "
                   "prints its /dev/pts/N\n");
            return 0;
        default: return 2;
        }
    }
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
        fprintf(stderr, "fake_board: no pseudo-terminal: %s\n", strerror(errno));
        return 1;
    }
    slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0 || serial_make_raw(slave) < 0) {
        fprintf(stderr, "fake_board: %s: %s\n", ptsname(master), strerror(errno));
        return 1;
    }
    signal(SIGTERM, fake_on_signal);
    signal(SIGINT, fake_on_signal);
    printf("%s\n", ptsname(master));
    fflush(stdout);
    proto_parser_init(&parser, PROTO_SYNC_REQ);
    while (!fake_stop) {
        uint8_t buf[4096];
        struct pollfd pfd = { .fd = master, .events = POLLIN };
        ssize_t n, i;
        /* like the board: a frame whose next byte is PROTO_TIMEOUT_US late is dropped */
        if (poll(&pfd, 1, parser.state != 0 ? PROTO_TIMEOUT_US / 1000 : 200) <= 0) {
            if (parser.state != 0 && !o.silent)
                fake_send(master, &o, parser.frame.op, parser.frame.seq, PROTO_NAK_TIMEOUT, NULL, 0);
            parser.state = 0;
            continue;
        }
        n = read(master, buf, sizeof buf);
        if (n <= 0 || o.silent)
            continue;
        for (i = 0; i < n; i++) {
            size_t alen;
            uint8_t st;
            if (!proto_parser_feed(&parser, buf[i])) {
                if (parser.crc_errors != crc_seen) {
                    crc_seen = parser.crc_errors;
                    fake_send(master, &o, parser.frame.op, parser.frame.seq, PROTO_NAK_CRC, NULL, 0);
                }
                continue;
            }
            st = fake_exec(&parser.frame, &o, ans, &alen);
            fake_send(master, &o, parser.frame.op, parser.frame.seq, st, st == PROTO_OK ? ans : NULL,
                      st == PROTO_OK ? alen : 0);
        }
    }
    close(slave);
    close(master);
    return 0;
}
