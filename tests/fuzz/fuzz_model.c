/* SPDX-License-Identifier: MIT
 * fuzz_model.c : libFuzzer harness of the model reader (host/src/common/model_file.c).
 * The first byte picks the mode:
 *   even  the rest as the file, as it is (magic, version, size and CRC checks);
 *   odd   the rest with its file-size field and CRC-32 made right, so that the semantic
 *         checks (capacity, layer table, reserved bytes, metadata, snn_model_check) are reached.
 * A file the reader accepts must encode back to the same bytes and decode to the same model
 * (decode -> encode -> decode round trip).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "le.h"
#include "model_file.h"

static uint8_t file[MODEL_FILE_MAX_BYTES + 64], again[MODEL_FILE_MAX_BYTES + 64];
static snn_model_t m, m2;
static model_meta_t meta, meta2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    size_t len, len2;
    if (size < 1 || size - 1 > sizeof file)
        return 0;
    len = size - 1;
    memcpy(file, data + 1, len);
    if ((data[0] & 1) && len >= 68) {
        const uint32_t crc_at = (uint32_t)len - 4;
        uint32_t crc;
        put32(file + 8, (uint32_t)len);
        crc = (uint32_t)crc32(0L, file, crc_at);
        put32(file + crc_at, crc);
    }
    memset(&m, 0, sizeof m);
    if (model_decode(file, len, &m, &meta, err, sizeof err) != MODEL_OK)
        return 0;
    if (model_encode(&m, &meta, again, sizeof again, &len2) != MODEL_OK)
        abort();                        /* a model the reader accepts must be writable */
    if (len2 != len || memcmp(again, file, len) != 0)
        abort();                        /* ... and written back to the same bytes */
    memset(&m2, 0, sizeof m2);
    if (model_decode(again, len2, &m2, &meta2, err, sizeof err) != MODEL_OK)
        abort();
    if (memcmp(&m, &m2, sizeof m) != 0 || memcmp(&meta, &meta2, sizeof meta) != 0)
        abort();
    return 0;
}
