// snn_pass.vh : pass codes of the core's sequencer (internal to rtl/core; docs/accelerator.md "Schedule").
// SPDX-License-Identifier: MIT
`ifndef SNN_PASS_VH
`define SNN_PASS_VH
`define PASS_CLEAR   4'd0  // zero every neuron's accumulator and spike count
`define PASS_SET     4'd1  // direct: layer-0 accumulators = 2^SNN_DIRECT_SHIFT
`define PASS_HALVE   4'd2  // direct: accumulators >>>= 1 (before each pixel bit plane)
`define PASS_PSCAN   4'd3  // direct: bit plane b of the pixels -> spike bitmap
`define PASS_PEVT    4'd4  // direct: add the weight rows of that bit plane
`define PASS_CSTORE  4'd5  // direct: current c = accumulator >>> 1, kept lane-rotated
`define PASS_CINIT   4'd6  // direct: layer-0 accumulators = c: a FIRE pass of layer 0 on A = 0 that cannot spike
`define PASS_SCAN    4'd7  // rate: encoder -> layer-0 input bitmap
`define PASS_EVT     4'd8  // add the weight rows of the input spikes (8 lanes per clock)
`define PASS_FIRE    4'd9  // per neuron: saturate, fire, reset, count, leak (+c) for the next step
`define PASS_DECIDE  4'd10 // per output neuron: argmax of counts, copy counts to the result buffer
// Accumulator width of the lanes and the fire unit, derived from snn_config.vh: |A| is at most
// 2^(MEMBRANE_BITS-1) + MAX_INPUTS*WEIGHT_MAX (rate, events, leak(V) + c) and the bit-serial
// direct current stays below 2*MAX_INPUTS*WEIGHT_MAX + 2^DIRECT_SHIFT (docs/accelerator.md);
// one sign bit on top of the bits of the larger bound: 20 for the UP5K capacity.
`define CORE_ACC_BITS ($clog2(2 * `SNN_MAX_INPUTS * `SNN_WEIGHT_MAX + (1 << (`SNN_MEMBRANE_BITS - 1))) + 1)
`endif
