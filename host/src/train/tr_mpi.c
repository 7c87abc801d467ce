/* SPDX-License-Identifier: MIT
 * tr_mpi.c : host/train-mpi's job is an MPI_COMM_WORLD of N ranks (see tr_dist.h).
 *
 * Gradients: gather-then-sum in shard order.  Rank q owns slice q of the gradient elements
 * (engine_part of n over N); an all-to-all sends it every rank's shard gradients for its slice,
 * it folds them in shard order (engine_fold, the fold one process does), and an all-gather
 * gives every rank every slice.  Each rank sends (its shards) x n x (N-1)/N floats and receives
 * S x n/N, then n x (N-1)/N: with one shard per rank that is a ring allreduce's 2n.  Losses and
 * predictions are gathered in order; counts and ranges reduce exactly in any order.
 *
 * Sweeps: a coordinator thread on rank 0 hands out configuration indices on request and takes
 * the finished rows; every rank, rank 0's main thread included, asks for one configuration at
 * a time.  Waits poll with a 1 ms sleep so an idle rank does not spin on a core a busy one needs.
 */
#include <mpi.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tr_dist.h"

static dist_ops_t g_ops;
static int g_threading;

/* Scratch that grows to the largest request (one rank runs one batch at a time). */
static void *scratch(void **buf, size_t *cap, size_t bytes)
{
    if (bytes > *cap) {
        void *nb = realloc(*buf, bytes);
        if (!nb) {
            fprintf(stderr, "train: rank %d: out of memory (%zu bytes of MPI buffers)\n", g_ops.rank, bytes);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        *buf = nb;
        *cap = bytes;
    }
    return *buf;
}

/* counts[q], displs[q] = size and start of part q of n over the ranks, times `unit`. */
static void parts(const dist_ops_t *d, size_t n, size_t unit, int *counts, int *displs)
{
    int q;
    for (q = 0; q < d->ranks; q++) {
        size_t lo, hi;
        engine_part(n, q, d->ranks, &lo, &hi);
        counts[q] = (int)((hi - lo) * unit);
        displs[q] = (int)(lo * unit);
    }
}

static void fold_shards(const dist_ops_t *d, tensors_t *g, const tensors_t *mine, int lo, int hi, int S,
                        int threads)
{
    static void *sbuf, *rbuf, *ibuf;
    static size_t scap, rcap, icap;
    const int N = d->ranks, nmine = hi - lo;
    int *ints = scratch(&ibuf, &icap, sizeof(int) * 6 * (size_t)N);
    int *sc = ints, *sd = ints + N, *rc = ints + 2 * N, *rd = ints + 3 * N, *gc = ints + 4 * N, *gd = ints + 5 * N;
    size_t a, z, len, off = 0;
    float *send, *recv;
    int q, j;

    const double t0 = MPI_Wtime();
    engine_part(g->n, d->rank, N, &a, &z);
    len = z - a;
    send = scratch(&sbuf, &scap, sizeof(float) * (size_t)nmine * g->n + 1);
    recv = scratch(&rbuf, &rcap, sizeof(float) * (size_t)S * len + 1);
    parts(d, g->n, 1, gc, gd);
    for (q = 0; q < N; q++) { /* to rank q: slice q of each of my shards, in shard order */
        sd[q] = (int)off;
        sc[q] = nmine * gc[q];
        for (j = 0; j < nmine; j++, off += (size_t)gc[q])
            memcpy(send + off, mine[j].mem + gd[q], sizeof(float) * (size_t)gc[q]);
    }
    parts(d, (size_t)S, len, rc, rd); /* from rank r: its shards of my slice; lands in shard order */
    MPI_Alltoallv(send, sc, sd, MPI_FLOAT, recv, rc, rd, MPI_FLOAT, MPI_COMM_WORLD);
#pragma omp parallel num_threads(threads)
    {
        const float *src[TR_MAX_SHARDS];
        size_t ta, tz;
        int s;
        for (s = 0; s < S; s++)
            src[s] = recv + (size_t)s * len;
        engine_part(len, omp_get_thread_num(), omp_get_num_threads(), &ta, &tz);
        engine_fold(g->mem + a, src, S, ta, tz);
    }
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, g->mem, gc, gd, MPI_FLOAT, MPI_COMM_WORLD);
    g_ops.seconds += MPI_Wtime() - t0;
}

static void gather(const dist_ops_t *d, void *v, int n, MPI_Datatype type)
{
    static void *ibuf;
    static size_t icap;
    int *ints = scratch(&ibuf, &icap, sizeof(int) * 2 * (size_t)d->ranks);
    const double t0 = MPI_Wtime();
    parts(d, (size_t)n, 1, ints, ints + d->ranks);
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, v, ints, ints + d->ranks, type, MPI_COMM_WORLD);
    g_ops.seconds += MPI_Wtime() - t0;
}

static void gather_f64(const dist_ops_t *d, double *v, int n)
{
    gather(d, v, n, MPI_DOUBLE);
}

static void gather_u8(const dist_ops_t *d, uint8_t *v, int n)
{
    gather(d, v, n, MPI_UINT8_T);
}

static void reduce_stats(const dist_ops_t *d, net_stats_t *s, int *correct)
{
    enum { L = SNN_MAX_LAYERS };
    float lo[2 * L], hi[3 * L];
    uint64_t n[2 * L + 2];
    const double t0 = MPI_Wtime();
    (void)d;
    memcpy(lo, s->cur_lo, sizeof s->cur_lo);
    memcpy(lo + L, s->mem_lo, sizeof s->mem_lo);
    memcpy(hi, s->cur_hi, sizeof s->cur_hi);
    memcpy(hi + L, s->mem_hi, sizeof s->mem_hi);
    memcpy(hi + 2 * L, s->mem_peak, sizeof s->mem_peak);
    memcpy(n, s->saturated, sizeof s->saturated);
    memcpy(n + L, s->spikes, sizeof s->spikes);
    n[2 * L] = s->samples;
    n[2 * L + 1] = (uint64_t)*correct;
    MPI_Allreduce(MPI_IN_PLACE, lo, 2 * L, MPI_FLOAT, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, hi, 3 * L, MPI_FLOAT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, n, 2 * L + 2, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    memcpy(s->cur_lo, lo, sizeof s->cur_lo);
    memcpy(s->mem_lo, lo + L, sizeof s->mem_lo);
    memcpy(s->cur_hi, hi, sizeof s->cur_hi);
    memcpy(s->mem_hi, hi + L, sizeof s->mem_hi);
    memcpy(s->mem_peak, hi + 2 * L, sizeof s->mem_peak);
    memcpy(s->saturated, n, sizeof s->saturated);
    memcpy(s->spikes, n + L, sizeof s->spikes);
    s->samples = n[2 * L];
    *correct = (int)n[2 * L + 1];
    g_ops.seconds += MPI_Wtime() - t0;
}

int dist_init(int *argc, char ***argv, const dist_ops_t **ops)
{
    if (MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &g_threading) != MPI_SUCCESS) {
        fprintf(stderr, "train: MPI_Init_thread failed (run under mpirun)\n");
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &g_ops.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_ops.ranks);
    g_ops.fold_shards = fold_shards;
    g_ops.gather_f64 = gather_f64;
    g_ops.gather_u8 = gather_u8;
    g_ops.reduce_stats = reduce_stats;
    *ops = g_ops.ranks > 1 ? &g_ops : NULL;
    return 0;
}

void dist_finish(void)
{
    MPI_Finalize();
}

int dist_rank(void)
{
    return g_ops.rank;
}

int dist_ranks(void)
{
    return g_ops.ranks;
}

void dist_fail(int rc)
{
    fprintf(stderr, "train: rank %d of %d stops the job with exit code %d (the reason is above)\n", g_ops.rank,
            g_ops.ranks, rc);
    MPI_Abort(MPI_COMM_WORLD, rc);
    exit(rc);
}

/* ---------------------------------------------------------------- sweeps */
enum { TAG_ASK = 17, TAG_ROW, TAG_GIVE };

/* Completes r, sleeping 1 ms between tests instead of spinning. */
static void wait_idle(MPI_Request *r, MPI_Status *st)
{
    const struct timespec ms = {0, 1000000};
    int flag = 0;
    for (;;) {
        MPI_Test(r, &flag, st);
        if (flag)
            return;
        nanosleep(&ms, 0);
    }
}

typedef struct {
    int n;
    const uint8_t *todo;
    dist_done_fn done;
    void *ctx;
    int failed;
} coord_t;

/* Rank 0's coordinator: each ASK carries {finished index or -1, row bytes, ok}; the answer is
 * the next index to run, or -1 when none is left.  Ends when every rank got its -1. */
static void *coordinator(void *arg)
{
    coord_t *c = arg;
    int next = 0, active = g_ops.ranks;
    while (active > 0) {
        int msg[3], give;
        MPI_Request req;
        MPI_Status st;
        MPI_Irecv(msg, 3, MPI_INT, MPI_ANY_SOURCE, TAG_ASK, MPI_COMM_WORLD, &req);
        wait_idle(&req, &st);
        if (msg[0] >= 0) {
            char *row = msg[1] > 0 ? malloc((size_t)msg[1]) : 0;
            if (msg[1] > 0) {
                if (!row) {
                    fprintf(stderr, "train: out of memory for a sweep row\n");
                    MPI_Abort(MPI_COMM_WORLD, 1);
                }
                MPI_Recv(row, msg[1], MPI_CHAR, st.MPI_SOURCE, TAG_ROW, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }
            if (!msg[2] || !row || c->done(c->ctx, msg[0], row)) {
                fprintf(stderr, "train: sweep configuration %d (rank %d) failed\n", msg[0] + 1, st.MPI_SOURCE);
                c->failed = 1;
            }
            free(row);
        }
        while (next < c->n && !c->todo[next])
            next++;
        give = next < c->n ? next++ : -1;
        active -= give < 0;
        MPI_Send(&give, 1, MPI_INT, st.MPI_SOURCE, TAG_GIVE, MPI_COMM_WORLD);
    }
    return 0;
}

int dist_sweep(int n, const uint8_t *todo, dist_run_fn run, dist_done_fn done, void *ctx)
{
    coord_t c = {n, todo, done, ctx, 0};
    pthread_t th;
    MPI_Request req;
    int k = -1, ok = 0, failed;
    char *row = 0;

    if (g_threading < MPI_THREAD_MULTIPLE) {
        fprintf(stderr, "train: this MPI library gives thread level %d, a sweep needs MPI_THREAD_MULTIPLE\n",
                g_threading);
        return -1;
    }
    if (g_ops.rank == 0 && pthread_create(&th, 0, coordinator, &c)) {
        fprintf(stderr, "train: cannot start the sweep coordinator thread\n");
        dist_fail(1);
    }
    for (;;) {
        int msg[3] = {k, row ? (int)strlen(row) + 1 : 0, ok};
        MPI_Send(msg, 3, MPI_INT, 0, TAG_ASK, MPI_COMM_WORLD);
        if (msg[1])
            MPI_Send(row, msg[1], MPI_CHAR, 0, TAG_ROW, MPI_COMM_WORLD);
        free(row);
        row = 0;
        MPI_Recv(&k, 1, MPI_INT, 0, TAG_GIVE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (k < 0)
            break;
        ok = run(ctx, k, &row) == 0;
    }
    if (g_ops.rank == 0)
        pthread_join(th, 0);
    MPI_Ibarrier(MPI_COMM_WORLD, &req);
    wait_idle(&req, MPI_STATUS_IGNORE);
    failed = c.failed;
    MPI_Bcast(&failed, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return failed ? -1 : 0;
}
