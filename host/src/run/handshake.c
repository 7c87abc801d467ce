/* SPDX-License-Identifier: MIT
 * handshake.c : INFO, and the board checked against the model before anything is written.
 */
#include <stdio.h>
#include <string.h>

#include "monotonic.h"
#include "session.h"

/* The first capacity limit of the board that m exceeds, as a message; 0 when it fits. */
static int handshake_capacity(const snn_model_t *m, const proto_info_t *b, char *err, size_t err_len)
{
    int l, total = 0;
    size_t wbytes = proto_weight_bytes(m);
    const char *hint = "train a smaller model (host/train --layers ...) or build a bigger board";
    if (m->n_layers > b->max_layers) {
        snprintf(err, err_len, "model too large for the board: %d layers, the board holds %d; %s",
                 m->n_layers, b->max_layers, hint);
        return -1;
    }
    if (m->steps > b->max_steps) {
        snprintf(err, err_len, "model too large for the board: %d timesteps, the board runs at most "
                 "%d; %s", m->steps, b->max_steps, hint);
        return -1;
    }
    if (m->layer[0].n_in > b->max_inputs) {
        snprintf(err, err_len, "model too large for the board: %d inputs, the board takes %d; %s",
                 m->layer[0].n_in, b->max_inputs, hint);
        return -1;
    }
    for (l = 0; l < m->n_layers; l++) {
        if (m->layer[l].n_out > b->max_neurons) {
            snprintf(err, err_len, "model too large for the board: layer %d has %d neurons, the "
                     "board holds %d per layer; %s", l, m->layer[l].n_out, b->max_neurons, hint);
            return -1;
        }
        total += m->layer[l].n_out;
    }
    if (total > b->max_total) {
        snprintf(err, err_len, "model too large for the board: %d neurons in all, the board holds "
                 "%d; %s", total, b->max_total, hint);
        return -1;
    }
    if (wbytes > b->weight_bytes) {
        snprintf(err, err_len, "model too large for the board: %zu weight bytes, the board holds "
                 "%u; %s", wbytes, b->weight_bytes, hint);
        return -1;
    }
    return 0;
}

/* INFO while nothing at all has come back: a board may still be in reset (a simulated board
 * just started drops what arrives meanwhile), so these misses are not link errors.  Returns
 * 1 when INFO was answered, 0 when bytes came back without an answer (the normal retries take
 * over), -1 when the board stayed silent for timeout_ms (err set). */
static int handshake_probe(link_t *l, proto_frame_t *f, char *err, size_t err_len)
{
    link_t saved = *l;
    double end = monotonic_s() + l->timeout_ms / 1000.0;
    int ok = 0;
    l->retries = 0;
    while (!ok && monotonic_s() < end && l->t->bytes_in == 0)
        ok = link_request(l, PROTO_OP_INFO, NULL, 0, f) == LINK_OK;
    l->retries = saved.retries;
    l->boot_probes = l->timeouts - saved.timeouts;
    l->link_errors = saved.link_errors;
    l->timeouts = saved.timeouts;
    l->retries_used = saved.retries_used;
    l->flushes = saved.flushes;
    if (ok)
        return 1;
    if (l->t->bytes_in == 0) {
        snprintf(err, err_len, "%s: board not answering: nothing received for %.1f s (bitstream "
                 "flashed? right port? the iCEBreaker's UART is interface B, usually /dev/ttyUSB1; "
                 "--timeout SEC waits longer)", l->t->desc, l->timeout_ms / 1000.0);
        return -1;
    }
    return 0;
}

int session_handshake(link_t *l, const snn_model_t *m, uint32_t baud, int quiet, proto_info_t *info,
                      char *err, size_t err_len)
{
    uint32_t want;
    int rc;
    proto_frame_t f;
    int probe = handshake_probe(l, &f, err, err_len);
    if (probe < 0)
        return -1;
    if (probe == 0 && link_request(l, PROTO_OP_INFO, NULL, 0, &f) != LINK_OK) {
        snprintf(err, err_len, "%s", l->err);
        if (l->garbage_bytes > 0 && l->parser.frames == 0)
            snprintf(err, err_len, "%s: %llu bytes came back but no valid frame: wrong baud (this "
                     "host uses %u) or not a Quantarion bitstream (reflash it, docs/board.md)",
                     l->t->desc, (unsigned long long)l->garbage_bytes, l->t->baud);
        return -1;
    }
    if (proto_parse_info(f.payload, f.len, info) != 0) {
        snprintf(err, err_len, "%s: INFO answer of %u bytes, expected %d: wrong firmware or protocol "
                 "(this host/run speaks protocol version %d; reflash the board, docs/board.md)",
                 l->t->desc, f.len, PROTO_INFO_BYTES, PROTO_VERSION);
        return -1;
    }
    if (info->version != PROTO_VERSION) {
        snprintf(err, err_len, "%s: the board speaks protocol version %u, this host/run speaks %d: "
                 "rebuild and reflash the bitstream from this tree (make bitstream; docs/board.md) or "
                 "use the host/run that matches it (board build id %08x)",
                 l->t->desc, info->version, PROTO_VERSION, info->build_id);
        return -1;
    }
    if (info->lanes != SNN_LANES) {
        snprintf(err, err_len, "%s: the board's datapath has %u lanes, models here are laid out for "
                 "%d: a different accelerator build; reflash from this tree", l->t->desc,
                 info->lanes, SNN_LANES);
        return -1;
    }
    if (info->clk_hz == 0 || info->window == 0 || info->max_chunk == 0) {
        snprintf(err, err_len, "%s: INFO reports clock %u Hz, window %u, chunk %u: not a working "
                 "board", l->t->desc, info->clk_hz, info->window, info->max_chunk);
        return -1;
    }
    if (info->baud != l->t->baud) {
        snprintf(err, err_len, "%s: the board's UART runs at %u baud but the host at %u: a board "
                 "that starts elsewhere is not this protocol's (docs/protocol.md)", l->t->desc,
                 info->baud, l->t->baud);
        return -1;
    }
    if (handshake_capacity(m, info, err, err_len) != 0)
        return -1;
    /* the rate: --baud, or the fastest both ends run */
    want = baud ? baud : link_best_rate(info, PROTO_BAUD_2);
    rc = link_set_rate(l, want, info, err, err_len);
    if (rc < 0)
        return -1;
    if (rc == 1 && !quiet)
        fprintf(stderr, "run: %s; going on at %u baud\n", err, l->t->baud);
    return 0;
}
