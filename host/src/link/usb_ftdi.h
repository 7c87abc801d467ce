/* SPDX-License-Identifier: MIT
 * usb_ftdi.h : the board's UART straight through libftdi1 (no kernel tty): the kernel driver
 * is detached and the latency timer set to 1 ms, so short answers are not held back 16 ms.
 */
#ifndef USB_FTDI_H
#define USB_FTDI_H

#include <stddef.h>
#include <stdint.h>

struct ftdi_context;

typedef struct {
    struct ftdi_context *ftdi;
    char desc[96];          /* "usb:0403:6010:SERIAL" for messages */
} usb_ftdi_t;

/* Opens the UART interface of the bridge (see usb_kinds) at baud, 8N1, no flow control.
 * serial may be "" for the first one.  Returns 0 or a SERIAL_E_* code with err. */
int usb_ftdi_open(usb_ftdi_t *u, uint16_t vid, uint16_t pid, const char *serial, uint32_t baud,
                  char *err, size_t err_len);
int usb_ftdi_write(usb_ftdi_t *u, const void *buf, size_t n, int timeout_ms, char *err, size_t err_len);
/* Up to cap bytes, waiting up to timeout_ms for the first; the count (0: timeout) or SERIAL_E_*. */
int usb_ftdi_read(usb_ftdi_t *u, void *buf, size_t cap, int timeout_ms, char *err, size_t err_len);
/* Another baud on the open interface; 0 or SERIAL_E_IO with err. */
int usb_ftdi_set_baud(usb_ftdi_t *u, uint32_t baud, char *err, size_t err_len);
void usb_ftdi_close(usb_ftdi_t *u);

#endif
