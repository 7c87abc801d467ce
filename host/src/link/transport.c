/* SPDX-License-Identifier: MIT
 * transport.c : dispatch between the serial port and libftdi, and the `sim` device.
 */
#include "transport.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "usb.h"

int transport_open(transport_t *t, const transport_opts_t *o, char *err, size_t err_len)
{
    int rc;
    memset(t, 0, sizeof *t);
    t->sim_out_fd = -1;
    t->baud = o->baud;
    t->serial.fd = -1;
    if (strcmp(o->device, "sim") == 0) {
        const char *argv[24];
        char pts[64];
        int i = 0, k;
        argv[i++] = o->sim_board;
        for (k = 0; o->sim_args != NULL && o->sim_args[k] != NULL && i < 23; k++)
            argv[i++] = o->sim_args[k];
        argv[i] = NULL;
        t->sim_pid = sim_board_start(argv, o->sim_start_timeout_ms, pts, sizeof pts,
                                     &t->sim_out_fd, err, err_len);
        if (t->sim_pid < 0)
            return SERIAL_E_NODEV;
        t->is_sim = 1;
        t->kind = TRANSPORT_SERIAL;
        rc = serial_open(&t->serial, pts, o->baud, err, err_len);
        snprintf(t->desc, sizeof t->desc, "sim (%s)", pts);
        if (rc != SERIAL_OK)
            transport_close(t);
        return rc;
    }
    if (strncmp(o->device, "usb:", 4) == 0) {
        uint16_t vid, pid;
        char sn[64];
        if (usb_parse_spec(o->device, &vid, &pid, sn, sizeof sn, err, err_len) < 0)
            return SERIAL_E_NODEV;
        t->kind = TRANSPORT_FTDI;
        snprintf(t->desc, sizeof t->desc, "%s", o->device);
        return usb_ftdi_open(&t->ftdi, vid, pid, sn, o->baud, err, err_len);
    }
    t->kind = TRANSPORT_SERIAL;
    snprintf(t->desc, sizeof t->desc, "%s", o->device);
    /* a pty is the simulated board, started by hand (`make sim-board`) */
    t->is_sim = strncmp(o->device, "/dev/pts/", 9) == 0;
    return serial_open(&t->serial, o->device, o->baud, err, err_len);
}

int transport_write(transport_t *t, const void *buf, size_t n, int timeout_ms, char *err, size_t err_len)
{
    int rc = t->kind == TRANSPORT_FTDI ? usb_ftdi_write(&t->ftdi, buf, n, timeout_ms, err, err_len)
                                       : serial_write(&t->serial, buf, n, timeout_ms, err, err_len);
    if (rc == 0)
        t->bytes_out += n;
    return rc;
}

int transport_read(transport_t *t, void *buf, size_t cap, int timeout_ms, char *err, size_t err_len)
{
    int rc;
    if (t->sim_out_fd >= 0) {
        char sink[256];
        while (read(t->sim_out_fd, sink, sizeof sink) > 0)
            continue;
    }
    rc = t->kind == TRANSPORT_FTDI ? usb_ftdi_read(&t->ftdi, buf, cap, timeout_ms, err, err_len)
                                   : serial_read(&t->serial, buf, cap, timeout_ms, err, err_len);
    if (rc > 0)
        t->bytes_in += (uint64_t)rc;
    return rc;
}

int transport_set_baud(transport_t *t, uint32_t baud, char *err, size_t err_len)
{
    if (t->kind == TRANSPORT_FTDI) {
        if (usb_ftdi_set_baud(&t->ftdi, baud, err, err_len) != 0)
            return SERIAL_E_IO;
    } else if (serial_drain(&t->serial) != 0 || serial_set_baud(t->serial.fd, baud) != 0) {
        snprintf(err, err_len, "%s: cannot set %u baud: %s", t->desc, baud, strerror(errno));
        return SERIAL_E_IO;
    }
    t->baud = baud;
    return 0;
}

void transport_close(transport_t *t)
{
    if (t->kind == TRANSPORT_FTDI)
        usb_ftdi_close(&t->ftdi);
    else
        serial_close(&t->serial);
    if (t->sim_pid > 0)
        sim_board_stop(t->sim_pid);
    if (t->sim_out_fd >= 0)
        close(t->sim_out_fd);
    t->sim_pid = 0;
    t->sim_out_fd = -1;
}
