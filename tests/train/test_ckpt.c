/* SPDX-License-Identifier: MIT
 * test_ckpt.c : a checkpoint is trusted only when its CRC and every field hold (issue 14,
 * defect 3).  A tiny run on a synthetic dataset writes a real QAT-phase checkpoint; then every
 * flipped bit, a cut file, and fields out of range under a valid CRC (phase, epochs done,
 * history length, accuracy, quantizer calibration count) must be refused, and the intact file
 * must load.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <cmocka.h>

#include "le.h"
#include "tiny_idx.h"
#include "tr_run.h"

static char dir[] = "/tmp/qckpt-XXXXXX";
static char ckpt[600], data[600];
static uint8_t *good;
static size_t good_len;

static int open_run(run_t *r, int resume)
{
    char *argv[] = {"train", "--data", data, "--layers", "16,8,10", "--steps", "4", "--epochs", "2",
                    "--qat-epochs", "2", "--batch", "16", "--threads", "1", "--calib-batches", "2",
                    "--checkpoint", ckpt, "--quiet", resume ? "--resume" : NULL, NULL};
    opts_t o;
    int argc = resume ? 20 : 19;
    assert_int_equal(opts_parse(&o, argc, argv), 0);
    return run_open(r, &o);
}

static void put_ckpt(const uint8_t *b, size_t len)
{
    FILE *f = fopen(ckpt, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    fclose(f);
}

/* ckpt_load's answer for the file b */
static int load(const uint8_t *b, size_t len)
{
    run_t *r = calloc(1, sizeof *r);
    int rc;
    assert_non_null(r);
    put_ckpt(b, len);
    assert_int_equal(open_run(r, 1), 0);
    rc = ckpt_load(r, ckpt);
    run_close(r);
    free(r);
    return rc;
}

/* A copy of the good file with `len` bytes at `off` replaced and the CRC made valid again. */
static int load_patched(size_t off, const void *v, size_t len)
{
    uint8_t *b = malloc(good_len);
    uint32_t crc;
    int rc;
    assert_non_null(b);
    memcpy(b, good, good_len);
    memcpy(b + off, v, len);
    crc = (uint32_t)crc32(0L, b, (uInt)(good_len - 4));
    memcpy(b + good_len - 4, &crc, 4);
    rc = load(b, good_len);
    free(b);
    return rc;
}

static void test_intact_loads(void **state)
{
    (void)state;
    assert_int_equal(load(good, good_len), 0);
}

static void test_every_region_bit_flip(void **state)
{
    const size_t pos[] = {12, 20, 29, 40, good_len / 3, good_len / 2, good_len - 100, good_len - 5, good_len - 1};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof pos / sizeof pos[0]; k++) {
        uint8_t *b = malloc(good_len);
        assert_non_null(b);
        memcpy(b, good, good_len);
        b[pos[k]] ^= 0x10;
        if (load(b, good_len) == 0)
            fail_msg("a bit flipped at byte %zu of %zu was accepted", pos[k], good_len);
        free(b);
    }
}

static void test_cut(void **state)
{
    (void)state;
    assert_int_equal(load(good, good_len - 10), -1);
    assert_int_equal(load(good, 16), -1);
}

/* The layout's fixed head: magic 8, version 4, fingerprint 8, n 8, phase, epochs done,
 * FP32 accuracy, history length; the quantizer state ends the file, before the CRC. */
enum { OFF_PHASE = 28, OFF_EPOCHS = 32, OFF_ACC = 36, OFF_NHIST = 40 };

static void test_fields_under_valid_crc(void **state)
{
    const size_t q = good_len - 4 - sizeof(quant_t);
    const int32_t phase = 7, minus3 = -3, big = 999, minus5 = -5, minus1 = -1;
    const float nan = NAN, five = 5.0f;
    (void)state;
    assert_int_equal(load_patched(OFF_PHASE, &phase, 4), -1);
    assert_int_equal(load_patched(OFF_EPOCHS, &minus3, 4), -1);
    assert_int_equal(load_patched(OFF_EPOCHS, &big, 4), -1);
    assert_int_equal(load_patched(OFF_ACC, &nan, 4), -1);
    assert_int_equal(load_patched(OFF_ACC, &five, 4), -1);
    assert_int_equal(load_patched(OFF_NHIST, &minus1, 4), -1);
    assert_int_equal(load_patched(q + offsetof(quant_t, batches), &minus5, 4), -1);
    assert_int_equal(load_patched(q + offsetof(quant_t, calib_batches), &minus1, 4), -1);
    assert_int_equal(load_patched(q + offsetof(quant_t, frozen), &big, 4), -1);
    assert_int_equal(load_patched(q + offsetof(quant_t, scale), &nan, 4), -1);
}

static int setup(void **state)
{
    run_t *r;
    FILE *f;
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(ckpt, sizeof ckpt, "%s/run.ckpt", dir);
    if (mkdir(data, 0755) != 0)
        return -1;
    assert_int_equal(tiny_idx_write(data, "train", 64), 0);
    assert_int_equal(tiny_idx_write(data, "t10k", 20), 0);
    /* FP32 2 epochs, then 2 QAT epochs: the last checkpoint is a QAT-phase one */
    r = calloc(1, sizeof *r);
    if (!r || open_run(r, 0) || run_start(r) || run_fp32(r))
        return -1;
    if (run_qat(r, 1))
        return -1;
    run_close(r);
    free(r);
    f = fopen(ckpt, "rb");
    if (!f)
        return -1;
    good = malloc(1 << 24);
    good_len = fread(good, 1, 1 << 24, f);
    fclose(f);
    return good_len > 100 ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[700];
    (void)state;
    free(good);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact_loads),
        cmocka_unit_test(test_every_region_bit_flip),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_fields_under_valid_crc),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
