/* SPDX-License-Identifier: MIT
 * fuzz_cli.c : libFuzzer harness of the command-line parsers: host/train's opts_parse and
 * host/run's args_parse.  The input is split at NUL bytes into argv (at most 64 words); the
 * first byte picks the parser.  A parser must return one of its documented codes and, when it
 * accepts, leave values in their documented ranges.  (Their messages: tests/fuzz/run.sh closes
 * the harness's stdout and stderr, -close_fd_mask=3.)
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "protocol.h"
#include "tr_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char buf[4096];
    static opts_t o;
    static args_t a;
    char *argv[66];
    int argc = 1, rc;
    size_t i, n;
    if (size < 1 || size > sizeof buf)
        return 0;
    n = size - 1;
    memcpy(buf, data + 1, n);
    buf[n] = 0;
    argv[0] = data[0] & 1 ? "run" : "train";
    for (i = 0; i < n && argc < 65; i++) {
        argv[argc++] = buf + i;
        i += strlen(buf + i);
    }
    argv[argc] = NULL;
    optind = 0;                         /* glibc: a full re-initialisation of getopt */
    if (data[0] & 1) {
        rc = args_parse(&a, argc, argv);
        if (rc < -1 || rc > 1)
            abort();
        if (rc == 0 && !a.list &&
            (!a.device || !(a.timeout_s >= 0.001 && a.timeout_s <= 3600) || a.retries < 0 || a.retries > 1000 ||
             a.window < 0 || a.window > 255 || (a.baud != 0 && proto_rate_index(a.baud) < 0) || /* 0: the fastest both ends list */
             (a.limit != -1 && a.limit < 1)))
            abort();
    } else {
        rc = opts_parse(&o, argc, argv);
        if (rc < -1 || rc > 1)
            abort();
        if (rc == 0) {
            int l;
            if (o.net.n_layers < 1 || o.net.n_layers > SNN_MAX_LAYERS || o.net.steps < 1 || o.batch < 1 ||
                o.epochs < 0 || o.calib_batches < 1 || o.calib_batches > 64 || o.threads < 1)
                abort();
            for (l = 0; l <= o.net.n_layers; l++)
                if (o.net.sizes[l] < 1)
                    abort();
            for (l = 0; l < o.net.n_layers; l++)
                if (o.net.leak_shift[l] < 0 || o.net.leak_shift[l] > SNN_MAX_LEAK_SHIFT ||
                    o.net.reset_mode[l] < 0 || o.net.reset_mode[l] > 1)
                    abort();
        }
    }
    return 0;
}
