/* SPDX-License-Identifier: MIT
 * gate_stim.c : bus script + expected results for the gate-level bench (sim/gate/tb_gate.v).
 * Small random models (sim/random) are loaded over the byte bus, images are run, and every byte
 * the bench reads back (configuration, class, cycles, counts, membranes) is the golden model's
 * value (snn_infer, snn_cycle_model).  One 32-bit hex word per op: op[31:28] addr[27:8] data[7:0];
 * a run op carries the clocks from i_start to o_done the bench must count in bits [27:0].
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "model_file.h"
#include "random_model.h"
#include "snn.h"

/* ops of the script (tb_gate.v decodes the same values) */
enum { OP_END = 0, OP_WRITE = 1, OP_RUN = 2, OP_EXPECT = 3, OP_MARK = 4 };

static snn_model_t model;
static snn_trace_t trace;
static FILE *out;
static long n_ops;

static void emit_word(uint32_t w)
{
    fprintf(out, "%08x\n", (unsigned)w);
    n_ops++;
}

static void emit(int op, int region, uint32_t off, uint8_t data)
{
    const uint32_t addr = ((uint32_t)region << SNN_BUS_REGION_SHIFT) | off;
    emit_word((uint32_t)op << 28 | (addr & ((1u << SNN_BUS_ADDR_BITS) - 1)) << 8 | data);
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: gate_stim --out FILE [options]\n"
        "Writes the bus script of the gate-level check: small random models, images, and the\n"
        "golden model's results as expected read-back bytes.\n"
        "  --out FILE        script (hex words, read by sim/gate/tb_gate.v line by line)\n"
        "  --models N        random models (default 4)\n"
        "  --images K        images per model (default 1)\n"
        "  --seed S          random seed (default 1)\n"
        "  --max-steps T     largest T (default 4)\n"
        "  --max-size N      largest layer size (default 24)\n"
        "  --model FILE      instead of random models: this model file on its first --images test\n"
        "                    images of --data (image i with seed i, as host/eval)\n"
        "  --data SPEC       dataset for --model (default mnist)\n"
        "  --help            this text\n"
        "Exit status: 0, or 2 on bad input or a write error.\n");
}

static int parse_long(const char *s, long lo, long hi, long *v)
{
    char *end;
    *v = strtol(s, &end, 10);
    return *s && !*end && *v >= lo && *v <= hi ? 0 : -1;
}

static void load_model(const snn_model_t *m)
{
    uint8_t regs[SNN_CFG_BYTES];
    const snn_layer_t *last = &m->layer[m->n_layers - 1];
    const uint32_t n_thr = last->threshold_offset +
                           (last->threshold_mode == SNN_THRESHOLD_NEURON ? last->n_out : 1);
    const uint32_t w_end = last->weight_offset + (uint32_t)last->n_in * SNN_PAD_LANES(last->n_out);
    uint32_t i;
    snn_config_image(m, regs);
    for (i = 0; i < SNN_CFG_BYTES; i++)
        emit(OP_WRITE, SNN_REGION_CONFIG, i, regs[i]);
    for (i = 0; i < n_thr; i++) {
        emit(OP_WRITE, SNN_REGION_THRESHOLDS, 2 * i, (uint8_t)m->thresholds[i]);
        emit(OP_WRITE, SNN_REGION_THRESHOLDS, 2 * i + 1, (uint8_t)((uint16_t)m->thresholds[i] >> 8));
    }
    for (i = 0; i < w_end; i++)
        emit(OP_WRITE, SNN_REGION_WEIGHTS, i, (uint8_t)m->weights[i]);
    for (i = 0; i < SNN_CFG_BYTES; i++)
        emit(OP_EXPECT, SNN_REGION_CONFIG, i, regs[i]);
    emit(OP_EXPECT, SNN_REGION_WEIGHTS, w_end - 1, (uint8_t)m->weights[w_end - 1]);
    emit(OP_EXPECT, SNN_REGION_THRESHOLDS, 2 * (n_thr - 1), (uint8_t)m->thresholds[n_thr - 1]);
}

static void run_image(const snn_model_t *m, const uint8_t *pixels, uint32_t seed)
{
    snn_result_t r;
    const int last = m->n_layers - 1;
    uint32_t cycles;
    int i, l, j;
    uint8_t px[SNN_MAX_INPUTS];
    snn_infer(m, pixels, seed, &r, &trace);
    cycles = snn_cycle_model(m, &r);
    /* the core gets the pixels as the board's INFER decoder hands them over (quantized for a
     * model with 4-bit inputs) */
    snn_input_pixels(m, pixels, px);
    for (i = 0; i < m->layer[0].n_in; i++)
        emit(OP_WRITE, SNN_REGION_PIXELS, (uint32_t)i, px[i]);
    for (i = 0; i < 4; i++)
        emit(OP_WRITE, SNN_REGION_PIXELS, SNN_PIX_SEED + (uint32_t)i, (uint8_t)(seed >> 8 * i));
    emit_word((uint32_t)OP_RUN << 28 | (cycles & 0x0FFFFFFFu));
    emit(OP_EXPECT, SNN_REGION_RESULT, SNN_RES_CLASS, r.predicted);
    emit(OP_EXPECT, SNN_REGION_RESULT, SNN_RES_STEPS, r.steps_used);
    for (i = 0; i < 4; i++)
        emit(OP_EXPECT, SNN_REGION_RESULT, SNN_RES_CYCLES + (uint32_t)i, (uint8_t)(cycles >> 8 * i));
    for (j = 0; j < m->layer[last].n_out; j++)
        emit(OP_EXPECT, SNN_REGION_RESULT, SNN_RES_COUNTS + (uint32_t)j, r.counts[j]);
    for (l = 0; l <= last; l++)
        for (j = 0; j < m->layer[l].n_out; j++) {
            const uint16_t v = (uint16_t)trace.final_v[l][j];
            const uint32_t k = snn_membrane_slot(m, l, j);
            emit(OP_EXPECT, SNN_REGION_MEMBRANES, 2 * k, (uint8_t)v);
            emit(OP_EXPECT, SNN_REGION_MEMBRANES, 2 * k + 1, (uint8_t)(v >> 8));
        }
}

/* The script of a model file on the first n test images of data (image i, seed i). */
static int script_model_file(const char *model_path, const char *data, long n)
{
    char err[512];
    model_meta_t meta;
    dataset_t d;
    long i;
    if (model_read(model_path, &model, &meta, err, sizeof err) != MODEL_OK) {
        fprintf(stderr, "gate_stim: %s\n", err);
        return -1;
    }
    if (dataset_load(data, &d, err, sizeof err) != 0) {
        fprintf(stderr, "gate_stim: %s\n", err);
        return -1;
    }
    if (d.test.rows * d.test.cols != model.layer[0].n_in || n > d.test.n) {
        fprintf(stderr, "gate_stim: %s takes %d inputs; the %s test split has %d images of %d pixels\n",
                model_path, model.layer[0].n_in, data, d.test.n, d.test.rows * d.test.cols);
        dataset_free(&d);
        return -1;
    }
    emit(OP_MARK, 0, 0, 0);
    load_model(&model);
    for (i = 0; i < n; i++)
        run_image(&model, d.test.images + (size_t)i * model.layer[0].n_in, (uint32_t)i);
    dataset_free(&d);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'},      {"models", required_argument, 0, 'n'},
        {"images", required_argument, 0, 'k'},   {"seed", required_argument, 0, 's'},
        {"max-steps", required_argument, 0, 't'}, {"max-size", required_argument, 0, 'z'},
        {"model", required_argument, 0, 'm'},    {"data", required_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
    const char *path = NULL, *model_path = NULL, *data = "mnist";
    long models = 4, images = 1, seed = 1, max_steps = 4, max_size = 24, v = 0;
    long mi, ii, n_images = 0;
    uint8_t pixels[SNN_MAX_INPUTS];
    rnd_t rng;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        const int bad = c == 'o' || c == 'h' || c == 'm' || c == 'd' ? 0
                      : parse_long(optarg, c == 's' ? 0 : 1,
                                   c == 't' ? SNN_MAX_STEPS : c == 'z' ? SNN_MAX_INPUTS : 1000000, &v);
        if (c == '?' || bad) {
            if (bad)
                fprintf(stderr, "gate_stim: bad value '%s' (see --help for ranges)\n", optarg);
            usage(stderr);
            return 2;
        }
        switch (c) {
        case 'o': path = optarg; break;
        case 'm': model_path = optarg; break;
        case 'd': data = optarg; break;
        case 'n': models = v; break;
        case 'k': images = v; break;
        case 's': seed = v; break;
        case 't': max_steps = v; break;
        case 'z': max_size = v; break;
        default: usage(stdout); return 0;
        }
    }
    if (!path || optind < argc) {
        fprintf(stderr, "gate_stim: %s\n", path ? "unexpected argument" : "--out FILE is required");
        usage(stderr);
        return 2;
    }
    out = fopen(path, "w");
    if (!out) {
        perror(path);
        fprintf(stderr, "gate_stim: cannot write the script (does its directory exist?)\n");
        return 2;
    }
    if (model_path) {
        if (script_model_file(model_path, data, images) != 0) {
            fclose(out);
            remove(path);
            return 2;
        }
        models = 1;
        n_images = images;
    }
    rnd_seed(&rng, (uint64_t)seed);
    for (mi = 0; !model_path && mi < models; mi++) {
        if (random_model_sized(&rng, &model, (int)max_steps, (int)max_size)) {
            fclose(out);
            return 2;
        }
        emit(OP_MARK, 0, (uint32_t)mi, 0);
        load_model(&model);
        for (ii = 0; ii < images; ii++, n_images++) {
            random_pixels(&rng, pixels, model.layer[0].n_in);
            run_image(&model, pixels, rnd_u32(&rng));
        }
    }
    emit(OP_END, 0, 0, 0);
    if (fclose(out) != 0) {
        perror(path);
        return 2;
    }
    fprintf(stderr, "gate_stim: %ld models, %ld images, %ld bus ops -> %s\n", models, n_images, n_ops, path);
    return 0;
}
