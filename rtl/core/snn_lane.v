// snn_lane.v : one of SNN_LANES accumulator lanes: the parallel passes' read-modify-write.
// SPDX-License-Identifier: MIT
// Lane k holds neuron j = 8g + k of every layer: the accumulator A (`CORE_ACC_BITS, see
// snn_pass.vh) split over its P word (A[15:0]) and the low byte of its R word (A[23:16], sign
// extended); the R high byte is the neuron's output spike count.  Every parallel pass writes in
// stage 1 (the clock the RAMs return the word).  Two consecutive ops never touch the same word
// (snn_evsrc spaces the events of one-group layers by a bubble), so no forwarding is needed.
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_lane (
    // stage 1: the pass and this lane's words
    input  wire                      i_v,
    input  wire [3:0]                i_pass,
    input  wire [15:0]               i_p,
    input  wire [7:0]                i_r,          // R low byte: A[23:16]
    input  wire [7:0]                i_w,          // weight of this lane (event passes)
    input  wire [`CORE_ACC_BITS-1:0] i_prev_c,     // lane k-1's A >>> 1 (`PASS_CSTORE writes it here)
    output wire [`CORE_ACC_BITS-1:0] o_c,
    // the fire unit's write-back (a fire pass has no parallel op: s1 carries `PASS_FIRE/CINIT)
    input  wire                      i_fire_we,    // the fire unit writes this lane
    input  wire [`CORE_ACC_BITS-1:0] i_fire_a,     // the neuron's next accumulator
    input  wire [7:0]                i_fire_cnt,   // its spike count; 0 outside fire passes
    // RAM writes
    output reg                       o_p_we,
    output reg  [15:0]               o_p_wdata,
    output reg  [1:0]                o_r_we,
    output reg  [15:0]               o_r_wdata
);
    localparam integer AB = `CORE_ACC_BITS;
    localparam [AB-1:0] DIRECT_BIAS = {{(AB-1){1'b0}}, 1'b1} << `SNN_DIRECT_SHIFT;  // 2 * 2^(shift-1): see docs/accelerator.md

    wire [AB-1:0] a    = {i_r[AB-17:0], i_p};
    wire [AB-1:0] sum  = a + {{(AB-8){i_w[7]}}, i_w};
    wire [AB-1:0] half = {a[AB-1], a[AB-1:1]};
    assign o_c = half;

    // x: the new accumulator of this clock's write; sign-extended to the 24-bit word below
    reg  [AB-1:0] x;
    always @(*)
        case (i_pass)
            `PASS_EVT, `PASS_PEVT:   x = sum;
            `PASS_SET:               x = DIRECT_BIAS;
            `PASS_HALVE:             x = half;
            `PASS_CSTORE:            x = i_prev_c;
            `PASS_FIRE, `PASS_CINIT: x = i_fire_a;
            default:                 x = {AB{1'b0}};   // `PASS_CLEAR
        endcase

    // o_p_*, o_r_*: what this lane writes this clock (the R high byte, the count, only in CLEAR
    // and fire writes; i_fire_cnt is 0 in CLEAR)
    wire par = i_v && (i_pass == `PASS_EVT || i_pass == `PASS_PEVT || i_pass == `PASS_SET ||
                       i_pass == `PASS_HALVE || i_pass == `PASS_CSTORE || i_pass == `PASS_CLEAR);
    always @(*) begin
        o_p_we    = i_fire_we || par;
        o_p_wdata = x[15:0];
        o_r_we    = {i_fire_we || (i_v && i_pass == `PASS_CLEAR), o_p_we};
        o_r_wdata = {i_fire_cnt, {(24-AB){x[AB-1]}}, x[AB-1:16]};
    end
endmodule
