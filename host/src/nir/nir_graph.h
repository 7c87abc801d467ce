/* SPDX-License-Identifier: MIT
 * nir_graph.h : a NIR graph in memory and its HDF5 form (docs/nir.md "The file"), on libhdf5.
 *
 * The file: /version (string), /node with type = "NIRGraph", edges ((E, 2) strings src, dst),
 * nodes/<name>/ holding a `type` string and one dataset per parameter, and optional
 * metadata/ groups (graph and node) of scalar or array datasets.  No HDF5 attributes.
 * Datasets may be gzip-compressed; libhdf5 reads both.  Node order carries no meaning.
 */
#ifndef NIR_GRAPH_H
#define NIR_GRAPH_H

#include <stddef.h>

#define NIR_MAX_NODES  64
#define NIR_MAX_EDGES  128
#define NIR_MAX_VALUES 24    /* parameters (or metadata entries) of one node */
#define NIR_MAX_RANK   4     /* Conv2d weights are rank 4: read, then refused by the import */
#define NIR_NAME_LEN   64

/* How a value is (or will be) stored. */
enum { NIR_F32 = 0, NIR_F64 = 1, NIR_I64 = 2, NIR_STR = 3, NIR_OTHER = 4 };

/* One dataset: numbers as doubles (exact for float32 and for integers below 2^53), or a
 * string.  rank 0 is a scalar (n = 1). */
typedef struct {
    char name[NIR_NAME_LEN];
    int kind;                        /* NIR_*: the file's class on read, the stored type on write */
    int rank;
    size_t dims[NIR_MAX_RANK];
    size_t n;                        /* elements */
    double *v;                       /* (n) numbers, NULL for a string */
    char *s;                         /* string, NULL for numbers */
} nir_value_t;

typedef struct {
    char name[NIR_NAME_LEN];
    char type[NIR_NAME_LEN];         /* "Linear", "LIF", ... ("NIRGraph" for a nested graph) */
    int n_params, n_meta;
    nir_value_t param[NIR_MAX_VALUES];
    nir_value_t meta[NIR_MAX_VALUES];
} nir_node_t;

typedef struct {
    char version[32];                /* the writer's NIR version, e.g. "1.0.8" */
    int n_nodes, n_edges, n_meta;
    nir_node_t node[NIR_MAX_NODES];
    char edge[NIR_MAX_EDGES][2][NIR_NAME_LEN]; /* (E, 2) src, dst as written */
    nir_value_t meta[NIR_MAX_VALUES];
} nir_graph_t;

/* Reads path into g (heap memory: free with nir_graph_free).  Returns 0, or -1 with a
 * one-line reason (the file, the object, what was expected) in err. */
int nir_graph_read(const char *path, nir_graph_t *g, char *err, size_t err_len);
/* Writes g to path.tmp (arrays gzip-compressed, as `nir.write` does) and renames it over
 * path.  Returns 0 or -1 + err. */
int nir_graph_write(const char *path, const nir_graph_t *g, char *err, size_t err_len);
void nir_graph_free(nir_graph_t *g);

/* Lookups (NULL when absent). */
int nir_node_index(const nir_graph_t *g, const char *name);   /* -1 when absent */
const nir_value_t *nir_value(const nir_value_t *vals, int n, const char *name);
const nir_value_t *nir_param(const nir_node_t *nd, const char *name);

/* Builders for the exporter: append a node / value; the value's data is copied. */
nir_node_t *nir_add_node(nir_graph_t *g, const char *name, const char *type);
nir_value_t *nir_add_value(nir_value_t *vals, int *n, const char *name, int kind, int rank,
                           const size_t *dims, const double *data);
nir_value_t *nir_add_string(nir_value_t *vals, int *n, const char *name, const char *s);
int nir_add_edge(nir_graph_t *g, const char *src, const char *dst);

/* Formats a message into err (err_len bytes) and returns -1: the error return of this folder. */
int nir_fail(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
