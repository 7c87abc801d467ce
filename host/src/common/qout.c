/* SPDX-License-Identifier: MIT
 * qout.c : output paths checked before the work and written safely (qout.h).
 */
#include "qout.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qio.h"

enum { QOUT_MISSING, QOUT_REGULAR, QOUT_THROUGH };

/* What path names: *kind, the path to replace or write (a symlink's target) and its stat.
 * Returns 0, or -1 + err for anything that must not be written. */
static int qout_resolve(const char *path, char *out, size_t out_len, int *kind, struct stat *st,
                        char *err, size_t err_len)
{
    const char *why = NULL;
    if (!path || !path[0]) {
        snprintf(err, err_len, "an empty output path");
        return -1;
    }
    if (lstat(path, st) != 0) {
        if (errno != ENOENT) {
            qio_error(err, err_len, path, "lstat", errno);
            return -1;
        }
        if (snprintf(out, out_len, "%s", path) >= (int)out_len) {
            snprintf(err, err_len, "%s: path too long", path);
            return -1;
        }
        *kind = QOUT_MISSING;
        return 0;
    }
    if (S_ISLNK(st->st_mode)) {
        char real[PATH_MAX];
        if (!realpath(path, real)) {
            if (errno == ENOENT)
                snprintf(err, err_len, "%s: a symbolic link to a missing file; refusing to write "
                         "through it (remove the link or give another path)", path);
            else
                qio_error(err, err_len, path, "realpath", errno);
            return -1;
        }
        if (stat(real, st) != 0) {
            qio_error(err, err_len, real, "stat", errno);
            return -1;
        }
        if (snprintf(out, out_len, "%s", real) >= (int)out_len) {
            snprintf(err, err_len, "%s: path too long", real);
            return -1;
        }
    } else if (snprintf(out, out_len, "%s", path) >= (int)out_len) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    if (S_ISREG(st->st_mode))
        *kind = QOUT_REGULAR;
    else if (S_ISCHR(st->st_mode) || S_ISFIFO(st->st_mode))
        *kind = QOUT_THROUGH;
    else if (S_ISDIR(st->st_mode))
        why = "is a folder; give a file name";
    else if (S_ISBLK(st->st_mode))
        why = "is a block device; refusing to write to it";
    else
        why = "is neither a regular file, a character device nor a FIFO; refusing to replace it";
    if (why) {
        snprintf(err, err_len, "%s %s", path, why);
        return -1;
    }
    return 0;
}

/* A new temporary file next to path (mkstemp: never an existing file or link), with the mode
 * the replaced file had, else 0666 less the umask.  Returns the fd or -1 + err. */
static int qout_mktemp(const char *path, const struct stat *old, char *tmp, size_t tmp_len,
                       char *err, size_t err_len)
{
    mode_t mode;
    int fd;
    if (snprintf(tmp, tmp_len, "%s.tmpXXXXXX", path) >= (int)tmp_len) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        qio_error(err, err_len, path, "creating a temporary file next to it", errno);
        tmp[0] = 0;
        return -1;
    }
    if (old) {
        mode = old->st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0) {
        qio_error(err, err_len, tmp, "fchmod", errno);
        close(fd);
        unlink(tmp);
        tmp[0] = 0;
        return -1;
    }
    return fd;
}

int qout_open(qout_t *o, const char *path, char *err, size_t err_len)
{
    struct stat st;
    int kind, fd;
    memset(o, 0, sizeof *o);
    if (qout_resolve(path, o->path, sizeof o->path, &kind, &st, err, err_len) != 0)
        return -1;
    if (kind == QOUT_THROUGH) {
        o->f = qio_fopen(o->path, "w", err, err_len);
        return o->f ? 0 : -1;
    }
    if (kind == QOUT_MISSING && qio_mkdir_parents(o->path, err, err_len) != 0)
        return -1;
    fd = qout_mktemp(o->path, kind == QOUT_REGULAR ? &st : NULL, o->tmp, sizeof o->tmp, err, err_len);
    if (fd < 0)
        return -1;
    o->f = fdopen(fd, "w");
    if (!o->f) {
        qio_error(err, err_len, o->tmp, "fdopen", errno);
        close(fd);
        qout_abort(o);
        return -1;
    }
    return 0;
}

void qout_abort(qout_t *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = 0;
}

int qout_commit(qout_t *o, char *err, size_t err_len)
{
    const char *where = o->tmp[0] ? o->tmp : o->path;
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f)) {
        qio_error(err, err_len, where, "write", errno ? errno : EIO);
        goto fail;
    }
    if (o->tmp[0] && fsync(fileno(o->f)) != 0) {
        qio_error(err, err_len, where, "fsync", errno);
        goto fail;
    }
    if (fclose(o->f) != 0) {
        o->f = NULL;
        qio_error(err, err_len, where, "close", errno);
        goto fail;
    }
    o->f = NULL;
    if (o->tmp[0] && rename(o->tmp, o->path) != 0) {
        qio_error(err, err_len, o->path, "rename", errno);
        goto fail;
    }
    o->tmp[0] = 0;
    return 0;
fail:
    qout_abort(o);
    return -1;
}

int qout_write(const char *path, const void *buf, size_t len, char *err, size_t err_len)
{
    qout_t o;
    if (qout_open(&o, path, err, err_len) != 0)
        return -1;
    if (len > 0 && fwrite(buf, 1, len, o.f) != len) {
        qio_error(err, err_len, o.tmp[0] ? o.tmp : o.path, "write", errno ? errno : EIO);
        qout_abort(&o);
        return -1;
    }
    return qout_commit(&o, err, err_len);
}

/* "folder/name" of a missing output with its folder resolved, so that two spellings of one
 * new file compare equal. */
static void qout_missing_key(const char *path, char *key, size_t key_len)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= sizeof dir)
        n = sizeof dir - 1;
    memcpy(dir, path, n);
    dir[n] = 0;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (n == 0)
        snprintf(dir, sizeof dir, "/");
    snprintf(key, key_len, "%s/%s", realpath(dir, real) ? real : dir, base);
}

typedef struct {
    int kind;
    struct stat st;
    char key[2 * PATH_MAX + 2];
} qout_probe_t;

/* Can a file be created next to path (the rename needs the folder)?  0 or -1 + err. */
static int qout_probe_folder(const char *path, const char *opt, char *err, size_t err_len)
{
    char tmp[PATH_MAX + 32], why[1024];
    int fd = qout_mktemp(path, NULL, tmp, sizeof tmp, why, sizeof why);
    if (fd < 0) {
        snprintf(err, err_len, "%s: cannot be written: %s", opt, why);
        return -1;
    }
    close(fd);
    unlink(tmp);
    return 0;
}

int qout_check(const qout_path_t *outs, int n_outs, const qout_path_t *ins, int n_ins,
               char *err, size_t err_len)
{
    qout_probe_t *p = calloc((size_t)(n_outs > 0 ? n_outs : 1), sizeof *p);
    char real[4096], why[1024];
    int i, j, rc = -1;
    if (!p) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    for (i = 0; i < n_outs; i++) {
        const char *path = outs[i].path, *opt = outs[i].opt;
        if (!path || !path[0])
            continue;
        if (qout_resolve(path, real, sizeof real, &p[i].kind, &p[i].st, why, sizeof why) != 0) {
            snprintf(err, err_len, "%s: %s", opt, why);
            goto out;
        }
        if (p[i].kind == QOUT_MISSING) {
            if (qio_mkdir_parents(real, why, sizeof why) != 0) {
                snprintf(err, err_len, "%s: cannot be written: %s", opt, why);
                goto out;
            }
            qout_missing_key(real, p[i].key, sizeof p[i].key);
        }
        if (p[i].kind != QOUT_THROUGH && qout_probe_folder(real, opt, err, err_len) != 0)
            goto out;
        if (p[i].kind != QOUT_MISSING && access(real, W_OK) != 0) {
            qio_error(why, sizeof why, path, "access(W_OK)", errno);
            snprintf(err, err_len, "%s: cannot be written: %s", opt, why);
            goto out;
        }
        if (p[i].kind == QOUT_THROUGH)
            continue;           /* /dev/null twice is fine; a device is never destroyed */
        for (j = 0; j < n_ins; j++) {
            struct stat in;
            if (p[i].kind != QOUT_REGULAR || !ins[j].path || stat(ins[j].path, &in) != 0)
                continue;
            if (in.st_dev == p[i].st.st_dev && in.st_ino == p[i].st.st_ino) {
                snprintf(err, err_len, "%s %s names the same file as %s %s; writing it would destroy "
                         "the input (give another output path)", opt, path, ins[j].opt, ins[j].path);
                goto out;
            }
        }
        for (j = 0; j < i; j++) {
            int same = p[j].kind == p[i].kind && outs[j].path && outs[j].path[0] &&
                       (p[i].kind == QOUT_MISSING ? !strcmp(p[i].key, p[j].key)
                        : p[i].st.st_dev == p[j].st.st_dev && p[i].st.st_ino == p[j].st.st_ino);
            if (same) {
                snprintf(err, err_len, "%s %s and %s %s name the same file; give each output its own path",
                         outs[j].opt, outs[j].path, opt, path);
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(p);
    return rc;
}
