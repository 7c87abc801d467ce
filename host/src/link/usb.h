/* SPDX-License-Identifier: MIT
 * usb.h : finding Quantarion boards on USB (libusb-1.0) and naming them for --device.
 * A device spec is "usb:VID:PID[:SERIAL]" (hex VID/PID), e.g. usb:0403:6010:ibR3nH1k.
 */
#ifndef USB_H
#define USB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A USB bridge a supported board carries, and which of its interfaces is the board's UART. */
typedef struct {
    uint16_t vid, pid;
    const char *chip;       /* "FT2232H" */
    const char *boards;     /* "iCEBreaker, iCEBreaker Bitsy" */
    int uart_interface;     /* 0-based: the FT2232H's channel B (the UART) is 1 */
} usb_kind_t;

typedef struct {
    uint16_t vid, pid;
    const usb_kind_t *kind;
    char serial[64];        /* "" when unreadable */
    char bus_path[32];      /* bus-port.port..., as in /sys/bus/usb/devices */
    char tty[32];           /* the kernel's tty for the UART interface, "" when none */
} usb_board_t;

/* The table of supported bridges, terminated by vid == 0. */
extern const usb_kind_t usb_kinds[];
const usb_kind_t *usb_kind_find(uint16_t vid, uint16_t pid);

/* Attached supported boards, up to cap.  Returns how many (0 is not an error) or -1 with err
 * when USB cannot be enumerated at all. */
int usb_list(usb_board_t *out, int cap, char *err, size_t err_len);
/* Prints the list for `host/run --list` (text or JSON); returns how many were printed. */
int usb_print_list(FILE *f, const usb_board_t *b, int n, int json);

/* Parses "usb:VID:PID[:SERIAL]".  Returns 0 or -1 with err. */
int usb_parse_spec(const char *spec, uint16_t *vid, uint16_t *pid, char *serial, size_t serial_len,
                   char *err, size_t err_len);

#endif
