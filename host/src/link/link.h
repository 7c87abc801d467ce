/* SPDX-License-Identifier: MIT
 * link.h : the top of the link library (host/src/link/): requests and answers over a transport,
 * with bounded retries, the baud-rate switch and its fallback, and the model upload.
 *
 *   protocol.h   frames and payloads (no I/O)
 *   transport.h  the byte pipe: serial port / pty (serial.h), libftdi (usb_ftdi.h), the
 *                simulated board (sim_board.c); usb.h lists boards on USB
 *   link.h       this: what host/run and the board tests use
 *
 * Frames and payloads are the protocol library's (protocol.h); this layer adds what a lossy
 * link needs: an answer is taken only when its CRC, op and sequence number match a request
 * still waiting; a NAK for a damaged frame, a lost answer or a silent board makes it resend,
 * at most `retries` times per request; a board that sends nothing for `timeout_ms` is "not
 * answering".  Every such event is counted.  When LINK_FALLBACK_ERRORS requests in a row fail
 * above PROTO_DEFAULT_BAUD, both ends go back to it (link_fallback).
 */
#ifndef LINK_LINK_H
#define LINK_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "snn.h"
#include "transport.h"

/* failed requests in a row (no good answer between) after which a fast rate is given up */
#define LINK_FALLBACK_ERRORS 6

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
    uint64_t error_run;         /* link errors since the last good answer */
    size_t ahead;               /* flush bytes sent since the last good answer: answers wait behind them */
    uint64_t fallbacks;         /* times both ends went back to PROTO_DEFAULT_BAUD */
    uint64_t rate_switches;     /* SET_BAUD switches that were confirmed */
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
/* Whether one more INFER frame of req_bytes (framing included) may go out to a board that
 * reports info, with `unanswered` INFERs sent and not yet answered, of which those beyond the
 * board's window (the newest ones) have beyond_bytes frame bytes: always within the window;
 * beyond it, while those frames and this one fit the board's hold (docs/protocol.md,
 * "Pipelining").  With window_cap > 0, never more than window_cap unanswered. */
int link_infer_fits(const proto_info_t *info, int window_cap, int unanswered, size_t beyond_bytes,
                    size_t req_bytes);
/* Whether a NAK reason means the request was damaged or refused for now (resend) rather
 * than wrong (give up). */
int link_nak_retryable(uint8_t status);

/* One more request failed in transit (link_errors, error_run); and a good answer came. */
void link_count_error(link_t *l);
void link_count_good(link_t *l);
/* The next answer with sequence number seq (any answer when seq < 0) within wait_ms; answers
 * with another seq are skipped (stray).  1: *f holds it; 0: none in time; LINK_E_FAIL. */
int link_recv(link_t *l, int seq, proto_frame_t *f, int wait_ms);
/* Reads and discards until nothing has come for quiet_ms; forgets any half frame. */
void link_drain(link_t *l, int quiet_ms);

/* ---- baud rate (rate.c) ---- */
/* SET_BAUD to baud (a PROTO_BAUD_* the board lists in info->rates), then both ends switch and
 * an INFO at the new rate confirms it (*info updated).  0: switched; 1: the new rate did not
 * work and both ends are back at PROTO_DEFAULT_BAUD (err says why); LINK_E_FAIL: the link is
 * lost or the board refused (err). */
int link_set_rate(link_t *l, uint32_t baud, proto_info_t *info, char *err, size_t err_len);
/* Back to PROTO_DEFAULT_BAUD whatever the board's rate: this end switches, then a line flush
 * (PROTO_FRAME_MAX zero bytes) gives a board at a faster rate PROTO_BAUD_REVERT_ERRORS framing
 * errors, so it returns too; INFO confirms.  0, or LINK_E_FAIL (l->err). */
int link_fallback(link_t *l);
/* The fastest rate both the board (info->rates) and this host (at most max_baud) run. */
uint32_t link_best_rate(const proto_info_t *info, uint32_t max_baud);

/* ---- upload (upload.c) ---- */
/* Configuration, weights and thresholds in chunks of at most max_chunk bytes (the board's
 * INFO), then (verify) everything read back and compared.  0, or -1 with the reason in err. */
int link_upload(link_t *l, const snn_model_t *m, int max_chunk, int verify, char *err,
                size_t err_len);

#endif
