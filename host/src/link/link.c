/* SPDX-License-Identifier: MIT
 * link.c : requests, answers, resends.
 */
#include "link.h"

#include <stdio.h>
#include <string.h>

#include "monotonic.h"

void link_init(link_t *l, transport_t *t, int timeout_ms, int retries)
{
    memset(l, 0, sizeof *l);
    l->t = t;
    l->timeout_ms = timeout_ms;
    l->retries = retries;
    l->idle = 1;
    l->last_rx = monotonic_s();
    proto_parser_init(&l->parser, PROTO_SYNC_RSP);
}

void link_set_idle(link_t *l)
{
    l->idle = 1;
}

/* Moves the parser's damage counters into the link's. */
static void link_count_parser(link_t *l)
{
    uint32_t crc = l->parser.crc_errors - l->parser_crc_seen;
    uint32_t drop = l->parser.dropped_bytes - l->parser_drop_seen;
    l->crc_errors += crc;
    l->garbage_bytes += drop;
    l->parser_crc_seen = l->parser.crc_errors;
    l->parser_drop_seen = l->parser.dropped_bytes;
}

void link_resync(link_t *l)
{
    uint32_t frames;
    link_count_parser(l);
    frames = l->parser.frames;
    proto_parser_init(&l->parser, PROTO_SYNC_RSP);
    l->parser.frames = frames;
    l->parser_crc_seen = l->parser_drop_seen = 0;
}

void link_note_rtt(link_t *l, double ms, size_t bytes)
{
    double per = ms / (double)(bytes ? bytes : 1);
    l->rtt_ms = l->rtt_ms == 0 ? ms : 0.875 * l->rtt_ms + 0.125 * ms;
    l->ms_per_byte = l->ms_per_byte == 0 ? per : 0.875 * l->ms_per_byte + 0.125 * per;
}

double link_wait_ms(const link_t *l, size_t bytes, int attempt)
{
    /* at least twice the board's frame timeout: a resend never lands in a half frame */
    double floor_ms = 2.0 * PROTO_TIMEOUT_US / 1000.0, w;
    if (l->ms_per_byte == 0)
        w = 1000.0;                                                /* nothing measured yet */
    else
        w = floor_ms + 8.0 * l->ms_per_byte * (double)(bytes + l->ahead);
    /* at most half the timeout: a board that answers only with damaged frames is then
     * reported as such, before the silence check calls it "not answering" */
    while (attempt-- > 0 && w < l->timeout_ms / 2.0)
        w *= 2.0;
    return w < l->timeout_ms / 2.0 ? w : l->timeout_ms / 2.0;
}

int link_infer_fits(const proto_info_t *info, int window_cap, int unanswered, size_t beyond_bytes,
                    size_t req_bytes)
{
    if (window_cap > 0 && unanswered >= window_cap)
        return 0;
    if (unanswered < info->window)
        return 1;
    return beyond_bytes + req_bytes <= info->hold_bytes;
}

void link_count_error(link_t *l)
{
    l->link_errors++;
    l->error_run++;
}

void link_count_good(link_t *l)
{
    l->error_run = 0;
    l->ahead = 0;
}

int link_recv(link_t *l, int seq, proto_frame_t *f, int wait_ms)
{
    double end = monotonic_s() + wait_ms / 1000.0;
    for (;;) {
        double left = (end - monotonic_s()) * 1000.0;
        int r = left > 0 ? link_poll(l, f, (int)left + 1) : 0;
        if (r <= 0)
            return r;
        if (seq < 0 || f->seq == (uint8_t)seq)
            return 1;
        l->stray++;
    }
}

void link_drain(link_t *l, int quiet_ms)
{
    uint8_t junk[4096];
    char err[256];
    while (transport_read(l->t, junk, sizeof junk, quiet_ms, err, sizeof err) > 0)
        continue;
    l->rx_pos = l->rx_len = 0;
    link_resync(l);
}

int link_nak_retryable(uint8_t status)
{
    /* damage in transit, or busy for now; LENGTH, OPCODE, RANGE, ... on a frame whose CRC was
     * good are real disagreements (wrong firmware or model) and resending cannot help */
    return status == PROTO_NAK_CRC || status == PROTO_NAK_TIMEOUT || status == PROTO_NAK_OVERFLOW ||
           status == PROTO_NAK_BUSY;
}

int link_flush_line(link_t *l)
{
    /* zeros are never a sync byte: they finish any frame the board is stuck in (its CRC then
     * fails and it NAKs) and are dropped by a board that is hunting for the next frame */
    static const uint8_t zeros[PROTO_FRAME_MAX];
    l->flushes++;
    l->ahead += sizeof zeros;
    if (transport_write(l->t, zeros, sizeof zeros, l->timeout_ms, l->err, sizeof l->err) != 0)
        return LINK_E_FAIL;
    return LINK_OK;
}

int link_send(link_t *l, uint8_t op, const uint8_t *payload, size_t len)
{
    uint8_t frame[PROTO_FRAME_MAX];
    uint8_t seq = l->next_seq++;
    int n = proto_encode(PROTO_SYNC_REQ, op, seq, 0, payload, len, frame, sizeof frame);
    if (n < 0) {
        snprintf(l->err, sizeof l->err, "%s request of %zu bytes does not fit a frame",
                 proto_op_name(op), len);
        return LINK_E_FAIL;
    }
    if (transport_write(l->t, frame, (size_t)n, l->timeout_ms, l->err, sizeof l->err) != 0)
        return LINK_E_FAIL;
    if (l->idle) {
        l->idle = 0;
        l->last_rx = monotonic_s();
    }
    return seq;
}

int link_poll(link_t *l, proto_frame_t *f, int wait_ms)
{
    double end = monotonic_s() + wait_ms / 1000.0;
    for (;;) {
        double now, left_ms;
        int n;
        while (l->rx_pos < l->rx_len) {
            if (proto_parser_feed(&l->parser, l->rx[l->rx_pos++])) {
                *f = l->parser.frame;
                link_count_parser(l);
                return 1;
            }
        }
        link_count_parser(l);
        now = monotonic_s();
        if (!l->idle && (now - l->last_rx) * 1000.0 >= l->timeout_ms) {
            snprintf(l->err, sizeof l->err, "%s: board not answering: nothing received for %.1f s "
                     "(bitstream flashed? right port? the iCEBreaker's UART is interface B, usually "
                     "/dev/ttyUSB1; --timeout SEC waits longer)", l->t->desc, l->timeout_ms / 1000.0);
            return LINK_E_FAIL;
        }
        left_ms = (end - now) * 1000.0;
        if (left_ms <= 0)
            return 0;
        {
            double to_silence = l->idle ? left_ms : l->timeout_ms - (now - l->last_rx) * 1000.0;
            int w = (int)(left_ms < to_silence ? left_ms : to_silence) + 1;
            n = transport_read(l->t, l->rx, sizeof l->rx, w, l->err, sizeof l->err);
        }
        if (n < 0)
            return LINK_E_FAIL;
        if (n > 0) {
            l->rx_pos = 0;
            l->rx_len = (size_t)n;
            l->last_rx = monotonic_s();
        }
    }
}

int link_request(link_t *l, uint8_t op, const uint8_t *payload, size_t len, proto_frame_t *f)
{
    int attempt, seq = -1, r;
    const char *last = "no answer";
    char why[64];
    for (attempt = 0; attempt <= l->retries; attempt++) {
        double t0 = monotonic_s(), deadline;
        uint64_t crc0 = l->crc_errors;
        int busy = 0;
        if (attempt > 0)
            l->retries_used++;
        seq = link_send(l, op, payload, len);
        if (seq < 0)
            return LINK_E_FAIL;
        /* the answer's size is not known before it comes: count the largest a chunk can be */
        deadline = t0 + link_wait_ms(l, LINK_REQ_BYTES(len) + LINK_RSP_BYTES(PROTO_MAX_CHUNK),
                                     attempt) / 1000.0;
        for (;;) {
            double left = (deadline - monotonic_s()) * 1000.0;
            r = left > 0 ? link_poll(l, f, (int)left + 1) : 0;
            if (r < 0)
                return LINK_E_FAIL;
            if (r == 0) {               /* lost request or answer (or BUSY waited out): resend */
                if (!busy) {
                    l->timeouts++;
                    link_count_error(l);
                    last = l->crc_errors != crc0 ? "answer damaged: CRC error" : "no answer";
                }
                link_resync(l);
                if (!busy && link_flush_line(l) != LINK_OK)
                    return LINK_E_FAIL;
                break;
            }
            if (f->seq != (uint8_t)seq || f->op != op) {
                l->stray++;             /* the late answer of an earlier attempt */
                continue;
            }
            if (f->status == PROTO_OK) {
                link_count_good(l);
                link_note_rtt(l, (monotonic_s() - t0) * 1000.0, LINK_REQ_BYTES(len) + LINK_RSP_BYTES(f->len));
                link_set_idle(l);
                return LINK_OK;
            }
            l->naks++;
            snprintf(why, sizeof why, "NAK %s", proto_status_name(f->status));
            last = why;
            if (!link_nak_retryable(f->status)) {
                snprintf(l->err, sizeof l->err, "%s: the board refused %s: NAK %s",
                         l->t->desc, proto_op_name(op), proto_status_name(f->status));
                link_set_idle(l);
                return LINK_E_FAIL;
            }
            if (f->status == PROTO_NAK_BUSY) {
                busy = 1;               /* wait out this attempt's time, then ask again */
                continue;
            }
            link_count_error(l);
            break;
        }
        /* a fast rate that keeps failing: both ends back to the default, then go on there */
        if (l->error_run >= LINK_FALLBACK_ERRORS && l->t->baud != PROTO_DEFAULT_BAUD &&
            op != PROTO_OP_SET_BAUD && link_fallback(l) != LINK_OK)
            return LINK_E_FAIL;
    }
    snprintf(l->err, sizeof l->err, "%s: %s failed %d times (last: %s): the link is losing or "
             "damaging frames (%llu CRC errors); check the cable, the baud (--baud) and the port",
             l->t->desc, proto_op_name(op), l->retries + 1, last, (unsigned long long)l->crc_errors);
    link_set_idle(l);
    return LINK_E_FAIL;
}
