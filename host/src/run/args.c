/* SPDX-License-Identifier: MIT
 * args.c : host/run's options, defaults and --help.
 */
#include "args.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intarg.h"
#include "protocol.h"

static void args_usage(FILE *f)
{
    fprintf(f,
        "usage: host/run --device DEV [options]      run a model on a board, check every answer\n"
        "       host/run --list [--json]             list attached boards\n"
        "\n"
        "Uploads the model (with read-back verification), streams the test split with several\n"
        "requests in flight, compares each answer (class and every output spike count) with the\n"
        "golden model and reports accuracy, agreement, throughput, latency and link errors.\n"
        "Exit status: 0 when every image agreed, 1 on any mismatch or unrecovered link failure,\n"
        "2 on a usage error.\n"
        "\n"
        "  -d, --device DEV      sim              start the simulated board (sim/board) and use it\n"
        "                        /dev/ttyUSB1     a serial port (iCEBreaker: channel B, usually ttyUSB1)\n"
        "                        /dev/pts/N       a pseudo-terminal (a running simulated board)\n"
        "                        usb:VID:PID[:SN] the bridge's UART through libftdi (1 ms latency)\n"
        "  -l, --list            list supported boards on USB (serial, bus path, tty) and exit\n"
        "      --json            --list as JSON\n"
        "  -m, --model FILE      model (default build/models/default.qmodel)\n"
        "  -D, --data SPEC       dataset: mnist, fashion or a folder of idx files (default mnist)\n"
        "  -n, --limit N         only the first N test images (default: all)\n"
        "  -r, --report FILE     write the JSON summary to FILE\n"
        "  -b, --baud N          UART baud after the handshake: 3000000, 6000000 or 12000000 (default:\n"
"                        the fastest the board lists); every board starts at %d and both ends\n"
"                        switch with SET_BAUD; persistent errors fall back to %d\n"
"      --raw-frames      raw 8-bit INFER frames even for a model with 4-bit inputs\n"
        "  -t, --timeout SEC     a board silent this long is not answering (default 2; 30 for\n"
        "                        the simulated board, which runs far slower than real time)\n"
        "      --retries N       resends of one request on CRC errors or lost frames (default 8)\n"
        "  -w, --window N        at most N INFER requests in flight (default: the board's window\n"
        "                        and as many more as fit its hold, both from INFO)\n"
        "      --sim-board PATH  simulated board program (default: sim/board next to host/)\n"
        "      --sim-arg ARG     pass ARG to the simulated board (repeatable)\n"
        "      --no-verify       skip the read-back of the uploaded model\n"
        "  -q, --quiet           no progress bar\n"
        "  -h, --help            this text\n",
        PROTO_DEFAULT_BAUD, PROTO_DEFAULT_BAUD);
}

int args_parse(args_t *a, int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_RETRIES, OPT_SIM_BOARD, OPT_SIM_ARG, OPT_NO_VERIFY, OPT_RAW };
    static const struct option opts[] = {
        { "device", required_argument, 0, 'd' },  { "list", no_argument, 0, 'l' },
        { "json", no_argument, 0, OPT_JSON },     { "model", required_argument, 0, 'm' },
        { "data", required_argument, 0, 'D' },    { "limit", required_argument, 0, 'n' },
        { "report", required_argument, 0, 'r' },  { "baud", required_argument, 0, 'b' },
        { "timeout", required_argument, 0, 't' }, { "retries", required_argument, 0, OPT_RETRIES },
        { "window", required_argument, 0, 'w' },  { "sim-board", required_argument, 0, OPT_SIM_BOARD },
        { "sim-arg", required_argument, 0, OPT_SIM_ARG }, { "no-verify", no_argument, 0, OPT_NO_VERIFY },
        { "raw-frames", no_argument, 0, OPT_RAW },
        { "quiet", no_argument, 0, 'q' },         { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    int c, n_sim = 0;
    long v;
    char *end;
    memset(a, 0, sizeof *a);
    a->model = "build/models/default.qmodel";
    a->data = "mnist";
    a->limit = -1;
    a->baud = 0;                   /* the fastest rate the board lists */
    a->timeout_s = 0;              /* resolved below from the device */
    a->retries = 8;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "d:lm:D:n:r:b:t:w:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->device = optarg; break;
        case 'l': a->list = 1; break;
        case OPT_JSON: a->json = 1; break;
        case 'm': a->model = optarg; break;
        case 'D': a->data = optarg; break;
        case 'n': if (intarg_long("run", "--limit", optarg, 1, 100000000, &a->limit)) return -1; break;
        case 'r': a->report = optarg; break;
        case 'b':
            if (intarg_long("run", "--baud", optarg, PROTO_BAUD_0, PROTO_BAUD_2, &v)) return -1;
            if (proto_rate_index((uint32_t)v) < 0) {
                fprintf(stderr, "run: --baud %ld: the board protocol runs %d, %d or %d\n", v,
                        PROTO_BAUD_0, PROTO_BAUD_1, PROTO_BAUD_2);
                return -1;
            }
            a->baud = (uint32_t)v;
            break;
        case 't':
            a->timeout_s = strtod(optarg, &end);
            /* the link counts whole milliseconds: below 1 ms would become 0 */
            if (*optarg == '\0' || *end != '\0' || !(a->timeout_s >= 0.001 && a->timeout_s <= 3600)) {
                fprintf(stderr, "run: --timeout '%s': expected seconds in [0.001, 3600]\n", optarg);
                return -1;
            }
            break;
        case OPT_RETRIES: if (intarg_long("run", "--retries", optarg, 0, 1000, &v)) return -1; a->retries = (int)v; break;
        case 'w': if (intarg_long("run", "--window", optarg, 1, 255, &v)) return -1; a->window = (int)v; break;
        case OPT_SIM_BOARD: a->sim_board = optarg; break;
        case OPT_SIM_ARG:
            if (n_sim == ARGS_MAX_SIM_ARGS) {
                fprintf(stderr, "run: at most %d --sim-arg\n", ARGS_MAX_SIM_ARGS);
                return -1;
            }
            a->sim_args[n_sim++] = optarg;
            break;
        case OPT_NO_VERIFY: a->skip_verify = 1; break;
        case OPT_RAW: a->raw_frames = 1; break;
        case 'q': a->quiet = 1; break;
        case 'h': args_usage(stdout); return 1;
        default: fprintf(stderr, "run: try --help\n"); return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "run: unexpected argument '%s' (try --help)\n", argv[optind]);
        return -1;
    }
    if (!a->list && a->device == NULL) {
        fprintf(stderr, "run: which board? give --device sim, --device /dev/ttyUSB1 or "
                "--device usb:VID:PID (`host/run --list` shows attached boards; try --help)\n");
        return -1;
    }
    if (a->timeout_s == 0)
        a->timeout_s = a->device != NULL && (!strcmp(a->device, "sim") || !strncmp(a->device, "/dev/pts/", 9))
                     ? 30.0 : 2.0;
    return 0;
}
