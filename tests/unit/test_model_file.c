/* SPDX-License-Identifier: MIT
 * test_model_file.c : model file round trip and every corruption case of the reader
 * (docs/model-format.md): truncation at each offset, every single-bit flip, wrong magic,
 * unknown version, beyond capacity, inconsistent tables, the version-2 header fields (early
 * exit, input bits, reserved bytes); the writer's tmp + rename.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "le.h"
#include "model_file.h"
#include "rand_model.h"

static snn_model_t m, back;
static model_meta_t meta, meta_back;
static uint8_t buf[MODEL_FILE_MAX_BYTES], copy[MODEL_FILE_MAX_BYTES];
static char err[1024];

static void make_model(uint64_t seed, int n_layers, const int *sizes)
{
    rnd_t s;
    int i;
    rnd_seed(&s, seed);
    rand_model(&m, &s, n_layers, sizes, 200, 60);
    m.exit_mode = (uint8_t)(seed % 3); /* off, exact, lead in turn */
    if (m.exit_mode == SNN_EXIT_LEAD) {
        m.exit_lead = (uint8_t)(1 + seed % 255);
        m.exit_min_steps = (uint8_t)(1 + seed % m.steps);
    }
    memset(&meta, 0, sizeof meta);
    for (i = 0; i < SNN_MAX_TOTAL_NEURONS; i++) {
        meta.weight_scale[i] = 0.001f * (float)(i + 1);
        meta.threshold_float[i] = 1.5f + (float)i;
    }
    snprintf(meta.dataset, sizeof meta.dataset, "mnist");
    meta.train_seed = 1234;
    meta.int8_accuracy = 0.9731f;
}

static size_t encode(void)
{
    size_t len;
    assert_int_equal(model_encode(&m, &meta, buf, sizeof buf, &len), MODEL_OK);
    return len;
}

static void assert_same_model(void)
{
    int l, n_thr = 0;
    assert_int_equal(back.n_layers, m.n_layers);
    assert_int_equal(back.steps, m.steps);
    assert_int_equal(back.encoding, m.encoding);
    assert_int_equal(back.exit_mode, m.exit_mode);
    assert_int_equal(back.exit_lead, m.exit_lead);
    assert_int_equal(back.exit_min_steps, m.exit_min_steps);
    assert_memory_equal(back.layer, m.layer, sizeof(snn_layer_t) * m.n_layers);
    assert_memory_equal(back.weights, m.weights, sizeof m.weights);
    for (l = 0; l < m.n_layers; l++)
        n_thr += model_layer_thresholds(&m, l);
    assert_memory_equal(back.thresholds, m.thresholds, sizeof(int16_t) * (size_t)n_thr);
    assert_memory_equal(meta_back.weight_scale, meta.weight_scale, sizeof(float) * (size_t)n_thr);
    assert_memory_equal(meta_back.threshold_float, meta.threshold_float, sizeof(float) * (size_t)n_thr);
    assert_string_equal(meta_back.dataset, meta.dataset);
    assert_int_equal(meta_back.train_seed, meta.train_seed);
    assert_true(meta_back.int8_accuracy == meta.int8_accuracy);
}

static void test_round_trip_many(void **state)
{
    const int full[3] = {784, 128, 10};
    int k;
    (void)state;
    make_model(1, 2, full);
    encode();
    for (k = 0; k < 200; k++) {
        size_t len;
        make_model(100 + (uint64_t)k, 1 + k % SNN_MAX_LAYERS, NULL);
        len = encode();
        assert_int_equal(model_decode(buf, len, &back, &meta_back, err, sizeof err), MODEL_OK);
        assert_same_model();
    }
}

static void test_file_round_trip_and_atomic_write(void **state)
{
    char dir[] = "/tmp/qmodel-XXXXXX", path[256], tmp[300];
    const int full[3] = {784, 128, 10};
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sub/m.qmodel", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    make_model(2, 2, full);
    snprintf(meta.dataset, sizeof meta.dataset, "%s", "fashion-mnist-augmented"); /* 23 bytes + NUL: the field */
    assert_int_equal(strlen(meta.dataset), MODEL_DATASET_BYTES - 1);
    assert_int_equal(model_write(path, &m, &meta, err, sizeof err), MODEL_OK);
    assert_int_equal(access(tmp, F_OK), -1); /* renamed away */
    assert_int_equal(model_read(path, &back, &meta_back, err, sizeof err), MODEL_OK);
    assert_same_model();
    /* an invalid model is refused and leaves the old file alone */
    m.thresholds[0] = 0;
    assert_int_equal(model_write(path, &m, &meta, err, sizeof err), MODEL_E_CAPACITY);
    assert_int_equal(access(tmp, F_OK), -1);
    assert_int_equal(model_read(path, &back, &meta_back, err, sizeof err), MODEL_OK);
    snprintf(tmp, sizeof tmp, "%s/missing.qmodel", dir);
    assert_int_equal(model_read(tmp, &back, NULL, err, sizeof err), MODEL_E_OPEN);
    assert_non_null(strstr(err, "missing.qmodel"));
    snprintf(tmp, sizeof tmp, "rm -rf '%s'", dir);
    assert_int_equal(system(tmp), 0);
}

static void test_truncation_at_each_offset(void **state)
{
    const int sizes[3] = {40, 17, 10};
    size_t len, cut;
    (void)state;
    make_model(3, 2, sizes);
    len = encode();
    for (cut = 0; cut < len; cut++) {
        int rc = model_decode(buf, cut, &back, NULL, err, sizeof err);
        if (rc != MODEL_E_TRUNCATED)
            fail_msg("cut at %zu of %zu: got %d (%s)", cut, len, rc, err);
        assert_non_null(strstr(err, "truncated"));
    }
}

static void test_every_bit_flip(void **state)
{
    const int sizes[3] = {24, 9, 10};
    size_t len, byte;
    int bit;
    (void)state;
    make_model(4, 2, sizes);
    len = encode();
    for (byte = 0; byte < len; byte++)
        for (bit = 0; bit < 8; bit++) {
            int rc, want;
            memcpy(copy, buf, len);
            copy[byte] ^= (uint8_t)(1u << bit);
            rc = model_decode(copy, len, &back, NULL, err, sizeof err);
            /* the header's own fields are checked before the CRC; everything else by it */
            const uint32_t size = get32(copy + 8);
            want = byte < 4 ? MODEL_E_MAGIC : byte < 6 ? MODEL_E_VERSION : byte < 8 ? MODEL_E_FORMAT
                 : byte < 12 ? (size > len && size <= MODEL_FILE_MAX_BYTES ? MODEL_E_TRUNCATED : MODEL_E_FORMAT)
                 : MODEL_E_CRC;
            if (rc != want)
                fail_msg("flip byte %zu bit %d: got %d, want %d (%s)", byte, bit, rc, want, err);
        }
}

/* Rewrites the CRC after a deliberate edit, so the structural checks are reached. */
static void fix_crc(uint8_t *b, size_t len)
{
    uint32_t c = (uint32_t)crc32(0L, b, (uInt)(len - 4));
    put32(b + len - 4, c);
}

static void expect(const uint8_t *b, size_t len, int want, const char *needle)
{
    int rc = model_decode(b, len, &back, NULL, err, sizeof err);
    if (rc != want || !strstr(err, needle))
        fail_msg("want %d '%s', got %d '%s'", want, needle, rc, err);
}

static void test_header_errors(void **state)
{
    const int sizes[3] = {16, 8, 4};
    size_t len;
    (void)state;
    make_model(5, 2, sizes);
    m.layer[0].threshold_mode = SNN_THRESHOLD_SHARED;
    m.layer[1].threshold_mode = SNN_THRESHOLD_SHARED;
    model_layout(&m, 2, sizes);
    m.thresholds[0] = m.thresholds[1] = 10;
    len = encode();
    memcpy(copy, buf, len);
    memcpy(copy, "PK\x03\x04", 4);
    expect(copy, len, MODEL_E_MAGIC, "not a Quantarion model");
    expect((const uint8_t *)"QS", 2, MODEL_E_TRUNCATED, "truncated");
    expect((const uint8_t *)"XY", 2, MODEL_E_MAGIC, "not a Quantarion model");
    memcpy(copy, buf, len);
    copy[4] = 1; /* version 1 files (32-byte dataset name, no early exit) are not read */
    expect(copy, len, MODEL_E_VERSION, "version 1, this build reads version 2");
    copy[4] = 3;
    expect(copy, len, MODEL_E_VERSION, "version 3");
    memcpy(copy, buf, len + 1);
    copy[len] = 0;
    expect(copy, len + 1, MODEL_E_FORMAT, "after the end");
    /* beyond capacity, with a valid CRC */
    memcpy(copy, buf, len);
    copy[12] = SNN_MAX_LAYERS + 1;
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_CAPACITY, "layers");
    memcpy(copy, buf, len);
    put16(copy + 64 + 2, SNN_MAX_NEURONS + 1); /* layer 0: n_out = 513 */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_CAPACITY, "neurons per layer");
    memcpy(copy, buf, len);
    copy[13] = 0; /* T = 0 */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_CAPACITY, "timesteps");
    /* inconsistent tables, with a valid CRC */
    memcpy(copy, buf, len);
    copy[64 + 16] = 9; /* layer 1 takes 9 inputs after 8 neurons */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "inputs");
    memcpy(copy, buf, len);
    copy[64 + 5] = 7; /* unknown reset mode */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "reset");
    memcpy(copy, buf, len);
    copy[64 + 2 * 16] = 0x80; /* weight (0, 0) = -128 */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "-128");
    /* the version-2 fields: early exit 48..50, input bits 51, reserved 52..55 */
    assert_int_equal(buf[48], m.exit_mode);
    assert_int_equal(buf[51], 8);
    memcpy(copy, buf, len);
    copy[48] = 3; /* unknown exit mode */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "early exit");
    memcpy(copy, buf, len);
    copy[48] = SNN_EXIT_LEAD, copy[49] = 2, copy[50] = (uint8_t)(m.steps + 1); /* M > T */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "early exit");
    memcpy(copy, buf, len);
    copy[48] = SNN_EXIT_EXACT, copy[49] = 2, copy[50] = 0; /* K outside lead mode */
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "early exit");
    memcpy(copy, buf, len);
    copy[51] = 5;
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "input pixel bits 5");
    /* 4-bit inputs are read back as such */
    {
        static snn_model_t q;
        static model_meta_t qm;
        char err[256];
        memcpy(copy, buf, len);
        copy[51] = SNN_INPUT_BITS_Q4;
        fix_crc(copy, len);
        assert_int_equal(model_decode(copy, len, &q, &qm, err, sizeof err), MODEL_OK);
        assert_int_equal(q.input_bits, SNN_INPUT_BITS_Q4);
    }
    memcpy(copy, buf, len);
    copy[54] = 1;
    fix_crc(copy, len);
    expect(copy, len, MODEL_E_FORMAT, "reserved header bytes 52..55");
}

static void test_capacity_sized_model(void **state)
{
    /* the largest weight memory use: 1024 inputs x 128 neurons = 131072 bytes exactly */
    const int sizes[2] = {1024, 128};
    size_t len;
    (void)state;
    make_model(6, 1, sizes);
    len = encode();
    assert_true(len <= MODEL_FILE_MAX_BYTES);
    assert_int_equal(model_decode(buf, len, &back, &meta_back, err, sizeof err), MODEL_OK);
    assert_same_model();
    assert_int_equal(model_encode(&m, &meta, NULL, 0, &len), MODEL_E_BUFFER);
    assert_true(len > 131072);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_many),
        cmocka_unit_test(test_file_round_trip_and_atomic_write),
        cmocka_unit_test(test_truncation_at_each_offset),
        cmocka_unit_test(test_every_bit_flip),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_capacity_sized_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
