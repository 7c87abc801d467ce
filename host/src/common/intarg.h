/* SPDX-License-Identifier: MIT
 * intarg.h : integer command-line arguments, checked: one definition for every host tool.
 */
#ifndef QUANTARION_INTARG_H
#define QUANTARION_INTARG_H

/* s is a whole decimal integer in [lo, hi] (no blanks, nothing after it): *out = it, 0.
 * Else "TOOL: OPT 'S': expected an integer in LO..HI" on stderr and -1. */
int intarg_long(const char *tool, const char *opt, const char *s, long lo, long hi, long *out);
int intarg_int(const char *tool, const char *opt, const char *s, int lo, int hi, int *out);

#endif
