/* SPDX-License-Identifier: MIT
 * fault_proxy.c : a pseudo-terminal between host/run and the simulated board that drops,
 * duplicates and corrupts bytes at set rates, reproducibly from a seed.
 *
 *   fault_proxy --upstream /dev/pts/N [--drop P] [--dup P] [--corrupt P] [--seed S]
 * prints its own /dev/pts/M on stdout; a host opens that instead of the board's pty.  The baud
 * the host sets on that pty is passed on to the board's (SET_BAUD switches go through).
 * Runs until SIGTERM/SIGINT or until the board side goes away; then writes the fault
 * counts as JSON to stderr (and to --stats FILE).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serial.h"

#define PROXY_BUF 4096

typedef struct {
    double drop, dup, corrupt;   /* per-byte probabilities */
    uint64_t rng;                /* splitmix64 state */
} fault_t;

typedef struct {
    const char *name;
    uint64_t bytes_in, dropped, duplicated, corrupted;
} leg_t;

static volatile sig_atomic_t proxy_stop;

static void proxy_on_signal(int sig)
{
    (void)sig;
    proxy_stop = 1;
}

static uint64_t fault_next(fault_t *f)
{
    uint64_t z = (f->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int fault_hit(fault_t *f, double p)
{
    return p > 0 && (double)(fault_next(f) >> 11) * (1.0 / 9007199254740992.0) < p;
}

/* Applies the faults to n bytes of in; returns how many bytes went to out (cap 2n). */
static size_t fault_apply(fault_t *f, leg_t *leg, const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        uint8_t b = in[i];
        leg->bytes_in++;
        if (fault_hit(f, f->drop)) {
            leg->dropped++;
            continue;
        }
        if (fault_hit(f, f->corrupt)) {
            b ^= (uint8_t)(1u << (fault_next(f) & 7)); /* one bit flips: the byte always changes */
            leg->corrupted++;
        }
        out[k++] = b;
        if (fault_hit(f, f->dup)) {
            out[k++] = b;
            leg->duplicated++;
        }
    }
    return k;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            if (poll(&pfd, 1, 1000) <= 0 && proxy_stop)
                return -1;
            continue;
        }
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void print_stats(FILE *f, const leg_t *legs)
{
    int i;
    fprintf(f, "{");
    for (i = 0; i < 2; i++)
        fprintf(f, "%s\"%s\": {\"bytes\": %llu, \"dropped\": %llu, \"duplicated\": %llu, "
                "\"corrupted\": %llu}", i ? ", " : "", legs[i].name,
                (unsigned long long)legs[i].bytes_in, (unsigned long long)legs[i].dropped,
                (unsigned long long)legs[i].duplicated, (unsigned long long)legs[i].corrupted);
    fprintf(f, "}\n");
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: fault_proxy --upstream /dev/pts/N [options]\n"
        "A pseudo-terminal that forwards to UPSTREAM (the simulated board) and back, dropping,\n"
        "duplicating and corrupting bytes at the given per-byte rates. Prints its own\n"
        "/dev/pts/M on stdout; stops on SIGTERM/SIGINT or when UPSTREAM closes.\n"
        "  -u, --upstream PATH   the board's pty (required)\n"
        "  -d, --drop P          probability a byte is dropped (default 0)\n"
        "  -D, --dup P           probability a byte is sent twice (default 0)\n"
        "  -c, --corrupt P       probability a byte has one bit flipped (default 0)\n"
        "  -s, --seed N          fault pattern seed (default 1)\n"
        "  -w, --direction DIR   both | to-board | to-host (default both)\n"
        "  -g, --garble-above B  while the host's baud is above B, invert every byte both ways\n"
        "                        (a cable that cannot carry the faster rates)\n"
        "      --garble-after N  ... once N bytes have gone to the board (default 0)\n"
        "      --stats FILE      write the fault counts as JSON to FILE on exit\n"
        "  -h, --help            this text\n");
}

static int parse_rate(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
        fprintf(stderr, "fault_proxy: rate '%s' is not a number in [0, 1]\n", s);
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "upstream", required_argument, 0, 'u' }, { "drop", required_argument, 0, 'd' },
        { "dup", required_argument, 0, 'D' },      { "corrupt", required_argument, 0, 'c' },
        { "seed", required_argument, 0, 's' },     { "direction", required_argument, 0, 'w' },
        { "stats", required_argument, 0, 'S' },    { "help", no_argument, 0, 'h' },
        { "garble-above", required_argument, 0, 'g' }, { "garble-after", required_argument, 0, 'G' },
        { 0, 0, 0, 0 }
    };
    const char *upstream = NULL, *stats_path = NULL, *dir = "both";
    fault_t fault = { 0, 0, 0, 1 };
    fault_t none = { 0, 0, 0, 1 };
    leg_t legs[2] = { { "to_board", 0, 0, 0, 0 }, { "to_host", 0, 0, 0, 0 } };
    serial_t board;
    char err[512];
    int c, master, slave_keep, rc = 0;
    unsigned long garble_above = 0;          /* 0: never */
    unsigned long long garble_after = 0;
    uint8_t in[PROXY_BUF], out[2 * PROXY_BUF];

    while ((c = getopt_long(argc, argv, "u:d:D:c:s:w:g:G:h", opts, NULL)) != -1) {
        switch (c) {
        case 'u': upstream = optarg; break;
        case 'd': if (parse_rate(optarg, &fault.drop)) return 2; break;
        case 'D': if (parse_rate(optarg, &fault.dup)) return 2; break;
        case 'c': if (parse_rate(optarg, &fault.corrupt)) return 2; break;
        case 's': fault.rng = strtoull(optarg, NULL, 0); break;
        case 'w': dir = optarg; break;
        case 'S': stats_path = optarg; break;
        case 'g': garble_above = strtoul(optarg, NULL, 10); break;
        case 'G': garble_after = strtoull(optarg, NULL, 10); break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (upstream == NULL || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (strcmp(dir, "both") && strcmp(dir, "to-board") && strcmp(dir, "to-host")) {
        fprintf(stderr, "fault_proxy: --direction must be both, to-board or to-host, not '%s'\n", dir);
        return 2;
    }
    if (serial_open(&board, upstream, 3000000, err, sizeof err) != SERIAL_OK) {
        fprintf(stderr, "fault_proxy: %s\n", err);
        return 1;
    }
    master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
        fprintf(stderr, "fault_proxy: cannot make a pseudo-terminal: %s\n", strerror(errno));
        return 1;
    }
    /* keep a slave fd open so the master does not read EIO between two host sessions */
    slave_keep = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave_keep < 0 || serial_make_raw(slave_keep) < 0) {
        fprintf(stderr, "fault_proxy: cannot open %s: %s\n", ptsname(master), strerror(errno));
        return 1;
    }
    signal(SIGTERM, proxy_on_signal);
    signal(SIGINT, proxy_on_signal);
    signal(SIGPIPE, SIG_IGN);
    printf("%s\n", ptsname(master));
    fflush(stdout);

    while (!proxy_stop) {
        struct pollfd pfd[2] = { { .fd = master, .events = POLLIN }, { .fd = board.fd, .events = POLLIN } };
        int i;
        if (poll(pfd, 2, 200) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (i = 0; i < 2; i++) {
            int from = i == 0 ? master : board.fd, to = i == 0 ? board.fd : master;
            int faulty = !strcmp(dir, "both") || !strcmp(dir, i == 0 ? "to-board" : "to-host");
            ssize_t n;
            size_t k;
            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(from, in, sizeof in);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0) {
                if (i == 1) {
                    fprintf(stderr, "fault_proxy: the board's pty %s closed\n", upstream);
                    proxy_stop = 1;
                }
                continue;
            }
            /* the host's baud (set on our pty) goes on to the board's pty before the bytes
             * written at it: the simulated board's line runs at what its pty says */
            if (i == 0) {
                uint32_t baud = serial_get_baud(slave_keep);
                if (baud != 0 && baud != board.baud && serial_set_baud(board.fd, baud) == 0)
                    board.baud = baud;
            }
            k = fault_apply(faulty ? &fault : &none, &legs[i], in, (size_t)n, out);
            if (garble_above && board.baud > garble_above && legs[0].bytes_in > garble_after)
                for (size_t b = 0; b < k; b++)
                    out[b] ^= 0xFF;
            if (write_all(to, out, k) < 0) {
                fprintf(stderr, "fault_proxy: write failed: %s\n", strerror(errno));
                proxy_stop = 1;
                rc = 1;
            }
        }
    }
    print_stats(stderr, legs);
    if (stats_path != NULL) {
        FILE *f = fopen(stats_path, "w");
        if (f == NULL) {
            fprintf(stderr, "fault_proxy: cannot write %s: %s\n", stats_path, strerror(errno));
            rc = 1;
        } else {
            print_stats(f, legs);
            fclose(f);
        }
    }
    serial_close(&board);
    close(slave_keep);
    close(master);
    return rc;
}
