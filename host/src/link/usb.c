/* SPDX-License-Identifier: MIT
 * usb.c : enumerating supported USB bridges with libusb-1.0; serial numbers and the kernel's
 * tty names come from sysfs, so listing needs no permission on the device itself.
 */
#include "usb.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

const usb_kind_t usb_kinds[] = {
    { 0x0403, 0x6010, "FT2232H", "iCEBreaker (UART on channel B)", 1 },
    { 0x0403, 0x6014, "FT232H", "UPduino and FT232H breakouts", 0 },
    { 0x0403, 0x6001, "FT232R", "FT232R USB-serial cables", 0 },
    { 0x0403, 0x6011, "FT4232H", "FT4232H boards (UART on channel B)", 1 },
    { 0x0403, 0x6015, "FT230X", "FT230X USB-serial bridges", 0 },
    { 0, 0, NULL, NULL, 0 },
};

const usb_kind_t *usb_kind_find(uint16_t vid, uint16_t pid)
{
    const usb_kind_t *k;
    for (k = usb_kinds; k->vid != 0; k++)
        if (k->vid == vid && k->pid == pid)
            return k;
    return NULL;
}

/* First line of a sysfs file, trailing newline removed; "" when unreadable. */
static void usb_sysfs_read(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    out[0] = '\0';
    if (f == NULL)
        return;
    if (fgets(out, (int)cap, f) != NULL)
        out[strcspn(out, "\r\n")] = '\0';
    fclose(f);
}

/* The tty under the interface folder: ftdi_sio puts ttyUSBn there, cdc_acm puts tty/ttyACMn. */
static void usb_sysfs_tty(const char *bus_path, int iface, char *out, size_t cap)
{
    static const char *const sub[] = { "", "/tty" };
    char dir[256];
    int s;
    out[0] = '\0';
    for (s = 0; s < 2; s++) {
        DIR *d;
        struct dirent *e;
        snprintf(dir, sizeof dir, "/sys/bus/usb/devices/%s:1.%d%s", bus_path, iface, sub[s]);
        d = opendir(dir);
        if (d == NULL)
            continue;
        while ((e = readdir(d)) != NULL) {
            if (!strncmp(e->d_name, "ttyUSB", 6) || !strncmp(e->d_name, "ttyACM", 6)) {
                snprintf(out, cap, "/dev/%.24s", e->d_name);
                break;
            }
        }
        closedir(d);
        if (out[0] != '\0')
            return;
    }
}

static void usb_bus_path(libusb_device *dev, char *out, size_t cap)
{
    uint8_t ports[8];
    int n = libusb_get_port_numbers(dev, ports, 8), i;
    size_t len = (size_t)snprintf(out, cap, "%u", libusb_get_bus_number(dev));
    for (i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%c%u", i == 0 ? '-' : '.', ports[i]);
}

int usb_list(usb_board_t *out, int cap, char *err, size_t err_len)
{
    libusb_context *ctx = NULL;
    libusb_device **list = NULL;
    ssize_t n, i;
    int found = 0, rc;
    rc = libusb_init(&ctx);
    if (rc != 0) {
        snprintf(err, err_len, "cannot start libusb: %s", libusb_strerror(rc));
        return -1;
    }
    n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        snprintf(err, err_len, "cannot list USB devices: %s", libusb_strerror((int)n));
        libusb_exit(ctx);
        return -1;
    }
    for (i = 0; i < n && found < cap; i++) {
        struct libusb_device_descriptor dd;
        const usb_kind_t *k;
        usb_board_t *b = &out[found];
        char path[128];
        if (libusb_get_device_descriptor(list[i], &dd) != 0)
            continue;
        k = usb_kind_find(dd.idVendor, dd.idProduct);
        if (k == NULL)
            continue;
        memset(b, 0, sizeof *b);
        b->vid = dd.idVendor;
        b->pid = dd.idProduct;
        b->kind = k;
        usb_bus_path(list[i], b->bus_path, sizeof b->bus_path);
        snprintf(path, sizeof path, "/sys/bus/usb/devices/%s/serial", b->bus_path);
        usb_sysfs_read(path, b->serial, sizeof b->serial);
        if (b->serial[0] == '\0' && dd.iSerialNumber != 0) {
            libusb_device_handle *h;
            if (libusb_open(list[i], &h) == 0) {
                libusb_get_string_descriptor_ascii(h, dd.iSerialNumber, (unsigned char *)b->serial,
                                                   (int)sizeof b->serial);
                libusb_close(h);
            }
        }
        usb_sysfs_tty(b->bus_path, k->uart_interface, b->tty, sizeof b->tty);
        found++;
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    return found;
}

int usb_print_list(FILE *f, const usb_board_t *b, int n, int json)
{
    int i;
    if (json) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "boards");
        char *text;
        for (i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            char hex[8], spec[96];
            snprintf(hex, sizeof hex, "%04x", b[i].vid);
            cJSON_AddStringToObject(o, "vid", hex);
            snprintf(hex, sizeof hex, "%04x", b[i].pid);
            cJSON_AddStringToObject(o, "pid", hex);
            cJSON_AddStringToObject(o, "chip", b[i].kind->chip);
            cJSON_AddStringToObject(o, "serial", b[i].serial);
            cJSON_AddStringToObject(o, "bus_path", b[i].bus_path);
            cJSON_AddStringToObject(o, "tty", b[i].tty);
            snprintf(spec, sizeof spec, "usb:%04x:%04x%s%s", b[i].vid, b[i].pid,
                     b[i].serial[0] ? ":" : "", b[i].serial);
            cJSON_AddStringToObject(o, "device", spec);
            cJSON_AddItemToArray(arr, o);
        }
        text = cJSON_PrintUnformatted(root);
        fprintf(f, "%s\n", text ? text : "{\"boards\": []}");
        cJSON_free(text);
        cJSON_Delete(root);
        return n;
    }
    if (n == 0) {
        fprintf(f, "no supported board found on USB (looked for");
        for (i = 0; usb_kinds[i].vid != 0; i++)
            fprintf(f, " %04x:%04x %s%s", usb_kinds[i].vid, usb_kinds[i].pid, usb_kinds[i].chip,
                    usb_kinds[i + 1].vid ? "," : ")\n");
        return 0;
    }
    for (i = 0; i < n; i++)
        fprintf(f, "%04x:%04x  %-8s  serial %-12s  bus %-8s  tty %-13s  --device usb:%04x:%04x%s%s"
                "  (%s)\n", b[i].vid, b[i].pid, b[i].kind->chip, b[i].serial[0] ? b[i].serial : "?",
                b[i].bus_path, b[i].tty[0] ? b[i].tty : "none", b[i].vid, b[i].pid,
                b[i].serial[0] ? ":" : "", b[i].serial, b[i].kind->boards);
    return n;
}

static int usb_parse_hex16(const char *s, size_t len, uint16_t *out)
{
    unsigned v = 0;
    size_t i;
    if (len == 0 || len > 4)
        return -1;
    for (i = 0; i < len; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    *out = (uint16_t)v;
    return 0;
}

int usb_parse_spec(const char *spec, uint16_t *vid, uint16_t *pid, char *serial, size_t serial_len,
                   char *err, size_t err_len)
{
    const char *p = spec, *c1, *c2;
    serial[0] = '\0';
    if (strncmp(p, "usb:", 4) != 0)
        goto bad;
    p += 4;
    c1 = strchr(p, ':');
    if (c1 == NULL || usb_parse_hex16(p, (size_t)(c1 - p), vid) < 0)
        goto bad;
    c2 = strchr(c1 + 1, ':');
    if (usb_parse_hex16(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), pid) < 0)
        goto bad;
    if (c2 != NULL) {
        if (c2[1] == '\0' || strlen(c2 + 1) >= serial_len)
            goto bad;
        snprintf(serial, serial_len, "%s", c2 + 1);
    }
    return 0;
bad:
    snprintf(err, err_len, "'%s': a USB device is usb:VID:PID[:SERIAL] in hex, e.g. usb:0403:6010 "
             "(`host/run --list` prints the exact spec of each attached board)", spec);
    return -1;
}
