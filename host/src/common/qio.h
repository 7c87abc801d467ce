/* SPDX-License-Identifier: MIT
 * qio.h : checked file I/O whose errors name the file, the call that failed and a hint.
 *
 * Two flavours (llm.c fopenCheck style):
 *   qio_*        library use: return NULL / -1 and write a one-line message into err;
 *   *_check      program use: print the same message to stderr and exit(1).
 * Outputs are written through qout.h (checked up front, atomic, never replacing a device).
 * A message looks like: "build/x.qmodel: fopen(\"rb\") failed: No such file or directory
 * (check the path; it is relative to the current directory)".
 */
#ifndef QIO_H
#define QIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A one-line hint for an errno value ("" when there is none worth giving). */
const char *qio_hint(int errnum);
/* Formats "path: call failed: strerror(errnum) (hint)" into err. */
void qio_error(char *err, size_t err_len, const char *path, const char *call, int errnum);

FILE *qio_fopen(const char *path, const char *mode, char *err, size_t err_len);
/* Reads the whole file (at most max_len bytes, else an error) into a malloc'ed *buf. */
int qio_read_file(const char *path, uint8_t **buf, size_t *len, size_t max_len,
                  char *err, size_t err_len);
/* mkdir -p of the folder that holds path (nothing to do for a bare file name). */
int qio_mkdir_parents(const char *path, char *err, size_t err_len);

FILE *fopen_check(const char *path, const char *mode);
void fread_check(void *p, size_t size, size_t n, FILE *f, const char *path);
void fwrite_check(const void *p, size_t size, size_t n, FILE *f, const char *path);
void fclose_check(FILE *f, const char *path);
void *malloc_check(size_t n, const char *what);

#endif
