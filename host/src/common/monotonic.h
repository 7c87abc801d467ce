/* SPDX-License-Identifier: MIT
 * monotonic.h : the monotonic clock (CLOCK_MONOTONIC), the one implementation for timeouts,
 * rates and elapsed times.  Header-only so that the Verilator harnesses can use it too.
 */
#ifndef QN_MONOTONIC_H
#define QN_MONOTONIC_H

#include <stdint.h>
#include <time.h>

/* seconds since an arbitrary fixed point */
static inline double monotonic_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* milliseconds since the same point */
static inline int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

#endif
