/* SPDX-License-Identifier: MIT
 * args.h : host/run's command line.
 */
#ifndef RUN_ARGS_H
#define RUN_ARGS_H

#include <stdint.h>

#define ARGS_MAX_SIM_ARGS 16

typedef struct {
    const char *device;         /* sim | /dev/tty... | usb:VID:PID[:SERIAL] */
    const char *model;          /* .qmodel */
    const char *data;           /* dataset spec (dataset_load) */
    const char *report;         /* JSON report path, or NULL */
    const char *sim_board;      /* simulated board program */
    const char *sim_args[ARGS_MAX_SIM_ARGS + 1]; /* extra arguments for it, NULL-terminated */
    long limit;                 /* images, -1 = the whole test split */
    uint32_t baud;
    double timeout_s;           /* a board silent this long is "not answering" */
    int retries;                /* per request, on CRC errors, NAKs and lost frames */
    int window;                 /* INFER requests in flight, 0 = what the board says */
    int list, json, quiet, skip_verify, raw_frames;
} args_t;

/* Fills a from argv.  Returns 0 to go on, 1 when --help was printed, -1 on a usage error
 * (message already on stderr). */
int args_parse(args_t *a, int argc, char **argv);

#endif
