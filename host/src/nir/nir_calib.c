/* SPDX-License-Identifier: MIT
 * nir_calib.c : the trainer's calibration and evaluation engine on an imported network.
 */
#include "nir_calib.h"

#include <stdio.h>
#include <stdlib.h>

#include "dataset.h"
#include "json_report.h"
#include "tr_engine.h"

#define CALIB_BATCH 256

int nir_calibrate(nir_net_t *n, quant_t *q, const nir_calib_opts_t *o, cJSON *report, char *err, size_t err_len)
{
    dataset_t d;
    engine_t e;
    net_stats_t st;
    net_view_t fv, iv;
    uint8_t *pf = NULL, *pi = NULL;
    int rc = -1, k, nt, agree = 0, cf, ci, b, nb;
    cJSON *r;
    if (dataset_load(o->data, &d, err, err_len) < 0)
        return -1;
    if (d.test.rows * d.test.cols != n->c.sizes[0]) {
        snprintf(err, err_len, "--data %s: images have %d x %d = %d pixels, the network takes %d inputs", o->data,
                 d.test.rows, d.test.cols, d.test.rows * d.test.cols, n->c.sizes[0]);
        dataset_free(&d);
        return -1;
    }
    if (engine_init(&e, &n->c, o->threads, 1, 0, 0, 0) < 0) {   /* evaluation only: one gradient shard */
        snprintf(err, err_len, "out of memory for the evaluation engine");
        dataset_free(&d);
        return -1;
    }
    /* calibration: the observers see calib_images training images (in order) through the
     * integer model, batch by batch, as host/train --qat-epochs 0 does */
    nb = (o->calib_images + CALIB_BATCH - 1) / CALIB_BATCH;
    q->calib_batches = nb;
    q->frozen = 0;
    q->batches = 0;
    for (b = 0; b < nb; b++) {
        int idx[CALIB_BATCH], m = 0;
        for (k = 0; k < CALIB_BATCH && b * CALIB_BATCH + k < o->calib_images; k++)
            idx[m++] = (b * CALIB_BATCH + k) % d.train.n;
        quant_prepare(q, &n->c, &n->p, &iv);
        if (nir_apply_thresholds(n, q, err, err_len) < 0)
            goto out;
        engine_eval(&e, &iv, &d.train, idx, m, NULL, &st);
        quant_after_batch(q, &n->c, &st);
    }
    nt = o->limit > 0 && o->limit < d.test.n ? o->limit : d.test.n;
    pf = malloc((size_t)nt);
    pi = malloc((size_t)nt);
    if (!pf || !pi) {
        snprintf(err, err_len, "out of memory for %d predictions", nt);
        goto out;
    }
    if (!o->quiet)
        fprintf(stderr, "nir: --data %s: calibrated on %d training images; comparing float and INT8 on %d test "
                "images\n", d.name, o->calib_images, nt);
    quant_float_view(q, &n->c, &n->p, &fv);
    cf = engine_eval(&e, &fv, &d.test, NULL, nt, pf, NULL);
    quant_prepare(q, &n->c, &n->p, &iv);
    if (nir_apply_thresholds(n, q, err, err_len) < 0)
        goto out;
    ci = engine_eval(&e, &iv, &d.test, NULL, nt, pi, &st);
    for (k = 0; k < nt; k++)
        agree += pf[k] == pi[k];
    n->meta_in.int8_accuracy = (float)ci / (float)nt; /* a fraction, docs/model-format.md */
    r = cJSON_AddObjectToObject(report, "data");
    cJSON_AddStringToObject(r, "dataset", d.name);
    cJSON_AddNumberToObject(r, "calibration_images", o->calib_images);
    cJSON_AddNumberToObject(r, "test_images", nt);
    json_add_rounded(r, "float_accuracy", (double)cf / nt, 6);
    json_add_rounded(r, "int8_accuracy", (double)ci / nt, 6);
    json_add_rounded(r, "agreement", (double)agree / nt, 6);
    cJSON_AddNumberToObject(r, "disagreements", nt - agree);
    cJSON_AddItemToObject(r, "scale_report", quant_report_json(q, &n->c));
    if (!o->quiet) {
        quant_report_print(q, &n->c, stderr);
        fprintf(stderr, "nir: float %.4f, INT8 %.4f, float-vs-INT8 agreement %.4f (%d of %d differ)\n",
                (double)cf / nt, (double)ci / nt, (double)agree / nt, nt - agree, nt);
    }
    rc = 0;
out:
    free(pf);
    free(pi);
    engine_free(&e);
    dataset_free(&d);
    return rc;
}
