/* SPDX-License-Identifier: MIT
 * test_idx_hostile.c : the idx reader against the files of issue 14 (defects 5 and 12): a .gz
 * cut before its trailer, garbage after the gzip data, a folder in place of a file, a header
 * promising gigabytes; and what must still work (concatenated gzip members).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "dataset.h"
#include "le.h"

static char dir[] = "/tmp/qidxh-XXXXXX";
static char err[2048];
static uint8_t raw[16 + 64 * 28 * 28];

static const char *at(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* 64 images of 28x28, pixel k = k * 13 % 256 */
static size_t make_raw(void)
{
    size_t k;
    put_be32(raw, 0x803);
    put_be32(raw + 4, 64);
    put_be32(raw + 8, 28);
    put_be32(raw + 12, 28);
    for (k = 16; k < sizeof raw; k++)
        raw[k] = (uint8_t)(k * 13);
    return sizeof raw;
}

static void put(const char *name, const uint8_t *b, size_t len)
{
    FILE *f = fopen(at(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The gzip form of b into out (a whole member: header, deflate data, CRC-32 and length). */
static size_t gz_member(const uint8_t *b, size_t len, uint8_t *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (uint8_t *)b;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    deflateEnd(&z);
    return z.total_out;
}

static void expect_error(const char *name, const char *needle)
{
    dataset_split_t s;
    memset(&s, 0, sizeof s);
    err[0] = 0;
    assert_int_equal(idx_read_images(at(name), &s, err, sizeof err), -1);
    if (!strstr(err, needle))
        fail_msg("%s: expected \"%s\" in: %s", name, needle, err);
    assert_null(s.images);
}

static void expect_ok(const char *name)
{
    dataset_split_t s;
    memset(&s, 0, sizeof s);
    if (idx_read_images(at(name), &s, err, sizeof err) != 0)
        fail_msg("%s: %s", name, err);
    assert_int_equal(s.n, 64);
    assert_memory_equal(s.images, raw + 16, sizeof raw - 16);
    free(s.images);
}

/* defect 5: the trailer holds the CRC; without it a corrupted pixel would go through */
static void test_gz_without_trailer(void **state)
{
    static uint8_t gz[sizeof raw + 1024];
    size_t len = make_raw(), n = gz_member(raw, len, gz, sizeof gz);
    (void)state;
    put("whole.gz", gz, n);
    expect_ok("whole.gz");
    put("no-trailer.gz", gz, n - 8);
    expect_error("no-trailer.gz", "trailer with the CRC is missing");
    put("half-trailer.gz", gz, n - 3);
    expect_error("half-trailer.gz", "trailer with the CRC is missing");
    gz[n - 8] ^= 1; /* the stored CRC no longer matches */
    put("bad-crc.gz", gz, n);
    expect_error("bad-crc.gz", "gzip data is corrupt");
}

/* defect 5: garbage after the last member is an error; a second member is gzip and is read */
static void test_gz_trailing(void **state)
{
    static uint8_t gz[2 * sizeof raw + 2048];
    size_t len = make_raw(), half = 16 + 32 * 28 * 28;
    size_t n = gz_member(raw, len, gz, sizeof gz);
    (void)state;
    memcpy(gz + n, "\n\0junk", 6);
    put("garbage.gz", gz, n + 6);
    expect_error("garbage.gz", "garbage after the gzip data");
    put("one-byte.gz", gz, n + 1);
    expect_error("one-byte.gz", "garbage after the gzip data");
    n = gz_member(raw, half, gz, sizeof gz);
    n += gz_member(raw + half, len - half, gz + n, sizeof gz - n);
    put("two-members.gz", gz, n);
    expect_ok("two-members.gz");
}

/* defect 12: a folder gets a message about a folder, not about a corrupt .gz */
static void test_folder(void **state)
{
    (void)state;
    assert_int_equal(mkdir(at("t10k-images-idx3-ubyte"), 0755), 0);
    expect_error("t10k-images-idx3-ubyte", "is a folder");
}

/* defect 12: a 16-byte header promising 10^7 images of 256x256 (655 GB) reserves nothing the
 * file does not hold: a clear "truncated", not an allocation of the declared size */
static void test_huge_header(void **state)
{
    uint8_t h[16 + 100];
    static uint8_t gz[1024];
    size_t n;
    (void)state;
    put_be32(h, 0x803);
    put_be32(h + 4, 10000000);
    put_be32(h + 8, 256);
    put_be32(h + 12, 256);
    memset(h + 16, 7, 100);
    put("huge", h, sizeof h);
    expect_error("huge", "truncated");
    n = gz_member(h, sizeof h, gz, sizeof gz);
    put("huge.gz", gz, n);
    expect_error("huge.gz", "truncated");
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gz_without_trailer),
        cmocka_unit_test(test_gz_trailing),
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_huge_header),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
