/* SPDX-License-Identifier: MIT
 * transport.h : one byte pipe to the board, whatever carries it:
 *   /dev/tty*, /dev/pts/N   a serial port (termios2, any baud)
 *   usb:VID:PID[:SERIAL]    the bridge's UART straight through libftdi1
 *   sim                     start the simulated board (sim/board) and use its pty
 */
#ifndef LINK_TRANSPORT_H
#define LINK_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "serial.h"
#include "usb_ftdi.h"

enum { TRANSPORT_SERIAL, TRANSPORT_FTDI };

typedef struct {
    int kind;
    serial_t serial;
    usb_ftdi_t ftdi;
    pid_t sim_pid;              /* > 0 when we started the simulated board */
    int sim_out_fd;             /* its stdout, drained and discarded */
    int is_sim;                 /* the other end is the simulated board */
    char desc[160];             /* for messages: "/dev/ttyUSB1", "sim (/dev/pts/4)" */
    uint32_t baud;              /* the rate this end runs at */
    uint64_t bytes_out, bytes_in;
} transport_t;

typedef struct {
    const char *device;         /* as given to --device */
    uint32_t baud;
    const char *sim_board;      /* sim/board program for --device sim */
    const char *const *sim_args;/* extra arguments for it, NULL-terminated, may be NULL */
    int sim_start_timeout_ms;
} transport_opts_t;

/* Returns 0 or a SERIAL_E_* code with a one-line message and hint in err. */
int transport_open(transport_t *t, const transport_opts_t *o, char *err, size_t err_len);
int transport_write(transport_t *t, const void *buf, size_t n, int timeout_ms, char *err, size_t err_len);
/* Up to cap bytes, waiting up to timeout_ms for the first: the count (0 on timeout) or SERIAL_E_*. */
int transport_read(transport_t *t, void *buf, size_t cap, int timeout_ms, char *err, size_t err_len);
/* Waits until what was written has left, then runs at baud.  0 or SERIAL_E_* with err. */
int transport_set_baud(transport_t *t, uint32_t baud, char *err, size_t err_len);
/* Closes the link; stops the simulated board if we started it. */
void transport_close(transport_t *t);

/* Starts argv[0] with its stdout on a pipe and waits up to timeout_ms for a line holding
 * "/dev/pts/"; copies that path to pts.  Returns the child's pid or -1 with err; *out_fd is
 * the (non-blocking) read end of its stdout, to drain now and then and close at the end. */
pid_t sim_board_start(const char *const *argv, int timeout_ms, char *pts, size_t pts_len,
                      int *out_fd, char *err, size_t err_len);
/* SIGTERM, then SIGKILL after 2 s; reaps it. */
void sim_board_stop(pid_t pid);

#endif
