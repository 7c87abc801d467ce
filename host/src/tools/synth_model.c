/* SPDX-License-Identifier: MIT
 * synth_model.c : writes a synthetic (untrained) model file: a documented stand-in for
 * benchmarks and tests until a trained model exists.  Weights are uniform integers in
 * [-W, W] from a xorshift32 stream seeded with --seed; every layer gets the same threshold,
 * leak shift and reset mode.  The defaults (784-128-10, T=25, rate, W=40, threshold 300,
 * leak shift 3) give hidden activity of the same order as a trained MNIST model.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intarg.h"
#include "json_report.h"
#include "model_file.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: synth_model --out FILE [options]\n"
        "Writes a synthetic (untrained) Quantarion model.\n"
        "  -o, --out FILE          output model file\n"
        "  -s, --sizes I,H1,..,HL  layer sizes (default 784,128,10)\n"
        "  -T, --steps T           timesteps (default 25)\n"
        "  -E, --encoding E        rate (default) or direct\n"
        "  -S, --seed N            weight seed (default 1)\n"
        "  -W, --weight-max W      weights uniform in [-W, W], 1..127 (default 40)\n"
        "  -t, --threshold TH      threshold of every layer, 1..32767 (default 300)\n"
        "  -k, --leak K            leak shift, 0..15 (default 3)\n"
        "  -z, --reset-zero        reset to zero (default: subtract the threshold)\n"
        "  -N, --per-neuron        one threshold per neuron (TH + j %% 64)\n"
        "      --input-bits N      8 (default) or 4: pixels quantized to 4 bits (docs/arith.md)\n"
        "  -h, --help              this text\n");
}

static int parse_sizes(const char *s, int *sizes, int *n_layers)
{
    char buf[256], *tok, *save = NULL;
    int n = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        long v;
        if (n > SNN_MAX_LAYERS) {
            fprintf(stderr, "synth_model: --sizes '%s': 2..%d sizes expected\n", s, SNN_MAX_LAYERS + 1);
            return -1;
        }
        if (intarg_long("synth_model", "--sizes", tok, 1, SNN_MAX_INPUTS, &v) != 0)
            return -1;
        sizes[n++] = (int)v;
    }
    if (n < 2) {
        fprintf(stderr, "synth_model: --sizes '%s': at least an input and one layer\n", s);
        return -1;
    }
    *n_layers = n - 1;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'}, {"sizes", required_argument, 0, 's'},
        {"steps", required_argument, 0, 'T'}, {"encoding", required_argument, 0, 'E'},
        {"seed", required_argument, 0, 'S'}, {"weight-max", required_argument, 0, 'W'},
        {"threshold", required_argument, 0, 't'}, {"leak", required_argument, 0, 'k'},
        {"reset-zero", no_argument, 0, 'z'}, {"per-neuron", no_argument, 0, 'N'},
        {"input-bits", required_argument, 0, 'b'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    static snn_model_t m;
    static model_meta_t meta;
    const char *out = NULL;
    int sizes[SNN_MAX_LAYERS + 1] = {784, 128, 10}, n_layers = 2, reset_zero = 0, per_neuron = 0;
    long steps = 25, seed = 1, wmax = 40, threshold = 300, leak = 3;
    int encoding = SNN_ENCODING_RATE, c, l, i, j;
    long input_bits = SNN_INPUT_BITS_RAW;
    char err[1024];
    uint32_t s;

    while ((c = getopt_long(argc, argv, "o:s:T:E:S:W:t:k:zNb:h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'o': out = optarg; break;
        case 's': bad = parse_sizes(optarg, sizes, &n_layers); break;
        case 'T': bad = intarg_long("synth_model", "--steps", optarg, 1, SNN_MAX_STEPS, &steps); break;
        case 'E':
            if (strcmp(optarg, "rate") == 0) encoding = SNN_ENCODING_RATE;
            else if (strcmp(optarg, "direct") == 0) encoding = SNN_ENCODING_DIRECT;
            else { fprintf(stderr, "synth_model: --encoding '%s': rate or direct\n", optarg); bad = 1; }
            break;
        case 'S': bad = intarg_long("synth_model", "--seed", optarg, 0, UINT32_MAX, &seed); break;
        case 'W': bad = intarg_long("synth_model", "--weight-max", optarg, 1, SNN_WEIGHT_MAX, &wmax); break;
        case 't': bad = intarg_long("synth_model", "--threshold", optarg, 1, SNN_MEMBRANE_MAX, &threshold); break;
        case 'k': bad = intarg_long("synth_model", "--leak", optarg, 0, SNN_MAX_LEAK_SHIFT, &leak); break;
        case 'z': reset_zero = 1; break;
        case 'b':
            bad = intarg_long("synth_model", "--input-bits", optarg, SNN_INPUT_BITS_Q4, SNN_INPUT_BITS_RAW, &input_bits) ||
                  (input_bits != SNN_INPUT_BITS_Q4 && input_bits != SNN_INPUT_BITS_RAW);
            if (bad)
                fprintf(stderr, "synth_model: --input-bits: 8 or 4\n");
            break;
        case 'N': per_neuron = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
        if (bad)
            return 2;
    }
    if (!out || optind != argc) {
        fprintf(stderr, "synth_model: %s (see --help)\n", out ? "unexpected argument" : "--out is required");
        return 2;
    }
    m.steps = (uint8_t)steps;
    m.encoding = (uint8_t)encoding;
    m.input_bits = (uint8_t)input_bits;
    for (l = 0; l < n_layers; l++) {
        m.layer[l].leak_shift = (uint8_t)leak;
        m.layer[l].reset_mode = reset_zero ? SNN_RESET_ZERO : SNN_RESET_SUBTRACT;
        m.layer[l].threshold_mode = per_neuron ? SNN_THRESHOLD_NEURON : SNN_THRESHOLD_SHARED;
    }
    for (l = 0, i = 0, j = 0; l < n_layers; l++) {
        i += sizes[l] * SNN_PAD_LANES(sizes[l + 1]); /* padded weight bytes */
        j += sizes[l + 1];                          /* neurons */
        if (sizes[l + 1] > SNN_MAX_NEURONS || i > SNN_WEIGHT_BYTES || j > SNN_MAX_TOTAL_NEURONS) {
            fprintf(stderr, "synth_model: --sizes: layer %d needs more than the accelerator holds (%d neurons per "
                    "layer, %d in all, %d weight bytes)\n", l, SNN_MAX_NEURONS, SNN_MAX_TOTAL_NEURONS, SNN_WEIGHT_BYTES);
            return 2;
        }
    }
    model_layout(&m, n_layers, sizes);
    s = (uint32_t)seed * 2654435761u + 1u;
    for (l = 0; l < n_layers; l++) {
        const snn_layer_t *ly = &m.layer[l];
        const int n_thr = model_layer_thresholds(&m, l);
        for (i = 0; i < ly->n_in; i++)
            for (j = 0; j < ly->n_out; j++) {
                s ^= s << 13; s ^= s >> 17; s ^= s << 5;
                m.weights[ly->weight_offset + (uint32_t)i * SNN_PAD_LANES(ly->n_out) + (uint32_t)j] =
                    (int8_t)((long)(s % (uint32_t)(2 * wmax + 1)) - wmax);
            }
        for (j = 0; j < n_thr; j++) {
            m.thresholds[ly->threshold_offset + j] = (int16_t)(per_neuron ? (threshold + j % 64 > SNN_MEMBRANE_MAX
                                                                  ? SNN_MEMBRANE_MAX : threshold + j % 64) : threshold);
            meta.weight_scale[ly->threshold_offset + j] = 1.0f / 127.0f;
            meta.threshold_float[ly->threshold_offset + j] = (float)m.thresholds[ly->threshold_offset + j] / 127.0f;
        }
    }
    snprintf(meta.dataset, sizeof meta.dataset, "synthetic");
    meta.train_seed = (uint32_t)seed;
    meta.int8_accuracy = -1.0f;
    if (model_write(out, &m, &meta, err, sizeof err) != MODEL_OK) {
        fprintf(stderr, "synth_model: %s\n", err);
        return 1;
    }
    return 0;
}
