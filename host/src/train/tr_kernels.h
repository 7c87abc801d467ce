/* SPDX-License-Identifier: MIT
 * tr_kernels.h : the trainer's hot loops.  Spikes are binary, so a spike selects a weight row
 * (forward) or a gradient row (backward) and no multiply is needed.  Row lengths are
 * multiples of SNN_LANES (8), blocks of 64 floats stay in vector registers.
 */
#ifndef TR_KERNELS_H
#define TR_KERNELS_H

#include <stdint.h>

/* acc (hp) += sum over events e of w[ev[e] * hp ...] (rows of w, stride hp). */
void tr_add_rows(float *acc, const float *w, int hp, const uint16_t *ev, int n_ev);
/* For every input i with a non-zero T-bit mask (tw words): dw[i] (hp) += sum over the set
 * bits t of d[t] (hp). */
void tr_scatter_rows(float *dw, const float *d, int hp, const uint64_t *mask, int n_in, int tw);
/* One step of rate coding, exactly snn_encode_rate_step (same LFSR streams, same events; tested),
 * eight pixels per AVX2 instruction.  s holds the SNN_ENC_STREAMS generators. */
int tr_encode_rate_step(uint32_t *s, const uint8_t *pixels, int n, uint16_t *events);
/* Fire and reset for neurons [0, h) of membrane u (hp = h padded to 8): V = u reset where
 * u >= thr (to 0, or minus thr); the indices that fired go to out (ascending).  Returns how
 * many.  out and events may be written up to 8 entries past the count (keep the slack). */
int tr_fire(const float *u, const float *thr, int h, int zero_reset, float *v, uint16_t *out);
#define TR_EVENT_SLACK 16
/* out[i] = dot(w[i] (hp), d (hp)) for i < n_in. */
void tr_row_dots(float *out, const float *w, int hp, const float *d, int n_in);

#endif
