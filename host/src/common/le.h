/* SPDX-License-Identifier: MIT
 * le.h : byte order, the one implementation for every file and wire format: little-endian
 * (model file, board protocol, core configuration), and the one big-endian field of them all,
 * the u32 of idx headers (docs/datasets.md).  Header-only so that every program, the
 * Verilator harnesses and the test stand-ins share it without a link dependency.  The golden
 * model (hls/snn_bus.c) keeps its own two stores: hls/ depends on nothing outside hls/.
 */
#ifndef QN_LE_H
#define QN_LE_H

#include <stdint.h>
#include <string.h>

static inline void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }
/* IEEE-754 binary32, stored as its bit pattern in little-endian order */
static inline void putf32(uint8_t *p, float f) { uint32_t u; memcpy(&u, &f, 4); put32(p, u); }
static inline float getf32(const uint8_t *p) { uint32_t u = get32(p); float f; memcpy(&f, &u, 4); return f; }
/* big-endian u32 (idx headers only) */
static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
