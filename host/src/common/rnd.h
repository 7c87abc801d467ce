/* SPDX-License-Identifier: MIT
 * rnd.h : the test generators' random numbers (xorshift64*), the one implementation for
 * random models, inputs and cases in the tests and RTL harnesses.  Not for the trainer, whose
 * draws are a stateless function of (seed, purpose, index) (host/src/train/tr_rng.h).
 */
#ifndef QN_RND_H
#define QN_RND_H

#include <stdint.h>

/* state; never 0 */
typedef struct { uint64_t s; } rnd_t;

static inline void rnd_seed(rnd_t *r, uint64_t seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!r->s)
        r->s = 1;
}

static inline uint32_t rnd_u32(rnd_t *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

/* uniform in [lo, hi] (lo <= hi; the modulo bias is irrelevant for test cases) */
static inline int rnd_range(rnd_t *r, int lo, int hi)
{
    return lo + (int)(rnd_u32(r) % (uint32_t)(hi - lo + 1));
}

#endif
