// snn_pass.vh : pass codes of the core's sequencer (internal to rtl/core; docs/accelerator.md "Schedule").
// SPDX-License-Identifier: MIT
localparam [3:0] PASS_CLEAR  = 4'd0;  // zero every neuron's accumulator and spike count
localparam [3:0] PASS_SET    = 4'd1;  // direct: layer-0 accumulators = 2^SNN_DIRECT_SHIFT
localparam [3:0] PASS_HALVE  = 4'd2;  // direct: accumulators >>>= 1 (before each pixel bit plane)
localparam [3:0] PASS_PSCAN  = 4'd3;  // direct: bit plane b of the pixels -> spike bitmap
localparam [3:0] PASS_PEVT   = 4'd4;  // direct: add the weight rows of that bit plane
localparam [3:0] PASS_CSTORE = 4'd5;  // direct: current c = accumulator >>> 1, kept lane-rotated
localparam [3:0] PASS_CINIT  = 4'd6;  // direct: layer-0 accumulators = c (step 0 starts from V = 0)
localparam [3:0] PASS_SCAN   = 4'd7;  // rate: encoder -> layer-0 input bitmap
localparam [3:0] PASS_EVT    = 4'd8;  // add the weight rows of the input spikes (8 lanes per clock)
localparam [3:0] PASS_FIRE   = 4'd9;  // per neuron: saturate, fire, reset, count, leak (+c) for the next step
localparam [3:0] PASS_DECIDE = 4'd10; // per output neuron: argmax of counts, copy counts to the result buffer
