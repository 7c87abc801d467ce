/* SPDX-License-Identifier: MIT
 * test_proxy.c : the fault-injection proxy, against a pty pair standing in for the board:
 * clean forwarding both ways, each fault kind at rate 1, and reproducibility from the seed.
 * The proxy program is argv[1] (or $FAULT_PROXY).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "serial.h"

#define N_BYTES 2000

static const char *proxy_prog;

typedef struct {
    int board;          /* master of the pair the proxy forwards to */
    pid_t pid;
    serial_t host;      /* the proxy's pty, opened as the host would */
} rig_t;

static void rig_start(rig_t *r, const char *const *fault_args)
{
    char slave[64], line[128], err[512];
    const char *argv[16];
    int i = 0, k, fd[2];
    size_t len = 0;
    r->board = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    assert_true(r->board >= 0);
    assert_int_equal(grantpt(r->board), 0);
    assert_int_equal(unlockpt(r->board), 0);
    snprintf(slave, sizeof slave, "%s", ptsname(r->board));
    argv[i++] = proxy_prog;
    argv[i++] = "--upstream";
    argv[i++] = slave;
    for (k = 0; fault_args[k] != NULL; k++)
        argv[i++] = fault_args[k];
    argv[i] = NULL;
    assert_int_equal(pipe(fd), 0);
    r->pid = fork();
    assert_true(r->pid >= 0);
    if (r->pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    while (len < sizeof line - 1) {
        ssize_t n = read(fd[0], line + len, 1);
        assert_true(n == 1);
        if (line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    close(fd[0]);
    assert_non_null(strstr(line, "/dev/pts/"));
    assert_int_equal(serial_open(&r->host, line, 3000000, err, sizeof err), SERIAL_OK);
}

static void rig_stop(rig_t *r)
{
    int status;
    serial_close(&r->host);
    kill(r->pid, SIGTERM);
    assert_int_equal(waitpid(r->pid, &status, 0), r->pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(r->board);
}

/* Reads from fd until idle for 300 ms; returns the byte count. */
static size_t drain(int fd, uint8_t *buf, size_t cap)
{
    size_t got = 0;
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t n;
        if (poll(&p, 1, 300) <= 0 || got == cap)
            return got;
        n = read(fd, buf + got, cap - got);
        if (n <= 0)
            return got;
        got += (size_t)n;
    }
}

static void pattern(uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        b[i] = (uint8_t)(i * 7 + 3);
}

/* Sends N_BYTES host -> board through the proxy; returns what the board got. */
static size_t send_to_board(rig_t *r, uint8_t *got, size_t cap)
{
    uint8_t out[N_BYTES];
    char err[512];
    pattern(out, sizeof out);
    assert_int_equal(serial_write(&r->host, out, sizeof out, 2000, err, sizeof err), SERIAL_OK);
    return drain(r->board, got, cap);
}

static void test_clean_both_ways(void **state)
{
    static const char *const args[] = { NULL };
    uint8_t out[N_BYTES], got[2 * N_BYTES];
    rig_t r;
    (void)state;
    rig_start(&r, args);
    pattern(out, sizeof out);
    assert_int_equal(send_to_board(&r, got, sizeof got), N_BYTES);
    assert_memory_equal(got, out, N_BYTES);
    assert_int_equal(write(r.board, out, sizeof out), N_BYTES);
    assert_int_equal(drain(r.host.fd, got, sizeof got), N_BYTES);
    assert_memory_equal(got, out, N_BYTES);
    rig_stop(&r);
}

static void test_corrupt_flips_one_bit(void **state)
{
    static const char *const args[] = { "--corrupt", "1", "--seed", "5", NULL };
    uint8_t out[N_BYTES], got[2 * N_BYTES];
    rig_t r;
    size_t i;
    (void)state;
    rig_start(&r, args);
    pattern(out, sizeof out);
    assert_int_equal(send_to_board(&r, got, sizeof got), N_BYTES);
    for (i = 0; i < N_BYTES; i++)
        assert_int_equal(__builtin_popcount((unsigned)(got[i] ^ out[i])), 1);
    rig_stop(&r);
}

static void test_drop_and_dup(void **state)
{
    static const char *const drop[] = { "--drop", "1", NULL };
    static const char *const dup[] = { "--dup", "1", "--direction", "to-board", NULL };
    uint8_t out[N_BYTES], got[2 * N_BYTES];
    rig_t r;
    size_t i;
    (void)state;
    rig_start(&r, drop);
    assert_int_equal(send_to_board(&r, got, sizeof got), 0);
    rig_stop(&r);
    rig_start(&r, dup);
    pattern(out, sizeof out);
    assert_int_equal(send_to_board(&r, got, sizeof got), 2 * N_BYTES);
    for (i = 0; i < N_BYTES; i++) {
        assert_int_equal(got[2 * i], out[i]);
        assert_int_equal(got[2 * i + 1], out[i]);
    }
    /* --direction to-board: the way back stays clean */
    assert_int_equal(write(r.board, out, sizeof out), N_BYTES);
    assert_int_equal(drain(r.host.fd, got, sizeof got), N_BYTES);
    assert_memory_equal(got, out, N_BYTES);
    rig_stop(&r);
}

static void test_seed_reproducible(void **state)
{
    static const char *const a[] = { "--drop", "0.1", "--dup", "0.05", "--corrupt", "0.05", "--seed", "7", NULL };
    static const char *const b[] = { "--drop", "0.1", "--dup", "0.05", "--corrupt", "0.05", "--seed", "8", NULL };
    uint8_t g1[2 * N_BYTES], g2[2 * N_BYTES], g3[2 * N_BYTES];
    size_t n1, n2, n3;
    rig_t r;
    (void)state;
    rig_start(&r, a);
    n1 = send_to_board(&r, g1, sizeof g1);
    rig_stop(&r);
    rig_start(&r, a);
    n2 = send_to_board(&r, g2, sizeof g2);
    rig_stop(&r);
    rig_start(&r, b);
    n3 = send_to_board(&r, g3, sizeof g3);
    rig_stop(&r);
    assert_true(n1 < N_BYTES);          /* about 10 % dropped, 5 % doubled */
    assert_true(n1 > N_BYTES / 2);
    assert_int_equal(n1, n2);
    assert_memory_equal(g1, g2, n1);
    assert_true(n1 != n3 || memcmp(g1, g3, n1) != 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_both_ways),
        cmocka_unit_test(test_corrupt_flips_one_bit),
        cmocka_unit_test(test_drop_and_dup),
        cmocka_unit_test(test_seed_reproducible),
    };
    proxy_prog = argc > 1 ? argv[1] : getenv("FAULT_PROXY");
    if (proxy_prog == NULL) {
        fprintf(stderr, "usage: test_proxy PATH/TO/fault_proxy\n");
        return 2;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
