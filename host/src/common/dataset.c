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
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "le.h"
#include "qio.h"

#define IDX_MAGIC_IMAGES 0x00000803u /* unsigned byte, 3 dimensions */
#define IDX_MAGIC_LABELS 0x00000801u /* unsigned byte, 1 dimension */
#define IDX_MAX_ITEMS    10000000    /* sanity bound on the item count */
#define IDX_MAX_PIXELS   65536       /* sanity bound on rows * cols */

#define DATASET_MNIST_DIR   "build/data/mnist"
#define DATASET_FASHION_DIR "/usr/share/datasets/fashion-mnist"

/* An idx file being read, plain or gzip (through zlib's inflate, so that the gzip trailer's
 * CRC and length are always checked and nothing may follow the last gzip member). */
typedef struct {
    FILE *f;
    const char *path;
    int gz;             /* 1: gzip */
    int ended;          /* gzip: the last member's trailer was read and checked */
    z_stream z;
    uint8_t in[65536];
} idx_stream_t;

static int idx_open(idx_stream_t *s, const char *path, char *err, size_t err_len)
{
    struct stat st;
    int c0, c1;
    memset(s, 0, sizeof *s);
    s->path = path;
    s->f = fopen(path, "rb");
    if (!s->f) {
        qio_error(err, err_len, path, "open", errno);
        return -1;
    }
    if (fstat(fileno(s->f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, err_len, "%s: is a folder, expected an idx file (or its .gz)", path);
        goto fail;
    }
    c0 = getc(s->f);
    c1 = getc(s->f);
    s->gz = c0 == 0x1f && c1 == 0x8b;
    if (fseek(s->f, 0, SEEK_SET) != 0) {
        qio_error(err, err_len, path, "fseek", errno);
        goto fail;
    }
    if (s->gz && inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {
        snprintf(err, err_len, "%s: inflateInit2 failed (out of memory)", path);
        s->gz = 0;
        goto fail;
    }
    return 0;
fail:
    fclose(s->f);
    s->f = NULL;
    return -1;
}

static void idx_close(idx_stream_t *s)
{
    if (s->gz)
        inflateEnd(&s->z);
    if (s->f)
        fclose(s->f);
    s->f = NULL;
}

/* Up to n bytes into buf: the count (0 at the end of the data), or -1 + err. */
static long idx_some(idx_stream_t *s, uint8_t *buf, size_t n, char *err, size_t err_len)
{
    if (!s->gz) {
        size_t got = fread(buf, 1, n, s->f);
        if (got == 0 && ferror(s->f)) {
            qio_error(err, err_len, s->path, "read", errno ? errno : EIO);
            return -1;
        }
        return (long)got;
    }
    s->z.next_out = buf;
    s->z.avail_out = (uInt)(n > (1u << 30) ? (1u << 30) : n);
    while (s->z.avail_out > 0 && !s->ended) {
        int zrc;
        if (s->z.avail_in == 0) {
            size_t got = fread(s->in, 1, sizeof s->in, s->f);
            if (got == 0) {
                if (ferror(s->f)) {
                    qio_error(err, err_len, s->path, "read", errno ? errno : EIO);
                    return -1;
                }
                snprintf(err, err_len, "%s: the gzip data ends early (its trailer with the CRC is missing: "
                         "the file is cut short; download or regenerate it)", s->path);
                return -1;
            }
            s->z.next_in = s->in;
            s->z.avail_in = (uInt)got;
        }
        zrc = inflate(&s->z, Z_NO_FLUSH);
        if (zrc == Z_STREAM_END) {
            /* another gzip member may follow (concatenated .gz files); anything else is garbage */
            if (s->z.avail_in < 2) {
                size_t have = s->z.avail_in;
                memmove(s->in, s->z.next_in, have);
                have += fread(s->in + have, 1, sizeof s->in - have, s->f);
                s->z.next_in = s->in;
                s->z.avail_in = (uInt)have;
            }
            if (s->z.avail_in == 0) {
                s->ended = 1;
            } else if (s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b) {
                inflateReset(&s->z);
            } else {
                snprintf(err, err_len, "%s: %u bytes of garbage after the gzip data (the file is corrupt; "
                         "download or regenerate it)", s->path, s->z.avail_in);
                return -1;
            }
        } else if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
            snprintf(err, err_len, "%s: the gzip data is corrupt (inflate: %s); download or regenerate it",
                     s->path, s->z.msg ? s->z.msg : zError(zrc));
            return -1;
        }
    }
    return (long)(s->z.next_out - buf);
}

/* Exactly n bytes; 0, or -1 with a message saying how far it got. */
static int idx_exact(idx_stream_t *s, uint8_t *buf, size_t n, const char *what, char *err, size_t err_len)
{
    size_t done = 0;
    while (done < n) {
        long got = idx_some(s, buf + done, n - done, err, err_len);
        if (got < 0)
            return -1;
        if (got == 0) {
            snprintf(err, err_len, "%s: truncated: the %s needs %zu bytes, the file ends after %zu "
                     "(download or regenerate it)", s->path, what, n, done);
            return -1;
        }
        done += (size_t)got;
    }
    return 0;
}

/* Opens path, checks the magic and reads the dims (dims[0..n_dims-1]) and the payload of
 * prod(dims) bytes into a malloc'ed *data; rejects trailing bytes.  The buffer grows with
 * what the file holds, so a header that promises gigabytes reserves nothing it cannot fill. */
static int idx_read(const char *path, uint32_t magic, int n_dims, uint32_t *dims, uint8_t **data,
                    char *err, size_t err_len)
{
    uint8_t head[16], extra;
    uint64_t bytes = 1;
    size_t done = 0, cap = 0;
    uint32_t got_magic;
    idx_stream_t *s = malloc(sizeof *s);
    const char *what = n_dims == 3 ? "images" : "labels";
    int i;
    long got;

    *data = NULL;
    if (!s) {
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    if (idx_open(s, path, err, err_len) != 0) {
        free(s);
        return -1;
    }
    if (idx_exact(s, head, 4 + 4 * (size_t)n_dims, "idx header", err, err_len) != 0)
        goto fail;
    got_magic = get_be32(head);
    if (got_magic != magic) {
        snprintf(err, err_len, "%s: bad idx magic 0x%08x, expected 0x%08x (%s); is this the right file?",
                 path, got_magic, magic, magic == IDX_MAGIC_IMAGES ? "unsigned byte images, 3 dims"
                                                                   : "unsigned byte labels, 1 dim");
        goto fail;
    }
    for (i = 0; i < n_dims; i++) {
        dims[i] = get_be32(head + 4 + 4 * i);
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
    while (done < bytes) {
        if (done == cap) {
            size_t ncap = cap ? cap * 2 : (size_t)1 << 20;
            uint8_t *nb;
            if (ncap > bytes)
                ncap = (size_t)bytes;
            nb = realloc(*data, ncap);
            if (!nb) {
                snprintf(err, err_len, "%s: out of memory for %zu bytes", path, ncap);
                goto fail;
            }
            *data = nb;
            cap = ncap;
        }
        got = idx_some(s, *data + done, cap - done, err, err_len);
        if (got < 0)
            goto fail;
        if (got == 0) {
            snprintf(err, err_len, "%s: truncated: the header promises %llu bytes of %s, the file holds %zu "
                     "(download or regenerate it)", path, (unsigned long long)bytes, what, done);
            goto fail;
        }
        done += (size_t)got;
    }
    got = idx_some(s, &extra, 1, err, err_len);
    if (got < 0)
        goto fail;
    if (got != 0) {
        snprintf(err, err_len, "%s: longer than its header says (%llu data bytes expected); "
                 "dimensions do not match the contents", path, (unsigned long long)bytes);
        goto fail;
    }
    idx_close(s);
    free(s);
    return 0;
fail:
    free(*data);
    *data = NULL;
    idx_close(s);
    free(s);
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

/* Loads the test split, and the train split unless test_only. */
static int dataset_open(const char *spec, int test_only, dataset_t *d, char *err, size_t err_len)
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
    if ((!test_only && dataset_load_split(dir, "train", &d->train, err, err_len) != 0) ||
        dataset_load_split(dir, "t10k", &d->test, err, err_len) != 0)
        goto fail;
    if (!test_only && (d->train.rows != d->test.rows || d->train.cols != d->test.cols)) {
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

int dataset_load(const char *spec, dataset_t *d, char *err, size_t err_len)
{
    return dataset_open(spec, 0, d, err, err_len);
}

int dataset_load_test(const char *spec, dataset_t *d, char *err, size_t err_len)
{
    return dataset_open(spec, 1, d, err, err_len);
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

int dataset_hold_out(dataset_t *d, int n, char *err, size_t err_len)
{
    const size_t px = (size_t)d->train.rows * (size_t)d->train.cols;
    dataset_split_t h = {n, d->train.rows, d->train.cols, NULL, NULL};

    if (n < 1 || n >= d->train.n) {
        snprintf(err, err_len, "a holdout of %d images needs 1 .. %d (the training split has %d)", n,
                 d->train.n - 1, d->train.n);
        return -1;
    }
    h.images = malloc(px * (size_t)n);
    h.labels = malloc((size_t)n);
    if (!h.images || !h.labels) {
        free(h.images);
        free(h.labels);
        snprintf(err, err_len, "out of memory for a holdout of %d images", n);
        return -1;
    }
    d->train.n -= n;
    memcpy(h.images, d->train.images + px * (size_t)d->train.n, px * (size_t)n);
    memcpy(h.labels, d->train.labels + d->train.n, (size_t)n);
    free(d->test.images);
    free(d->test.labels);
    d->test = h;
    return 0;
}
