/* SPDX-License-Identifier: MIT
 * nir_export.c : Quantarion model -> NIR graph (docs/nir.md "Export").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nir_map.h"

/* The NIR file format our writer produces (the `nir` release it is tested against). */
#define NIR_WRITE_VERSION "1.0.8"

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
    return -1;
}

static int add_scalar(nir_value_t *vals, int *n, const char *name, int kind, double x)
{
    return nir_add_value(vals, n, name, kind, 0, NULL, &x) ? 0 : -1;
}

static int add_vector(nir_value_t *vals, int *n, const char *name, int kind, size_t len, const double *x)
{
    return nir_add_value(vals, n, name, kind, 1, &len, x) ? 0 : -1;
}

/* One layer: Linear "linear<l>" and LIF (or IF for no leak) "lif<l>"/"if<l>". */
static int export_layer(const snn_model_t *m, const model_meta_t *meta, int l, nir_graph_t *g,
                        char names[][NIR_NAME_LEN])
{
    static double w[SNN_MAX_NEURONS * SNN_MAX_INPUTS];
    static int8_t wi[SNN_MAX_NEURONS * SNN_MAX_INPUTS];
    const snn_layer_t *ly = &m->layer[l];
    const int I = ly->n_in, H = ly->n_out, nt = model_layer_thresholds(m, l), k = ly->leak_shift;
    double tau[SNN_MAX_NEURONS], r[SNN_MAX_NEURONS], zero[SNN_MAX_NEURONS], vth[SNN_MAX_NEURONS];
    double scale[SNN_MAX_NEURONS], thf[SNN_MAX_NEURONS];
    const size_t dims[2] = {(size_t)H, (size_t)I};
    nir_node_t *lin, *neu;
    int i, j;
    snprintf(names[0], NIR_NAME_LEN, "linear%d", l);
    snprintf(names[1], NIR_NAME_LEN, k ? "lif%d" : "if%d", l);
    model_get_layer_weights(m, l, wi);
    for (j = 0; j < nt; j++) {
        scale[j] = meta->weight_scale[ly->threshold_offset + j];
        thf[j] = meta->threshold_float[ly->threshold_offset + j];
    }
    for (j = 0; j < H; j++) {
        const float s = (float)scale[nt > 1 ? j : 0];
        const int16_t th = m->thresholds[ly->threshold_offset + (nt > 1 ? j : 0)];
        for (i = 0; i < I; i++)
            w[(size_t)j * I + i] = (double)((float)wi[(size_t)i * H + j] * s); /* (H, I): NIR's out x in */
        /* between theta - 1 and theta in integer units: v > v_threshold and V >= theta agree */
        vth[j] = (double)(float)(((double)th - 0.5) * (double)s);
        tau[j] = (double)(float)(NIR_DT_SNNTORCH * (double)(1 << k)); /* tau = dt * 2^k */
        r[j] = k ? (double)(1 << k) : 1.0;                            /* LIF: r = tau / dt; IF: 1 */
        zero[j] = 0.0;
    }
    if (!(lin = nir_add_node(g, names[0], "Linear")) ||
        !nir_add_value(lin->param, &lin->n_params, "weight", NIR_F32, 2, dims, w) ||
        add_vector(lin->meta, &lin->n_meta, "quantarion_weight_scale", NIR_F32, (size_t)nt, scale) < 0 ||
        !(neu = nir_add_node(g, names[1], k ? "LIF" : "IF")))
        return -1;
    if (k && (add_vector(neu->param, &neu->n_params, "tau", NIR_F32, (size_t)H, tau) < 0 ||
              add_vector(neu->param, &neu->n_params, "v_leak", NIR_F32, (size_t)H, zero) < 0))
        return -1;
    if (add_vector(neu->param, &neu->n_params, "r", NIR_F32, (size_t)H, r) < 0 ||
        add_vector(neu->param, &neu->n_params, "v_threshold", NIR_F32, (size_t)H, vth) < 0 ||
        add_vector(neu->param, &neu->n_params, "v_reset", NIR_F32, (size_t)H, zero) < 0 ||
        !nir_add_string(neu->meta, &neu->n_meta, "quantarion_reset", nir_reset_name(ly->reset_mode)) ||
        add_vector(neu->meta, &neu->n_meta, "quantarion_threshold_float", NIR_F32, (size_t)nt, thf) < 0 ||
        add_scalar(neu->meta, &neu->n_meta, "quantarion_leak_shift", NIR_I64, k) < 0)
        return -1;
    return 0;
}

int nir_export_graph(const snn_model_t *m, const model_meta_t *meta, nir_graph_t *g, char *err, size_t err_len)
{
    char names[SNN_MAX_LAYERS][2][NIR_NAME_LEN], dataset[sizeof meta->dataset + 1], exit_text[MODEL_EXIT_TEXT_BYTES];
    const char *prev = "input";
    nir_node_t *nd;
    double size;
    size_t one = 1;
    int l;
    memset(g, 0, sizeof *g);
    snprintf(dataset, sizeof dataset, "%.*s", (int)sizeof meta->dataset, meta->dataset);
    snprintf(g->version, sizeof g->version, "%s", NIR_WRITE_VERSION);
    for (l = 1; l < m->n_layers; l++)
        if (m->layer[l].threshold_mode != m->layer[0].threshold_mode)
            return fail(err, err_len, "layer %d's threshold mode differs from layer 0's: the NIR metadata holds one "
                        "weight granularity for the whole model", l);
    size = m->layer[0].n_in;
    if (!(nd = nir_add_node(g, "input", "Input")) ||
        !nir_add_value(nd->param, &nd->n_params, "shape", NIR_I64, 1, &one, &size))
        goto oom;
    for (l = 0; l < m->n_layers; l++) {
        if (export_layer(m, meta, l, g, names[l]) < 0 || nir_add_edge(g, prev, names[l][0]) < 0 ||
            nir_add_edge(g, names[l][0], names[l][1]) < 0)
            goto oom;
        prev = names[l][1];
    }
    size = m->layer[m->n_layers - 1].n_out;
    if (!(nd = nir_add_node(g, "output", "Output")) ||
        !nir_add_value(nd->param, &nd->n_params, "shape", NIR_I64, 1, &one, &size) ||
        nir_add_edge(g, prev, "output") < 0)
        goto oom;
    /* what NIR has no field for (docs/nir.md "Export") */
    model_exit_format(m, exit_text);
    if (add_scalar(g->meta, &g->n_meta, "quantarion_model_version", NIR_I64, MODEL_FILE_VERSION) < 0 ||
        add_scalar(g->meta, &g->n_meta, "quantarion_steps", NIR_I64, m->steps) < 0 ||
        add_scalar(g->meta, &g->n_meta, "quantarion_input_bits", NIR_I64, m->input_bits) < 0 ||
        !nir_add_string(g->meta, &g->n_meta, "quantarion_encoding", nir_encoding_name(m->encoding)) ||
        !nir_add_string(g->meta, &g->n_meta, "quantarion_weights",
                        m->layer[0].threshold_mode == SNN_THRESHOLD_NEURON ? "per-channel" : "per-tensor") ||
        add_scalar(g->meta, &g->n_meta, "quantarion_dt", NIR_F64, NIR_DT_SNNTORCH) < 0 ||
        !nir_add_string(g->meta, &g->n_meta, "quantarion_dataset", dataset) ||
        add_scalar(g->meta, &g->n_meta, "quantarion_train_seed", NIR_I64, meta->train_seed) < 0 ||
        add_scalar(g->meta, &g->n_meta, "quantarion_int8_accuracy", NIR_F32, meta->int8_accuracy) < 0 ||
        !nir_add_string(g->meta, &g->n_meta, "quantarion_early_exit", exit_text))
        goto oom;
    return 0;
oom:
    nir_graph_free(g);
    return fail(err, err_len, "the graph outgrew its tables (%d nodes, %d values per node)", NIR_MAX_NODES,
                NIR_MAX_VALUES);
}
