/* SPDX-License-Identifier: MIT
 * json_report.c : JSON summaries (json_report.h).
 */
#include "json_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qout.h"

int json_report_write(const char *path, const cJSON *root, char *err, size_t err_len)
{
    char *text = cJSON_Print(root);
    int rc;
    if (!text) {
        snprintf(err, err_len, "%s: cJSON_Print failed (out of memory)", path);
        return -1;
    }
    size_t n = strlen(text);
    char *line = malloc(n + 2);
    if (!line) {
        cJSON_free(text);
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    memcpy(line, text, n);
    line[n] = '\n';
    cJSON_free(text);
    rc = qout_write(path, line, n + 1, err, err_len);
    free(line);
    return rc;
}

int json_report_print(FILE *f, const cJSON *root)
{
    char *text = cJSON_PrintUnformatted(root);
    int rc;
    if (!text)
        return -1;
    rc = fprintf(f, "%s\n", text) < 0 ? -1 : 0;
    cJSON_free(text);
    return rc;
}

cJSON *json_add_rounded(cJSON *obj, const char *name, double value, int decimals)
{
    double scale = pow(10.0, decimals);
    return cJSON_AddNumberToObject(obj, name, round(value * scale) / scale);
}
