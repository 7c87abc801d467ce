/* SPDX-License-Identifier: MIT
 * json_report.h : JSON summaries shared by train, run, eval and the tools, built with cJSON
 * (Debian libcjson-dev; include <cjson/cJSON.h> and link $(HOST_LIBS)).
 *
 *   cJSON *r = cJSON_CreateObject();
 *   cJSON_AddNumberToObject(r, "images", n);
 *   json_report_write("build/eval/report.json", r, err, sizeof err);  // atomic, mkdir -p
 *   cJSON_Delete(r);
 */
#ifndef JSON_REPORT_H
#define JSON_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>

/* Writes root, pretty-printed with a final newline, to path (tmp + fsync + rename; the
 * folder is created if missing).  Returns 0 or -1 with a message in err. */
int json_report_write(const char *path, const cJSON *root, char *err, size_t err_len);
/* Prints root on one line plus a newline (stdout summaries).  Returns 0 or -1. */
int json_report_print(FILE *f, const cJSON *root);
/* Adds a number rounded to `decimals` places (stable, readable reports). */
cJSON *json_add_rounded(cJSON *obj, const char *name, double value, int decimals);

#endif
