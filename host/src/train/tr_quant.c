/* SPDX-License-Identifier: MIT
 * tr_quant.c : observers, fake quantization, export and the scale report (see tr_quant.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tr_quant.h"

#define QMAX ((float)SNN_WEIGHT_MAX)

void obs_update(obs_t *o, float lo, float hi, int kind, float c)
{
    if (!o->seen || kind == TR_OBS_MINMAX) {
        o->lo = o->seen && o->lo < lo ? o->lo : lo;
        o->hi = o->seen && o->hi > hi ? o->hi : hi;
    } else {
        o->lo += c * (lo - o->lo);
        o->hi += c * (hi - o->hi);
    }
    o->seen = 1;
}

float obs_amax(const obs_t *o)
{
    const float a = fabsf(o->lo), b = fabsf(o->hi);
    return a > b ? a : b;
}

int quant_init(quant_t *q, const net_config_t *c, int observer, int per_channel, float avg_const,
               int calib_batches)
{
    int l, j;
    memset(q, 0, sizeof *q);
    q->observer = observer;
    q->per_channel = per_channel;
    q->avg_const = avg_const;
    q->calib_batches = calib_batches;
    for (l = 0; l < c->n_layers; l++)
        for (j = 0; j < SNN_MAX_NEURONS; j++) {
            q->unit_float[l][j] = 1.0f;
            q->thr_float[l][j] = c->theta;
        }
    return tensors_alloc(&q->wq, c);
}

void quant_free(quant_t *q)
{
    tensors_free(&q->wq);
}

void quant_float_view(quant_t *q, const net_config_t *c, const tensors_t *p, net_view_t *v)
{
    int l;
    memset(v, 0, sizeof *v);
    for (l = 0; l < c->n_layers; l++) {
        v->w[l] = p->w[l];
        v->thr[l] = q->thr_float[l];
        v->unit[l] = q->unit_float[l];
    }
    v->integer = 0;
}

/* The smallest amax whose threshold still fits 16 bits, so a dead channel cannot divide by 0. */
static float amax_floor(const net_config_t *c)
{
    return c->theta * QMAX / (float)SNN_MEMBRANE_MAX;
}

void quant_prepare(quant_t *q, const net_config_t *c, const tensors_t *p, net_view_t *v)
{
    int l, i, j;
    for (l = 0; l < c->n_layers; l++) {
        const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H);
        const float *w = p->w[l];
        if (!q->frozen) {
            float lo[SNN_MAX_NEURONS], hi[SNN_MAX_NEURONS];
            for (j = 0; j < H; j++)
                lo[j] = hi[j] = 0.0f;
            for (i = 0; i < I; i++)
                for (j = 0; j < H; j++) {
                    const float x = w[(size_t)i * hp + j];
                    lo[j] = x < lo[j] ? x : lo[j];
                    hi[j] = x > hi[j] ? x : hi[j];
                }
            if (q->per_channel) {
                for (j = 0; j < H; j++)
                    obs_update(&q->wobs[l][j], lo[j], hi[j], q->observer, q->avg_const);
            } else {
                float tlo = 0.0f, thi = 0.0f;
                for (j = 0; j < H; j++) {
                    tlo = lo[j] < tlo ? lo[j] : tlo;
                    thi = hi[j] > thi ? hi[j] : thi;
                }
                obs_update(&q->wobs[l][0], tlo, thi, q->observer, q->avg_const);
            }
        }
        for (j = 0; j < H; j++) {
            float a = obs_amax(&q->wobs[l][q->per_channel ? j : 0]);
            float t;
            if (a < amax_floor(c))
                a = amax_floor(c);
            q->scale[l][j] = q->fixed_scale[l][j] > 0.0f ? q->fixed_scale[l][j] : a / QMAX;
            t = roundf(c->theta / q->scale[l][j]);
            q->thr[l][j] = t < 1.0f ? 1.0f : t > (float)SNN_MEMBRANE_MAX ? (float)SNN_MEMBRANE_MAX : t;
        }
        for (; j < SNN_MAX_NEURONS; j++) {
            q->scale[l][j] = 1.0f;
            q->thr[l][j] = (float)SNN_MEMBRANE_MAX;
        }
        for (i = 0; i < I; i++) {
            const float *r = w + (size_t)i * hp;
            float *o = q->wq.w[l] + (size_t)i * hp;
            for (j = 0; j < H; j++) {
                const float x = roundf(r[j] / q->scale[l][j]);
                o[j] = x > QMAX ? QMAX : x < -QMAX ? -QMAX : x;
            }
            for (; j < hp; j++)
                o[j] = 0.0f;
        }
    }
    memset(v, 0, sizeof *v);
    for (l = 0; l < c->n_layers; l++) {
        v->w[l] = q->wq.w[l];
        v->thr[l] = q->thr[l];
        v->unit[l] = q->scale[l];
    }
    v->integer = 1;
}

void quant_after_batch(quant_t *q, const net_config_t *c, const net_stats_t *s)
{
    int l, j;
    for (l = 0; l < c->n_layers; l++) {
        if (s->mem_peak[l] > q->mem_peak[l])
            q->mem_peak[l] = s->mem_peak[l];
        q->saturated[l] += s->saturated[l];
    }
    if (q->frozen)
        return;
    for (l = 0; l < c->n_layers; l++) {
        float wmax = 0.0f;
        obs_update(&q->cur[l], s->cur_lo[l], s->cur_hi[l], q->observer, q->avg_const);
        obs_update(&q->mem[l], s->mem_lo[l], s->mem_hi[l], q->observer, q->avg_const);
        for (j = 0; j < c->sizes[l + 1]; j++)
            wmax = q->scale[l][j] > wmax ? q->scale[l][j] : wmax;
        if (q->batches < 64) {
            q->hist[q->batches][l][0] = wmax;
            q->hist[q->batches][l][1] = obs_amax(&q->cur[l]);
            q->hist[q->batches][l][2] = obs_amax(&q->mem[l]);
        }
    }
    q->batches++;
    if (q->batches >= q->calib_batches)
        q->frozen = 1;
}

void quant_grad(const quant_t *q, const net_config_t *c, const tensors_t *p, tensors_t *g)
{
    int l, i, j;
    for (l = 0; l < c->n_layers; l++) {
        const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H);
        float inv[SNN_MAX_NEURONS], lim[SNN_MAX_NEURONS];
        for (j = 0; j < H; j++) {
            inv[j] = 1.0f / q->scale[l][j];
            lim[j] = (QMAX + 0.5f) * q->scale[l][j];
        }
        for (i = 0; i < I; i++) {
            const float *w = p->w[l] + (size_t)i * hp;
            float *d = g->w[l] + (size_t)i * hp;
            for (j = 0; j < H; j++)
                d[j] = fabsf(w[j]) <= lim[j] ? d[j] * inv[j] : 0.0f;
        }
    }
}

int quant_thresholds(const quant_t *q, const net_config_t *c)
{
    int l, n = 0;
    for (l = 0; l < c->n_layers; l++)
        n += q->per_channel ? c->sizes[l + 1] : 1;
    return n;
}

int quant_export(const quant_t *q, const net_config_t *c, snn_model_t *m, model_meta_t *meta)
{
    int l, i, j;
    memset(m, 0, sizeof *m);
    memset(meta, 0, sizeof *meta);
    for (l = 0; l < c->n_layers; l++) /* model_layout sizes the threshold table from the mode */
        m->layer[l].threshold_mode = q->per_channel ? SNN_THRESHOLD_NEURON : SNN_THRESHOLD_SHARED;
    model_layout(m, c->n_layers, c->sizes);
    m->steps = (uint8_t)c->steps;
    m->encoding = (uint8_t)c->encoding;
    m->input_bits = (uint8_t)c->input_bits;
    for (l = 0; l < c->n_layers; l++) {
        snn_layer_t *ly = &m->layer[l];
        const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H);
        const int nt = q->per_channel ? H : 1;
        ly->leak_shift = (uint8_t)c->leak_shift[l];
        ly->reset_mode = (uint8_t)c->reset_mode[l];
        for (i = 0; i < I; i++)
            for (j = 0; j < hp; j++)
                m->weights[ly->weight_offset + (size_t)i * hp + j] =
                    (int8_t)(j < H ? q->wq.w[l][(size_t)i * hp + j] : 0.0f);
        for (j = 0; j < nt; j++) {
            m->thresholds[ly->threshold_offset + j] = (int16_t)q->thr[l][j];
            meta->weight_scale[ly->threshold_offset + j] = q->scale[l][j];
            meta->threshold_float[ly->threshold_offset + j] = c->theta;
        }
    }
    meta->int8_accuracy = -1.0f;
    return snn_model_check(m);
}

int quant_batches_needed(const quant_t *q, const net_config_t *c)
{
    const int n = q->batches < 64 ? q->batches : 64;
    int l, k, b, needed = 1;
    if (n == 0)
        return 0;
    for (l = 0; l < c->n_layers; l++)
        for (k = 0; k < 3; k++) {
            const float fin = q->hist[n - 1][l][k];
            for (b = 0; b < n; b++)
                if (fabsf(q->hist[b][l][k] - fin) > 0.01f * fabsf(fin) && b + 2 > needed)
                    needed = b + 2;
        }
    return needed;
}

/* One row of the report: name, observed range, scale and what it means in hardware. */
typedef struct {
    char name[48];
    float lo, hi, amax, scale;
    char hw[160];
} qrow_t;

static int report_rows(const quant_t *q, const net_config_t *c, qrow_t *rows)
{
    int l, j, n = 0;
    for (l = 0; l < c->n_layers; l++) {
        const int H = c->sizes[l + 1];
        float smin = q->scale[l][0], smax = q->scale[l][0];
        for (j = 1; j < H; j++) {
            smin = q->scale[l][j] < smin ? q->scale[l][j] : smin;
            smax = q->scale[l][j] > smax ? q->scale[l][j] : smax;
        }
        qrow_t *r = &rows[n++];
        snprintf(r->name, sizeof r->name, "layer%d.weight", l);
        if (q->per_channel) {
            float lo = 0, hi = 0;
            for (j = 0; j < H; j++) {
                lo = q->wobs[l][j].lo < lo ? q->wobs[l][j].lo : lo;
                hi = q->wobs[l][j].hi > hi ? q->wobs[l][j].hi : hi;
            }
            r->lo = lo;
            r->hi = hi;
            r->amax = smax * QMAX;
            r->scale = smax;
            snprintf(r->hw, sizeof r->hw, "INT8, per-channel: %d scales %.6g..%.6g, thresholds %d..%d",
                     H, smin, smax, (int)q->thr[l][0], (int)q->thr[l][H - 1]);
        } else {
            r->lo = q->wobs[l][0].lo;
            r->hi = q->wobs[l][0].hi;
            r->amax = q->scale[l][0] * QMAX;
            r->scale = q->scale[l][0];
            snprintf(r->hw, sizeof r->hw, "INT8, per-tensor; threshold round(%g / %.6g) = %d",
                     c->theta, r->scale, (int)q->thr[l][0]);
        }
        r = &rows[n++];
        snprintf(r->name, sizeof r->name, "layer%d.current", l);
        r->lo = q->cur[l].lo;
        r->hi = q->cur[l].hi;
        r->amax = obs_amax(&q->cur[l]);
        r->scale = r->amax / QMAX;
        snprintf(r->hw, sizeof r->hw, "hardware: exact %d-bit sum in units of the weight scale",
                 SNN_ACC_BITS);
        r = &rows[n++];
        snprintf(r->name, sizeof r->name, "layer%d.membrane", l);
        r->lo = q->mem[l].lo;
        r->hi = q->mem[l].hi;
        r->amax = obs_amax(&q->mem[l]);
        r->scale = r->amax / QMAX;
        snprintf(r->hw, sizeof r->hw,
                 "hardware: %d-bit in units of the weight scale; peak |V| %d of %d, %llu saturations",
                 SNN_MEMBRANE_BITS, (int)q->mem_peak[l], SNN_MEMBRANE_MAX,
                 (unsigned long long)q->saturated[l]);
    }
    return n;
}

void quant_report_print(const quant_t *q, const net_config_t *c, FILE *f)
{
    qrow_t rows[3 * SNN_MAX_LAYERS];
    const int n = report_rows(q, c, rows);
    int k;
    fprintf(f, "scale report (symmetric INT8 [-%d, %d], zero point 0, scale = amax / %d; %s observer, %s weights)\n",
            SNN_WEIGHT_MAX, SNN_WEIGHT_MAX, SNN_WEIGHT_MAX,
            q->observer == TR_OBS_MINMAX ? "minmax" : "moving-average",
            q->per_channel ? "per-channel" : "per-tensor");
    fprintf(f, "  %-16s %12s %12s %10s  %-30s %s\n", "tensor", "min", "max", "scale", "derivation", "");
    for (k = 0; k < n; k++) {
        char der[64];
        snprintf(der, sizeof der, "%.6g / %d = %.6g", rows[k].amax, SNN_WEIGHT_MAX, rows[k].scale);
        fprintf(f, "  %-16s %12.6g %12.6g %10.6g  %-30s %s\n", rows[k].name, rows[k].lo, rows[k].hi,
                rows[k].scale, der, rows[k].hw);
    }
}

cJSON *quant_report_json(const quant_t *q, const net_config_t *c)
{
    qrow_t rows[3 * SNN_MAX_LAYERS];
    const int n = report_rows(q, c, rows);
    cJSON *arr = cJSON_CreateArray();
    int k, j;
    for (k = 0; k < n; k++) {
        cJSON *o = cJSON_CreateObject();
        char der[128];
        snprintf(der, sizeof der, "scale = amax / %d = %.6g / %d = %.6g", SNN_WEIGHT_MAX, rows[k].amax,
                 SNN_WEIGHT_MAX, rows[k].scale);
        cJSON_AddStringToObject(o, "tensor", rows[k].name);
        cJSON_AddNumberToObject(o, "min", rows[k].lo);
        cJSON_AddNumberToObject(o, "max", rows[k].hi);
        cJSON_AddNumberToObject(o, "amax", rows[k].amax);
        cJSON_AddNumberToObject(o, "scale", rows[k].scale);
        cJSON_AddNumberToObject(o, "zero_point", 0);
        cJSON_AddNumberToObject(o, "qmin", -SNN_WEIGHT_MAX);
        cJSON_AddNumberToObject(o, "qmax", SNN_WEIGHT_MAX);
        cJSON_AddStringToObject(o, "derivation", der);
        cJSON_AddStringToObject(o, "hardware", rows[k].hw);
        if (k % 3 == 0) {
            const int l = k / 3, nt = q->per_channel ? c->sizes[l + 1] : 1;
            cJSON *sc = cJSON_AddArrayToObject(o, "scales"), *th = cJSON_AddArrayToObject(o, "thresholds");
            cJSON_AddStringToObject(o, "granularity", q->per_channel ? "per-channel" : "per-tensor");
            for (j = 0; j < nt; j++) {
                cJSON_AddItemToArray(sc, cJSON_CreateNumber(q->scale[l][j]));
                cJSON_AddItemToArray(th, cJSON_CreateNumber(q->thr[l][j]));
            }
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

int quant_scale_of(const quant_t *q, const net_config_t *c, const char *name, float *scale)
{
    qrow_t rows[3 * SNN_MAX_LAYERS];
    const int n = report_rows(q, c, rows);
    int k, l, ch;
    char kind[16];
    if (sscanf(name, "layer%d.weight[%d]", &l, &ch) == 2) {
        if (l < 0 || l >= c->n_layers || ch < 0 || ch >= c->sizes[l + 1])
            return -1;
        *scale = q->scale[l][q->per_channel ? ch : 0];
        return 0;
    }
    if (sscanf(name, "layer%d.%15s", &l, kind) != 2)
        return -1;
    for (k = 0; k < n; k++)
        if (!strcmp(rows[k].name, name)) {
            *scale = rows[k].scale;
            return 0;
        }
    return -1;
}
