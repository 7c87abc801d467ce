/* SPDX-License-Identifier: MIT
 * export_c.h : a model as a C header of constant arrays that compiles with hls/ into
 * firmware: `#include "model.h"` then snn_infer(&NAME, pixels, seed, &result, NULL).
 */
#ifndef EXPORT_C_H
#define EXPORT_C_H

#include "model_file.h"

/* name: the C identifier of the snn_model_t constant.  Returns 0 or -1 with err. */
int export_c_write(const char *path, const char *name, const snn_model_t *m, const model_meta_t *meta,
                   char *err, size_t err_len);

#endif
