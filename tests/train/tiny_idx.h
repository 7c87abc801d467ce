/* SPDX-License-Identifier: MIT
 * tiny_idx.h : a synthetic dataset for trainer tests and harnesses (test_ckpt.c, fuzz_ckpt.c):
 * idx files of n <= 64 4x4 images, label k % 10, pixels that depend on the label.
 */
#ifndef QUANTARION_TINY_IDX_H
#define QUANTARION_TINY_IDX_H

#include <stdint.h>
#include <stdio.h>

#include "le.h"

/* writes DIR/PREFIX-images-idx3-ubyte and DIR/PREFIX-labels-idx1-ubyte; 0, or -1 on an I/O error */
static inline int tiny_idx_write(const char *dir, const char *prefix, uint32_t n)
{
    char path[700];
    uint8_t img[16 + 64 * 16], lab[8 + 64]; /* n <= 64 */
    uint32_t k, i;
    FILE *f;
    if (n > 64)
        return -1;
    put_be32(img, 0x803); put_be32(img + 4, n); put_be32(img + 8, 4); put_be32(img + 12, 4);
    put_be32(lab, 0x801); put_be32(lab + 4, n);
    for (k = 0; k < n; k++) {
        lab[8 + k] = (uint8_t)(k % 10);
        for (i = 0; i < 16; i++)
            img[16 + k * 16 + i] = (uint8_t)(i == k % 10 ? 250 : (k * 37 + i * 11) % 60);
    }
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    if (!(f = fopen(path, "wb")))
        return -1;
    if (fwrite(img, 1, 16 + n * 16, f) != 16 + n * 16) {
        fclose(f);
        return -1;
    }
    if (fclose(f))
        return -1;
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
    if (!(f = fopen(path, "wb")))
        return -1;
    if (fwrite(lab, 1, 8 + n, f) != 8 + n) {
        fclose(f);
        return -1;
    }
    return fclose(f) ? -1 : 0;
}

#endif
