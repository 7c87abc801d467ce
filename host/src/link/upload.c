/* SPDX-License-Identifier: MIT
 * upload.c : configuration, weights and thresholds to the board, then all of it read back
 * and compared byte for byte (a model that is not exactly on the board is never run).
 */
#include <stdio.h>
#include <string.h>

#include "link.h"

static int upload_region(link_t *l, uint8_t op, const uint8_t *data, size_t n, size_t chunk,
                         const char *what, char *err, size_t err_len)
{
    uint8_t pl[PROTO_WR_DATA + PROTO_MAX_CHUNK];
    proto_frame_t f;
    size_t off;
    for (off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        size_t len = proto_pl_write((uint32_t)off, data + off, k, pl);
        if (link_request(l, op, pl, len, &f) != LINK_OK) {
            snprintf(err, err_len, "upload of the %s at byte %zu: %s", what, off, l->err);
            return -1;
        }
    }
    return 0;
}

static int verify_region(link_t *l, uint8_t region, const uint8_t *data, size_t n, size_t chunk,
                         const char *what, char *err, size_t err_len)
{
    uint8_t pl[PROTO_RB_BYTES];
    proto_frame_t f;
    size_t off, i;
    for (off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        size_t len = proto_pl_read_back(region, (uint32_t)off, (uint16_t)k, pl);
        if (link_request(l, PROTO_OP_READ_BACK, pl, len, &f) != LINK_OK) {
            snprintf(err, err_len, "read-back of the %s at byte %zu: %s", what, off, l->err);
            return -1;
        }
        if (f.len != k) {
            snprintf(err, err_len, "read-back of the %s at byte %zu: %u bytes came back, asked %zu",
                     what, off, f.len, k);
            return -1;
        }
        for (i = 0; i < k; i++) {
            if (f.payload[i] != data[off + i]) {
                snprintf(err, err_len, "read-back of the %s differs at byte %zu: wrote 0x%02x, the "
                         "board holds 0x%02x (board memory or bus fault)", what, off + i,
                         data[off + i], f.payload[i]);
                return -1;
            }
        }
    }
    return 0;
}

int link_upload(link_t *l, const snn_model_t *m, int max_chunk, int verify, char *err,
                size_t err_len)
{
    static uint8_t thr[PROTO_THRESHOLD_BYTES];
    uint8_t cfg[SNN_CFG_BYTES];
    proto_frame_t f;
    size_t n_w = proto_weight_bytes(m), n_t = proto_threshold_image(m, thr);
    size_t chunk = max_chunk > 0 && max_chunk < PROTO_MAX_CHUNK ? (size_t)max_chunk : PROTO_MAX_CHUNK;
    const uint8_t *w = (const uint8_t *)m->weights;
    snn_config_image(m, cfg);
    if (link_request(l, PROTO_OP_WRITE_CONFIG, cfg, sizeof cfg, &f) != LINK_OK) {
        snprintf(err, err_len, "upload of the configuration: %s", l->err);
        return -1;
    }
    if (upload_region(l, PROTO_OP_WRITE_WEIGHTS, w, n_w, chunk, "weights", err, err_len) ||
        upload_region(l, PROTO_OP_WRITE_THRESHOLDS, thr, n_t, chunk, "thresholds", err, err_len))
        return -1;
    if (!verify)
        return 0;
    if (verify_region(l, SNN_REGION_CONFIG, cfg, sizeof cfg, chunk, "configuration", err, err_len) ||
        verify_region(l, SNN_REGION_WEIGHTS, w, n_w, chunk, "weights", err, err_len) ||
        verify_region(l, SNN_REGION_THRESHOLDS, thr, n_t, chunk, "thresholds", err, err_len))
        return -1;
    return 0;
}
