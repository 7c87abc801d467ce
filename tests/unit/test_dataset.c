/* SPDX-License-Identifier: MIT
 * test_dataset.c : the idx reader (plain and gzip) and dataset_load on files written here:
 * good files, bad magic, truncation, dimension mismatches, trailing bytes, corrupt gzip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include "dataset.h"
#include "le.h"

static char dir[] = "/tmp/qidx-XXXXXX";
static char err[2048];

/* An idx file: images (n, rows, cols) or labels (n); pixel/label k = (k * 7 + seed) % mod. */
static size_t idx_bytes(uint8_t *b, int images, uint32_t n, uint32_t rows, uint32_t cols, int mod)
{
    size_t head = images ? 16 : 8, body = images ? (size_t)n * rows * cols : n, k;
    put_be32(b, images ? 0x803 : 0x801);
    put_be32(b + 4, n);
    if (images) {
        put_be32(b + 8, rows);
        put_be32(b + 12, cols);
    }
    for (k = 0; k < body; k++)
        b[head + k] = (uint8_t)((k * 7 + 3) % (size_t)mod);
    return head + body;
}

static void put_file(const char *name, const uint8_t *b, size_t len, int gz)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (gz) {
        gzFile g = gzopen(path, "wb");
        assert_non_null(g);
        assert_int_equal(gzwrite(g, b, (unsigned)len), (int)len);
        assert_int_equal(gzclose(g), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(b, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
}

static const char *p(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static uint8_t b[1 << 16];

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
    return system(cmd);
}

static void expect_images_error(const char *name, const char *needle)
{
    dataset_split_t s = {0};
    assert_int_equal(idx_read_images(p(name), &s, err, sizeof err), -1);
    if (!strstr(err, needle) || !strstr(err, name))
        fail_msg("%s: want '%s' in '%s'", name, needle, err);
    assert_null(s.images);
}

static void test_good_plain_and_gz(void **state)
{
    dataset_split_t s = {0}, z = {0};
    size_t len = idx_bytes(b, 1, 5, 4, 3, 256);
    (void)state;
    put_file("img", b, len, 0);
    put_file("img.gz", b, len, 1);
    assert_int_equal(idx_read_images(p("img"), &s, err, sizeof err), 0);
    assert_int_equal(idx_read_images(p("img.gz"), &z, err, sizeof err), 0);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.rows, 4);
    assert_int_equal(s.cols, 3);
    assert_memory_equal(s.images, b + 16, 60);
    assert_memory_equal(z.images, b + 16, 60);
    len = idx_bytes(b, 0, 5, 0, 0, 10);
    put_file("lab", b, len, 0);
    assert_int_equal(idx_read_labels(p("lab"), &s, err, sizeof err), 0);
    assert_memory_equal(s.labels, b + 8, 5);
    free(s.images); free(s.labels); free(z.images);
}

static void test_bad_magic(void **state)
{
    size_t len = idx_bytes(b, 1, 2, 2, 2, 256);
    (void)state;
    b[3] = 0x01; /* a labels magic where images are expected */
    put_file("magic", b, len, 0);
    expect_images_error("magic", "bad idx magic 0x00000801, expected 0x00000803");
    {
        dataset_split_t s = {0};
        len = idx_bytes(b, 1, 2, 2, 2, 256);
        put_file("img-as-labels", b, len, 0);
        assert_int_equal(idx_read_labels(p("img-as-labels"), &s, err, sizeof err), -1);
        assert_non_null(strstr(err, "bad idx magic"));
    }
}

static void test_truncated(void **state)
{
    size_t len = idx_bytes(b, 1, 3, 4, 4, 256), cut;
    (void)state;
    for (cut = 0; cut < len; cut += 5) {
        put_file("trunc", b, cut, 0);
        expect_images_error("trunc", cut < 16 ? "idx header" : "truncated");
        put_file("trunc.gz", b, cut, 1);
        expect_images_error("trunc.gz", cut < 16 ? "idx header" : "truncated");
    }
}

static void test_dims_mismatch(void **state)
{
    dataset_split_t s = {0};
    size_t len = idx_bytes(b, 1, 3, 4, 4, 256);
    (void)state;
    put_file("long", b, len + 1, 0);             /* one byte more than 3x4x4 */
    expect_images_error("long", "longer than its header says");
    put_be32(b + 4, 0);
    put_file("zero", b, len, 0);
    expect_images_error("zero", "item count 0");
    len = idx_bytes(b, 1, 1, 0, 4, 256);
    put_file("norows", b, len, 0);
    expect_images_error("norows", "image size 0x4");
    /* labels that do not match the images */
    len = idx_bytes(b, 1, 3, 2, 2, 256);
    put_file("i3", b, len, 0);
    len = idx_bytes(b, 0, 4, 0, 0, 10);
    put_file("l4", b, len, 0);
    assert_int_equal(idx_read_images(p("i3"), &s, err, sizeof err), 0);
    assert_int_equal(idx_read_labels(p("l4"), &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "4 labels but 3 images"));
    free(s.images);
    free(s.labels);
}

static void test_corrupt_gz(void **state)
{
    char path[512];
    FILE *f;
    uint8_t gz[4096];
    size_t n, len = idx_bytes(b, 1, 8, 8, 8, 251);
    (void)state;
    put_file("bad.gz", b, len, 1);
    snprintf(path, sizeof path, "%s/bad.gz", dir);
    f = fopen(path, "rb");
    n = fread(gz, 1, sizeof gz, f);
    fclose(f);
    assert_true(n > 40);
    memset(gz + 20, 0xA5, 12); /* garbage inside the deflate stream */
    put_file("bad.gz", gz, n, 0);
    expect_images_error("bad.gz", "gzip data is corrupt");
}

static void test_dataset_load_folder(void **state)
{
    dataset_t d;
    char sub[600], cmd[700];
    size_t len;
    (void)state;
    snprintf(sub, sizeof sub, "%s/set", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", sub);
    assert_int_equal(system(cmd), 0);
    len = idx_bytes(b, 1, 6, 5, 5, 256);
    put_file("set/train-images-idx3-ubyte.gz", b, len, 1);
    len = idx_bytes(b, 0, 6, 0, 0, 12);
    put_file("set/train-labels-idx1-ubyte", b, len, 0);
    len = idx_bytes(b, 1, 2, 5, 5, 256);
    put_file("set/t10k-images-idx3-ubyte", b, len, 0);
    assert_int_equal(dataset_load(sub, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "t10k-labels-idx1-ubyte"));
    len = idx_bytes(b, 0, 2, 0, 0, 10);
    put_file("set/t10k-labels-idx1-ubyte.gz", b, len, 1);
    assert_int_equal(dataset_load(sub, &d, err, sizeof err), 0);
    assert_int_equal(d.train.n, 6);
    assert_int_equal(d.test.n, 2);
    assert_int_equal(d.n_classes, 11); /* labels (k * 7 + 3) % 12: 3, 10, 5, 0, 7, 2 */
    /* --holdout: the last training images become the evaluation split, out of training */
    assert_int_equal(dataset_hold_out(&d, 6, err, sizeof err), -1);
    assert_non_null(strstr(err, "needs 1 .. 5"));
    assert_int_equal(dataset_hold_out(&d, 0, err, sizeof err), -1);
    assert_int_equal(d.test.n, 2);
    assert_int_equal(dataset_hold_out(&d, 2, err, sizeof err), 0);
    assert_int_equal(d.train.n, 4);
    assert_int_equal(d.test.n, 2);
    assert_int_equal(d.test.rows * d.test.cols, 25);
    assert_int_equal(d.test.labels[0], 7);    /* training labels 4 and 5 */
    assert_int_equal(d.test.labels[1], 2);
    assert_int_equal(d.test.images[0], (4 * 25 * 7 + 3) % 256); /* training image 4's first pixel */
    assert_int_equal(d.test.images[49], (149 * 7 + 3) % 256);
    dataset_free(&d);
    /* test images of another size than the train images */
    len = idx_bytes(b, 1, 2, 4, 5, 256);
    put_file("set/t10k-images-idx3-ubyte", b, len, 0);
    assert_int_equal(dataset_load(sub, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "5x5 but test images 4x5"));
    assert_int_equal(dataset_load("/nonexistent/folder", &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "no such dataset"));
}

/* The bundled datasets (make data, make deps); run from the repository root. */
static void test_named_datasets(void **state)
{
    dataset_t d;
    int i;
    (void)state;
    if (dataset_load("mnist", &d, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(d.train.n, 7996);
    assert_int_equal(d.test.n, 2004);
    assert_int_equal(d.test.rows * d.test.cols, 784);
    assert_int_equal(d.n_classes, 10);
    for (i = 0; i < 20; i++) /* round robin over classes (docs/datasets.md) */
        assert_int_equal(d.test.labels[i], i % 10);
    dataset_free(&d);
    if (dataset_load("fashion", &d, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(d.train.n, 60000);
    assert_int_equal(d.test.n, 10000);
    assert_int_equal(d.n_classes, 10);
    dataset_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_plain_and_gz),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_dims_mismatch),
        cmocka_unit_test(test_corrupt_gz),
        cmocka_unit_test(test_dataset_load_folder),
        cmocka_unit_test(test_named_datasets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
