/* SPDX-License-Identifier: MIT
 * nir_graph.c : NIR graphs to and from HDF5 (see nir_graph.h), on libhdf5 (Debian libhdf5-dev).
 *
 * Every file is opened with H5F_CLOSE_STRONG, so closing it on an error path also closes the
 * groups, datasets and types still open under it.
 */
#include "nir_graph.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "qio.h"

#define GZIP_LEVEL 4 /* h5py's default for compression="gzip", what nir.write asks for */

int nir_fail(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
    return -1;
}

static void copy_name(char *dst, const char *src)
{
    snprintf(dst, NIR_NAME_LEN, "%s", src);
}

/* ---------------------------------------------------------------- lookups and builders */
int nir_node_index(const nir_graph_t *g, const char *name)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (!strcmp(g->node[i].name, name))
            return i;
    return -1;
}

const nir_value_t *nir_value(const nir_value_t *vals, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(vals[i].name, name))
            return &vals[i];
    return NULL;
}

const nir_value_t *nir_param(const nir_node_t *nd, const char *name)
{
    return nir_value(nd->param, nd->n_params, name);
}

nir_node_t *nir_add_node(nir_graph_t *g, const char *name, const char *type)
{
    nir_node_t *nd;
    if (g->n_nodes >= NIR_MAX_NODES)
        return NULL;
    nd = &g->node[g->n_nodes++];
    memset(nd, 0, sizeof *nd);
    copy_name(nd->name, name);
    copy_name(nd->type, type);
    return nd;
}

nir_value_t *nir_add_value(nir_value_t *vals, int *n, const char *name, int kind, int rank,
                           const size_t *dims, const double *data)
{
    nir_value_t *v;
    size_t k;
    if (*n >= NIR_MAX_VALUES || rank > NIR_MAX_RANK)
        return NULL;
    v = &vals[(*n)++];
    memset(v, 0, sizeof *v);
    copy_name(v->name, name);
    v->kind = kind;
    v->rank = rank;
    v->n = 1;
    for (k = 0; k < (size_t)rank; k++) {
        v->dims[k] = dims[k];
        v->n *= dims[k];
    }
    v->v = malloc_check(v->n ? v->n * sizeof *v->v : 1, "NIR value");
    for (k = 0; k < v->n; k++)
        v->v[k] = data[k];
    return v;
}

nir_value_t *nir_add_string(nir_value_t *vals, int *n, const char *name, const char *s)
{
    nir_value_t *v;
    if (*n >= NIR_MAX_VALUES)
        return NULL;
    v = &vals[(*n)++];
    memset(v, 0, sizeof *v);
    copy_name(v->name, name);
    v->kind = NIR_STR;
    v->n = 1;
    v->s = strdup(s);
    return v;
}

int nir_add_edge(nir_graph_t *g, const char *src, const char *dst)
{
    if (g->n_edges >= NIR_MAX_EDGES)
        return -1;
    copy_name(g->edge[g->n_edges][0], src);
    copy_name(g->edge[g->n_edges][1], dst);
    g->n_edges++;
    return 0;
}

static void free_values(nir_value_t *vals, int n)
{
    for (int i = 0; i < n; i++) {
        free(vals[i].v);
        free(vals[i].s);
        vals[i].v = NULL;
        vals[i].s = NULL;
    }
}

void nir_graph_free(nir_graph_t *g)
{
    for (int i = 0; i < g->n_nodes; i++) {
        free_values(g->node[i].param, g->node[i].n_params);
        free_values(g->node[i].meta, g->node[i].n_meta);
    }
    free_values(g->meta, g->n_meta);
    g->n_nodes = g->n_edges = g->n_meta = 0;
}

/* ---------------------------------------------------------------- reading */
typedef struct {
    const char *path;
    char *err;
    size_t err_len;
} rd_t;

/* The strings of a string dataset (n of them, fixed-length or variable-length) into out, each
 * at most cap bytes with the NUL. */
static int read_strings(rd_t *r, hid_t d, const char *what, size_t n, char *out, size_t cap)
{
    hid_t ft = H5Dget_type(d), mt = -1;
    int rc = -1;
    size_t i;
    if (ft < 0)
        return nir_fail(r->err, r->err_len, "%s: %s: cannot read its datatype", r->path, what);
    if (H5Tis_variable_str(ft) > 0) {
        char **p = calloc(n ? n : 1, sizeof *p);
        hid_t sp = H5Dget_space(d);
        mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(ft));
        if (p && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, p) >= 0) {
            for (i = 0; i < n; i++)
                snprintf(out + i * cap, cap, "%s", p[i] ? p[i] : "");
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, p);
            rc = 0;
        }
        free(p);
        H5Sclose(sp);
    } else {
        const size_t len = H5Tget_size(ft);
        char *buf = calloc(n ? n * len + 1 : 1, 1);
        mt = H5Tcopy(ft);
        if (buf && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
            for (i = 0; i < n; i++) {
                const size_t k = len < cap ? len : cap - 1;
                memcpy(out + i * cap, buf + i * len, k);
                out[i * cap + k] = '\0';
            }
            rc = 0;
        }
        free(buf);
    }
    H5Tclose(mt);
    H5Tclose(ft);
    if (rc)
        nir_fail(r->err, r->err_len, "%s: %s: H5Dread of the string failed", r->path, what);
    return rc;
}

/* Dataset `name` under loc into v: numbers as doubles, a scalar string, or (other types,
 * string arrays) only its name and kind NIR_OTHER.  where names the object in messages. */
static int read_value(rd_t *r, hid_t loc, const char *name, const char *where, nir_value_t *v)
{
    char what[3 * NIR_NAME_LEN];
    hsize_t hd[H5S_MAX_RANK];
    hid_t d, ft, sp;
    int rank, k, rc = 0;
    H5T_class_t cls;
    snprintf(what, sizeof what, "%s/%s", where, name);
    memset(v, 0, sizeof *v);
    copy_name(v->name, name);
    if ((d = H5Dopen2(loc, name, H5P_DEFAULT)) < 0)
        return nir_fail(r->err, r->err_len, "%s: %s: cannot open the dataset", r->path, what);
    ft = H5Dget_type(d);
    sp = H5Dget_space(d);
    rank = H5Sget_simple_extent_ndims(sp);
    cls = H5Tget_class(ft);
    if (rank < 0 || rank > NIR_MAX_RANK) {
        rc = nir_fail(r->err, r->err_len, "%s: %s: rank %d, at most %d supported", r->path, what, rank,
                  NIR_MAX_RANK);
        goto out;
    }
    H5Sget_simple_extent_dims(sp, hd, NULL);
    v->rank = rank;
    v->n = 1;
    for (k = 0; k < rank; k++) {
        v->dims[k] = (size_t)hd[k];
        v->n *= (size_t)hd[k];
    }
    if (cls == H5T_STRING && v->n == 1) {
        char buf[4096];
        v->kind = NIR_STR;
        if ((rc = read_strings(r, d, what, 1, buf, sizeof buf)) == 0)
            v->s = strdup(buf);
    } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
        v->kind = cls == H5T_INTEGER ? NIR_I64 : H5Tget_size(ft) == 4 ? NIR_F32 : NIR_F64;
        v->v = malloc_check(v->n ? v->n * sizeof *v->v : 1, what);
        if (v->n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->v) < 0)
            rc = nir_fail(r->err, r->err_len, "%s: %s: H5Dread failed (corrupt data or a missing filter)",
                      r->path, what);
    } else {
        v->kind = NIR_OTHER;
    }
out:
    H5Sclose(sp);
    H5Tclose(ft);
    H5Dclose(d);
    return rc;
}

/* Names of the members of group loc, one at a time. */
static int member_name(hid_t loc, hsize_t i, char *name, size_t cap)
{
    ssize_t n = H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, cap, H5P_DEFAULT);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int member_count(hid_t loc, hsize_t *n)
{
    H5G_info_t info;
    if (H5Gget_info(loc, &info) < 0)
        return -1;
    *n = info.nlinks;
    return 0;
}

/* H5I_GROUP, H5I_DATASET or H5I_BADID for member name of loc. */
static H5I_type_t member_kind(hid_t loc, const char *name)
{
    hid_t o = H5Oopen(loc, name, H5P_DEFAULT);
    H5I_type_t t;
    if (o < 0)
        return H5I_BADID;
    t = H5Iget_type(o);
    H5Oclose(o);
    return t;
}

/* Every dataset of group `name` under loc into vals (a metadata group). */
static int read_group_values(rd_t *r, hid_t loc, const char *name, const char *where,
                             nir_value_t *vals, int *n_vals)
{
    char what[3 * NIR_NAME_LEN], mname[NIR_NAME_LEN];
    hid_t gr = H5Gopen2(loc, name, H5P_DEFAULT);
    hsize_t n, i;
    snprintf(what, sizeof what, "%s/%s", where, name);
    if (gr < 0 || member_count(gr, &n) < 0)
        return nir_fail(r->err, r->err_len, "%s: %s: cannot open the group", r->path, what);
    for (i = 0; i < n; i++) {
        if (member_name(gr, i, mname, sizeof mname) < 0)
            return nir_fail(r->err, r->err_len, "%s: %s: a member name longer than %d bytes", r->path,
                        what, NIR_NAME_LEN - 1);
        if (member_kind(gr, mname) != H5I_DATASET)
            continue; /* nested metadata dictionaries carry nothing the import uses */
        if (*n_vals >= NIR_MAX_VALUES)
            return nir_fail(r->err, r->err_len, "%s: %s: more than %d entries", r->path, what, NIR_MAX_VALUES);
        if (read_value(r, gr, mname, what, &vals[*n_vals]) < 0)
            return -1;
        (*n_vals)++;
    }
    H5Gclose(gr);
    return 0;
}

static int read_type(rd_t *r, hid_t gr, const char *where, char *type)
{
    nir_value_t v;
    if (H5Lexists(gr, "type", H5P_DEFAULT) <= 0)
        return nir_fail(r->err, r->err_len, "%s: %s has no 'type' dataset (not a NIR node)", r->path, where);
    if (read_value(r, gr, "type", where, &v) < 0)
        return -1;
    if (v.kind != NIR_STR) {
        free(v.v);
        return nir_fail(r->err, r->err_len, "%s: %s/type is not a string", r->path, where);
    }
    copy_name(type, v.s);
    free(v.s);
    return 0;
}

static int read_node(rd_t *r, hid_t nodes, const char *name, nir_node_t *nd)
{
    char where[2 * NIR_NAME_LEN + 16], mname[NIR_NAME_LEN];
    hid_t gr;
    hsize_t n, i;
    snprintf(where, sizeof where, "/node/nodes/%s", name);
    memset(nd, 0, sizeof *nd);
    copy_name(nd->name, name);
    if (member_kind(nodes, name) != H5I_GROUP)
        return nir_fail(r->err, r->err_len, "%s: %s is not a group (not a NIR node)", r->path, where);
    gr = H5Gopen2(nodes, name, H5P_DEFAULT);
    if (gr < 0 || member_count(gr, &n) < 0)
        return nir_fail(r->err, r->err_len, "%s: %s: cannot open the group", r->path, where);
    if (read_type(r, gr, where, nd->type) < 0)
        return -1;
    if (!strcmp(nd->type, "NIRGraph")) { /* a subgraph: the import refuses it by name */
        H5Gclose(gr);
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (member_name(gr, i, mname, sizeof mname) < 0)
            return nir_fail(r->err, r->err_len, "%s: %s: a member name longer than %d bytes", r->path,
                        where, NIR_NAME_LEN - 1);
        if (!strcmp(mname, "type"))
            continue;
        if (!strcmp(mname, "metadata")) {
            if (read_group_values(r, gr, mname, where, nd->meta, &nd->n_meta) < 0)
                return -1;
            continue;
        }
        if (member_kind(gr, mname) != H5I_DATASET)
            continue; /* e.g. a typed sub-dictionary: no parameter the import reads */
        if (nd->n_params >= NIR_MAX_VALUES)
            return nir_fail(r->err, r->err_len, "%s: %s: more than %d parameters", r->path, where, NIR_MAX_VALUES);
        if (read_value(r, gr, mname, where, &nd->param[nd->n_params]) < 0)
            return -1;
        nd->n_params++;
    }
    H5Gclose(gr);
    return 0;
}

static int read_edges(rd_t *r, hid_t root, nir_graph_t *g)
{
    hid_t d, sp, ft;
    hsize_t hd[H5S_MAX_RANK];
    int rank, rc;
    char (*buf)[NIR_NAME_LEN];
    if (H5Lexists(root, "edges", H5P_DEFAULT) <= 0)
        return nir_fail(r->err, r->err_len, "%s: /node has no 'edges' dataset", r->path);
    d = H5Dopen2(root, "edges", H5P_DEFAULT);
    sp = H5Dget_space(d);
    ft = H5Dget_type(d);
    rank = H5Sget_simple_extent_ndims(sp);
    H5Sget_simple_extent_dims(sp, hd, NULL);
    if (H5Tget_class(ft) != H5T_STRING || !((rank == 2 && hd[1] == 2) || (rank == 1 && hd[0] == 0)))
        return nir_fail(r->err, r->err_len, "%s: /node/edges: expected an (n, 2) array of strings", r->path);
    H5Tclose(ft);
    H5Sclose(sp);
    if (rank == 1)
        return 0;
    if (hd[0] > NIR_MAX_EDGES)
        return nir_fail(r->err, r->err_len, "%s: /node/edges: %llu edges, at most %d supported", r->path,
                    (unsigned long long)hd[0], NIR_MAX_EDGES);
    g->n_edges = (int)hd[0];
    buf = malloc_check(2 * hd[0] * NIR_NAME_LEN + 1, "NIR edges");
    rc = read_strings(r, d, "/node/edges", 2 * (size_t)hd[0], (char *)buf, NIR_NAME_LEN);
    for (int e = 0; rc == 0 && e < g->n_edges; e++) {
        memcpy(g->edge[e][0], buf[2 * e], NIR_NAME_LEN);
        memcpy(g->edge[e][1], buf[2 * e + 1], NIR_NAME_LEN);
    }
    free(buf);
    H5Dclose(d);
    return rc;
}

static int read_file(rd_t *r, hid_t f, nir_graph_t *g)
{
    char name[NIR_NAME_LEN], type[NIR_NAME_LEN];
    hid_t root, nodes;
    hsize_t n, i;
    if (H5Lexists(f, "version", H5P_DEFAULT) > 0) {
        nir_value_t v;
        if (read_value(r, f, "version", "", &v) < 0)
            return -1;
        snprintf(g->version, sizeof g->version, "%s", v.s ? v.s : "");
        free(v.s);
        free(v.v);
    }
    if (H5Lexists(f, "node", H5P_DEFAULT) <= 0 || member_kind(f, "node") != H5I_GROUP)
        return nir_fail(r->err, r->err_len, "%s: no /node group: not a NIR graph file (nir.write makes one)",
                    r->path);
    root = H5Gopen2(f, "node", H5P_DEFAULT);
    if (read_type(r, root, "/node", type) < 0)
        return -1;
    if (strcmp(type, "NIRGraph"))
        return nir_fail(r->err, r->err_len, "%s: /node/type is '%s', expected 'NIRGraph'", r->path, type);
    if (read_edges(r, root, g) < 0)
        return -1;
    if (H5Lexists(root, "nodes", H5P_DEFAULT) <= 0 || (nodes = H5Gopen2(root, "nodes", H5P_DEFAULT)) < 0 ||
        member_count(nodes, &n) < 0)
        return nir_fail(r->err, r->err_len, "%s: /node has no 'nodes' group", r->path);
    if (n > NIR_MAX_NODES)
        return nir_fail(r->err, r->err_len, "%s: %llu nodes, at most %d supported", r->path,
                    (unsigned long long)n, NIR_MAX_NODES);
    for (i = 0; i < n; i++) {
        if (member_name(nodes, i, name, sizeof name) < 0)
            return nir_fail(r->err, r->err_len, "%s: a node name longer than %d bytes", r->path, NIR_NAME_LEN - 1);
        if (read_node(r, nodes, name, &g->node[g->n_nodes]) < 0)
            return -1;
        g->n_nodes++;
    }
    if (H5Lexists(root, "metadata", H5P_DEFAULT) > 0 &&
        read_group_values(r, root, "metadata", "/node", g->meta, &g->n_meta) < 0)
        return -1;
    return 0;
}

int nir_graph_read(const char *path, nir_graph_t *g, char *err, size_t err_len)
{
    rd_t r = {path, err, err_len};
    hid_t fapl, f;
    htri_t is;
    int rc;
    FILE *probe;
    memset(g, 0, sizeof *g);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (!(probe = qio_fopen(path, "rb", err, err_len)))
        return -1;
    fclose(probe);
    if ((is = H5Fis_hdf5(path)) <= 0)
        return nir_fail(err, err_len, "%s: not an HDF5 file (a NIR file is HDF5, as nir.write makes it)", path);
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    f = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    H5Pclose(fapl);
    if (f < 0)
        return nir_fail(err, err_len, "%s: H5Fopen failed (damaged HDF5 file?)", path);
    rc = read_file(&r, f, g);
    H5Fclose(f);
    if (rc)
        nir_graph_free(g);
    return rc;
}

/* ---------------------------------------------------------------- writing */
static hid_t utf8_vlen(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static int write_string(hid_t loc, const char *name, const char *s)
{
    hid_t t = utf8_vlen(), sp = H5Screate(H5S_SCALAR), d;
    int rc = -1;
    d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s) >= 0)
        rc = 0;
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

static int write_value(hid_t loc, const nir_value_t *v)
{
    hsize_t hd[NIR_MAX_RANK];
    hid_t sp, ft, dcpl = H5Pcreate(H5P_DATASET_CREATE), d;
    int k, rc = -1;
    if (v->kind == NIR_STR)
        return write_string(loc, v->name, v->s);
    for (k = 0; k < v->rank; k++)
        hd[k] = v->dims[k];
    sp = v->rank ? H5Screate_simple(v->rank, hd, NULL) : H5Screate(H5S_SCALAR);
    ft = v->kind == NIR_F32 ? H5T_IEEE_F32LE : v->kind == NIR_F64 ? H5T_IEEE_F64LE : H5T_STD_I64LE;
    if (v->rank && v->n) { /* arrays compressed as nir.write does; scalars cannot be chunked */
        H5Pset_chunk(dcpl, v->rank, hd);
        H5Pset_deflate(dcpl, GZIP_LEVEL);
    }
    d = H5Dcreate2(loc, v->name, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d >= 0 && (!v->n || H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v->v) >= 0))
        rc = 0;
    if (d >= 0)
        H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return rc;
}

static int write_values(hid_t loc, const char *group, const nir_value_t *vals, int n)
{
    hid_t gr;
    int i;
    if (n == 0)
        return 0;
    if ((gr = H5Gcreate2(loc, group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        return -1;
    for (i = 0; i < n; i++)
        if (write_value(gr, &vals[i]) < 0)
            return -1;
    H5Gclose(gr);
    return 0;
}

static int write_edges(hid_t root, const nir_graph_t *g)
{
    hsize_t hd[2] = {(hsize_t)g->n_edges, 2};
    const char **p = calloc(2 * (size_t)g->n_edges + 1, sizeof *p);
    hid_t t = utf8_vlen(), sp = H5Screate_simple(2, hd, NULL), d;
    int rc = -1;
    for (int e = 0; p && e < g->n_edges; e++) {
        p[2 * e] = g->edge[e][0];
        p[2 * e + 1] = g->edge[e][1];
    }
    d = H5Dcreate2(root, "edges", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (p && d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, p) >= 0)
        rc = 0;
    if (d >= 0)
        H5Dclose(d);
    free(p);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

static int write_file(hid_t f, const nir_graph_t *g)
{
    hid_t root, nodes, gr;
    int i, k;
    if (write_string(f, "version", g->version) < 0 ||
        (root = H5Gcreate2(f, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        write_string(root, "type", "NIRGraph") < 0 || write_edges(root, g) < 0 ||
        (nodes = H5Gcreate2(root, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        return -1;
    for (i = 0; i < g->n_nodes; i++) {
        const nir_node_t *nd = &g->node[i];
        if ((gr = H5Gcreate2(nodes, nd->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            write_string(gr, "type", nd->type) < 0)
            return -1;
        for (k = 0; k < nd->n_params; k++)
            if (write_value(gr, &nd->param[k]) < 0)
                return -1;
        if (write_values(gr, "metadata", nd->meta, nd->n_meta) < 0)
            return -1;
        H5Gclose(gr);
    }
    return write_values(root, "metadata", g->meta, g->n_meta);
}

int nir_graph_write(const char *path, const nir_graph_t *g, char *err, size_t err_len)
{
    char tmp[4096];
    hid_t fapl, f;
    int rc, fd;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (qio_mkdir_parents(path, err, err_len) < 0)
        return -1;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (f < 0)
        return nir_fail(err, err_len, "%s: H5Fcreate failed (is the folder writable?)", tmp);
    rc = write_file(f, g);
    if (H5Fclose(f) < 0 || rc < 0) {
        unlink(tmp);
        return nir_fail(err, err_len, "%s: writing the HDF5 file failed (disk full?)", tmp);
    }
    if ((fd = open(tmp, O_RDONLY)) >= 0) {
        fsync(fd);
        close(fd);
    }
    if (rename(tmp, path) < 0) {
        qio_error(err, err_len, path, "rename", errno);
        unlink(tmp);
        return -1;
    }
    return 0;
}
