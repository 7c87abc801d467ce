/* SPDX-License-Identifier: MIT
 * intarg.c : integer command-line arguments, checked (intarg.h).
 */
#include "intarg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int intarg_long(const char *tool, const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "%s: %s '%s': expected an integer in %ld..%ld\n", tool, opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int intarg_int(const char *tool, const char *opt, const char *s, int lo, int hi, int *out)
{
    long v;
    if (intarg_long(tool, opt, s, lo, hi, &v))
        return -1;
    *out = (int)v;
    return 0;
}
