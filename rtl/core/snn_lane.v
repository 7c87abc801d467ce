// snn_lane.v : one of SNN_LANES accumulator lanes: the parallel passes' read-modify-write.
// SPDX-License-Identifier: MIT
// Lane k holds neuron j = 8g + k of every layer: a 24-bit accumulator A split over its P word
// (A[15:0]) and the low byte of its R word (A[23:16]); the R high byte is the neuron's output
// spike count.  Every parallel pass writes in stage 1 (the clock the RAMs return the word).
// Event adds forward the previous clock's sum when it wrote the same word (i_fwd).
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_lane (
    input  wire        i_clk,
    // stage 1: the pass and this lane's words
    input  wire        i_v,
    input  wire [3:0]  i_pass,
    input  wire        i_fwd,
    input  wire [15:0] i_p,
    input  wire [7:0]  i_r,          // R low byte: A[23:16]
    input  wire [7:0]  i_w,          // weight of this lane (event passes)
    input  wire [23:0] i_prev_c,     // lane k-1's A >>> 1 (`PASS_CSTORE writes it here)
    input  wire [15:0] i_next_p,     // lane k+1's words (`PASS_CINIT reads c from there)
    input  wire [7:0]  i_next_r,
    output wire [23:0] o_c,
    // stage 3 of the fire unit, when it writes this lane
    input  wire        i_fire_we,
    input  wire [15:0] i_fire_p,
    input  wire [15:0] i_fire_r,
    // RAM writes
    output reg         o_p_we,
    output reg  [15:0] o_p_wdata,
    output reg  [1:0]  o_r_we,
    output reg  [15:0] o_r_wdata
);
    localparam [23:0] DIRECT_BIAS = 24'd1 << `SNN_DIRECT_SHIFT;  // 2 * 2^(shift-1): see docs/accelerator.md

    wire [23:0] a = {i_r, i_p};
    reg  [23:0] sum_r;
    wire [23:0] sum = (i_fwd ? sum_r : a) + {{16{i_w[7]}}, i_w};
    wire [23:0] half = {a[23], a[23:1]};
    assign o_c = half;

    // sum_r: the last event sum, for forwarding
    always @(posedge i_clk)
        sum_r <= sum;

    // o_p_*, o_r_*: what this lane writes this clock
    always @(*) begin
        o_p_we = 1'b0; o_p_wdata = 16'd0; o_r_we = 2'b00; o_r_wdata = 16'd0;
        if (i_fire_we) begin
            o_p_we = 1'b1; o_p_wdata = i_fire_p; o_r_we = 2'b11; o_r_wdata = i_fire_r;
        end else if (i_v) begin
            case (i_pass)
                `PASS_EVT, `PASS_PEVT: begin
                    o_p_we = 1'b1; o_p_wdata = sum[15:0]; o_r_we = 2'b01; o_r_wdata = {8'd0, sum[23:16]};
                end
                `PASS_CLEAR: begin
                    o_p_we = 1'b1; o_r_we = 2'b11;
                end
                `PASS_SET: begin
                    o_p_we = 1'b1; o_p_wdata = DIRECT_BIAS[15:0]; o_r_we = 2'b01; o_r_wdata = {8'd0, DIRECT_BIAS[23:16]};
                end
                `PASS_HALVE: begin
                    o_p_we = 1'b1; o_p_wdata = half[15:0]; o_r_we = 2'b01; o_r_wdata = {8'd0, half[23:16]};
                end
                `PASS_CSTORE: begin
                    o_p_we = 1'b1; o_p_wdata = i_prev_c[15:0]; o_r_we = 2'b01; o_r_wdata = {8'd0, i_prev_c[23:16]};
                end
                `PASS_CINIT: begin
                    o_p_we = 1'b1; o_p_wdata = i_next_p; o_r_we = 2'b11; o_r_wdata = {8'd0, i_next_r};
                end
                default: ;
            endcase
        end
    end
endmodule
