/* SPDX-License-Identifier: MIT
 * usb_ftdi.c : libftdi1 transport.  libftdi reads in USB packets and returns what it has;
 * the timeout loop here turns that into "wait up to N ms for the first byte".
 */
#include "usb_ftdi.h"

#include <errno.h>
#include <ftdi.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "monotonic.h"
#include "serial.h"
#include "usb.h"

static int usb_ftdi_fail(usb_ftdi_t *u, const char *what, char *err, size_t err_len)
{
    const char *why = ftdi_get_error_string(u->ftdi);
    int code = SERIAL_E_IO;
    if (strstr(why, "not found") != NULL) {
        snprintf(err, err_len, "%s: no such device (`host/run --list` shows attached boards)", u->desc);
        code = SERIAL_E_NODEV;
    } else if (strstr(why, "access") != NULL || strstr(why, "ermission") != NULL ||
               strstr(why, "libusb_open") != NULL || strstr(why, "serial number") != NULL) {
        /* libftdi reports a refused libusb_open as "libusb_open() failed", or, while it looks
         * for a serial number, as "unable to fetch serial number" */
        snprintf(err, err_len, "%s: cannot open the USB device (%s): most likely permission "
                 "denied: install the udev rule (`sudo cp host/99-quantarion.rules /etc/udev/rules.d/ "
                 "&& sudo udevadm control --reload && sudo udevadm trigger`, then replug; it gives "
                 "group plugdev access), or another program holds it", u->desc, why);
        code = SERIAL_E_PERM;
    } else if (strstr(why, "claim") != NULL || strstr(why, "detach") != NULL) {
        snprintf(err, err_len, "%s: busy: another program holds the interface (%s)", u->desc, why);
        code = SERIAL_E_BUSY;
    } else {
        snprintf(err, err_len, "%s: %s: %s", u->desc, what, why);
    }
    usb_ftdi_close(u);
    return code;
}

int usb_ftdi_open(usb_ftdi_t *u, uint16_t vid, uint16_t pid, const char *serial, uint32_t baud,
                  char *err, size_t err_len)
{
    const usb_kind_t *k = usb_kind_find(vid, pid);
    memset(u, 0, sizeof *u);
    snprintf(u->desc, sizeof u->desc, "usb:%04x:%04x%s%s", vid, pid, serial[0] ? ":" : "", serial);
    u->ftdi = ftdi_new();
    if (u->ftdi == NULL) {
        snprintf(err, err_len, "%s: libftdi: out of memory", u->desc);
        return SERIAL_E_IO;
    }
    if (ftdi_set_interface(u->ftdi, k != NULL && k->uart_interface == 1 ? INTERFACE_B : INTERFACE_A) < 0)
        return usb_ftdi_fail(u, "select interface", err, err_len);
    u->ftdi->module_detach_mode = AUTO_DETACH_SIO_MODULE; /* unbind ftdi_sio from this interface */
    if (ftdi_usb_open_desc(u->ftdi, vid, pid, NULL, serial[0] ? serial : NULL) < 0)
        return usb_ftdi_fail(u, "open", err, err_len);
    if (ftdi_set_bitmode(u->ftdi, 0, BITMODE_RESET) < 0 ||
        ftdi_set_baudrate(u->ftdi, (int)baud) < 0 ||
        ftdi_set_line_property(u->ftdi, BITS_8, STOP_BIT_1, NONE) < 0 ||
        ftdi_setflowctrl(u->ftdi, SIO_DISABLE_FLOW_CTRL) < 0 ||
        ftdi_set_latency_timer(u->ftdi, 1) < 0 ||
        ftdi_tcioflush(u->ftdi) < 0)
        return usb_ftdi_fail(u, "configure UART", err, err_len);
    u->ftdi->usb_read_timeout = 50;
    u->ftdi->usb_write_timeout = 1000;
    return 0;
}

int usb_ftdi_write(usb_ftdi_t *u, const void *buf, size_t n, int timeout_ms, char *err, size_t err_len)
{
    const unsigned char *p = buf;
    long end = monotonic_ms() + timeout_ms;
    while (n > 0) {
        int w = ftdi_write_data(u->ftdi, p, (int)(n > 4096 ? 4096 : n));
        if (w < 0) {
            snprintf(err, err_len, "%s: write: %s (unplugged?)", u->desc, ftdi_get_error_string(u->ftdi));
            return SERIAL_E_IO;
        }
        p += w;
        n -= (size_t)w;
        if (n > 0 && monotonic_ms() > end) {
            snprintf(err, err_len, "%s: write timed out after %.1f s", u->desc, timeout_ms / 1000.0);
            return SERIAL_E_TIMEOUT;
        }
    }
    return 0;
}

int usb_ftdi_read(usb_ftdi_t *u, void *buf, size_t cap, int timeout_ms, char *err, size_t err_len)
{
    long end = monotonic_ms() + timeout_ms;
    for (;;) {
        int r = ftdi_read_data(u->ftdi, buf, (int)(cap > 65536 ? 65536 : cap));
        if (r < 0) {
            snprintf(err, err_len, "%s: read: %s (unplugged?)", u->desc, ftdi_get_error_string(u->ftdi));
            return SERIAL_E_IO;
        }
        if (r > 0 || monotonic_ms() >= end)
            return r;
    }
}

void usb_ftdi_close(usb_ftdi_t *u)
{
    if (u->ftdi != NULL) {
        ftdi_usb_close(u->ftdi);
        ftdi_free(u->ftdi);
    }
    u->ftdi = NULL;
}

int usb_ftdi_set_baud(usb_ftdi_t *u, uint32_t baud, char *err, size_t err_len)
{
    if (ftdi_set_baudrate(u->ftdi, (int)baud) < 0) {
        snprintf(err, err_len, "%s: cannot set %u baud: %s", u->desc, baud, ftdi_get_error_string(u->ftdi));
        return SERIAL_E_IO;
    }
    return 0;
}
