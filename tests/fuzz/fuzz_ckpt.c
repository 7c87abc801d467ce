/* SPDX-License-Identifier: MIT
 * fuzz_ckpt.c : libFuzzer harness of the trainer's checkpoint reader (host/src/train/tr_ckpt.c).
 * At start it trains a tiny run on a synthetic dataset and keeps its real checkpoint (the
 * fingerprint of these options inside).  The first byte picks the mode:
 *   even  the rest is the checkpoint file, as it is (magic, version, CRC);
 *   odd   the rest is a list of (u24 offset, byte) patches applied to the real checkpoint,
 *         whose CRC is then made right: only the field checks stand in the way.
 * Whatever loads must be a state the run can continue from (checked by ckpt_load's own field
 * checks; here: no crash, no sanitizer report, and the loaded phase and counts in range).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "le.h"
#include "../train/tiny_idx.h"
#include "tr_run.h"

static char dir[] = "/tmp/qfuzz-ckpt-XXXXXX";
static char data_dir[600], ckpt[600];
static uint8_t *good;
static size_t good_len;
static run_t *r;

static void open_run(int resume)
{
    char *argv[] = {"train", "--data", data_dir, "--layers", "16,8,10", "--steps", "4", "--epochs", "1",
                    "--qat-epochs", "1", "--batch", "16", "--threads", "1", "--calib-batches", "2",
                    "--checkpoint", ckpt, "--quiet", resume ? "--resume" : NULL, NULL};
    opts_t o;
    if (opts_parse(&o, resume ? 20 : 19, argv) != 0 || run_open(r, &o) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    FILE *f;
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    snprintf(data_dir, sizeof data_dir, "%s/data", dir);
    snprintf(ckpt, sizeof ckpt, "%s/run.ckpt", dir);
    if (mkdir(data_dir, 0755) != 0)
        abort();
    if (tiny_idx_write(data_dir, "train", 64) || tiny_idx_write(data_dir, "t10k", 20))
        abort();
    r = calloc(1, sizeof *r);
    if (!r)
        abort();
    open_run(0);
    if (run_start(r) || run_fp32(r) || run_qat(r, 1))
        abort();
    run_close(r);
    if (!(f = fopen(ckpt, "rb")))
        abort();
    good = malloc(1 << 24);
    good_len = fread(good, 1, 1 << 24, f);
    fclose(f);
    memset(r, 0, sizeof *r);
    open_run(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *b;
    size_t len, i;
    FILE *f;
    if (size < 1)
        return 0;
    if (!b)
        b = malloc(1 << 24);
    if (data[0] & 1) {
        uint32_t crc;
        memcpy(b, good, good_len);
        len = good_len;
        for (i = 1; i + 4 <= size; i += 4) {
            const size_t off = ((size_t)data[i] | (size_t)data[i + 1] << 8 | (size_t)data[i + 2] << 16) % (len - 4);
            b[off] = data[i + 3];
        }
        crc = (uint32_t)crc32(0L, b, (uInt)(len - 4));
        memcpy(b + len - 4, &crc, 4);
    } else {
        len = size - 1 < (1u << 24) ? size - 1 : 1u << 24;
        memcpy(b, data + 1, len);
    }
    if (!(f = fopen(ckpt, "wb")) || fwrite(b, 1, len, f) != len || fclose(f))
        abort();
    if (ckpt_load(r, ckpt) == 0) {
        if ((r->phase != PHASE_FP32 && r->phase != PHASE_QAT) || r->epochs_done < 0 ||
            r->n_hist < 0 || r->n_hist > TR_MAX_EPOCHS || r->q->batches < 0 || r->q->batches > 64)
            abort();
    }
    return 0;
}
