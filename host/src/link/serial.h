/* SPDX-License-Identifier: MIT
 * serial.h : a raw 8N1 serial port through termios2 (any baud, e.g. 3 Mbaud via BOTHER),
 * opened exclusively (TIOCEXCL + flock) with errors that say how to fix them.
 * Works on /dev/ttyUSB*, /dev/ttyACM* and pseudo-terminals (/dev/pts/N, the simulated board).
 */
#ifndef SERIAL_H
#define SERIAL_H

#include <stddef.h>
#include <stdint.h>

enum {
    SERIAL_OK = 0,
    SERIAL_E_NODEV = -1,    /* no such device */
    SERIAL_E_PERM = -2,     /* permission denied */
    SERIAL_E_BUSY = -3,     /* another program holds it */
    SERIAL_E_NOTTY = -4,    /* not a terminal */
    SERIAL_E_IO = -5,       /* any other system error */
    SERIAL_E_TIMEOUT = -6,  /* nothing moved within the time limit */
};

typedef struct {
    int fd;
    uint32_t baud;
    char path[256];
} serial_t;

/* Opens path raw 8N1, no flow control, at baud; locks it against other programs.
 * Returns SERIAL_OK or a SERIAL_E_* code with a one-line message and hint in err. */
int serial_open(serial_t *s, const char *path, uint32_t baud, char *err, size_t err_len);
/* Sets an arbitrary baud on an open terminal (termios2 BOTHER); 0 or -1 with errno. */
int serial_set_baud(int fd, uint32_t baud);
/* The baud the terminal reports (output speed), or 0 when it cannot be read. */
uint32_t serial_get_baud(int fd);
/* Puts fd in raw 8N1 mode without flow control (termios2); 0 or -1 with errno. */
int serial_make_raw(int fd);
/* Writes all of buf within timeout_ms.  Returns SERIAL_OK or SERIAL_E_*. */
int serial_write(serial_t *s, const void *buf, size_t n, int timeout_ms, char *err, size_t err_len);
/* Reads what is there (up to cap bytes), waiting up to timeout_ms for the first byte.
 * Returns the byte count (0 on timeout) or a negative SERIAL_E_* code. */
int serial_read(serial_t *s, void *buf, size_t cap, int timeout_ms, char *err, size_t err_len);
/* Waits until everything written has left the port (tcdrain); 0 or -1 with errno. */
int serial_drain(serial_t *s);
/* Discards what is buffered in both directions. */
void serial_flush(serial_t *s);
void serial_close(serial_t *s);
/* The message and hint for an errno from open(): shared with the USB transport. */
int serial_open_error(const char *path, int errnum, char *err, size_t err_len);

#endif
