// qn_info_rom.v : the INFO answer (PROTO_INFO_* layout), one byte at a time, registered: o_data
// is the byte at i_idx one clock later (the transmitter waits far longer between bytes).
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_info_rom #(
    parameter [31:0] BUILD_ID = 32'd0,
    parameter [31:0] CLK_HZ   = 32'd48000000,
    parameter [31:0] BAUD     = 32'd3000000
) (
    input  wire        i_clk,
    input  wire [5:0]  i_idx,
    input  wire [7:0]  i_state,     // PROTO_INFO_STATE bits
    input  wire [15:0] i_naks,
    input  wire [47:0] i_cycles,
    output reg  [7:0]  o_data
);
`include "qn_gt.vh"

    // the record, byte 0 in the low bits; fields at their PROTO_INFO_* offsets
    wire [8*`PROTO_INFO_BYTES-1:0] rec = {
        16'd0, i_cycles,                             // 32 cycles (u64)
        i_naks,                                      // 30
        i_state,                                     // 29
        8'(`SNN_LANES),                              // 28
        32'(`SNN_WEIGHT_BYTES),                      // 24
        16'(`SNN_MAX_TOTAL_NEURONS),                 // 22
        16'(`SNN_MAX_NEURONS),                       // 20
        16'(`SNN_MAX_INPUTS),                        // 18
        8'(`SNN_MAX_STEPS),                          // 17
        8'(`SNN_MAX_LAYERS),                         // 16
        BAUD,                                        // 12
        CLK_HZ,                                      // 8
        BUILD_ID,                                    // 4
        16'(`PROTO_MAX_CHUNK),                       // 2
        8'(`PROTO_INFER_WINDOW),                     // 1
        8'(`PROTO_VERSION)                           // 0
    };
    // o_data: the byte at i_idx, registered (keeps the record's mux out of the CRC path)
    always @(posedge i_clk)
        o_data <= qn_gt(32'(i_idx), `PROTO_INFO_BYTES - 1) ? 8'd0 : rec[8 * i_idx +: 8];
endmodule
