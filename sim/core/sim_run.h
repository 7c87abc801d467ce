/* SPDX-License-Identifier: MIT
 * sim_run.h : the `make sim` driver (options, model and image loop, report), in C.
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H
#ifdef __cplusplus
extern "C" {
#endif
int sim_run(int argc, char **argv);
#ifdef __cplusplus
}
#endif
#endif
