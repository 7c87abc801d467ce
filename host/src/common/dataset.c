/* SPDX-License-Identifier: MIT
 * dataset.c : idx files (gzipped or not, through zlib) and the named datasets (dataset.h;
 * the format and every check: docs/datasets.md).
 */
#include "dataset.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "qio.h"

#define IDX_MAGIC_IMAGES 0x00000803u /* unsigned byte, 3 dimensions */
#define IDX_MAGIC_LABELS 0x00000801u /* unsigned byte, 1 dimension */
#define IDX_MAX_ITEMS    10000000    /* sanity bound on the item count */
#define IDX_MAX_PIXELS   65536       /* sanity bound on rows * cols */

#define DATASET_MNIST_DIR   "build/data/mnist"
#define DATASET_FASHION_DIR "/usr/share/datasets/fashion-mnist"

/* Reads exactly n bytes; 0, or -1 with a message saying how far it got. */
static int idx_gzread(gzFile g, const char *path, void *buf, size_t n, const char *what,
                      char *err, size_t err_len)
{
    uint8_t *p = buf;
    size_t done = 0;
    while (done < n) {
        unsigned chunk = n - done > (1u << 30) ? (1u << 30) : (unsigned)(n - done);
        int got = gzread(g, p + done, chunk);
        if (got < 0) {
            int zerr;
            const char *msg = gzerror(g, &zerr);
            snprintf(err, err_len, "%s: gzread failed while reading the %s: %s (the .gz file is corrupt; "
                     "download or regenerate it)", path, what, zerr == Z_ERRNO ? strerror(errno) : msg);
            return -1;
        }
        if (got == 0) {
            int zerr;
            const char *msg = gzerror(g, &zerr);
            if (zerr != Z_OK && zerr != Z_BUF_ERROR) {
                snprintf(err, err_len, "%s: gzread failed while reading the %s: %s", path, what, msg);
                return -1;
            }
            snprintf(err, err_len, "%s: truncated: the %s needs %zu bytes, the file ends after %zu "
                     "(download or regenerate it)", path, what, n, done);
            return -1;
        }
        done += (size_t)got;
    }
    return 0;
}

static uint32_t idx_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Opens path, checks the magic and reads the dims (dims[0..n_dims-1]) and the payload of
 * prod(dims) bytes into a malloc'ed *data; rejects trailing bytes. */
static int idx_read(const char *path, uint32_t magic, int n_dims, uint32_t *dims, uint8_t **data,
                    char *err, size_t err_len)
{
    uint8_t head[16];
    uint8_t extra;
    uint64_t bytes = 1;
    uint32_t got_magic;
    gzFile g;
    int i, got;

    *data = NULL;
    if (access(path, R_OK) != 0) {
        qio_error(err, err_len, path, "open", errno);
        return -1;
    }
    g = gzopen(path, "rb");
    if (!g) {
        qio_error(err, err_len, path, "gzopen", errno ? errno : ENOMEM);
        return -1;
    }
    if (idx_gzread(g, path, head, 4 + 4 * (size_t)n_dims, "idx header", err, err_len) != 0)
        goto fail;
    got_magic = idx_be32(head);
    if (got_magic != magic) {
        snprintf(err, err_len, "%s: bad idx magic 0x%08x, expected 0x%08x (%s); is this the right file?",
                 path, got_magic, magic, magic == IDX_MAGIC_IMAGES ? "unsigned byte images, 3 dims"
                                                                   : "unsigned byte labels, 1 dim");
        goto fail;
    }
    for (i = 0; i < n_dims; i++) {
        dims[i] = idx_be32(head + 4 + 4 * i);
        bytes *= dims[i];
    }
    if (dims[0] == 0 || dims[0] > IDX_MAX_ITEMS) {
        snprintf(err, err_len, "%s: item count %u outside 1..%d", path, dims[0], IDX_MAX_ITEMS);
        goto fail;
    }
    if (n_dims == 3 && (dims[1] == 0 || dims[2] == 0 || (uint64_t)dims[1] * dims[2] > IDX_MAX_PIXELS)) {
        snprintf(err, err_len, "%s: image size %ux%u outside 1..%d pixels", path, dims[1], dims[2],
                 IDX_MAX_PIXELS);
        goto fail;
    }
    *data = malloc((size_t)bytes);
    if (!*data) {
        snprintf(err, err_len, "%s: out of memory for %llu bytes", path, (unsigned long long)bytes);
        goto fail;
    }
    if (idx_gzread(g, path, *data, (size_t)bytes, n_dims == 3 ? "images" : "labels", err, err_len) != 0)
        goto fail;
    got = gzread(g, &extra, 1);
    if (got != 0) {
        int zerr;
        const char *msg = gzerror(g, &zerr);
        if (got < 0)
            snprintf(err, err_len, "%s: gzread failed after the data: %s (the .gz file is corrupt)", path, msg);
        else
            snprintf(err, err_len, "%s: longer than its header says (%llu data bytes expected); "
                     "dimensions do not match the contents", path, (unsigned long long)bytes);
        goto fail;
    }
    gzclose(g);
    return 0;
fail:
    free(*data);
    *data = NULL;
    gzclose(g);
    return -1;
}

int idx_read_images(const char *path, dataset_split_t *s, char *err, size_t err_len)
{
    uint32_t dims[3];
    uint8_t *data;
    if (idx_read(path, IDX_MAGIC_IMAGES, 3, dims, &data, err, err_len) != 0)
        return -1;
    if (s->labels && (uint32_t)s->n != dims[0]) {
        snprintf(err, err_len, "%s: %u images but %d labels", path, dims[0], s->n);
        free(data);
        return -1;
    }
    free(s->images);
    s->images = data;
    s->n = (int)dims[0];
    s->rows = (int)dims[1];
    s->cols = (int)dims[2];
    return 0;
}

int idx_read_labels(const char *path, dataset_split_t *s, char *err, size_t err_len)
{
    uint32_t n;
    uint8_t *data;
    if (idx_read(path, IDX_MAGIC_LABELS, 1, &n, &data, err, err_len) != 0)
        return -1;
    if (s->images && (uint32_t)s->n != n) {
        snprintf(err, err_len, "%s: %u labels but %d images", path, n, s->n);
        free(data);
        return -1;
    }
    free(s->labels);
    s->labels = data;
    s->n = (int)n;
    return 0;
}

/* dir/base, or dir/base.gz when only that exists; "" when neither does. */
static void dataset_pick(const char *dir, const char *base, char *out, size_t out_len)
{
    snprintf(out, out_len, "%s/%s", dir, base);
    if (access(out, F_OK) == 0)
        return;
    snprintf(out, out_len, "%s/%s.gz", dir, base);
    if (access(out, F_OK) == 0)
        return;
    out[0] = 0;
}

static int dataset_load_split(const char *dir, const char *prefix, dataset_split_t *s,
                              char *err, size_t err_len)
{
    char path[4200], base[64];
    snprintf(base, sizeof base, "%s-images-idx3-ubyte", prefix);
    dataset_pick(dir, base, path, sizeof path);
    if (!path[0]) {
        snprintf(err, err_len, "%s: neither %s nor %s.gz found", dir, base, base);
        return -1;
    }
    if (idx_read_images(path, s, err, err_len) != 0)
        return -1;
    snprintf(base, sizeof base, "%s-labels-idx1-ubyte", prefix);
    dataset_pick(dir, base, path, sizeof path);
    if (!path[0]) {
        snprintf(err, err_len, "%s: neither %s nor %s.gz found", dir, base, base);
        return -1;
    }
    return idx_read_labels(path, s, err, err_len);
}

/* build/data/mnist relative to the current folder, else relative to the repository the
 * running program was built in (host/eval -> ../build/data/mnist). */
static void dataset_mnist_dir(char *out, size_t out_len)
{
    char exe[3000];
    ssize_t n;
    snprintf(out, out_len, "%s", DATASET_MNIST_DIR);
    if (access(out, F_OK) == 0)
        return;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        int up;
        exe[n] = 0;
        for (up = 0; up < 2; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                return;
            *slash = 0;
        }
        char cand[3100];
        snprintf(cand, sizeof cand, "%s/%s", exe, DATASET_MNIST_DIR);
        if (access(cand, F_OK) == 0)
            snprintf(out, out_len, "%s", cand);
    }
}

int dataset_load(const char *spec, dataset_t *d, char *err, size_t err_len)
{
    char dir[4096];
    int i, max_label = -1, named = 0;
    memset(d, 0, sizeof *d);
    if (!spec || !spec[0]) {
        snprintf(err, err_len, "no dataset given (use mnist, fashion or a folder of idx files)");
        return -1;
    }
    if (strcmp(spec, "mnist") == 0) {
        dataset_mnist_dir(dir, sizeof dir);
        named = 1;
        if (access(dir, F_OK) != 0) {
            snprintf(err, err_len, "mnist: %s not found (run `make data` in the repository first)", dir);
            return -1;
        }
    } else if (strcmp(spec, "fashion") == 0) {
        snprintf(dir, sizeof dir, "%s", DATASET_FASHION_DIR);
        named = 1;
        if (access(dir, F_OK) != 0) {
            snprintf(err, err_len, "fashion: %s not found (run `make deps`: Debian package "
                     "dataset-fashion-mnist)", dir);
            return -1;
        }
    } else {
        snprintf(dir, sizeof dir, "%s", spec);
        if (access(dir, F_OK) != 0) {
            snprintf(err, err_len, "%s: no such dataset (use mnist, fashion or a folder of idx files)", spec);
            return -1;
        }
    }
    snprintf(d->name, sizeof d->name, "%s", spec);
    if (dataset_load_split(dir, "train", &d->train, err, err_len) != 0 ||
        dataset_load_split(dir, "t10k", &d->test, err, err_len) != 0)
        goto fail;
    if (d->train.rows != d->test.rows || d->train.cols != d->test.cols) {
        snprintf(err, err_len, "%s: train images are %dx%d but test images %dx%d", dir,
                 d->train.rows, d->train.cols, d->test.rows, d->test.cols);
        goto fail;
    }
    for (i = 0; i < d->train.n; i++)
        max_label = d->train.labels[i] > max_label ? d->train.labels[i] : max_label;
    for (i = 0; i < d->test.n; i++)
        max_label = d->test.labels[i] > max_label ? d->test.labels[i] : max_label;
    if (named && max_label > 9) {
        snprintf(err, err_len, "%s: label %d found, %s has classes 0..9 (corrupt labels file?)",
                 dir, max_label, spec);
        goto fail;
    }
    d->n_classes = max_label + 1;
    return 0;
fail:
    dataset_free(d);
    return -1;
}

void dataset_free(dataset_t *d)
{
    free(d->train.images);
    free(d->train.labels);
    free(d->test.images);
    free(d->test.labels);
    memset(&d->train, 0, sizeof d->train);
    memset(&d->test, 0, sizeof d->test);
}
