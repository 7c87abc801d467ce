/* SPDX-License-Identifier: MIT
 * serial.c : raw serial ports through Linux termios2 (asm/termbits.h), which takes any baud
 * through BOTHER.  <termios.h> cannot be included beside it, so raw mode is set by hand here.
 */
#include "serial.h"

#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monotonic.h"

int ioctl(int fd, unsigned long request, ...);

int serial_make_raw(int fd)
{
    struct termios2 t;
    if (ioctl(fd, TCGETS2, &t) < 0)
        return -1;
    /* what cfmakeraw does, plus 8N1, receiver on, no modem control, no flow control */
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
                             IXOFF | IXANY | INPCK);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
    t.c_cflag |= CS8 | CREAD | CLOCAL;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    return ioctl(fd, TCSETS2, &t);
}

int serial_set_baud(int fd, uint32_t baud)
{
    struct termios2 t;
    if (baud == 0) {
        errno = EINVAL;
        return -1;
    }
    if (ioctl(fd, TCGETS2, &t) < 0)
        return -1;
    t.c_cflag &= ~(tcflag_t)CBAUD;
    t.c_cflag |= BOTHER;
    t.c_cflag &= ~(tcflag_t)(CBAUD << IBSHIFT); /* input speed follows the output speed */
    t.c_ispeed = baud;
    t.c_ospeed = baud;
    return ioctl(fd, TCSETS2, &t);
}

uint32_t serial_get_baud(int fd)
{
    struct termios2 t;
    if (ioctl(fd, TCGETS2, &t) < 0)
        return 0;
    return t.c_ospeed;
}

int serial_open_error(const char *path, int errnum, char *err, size_t err_len)
{
    struct stat st;
    switch (errnum) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
        snprintf(err, err_len, "%s: no such device (is the board plugged in? `host/run --list` "
                 "shows attached boards and their ttys)", path);
        return SERIAL_E_NODEV;
    case EACCES:
    case EPERM: {
        const char *group = "dialout";
        if (stat(path, &st) == 0) {
            struct group *g = getgrgid(st.st_gid);
            if (g != NULL)
                group = g->gr_name;
        }
        snprintf(err, err_len, "%s: permission denied (join its group: `sudo usermod -aG %s $USER`, "
                 "then log in again; or install the udev rule: `sudo cp host/99-quantarion.rules "
                 "/etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger`)",
                 path, group);
        return SERIAL_E_PERM;
    }
    case EBUSY:
    case EWOULDBLOCK:
        snprintf(err, err_len, "%s: busy: another program has it open (a serial console, "
                 "ModemManager, another host/run?); `fuser -v %s` shows which", path, path);
        return SERIAL_E_BUSY;
    default:
        snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errnum));
        return SERIAL_E_IO;
    }
}

int serial_open(serial_t *s, const char *path, uint32_t baud, char *err, size_t err_len)
{
    int fd, e;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    snprintf(s->path, sizeof s->path, "%s", path);
    fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return serial_open_error(path, errno, err, err_len);
    /* flock works for root too, where TIOCEXCL does not; both keep a second program out */
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        e = errno;
        close(fd);
        return serial_open_error(path, e == EWOULDBLOCK ? EBUSY : e, err, err_len);
    }
    if (!isatty(fd)) {
        close(fd);
        snprintf(err, err_len, "%s: not a serial port or terminal", path);
        return SERIAL_E_NOTTY;
    }
    if (ioctl(fd, TIOCEXCL) < 0 || serial_make_raw(fd) < 0 || serial_set_baud(fd, baud) < 0) {
        e = errno;
        close(fd);
        snprintf(err, err_len, "%s: cannot set raw mode at %u baud: %s", path, baud, strerror(e));
        return SERIAL_E_IO;
    }
    ioctl(fd, TCFLSH, TCIOFLUSH);
    s->fd = fd;
    s->baud = baud;
    return SERIAL_OK;
}

int serial_write(serial_t *s, const void *buf, size_t n, int timeout_ms, char *err, size_t err_len)
{
    const uint8_t *p = buf;
    const int64_t end = monotonic_ms() + timeout_ms;
    while (n > 0) {
        struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };
        long left = (long)(end - monotonic_ms());
        ssize_t w;
        int r;
        if (left < 0)
            left = 0;
        r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, err_len, "%s: poll: %s", s->path, strerror(errno));
            return SERIAL_E_IO;
        }
        if (r == 0) {
            snprintf(err, err_len, "%s: write timed out after %.1f s (device not draining: "
                     "flow control stuck or board gone?)", s->path, timeout_ms / 1000.0);
            return SERIAL_E_TIMEOUT;
        }
        if (pfd.revents & (POLLERR | POLLNVAL)) {
            snprintf(err, err_len, "%s: device error while writing (unplugged?)", s->path);
            return SERIAL_E_IO;
        }
        w = write(s->fd, p, n);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (w < 0) {
            snprintf(err, err_len, "%s: write: %s (unplugged?)", s->path, strerror(errno));
            return SERIAL_E_IO;
        }
        p += w;
        n -= (size_t)w;
    }
    return SERIAL_OK;
}

int serial_read(serial_t *s, void *buf, size_t cap, int timeout_ms, char *err, size_t err_len)
{
    for (;;) {
        struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
        ssize_t r;
        int pr = poll(&pfd, 1, timeout_ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0) {
            snprintf(err, err_len, "%s: poll: %s", s->path, strerror(errno));
            return SERIAL_E_IO;
        }
        if (pr == 0)
            return 0;
        r = read(s->fd, buf, cap);
        if (r > 0)
            return (int)r;
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        /* a pty whose other side closed reads EIO; a USB serial that was unplugged reads 0 */
        snprintf(err, err_len, "%s: the device went away (%s)", s->path,
                 r < 0 ? strerror(errno) : "end of file");
        return SERIAL_E_IO;
    }
}

int serial_drain(serial_t *s)
{
    return ioctl(s->fd, TCSBRK, 1);
}

void serial_flush(serial_t *s)
{
    if (s->fd >= 0)
        ioctl(s->fd, TCFLSH, TCIOFLUSH);
}

void serial_close(serial_t *s)
{
    if (s->fd >= 0) {
        ioctl(s->fd, TIOCNXCL);
        close(s->fd);
    }
    s->fd = -1;
}
