// qn_info_rom.v : the INFO answer (PROTO_INFO_* layout), one byte at a time, registered: o_data
// is the byte at i_idx one clock later (the transmitter waits far longer between bytes).
// The constant bytes (for each baud rate) are a ROM in one EBR; the bytes that change (state,
// NAKs, and the cycle count, a snapshot taken while no frame is sent) come from a small mux of
// their own, ORed onto the ROM's zeros there.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_info_rom #(
    parameter [31:0] BUILD_ID = 32'd0,
    parameter [31:0] CLK_HZ   = 32'(`PROTO_DEFAULT_CLK_HZ),
    parameter [7:0]  RATES    = 8'd1        // PROTO_INFO_RATES: bit i, rate i supported
) (
    input  wire        i_clk,
    input  wire        i_snap,      // no frame is being sent: take the cycle count
    input  wire [5:0]  i_idx,
    input  wire [7:0]  i_state,     // PROTO_INFO_STATE bits
    input  wire [15:0] i_naks,
    input  wire [1:0]  i_rate,      // the rate in use (PROTO_BAUD_<i_rate>)
    input  wire [47:0] i_cycles,
    output wire [7:0]  o_data
);
    localparam integer CYC = `PROTO_INFO_CYCLES;
    generate
        if (CYC + 8 != `PROTO_INFO_BYTES || `PROTO_INFO_BYTES > 64) begin : g_bad_layout
            // the cycle count is taken as the record's last field (and i_idx indexes the record):
            // elaboration stops here
            qn_info_rom_cycles_not_last bad ();
        end
    endgenerate

    // cyc_r: the snapshot while no frame is sent (it holds still while one is)
    reg  [47:0] cyc_r;
    always @(posedge i_clk)
        if (i_snap) cyc_r <= i_cycles;

    // the constant part of the record, for each rate index (the baud in use is a field of it):
    // ROM word {rate, idx} is the record byte idx, 0 where a register fills it in (state,
    // NAKs, the cycle count and the zeros after it).  One EBR, so the 40-byte mux is no LUTs
    localparam integer RW = 2 + 6;
    // fb: byte i of the record from a field of n bytes at offset off holding v (else 0)
    function automatic [7:0] fb(input [31:0] v, input integer i, input integer off, input integer n);
        fb = (i >= off && i < off + n) ? 8'(v >> (8 * (i - off))) : 8'd0;
    endfunction
    // rom_byte: ROM word k = {rate, idx}; rate index 3 names no rate (PROTO_BAUD_0, as the UART)
    function automatic [7:0] rom_byte(input integer k);
        integer i;
        reg [31:0] baud;
        begin
            i    = k % 64;
            baud = k / 64 == 2 ? 32'(`PROTO_BAUD_2) : k / 64 == 1 ? 32'(`PROTO_BAUD_1) : 32'(`PROTO_BAUD_0);
            rom_byte = fb(`PROTO_VERSION, i, `PROTO_INFO_VERSION, 1) |
                       fb(`PROTO_INFER_WINDOW, i, `PROTO_INFO_WINDOW, 1) |
                       fb(`PROTO_MAX_CHUNK, i, `PROTO_INFO_MAX_CHUNK, 2) |
                       fb(BUILD_ID, i, `PROTO_INFO_BUILD_ID, 4) |
                       fb(CLK_HZ, i, `PROTO_INFO_CLK_HZ, 4) |
                       fb(baud, i, `PROTO_INFO_BAUD, 4) |
                       fb(`SNN_MAX_LAYERS, i, `PROTO_INFO_MAX_LAYERS, 1) |
                       fb(`SNN_MAX_STEPS, i, `PROTO_INFO_MAX_STEPS, 1) |
                       fb(`SNN_MAX_INPUTS, i, `PROTO_INFO_MAX_INPUTS, 2) |
                       fb(`SNN_MAX_NEURONS, i, `PROTO_INFO_MAX_NEURONS, 2) |
                       fb(`SNN_MAX_TOTAL_NEURONS, i, `PROTO_INFO_MAX_TOTAL, 2) |
                       fb(`SNN_WEIGHT_BYTES, i, `PROTO_INFO_WEIGHT_BYTES, 4) |
                       fb(`SNN_LANES, i, `PROTO_INFO_LANES, 1) |
                       fb(32'(RATES), i, `PROTO_INFO_RATES, 1) |
                       fb(32'd3, i, `PROTO_INFO_FRAMINGS, 1) |  // INFER and INFER_Z
                       fb(`PROTO_INFER_HOLD_BYTES, i, `PROTO_INFO_HOLD, 2);
        end
    endfunction
    reg [7:0] rom_r [0:(1 << RW)-1];
    integer k;
    initial
        for (k = 0; k < (1 << RW); k = k + 1) rom_r[k] = rom_byte(k);

    // rom_q_r, var_r: the ROM byte at {i_rate, i_idx} and the register byte there, both
    // registered (the ROM's read shape); the record's bytes are their OR
    reg [7:0] rom_q_r, var_r;
    always @(posedge i_clk) begin
        rom_q_r <= rom_r[{i_rate, i_idx}];
        case (i_idx)
            6'(`PROTO_INFO_STATE):    var_r <= i_state;
            6'(`PROTO_INFO_NAKS):     var_r <= i_naks[7:0];
            6'(`PROTO_INFO_NAKS + 1): var_r <= i_naks[15:8];
            6'(CYC):                  var_r <= cyc_r[7:0];
            6'(CYC + 1):              var_r <= cyc_r[15:8];
            6'(CYC + 2):              var_r <= cyc_r[23:16];
            6'(CYC + 3):              var_r <= cyc_r[31:24];
            6'(CYC + 4):              var_r <= cyc_r[39:32];
            6'(CYC + 5):              var_r <= cyc_r[47:40];
            default:                  var_r <= 8'd0;
        endcase
    end
    assign o_data = rom_q_r | var_r;
endmodule
