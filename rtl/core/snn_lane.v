// snn_lane.v : one of SNN_LANES accumulator lanes: what its two RAMs write.
// SPDX-License-Identifier: MIT
// Lane k holds neuron j = 8g + k of every layer: its word is the accumulator A (`CORE_ACC_BITS,
// see snn_pass.vh) over the P word (A[15:0]) and the low byte of the R word (A[23:16], sign
// extended); the R high byte is the neuron's output spike count.  Between steps A is the
// membrane V.  In direct coding the lane also holds the layer-0 current words (32 bits over P
// and R).  The event passes' adds are the lane's DSP multiply-adds (snn_mac.v: EVT A + w * 1,
// MAC c + w * x), written 4 clocks after their issue: an EVT add writes P and the R low byte
// (the 24-bit sum; the count byte keeps), a MAC add all 32 bits.  Two ops on one word are
// SNN_EVT_SPACING issue clocks apart at least (snn_evsrc), so no forwarding is needed.  CLEAR
// and CSET write constants in stage 1 (the clock the op's word would be read).
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_lane (
    // stage 1: a constant pass
    input  wire                      i_v,
    input  wire [3:0]                i_pass,
    // the fire unit's write-back (a fire or leak pass has no other op)
    input  wire                      i_fire_we,    // the fire unit writes this lane
    input  wire [`CORE_ACC_BITS-1:0] i_fire_a,     // the neuron's new word (0 when the fire unit writes none)
    input  wire [7:0]                i_fire_cnt,   // its spike count (0 likewise)
    // the DSP's write-back (event passes)
    input  wire                      i_dsp_we,
    input  wire                      i_dsp_all,    // a MAC op: all 32 bits
    input  wire [31:0]               i_dsp_sum,
    // RAM writes
    output reg                       o_p_we,
    output reg  [15:0]               o_p_wdata,
    output reg  [1:0]                o_r_we,
    output reg  [15:0]               o_r_wdata
);
    localparam integer AB = `CORE_ACC_BITS;
    // the rounding term of the direct current, 2^(s-1) (docs/arith.md "Direct coding")
    localparam [15:0] ROUND = 16'd1 << (`SNN_DIRECT_SHIFT - 1);

    wire cst  = i_v && (i_pass == `PASS_CLEAR || i_pass == `PASS_CSET);
    wire cset = i_v && i_pass == `PASS_CSET;

    // o_p_*, o_r_*: what this lane writes this clock: the DSP's sum, or the fire unit's word and
    // count (every other lane sees the same word, not written there), which is 0 outside the
    // fire unit's writes: CLEAR's 0, and CSET's 2^(s-1) (count 0) ORed in
    always @(*) begin
        o_p_we    = i_fire_we || i_dsp_we || cst;
        o_r_we    = {i_fire_we || (i_dsp_we && i_dsp_all) || cst, o_p_we};
        if (i_dsp_we) begin
            o_p_wdata = i_dsp_sum[15:0];
            o_r_wdata = i_dsp_sum[31:16];
        end else begin
            o_p_wdata = i_fire_a[15:0] | (cset ? ROUND : 16'd0);
            o_r_wdata = {i_fire_cnt, {(24-AB){i_fire_a[AB-1]}}, i_fire_a[AB-1:16]};
        end
    end
endmodule
