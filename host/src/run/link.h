/* SPDX-License-Identifier: MIT
 * link.h : requests and answers over a transport, with bounded retries.
 *
 * Frames and payloads are the protocol library's (protocol.h); this layer adds what a lossy
 * link needs: an answer is taken only when its CRC, op and sequence number match a request
 * still waiting; a NAK for a damaged frame, a lost answer or a silent board makes it resend,
 * at most `retries` times per request; a board that sends nothing for `timeout_ms` is "not
 * answering".  Every such event is counted.
 */
#ifndef RUN_LINK_H
#define RUN_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "transport.h"

typedef struct {
    transport_t *t;
    proto_parser_t parser;
    uint8_t next_seq;
    int timeout_ms;             /* silence that means the board is not answering */
    int retries;                /* resends allowed per request */
    double ms_per_byte;         /* smoothed round trip per byte moved (both ways), 0 = none yet */
    double rtt_ms;              /* smoothed round trip of answered requests, 0 = none yet */
    double last_rx;             /* when a byte last arrived or the link last left idle (s) */
    int idle;                   /* nothing outstanding: the next send restarts the silence clock */
    uint8_t rx[4096];
    size_t rx_pos, rx_len;
    /* counters */
    uint64_t link_errors;       /* requests that failed in transit: NAKed as damaged, or lost */
    uint64_t retries_used;      /* requests sent again */
    uint64_t naks, timeouts, stray, crc_errors, garbage_bytes, flushes;
    uint64_t boot_probes;       /* unanswered INFOs while the board was still silent (booting) */
    uint32_t parser_crc_seen, parser_drop_seen;
    char err[512];              /* the reason of the last failure */
} link_t;

enum { LINK_OK = 0, LINK_E_FAIL = -1 };

void link_init(link_t *l, transport_t *t, int timeout_ms, int retries);
/* Sends one request with a fresh sequence number; returns the seq or LINK_E_FAIL. */
int link_send(link_t *l, uint8_t op, const uint8_t *payload, size_t len);
/* Waits up to wait_ms for the next good answer frame.  1: *f holds it; 0: none yet;
 * LINK_E_FAIL: the link broke or nothing came for timeout_ms (l->err says which). */
int link_poll(link_t *l, proto_frame_t *f, int wait_ms);
/* One request, answered with status OK, resending as needed.  LINK_OK or LINK_E_FAIL. */
int link_request(link_t *l, uint8_t op, const uint8_t *payload, size_t len, proto_frame_t *f);
/* Nothing is outstanding any more (the board may stay silent without being "not answering"). */
void link_set_idle(link_t *l);
/* After an answer failed to come: PROTO_FRAME_MAX filler bytes, so a board whose receiver is
 * stuck in a half frame (a byte was lost) finishes it and hunts for the next sync again; a
 * resend never lands inside the remains of the lost frame.  LINK_OK or LINK_E_FAIL. */
int link_flush_line(link_t *l);
/* Forget a half-received frame (after a silence) and count what the parser dropped. */
void link_resync(link_t *l);
/* Record one answered request's round trip and the bytes it moved (request + answer + what
 * was queued ahead of it), to learn how fast this link and board are. */
void link_note_rtt(link_t *l, double ms, size_t bytes);
/* How long to wait for an answer that needs `bytes` moved, on attempt `attempt` (0 = first):
 * a generous multiple of what was measured, doubled per attempt, capped at timeout_ms / 2.  A
 * slow simulated board therefore never drowns in resends. */
double link_wait_ms(const link_t *l, size_t bytes, int attempt);
/* Bytes of a request frame and of its answer frame, for a payload and an answer payload. */
#define LINK_REQ_BYTES(len) (PROTO_REQ_HDR_BYTES + (len) + PROTO_CRC_BYTES)
#define LINK_RSP_BYTES(len) (PROTO_RSP_HDR_BYTES + (len) + PROTO_CRC_BYTES)
/* Whether a NAK reason means the request was damaged or refused for now (resend) rather
 * than wrong (give up). */
int link_nak_retryable(uint8_t status);

#endif
