/* SPDX-License-Identifier: MIT
 * main.c : host/run -- upload a model to a board (or the simulated board), stream the test
 * split, check every answer against the golden model, report.  See --help and docs/board.md.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "dataset.h"
#include "json_report.h"
#include "link.h"
#include "model_file.h"
#include "monotonic.h"
#include "qout.h"
#include "report.h"
#include "session.h"
#include "transport.h"
#include "usb.h"

#define RUN_MAX_BOARDS 32

static transport_t g_transport;     /* closed by the signal handler too: no orphaned sim board */

static void run_on_signal(int sig)
{
    /* stop and reap the simulated board (kill, waitpid and nanosleep are async-signal-safe) */
    pid_t pid = g_transport.sim_pid;
    struct timespec tick = { 0, 10000000 };
    int i, status;
    if (pid > 0) {
        kill(pid, SIGTERM);
        for (i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++)
            nanosleep(&tick, NULL);
        if (i == 200) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static int run_list(const args_t *a)
{
    usb_board_t b[RUN_MAX_BOARDS];
    char err[512];
    int n = usb_list(b, RUN_MAX_BOARDS, err, sizeof err);
    if (n < 0) {
        /* no USB at all (a container, no usbfs) is "none found", with the reason */
        fprintf(stderr, "run: %s\n", err);
        n = 0;
    }
    usb_print_list(stdout, b, n, a->json);
    return 0;
}

/* The simulated board next to this program: <dir of host/run>/../build/sim-board/qn_board_sim. */
static void run_default_sim_board(char *out, size_t cap)
{
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    snprintf(out, cap, "build/sim-board/qn_board_sim");
    if (n <= 0)
        return;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    snprintf(out, cap, "%s/../build/sim-board/qn_board_sim", exe);
}

/* Bytes on the line per image, framing included (INFER_Z: the mean of the requests sent), and
 * the bound they put on images/s at the rate the stream ran at. */
static void run_link_bound(const snn_model_t *m, session_result_t *r)
{
    double rq = r->images > 0 && r->request_bytes_sum > 0 ? (double)r->request_bytes_sum / (double)r->images
              : (double)LINK_REQ_BYTES(PROTO_INF_PIXELS + m->layer[0].n_in);
    double an = LINK_RSP_BYTES(SNN_RES_COUNTS + m->layer[m->n_layers - 1].n_out);
    double worst = rq > an ? rq : an;  /* full duplex: the busier direction sets the pace */
    r->request_bytes = rq;
    r->answer_bytes = an;
    r->link_bound_images_per_second = (double)r->baud / 10.0 / worst;
}

/* Board clocks over the stream, from INFO before and after (48-bit counter). */
static void run_board_time(session_result_t *r)
{
    uint64_t d = (r->info_after.cycles - r->info.cycles) & ((1ull << 48) - 1);
    if (r->info.clk_hz == 0 || d == 0 || r->images == 0)
        return;
    r->board_seconds = (double)d / (double)r->info.clk_hz;
    r->board_images_per_second = (double)r->images / r->board_seconds;
}

static int run_finish(const args_t *a, link_t *l, session_result_t *r, const char *error)
{
    const char *status = error ? "failed" : r->mismatch_count ? "mismatch" : "ok";
    cJSON *rep = report_build(a, &g_transport, l, r, status, error);
    char err[512];
    int rc = error != NULL || r->mismatch_count != 0 || r->agree != r->images ? 1 : 0;
    long i;
    if (error)
        fprintf(stderr, "run: %s\n", error);
    for (i = 0; i < r->mismatch_count && i < 10; i++) {
        const mismatch_t *m = &r->mismatches[i];
        fprintf(stderr, "run: MISMATCH image %ld: board class %d, golden %d", m->index,
                m->board_class, m->golden_class);
        if (m->first_diff >= 0)
            fprintf(stderr, "; output %d spiked %d times on the board, %d in the golden model\n",
                    m->first_diff, m->board_count, m->golden_count);
        else
            fprintf(stderr, "\n");
    }
    if (r->mismatch_count > 10)
        fprintf(stderr, "run: ... %ld mismatches in all (see the report)\n", r->mismatch_count);
    if (a->report != NULL && json_report_write(a->report, rep, err, sizeof err) != 0) {
        fprintf(stderr, "run: %s\n", err);
        rc = 1;
    }
    json_report_print(stdout, rep);
    cJSON_Delete(rep);
    if (!error)
        fprintf(stderr, "run: %s: %ld images, accuracy %.2f %%, agreement with the golden model "
                "%ld/%ld, %llu link errors, %llu retries\n", rc ? "FAIL" : "PASS", r->images,
                r->images ? 100.0 * (double)r->correct / (double)r->images : 0.0, r->agree, r->images,
                (unsigned long long)l->link_errors, (unsigned long long)l->retries_used);
    return rc;
}

int main(int argc, char **argv)
{
    static snn_model_t model;
    static model_meta_t meta;
    static args_t a;
    static session_result_t r;
    static link_t l;
    dataset_t d;
    char err[1024], sim_board[PATH_MAX];
    transport_opts_t to;
    session_opts_t so;
    double t0;
    long n_images;
    int rc = args_parse(&a, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (a.list)
        return run_list(&a);
    {
        const qout_path_t outs[] = {{a.report, "--report"}}, ins[] = {{a.model, "--model"}};
        if (qout_check(outs, 1, ins, 1, err, sizeof err) != 0) {
            fprintf(stderr, "run: %s\n", err);
            return 1;
        }
    }

    if (model_read(a.model, &model, &meta, err, sizeof err) != MODEL_OK) {
        fprintf(stderr, "run: %s\n", err);
        return 1;
    }
    if (dataset_load_test(a.data, &d, err, sizeof err) != 0) {
        fprintf(stderr, "run: %s\n", err);
        return 1;
    }
    if (d.test.rows * d.test.cols != model.layer[0].n_in) {
        fprintf(stderr, "run: the model takes %d inputs but %s images have %dx%d = %d pixels\n",
                model.layer[0].n_in, a.data, d.test.rows, d.test.cols, d.test.rows * d.test.cols);
        dataset_free(&d);
        return 1;
    }
    n_images = a.limit > 0 && a.limit < d.test.n ? a.limit : d.test.n;
    if (session_result_init(&r, n_images) != 0) {
        fprintf(stderr, "run: out of memory\n");
        return 1;
    }

    run_default_sim_board(sim_board, sizeof sim_board);
    memset(&to, 0, sizeof to);
    to.device = a.device;
    to.baud = PROTO_DEFAULT_BAUD;       /* every board starts there; the handshake switches */
    to.sim_board = a.sim_board ? a.sim_board : sim_board;
    if (a.quiet) {                  /* a quiet run has a quiet simulated board */
        int k = 0;
        while (a.sim_args[k] != NULL)
            k++;
        if (k < ARGS_MAX_SIM_ARGS)
            a.sim_args[k] = "--quiet";
    }
    to.sim_args = a.sim_args;
    to.sim_start_timeout_ms = 30000;
    signal(SIGINT, run_on_signal);
    signal(SIGTERM, run_on_signal);
    signal(SIGPIPE, SIG_IGN);
    if (transport_open(&g_transport, &to, err, sizeof err) != 0) {
        fprintf(stderr, "run: %s\n", err);
        session_result_free(&r);
        dataset_free(&d);
        return 1;
    }
    link_init(&l, &g_transport, (int)(a.timeout_s * 1000.0), a.retries);
    if (!a.quiet)
        fprintf(stderr, "run: %s: handshake\n", g_transport.desc);
    if (session_handshake(&l, &model, a.baud, a.quiet, &r.info, err, sizeof err) != 0)
        goto fail;
    if (!a.quiet)
        fprintf(stderr, "run: board: protocol %u, build %08x, %u Hz, %u baud, window %u + hold %u "
                "bytes; uploading %zu weight bytes%s\n", r.info.version, r.info.build_id,
                r.info.clk_hz, r.info.baud, r.info.window, r.info.hold_bytes,
                proto_weight_bytes(&model), a.skip_verify ? "" : " with read-back");
    t0 = monotonic_s();
    if (link_upload(&l, &model, r.info.max_chunk, !a.skip_verify, err, sizeof err) != 0)
        goto fail;
    r.upload_seconds = monotonic_s() - t0;
    /* INFO again: its cycle counter starts the board-time measurement of the stream */
    {
        proto_frame_t f;
        if (link_request(&l, PROTO_OP_INFO, NULL, 0, &f) != LINK_OK ||
            proto_parse_info(f.payload, f.len, &r.info) != 0) {
            snprintf(err, sizeof err, "INFO after the upload: %s", l.err);
            goto fail;
        }
    }
    memset(&so, 0, sizeof so);
    /* the board holds r.info.window images (one computing, one received), and INFERs of up to
     * r.info.hold_bytes more in its receive FIFO: those cover the host's turnaround */
    so.info = &r.info;
    so.window = a.window;
    so.compressed = model.input_bits == SNN_INPUT_BITS_Q4 && (r.info.framings & 2) && !a.raw_frames;
    so.verify = !a.skip_verify;
    so.quiet = a.quiet;
    so.limit = n_images;
    if (session_stream(&l, &model, &d.test, &so, &r, err, sizeof err) != 0)
        goto fail;
    {
        proto_frame_t f;
        if (link_request(&l, PROTO_OP_INFO, NULL, 0, &f) != LINK_OK ||
            proto_parse_info(f.payload, f.len, &r.info_after) != 0) {
            snprintf(err, sizeof err, "INFO after the stream: %s", l.err);
            goto fail;
        }
    }
    run_board_time(&r);
    run_link_bound(&model, &r);
    /* leave the board at the rate it starts at, for whoever comes next */
    if (link_set_rate(&l, PROTO_DEFAULT_BAUD, &r.info_after, err, sizeof err) < 0)
        goto fail;
    rc = run_finish(&a, &l, &r, NULL);
    transport_close(&g_transport);
    session_result_free(&r);
    dataset_free(&d);
    return rc;
fail:
    r.baud = g_transport.baud;
    run_link_bound(&model, &r);
    rc = run_finish(&a, &l, &r, err);
    transport_close(&g_transport);
    session_result_free(&r);
    dataset_free(&d);
    return rc;
}
