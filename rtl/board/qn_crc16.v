// qn_crc16.v : one byte of CRC-16/CCITT-FALSE (poly PROTO_CRC_POLY, MSB first), combinational.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_protocol.vh"

module qn_crc16 (
    input  wire [15:0] i_crc,
    input  wire [7:0]  i_data,
    output reg  [15:0] o_crc
);
    localparam [15:0] POLY = `PROTO_CRC_POLY;
    integer k;

    // o_crc: the byte enters MSB first, eight shift-and-xor stages unrolled
    always @(*) begin
        o_crc = i_crc ^ {i_data, 8'd0};
        for (k = 0; k < 8; k = k + 1)
            o_crc = o_crc[15] ? ({o_crc[14:0], 1'b0} ^ POLY) : {o_crc[14:0], 1'b0};
    end
endmodule
