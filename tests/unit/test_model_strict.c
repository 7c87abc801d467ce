/* SPDX-License-Identifier: MIT
 * test_model_strict.c : the model reader holds the bytes the accelerator never reads to the
 * format too (issue 14, defect 10).  Each case patches one field of a valid file and makes the
 * CRC valid again, so only the semantic check can catch it: reserved bytes, a dataset name
 * with a terminal escape or no NUL, an accuracy of 5.0, inf or NaN, a NaN scale.  The writer
 * turns unprintable name bytes into '?' so that what it writes reads back.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "le.h"
#include "model_file.h"
#include "rand_model.h"

static snn_model_t m, back;
static model_meta_t meta, meta_back;
static uint8_t buf[MODEL_FILE_MAX_BYTES], copy[MODEL_FILE_MAX_BYTES];
static size_t len;
static char err[1024];

static int setup(void **state)
{
    const int sizes[] = {50, 20, 10};
    rnd_t s = {14};
    (void)state;
    rand_model(&m, &s, 2, sizes, 200, 60);
    memset(&meta, 0, sizeof meta);
    snprintf(meta.dataset, sizeof meta.dataset, "mnist");
    meta.int8_accuracy = 0.5f;
    meta.weight_scale[0] = 0.01f;
    return model_encode(&m, &meta, buf, sizeof buf, &len) == MODEL_OK ? 0 : -1;
}

static void fix_crc(uint8_t *b)
{
    const uint32_t crc = (uint32_t)crc32(0L, b, (uInt)(len - 4));
    put32(b + len - 4, crc);
}

/* buf with n bytes at off replaced: MODEL_E_FORMAT with needle in the message */
static void expect_format(size_t off, const void *v, size_t n, const char *needle)
{
    memcpy(copy, buf, len);
    memcpy(copy + off, v, n);
    fix_crc(copy);
    err[0] = 0;
    assert_int_equal(model_decode(copy, len, &back, &meta_back, err, sizeof err), MODEL_E_FORMAT);
    if (!strstr(err, needle))
        fail_msg("offset %zu: expected \"%s\" in: %s", off, needle, err);
}

static void test_valid_reads(void **state)
{
    (void)state;
    assert_int_equal(model_decode(buf, len, &back, &meta_back, err, sizeof err), MODEL_OK);
    assert_string_equal(meta_back.dataset, "mnist");
}

static void test_reserved_bytes(void **state)
{
    const uint8_t one = 1;
    (void)state;
    expect_format(15, &one, 1, "reserved header byte 15");
    expect_format(22, &one, 1, "reserved header byte 22");
    expect_format(23, &one, 1, "reserved header byte 23");
    expect_format(64 + 16 + 7, &one, 1, "layer 1: reserved byte 7");
}

static void test_dataset_name(void **state)
{
    const uint8_t esc[] = "\x1b]0;owned\x07", after_nul[] = {'a', 0, 'b'}, full[24] = {"01234567890123456789012!"};
    (void)state;
    expect_format(24, esc, sizeof esc - 1, "dataset name holds byte 0x1b");
    expect_format(24, after_nul, sizeof after_nul, "dataset name holds byte 0x62");
    expect_format(24, full, sizeof full, "dataset name holds byte 0x21 at 23");
}

static void test_accuracy_and_scales(void **state)
{
    const float five = 5.0f, inf = INFINITY, nan = NAN, neg = -0.5f;
    const size_t n_thr = (size_t)model_layer_thresholds(&m, 0) + (size_t)model_layer_thresholds(&m, 1);
    const size_t scales = len - 4 - 8 * n_thr; /* N scales, then N float thresholds */
    (void)state;
    expect_format(60, &five, 4, "accuracy 5");
    expect_format(60, &inf, 4, "accuracy inf");
    expect_format(60, &nan, 4, "accuracy nan");
    expect_format(60, &neg, 4, "accuracy -0.5");
    expect_format(scales, &nan, 4, "weight scale 0 is nan");
    expect_format(scales + 4 * n_thr, &inf, 4, "float threshold 0 is inf");
}

static void test_writer_sanitizes_the_name(void **state)
{
    static uint8_t out[MODEL_FILE_MAX_BYTES];
    size_t n;
    (void)state;
    snprintf(meta.dataset, sizeof meta.dataset, "\x1b[2Jdata\xc3\xa9");
    assert_int_equal(model_encode(&m, &meta, out, sizeof out, &n), MODEL_OK);
    assert_int_equal(model_decode(out, n, &back, &meta_back, err, sizeof err), MODEL_OK);
    assert_string_equal(meta_back.dataset, "?[2Jdata??");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_reads),
        cmocka_unit_test(test_reserved_bytes),
        cmocka_unit_test(test_dataset_name),
        cmocka_unit_test(test_accuracy_and_scales),
        cmocka_unit_test(test_writer_sanitizes_the_name),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
