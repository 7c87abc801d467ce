/* SPDX-License-Identifier: MIT
 * fuzz_frame.c : libFuzzer harness of the host's frame parser (proto_parser_feed) and the
 * answer payload parsers (INFO, RESULT).  Every frame the parser returns must re-encode to a
 * frame that parses to the same fields; its payload goes through both payload parsers.
 * The first byte picks answers (PROTO_SYNC_RSP, what the host decodes) or requests.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static proto_parser_t p, q;
    static uint8_t out[PROTO_FRAME_MAX + 16];
    proto_info_t info;
    proto_result_t res;
    size_t i;
    if (size < 1)
        return 0;
    const uint8_t sync = data[0] & 1 ? PROTO_SYNC_REQ : PROTO_SYNC_RSP;
    proto_parser_init(&p, sync);
    for (i = 1; i < size; i++) {
        if (!proto_parser_feed(&p, data[i]))
            continue;
        const proto_frame_t *f = &p.frame;
        if (f->len > PROTO_MAX_PAYLOAD)
            abort();
        int n = proto_encode(sync, f->op, f->seq, f->status, f->payload, f->len, out, sizeof out);
        if (n < 0)
            abort();
        proto_parser_init(&q, sync);
        int got = 0;
        for (int k = 0; k < n; k++)
            got += proto_parser_feed(&q, out[k]);
        if (got != 1 || q.frame.op != f->op || q.frame.seq != f->seq || q.frame.len != f->len ||
            (sync == PROTO_SYNC_RSP && q.frame.status != f->status) ||
            memcmp(q.frame.payload, f->payload, f->len) != 0)
            abort();
        (void)proto_parse_info(f->payload, f->len, &info);
        if (proto_parse_result(f->payload, f->len, &res) == 0 && res.n_out > SNN_MAX_NEURONS)
            abort();
    }
    return 0;
}
