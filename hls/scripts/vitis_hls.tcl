# SPDX-License-Identifier: MIT
# vitis_hls.tcl : Vitis HLS project for the golden model (UNTESTED: no Vitis HLS here).
# Usage, from the repository root: vitis_hls -f hls/scripts/vitis_hls.tcl
set part  xc7z020clg400-1   ;# change to your device
set clock 10                ;# ns
open_project -reset build/vitis_hls
set_top snn_infer
foreach f [glob hls/snn_*.c] { add_files $f -cflags "-std=c99 -Ihls" }
add_files -tb hls/scripts/tb_snn.c -cflags "-std=c99 -Ihls"
open_solution -reset solution1
set_part $part
create_clock -period $clock
# the 130 KiB model and the pixels through AXI masters, results through AXI-lite
set_directive_interface -mode m_axi -offset slave -bundle gmem snn_infer m
set_directive_interface -mode m_axi -offset slave -bundle gmem snn_infer pixels
set_directive_interface -mode s_axilite snn_infer seed
set_directive_interface -mode m_axi -offset slave -bundle gmem snn_infer r
csim_design
csynth_design
exit
