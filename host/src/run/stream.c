/* SPDX-License-Identifier: MIT
 * stream.c : the test split through the board with several INFERs in flight.
 *
 * The board answers in request order.  So when the answer to a request arrives, every request
 * sent before it that is still waiting was lost (or its answer was) and is sent again at once;
 * only the last request of a burst needs a timeout to be found lost.  Each image keeps the
 * sequence numbers of all its attempts, so a late answer to an earlier attempt still counts,
 * and answers to requests already settled are ignored.  Every answer is compared with the
 * golden model; agreement is counted only on exact equality.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "monotonic.h"
#include "progress.h"
#include "session.h"

#define STREAM_MAX_WINDOW 64

typedef struct {
    long image;
    int seq;                /* current attempt */
    long order;             /* send order of the current attempt */
    int attempts;           /* resends so far */
    int held;               /* refused BUSY (or a fallback): waits until hold_until, not on the board */
    int sent;               /* sent at least once (its first attempt's bytes are counted) */
    size_t bytes;           /* its request frame, framing included */
    double hold_until;
} slot_t;

typedef struct {
    link_t *l;
    const snn_model_t *m;
    const dataset_split_t *split;
    session_result_t *r;
    slot_t fl[STREAM_MAX_WINDOW];
    int n_fl, window_cap, compressed;
    proto_info_t info;      /* the board's window and hold */
    long next_image, n_images, order;
    long seq_owner[256];    /* image whose attempt used this seq, -1: none */
    double seq_sent[256];
    uint8_t payload[PROTO_MAX_PAYLOAD];
    char *err;
    size_t err_len;
} stream_t;

int session_result_init(session_result_t *r, long images)
{
    memset(r, 0, sizeof *r);
    r->board_seconds = -1;
    r->board_images_per_second = -1;
    r->mismatches = calloc(SESSION_MAX_LISTED, sizeof *r->mismatches);
    if (r->mismatches == NULL || stats_init(&r->latency, (size_t)(images > 0 ? images : 1)) != 0)
        return -1;
    return 0;
}

void session_result_free(session_result_t *r)
{
    free(r->mismatches);
    r->mismatches = NULL;
    stats_free(&r->latency);
}

/* The request payload of image into s->payload; returns its length. */
static size_t stream_payload(stream_t *s, long image)
{
    int n_in = s->m->layer[0].n_in;
    const uint8_t *px = s->split->images + (size_t)image * (size_t)n_in;
    return s->compressed ? proto_pl_infer_z((uint32_t)image, px, (size_t)n_in, s->payload)
                         : proto_pl_infer((uint32_t)image, px, (size_t)n_in, s->payload);
}

/* Sends x's request, whose payload of len bytes is in s->payload. */
static int stream_send_payload(stream_t *s, slot_t *x, size_t len)
{
    int seq = link_send(s->l, s->compressed ? PROTO_OP_INFER_Z : PROTO_OP_INFER, s->payload, len);
    if (seq < 0) {
        snprintf(s->err, s->err_len, "image %ld: %s", x->image, s->l->err);
        return -1;
    }
    if (!x->sent)
        s->r->request_bytes_sum += LINK_REQ_BYTES(len);
    x->sent = 1;
    x->bytes = LINK_REQ_BYTES(len);
    x->seq = seq;
    x->order = s->order++;
    x->held = 0;
    s->seq_owner[seq] = x->image;
    s->seq_sent[seq] = monotonic_s();
    return 0;
}

static int stream_send(stream_t *s, slot_t *x)
{
    return stream_send_payload(s, x, stream_payload(s, x->image));
}

/* Sends x again after a loss or a refusal; fails once it has used up its retries. */
static int stream_resend(stream_t *s, slot_t *x, const char *why)
{
    if (x->attempts >= s->l->retries) {
        snprintf(s->err, s->err_len, "image %ld: no good answer after %d attempts (last: %s): the "
                 "link is losing or damaging frames (%llu link errors, %llu CRC errors so far); "
                 "check the cable, the port and --baud, or allow more with --retries",
                 x->image, x->attempts + 1, why, (unsigned long long)s->l->link_errors,
                 (unsigned long long)s->l->crc_errors);
        return -1;
    }
    x->attempts++;
    s->l->retries_used++;
    return stream_send(s, x);
}

static void stream_remove(stream_t *s, int j)
{
    int k;
    for (k = 0; k < 256; k++)
        if (s->seq_owner[k] == s->fl[j].image)
            s->seq_owner[k] = -1;
    memmove(&s->fl[j], &s->fl[j + 1], (size_t)(s->n_fl - j - 1) * sizeof s->fl[0]);
    s->n_fl--;
}

/* Frame bytes of the requests in flight beyond the board's window: all but its window oldest
 * (by send order), which are in its pixel buffers; the rest wait in its receive FIFO. */
static size_t stream_beyond_bytes(const stream_t *s)
{
    size_t sum = 0;
    int j, k;
    for (j = 0; j < s->n_fl; j++) {
        int older = 0;
        for (k = 0; k < s->n_fl; k++)
            older += s->fl[k].order < s->fl[j].order;
        if (older >= s->info.window)
            sum += s->fl[j].bytes;
    }
    return sum;
}

/* New images into free slots, held ones back on the line once their wait is over. */
static int stream_refill(stream_t *s)
{
    double now = monotonic_s();
    int j;
    for (j = 0; j < s->n_fl; j++)
        if (s->fl[j].held && now >= s->fl[j].hold_until && stream_send(s, &s->fl[j]) < 0)
            return -1;
    while (s->n_fl < STREAM_MAX_WINDOW && s->next_image < s->n_images) {
        size_t len = stream_payload(s, s->next_image);
        slot_t *x;
        if (!link_infer_fits(&s->info, s->window_cap, s->n_fl, stream_beyond_bytes(s), LINK_REQ_BYTES(len)))
            break;
        x = &s->fl[s->n_fl++];
        memset(x, 0, sizeof *x);
        x->image = s->next_image++;
        if (stream_send_payload(s, x, len) < 0)
            return -1;
        if (s->n_fl > s->r->max_in_flight)
            s->r->max_in_flight = s->n_fl;
    }
    return 0;
}

static void stream_tally(stream_t *s, long image, const proto_result_t *a)
{
    session_result_t *r = s->r;
    int n_in = s->m->layer[0].n_in, diff;
    const uint8_t *px = s->split->images + (size_t)image * (size_t)n_in;
    int label = s->split->labels[image];
    snn_result_t g;
    int ok = golden_agrees(s->m, px, (uint32_t)image, a, &g, &diff);
    r->images++;
    r->board_cycles += a->cycles;
    if (a->predicted == label)
        r->correct++;
    if (a->cycles == g.cycles)
        r->cycle_agree++;
    r->steps_used += a->steps_used;
    if (ok) {
        r->agree++;
        return;
    }
    if (r->mismatch_count < SESSION_MAX_LISTED) {
        mismatch_t *mm = &r->mismatches[r->mismatch_count];
        mm->index = image;
        mm->label = label;
        mm->board_class = a->predicted;
        mm->golden_class = g.predicted;
        mm->first_diff = diff;
        mm->board_count = diff >= 0 ? a->counts[diff] : -1;
        mm->golden_count = diff >= 0 ? g.counts[diff] : -1;
    }
    r->mismatch_count++;
}

/* Bytes one image moves over the link, both ways (raw INFER: at least what INFER_Z moves). */
static size_t stream_image_bytes(const stream_t *s)
{
    int h = s->m->layer[s->m->n_layers - 1].n_out;
    return LINK_REQ_BYTES(PROTO_INF_PIXELS + s->m->layer[0].n_in) + LINK_RSP_BYTES(SNN_RES_COUNTS + h);
}

/* One answer frame: settles its image, or marks requests lost.  0, or -1 on failure. */
static int stream_answer(stream_t *s, const proto_frame_t *f)
{
    long image = f->op == PROTO_OP_INFER ? s->seq_owner[f->seq] : -1;
    proto_result_t a;
    double sent = s->seq_sent[f->seq];
    int j, k;
    slot_t x;
    for (j = 0; j < s->n_fl && s->fl[j].image != image; j++)
        continue;
    if (image < 0 || j == s->n_fl) {
        s->l->stray++;              /* an answer to a request already settled */
        return 0;
    }
    if (f->seq == s->fl[j].seq && !s->fl[j].held) {
        /* in-order answers: whatever was sent before this attempt and is unanswered was lost */
        for (k = 0; k < s->n_fl; k++) {
            slot_t *y = &s->fl[k];
            if (k != j && !y->held && y->order < s->fl[j].order) {
                link_count_error(s->l);
                if (stream_resend(s, y, "lost") < 0)
                    return -1;
            }
        }
    }
    if (f->status != PROTO_OK) {
        s->l->naks++;
        if (f->seq != s->fl[j].seq || s->fl[j].held)
            return 0;               /* about an earlier attempt: the current one is under way */
        if (f->status == PROTO_NAK_BUSY) {  /* the board still holds older requests: wait */
            s->fl[j].held = 1;
            s->fl[j].hold_until = monotonic_s() + (s->l->rtt_ms > 0 ? s->l->rtt_ms : 5.0) / 2000.0;
            return 0;
        }
        if (!link_nak_retryable(f->status)) {
            snprintf(s->err, s->err_len, "image %ld: the board refused INFER: NAK %s (a model the "
                     "board did not take? see docs/protocol.md)", image, proto_status_name(f->status));
            return -1;
        }
        link_count_error(s->l);
        return stream_resend(s, &s->fl[j], proto_status_name(f->status));
    }
    if (proto_parse_result(f->payload, f->len, &a) != 0) {
        snprintf(s->err, s->err_len, "image %ld: INFER answer of %u bytes is not a result record",
                 image, f->len);
        return -1;
    }
    link_count_good(s->l);
    x = s->fl[j];
    stream_remove(s, j);
    stats_add(&s->r->latency, (monotonic_s() - sent) * 1000.0);
    link_note_rtt(s->l, (monotonic_s() - sent) * 1000.0, (size_t)(s->n_fl + 1) * stream_image_bytes(s));
    if (stream_refill(s) < 0)       /* keep the board busy before the golden model runs */
        return -1;
    stream_tally(s, x.image, &a);
    return 0;
}

/* The oldest request on the board, or -1. */
static int stream_oldest(const stream_t *s)
{
    int j, best = -1;
    for (j = 0; j < s->n_fl; j++)
        if (!s->fl[j].held && (best < 0 || s->fl[j].order < s->fl[best].order))
            best = j;
    return best;
}

int session_stream(link_t *l, const snn_model_t *m, const dataset_split_t *split,
                   const session_opts_t *o, session_result_t *r, char *err, size_t err_len)
{
    static stream_t s;
    progress_t bar;
    proto_frame_t f;
    double t0;
    int rc = 0, j;
    memset(&s, 0, sizeof s);
    s.l = l;
    s.m = m;
    s.split = split;
    s.r = r;
    s.err = err;
    s.err_len = err_len;
    s.n_images = o->limit > 0 && o->limit < split->n ? o->limit : split->n;
    s.info = *o->info;
    s.window_cap = o->window > STREAM_MAX_WINDOW ? STREAM_MAX_WINDOW : o->window;
    s.compressed = o->compressed;
    r->window = s.window_cap > 0 ? s.window_cap : s.info.window;
    r->compressed = s.compressed;
    for (j = 0; j < 256; j++)
        s.seq_owner[j] = -1;
    progress_start(&bar, "run", s.n_images, 10, o->quiet);
    t0 = monotonic_s();
    if (stream_refill(&s) < 0)
        rc = -1;
    while (rc == 0 && s.n_fl > 0) {
        int old = stream_oldest(&s), p;
        double now = monotonic_s(), wait_ms = 50.0;
        if (l->error_run >= LINK_FALLBACK_ERRORS && l->t->baud != PROTO_DEFAULT_BAUD) {
            /* errors persist at this rate: both ends back to the default, then every image in
             * flight is sent again (a late answer to an earlier attempt still counts) */
            if (!o->quiet)
                fprintf(stderr, "\nrun: %llu link errors in a row at %u baud: falling back to %u\n",
                        (unsigned long long)l->error_run, l->t->baud, (unsigned)PROTO_DEFAULT_BAUD);
            if (link_fallback(l) != LINK_OK) {
                snprintf(err, err_len, "%s", l->err);
                rc = -1;
                break;
            }
            for (j = 0; j < s.n_fl; j++) {
                s.fl[j].held = 1;
                s.fl[j].hold_until = now;
            }
            continue;
        }
        if (old >= 0) {
            /* the answer may queue behind every other request on the board */
            double due = s.seq_sent[s.fl[old].seq] +
                link_wait_ms(l, (size_t)s.n_fl * stream_image_bytes(&s), s.fl[old].attempts) / 1000.0;
            wait_ms = (due - now) * 1000.0;
            if (wait_ms <= 0) {     /* the oldest request or its answer was lost */
                l->timeouts++;
                link_count_error(l);
                link_resync(l);
                if (link_flush_line(l) != LINK_OK) {
                    snprintf(err, err_len, "%s", l->err);
                    rc = -1;
                } else if (stream_resend(&s, &s.fl[old], "no answer") < 0) {
                    rc = -1;
                }
                continue;
            }
        }
        for (j = 0; j < s.n_fl; j++)
            if (s.fl[j].held && (s.fl[j].hold_until - now) * 1000.0 < wait_ms)
                wait_ms = (s.fl[j].hold_until - now) * 1000.0;
        p = link_poll(l, &f, wait_ms > 0 ? (int)wait_ms + 1 : 0);
        if (p < 0) {
            snprintf(err, err_len, "%s", l->err);
            rc = -1;
        } else if (p == 1) {
            rc = stream_answer(&s, &f);
        } else {
            rc = stream_refill(&s);
        }
        progress_update(&bar, r->images, "%.0f images/s  agree %ld  link errors %ld",
                        r->images / progress_seconds(&bar), (long)r->agree, (long)l->link_errors);
    }
    link_set_idle(l);
    r->baud = l->t->baud;
    r->stream_seconds = monotonic_s() - t0;
    r->images_per_second = r->stream_seconds > 0 ? (double)r->images / r->stream_seconds : 0.0;
    progress_end(&bar, r->images, "%.0f images/s  agree %ld  link errors %ld", r->images_per_second,
                 (long)r->agree, (long)l->link_errors);
    return rc;
}
