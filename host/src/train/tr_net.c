/* SPDX-License-Identifier: MIT
 * tr_net.c : LIF forward and backward of one sample (see tr_net.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tr_kernels.h"
#include "tr_net.h"
#include "tr_rng.h"

int net_pad(int h)
{
    return SNN_PAD_LANES(h);
}

size_t net_weight_floats(const net_config_t *c)
{
    size_t n = 0;
    int l;
    for (l = 0; l < c->n_layers; l++)
        n += (size_t)c->sizes[l] * net_pad(c->sizes[l + 1]);
    return n;
}

int tensors_alloc(tensors_t *t, const net_config_t *c)
{
    size_t off = 0;
    int l;
    memset(t, 0, sizeof *t);
    t->n = net_weight_floats(c);
    t->mem = aligned_alloc(64, ((t->n * sizeof(float)) + 63) / 64 * 64);
    if (!t->mem)
        return -1;
    memset(t->mem, 0, t->n * sizeof(float));
    for (l = 0; l < c->n_layers; l++) {
        t->w[l] = t->mem + off;
        off += (size_t)c->sizes[l] * net_pad(c->sizes[l + 1]);
    }
    return 0;
}

void tensors_free(tensors_t *t)
{
    free(t->mem);
    memset(t, 0, sizeof *t);
}

void tensors_zero(tensors_t *t)
{
    memset(t->mem, 0, t->n * sizeof(float));
}

void net_init(const net_config_t *c, tensors_t *p, uint32_t seed, float gain)
{
    int l, i, j;
    for (l = 0; l < c->n_layers; l++) {
        const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H);
        const float a = gain * sqrtf(3.0f / (float)I);
        tr_rng_t r = {tr_hash(seed, 0x1417, (uint64_t)l, 0)};
        for (i = 0; i < I; i++)
            for (j = 0; j < hp; j++)
                p->w[l][(size_t)i * hp + j] = j < H ? a * (2.0f * tr_uniform(&r) - 1.0f) : 0.0f;
    }
}

int net_work_alloc(net_work_t *w, const net_config_t *c)
{
    const int T = c->steps, L = c->n_layers;
    size_t bytes = 0, off = 0;
    int l, hpmax = 0, imax = 0;
    memset(w, 0, sizeof *w);
    w->T = T;
    w->tw = (T + 63) / 64;
    for (l = 0; l <= L; l++) {
        if (net_pad(c->sizes[l]) > hpmax)
            hpmax = net_pad(c->sizes[l]);
        if (c->sizes[l] > imax)
            imax = c->sizes[l];
    }
    /* two passes: size, then carve (each piece 64-byte aligned) */
    for (int pass = 0; pass < 2; pass++) {
        off = 0;
#define CARVE(ptr, type, count)                                                    \
    do {                                                                           \
        if (pass)                                                                  \
            ptr = (type *)((char *)w->mem + off);                                  \
        off += (((size_t)(count) * sizeof(type)) + 63) / 64 * 64;                  \
    } while (0)
        CARVE(w->pixels, uint8_t, c->sizes[0]);
        for (l = 0; l <= L; l++) {
            CARVE(w->ev[l], uint16_t, (size_t)T * net_pad(c->sizes[l]) + TR_EVENT_SLACK);
            CARVE(w->nev[l], uint16_t, T);
        }
        for (l = 0; l < L; l++) {
            const int hp = net_pad(c->sizes[l + 1]);
            CARVE(w->u[l], float, (size_t)T * hp);
            CARVE(w->sat[l], uint8_t, (size_t)T * hp);
            CARVE(w->vfinal[l], float, hp);
            CARVE(w->ds[l], float, (size_t)T * hp);
            CARVE(w->du[l], float, (size_t)T * hp);
        }
        CARVE(w->dcur, float, hpmax);
        CARVE(w->dv, float, hpmax);
        CARVE(w->mask, uint64_t, (size_t)imax * w->tw);
        CARVE(w->acc, float, hpmax);
        CARVE(w->iacc, int32_t, hpmax);
#undef CARVE
        if (!pass) {
            bytes = off;
            w->mem = aligned_alloc(64, bytes);
            if (!w->mem)
                return -1;
            memset(w->mem, 0, bytes);
        }
    }
    return 0;
}

void net_work_free(net_work_t *w)
{
    free(w->mem);
    memset(w, 0, sizeof *w);
}

float net_surrogate(int kind, float slope, float uval, float thr)
{
    const float u = (uval - thr) / thr;
    if (kind == TR_SURR_ARCTAN) {
        const float a = 1.57079632679f * slope * u;
        return 0.5f * slope / (1.0f + a * a) / thr;
    }
    const float d = 1.0f + slope * fabsf(u);
    return 1.0f / (d * d) / thr;
}

/* Direct coding: layer 0's constant current; integer mode is snn_direct_current's formula. */
static void direct_current(const net_config_t *c, const net_view_t *v, net_work_t *ws)
{
    const int I = c->sizes[0], H = c->sizes[1], hp = net_pad(H);
    int i, j;
    if (v->integer) {
        for (j = 0; j < hp; j++)
            ws->iacc[j] = 0;
        for (i = 0; i < I; i++) {
            const float *r = v->w[0] + (size_t)i * hp;
            const int32_t x = ws->pixels[i];
            for (j = 0; j < hp; j++)
                ws->iacc[j] += (int32_t)r[j] * x;
        }
        for (j = 0; j < hp; j++) {
            const int32_t b = ws->iacc[j] + (1 << (SNN_DIRECT_SHIFT - 1));
            ws->dcur[j] = (float)(b >= 0 ? b >> SNN_DIRECT_SHIFT
                                         : -((-b + (1 << SNN_DIRECT_SHIFT) - 1) >> SNN_DIRECT_SHIFT));
        }
    } else {
        for (j = 0; j < hp; j++)
            ws->dcur[j] = 0.0f;
        for (i = 0; i < I; i++) {
            const float *r = v->w[0] + (size_t)i * hp;
            const float x = (float)ws->pixels[i] * (1.0f / (1 << SNN_DIRECT_SHIFT));
            for (j = 0; j < hp; j++)
                ws->dcur[j] += r[j] * x;
        }
    }
}

/* lif_forward: one layer, all T steps. */
static void lif_forward(const net_config_t *c, const net_view_t *v, net_work_t *ws, int l)
{
    const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H), T = c->steps;
    const int k = c->leak_shift[l], zero_reset = c->reset_mode[l] == SNN_RESET_ZERO;
    const float inv2k = k ? 1.0f / (float)(1 << k) : 0.0f, beta = 1.0f - inv2k;
    const float *thr = v->thr[l];
    const int direct = l == 0 && c->encoding == SNN_ENCODING_DIRECT;
    const float *unit = v->unit[l];
    float *V = ws->vfinal[l], *acc = ws->acc, *leaked = ws->dv;
    float clo = 0.0f, chi = 0.0f, mlo = 0.0f, mhi = 0.0f, peak = 0.0f;
    uint64_t total = 0, nsat = 0;
    int t, j;

    for (j = 0; j < hp; j++)
        V[j] = 0.0f;
    for (t = 0; t < T; t++) {
        float *u = ws->u[l] + (size_t)t * hp;
        uint8_t *sat = ws->sat[l] + (size_t)t * hp;
        uint16_t *out = ws->ev[l + 1] + (size_t)t * net_pad(H);
        int n = 0;
        if (v->integer)
            for (j = 0; j < hp; j++)
                acc[j] = V[j] - floorf(V[j] * inv2k);
        else
            for (j = 0; j < hp; j++)
                acc[j] = V[j] * beta;
        for (j = 0; j < hp; j++)
            leaked[j] = acc[j];
        if (direct)
            for (j = 0; j < hp; j++)
                acc[j] += ws->dcur[j];
        else
            tr_add_rows(acc, v->w[l], hp, ws->ev[l] + (size_t)t * net_pad(I), ws->nev[l][t]);
        for (j = 0; j < H && v->integer; j++) { /* ranges for the QAT observers */
            const float cu = (acc[j] - leaked[j]) * unit[j], mu = acc[j] * unit[j];
            const float pk = fabsf(acc[j]);
            clo = cu < clo ? cu : clo;
            chi = cu > chi ? cu : chi;
            mlo = mu < mlo ? mu : mlo;
            mhi = mu > mhi ? mu : mhi;
            peak = pk > peak ? pk : peak;
        }
        if (v->integer) {
            for (j = 0; j < hp; j++) {
                const float a = acc[j];
                const float cl = a > (float)SNN_MEMBRANE_MAX ? (float)SNN_MEMBRANE_MAX
                                 : a < (float)SNN_MEMBRANE_MIN ? (float)SNN_MEMBRANE_MIN : a;
                u[j] = cl;
                sat[j] = cl != a;
            }
            for (j = 0; j < hp; j++)
                nsat += sat[j];
        } else {
            memcpy(u, acc, (size_t)hp * sizeof(float));
            memset(sat, 0, (size_t)hp);
        }
        n = tr_fire(u, thr, H, zero_reset, V, out);
        ws->nev[l + 1][t] = (uint16_t)n;
        total += (uint64_t)n;
    }
    {
        net_stats_t *st = &ws->stats;
        st->cur_lo[l] = clo < st->cur_lo[l] ? clo : st->cur_lo[l];
        st->cur_hi[l] = chi > st->cur_hi[l] ? chi : st->cur_hi[l];
        st->mem_lo[l] = mlo < st->mem_lo[l] ? mlo : st->mem_lo[l];
        st->mem_hi[l] = mhi > st->mem_hi[l] ? mhi : st->mem_hi[l];
        st->mem_peak[l] = peak > st->mem_peak[l] ? peak : st->mem_peak[l];
        st->saturated[l] += nsat;
        st->spikes[l] += total;
    }
}

void net_stats_reset(net_stats_t *s)
{
    memset(s, 0, sizeof *s);
}

void net_stats_merge(net_stats_t *into, const net_stats_t *from)
{
    int l;
    for (l = 0; l < SNN_MAX_LAYERS; l++) {
        into->cur_lo[l] = from->cur_lo[l] < into->cur_lo[l] ? from->cur_lo[l] : into->cur_lo[l];
        into->cur_hi[l] = from->cur_hi[l] > into->cur_hi[l] ? from->cur_hi[l] : into->cur_hi[l];
        into->mem_lo[l] = from->mem_lo[l] < into->mem_lo[l] ? from->mem_lo[l] : into->mem_lo[l];
        into->mem_hi[l] = from->mem_hi[l] > into->mem_hi[l] ? from->mem_hi[l] : into->mem_hi[l];
        into->mem_peak[l] = from->mem_peak[l] > into->mem_peak[l] ? from->mem_peak[l] : into->mem_peak[l];
        into->saturated[l] += from->saturated[l];
        into->spikes[l] += from->spikes[l];
    }
    into->samples += from->samples;
}

int net_forward(const net_config_t *c, const net_view_t *v, net_work_t *ws, uint32_t seed)
{
    const int L = c->n_layers, T = c->steps, I0 = c->sizes[0], Hl = c->sizes[L];
    int l, t, e, j, best = 0;

    /* the network sees quantized pixels, exactly as snn_input_pixels gives them (forward and
     * backward both read ws->pixels; quantizing twice changes nothing) */
    if (c->input_bits == SNN_INPUT_BITS_Q4)
        for (j = 0; j < I0; j++)
            ws->pixels[j] = (uint8_t)SNN_Q4_PIXEL(SNN_Q4_CODE(ws->pixels[j]));

    if (c->encoding == SNN_ENCODING_DIRECT) {
        direct_current(c, v, ws);
    } else {
        snn_encoder_t enc;
        snn_encode_seed(&enc, seed);
        for (t = 0; t < T; t++)
            ws->nev[0][t] = (uint16_t)tr_encode_rate_step(enc.s, ws->pixels, I0, ws->ev[0] + (size_t)t * net_pad(I0));
    }
    for (l = 0; l < L; l++)
        lif_forward(c, v, ws, l);
    ws->stats.samples++;
    for (j = 0; j < Hl; j++)
        ws->counts[j] = 0;
    for (t = 0; t < T; t++) {
        const uint16_t *ev = ws->ev[L] + (size_t)t * net_pad(Hl);
        for (e = 0; e < ws->nev[L][t]; e++)
            ws->counts[ev[e]]++;
    }
    for (j = 1; j < Hl; j++)
        if (ws->counts[j] > ws->counts[best] ||
            (ws->counts[j] == ws->counts[best] && ws->vfinal[L - 1][j] > ws->vfinal[L - 1][best]))
            best = j;
    return best;
}

float net_loss(const net_config_t *c, const net_view_t *v, net_work_t *ws, int y, float gscale)
{
    const int L = c->n_layers, T = c->steps, H = c->sizes[L], hp = net_pad(H);
    const float *thr = v->thr[L - 1];
    float z[SNN_MAX_NEURONS] = {0}, p[SNN_MAX_NEURONS], zmax, sum = 0.0f;
    float *ds = ws->ds[L - 1], *du = ws->du[L - 1];
    int t, j;

    memset(ds, 0, (size_t)T * hp * sizeof(float));
    memset(du, 0, (size_t)T * hp * sizeof(float));
    for (j = 0; j < H; j++) {
        if (c->loss == TR_LOSS_MEMBRANE) {
            float s = 0.0f;
            for (t = 0; t < T; t++)
                s += ws->u[L - 1][(size_t)t * hp + j];
            z[j] = c->logit_scale * s / ((float)T * thr[j]);
        } else {
            z[j] = c->logit_scale * (float)ws->counts[j];
        }
    }
    zmax = z[0];
    for (j = 1; j < H; j++)
        zmax = z[j] > zmax ? z[j] : zmax;
    for (j = 0; j < H; j++) {
        p[j] = expf(z[j] - zmax);
        sum += p[j];
    }
    for (j = 0; j < H; j++) {
        const float g = gscale * c->logit_scale * (p[j] / sum - (j == y ? 1.0f : 0.0f));
        for (t = 0; t < T; t++) {
            if (c->loss == TR_LOSS_MEMBRANE)
                du[(size_t)t * hp + j] = g / ((float)T * thr[j]);
            else
                ds[(size_t)t * hp + j] = g;
        }
    }
    return -(z[y] - zmax - logf(sum));
}

/* lif_backward: one layer; du[l] holds an external dloss/dU on entry (0 unless the loss put
 * one there) and dloss/dU on exit; ds[l] holds dloss/dspike. */
static void lif_backward(const net_config_t *c, const net_view_t *v, net_work_t *ws, int l)
{
    const int H = c->sizes[l + 1], hp = net_pad(H), T = c->steps;
    const int k = c->leak_shift[l], zero_reset = c->reset_mode[l] == SNN_RESET_ZERO;
    const float beta = 1.0f - (k ? 1.0f / (float)(1 << k) : 0.0f);
    const float *thr = v->thr[l];
    float *dv = ws->dv;
    int t, j;

    for (j = 0; j < hp; j++)
        dv[j] = 0.0f;
    for (t = T - 1; t >= 0; t--) {
        const float *u = ws->u[l] + (size_t)t * hp, *ds = ws->ds[l] + (size_t)t * hp;
        const uint8_t *sat = ws->sat[l] + (size_t)t * hp;
        float *du = ws->du[l] + (size_t)t * hp;
        for (j = 0; j < H; j++) {
            /* the reset is detached: no gradient through the spike into V */
            const float carry = zero_reset && u[j] >= thr[j] ? 0.0f : dv[j];
            float g = du[j] + carry + ds[j] * net_surrogate(c->surrogate, c->slope, u[j], thr[j]);
            if (sat[j]) /* straight-through clamp: no gradient where saturation clipped */
                g = 0.0f;
            du[j] = g;
            dv[j] = g * beta; /* straight-through floor of the leak */
        }
        for (; j < hp; j++)
            du[j] = 0.0f;
    }
}

void net_backward(const net_config_t *c, const net_view_t *v, net_work_t *ws, tensors_t *g)
{
    const int L = c->n_layers, T = c->steps;
    int l, t, e, j, i;

    for (l = L - 1; l >= 0; l--) {
        const int I = c->sizes[l], H = c->sizes[l + 1], hp = net_pad(H), ip = net_pad(I);
        if (l < L - 1)
            memset(ws->du[l], 0, (size_t)T * hp * sizeof(float));
        lif_backward(c, v, ws, l);
        if (l == 0 && c->encoding == SNN_ENCODING_DIRECT) {
            float *dsum = ws->acc;
            for (j = 0; j < hp; j++)
                dsum[j] = 0.0f;
            for (t = 0; t < T; t++)
                for (j = 0; j < hp; j++)
                    dsum[j] += ws->du[0][(size_t)t * hp + j];
            for (i = 0; i < I; i++) {
                const float x = (float)ws->pixels[i] * (1.0f / (1 << SNN_DIRECT_SHIFT));
                float *r = g->w[0] + (size_t)i * hp;
                if (x != 0.0f)
                    for (j = 0; j < hp; j++)
                        r[j] += x * dsum[j];
            }
        } else {
            memset(ws->mask, 0, (size_t)I * ws->tw * sizeof(uint64_t));
            for (t = 0; t < T; t++) {
                const uint16_t *ev = ws->ev[l] + (size_t)t * ip;
                for (e = 0; e < ws->nev[l][t]; e++)
                    ws->mask[(size_t)ev[e] * ws->tw + t / 64] |= 1ull << (t % 64);
            }
            tr_scatter_rows(g->w[l], ws->du[l], hp, ws->mask, I, ws->tw);
        }
        if (l > 0) {
            for (t = 0; t < T; t++) {
                float *dsp = ws->ds[l - 1] + (size_t)t * ip;
                tr_row_dots(dsp, v->w[l], hp, ws->du[l] + (size_t)t * hp, I);
                for (i = I; i < ip; i++)
                    dsp[i] = 0.0f;
            }
        }
    }
}
