// snn_fire.v : the fire unit: one neuron per clock, saturate, fire, reset, count, then leak and
// add the direct current for the next step (docs/arith.md steps 3-5 and step 1 of step t+1).
// SPDX-License-Identifier: MIT
// Stage 1 (inputs) -> 2 (registered A, threshold) -> 3 (registered V', spike) -> 4 (registered
// leak shift) -> 5 (registered next word, spike) -> write-back: every stage is one carry chain
// or one shifter deep (the write comes 5 clocks after the issue clock).
// The stored word is the next step's starting accumulator leak(V') + c, or V' itself after the
// last step (the final membrane).
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_fire (
    input  wire        i_clk,
    // stage 1
    input  wire        i_v,
    input  wire [23:0] i_a,
    input  wire [7:0]  i_count,
    input  wire [15:0] i_theta,
    // stage 3: the direct current of the neuron in stage 3 (the lanes read it two clocks after
    // its accumulator, so that it needs no pipeline registers of its own)
    input  wire [23:0] i_c,
    // pass parameters (stable for the pass)
    input  wire [3:0]  i_leak,
    input  wire        i_reset_zero,
    input  wire        i_last_step,
    input  wire        i_count_en,
    input  wire [10:0] i_h_m1,     // neurons of the layer - 1
    // stage 5: write-back of neuron o_j (a fire pass issues neurons 0, 1, ... in consecutive
    // clocks, and passes are a drain apart: o_j counts the write clocks in a row)
    output reg         o_we,
    output reg  [10:0] o_j,
    output reg  [15:0] o_p,
    output reg  [15:0] o_r,
    // spike bitmap word of neurons 8*(o_j/8) .. o_j, written when complete
    output wire        o_bm_we,
    output wire [7:0]  o_bm_bits
);
    localparam integer MB = `SNN_MEMBRANE_BITS;
    localparam integer AB = `CORE_ACC_BITS;   // the accumulator's significant bits (snn_pass.vh)
    localparam signed [AB-1:0] VMAX = ({{(AB-1){1'b0}}, 1'b1} <<< (MB - 1)) - {{(AB-1){1'b0}}, 1'b1};
    localparam signed [AB-1:0] VMIN = -({{(AB-1){1'b0}}, 1'b1} <<< (MB - 1));

    // stage 2 registers
    reg               v2_r;
    reg signed [AB-1:0] a2_r;
    reg        [15:0] th2_r;
    reg        [7:0]  n2_r;
    // stage 3 registers
    reg signed [15:0] v3_r;
    reg               s3_r;
    reg        [7:0]  n3_r;
    reg               v3v_r;
    // stage 4 (leak shift registered)
    reg signed [15:0] v4_r, sh4_r;
    reg signed [AB-1:0] c4_r;
    reg        [7:0]  n4_r;
    reg               v4v_r, s4_r;
    // stage 5 and the bitmap word
    reg               s5_r;
    reg        [7:0]  bits_r;

    // v2_r .. n2_r: the neuron's accumulator, threshold and count (the 24-bit words are
    // sign-extended AB-bit values: the upper bits carry no information)
    always @(posedge i_clk) begin
        v2_r  <= i_v;
        a2_r  <= i_a[AB-1:0];
        th2_r <= i_theta;
        n2_r  <= i_count;
    end

    // saturate (step 3), fire (4), reset (5)
    // |A| beyond the 16-bit range: the bits above bit 15 are not all copies of the sign
    wire               over  = !a2_r[AB-1] && (|a2_r[AB-2:MB-1]);
    wire               under = a2_r[AB-1] && !(&a2_r[AB-2:MB-1]);
    wire signed [15:0] vsat = over ? VMAX[15:0] : under ? VMIN[15:0] : a2_r[15:0];
    wire signed [16:0] diff = {vsat[15], vsat} - {1'b0, th2_r};
    wire               spike = !diff[16];
    wire signed [15:0] vnew = !spike ? vsat : i_reset_zero ? 16'sd0 : diff[15:0];

    // v3_r .. n3_r, v3v_r: the neuron after this step
    always @(posedge i_clk) begin
        v3v_r <= v2_r;
        v3_r <= vnew;
        s3_r <= spike;
        n3_r <= n2_r;
    end

    // leak (step 1 of the next step), split over two clocks: the shift V >>> k (k = 0: no leak)
    // is registered with V, c, the count and the spike (v4_r .. s4_r), then V - shift + c
    wire signed [15:0] shifted = (i_leak == 4'd0) ? 16'sd0 : (v3_r >>> i_leak);
    // v4_r, sh4_r, c4_r, n4_r, v4v_r, s4_r: stage 4
    always @(posedge i_clk) begin
        v4v_r <= v3v_r;
        v4_r  <= v3_r;
        sh4_r <= shifted;
        c4_r  <= i_c[AB-1:0];
        n4_r  <= n3_r + {7'd0, i_count_en && s3_r};
        s4_r  <= s3_r;
    end
    wire signed [AB-1:0] next_a = i_last_step ? {{(AB-16){v4_r[15]}}, v4_r}
                                              : {{(AB-16){v4_r[15]}}, v4_r} - {{(AB-16){sh4_r[15]}}, sh4_r} + c4_r;

    // o_we, o_j, o_p, o_r, s5_r: the words written back, and the spike
    always @(posedge i_clk) begin
        o_we <= v4v_r;
        o_j  <= o_we ? o_j + 11'd1 : 11'd0;
        o_p  <= next_a[15:0];
        o_r  <= {n4_r, {(24-AB){next_a[AB-1]}}, next_a[AB-1:16]};
        s5_r <= s4_r;
    end

    // bits_r: spikes of the current bitmap word so far
    wire [7:0] word = (o_j[2:0] == 3'd0 ? 8'd0 : bits_r) | ({7'd0, s5_r} << o_j[2:0]);
    always @(posedge i_clk)
        if (o_we)
            bits_r <= word;
    assign o_bm_we   = o_we && (o_j[2:0] == 3'd7 || o_j == i_h_m1);
    assign o_bm_bits = word;
endmodule
