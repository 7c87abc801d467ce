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

    // Seeding takes SEED_CLOCKS clocks from i_seed_load: ld1_r loads seed ^ K_g into stream g;
    // the next S clocks compare the seed with one key each (stream g is 0 iff seed == K_g), and
    // fix_r sets the streams that matched to K_g.  A stream that matched holds 0, so fix_r is a
    // synchronous set of K_g's one bits (its zero bits are 0 already): a state bit costs one LUT4
    // (its LFSR inputs, the seed bit, ld1_r), the set and the reset come free with the flip-flop.
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

    genvar g;
    generate
        for (g = 0; g < S; g = g + 1) begin : g_stream
            localparam [31:0] KEY = GOLDEN * (g + 1);
            reg  [31:0] s_r;
            wire [31:0] next = lfsr_draw(s_r);
            wire [7:0]  x = i_pixels[8*g +: 8];
            // the draw r compared with the pixel (nonzero mode: r = 0, so x > r iff x != 0): x > r
            // iff x + ~r carries out (~r from the LUT that makes r; x straight from the RAM)
            wire [7:0]  r = i_nz_mode ? 8'd0 : next[31:24];
            wire [8:0]  gt = {1'b0, x} + {1'b0, ~r};   // bit 8: x > r

            // s_r: seed ^ key (key if that is 0: fix_r never meets ld1_r), then one LFSR draw per
            // scanned pixel of this stream
            always @(posedge i_clk)
                if (fix_r && zero_r[g])
                    s_r <= KEY;
                else if (ld1_r)
                    s_r <= i_seed ^ KEY;
                else if (i_en && !i_nz_mode && i_lane_valid[g])
                    s_r <= next;

            assign o_spikes[g] = i_lane_valid[g] && gt[8];
        end
    endgenerate
endmodule
