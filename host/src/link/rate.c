/* SPDX-License-Identifier: MIT
 * rate.c : switching both ends to another baud rate (SET_BAUD), confirming it, and falling back
 * to PROTO_DEFAULT_BAUD (docs/protocol.md "Baud rates").
 */
#include <stdio.h>
#include <string.h>

#include "link.h"

uint32_t link_best_rate(const proto_info_t *info, uint32_t max_baud)
{
    uint32_t best = PROTO_DEFAULT_BAUD;
    int i;
    for (i = 0; i < PROTO_BAUD_RATES; i++)
        if ((info->rates >> i & 1u) && proto_rate_baud(i) <= max_baud && proto_rate_baud(i) > best)
            best = proto_rate_baud(i);
    return best;
}

/* INFO at the rate this end runs at, and the board must say it runs there too. */
static int rate_confirm(link_t *l, proto_info_t *info)
{
    proto_frame_t f;
    proto_info_t in;
    if (link_request(l, PROTO_OP_INFO, NULL, 0, &f) != LINK_OK)
        return LINK_E_FAIL;
    if (proto_parse_info(f.payload, f.len, &in) != 0 || in.baud != l->t->baud) {
        snprintf(l->err, sizeof l->err, "%s: after the switch to %u baud the board reports %u",
                 l->t->desc, l->t->baud, proto_parse_info(f.payload, f.len, &in) == 0 ? in.baud : 0);
        return LINK_E_FAIL;
    }
    if (info != NULL)
        *info = in;
    return LINK_OK;
}

int link_fallback(link_t *l)
{
    uint32_t from = l->t->baud;
    l->fallbacks++;
    l->error_run = 0;
    link_resync(l);
    if (transport_set_baud(l->t, PROTO_DEFAULT_BAUD, l->err, sizeof l->err) != 0)
        return LINK_E_FAIL;
    l->ms_per_byte *= (double)from / (double)PROTO_DEFAULT_BAUD;     /* bytes take longer now */
    /* zeros at the default rate are framing errors to a board at any faster rate: after
     * PROTO_BAUD_REVERT_ERRORS of them it is back at the default too */
    if (link_flush_line(l) != LINK_OK)
        return LINK_E_FAIL;
    return rate_confirm(l, NULL);
}

int link_set_rate(link_t *l, uint32_t baud, proto_info_t *info, char *err, size_t err_len)
{
    uint8_t pl[PROTO_SB_BYTES];
    proto_frame_t f;
    int idx = proto_rate_index(baud), retries = l->retries, rc;
    uint32_t from = l->t->baud;
    if (baud == from)
        return 0;
    if (idx < 0 || !(info->rates >> idx & 1u)) {
        char list[64] = "";
        int i;
        for (i = 0; i < PROTO_BAUD_RATES; i++)
            if (info->rates >> i & 1u)
                snprintf(list + strlen(list), sizeof list - strlen(list), " %u", proto_rate_baud(i));
        snprintf(err, err_len, "%s: the board does not run %u baud (it lists%s; --baud picks one)",
                 l->t->desc, baud, list);
        return LINK_E_FAIL;
    }
    pl[PROTO_SB_RATE] = (uint8_t)idx;
    if (link_request(l, PROTO_OP_SET_BAUD, pl, sizeof pl, &f) != LINK_OK) {
        snprintf(err, err_len, "%s", l->err);
        return LINK_E_FAIL;
    }
    /* the board switches once its answer is out, which it is: this end follows */
    if (transport_set_baud(l->t, baud, err, err_len) != 0) {
        rc = link_fallback(l);
        return rc == LINK_OK ? 1 : LINK_E_FAIL;
    }
    link_resync(l);
    l->ms_per_byte *= (double)from / (double)baud;
    l->retries = 2;
    rc = rate_confirm(l, info);
    l->retries = retries;
    if (rc == LINK_OK) {
        l->rate_switches++;
        return 0;
    }
    snprintf(err, err_len, "%s: no good answer at %u baud (%s); both ends back at %u", l->t->desc,
             baud, l->err, (unsigned)PROTO_DEFAULT_BAUD);
    if (link_fallback(l) != LINK_OK) {
        snprintf(err, err_len, "%s", l->err);
        return LINK_E_FAIL;
    }
    return 1;
}
