/* SPDX-License-Identifier: MIT
 * tr_kernels.c : event-driven row additions with GCC vector types (AVX2 with -march=native,
 * SSE pairs otherwise).  Sums of integer-valued floats below 2^24 are exact in any order,
 * so the integer (QAT) forward stays bit-exact whatever the vectorisation does.
 */
#include <string.h>
#ifdef __AVX2__
#include <immintrin.h>
#endif
#include "snn.h"
#include "tr_kernels.h"

typedef float v8f __attribute__((vector_size(32)));

static inline v8f ld(const float *p)
{
    v8f x;
    memcpy(&x, p, sizeof x);
    return x;
}

static inline void st(float *p, v8f x)
{
    memcpy(p, &x, sizeof x);
}

void tr_add_rows(float *acc, const float *w, int hp, const uint16_t *ev, int n_ev)
{
    int jb = 0, e, k;
    for (; jb + 128 <= hp; jb += 128) { /* 16 registers of accumulator, memory operands */
        v8f a[16];
        for (k = 0; k < 16; k++)
            a[k] = ld(acc + jb + 8 * k);
        for (e = 0; e < n_ev; e++) {
            const float *r = w + (size_t)ev[e] * hp + jb;
            for (k = 0; k < 16; k++)
                a[k] += ld(r + 8 * k);
        }
        for (k = 0; k < 16; k++)
            st(acc + jb + 8 * k, a[k]);
    }
    for (; jb + 64 <= hp; jb += 64) { /* 8 registers of accumulator */
        v8f a0 = ld(acc + jb), a1 = ld(acc + jb + 8), a2 = ld(acc + jb + 16), a3 = ld(acc + jb + 24);
        v8f a4 = ld(acc + jb + 32), a5 = ld(acc + jb + 40), a6 = ld(acc + jb + 48), a7 = ld(acc + jb + 56);
        for (e = 0; e < n_ev; e++) {
            const float *r = w + (size_t)ev[e] * hp + jb;
            a0 += ld(r);      a1 += ld(r + 8);  a2 += ld(r + 16); a3 += ld(r + 24);
            a4 += ld(r + 32); a5 += ld(r + 40); a6 += ld(r + 48); a7 += ld(r + 56);
        }
        st(acc + jb, a0);      st(acc + jb + 8, a1);  st(acc + jb + 16, a2); st(acc + jb + 24, a3);
        st(acc + jb + 32, a4); st(acc + jb + 40, a5); st(acc + jb + 48, a6); st(acc + jb + 56, a7);
    }
    for (; jb < hp; jb += 8) {
        v8f a = ld(acc + jb);
        for (e = 0; e < n_ev; e++)
            a += ld(w + (size_t)ev[e] * hp + jb);
        st(acc + jb, a);
    }
}

/* dw row (128 floats from jb) += the d rows whose time bit is set. */
static void scatter_block128(float *dwr, const float *d, int hp, const uint64_t *m, int tw)
{
    v8f a[16];
    int k, q;
    for (q = 0; q < 16; q++)
        a[q] = ld(dwr + 8 * q);
    for (k = 0; k < tw; k++) {
        uint64_t bits = m[k];
        while (bits) {
            const float *r = d + (size_t)(k * 64 + __builtin_ctzll(bits)) * hp;
            bits &= bits - 1;
            for (q = 0; q < 16; q++)
                a[q] += ld(r + 8 * q);
        }
    }
    for (q = 0; q < 16; q++)
        st(dwr + 8 * q, a[q]);
}

/* dw row (64 floats from jb) += the d rows whose time bit is set. */
static void scatter_block64(float *dwr, const float *d, int hp, const uint64_t *m, int tw)
{
    v8f a0 = ld(dwr), a1 = ld(dwr + 8), a2 = ld(dwr + 16), a3 = ld(dwr + 24);
    v8f a4 = ld(dwr + 32), a5 = ld(dwr + 40), a6 = ld(dwr + 48), a7 = ld(dwr + 56);
    int k;
    for (k = 0; k < tw; k++) {
        uint64_t bits = m[k];
        while (bits) {
            const int t = k * 64 + __builtin_ctzll(bits);
            const float *r = d + (size_t)t * hp;
            bits &= bits - 1;
            a0 += ld(r);      a1 += ld(r + 8);  a2 += ld(r + 16); a3 += ld(r + 24);
            a4 += ld(r + 32); a5 += ld(r + 40); a6 += ld(r + 48); a7 += ld(r + 56);
        }
    }
    st(dwr, a0);      st(dwr + 8, a1);  st(dwr + 16, a2); st(dwr + 24, a3);
    st(dwr + 32, a4); st(dwr + 40, a5); st(dwr + 48, a6); st(dwr + 56, a7);
}

void tr_scatter_rows(float *dw, const float *d, int hp, const uint64_t *mask, int n_in, int tw)
{
    int i, k, jb;
    for (i = 0; i < n_in; i++) {
        const uint64_t *m = mask + (size_t)i * tw;
        uint64_t any = 0;
        for (k = 0; k < tw; k++)
            any |= m[k];
        if (!any)
            continue;
        float *dwr = dw + (size_t)i * hp;
        for (jb = 0; jb + 128 <= hp; jb += 128)
            scatter_block128(dwr + jb, d + jb, hp, m, tw);
        for (; jb + 64 <= hp; jb += 64)
            scatter_block64(dwr + jb, d + jb, hp, m, tw);
        for (; jb < hp; jb += 8) {
            v8f a = ld(dwr + jb);
            for (k = 0; k < tw; k++) {
                uint64_t bits = m[k];
                while (bits) {
                    const int t = k * 64 + __builtin_ctzll(bits);
                    bits &= bits - 1;
                    a += ld(d + (size_t)t * hp + jb);
                }
            }
            st(dwr + jb, a);
        }
    }
}

void tr_row_dots(float *out, const float *w, int hp, const float *d, int n_in)
{
    int i, jb;
    for (i = 0; i < n_in; i++) {
        const float *r = w + (size_t)i * hp;
        v8f a = {0, 0, 0, 0, 0, 0, 0, 0};
        for (jb = 0; jb < hp; jb += 8)
            a += ld(r + jb) * ld(d + jb);
        out[i] = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    }
}

/* lut[m]: the positions of the set bits of m, ascending (branch-free event compaction) */
static uint8_t lut[256][8];

__attribute__((constructor)) static void lut_init(void)
{
    int m, b, n;
    for (m = 0; m < 256; m++)
        for (b = 0, n = 0; b < 8; b++)
            if (m >> b & 1)
                lut[m][n++] = (uint8_t)b;
}

#ifdef __AVX2__
/* events[n..n+8) = base + lut[m]; returns the new count. */
static inline int emit8(uint16_t *events, int n, unsigned m, int base)
{
    __m128i idx = _mm_add_epi16(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)lut[m])),
                                _mm_set1_epi16((short)base));
    _mm_storeu_si128((__m128i *)(events + n), idx);
    return n + __builtin_popcount(m);
}
#endif

#ifdef __AVX2__
/* snn_lfsr32_step8 on eight states.  Over 8 steps the low byte L of s is shifted out and each of
 * its bits feeds the taps back, so the draw is (s >> 8) ^ (L times the taps, carry-less):
 * feedback bit p lands at p - 7 + k for bit k of L (taps below bit 7 would fall off: none). */
_Static_assert((SNN_ENC_LFSR_FEEDBACK & 0x7Fu) == 0, "LFSR taps below bit 7: closed form invalid");
_Static_assert(SNN_PIXEL_BITS == 8, "the closed form is written for 8 steps per draw");
static inline __m256i lfsr_step8_x8(__m256i s)
{
    const __m256i low = _mm256_and_si256(s, _mm256_set1_epi32(0xFF));
    __m256i n = _mm256_srli_epi32(s, 8);
    int p;
#pragma GCC unroll 32
    for (p = 7; p < 32; p++)
        if (SNN_ENC_LFSR_FEEDBACK >> p & 1u)
            n = _mm256_xor_si256(n, _mm256_slli_epi32(low, p - 7));
    return n;
}
#endif

int tr_encode_rate_step(uint32_t *s, const uint8_t *pixels, int n, uint16_t *events)
{
    int i = 0, g, n_ev = 0;
#ifdef __AVX2__
    __m256i st = _mm256_loadu_si256((const __m256i *)s);
    for (; i + SNN_ENC_STREAMS <= n; i += SNN_ENC_STREAMS) {
        __m256i px = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(pixels + i)));
        st = lfsr_step8_x8(st);
        /* spike iff (s >> 24) < pixel; both fit 8 bits, so a signed compare is exact */
        unsigned m = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(
            _mm256_cmpgt_epi32(px, _mm256_srli_epi32(st, 24))));
        n_ev = emit8(events, n_ev, m, i);
    }
    _mm256_storeu_si256((__m256i *)s, st);
#endif
    for (; i + SNN_ENC_STREAMS <= n; i += SNN_ENC_STREAMS)
        for (g = 0; g < SNN_ENC_STREAMS; g++) {
            s[g] = snn_lfsr32_step8(s[g]);
            events[n_ev] = (uint16_t)(i + g);
            n_ev += (s[g] >> 24) < pixels[i + g];
        }
    for (g = 0; i + g < n; g++) { /* the first n % 8 streams serve the last pixels */
        s[g] = snn_lfsr32_step8(s[g]);
        events[n_ev] = (uint16_t)(i + g);
        n_ev += (s[g] >> 24) < pixels[i + g];
    }
    return n_ev;
}

int tr_fire(const float *u, const float *thr, int h, int zero_reset, float *v, uint16_t *out)
{
    int j = 0, n = 0;
#ifdef __AVX2__
    for (; j < h; j += 8) {
        const __m256 uu = _mm256_loadu_ps(u + j), th = _mm256_loadu_ps(thr + j);
        const __m256 fired = _mm256_cmp_ps(uu, th, _CMP_GE_OQ);
        const __m256 drop = _mm256_and_ps(fired, zero_reset ? uu : th);
        unsigned m = (unsigned)_mm256_movemask_ps(fired);
        if (h - j < 8)
            m &= (1u << (h - j)) - 1u;
        _mm256_storeu_ps(v + j, _mm256_sub_ps(uu, drop));
        n = emit8(out, n, m, j);
    }
    for (j = h; j < ((h + 7) & ~7); j++) /* padding neurons never fire; keep them at u */
        v[j] = u[j];
#else
    for (; j < h; j++) {
        const int f = u[j] >= thr[j];
        v[j] = f ? (zero_reset ? 0.0f : u[j] - thr[j]) : u[j];
        out[n] = (uint16_t)j;
        n += f;
    }
#endif
    return n;
}
