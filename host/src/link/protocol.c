/* SPDX-License-Identifier: MIT
 * protocol.c : frames, payloads and a request/answer link for the board protocol
 * (protocol.h, docs/protocol.md).
 */
#include "protocol.h"

#include <string.h>

#include "le.h"
#include "monotonic.h"

/* ---------------------------------------------------------------- frames */

uint16_t proto_crc16(uint16_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int k = 0; k < 8; k++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ PROTO_CRC_POLY) : (uint16_t)(crc << 1);
    }
    return crc;
}

int proto_encode(uint8_t sync, uint8_t op, uint8_t seq, uint8_t status,
                 const uint8_t *payload, size_t len, uint8_t *out, size_t cap)
{
    int rsp = (sync == PROTO_SYNC_RSP);
    size_t hdr = rsp ? PROTO_RSP_HDR_BYTES : PROTO_REQ_HDR_BYTES;
    size_t n = 0;
    if (len > PROTO_MAX_PAYLOAD || hdr + len + PROTO_CRC_BYTES > cap)
        return -1;
    out[n++] = sync;
    out[n++] = op;
    out[n++] = seq;
    if (rsp)
        out[n++] = status;
    put16(out + n, (uint32_t)len);
    n += 2;
    if (len)
        memcpy(out + n, payload, len);
    n += len;
    put16(out + n, proto_crc16(PROTO_CRC_INIT, out + 1, n - 1));
    return (int)(n + PROTO_CRC_BYTES);
}

/* decoder states, in frame order */
enum { P_HUNT, P_OP, P_SEQ, P_STATUS, P_LEN0, P_LEN1, P_PAY, P_CRC0, P_CRC1 };

void proto_parser_init(proto_parser_t *p, uint8_t sync)
{
    memset(p, 0, sizeof *p);
    p->sync = sync;
}

int proto_parser_feed(proto_parser_t *p, uint8_t b)
{
    proto_frame_t *f = &p->frame;
    if (p->state != P_HUNT && p->state < P_CRC0)
        p->crc = proto_crc16(p->crc, &b, 1);
    switch (p->state) {
    case P_HUNT:
        if (b == p->sync) {
            p->crc = PROTO_CRC_INIT;
            p->state = P_OP;
        } else {
            p->dropped_bytes++;
        }
        return 0;
    case P_OP: f->op = b; p->state = P_SEQ; return 0;
    case P_SEQ:
        f->seq = b;
        f->status = PROTO_OK;
        p->state = (p->sync == PROTO_SYNC_RSP) ? P_STATUS : P_LEN0;
        return 0;
    case P_STATUS: f->status = b; p->state = P_LEN0; return 0;
    case P_LEN0: f->len = b; p->state = P_LEN1; return 0;
    case P_LEN1:
        f->len = (uint16_t)(f->len | b << 8);
        p->idx = 0;
        if (f->len > PROTO_MAX_PAYLOAD) {          /* impossible: not a frame after all */
            p->dropped_bytes++;
            p->state = P_HUNT;
        } else {
            p->state = f->len ? P_PAY : P_CRC0;
        }
        return 0;
    case P_PAY:
        f->payload[p->idx++] = b;
        if (p->idx == f->len)
            p->state = P_CRC0;
        return 0;
    case P_CRC0: p->rx_crc = b; p->state = P_CRC1; return 0;
    default:
        p->rx_crc = (uint16_t)(p->rx_crc | b << 8);
        p->state = P_HUNT;
        if (p->rx_crc != p->crc) {
            p->crc_errors++;
            return 0;
        }
        p->frames++;
        return 1;
    }
}

/* ---------------------------------------------------------------- payloads */

size_t proto_pl_write(uint32_t offset, const uint8_t *data, size_t n, uint8_t *out)
{
    put32(out + PROTO_WR_OFFSET, offset);
    memcpy(out + PROTO_WR_DATA, data, n);
    return PROTO_WR_DATA + n;
}

size_t proto_pl_read_back(uint8_t region, uint32_t offset, uint16_t len, uint8_t *out)
{
    out[PROTO_RB_REGION] = region;
    put32(out + PROTO_RB_OFFSET, offset);
    put16(out + PROTO_RB_LEN, len);
    return PROTO_RB_BYTES;
}

size_t proto_pl_infer(uint32_t seed, const uint8_t *pixels, size_t n, uint8_t *out)
{
    put32(out + PROTO_INF_SEED, seed);
    memcpy(out + PROTO_INF_PIXELS, pixels, n);
    return PROTO_INF_PIXELS + n;
}

/* INFER_Z: codes go in nibble by nibble, low nibble first */
typedef struct {
    uint8_t *out;
    size_t nib;
} zwriter_t;

static void z_put(zwriter_t *w, unsigned code)
{
    if (w->nib % 2 == 0)
        w->out[w->nib / 2] = (uint8_t)code;
    else
        w->out[w->nib / 2] |= (uint8_t)(code << 4);
    w->nib++;
}

size_t proto_pl_infer_z(uint32_t seed, const uint8_t *pixels, size_t n, uint8_t *out)
{
    zwriter_t w = { out + PROTO_INF_PIXELS, 0 };
    size_t i = 0;
    put32(out + PROTO_INF_SEED, seed);
    while (i < n) {
        unsigned q = SNN_Q4_CODE(pixels[i]);
        size_t run = 0;
        if (q != 0) {
            z_put(&w, q);
            i++;
            continue;
        }
        while (i < n && SNN_Q4_CODE(pixels[i]) == 0) {
            run++;
            i++;
        }
        z_put(&w, PROTO_Z_RUN);
        for (; run > PROTO_Z_RUN_MAX; run -= PROTO_Z_RUN_MAX)
            z_put(&w, PROTO_Z_RUN_MAX);     /* 15 zeros, and a count follows */
        z_put(&w, (unsigned)(run - 1));     /* 1..15 zeros */
    }
    return PROTO_INF_PIXELS + (w.nib + 1) / 2;
}

int proto_z_decode(const uint8_t *codes, size_t len, uint8_t *pixels, size_t n)
{
    size_t k, done = 0;
    int count = 0;
    for (k = 0; k < 2 * len; k++) {
        unsigned c = (codes[k / 2] >> (k % 2 ? 4 : 0)) & 15u, run;
        if (done == n) {
            if (c != 0)
                return -1;                  /* only zero padding after the last pixel */
        } else if (count) {
            run = c == PROTO_Z_RUN_MAX ? PROTO_Z_RUN_MAX : c + 1;
            count = c == PROTO_Z_RUN_MAX;
            if (run > n - done)
                return -1;
            memset(pixels + done, 0, run);
            done += run;
        } else if (c == PROTO_Z_RUN) {
            count = 1;
        } else {
            pixels[done++] = (uint8_t)SNN_Q4_PIXEL(c);
        }
    }
    return done == n ? 0 : -1;
}

int proto_rate_index(uint32_t baud)
{
    int i;
    for (i = 0; i < PROTO_BAUD_RATES; i++)
        if (proto_rate_baud(i) == baud)
            return i;
    return -1;
}

uint32_t proto_rate_baud(int index)
{
    static const uint32_t rates[PROTO_BAUD_RATES] = { PROTO_BAUD_0, PROTO_BAUD_1, PROTO_BAUD_2 };
    return index >= 0 && index < PROTO_BAUD_RATES ? rates[index] : 0;
}

size_t proto_weight_bytes(const snn_model_t *m)
{
    size_t end = 0;
    for (int l = 0; l < m->n_layers; l++) {
        size_t e = m->layer[l].weight_offset +
                   (size_t)m->layer[l].n_in * SNN_PAD_LANES(m->layer[l].n_out);
        if (e > end)
            end = e;
    }
    return end;
}

size_t proto_threshold_image(const snn_model_t *m, uint8_t *out)
{
    size_t entries = 0;
    for (int l = 0; l < m->n_layers; l++) {
        const snn_layer_t *ly = &m->layer[l];
        size_t e = ly->threshold_offset +
                   (ly->threshold_mode == SNN_THRESHOLD_NEURON ? ly->n_out : 1u);
        if (e > entries)
            entries = e;
    }
    for (size_t i = 0; i < entries; i++)
        put16(out + 2 * i, (uint16_t)m->thresholds[i]);
    return 2 * entries;
}

int proto_parse_info(const uint8_t *p, size_t len, proto_info_t *info)
{
    if (len != PROTO_INFO_BYTES)
        return -1;
    info->version = p[PROTO_INFO_VERSION];
    info->window = p[PROTO_INFO_WINDOW];
    info->max_chunk = get16(p + PROTO_INFO_MAX_CHUNK);
    info->build_id = get32(p + PROTO_INFO_BUILD_ID);
    info->clk_hz = get32(p + PROTO_INFO_CLK_HZ);
    info->baud = get32(p + PROTO_INFO_BAUD);
    info->max_layers = p[PROTO_INFO_MAX_LAYERS];
    info->max_steps = p[PROTO_INFO_MAX_STEPS];
    info->max_inputs = get16(p + PROTO_INFO_MAX_INPUTS);
    info->max_neurons = get16(p + PROTO_INFO_MAX_NEURONS);
    info->max_total = get16(p + PROTO_INFO_MAX_TOTAL);
    info->weight_bytes = get32(p + PROTO_INFO_WEIGHT_BYTES);
    info->lanes = p[PROTO_INFO_LANES];
    info->state = p[PROTO_INFO_STATE];
    info->naks = get16(p + PROTO_INFO_NAKS);
    info->rates = p[PROTO_INFO_RATES];
    info->framings = p[PROTO_INFO_FRAMINGS];
    info->hold_bytes = get16(p + PROTO_INFO_HOLD);
    info->cycles = get32(p + PROTO_INFO_CYCLES) | (uint64_t)get32(p + PROTO_INFO_CYCLES + 4) << 32;
    return 0;
}

int proto_parse_result(const uint8_t *p, size_t len, proto_result_t *res)
{
    if (len <= SNN_RES_COUNTS || len > SNN_RES_COUNTS + SNN_MAX_NEURONS)
        return -1;
    res->predicted = p[SNN_RES_CLASS];
    res->cycles = get32(p + SNN_RES_CYCLES);
    res->steps_used = p[SNN_RES_STEPS];
    res->n_out = (uint16_t)(len - SNN_RES_COUNTS);
    memcpy(res->counts, p + SNN_RES_COUNTS, res->n_out);
    return 0;
}

const char *proto_op_name(uint8_t op)
{
    switch (op) {
    case PROTO_OP_INFO: return "INFO";
    case PROTO_OP_WRITE_CONFIG: return "WRITE_CONFIG";
    case PROTO_OP_WRITE_WEIGHTS: return "WRITE_WEIGHTS";
    case PROTO_OP_WRITE_THRESHOLDS: return "WRITE_THRESHOLDS";
    case PROTO_OP_READ_BACK: return "READ_BACK";
    case PROTO_OP_INFER: return "INFER";
    case PROTO_OP_RESET: return "RESET";
    case PROTO_OP_SET_BAUD: return "SET_BAUD";
    case PROTO_OP_INFER_Z: return "INFER_Z";
    default: return "?";
    }
}

const char *proto_status_name(uint8_t status)
{
    switch (status) {
    case PROTO_OK: return "OK";
    case PROTO_NAK_CRC: return "CRC";
    case PROTO_NAK_OPCODE: return "OPCODE";
    case PROTO_NAK_LENGTH: return "LENGTH";
    case PROTO_NAK_RANGE: return "RANGE";
    case PROTO_NAK_BUSY: return "BUSY";
    case PROTO_NAK_NOCONFIG: return "NOCONFIG";
    case PROTO_NAK_TIMEOUT: return "TIMEOUT";
    case PROTO_NAK_CONFIG: return "CONFIG";
    case PROTO_NAK_REGION: return "REGION";
    case PROTO_NAK_OVERFLOW: return "OVERFLOW";
    case PROTO_NAK_FRAMING: return "FRAMING";
    default: return "?";
    }
}
