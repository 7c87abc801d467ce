/* SPDX-License-Identifier: MIT
 * tr_fit.c : does a network fit the board's accelerator?  Checked before any training.
 */
#include <stdio.h>
#include <string.h>
#include "tr_fit.h"

long fit_weight_bytes(const net_config_t *c)
{
    long n = 0;
    int l;
    for (l = 0; l < c->n_layers; l++)
        n += (long)c->sizes[l] * SNN_PAD_LANES(c->sizes[l + 1]);
    return n;
}

int fit_check(const net_config_t *c, const char *board, char *msg, size_t len)
{
    long total = 0, wbytes = fit_weight_bytes(c);
    int l, bad = 0;
    size_t used = 0;
#define SAY(...)                                                                       \
    do {                                                                               \
        if (used < len)                                                                \
            used += (size_t)snprintf(msg + used, len - used, __VA_ARGS__);            \
        bad = 1;                                                                       \
    } while (0)
    if (len)
        msg[0] = 0;
    if (strcmp(board, "icebreaker")) {
        SAY("unknown board '%s' (known: icebreaker)", board);
        return -1;
    }
    if (c->n_layers < 1 || c->n_layers > SNN_MAX_LAYERS)
        SAY("%d layers, the accelerator runs 1..%d; ", c->n_layers, SNN_MAX_LAYERS);
    if (c->sizes[0] > SNN_MAX_INPUTS)
        SAY("%d inputs, at most %d; ", c->sizes[0], SNN_MAX_INPUTS);
    for (l = 1; l <= c->n_layers && l <= SNN_MAX_LAYERS; l++) {
        if (c->sizes[l] > SNN_MAX_NEURONS)
            SAY("layer %d has %d neurons, at most %d per layer; ", l - 1, c->sizes[l], SNN_MAX_NEURONS);
        total += c->sizes[l];
    }
    if (total > SNN_MAX_TOTAL_NEURONS)
        SAY("%ld neurons in all, the membrane memory holds %d; ", total, SNN_MAX_TOTAL_NEURONS);
    if (wbytes > SNN_WEIGHT_BYTES)
        SAY("%ld weight bytes (rows padded to %d), the weight memory holds %d; ", wbytes, SNN_LANES,
            SNN_WEIGHT_BYTES);
    if (c->steps < 1 || c->steps > SNN_MAX_STEPS)
        SAY("T = %d steps, the accelerator runs 1..%d; ", c->steps, SNN_MAX_STEPS);
    if (c->sizes[c->n_layers] > 256)
        SAY("%d output neurons, the class is 8 bits (at most 256); ", c->sizes[c->n_layers]);
#undef SAY
    if (bad && used >= 2 && used < len)
        msg[used - 2] = 0; /* drop the last "; " */
    return bad ? -1 : 0;
}
