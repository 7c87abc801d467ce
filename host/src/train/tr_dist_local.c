/* SPDX-License-Identifier: MIT
 * tr_dist_local.c : host/train's job is this one process (see tr_dist.h); no MPI.
 */
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
    int k;
    for (k = 0; k < n; k++) {
        char *row = NULL;
        int rc;
        if (!todo[k])
            continue;
        rc = run(ctx, k, &row) || done(ctx, k, row);
        free(row);
        if (rc)
            return -1;
    }
    return 0;
}
