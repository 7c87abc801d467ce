/* SPDX-License-Identifier: MIT
 * report.c : the JSON summary.  Fractions are over the images that were answered; a run that
 * stopped early says so in "status" and "error" and counts only what it compared.
 */
#include "report.h"

#include "json_report.h"

static cJSON *report_mismatches(const session_result_t *r)
{
    cJSON *arr = cJSON_CreateArray();
    long i, n = r->mismatch_count < SESSION_MAX_LISTED ? r->mismatch_count : SESSION_MAX_LISTED;
    for (i = 0; i < n; i++) {
        const mismatch_t *m = &r->mismatches[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "index", (double)m->index);
        cJSON_AddNumberToObject(o, "label", m->label);
        cJSON_AddNumberToObject(o, "board_class", m->board_class);
        cJSON_AddNumberToObject(o, "golden_class", m->golden_class);
        if (m->first_diff >= 0) {
            cJSON_AddNumberToObject(o, "first_output_differing", m->first_diff);
            cJSON_AddNumberToObject(o, "board_count", m->board_count);
            cJSON_AddNumberToObject(o, "golden_count", m->golden_count);
        } else {
            cJSON_AddStringToObject(o, "differs_in", m->first_diff == -1 ? "class" : m->first_diff == -3
                                    ? "steps used" : "output count");
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

cJSON *report_build(const args_t *a, const transport_t *t, const link_t *l,
                    session_result_t *r, const char *status, const char *error)
{
    cJSON *o = cJSON_CreateObject(), *lat = cJSON_CreateObject(), *board = cJSON_CreateObject();
    double n = r->images > 0 ? (double)r->images : 1.0;
    /* the headline first: the summary table at the end of `make` shows the first few */
    cJSON_AddStringToObject(o, "status", status);
    cJSON_AddNumberToObject(o, "images", (double)r->images);
    json_add_rounded(o, "agreement", r->images ? (double)r->agree / n : 0.0, 6);
    json_add_rounded(o, "accuracy", r->images ? (double)r->correct / n : 0.0, 6);
    if (t->is_sim && r->board_images_per_second > 0)
        json_add_rounded(o, "simulated_images_per_second", r->board_images_per_second, 2);
    else
        cJSON_AddNullToObject(o, "simulated_images_per_second");
    cJSON_AddNumberToObject(o, "link_errors", (double)l->link_errors);
    if (error != NULL)
        cJSON_AddStringToObject(o, "error", error);
    cJSON_AddStringToObject(o, "device", t->desc[0] ? t->desc : a->device);
    cJSON_AddStringToObject(o, "model", a->model);
    cJSON_AddStringToObject(o, "data", a->data);
    cJSON_AddNumberToObject(o, "mismatch_count", (double)r->mismatch_count);
    cJSON_AddItemToObject(o, "mismatches", report_mismatches(r));
    json_add_rounded(o, "cycle_agreement", r->images ? (double)r->cycle_agree / n : 0.0, 6);
    cJSON_AddNumberToObject(o, "retries", (double)l->retries_used);
    cJSON_AddNumberToObject(o, "naks", (double)l->naks);
    cJSON_AddNumberToObject(o, "timeouts", (double)l->timeouts);
    cJSON_AddNumberToObject(o, "crc_errors", (double)l->crc_errors);
    cJSON_AddNumberToObject(o, "stray_answers", (double)l->stray);
    cJSON_AddNumberToObject(o, "garbage_bytes", (double)l->garbage_bytes);
    cJSON_AddNumberToObject(o, "line_flushes", (double)l->flushes);
    cJSON_AddNumberToObject(o, "boot_probes", (double)l->boot_probes);
    json_add_rounded(o, "images_per_second", r->images_per_second, 2);
    json_add_rounded(o, "link_bound_images_per_second", r->link_bound_images_per_second, 2);
    if (r->board_images_per_second > 0 && r->link_bound_images_per_second > 0)
        json_add_rounded(o, "fraction_of_link_bound",
                         r->board_images_per_second / r->link_bound_images_per_second, 4);
    json_add_rounded(o, "board_seconds", r->board_seconds, 6);
    json_add_rounded(o, "wall_seconds", r->stream_seconds, 3);
    json_add_rounded(o, "upload_seconds", r->upload_seconds, 3);
    cJSON_AddBoolToObject(o, "upload_verified", !a->skip_verify);
    cJSON_AddNumberToObject(o, "window", r->window);
    cJSON_AddNumberToObject(o, "max_in_flight", r->max_in_flight);
    json_add_rounded(o, "request_bytes_per_image", r->request_bytes, 2);
    json_add_rounded(o, "answer_bytes_per_image", r->answer_bytes, 2);
    cJSON_AddNumberToObject(o, "baud", r->baud);
    cJSON_AddStringToObject(o, "framing", r->compressed ? "INFER_Z" : "INFER");
    cJSON_AddNumberToObject(o, "rate_switches", (double)l->rate_switches);
    cJSON_AddNumberToObject(o, "fallbacks", (double)l->fallbacks);
    /* the core's bound: its clocks per image, plus the wait for the result to be read out: the
     * next image starts when the answer's last payload byte is read, which is when the UART
     * takes the byte before it, so all but the last two header and payload bytes have been sent
     * (docs/board.md); the lower of it and the link bound applies */
    if (r->images > 0 && r->board_cycles > 0 && r->info.clk_hz > 0 && r->baud > 0) {
        double wait = (r->answer_bytes - PROTO_CRC_BYTES - 2) * 10.0 * (double)r->info.clk_hz / (double)r->baud;
        double core = (double)r->info.clk_hz / ((double)r->board_cycles / n + wait);
        double bound = core < r->link_bound_images_per_second ? core : r->link_bound_images_per_second;
        json_add_rounded(o, "core_bound_images_per_second", core, 2);
        cJSON_AddStringToObject(o, "bound", core < r->link_bound_images_per_second ? "core" : "link");
        if (r->board_images_per_second > 0)
            json_add_rounded(o, "fraction_of_bound", r->board_images_per_second / bound, 4);
    }
    json_add_rounded(o, "mean_board_cycles_per_image", r->images ? (double)r->board_cycles / n : 0.0, 1);
    json_add_rounded(o, "mean_steps_used", r->images ? (double)r->steps_used / n : 0.0, 3);
    json_add_rounded(lat, "p50", stats_percentile(&r->latency, 50), 3);
    json_add_rounded(lat, "p90", stats_percentile(&r->latency, 90), 3);
    json_add_rounded(lat, "p99", stats_percentile(&r->latency, 99), 3);
    json_add_rounded(lat, "max", stats_percentile(&r->latency, 100), 3);
    json_add_rounded(lat, "mean", stats_mean(&r->latency), 3);
    cJSON_AddItemToObject(o, "latency_ms", lat);
    cJSON_AddNumberToObject(board, "protocol_version", r->info.version);
    cJSON_AddNumberToObject(board, "build_id", r->info.build_id);
    cJSON_AddNumberToObject(board, "clock_hz", r->info.clk_hz);
    cJSON_AddNumberToObject(board, "baud", r->info.baud);
    cJSON_AddNumberToObject(board, "infer_window", r->info.window);
    cJSON_AddNumberToObject(board, "infer_hold_bytes", r->info.hold_bytes);
    cJSON_AddNumberToObject(board, "naks_counted_by_board", r->info_after.naks);
    cJSON_AddItemToObject(o, "board", board);
    return o;
}
