/* SPDX-License-Identifier: MIT
 * protocol.h : the host side of the board's UART protocol (docs/protocol.md).
 *
 * Every constant (opcodes, NAK reasons, payload offsets, limits) comes from
 * protocol/snn_protocol.def, the same file the board's Verilog is generated from.
 *
 * The two lowest layers of the link library (host/src/link/; link.h is the top):
 *   1. frames:   proto_crc16, proto_encode, proto_parser_* (byte-at-a-time decoder, resyncs
 *                by itself on garbage, bad CRC or impossible lengths);
 *   2. payloads: proto_pl_* build request payloads, proto_parse_* decode answers.
 * Nothing here allocates, does I/O or prints.  All multi-byte fields are little-endian.
 */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#include <stddef.h>
#include <stdint.h>
#include "snn.h"
#include "snn_protocol.h"


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
/* INFER_Z: seed + the 4-bit codes SNN_Q4_CODE(pixel) of n pixels, zero runs coded (PROTO_Z_*,
 * docs/protocol.md); never longer than INFER's payload.  Returns its length. */
size_t proto_pl_infer_z(uint32_t seed, const uint8_t *pixels, size_t n, uint8_t *out);
/* The pixels (SNN_Q4_PIXEL of each code) of the len code bytes after an INFER_Z seed: 0 when they
 * decode to exactly n pixels followed by zero padding only, else -1.  What the board's RTL does. */
int proto_z_decode(const uint8_t *codes, size_t len, uint8_t *pixels, size_t n);
/* Rate index (PROTO_BAUD_*) of baud, or -1 when SET_BAUD cannot name it. */
int proto_rate_index(uint32_t baud);
uint32_t proto_rate_baud(int index);
/* WRITE_CONFIG payload is snn_config_image() (SNN_CFG_BYTES). */

/* What a model occupies in the core's regions (what load/verify must transfer). */
size_t proto_weight_bytes(const snn_model_t *m);
/* The SNN_REGION_THRESHOLDS image (int16 LE) of m into out (PROTO_THRESHOLD_BYTES); returns
 * the bytes used. */
size_t proto_threshold_image(const snn_model_t *m, uint8_t *out);

typedef struct {
    uint8_t version, window, max_layers, max_steps, lanes, state;
    uint8_t rates, framings;           /* PROTO_INFO_RATES, PROTO_INFO_FRAMINGS bits */
    uint16_t max_chunk, max_inputs, max_neurons, max_total, naks;
    uint16_t hold_bytes;               /* PROTO_INFO_HOLD: INFER bytes beyond the window (0: none) */
    uint32_t build_id, clk_hz, baud, weight_bytes;
    uint64_t cycles;
} proto_info_t;

typedef struct {
    uint8_t predicted;                 /* class */
    uint32_t cycles;                   /* core clocks the image took */
    uint8_t steps_used;                /* steps run: T, or fewer on an early exit (SNN_RES_STEPS) */
    uint16_t n_out;
    uint8_t counts[SNN_MAX_NEURONS];   /* (n_out) output spike counts */
} proto_result_t;

/* 0, or -1 when the payload has the wrong length for the record. */
int proto_parse_info(const uint8_t *payload, size_t len, proto_info_t *info);
int proto_parse_result(const uint8_t *payload, size_t len, proto_result_t *res);

const char *proto_op_name(uint8_t op);         /* "INFO", ..., "?" */
const char *proto_status_name(uint8_t status); /* "OK", "CRC", "OPCODE", ..., "?" */

#endif
