// snn_encoder.v : the input encoder: eight Galois LFSR rate streams, or the nonzero pixels.
// SPDX-License-Identifier: MIT
// docs/arith.md "Input encoding".  One call of i_en scans eight pixels (one pixel word): in rate
// mode stream g advances by one draw (8 LFSR steps) and pixel g spikes iff (s_g >> 24) < x_g;
// streams whose pixel is past the input count (i_lane_valid low) do not advance.  In nonzero mode
// pixel g "spikes" iff x_g != 0 and no stream advances (direct coding: the pixels the MAC pass
// multiplies).
`default_nettype none
`include "snn_config.vh"

module snn_encoder (
    input  wire                          i_clk,
    // seeding, once per image: i_seed_load, i_seed held, no i_en for the next 10 clocks
    input  wire                          i_seed_load,
    input  wire [31:0]                   i_seed,
    // one pixel word per i_en
    input  wire                          i_en,
    input  wire                          i_nz_mode,
    input  wire [`SNN_ENC_STREAMS-1:0]   i_lane_valid,
    input  wire [8*`SNN_ENC_STREAMS-1:0] i_pixels,
    output wire [`SNN_ENC_STREAMS-1:0]   o_spikes
);
    localparam integer S = `SNN_ENC_STREAMS;
    // stream keys K_g = 0x9E3779B9 * (g + 1) mod 2^32 (docs/arith.md, hls/snn_encode.c)
    localparam [31:0] GOLDEN = 32'h9E3779B9;

    // Galois feedback mask of x^32 + SNN_ENC_LFSR_POLY (hls/snn_config.def), right-shift form
    localparam [31:0] POLY = `SNN_ENC_LFSR_POLY;
    localparam [31:0] FEEDBACK = {1'b1, POLY[31:1]};

    // One draw: SNN_PIXEL_BITS Galois steps (hls/snn_encode.c snn_lfsr32_step8).  Unrolled, every
    // next-state bit is the XOR of at most 2 state bits (tests/unit/test_encode.c checks it).
    function [31:0] lfsr_draw(input [31:0] x);
        integer k;
        begin
            lfsr_draw = x;
            for (k = 0; k < `SNN_PIXEL_BITS; k = k + 1)
                lfsr_draw = (lfsr_draw >> 1) ^ (FEEDBACK & {32{lfsr_draw[0]}});
        end
    endfunction

    // Seeding takes SEED_CLOCKS clocks from i_seed_load (which zeroes every stream): ld1_r xors
    // seed ^ K_g into the zero state; the next S clocks compare the seed with one key each
    // (stream g starts at 0 iff seed == K_g), and fix_r xors K_g into the streams that matched.
    // The injected bit is one of two signals shared by all streams (K_g's bit is a constant), so
    // a state bit costs its 2 LFSR inputs + 1 (one LUT4), not a seed-load multiplexer.
    reg        ld1_r, chk_r, fix_r;
    reg [2:0]  zk_r;                 // the key compared this clock
    reg [S-1:0] zero_r;              // stream g's seed ^ K_g is 0
    reg [31:0] key_k;
    integer    kk;
    always @(*) begin
        key_k = GOLDEN;
        for (kk = 0; kk < S; kk = kk + 1)
            if (zk_r == 3'(kk)) key_k = GOLDEN * (kk + 1);
    end
    // ld1_r, chk_r, zk_r, zero_r, fix_r: the seeding sequence
    always @(posedge i_clk) begin
        ld1_r <= i_seed_load;
        fix_r <= !i_seed_load && chk_r && zk_r == 3'(S - 1);   // never in the ld1_r clock
        if (i_seed_load) begin
            chk_r <= 1'b0;
        end else if (ld1_r) begin
            chk_r <= 1'b1;
            zk_r  <= 3'd0;
        end else if (chk_r) begin
            zero_r[zk_r] <= (i_seed == key_k);
            zk_r  <= zk_r + 3'd1;
            chk_r <= zk_r != 3'(S - 1);
        end
    end
    wire [31:0] inj_k0 = {32{ld1_r}} & i_seed;                      // where K_g's bit is 0
    wire [31:0] inj_k1 = ({32{ld1_r}} & ~i_seed) | {32{fix_r}};     // where K_g's bit is 1

    genvar g;
    generate
        for (g = 0; g < S; g = g + 1) begin : g_stream
            localparam [31:0] KEY = GOLDEN * (g + 1);
            reg  [31:0] s_r;
            wire [31:0] inj = (KEY & inj_k1) | (~KEY & inj_k0);
            wire [31:0] next = lfsr_draw(s_r);
            wire [7:0]  x = i_pixels[8*g +: 8];

            // s_r: 0, then seed ^ key (key if that is 0), then one LFSR draw per scanned pixel of
            // this stream (the draw is linear, lfsr_draw(0) = 0: the seeding clocks are next ^ inj)
            always @(posedge i_clk)
                if (i_seed_load)
                    s_r <= 32'd0;
                else if (ld1_r || (fix_r && zero_r[g]) || (i_en && !i_nz_mode && i_lane_valid[g]))
                    s_r <= next ^ inj;

            assign o_spikes[g] = i_lane_valid[g] &&
                                 (i_nz_mode ? x != 8'd0 : (next[31:24] < x));
        end
    endgenerate
endmodule
