/* SPDX-License-Identifier: MIT
 * lut_depth.c : logic depth of a Yosys iCE40 netlist (the JSON of synth_ice40): for every
 * flip-flop input (D, E, R, S) and every input pin of a RAM, SPRAM or DSP, how many LUT levels
 * lie between it and the nearest flip-flop, memory or DSP output (or a top-level input).
 * A SB_LUT4 counts 1 level, a SB_CARRY bit 0.1, and a carry that leaves its chain for one of
 * those pins 1 more (nextpnr routes it out through a LUT).  Endpoints are grouped by register
 * (the cell name before Yosys's "_SB_" / "$" suffixes, bit indices dropped) and pin, and the
 * groups at or above --min-levels are listed, deepest first.  On the iCE40UP5K a routed hop
 * costs 1.8-5 ns and a LUT about 1 ns, so this is the list of paths a 42 MHz clock cannot
 * afford (docs/accelerator.md, "Session 28").
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intarg.h"
#include "json_report.h"
#include "qio.h"
#include "qout.h"

#define TOOL "lut_depth"
#define NETLIST_MAX_BYTES (512u << 20)
#define LEVEL 10          /* depths are kept in tenths of a LUT level */
#define CARRY_BIT 1
#define MAX_LEVELS 64     /* histogram bins; deeper endpoints go into the last */

enum cell_kind { CELL_SOURCE, CELL_LUT, CELL_CARRY, CELL_FF, CELL_HARD };

typedef struct {
    const char *name;
    const cJSON *conn;    /* port -> array of bits */
    const cJSON *dirs;    /* port -> "input" / "output" */
    enum cell_kind kind;
} cell_t;

typedef struct {
    char *key;            /* register.pin */
    int endpoints;
    int deep;             /* endpoints at --min-levels or deeper */
    int worst;            /* tenths */
} group_t;

typedef struct {
    cell_t *cells;
    int n_cells;
    int *driver;          /* bit -> cell index, -1: none (an input or a constant) */
    int *memo;            /* bit -> depth in tenths, -1: not yet, -2: being computed */
    int n_bits;
    const char *loop_cell;
} netlist_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: lut_depth [options] NETLIST.json\n"
        "LUT levels in front of every flip-flop, RAM and DSP input of a Yosys iCE40 netlist\n"
        "(synth_ice40 -json), grouped by register and pin.\n"
        "  -m, --min-levels N  list the groups N levels deep or deeper (default 6)\n"
        "  -t, --top NAME      the module to analyse (default: the one marked top)\n"
        "  -j, --json FILE     write the numbers as JSON (histogram, groups at --min-levels)\n"
        "  -h, --help          this text\n");
}

static enum cell_kind kind_of(const char *type)
{
    if (strcmp(type, "SB_LUT4") == 0) return CELL_LUT;
    if (strcmp(type, "SB_CARRY") == 0) return CELL_CARRY;
    if (strncmp(type, "SB_DFF", 6) == 0) return CELL_FF;
    if (strcmp(type, "SB_RAM40_4K") == 0 || strcmp(type, "SB_SPRAM256KA") == 0 ||
        strcmp(type, "SB_MAC16") == 0)
        return CELL_HARD;
    return CELL_SOURCE;
}

static int is_input(const cell_t *c, const char *port)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(c->dirs, port);
    return cJSON_IsString(d) && strcmp(d->valuestring, "input") == 0;
}

/* depth_of: tenths of a level in front of net bit b; -1 on a combinational loop */
static int depth_of(netlist_t *nl, int b);

static int deepest_input(netlist_t *nl, const cell_t *c, const char *const *ports)
{
    int worst = 0;
    for (; *ports; ports++) {
        const cJSON *bits = cJSON_GetObjectItemCaseSensitive(c->conn, *ports), *bit;
        cJSON_ArrayForEach(bit, bits) {
            int d;
            if (!cJSON_IsNumber(bit))
                continue;   /* a constant */
            d = depth_of(nl, bit->valueint);
            if (d < 0)
                return -1;
            if (d > worst)
                worst = d;
        }
    }
    return worst;
}

static int depth_of(netlist_t *nl, int b)
{
    static const char *const lut_in[] = {"I0", "I1", "I2", "I3", NULL};
    static const char *const carry_in[] = {"I0", "I1", "CI", NULL};
    const cell_t *c;
    int d;
    if (b < 0 || b >= nl->n_bits || nl->driver[b] < 0)
        return 0;
    if (nl->memo[b] >= 0)
        return nl->memo[b];
    c = &nl->cells[nl->driver[b]];
    if (nl->memo[b] == -2) {
        nl->loop_cell = c->name;
        return -1;
    }
    if (c->kind != CELL_LUT && c->kind != CELL_CARRY)
        return nl->memo[b] = 0;
    nl->memo[b] = -2;
    d = deepest_input(nl, c, c->kind == CELL_LUT ? lut_in : carry_in);
    if (d < 0)
        return -1;
    return nl->memo[b] = d + (c->kind == CELL_LUT ? LEVEL : CARRY_BIT);
}

/* group_key: "board.core.seq.o_step_SB_DFFESR_Q_4" + "E" -> "board.core.seq.o_step.E" */
static char *group_key(const char *cell, const char *pin)
{
    size_t n = strlen(cell), i, o = 0;
    const char *sb = strstr(cell, "_SB_"), *dollar = strchr(cell, '$');
    char *k;
    if (sb && (size_t)(sb - cell) < n) n = (size_t)(sb - cell);
    if (dollar && (size_t)(dollar - cell) < n) n = (size_t)(dollar - cell);
    k = malloc(n + strlen(pin) + 2);
    if (!k)
        return NULL;
    for (i = 0; i < n; i++) {
        if (cell[i] == '[') {
            while (i < n && cell[i] != ']') i++;
            continue;
        }
        k[o++] = cell[i];
    }
    k[o++] = '.';
    strcpy(k + o, pin);
    return k;
}

static int add_endpoint(group_t **groups, int *n_groups, int *cap, const char *cell, const char *pin,
                        int depth, int deep)
{
    char *key = group_key(cell, pin);
    int g;
    if (!key)
        return -1;
    for (g = *n_groups - 1; g >= 0; g--)   /* a register's bits are consecutive cells, mostly */
        if (strcmp((*groups)[g].key, key) == 0)
            break;
    if (g >= 0) {
        free(key);
    } else {
        if (*n_groups == *cap) {
            int ncap = *cap ? 2 * *cap : 256;
            group_t *ng = realloc(*groups, (size_t)ncap * sizeof *ng);
            if (!ng) { free(key); return -1; }
            *groups = ng;
            *cap = ncap;
        }
        g = (*n_groups)++;
        (*groups)[g] = (group_t){key, 0, 0, 0};
    }
    (*groups)[g].endpoints++;
    (*groups)[g].deep += deep;
    if (depth > (*groups)[g].worst)
        (*groups)[g].worst = depth;
    return 0;
}

static int by_depth(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    if (x->worst != y->worst)
        return y->worst - x->worst;
    return strcmp(x->key, y->key);
}

static const cJSON *find_top(const cJSON *modules, const char *top)
{
    const cJSON *m, *only = NULL;
    int n = 0;
    if (top)
        return cJSON_GetObjectItemCaseSensitive(modules, top);
    cJSON_ArrayForEach(m, modules) {
        const cJSON *attr = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "attributes"), "top");
        if ((cJSON_IsString(attr) && strchr(attr->valuestring, '1')) || (cJSON_IsNumber(attr) && attr->valueint))
            return m;
        only = m;
        n++;
    }
    return n == 1 ? only : NULL;
}

/* load: the cells of the module and the driver of every net bit.  0 or -1 + err */
static int load(netlist_t *nl, const cJSON *module, char *err, size_t err_len)
{
    const cJSON *cells = cJSON_GetObjectItemCaseSensitive(module, "cells"), *c;
    int i = 0, b;
    if (!cJSON_IsObject(cells)) {
        snprintf(err, err_len, "the module has no \"cells\" object (not a Yosys write_json netlist?)");
        return -1;
    }
    nl->n_cells = cJSON_GetArraySize(cells);
    nl->cells = calloc((size_t)nl->n_cells + 1, sizeof *nl->cells);
    if (!nl->cells)
        goto oom;
    nl->n_bits = 0;
    cJSON_ArrayForEach(c, cells) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(c, "type"), *port, *bit;
        cell_t *cell = &nl->cells[i++];
        cell->name = c->string;
        cell->conn = cJSON_GetObjectItemCaseSensitive(c, "connections");
        cell->dirs = cJSON_GetObjectItemCaseSensitive(c, "port_directions");
        if (!cJSON_IsString(type) || !cJSON_IsObject(cell->conn)) {
            snprintf(err, err_len, "cell '%s' has no type or connections", c->string);
            return -1;
        }
        cell->kind = kind_of(type->valuestring);
        cJSON_ArrayForEach(port, cell->conn) {
            cJSON_ArrayForEach(bit, port) {
                if (cJSON_IsNumber(bit) && (bit->valuedouble < 0 || bit->valuedouble >= (1 << 24))) {
                    snprintf(err, err_len, "cell '%s' port %s: net bit %.0f out of range", c->string,
                             port->string, bit->valuedouble);
                    return -1;
                }
                if (cJSON_IsNumber(bit) && bit->valueint >= nl->n_bits)
                    nl->n_bits = bit->valueint + 1;
            }
        }
    }
    nl->driver = malloc((size_t)nl->n_bits * sizeof *nl->driver + 1);
    nl->memo = malloc((size_t)nl->n_bits * sizeof *nl->memo + 1);
    if (!nl->driver || !nl->memo)
        goto oom;
    for (b = 0; b < nl->n_bits; b++)
        nl->driver[b] = nl->memo[b] = -1;
    for (i = 0; i < nl->n_cells; i++) {
        const cell_t *cell = &nl->cells[i];
        const cJSON *port, *bit;
        cJSON_ArrayForEach(port, cell->conn) {
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(cell->dirs, port->string);
            if (!cJSON_IsString(d) || strcmp(d->valuestring, "output") != 0)
                continue;
            cJSON_ArrayForEach(bit, port) {
                if (!cJSON_IsNumber(bit))
                    continue;
                if (nl->driver[bit->valueint] >= 0) {
                    snprintf(err, err_len, "net bit %d has two drivers ('%s' and '%s')", bit->valueint,
                             nl->cells[nl->driver[bit->valueint]].name, cell->name);
                    return -1;
                }
                nl->driver[bit->valueint] = i;
            }
        }
    }
    return 0;
oom:
    snprintf(err, err_len, "out of memory");
    return -1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"min-levels", required_argument, 0, 'm'}, {"top", required_argument, 0, 't'},
        {"json", required_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    const char *top = NULL, *json_path = NULL, *path;
    int min_levels = 6, c, i, n_groups = 0, cap = 0, endpoints = 0, deep_ep = 0, deep_groups = 0;
    int deepest = 0, hist[MAX_LEVELS] = {0};
    group_t *groups = NULL;
    netlist_t nl = {0};
    uint8_t *buf;
    size_t len;
    cJSON *root, *report;
    const cJSON *module;
    char err[1024];

    while ((c = getopt_long(argc, argv, "m:t:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (intarg_int(TOOL, "--min-levels", optarg, 0, MAX_LEVELS - 1, &min_levels) != 0)
                return 2;
            break;
        case 't': top = optarg; break;
        case 'j': json_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "lut_depth: %s (see --help)\n", optind == argc ? "the netlist is required" : "one netlist only");
        return 2;
    }
    path = argv[optind];
    {
        const qout_path_t out = {json_path, "--json"}, in = {path, "NETLIST"};
        if (qout_check(&out, 1, &in, 1, err, sizeof err) != 0) {
            fprintf(stderr, "lut_depth: %s\n", err);
            return 1;
        }
    }
    if (qio_read_file(path, &buf, &len, NETLIST_MAX_BYTES, err, sizeof err) != 0) {
        fprintf(stderr, "lut_depth: %s\n", err);
        return 1;
    }
    root = cJSON_ParseWithLength((const char *)buf, len);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        fprintf(stderr, "lut_depth: %s: not JSON (the parser stopped at byte %ld)\n", path,
                at ? (long)(at - (const char *)buf) : -1L);
        free(buf);
        return 1;
    }
    free(buf);
    module = find_top(cJSON_GetObjectItemCaseSensitive(root, "modules"), top);
    if (!cJSON_IsObject(module)) {
        fprintf(stderr, "lut_depth: %s: %s\n", path, top ? "no module of that --top name"
                : "no \"modules\" with one marked top (name it with --top)");
        cJSON_Delete(root);
        return 1;
    }
    if (load(&nl, module, err, sizeof err) != 0) {
        fprintf(stderr, "lut_depth: %s: %s\n", path, err);
        cJSON_Delete(root);
        return 1;
    }

    for (i = 0; i < nl.n_cells; i++) {
        const cell_t *cell = &nl.cells[i];
        const cJSON *port, *bit;
        if (cell->kind != CELL_FF && cell->kind != CELL_HARD)
            continue;
        cJSON_ArrayForEach(port, cell->conn) {
            const char *p = port->string;
            if (cell->kind == CELL_FF ? !(strcmp(p, "D") == 0 || strcmp(p, "E") == 0 || strcmp(p, "R") == 0 ||
                                          strcmp(p, "S") == 0)
                                      : !is_input(cell, p))
                continue;
            cJSON_ArrayForEach(bit, port) {
                int d, b;
                if (!cJSON_IsNumber(bit))
                    continue;
                b = bit->valueint;
                d = depth_of(&nl, b);
                if (d < 0) {
                    fprintf(stderr, "lut_depth: %s: a combinational loop runs through cell '%s'\n", path, nl.loop_cell);
                    cJSON_Delete(root);
                    return 1;
                }
                if (nl.driver[b] >= 0 && nl.cells[nl.driver[b]].kind == CELL_CARRY)
                    d += LEVEL;
                if (add_endpoint(&groups, &n_groups, &cap, cell->name, p, d, d >= min_levels * LEVEL) != 0) {
                    fprintf(stderr, "lut_depth: out of memory\n");
                    cJSON_Delete(root);
                    return 1;
                }
                endpoints++;
                hist[d / LEVEL < MAX_LEVELS ? d / LEVEL : MAX_LEVELS - 1]++;
                if (d > deepest) deepest = d;
            }
        }
    }
    qsort(groups, (size_t)n_groups, sizeof *groups, by_depth);

    printf("lut_depth: %s: %d endpoints, the deepest %d.%d LUT levels\n", path, endpoints, deepest / LEVEL,
           deepest % LEVEL);
    report = cJSON_CreateObject();
    cJSON_AddStringToObject(report, "netlist", path);
    cJSON_AddNumberToObject(report, "min_levels", min_levels);
    cJSON_AddNumberToObject(report, "endpoints", endpoints);
    json_add_rounded(report, "deepest_levels", deepest / (double)LEVEL, 1);
    {
        cJSON *h = cJSON_AddArrayToObject(report, "endpoints_per_level"), *list;
        printf("endpoints per whole level:");
        for (i = 0; i <= deepest / LEVEL && i < MAX_LEVELS; i++) {
            printf("%s %d: %d", i ? "," : "", i, hist[i]);
            cJSON_AddItemToArray(h, cJSON_CreateNumber(hist[i]));
        }
        printf("\n");
        list = cJSON_AddArrayToObject(report, "groups");
        for (i = 0; i < n_groups && groups[i].worst >= min_levels * LEVEL; i++) {
            cJSON *g = cJSON_CreateObject();
            printf("  %4d.%d %4d of %4d  %s\n", groups[i].worst / LEVEL, groups[i].worst % LEVEL, groups[i].deep,
                   groups[i].endpoints, groups[i].key);
            cJSON_AddStringToObject(g, "register_pin", groups[i].key);
            cJSON_AddNumberToObject(g, "endpoints", groups[i].endpoints);
            cJSON_AddNumberToObject(g, "endpoints_at_min_levels", groups[i].deep);
            json_add_rounded(g, "levels", groups[i].worst / (double)LEVEL, 1);
            cJSON_AddItemToArray(list, g);
            deep_ep += groups[i].deep;
            deep_groups++;
        }
    }
    cJSON_AddNumberToObject(report, "endpoints_at_min_levels", deep_ep);
    cJSON_AddNumberToObject(report, "groups_at_min_levels", deep_groups);
    printf("%d endpoints in %d groups at %d levels or more\n", deep_ep, deep_groups, min_levels);
    if (json_path && json_report_write(json_path, report, err, sizeof err) != 0) {
        fprintf(stderr, "lut_depth: %s\n", err);
        cJSON_Delete(report);
        cJSON_Delete(root);
        return 1;
    }
    cJSON_Delete(report);
    for (i = 0; i < n_groups; i++)
        free(groups[i].key);
    free(groups);
    free(nl.cells);
    free(nl.driver);
    free(nl.memo);
    cJSON_Delete(root);
    return 0;
}
