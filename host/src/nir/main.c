/* SPDX-License-Identifier: MIT
 * host/nir : NIR interop (docs/nir.md).  import a NIR graph as a Quantarion model, export a
 * model as a NIR graph, describe a NIR file.  JSON summary on stdout, messages on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intarg.h"
#include "json_report.h"
#include "model_file.h"
#include "nir_calib.h"
#include "nir_map.h"

typedef struct {
    const char *in, *out, *report;
    nir_import_opts_t imp;
    nir_calib_opts_t cal;
    int quiet;
} opts_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: host/nir import F.nir --out M.qmodel [options]\n"
        "       host/nir export M.qmodel --out F.nir\n"
        "       host/nir info F.nir\n"
        "NIR (Neuromorphic Intermediate Representation, HDF5) to and from Quantarion models; every rule of\n"
        "the mapping is in docs/nir.md.  Feed-forward chains Input -> (Linear|Affine -> LIF|IF) x L -> Output.\n"
        "import options:\n"
        "  -o, --out FILE          the model to write (.qmodel; export: the .nir to write)\n"
        "      --dt S              time step in seconds (default: tau/r when r != 1, else 1e-4)\n"
        "      --reset zero|subtract  reset mode of every layer (default: the file's metadata, else zero)\n"
        "      --encoding rate|direct input coding (default: the file's metadata, else rate)\n"
        "      --steps T           timesteps per image (default: the file's metadata, else %d)\n"
        "      --weights per-tensor|per-channel  INT8 scale granularity (default: metadata, else per-tensor)\n"
        "      --early-exit off|exact|lead:K:M  early exit (default: the file's metadata, else off)\n"
        "      --data SPEC         calibrate on a dataset (mnist, fashion, a folder) and report float-vs-INT8\n"
        "      --calib-images N    training images the observers see (default 1024)\n"
        "      --limit N           --data: only the first N test images\n"
        "      --threads N         --data: threads (default 2)\n"
        "common options:\n"
        "  -r, --report FILE.json  also write the JSON summary to FILE\n"
        "  -q, --quiet             no messages on stderr except errors and warnings\n"
        "  -h, --help              this text\n"
        "Exit status 0, 1 on any error (the message names the node and the reason), 2 on bad usage.\n",
        NIR_DEFAULT_STEPS);
}

static int parse_choice(const char *opt, const char *s, const char *a, const char *b, int *out)
{
    if (!strcmp(s, a) || !strcmp(s, b)) {
        *out = !strcmp(s, b);
        return 0;
    }
    fprintf(stderr, "nir: %s '%s': expected %s or %s\n", opt, s, a, b);
    return -1;
}

static int parse_args(int argc, char **argv, opts_t *o)
{
    enum { O_DT = 1000, O_RESET, O_ENC, O_STEPS, O_WEIGHTS, O_EXIT, O_DATA, O_CALIB, O_LIMIT, O_THREADS };
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'}, {"dt", required_argument, 0, O_DT},
        {"reset", required_argument, 0, O_RESET}, {"encoding", required_argument, 0, O_ENC},
        {"steps", required_argument, 0, O_STEPS}, {"weights", required_argument, 0, O_WEIGHTS},
        {"early-exit", required_argument, 0, O_EXIT}, {"data", required_argument, 0, O_DATA},
        {"calib-images", required_argument, 0, O_CALIB},
        {"limit", required_argument, 0, O_LIMIT}, {"threads", required_argument, 0, O_THREADS},
        {"report", required_argument, 0, 'r'}, {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c, x;
    char *end;
    memset(o, 0, sizeof *o);
    o->imp.reset = o->imp.encoding = o->imp.per_channel = -1;
    o->cal.calib_images = 1024;
    o->cal.threads = 2;
    while ((c = getopt_long(argc, argv, "o:r:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'r': o->report = optarg; break;
        case 'q': o->quiet = o->cal.quiet = 1; break;
        case 'h': usage(stdout); exit(0);
        case O_DT:
            errno = 0;
            o->imp.dt = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(o->imp.dt > 0) || !isfinite(o->imp.dt)) {
                fprintf(stderr, "nir: --dt '%s': expected a positive number of seconds\n", optarg);
                return 2;
            }
            break;
        case O_RESET:
            if (parse_choice("--reset", optarg, "subtract", "zero", &x) < 0) return 2;
            o->imp.reset = x ? SNN_RESET_ZERO : SNN_RESET_SUBTRACT;
            break;
        case O_ENC:
            if (parse_choice("--encoding", optarg, "rate", "direct", &x) < 0) return 2;
            o->imp.encoding = x ? SNN_ENCODING_DIRECT : SNN_ENCODING_RATE;
            break;
        case O_WEIGHTS:
            if (parse_choice("--weights", optarg, "per-tensor", "per-channel", &o->imp.per_channel) < 0) return 2;
            break;
        case O_STEPS: if (intarg_int("nir", "--steps", optarg, 1, SNN_MAX_STEPS, &o->imp.steps) < 0) return 2; break;
        case O_EXIT: o->imp.early_exit = optarg; break;
        case O_DATA: o->cal.data = optarg; break;
        case O_CALIB: if (intarg_int("nir", "--calib-images", optarg, 1, 1 << 20, &o->cal.calib_images) < 0) return 2; break;
        case O_LIMIT: if (intarg_int("nir", "--limit", optarg, 1, 1 << 30, &o->cal.limit) < 0) return 2; break;
        case O_THREADS: if (intarg_int("nir", "--threads", optarg, 1, 64, &o->cal.threads) < 0) return 2; break;
        default: usage(stderr); return 2;
        }
    }
    return 0;
}

static cJSON *numbers(const double *x, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber(x[i]));
    return a;
}

/* ---------------------------------------------------------------- info */
static cJSON *graph_json(const nir_graph_t *g)
{
    cJSON *r = cJSON_CreateObject(), *nodes = cJSON_AddArrayToObject(r, "nodes"), *edges, *meta;
    int i, k;
    cJSON_AddStringToObject(r, "nir_version", g->version);
    for (i = 0; i < g->n_nodes; i++) {
        const nir_node_t *nd = &g->node[i];
        cJSON *o = cJSON_CreateObject(), *ps = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", nd->name);
        cJSON_AddStringToObject(o, "type", nd->type);
        for (k = 0; k < nd->n_params; k++) {
            const nir_value_t *v = &nd->param[k];
            double dims[NIR_MAX_RANK];
            for (int d = 0; d < v->rank; d++)
                dims[d] = (double)v->dims[d];
            cJSON_AddItemToObject(ps, v->name, numbers(dims, v->rank)); /* the shape of each parameter */
        }
        cJSON_AddItemToObject(o, "parameter_shapes", ps);
        cJSON_AddItemToArray(nodes, o);
    }
    edges = cJSON_AddArrayToObject(r, "edges");
    for (i = 0; i < g->n_edges; i++) {
        cJSON *e = cJSON_CreateArray();
        cJSON_AddItemToArray(e, cJSON_CreateString(g->edge[i][0]));
        cJSON_AddItemToArray(e, cJSON_CreateString(g->edge[i][1]));
        cJSON_AddItemToArray(edges, e);
    }
    meta = cJSON_AddObjectToObject(r, "metadata");
    for (i = 0; i < g->n_meta; i++) {
        const nir_value_t *v = &g->meta[i];
        if (v->kind == NIR_STR)
            cJSON_AddStringToObject(meta, v->name, v->s);
        else if (v->v && v->n == 1)
            cJSON_AddNumberToObject(meta, v->name, v->v[0]);
    }
    return r;
}

static int finish(const opts_t *o, cJSON *r)
{
    char err[1024];
    int rc = 0;
    if (o->report && json_report_write(o->report, r, err, sizeof err) < 0) {
        fprintf(stderr, "nir: %s\n", err);
        rc = 1;
    }
    json_report_print(stdout, r);
    cJSON_Delete(r);
    return rc;
}

static int cmd_info(const opts_t *o)
{
    static nir_graph_t g;
    static nir_net_t n;
    char err[1024];
    cJSON *r;
    if (nir_graph_read(o->in, &g, err, sizeof err) < 0) {
        fprintf(stderr, "nir: %s\n", err);
        return 1;
    }
    r = graph_json(&g);
    cJSON_AddStringToObject(r, "file", o->in);
    if (!o->quiet) {
        fprintf(stderr, "%s: NIR %s, %d nodes, %d edges\n", o->in, g.version[0] ? g.version : "(no version)",
                g.n_nodes, g.n_edges);
        for (int i = 0; i < g.n_nodes; i++)
            fprintf(stderr, "  %-16s %s\n", g.node[i].name, g.node[i].type);
    }
    /* would the import take it?  The same checks, without writing anything */
    if (nir_import_net(&g, &o->imp, &n, err, sizeof err) < 0) {
        cJSON_AddBoolToObject(r, "importable", 0);
        cJSON_AddStringToObject(r, "reason", err);
        if (!o->quiet)
            fprintf(stderr, "  not importable: %s\n", err);
    } else {
        cJSON *net = cJSON_AddArrayToObject(r, "network");
        for (int l = 0; l <= n.c.n_layers; l++)
            cJSON_AddItemToArray(net, cJSON_CreateNumber(n.c.sizes[l]));
        cJSON_AddBoolToObject(r, "importable", 1);
        nir_net_free(&n);
    }
    nir_graph_free(&g);
    return finish(o, r);
}

/* ---------------------------------------------------------------- import */
static cJSON *import_json(const opts_t *o, const nir_graph_t *g, const nir_net_t *n, const quant_t *q,
                          const snn_model_t *m)
{
    cJSON *r = cJSON_CreateObject(), *net, *layers, *w;
    int l, j;
    cJSON_AddStringToObject(r, "file", o->in);
    cJSON_AddStringToObject(r, "nir_version", g->version);
    cJSON_AddStringToObject(r, "model", o->out);
    net = cJSON_AddArrayToObject(r, "network");
    for (l = 0; l <= n->c.n_layers; l++)
        cJSON_AddItemToArray(net, cJSON_CreateNumber(n->c.sizes[l]));
    cJSON_AddNumberToObject(r, "steps", n->c.steps);
    cJSON_AddStringToObject(r, "encoding", nir_encoding_name(n->c.encoding));
    cJSON_AddStringToObject(r, "weights", n->per_channel ? "per-channel" : "per-tensor");
    cJSON_AddStringToObject(r, "early_exit", n->early_exit);
    layers = cJSON_AddArrayToObject(r, "layers");
    for (l = 0; l < n->c.n_layers; l++) {
        const nir_layer_info_t *li = &n->layer[l];
        const snn_layer_t *ly = &m->layer[l];
        const int nt = model_layer_thresholds(m, l);
        cJSON *o2 = cJSON_CreateObject();
        double tmin = 1e9, tmax = 0, smin = 1e30, smax = 0;
        for (j = 0; j < nt; j++) {
            const double t = m->thresholds[ly->threshold_offset + j], s = q->scale[l][j];
            tmin = t < tmin ? t : tmin;
            tmax = t > tmax ? t : tmax;
            smin = s < smin ? s : smin;
            smax = s > smax ? s : smax;
        }
        cJSON_AddStringToObject(o2, "weight_node", li->weight_node);
        cJSON_AddStringToObject(o2, "neuron_node", li->neuron_node);
        cJSON_AddStringToObject(o2, "neuron_type", li->neuron_type);
        cJSON_AddNumberToObject(o2, "inputs", ly->n_in);
        cJSON_AddNumberToObject(o2, "neurons", ly->n_out);
        cJSON_AddNumberToObject(o2, "leak_shift", ly->leak_shift);
        if (!strcmp(li->neuron_type, "LIF")) {
            cJSON_AddNumberToObject(o2, "dt", li->dt);
            cJSON_AddStringToObject(o2, "dt_from", li->dt_source);
            cJSON_AddNumberToObject(o2, "tau_over_dt", li->tau_over_dt);
            cJSON_AddNumberToObject(o2, "decay_error_per_step", li->decay_error);
        }
        cJSON_AddBoolToObject(o2, "leak_exact", li->exact);
        cJSON_AddNumberToObject(o2, "gain_min", li->gain_min);
        cJSON_AddNumberToObject(o2, "gain_max", li->gain_max);
        cJSON_AddStringToObject(o2, "reset", nir_reset_name(ly->reset_mode));
        cJSON_AddNumberToObject(o2, "threshold_min", tmin);
        cJSON_AddNumberToObject(o2, "threshold_max", tmax);
        cJSON_AddNumberToObject(o2, "scale_min", smin);
        cJSON_AddNumberToObject(o2, "scale_max", smax);
        cJSON_AddBoolToObject(o2, "scales_from_file", li->scales_from_file);
        cJSON_AddItemToArray(layers, o2);
    }
    w = cJSON_AddArrayToObject(r, "warnings");
    for (j = 0; j < n->n_warnings; j++)
        cJSON_AddItemToArray(w, cJSON_CreateString(n->warning[j]));
    return r;
}

static int cmd_import(const opts_t *o)
{
    static nir_graph_t g;
    static nir_net_t n;
    static quant_t q;
    static snn_model_t m;
    static model_meta_t meta;
    cJSON *r = NULL, *data = cJSON_CreateObject();
    char err[1024];
    int rc = 1;
    if (!o->out) {
        fprintf(stderr, "nir: import needs --out M.qmodel (see --help)\n");
        cJSON_Delete(data);
        return 2;
    }
    if (nir_graph_read(o->in, &g, err, sizeof err) < 0 || nir_import_net(&g, &o->imp, &n, err, sizeof err) < 0) {
        fprintf(stderr, "nir: %s: %s\n", o->in, err);
        nir_graph_free(&g);
        cJSON_Delete(data);
        return 1;
    }
    for (int k = 0; k < n.n_warnings; k++)
        fprintf(stderr, "nir: warning: %s\n", n.warning[k]);
    if (nir_quantize(&n, &q, err, sizeof err) < 0 ||
        (o->cal.data && nir_calibrate(&n, &q, &o->cal, data, err, sizeof err) < 0)) {
        fprintf(stderr, "nir: %s: %s\n", o->in, err);
        goto out;
    }
    if (nir_make_model(&n, &q, &m, &meta, err, sizeof err) < 0) {
        fprintf(stderr, "nir: %s: %s\n", o->in, err);
        goto out;
    }
    if (model_write(o->out, &m, &meta, err, sizeof err) != MODEL_OK) {
        fprintf(stderr, "nir: %s\n", err);
        goto out;
    }
    r = import_json(o, &g, &n, &q, &m);
    if (cJSON_GetObjectItem(data, "data"))
        cJSON_AddItemToObject(r, "data", cJSON_DetachItemFromObject(data, "data"));
    if (!o->quiet) {
        fprintf(stderr, "nir: %s -> %s: %d", o->in, o->out, n.c.sizes[0]);
        for (int l = 0; l < n.c.n_layers; l++)
            fprintf(stderr, "-%d (k=%d)", n.c.sizes[l + 1], n.c.leak_shift[l]);
        fprintf(stderr, ", T = %d, %s coding, %s weights\n", n.c.steps, nir_encoding_name(n.c.encoding),
                n.per_channel ? "per-channel" : "per-tensor");
    }
    rc = finish(o, r);
out:
    cJSON_Delete(data);
    quant_free(&q);
    nir_net_free(&n);
    nir_graph_free(&g);
    return rc;
}

/* ---------------------------------------------------------------- export */
static int cmd_export(const opts_t *o)
{
    static snn_model_t m;
    static model_meta_t meta;
    static nir_graph_t g;
    char err[1024];
    cJSON *r, *nodes;
    if (!o->out) {
        fprintf(stderr, "nir: export needs --out F.nir (see --help)\n");
        return 2;
    }
    if (model_read(o->in, &m, &meta, err, sizeof err) != MODEL_OK ||
        nir_export_graph(&m, &meta, &g, err, sizeof err) < 0 || nir_graph_write(o->out, &g, err, sizeof err) < 0) {
        fprintf(stderr, "nir: %s\n", err);
        nir_graph_free(&g);
        return 1;
    }
    r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "model", o->in);
    cJSON_AddStringToObject(r, "file", o->out);
    cJSON_AddStringToObject(r, "nir_version", g.version);
    nodes = cJSON_AddArrayToObject(r, "nodes");
    for (int i = 0; i < g.n_nodes; i++)
        cJSON_AddItemToArray(nodes, cJSON_CreateString(g.node[i].type));
    cJSON_AddNumberToObject(r, "dt", NIR_DT_SNNTORCH);
    if (!o->quiet)
        fprintf(stderr, "nir: %s -> %s (%d nodes, dt = %g s)\n", o->in, o->out, g.n_nodes, NIR_DT_SNNTORCH);
    nir_graph_free(&g);
    return finish(o, r);
}

int main(int argc, char **argv)
{
    opts_t o;
    const char *cmd;
    int rc;
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 3) {
        usage(stderr);
        return 2;
    }
    cmd = argv[1];
    if ((rc = parse_args(argc - 1, argv + 1, &o)) != 0)
        return rc;
    if (optind + 1 != argc - 1) {
        fprintf(stderr, "nir: %s takes exactly one input file (see --help)\n", cmd);
        return 2;
    }
    o.in = argv[optind + 1];
    if (!strcmp(cmd, "import"))
        return cmd_import(&o);
    if (!strcmp(cmd, "export"))
        return cmd_export(&o);
    if (!strcmp(cmd, "info"))
        return cmd_info(&o);
    fprintf(stderr, "nir: unknown command '%s' (import, export or info; see --help)\n", cmd);
    return 2;
}
