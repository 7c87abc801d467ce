// qn_info_rom.v : the INFO answer (PROTO_INFO_* layout), one byte at a time, registered: o_data
// is the byte at i_idx one clock later (the transmitter waits far longer between bytes).
// The cycle count is a snapshot taken while no frame is sent, kept as a register that rotates
// by a byte as each of its bytes is sent (one byte in the record's mux, not six): after the
// sixth it is the snapshot again, for an answer that follows without a pause.
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
    input  wire        i_next,      // the byte at i_idx was sent (i_idx moves on next)
    input  wire [5:0]  i_idx,
    input  wire [7:0]  i_state,     // PROTO_INFO_STATE bits
    input  wire [15:0] i_naks,
    input  wire [1:0]  i_rate,      // the rate in use (PROTO_BAUD_<i_rate>)
    input  wire [47:0] i_cycles,
    output wire [7:0]  o_data
);
`include "qn_gt.vh"

    localparam integer CYC = `PROTO_INFO_CYCLES;
    generate
        if (CYC + 8 != `PROTO_INFO_BYTES) begin : g_bad_layout
            // the cycle count is taken as the record's last field: elaboration stops here
            qn_info_rom_cycles_not_last bad ();
        end
        if (`PROTO_INFO_BAUD != 12 || `PROTO_INFO_NAKS != 30 || `PROTO_INFO_RATES != 32 ||
            `PROTO_INFO_FRAMINGS != 33 || `PROTO_INFO_STATE != 29) begin : g_bad_fields
            // the record below is written out at these offsets: elaboration stops here
            qn_info_rom_layout_changed bad ();
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
    function automatic [8*CYC-1:0] rec(input [31:0] baud);
        rec = {
            48'd0,                                   // 34..39
            8'd3,                                    // 33 framings: INFER and INFER_Z
            RATES,                                   // 32
            16'd0,                                   // 30 NAKs (var_r)
            8'd0,                                    // 29 state (var_r)
            8'(`SNN_LANES),                          // 28
            32'(`SNN_WEIGHT_BYTES),                  // 24
            16'(`SNN_MAX_TOTAL_NEURONS),             // 22
            16'(`SNN_MAX_NEURONS),                   // 20
            16'(`SNN_MAX_INPUTS),                    // 18
            8'(`SNN_MAX_STEPS),                      // 17
            8'(`SNN_MAX_LAYERS),                     // 16
            baud,                                    // 12
            CLK_HZ,                                  // 8
            BUILD_ID,                                // 4
            16'(`PROTO_MAX_CHUNK),                   // 2
            8'(`PROTO_INFER_WINDOW),                 // 1
            8'(`PROTO_VERSION)                       // 0
        };
    endfunction
    localparam [8*CYC-1:0] REC0 = rec(32'(`PROTO_BAUD_0)), REC1 = rec(32'(`PROTO_BAUD_1)),
                           REC2 = rec(32'(`PROTO_BAUD_2));
    reg [7:0] rom_r [0:(1 << RW)-1];
    integer k;
    initial
        for (k = 0; k < (1 << RW); k = k + 1)
            if (k % 64 >= CYC)   rom_r[k] = 8'd0;
            else if (k / 64 == 2) rom_r[k] = REC2[8 * (k % 64) +: 8];
            else if (k / 64 == 1) rom_r[k] = REC1[8 * (k % 64) +: 8];
            else                 rom_r[k] = REC0[8 * (k % 64) +: 8];

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
