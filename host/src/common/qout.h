/* SPDX-License-Identifier: MIT
 * qout.h : output paths, checked before the work and written so that only a regular file is
 * ever replaced.  Every host program writes its outputs through this module.
 *
 *   qout_check   before any work: every output can be written, names no input and no other
 *                output (compared by st_dev/st_ino, not by spelling); folders are created;
 *   qout_write   a whole buffer;  qout_open / qout_commit / qout_abort  a stream.
 *
 * What a path may name (as cp does):
 *   a regular file or nothing  a temporary file next to it (mkstemp), fsync, rename over it:
 *                              readers never see half a file, a failed write leaves no file;
 *   a symlink                  the file it points to is written that way, the link stays;
 *   a character device, FIFO   written through (/dev/null, /dev/stdout, a pipe): never replaced;
 *   anything else              refused (a folder, a socket, a block device, a dangling link).
 */
#ifndef QOUT_H
#define QOUT_H

#include <stddef.h>
#include <stdio.h>

/* One path of a command line and the option that named it ("--report"), for messages. */
typedef struct {
    const char *path;
    const char *opt;
} qout_path_t;

/* Returns 0 when every output (NULL or "" paths are skipped) can be written, or -1 with a
 * message naming the option, the path and why. */
int qout_check(const qout_path_t *outs, int n_outs, const qout_path_t *ins, int n_ins,
               char *err, size_t err_len);

typedef struct {
    FILE *f;            /* write here */
    char path[4096];    /* what is replaced: path, or the file its symlink names */
    char tmp[4120];     /* the temporary file, "" when writing through a device or FIFO */
} qout_t;

/* Opens an output stream.  Returns 0 or -1 + err. */
int qout_open(qout_t *o, const char *path, char *err, size_t err_len);
/* Flushes, fsyncs and renames into place.  On failure nothing is left behind.  0 or -1 + err. */
int qout_commit(qout_t *o, char *err, size_t err_len);
/* Drops a stream: the temporary file is removed, the old file is untouched. */
void qout_abort(qout_t *o);
/* qout_open + fwrite + qout_commit (creates the folder that holds path when it is missing). */
int qout_write(const char *path, const void *buf, size_t len, char *err, size_t err_len);

#endif
