/* SPDX-License-Identifier: MIT
 * board_harness.c : the simulated board as a child process (board_harness.h).
 */
#include "board_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static int read_small(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = 0;
    return (int)n;
}

int board_start(board_t *b, const char *sim)
{
    char pts_file[128], stats_file[128];
    memset(b, 0, sizeof *b);
    b->t.serial.fd = -1;
    snprintf(b->dir, sizeof b->dir, "/tmp/qn-board-test-XXXXXX");
    if (!mkdtemp(b->dir)) {
        fprintf(stderr, "board: mkdtemp failed: %s\n", strerror(errno));
        return -1;
    }
    snprintf(pts_file, sizeof pts_file, "%s/pts", b->dir);
    snprintf(stats_file, sizeof stats_file, "%s/stats.json", b->dir);
    b->pid = fork();
    if (b->pid < 0) {
        fprintf(stderr, "board: fork failed: %s\n", strerror(errno));
        return -1;
    }
    if (b->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);     /* no orphan board if the test dies */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execl(sim, sim, "--pts-file", pts_file, "--stats-file", stats_file, "--quiet", (char *)NULL);
        fprintf(stderr, "board: cannot run %s: %s (make sim-board builds it)\n", sim, strerror(errno));
        _exit(127);
    }
    for (int i = 0; i < 200; i++) {        /* up to 10 s for the pts file */
        int status;
        if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
            fprintf(stderr, "board: %s exited before serving (status %d)\n", sim, status);
            b->pid = 0;
            return -1;
        }
        if (read_small(pts_file, b->pts, sizeof b->pts) > 0)
            break;
        sleep_ms(50);
    }
    b->pts[strcspn(b->pts, "\n")] = 0;
    if (!b->pts[0]) {
        fprintf(stderr, "board: %s wrote no pts path within 10 s\n", sim);
        board_stop(b);
        return -1;
    }
    transport_opts_t o = { .device = b->pts, .baud = PROTO_DEFAULT_BAUD };
    char err[512];
    if (transport_open(&b->t, &o, err, sizeof err) != 0) {
        fprintf(stderr, "board: %s\n", err);
        board_stop(b);
        return -1;
    }
    serial_flush(&b->t.serial);
    /* no resends: the tests look at every answer themselves; a long silence limit (the
     * simulation is slow) */
    link_init(&b->link, &b->t, 120000, 0);
    return 0;
}

/* Reads the statistics file the simulator writes. */
static int parse_stats(board_t *b)
{
    char path[128], buf[1024];
    snprintf(path, sizeof path, "%s/stats.json", b->dir);
    if (read_small(path, buf, sizeof buf) <= 0)
        return -1;
    const char *p;
    unsigned long long v;
    if ((p = strstr(buf, "\"cycles\": ")) && sscanf(p + 10, "%llu", &v) == 1) b->cycles = v;
    if ((p = strstr(buf, "\"bytes_in\": ")) && sscanf(p + 12, "%llu", &v) == 1) b->bytes_in = v;
    if ((p = strstr(buf, "\"bytes_out\": ")) && sscanf(p + 13, "%llu", &v) == 1) b->bytes_out = v;
    if ((p = strstr(buf, "\"sim_seconds\": ")))
        b->sim_seconds = strtod(p + 15, NULL);
    return 0;
}

int board_stats(board_t *b)
{
    char path[128];
    snprintf(path, sizeof path, "%s/stats.json", b->dir);
    unlink(path);
    if (b->pid <= 0 || kill(b->pid, SIGUSR1) != 0)
        return -1;
    for (int i = 0; i < 100; i++) {
        if (parse_stats(b) == 0)
            return 0;
        sleep_ms(20);
    }
    return -1;
}

int board_stop(board_t *b)
{
    int rc = -1, status = 0;
    char path[160];
    if (b->t.serial.fd >= 0)
        transport_close(&b->t);
    b->t.serial.fd = -1;
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        for (int i = 0; i < 200; i++) {
            if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
                rc = (WIFEXITED(status) && WEXITSTATUS(status) == 0) ? 0 : -1;
                break;
            }
            sleep_ms(50);
        }
        if (rc != 0 && !WIFEXITED(status)) {
            kill(b->pid, SIGKILL);
            waitpid(b->pid, &status, 0);
        }
        b->pid = 0;
    }
    parse_stats(b);
    snprintf(path, sizeof path, "%s/pts", b->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/stats.json", b->dir);
    unlink(path);
    rmdir(b->dir);
    return rc;
}

int board_wait_idle(board_t *b, int timeout_ms)
{
    uint64_t last = UINT64_MAX;
    for (int waited = 0; waited < timeout_ms; waited += 300) {
        if (board_stats(b) != 0)
            return -1;
        if (b->cycles == last)
            return 0;
        last = b->cycles;
        sleep_ms(300);
    }
    return -1;
}

uint32_t board_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

void board_random_model(snn_model_t *m, int n_layers, const int *sizes, int steps, int encoding,
                        int threshold_mode, int wmax, uint32_t seed)
{
    uint32_t s = seed ? seed : 1;
    uint32_t woff = 0;
    uint16_t toff = 0;
    memset(m, 0, sizeof *m);
    m->n_layers = (uint8_t)n_layers;
    m->steps = (uint8_t)steps;
    m->encoding = (uint8_t)encoding;
    m->input_bits = SNN_INPUT_BITS_RAW;
    for (int l = 0; l < n_layers; l++) {
        snn_layer_t *ly = &m->layer[l];
        int n_in = sizes[l], n_out = sizes[l + 1], pad = SNN_PAD_LANES(n_out);
        if (woff + (uint32_t)(n_in * pad) > SNN_WEIGHT_BYTES)
            abort();                          /* a test asked for more than the board holds */
        ly->n_in = (uint16_t)n_in;
        ly->n_out = (uint16_t)n_out;
        ly->leak_shift = (uint8_t)(board_rand(&s) % 4);
        ly->reset_mode = (uint8_t)(board_rand(&s) % 2);
        ly->threshold_mode = (uint8_t)threshold_mode;
        ly->weight_offset = woff;
        ly->threshold_offset = toff;
        for (int i = 0; i < n_in; i++)
            for (int j = 0; j < n_out; j++) { /* slightly positive on average, so that spikes flow */
                int w = (int)(board_rand(&s) % (uint32_t)(2 * wmax + 1)) - wmax + wmax / 4;
                m->weights[woff + (uint32_t)(i * pad + j)] = (int8_t)(w > SNN_WEIGHT_MAX ? SNN_WEIGHT_MAX : w);
            }
        woff += (uint32_t)(n_in * pad);
        /* a threshold of about the input activity expected per step */
        int base = wmax * (encoding == SNN_ENCODING_DIRECT && l == 0 ? n_in / 8 : n_in / 6) / 2 + 1;
        int n_thr = threshold_mode == SNN_THRESHOLD_NEURON ? n_out : 1;
        for (int j = 0; j < n_thr; j++)
            m->thresholds[toff + j] = (int16_t)(base / 2 + (int)(board_rand(&s) % (uint32_t)base) + 1);
        toff = (uint16_t)(toff + n_thr);
    }
}
