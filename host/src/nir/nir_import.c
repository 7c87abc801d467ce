/* SPDX-License-Identifier: MIT
 * nir_import.c : NIR graph -> the trainer's float network -> INT8 model (docs/nir.md "Import").
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nir_map.h"
#include "tr_fit.h"

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
    return -1;
}

static void warn(nir_net_t *n, const char *fmt, ...)
{
    va_list ap;
    if (n->n_warnings >= NIR_MAX_WARNINGS)
        return;
    va_start(ap, fmt);
    vsnprintf(n->warning[n->n_warnings++], sizeof n->warning[0], fmt, ap);
    va_end(ap);
}

const char *nir_reset_name(int reset)
{
    return reset == SNN_RESET_ZERO ? "zero" : "subtract";
}

const char *nir_encoding_name(int encoding)
{
    return encoding == SNN_ENCODING_DIRECT ? "direct" : "rate";
}

/* Why a node type cannot be imported (NULL: it can). */
static const char *refusal(const char *type)
{
    static const struct { const char *type, *why; } t[] = {
        {"Conv1d", "convolutions are not supported: the accelerator runs fully connected layers"},
        {"Conv2d", "convolutions are not supported: the accelerator runs fully connected layers"},
        {"CubaLIF", "current-based synapses (CubaLIF) are not in the accelerator's LIF"},
        {"CubaLI", "current-based non-spiking neurons are not supported"},
        {"LI", "non-spiking leaky integrators are not supported (every layer must spike)"},
        {"I", "non-spiking integrators are not supported (every layer must spike)"},
        {"SumPool2d", "pooling is not supported"},
        {"AvgPool2d", "pooling is not supported"},
        {"Delay", "synaptic delays are not supported"},
        {"Scale", "Scale nodes are not supported"},
        {"Threshold", "bare Threshold nodes are not supported (use LIF or IF)"},
        {"NIRGraph", "nested subgraphs (recurrent layers) are not supported"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(type, t[i].type))
            return t[i].why;
    return "this node type is not supported";
}

static int is_type(const nir_node_t *nd, const char *a, const char *b)
{
    return !strcmp(nd->type, a) || (b && !strcmp(nd->type, b));
}

/* The chain Input -> ... -> Output as node indices (docs/nir.md "Graph shape"). */
static int chain(const nir_graph_t *g, int *order, int *len, char *err, size_t err_len)
{
    int indeg[NIR_MAX_NODES] = {0}, outdeg[NIR_MAX_NODES] = {0}, next[NIR_MAX_NODES], queue[NIR_MAX_NODES];
    int seen[NIR_MAX_NODES] = {0}, e, i, head = 0, tail = 0, input = -1, output = -1, cur;
    for (i = 0; i < g->n_nodes; i++)
        next[i] = -1;
    for (e = 0; e < g->n_edges; e++) {
        const int s = nir_node_index(g, g->edge[e][0]), d = nir_node_index(g, g->edge[e][1]);
        if (s < 0 || d < 0)
            return fail(err, err_len, "dangling edge '%s' -> '%s': the graph has no node '%s'",
                        g->edge[e][0], g->edge[e][1], s < 0 ? g->edge[e][0] : g->edge[e][1]);
        if (s == d)
            return fail(err, err_len, "node '%s': self-loop edge (recurrence is not supported)", g->edge[e][0]);
        outdeg[s]++;
        indeg[d]++;
        next[s] = d;
    }
    /* Kahn's topological sort: whatever it cannot order lies on a cycle or behind one */
    {
        int deg[NIR_MAX_NODES];
        memcpy(deg, indeg, sizeof deg);
        for (i = 0; i < g->n_nodes; i++)
            if (!deg[i])
                queue[tail++] = i;
        while (head < tail) {
            const int s = queue[head++];
            for (e = 0; e < g->n_edges; e++)
                if (nir_node_index(g, g->edge[e][0]) == s) {
                    const int d = nir_node_index(g, g->edge[e][1]);
                    if (--deg[d] == 0)
                        queue[tail++] = d;
                }
        }
        if (tail < g->n_nodes)
            for (i = 0; i < g->n_nodes; i++)
                if (deg[i])
                    return fail(err, err_len, "node '%s' is on a cycle: recurrent edges are not supported "
                                "(feed-forward chains only)", g->node[i].name);
    }
    for (i = 0; i < g->n_nodes; i++) {
        const nir_node_t *nd = &g->node[i];
        if (!strcmp(nd->type, "Input")) {
            if (input >= 0)
                return fail(err, err_len, "nodes '%s' and '%s' are both Input: one input only",
                            g->node[input].name, nd->name);
            input = i;
        }
        if (!strcmp(nd->type, "Output")) {
            if (output >= 0)
                return fail(err, err_len, "nodes '%s' and '%s' are both Output: one output only",
                            g->node[output].name, nd->name);
            output = i;
        }
        if (outdeg[i] > 1)
            return fail(err, err_len, "node '%s' feeds %d nodes: only chains are supported", nd->name, outdeg[i]);
        if (indeg[i] > 1)
            return fail(err, err_len, "node '%s' has %d inputs: only chains are supported", nd->name, indeg[i]);
    }
    if (input < 0 || output < 0)
        return fail(err, err_len, "the graph has no %s node", input < 0 ? "Input" : "Output");
    *len = 0;
    for (cur = input; cur >= 0 && !seen[cur]; cur = next[cur]) {
        seen[cur] = 1;
        order[(*len)++] = cur;
        if (cur == output)
            break;
    }
    if (cur != output)
        return fail(err, err_len, "the chain from Input '%s' ends at '%s' before reaching Output '%s'",
                    g->node[input].name, g->node[order[*len - 1]].name, g->node[output].name);
    for (i = 0; i < g->n_nodes; i++)
        if (!seen[i])
            return fail(err, err_len, "node '%s' is not on the path from Input to Output", g->node[i].name);
    return 0;
}

/* Parameter `name` of nd as h values (a single value is broadcast), into out (h). */
static int get_array(const nir_node_t *nd, const char *name, int h, int optional, double dflt,
                     double *out, char *err, size_t err_len)
{
    const nir_value_t *v = nir_param(nd, name);
    int j;
    if (!v) {
        if (!optional)
            return fail(err, err_len, "%s '%s' has no '%s'", nd->type, nd->name, name);
        for (j = 0; j < h; j++)
            out[j] = dflt;
        return 0;
    }
    if (!v->v || (v->n != 1 && v->n != (size_t)h))
        return fail(err, err_len, "%s '%s': '%s' has %zu numbers, expected 1 or %d", nd->type, nd->name,
                    name, v->v ? v->n : 0, h);
    for (j = 0; j < h; j++) {
        out[j] = v->v[v->n == 1 ? 0 : j];
        if (!isfinite(out[j]))
            return fail(err, err_len, "%s '%s': '%s' of neuron %d is not finite", nd->type, nd->name, name, j);
    }
    return 0;
}

static const char *meta_string(const nir_value_t *vals, int n, const char *name)
{
    const nir_value_t *v = nir_value(vals, n, name);
    return v && v->kind == NIR_STR ? v->s : NULL;
}

static const nir_value_t *meta_numbers(const nir_value_t *vals, int n, const char *name, size_t count)
{
    const nir_value_t *v = nir_value(vals, n, name);
    return v && v->v && (count == 0 || v->n == count) ? v : NULL;
}

/* Leak shift and gain of one LIF neuron (docs/nir.md "Leak", "Gain"). */
static int lif_neuron(nir_net_t *n, const nir_import_opts_t *o, const nir_node_t *nd, int l, int j,
                      double tau, double r, int *k, double *gain, char *err, size_t err_len)
{
    nir_layer_info_t *li = &n->layer[l];
    double dt, ratio, err_step;
    int kj;
    if (!(tau > 0))
        return fail(err, err_len, "LIF '%s': tau = %g at neuron %d, expected > 0", nd->name, tau, j);
    if (o->dt > 0) {
        dt = o->dt;
        li->dt_source = "--dt";
        *gain = r * dt / tau;
    } else if (r != 1.0) {
        dt = tau / r; /* snnTorch writes r = tau / dt: the gain r * dt / tau is then exactly 1 */
        li->dt_source = "tau/r";
        *gain = 1.0;
    } else {
        dt = NIR_DT_SNNTORCH;
        li->dt_source = "default 1e-4";
        *gain = dt / tau;
    }
    if (!(dt > 0))
        return fail(err, err_len, "LIF '%s': dt = %g at neuron %d (from %s), expected > 0", nd->name, dt, j,
                    li->dt_source);
    ratio = tau / dt;
    if (ratio < 1.0)
        return fail(err, err_len, "LIF '%s': tau/dt = %g < 1 at neuron %d: the membrane would lose more than "
                    "all of itself each step", nd->name, ratio, j);
    kj = (int)lround(log2(ratio));
    kj = kj < 1 ? 1 : kj > SNN_MAX_LEAK_SHIFT ? SNN_MAX_LEAK_SHIFT : kj;
    if (j > 0 && kj != *k)
        return fail(err, err_len, "LIF '%s': tau/dt gives leak shift %d at neuron 0 but %d at neuron %d; "
                    "the accelerator has one leak shift per layer", nd->name, *k, kj, j);
    *k = kj;
    err_step = fabs(1.0 / ratio - ldexp(1.0, -kj));
    if (j == 0) {
        li->dt = dt;
        li->tau_over_dt = ratio;
        li->exact = 1;
    }
    li->decay_error = err_step > li->decay_error ? err_step : li->decay_error;
    if (fabs(ratio - ldexp(1.0, kj)) > ldexp(1.0, kj) * NIR_EXACT_REL && li->exact) {
        li->exact = 0;
        warn(n, "LIF '%s': tau/dt = %.6g (neuron %d) is not a power of 2; leak shift %d decays by 2^-%d = %.6g "
             "per step instead of dt/tau = %.6g (error %.3g per step)", nd->name, ratio, j, kj, kj,
             ldexp(1.0, -kj), 1.0 / ratio, err_step);
    }
    return 0;
}

/* One Linear/Affine -> LIF/IF pair as layer l with I inputs. */
static int import_layer(nir_net_t *n, const nir_import_opts_t *o, const nir_node_t *wn, const nir_node_t *nn,
                        int l, int I, double *gain /* (H) */, char *err, size_t err_len)
{
    static double tau[SNN_MAX_NEURONS], r[SNN_MAX_NEURONS], vleak[SNN_MAX_NEURONS], vreset[SNN_MAX_NEURONS];
    nir_layer_info_t *li = &n->layer[l];
    const nir_value_t *w = nir_param(wn, "weight");
    const int lif = !strcmp(nn->type, "LIF");
    const char *reset;
    int H, j, k = 0;
    snprintf(li->weight_node, sizeof li->weight_node, "%s", wn->name);
    snprintf(li->neuron_node, sizeof li->neuron_node, "%s", nn->name);
    snprintf(li->neuron_type, sizeof li->neuron_type, "%s", nn->type);
    if (!w || !w->v || w->rank != 2)
        return fail(err, err_len, "%s '%s': expected a rank-2 'weight' (out x in)", wn->type, wn->name);
    H = (int)w->dims[0];
    if ((int)w->dims[1] != I)
        return fail(err, err_len, "%s '%s': weight is %zu x %zu (out x in) but its input has %d values",
                    wn->type, wn->name, w->dims[0], w->dims[1], I);
    if (H < 1 || H > SNN_MAX_NEURONS)
        return fail(err, err_len, "%s '%s': %d neurons, the accelerator has 1..%d per layer", wn->type,
                    wn->name, H, SNN_MAX_NEURONS);
    for (size_t e = 0; e < w->n; e++)
        if (!isfinite(w->v[e]))
            return fail(err, err_len, "%s '%s': weight [%zu][%zu] is not finite", wn->type, wn->name, e / (size_t)I,
                        e % (size_t)I);
    if (!strcmp(wn->type, "Affine")) {
        double b[SNN_MAX_NEURONS], bmax = 0;
        if (get_array(wn, "bias", H, 0, 0, b, err, err_len) < 0)
            return -1;
        for (j = 0; j < H; j++)
            bmax = fabs(b[j]) > bmax ? fabs(b[j]) : bmax;
        if (bmax > 0)
            return fail(err, err_len, "Affine '%s': nonzero bias (max |b| = %g): the accelerator has no bias",
                        wn->name, bmax);
    }
    if (get_array(nn, "r", H, 0, 0, r, err, err_len) < 0 ||
        get_array(nn, "v_threshold", H, 0, 0, n->vth[l], err, err_len) < 0 ||
        get_array(nn, "v_reset", H, 1, 0.0, vreset, err, err_len) < 0) /* absent before NIR 1.0.6 */
        return -1;
    if (lif && (get_array(nn, "tau", H, 0, 0, tau, err, err_len) < 0 ||
                get_array(nn, "v_leak", H, 0, 0, vleak, err, err_len) < 0))
        return -1;
    li->gain_min = INFINITY;
    li->gain_max = -INFINITY;
    for (j = 0; j < H; j++) {
        if (lif && vleak[j] != 0)
            return fail(err, err_len, "LIF '%s': v_leak = %g at neuron %d: only 0 is supported (the accelerator "
                        "leaks towards 0)", nn->name, vleak[j], j);
        if (vreset[j] != 0)
            return fail(err, err_len, "%s '%s': v_reset = %g at neuron %d: only 0 is supported (reset to zero, "
                        "or --reset subtract)", nn->type, nn->name, vreset[j], j);
        if (n->vth[l][j] < 0)
            return fail(err, err_len, "%s '%s': v_threshold = %g < 0 at neuron %d: the accelerator's thresholds "
                        "are positive", nn->type, nn->name, n->vth[l][j], j);
        if (lif) {
            if (lif_neuron(n, o, nn, l, j, tau[j], r[j], &k, &gain[j], err, err_len) < 0)
                return -1;
        } else {
            gain[j] = r[j]; /* IF: v += r * I per step (r = 1 in snnTorch's and Norse's files) */
            li->exact = 1;
            li->dt_source = "";
        }
        li->gain_min = gain[j] < li->gain_min ? gain[j] : li->gain_min;
        li->gain_max = gain[j] > li->gain_max ? gain[j] : li->gain_max;
        if (!n->per_channel && n->vth[l][j] != n->vth[l][0])
            return fail(err, err_len, "%s '%s': v_threshold differs between neurons (%g, %g): per-tensor weights "
                        "share one threshold; use --weights per-channel", nn->type, nn->name, n->vth[l][0],
                        n->vth[l][j]);
    }
    n->c.sizes[l + 1] = H;
    n->c.leak_shift[l] = k;
    reset = meta_string(nn->meta, nn->n_meta, "quantarion_reset");
    n->c.reset_mode[l] = o->reset >= 0 ? o->reset
                         : reset && !strcmp(reset, "subtract") ? SNN_RESET_SUBTRACT : SNN_RESET_ZERO;
    /* files from host/nir export carry their scales and float thresholds (docs/nir.md "Export") */
    {
        const int nt = n->per_channel ? H : 1;
        const nir_value_t *sc = meta_numbers(wn->meta, wn->n_meta, "quantarion_weight_scale", (size_t)nt);
        const nir_value_t *tf = meta_numbers(nn->meta, nn->n_meta, "quantarion_threshold_float", (size_t)nt);
        for (j = 0; j < H; j++) {
            n->fixed_scale[l][j] = sc ? (float)sc->v[n->per_channel ? j : 0] : 0.0f;
            n->threshold_float[l][j] = tf ? (float)tf->v[n->per_channel ? j : 0] : (float)n->vth[l][j];
        }
        li->scales_from_file = sc != NULL;
    }
    return 0;
}

/* Copies the float weights (gain folded) once the sizes, hence the allocation, are known. */
static void fill_weights(nir_net_t *n, const nir_graph_t *g, const int *wnode, const double gain_of[][SNN_MAX_NEURONS])
{
    for (int l = 0; l < n->c.n_layers; l++) {
        const nir_value_t *w = nir_param(&g->node[wnode[l]], "weight");
        const int I = n->c.sizes[l], H = n->c.sizes[l + 1], hp = net_pad(H);
        for (int i = 0; i < I; i++)
            for (int j = 0; j < hp; j++)
                n->p.w[l][(size_t)i * hp + j] =
                    j < H ? (float)(gain_of[l][j] * w->v[(size_t)j * I + i]) : 0.0f;
    }
}

int nir_import_net(const nir_graph_t *g, const nir_import_opts_t *o, nir_net_t *n, char *err, size_t err_len)
{
    static double gain_of[SNN_MAX_LAYERS][SNN_MAX_NEURONS];
    int order[NIR_MAX_NODES], len = 0, pos, l = 0, wnode[SNN_MAX_LAYERS], I, k;
    const nir_value_t *shape, *mv;
    const char *ms;
    char msg[512];
    memset(n, 0, sizeof *n);
    if (chain(g, order, &len, err, err_len) < 0)
        return -1;
    shape = nir_param(&g->node[order[0]], "shape");
    if (!shape || !shape->v || shape->n < 1)
        return fail(err, err_len, "Input '%s' has no 'shape'", g->node[order[0]].name);
    I = 1;
    for (k = 0; k < (int)shape->n; k++) {
        if (!(shape->v[k] >= 1 && shape->v[k] <= SNN_MAX_INPUTS) || (double)I * shape->v[k] > SNN_MAX_INPUTS)
            return fail(err, err_len, "Input '%s': shape gives more than %d inputs (or a size below 1)",
                        g->node[order[0]].name, SNN_MAX_INPUTS);
        I *= (int)shape->v[k];
    }
    pos = 1;
    if (pos < len && !strcmp(g->node[order[pos]].type, "Flatten"))
        pos++; /* a flatten of the input is the identity on the accelerator's flat pixel vector */
    if (shape->n != 1 && pos == 1)
        return fail(err, err_len, "Input '%s' has a rank-%zu shape: flatten it (a Flatten node after the Input)",
                    g->node[order[0]].name, shape->n);
    ms = meta_string(g->meta, g->n_meta, "quantarion_weights");
    n->per_channel = o->per_channel >= 0 ? o->per_channel : ms && !strcmp(ms, "per-channel");
    n->c.sizes[0] = I;
    while (pos < len - 1) {
        const nir_node_t *wn = &g->node[order[pos]], *nn = pos + 1 < len ? &g->node[order[pos + 1]] : NULL;
        if (!is_type(wn, "Linear", "Affine")) {
            if (is_type(wn, "LIF", "IF"))
                return fail(err, err_len, "%s '%s' follows '%s' directly: every neuron layer needs a Linear or "
                            "Affine before it", wn->type, wn->name, g->node[order[pos - 1]].name);
            return fail(err, err_len, "%s '%s': %s", wn->type, wn->name, refusal(wn->type));
        }
        if (!nn || !is_type(nn, "LIF", "IF")) {
            if (nn && strcmp(nn->type, "Output") && strcmp(nn->type, "Linear") && strcmp(nn->type, "Affine"))
                return fail(err, err_len, "%s '%s': %s", nn->type, nn->name, refusal(nn->type));
            return fail(err, err_len, "%s '%s' feeds '%s' (%s): every Linear/Affine must feed a LIF or IF",
                        wn->type, wn->name, nn ? nn->name : "?", nn ? nn->type : "?");
        }
        if (l >= SNN_MAX_LAYERS)
            return fail(err, err_len, "more than %d layers (at %s '%s'): the accelerator runs 1..%d",
                        SNN_MAX_LAYERS, wn->type, wn->name, SNN_MAX_LAYERS);
        if (import_layer(n, o, wn, nn, l, n->c.sizes[l], gain_of[l], err, err_len) < 0)
            return -1;
        wnode[l] = order[pos];
        l++;
        pos += 2;
    }
    if (l == 0)
        return fail(err, err_len, "no Linear/Affine -> LIF/IF layer between Input and Output");
    shape = nir_param(&g->node[order[len - 1]], "shape");
    if (shape && shape->v) {
        double out = 1;
        for (k = 0; k < (int)shape->n; k++)
            out *= shape->v[k];
        if (out != n->c.sizes[l])
            return fail(err, err_len, "Output '%s' has shape %g but the last layer has %d neurons",
                        g->node[order[len - 1]].name, out, n->c.sizes[l]);
    }
    n->c.n_layers = l;
    mv = meta_numbers(g->meta, g->n_meta, "quantarion_steps", 1);
    n->c.steps = o->steps > 0 ? o->steps : mv ? (int)mv->v[0] : NIR_DEFAULT_STEPS;
    ms = meta_string(g->meta, g->n_meta, "quantarion_encoding");
    n->c.encoding = o->encoding >= 0 ? o->encoding
                    : ms && !strcmp(ms, "direct") ? SNN_ENCODING_DIRECT : SNN_ENCODING_RATE;
    /* pixels quantized to 4 bits travel as metadata (docs/arith.md); a foreign file has raw ones */
    mv = meta_numbers(g->meta, g->n_meta, "quantarion_input_bits", 1);
    n->c.input_bits = mv && (int)mv->v[0] == SNN_INPUT_BITS_Q4 ? SNN_INPUT_BITS_Q4 : SNN_INPUT_BITS_RAW;
    n->c.theta = 0.0f;
    for (l = 0; l < n->c.n_layers; l++)
        for (k = 0; k < n->c.sizes[l + 1]; k++)
            n->c.theta = (float)n->vth[l][k] > n->c.theta ? (float)n->vth[l][k] : n->c.theta;
    if (n->c.theta <= 0.0f)
        n->c.theta = 1.0f; /* only sizes the dead-channel scale floor of the converter */
    if (fit_check(&n->c, "icebreaker", msg, sizeof msg) < 0)
        return fail(err, err_len, "does not fit the accelerator: %s", msg);
    if (tensors_alloc(&n->p, &n->c) < 0)
        return fail(err, err_len, "out of memory for the weights");
    fill_weights(n, g, wnode, (const double (*)[SNN_MAX_NEURONS])gain_of);
    /* what the model file keeps for reference */
    n->meta_in.int8_accuracy = -1.0f;
    if ((ms = meta_string(g->meta, g->n_meta, "quantarion_dataset")))
        snprintf(n->meta_in.dataset, sizeof n->meta_in.dataset, "%s", ms);
    if ((mv = meta_numbers(g->meta, g->n_meta, "quantarion_train_seed", 1)))
        n->meta_in.train_seed = (uint32_t)mv->v[0];
    if ((mv = meta_numbers(g->meta, g->n_meta, "quantarion_int8_accuracy", 1)) &&
        (mv->v[0] == -1.0 || (mv->v[0] >= 0.0 && mv->v[0] <= 1.0)))
        n->meta_in.int8_accuracy = (float)mv->v[0]; /* a fraction or -1, as the model file holds it */
    ms = meta_string(g->meta, g->n_meta, "quantarion_early_exit");
    snprintf(n->early_exit, sizeof n->early_exit, "%s", o->early_exit ? o->early_exit : ms ? ms : "off");
    return 0;
}

void nir_net_free(nir_net_t *n)
{
    tensors_free(&n->p);
}

int nir_apply_thresholds(const nir_net_t *n, quant_t *q, char *err, size_t err_len)
{
    for (int l = 0; l < n->c.n_layers; l++) {
        const int I = n->c.sizes[l], H = n->c.sizes[l + 1], hp = net_pad(H);
        for (int j = 0; j < H; j++) {
            /* NIR fires on v > v_threshold; V = v / scale is an integer: V > x <=> V >= floor(x) + 1 */
            const double t = floor(n->vth[l][j] / (double)q->scale[l][j]) + 1.0;
            int live = 0;
            for (int i = 0; i < I && !live; i++)
                live = q->wq.w[l][(size_t)i * hp + j] != 0.0f;
            if (t > SNN_MEMBRANE_MAX && live)
                return fail(err, err_len, "%s '%s' neuron %d: v_threshold / scale = %.6g does not fit the %d-bit "
                            "membrane (at most %d)", n->layer[l].neuron_type, n->layer[l].neuron_node, j,
                            n->vth[l][j] / q->scale[l][j], SNN_MEMBRANE_BITS, SNN_MEMBRANE_MAX);
            q->thr[l][j] = t > SNN_MEMBRANE_MAX ? (float)SNN_MEMBRANE_MAX : (float)t; /* dead: never fires */
            q->thr_float[l][j] = (float)n->vth[l][j];
        }
    }
    return 0;
}

int nir_quantize(nir_net_t *n, quant_t *q, char *err, size_t err_len)
{
    net_view_t v;
    if (quant_init(q, &n->c, TR_OBS_MINMAX, n->per_channel, 0.0f, 1) < 0)
        return fail(err, err_len, "out of memory for the quantizer");
    memcpy(q->fixed_scale, n->fixed_scale, sizeof q->fixed_scale);
    quant_prepare(q, &n->c, &n->p, &v);
    return nir_apply_thresholds(n, q, err, err_len);
}

int nir_make_model(const nir_net_t *n, const quant_t *q, snn_model_t *m, model_meta_t *meta, char *err,
                   size_t err_len)
{
    int rc = quant_export(q, &n->c, m, meta);
    for (int l = 0; l < n->c.n_layers; l++) {
        const snn_layer_t *ly = &m->layer[l];
        for (int j = 0; j < model_layer_thresholds(m, l); j++)
            meta->threshold_float[ly->threshold_offset + j] = n->threshold_float[l][j];
    }
    memcpy(meta->dataset, n->meta_in.dataset, sizeof meta->dataset);
    meta->train_seed = n->meta_in.train_seed;
    meta->int8_accuracy = n->meta_in.int8_accuracy;
    if (model_exit_parse(n->early_exit, m, err, err_len) < 0)
        return -1;
    if (rc || (rc = snn_model_check(m)) != 0)
        return fail(err, err_len, "the imported model fails the model check: %s", snn_model_error(rc));
    return 0;
}
