/* SPDX-License-Identifier: MIT
 * fuzz_idx.c : libFuzzer harness of the idx reader (host/src/common/dataset.c), plain and
 * gzip (zlib inflate: trailer, members, trailing garbage).  The first byte picks images or
 * labels; the rest is the file, in a memfd named through /proc/self/fd.  An accepted file
 * must hold exactly what its header says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    char err[1024];
    dataset_split_t s;
    int rc;
    if (size < 1)
        return 0;
    if (fd < 0) {
        fd = memfd_create("fuzz_idx", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
        abort();
    memset(&s, 0, sizeof s);
    rc = data[0] & 1 ? idx_read_images(path, &s, err, sizeof err) : idx_read_labels(path, &s, err, sizeof err);
    if (rc == 0) {
        if (s.n < 1 || (data[0] & 1 && (!s.images || s.rows < 1 || s.cols < 1)) || (!(data[0] & 1) && !s.labels))
            abort();
        /* the whole payload is there: touch its last byte */
        if (data[0] & 1)
            rc = s.images[(size_t)s.n * (size_t)s.rows * (size_t)s.cols - 1];
        else
            rc = s.labels[s.n - 1];
    } else if (!err[0]) {
        abort();                        /* a refusal always says why */
    }
    free(s.images);
    free(s.labels);
    return rc & 0;
}
