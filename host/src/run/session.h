/* SPDX-License-Identifier: MIT
 * session.h : one run on a board: handshake, model upload, the pipelined stream, the tally.
 */
#ifndef RUN_SESSION_H
#define RUN_SESSION_H

#include <stdint.h>

#include "dataset.h"
#include "link.h"
#include "protocol.h"
#include "snn.h"
#include "stats.h"

#define SESSION_MAX_LISTED 1000     /* mismatches kept with their details (all are counted) */

typedef struct {
    long index;                     /* image index in the split (also its seed) */
    int label, board_class, golden_class;
    int first_diff;                 /* first differing output, -1 class, -2 output count, -3 steps used */
    int board_count, golden_count;  /* at first_diff, when it is an output */
} mismatch_t;

typedef struct {
    proto_info_t info, info_after;  /* INFO before and after the stream */
    long images, correct, agree, mismatch_count;
    mismatch_t *mismatches;         /* (SESSION_MAX_LISTED) */
    long cycle_agree;               /* answers whose cycle count equals snn_cycle_model's */
    uint64_t board_cycles;          /* sum of the answers' cycle counts */
    uint64_t steps_used;            /* sum of the answers' steps used (early exit) */
    double upload_seconds, stream_seconds;
    double images_per_second;       /* wall clock, this host and link */
    double board_seconds;           /* board clocks over the stream / clk_hz (-1: unknown) */
    double board_images_per_second; /* images / board_seconds (-1: unknown) */
    double link_bound_images_per_second; /* baud / 10 / max(request, answer) bytes per image */
    double request_bytes, answer_bytes;  /* mean per image, framing included (first attempts) */
    uint64_t request_bytes_sum;          /* INFER request bytes of the first attempts */
    int compressed;                      /* INFER_Z frames (else raw INFER) */
    uint32_t baud;                       /* the rate the stream ran at (after any fallback) */
    int window;                     /* the cap (--window), else the board's window */
    int max_in_flight;              /* most INFERs unanswered at once (window + held in the FIFO) */
    stats_t latency;                /* ms, send of the answered attempt to its answer */
} session_result_t;

typedef struct {
    const proto_info_t *info;       /* the board: its window and hold size the pipeline */
    int window;                     /* > 0: at most this many INFERs unanswered (--window) */
    int compressed;                 /* INFER_Z frames (the model's inputs are 4-bit) */
    int verify;
    int quiet;
    long limit;                     /* -1: all */
} session_opts_t;

/* INFO at PROTO_DEFAULT_BAUD, the board checked against m (version, capacity, lanes, baud),
 * then both ends switched to baud (0: the fastest the board lists; a fallback to the default
 * is reported on stderr unless quiet).  0, or -1 with the reason in err. */
int session_handshake(link_t *l, const snn_model_t *m, uint32_t baud, int quiet, proto_info_t *info,
                      char *err, size_t err_len);
/* Streams the images with up to window INFERs in flight, checking each answer against the
 * golden model.  Returns 0 when the stream finished (mismatches or not), -1 when the link
 * failed (err says why; r holds what was done until then). */
int session_stream(link_t *l, const snn_model_t *m, const dataset_split_t *split,
                   const session_opts_t *o, session_result_t *r, char *err, size_t err_len);
int session_result_init(session_result_t *r, long images);
void session_result_free(session_result_t *r);

#endif
