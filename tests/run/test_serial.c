/* SPDX-License-Identifier: MIT
 * test_serial.c : the termios2 serial transport against a real pseudo-terminal pair, its
 * error messages, the USB device spec parser and the latency percentiles.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "monotonic.h"
#include "serial.h"
#include "stats.h"
#include "usb.h"

/* A pty pair: the master stands in for the board. */
static int open_master(char *slave, size_t cap)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    snprintf(slave, cap, "%s", ptsname(m));
    return m;
}

static void test_pty_baud_and_bytes(void **state)
{
    char path[64], err[512];
    uint8_t out[256], in[512], back[256];
    serial_t s;
    int m = open_master(path, sizeof path), i, got = 0;
    (void)state;
    assert_int_equal(serial_open(&s, path, 3000000, err, sizeof err), SERIAL_OK);
    assert_int_equal(serial_get_baud(s.fd), 3000000);
    assert_int_equal(serial_set_baud(s.fd, 1234567), 0);   /* a non-standard rate */
    assert_int_equal(serial_get_baud(s.fd), 1234567);
    /* every byte value passes unchanged in both directions: raw mode, no CR/LF mapping, no XON */
    for (i = 0; i < 256; i++)
        out[i] = (uint8_t)i;
    assert_int_equal(serial_write(&s, out, sizeof out, 1000, err, sizeof err), SERIAL_OK);
    while (got < 256) {
        ssize_t r = read(m, back + got, sizeof back - (size_t)got);
        assert_true(r > 0);
        got += (int)r;
    }
    assert_memory_equal(back, out, 256);
    assert_int_equal(write(m, out, sizeof out), 256);
    got = 0;
    while (got < 256) {
        int r = serial_read(&s, in + got, sizeof in - (size_t)got, 1000, err, sizeof err);
        assert_true(r > 0);
        got += r;
    }
    assert_int_equal(got, 256);
    assert_memory_equal(in, out, 256);
    serial_close(&s);
    close(m);
}

static void test_read_timeout(void **state)
{
    char path[64], err[512];
    uint8_t b;
    serial_t s;
    double t0;
    int m = open_master(path, sizeof path);
    (void)state;
    assert_int_equal(serial_open(&s, path, 3000000, err, sizeof err), SERIAL_OK);
    t0 = monotonic_s();
    assert_int_equal(serial_read(&s, &b, 1, 150, err, sizeof err), 0);
    assert_true(monotonic_s() - t0 >= 0.14);
    assert_true(monotonic_s() - t0 < 1.0);
    serial_close(&s);
    close(m);
}

static void test_board_gone(void **state)
{
    char path[64], err[512];
    uint8_t b;
    serial_t s;
    int m = open_master(path, sizeof path);
    (void)state;
    assert_int_equal(serial_open(&s, path, 3000000, err, sizeof err), SERIAL_OK);
    close(m);
    assert_int_equal(serial_read(&s, &b, 1, 1000, err, sizeof err), SERIAL_E_IO);
    assert_non_null(strstr(err, "went away"));
    serial_close(&s);
}

static void test_no_such_device(void **state)
{
    char err[512];
    serial_t s;
    (void)state;
    assert_int_equal(serial_open(&s, "/dev/ttyUSB_quantarion_none", 3000000, err, sizeof err),
                     SERIAL_E_NODEV);
    assert_non_null(strstr(err, "no such device"));
    assert_non_null(strstr(err, "--list"));
}

static void test_not_a_tty(void **state)
{
    char err[512];
    serial_t s;
    (void)state;
    assert_int_equal(serial_open(&s, "/dev/null", 3000000, err, sizeof err), SERIAL_E_NOTTY);
    assert_non_null(strstr(err, "not a serial port"));
}

static void test_busy(void **state)
{
    char path[64], err[512];
    serial_t a, b;
    int m = open_master(path, sizeof path);
    (void)state;
    assert_int_equal(serial_open(&a, path, 3000000, err, sizeof err), SERIAL_OK);
    assert_int_equal(serial_open(&b, path, 3000000, err, sizeof err), SERIAL_E_BUSY);
    assert_non_null(strstr(err, "busy"));
    assert_non_null(strstr(err, "fuser"));
    serial_close(&a);
    assert_int_equal(serial_open(&b, path, 3000000, err, sizeof err), SERIAL_OK); /* freed again */
    serial_close(&b);
    close(m);
}

static void test_permission_message(void **state)
{
    char path[64], err[1024], want[128];
    struct stat st;
    struct group *g;
    int m = open_master(path, sizeof path);
    (void)state;
    /* the group named is the device's own group (dialout for ttyUSB, tty or root for a pty) */
    assert_int_equal(stat(path, &st), 0);
    g = getgrgid(st.st_gid);
    assert_non_null(g);
    snprintf(want, sizeof want, "usermod -aG %s ", g->gr_name);
    assert_int_equal(serial_open_error(path, EACCES, err, sizeof err), SERIAL_E_PERM);
    assert_non_null(strstr(err, "permission denied"));
    assert_non_null(strstr(err, want));
    assert_non_null(strstr(err, "99-quantarion.rules"));
    close(m);
}

static void test_usb_spec(void **state)
{
    uint16_t vid, pid;
    char sn[64], err[512];
    (void)state;
    assert_int_equal(usb_parse_spec("usb:0403:6010", &vid, &pid, sn, sizeof sn, err, sizeof err), 0);
    assert_int_equal(vid, 0x0403);
    assert_int_equal(pid, 0x6010);
    assert_string_equal(sn, "");
    assert_int_equal(usb_parse_spec("usb:0403:6014:FT7ABC", &vid, &pid, sn, sizeof sn, err, sizeof err), 0);
    assert_int_equal(pid, 0x6014);
    assert_string_equal(sn, "FT7ABC");
    assert_int_equal(usb_parse_spec("usb:0403", &vid, &pid, sn, sizeof sn, err, sizeof err), -1);
    assert_int_equal(usb_parse_spec("usb:04g3:6010", &vid, &pid, sn, sizeof sn, err, sizeof err), -1);
    assert_int_equal(usb_parse_spec("usb:0403:60100", &vid, &pid, sn, sizeof sn, err, sizeof err), -1);
    assert_int_equal(usb_parse_spec("usb:0403:6010:", &vid, &pid, sn, sizeof sn, err, sizeof err), -1);
    assert_non_null(strstr(err, "usb:VID:PID"));
    assert_non_null(usb_kind_find(0x0403, 0x6010));
    assert_int_equal(usb_kind_find(0x0403, 0x6010)->uart_interface, 1);
    assert_null(usb_kind_find(0x1234, 0x5678));
}

static void test_usb_list_does_not_fail(void **state)
{
    usb_board_t b[8];
    char err[512];
    int n;
    (void)state;
    /* with or without boards attached: a count, never a crash; -1 only when USB is unusable */
    n = usb_list(b, 8, err, sizeof err);
    assert_true(n >= -1 && n <= 8);
}

static void test_percentiles(void **state)
{
    stats_t s;
    int i;
    (void)state;
    assert_int_equal(stats_init(&s, 100), 0);
    assert_true(stats_percentile(&s, 50) == 0.0);
    for (i = 100; i >= 1; i--)          /* 100 .. 1, unsorted on purpose */
        stats_add(&s, (double)i);
    stats_add(&s, 1000.0);              /* over capacity: ignored */
    assert_int_equal(s.n, 100);
    assert_true(stats_percentile(&s, 50) == 50.0);
    assert_true(stats_percentile(&s, 99) == 99.0);
    assert_true(stats_percentile(&s, 100) == 100.0);
    assert_true(stats_percentile(&s, 0) == 1.0);
    assert_true(stats_mean(&s) == 50.5);
    stats_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pty_baud_and_bytes),
        cmocka_unit_test(test_read_timeout),
        cmocka_unit_test(test_board_gone),
        cmocka_unit_test(test_no_such_device),
        cmocka_unit_test(test_not_a_tty),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_permission_message),
        cmocka_unit_test(test_usb_spec),
        cmocka_unit_test(test_usb_list_does_not_fail),
        cmocka_unit_test(test_percentiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
