/* SPDX-License-Identifier: MIT
 * protocol.c : frames, payloads and a request/answer link for the board protocol
 * (protocol.h, docs/protocol.md).
 */
#include "protocol.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
    info->cycles = get32(p + PROTO_INFO_CYCLES) | (uint64_t)get32(p + PROTO_INFO_CYCLES + 4) << 32;
    return 0;
}

int proto_parse_result(const uint8_t *p, size_t len, proto_result_t *res)
{
    if (len <= SNN_RES_COUNTS || len > SNN_RES_COUNTS + SNN_MAX_NEURONS)
        return -1;
    res->predicted = p[SNN_RES_CLASS];
    res->cycles = get32(p + SNN_RES_CYCLES);
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
    default: return "?";
    }
}

/* ---------------------------------------------------------------- link */

void proto_link_init(proto_link_t *l, int fd)
{
    memset(l, 0, sizeof *l);
    l->fd = fd;
    proto_parser_init(&l->parser, PROTO_SYNC_RSP);
}

int proto_link_send_raw(proto_link_t *l, const uint8_t *p, size_t n, int timeout_ms)
{
    int64_t end = monotonic_ms() + timeout_ms;
    while (n > 0) {
        ssize_t w = write(l->fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return PROTO_LINK_E_IO;
        int left = (int)(end - monotonic_ms());
        if (left <= 0)
            return PROTO_LINK_E_TIMEOUT;
        struct pollfd pfd = { .fd = l->fd, .events = POLLOUT };
        poll(&pfd, 1, left);
    }
    return PROTO_LINK_OK;
}

int proto_link_send(proto_link_t *l, uint8_t op, const uint8_t *payload, size_t len, int timeout_ms)
{
    uint8_t frame[PROTO_FRAME_MAX];
    uint8_t seq = l->next_seq++;
    int n = proto_encode(PROTO_SYNC_REQ, op, seq, 0, payload, len, frame, sizeof frame);
    if (n < 0) {
        errno = EINVAL;
        return PROTO_LINK_E_IO;
    }
    int rc = proto_link_send_raw(l, frame, (size_t)n, timeout_ms);
    return rc == PROTO_LINK_OK ? seq : rc;
}

int proto_link_recv(proto_link_t *l, int seq, proto_frame_t *f, int timeout_ms)
{
    int64_t end = monotonic_ms() + timeout_ms;
    for (;;) {
        while (l->buf_pos < l->buf_len) {
            if (!proto_parser_feed(&l->parser, l->buf[l->buf_pos++]))
                continue;
            if (seq >= 0 && l->parser.frame.seq != (uint8_t)seq) {
                l->stray++;
                continue;
            }
            memcpy(f, &l->parser.frame, sizeof *f);
            return PROTO_LINK_OK;
        }
        int left = (int)(end - monotonic_ms());
        if (left <= 0)
            return PROTO_LINK_E_TIMEOUT;
        struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
        int pr = poll(&pfd, 1, left);
        if (pr < 0 && errno != EINTR)
            return PROTO_LINK_E_IO;
        if (pr <= 0)
            continue;
        ssize_t r = read(l->fd, l->buf, sizeof l->buf);
        if (r < 0 && errno != EAGAIN && errno != EINTR)
            return PROTO_LINK_E_IO;
        l->buf_pos = 0;
        l->buf_len = r > 0 ? (size_t)r : 0;
    }
}

int proto_link_request(proto_link_t *l, uint8_t op, const uint8_t *payload, size_t len,
                       proto_frame_t *f, int timeout_ms)
{
    int seq = proto_link_send(l, op, payload, len, timeout_ms);
    if (seq < 0)
        return seq;
    int rc = proto_link_recv(l, seq, f, timeout_ms);
    if (rc == PROTO_LINK_OK && f->status != PROTO_OK)
        return PROTO_LINK_E_NAK;
    return rc;
}

void proto_link_drain(proto_link_t *l, int quiet_ms)
{
    uint8_t junk[4096];
    struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
    while (poll(&pfd, 1, quiet_ms) > 0) {
        if (read(l->fd, junk, sizeof junk) <= 0)
            break;
    }
    l->buf_pos = l->buf_len = 0;
    proto_parser_init(&l->parser, PROTO_SYNC_RSP);
}

/* One WRITE_* region in chunks, each acknowledged. */
static int write_region(proto_link_t *l, uint8_t op, const uint8_t *data, size_t n, int timeout_ms,
                        char *err, size_t err_len)
{
    uint8_t pl[PROTO_WR_DATA + PROTO_MAX_CHUNK];
    proto_frame_t f;
    for (size_t off = 0; off < n; off += PROTO_MAX_CHUNK) {
        size_t c = n - off < PROTO_MAX_CHUNK ? n - off : PROTO_MAX_CHUNK;
        size_t len = proto_pl_write((uint32_t)off, data + off, c, pl);
        int rc = proto_link_request(l, op, pl, len, &f, timeout_ms);
        if (rc != PROTO_LINK_OK) {
            snprintf(err, err_len, "%s at offset %zu: %s", proto_op_name(op), off,
                     rc == PROTO_LINK_E_NAK ? proto_status_name(f.status)
                     : rc == PROTO_LINK_E_TIMEOUT ? "no answer (is the board connected?)" : strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* READ_BACK of one region compared with what was written. */
static int verify_region(proto_link_t *l, uint8_t region, const uint8_t *data, size_t n, int timeout_ms,
                         char *err, size_t err_len)
{
    uint8_t pl[PROTO_RB_BYTES];
    proto_frame_t f;
    for (size_t off = 0; off < n; off += PROTO_MAX_CHUNK) {
        size_t c = n - off < PROTO_MAX_CHUNK ? n - off : PROTO_MAX_CHUNK;
        proto_pl_read_back(region, (uint32_t)off, (uint16_t)c, pl);
        int rc = proto_link_request(l, PROTO_OP_READ_BACK, pl, sizeof pl, &f, timeout_ms);
        if (rc != PROTO_LINK_OK || f.len != c) {
            snprintf(err, err_len, "READ_BACK region %u offset %zu: %s", region, off,
                     rc == PROTO_LINK_E_NAK ? proto_status_name(f.status) : "no answer");
            return -1;
        }
        for (size_t i = 0; i < c; i++)
            if (f.payload[i] != data[off + i]) {
                snprintf(err, err_len, "READ_BACK region %u byte %zu: wrote 0x%02x, read 0x%02x",
                         region, off + i, data[off + i], f.payload[i]);
                return -1;
            }
    }
    return 0;
}

int proto_link_load_model(proto_link_t *l, const snn_model_t *m, int verify, int timeout_ms,
                          char *err, size_t err_len)
{
    uint8_t thr[PROTO_THRESHOLD_BYTES];
    uint8_t cfg[SNN_CFG_BYTES];
    proto_frame_t f;
    size_t nw = proto_weight_bytes(m), nt = proto_threshold_image(m, thr);
    snn_config_image(m, cfg);
    int rc = proto_link_request(l, PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f, timeout_ms);
    if (rc != PROTO_LINK_OK) {
        snprintf(err, err_len, "WRITE_CONFIG: %s", rc == PROTO_LINK_E_NAK ? proto_status_name(f.status)
                 : "no answer (is the board connected?)");
        return -1;
    }
    if (write_region(l, PROTO_OP_WRITE_WEIGHTS, (const uint8_t *)m->weights, nw, timeout_ms, err, err_len) ||
        write_region(l, PROTO_OP_WRITE_THRESHOLDS, thr, nt, timeout_ms, err, err_len))
        return -1;
    if (!verify)
        return 0;
    return verify_region(l, SNN_REGION_CONFIG, cfg, sizeof cfg, timeout_ms, err, err_len) ||
           verify_region(l, SNN_REGION_WEIGHTS, (const uint8_t *)m->weights, nw, timeout_ms, err, err_len) ||
           verify_region(l, SNN_REGION_THRESHOLDS, thr, nt, timeout_ms, err, err_len) ? -1 : 0;
}
