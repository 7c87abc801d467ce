/* SPDX-License-Identifier: MIT
 * tr_rng.h : stateless, seedable randomness (splitmix64).  Every random choice of a run is a
 * function of (seed, purpose, epoch, index), so a resumed run draws exactly what the killed
 * run would have drawn, whatever the thread count.
 */
#ifndef TR_RNG_H
#define TR_RNG_H

#include <stdint.h>

static inline uint64_t tr_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* A 64-bit value for (seed, a, b, c). */
static inline uint64_t tr_hash(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    return tr_mix64(tr_mix64(tr_mix64(tr_mix64(seed) ^ a) ^ b) ^ c);
}

/* A stream: state advanced by each draw. */
typedef struct {
    uint64_t s;
} tr_rng_t;

static inline uint64_t tr_next(tr_rng_t *r)
{
    r->s += 0x9E3779B97F4A7C15ull;
    return tr_mix64(r->s);
}

/* Uniform in [0, 1). */
static inline float tr_uniform(tr_rng_t *r)
{
    return (float)(tr_next(r) >> 40) * (1.0f / 16777216.0f);
}

/* Uniform integer in [0, n). */
static inline uint32_t tr_below(tr_rng_t *r, uint32_t n)
{
    return (uint32_t)(((tr_next(r) >> 32) * (uint64_t)n) >> 32);
}

#endif
