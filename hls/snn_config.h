/* SPDX-License-Identifier: MIT
 * snn_config.h : C view of hls/snn_config.def (capacity, widths, codes).
 */
#ifndef SNN_CONFIG_H
#define SNN_CONFIG_H

enum {
#define SNN_CONST(name, value, doc) name = (value),
#include "snn_config.def"
#undef SNN_CONST
};

/* derived sizes */
#define SNN_MEMBRANE_MAX ((1 << (SNN_MEMBRANE_BITS - 1)) - 1)
#define SNN_MEMBRANE_MIN (-(1 << (SNN_MEMBRANE_BITS - 1)))
#define SNN_PAD_LANES(n) ((((n) + SNN_LANES - 1) / SNN_LANES) * SNN_LANES)
#define SNN_WORDS(n) (((n) + 31) / 32)

#endif
