// SPDX-License-Identifier: MIT
// sim_main.cpp : entry point of the Verilator simulation of snn_core; everything else is C.
#include "verilated.h"
#include "sim_run.h"

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    return sim_run(argc, argv);
}
