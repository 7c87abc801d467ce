/* SPDX-License-Identifier: MIT
 * qio.c : checked file I/O (qio.h).
 */
#include "qio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *qio_hint(int errnum)
{
    switch (errnum) {
    case ENOENT: return "check the path; it is relative to the current directory";
    case EACCES: case EPERM: return "check the file's permissions";
    case ENOSPC: return "the disk is full";
    case EDQUOT: return "the disk quota is exhausted";
    case EISDIR: return "give a file, not a folder";
    case ENOTDIR: return "a part of the path is not a folder";
    case EROFS: return "the file system is read-only; write somewhere else";
    case EMFILE: case ENFILE: return "too many open files";
    case EIO: return "the device reported an I/O error";
    default: return "";
    }
}

void qio_error(char *err, size_t err_len, const char *path, const char *call, int errnum)
{
    const char *hint = qio_hint(errnum);
    if (!err || err_len == 0)
        return;
    snprintf(err, err_len, "%s: %s failed: %s%s%s%s", path, call,
             errnum ? strerror(errnum) : "unexpected end of file", *hint ? " (" : "", hint,
             *hint ? ")" : "");
}

FILE *qio_fopen(const char *path, const char *mode, char *err, size_t err_len)
{
    FILE *f = fopen(path, mode);
    if (!f) {
        char call[32];
        snprintf(call, sizeof call, "fopen(\"%s\")", mode);
        qio_error(err, err_len, path, call, errno);
    }
    return f;
}

int qio_read_file(const char *path, uint8_t **buf, size_t *len, size_t max_len,
                  char *err, size_t err_len)
{
    FILE *f = qio_fopen(path, "rb", err, err_len);
    uint8_t *b = NULL;
    size_t n = 0, cap = 0;
    *buf = NULL;
    *len = 0;
    if (!f)
        return -1;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(b, ncap + 1);
            if (!nb) {
                qio_error(err, err_len, path, "realloc", ENOMEM);
                goto fail;
            }
            b = nb;
            cap = ncap;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n > max_len) {
            snprintf(err, err_len, "%s: larger than the %zu bytes expected at most", path, max_len);
            goto fail;
        }
        if (got == 0) {
            if (ferror(f)) {
                qio_error(err, err_len, path, "fread", errno ? errno : EIO);
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    *buf = b;
    *len = n;
    return 0;
fail:
    free(b);
    fclose(f);
    return -1;
}

int qio_mkdir_parents(const char *path, char *err, size_t err_len)
{
    char dir[4096];
    size_t i, n = strlen(path);
    if (n >= sizeof dir) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    memcpy(dir, path, n + 1);
    while (n > 0 && dir[n - 1] != '/')
        n--;
    if (n == 0)
        return 0;
    dir[n] = 0;
    for (i = 1; i <= n; i++) {
        if (dir[i] != '/' && dir[i] != 0)
            continue;
        char c = dir[i];
        dir[i] = 0;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            qio_error(err, err_len, dir, "mkdir", errno);
            return -1;
        }
        dir[i] = c;
    }
    return 0;
}

static void qio_die(const char *msg)
{
    fprintf(stderr, "error: %s\n", msg);
    exit(1);
}

FILE *fopen_check(const char *path, const char *mode)
{
    char err[512];
    FILE *f = qio_fopen(path, mode, err, sizeof err);
    if (!f)
        qio_die(err);
    return f;
}

void fread_check(void *p, size_t size, size_t n, FILE *f, const char *path)
{
    if (fread(p, size, n, f) != n) {
        char err[512];
        qio_error(err, sizeof err, path, "fread", ferror(f) ? (errno ? errno : EIO) : 0);
        qio_die(err);
    }
}

void fwrite_check(const void *p, size_t size, size_t n, FILE *f, const char *path)
{
    if (fwrite(p, size, n, f) != n) {
        char err[512];
        qio_error(err, sizeof err, path, "fwrite", errno ? errno : EIO);
        qio_die(err);
    }
}

void fclose_check(FILE *f, const char *path)
{
    if (fclose(f) != 0) {
        char err[512];
        qio_error(err, sizeof err, path, "fclose", errno);
        qio_die(err);
    }
}

void *malloc_check(size_t n, const char *what)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "error: out of memory allocating %zu bytes for %s\n", n, what);
        exit(1);
    }
    return p;
}
