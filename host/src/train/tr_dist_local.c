/* SPDX-License-Identifier: MIT
 * tr_dist_local.c : host/train's job is this one process (see tr_dist.h); no MPI.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tr_dist.h"

int dist_init(int *argc, char ***argv, const dist_ops_t **ops)
{
    (void)argc;
    (void)argv;
    *ops = NULL;
    return 0;
}

void dist_finish(void)
{
}

int dist_rank(void)
{
    return 0;
}

int dist_ranks(void)
{
    return 1;
}

void dist_fail(int rc)
{
    exit(rc);
}

int dist_sweep(int n, const uint8_t *todo, dist_run_fn run, dist_done_fn done, void *ctx)
{
    int k, failed = 0;
    for (k = 0; k < n; k++) { /* a failed configuration does not stop the others, as under MPI */
        char *row = NULL;
        if (!todo[k])
            continue;
        if (run(ctx, k, &row) || done(ctx, k, row)) {
            fprintf(stderr, "train: sweep configuration %d failed\n", k + 1);
            failed = 1;
        }
        free(row);
    }
    return failed ? -1 : 0;
}
