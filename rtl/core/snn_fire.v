// snn_fire.v : the fire unit, one neuron per clock: (leak and direct current,) saturate, fire,
// reset, count (docs/arith.md steps 1-5).
// SPDX-License-Identifier: MIT
// A neuron's word holds its membrane V between steps.  An event layer's word holds leak(V) plus
// the step's events when its fire pass reads it (a LEAK pass, i_fire_en low, wrote leak(V)
// before the events); direct coding's layer 0 has no events: its fire pass leaks V and adds the
// current itself (i_leak_en).  Stage 1 (inputs) -> 2 (registered word) -> 3 (registered leak
// shift) -> 4 (registered A) -> write-back (registered spike, saturated V, V - theta: the
// threshold compare, the saturation and the reset): the write comes 5 clocks after the issue
// clock, inside the pass's SNN_PASS_DRAIN = 6 drain clocks.
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_fire (
    input  wire                      i_clk,
    // stage 1: the neuron's word and count
    input  wire                      i_v,
    input  wire [23:0]               i_a,
    input  wire [7:0]                i_count,
    // stage 2: the direct current of the neuron in stage 2 (0 when it has none; the lanes read it
    // one clock after the word)
    input  wire [`CORE_ACC_BITS-1:0] i_c,
    // stage 3: the threshold of the neuron in stage 3 (registered for its compare in stage 4)
    input  wire [15:0]               i_theta,
    // pass parameters (stable for the pass)
    input  wire                      i_leak_en,    // A = V - (V >>> k) + c (else A = the word)
    input  wire [3:0]                i_leak,
    input  wire                      i_fire_en,    // fire and count (low: a LEAK pass writes A)
    input  wire                      i_reset_zero,
    input  wire                      i_count_en,
    input  wire [10:0]               i_h_m1,       // neurons of the layer - 1
    // write-back of neuron o_j (a pass issues neurons 0, 1, ... in consecutive clocks, and passes
    // are a drain apart: o_j counts the write clocks in a row)
    output reg                       o_we,
    output reg  [10:0]               o_j,
    output wire [15:0]               o_p,          // 0 when o_we is low
    output wire [15:0]               o_r,
    output wire                      o_run_next,   // the next clock is the first write-back of a run
    // spike bitmap word of neurons 8*(o_j/8) .. o_j, written when complete (fire passes only)
    output wire                      o_bm_we,
    output wire [7:0]                o_bm_bits
);
    localparam integer MB = `SNN_MEMBRANE_BITS;
    localparam integer AB = `CORE_ACC_BITS;   // the accumulator's significant bits (snn_pass.vh)
    localparam signed [AB-1:0] VMAX = ({{(AB-1){1'b0}}, 1'b1} <<< (MB - 1)) - {{(AB-1){1'b0}}, 1'b1};
    localparam signed [AB-1:0] VMIN = -({{(AB-1){1'b0}}, 1'b1} <<< (MB - 1));

    reg                 v2_r, v3_r, v4_r;   // a neuron in stage 2, 3, 4
    reg signed [AB-1:0] a2_r, a3_r, a4_r, c3_r;
    reg signed [15:0]   sh3_r;
    reg        [15:0]   th4_r;
    reg        [7:0]    n2_r, n3_r, n4_r;
    reg                 s5_r;
    reg        [7:0]    bits_r;

    // v2_r, a2_r, n2_r: the word (24 bits sign-extended from AB: the upper bits carry nothing)
    always @(posedge i_clk) begin
        v2_r <= i_v;
        a2_r <= i_a[AB-1:0];
        n2_r <= i_count;
    end

    // v3_r, a3_r, sh3_r, c3_r, n3_r: the leak shift V >>> k of the membrane (k = 0: no leak), the current
    always @(posedge i_clk) begin
        v3_r  <= v2_r;
        a3_r  <= a2_r;
        c3_r  <= i_c;
        sh3_r <= (!i_leak_en || i_leak == 4'd0) ? 16'sd0 : ($signed(a2_r[15:0]) >>> i_leak);
        n3_r  <= n2_r;
    end

    // v4_r, a4_r, n4_r, th4_r: A = V - shift + c (docs/arith.md steps 1-2; c and shift are 0 when
    // unused), and the threshold
    always @(posedge i_clk) begin
        v4_r  <= v3_r;
        th4_r <= i_theta;
        a4_r <= a3_r - {{(AB-16){sh3_r[15]}}, sh3_r} + c3_r;
        n4_r <= n3_r;
    end

    // saturate (step 3), fire (4), reset (5); |A| beyond the 16-bit range: the bits above bit 15
    // are not all copies of the sign
    wire               over  = !a4_r[AB-1] && (|a4_r[AB-2:MB-1]);
    wire               under = a4_r[AB-1] && !(&a4_r[AB-2:MB-1]);
    wire signed [15:0] vsat = over ? VMAX[15:0] : under ? VMIN[15:0] : a4_r[15:0];
    // spike iff vsat >= theta (theta unsigned), i.e. A >= theta and theta <= VMAX (theta >= 0 >
    // VMIN): compared on A, so the compare's carry chain starts at flip-flops, beside the
    // saturation; a theta above VMAX compares as one above every A (bits AB-1 .. 16 set)
    wire               ge = $signed({a4_r[AB-1], a4_r}) >= $signed({1'b0, {(AB-16){th4_r[15]}}, th4_r});
    wire               spike = i_fire_en && ge;
    wire signed [15:0] diff = vsat - th4_r;

    // o_we, o_j, s5_r, vs5_r, dz5_r: the write-back of the neuron: V' is vs5_r (no spike) or
    // dz5_r (spike: V - theta, or 0), selected after the registers so that the compare drives few
    // flip-flops; n5_r, n5p_r, inc5_r: its count, the count + 1, and which one is written.  All are
    // 0 in the clocks without a write (the lanes OR their constants into o_p, o_r)
    reg signed [15:0] vs5_r, dz5_r;
    reg        [7:0]  n5_r, n5p_r;
    reg               inc5_r;
    always @(posedge i_clk) begin
        o_we   <= v4_r;
        o_j    <= o_we ? o_j + 11'd1 : 11'd0;
        s5_r   <= v4_r && spike;
        inc5_r <= v4_r && spike && i_count_en;
        if (v4_r) begin
            vs5_r <= vsat;
            dz5_r <= i_reset_zero ? 16'sd0 : diff;
            n5_r  <= n4_r;
            n5p_r <= n4_r + 8'd1;
        end else begin
            vs5_r <= 16'sd0;
            dz5_r <= 16'sd0;
            n5_r  <= 8'd0;
            n5p_r <= 8'd0;
        end
    end
    assign o_p = s5_r ? dz5_r : vs5_r;
    assign o_r = {inc5_r ? n5p_r : n5_r, {8{o_p[15]}}};

    // bits_r: spikes of the current bitmap word so far
    wire [7:0] word = (o_j[2:0] == 3'd0 ? 8'd0 : bits_r) | ({7'd0, s5_r} << o_j[2:0]);
    always @(posedge i_clk)
        if (o_we)
            bits_r <= word;
    assign o_bm_we   = o_we && i_fire_en && (o_j[2:0] == 3'd7 || o_j == i_h_m1);
    assign o_run_next = v4_r && !o_we;
    assign o_bm_bits = word;
endmodule
