/* SPDX-License-Identifier: MIT
 * protocol.h : the host side of the board's UART protocol (docs/protocol.md).
 *
 * Every constant (opcodes, NAK reasons, payload offsets, limits) comes from
 * protocol/snn_protocol.def, the same file the board's Verilog is generated from.
 *
 * Layers, lowest first; each can be used without the ones above it:
 *   1. frames:   proto_crc16, proto_encode, proto_parser_* (byte-at-a-time decoder, resyncs
 *                by itself on garbage, bad CRC or impossible lengths);
 *   2. payloads: proto_pl_* build request payloads, proto_parse_* decode answers;
 *   3. a link:   proto_link_* sends requests and waits for the answer with the same sequence
 *                number over any file descriptor (serial port, pseudo-terminal, socket).
 * Nothing here allocates; nothing prints.  All multi-byte fields are little-endian.
 *
 * Typical use (host/run):
 *   serial_open(&port, "/dev/ttyUSB1", PROTO_DEFAULT_BAUD, err, sizeof err);
 *   proto_link_init(&link, port.fd);
 *   proto_link_request(&link, PROTO_OP_INFO, NULL, 0, &rsp, 1000);      // rsp.status == 0
 *   proto_parse_info(rsp.payload, rsp.len, &info);
 *   proto_link_load_model(&link, &model, 1000, err, sizeof err);         // config, weights, thresholds
 *   n = proto_pl_infer(seed, pixels, n_in, buf);
 *   proto_link_request(&link, PROTO_OP_INFER, buf, n, &rsp, 1000);      // or send/recv to pipeline
 *   proto_parse_result(rsp.payload, rsp.len, &res);
 * Pipelining: up to PROTO_INFER_WINDOW INFERs may be unanswered (proto_link_send, then
 * proto_link_recv); answers come in request order, each with its request's seq.
 */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#include <stddef.h>
#include <stdint.h>
#include "snn.h"

enum {
#define SNN_PROTO(name, value, doc) name = (value),
#include "snn_protocol.def"
#undef SNN_PROTO
};

/* largest payload either direction (an INFER request) */
#define PROTO_FRAME_MAX (PROTO_RSP_HDR_BYTES + PROTO_MAX_PAYLOAD + PROTO_CRC_BYTES)

/* ---- 1. frames ---- */

/* CRC-16/CCITT-FALSE update: start with PROTO_CRC_INIT, feed op .. last payload byte. */
uint16_t proto_crc16(uint16_t crc, const uint8_t *p, size_t n);

/* Writes a request frame (sync = PROTO_SYNC_REQ, no status byte) or, when sync is
 * PROTO_SYNC_RSP, an answer frame with status.  Returns the frame length, or -1 when
 * len > PROTO_MAX_PAYLOAD or the frame does not fit in cap. */
int proto_encode(uint8_t sync, uint8_t op, uint8_t seq, uint8_t status,
                 const uint8_t *payload, size_t len, uint8_t *out, size_t cap);

typedef struct {
    uint8_t op, seq, status;           /* status: PROTO_OK or a PROTO_NAK_* (answers only) */
    uint16_t len;
    uint8_t payload[PROTO_MAX_PAYLOAD];
} proto_frame_t;

typedef struct {
    uint8_t sync;                      /* which frames to look for */
    int state;
    size_t idx;
    uint16_t crc, rx_crc;
    proto_frame_t frame;               /* the last complete frame */
    uint32_t frames, dropped_bytes, crc_errors;   /* statistics */
} proto_parser_t;

/* sync: PROTO_SYNC_RSP to decode answers (host), PROTO_SYNC_REQ to decode requests. */
void proto_parser_init(proto_parser_t *p, uint8_t sync);
/* Feeds one byte.  Returns 1 when p->frame now holds a complete frame with a good CRC,
 * else 0.  Bytes outside frames, frames with a bad CRC and lengths over PROTO_MAX_PAYLOAD
 * are dropped (and counted); the decoder then looks for the next sync byte. */
int proto_parser_feed(proto_parser_t *p, uint8_t byte);

/* ---- 2. payloads ---- */

/* WRITE_WEIGHTS / WRITE_THRESHOLDS: offset + n data bytes (n <= PROTO_MAX_CHUNK).
 * out holds PROTO_WR_DATA + n bytes; returns that length. */
size_t proto_pl_write(uint32_t offset, const uint8_t *data, size_t n, uint8_t *out);
/* READ_BACK: returns PROTO_RB_BYTES. */
size_t proto_pl_read_back(uint8_t region, uint32_t offset, uint16_t len, uint8_t *out);
/* INFER: seed + n pixels; returns PROTO_INF_PIXELS + n. */
size_t proto_pl_infer(uint32_t seed, const uint8_t *pixels, size_t n, uint8_t *out);
/* WRITE_CONFIG payload is snn_config_image() (SNN_CFG_BYTES). */

/* What a model occupies in the core's regions (what load/verify must transfer). */
size_t proto_weight_bytes(const snn_model_t *m);
/* The SNN_REGION_THRESHOLDS image (int16 LE) of m into out (PROTO_THRESHOLD_BYTES); returns
 * the bytes used. */
size_t proto_threshold_image(const snn_model_t *m, uint8_t *out);

typedef struct {
    uint8_t version, window, max_layers, max_steps, lanes, state;
    uint16_t max_chunk, max_inputs, max_neurons, max_total, naks;
    uint32_t build_id, clk_hz, baud, weight_bytes;
    uint64_t cycles;
} proto_info_t;

typedef struct {
    uint8_t predicted;                 /* class */
    uint32_t cycles;                   /* core clocks the image took */
    uint16_t n_out;
    uint8_t counts[SNN_MAX_NEURONS];   /* (n_out) output spike counts */
} proto_result_t;

/* 0, or -1 when the payload has the wrong length for the record. */
int proto_parse_info(const uint8_t *payload, size_t len, proto_info_t *info);
int proto_parse_result(const uint8_t *payload, size_t len, proto_result_t *res);

const char *proto_op_name(uint8_t op);         /* "INFO", ..., "?" */
const char *proto_status_name(uint8_t status); /* "OK", "CRC", "OPCODE", ..., "?" */

/* ---- 3. a link over a file descriptor ---- */

typedef struct {
    int fd;
    uint8_t next_seq;
    proto_parser_t parser;
    uint8_t buf[4096];                 /* bytes read but not yet fed */
    size_t buf_pos, buf_len;
    uint32_t stray;                    /* answers skipped because their seq was not awaited */
} proto_link_t;

enum {
    PROTO_LINK_OK = 0,
    PROTO_LINK_E_IO = -1,              /* read/write failed (errno set) */
    PROTO_LINK_E_TIMEOUT = -2,         /* no (matching) answer within the time limit */
    PROTO_LINK_E_NAK = -3,             /* the answer was a NAK (see frame status) */
};

void proto_link_init(proto_link_t *l, int fd);
/* Sends one request with the next sequence number; returns that seq (0..255) or
 * PROTO_LINK_E_IO / _E_TIMEOUT. */
int proto_link_send(proto_link_t *l, uint8_t op, const uint8_t *payload, size_t len, int timeout_ms);
/* Sends raw bytes (tests: garbage, half frames). */
int proto_link_send_raw(proto_link_t *l, const uint8_t *p, size_t n, int timeout_ms);
/* Waits for the next answer; seq < 0 takes any answer, else answers with another seq are
 * skipped (counted in stray).  Returns PROTO_LINK_OK (even for a NAK: check f->status),
 * PROTO_LINK_E_TIMEOUT or PROTO_LINK_E_IO. */
int proto_link_recv(proto_link_t *l, int seq, proto_frame_t *f, int timeout_ms);
/* send + recv for that seq; returns PROTO_LINK_E_NAK when the answer is a NAK. */
int proto_link_request(proto_link_t *l, uint8_t op, const uint8_t *payload, size_t len,
                       proto_frame_t *f, int timeout_ms);
/* Discards whatever arrives within quiet_ms of silence (after garbage or a reset). */
void proto_link_drain(proto_link_t *l, int quiet_ms);
/* WRITE_CONFIG, WRITE_WEIGHTS in PROTO_MAX_CHUNK chunks, WRITE_THRESHOLDS, each chunk
 * acknowledged; then, when verify, READ_BACK of all of it compared byte for byte.
 * 0, or -1 with a one-line reason in err. */
int proto_link_load_model(proto_link_t *l, const snn_model_t *m, int verify, int timeout_ms,
                          char *err, size_t err_len);

#endif
