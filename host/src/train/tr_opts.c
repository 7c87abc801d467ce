/* SPDX-License-Identifier: MIT
 * tr_opts.c : host/train's command line: defaults, --help, parsing with clear errors.
 */
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tr_engine.h"
#include "tr_opts.h"
#include "tr_quant.h"

static void usage(FILE *f)
{
    fprintf(f,
"usage: host/train [options]\n"
"Trains a fully connected LIF spiking network (FP32, then quantization-aware fine-tuning),\n"
"exports the integer model the golden model and the accelerator run, and reports INT8\n"
"accuracy measured with the golden model (snn_infer, seed = test image index).\n"
"host/train-mpi takes the same options under mpirun: data-parallel over the ranks, or one\n"
"sweep configuration per rank at a time; rank 0 writes the files (docs/distributed.md).\n"
"\n"
"data and network\n"
"  --data NAME           mnist | fashion | DIR with idx files (default mnist)\n"
"  --layers A,B,...      layer sizes, inputs first (default 784,128,10)\n"
"  --steps T             timesteps per image (default 25)\n"
"  --encoding E          rate | direct (default rate)\n"
"  --input-bits N        8 | 4: pixels as they are, or quantized to 4 bits (p >> 4) * 17, which\n"
"                        lets host/run send compressed INFER frames (default 8)\n"
"  --leak K[,K...]       leak shift per layer, V -= V >> K; 0 = none (default 4)\n"
"  --reset R[,R...]      subtract | zero, per layer (default subtract)\n"
"  --theta X             float threshold of every neuron (default 1.0)\n"
"  --surrogate S         fast-sigmoid | arctan (default fast-sigmoid)\n"
"  --slope X             surrogate slope (default 5)\n"
"  --loss L              membrane (cross-entropy on the output layer's mean membrane / threshold)\n"
"                        | count (on output spike counts) (default membrane)\n"
"  --logit-scale X       logits = X * mean membrane / threshold (or X * counts) (default 5)\n"
"  --early-exit E        off | exact | lead:K:M, stored in the exported model and used by its INT8\n"
"                        evaluation (docs/arith.md \"Early exit\"): exact stops an image once no other\n"
"                        output can catch the leader in the steps left (provably the full-T class);\n"
"                        lead:K:M once the leader leads by K spikes (1..255) after at least M steps\n"
"                        (1..T) (default off)\n"
"training\n"
"  --epochs N            FP32 epochs (default 30)\n"
"  --qat-epochs M        QAT epochs (default: the recipe's)\n"
"  --batch B             mini-batch size (default 128)\n"
"  --train-limit N       use the first N training images only\n"
"  --holdout N           hold the last N training images out of training and report every accuracy\n"
"                        on them instead of the test split: a validation set for choosing settings\n"
"                        (default 0: the test split)\n"
"  --lr X                FP32 learning rate (default 2e-3)\n"
"  --optimizer O         FP32 optimizer: adamw | adam | sgd | rmsprop (default adamw)\n"
"  --schedule S          FP32 schedule: cosine | step | plateau | warmup-cosine | constant (default cosine)\n"
"  --weight-decay X      FP32 weight decay (default 1e-4)\n"
"  --augment-shift P     random translation by up to P pixels, 0 = none (default 2)\n"
"  --augment-flip        mirror each training image left-right with probability 1/2 (default off)\n"
"  --init-gain X         initial weights uniform, std X / sqrt(inputs) (default 1.0)\n"
"  --seed S              seed of every random choice (default 1)\n"
"  --threads N           worker threads (per rank under MPI) (default: all cores)\n"
"  --shards S            cut every batch into S fixed shards, summed in shard order: the same\n"
"                        seed and S give the same bytes whatever the threads and MPI ranks\n"
"                        (default: threads x ranks, which is the thread-chunked sum)\n"
"quantization\n"
"  --recipe R            QAT recipe: best | classic | adaptive | rmsprop | warmup (default best)\n"
"  --qat-lr X            override the recipe's learning rate\n"
"  --observer O          minmax | moving-average (default minmax)\n"
"  --avg-const X         moving-average constant (default 0.01)\n"
"  --weights G           per-tensor (one threshold per layer) | per-channel (per neuron) (default per-tensor)\n"
"  --calib-batches N     QAT batches observed before the observers freeze (default 32, max 64)\n"
"  --verify-scale T=X    fail unless tensor T's scale is X within --scale-tol (repeatable;\n"
"                        T like layer0.weight, layer0.weight[5], layer0.current, layer1.membrane)\n"
"  --scale-tol E         absolute tolerance for --verify-scale (default 1e-6)\n"
"checks\n"
"  --board B             icebreaker (default): refuse networks beyond its capacity\n"
"  --strict              refuse to export when a layer is silent after calibration\n"
"  --ablate A            observers | recipes: train once in FP32, then compare QAT variants;\n"
"                        speed: train rate T = 25, 10, 5 and direct T = 4, 8, 16 (the other options\n"
"                        as given) and measure INT8 accuracy against model cycles per image with\n"
"                        early exit off, exact and eight lead:K:M settings on each trained model\n"
"  --ablate-dir DIR      --ablate speed: its models, speed.json, speed.md and speed-pareto.png\n"
"                        (default build/ablate-speed)\n"
"  --reuse-models        --ablate speed: measure the models already in --ablate-dir, train nothing\n"
"  --sweep FILE          train one configuration per line of FILE (options added to these;\n"
"                        '#' comments), report them together; under MPI one per rank at a time\n"
"output\n"
"  --out FILE            exported model (default build/models/model.qmodel)\n"
"  --report FILE.json    JSON report (per-epoch curves, scales, sizes, accuracies)\n"
"  --plot FILE.png       training curves (gnuplot)\n"
"  --checkpoint FILE     checkpoint written atomically after every epoch\n"
"  --resume              continue from --checkpoint (same options) to the same result; a sweep\n"
"                        skips the configurations finished in CHECKPOINT.sweep.json\n"
"  --quiet               no progress bar\n"
"  --help                this text\n");
}

enum {
    O_DATA = 256, O_LAYERS, O_STEPS, O_ENCODING, O_INPUT_BITS, O_LEAK, O_RESET, O_THETA, O_SURROGATE, O_SLOPE,
    O_LOSS, O_LOGIT, O_EPOCHS, O_QAT_EPOCHS, O_BATCH, O_TRAIN_LIMIT, O_HOLDOUT, O_LR, O_OPTIMIZER, O_SCHEDULE,
    O_WD, O_SHIFT, O_FLIP, O_GAIN, O_SEED, O_THREADS, O_SHARDS, O_RECIPE, O_QAT_LR, O_OBSERVER, O_AVG, O_WEIGHTS,
    O_CALIB, O_VERIFY, O_TOL, O_BOARD, O_STRICT, O_ABLATE, O_SWEEP, O_OUT, O_REPORT, O_PLOT, O_CKPT,
    O_RESUME, O_QUIET, O_HELP, O_EARLY_EXIT, O_ABLATE_DIR, O_REUSE,
};

static const struct option long_opts[] = {
    {"data", 1, 0, O_DATA}, {"layers", 1, 0, O_LAYERS}, {"steps", 1, 0, O_STEPS},
    {"encoding", 1, 0, O_ENCODING}, {"input-bits", 1, 0, O_INPUT_BITS},
    {"leak", 1, 0, O_LEAK}, {"reset", 1, 0, O_RESET},
    {"theta", 1, 0, O_THETA}, {"surrogate", 1, 0, O_SURROGATE}, {"slope", 1, 0, O_SLOPE},
    {"loss", 1, 0, O_LOSS}, {"logit-scale", 1, 0, O_LOGIT}, {"epochs", 1, 0, O_EPOCHS},
    {"qat-epochs", 1, 0, O_QAT_EPOCHS}, {"batch", 1, 0, O_BATCH}, {"train-limit", 1, 0, O_TRAIN_LIMIT},
    {"holdout", 1, 0, O_HOLDOUT},
    {"lr", 1, 0, O_LR}, {"optimizer", 1, 0, O_OPTIMIZER}, {"schedule", 1, 0, O_SCHEDULE},
    {"weight-decay", 1, 0, O_WD}, {"augment-shift", 1, 0, O_SHIFT}, {"augment-flip", 0, 0, O_FLIP},
    {"init-gain", 1, 0, O_GAIN},
    {"seed", 1, 0, O_SEED}, {"threads", 1, 0, O_THREADS}, {"shards", 1, 0, O_SHARDS}, {"recipe", 1, 0, O_RECIPE},
    {"qat-lr", 1, 0, O_QAT_LR}, {"observer", 1, 0, O_OBSERVER}, {"avg-const", 1, 0, O_AVG},
    {"weights", 1, 0, O_WEIGHTS}, {"calib-batches", 1, 0, O_CALIB}, {"verify-scale", 1, 0, O_VERIFY},
    {"scale-tol", 1, 0, O_TOL}, {"board", 1, 0, O_BOARD}, {"strict", 0, 0, O_STRICT},
    {"ablate", 1, 0, O_ABLATE}, {"sweep", 1, 0, O_SWEEP}, {"out", 1, 0, O_OUT}, {"report", 1, 0, O_REPORT}, {"plot", 1, 0, O_PLOT},
    {"checkpoint", 1, 0, O_CKPT}, {"resume", 0, 0, O_RESUME}, {"quiet", 0, 0, O_QUIET},
    {"help", 0, 0, O_HELP}, {"early-exit", 1, 0, O_EARLY_EXIT}, {"ablate-dir", 1, 0, O_ABLATE_DIR},
    {"reuse-models", 0, 0, O_REUSE}, {0, 0, 0, 0},
};

static int bad(const char *opt, const char *val, const char *want)
{
    fprintf(stderr, "train: --%s %s: expected %s (see --help)\n", opt, val, want);
    return -1;
}

/* A whole decimal integer in [lo, hi]: no sign unless negative, no blanks, nothing after. */
static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    long v;
    if (!(*s >= '0' && *s <= '9') && !(*s == '-' && s[1] >= '0' && s[1] <= '9'))
        return -1;
    v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_float(const char *s, float lo, float hi, float *out)
{
    char *end;
    float v = strtof(s, &end);
    if (!*s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int copy_str(char *dst, size_t cap, const char *s, const char *opt)
{
    if (strlen(s) >= cap) {
        fprintf(stderr, "train: --%s: value longer than %zu characters\n", opt, cap - 1);
        return -1;
    }
    strcpy(dst, s);
    return 0;
}

/* "a,b,c" into out (n values each in [lo, hi]); names, when given, are the accepted words.
 * An empty item ("784,,10", a leading or trailing comma) is an error, never skipped. */
static int parse_list(const char *s, int *out, int max, int lo, int hi, const char *const *names, int *n)
{
    char buf[256], *tok = buf, *comma;
    *n = 0;
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    for (;;) {
        int v = -1, k;
        comma = strchr(tok, ',');
        if (comma)
            *comma = 0;
        if (!*tok || *n >= max)
            return -1;
        if (names) {
            for (k = 0; names[k]; k++)
                if (!strcmp(tok, names[k]))
                    v = k;
            if (v < 0)
                return -1;
        } else if (parse_int(tok, lo, hi, &v)) {
            return -1;
        }
        out[(*n)++] = v;
        if (!comma)
            return 0;
        tok = comma + 1;
    }
}

static void defaults(opts_t *o)
{
    int l;
    memset(o, 0, sizeof *o);
    strcpy(o->data, "mnist");
    o->net.n_layers = 2;
    o->net.sizes[0] = 784;
    o->net.sizes[1] = 128;
    o->net.sizes[2] = 10;
    o->net.steps = 25;
    o->net.encoding = SNN_ENCODING_RATE;
    o->net.input_bits = SNN_INPUT_BITS_RAW;
    for (l = 0; l < SNN_MAX_LAYERS; l++) {
        o->net.leak_shift[l] = 4;
        o->net.reset_mode[l] = SNN_RESET_SUBTRACT;
    }
    o->net.theta = 1.0f;
    o->net.surrogate = TR_SURR_FAST_SIGMOID;
    o->net.slope = 5.0f;
    o->net.loss = TR_LOSS_MEMBRANE;
    o->net.logit_scale = 5.0f;
    o->epochs = 30;
    o->qat_epochs = -1;
    o->batch = 128;
    o->threads = omp_get_num_procs();
    o->seed = 1;
    o->max_shift = 2;
    o->init_gain = 1.0f;
    o->fp32 = optim_preset("best")->cfg;
    o->fp32.lr = 2e-3f;
    o->fp32.weight_decay = 1e-4f;
    o->fp32.eta_min = 0.0f;
    strcpy(o->recipe, "best");
    o->observer = TR_OBS_MINMAX;
    o->avg_const = 0.01f;
    o->calib_batches = 32;
    strcpy(o->board, "icebreaker");
    o->scale_tol = 1e-6f;
    strcpy(o->out, "build/models/model.qmodel");
    strcpy(o->early_exit, "off");
    strcpy(o->ablate_dir, "build/ablate-speed");
}

int opts_parse(opts_t *o, int argc, char **argv)
{
    defaults(o);
    return opts_parse_more(o, argc, argv);
}

int opts_parse_more(opts_t *o, int argc, char **argv)
{
    static const char *const resets[] = {"subtract", "zero", 0};
    int c, n, v, leak_n = 0, reset_n = 0, leaks[SNN_MAX_LAYERS], resets_v[SNN_MAX_LAYERS], l;
    optind = 0; /* 0: getopt re-initialises, for a second parse in one process */
    while ((c = getopt_long(argc, argv, "h", long_opts, 0)) != -1) {
        const char *a = optarg, *name = c >= 256 && c - 256 < (int)(sizeof long_opts / sizeof long_opts[0])
                                             ? long_opts[c - 256].name : "?";
        switch (c) {
        case O_DATA: if (copy_str(o->data, sizeof o->data, a, name)) return -1; break;
        case O_LAYERS: {
            int sz[SNN_MAX_LAYERS + 2];
            if (parse_list(a, sz, SNN_MAX_LAYERS + 2, 1, 65535, 0, &n) || n < 2)
                return bad(name, a, "at least two sizes, e.g. 784,128,10");
            if (n > SNN_MAX_LAYERS + 1) {
                fprintf(stderr, "train: --layers %s: %d weight layers; the accelerator holds at most %d\n",
                        a, n - 1, SNN_MAX_LAYERS);
                return -1;
            }
            o->net.n_layers = n - 1;
            for (l = 0; l < n; l++)
                o->net.sizes[l] = sz[l];
            break;
        }
        case O_STEPS: if (parse_int(a, 1, 100000, &o->net.steps)) return bad(name, a, "a positive integer"); break;
        case O_ENCODING:
            if (!strcmp(a, "rate")) o->net.encoding = SNN_ENCODING_RATE;
            else if (!strcmp(a, "direct")) o->net.encoding = SNN_ENCODING_DIRECT;
            else return bad(name, a, "rate or direct");
            break;
        case O_INPUT_BITS:
            if (!strcmp(a, "8")) o->net.input_bits = SNN_INPUT_BITS_RAW;
            else if (!strcmp(a, "4")) o->net.input_bits = SNN_INPUT_BITS_Q4;
            else return bad(name, a, "8 (raw pixels) or 4 (pixels quantized to 4 bits, docs/arith.md)");
            break;
        case O_LEAK:
            if (parse_list(a, leaks, SNN_MAX_LAYERS, 0, SNN_MAX_LEAK_SHIFT, 0, &leak_n))
                return bad(name, a, "shifts 0..15, one or one per layer");
            break;
        case O_RESET:
            if (parse_list(a, resets_v, SNN_MAX_LAYERS, 0, 1, resets, &reset_n))
                return bad(name, a, "subtract or zero, one or one per layer");
            break;
        case O_THETA: if (parse_float(a, 1e-6f, 1e6f, &o->net.theta)) return bad(name, a, "a positive number"); break;
        case O_SURROGATE:
            if (!strcmp(a, "fast-sigmoid")) o->net.surrogate = TR_SURR_FAST_SIGMOID;
            else if (!strcmp(a, "arctan")) o->net.surrogate = TR_SURR_ARCTAN;
            else return bad(name, a, "fast-sigmoid or arctan");
            break;
        case O_SLOPE: if (parse_float(a, 1e-3f, 1e4f, &o->net.slope)) return bad(name, a, "a positive number"); break;
        case O_LOSS:
            if (!strcmp(a, "count")) o->net.loss = TR_LOSS_COUNT;
            else if (!strcmp(a, "membrane")) o->net.loss = TR_LOSS_MEMBRANE;
            else return bad(name, a, "count or membrane");
            break;
        case O_LOGIT: if (parse_float(a, 1e-4f, 1e4f, &o->net.logit_scale)) return bad(name, a, "a positive number"); break;
        case O_EPOCHS: if (parse_int(a, 0, 10000, &o->epochs)) return bad(name, a, "an integer 0..10000"); break;
        case O_QAT_EPOCHS: if (parse_int(a, 0, 10000, &o->qat_epochs)) return bad(name, a, "an integer 0..10000"); break;
        case O_BATCH: if (parse_int(a, 1, 65536, &o->batch)) return bad(name, a, "an integer 1..65536"); break;
        case O_TRAIN_LIMIT: if (parse_int(a, 1, 1 << 30, &o->train_limit)) return bad(name, a, "a positive integer"); break;
        case O_HOLDOUT: if (parse_int(a, 1, 1 << 30, &o->holdout)) return bad(name, a, "a positive integer"); break;
        case O_LR: if (parse_float(a, 0.0f, 10.0f, &o->fp32.lr)) return bad(name, a, "a learning rate 0..10"); break;
        case O_OPTIMIZER:
            if ((v = optim_parse_name(a)) < 0) return bad(name, a, "adamw, adam, sgd or rmsprop");
            o->fp32.opt = v;
            break;
        case O_SCHEDULE:
            if ((v = optim_parse_sched(a)) < 0) return bad(name, a, "cosine, step, plateau, warmup-cosine or constant");
            o->fp32.sched = v;
            break;
        case O_WD: if (parse_float(a, 0.0f, 1.0f, &o->fp32.weight_decay)) return bad(name, a, "a number 0..1"); break;
        case O_SHIFT: if (parse_int(a, 0, 8, &o->max_shift)) return bad(name, a, "pixels 0..8"); break;
        case O_FLIP: o->flip = 1; break;
        case O_GAIN: if (parse_float(a, 1e-3f, 100.0f, &o->init_gain)) return bad(name, a, "a positive number"); break;
        case O_SEED: {
            char *end;
            unsigned long s = strtoul(a, &end, 0);
            if (!*a || *end || s > 0xFFFFFFFFul) return bad(name, a, "an unsigned 32-bit integer");
            o->seed = (uint32_t)s;
            break;
        }
        case O_THREADS: if (parse_int(a, 1, TR_MAX_THREADS, &o->threads)) return bad(name, a, "1..64"); break;
        case O_SHARDS: if (parse_int(a, 1, TR_MAX_SHARDS, &o->shards)) return bad(name, a, "1..64"); break;
        case O_RECIPE:
            if (!optim_preset(a)) return bad(name, a, "best, classic, adaptive, rmsprop or warmup");
            strcpy(o->recipe, a);
            break;
        case O_QAT_LR: if (parse_float(a, 1e-9f, 10.0f, &o->qat_lr)) return bad(name, a, "a learning rate"); break;
        case O_OBSERVER:
            if (!strcmp(a, "minmax")) o->observer = TR_OBS_MINMAX;
            else if (!strcmp(a, "moving-average")) o->observer = TR_OBS_MOVING;
            else return bad(name, a, "minmax or moving-average");
            break;
        case O_AVG: if (parse_float(a, 1e-6f, 1.0f, &o->avg_const)) return bad(name, a, "a constant in (0, 1]"); break;
        case O_WEIGHTS:
            if (!strcmp(a, "per-tensor")) o->per_channel = 0;
            else if (!strcmp(a, "per-channel")) o->per_channel = 1;
            else return bad(name, a, "per-tensor or per-channel");
            break;
        case O_CALIB: if (parse_int(a, 1, 64, &o->calib_batches)) return bad(name, a, "1..64 batches"); break;
        case O_VERIFY: {
            const char *eq = strchr(a, '=');
            if (o->n_verify >= TR_MAX_VERIFY) return bad(name, a, "at most 8 --verify-scale options");
            if (!eq || eq == a || (size_t)(eq - a) >= sizeof o->verify_name[0] ||
                parse_float(eq + 1, 0.0f, 1e9f, &o->verify_value[o->n_verify]))
                return bad(name, a, "TENSOR=SCALE, e.g. layer0.weight=0.0063");
            memcpy(o->verify_name[o->n_verify], a, (size_t)(eq - a));
            o->verify_name[o->n_verify][eq - a] = 0;
            o->n_verify++;
            break;
        }
        case O_TOL: if (parse_float(a, 0.0f, 1e9f, &o->scale_tol)) return bad(name, a, "a non-negative number"); break;
        case O_BOARD:
            if (strcmp(a, "icebreaker")) return bad(name, a, "icebreaker (the only board supported)");
            strcpy(o->board, a);
            break;
        case O_STRICT: o->strict = 1; break;
        case O_ABLATE:
            if (strcmp(a, "observers") && strcmp(a, "recipes") && strcmp(a, "speed"))
                return bad(name, a, "observers, recipes or speed");
            strcpy(o->ablate, a);
            break;
        case O_SWEEP: if (copy_str(o->sweep, sizeof o->sweep, a, name)) return -1; break;
        case O_OUT: if (copy_str(o->out, sizeof o->out, a, name)) return -1; break;
        case O_REPORT: if (copy_str(o->report, sizeof o->report, a, name)) return -1; break;
        case O_PLOT: if (copy_str(o->plot, sizeof o->plot, a, name)) return -1; break;
        case O_CKPT: if (copy_str(o->checkpoint, sizeof o->checkpoint, a, name)) return -1; break;
        case O_RESUME: o->resume = 1; break;
        case O_QUIET: o->quiet = 1; break;
        case O_EARLY_EXIT: if (copy_str(o->early_exit, sizeof o->early_exit, a, name)) return -1; break;
        case O_ABLATE_DIR: if (copy_str(o->ablate_dir, sizeof o->ablate_dir, a, name)) return -1; break;
        case O_REUSE: o->reuse_models = 1; break;
        case 'h':
        case O_HELP: usage(stdout); return 1;
        default: fprintf(stderr, "train: unknown option (see --help)\n"); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "train: unexpected argument '%s' (see --help)\n", argv[optind]);
        return -1;
    }
    for (l = 0; l < o->net.n_layers; l++) {
        if (leak_n)
            o->net.leak_shift[l] = leaks[leak_n == 1 ? 0 : l];
        if (reset_n)
            o->net.reset_mode[l] = resets_v[reset_n == 1 ? 0 : l];
    }
    if ((leak_n > 1 && leak_n != o->net.n_layers) || (reset_n > 1 && reset_n != o->net.n_layers)) {
        fprintf(stderr, "train: --leak/--reset need one value or one per layer (%d layers)\n", o->net.n_layers);
        return -1;
    }
    {
        /* K and M are checked against T here; a T beyond the accelerator is refused later */
        snn_model_t *m = calloc(1, sizeof *m);
        char err[256];
        if (!m)
            return -1;
        m->steps = (uint8_t)(o->net.steps < SNN_MAX_STEPS ? o->net.steps : SNN_MAX_STEPS);
        if (model_exit_parse(o->early_exit, m, err, sizeof err)) {
            fprintf(stderr, "train: --early-exit: %s\n", err);
            free(m);
            return -1;
        }
        o->exit_mode = m->exit_mode;
        o->exit_lead = m->exit_lead;
        o->exit_min_steps = m->exit_min_steps;
        free(m);
    }
    if (o->ablate[0] && o->sweep[0]) {
        fprintf(stderr, "train: --ablate and --sweep are two kinds of sweep; give one\n");
        return -1;
    }
    if (o->reuse_models && strcmp(o->ablate, "speed")) {
        fprintf(stderr, "train: --reuse-models only goes with --ablate speed\n");
        return -1;
    }
    if (o->resume && !o->checkpoint[0]) {
        fprintf(stderr, "train: --resume needs --checkpoint FILE\n");
        return -1;
    }
    return 0;
}

const char *opts_eval_split(const opts_t *o)
{
    return o->holdout ? "holdout" : "test";
}
