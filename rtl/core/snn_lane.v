// snn_lane.v : one of SNN_LANES accumulator lanes: the parallel passes' writes.
// SPDX-License-Identifier: MIT
// Lane k holds neuron j = 8g + k of every layer: its word is the accumulator A (`CORE_ACC_BITS,
// see snn_pass.vh) over the P word (A[15:0]) and the low byte of the R word (A[23:16], sign
// extended); the R high byte is the neuron's output spike count.  Between steps A is the
// membrane V.  In direct coding the lane also holds the layer-0 current words (32 bits over P
// and R), which the multiply-adds of the MAC pass write 4 clocks after their issue (snn_mac.v).
// Every other parallel pass writes in stage 1 (the clock the RAMs return the word).  Two ops on
// one word are SNN_EVT_SPACING (events) or SNN_MAC_SPACING (MAC) issue clocks apart at least
// (snn_evsrc), so no forwarding is needed.
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
    // the fire unit's write-back (a fire or leak pass has no parallel op)
    input  wire                      i_fire_we,    // the fire unit writes this lane
    input  wire [`CORE_ACC_BITS-1:0] i_fire_a,     // the neuron's new word
    input  wire [7:0]                i_fire_cnt,   // its spike count
    // the multiply-add's write-back (MAC pass)
    input  wire                      i_mac_we,
    input  wire [31:0]               i_mac_sum,
    // RAM writes
    output reg                       o_p_we,
    output reg  [15:0]               o_p_wdata,
    output reg  [1:0]                o_r_we,
    output reg  [15:0]               o_r_wdata
);
    localparam integer AB = `CORE_ACC_BITS;
    // the rounding term of the direct current, 2^(s-1) (docs/arith.md "Direct coding")
    localparam [AB-1:0] ROUND = {{(AB-1){1'b0}}, 1'b1} << (`SNN_DIRECT_SHIFT - 1);

    wire [AB-1:0] a   = {i_r[AB-17:0], i_p};
    wire [AB-1:0] sum = a + {{(AB-8){i_w[7]}}, i_w};

    // x: the new accumulator of this clock's write; sign-extended to the 24-bit word below
    reg  [AB-1:0] x;
    always @(*)
        case (i_pass)
            `PASS_EVT:               x = sum;
            `PASS_CSET:              x = ROUND;
            `PASS_FIRE, `PASS_LEAK:  x = i_fire_a;
            default:                 x = {AB{1'b0}};   // `PASS_CLEAR
        endcase

    // o_p_*, o_r_*: what this lane writes this clock (the R high byte, the count, only in CLEAR
    // and CSET (0), MAC and fire writes)
    wire par  = i_v && (i_pass == `PASS_EVT || i_pass == `PASS_CSET || i_pass == `PASS_CLEAR);
    wire full = i_fire_we || i_mac_we || (i_v && (i_pass == `PASS_CLEAR || i_pass == `PASS_CSET));
    always @(*) begin
        o_p_we    = i_fire_we || i_mac_we || par;
        o_p_wdata = i_mac_we ? i_mac_sum[15:0] : x[15:0];
        o_r_we    = {full, o_p_we};
        o_r_wdata = i_mac_we ? i_mac_sum[31:16] : {i_fire_we ? i_fire_cnt : 8'd0, {(24-AB){x[AB-1]}}, x[AB-1:16]};
    end
endmodule
