// snn_encoder.v : the input encoder: eight xorshift32 rate streams, or one bit plane of the pixels.
// SPDX-License-Identifier: MIT
// docs/arith.md "Input encoding".  One call of i_en scans eight pixels (one pixel word): in rate
// mode stream g advances once and pixel g spikes iff (s_g >> 24) < x_g; streams whose pixel is
// past the input count (i_lane_valid low) do not advance.  In plane mode pixel g "spikes" iff
// bit i_plane of x_g is set (the bit-serial direct-current computation).
`default_nettype none
`include "snn_config.vh"

module snn_encoder (
    input  wire                          i_clk,
    // seeding, once per image
    input  wire                          i_seed_load,
    input  wire [31:0]                   i_seed,
    // one pixel word per i_en
    input  wire                          i_en,
    input  wire                          i_plane_mode,
    input  wire [2:0]                    i_plane,
    input  wire [`SNN_ENC_STREAMS-1:0]   i_lane_valid,
    input  wire [8*`SNN_ENC_STREAMS-1:0] i_pixels,
    output wire [`SNN_ENC_STREAMS-1:0]   o_spikes
);
    localparam integer S = `SNN_ENC_STREAMS;
    // stream keys K_g = 0x9E3779B9 * (g + 1) mod 2^32 (docs/arith.md, hls/snn_encode.c)
    localparam [31:0] GOLDEN = 32'h9E3779B9;

    function [31:0] xorshift32(input [31:0] x);
        reg [31:0] a, b;
        begin
            a = x ^ (x << 13);
            b = a ^ (a >> 17);
            xorshift32 = b ^ (b << 5);
        end
    endfunction

    genvar g;
    generate
        for (g = 0; g < S; g = g + 1) begin : g_stream
            localparam [31:0] KEY = GOLDEN * (g + 1);
            reg  [31:0] s_r;
            wire [31:0] seeded = i_seed ^ KEY;
            wire [31:0] next = xorshift32(s_r);
            wire [7:0]  x = i_pixels[8*g +: 8];

            // s_r: seed ^ key (never 0), then one xorshift32 step per scanned pixel of this stream
            always @(posedge i_clk)
                if (i_seed_load)
                    s_r <= (seeded == 32'd0) ? KEY : seeded;
                else if (i_en && !i_plane_mode && i_lane_valid[g])
                    s_r <= next;

            assign o_spikes[g] = i_lane_valid[g] &&
                                 (i_plane_mode ? x[i_plane] : (next[31:24] < x));
        end
    endgenerate
endmodule
