/* SPDX-License-Identifier: MIT
 * report.h : the run's JSON summary (--report FILE, and one line on stdout).
 */
#ifndef RUN_REPORT_H
#define RUN_REPORT_H

#include <cjson/cJSON.h>

#include "args.h"
#include "link.h"
#include "session.h"

/* status: "ok", "mismatch" or "failed"; error: NULL or the reason it stopped. */
cJSON *report_build(const args_t *a, const transport_t *t, const link_t *l,
                    session_result_t *r, const char *status, const char *error);

#endif
