/* SPDX-License-Identifier: MIT
 * model_file.c : the Quantarion model file (docs/model-format.md), little-endian throughout.
 */
#include "model_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "le.h"
#include "qio.h"
#include "qout.h"

/* header field offsets */
enum {
    MF_MAGIC = 0, MF_VERSION = 4, MF_HEADER_BYTES = 6, MF_FILE_BYTES = 8, MF_N_LAYERS = 12,
    MF_STEPS = 13, MF_ENCODING = 14, MF_N_WEIGHTS = 16, MF_N_THRESHOLDS = 20, MF_DATASET = 24,
    MF_EXIT_MODE = 48, MF_EXIT_LEAD = 49, MF_EXIT_MIN_STEPS = 50, MF_INPUT_BITS = 51, MF_RESERVED = 52,
    MF_TRAIN_SEED = 56, MF_ACCURACY = 60,
};
/* layer record field offsets */
enum {
    ML_N_IN = 0, ML_N_OUT = 2, ML_LEAK = 4, ML_RESET = 5, ML_TMODE = 6, ML_WEIGHT_INDEX = 8,
    ML_THRESHOLD_INDEX = 12, ML_N_THRESHOLDS = 14,
};
#define MF_DATASET_BYTES MODEL_DATASET_BYTES

const char *model_error_name(int code)
{
    switch (code) {
    case MODEL_OK: return "ok";
    case MODEL_E_OPEN: return "cannot open, read or write the file";
    case MODEL_E_MAGIC: return "not a Quantarion model (wrong magic)";
    case MODEL_E_VERSION: return "unknown model file version";
    case MODEL_E_TRUNCATED: return "truncated model file";
    case MODEL_E_CRC: return "CRC-32 mismatch (corrupted model file)";
    case MODEL_E_CAPACITY: return "model beyond the accelerator's capacity";
    case MODEL_E_FORMAT: return "inconsistent model header or layer table";
    case MODEL_E_BUFFER: return "output buffer too small";
    default: return "unknown model error";
    }
}

int model_layer_thresholds(const snn_model_t *m, int l)
{
    return m->layer[l].threshold_mode == SNN_THRESHOLD_NEURON ? m->layer[l].n_out : 1;
}

void model_layout(snn_model_t *m, int n_layers, const int *sizes)
{
    uint32_t woff = 0;
    uint16_t toff = 0;
    int l;
    m->n_layers = (uint8_t)n_layers;
    memset(m->weights, 0, sizeof m->weights);
    for (l = 0; l < n_layers && l < SNN_MAX_LAYERS; l++) {
        snn_layer_t *ly = &m->layer[l];
        ly->n_in = (uint16_t)sizes[l];
        ly->n_out = (uint16_t)sizes[l + 1];
        ly->weight_offset = woff;
        ly->threshold_offset = toff;
        woff += (uint32_t)ly->n_in * (uint32_t)SNN_PAD_LANES(ly->n_out);
        toff = (uint16_t)(toff + model_layer_thresholds(m, l));
    }
}

void model_set_layer_weights(snn_model_t *m, int l, const int8_t *w)
{
    const snn_layer_t *ly = &m->layer[l];
    const int stride = SNN_PAD_LANES(ly->n_out);
    int i;
    for (i = 0; i < ly->n_in; i++)
        memcpy(m->weights + ly->weight_offset + (size_t)i * stride, w + (size_t)i * ly->n_out, ly->n_out);
}

void model_get_layer_weights(const snn_model_t *m, int l, int8_t *w)
{
    const snn_layer_t *ly = &m->layer[l];
    const int stride = SNN_PAD_LANES(ly->n_out);
    int i;
    for (i = 0; i < ly->n_in; i++)
        memcpy(w + (size_t)i * ly->n_out, m->weights + ly->weight_offset + (size_t)i * stride, ly->n_out);
}

/* Dense weight count and threshold count of a checked model. */
static void model_counts(const snn_model_t *m, uint32_t *n_weights, uint32_t *n_thresholds)
{
    int l;
    *n_weights = 0;
    *n_thresholds = 0;
    for (l = 0; l < m->n_layers; l++) {
        *n_weights += (uint32_t)m->layer[l].n_in * m->layer[l].n_out;
        *n_thresholds += (uint32_t)model_layer_thresholds(m, l);
    }
}

static size_t model_size(uint32_t n_layers, uint32_t n_weights, uint32_t n_thresholds)
{
    return MODEL_HEADER_BYTES + (size_t)n_layers * MODEL_LAYER_BYTES + n_weights +
           (size_t)n_thresholds * (2 + 4 + 4) + 4;
}

int model_encode(const snn_model_t *m, const model_meta_t *meta, uint8_t *buf, size_t cap, size_t *len)
{
    uint32_t n_weights, n_thresholds, widx = 0;
    uint8_t *p;
    int l, i, rc = snn_model_check(m);
    *len = 0;
    if (rc != 0)
        return MODEL_E_CAPACITY;
    model_counts(m, &n_weights, &n_thresholds);
    *len = model_size(m->n_layers, n_weights, n_thresholds);
    if (!buf || cap < *len)
        return MODEL_E_BUFFER;
    memset(buf, 0, *len);
    memcpy(buf + MF_MAGIC, MODEL_FILE_MAGIC, 4);
    put16(buf + MF_VERSION, MODEL_FILE_VERSION);
    put16(buf + MF_HEADER_BYTES, MODEL_HEADER_BYTES);
    put32(buf + MF_FILE_BYTES, (uint32_t)*len);
    buf[MF_N_LAYERS] = m->n_layers;
    buf[MF_STEPS] = m->steps;
    buf[MF_ENCODING] = m->encoding;
    buf[MF_EXIT_MODE] = m->exit_mode;
    buf[MF_EXIT_LEAD] = m->exit_lead;
    buf[MF_EXIT_MIN_STEPS] = m->exit_min_steps;
    buf[MF_INPUT_BITS] = m->input_bits;
    put32(buf + MF_N_WEIGHTS, n_weights);
    put16(buf + MF_N_THRESHOLDS, n_thresholds);
    if (meta) {
        const size_t n = strnlen(meta->dataset, MF_DATASET_BYTES - 1);
        for (i = 0; i < (int)n; i++) /* the reader takes printable ASCII only */
            buf[MF_DATASET + i] = meta->dataset[i] >= 0x20 && meta->dataset[i] <= 0x7e ? (uint8_t)meta->dataset[i] : '?';
        put32(buf + MF_TRAIN_SEED, meta->train_seed);
    }
    putf32(buf + MF_ACCURACY, meta ? meta->int8_accuracy : -1.0f);
    p = buf + MODEL_HEADER_BYTES;
    for (l = 0; l < m->n_layers; l++, p += MODEL_LAYER_BYTES) {
        const snn_layer_t *ly = &m->layer[l];
        put16(p + ML_N_IN, ly->n_in);
        put16(p + ML_N_OUT, ly->n_out);
        p[ML_LEAK] = ly->leak_shift;
        p[ML_RESET] = ly->reset_mode;
        p[ML_TMODE] = ly->threshold_mode;
        put32(p + ML_WEIGHT_INDEX, widx);
        put16(p + ML_THRESHOLD_INDEX, ly->threshold_offset);
        put16(p + ML_N_THRESHOLDS, (uint32_t)model_layer_thresholds(m, l));
        widx += (uint32_t)ly->n_in * ly->n_out;
    }
    for (l = 0; l < m->n_layers; l++) {
        model_get_layer_weights(m, l, (int8_t *)p);
        p += (size_t)m->layer[l].n_in * m->layer[l].n_out;
    }
    for (i = 0; i < (int)n_thresholds; i++, p += 2)
        put16(p, (uint16_t)m->thresholds[i]);
    for (i = 0; i < (int)n_thresholds; i++, p += 4)
        putf32(p, meta ? meta->weight_scale[i] : 0.0f);
    for (i = 0; i < (int)n_thresholds; i++, p += 4)
        putf32(p, meta ? meta->threshold_float[i] : 0.0f);
    put32(p, (uint32_t)crc32(0L, buf, (uInt)(*len - 4)));
    return MODEL_OK;
}

#define FAIL(code, ...) do { snprintf(err, err_len, __VA_ARGS__); return (code); } while (0)

/* Magic, version, length and CRC: is this an intact file of this version? */
static int model_decode_envelope(const uint8_t *buf, size_t len, char *err, size_t err_len)
{
    uint32_t file_bytes, stored, computed;
    if (len < 4) {
        if (memcmp(buf, MODEL_FILE_MAGIC, len) == 0)
            FAIL(MODEL_E_TRUNCATED, "truncated: %zu bytes, not even the magic", len);
        FAIL(MODEL_E_MAGIC, "not a Quantarion model: %zu bytes that do not start the magic \"%s\"",
             len, MODEL_FILE_MAGIC);
    }
    if (memcmp(buf, MODEL_FILE_MAGIC, 4) != 0)
        FAIL(MODEL_E_MAGIC, "not a Quantarion model: magic %02x %02x %02x %02x, expected \"%s\"",
             buf[0], buf[1], buf[2], buf[3], MODEL_FILE_MAGIC);
    if (len < MF_VERSION + 2)
        FAIL(MODEL_E_TRUNCATED, "truncated: %zu bytes, the header needs %d", len, MODEL_HEADER_BYTES);
    if (get16(buf + MF_VERSION) != MODEL_FILE_VERSION)
        FAIL(MODEL_E_VERSION, "model file version %u, this build reads version %d (re-export the "
             "model with this build's host/train)", get16(buf + MF_VERSION), MODEL_FILE_VERSION);
    if (len < MODEL_HEADER_BYTES)
        FAIL(MODEL_E_TRUNCATED, "truncated: %zu bytes, the header needs %d", len, MODEL_HEADER_BYTES);
    if (get16(buf + MF_HEADER_BYTES) != MODEL_HEADER_BYTES)
        FAIL(MODEL_E_FORMAT, "header size %u, version %d has %d", get16(buf + MF_HEADER_BYTES),
             MODEL_FILE_VERSION, MODEL_HEADER_BYTES);
    file_bytes = get32(buf + MF_FILE_BYTES);
    if (file_bytes < MODEL_HEADER_BYTES + 4 || file_bytes > MODEL_FILE_MAX_BYTES)
        FAIL(MODEL_E_FORMAT, "header gives a file size of %u bytes, outside %d..%d", file_bytes,
             MODEL_HEADER_BYTES + 4, MODEL_FILE_MAX_BYTES);
    if (len < file_bytes)
        FAIL(MODEL_E_TRUNCATED, "truncated: %zu bytes, the header says %u", len, file_bytes);
    if (len > file_bytes)
        FAIL(MODEL_E_FORMAT, "%zu bytes after the end the header gives (%u bytes)", len - file_bytes,
             file_bytes);
    stored = get32(buf + file_bytes - 4);
    computed = (uint32_t)crc32(0L, buf, (uInt)(file_bytes - 4));
    if (stored != computed)
        FAIL(MODEL_E_CRC, "CRC-32 mismatch: stored 0x%08x, computed 0x%08x (the file is corrupted)",
             stored, computed);
    return MODEL_OK;
}

/* The bytes the accelerator never reads, held to the format too: reserved bytes zero, the
 * dataset name printable ASCII then NUL padding (it reaches terminals), the accuracy -1 or
 * 0..1, the scales finite.  p_meta: the start of the scale section. */
static int model_decode_strict(const uint8_t *buf, int n_layers, uint32_t n_thresholds, const uint8_t *p_meta,
                               char *err, size_t err_len)
{
    static const int reserved[] = {15, 22, 23};
    const uint8_t *name = buf + MF_DATASET;
    const float acc = getf32(buf + MF_ACCURACY);
    uint32_t i;
    int k, end = 0;
    for (k = 0; k < (int)(sizeof reserved / sizeof reserved[0]); k++)
        if (buf[reserved[k]] != 0)
            FAIL(MODEL_E_FORMAT, "reserved header byte %d is 0x%02x, must be 0", reserved[k], buf[reserved[k]]);
    for (k = 0; k < n_layers; k++)
        if (buf[MODEL_HEADER_BYTES + k * MODEL_LAYER_BYTES + ML_TMODE + 1] != 0)
            FAIL(MODEL_E_FORMAT, "layer %d: reserved byte %d is 0x%02x, must be 0", k, ML_TMODE + 1,
                 buf[MODEL_HEADER_BYTES + k * MODEL_LAYER_BYTES + ML_TMODE + 1]);
    for (k = 0; k < MF_DATASET_BYTES; k++) {
        if (name[k] == 0)
            end = 1;
        else if (end || k == MF_DATASET_BYTES - 1 || name[k] < 0x20 || name[k] > 0x7e)
            FAIL(MODEL_E_FORMAT, "the dataset name holds byte 0x%02x at %d: printable ASCII, then NUL "
                 "padding, expected", name[k], k);
    }
    if (!(acc == -1.0f || (acc >= 0.0f && acc <= 1.0f)))
        FAIL(MODEL_E_FORMAT, "stored INT8 accuracy %g, expected 0..1 or -1 (not measured)", (double)acc);
    for (i = 0; i < 2 * n_thresholds; i++) {
        const float v = getf32(p_meta + 4 * (size_t)i);
        if (!isfinite(v) || (i < n_thresholds && v < 0.0f))
            FAIL(MODEL_E_FORMAT, "%s %u is %g, expected a finite%s number", i < n_thresholds ?
                 "weight scale" : "float threshold", i % n_thresholds, (double)v, i < n_thresholds ? " non-negative" : "");
    }
    return MODEL_OK;
}

int model_decode(const uint8_t *buf, size_t len, snn_model_t *m, model_meta_t *meta,
                 char *err, size_t err_len)
{
    const uint8_t *p;
    uint32_t n_weights, n_thresholds, widx = 0, tidx = 0, padded = 0, neurons = 0;
    int sizes[SNN_MAX_LAYERS + 1];
    int l, i, n_layers, rc = model_decode_envelope(buf, len, err, err_len);
    if (rc != MODEL_OK)
        return rc;
    n_layers = buf[MF_N_LAYERS];
    n_weights = get32(buf + MF_N_WEIGHTS);
    n_thresholds = get16(buf + MF_N_THRESHOLDS);
    if (n_layers < 1 || n_layers > SNN_MAX_LAYERS)
        FAIL(MODEL_E_CAPACITY, "%d layers, the accelerator holds 1..%d", n_layers, SNN_MAX_LAYERS);
    if (buf[MF_STEPS] < 1)
        FAIL(MODEL_E_CAPACITY, "0 timesteps, the accelerator runs 1..%d", SNN_MAX_STEPS);
    if (model_size((uint32_t)n_layers, n_weights, n_thresholds) != len)
        FAIL(MODEL_E_FORMAT, "%zu bytes, but %d layers, %u weights and %u thresholds take %zu",
             len, n_layers, n_weights, n_thresholds, model_size((uint32_t)n_layers, n_weights, n_thresholds));
    if (buf[MF_INPUT_BITS] != SNN_INPUT_BITS_RAW && buf[MF_INPUT_BITS] != SNN_INPUT_BITS_Q4)
        FAIL(MODEL_E_FORMAT, "input pixel bits %d, expected %d (raw) or %d (quantized to 4 bits)",
             buf[MF_INPUT_BITS], SNN_INPUT_BITS_RAW, SNN_INPUT_BITS_Q4);
    if (get32(buf + MF_RESERVED) != 0)
        FAIL(MODEL_E_FORMAT, "reserved header bytes %d..%d are 0x%08x, must be 0", MF_RESERVED, MF_RESERVED + 3,
             get32(buf + MF_RESERVED));
    memset(m, 0, sizeof *m);
    m->steps = buf[MF_STEPS];
    m->encoding = buf[MF_ENCODING];
    m->exit_mode = buf[MF_EXIT_MODE];
    m->exit_lead = buf[MF_EXIT_LEAD];
    m->exit_min_steps = buf[MF_EXIT_MIN_STEPS];
    m->input_bits = buf[MF_INPUT_BITS];
    p = buf + MODEL_HEADER_BYTES;
    for (l = 0; l < n_layers; l++, p += MODEL_LAYER_BYTES) {
        snn_layer_t *ly = &m->layer[l];
        int n_in = get16(p + ML_N_IN), n_out = get16(p + ML_N_OUT), n_thr = get16(p + ML_N_THRESHOLDS);
        if (n_in < 1 || n_in > SNN_MAX_INPUTS || n_out < 1 || n_out > SNN_MAX_NEURONS)
            FAIL(MODEL_E_CAPACITY, "layer %d is %d -> %d, the accelerator holds 1..%d inputs and 1..%d "
                 "neurons per layer", l, n_in, n_out, SNN_MAX_INPUTS, SNN_MAX_NEURONS);
        if (l > 0 && n_in != sizes[l])
            FAIL(MODEL_E_FORMAT, "layer %d has %d inputs, layer %d has %d neurons", l, n_in, l - 1, sizes[l]);
        ly->leak_shift = p[ML_LEAK];
        ly->reset_mode = p[ML_RESET];
        ly->threshold_mode = p[ML_TMODE];
        if (ly->threshold_mode != SNN_THRESHOLD_SHARED && ly->threshold_mode != SNN_THRESHOLD_NEURON)
            FAIL(MODEL_E_FORMAT, "layer %d: unknown threshold mode %d", l, ly->threshold_mode);
        if (get32(p + ML_WEIGHT_INDEX) != widx || get16(p + ML_THRESHOLD_INDEX) != tidx ||
            n_thr != (ly->threshold_mode == SNN_THRESHOLD_NEURON ? n_out : 1))
            FAIL(MODEL_E_FORMAT, "layer %d: weight index %u / threshold index %u / %d thresholds do not "
                 "follow the previous layers (expected %u / %u / %d)", l, get32(p + ML_WEIGHT_INDEX),
                 get16(p + ML_THRESHOLD_INDEX), n_thr, widx, tidx,
                 ly->threshold_mode == SNN_THRESHOLD_NEURON ? n_out : 1);
        sizes[l] = n_in;
        sizes[l + 1] = n_out;
        widx += (uint32_t)n_in * (uint32_t)n_out;
        tidx += (uint32_t)n_thr;
        padded += (uint32_t)n_in * (uint32_t)SNN_PAD_LANES(n_out);
        neurons += (uint32_t)n_out;
    }
    if (widx != n_weights || tidx != n_thresholds)
        FAIL(MODEL_E_FORMAT, "layer table holds %u weights and %u thresholds, the header says %u and %u",
             widx, tidx, n_weights, n_thresholds);
    if (padded > SNN_WEIGHT_BYTES)
        FAIL(MODEL_E_CAPACITY, "weights take %u bytes padded to %d lanes, the accelerator holds %d",
             padded, SNN_LANES, SNN_WEIGHT_BYTES);
    if (neurons > SNN_MAX_TOTAL_NEURONS || n_thresholds > SNN_MAX_TOTAL_NEURONS)
        FAIL(MODEL_E_CAPACITY, "%u neurons over all layers, the accelerator holds %d", neurons,
             SNN_MAX_TOTAL_NEURONS);
    model_layout(m, n_layers, sizes);
    for (l = 0; l < n_layers; l++) {
        model_set_layer_weights(m, l, (const int8_t *)p);
        p += (size_t)m->layer[l].n_in * m->layer[l].n_out;
    }
    for (i = 0; i < (int)n_thresholds; i++, p += 2)
        m->thresholds[i] = (int16_t)get16(p);
    rc = model_decode_strict(buf, n_layers, n_thresholds, p, err, err_len);
    if (rc != MODEL_OK)
        return rc;
    if (meta) {
        memset(meta, 0, sizeof *meta);
        for (i = 0; i < (int)n_thresholds; i++)
            meta->weight_scale[i] = getf32(p + 4 * i);
        for (i = 0; i < (int)n_thresholds; i++)
            meta->threshold_float[i] = getf32(p + 4 * ((size_t)n_thresholds + i));
        memcpy(meta->dataset, buf + MF_DATASET, MF_DATASET_BYTES - 1);
        meta->train_seed = get32(buf + MF_TRAIN_SEED);
        meta->int8_accuracy = getf32(buf + MF_ACCURACY);
    }
    rc = snn_model_check(m);
    if (rc != 0)
        FAIL(MODEL_E_FORMAT, "invalid model: %s", snn_model_error(rc));
    return MODEL_OK;
}

int model_read(const char *path, snn_model_t *m, model_meta_t *meta, char *err, size_t err_len)
{
    uint8_t *buf;
    size_t len;
    char why[512];
    int rc;
    if (qio_read_file(path, &buf, &len, 2 * MODEL_FILE_MAX_BYTES, err, err_len) != 0)
        return MODEL_E_OPEN;
    rc = model_decode(buf, len, m, meta, why, sizeof why);
    free(buf);
    if (rc != MODEL_OK)
        snprintf(err, err_len, "%s: %s", path, why);
    return rc;
}

int model_write(const char *path, const snn_model_t *m, const model_meta_t *meta, char *err, size_t err_len)
{
    size_t len;
    uint8_t *buf = malloc(MODEL_FILE_MAX_BYTES);
    int rc;
    if (!buf) {
        snprintf(err, err_len, "%s: out of memory", path);
        return MODEL_E_OPEN;
    }
    rc = model_encode(m, meta, buf, MODEL_FILE_MAX_BYTES, &len);
    if (rc != MODEL_OK)
        snprintf(err, err_len, "%s: not written: %s (%s)", path, model_error_name(rc),
                 snn_model_error(snn_model_check(m)));
    else if (qout_write(path, buf, len, err, err_len) != 0)
        rc = MODEL_E_OPEN;
    free(buf);
    return rc;
}

int model_exit_parse(const char *text, snn_model_t *m, char *err, size_t err_len)
{
    unsigned k, mn;
    char tail;
    if (strcmp(text, "off") == 0 || strcmp(text, "exact") == 0) {
        m->exit_mode = text[0] == 'o' ? SNN_EXIT_OFF : SNN_EXIT_EXACT;
        m->exit_lead = m->exit_min_steps = 0;
        return 0;
    }
    if (sscanf(text, "lead:%u:%u%c", &k, &mn, &tail) != 2 || strncmp(text, "lead:", 5) != 0 ||
        text[5] < '0' || text[5] > '9')
        FAIL(-1, "early exit '%s': expected off, exact or lead:K:M (e.g. lead:3:4)", text);
    if (k < 1 || k > 255)
        FAIL(-1, "early exit '%s': lead K = %u outside 1..255", text, k);
    if (mn < 1 || mn > m->steps)
        FAIL(-1, "early exit '%s': minimum steps M = %u outside 1..T = %d", text, mn, m->steps);
    m->exit_mode = SNN_EXIT_LEAD;
    m->exit_lead = (uint8_t)k;
    m->exit_min_steps = (uint8_t)mn;
    return 0;
}

void model_exit_format(const snn_model_t *m, char buf[MODEL_EXIT_TEXT_BYTES])
{
    if (m->exit_mode == SNN_EXIT_LEAD)
        snprintf(buf, MODEL_EXIT_TEXT_BYTES, "lead:%u:%u", m->exit_lead, m->exit_min_steps);
    else
        snprintf(buf, MODEL_EXIT_TEXT_BYTES, "%s", m->exit_mode == SNN_EXIT_OFF ? "off" :
                 m->exit_mode == SNN_EXIT_EXACT ? "exact" : "?");
}

static const char *enc_name(int e) { return e == SNN_ENCODING_RATE ? "rate" : e == SNN_ENCODING_DIRECT ? "direct" : "?"; }

void model_print_info(const snn_model_t *m, const model_meta_t *meta, FILE *f)
{
    uint32_t n_weights, n_thresholds, padded = 0;
    char exit_text[MODEL_EXIT_TEXT_BYTES];
    int l, i;
    model_counts(m, &n_weights, &n_thresholds);
    fprintf(f, "Quantarion model, format version %d\n", MODEL_FILE_VERSION);
    fprintf(f, "  network    %d", m->layer[0].n_in);
    for (l = 0; l < m->n_layers; l++)
        fprintf(f, "-%d", m->layer[l].n_out);
    model_exit_format(m, exit_text);
    fprintf(f, " (%d layers), T = %d steps, %s coding, %d-bit input pixels, early exit %s\n", m->n_layers,
            m->steps, enc_name(m->encoding), m->input_bits, exit_text);
    for (l = 0; l < m->n_layers; l++) {
        const snn_layer_t *ly = &m->layer[l];
        int n_thr = model_layer_thresholds(m, l), zeros = 0, wmin = 127, wmax = -127;
        int16_t tmin = 32767, tmax = 0;
        const int stride = SNN_PAD_LANES(ly->n_out);
        for (i = 0; i < ly->n_in * ly->n_out; i++) {
            int8_t w = m->weights[ly->weight_offset + (uint32_t)(i / ly->n_out) * stride + i % ly->n_out];
            zeros += w == 0;
            wmin = w < wmin ? w : wmin;
            wmax = w > wmax ? w : wmax;
        }
        for (i = 0; i < n_thr; i++) {
            int16_t t = m->thresholds[ly->threshold_offset + i];
            tmin = t < tmin ? t : tmin;
            tmax = t > tmax ? t : tmax;
        }
        fprintf(f, "  layer %d    %4d -> %-4d leak shift %-2d reset %-8s threshold %s %d", l, ly->n_in,
                ly->n_out, ly->leak_shift, ly->reset_mode == SNN_RESET_ZERO ? "zero" : "subtract",
                n_thr > 1 ? "per neuron" : "shared", tmin);
        if (tmax != tmin)
            fprintf(f, "..%d", tmax);
        fprintf(f, ", weights %d..%d (%.1f%% zero)", wmin, wmax, 100.0 * zeros / (ly->n_in * ly->n_out));
        if (meta && meta->weight_scale[ly->threshold_offset] > 0.0f)
            fprintf(f, ", scale %.6g", (double)meta->weight_scale[ly->threshold_offset]);
        fprintf(f, "\n");
        padded += (uint32_t)ly->n_in * (uint32_t)stride;
    }
    fprintf(f, "  weights    %u bytes, %u in weight memory (%.1f%% of %d)\n", n_weights, padded,
            100.0 * padded / SNN_WEIGHT_BYTES, SNN_WEIGHT_BYTES);
    if (meta) {
        fprintf(f, "  trained on %s, seed %u", meta->dataset[0] ? meta->dataset : "(unknown)", meta->train_seed);
        if (meta->int8_accuracy >= 0.0f)
            fprintf(f, ", INT8 test accuracy %.4f", (double)meta->int8_accuracy);
        fprintf(f, "\n");
    }
}
