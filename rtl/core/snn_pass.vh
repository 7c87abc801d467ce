// snn_pass.vh : pass codes of the core's sequencer (internal to rtl/core; docs/accelerator.md "Schedule").
// SPDX-License-Identifier: MIT
`ifndef SNN_PASS_VH
`define SNN_PASS_VH
`define PASS_CLEAR   4'd0  // zero every neuron's membrane and spike count
`define PASS_CSET    4'd1  // direct: the layer-0 current words = 2^(SNN_DIRECT_SHIFT-1), the rounding term
`define PASS_NZSCAN  4'd2  // direct: the nonzero pixels -> input bitmap
`define PASS_MAC     4'd3  // direct: current words += w * x over the nonzero pixels (SB_MAC16, 8 lanes per clock)
`define PASS_SCAN    4'd4  // rate: encoder -> layer-0 input bitmap
`define PASS_LEAK    4'd5  // an event layer, steps after the first: V = V - (V >>> k), one neuron per clock
`define PASS_EVT     4'd6  // add the weight rows of the input spikes (8 lanes per clock)
`define PASS_FIRE    4'd7  // per neuron: (direct layer 0: leak + c,) saturate, fire, reset, count
`define PASS_DECIDE  4'd8  // per output neuron: argmax of counts, copy counts to the result buffer
// Accumulator width of the lanes and the fire unit, derived from snn_config.vh: |A| is at most
// 2^(MEMBRANE_BITS-1) + MAX_INPUTS*WEIGHT_MAX (leak(V) plus a step's events, or plus the direct
// current, which is below MAX_INPUTS*WEIGHT_MAX); one sign bit on top: 19 for the UP5K capacity.
`define CORE_ACC_BITS ($clog2(`SNN_MAX_INPUTS * `SNN_WEIGHT_MAX + (1 << (`SNN_MEMBRANE_BITS - 1))) + 1)
// The direct-current sum S + 2^(s-1) (s = SNN_DIRECT_SHIFT) in the DSPs: |S| <= MAX_INPUTS *
// WEIGHT_MAX * (2^PIXEL_BITS - 1); one sign bit on top: 26 of the DSP's 32 output bits.
`define CORE_MAC_BITS ($clog2(`SNN_MAX_INPUTS * `SNN_WEIGHT_MAX * ((1 << `SNN_PIXEL_BITS) - 1) + (1 << (`SNN_DIRECT_SHIFT - 1))) + 1)
`endif
